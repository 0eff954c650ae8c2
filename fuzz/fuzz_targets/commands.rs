//! A random sequence of commands, with times, applied to a record of the eco-packaging model.
//!
//! Stage, field, task and signal ids come from the model and the record, so the engine reaches
//! deep states (tasks, timers, approvals). Invariants checked at every step:
//! - applying never panics, and the same command on the same record gives the same result;
//! - a rejected command leaves the record unchanged;
//! - the outcome's events, evolved onto the old record, give the outcome's record.
//!
//! And at the end: replaying every event rebuilds the record, which round-trips through JSON.
#![no_main]

use std::collections::BTreeMap;

use arbitrary::Arbitrary;
use chrono::{DateTime, Duration, Utc};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use voronka::{Action, Actor, Command, Event, FieldDef, Record};
use voronka_fuzz::{FieldValue, eco, org};

#[derive(Arbitrary, Debug)]
struct Input {
    /// Which pipeline (modulo their number).
    pipeline: u8,
    /// Create in this stage (modulo), or the initial one.
    stage: Option<u8>,
    /// Create through `capture_lead` instead of `create`.
    capture: bool,
    /// Initial field values.
    fields: Vec<(u8, FieldValue)>,
    /// The commands after creation.
    steps: Vec<Step>,
}

#[derive(Arbitrary, Debug)]
struct Step {
    /// Who acts (modulo the actors).
    actor: u8,
    /// Minutes after the previous command (or before it, when `back`).
    minutes: u16,
    /// Move the clock back (the engine must reject it).
    back: bool,
    /// Pass the org structure with the command.
    with_org: bool,
    /// Set `expected_version` to the record's version minus this.
    expected_version: Option<u8>,
    /// An idempotency key out of a few, so repeats happen.
    key: Option<u8>,
    /// What to do.
    op: Op,
}

#[derive(Arbitrary, Debug)]
enum Op {
    Set(Vec<(u8, FieldValue)>),
    Move {
        stage: u8,
        fields: Vec<(u8, FieldValue)>,
        reason: Option<String>,
    },
    Tick,
    /// Tick at the record's next due moment (timers fire).
    TickAtDue,
    Complete {
        task: u8,
        answers: Vec<(u8, FieldValue)>,
    },
    Answer {
        task: u8,
        answers: Vec<(u8, FieldValue)>,
    },
    Check {
        task: u8,
        item: u8,
        done: bool,
    },
    Resolve {
        contact: bool,
        company: bool,
    },
    Signal {
        name: u8,
        from: bool,
    },
}

const SIGNALS: [&str; 3] = ["documents_approved", "documents_rejected", "unknown_signal"];

fn actors() -> Vec<Actor> {
    let mut out: Vec<Actor> = org()
        .users
        .iter()
        .map(|u| Actor {
            user: u.id.clone(),
            roles: u.roles.clone(),
        })
        .collect();
    out.push(Actor::new("svc-forms", &["integration"]));
    out.push(Actor::new("u-admin", &["admin"]));
    out.push(Actor::new("u-guest", &[]));
    out
}

fn pick<T>(items: &[T], n: u8) -> Option<&T> {
    (!items.is_empty()).then(|| &items[usize::from(n) % items.len()])
}

fn values(defs: &[FieldDef], chosen: &[(u8, FieldValue)]) -> BTreeMap<String, Value> {
    chosen
        .iter()
        .filter_map(|(n, v)| pick(defs, *n).map(|f| (f.code.clone(), v.to_json(Some(f)))))
        .collect()
}

/// The answers of a task's form.
fn answers(
    model: &voronka::Model,
    record: &Record,
    task: u8,
    chosen: &[(u8, FieldValue)],
) -> (String, BTreeMap<String, Value>) {
    match pick(&record.tasks, task) {
        Some(t) => {
            let form = model.task_form(&record.pipeline, &t.automation, &t.code);
            (t.id.clone(), values(form, chosen))
        }
        None => ("t-none".to_string(), BTreeMap::new()),
    }
}

fuzz_target!(|input: Input| {
    let model = eco();
    let definition = model.definition();
    let pipeline = pick(&definition.pipelines, input.pipeline).expect("pipelines exist");
    let fields: &[FieldDef] = definition
        .entities
        .iter()
        .find(|e| e.code == pipeline.entity)
        .map(|e| e.fields.as_slice())
        .unwrap_or_default();
    let actors = actors();
    let mut now: DateTime<Utc> = "2026-11-27T09:00:00Z".parse().expect("a valid moment");
    let command = |actor: &Actor, now, action, org: bool| Command {
        actor: actor.clone(),
        now,
        expected_version: None,
        idempotency_key: None,
        org: org.then(|| voronka_fuzz::org().clone()),
        action,
    };

    let create = if input.capture {
        Action::CaptureLead {
            id: "rec-1".into(),
            channel: "website".into(),
            fields: values(fields, &input.fields),
            responsible: Some("u-anna".into()),
        }
    } else {
        Action::Create {
            id: "rec-1".into(),
            pipeline: pipeline.code.clone(),
            stage: input
                .stage
                .and_then(|s| pick(&pipeline.stages, s))
                .map(|s| s.code.clone()),
            responsible: Some("u-anna".into()),
            fields: values(fields, &input.fields),
        }
    };
    let creator = if input.capture {
        &actors[actors.len() - 3]
    } else {
        &actors[0]
    };
    let Ok(created) = model.apply(None, &command(creator, now, create, true)) else {
        return;
    };
    assert_eq!(
        Record::replay(&created.events).as_ref(),
        Some(&created.record)
    );
    let mut record = created.record;
    let mut events: Vec<Event> = created.events;

    for step in input.steps.iter().take(64) {
        let minutes = Duration::minutes(i64::from(step.minutes));
        now = if step.back {
            now - minutes
        } else {
            now + minutes
        };
        let action = match &step.op {
            Op::Set(chosen) => Action::SetFields {
                fields: values(fields, chosen),
            },
            Op::Move {
                stage,
                fields: chosen,
                reason,
            } => Action::Move {
                to: pick(&pipeline.stages, *stage)
                    .map(|s| s.code.clone())
                    .unwrap_or_default(),
                fields: values(fields, chosen),
                override_reason: reason.clone(),
            },
            Op::Tick => Action::Tick,
            Op::TickAtDue => {
                if let Some(due) = record.next_due() {
                    now = now.max(due);
                }
                Action::Tick
            }
            Op::Complete { task, answers: a } => {
                let (task, answers) = answers(model, &record, *task, a);
                Action::CompleteTask { task, answers }
            }
            Op::Answer { task, answers: a } => {
                let (task, answers) = answers(model, &record, *task, a);
                Action::AnswerForm { task, answers }
            }
            Op::Check { task, item, done } => Action::CheckItem {
                task: answers(model, &record, *task, &[]).0,
                item: usize::from(*item % 8),
                done: *done,
            },
            Op::Resolve { contact, company } => Action::ResolveDuplicates {
                contact: contact.then(|| "contact-1".into()),
                company: company.then(|| "company-1".into()),
            },
            Op::Signal { name, from } => Action::Signal {
                name: SIGNALS[usize::from(*name) % SIGNALS.len()].into(),
                from: from.then(|| "rec-0".into()),
            },
        };
        let actor = pick(&actors, step.actor).expect("actors exist");
        let mut cmd = command(actor, now, action, step.with_org);
        cmd.expected_version = step
            .expected_version
            .map(|d| record.version.saturating_sub(u64::from(d % 3)));
        cmd.idempotency_key = step.key.map(|k| format!("key-{}", k % 4));

        let before = record.clone();
        let first = model.apply(Some(&record), &cmd);
        let second = model.apply(Some(&record), &cmd);
        assert_eq!(first, second, "the same command gave two results");
        assert_eq!(record, before, "applying changed the input record");
        match first {
            Ok(outcome) => {
                let mut evolved = record.clone();
                for e in &outcome.events {
                    evolved.evolve(e);
                }
                assert_eq!(evolved, outcome.record, "events do not rebuild the outcome");
                events.extend(outcome.events);
                record = outcome.record;
            }
            Err(rejection) => {
                // A rejection has a report in both languages.
                let error = voronka::Error::from(rejection);
                for lang in [voronka::Lang::En, voronka::Lang::Ru] {
                    let report = error.report(lang);
                    assert_eq!(
                        report.code / 1000,
                        3,
                        "a rejection outside 3xxx: {report:?}"
                    );
                }
            }
        }
    }

    assert_eq!(
        Record::replay(&events).as_ref(),
        Some(&record),
        "replaying the events does not rebuild the record"
    );
    let text = serde_json::to_string(&record).expect("a record serializes");
    let back: Record = voronka::decode_json(&text).expect("a record decodes");
    assert_eq!(back, record, "the record does not round-trip through JSON");
});
