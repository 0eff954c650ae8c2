//! The deal-funnel workload of `benches/js/deal-funnel.mjs`, natively: the eco-packaging deal
//! funnel with its task-and-reminder automations (D1, D3, D4, D5, D12), the same commands
//! (`dealScripts` of `benches/js/workload.mjs`, ported: generating them here keeps the bench
//! self-contained, with no file to write first or to commit), run in the same waves through
//! `Model::apply` with the records in a map, as the npm `Store` keeps them. The outcome
//! checksum is asserted: the same figures the JS run prints for the same number of deals.
//!
//! `cargo bench -p voronka-benches --bench pipeline` runs 10 000 deals; `cargo test -p
//! voronka-benches --benches` runs each bench once with 500 deals.

#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::LazyLock;

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use divan::{Bencher, black_box};
use serde_json::{Value, json};
use voronka::{Action, Actor, Change, Command, Effect, Model, Record, TaskStatus};

fn main() {
    divan::main();
}

/// 10 000 deals under `cargo bench` (divan gets `--bench`), 500 as a test.
static DEALS: LazyLock<usize> = LazyLock::new(|| {
    if std::env::args().any(|a| a == "--bench") {
        10_000
    } else {
        500
    }
});

/// The automations the workload keeps (`AUTOMATIONS` in `workload.mjs`).
const AUTOMATIONS: [&str; 5] = [
    "d1_call",
    "d3_negotiation",
    "d4_samples",
    "d5_samples_received",
    "d12_postponed",
];

static DEFINITION: LazyLock<Value> = LazyLock::new(|| {
    let mut definition: Value = serde_json::from_str(voronka::examples::ECO_PACKAGING).unwrap();
    for pipeline in definition["pipelines"].as_array_mut().unwrap() {
        if pipeline["code"] == "deals" {
            let kept: Vec<Value> = pipeline["automations"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|a| AUTOMATIONS.iter().any(|c| a["code"] == *c))
                .cloned()
                .collect();
            pipeline["automations"] = Value::Array(kept);
        }
    }
    definition
});

static MODEL: LazyLock<Model> =
    LazyLock::new(|| Model::from_json(&DEFINITION.to_string()).unwrap());

static WAVES: LazyLock<Vec<Vec<(String, Step)>>> =
    LazyLock::new(|| waves(deal_scripts(*DEALS, &DEFINITION["calendar"])));

/// A step of a deal's script: a command, or a task to complete named by its code (the host
/// puts in the id it learned from the `create_task` effect).
enum Step {
    Command(Box<Command>),
    Complete {
        at: DateTime<Utc>,
        code: &'static str,
        answers: BTreeMap<String, Value>,
    },
}

/// The working calendar as `calendar.mjs` counts it: days in local time (a fixed offset),
/// weekends and holidays skipped for business days, the time of day kept.
struct Calendar {
    shift: i64,
    holidays: HashSet<i64>,
}

const DAY: i64 = 86_400_000;

impl Calendar {
    fn new(def: &Value) -> Calendar {
        let offset = def["utc_offset"].as_str().unwrap();
        let sign = if offset.starts_with('-') { -1 } else { 1 };
        let (h, m) = offset[1..].split_once(':').unwrap();
        let shift = sign * (h.parse::<i64>().unwrap() * 60 + m.parse::<i64>().unwrap()) * 60_000;
        assert_eq!(def["weekend"], json!(["sat", "sun"]));
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
        let holidays = def["holidays"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                let date: NaiveDate = d.as_str().unwrap().parse().unwrap();
                (date - epoch).num_days()
            })
            .collect();
        Calendar { shift, holidays }
    }

    fn working(&self, day: i64) -> bool {
        let weekday = (day + 4).rem_euclid(7); // 0 = Sunday; day 0 was a Thursday
        weekday != 0 && weekday != 6 && !self.holidays.contains(&day)
    }

    fn add(&self, at: DateTime<Utc>, days: i64, business: bool) -> DateTime<Utc> {
        let local = at.timestamp_millis() + self.shift;
        let mut day = local.div_euclid(DAY);
        let time = local - day * DAY;
        if business {
            let mut left = days;
            while left > 0 {
                day += 1;
                if self.working(day) {
                    left -= 1;
                }
            }
            while !self.working(day) {
                day += 1;
            }
        } else {
            day += days;
        }
        DateTime::from_timestamp_millis(day * DAY + time - self.shift).unwrap()
    }

    /// 09:00 local on `date`.
    fn start_of(&self, date: &str) -> DateTime<Utc> {
        let day: NaiveDate = date.parse().unwrap();
        let ms = day
            .and_hms_opt(9, 0, 0)
            .unwrap()
            .and_utc()
            .timestamp_millis()
            - self.shift;
        DateTime::from_timestamp_millis(ms).unwrap()
    }
}

fn fields(value: Value) -> BTreeMap<String, Value> {
    match value {
        Value::Object(map) => map.into_iter().collect(),
        _ => BTreeMap::new(),
    }
}

/// `dealScripts(deals)` of `benches/js/workload.mjs`, step for step.
fn deal_scripts(deals: usize, calendar: &Value) -> Vec<(String, Vec<Step>)> {
    let cal = Calendar::new(calendar);
    let (h, d) = (TimeDelta::hours(1), TimeDelta::days(1));
    let start: DateTime<Utc> = "2026-11-30T06:00:00Z".parse().unwrap();
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
        let mut steps = Vec::new();
        let mut t = start + d * (i % 5) as i32 + h * (i % 8) as i32;
        let command = |t: DateTime<Utc>, who: &str, action: Action| {
            let actor = match who {
                "head" => Actor::new("u-head", &["head"]),
                "scheduler" => Actor::new("u-scheduler", &[]),
                _ => Actor::new("u-manager", &["manager"]),
            };
            Step::Command(Box::new(Command {
                actor,
                now: t,
                expected_version: None,
                idempotency_key: None,
                org: None,
                action,
            }))
        };
        let mv = |t: DateTime<Utc>, to: &str, values: Value| {
            command(
                t,
                "manager",
                Action::Move {
                    to: to.into(),
                    fields: fields(values),
                    override_reason: None,
                },
            )
        };
        let complete = |t: DateTime<Utc>, code: &'static str, answers: Value| Step::Complete {
            at: t,
            code,
            answers: fields(answers),
        };
        let tick = |t: DateTime<Utc>| command(t, "scheduler", Action::Tick);
        steps.push(command(
            t,
            "manager",
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
        ));
        t += TimeDelta::minutes(10);
        steps.push(command(
            t,
            "manager",
            Action::SetFields {
                fields: fields(json!({ "client_phone": "+7 812 555 01 23" })),
            },
        ));
        t += h;
        if i % 3 != 0 {
            steps.push(complete(t, "call_client", json!({})));
        }
        t += TimeDelta::minutes(10);
        if i % 5 == 0 {
            steps.push(mv(t, "offer", json!({})));
        }
        t += h;
        steps.push(mv(t, "offer", offer.clone()));
        t += h;
        steps.push(mv(t, "negotiation", json!({})));
        if i % 3 == 1 {
            steps.push(mv(t, "won", json!({})));
        }
        if i % 7 == 0 {
            steps.push(mv(t, "feedback", json!({})));
        }
        t += d;
        steps.push(complete(t, "call", json!({ "reached": false })));
        t = cal.add(t, 2, true);
        steps.push(tick(t));
        t += h * 2;
        if i % 2 == 0 {
            steps.push(complete(
                t,
                "call",
                json!({ "reached": true, "outcome": "waiting", "comment": "Calls back next week" }),
            ));
        }
        t += h;
        if i % 9 == 0 {
            let mut bad = sample.clone();
            bad["sample_quantity"] = json!(0);
            steps.push(mv(t, "samples_prep", bad));
        }
        steps.push(mv(t, "samples_prep", sample.clone()));
        if i % 6 == 0 {
            t += h;
            steps.push(mv(t, "postponed", json!({})));
            t += h;
            let date = (t + d * 7).format("%Y-%m-%d").to_string();
            steps.push(complete(
                t,
                "postponed_call",
                json!({ "next_contact_date": date }),
            ));
            t = cal.start_of(&date);
            steps.push(tick(t));
            t += h;
            steps.push(mv(t, "samples_prep", json!({})));
        }
        t += d;
        steps.push(complete(t, "prepare_samples", json!({})));
        t += h;
        steps.push(mv(
            t,
            "samples_sent",
            json!({ "sample_tracking": format!("1487 2235 {i}") }),
        ));
        t += d * 7;
        steps.push(tick(t));
        t += h * 2;
        if i % 10 == 5 {
            steps.push(complete(t, "ask_received", json!({ "received": true })));
        }
        steps.push(complete(
            t,
            "ask_received",
            json!({ "received": false, "parcel_location": "Kazan sorting centre" }),
        ));
        if i % 2 == 0 {
            t += d * 7;
            steps.push(tick(t));
            t += h;
            steps.push(complete(
                t,
                "ask_received",
                json!({ "received": true, "received_by": { "last": "Ivanova", "first": "Olga" } }),
            ));
        }
        t += d;
        if i % 10 == 0 {
            steps.push(mv(t, "contract", json!({})));
        }
        steps.push(mv(t, "feedback", json!({})));
        t += h;
        if i % 4 == 3 {
            if i % 8 == 3 {
                steps.push(mv(t, "lost", json!({})));
            }
            steps.push(mv(t, "lost", json!({ "lost_reason": "price" })));
        } else {
            steps.push(mv(
                t,
                "contract",
                json!({ "contract_number": format!("SP-2027/{i}") }),
            ));
            if i % 3 == 0 {
                steps.push(mv(t, "prepayment", prepayment.clone()));
            }
            steps.push(command(
                t,
                "head",
                Action::Move {
                    to: "prepayment".into(),
                    fields: fields(prepayment.clone()),
                    override_reason: None,
                },
            ));
            for stage in ["production", "shipment", "payment", "won"] {
                t += h;
                steps.push(mv(t, stage, json!({})));
            }
        }
        out.push((id, steps));
    }
    out
}

/// Wave k holds every deal's k-th step.
fn waves(scripts: Vec<(String, Vec<Step>)>) -> Vec<Vec<(String, Step)>> {
    let mut out: Vec<Vec<(String, Step)>> = Vec::new();
    for (id, steps) in scripts {
        for (k, step) in steps.into_iter().enumerate() {
            if out.len() <= k {
                out.push(Vec::new());
            }
            out[k].push((id.clone(), step));
        }
    }
    out
}

/// What the host keeps and counts (`Host` in `deal-funnel.mjs`).
#[derive(Default)]
struct Host {
    /// Open tasks by deal: (code, id).
    tasks: HashMap<String, Vec<(String, String)>>,
    created: u64,
    cancelled: u64,
    done: u64,
    fired: u64,
    fired_by_events: u64,
    rejected: u64,
    deadlines: u64,
}

/// Runs every wave through `Model::apply`, the records kept by id (each replaced by the
/// command's new snapshot, as the npm `Store` does).
fn run(model: &Model, waves: &[Vec<(String, Step)>]) -> (HashMap<String, Record>, Host) {
    let mut records: HashMap<String, Record> = HashMap::new();
    let mut host = Host::default();
    for wave in waves {
        for (id, step) in wave {
            let built;
            let command: &Command = match step {
                Step::Command(c) => c,
                Step::Complete { at, code, answers } => {
                    let open = host.tasks.get(id).unwrap();
                    let task = open.iter().find(|(c, _)| c == code).unwrap().1.clone();
                    built = Command {
                        actor: Actor::new("u-manager", &["manager"]),
                        now: *at,
                        expected_version: None,
                        idempotency_key: None,
                        org: None,
                        action: Action::CompleteTask {
                            task,
                            answers: answers.clone(),
                        },
                    };
                    &built
                }
            };
            let outcome = match model.apply(records.get(id), command) {
                Ok(outcome) => outcome,
                Err(_) => {
                    host.rejected += 1;
                    continue;
                }
            };
            if matches!(command.action, Action::Tick) && !outcome.effects.is_empty() {
                host.fired += 1;
            }
            for event in &outcome.events {
                if let Change::TimerCleared { fired: true, .. } = event.change {
                    host.fired_by_events += 1;
                }
            }
            for effect in &outcome.effects {
                match effect {
                    Effect::CreateTask { task, .. } => {
                        host.tasks
                            .entry(id.clone())
                            .or_default()
                            .push((task.code.clone(), task.id.clone()));
                        host.created += 1;
                        if let Some(deadline) = task.deadline {
                            host.deadlines = (host.deadlines
                                + (deadline.timestamp_millis() / 60_000) as u64)
                                % 1_000_000_000;
                        }
                    }
                    Effect::CloseTask { task, status, .. } => {
                        host.tasks.get_mut(id).unwrap().retain(|(_, t)| t != task);
                        if *status == TaskStatus::Cancelled {
                            host.cancelled += 1;
                        } else {
                            host.done += 1;
                        }
                    }
                    _ => {}
                }
            }
            records.insert(id.clone(), outcome.record);
        }
    }
    (records, host)
}

/// The checksum of `checksum()` in `deal-funnel.mjs`, as the same JSON text.
fn checksum(records: &HashMap<String, Record>, host: &Host) -> String {
    let mut stages: BTreeMap<&str, u64> = BTreeMap::new();
    let (mut open, mut hash) = (0usize, 0i32);
    for i in 0..records.len() {
        let id = format!("deal-{i}");
        let r = &records[&id];
        let n = r
            .tasks
            .iter()
            .filter(|t| t.status == TaskStatus::Open)
            .count();
        assert_eq!(n, host.tasks.get(&id).map_or(0, Vec::len), "{id}");
        *stages.entry(&r.stage).or_default() += 1;
        open += n;
        for c in r.stage.bytes() {
            hash = hash.wrapping_mul(31).wrapping_add(i32::from(c));
        }
    }
    assert_eq!(host.fired, host.fired_by_events);
    json!({
        "stages": stages,
        "stageHash": hash as u32,
        "open": open,
        "created": host.created,
        "cancelled": host.cancelled,
        "done": host.done,
        "fired": host.fired,
        "rejected": host.rejected,
        "deadlines": host.deadlines,
    })
    .to_string()
}

/// The figures `node benches/js/deal-funnel.mjs --deals N` prints, for N = 500 and 10 000.
fn expected(deals: usize) -> &'static str {
    match deals {
        500 => EXPECTED_500,
        10_000 => EXPECTED_10_000,
        _ => unreachable!(),
    }
}

const EXPECTED_500: &str = r#"{"cancelled":585,"created":3002,"deadlines":905411680,"done":2417,"fired":1334,"open":0,"rejected":683,"stageHash":2988645626,"stages":{"lost":125,"won":375}}"#;
const EXPECTED_10_000: &str = r#"{"cancelled":11668,"created":60001,"deadlines":940119660,"done":48333,"fired":26667,"open":0,"rejected":13624,"stageHash":3779351680,"stages":{"lost":2500,"won":7500}}"#;

/// The whole workload through the core: the per-command cost natively.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn funnel_apply(bencher: Bencher) {
    let waves = &*WAVES;
    let commands: usize = waves.iter().map(Vec::len).sum();
    let (records, host) = run(&MODEL, waves);
    assert_eq!(checksum(&records, &host), expected(*DEALS));
    bencher
        .counter(divan::counter::ItemsCount::new(commands))
        .bench(|| run(&MODEL, black_box(waves)));
}
