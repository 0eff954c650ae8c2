//! Property tests: random command sequences on a deal and a lead of the eco-packaging model
//! never break the invariants, and definitions, records and commands round-trip through JSON.

use std::collections::BTreeMap;

use chrono::Duration;
use proptest::prelude::*;
use serde_json::{Value, json};
use voronka::definition::FieldType;
use voronka::{
    Action, Actor, Change, Command, Definition, Event, FieldDef, Model, Record, decode_json,
};

use crate::support::{self, full, model, start};

/// Sample values for a field: the first is valid, the others are valid or not.
fn candidates(field: &FieldDef) -> Vec<Value> {
    let mut out = match field.field_type {
        FieldType::Text | FieldType::LongText | FieldType::User => {
            vec![json!("Green Food"), json!("  padded  "), json!(12)]
        }
        FieldType::Integer => vec![json!(50), json!(0), json!(-3), json!("7"), json!(1.5)],
        FieldType::Decimal => vec![json!("12.50"), json!("abc"), json!(3)],
        FieldType::Money => vec![
            json!({ "amount": "100", "currency": "RUB" }),
            json!({ "amount": "1.234", "currency": "EUR" }),
            json!({ "amount": "5", "currency": "GBP" }),
            json!({ "amount": "-1", "currency": "RUB" }),
            json!({ "amount": 7, "currency": "usd" }),
        ],
        FieldType::Percent => vec![
            json!("30"),
            json!(30),
            json!("100.5"),
            json!("-1"),
            json!(2.5),
        ],
        FieldType::Date => vec![
            json!("2026-12-01"),
            json!("2026-02-30"),
            json!("01.12.2026"),
        ],
        FieldType::DateTime => vec![json!("2026-12-01T10:00:00+03:00"), json!("yesterday")],
        FieldType::YesNo => vec![json!(true), json!(false), json!("yes")],
        FieldType::Choice => {
            let mut v: Vec<Value> = field.options.iter().map(|o| json!(o.code)).collect();
            if let Some(other) = &field.other {
                v.push(json!(other.code));
                v.push(json!({ "option": other.code, "text": "Something else" }));
            }
            if let Some(first) = field.options.first() {
                v.push(json!({ "option": first.code, "text": "not allowed" }));
                v.push(json!([first.code]));
            }
            v.push(json!("nonsense"));
            v
        }
        FieldType::Email => vec![json!("maria@greenfood.example"), json!("maria@")],
        FieldType::Phone => vec![json!("+7 495 123-45-67"), json!("12345")],
        FieldType::Url => vec![json!("https://greenfood.example"), json!("greenfood")],
        FieldType::Address => vec![
            json!({ "country": "RU", "city": "Kazan", "street": "Baumana 5" }),
            json!({ "country": "RU" }),
            json!({ "country": "RU", "city": "Kazan", "street": "B 5", "floor": 3 }),
        ],
        FieldType::PersonName => vec![
            json!({ "last": "Petrova", "first": "Maria" }),
            json!({ "first": "Maria" }),
        ],
        FieldType::File => vec![
            json!({ "id": "f-1", "name": "scan.pdf" }),
            json!([{ "id": "f-1", "name": "scan.pdf" }]),
            json!({ "id": "" }),
        ],
        FieldType::LineItems => vec![
            json!([{ "name": "Box", "quantity": "10", "unit": "pcs", "price": "1.50", "vat_rate": "20" }]),
            json!([{ "name": "Box" }]),
            json!([{ "name": "Box", "quantity": "0", "unit": "pcs", "price": "1", "vat_rate": "20" }]),
        ],
        FieldType::Inn => vec![json!("1656123456"), json!("1656123457"), json!("16561")],
        FieldType::Kpp => vec![json!("165601001"), json!("1656-01")],
        FieldType::Ogrn => vec![json!("1161690123451"), json!("1161690123452")],
        FieldType::Bik => vec![json!("049205603"), json!("04920560X")],
        FieldType::BankAccount => {
            vec![json!("40702810462000012345"), json!("40702810562000012345")]
        }
        FieldType::CorrAccount => vec![json!("30101810600000000603"), json!("301018106")],
    };
    out.extend([json!(null), json!(""), json!([]), json!({})]);
    out
}

fn actors() -> Vec<Actor> {
    vec![
        support::manager(),
        support::head(),
        support::director(),
        support::accountant(),
        Actor::new("u-admin", &["admin"]),
        support::integration(),
        Actor::new("u-guest", &["guest"]),
    ]
}

/// One random step; indexes are taken modulo the sizes of what they pick from.
#[derive(Debug, Clone)]
enum Op {
    /// Move to a stage, setting random fields.
    Move {
        target: usize,
        among_next: bool,
        fields: Vec<(usize, usize)>,
    },
    /// Move to a stage, filling what it misses with valid values, except maybe one.
    MoveFilled {
        target: usize,
        among_next: bool,
        skip: Option<usize>,
    },
    /// Move to a stage with an override reason, as one of the roles that may (or the manager).
    Override { target: usize, among_next: bool },
    /// Set random fields.
    Set { fields: Vec<(usize, usize)> },
}

#[derive(Debug, Clone)]
struct Step {
    op: Op,
    actor: usize,
    reason: Option<usize>,
    advance_minutes: i64,
    version_offset: Option<i64>,
    key: Option<usize>,
}

fn op() -> impl Strategy<Value = Op> {
    let fields = prop::collection::vec((any::<usize>(), any::<usize>()), 0..4);
    prop_oneof![
        (any::<usize>(), prop::bool::weighted(0.75), fields.clone()).prop_map(
            |(target, among_next, fields)| {
                Op::Move {
                    target,
                    among_next,
                    fields,
                }
            }
        ),
        (
            any::<usize>(),
            prop::bool::weighted(0.75),
            prop::option::weighted(0.3, any::<usize>())
        )
            .prop_map(|(target, among_next, skip)| Op::MoveFilled {
                target,
                among_next,
                skip,
            }),
        (any::<usize>(), prop::bool::weighted(0.75))
            .prop_map(|(target, among_next)| Op::Override { target, among_next }),
        fields.prop_map(|fields| Op::Set { fields }),
    ]
}

fn step() -> impl Strategy<Value = Step> {
    (
        op(),
        // Mostly the manager and the head (who may move), sometimes anybody.
        prop_oneof![3 => 0usize..2, 1 => any::<usize>()],
        prop::option::weighted(0.3, any::<usize>()),
        prop_oneof![Just(0i64), 1i64..120],
        prop::option::weighted(0.1, -1i64..=1),
        prop::option::weighted(0.15, 0usize..3),
    )
        .prop_map(
            |(op, actor, reason, advance_minutes, version_offset, key)| Step {
                op,
                actor,
                reason,
                advance_minutes,
                version_offset,
                key,
            },
        )
}

const REASONS: [&str; 3] = ["The client confirmed by phone", "   ", "x"];

/// Builds the command of a step for the record as it is now.
fn command(
    model: &Model,
    record: &Record,
    step: &Step,
    now: chrono::DateTime<chrono::Utc>,
) -> Command {
    let def = model.definition();
    let entity = def
        .entities
        .iter()
        .find(|e| e.code == record.entity)
        .expect("the record's entity");
    let pipeline = def
        .pipelines
        .iter()
        .find(|p| p.code == record.pipeline)
        .expect("the record's pipeline");
    let pick_fields = |picks: &[(usize, usize)]| -> BTreeMap<String, Value> {
        picks
            .iter()
            .map(|&(f, v)| {
                let field = &entity.fields[f % entity.fields.len()];
                let pool = candidates(field);
                (field.code.clone(), pool[v % pool.len()].clone())
            })
            .collect()
    };
    let pick_stage = |target: usize, among_next: bool| -> String {
        let next = model.next_stages(record).expect("a known record");
        if among_next && !next.is_empty() {
            next[target % next.len()].clone()
        } else {
            pipeline.stages[target % pipeline.stages.len()].code.clone()
        }
    };
    let reason = step.reason.map(|r| REASONS[r % REASONS.len()].to_string());
    let action = match &step.op {
        Op::Move {
            target,
            among_next,
            fields,
        } => Action::Move {
            to: pick_stage(*target, *among_next),
            fields: pick_fields(fields),
            override_reason: reason,
        },
        Op::MoveFilled {
            target,
            among_next,
            skip,
        } => {
            let to = pick_stage(*target, *among_next);
            let missing = model
                .requirements(record, &to)
                .expect("a known stage")
                .missing;
            let mut fields = BTreeMap::new();
            for (i, m) in missing.iter().enumerate() {
                if skip.is_some_and(|s| s % missing.len() == i) {
                    continue;
                }
                let field = model
                    .field(&record.entity, &m.field)
                    .expect("a known field");
                let value = match (m.part, &field.other) {
                    (voronka::error::MissingPart::OtherText, Some(other)) => {
                        json!({ "option": other.code, "text": "Filled in" })
                    }
                    _ => candidates(field)[0].clone(),
                };
                fields.insert(m.field.clone(), value);
            }
            Action::Move {
                to,
                fields,
                override_reason: reason,
            }
        }
        Op::Override { target, among_next } => Action::Move {
            to: pick_stage(*target, *among_next),
            fields: BTreeMap::new(),
            override_reason: Some(REASONS[step.reason.unwrap_or(0) % REASONS.len()].to_string()),
        },
        Op::Set { fields } => Action::SetFields {
            fields: pick_fields(fields),
        },
    };
    let actors = actors();
    let actor = match step.op {
        // head, director, admin or manager
        Op::Override { .. } => actors[[1, 2, 4, 0][step.actor % 4]].clone(),
        _ => actors[step.actor % actors.len()].clone(),
    };
    Command {
        actor,
        now,
        expected_version: step
            .version_offset
            .map(|o| (record.version as i64 + o).max(0) as u64),
        idempotency_key: step.key.map(|k| format!("key-{k}")),
        org: None,
        action,
    }
}

/// The record entered its stage through a recorded override.
fn entered_by_override(record: &Record, log: &[Event]) -> bool {
    let last_entry = log
        .iter()
        .rposition(|e| matches!(&e.change, Change::StageChanged { to, .. } if *to == record.stage));
    match last_entry {
        Some(i) if i > 0 => matches!(
            &log[i - 1].change,
            Change::RequirementsOverridden { stage, .. } if *stage == record.stage
        ),
        _ => false,
    }
}

fn json_round_trip<T>(value: &T) -> T
where
    T: serde::Serialize + serde::de::DeserializeOwned,
{
    let text = serde_json::to_string(value).expect("serializable");
    match decode_json(&text) {
        Ok(back) => back,
        Err(e) => panic!("{e}\n{text}"),
    }
}

/// What the random steps did, to make sure they exercise more than rejections.
#[derive(Debug, Default)]
struct Stats {
    moves: usize,
    overrides: usize,
    sets: usize,
    rejections: BTreeMap<u32, usize>,
}

/// Runs random steps on a new record, checking the invariants after each one.
fn run_steps(create: Command, steps: &[Step], stats: &mut Stats) -> Result<(), TestCaseError> {
    let model = full();
    let created = model
        .apply(None, &create)
        .map_err(|r| TestCaseError::fail(format!("create rejected: {r:?}")))?;
    let mut record = created.record;
    let mut log = created.events;
    let mut now = create.now;
    for step in steps {
        now += Duration::minutes(step.advance_minutes);
        let cmd = command(model, &record, step, now);
        prop_assert_eq!(&json_round_trip(&cmd), &cmd, "a command round-trips");

        let first = model.decide(Some(&record), &cmd);
        let second = model.decide(Some(&record), &cmd);
        prop_assert_eq!(&first, &second, "decide is deterministic");

        let before = record.clone();
        match model.apply(Some(&record), &cmd) {
            Ok(outcome) => {
                prop_assert_eq!(Ok(&outcome.events), first.as_ref().map(|d| &d.events));
                for (i, e) in outcome.events.iter().enumerate() {
                    prop_assert_eq!(e.version, before.version + 1 + i as u64);
                    prop_assert_eq!(e.at, now);
                }
                for e in &outcome.events {
                    match e.change {
                        Change::StageChanged { .. } => stats.moves += 1,
                        Change::RequirementsOverridden { .. } => stats.overrides += 1,
                        Change::FieldsChanged { .. } => stats.sets += 1,
                        _ => {}
                    }
                }
                // Canonical values are fixed points: setting them again changes nothing.
                if let Action::SetFields { fields } | Action::Move { fields, .. } = &cmd.action {
                    let again: BTreeMap<String, Value> = fields
                        .keys()
                        .filter_map(|k| {
                            outcome.record.fields.get(k).map(|v| (k.clone(), v.clone()))
                        })
                        .collect();
                    let resend = Command {
                        actor: support::head(),
                        expected_version: None,
                        idempotency_key: None,
                        org: None,
                        action: Action::SetFields { fields: again },
                        ..cmd.clone()
                    };
                    if let Ok(decision) = model.decide(Some(&outcome.record), &resend) {
                        let events = decision.events;
                        prop_assert!(events.is_empty(), "canonical values changed: {events:?}");
                    }
                }
                log.extend(outcome.events);
                record = outcome.record;
            }
            Err(rejection) => {
                *stats
                    .rejections
                    .entry(rejection.code().as_u32())
                    .or_default() += 1;
                prop_assert_eq!(Some(&rejection), first.as_ref().err());
                prop_assert_eq!(&record, &before, "a rejected command changed the record");
            }
        }

        let requirements = model
            .requirements(&record, &record.stage)
            .map_err(|r| TestCaseError::fail(format!("{r:?}")))?;
        prop_assert!(
            requirements.missing.is_empty() || entered_by_override(&record, &log),
            "stage {} misses {:?} without a recorded override",
            record.stage,
            requirements.missing
        );
        let replayed = Record::replay(&log);
        prop_assert_eq!(
            replayed.as_ref(),
            Some(&record),
            "replay rebuilds the record"
        );
        prop_assert_eq!(&json_round_trip(&record), &record, "a record round-trips");
        prop_assert_eq!(record.version as usize, log.len());
    }
    Ok(())
}

fn create_command(pipeline: &str, fields: Value, actor: Actor) -> Command {
    Command {
        actor,
        now: start(),
        expected_version: None,
        idempotency_key: None,
        org: None,
        action: support::create("r-1", pipeline, fields),
    }
}

fn check_random_sequences(create: Command) -> Stats {
    let config = ProptestConfig {
        cases: 64,
        source_file: Some(file!()),
        ..ProptestConfig::default()
    };
    let mut runner = proptest::test_runner::TestRunner::new(config);
    // `run` takes a `Fn`: the statistics go through a `RefCell` (shrinking runs count too).
    let stats = std::cell::RefCell::new(Stats::default());
    let result = runner.run(&prop::collection::vec(step(), 1..30), |steps| {
        run_steps(create.clone(), &steps, &mut stats.borrow_mut())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    stats.into_inner()
}

#[test]
fn random_commands_on_a_deal_keep_the_invariants() {
    let stats = check_random_sequences(create_command("deals", json!(null), support::manager()));
    // The sequences must reach the interesting paths, not only rejections.
    assert!(
        stats.moves >= 64 && stats.overrides >= 16 && stats.sets >= 24,
        "{stats:?}"
    );
    assert!(stats.rejections.len() >= 7, "{stats:?}");
}

#[test]
fn random_commands_on_a_lead_keep_the_invariants() {
    let stats = check_random_sequences(create_command(
        "leads",
        support::lead_form(),
        support::integration(),
    ));
    assert!(
        stats.moves >= 64 && stats.overrides >= 16 && stats.sets >= 24,
        "{stats:?}"
    );
    assert!(stats.rejections.len() >= 7, "{stats:?}");
}

/// Random definitions, valid in shape (not necessarily in content).
fn definition() -> impl Strategy<Value = Value> {
    let code = prop::sample::select(vec!["a", "b", "deal", "Bad", "x_1", "offer", "won"]);
    let types = prop::sample::select(vec![
        "text",
        "long_text",
        "integer",
        "decimal",
        "money",
        "percent",
        "date",
        "date_time",
        "yes_no",
        "choice",
        "email",
        "phone",
        "url",
        "address",
        "person_name",
        "user",
        "file",
        "line_items",
    ]);
    let decimal = prop_oneof![
        Just(json!("0")),
        Just(json!("12.50")),
        Just(json!(-3)),
        Just(json!("79228162514264337593543950335")),
        Just(json!("0.0000001"))
    ];
    let field = (
        code.clone(),
        types,
        any::<bool>(),
        prop::option::of(decimal.clone()),
        prop::option::of(decimal),
        prop::option::of(0u32..30),
        prop::option::of(prop::collection::vec(
            prop::sample::select(vec!["manager", "head", "ghost"]),
            0..3,
        )),
        any::<bool>(),
    )
        .prop_map(
            |(code, ty, with_options, min, max, scale, editable_by, multiple)| {
                let mut f = json!({ "code": code, "type": ty, "label": { "en": "F", "ru": "П" } });
                if with_options {
                    f["options"] =
                        json!([{ "code": "one", "label": { "en": "One", "ru": "Один" } }]);
                    f["other"] =
                        json!({ "code": "other", "label": { "en": "Other", "ru": "Другое" } });
                }
                if let Some(min) = min {
                    f["min"] = min;
                }
                if let Some(max) = max {
                    f["max"] = max;
                }
                if let Some(scale) = scale {
                    f["scale"] = json!(scale);
                }
                if let Some(roles) = editable_by {
                    f["editable_by"] = json!(roles);
                }
                if multiple {
                    f["multiple"] = json!(true);
                }
                f
            },
        );
    let leaf_condition = (code.clone(), 0..4u8).prop_map(|(field, kind)| match kind {
        0 => json!({ "field": field, "filled": true }),
        1 => json!({ "field": field, "equals": "one" }),
        2 => json!({ "field": field, "equals": { "amount": "1", "currency": "RUB" } }),
        _ => json!({ "field": field, "one_of": ["one", 2, null] }),
    });
    let condition = leaf_condition.prop_recursive(3, 12, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(|all| json!({ "all": all })),
            prop::collection::vec(inner.clone(), 0..3).prop_map(|any| json!({ "any": any })),
            inner.prop_map(|not| json!({ "not": not })),
        ]
    });
    let requirement = prop_oneof![
        code.clone().prop_map(|c| json!(c)),
        (code.clone(), prop::option::of(condition.clone())).prop_map(|(field, when)| match when {
            Some(when) => json!({ "field": field, "when": when }),
            None => json!({ "field": field }),
        }),
        (
            prop::collection::vec(code.clone(), 0..3),
            prop::option::of(condition)
        )
            .prop_map(|(any_of, when)| match when {
                Some(when) => json!({ "any_of": any_of, "when": when }),
                None => json!({ "any_of": any_of }),
            }),
    ];
    let stage = (
        code.clone(),
        prop::sample::select(vec!["open", "won", "lost"]),
        any::<bool>(),
        any::<bool>(),
        prop::collection::vec(requirement, 0..3),
        prop::option::of(prop::collection::vec(
            prop::sample::select(vec!["manager", "head"]),
            0..2,
        )),
    )
        .prop_map(|(code, semantics, side, initial, requires, enter_roles)| {
            let mut s = json!({
                "code": code, "label": { "en": "S", "ru": "Э" }, "semantics": semantics,
                "side": side, "initial": initial, "requires": requires,
            });
            if let Some(roles) = enter_roles {
                s["enter_roles"] = json!(roles);
            }
            s
        });
    (
        prop::collection::vec(field, 0..6),
        prop::collection::vec(stage, 0..6),
        any::<bool>(),
        prop::collection::vec((code.clone(), code.clone()), 0..3),
        prop::collection::vec(code, 0..2),
    )
        .prop_map(|(fields, stages, previous, extra, from_any_open)| {
            json!({
                "format": 1,
                "code": "random",
                "label": { "en": "Random", "ru": "Случайное" },
                "roles": [
                    { "code": "manager", "label": { "en": "M", "ru": "М" } },
                    { "code": "head", "label": { "en": "H", "ru": "Р" } }
                ],
                "entities": [{ "code": "deal", "kind": "deal", "label": { "en": "D", "ru": "С" }, "fields": fields }],
                "pipelines": [{
                    "code": "p", "entity": "deal", "label": { "en": "P", "ru": "В" },
                    "stages": stages,
                    "moves": {
                        "previous": previous,
                        "extra": extra.iter().map(|(f, t)| json!({ "from": f, "to": t })).collect::<Vec<_>>(),
                        "from_any_open": from_any_open,
                        "return_from": []
                    },
                    "permissions": { "move": ["manager"], "override_requirements": ["head"] }
                }]
            })
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn definitions_round_trip_through_json_and_compile_without_panicking(value in definition()) {
        let text = value.to_string();
        let definition: Definition = match decode_json(&text) {
            Ok(d) => d,
            Err(e) => return Err(TestCaseError::fail(format!("{e}\n{text}"))),
        };
        let again: Definition = json_round_trip(&definition);
        prop_assert_eq!(&again, &definition);
        let first = Model::compile(definition.clone()).map(|_| ()).map_err(|e| e.0);
        let second = Model::compile(again).map(|_| ()).map_err(|e| e.0);
        prop_assert_eq!(first, second, "compile is deterministic");
    }
}

#[test]
fn the_eco_packaging_definition_round_trips() {
    let definition = model().definition().clone();
    assert_eq!(json_round_trip(&definition), definition);
    // And compiles to a model that behaves the same on a sample command.
    let again = Model::compile(json_round_trip(&definition)).expect("compiles");
    let create = create_command("deals", support::deal_offer(), support::manager());
    assert_eq!(again.decide(None, &create), model().decide(None, &create));
}
