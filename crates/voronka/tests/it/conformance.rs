//! Conformance fixtures: language-neutral scenarios in `tests/fixtures/conformance/` (see its
//! README). Each is replayed here; the npm and C bindings replay the same files.
//!
//! `VORONKA_UPDATE_FIXTURES=1` rewrites the expected events, errors and final records from
//! what the library does now: read every change before committing it.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use voronka::{Command, Error, Lang, Model, Record, decode_json};

/// One scenario: a definition, commands with their expected outcomes, the final record.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Fixture {
    name: String,
    case: String,
    definition: Value,
    steps: Vec<Step>,
    record: Value,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Step {
    command: Value,
    expect: Value,
}

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/conformance")
}

fn fixture_files() -> Vec<PathBuf> {
    crate::support::json_files(&dir())
}

fn model_for(definition: &Value) -> Result<Model, String> {
    match definition {
        Value::String(name) if name == "eco-packaging" => {
            voronka::examples::eco_packaging().map_err(|e| format!("{:?}", e.diagnostics()))
        }
        Value::Object(_) => {
            Model::from_json(&definition.to_string()).map_err(|e| format!("{:?}", e.diagnostics()))
        }
        other => Err(format!(
            "\"definition\" must be \"eco-packaging\" or an object, not {other}"
        )),
    }
}

/// Runs a fixture's commands; returns the actual outcome of each step and the final record.
fn run(fixture: &Fixture) -> Result<(Vec<Value>, Value), String> {
    let model = model_for(&fixture.definition)?;
    let mut record: Option<Record> = None;
    let mut outcomes = Vec::new();
    for (i, step) in fixture.steps.iter().enumerate() {
        let command: Command = decode_json(&step.command.to_string())
            .map_err(|e| format!("steps[{i}].command: {e}"))?;
        match model.apply(record.as_ref(), &command) {
            Ok(outcome) => {
                outcomes.push(json!({ "events": outcome.events }));
                record = Some(outcome.record);
            }
            Err(rejection) => {
                let report = Error::Rejected(rejection).report(Lang::En);
                outcomes.push(json!({ "error": report }));
            }
        }
    }
    let record = serde_json::to_value(&record).map_err(|e| e.to_string())?;
    Ok((outcomes, record))
}

fn check(path: &Path, update: bool) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let mut fixture: Fixture = decode_json(&text).map_err(|e| e.to_string())?;
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    if fixture.name != stem {
        return Err(format!(
            "\"name\" is {:?}, the file is {stem:?}",
            fixture.name
        ));
    }
    if fixture.case.trim().is_empty() || fixture.steps.is_empty() {
        return Err("a fixture needs a case id and at least one step".into());
    }
    let (outcomes, record) = run(&fixture)?;
    if update {
        for (step, outcome) in fixture.steps.iter_mut().zip(outcomes) {
            step.expect = outcome;
        }
        fixture.record = record;
        let mut out = serde_json::to_string_pretty(&fixture).map_err(|e| e.to_string())?;
        out.push('\n');
        std::fs::write(path, out).map_err(|e| e.to_string())?;
        return Ok(());
    }
    let mut problems = Vec::new();
    for (i, (step, actual)) in fixture.steps.iter().zip(&outcomes).enumerate() {
        if &step.expect != actual {
            problems.push(format!(
                "steps[{i}]: expected\n{}\ngot\n{}",
                pretty(&step.expect),
                pretty(actual)
            ));
        }
    }
    if fixture.record != record {
        problems.push(format!(
            "record: expected\n{}\ngot\n{}",
            pretty(&fixture.record),
            pretty(&record)
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}

#[test]
fn conformance_fixtures() {
    let update = std::env::var("VORONKA_UPDATE_FIXTURES").is_ok_and(|v| v == "1");
    let files = fixture_files();
    assert!(
        !files.is_empty(),
        "no fixtures in {}: the conformance suite must not pass empty",
        dir().display()
    );
    let failures: Vec<String> = files
        .iter()
        .filter_map(|path| {
            check(path, update).err().map(|e| {
                format!(
                    "{}: {e}",
                    path.file_name().unwrap_or_default().to_string_lossy()
                )
            })
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} fixtures failed:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n\n")
    );
}

#[test]
fn fixtures_cover_every_rejection_code_the_core_produces() {
    let mut seen = std::collections::BTreeSet::new();
    for path in fixture_files() {
        let text = std::fs::read_to_string(&path).expect("readable");
        let fixture: Fixture = decode_json(&text).expect("a fixture");
        for step in &fixture.steps {
            if let Some(code) = step.expect["error"]["code"].as_u64() {
                seen.insert(code);
            }
        }
    }
    let all: std::collections::BTreeSet<u64> = (3001..=3022).collect();
    let missing: Vec<_> = all.difference(&seen).collect();
    assert!(
        missing.is_empty(),
        "no fixture expects error code(s) {missing:?}"
    );
}

/// `decide` gives the events, effects and trace of `apply` at every step of every fixture,
/// evolving the record by them gives `apply`'s record, replaying the log of all accepted
/// events rebuilds it, and a rejection is the same rejection.
#[test]
fn decide_and_evolve_agree_with_apply_at_every_fixture_step() {
    let mut rejections = 0;
    let mut accepted = 0;
    for path in fixture_files() {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let text = std::fs::read_to_string(&path).expect("readable");
        let fixture: Fixture = serde_json::from_str(&text).expect("a fixture");
        let model = model_for(&fixture.definition).expect("the fixture's definition compiles");
        let mut record: Option<Record> = None;
        let mut log = Vec::new();
        for (i, step) in fixture.steps.iter().enumerate() {
            let command: Command = decode_json(&step.command.to_string()).expect("a command");
            let applied = model.apply(record.as_ref(), &command);
            match (model.decide(record.as_ref(), &command), applied) {
                (Ok(d), Ok(o)) => {
                    assert_eq!(
                        (&d.events, &d.effects, &d.trace),
                        (&o.events, &o.effects, &o.trace),
                        "{name} step {i}: decide and apply differ"
                    );
                    if let Some(mut evolved) = record.take() {
                        for event in &d.events {
                            evolved.evolve(event);
                        }
                        assert_eq!(evolved, o.record, "{name} step {i}: evolve differs");
                    }
                    log.extend(o.events);
                    assert_eq!(
                        Record::replay(&log).as_ref(),
                        Some(&o.record),
                        "{name} step {i}: replay differs"
                    );
                    accepted += 1;
                    record = Some(o.record);
                }
                (Err(a), Err(b)) => {
                    assert_eq!(a, b, "{name} step {i}: rejections differ");
                    rejections += 1;
                }
                (a, b) => panic!("{name} step {i}: decide gave {a:?}, apply {b:?}"),
            }
        }
    }
    assert!(
        accepted > 50 && rejections > 20,
        "{accepted} accepted, {rejections} rejected"
    );
}
