//! A record's size is bounded by what is live, not by its age: a million accepted commands on
//! one deal leave a snapshot as small as after a thousand, and loadable under the default
//! limits. Run in release (`cargo test --release -p voronka --test growth`).

use chrono::{DateTime, Duration, Utc};
use serde_json::json;
use voronka::{Action, Actor, Command, Lang, Limits, Record};

const COMMANDS: usize = 1_000_000;

fn command(actor: &Actor, now: DateTime<Utc>, key: Option<String>, action: Action) -> Command {
    Command {
        actor: actor.clone(),
        now,
        expected_version: None,
        idempotency_key: key,
        org: None,
        action,
    }
}

// case: D1, D3 (a deal edited a million times)
#[test]
fn a_million_commands_leave_the_record_bounded_and_loadable() {
    let model = voronka::examples::eco_packaging().expect("the example compiles");
    let manager = Actor::new("u-anna", &["manager"]);
    let mut now: DateTime<Utc> = "2026-11-27T09:00:00Z".parse().expect("a moment");
    let create = Action::Create {
        id: "deal-1".into(),
        pipeline: "deals".into(),
        stage: None,
        responsible: Some("u-anna".into()),
        fields: serde_json::from_value(json!({"company_name": "Green Food"})).expect("fields"),
    };
    let mut record = model
        .apply(None, &command(&manager, now, None, create))
        .expect("created")
        .record;
    // Two long notes (about 210 characters each), set in turn under a fresh idempotency key,
    // with a tick now and then: each command is accepted and changes the record.
    let notes = ["Б".repeat(210), "Client asks for kraft boxes; ".repeat(7)];
    let mut sets = 0;
    let mut size_after_100_000 = 0;
    let mut largest = 0;
    for i in 0..COMMANDS {
        now += Duration::seconds(1);
        let action = if i % 1000 == 999 {
            Action::Tick
        } else {
            sets += 1;
            Action::SetFields {
                fields: serde_json::from_value(json!({"negotiation_comment": notes[sets % 2]}))
                    .expect("fields"),
            }
        };
        let outcome = model
            .apply(
                Some(&record),
                &command(&manager, now, Some(format!("k-{i}")), action),
            )
            .unwrap_or_else(|r| panic!("command {i} rejected: {r:?}"));
        record = outcome.record;
        if i % 1000 == 999 {
            let size = serde_json::to_string(&record).expect("encodes").len();
            largest = largest.max(size);
            if i == 99_999 {
                size_after_100_000 = size;
            }
        }
    }
    // Every edit was an event (and the ticks fired the deal's first reminders).
    assert!(record.version as usize > sets, "{} events", record.version);
    let text = serde_json::to_string(&record).expect("encodes");
    // The snapshot stays under 4 KB all along; from a hundred thousand commands to a million
    // it grows only by the digits of ids and versions (one more digit each in the window of
    // 64 recent keys).
    assert!(largest <= 4096, "{largest} bytes at most");
    assert!(
        text.len() <= size_after_100_000 + 3 * Limits::RECENT_KEYS,
        "{} bytes after a million commands, {size_after_100_000} after a hundred thousand",
        text.len()
    );
    assert_eq!(record.recent_keys.len(), Limits::RECENT_KEYS);
    // It loads under the default limits and takes further commands.
    let loaded: Record =
        voronka::api::decode(&text, model.limits(), Lang::En).expect("the record loads");
    assert_eq!(loaded, record);
    now += Duration::seconds(1);
    let next = Action::SetFields {
        fields: serde_json::from_value(json!({"negotiation_comment": "last"})).expect("fields"),
    };
    assert!(
        model
            .apply(
                Some(&loaded),
                &command(&manager, now, Some("k-last".into()), next)
            )
            .is_ok()
    );
}
