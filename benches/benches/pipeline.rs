//! The deal-pipeline workload of `benches/js/deal-pipeline.mjs`, natively: the same commands
//! (ported from `benches/js/workload.mjs`) run on the eco-packaging deal funnel without its
//! automations, so the per-command cost of the core, and of the JSON boundary the npm
//! package's `Store.applyBatch` pays, can be seen apart from JavaScript.
//!
//! Run with `cargo bench -p voronka-benches --bench pipeline`.

#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use chrono::{DateTime, TimeDelta, Utc};
use divan::{Bencher, black_box};
use serde_json::{Value, json};
use voronka::{Action, Actor, Command, ErrorReport, Lang, Limits, Model, Record};

fn main() {
    divan::main();
}

/// How many deals the workload has, as in `deal-pipeline.mjs --deals 2000`.
const DEALS: usize = 2000;

/// The eco-packaging model with the deal funnel's automations removed (`dealFunnelDefinition`).
static MODEL: LazyLock<Model> = LazyLock::new(|| {
    let mut definition: Value = serde_json::from_str(voronka::examples::ECO_PACKAGING).unwrap();
    for pipeline in definition["pipelines"].as_array_mut().unwrap() {
        if pipeline["code"] == "deals" {
            pipeline["automations"] = json!([]);
        }
    }
    Model::from_json(&definition.to_string()).unwrap()
});

static COMMANDS: LazyLock<Vec<(String, Command)>> = LazyLock::new(|| deal_commands(DEALS));

fn fields(value: Value) -> BTreeMap<String, Value> {
    match value {
        Value::Object(map) => map.into_iter().collect(),
        _ => BTreeMap::new(),
    }
}

/// The commands of `dealCommands(deals)` in `benches/js/workload.mjs`, in the same order.
fn deal_commands(deals: usize) -> Vec<(String, Command)> {
    let start: DateTime<Utc> = "2026-11-27T09:00:00Z".parse().unwrap();
    let offer = json!({
        "company_type": "manufacturer",
        "website": "https://example.com",
        "delivery_address": { "country": "Russia", "city": "Saint Petersburg", "street": "150 Piskaryovsky Ave." },
    });
    let sample = json!({
        "sample_dimensions": "250×80×320 mm",
        "fastening_type": "glue",
        "sample_quantity": 50,
        "sample_material": "kraft",
    });
    let prepayment = json!({
        "packaging_type": "bag",
        "cost": { "amount": "250500", "currency": "RUB" },
        "prepayment_percent": "50",
    });
    let mut out = Vec::new();
    for i in 0..deals {
        let id = format!("deal-{i}");
        let mut t = 0;
        let mut push = |head: bool, action: Action| {
            let actor = if head {
                Actor::new("u-head", &["head"])
            } else {
                Actor::new("u-manager", &["manager"])
            };
            let now = start + TimeDelta::minutes(10 * t);
            t += 1;
            let command = Command {
                actor,
                now,
                expected_version: None,
                idempotency_key: None,
                org: None,
                action,
            };
            out.push((id.clone(), command));
        };
        let to = |stage: &str, values: Value| Action::Move {
            to: stage.into(),
            fields: fields(values),
            override_reason: None,
        };
        push(
            false,
            Action::Create {
                id: id.clone(),
                pipeline: "deals".into(),
                stage: None,
                responsible: Some("u-manager".into()),
                fields: fields(json!({
                    "client_name": { "last": "Smirnov", "first": "Alexey" },
                    "client_email": format!("client{i}@example.com"),
                    "company_name": format!("Company {i}"),
                })),
            },
        );
        push(
            false,
            Action::SetFields {
                fields: fields(json!({ "client_phone": "+7 812 555 01 23" })),
            },
        );
        if i % 5 == 0 {
            push(false, to("offer", json!({})));
        }
        push(false, to("offer", offer.clone()));
        push(false, to("negotiation", json!({})));
        if i % 7 == 0 {
            push(false, to("feedback", json!({})));
        }
        if i % 9 == 0 {
            let mut bad = sample.clone();
            bad["sample_quantity"] = json!(0);
            push(false, to("samples_prep", bad));
        }
        push(false, to("samples_prep", sample.clone()));
        if i % 6 == 0 {
            push(false, to("postponed", json!({})));
            push(false, to("samples_prep", json!({})));
        }
        push(
            false,
            to(
                "samples_sent",
                json!({ "sample_tracking": format!("1487 2235 {i}") }),
            ),
        );
        push(false, to("feedback", json!({})));
        if i % 4 == 3 {
            if i % 8 == 3 {
                push(false, to("lost", json!({})));
            }
            push(false, to("lost", json!({ "lost_reason": "price" })));
            continue;
        }
        push(
            false,
            to(
                "contract",
                json!({ "contract_number": format!("SP-2027/{i}") }),
            ),
        );
        if i % 3 == 0 {
            push(false, to("prepayment", prepayment.clone()));
        }
        push(true, to("prepayment", prepayment.clone()));
        for stage in ["production", "shipment", "payment", "won"] {
            push(false, to(stage, json!({})));
        }
    }
    out
}

/// Runs every command with `apply`, records kept by id (each replaced by the command's new
/// snapshot); the records and the number rejected (the records are returned so that dropping
/// them is not timed, as the JS benchmark frees its store after the timing).
fn run_apply(model: &Model, commands: &[(String, Command)]) -> (HashMap<String, Record>, usize) {
    let mut records: HashMap<String, Record> = HashMap::new();
    let mut rejected = 0;
    for (id, command) in commands {
        match model.apply(records.get(id), command) {
            Ok(outcome) => {
                records.insert(id.clone(), outcome.record);
            }
            Err(_) => rejected += 1,
        }
    }
    (records, rejected)
}

/// The whole workload (25 827 commands for 2 000 deals) through the core, no JSON: the
/// per-command cost of the core on the record store's path.
#[divan::bench(sample_count = 10)]
fn workload_apply(bencher: Bencher) {
    let commands = &*COMMANDS;
    assert_eq!(commands.len(), 25_827);
    let (records, rejected) = run_apply(&MODEL, commands);
    assert_eq!((records.len(), rejected), (DEALS, 1_659));
    assert_eq!(records.values().filter(|r| r.stage == "won").count(), 1_500);
    assert_eq!(records.values().filter(|r| r.stage == "lost").count(), 500);
    bencher
        .counter(divan::counter::ItemsCount::new(commands.len()))
        .bench(|| run_apply(&MODEL, black_box(commands)));
}

/// The workload's commands as `Store.applyBatch` receives them: JSON arrays of 1 000
/// `[id, command]` pairs.
static BATCHES: LazyLock<Vec<String>> = LazyLock::new(|| {
    COMMANDS
        .chunks(1000)
        .map(|chunk| serde_json::to_string(chunk).unwrap())
        .collect()
});

/// A decoding function of `voronka::api`, for the workload's batches.
type Decode = fn(&str, &Limits, Lang) -> Result<Vec<(String, Command)>, ErrorReport>;

fn decode_with(decode: Decode) -> usize {
    BATCHES
        .iter()
        .map(|text| {
            decode(black_box(text), MODEL.limits(), Lang::En)
                .unwrap()
                .len()
        })
        .sum()
}

/// Decoding the workload's batches with `api::decode`, as the record store does.
#[divan::bench(sample_count = 10)]
fn workload_decode(bencher: Bencher) {
    assert_eq!(decode_with(voronka::api::decode), COMMANDS.len());
    bencher
        .counter(divan::counter::ItemsCount::new(COMMANDS.len()))
        .bench(|| decode_with(voronka::api::decode));
}
