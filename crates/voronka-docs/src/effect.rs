//! Executing the core's render-document effect: a record of the funnel becomes a document.
//!
//! The core ([`voronka`]) never renders anything: when an automation reaches a
//! `render_document` step it returns an [`Effect::RenderDocument`](voronka::Effect) carrying a
//! [`DocumentRequest`] (the document's code, its template, its number format and language).
//! A host that receives it calls [`execute_render`] with the record, its own
//! [`CompanyProfile`] (the seller: the host's data, not the record's), the next value of its
//! sequence for that document and `now`, and gets the PDF and the number it used.
//!
//! # The mapping
//!
//! What goes where is a small table per document kind ([`mapping`]); the record's field
//! codes are those of the eco-packaging deal, and a definition that names its fields the
//! same way gets the same documents:
//!
//! | document data | record field |
//! |---|---|
//! | buyer (consignee): name | `company_name` |
//! | buyer: address, country | `delivery_address` |
//! | buyer: legal address (else the delivery address) | `company_legal_address` |
//! | buyer: ИНН, КПП, ОГРН | `company_inn`, `company_kpp`, `company_ogrn` |
//! | buyer: bank (name and account both needed), БИК, к/с | `company_bank_name`, `company_account`, `company_bik`, `company_correspondent_account` |
//! | buyer: e-mail, phone, signatory (name, position, basis of authority) | `client_email`, `client_phone`, `client_name`, `client_position`, `client_basis` |
//! | items | `offer_items` (offer); `order_items`, else `offer_items` (the shipping set); each line's `name`, `quantity`, `unit`, `price`, optional `vat_rate`, `sku`, `name_en`, `unit_en`, `hs_code` (the CMR's statistical number) and `weight` |
//! | currency | the currency of `cost` (the profile's currency when the offer has no cost yet) |
//! | contract | `contract_number` + `contract_date` (required by the act and the specification) |
//! | offer: valid until, payment terms | `offer_valid_until`, `payment_terms` |
//! | invoice: due date | `payment_due_date`, else the invoice's date plus [`CompanyProfile::invoice_due_days`] |
//! | invoice, specification: prepayment | `prepayment_percent` (of the total) |
//! | specification: date | `contract_date` (an annex is signed with its contract) |
//! | specification: delivery address, payment terms | `delivery_address`, `payment_terms` |
//! | consignment note: place of delivery; which note | `delivery_address` (with its country) |
//! | consignment note: contract, documents issued with it (box 5) | `contract_number` + `contract_date`; the invoice, packing list and specification |
//!
//! A request for a consignment note (`cmr` or `waybill`) gets the one the route needs
//! ([`shipment_note_kind`]): the транспортная накладная when the delivery address is in
//! the seller's country, Russia, the CMR otherwise; a number format beginning with `CMR`
//! then begins with `TN` for the waybill. Its box 14 (who pays the carriage) follows the
//! Incoterms rule at the start of [`CompanyProfile::delivery_terms`].
//!
//! The seller (sender), the place documents are drawn up in, delivery terms, lead time, the
//! carrier and the packing rule come from the [`CompanyProfile`]. A line item's `weight` is
//! the net weight of one unit in kg; the shipping documents' packages and gross weights are
//! computed from it with the profile's [`Packing`] rule.
//!
//! A required record field that is empty gives [`Error::MissingRecordField`] naming it
//! (`company_name`, `order_items[1].weight`, …); a missing item of the profile gives
//! [`Error::InvalidData`] with its path under `company.`.

use std::str::FromStr;

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use voronka::Record;
use voronka::automation::DocumentLang;
use voronka::record::DocumentRequest;

use crate::error::Error;
use crate::model::{Language, Party, Text};
use crate::numbering::format_document_number;
use crate::render::{
    Document, DocumentKind, RenderOptions, Renderer, shared_renderer, shipment_note_kind,
};

/// The host's own data the documents need besides the record: who sells, from where, how.
///
/// Deserialises from JSON (see `examples/eco-packaging/company.json` in the repository).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompanyProfile {
    /// The seller (and the CMR's sender): name, address, tax ids, bank details, signatory.
    pub seller: Party,
    /// The company's UTC offset, e.g. `+03:00`: the document date is `now` there
    /// (default UTC).
    #[serde(default)]
    pub utc_offset: Option<String>,
    /// The currency of an offer made before the deal has a cost, e.g. `RUB` (default `RUB`).
    #[serde(default)]
    pub currency: Option<crate::model::Currency>,
    /// Where documents are drawn up (the act's and the specification's place, the CMR's
    /// box 21).
    #[serde(default)]
    pub place: Option<Text>,
    /// Delivery terms printed on the offer, the packing list and the specification, an
    /// Incoterms rule first (`FCA Korolev (Incoterms® 2020)`): it also decides the CMR's
    /// box 14.
    #[serde(default)]
    pub delivery_terms: Option<Text>,
    /// Production and delivery lead time printed on the offer and the specification.
    #[serde(default)]
    pub lead_time: Option<Text>,
    /// An opening paragraph for the commercial offer.
    #[serde(default)]
    pub offer_intro: Option<Text>,
    /// Days an invoice gives to pay when the deal has no `payment_due_date` yet: the due
    /// date is the invoice's date plus these days (default 10).
    #[serde(default)]
    pub invoice_due_days: Option<u32>,
    /// How goods are shipped: needed by the CMR and the packing list.
    #[serde(default)]
    pub shipping: Option<Shipping>,
}

/// How the company ships: the carrier it uses and how it packs goods.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shipping {
    /// Where the carrier takes the goods over (CMR box 4).
    pub taking_over_place: Text,
    /// The carrier (CMR box 16).
    pub carrier: Party,
    /// Registration numbers of the vehicle and trailer.
    #[serde(default)]
    pub vehicle: Option<Text>,
    /// Sender's instructions (CMR box 13).
    #[serde(default)]
    pub sender_instructions: Option<Text>,
    /// How goods are packed.
    pub packing: Packing,
}

/// The packing rule: how many packages a line takes and what they weigh.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Packing {
    /// The kind of package, e.g. `{"ru": "EUR-паллета", "en": "EUR pallet"}`.
    pub package_type: Text,
    /// Most net weight one package holds, kg: a line takes ⌈net / this⌉ packages (at least one).
    #[serde(with = "crate::decimal_serde")]
    pub max_net_kg: Decimal,
    /// Weight of one empty package, kg: gross = net + packages × this.
    #[serde(with = "crate::decimal_serde")]
    pub tare_kg: Decimal,
}

impl CompanyProfile {
    /// Parses a profile from JSON.
    ///
    /// # Errors
    /// [`Error::InvalidData`] naming the path of a missing or mistyped item.
    pub fn from_json(json: &str) -> Result<Self, Error> {
        let de = &mut serde_json::Deserializer::from_str(json);
        serde_path_to_error::deserialize(de).map_err(|e| Error::InvalidData {
            path: e.path().to_string(),
            message: e.into_inner().to_string(),
        })
    }

    /// The date of `now` in the company's time zone.
    ///
    /// # Errors
    /// [`Error::InvalidData`] at `company.utc_offset` when the offset is not like `+03:00`.
    pub fn today(&self, now: DateTime<Utc>) -> Result<NaiveDate, Error> {
        match &self.utc_offset {
            None => Ok(now.date_naive()),
            Some(text) => FixedOffset::from_str(text)
                .map(|offset| now.with_timezone(&offset).date_naive())
                .map_err(|e| Error::data("company.utc_offset", format!("`{text}`: {e}"))),
        }
    }
}

/// A rendered document of a [`DocumentRequest`].
#[derive(Debug, Clone)]
pub struct ExecutedDocument {
    /// The document number used, e.g. `INV-2026-00001`.
    pub number: String,
    /// Which document.
    pub kind: DocumentKind,
    /// The typed data it was rendered from.
    pub document: Document,
    /// The PDF bytes.
    pub pdf: Vec<u8>,
}

/// Executes a render-document effect: maps the record to the document's data, numbers it
/// with the request's format and the host's sequence value `seq`, renders the request's
/// bundled template in the request's language and returns the PDF.
///
/// ```no_run
/// # fn host(effect: &voronka::Effect, record: &voronka::Record, company: &voronka_docs::CompanyProfile, now: chrono::DateTime<chrono::Utc>) -> Result<(), voronka_docs::Error> {
/// if let voronka::Effect::RenderDocument { document, .. } = effect {
///     let seq = 1; // the host's next value of its counter for `document.document`
///     let done = voronka_docs::execute_render(document, record, company, seq, now)?;
///     std::fs::write(format!("{}.pdf", done.number), &done.pdf).ok();
/// }
/// # Ok(()) }
/// ```
///
/// # Errors
/// [`Error::MissingRecordField`] naming a required record field that is empty;
/// [`Error::InvalidData`] for a record value or profile item that does not fit;
/// [`Error::UnknownTemplate`] when the request names no bundled template (a host with
/// templates of its own calls [`document_for_request`] and
/// [`render_with_template`](crate::render_with_template));
/// [`Error::InvalidNumberFormat`] for a malformed number format.
pub fn execute_render(
    request: &DocumentRequest,
    record: &Record,
    company: &CompanyProfile,
    seq: u64,
    now: DateTime<Utc>,
) -> Result<ExecutedDocument, Error> {
    shared_renderer().execute_render(request, record, company, seq, now)
}

impl Renderer {
    /// Executes a render-document effect with this renderer; see [`execute_render`].
    ///
    /// # Errors
    /// As [`execute_render`].
    pub fn execute_render(
        &self,
        request: &DocumentRequest,
        record: &Record,
        company: &CompanyProfile,
        seq: u64,
        now: DateTime<Utc>,
    ) -> Result<ExecutedDocument, Error> {
        let document = document_for_request(request, record, company, seq, now)?;
        let opts = RenderOptions::new(now).with_language(language(request.lang));
        let pdf = self.render(&document, &opts)?.pdf()?;
        let number = number_of(&document).to_owned();
        Ok(ExecutedDocument {
            number,
            kind: document.kind(),
            document,
            pdf,
        })
    }
}

/// The typed data of the document a request asks for, from the record and the profile,
/// numbered with the request's format and `seq` and dated `now` in the company's time zone.
///
/// # Errors
/// As [`execute_render`], except that nothing is rendered.
pub fn document_for_request(
    request: &DocumentRequest,
    record: &Record,
    company: &CompanyProfile,
    seq: u64,
    now: DateTime<Utc>,
) -> Result<Document, Error> {
    if request.record != record.id {
        return Err(Error::data(
            "record",
            format!(
                "the request is for record `{}`, not `{}`",
                request.record, record.id
            ),
        ));
    }
    let mut kind = DocumentKind::from_code(&request.template)?;
    let mut number_format = request.number_format.clone();
    if matches!(kind, DocumentKind::Cmr | DocumentKind::Waybill) {
        // The consignment note the route needs: see `shipment_note_kind`.
        let to = filled(record, "delivery_address")
            .and_then(|a| a.get("country"))
            .map(|c| Text::from(text(c)));
        kind = shipment_note_kind(company.seller.country.as_ref(), to.as_ref());
        if kind == DocumentKind::Waybill
            && let Some(rest) = number_format.strip_prefix("CMR")
        {
            number_format = format!("TN{rest}");
        }
    }
    let date = company.today(now)?;
    let number = format_document_number(&number_format, date, seq)?;
    let mut data = document_data(mapping(kind), record, company, &number, date)?;
    complete(kind, &mut data, record, company, date);
    Document::from_value(kind, data)
}

/// What a document needs beyond the mapping's table: the invoice's due date and
/// prepayment, the specification's prepayment, the consignment note's Incoterms, contract
/// and the documents issued with it.
fn complete(
    kind: DocumentKind,
    data: &mut Value,
    record: &Record,
    company: &CompanyProfile,
    date: NaiveDate,
) {
    let Value::Object(d) = data else { return };
    let prepayment = filled(record, "prepayment_percent").cloned();
    match kind {
        DocumentKind::Invoice => {
            if !d.contains_key("due_date") {
                let days = company.invoice_due_days.unwrap_or(10);
                let due = date + chrono::Days::new(u64::from(days));
                d.insert("due_date".into(), json!(due.format("%Y-%m-%d").to_string()));
            }
            if let Some(p) = prepayment {
                d.insert("prepayment_percent".into(), p);
            }
        }
        DocumentKind::Specification => {
            if let Some(p) = prepayment {
                d.insert("prepayment_percent".into(), p);
            }
            // An annex is signed with its contract: it bears the contract's date.
            if let Some(contract_date) = d.get("contract").and_then(|c| c.get("date")).cloned() {
                d.insert("date".into(), contract_date);
            }
        }
        DocumentKind::Cmr | DocumentKind::Waybill => {
            if let Some(terms) = &company.delivery_terms {
                d.insert("incoterms".into(), json!(terms.en()));
            }
            let contract = match (
                filled(record, "contract_number"),
                filled(record, "contract_date"),
            ) {
                (Some(n), Some(dt)) => {
                    d.insert("contract".into(), json!({ "number": text(n), "date": dt }));
                    Some(text(n))
                }
                _ => None,
            };
            // Box 5 (section 4 of the waybill): the shipping set issued with the note.
            let of = |ru: &str, en: &str| match &contract {
                Some(n) => {
                    json!({ "ru": format!("{ru} к договору № {n}"), "en": format!("{en} to contract No. {n}") })
                }
                None => json!({ "ru": ru, "en": en }),
            };
            let mut docs = vec![
                of("Счёт на оплату", "Invoice"),
                of("Упаковочный лист", "Packing list"),
            ];
            if contract.is_some() {
                docs.push(of("Спецификация", "Specification"));
            }
            d.insert("documents_attached".into(), Value::Array(docs));
        }
        _ => {}
    }
}

/// The document language of a request's language.
pub fn language(lang: DocumentLang) -> Language {
    match lang {
        DocumentLang::Ru => Language::Ru,
        DocumentLang::En => Language::En,
        DocumentLang::Both => Language::Both,
    }
}

fn number_of(doc: &Document) -> &str {
    match doc {
        Document::CommercialOffer(d) => &d.number,
        Document::Cmr(d) | Document::Waybill(d) => &d.number,
        Document::Invoice(d) => &d.number,
        Document::PackingList(d) => &d.number,
        Document::Act(d) => &d.number,
        Document::Specification(d) => &d.number,
    }
}

/// Whether a document needs an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Left out.
    No,
    /// Included when the record has it.
    Optional,
    /// An error when the record lacks it.
    Required,
}

/// Where one value of a document comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A text (or date) field of the record, as it is.
    Field(&'static str, Need),
    /// An address field of the record, as one line.
    Address(&'static str, Need),
    /// An address field of the record as one line with its country (a place of delivery).
    Place(&'static str, Need),
    /// An item of the company profile.
    Profile(ProfileItem, Need),
    /// The document's date.
    Today,
    /// A constant.
    Text(&'static str),
}

/// The items of a [`CompanyProfile`] a mapping can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProfileItem {
    /// [`CompanyProfile::place`].
    Place,
    /// [`CompanyProfile::delivery_terms`].
    DeliveryTerms,
    /// [`CompanyProfile::lead_time`].
    LeadTime,
    /// [`CompanyProfile::offer_intro`].
    OfferIntro,
    /// [`Shipping::taking_over_place`].
    TakingOverPlace,
    /// [`Shipping::carrier`].
    Carrier,
    /// [`Shipping::vehicle`].
    Vehicle,
    /// [`Shipping::sender_instructions`].
    SenderInstructions,
}

/// How a document of one kind is made from a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mapping {
    /// The document.
    pub kind: DocumentKind,
    /// The keys of the seller and the buyer in the document's data.
    pub parties: (&'static str, &'static str),
    /// The line-item fields of the record, the first filled one is used.
    pub items: &'static [&'static str],
    /// Whether packages and gross weights are computed (CMR, packing list).
    pub shipping: bool,
    /// The contract reference.
    pub contract: Need,
    /// The currency, from the `cost` field.
    pub currency: Need,
    /// The other values: document key and source.
    pub values: &'static [(&'static str, Source)],
}

const SHIPPING_ITEMS: &[&str] = &["order_items", "offer_items"];

/// The mapping of each bundled document.
pub fn mapping(kind: DocumentKind) -> &'static Mapping {
    use Need::{Optional, Required};
    use Source::{Address, Field, Place, Profile, Text, Today};
    static OFFER: Mapping = Mapping {
        kind: DocumentKind::CommercialOffer,
        parties: ("seller", "buyer"),
        items: &["offer_items"],
        shipping: false,
        contract: Need::Optional,
        currency: Need::Optional,
        values: &[
            ("valid_until", Field("offer_valid_until", Optional)),
            ("payment_terms", Field("payment_terms", Optional)),
            (
                "delivery_terms",
                Profile(ProfileItem::DeliveryTerms, Optional),
            ),
            ("lead_time", Profile(ProfileItem::LeadTime, Optional)),
            ("intro", Profile(ProfileItem::OfferIntro, Optional)),
        ],
    };
    static INVOICE: Mapping = Mapping {
        kind: DocumentKind::Invoice,
        parties: ("seller", "buyer"),
        items: SHIPPING_ITEMS,
        shipping: false,
        contract: Need::Optional,
        currency: Need::Required,
        values: &[("due_date", Field("payment_due_date", Optional))],
    };
    static PACKING_LIST: Mapping = Mapping {
        kind: DocumentKind::PackingList,
        parties: ("seller", "buyer"),
        items: SHIPPING_ITEMS,
        shipping: true,
        contract: Need::Optional,
        currency: Need::Required,
        values: &[
            (
                "delivery_terms",
                Profile(ProfileItem::DeliveryTerms, Optional),
            ),
            ("transport", Profile(ProfileItem::Vehicle, Optional)),
        ],
    };
    static ACT: Mapping = Mapping {
        kind: DocumentKind::Act,
        parties: ("seller", "buyer"),
        items: SHIPPING_ITEMS,
        shipping: false,
        contract: Need::Required,
        currency: Need::Required,
        values: &[
            ("subject", Text("goods")),
            ("place", Profile(ProfileItem::Place, Optional)),
        ],
    };
    static SPECIFICATION: Mapping = Mapping {
        kind: DocumentKind::Specification,
        parties: ("seller", "buyer"),
        items: SHIPPING_ITEMS,
        shipping: false,
        contract: Need::Required,
        currency: Need::Required,
        values: &[
            (
                "delivery_terms",
                Profile(ProfileItem::DeliveryTerms, Optional),
            ),
            ("delivery_time", Profile(ProfileItem::LeadTime, Optional)),
            ("place", Profile(ProfileItem::Place, Optional)),
            ("delivery_address", Address("delivery_address", Optional)),
            ("payment_terms", Field("payment_terms", Optional)),
        ],
    };
    const NOTE_VALUES: &[(&str, Source)] = &[
        ("place_of_delivery", Place("delivery_address", Required)),
        (
            "taking_over_place",
            Profile(ProfileItem::TakingOverPlace, Required),
        ),
        ("taking_over_date", Today),
        ("carrier", Profile(ProfileItem::Carrier, Required)),
        ("vehicle", Profile(ProfileItem::Vehicle, Optional)),
        (
            "sender_instructions",
            Profile(ProfileItem::SenderInstructions, Optional),
        ),
        ("established_in", Profile(ProfileItem::Place, Required)),
    ];
    static WAYBILL: Mapping = Mapping {
        kind: DocumentKind::Waybill,
        parties: ("sender", "consignee"),
        items: SHIPPING_ITEMS,
        shipping: true,
        contract: Need::No,
        currency: Need::No,
        values: NOTE_VALUES,
    };
    static CMR: Mapping = Mapping {
        kind: DocumentKind::Cmr,
        parties: ("sender", "consignee"),
        items: SHIPPING_ITEMS,
        shipping: true,
        contract: Need::No,
        currency: Need::No,
        values: &[
            ("place_of_delivery", Place("delivery_address", Required)),
            (
                "taking_over_place",
                Profile(ProfileItem::TakingOverPlace, Required),
            ),
            ("taking_over_date", Today),
            ("carrier", Profile(ProfileItem::Carrier, Required)),
            ("vehicle", Profile(ProfileItem::Vehicle, Optional)),
            (
                "sender_instructions",
                Profile(ProfileItem::SenderInstructions, Optional),
            ),
            ("established_in", Profile(ProfileItem::Place, Required)),
        ],
    };
    match kind {
        DocumentKind::CommercialOffer => &OFFER,
        DocumentKind::Invoice => &INVOICE,
        DocumentKind::PackingList => &PACKING_LIST,
        DocumentKind::Act => &ACT,
        DocumentKind::Specification => &SPECIFICATION,
        DocumentKind::Cmr => &CMR,
        DocumentKind::Waybill => &WAYBILL,
    }
}

fn missing(field: &str, kind: DocumentKind) -> Error {
    Error::MissingRecordField {
        field: field.to_owned(),
        document: kind.code().to_owned(),
    }
}

/// A record field's value when it is filled.
fn filled<'r>(record: &'r Record, field: &str) -> Option<&'r Value> {
    record.fields.get(field).filter(|v| match v {
        Value::Null => false,
        Value::String(s) => !s.trim().is_empty(),
        Value::Array(a) => !a.is_empty(),
        _ => true,
    })
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn joined(v: &Value, keys: &[&str], sep: &str) -> String {
    keys.iter()
        .filter_map(|k| v.get(*k).map(text))
        .filter(|s| !s.trim().is_empty())
        .collect::<Vec<_>>()
        .join(sep)
}

/// An address value as one line, without the country: `195273, Санкт-Петербург, …`.
fn address_line(v: &Value) -> String {
    match v {
        Value::Object(_) => joined(v, &["postal_code", "region", "city", "street"], ", "),
        other => text(other),
    }
}

/// A person's name value as one line: `Смирнов Алексей Петрович`.
fn person(v: &Value) -> String {
    match v {
        Value::Object(_) => joined(v, &["last", "first", "middle"], " "),
        other => text(other),
    }
}

fn decimal(v: Option<&Value>) -> Option<Decimal> {
    match v? {
        Value::String(s) => Decimal::from_str(s).ok(),
        Value::Number(n) => Decimal::from_str(&n.to_string()).ok(),
        _ => None,
    }
}

fn profile_value(company: &CompanyProfile, item: ProfileItem) -> Result<Option<Value>, Error> {
    let opt = |s: &Option<Text>| s.as_ref().map(|s| json!(s));
    let shipping = company.shipping.as_ref();
    Ok(match item {
        ProfileItem::Place => opt(&company.place),
        ProfileItem::DeliveryTerms => opt(&company.delivery_terms),
        ProfileItem::LeadTime => opt(&company.lead_time),
        ProfileItem::OfferIntro => opt(&company.offer_intro),
        ProfileItem::TakingOverPlace => shipping.map(|s| json!(s.taking_over_place)),
        ProfileItem::Carrier => match shipping {
            Some(s) => Some(
                serde_json::to_value(&s.carrier)
                    .map_err(|e| Error::data("company.shipping.carrier", e.to_string()))?,
            ),
            None => None,
        },
        ProfileItem::Vehicle => shipping.and_then(|s| opt(&s.vehicle)),
        ProfileItem::SenderInstructions => shipping.and_then(|s| opt(&s.sender_instructions)),
    })
}

fn profile_path(item: ProfileItem) -> &'static str {
    match item {
        ProfileItem::Place => "company.place",
        ProfileItem::DeliveryTerms => "company.delivery_terms",
        ProfileItem::LeadTime => "company.lead_time",
        ProfileItem::OfferIntro => "company.offer_intro",
        ProfileItem::TakingOverPlace => "company.shipping.taking_over_place",
        ProfileItem::Carrier => "company.shipping.carrier",
        ProfileItem::Vehicle => "company.shipping.vehicle",
        ProfileItem::SenderInstructions => "company.shipping.sender_instructions",
    }
}

/// The buyer from the deal: company name, delivery address, the client's contacts.
fn buyer(record: &Record, kind: DocumentKind) -> Result<Value, Error> {
    let name = filled(record, "company_name").ok_or_else(|| missing("company_name", kind))?;
    let address =
        filled(record, "delivery_address").ok_or_else(|| missing("delivery_address", kind))?;
    // The legal address when the deal has one, else where the goods go.
    let legal = filled(record, "company_legal_address").unwrap_or(address);
    let mut party = Map::new();
    party.insert("name".into(), json!(text(name)));
    party.insert("address".into(), json!(address_line(legal)));
    if let Some(country) = legal.get("country").map(text).filter(|c| !c.is_empty()) {
        party.insert("country".into(), json!(country));
    }
    for (key, field) in [
        ("inn", "company_inn"),
        ("kpp", "company_kpp"),
        ("ogrn", "company_ogrn"),
    ] {
        if let Some(v) = filled(record, field) {
            party.insert(key.into(), json!(text(v)));
        }
    }
    if let (Some(bank), Some(account)) = (
        filled(record, "company_bank_name"),
        filled(record, "company_account"),
    ) {
        let mut b = Map::new();
        b.insert("bank_name".into(), json!(text(bank)));
        b.insert("account".into(), json!(text(account)));
        if let Some(v) = filled(record, "company_bik") {
            b.insert("bic".into(), json!(text(v)));
        }
        if let Some(v) = filled(record, "company_correspondent_account") {
            b.insert("correspondent_account".into(), json!(text(v)));
        }
        party.insert("bank".into(), Value::Object(b));
    }
    if let Some(email) = filled(record, "client_email") {
        party.insert("email".into(), json!(text(email)));
    }
    if let Some(phone) = filled(record, "client_phone") {
        party.insert("phone".into(), json!(text(phone)));
    }
    if let Some(client) = filled(record, "client_name") {
        party.insert(
            "signatory".into(),
            json!({
                "name": person(client),
                "position": filled(record, "client_position")
                    .map_or_else(|| json!({ "ru": "Представитель покупателя", "en": "Buyer's representative" }), |p| json!(text(p))),
                "basis": filled(record, "client_basis").map(text),
            }),
        );
    }
    Ok(Value::Object(party))
}

/// The line items of the first filled field of the mapping's `items`, in the documents'
/// format.
fn items(record: &Record, m: &Mapping, packing: Option<&Packing>) -> Result<Vec<Value>, Error> {
    let (field, list) = m
        .items
        .iter()
        .find_map(|f| filled(record, f).map(|v| (*f, v)))
        .ok_or_else(|| missing(m.items[0], m.kind))?;
    let Value::Array(list) = list else {
        return Err(Error::data(field, "is not a list of line items"));
    };
    let mut out = Vec::with_capacity(list.len());
    for (i, item) in list.iter().enumerate() {
        let at = |key: &str| format!("{field}[{i}].{key}");
        let mut line = Map::new();
        for (to, from) in [
            ("name", "name"),
            ("quantity", "quantity"),
            ("unit", "unit"),
            ("price", "price"),
            ("vat_rate", "vat_rate"),
            ("code", "sku"),
            ("name_en", "name_en"),
            ("unit_en", "unit_en"),
            ("hs_code", "hs_code"),
        ] {
            let optional = matches!(from, "sku" | "vat_rate" | "name_en" | "unit_en" | "hs_code");
            match item.get(from) {
                Some(v) if !v.is_null() => {
                    line.insert(to.into(), v.clone());
                }
                _ if optional => {}
                _ => return Err(missing(&at(from), m.kind)),
            }
        }
        let quantity = decimal(item.get("quantity"))
            .ok_or_else(|| Error::data(at("quantity"), "is not a number"))?;
        let weight = decimal(item.get("weight"));
        if let Some(w) = weight {
            line.insert(
                "net_weight_kg".into(),
                json!((w * quantity).normalize().to_string()),
            );
        }
        if m.shipping {
            let net = weight
                .map(|w| w * quantity)
                .ok_or_else(|| missing(&at("weight"), m.kind))?;
            let packing = packing.ok_or_else(|| {
                Error::data(
                    "company.shipping",
                    "is required for the CMR and the packing list",
                )
            })?;
            if packing.max_net_kg <= Decimal::ZERO {
                return Err(Error::data(
                    "company.shipping.packing.max_net_kg",
                    "must be positive",
                ));
            }
            let packages = (net / packing.max_net_kg).ceil().max(Decimal::ONE);
            let count = packages
                .to_u32()
                .ok_or_else(|| Error::data(at("quantity"), "needs too many packages"))?;
            let gross = net + packages * packing.tare_kg;
            line.insert("packages".into(), json!(count));
            line.insert(
                "gross_weight_kg".into(),
                json!(gross.normalize().to_string()),
            );
            line.insert("package_type".into(), json!(packing.package_type));
        }
        out.push(Value::Object(line));
    }
    Ok(out)
}

/// Builds the document's JSON data from the record by the mapping.
fn document_data(
    m: &Mapping,
    record: &Record,
    company: &CompanyProfile,
    number: &str,
    date: NaiveDate,
) -> Result<Value, Error> {
    let kind = m.kind;
    let mut d = Map::new();
    d.insert("number".into(), json!(number));
    d.insert("date".into(), json!(date.format("%Y-%m-%d").to_string()));
    let seller = serde_json::to_value(&company.seller)
        .map_err(|e| Error::data("company.seller", e.to_string()))?;
    d.insert(m.parties.0.into(), seller);
    d.insert(m.parties.1.into(), buyer(record, kind)?);
    let packing = company.shipping.as_ref().map(|s| &s.packing);
    d.insert("items".into(), Value::Array(items(record, m, packing)?));
    if m.currency != Need::No {
        let currency = match filled(record, "cost").and_then(|c| c.get("currency")) {
            Some(c) => c.clone(),
            None if m.currency == Need::Required => return Err(missing("cost", kind)),
            None => json!(company.currency.unwrap_or_default().iso()),
        };
        d.insert("currency".into(), currency);
    }
    if m.contract != Need::No {
        let number = filled(record, "contract_number");
        let date = filled(record, "contract_date");
        match (number, date) {
            (Some(n), Some(dt)) => {
                d.insert("contract".into(), json!({ "number": text(n), "date": dt }));
            }
            _ if m.contract == Need::Optional => {}
            (None, _) => return Err(missing("contract_number", kind)),
            (Some(_), None) => return Err(missing("contract_date", kind)),
        }
    }
    for (key, source) in m.values {
        let value = match *source {
            Source::Field(f, need) => {
                let v = filled(record, f).cloned();
                if v.is_none() && need == Need::Required {
                    return Err(missing(f, kind));
                }
                v
            }
            Source::Address(f, need) | Source::Place(f, need) => {
                let v = filled(record, f);
                if v.is_none() && need == Need::Required {
                    return Err(missing(f, kind));
                }
                v.map(|v| match source {
                    Source::Place(..) => json!(
                        [
                            address_line(v),
                            v.get("country").map(text).unwrap_or_default()
                        ]
                        .into_iter()
                        .filter(|s| !s.trim().is_empty())
                        .collect::<Vec<_>>()
                        .join(", ")
                    ),
                    _ => json!(address_line(v)),
                })
            }
            Source::Profile(item, need) => {
                let v = profile_value(company, item)?;
                if v.is_none() && need == Need::Required {
                    return Err(Error::data(
                        profile_path(item),
                        format!("is required by the {}", kind.code()),
                    ));
                }
                v
            }
            Source::Today => Some(json!(date.format("%Y-%m-%d").to_string())),
            Source::Text(t) => Some(json!(t)),
        };
        if let Some(v) = value {
            d.insert((*key).into(), v);
        }
    }
    Ok(Value::Object(d))
}
