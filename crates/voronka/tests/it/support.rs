//! A small scenario harness: the built-in model, a clock advanced by hand, the case's actors,
//! and helpers to create a lead or a deal and walk it through its stages.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use chrono::{DateTime, Duration, Utc};
use serde_json::Value;
use voronka::{Action, Actor, Command, Event, MissingField, Model, Record, Rejection};

/// The eco-packaging funnels without their automations, compiled once: the stage and
/// requirement tests look at the funnels alone.
pub fn model() -> &'static Model {
    static MODEL: OnceLock<Model> = OnceLock::new();
    MODEL.get_or_init(|| {
        let mut definition = full().definition().clone();
        for p in &mut definition.pipelines {
            p.automations.clear();
        }
        Model::compile(definition).expect("the funnels compile without their automations")
    })
}

/// The built-in eco-packaging model with every automation, compiled once.
pub fn full() -> &'static Model {
    static MODEL: OnceLock<Model> = OnceLock::new();
    MODEL.get_or_init(|| match voronka::examples::eco_packaging() {
        Ok(model) => model,
        Err(e) => panic!(
            "the eco-packaging model must compile: {:#?}",
            e.diagnostics()
        ),
    })
}

/// The first moment of every scenario.
pub fn start() -> DateTime<Utc> {
    "2026-11-27T09:00:00Z"
        .parse()
        .expect("a valid RFC 3339 moment")
}

/// A sales manager (the responsible user of leads and deals).
pub fn manager() -> Actor {
    Actor::new("u-anna", &["manager"])
}

/// The head of the sales department.
pub fn head() -> Actor {
    Actor::new("u-boris", &["head"])
}

/// The director.
pub fn director() -> Actor {
    Actor::new("u-dmitry", &["director"])
}

/// An accountant.
pub fn accountant() -> Actor {
    Actor::new("u-vera", &["accountant"])
}

/// The inbound channel (web forms, e-mail, social networks) creating leads.
pub fn integration() -> Actor {
    Actor::new("svc-forms", &["integration"])
}

/// Field values from a JSON object literal.
pub fn fields(value: Value) -> BTreeMap<String, Value> {
    match value {
        Value::Object(map) => map.into_iter().collect(),
        Value::Null => BTreeMap::new(),
        other => panic!("fields must be a JSON object, not {other}"),
    }
}

/// The codes of missing fields, in order.
pub fn codes(missing: &[MissingField]) -> Vec<&str> {
    missing.iter().map(|m| m.field.as_str()).collect()
}

/// Valid lead fields for L1 (the web form).
pub fn lead_form() -> Value {
    serde_json::json!({
        "source": "website",
        "contact_name": "Ivan Petrov",
        "contact_email": "ivan@greenfood.example",
    })
}

/// Valid lead fields for L4 (processing the request).
pub fn lead_processing() -> Value {
    serde_json::json!({
        "company_full_name": "OOO Green Food",
        "company_short_name": "Green Food",
        "decision_maker": { "last": "Petrova", "first": "Maria" },
        "company_phone": "+7 495 123-45-67",
        "decision_maker_email": "maria@greenfood.example",
        "company_address": { "country": "RU", "city": "Moscow", "street": "Tverskaya 1" },
        "decision_maker_address": { "country": "RU", "city": "Moscow", "street": "Tverskaya 1" },
    })
}

/// Valid deal fields for D2 (commercial offer).
pub fn deal_offer() -> Value {
    serde_json::json!({
        "company_type": "manufacturer",
        "website": "https://greenfood.example",
        "delivery_address": { "country": "RU", "city": "Kazan", "street": "Baumana 5" },
    })
}

/// Valid deal fields for D4 (samples preparation).
pub fn deal_samples() -> Value {
    serde_json::json!({
        "sample_dimensions": "300x200x100 mm",
        "fastening_type": "lock",
        "sample_quantity": 50,
        "sample_material": "kraft",
    })
}

/// Valid deal fields for D8 (prepayment).
pub fn deal_prepayment() -> Value {
    serde_json::json!({
        "packaging_type": "box",
        "cost": { "amount": "125000", "currency": "RUB" },
        "prepayment_percent": "30",
    })
}

/// The main sequence of the deal funnel, D1 to D13.
pub const DEAL_SEQUENCE: [&str; 12] = [
    "contact",
    "offer",
    "negotiation",
    "samples_prep",
    "samples_sent",
    "feedback",
    "contract",
    "prepayment",
    "production",
    "shipment",
    "payment",
    "won",
];

/// One record going through a scenario, with its own clock.
pub struct Scenario {
    /// The current moment; commands carry it, [`Scenario::advance`] moves it forward.
    pub now: DateTime<Utc>,
    record: Option<Record>,
    /// Every event of the record, as a host's event log keeps them.
    log: Vec<Event>,
}

impl Scenario {
    /// No record yet, the clock at [`start`].
    pub fn new() -> Scenario {
        Scenario {
            now: start(),
            record: None,
            log: Vec::new(),
        }
    }

    /// A scenario whose lead was created by the inbound channel with [`lead_form`].
    pub fn lead() -> Scenario {
        let mut s = Scenario::new();
        s.ok(&integration(), create("lead-1", "leads", lead_form()));
        s
    }

    /// A scenario whose deal was created by the manager, in D1.
    pub fn deal() -> Scenario {
        let mut s = Scenario::new();
        s.ok(&manager(), create("deal-1", "deals", Value::Null));
        s
    }

    /// A deal walked along the main sequence up to `stage`, filling what each stage needs
    /// (the head moves it into prepayment).
    pub fn deal_at(stage: &str) -> Scenario {
        let mut s = Scenario::deal();
        for next in DEAL_SEQUENCE.iter().skip(1) {
            if s.record().stage == stage {
                break;
            }
            let (actor, values) = match *next {
                "offer" => (manager(), deal_offer()),
                "samples_prep" => (manager(), deal_samples()),
                "prepayment" => (head(), deal_prepayment()),
                _ => (manager(), Value::Null),
            };
            s.ok(&actor, move_to(next, values));
        }
        assert_eq!(s.record().stage, stage, "deal_at: no such stage");
        s
    }

    /// The record (panics before it exists).
    pub fn record(&self) -> &Record {
        self.record.as_ref().expect("the scenario has a record")
    }

    /// The record's event log: every event since it was created.
    pub fn log(&self) -> &[Event] {
        &self.log
    }

    /// Moves the clock forward.
    pub fn advance(&mut self, minutes: i64) {
        self.now += Duration::minutes(minutes);
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

    /// Applies a command; on success keeps the new record and appends its events to the log,
    /// on rejection checks that nothing changed. Every accepted command also checks the
    /// protocol: `decide` gives the same events and effects, evolving the old record by them
    /// gives the new one, and replaying the whole log rebuilds it. The clock advances one
    /// minute after every command.
    pub fn run(&mut self, command: &Command) -> Result<Vec<Event>, Rejection> {
        let before = self.record.clone();
        let result = voronka::Model::apply(model(), self.record.as_ref(), command);
        self.advance(1);
        match result {
            Ok(outcome) => {
                check_protocol(model(), before, command, &outcome, &mut self.log);
                self.record = Some(outcome.record);
                Ok(outcome.events)
            }
            Err(rejection) => {
                assert_eq!(self.record, before, "a rejected command changed the record");
                Err(rejection)
            }
        }
    }

    /// Runs `action` as `actor`.
    pub fn try_(&mut self, actor: &Actor, action: Action) -> Result<Vec<Event>, Rejection> {
        let command = self.command(actor, action);
        self.run(&command)
    }

    /// Runs `action` as `actor` and panics, with the English message, when it is rejected.
    pub fn ok(&mut self, actor: &Actor, action: Action) -> Vec<Event> {
        match self.try_(actor, action) {
            Ok(events) => events,
            Err(r) => panic!("rejected: {} ({r:?})", r.message(voronka::Lang::En)),
        }
    }

    /// Runs `action` as `actor` and returns the rejection; panics when it is accepted.
    pub fn rejected(&mut self, actor: &Actor, action: Action) -> Rejection {
        match self.try_(actor, action) {
            Ok(events) => panic!("accepted, events: {events:#?}"),
            Err(r) => r,
        }
    }
}

/// Create a record in `pipeline` (its initial stage) with these fields.
pub fn create(id: &str, pipeline: &str, values: Value) -> Action {
    Action::Create {
        id: id.into(),
        pipeline: pipeline.into(),
        stage: None,
        responsible: Some(manager().user),
        fields: fields(values),
    }
}

/// Move to `to`, setting these fields in the same command.
pub fn move_to(to: &str, values: Value) -> Action {
    Action::Move {
        to: to.into(),
        fields: fields(values),
        override_reason: None,
    }
}

/// Move to `to` despite unmet requirements, for `reason`.
pub fn override_to(to: &str, reason: &str) -> Action {
    Action::Move {
        to: to.into(),
        fields: BTreeMap::new(),
        override_reason: Some(reason.into()),
    }
}

/// Set these fields.
pub fn set(values: Value) -> Action {
    Action::SetFields {
        fields: fields(values),
    }
}

/// The rejection of a move from `from` (empty: creating) to `to`, with the stages' labels.
pub fn not_allowed(pipeline: &str, from: &str, to: &str) -> Rejection {
    let (from, to) = (from.to_string(), to.to_string());
    let label = |code: &str| {
        model()
            .definition()
            .pipelines
            .iter()
            .find(|p| p.code == pipeline)
            .and_then(|p| p.stages.iter().find(|s| s.code == code))
            .map(|s| s.label.clone())
            .unwrap_or_else(|| panic!("no stage {code} in {pipeline}"))
    };
    Rejection::TransitionNotAllowed {
        from_label: (!from.is_empty()).then(|| label(&from)),
        to_label: label(&to),
        from,
        to,
    }
}

/// Every task a record's log created, oldest first, with its status, answers and checklist as
/// the log leaves them: the snapshot keeps only the open ones and those a live run reads.
pub fn tasks_in_log(log: &[Event]) -> Vec<voronka::Task> {
    use voronka::Change;
    let mut tasks: Vec<voronka::Task> = Vec::new();
    for event in log {
        match &event.change {
            Change::TaskCreated { task } => tasks.push((**task).clone()),
            Change::TaskAnswered { task, answers } => {
                if let Some(t) = tasks.iter_mut().find(|t| &t.id == task) {
                    for (k, v) in answers {
                        if v.is_null() {
                            t.answers.remove(k);
                        } else {
                            t.answers.insert(k.clone(), v.clone());
                        }
                    }
                }
            }
            Change::ChecklistChecked { task, item, done } => {
                if let Some(entry) = tasks
                    .iter_mut()
                    .find(|t| &t.id == task)
                    .and_then(|t| t.checklist.get_mut(*item))
                {
                    entry.done = *done;
                }
            }
            Change::TaskClosed {
                task,
                status,
                answers,
            } => {
                if let Some(t) = tasks.iter_mut().find(|t| &t.id == task) {
                    t.status = *status;
                    t.closed_at = Some(event.at);
                    t.closed_by = Some(event.actor.clone());
                    t.answers.extend(answers.clone());
                }
            }
            _ => {}
        }
    }
    tasks
}

/// Checks the protocol on an accepted command and appends its events to `log`: `decide` gives
/// `apply`'s events, effects and trace, evolving the record `before` by them gives `apply`'s
/// record, and replaying the whole log rebuilds it.
pub fn check_protocol(
    model: &Model,
    before: Option<Record>,
    command: &Command,
    outcome: &voronka::Outcome,
    log: &mut Vec<Event>,
) {
    let decision = model
        .decide(before.as_ref(), command)
        .expect("decide accepts what apply accepted");
    assert_eq!(decision.events, outcome.events, "decide and apply disagree");
    assert_eq!(
        decision.effects, outcome.effects,
        "decide and apply disagree"
    );
    assert_eq!(decision.trace, outcome.trace, "decide and apply disagree");
    if let Some(mut evolved) = before {
        for event in &decision.events {
            evolved.evolve(event);
        }
        assert_eq!(
            evolved, outcome.record,
            "evolve does not give apply's record"
        );
    }
    log.extend(outcome.events.iter().cloned());
    assert_eq!(
        Record::replay(log).as_ref(),
        Some(&outcome.record),
        "replaying the log does not rebuild the record"
    );
}

/// The `.json` files directly in `dir`, sorted by name.
pub fn json_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("readable directory").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}
