//! Typed input data for the bundled documents.
//!
//! Every struct deserialises from JSON with serde. Amounts, quantities, rates
//! and weights are [`Decimal`]s and may be written in JSON either as strings
//! (`"1234.50"`, exact) or as numbers (`1234.5`, read through their shortest
//! decimal representation, never through binary floating point arithmetic).
//! Optional fields may be omitted or `null`. Names, addresses and free texts
//! are [`Text`]s: a string, or `{"ru": …, "en": …}` for data entered in both
//! languages.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

pub use crate::text::Text;

/// The language of a rendered document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Language {
    /// Russian only.
    #[default]
    Ru,
    /// English only.
    En,
    /// Both: labels in two lines (Russian over English), texts side by side.
    Both,
}

impl Language {
    /// The code used in data and in templates: `ru`, `en` or `both`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Ru => "ru",
            Self::En => "en",
            Self::Both => "both",
        }
    }
}

/// A currency the documents can write amounts in (and in words).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
#[non_exhaustive]
pub enum Currency {
    /// Russian rouble, `RUB`.
    #[default]
    Rub,
    /// Euro, `EUR`.
    Eur,
    /// US dollar, `USD`.
    Usd,
    /// Chinese yuan renminbi, `CNY`.
    Cny,
}

impl Currency {
    /// The ISO 4217 code, e.g. `RUB`.
    pub fn iso(self) -> &'static str {
        match self {
            Self::Rub => "RUB",
            Self::Eur => "EUR",
            Self::Usd => "USD",
            Self::Cny => "CNY",
        }
    }

    /// The short Russian name used in table headers, e.g. `руб.`.
    pub fn short_ru(self) -> &'static str {
        match self {
            Self::Rub => "руб.",
            Self::Eur => "евро",
            Self::Usd => "долл. США",
            Self::Cny => "юаней",
        }
    }
}

/// Bank details of a party.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BankDetails {
    /// Name of the bank, e.g. `{"ru": "ПАО Сбербанк", "en": "Sberbank PJSC"}`.
    pub bank_name: Text,
    /// Settlement account (р/с, 20 digits) or IBAN.
    pub account: String,
    /// БИК of a Russian bank: 9 digits, nothing else (a SWIFT code goes to
    /// [`swift`](Self::swift)).
    #[serde(default)]
    pub bic: Option<String>,
    /// SWIFT/BIC code, printed on English and export documents only.
    #[serde(default)]
    pub swift: Option<String>,
    /// Correspondent account (к/с), for Russian banks.
    #[serde(default)]
    pub correspondent_account: Option<String>,
    /// Address of the bank, mostly for foreign banks.
    #[serde(default)]
    pub bank_address: Option<Text>,
}

/// The person who signs for a party.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signatory {
    /// Full name or surname with initials, e.g. `Иванов И. И.` or
    /// `{"ru": "Иванов И. И.", "en": "I. I. Ivanov"}`.
    pub name: Text,
    /// Position, e.g. `Генеральный директор`.
    pub position: Text,
    /// Position in English, e.g. `General Director`, used by English text
    /// when `position` has no English form.
    #[serde(default)]
    pub position_en: Option<String>,
    /// The basis of the signatory's authority, in the genitive after
    /// «действующий на основании»: `{"ru": "Устава", "en": "the Charter"}`
    /// or `доверенности № 12 от 01.02.2026`.
    #[serde(default)]
    pub basis: Option<Text>,
}

/// A seller, buyer, carrier or any other party to a document.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Party {
    /// Legal name, e.g. `ООО «ЭкоПак»` or
    /// `{"ru": "ООО «ЭкоПак»", "en": "EkoPak LLC"}`.
    pub name: Text,
    /// Legal address (for a consignee of a shipping document: where the
    /// goods go).
    pub address: Text,
    /// Country, e.g. `Россия` or `{"ru": "Германия", "en": "Germany"}`.
    /// Without one a party is taken to be in Russia.
    #[serde(default)]
    pub country: Option<Text>,
    /// Russian taxpayer number (ИНН).
    #[serde(default)]
    pub inn: Option<String>,
    /// Russian tax registration reason code (КПП).
    #[serde(default)]
    pub kpp: Option<String>,
    /// Russian state registration number (ОГРН).
    #[serde(default)]
    pub ogrn: Option<String>,
    /// VAT identification number of a foreign company.
    #[serde(default)]
    pub vat_id: Option<String>,
    /// Bank details.
    #[serde(default)]
    pub bank: Option<BankDetails>,
    /// Phone number.
    #[serde(default)]
    pub phone: Option<String>,
    /// E-mail address.
    #[serde(default)]
    pub email: Option<String>,
    /// Who signs for this party.
    #[serde(default)]
    pub signatory: Option<Signatory>,
    /// The chief accountant's name, signing invoices beside the head.
    #[serde(default)]
    pub chief_accountant: Option<Text>,
}

/// A reference to the contract a document belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContractRef {
    /// Contract number.
    pub number: String,
    /// Date the contract was signed.
    pub date: NaiveDate,
}

/// One line of goods or services.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LineItem {
    /// Name of the goods or service.
    pub name: String,
    /// English name, shown by English and bilingual documents when given.
    #[serde(default)]
    pub name_en: Option<String>,
    /// Article or SKU.
    #[serde(default)]
    pub code: Option<String>,
    /// Customs commodity code (HS / ТН ВЭД), the CMR's "statistical number".
    #[serde(default)]
    pub hs_code: Option<String>,
    /// Quantity, must be positive.
    #[serde(with = "crate::decimal_serde")]
    pub quantity: Decimal,
    /// Unit of measure, e.g. `шт.`.
    pub unit: String,
    /// Unit of measure in English, e.g. `pcs`.
    #[serde(default)]
    pub unit_en: Option<String>,
    /// Price per unit, not negative. Excludes VAT unless the document says
    /// `vat_included`.
    #[serde(with = "crate::decimal_serde")]
    pub price: Decimal,
    /// VAT rate in percent, e.g. `20`; absent or `null` for goods without VAT.
    #[serde(default, with = "crate::decimal_serde::option")]
    pub vat_rate: Option<Decimal>,
    /// Net weight of the whole line in kg.
    #[serde(default, with = "crate::decimal_serde::option")]
    pub net_weight_kg: Option<Decimal>,
    /// Gross weight of the whole line in kg (required by the CMR and the
    /// packing list).
    #[serde(default, with = "crate::decimal_serde::option")]
    pub gross_weight_kg: Option<Decimal>,
    /// Volume of the whole line in cubic metres.
    #[serde(default, with = "crate::decimal_serde::option")]
    pub volume_m3: Option<Decimal>,
    /// Number of packages (required by the CMR and the packing list).
    #[serde(default)]
    pub packages: Option<u32>,
    /// Method of packing, e.g. `{"ru": "EUR-паллета", "en": "EUR pallet"}`.
    #[serde(default)]
    pub package_type: Option<Text>,
    /// Marks and numbers on the packages.
    #[serde(default)]
    pub marks: Option<String>,
}

/// The fields every commercial document has (numbering, parties, goods),
/// borrowed from one of the document structs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Commercial<'a> {
    /// Document number.
    pub number: &'a str,
    /// Document date.
    pub date: NaiveDate,
    /// Currency of all prices.
    pub currency: Currency,
    /// Seller, supplier or executor.
    pub seller: &'a Party,
    /// Buyer, customer or consignee.
    pub buyer: &'a Party,
    /// The contract, when there is one.
    pub contract: Option<&'a ContractRef>,
    /// Goods or services.
    pub items: &'a [LineItem],
    /// Whether prices already include VAT.
    pub vat_included: bool,
    /// Free text printed under the totals.
    pub notes: Option<&'a Text>,
}

macro_rules! commercial_document {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            contract: $contract_ty:ty, $contract_doc:literal;
            $(
                $(#[$fmeta:meta])*
                pub $field:ident : $ty:ty,
            )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            /// Document number, see
            /// [`format_document_number`](crate::format_document_number).
            pub number: String,
            /// Document date.
            pub date: NaiveDate,
            /// Currency of all prices (default `RUB`).
            #[serde(default)]
            pub currency: Currency,
            /// Seller, supplier or executor.
            pub seller: Party,
            /// Buyer, customer or consignee.
            pub buyer: Party,
            #[doc = $contract_doc]
            #[serde(default)]
            pub contract: $contract_ty,
            /// Goods or services, at least one.
            pub items: Vec<LineItem>,
            /// Whether prices already include VAT (VAT is then extracted, not
            /// added on top).
            #[serde(default)]
            pub vat_included: bool,
            /// Free text printed under the totals.
            #[serde(default)]
            pub notes: Option<Text>,
            $(
                $(#[$fmeta])*
                #[serde(default)]
                pub $field: $ty,
            )*
        }

        impl $name {
            /// The fields shared by all commercial documents.
            pub fn commercial(&self) -> Commercial<'_> {
                Commercial {
                    number: &self.number,
                    date: self.date,
                    currency: self.currency,
                    seller: &self.seller,
                    buyer: &self.buyer,
                    contract: self.contract.as_ref(),
                    items: &self.items,
                    vat_included: self.vat_included,
                    notes: self.notes.as_ref(),
                }
            }
        }
    };
}

commercial_document! {
    /// Commercial offer (коммерческое предложение), sent at deal stage D2.
    pub struct CommercialOffer {
        contract: Option<ContractRef>, "The contract, when there is one.";
        /// The offer is valid until this date.
        pub valid_until: Option<NaiveDate>,
        /// Opening paragraph addressed to the client.
        pub intro: Option<Text>,
        /// Payment terms, e.g. `50% prepayment, 50% before shipment`.
        pub payment_terms: Option<Text>,
        /// Delivery terms, e.g. `FCA Moscow (Incoterms 2020)`.
        pub delivery_terms: Option<Text>,
        /// Production and delivery lead time, e.g. `15 working days`.
        pub lead_time: Option<Text>,
    }
}

commercial_document! {
    /// Invoice for payment (счёт на оплату).
    pub struct Invoice {
        contract: Option<ContractRef>, "The contract, when there is one.";
        /// Pay by this date (not before the invoice's date).
        pub due_date: Option<NaiveDate>,
        /// Payment reference the payer should quote.
        pub payment_purpose: Option<Text>,
        /// Prepayment already received, deducted from the total: the invoice
        /// asks for the rest. At most the total.
        #[serde(with = "crate::decimal_serde::option")]
        pub prepayment: Option<Decimal>,
        /// Prepayment received as a percentage of the total, used when
        /// `prepayment` (the amount) is not given.
        #[serde(with = "crate::decimal_serde::option")]
        pub prepayment_percent: Option<Decimal>,
    }
}

commercial_document! {
    /// Packing list (упаковочный лист). The seller is the shipper, the buyer
    /// the consignee; every line needs `packages` and `gross_weight_kg`.
    pub struct PackingList {
        contract: Option<ContractRef>, "The contract, when there is one.";
        /// Number of the invoice this shipment belongs to.
        pub invoice_number: Option<String>,
        /// Delivery terms, e.g. `FCA Moscow (Incoterms 2020)`.
        pub delivery_terms: Option<Text>,
        /// Means of transport, e.g. a truck's registration number.
        pub transport: Option<Text>,
    }
}

/// What an act confirms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ActSubject {
    /// Goods handed over: акт приёма-передачи товара.
    #[default]
    Goods,
    /// Services rendered or work done: акт оказанных услуг (выполненных работ).
    Services,
}

commercial_document! {
    /// Act (акт приёма-передачи товара / акт оказанных услуг) under a contract.
    pub struct Act {
        contract: Option<ContractRef>, "The contract (required: the act refers to it).";
        /// Goods or services (default goods).
        pub subject: ActSubject,
        /// Where the act was drawn up (city).
        pub place: Option<Text>,
    }
}

commercial_document! {
    /// Specification (спецификация) to a contract.
    pub struct Specification {
        contract: Option<ContractRef>, "The contract (required: the specification is an annex to it, dated on or after it).";
        /// The annex's number in the contract (default: the specification's number).
        pub annex_number: Option<String>,
        /// Where the specification was drawn up (city).
        pub place: Option<Text>,
        /// Delivery terms, e.g. `FCA Moscow (Incoterms 2020)`.
        pub delivery_terms: Option<Text>,
        /// Delivery time, e.g. `within 20 days of prepayment`.
        pub delivery_time: Option<Text>,
        /// Delivery address.
        pub delivery_address: Option<Text>,
        /// Payment terms as agreed, e.g. `50 % prepayment, 50 % before shipment`.
        /// Without them the terms are written from `prepayment_percent`.
        pub payment_terms: Option<Text>,
        /// The agreed prepayment as a percentage of the total: the
        /// specification states its amount and the remainder.
        #[serde(with = "crate::decimal_serde::option")]
        pub prepayment_percent: Option<Decimal>,
    }
}

/// Who pays for the carriage (CMR box 14).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum CarriagePayment {
    /// Carriage paid by the sender (франко): Incoterms C and D rules.
    Paid,
    /// Carriage forward, paid by the consignee (нефранко): Incoterms E and F rules.
    Forward,
}

impl CarriagePayment {
    /// Who pays the main carriage under an Incoterms rule, read from the
    /// start of `terms` (`FCA Korolev (Incoterms 2020)` → forward): the
    /// buyer under EXW, FCA, FAS and FOB, the seller under CPT, CIP, CFR,
    /// CIF, DAP, DPU and DDP. `None` when `terms` names no rule.
    pub fn from_incoterms(terms: &str) -> Option<Self> {
        let rule: String = terms
            .trim_start()
            .chars()
            .take_while(char::is_ascii_alphabetic)
            .collect::<String>()
            .to_ascii_uppercase();
        match rule.as_str() {
            "EXW" | "FCA" | "FAS" | "FOB" => Some(Self::Forward),
            "CPT" | "CIP" | "CFR" | "CIF" | "DAP" | "DPU" | "DDP" | "DAT" => Some(Self::Paid),
            _ => None,
        }
    }
}

/// A consignment note: the international CMR ([`DocumentKind::Cmr`]) or the
/// Russian транспортная накладная ([`DocumentKind::Waybill`]), which carry
/// the same data. Which one a shipment needs follows from the route, see
/// [`shipment_note_kind`](crate::shipment_note_kind).
///
/// [`DocumentKind::Cmr`]: crate::DocumentKind::Cmr
/// [`DocumentKind::Waybill`]: crate::DocumentKind::Waybill
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cmr {
    /// Number of the consignment note.
    pub number: String,
    /// Date the note was made out (box 21).
    pub date: NaiveDate,
    /// Box 1: sender (грузоотправитель).
    pub sender: Party,
    /// Box 2: consignee (грузополучатель).
    pub consignee: Party,
    /// Box 3: place of delivery of the goods (address, country).
    pub place_of_delivery: Text,
    /// Box 4: place of taking over the goods (address, country).
    pub taking_over_place: Text,
    /// Box 4: date of taking over the goods.
    pub taking_over_date: NaiveDate,
    /// Box 5: documents attached (issued with the note), e.g. the invoice
    /// and the packing list with their numbers.
    #[serde(default)]
    pub documents_attached: Vec<Text>,
    /// Boxes 6–12: the goods; every line needs `packages` and `gross_weight_kg`.
    pub items: Vec<LineItem>,
    /// The contract of sale the goods are shipped under.
    #[serde(default)]
    pub contract: Option<ContractRef>,
    /// The agreed delivery terms, e.g. `FCA Korolev (Incoterms 2020)`:
    /// printed in box 14 and deciding who pays the carriage.
    #[serde(default)]
    pub incoterms: Option<String>,
    /// Box 13: sender's instructions (customs and other formalities).
    #[serde(default)]
    pub sender_instructions: Option<Text>,
    /// Box 14: who pays for the carriage. Without it, the Incoterms rule
    /// decides; with both, they must agree.
    #[serde(default)]
    pub payment: Option<CarriagePayment>,
    /// Box 15: cash on delivery.
    #[serde(default)]
    pub cash_on_delivery: Option<Text>,
    /// Box 16: carrier.
    pub carrier: Party,
    /// Box 16: registration numbers of the vehicle and trailer.
    #[serde(default)]
    pub vehicle: Option<Text>,
    /// Box 17: successive carriers.
    #[serde(default)]
    pub successive_carriers: Option<Text>,
    /// Box 18: carrier's reservations and observations.
    #[serde(default)]
    pub reservations: Option<Text>,
    /// Box 19: special agreements.
    #[serde(default)]
    pub special_agreements: Option<Text>,
    /// Box 20: carriage charges, free text (e.g. `EUR 1 200.00`).
    #[serde(default)]
    pub charges: Option<Text>,
    /// Box 21: place where the note was made out.
    pub established_in: Text,
}

/// Names of Russia a country may be given as (compared without case).
const RUSSIA: [&str; 8] = [
    "россия",
    "российская федерация",
    "рф",
    "russia",
    "russian federation",
    "ru",
    "rus",
    "643",
];

/// Whether a country is Russia; a party without a country is taken to be
/// in Russia.
pub(crate) fn is_russia(country: Option<&Text>) -> bool {
    country.is_none_or(|c| c.is_blank() || c.is_one_of(&RUSSIA))
}

/// Whether two parties' countries are the same (Russia when not given).
pub(crate) fn same_country(a: Option<&Text>, b: Option<&Text>) -> bool {
    match (a, b) {
        _ if is_russia(a) || is_russia(b) => is_russia(a) && is_russia(b),
        (Some(a), Some(b)) => {
            a.ru().to_lowercase() == b.ru().to_lowercase()
                || a.en().to_lowercase() == b.en().to_lowercase()
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn incoterms_decide_who_pays_the_carriage() {
        use CarriagePayment::{Forward, Paid};
        for (terms, want) in [
            ("FCA Korolev (Incoterms® 2020)", Some(Forward)),
            ("exw Korolev", Some(Forward)),
            ("FOB St Petersburg", Some(Forward)),
            ("CPT Hamburg", Some(Paid)),
            ("DAP Hamburg, Incoterms 2020", Some(Paid)),
            ("DDP", Some(Paid)),
            ("Доставка до склада покупателя", None),
            ("FCAX", None),
            ("", None),
        ] {
            assert_eq!(CarriagePayment::from_incoterms(terms), want, "{terms}");
        }
    }

    #[test]
    fn russia_is_recognised_in_its_spellings() {
        for c in [
            "Россия",
            "россия",
            " Russia ",
            "RU",
            "Российская Федерация",
            "РФ",
            "",
        ] {
            assert!(is_russia(Some(&Text::from(c))), "{c}");
        }
        assert!(is_russia(None));
        assert!(is_russia(Some(&Text::localized("Россия", "Russia"))));
        for c in ["Germany", "Беларусь", "Russland"] {
            assert!(!is_russia(Some(&Text::from(c))), "{c}");
        }
        let de = Text::localized("Германия", "Germany");
        assert!(same_country(Some(&de), Some(&Text::from("germany"))));
        assert!(!same_country(None, Some(&de)));
        assert!(same_country(None, Some(&Text::from("Russia"))));
    }
}
