//! Resource limits: every limit of [`Limits`] is enforced with its code, its path and its name,
//! a command over a limit changes nothing, and a tick a century late stays bounded.

use serde_json::{Value, json};
use voronka::{Command, ErrorCode, Limits, Model, Record, Rejection, decode_json};

use crate::support::full;

/// The commands of a conformance fixture, by index.
fn fixture_command(name: &str, step: usize) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("../../tests/fixtures/conformance/{name}.json"));
    let text = std::fs::read_to_string(path).expect("the fixture exists");
    let fixture: Value = serde_json::from_str(&text).expect("a fixture is JSON");
    fixture["steps"][step]["command"].clone()
}

fn command(value: &Value) -> Command {
    decode_json(&value.to_string()).expect("a valid command")
}

/// A daily report (P6) created on 30 November 2026: a recurring timer.
fn daily_report(model: &Model) -> (Record, Value) {
    let create = fixture_command("p06-first-daily-round", 0);
    let record = model
        .apply(None, &command(&create))
        .expect("the report is created")
        .record;
    (record, fixture_command("p06-first-daily-round", 2))
}

/// Applies a command that must exceed a limit: checks the code (3023) and the path, and that
/// the record is unchanged; returns the rejection.
fn rejected_over_limit(model: &Model, record: &Record, command: &Command, path: &str) -> Rejection {
    let before = record.clone();
    let err = model
        .apply(Some(record), command)
        .expect_err("the command exceeds a limit");
    assert_eq!(err.code(), ErrorCode::LimitExceeded);
    assert_eq!(err.path().as_deref(), Some(path));
    assert_eq!(record, &before);
    err
}

#[test]
fn a_tick_a_century_late_fires_each_recurring_timer_once() {
    // A recurring timer is planned from the moment it fires, not from its due moment: a host
    // that was down for a century gets one round, not 36 500.
    let model = full();
    let (record, mut tick) = daily_report(model);
    tick["now"] = json!("2126-12-01T06:00:00Z");
    let outcome = model
        .apply(Some(&record), &command(&tick))
        .expect("the late tick is accepted");
    let fired = outcome
        .events
        .iter()
        .filter(|e| matches!(e.change, voronka::Change::TimerCleared { fired: true, .. }))
        .count();
    assert_eq!(fired, 1);
    assert_eq!(
        outcome.record.next_due().map(|d| d.to_rfc3339()),
        Some("2126-12-02T06:00:00+00:00".to_string())
    );
}

#[test]
fn a_tick_over_timers_per_tick_is_rejected_and_changes_nothing() {
    let limits = Limits {
        timers_per_tick: 0,
        ..Limits::default()
    };
    let model = Model::compile_with_limits(full().definition().clone(), limits).expect("compiles");
    let (record, tick) = daily_report(&model);
    let err = rejected_over_limit(&model, &record, &command(&tick), "now");
    assert!(matches!(
        &err,
        Rejection::LimitExceeded { limit_name, limit: 0, actual: 1, .. } if limit_name == "timers_per_tick"
    ));
    // The default limits fire it.
    assert!(full().apply(Some(&record), &command(&tick)).is_ok());
}

/// A signal nobody listens to: exactly one event (the signal received).
fn probe(record: &Record) -> Command {
    command(&json!({
        "actor": { "user": "u-probe", "roles": [] },
        "now": record.updated_at,
        "action": { "type": "signal", "name": "probe" },
    }))
}

#[test]
fn a_record_remembers_the_latest_idempotency_keys_and_forgets_older_ones() {
    let (record, _) = daily_report(full());
    let with_key = |record: &Record, key: &str| {
        let mut c = probe(record);
        c.idempotency_key = Some(key.to_string());
        c
    };
    // The first command under a key is accepted; a retry is refused and changes nothing.
    let first = full()
        .apply(Some(&record), &with_key(&record, "key-0"))
        .expect("accepted");
    let mut record = first.record;
    assert_eq!(record.applied_version("key-0"), Some(record.version));
    let err = full()
        .apply(Some(&record), &with_key(&record, "key-0"))
        .expect_err("a retry");
    assert_eq!(err.code(), ErrorCode::DuplicateCommand);
    // The window holds the latest `RECENT_KEYS` keys: after that many other commands, the
    // first key is forgotten and the snapshot stays the same size.
    for n in 1..=Limits::RECENT_KEYS {
        let command = with_key(&record, &format!("key-{n}"));
        record = full()
            .apply(Some(&record), &command)
            .expect("accepted")
            .record;
        assert!(record.recent_keys.len() <= Limits::RECENT_KEYS);
    }
    assert_eq!(record.recent_keys.len(), Limits::RECENT_KEYS);
    assert!(!record.has_applied("key-0"));
    assert!(record.has_applied("key-1"));
    let again = full()
        .apply(Some(&record), &with_key(&record, "key-0"))
        .expect("past the window the same key is a new command");
    assert_eq!(again.events.len(), 1);
    // Commands without a key leave the window as it was.
    let keys = again.record.recent_keys.clone();
    let unkeyed = full()
        .apply(Some(&again.record), &probe(&again.record))
        .expect("accepted");
    assert_eq!(unkeyed.record.recent_keys, keys);
}

/// A command over a limit midway — after the engine has already changed fields, the stage,
/// tasks, timers and runs of its scratch record — changes nothing, and otherwise gives what
/// `apply` gives without limits.
#[test]
fn a_command_over_a_limit_midway_changes_nothing() {
    use crate::support::{
        DEAL_SEQUENCE, Scenario, deal_offer, deal_prepayment, deal_samples, head, manager, move_to,
    };
    let limited: Vec<Model> = [0, 1, 2, 3, 5, 8]
        .into_iter()
        .map(|n| Limits {
            events_per_command: n,
            ..Limits::default()
        })
        .chain([1, 2, 4].into_iter().map(|n| Limits {
            steps_per_command: n,
            ..Limits::default()
        }))
        .map(|limits| {
            Model::compile_with_limits(full().definition().clone(), limits).expect("compiles")
        })
        .collect();
    let mut clock = Scenario::new();
    let mut record = new_deal(&mut clock);
    let (mut refused, mut agreed) = (0, 0);
    for next in DEAL_SEQUENCE.iter().skip(1) {
        clock.advance(60);
        let (actor, values) = match *next {
            "offer" => (manager(), deal_offer()),
            "samples_prep" => (manager(), deal_samples()),
            "prepayment" => (head(), deal_prepayment()),
            _ => (manager(), Value::Null),
        };
        let command = clock.command(&actor, move_to(next, values));
        let expected = full()
            .apply(Some(&record), &command)
            .expect("the move is accepted without limits");
        for model in &limited {
            let before = record.clone();
            match model.apply(Some(&record), &command) {
                Ok(outcome) => {
                    assert_eq!(outcome, expected, "{next}: the outcome differs");
                    agreed += 1;
                }
                Err(rejection) => {
                    assert!(
                        matches!(
                            rejection,
                            Rejection::LimitExceeded { .. } | Rejection::AutomationLimit { .. }
                        ),
                        "{next}: {rejection:?}"
                    );
                    assert_eq!(
                        model.decide(Some(&record), &command).map(|d| d.events),
                        Err(rejection),
                        "{next}: decide differs"
                    );
                    assert_eq!(before, record, "{next}: the record changed");
                    refused += 1;
                }
            }
        }
        record = expected.record;
    }
    assert!(
        refused > 20 && agreed > 20,
        "{refused} refused, {agreed} agreed"
    );
}

/// The deal `deal-1`, created by a manager on `clock`.
fn new_deal(clock: &mut crate::support::Scenario) -> Record {
    use crate::support::{create, manager};
    full()
        .apply(
            None,
            &clock.command(&manager(), create("deal-1", "deals", Value::Null)),
        )
        .expect("the deal is created")
        .record
}

/// Closed tasks that no live run reads leave the snapshot: at most `RECENT_CLOSED_TASKS` of
/// those closed at the current moment stay through it, none after it.
#[test]
fn closed_tasks_leave_the_snapshot_once_nothing_reads_them() {
    use voronka::record::{RECENT_CLOSED_TASKS, Recipient, TaskKind};
    use voronka::{Change, Event, Task, TaskStatus};
    let at: chrono::DateTime<chrono::Utc> = "2026-11-27T09:00:00Z".parse().expect("a moment");
    let event = |version: u64, at, change| Event {
        version,
        at,
        actor: "u-anna".into(),
        idempotency_key: None,
        by_automation: None,
        change,
    };
    let mut record = Record::from_created(&event(
        1,
        at,
        Change::Created {
            id: "deal-1".into(),
            entity: "deal".into(),
            pipeline: "deals".into(),
            stage: "contact".into(),
            responsible: None,
            fields: Default::default(),
        },
    ))
    .expect("a created event");
    let mut version = 1;
    for n in 1..=100 {
        version += 1;
        let task = Task {
            id: format!("deal-1:task-{n}"),
            code: "call".into(),
            automation: "d1_call".into(),
            run: "deal-1:run-0".into(),
            title: voronka::Label::new("Call", "Звонок"),
            description: None,
            assignee: Recipient::User("u-anna".into()),
            observers: Vec::new(),
            deadline: None,
            checklist: Vec::new(),
            answers: Default::default(),
            kind: TaskKind::Plain,
            status: TaskStatus::Open,
            created_at: at,
            closed_at: None,
            closed_by: None,
        };
        record.evolve(&event(
            version,
            at,
            Change::TaskCreated {
                task: Box::new(task),
            },
        ));
    }
    assert_eq!(record.tasks.len(), 100);
    for n in 1..=100 {
        version += 1;
        let close = Change::TaskClosed {
            task: format!("deal-1:task-{n}"),
            status: TaskStatus::Done,
            answers: Default::default(),
        };
        record.evolve(&event(version, at, close));
    }
    // The latest closed ones stay through this moment…
    assert_eq!(record.tasks.len(), RECENT_CLOSED_TASKS);
    assert_eq!(
        record.tasks.last().map(|t| t.id.as_str()),
        Some("deal-1:task-100")
    );
    // …and leave with the next event at a later moment.
    let later = at + chrono::Duration::minutes(1);
    let signal = Change::SignalReceived {
        name: "probe".into(),
        from: None,
    };
    record.evolve(&event(version + 1, later, signal));
    assert!(record.tasks.is_empty());
}
