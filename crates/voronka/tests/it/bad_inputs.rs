//! The catalogue of bad inputs (`tests/fixtures/bad-inputs/`, see its README): one case per
//! class of bad input, each with the exact code, name and path of the error expected. Replayed
//! here through `voronka::api` (the JSON calls both bindings use); the npm package and the C
//! library replay the same files.
//!
//! `VORONKA_UPDATE_FIXTURES=1` rewrites the expected errors from what the library does now:
//! read every change before committing it.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;
use voronka::{ErrorReport, Lang, api, decode_json};

/// One bad input: the model (and its options), the commands that build the record, the bad
/// input, and the error it must give.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    class: String,
    about: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    definition: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    definition_text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    options: Option<Value>,
    setup: Vec<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    input: Option<Input>,
    expect: Expect,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Input {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    record_text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    command: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    command_text: Option<String>,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    code: u32,
    name: String,
    path: Option<String>,
}

/// The classes the catalogue must cover (issue 8), and the limits.
const CLASSES: [&str; 19] = [
    "malformed_json",
    "wrong_types",
    "unknown_codes",
    "out_of_range",
    "unauthorized_actor",
    "stale_version",
    "repeated_idempotency_key",
    "tick_back_in_time",
    "oversized_input",
    "limit_json_depth",
    "limit_definition_depth",
    "limit_stages_per_pipeline",
    "limit_fields_per_entity",
    "limit_activities_per_pipeline",
    "limit_value_length",
    "limit_events_per_command",
    "limit_steps_per_command",
    "limit_timers_per_tick",
    "markup_injection",
];

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/bad-inputs")
}

fn definition_text(case: &Case) -> Result<String, String> {
    match (&case.definition, &case.definition_text) {
        (Some(Value::String(name)), None) if name == "eco-packaging" => {
            Ok(voronka::examples::ECO_PACKAGING.to_string())
        }
        (Some(object @ Value::Object(_)), None) => Ok(object.to_string()),
        (None, Some(text)) => Ok(text.clone()),
        _ => Err(
            "give \"definition\" (\"eco-packaging\" or an object) or \"definition_text\"".into(),
        ),
    }
}

/// Runs a case; returns the error report the bad input gave.
fn run(case: &Case) -> Result<ErrorReport, String> {
    let options = case.options.as_ref().map(Value::to_string);
    let model = match api::load_with_options(&definition_text(case)?, options.as_deref(), Lang::En)
    {
        Ok(model) => model,
        Err(report) if case.input.is_none() && case.setup.is_empty() => return Ok(report),
        Err(report) => return Err(format!("the definition does not load: {report:?}")),
    };
    let Some(input) = &case.input else {
        return Err("the definition loaded, but the case has no input".into());
    };
    let mut record: Option<String> = None;
    for (i, command) in case.setup.iter().enumerate() {
        let outcome = api::apply(&model, record.as_deref(), &command.to_string(), Lang::En)
            .map_err(|r| format!("setup[{i}] rejected: {r:?}"))?;
        let outcome: Value = serde_json::from_str(&outcome).map_err(|e| e.to_string())?;
        record = Some(outcome["record"].to_string());
    }
    let record = input.record_text.clone().or(record);
    let command = match (&input.command, &input.command_text) {
        (Some(command), None) => command.to_string(),
        (None, Some(text)) => text.clone(),
        _ => return Err("the input needs \"command\" or \"command_text\"".into()),
    };
    let report = match api::apply(&model, record.as_deref(), &command, Lang::En) {
        Ok(outcome) => return Err(format!("the bad input was accepted: {outcome}")),
        Err(report) => report,
    };
    // Nothing changed: the same input again gives the same report, and the record, where
    // there is one, still takes a valid command at its own version.
    let again = api::apply(&model, record.as_deref(), &command, Lang::En);
    if again.as_ref().err() != Some(&report) {
        return Err(format!("the same input again gave {again:?}"));
    }
    if let Some(text) = record.filter(|_| input.record_text.is_none()) {
        let stored: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
        let probe = serde_json::json!({
            "actor": {"user": "u-probe", "roles": []},
            "now": stored["updated_at"],
            "expected_version": stored["version"],
            "action": {"type": "signal", "name": "probe"},
        });
        let probed = api::apply(&model, Some(&text), &probe.to_string(), Lang::En)
            .map_err(|r| format!("a command at the record's own version: {r:?}"))?;
        let probed: Value = serde_json::from_str(&probed).map_err(|e| e.to_string())?;
        if probed["events"][0]["version"].as_u64() != stored["version"].as_u64().map(|v| v + 1) {
            return Err(format!("the probe's events: {}", probed["events"]));
        }
    }
    Ok(report)
}

fn check(path: &Path, update: bool) -> Result<String, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let mut case: Case = decode_json(&text).map_err(|e| e.to_string())?;
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    if case.name != stem {
        return Err(format!("\"name\" is {:?}, the file is {stem:?}", case.name));
    }
    let report = run(&case)?;
    let actual = Expect {
        code: report.code,
        name: report.name.clone(),
        path: report.path.clone(),
    };
    if update {
        case.expect = actual;
        let mut out = serde_json::to_string_pretty(&case).map_err(|e| e.to_string())?;
        out.push('\n');
        std::fs::write(path, out).map_err(|e| e.to_string())?;
    } else if case.expect != actual {
        return Err(format!(
            "expected {:?}, got {actual:?}: {}",
            case.expect, report.message
        ));
    }
    Ok(case.class)
}

#[test]
fn every_bad_input_gives_its_code_and_path_and_changes_nothing() {
    let update = std::env::var("VORONKA_UPDATE_FIXTURES").is_ok_and(|v| v == "1");
    let files = crate::support::json_files(&dir());
    let mut classes = BTreeSet::new();
    let mut failures = Vec::new();
    for path in &files {
        match check(path, update) {
            Ok(class) => {
                classes.insert(class);
            }
            Err(e) => failures.push(format!(
                "{}: {e}",
                path.file_name().unwrap_or_default().to_string_lossy()
            )),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
    // The documents' case lives in docs/ and is replayed by voronka-docs.
    for docs_case in crate::support::json_files(&dir().join("docs")) {
        let text = std::fs::read_to_string(&docs_case).expect("readable");
        let case: Value = serde_json::from_str(&text).expect("a JSON case");
        classes.insert(case["class"].as_str().unwrap_or_default().to_string());
    }
    let missing: Vec<_> = CLASSES.iter().filter(|c| !classes.contains(**c)).collect();
    assert!(missing.is_empty(), "no case of class(es) {missing:?}");
}
