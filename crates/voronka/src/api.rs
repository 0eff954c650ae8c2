//! JSON in, JSON out: the calls the npm package and the C library expose, in one place so both
//! behave byte for byte the same.
//!
//! Every function takes JSON text and returns JSON text, or an [`ErrorReport`] (code, name,
//! path, message in the requested language, structured details). Inputs are checked against
//! the model's [`Limits`] (size, nesting) before parsing; calls without a model use the
//! defaults.

use serde::{Deserialize, Serialize};

use crate::command::Command;
use crate::error::{Error, ErrorCode, ErrorReport, decode_json};
use crate::i18n::Lang;
use crate::limits::Limits;
use crate::model::Model;
use crate::record::{Event, Record};

/// Largest JSON input accepted by default, in bytes ([`Limits::input_bytes`]).
pub const MAX_INPUT_BYTES: usize = 16 * 1024 * 1024;

/// Options of a model, as the bindings pass them: `{"limits": {...}}` (every key optional).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ModelOptions {
    /// The limits the model enforces; missing ones take their defaults.
    pub limits: Limits,
}

fn report(error: impl Into<Error>, lang: Lang) -> ErrorReport {
    error.into().report(lang)
}

/// Decodes JSON input as every function here does: the size and nesting limits first, then
/// the value, with a coded report naming the path of a bad part.
pub fn decode<T: serde::de::DeserializeOwned>(
    text: &str,
    limits: &Limits,
    lang: Lang,
) -> Result<T, ErrorReport> {
    limits.check_input(text).map_err(|e| report(e, lang))?;
    decode_json(text).map_err(|e| report(e, lang))
}

fn encode(value: &impl Serialize) -> String {
    // Serializing the library's own types to JSON cannot fail: every map key is a string.
    serde_json::to_string(value).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}

/// Decodes and compiles a definition under the default [`Limits`].
pub fn load(definition: &str, lang: Lang) -> Result<Model, ErrorReport> {
    load_with(definition, Limits::default(), lang)
}

/// Decodes and compiles a definition under `limits`.
pub fn load_with(definition: &str, limits: Limits, lang: Lang) -> Result<Model, ErrorReport> {
    Model::from_json_with_limits(definition, limits).map_err(|e| report(e, lang))
}

/// Decodes the options (JSON text of [`ModelOptions`]; `None`, empty or `null`: the defaults),
/// then decodes and compiles the definition under them.
pub fn load_with_options(
    definition: &str,
    options: Option<&str>,
    lang: Lang,
) -> Result<Model, ErrorReport> {
    let options: ModelOptions = match options.map(str::trim) {
        None | Some("") | Some("null") => ModelOptions::default(),
        Some(text) => decode(text, &Limits::default(), lang)?,
    };
    load_with(definition, options.limits, lang)
}

/// Every problem of a definition as a JSON array of `{code, name, path, message}` (empty when
/// it compiles).
pub fn check(definition: &str, lang: Lang) -> String {
    let problems = match load(definition, lang) {
        Ok(_) => Vec::new(),
        Err(report) => match report.details.get("problems") {
            Some(serde_json::Value::Array(list)) => list.clone(),
            _ => vec![serde_json::json!({
                "code": report.code,
                "name": report.name,
                "path": report.path.unwrap_or_default(),
                "message": report.message,
            })],
        },
    };
    encode(&problems)
}

fn record(text: Option<&str>, limits: &Limits, lang: Lang) -> Result<Option<Record>, ErrorReport> {
    match text.map(str::trim) {
        None | Some("") | Some("null") => Ok(None),
        Some(t) => decode(t, limits, lang).map(Some),
    }
}

/// Decodes a record (or none) and a command, runs `call` on them and encodes its result.
fn with_command<T: serde::Serialize>(
    model: &Model,
    record_json: Option<&str>,
    command: &str,
    lang: Lang,
    call: impl FnOnce(Option<&Record>, &Command) -> Result<T, crate::Rejection>,
) -> Result<String, ErrorReport> {
    let limits = model.limits();
    let record = record(record_json, limits, lang)?;
    let command: Command = decode(command, limits, lang)?;
    call(record.as_ref(), &command)
        .map(|result| encode(&result))
        .map_err(|r| report(r, lang))
}

/// Applies a command (JSON) to a record (JSON, or `None`/`null` for create); returns the
/// outcome: `{record, events, effects, trace}`.
pub fn apply(
    model: &Model,
    record_json: Option<&str>,
    command: &str,
    lang: Lang,
) -> Result<String, ErrorReport> {
    with_command(model, record_json, command, lang, |r, c| model.apply(r, c))
}

/// Decides a command (JSON) against a record (JSON, or `None`/`null` for create) without
/// applying it; returns `{events, effects, trace}`.
pub fn decide(
    model: &Model,
    record_json: Option<&str>,
    command: &str,
    lang: Lang,
) -> Result<String, ErrorReport> {
    with_command(model, record_json, command, lang, |r, c| model.decide(r, c))
}

/// The form of task `code` of `automation` in `pipeline` as a JSON array of fields (empty when
/// there is no such task or it has no form).
pub fn task_form(model: &Model, pipeline: &str, automation: &str, code: &str) -> String {
    encode(&model.task_form(pipeline, automation, code))
}

/// What entering `stage` needs from the record: `{stage, stage_label, move_allowed, missing}`.
pub fn requirements(
    model: &Model,
    record_json: &str,
    stage: &str,
    lang: Lang,
) -> Result<String, ErrorReport> {
    let record: Record = decode(record_json, model.limits(), lang)?;
    model
        .requirements(&record, stage)
        .map(|r| encode(&r))
        .map_err(|r| report(r, lang))
}

/// The stages the record may move to now, as a JSON array of codes.
pub fn next_stages(model: &Model, record_json: &str, lang: Lang) -> Result<String, ErrorReport> {
    let record: Record = decode(record_json, model.limits(), lang)?;
    model
        .next_stages(&record)
        .map(|r| encode(&r))
        .map_err(|r| report(r, lang))
}

/// When the host should tick the record next: a JSON string (RFC 3339) or `null`.
pub fn next_due(record_json: &str, lang: Lang) -> Result<String, ErrorReport> {
    let record: Record = decode(record_json, &Limits::default(), lang)?;
    Ok(encode(&record.next_due().map(crate::utc::Moment)))
}

/// Rebuilds a record from its events (a JSON array); `null` when they do not start with `created`.
pub fn replay(events_json: &str, lang: Lang) -> Result<String, ErrorReport> {
    let events: Vec<Event> = decode(events_json, &Limits::default(), lang)?;
    Ok(encode(&Record::replay(&events)))
}

/// Who has and who has not confirmed each acknowledgement of the record as of `now` (RFC 3339).
pub fn acknowledgements(record_json: &str, now: &str, lang: Lang) -> Result<String, ErrorReport> {
    let record: Record = decode(record_json, &Limits::default(), lang)?;
    let now: crate::utc::Moment = decode(
        &serde_json::Value::from(now).to_string(),
        &Limits::default(),
        lang,
    )?;
    Ok(encode(&record.acknowledgements(now.0)))
}

/// The normalized keys a host looks up to find a lead's existing contact and company.
pub fn duplicate_keys(record_json: &str, lang: Lang) -> Result<String, ErrorReport> {
    let record: Record = decode(record_json, &Limits::default(), lang)?;
    Ok(encode(&crate::engine::duplicate_keys(&record)))
}

/// One entry of [`error_codes`].
#[derive(Serialize)]
struct ErrorCodeEntry {
    code: u32,
    name: &'static str,
    description: &'static str,
}

/// Every error code of the core ([`ErrorCode::ALL`]), in increasing order, as a JSON array of
/// `{code, name, description}` (the description a short English sentence without a full stop).
pub fn error_codes() -> String {
    let entries: Vec<ErrorCodeEntry> = ErrorCode::ALL
        .iter()
        .map(|&code| ErrorCodeEntry {
            code: code.as_u32(),
            name: code.name(),
            description: code.description(),
        })
        .collect();
    encode(&entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_come_back_as_reports_in_the_asked_language() {
        let model = load(crate::examples::ECO_PACKAGING, Lang::En).expect("the example loads");
        let err = apply(&model, None, "{\"actor\": ", Lang::En).expect_err("truncated JSON");
        assert_eq!((err.code, err.name.as_str()), (1001, "malformed_json"));
        let err = apply(&model, Some("null"), r#"{"actor":{"user":"u"},"now":"2026-11-27T09:00:00Z","action":{"type":"move","to":"offer"}}"#, Lang::Ru)
            .expect_err("no record");
        assert_eq!(err.code, 3010);
        assert_eq!(err.message, "Для этой команды нужна запись");
        let big = "x".repeat(MAX_INPUT_BYTES + 1);
        assert_eq!(
            apply(&model, Some(&big), "{}", Lang::En)
                .expect_err("too big")
                .code,
            1003
        );
        assert_eq!(
            check("{}", Lang::En),
            r#"[{"code":1002,"message":"missing field `format` (line 1, column 2)","name":"invalid_shape","path":""}]"#
        );
    }
}
