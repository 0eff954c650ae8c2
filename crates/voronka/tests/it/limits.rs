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
fn a_command_that_would_grow_the_history_past_events_per_record_is_rejected_and_changes_nothing() {
    let (record, _) = daily_report(full());
    let created = record.history.len();
    let limit = created + 1;
    let limits = Limits {
        events_per_record: limit,
        ..Limits::default()
    };
    let model = Model::compile_with_limits(full().definition().clone(), limits).expect("compiles");
    // Up to the limit, events are taken.
    let at_limit = model
        .apply(Some(&record), &probe(&record))
        .expect("one more event fits")
        .record;
    assert_eq!(at_limit.history.len(), limit);
    // One more is refused, with the limit's name and value and the length it would reach.
    let before = at_limit.clone();
    let err = rejected_over_limit(&model, &at_limit, &probe(&at_limit), "action");
    assert!(
        matches!(
            &err,
            Rejection::LimitExceeded { limit_name, limit: l, actual, .. }
                if limit_name == "events_per_record" && *l == limit && *actual == limit + 1
        ),
        "{err:?}"
    );
    // The owned path gives the record back as it was, with the same rejection.
    let (back, owned_err) = model
        .apply_owned(at_limit.clone(), &probe(&at_limit))
        .expect_err("the history is full");
    assert_eq!((back, owned_err), (before, err));
    // A create whose own events exceed the limit is refused too.
    let create = fixture_command("p06-first-daily-round", 0);
    let tiny = Limits {
        events_per_record: 1,
        ..Limits::default()
    };
    let tiny = Model::compile_with_limits(full().definition().clone(), tiny).expect("compiles");
    assert!(created > 1, "the create makes {created} events");
    assert!(matches!(
        tiny.apply(None, &command(&create)),
        Err(Rejection::LimitExceeded { limit_name, .. }) if limit_name == "events_per_record"
    ));
    // The default limit takes the command.
    assert!(full().apply(Some(&at_limit), &probe(&at_limit)).is_ok());
}

/// A record the host owns and lends to the core (`apply_owned`, the record store's path) comes
/// back exactly as it was when the engine rejects the command midway — after it has already
/// changed fields, the stage, tasks, timers and runs of the lent record — and otherwise gives
/// what `apply` gives without limits.
#[test]
fn an_owned_record_over_a_limit_midway_comes_back_exactly_as_it_was() {
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
    let (mut restored, mut agreed) = (0, 0);
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
            let mut in_place = record.clone();
            let applied = model.apply_in_place(&mut in_place, &command);
            match model.apply_owned(record.clone(), &command) {
                Ok(outcome) => {
                    assert_eq!(outcome, expected, "{next}: the outcome differs");
                    // In place: the same record, events in its history, effects and trace.
                    let applied = applied.expect("apply_in_place accepts it too");
                    assert_eq!(in_place, outcome.record, "{next}: in place differs");
                    assert_eq!(applied.events_in(&in_place), &outcome.events[..]);
                    assert_eq!(
                        (&applied.effects, &applied.trace),
                        (&outcome.effects, &outcome.trace)
                    );
                    agreed += 1;
                }
                Err((back, rejection)) => {
                    assert!(
                        matches!(
                            rejection,
                            Rejection::LimitExceeded { .. } | Rejection::AutomationLimit { .. }
                        ),
                        "{next}: {rejection:?}"
                    );
                    assert_eq!(back, record, "{next}: the lent record changed");
                    assert_eq!(applied, Err(rejection), "{next}: in place differs");
                    assert_eq!(in_place, record, "{next}: the record changed in place");
                    restored += 1;
                }
            }
        }
        record = expected.record;
    }
    assert!(
        restored > 20 && agreed > 20,
        "{restored} restored, {agreed} agreed"
    );
}

/// A lent record that stores a field as `null` (which a change reports as empty, `from:
/// None`) gets the `null` back, not a missing field, when the engine changes that field and
/// then rejects the command.
#[test]
fn a_stored_null_comes_back_after_a_rejection_midway() {
    use crate::support::{Scenario, deal_offer, manager, move_to};
    let mut clock = Scenario::new();
    let mut record = new_deal(&mut clock);
    record.fields.insert("website".into(), Value::Null);
    clock.advance(60);
    let command = clock.command(&manager(), move_to("offer", deal_offer()));
    let accepted = full()
        .apply(Some(&record), &command)
        .expect("accepted without limits");
    assert_eq!(
        accepted.record.fields["website"],
        json!("https://greenfood.example")
    );
    let one_event = Model::compile_with_limits(
        full().definition().clone(),
        Limits {
            events_per_command: 1,
            ..Limits::default()
        },
    )
    .expect("compiles");
    let mut in_place = record.clone();
    let rejection = one_event
        .apply_in_place(&mut in_place, &command)
        .expect_err("over the limit");
    assert!(matches!(rejection, Rejection::LimitExceeded { .. }));
    assert_eq!(in_place, record);
    assert_eq!(in_place.fields.get("website"), Some(&Value::Null));
    let (back, _) = one_event
        .apply_owned(record.clone(), &command)
        .expect_err("over the limit");
    assert_eq!(back, record);
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
