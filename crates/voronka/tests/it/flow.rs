//! A harness for automation scenarios: the full model (or an inline one), a clock moved only
//! by hand, and outcomes with their events, effects and trace. Every command is also run as a
//! preview (which must give the same outcome) and every accepted one is replayed.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};
use voronka::{
    Action, Actor, Change, Command, Effect, Event, Model, Outcome, Record, Rejection, Task,
    TaskStatus,
};

use crate::support::{self, full};

/// Who sends ticks (the host's scheduler).
pub fn clock() -> Actor {
    Actor::new("svc-clock", &[])
}

/// A moment from RFC 3339 text.
pub fn at(text: &str) -> DateTime<Utc> {
    text.parse().expect("a valid RFC 3339 moment")
}

/// One record through a scenario.
pub struct Flow<'m> {
    /// The model.
    pub model: &'m Model,
    /// The current moment: commands carry it; only the test moves it.
    pub now: DateTime<Utc>,
    record: Option<Record>,
    /// Every event of the record, as a host's event log keeps them.
    log: Vec<Event>,
}

impl Flow<'static> {
    /// The eco-packaging model with automations, at [`support::start`].
    pub fn eco() -> Flow<'static> {
        Flow::new(full())
    }

    /// A deal created by the manager with its client's details, in D1.
    pub fn deal() -> Flow<'static> {
        let mut f = Flow::eco();
        f.ok(
            &support::manager(),
            support::create("deal-1", "deals", client()),
        );
        f
    }

    /// A deal walked by moves along the main sequence up to `stage`.
    pub fn deal_at(stage: &str) -> Flow<'static> {
        let mut f = Flow::deal();
        for next in support::DEAL_SEQUENCE.iter().skip(1) {
            if f.record().stage == stage {
                break;
            }
            let (actor, values) = match *next {
                "offer" => (support::manager(), support::deal_offer()),
                "samples_prep" => (support::manager(), support::deal_samples()),
                "prepayment" => (support::head(), support::deal_prepayment()),
                _ => (support::manager(), Value::Null),
            };
            f.ok(&actor, support::move_to(next, values));
        }
        assert_eq!(f.record().stage, stage, "deal_at: no such stage");
        f
    }
}

/// The client's details of a deal.
pub fn client() -> Value {
    json!({
        "client_name": { "last": "Petrova", "first": "Maria" },
        "client_email": "maria@greenfood.example",
        "client_phone": "+7 495 123-45-67",
        "company_name": "Green Food",
    })
}

impl<'m> Flow<'m> {
    /// No record yet; the clock at [`support::start`].
    pub fn new(model: &'m Model) -> Flow<'m> {
        Flow {
            model,
            now: support::start(),
            record: None,
            log: Vec::new(),
        }
    }

    /// The record's event log: every event since it was created.
    pub fn log(&self) -> &[Event] {
        &self.log
    }

    /// The record (panics before it exists).
    pub fn record(&self) -> &Record {
        self.record.as_ref().expect("the flow has a record")
    }

    /// Sets the clock.
    pub fn set_clock(&mut self, text: &str) {
        self.now = at(text);
    }

    /// Moves the clock forward.
    pub fn advance(&mut self, by: Duration) {
        self.now += by;
    }

    /// A command of `actor` at the current moment.
    pub fn command(&self, actor: &Actor, action: Action) -> Command {
        Command {
            actor: actor.clone(),
            now: self.now,
            expected_version: None,
            idempotency_key: None,
            org: None,
            action,
        }
    }

    /// Runs a command: `decide` must give the same events and effects, and evolving the record
    /// by them the same record; an accepted command replaces the record and appends its events
    /// to the log (which must rebuild the record), a rejected one leaves it as it was.
    pub fn try_(&mut self, actor: &Actor, action: Action) -> Result<Outcome, Rejection> {
        let command = self.command(actor, action);
        let before = self.record.clone();
        let decision = self.model.decide(before.as_ref(), &command);
        let result = self.model.apply(before.as_ref(), &command);
        assert_eq!(self.record, before, "running a command changed its input");
        match (&decision, &result) {
            (Ok(_), Ok(outcome)) => {
                support::check_protocol(self.model, before, &command, outcome, &mut self.log);
                self.record = Some(outcome.record.clone());
            }
            (Err(a), Err(b)) => assert_eq!(a, b, "decide and apply differ"),
            _ => panic!("decide and apply differ: {decision:?} / {result:?}"),
        }
        result
    }

    /// Runs `action`; panics with the message when it is rejected.
    pub fn ok(&mut self, actor: &Actor, action: Action) -> Outcome {
        match self.try_(actor, action) {
            Ok(o) => o,
            Err(r) => panic!("rejected: {} ({r:?})", r.message(voronka::Lang::En)),
        }
    }

    /// Runs `action` and returns the rejection; panics when it is accepted.
    pub fn err(&mut self, actor: &Actor, action: Action) -> Rejection {
        let before = self.record.clone();
        match self.try_(actor, action) {
            Ok(o) => panic!("accepted, events: {:#?}", o.events),
            Err(r) => {
                assert_eq!(self.record, before);
                r
            }
        }
    }

    /// A tick at the current moment.
    pub fn tick(&mut self) -> Outcome {
        self.ok(&clock(), Action::Tick)
    }

    /// The latest task with this code.
    pub fn task(&self, code: &str) -> Task {
        self.record()
            .tasks
            .iter()
            .rev()
            .find(|t| t.code == code)
            .cloned()
            .unwrap_or_else(|| panic!("no task \"{code}\" in {:#?}", self.record().tasks))
    }

    /// Completes the latest task `code` with `answers`.
    pub fn complete(&mut self, actor: &Actor, code: &str, answers: Value) -> Outcome {
        let task = self.task(code).id;
        self.ok(actor, complete(&task, answers))
    }

    /// The due moments of pending timers, earliest first.
    pub fn timers(&self) -> Vec<DateTime<Utc>> {
        let mut out: Vec<_> = self.record().timers.iter().map(|t| t.due).collect();
        out.sort();
        out
    }

    /// The codes and statuses of every task the record's log created, oldest first.
    pub fn tasks(&self) -> Vec<(String, TaskStatus)> {
        support::tasks_in_log(&self.log)
            .iter()
            .map(|t| (t.code.clone(), t.status))
            .collect()
    }
}

/// Complete task `id` with `answers`.
pub fn complete(id: &str, answers: Value) -> Action {
    Action::CompleteTask {
        task: id.into(),
        answers: support::fields(answers),
    }
}

/// The `type` of each event, in order.
pub fn kinds(o: &Outcome) -> Vec<String> {
    o.events
        .iter()
        .map(|e| {
            serde_json::to_value(&e.change).expect("serializable")["type"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .collect()
}

/// The `type` of each effect, in order.
pub fn effect_kinds(o: &Outcome) -> Vec<String> {
    o.effects
        .iter()
        .map(|e| {
            serde_json::to_value(e).expect("serializable")["type"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .collect()
}

/// The trace as (automation, what, reason).
pub fn trace(o: &Outcome) -> Vec<(String, String, String)> {
    o.trace
        .iter()
        .map(|t| {
            (
                t.automation.clone(),
                serde_json::to_value(t.what)
                    .expect("serializable")
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                t.reason.clone(),
            )
        })
        .collect()
}

/// The tasks created by an outcome.
pub fn created_tasks(o: &Outcome) -> Vec<Task> {
    o.events
        .iter()
        .filter_map(|e| match &e.change {
            Change::TaskCreated { task } => Some(Task::clone(task)),
            _ => None,
        })
        .collect()
}

/// The e-mails of an outcome's effects.
pub fn emails(o: &Outcome) -> Vec<voronka::record::Email> {
    o.effects
        .iter()
        .filter_map(|e| match e {
            Effect::SendEmail { email, .. } => Some(email.clone()),
            _ => None,
        })
        .collect()
}

/// The field changes of an outcome, merged: field → new value (`None`: cleared).
pub fn field_changes(o: &Outcome) -> BTreeMap<String, Option<Value>> {
    let mut out = BTreeMap::new();
    for e in &o.events {
        if let Change::FieldsChanged { changes } = &e.change {
            for (k, c) in changes {
                out.insert(k.clone(), c.to.clone());
            }
        }
    }
    out
}

/// The timers an outcome cleared: (id, fired).
pub fn cleared(o: &Outcome) -> Vec<(String, bool)> {
    o.events
        .iter()
        .filter_map(|e| match &e.change {
            Change::TimerCleared { timer, fired } => Some((timer.clone(), *fired)),
            _ => None,
        })
        .collect()
}

/// The (stage from, stage to) moves of an outcome.
pub fn moves(o: &Outcome) -> Vec<(String, String)> {
    o.events
        .iter()
        .filter_map(|e| match &e.change {
            Change::StageChanged { from, to, .. } => Some((from.clone(), to.clone())),
            _ => None,
        })
        .collect()
}
