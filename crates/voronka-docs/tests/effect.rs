//! Executing the core's render-document effects: a deal of the eco-packaging model, built
//! through real commands, renders its commercial offer (D2) and its shipping set (D10).

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use serde_json::{Value, json};
use voronka::record::DocumentRequest;
use voronka::{Action, Actor, Command, Effect, Model, Record};
use voronka_docs::{CompanyProfile, Document, DocumentKind, Error, execute_render};

const COMPANY: &str = include_str!("../../../examples/eco-packaging/company.json");

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 9, 0, 0)
        .single()
        .expect("valid time")
}

fn fields(v: Value) -> BTreeMap<String, Value> {
    match v {
        Value::Object(m) => m.into_iter().collect(),
        _ => BTreeMap::new(),
    }
}

/// A deal and the render requests its automations asked for.
struct Deal {
    model: Model,
    record: Option<Record>,
    clock: DateTime<Utc>,
    requests: Vec<DocumentRequest>,
}

impl Deal {
    fn new() -> Deal {
        Deal {
            model: voronka::examples::eco_packaging().expect("the model compiles"),
            record: None,
            clock: start(),
            requests: Vec::new(),
        }
    }

    fn apply(&mut self, who: Actor, action: Action) {
        self.clock += TimeDelta::hours(1);
        let command = Command {
            actor: who,
            now: self.clock,
            expected_version: None,
            idempotency_key: None,
            org: None,
            action,
        };
        let outcome = self
            .model
            .apply(self.record.as_ref(), &command)
            .unwrap_or_else(|r| {
                panic!(
                    "{:?} rejected: {}",
                    command.action,
                    r.message(voronka::Lang::En)
                )
            });
        for effect in &outcome.effects {
            if let Effect::RenderDocument { document, .. } = effect {
                self.requests.push(document.clone());
            }
        }
        self.record = Some(outcome.record);
    }

    fn to(&mut self, who: Actor, stage: &str, values: Value) {
        self.apply(
            who,
            Action::Move {
                to: stage.into(),
                fields: fields(values),
                override_reason: None,
            },
        );
    }

    fn open_task(&self, code: &str) -> String {
        self.record()
            .open_tasks()
            .find(|t| t.code == code)
            .map(|t| t.id.clone())
            .unwrap_or_else(|| panic!("no open task {code}"))
    }

    fn record(&self) -> &Record {
        self.record.as_ref().expect("the deal exists")
    }
}

fn manager() -> Actor {
    Actor::new("u-anna", &["manager"])
}

fn head() -> Actor {
    Actor::new("u-oleg", &["head"])
}

/// D1 → D2: the offer fields filled through the D2 task, which asks for the offer.
fn deal_with_offer() -> Deal {
    let mut deal = Deal::new();
    deal.apply(
        manager(),
        Action::Create {
            id: "deal-7".into(),
            pipeline: "deals".into(),
            stage: None,
            responsible: Some("u-anna".into()),
            fields: fields(json!({
                "client_name": { "last": "Смирнов", "first": "Алексей", "middle": "Петрович" },
                "client_email": "a.smirnov@sevpekarnya.example",
                "client_phone": "+7 921 555-34-12",
                "company_name": "ООО «Северная пекарня»",
            })),
        },
    );
    deal.to(
        manager(),
        "offer",
        json!({
            "company_type": "manufacturer",
            "website": "https://sevpekarnya.example",
            "delivery_address": {
                "country": "Россия",
                "city": "Санкт-Петербург",
                "street": "Пискарёвский пр-т, д. 150, склад 3",
                "postal_code": "195273",
            },
        }),
    );
    let task = deal.open_task("offer_fields");
    deal.apply(
        manager(),
        Action::CompleteTask {
            task,
            answers: fields(json!({
                "offer_items": [
                    { "name": "Крафт-пакет с окном 250×80×320 мм", "quantity": "20000", "unit": "шт.", "price": "9.40", "vat_rate": "20", "weight": "0.012" },
                    { "name": "Бумажный стакан 300 мл", "quantity": "10000", "unit": "шт.", "price": "6.15", "vat_rate": "20", "weight": "0.009", "sku": "EP-CUP-300" },
                ],
                "offer_valid_until": "2026-12-31",
                "payment_terms": "50 % предоплата, 50 % перед отгрузкой",
            })),
        },
    );
    deal
}

/// On to D10 by moves (the automations of the stages between are cancelled as it leaves).
fn deal_shipped() -> Deal {
    let mut deal = deal_with_offer();
    deal.to(manager(), "negotiation", json!({}));
    deal.to(
        manager(),
        "samples_prep",
        json!({ "sample_dimensions": "250×80×320", "fastening_type": "glue", "sample_quantity": 50, "sample_material": "kraft" }),
    );
    deal.to(manager(), "samples_sent", json!({}));
    deal.to(manager(), "feedback", json!({}));
    deal.to(
        manager(),
        "contract",
        json!({ "contract_number": "СП-2027/014", "contract_date": "2026-12-20" }),
    );
    deal.to(
        head(),
        "prepayment",
        json!({ "packaging_type": "bag", "cost": { "amount": "251700", "currency": "RUB" }, "prepayment_percent": "50" }),
    );
    deal.to(
        manager(),
        "production",
        json!({ "order_items": [
            { "name": "Крафт-пакет с окном 250×80×320 мм, печать логотипа", "quantity": "20000", "unit": "шт.", "price": "9.90", "vat_rate": "20", "weight": "0.012" },
            { "name": "Бумажный стакан 300 мл", "quantity": "10000", "unit": "шт.", "price": "5.25", "vat_rate": "20", "weight": "0.009" },
        ] }),
    );
    deal.to(manager(), "shipment", json!({}));
    deal
}

fn company() -> CompanyProfile {
    CompanyProfile::from_json(COMPANY).expect("the company profile parses")
}

#[test]
fn each_of_the_six_documents_renders_from_a_deal() {
    let deal = deal_shipped();
    let kinds: Vec<&str> = deal.requests.iter().map(|r| r.document.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "commercial_offer",
            "cmr",
            "invoice",
            "packing_list",
            "act",
            "specification"
        ]
    );
    let company = company();
    let now = deal.clock;
    for (seq, request) in (1..).zip(&deal.requests) {
        let done = execute_render(request, deal.record(), &company, seq, now)
            .unwrap_or_else(|e| panic!("{}: {e}", request.document));
        assert!(done.pdf.starts_with(b"%PDF-"), "{}", request.document);
        assert!(
            done.number.ends_with(&format!("-{seq:05}"))
                || done.number.ends_with(&format!("-{seq:04}")),
            "{}",
            done.number
        );
        // The deal delivers inside Russia: its consignment note is the транспортная
        // накладная, numbered TN- instead of CMR-.
        if request.template == "cmr" {
            assert_eq!(done.kind, DocumentKind::Waybill);
            assert!(done.number.starts_with("TN-"), "{}", done.number);
        } else {
            assert_eq!(done.kind.code(), request.template);
        }
        let rendered = voronka_docs::render(
            &done.document,
            &voronka_docs::RenderOptions::new(now)
                .with_language(voronka_docs::effect::language(request.lang)),
        )
        .expect("renders again");
        let text = rendered.text();
        let seller = if request.lang == voronka::automation::DocumentLang::En {
            "EkoUpakovka LLC"
        } else {
            "ЭкоУпаковка"
        };
        assert!(text.contains(seller), "{}: {text}", request.document);
        assert!(
            text.contains("Северная пекарня"),
            "{}: {text}",
            request.document
        );
    }
}

#[test]
fn the_mapping_fills_buyer_items_currency_and_contract() {
    let deal = deal_shipped();
    let company = company();
    let find = |code: &str| {
        deal.requests
            .iter()
            .find(|r| r.document == code)
            .expect("requested")
    };
    let doc =
        voronka_docs::document_for_request(find("invoice"), deal.record(), &company, 1, deal.clock)
            .expect("maps");
    let Document::Invoice(invoice) = doc else {
        panic!("not an invoice")
    };
    assert_eq!(invoice.number, "INV-2026-00001");
    assert_eq!(invoice.buyer.name, "ООО «Северная пекарня»");
    assert_eq!(
        invoice.buyer.address,
        "195273, Санкт-Петербург, Пискарёвский пр-т, д. 150, склад 3"
    );
    assert_eq!(
        invoice.buyer.email.as_deref(),
        Some("a.smirnov@sevpekarnya.example")
    );
    assert_eq!(invoice.seller, company.seller);
    assert_eq!(invoice.items.len(), 2);
    assert_eq!(invoice.items[0].price.to_string(), "9.90");
    assert_eq!(
        invoice.contract.as_ref().map(|c| c.number.as_str()),
        Some("СП-2027/014")
    );
    assert_eq!(invoice.currency.iso(), "RUB");
    let doc = voronka_docs::document_for_request(
        find("packing_list"),
        deal.record(),
        &company,
        3,
        deal.clock,
    )
    .expect("maps");
    let Document::PackingList(list) = doc else {
        panic!("not a packing list")
    };
    // 20 000 × 0.012 kg = 240 kg: one pallet of at most 250 kg, 25 kg tare.
    assert_eq!(
        list.items[0]
            .net_weight_kg
            .map(|d| d.to_string())
            .as_deref(),
        Some("240")
    );
    assert_eq!(list.items[0].packages, Some(1));
    assert_eq!(
        list.items[0]
            .gross_weight_kg
            .map(|d| d.to_string())
            .as_deref(),
        Some("265")
    );
    let offer = voronka_docs::document_for_request(
        &deal.requests[0],
        deal.record(),
        &company,
        7,
        deal.clock,
    )
    .expect("maps");
    let Document::CommercialOffer(offer) = offer else {
        panic!("not an offer")
    };
    assert_eq!(offer.number, "CO-2026-0007");
    assert_eq!(offer.items[0].price.to_string(), "9.40");
    assert_eq!(
        offer.valid_until.map(|d| d.to_string()).as_deref(),
        Some("2026-12-31")
    );
}

#[test]
fn a_missing_record_field_gives_the_coded_error_naming_it() {
    let deal = deal_with_offer();
    let company = company();
    let offer = &deal.requests[0];
    let mut record = deal.record().clone();
    record.fields.remove("company_name");
    let e = execute_render(offer, &record, &company, 1, deal.clock).expect_err("no buyer");
    assert_eq!(e.code(), 5008);
    assert_eq!(e.name(), "missing_record_field");
    assert!(
        matches!(&e, Error::MissingRecordField { field, document } if field == "company_name" && document == "commercial_offer"),
        "{e}"
    );

    // The act refers to a contract: a deal without one cannot have an act.
    let act = DocumentRequest {
        document: "act".into(),
        template: "act".into(),
        number_format: "ACT-{year}-{seq:05}".into(),
        lang: voronka::automation::DocumentLang::Both,
        record: record.id.clone(),
    };
    let mut record = deal.record().clone();
    record.fields.insert(
        "cost".into(),
        json!({ "amount": "1000.00", "currency": "RUB" }),
    );
    let e = execute_render(&act, &record, &company, 1, deal.clock).expect_err("no contract");
    assert!(
        matches!(&e, Error::MissingRecordField { field, .. } if field == "contract_number"),
        "{e}"
    );

    // A shipping document needs each line's weight.
    let cmr = DocumentRequest {
        document: "cmr".into(),
        template: "cmr".into(),
        number_format: "CMR-{year}-{seq:05}".into(),
        lang: voronka::automation::DocumentLang::Both,
        record: record.id.clone(),
    };
    let mut items = record.fields["offer_items"].clone();
    if let Some(line) = items.get_mut(1).and_then(Value::as_object_mut) {
        line.remove("weight");
    }
    record.fields.insert("offer_items".into(), items);
    let e = execute_render(&cmr, &record, &company, 1, deal.clock).expect_err("no weight");
    assert!(
        matches!(&e, Error::MissingRecordField { field, .. } if field == "offer_items[1].weight"),
        "{e}"
    );
}

#[test]
fn a_request_for_another_record_or_template_is_refused() {
    let deal = deal_with_offer();
    let company = company();
    let mut request = deal.requests[0].clone();
    request.record = "deal-8".into();
    let e =
        execute_render(&request, deal.record(), &company, 1, deal.clock).expect_err("wrong record");
    assert_eq!(e.code(), 5003);
    let mut request = deal.requests[0].clone();
    request.template = "letter".into();
    let e = execute_render(&request, deal.record(), &company, 1, deal.clock).expect_err("unknown");
    assert_eq!(e.code(), 5001);
    assert!(DocumentKind::from_code("invoice").is_ok());
}

/// The shipping set of the deal: the invoice gives a due date and deducts the deal's
/// prepayment, the specification states it, the consignment note lists the documents
/// issued with it, and a delivery abroad gets the CMR with box 14 from the Incoterms.
#[test]
fn the_shipping_set_follows_the_deal() {
    let deal = deal_shipped();
    let company = company();
    let request = |code: &str| {
        deal.requests
            .iter()
            .find(|r| r.document == code)
            .expect("requested")
            .clone()
    };
    let Document::Invoice(invoice) = voronka_docs::document_for_request(
        &request("invoice"),
        deal.record(),
        &company,
        1,
        deal.clock,
    )
    .expect("maps") else {
        panic!("not an invoice")
    };
    // No payment_due_date yet (it is filled at D11): the profile's 10 days.
    assert_eq!(
        (
            invoice.date.to_string(),
            invoice.due_date.map(|d| d.to_string())
        ),
        ("2026-11-30".to_owned(), Some("2026-12-10".to_owned()))
    );
    assert_eq!(
        invoice.prepayment_percent.map(|p| p.to_string()).as_deref(),
        Some("50")
    );
    let data = Document::Invoice(invoice)
        .prepare(voronka_docs::Language::Ru)
        .expect("prepare");
    // 20 000 × 9.90 + 10 000 × 5.25 = 250 500 + 20 % = 300 600; half of it is paid.
    assert_eq!(data["totals"]["total"], "300\u{a0}600,00");
    assert_eq!(data["totals"]["prepayment"], "150\u{a0}300,00");
    assert_eq!(data["totals"]["due"], "150\u{a0}300,00");

    let Document::Specification(spec) = voronka_docs::document_for_request(
        &request("specification"),
        deal.record(),
        &company,
        1,
        deal.clock,
    )
    .expect("maps") else {
        panic!("not a specification")
    };
    assert_eq!(
        spec.prepayment_percent.map(|p| p.to_string()).as_deref(),
        Some("50")
    );
    assert_eq!(spec.date.to_string(), "2026-12-20", "the contract's date");
    assert_eq!(spec.place.as_ref().map(|p| p.ru()), Some("Королёв"));
    let text = voronka_docs::render(
        &Document::Specification(spec),
        &voronka_docs::RenderOptions::new(deal.clock),
    )
    .expect("renders")
    .text();
    assert!(text.contains("к договору поставки №"), "{text}");
    assert!(text.contains("СП-2027/014"), "{text}");
    assert!(text.contains("20\u{a0}декабря\u{a0}2026\u{a0}г."), "{text}");

    let note =
        voronka_docs::document_for_request(&request("cmr"), deal.record(), &company, 2, deal.clock)
            .expect("maps");
    let Document::Waybill(waybill) = note else {
        panic!(
            "a delivery inside Russia gets the waybill, not {:?}",
            note.kind()
        )
    };
    assert_eq!(waybill.number, "TN-2026-00002");
    assert_eq!(
        waybill.incoterms.as_deref(),
        Some("FCA Korolev (Incoterms® 2020)")
    );
    let listed: Vec<&str> = waybill.documents_attached.iter().map(|t| t.ru()).collect();
    assert_eq!(
        listed,
        [
            "Счёт на оплату к договору № СП-2027/014",
            "Упаковочный лист к договору № СП-2027/014",
            "Спецификация к договору № СП-2027/014"
        ]
    );
    assert!(
        waybill.place_of_delivery.ru().ends_with("склад 3, Россия"),
        "{:?}",
        waybill.place_of_delivery
    );

    // The same deal delivered to Hamburg: the CMR, carriage forward under FCA.
    let mut record = deal.record().clone();
    record.fields.insert(
        "delivery_address".into(),
        json!({ "country": "Германия", "city": "Hamburg", "street": "Hafenstraße 25", "postal_code": "20457" }),
    );
    let note =
        voronka_docs::document_for_request(&request("cmr"), &record, &company, 3, deal.clock)
            .expect("maps");
    assert_eq!(note.kind(), DocumentKind::Cmr);
    let data = note.prepare(voronka_docs::Language::En).expect("prepare");
    assert_eq!(data["payment"], "forward");
    assert_eq!(data["number"], "CMR-2026-00003");
}
