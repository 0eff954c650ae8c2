//! Benchmarks of the core: compile the eco-packaging model, move a deal with validation,
//! set fields, compute requirements, and the JSON round trip a binding pays (directly and
//! through `voronka::api`).
//!
//! Run with `cargo bench -p voronka-benches`.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::sync::LazyLock;

use chrono::{DateTime, TimeDelta, Utc};
use divan::{Bencher, black_box};
use serde_json::{Value, json};
use voronka::{Action, Actor, Command, Definition, Effect, Model, Outcome, Record, decode_json};

fn main() {
    divan::main();
}

static MODEL: LazyLock<Model> =
    LazyLock::new(|| Model::from_json(voronka::examples::ECO_PACKAGING).unwrap());

/// A deal that went D1 → D7 with the fields each stage needs (case: D7).
static DEAL_IN_CONTRACT: LazyLock<Record> = LazyLock::new(deal_in_contract);

fn start() -> DateTime<Utc> {
    "2026-11-27T09:00:00Z".parse().unwrap()
}

fn fields(value: Value) -> BTreeMap<String, Value> {
    match value {
        Value::Object(map) => map.into_iter().collect(),
        _ => BTreeMap::new(),
    }
}

fn command(roles: &[&str], minutes: i64, action: Action) -> Command {
    Command {
        actor: Actor::new("u-bench", roles),
        now: start() + TimeDelta::minutes(minutes),
        expected_version: None,
        idempotency_key: None,
        org: None,
        action,
    }
}

fn move_to(to: &str, values: Value) -> Action {
    Action::Move {
        to: to.into(),
        fields: fields(values),
        override_reason: None,
    }
}

/// A deal just moved to the offer stage, with the open task for the offer's fields (case: D2).
static DEAL_IN_OFFER: LazyLock<Record> = LazyLock::new(deal_in_offer);

fn deal_in_offer() -> Record {
    let model = &*MODEL;
    let create = Action::Create {
        id: "deal-1".into(),
        pipeline: "deals".into(),
        stage: None,
        responsible: Some("u-bench".into()),
        fields: fields(json!({
            "client_name": { "last": "Smirnov", "first": "Alexey" },
            "client_email": "a.smirnov@example.com",
            "company_name": "Severnaya Pekarnya LLC",
        })),
    };
    let to_offer = move_to(
        "offer",
        json!({
            "company_type": "manufacturer",
            "website": "https://example.com",
            "delivery_address": { "country": "Russia", "city": "Saint Petersburg", "street": "150 Piskaryovsky Ave." },
            "offer_items": [
                { "name": "Kraft bag", "quantity": "20000", "unit": "pcs", "price": "9.40", "vat_rate": "20" },
            ],
        }),
    );
    let record = model
        .apply(None, &command(&["manager"], 0, create))
        .unwrap()
        .record;
    model
        .apply(Some(&record), &command(&["manager"], 10, to_offer))
        .unwrap()
        .record
}

fn deal_in_contract() -> Record {
    let model = &*MODEL;
    let steps = [
        move_to("negotiation", json!({})),
        move_to(
            "samples_prep",
            json!({
                "sample_dimensions": "250×80×320 mm",
                "fastening_type": "glue",
                "sample_quantity": 50,
                "sample_material": "kraft",
            }),
        ),
        move_to("samples_sent", json!({ "sample_tracking": "1487 2235 09" })),
        move_to("feedback", json!({ "feedback": "production" })),
        move_to("contract", json!({ "contract_number": "SP-2027/014" })),
    ];
    let mut record = DEAL_IN_OFFER.clone();
    for (i, action) in steps.into_iter().enumerate() {
        let minutes = 10 * (i as i64 + 2);
        record = model
            .apply(Some(&record), &command(&["manager"], minutes, action))
            .unwrap()
            .record;
    }
    assert_eq!(record.stage, "contract");
    record
}

/// The head moves the deal to prepayment with the three fields it requires (case: D8).
fn move_to_prepayment() -> Command {
    command(
        &["head"],
        100,
        move_to(
            "prepayment",
            json!({
                "packaging_type": "bag",
                "cost": { "amount": "250500", "currency": "RUB" },
                "prepayment_percent": "50",
            }),
        ),
    )
}

#[divan::bench]
fn compile_from_json() -> Model {
    Model::from_json(black_box(voronka::examples::ECO_PACKAGING)).unwrap()
}

#[divan::bench]
fn compile_from_definition(bencher: Bencher) {
    let definition: Definition = serde_json::from_str(voronka::examples::ECO_PACKAGING).unwrap();
    bencher
        .with_inputs(|| definition.clone())
        .bench_values(|d| Model::compile(black_box(d)).unwrap());
}

#[divan::bench]
fn move_d7_to_d8_with_fields(bencher: Bencher) {
    let record = &*DEAL_IN_CONTRACT;
    let cmd = move_to_prepayment();
    assert!(MODEL.apply(Some(record), &cmd).is_ok());
    bencher.bench(|| MODEL.apply(Some(black_box(record)), black_box(&cmd)));
}

#[divan::bench]
fn decide_d7_to_d8_with_fields(bencher: Bencher) {
    let record = &*DEAL_IN_CONTRACT;
    let cmd = move_to_prepayment();
    assert!(MODEL.decide(Some(record), &cmd).is_ok());
    bencher.bench(|| MODEL.decide(Some(black_box(record)), black_box(&cmd)));
}

#[divan::bench]
fn move_rejected_missing_fields(bencher: Bencher) {
    let record = &*DEAL_IN_CONTRACT;
    let cmd = command(&["head"], 100, move_to("prepayment", json!({})));
    assert!(MODEL.apply(Some(record), &cmd).is_err());
    bencher.bench(|| MODEL.apply(Some(black_box(record)), black_box(&cmd)));
}

/// Completing the offer task (case: D2): the command fills the offer e-mail's subject and
/// body from their templates, in the e-mail's language, besides its other work. The share of
/// the templates shows when the template engine changes.
#[divan::bench]
fn complete_offer_task_with_email(bencher: Bencher) {
    let record = &*DEAL_IN_OFFER;
    let task = record
        .tasks
        .iter()
        .find(|t| t.code == "offer_fields")
        .unwrap();
    let cmd = command(
        &["manager"],
        20,
        Action::CompleteTask {
            task: task.id.clone(),
            answers: fields(json!({
                "offer_items": [
                    { "name": "Kraft bag", "quantity": "20000", "unit": "pcs", "price": "9.40", "vat_rate": "20" },
                ],
                "offer_valid_until": "2026-12-31",
                "payment_terms": "50% prepayment, the rest on delivery",
            })),
        },
    );
    let outcome = MODEL.apply(Some(record), &cmd).unwrap();
    let email = outcome
        .effects
        .iter()
        .find_map(|e| match e {
            Effect::SendEmail { email, .. } => Some(email),
            _ => None,
        })
        .unwrap();
    assert_eq!(
        email.subject,
        "Коммерческое предложение для Severnaya Pekarnya LLC"
    );
    assert!(email.body.contains("31.12.2026"), "{}", email.body);
    bencher.bench(|| MODEL.apply(Some(black_box(record)), black_box(&cmd)));
}

#[divan::bench(args = [1, 10])]
fn set_fields(bencher: Bencher, count: usize) {
    let record = &*DEAL_IN_CONTRACT;
    let all = json!({
        "negotiation_comment": "Call back on Monday",
        "payment_terms": "50% prepayment, the rest within 10 days of shipment",
        "offer_valid_until": "2026-12-31",
        "parcel_location": "Sorting centre, Saint Petersburg",
        "feedback_comment": "The bag holds a 1 kg loaf well",
        "contract_date": "2027-02-03",
        "next_contact_date": "2027-01-12",
        "client_phone": "+7 921 555-34-12",
        "sample_print": true,
        "packaging_type": "bag",
    });
    let values: BTreeMap<String, Value> = fields(all).into_iter().take(count).collect();
    assert_eq!(values.len(), count);
    let cmd = command(&["manager"], 100, Action::SetFields { fields: values });
    assert_eq!(MODEL.apply(Some(record), &cmd).unwrap().events.len(), 1);
    bencher.bench(|| MODEL.apply(Some(black_box(record)), black_box(&cmd)));
}

#[divan::bench]
fn requirements(bencher: Bencher) {
    let record = &*DEAL_IN_CONTRACT;
    assert_eq!(
        MODEL
            .requirements(record, "prepayment")
            .unwrap()
            .missing
            .len(),
        3
    );
    bencher.bench(|| MODEL.requirements(black_box(record), black_box("prepayment")));
}

/// What a binding pays: decode the record and the command from JSON, apply, encode the outcome.
#[divan::bench]
fn json_decode_apply_encode(bencher: Bencher) {
    let record = serde_json::to_string(&*DEAL_IN_CONTRACT).unwrap();
    let cmd = serde_json::to_string(&move_to_prepayment()).unwrap();
    let run = |record: &str, cmd: &str| -> String {
        let record: Record = decode_json(record).unwrap();
        let cmd: Command = decode_json(cmd).unwrap();
        let outcome: Outcome = MODEL.apply(Some(&record), &cmd).unwrap();
        serde_json::to_string(&outcome).unwrap()
    };
    assert!(!run(&record, &cmd).is_empty());
    bencher.bench(|| run(black_box(&record), black_box(&cmd)));
}

/// The same through `voronka::api`, as both bindings call it: the size and nesting checks of
/// the model's limits before decoding included.
#[divan::bench]
fn api_apply(bencher: Bencher) {
    let record = serde_json::to_string(&*DEAL_IN_CONTRACT).unwrap();
    let cmd = serde_json::to_string(&move_to_prepayment()).unwrap();
    bencher.bench(|| {
        voronka::api::apply(
            &MODEL,
            Some(black_box(&record)),
            black_box(&cmd),
            voronka::Lang::En,
        )
        .unwrap()
    });
}
