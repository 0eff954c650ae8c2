//! Property tests of the automation engine: random sequences of moves, date edits, ticks at
//! random later moments and completions of random open tasks with valid answers, on a deal and
//! on a lead of the eco-packaging model. After every command: no timer fired twice, no task was
//! completed twice, a second tick at the same moment changes nothing, no timer is already due,
//! open tasks and timers belong to live runs, and the history rebuilds the record exactly.
//! Every timer set is, at the end, cleared exactly once (fired no earlier than it was due) or
//! still pending, never both; the same command twice gives the same outcome (effects and trace
//! included); a command's idempotency key makes its repetition a `DuplicateCommand` that
//! changes nothing; a rejected command is rejected the same way again.

use std::collections::{BTreeMap, BTreeSet};

use chrono::Duration;
use proptest::prelude::*;
use serde_json::{Value, json};
use voronka::definition::FieldType;
use voronka::record::Recipient;
use voronka::{Action, Actor, Change, Command, Event, FieldDef, Model, Record, TaskStatus};

use crate::support::{self, full, start};

/// A valid value of a field; `pick` chooses among options and samples.
fn valid(field: &FieldDef, pick: usize) -> Value {
    let nth = |items: &[Value]| items[pick % items.len()].clone();
    match field.field_type {
        FieldType::Text | FieldType::LongText | FieldType::User => {
            nth(&[json!("Green Food"), json!("Kazan sorting centre")])
        }
        FieldType::Integer => nth(&[json!(50), json!(5000)]),
        FieldType::Decimal => json!("12.50"),
        FieldType::Money => json!({ "amount": "125000", "currency": "RUB" }),
        FieldType::Percent => nth(&[json!("30"), json!("100")]),
        FieldType::Date => nth(&[
            json!("2026-11-20"),
            json!("2026-11-30"),
            json!("2026-12-10"),
            json!("2027-01-15"),
        ]),
        FieldType::DateTime => json!("2026-12-01T10:00:00+03:00"),
        FieldType::YesNo => json!(pick.is_multiple_of(2)),
        FieldType::Choice => {
            let option = &field.options[pick % field.options.len()];
            if field.multiple {
                json!([option.code])
            } else {
                json!(option.code)
            }
        }
        FieldType::Email => json!("maria@greenfood.example"),
        FieldType::Phone => json!("+7 495 123-45-67"),
        FieldType::Url => json!("https://greenfood.example"),
        FieldType::Address => json!({ "country": "RU", "city": "Kazan", "street": "Baumana 5" }),
        FieldType::PersonName => json!({ "last": "Petrova", "first": "Maria" }),
        FieldType::File => {
            let file = json!({ "id": format!("f-{pick}"), "name": "scan.pdf" });
            if field.multiple { json!([file]) } else { file }
        }
        FieldType::LineItems => json!([{ "name": "Box", "quantity": "10", "unit": "pcs",
                                         "price": "1.50", "vat_rate": "20" }]),
        FieldType::Inn => json!("1656123456"),
        FieldType::Kpp => json!("165601001"),
        FieldType::Ogrn => json!("1161690123451"),
        FieldType::Bik => json!("049205603"),
        FieldType::BankAccount => json!("40702810462000012345"),
        FieldType::CorrAccount => json!("30101810600000000603"),
    }
}

#[derive(Debug, Clone)]
enum Op {
    /// Move to one of the next stages, filling what it needs.
    Move(usize),
    /// Complete an open task (checking its checklist first), with valid answers.
    Complete { task: usize, pick: usize },
    /// Set a date field the automations follow (or clear it).
    SetDate { field: usize, pick: Option<usize> },
    /// Answer the duplicate look-up of a conversion.
    Resolve(bool),
    /// Tick.
    Tick,
    /// Move the clock to the next timer's moment (if later), then tick.
    TickDue,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        // Mostly along the main sequence (the first next stage), sometimes aside.
        4 => prop_oneof![4 => Just(0usize), 1 => any::<usize>()].prop_map(Op::Move),
        5 => (any::<usize>(), any::<usize>()).prop_map(|(task, pick)| Op::Complete { task, pick }),
        1 => (any::<usize>(), prop::option::weighted(0.8, any::<usize>()))
            .prop_map(|(field, pick)| Op::SetDate { field, pick }),
        1 => any::<bool>().prop_map(Op::Resolve),
        2 => Just(Op::Tick),
        2 => Just(Op::TickDue),
    ]
}

/// Minutes to move the clock before a step: often none, sometimes hours, sometimes weeks.
fn gap() -> impl Strategy<Value = i64> {
    prop_oneof![Just(0i64), 1i64..600, 600i64..(20 * 24 * 60)]
}

const DATE_FIELDS: [&str; 2] = ["payment_due_date", "next_contact_date"];

/// The actor who may complete `task`.
fn assignee_of(task: &voronka::Task) -> Actor {
    match &task.assignee {
        Recipient::User(user) => Actor::new(user.clone(), &["manager"]),
        Recipient::Role(role) => Actor::new("u-boris", &[role.as_str()]),
    }
}

/// The commands of one step (a completion may first check its checklist).
fn commands(model: &Model, record: &Record, op: &Op) -> Vec<(Actor, Action)> {
    let manager = support::manager();
    match op {
        Op::Move(i) => {
            let next = model.next_stages(record).expect("a known record");
            if next.is_empty() {
                return Vec::new();
            }
            let to = next[i % next.len()].clone();
            let missing = model.requirements(record, &to).expect("a stage").missing;
            let mut fields = BTreeMap::new();
            for m in missing {
                let def = model.field(&record.entity, &m.field).expect("a field");
                fields.insert(m.field.clone(), valid(def, *i));
            }
            let actor = if to == "prepayment" {
                support::head()
            } else {
                manager
            };
            vec![(
                actor,
                Action::Move {
                    to,
                    fields,
                    override_reason: None,
                },
            )]
        }
        Op::Complete { task, pick } => {
            let open: Vec<_> = record.open_tasks().collect();
            if open.is_empty() {
                return Vec::new();
            }
            let t = open[task % open.len()];
            let actor = assignee_of(t);
            let mut out: Vec<(Actor, Action)> = (0..t.checklist.len())
                .map(|item| {
                    (
                        actor.clone(),
                        Action::CheckItem {
                            task: t.id.clone(),
                            item,
                            done: true,
                        },
                    )
                })
                .collect();
            let answers = model
                .task_form(&record.pipeline, &t.automation, &t.code)
                .iter()
                .enumerate()
                .map(|(i, f)| (f.code.clone(), valid(f, pick.wrapping_add(i * 7))))
                .collect();
            out.push((
                actor,
                Action::CompleteTask {
                    task: t.id.clone(),
                    answers,
                },
            ));
            out
        }
        Op::SetDate { field, pick } => {
            if record.entity != "deal" {
                return Vec::new();
            }
            let code = DATE_FIELDS[field % DATE_FIELDS.len()];
            let value = match pick {
                Some(p) => valid(model.field("deal", code).expect("a date field"), *p),
                None => Value::Null,
            };
            vec![(
                manager,
                Action::SetFields {
                    fields: [(code.to_string(), value)].into(),
                },
            )]
        }
        Op::Resolve(found) => vec![(
            manager,
            Action::ResolveDuplicates {
                contact: found.then(|| "contact-1".to_string()),
                company: None,
            },
        )],
        Op::Tick | Op::TickDue => vec![(Actor::new("svc-clock", &[]), Action::Tick)],
    }
}

#[derive(Debug, Default)]
struct Stats {
    set: usize,
    ticks: usize,
    fired: usize,
    completed: usize,
    accepted: usize,
    /// Commands repeated with their spent idempotency key.
    repeated: usize,
}

fn check(record: &Record, log: &[Event], model: &Model, ticked: bool) -> Result<(), TestCaseError> {
    // A timer fires at most once; a task is closed (done or cancelled) at most once.
    let mut fired = BTreeSet::new();
    let mut closed = BTreeSet::new();
    for e in log {
        match &e.change {
            Change::TimerCleared { timer, fired: true } => {
                prop_assert!(fired.insert(timer.clone()), "timer {timer} fired twice");
            }
            Change::TaskClosed { task, status, .. } => {
                prop_assert!(
                    closed.insert(task.clone()),
                    "task {task} closed twice ({status:?})"
                );
            }
            _ => {}
        }
    }
    // After a tick nothing is due any more: the same tick again changes nothing. (Other
    // commands may come after a timer's moment and before the host's tick: it stays due.)
    if ticked {
        let tick = Command {
            actor: Actor::new("svc-clock", &[]),
            now: record.updated_at,
            expected_version: None,
            idempotency_key: None,
            org: None,
            action: Action::Tick,
        };
        prop_assert!(record.timers.iter().all(|t| t.due > record.updated_at));
        let decision = model.decide(Some(record), &tick);
        prop_assert_eq!(decision.map(|d| d.events), Ok(Vec::new()));
    }
    // Open tasks and timers of runs belong to runs in progress.
    let runs: BTreeSet<&str> = record.runs.iter().map(|r| r.id.as_str()).collect();
    for t in record.open_tasks() {
        prop_assert!(
            runs.contains(t.run.as_str()),
            "open task {} of ended run",
            t.id
        );
    }
    for t in &record.timers {
        if let Some(run) = &t.run {
            prop_assert!(runs.contains(run.as_str()), "timer {} of ended run", t.id);
        }
    }
    let replayed = Record::replay(log);
    prop_assert_eq!(replayed.as_ref(), Some(record));
    check_timers(record, log)
}

/// Every timer set is either cleared exactly once or still pending; a fired timer fired at or
/// after its (last planned) due moment.
fn check_timers(record: &Record, log: &[Event]) -> Result<(), TestCaseError> {
    let mut due = BTreeMap::new();
    let mut cleared = BTreeSet::new();
    for e in log {
        match &e.change {
            Change::TimerSet { timer } => {
                prop_assert!(
                    !cleared.contains(&timer.id),
                    "timer {} set after clearing",
                    timer.id
                );
                due.insert(timer.id.clone(), timer.due);
            }
            Change::TimerCleared { timer, fired } => {
                prop_assert!(cleared.insert(timer.clone()), "timer {timer} cleared twice");
                let planned = due.get(timer).copied();
                prop_assert!(planned.is_some(), "timer {timer} cleared but never set");
                if *fired {
                    prop_assert!(
                        planned.is_some_and(|d| d <= e.at),
                        "timer {timer} fired early"
                    );
                }
            }
            _ => {}
        }
    }
    let pending: BTreeSet<&String> = record.timers.iter().map(|t| &t.id).collect();
    for id in due.keys() {
        prop_assert!(
            pending.contains(id) != cleared.contains(id),
            "timer {id} is pending {} and cleared {}",
            pending.contains(id),
            cleared.contains(id)
        );
    }
    Ok(())
}

fn run_ops(
    start: &(Record, Vec<Event>),
    ops: &[(i64, Op)],
    stats: &mut Stats,
) -> Result<(), TestCaseError> {
    let model = full();
    let (mut record, mut log) = start.clone();
    let mut now = record.updated_at;
    for (n, (gap, op)) in ops.iter().enumerate() {
        now += Duration::minutes(*gap);
        if let (Op::TickDue, Some(due)) = (op, record.next_due()) {
            now = now.max(due);
        }
        for (i, (actor, action)) in commands(model, &record, op).into_iter().enumerate() {
            let command = Command {
                actor,
                now,
                expected_version: None,
                idempotency_key: Some(format!("op-{n}-{i}")),
                org: None,
                action,
            };
            let tick = command.action == Action::Tick;
            let result = model.apply(Some(&record), &command);
            prop_assert_eq!(
                &model.apply(Some(&record), &command),
                &result,
                "the same command gave another result"
            );
            match result {
                Ok(outcome) => {
                    if !outcome.events.is_empty() {
                        // Its key is now spent: the same command again changes nothing.
                        stats.repeated += 1;
                        let again = model.apply(Some(&outcome.record), &command);
                        prop_assert_eq!(
                            again.map_err(|r| r.code()).err(),
                            Some(voronka::ErrorCode::DuplicateCommand)
                        );
                    }
                    stats.accepted += 1;
                    stats.ticks += tick as usize;
                    for e in &outcome.events {
                        match e.change {
                            Change::TimerCleared { fired: true, .. } => stats.fired += 1,
                            Change::TimerSet { .. } => stats.set += 1,
                            Change::TaskClosed {
                                status: TaskStatus::Done,
                                ..
                            } => stats.completed += 1,
                            _ => {}
                        }
                    }
                    log.extend(outcome.events);
                    record = outcome.record;
                    check(&record, &log, model, tick)?;
                    if tick {
                        // The same tick again (under a fresh key) is accepted and changes nothing.
                        let command = Command {
                            idempotency_key: None,
                            ..command
                        };
                        let again = model.apply(Some(&record), &command).expect("accepted");
                        prop_assert!(again.events.is_empty());
                        prop_assert_eq!(&again.record, &record);
                    }
                }
                Err(rejection) => {
                    // Valid commands may still meet a stage's rules (a closed stage, a
                    // requirement a move cannot fill); never an automation limit.
                    prop_assert_ne!(rejection.code(), voronka::ErrorCode::AutomationLimit);
                }
            }
        }
    }
    Ok(())
}

fn check_sequences(start: (Record, Vec<Event>), cases: u32) -> Stats {
    let config = ProptestConfig {
        cases,
        source_file: Some(file!()),
        ..ProptestConfig::default()
    };
    // A fixed seed: the same sequences every run, so the statistics below are stable.
    let rng = proptest::test_runner::TestRng::deterministic_rng(config.rng_algorithm);
    let mut runner = proptest::test_runner::TestRunner::new_with_rng(config, rng);
    let stats = std::cell::RefCell::new(Stats::default());
    let result = runner.run(&prop::collection::vec((gap(), op()), 1..60), |ops| {
        run_ops(&start, &ops, &mut stats.borrow_mut())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    stats.into_inner()
}

// case: D1–D12 (properties)
#[test]
fn random_deal_flows_never_fire_a_timer_twice_and_replay_exactly() {
    let create = Command {
        actor: support::manager(),
        now: start(),
        expected_version: None,
        idempotency_key: None,
        org: None,
        action: support::create("deal-1", "deals", crate::flow::client()),
    };
    let created = full().apply(None, &create).expect("created");
    let stats = check_sequences((created.record, created.events), 32);
    assert!(
        stats.set >= 5 && stats.fired >= 3 && stats.completed >= 80 && stats.repeated >= 100,
        "{stats:?}"
    );
}

// case: D5–D12 (properties)
#[test]
fn random_flows_from_samples_sent_keep_the_timer_invariants() {
    let f = crate::flow::Flow::deal_at("samples_sent");
    let stats = check_sequences((f.record().clone(), f.log().to_vec()), 32);
    assert!(
        stats.set >= 5 && stats.fired >= 15 && stats.completed >= 60,
        "{stats:?}"
    );
}

// case: L1–L7 (properties)
#[test]
fn random_lead_flows_keep_the_invariants() {
    let create = Command {
        actor: support::integration(),
        now: start(),
        expected_version: None,
        idempotency_key: None,
        org: None,
        action: support::create("lead-1", "leads", support::lead_form()),
    };
    let created = full().apply(None, &create).expect("created");
    let stats = check_sequences((created.record, created.events), 16);
    assert!(stats.completed >= 4, "{stats:?}");
}
