//! # voronka-wasm
//!
//! The WebAssembly binding of [`voronka`], published on npm as `voronka`. It is deliberately
//! thin: every call goes through [`voronka::api`], and only strings cross the boundary (JSON
//! text in, JSON text out), so every behaviour of the core reaches JavaScript without changes
//! here. The JavaScript wrapper (`js/voronka.js`, typed by `js/index.d.ts`) turns objects into JSON, JSON back into
//! objects, and thrown error reports into `VoronkaError`s.
//!
//! **This crate performs no I/O; the host persists state and executes effects.**
//!
//! ## Call protocol
//!
//! 1. `new WasmModel(definitionJson, optionsJson, lang)` compiles a definition once under its
//!    options (`{"limits": {...}}`, or `undefined` for the defaults); an invalid one throws its
//!    report. The built-in example's text is not in the module: the package ships it as a
//!    JavaScript module next to it (`scripts/eco-packaging.mjs`), which keeps the `.wasm` small.
//! 2. `apply`, `requirements`, `nextStages` take records and commands as JSON text and return
//!    JSON text. A rejection is thrown as the JSON text of a [`voronka::ErrorReport`]
//!    (`{code, name, path?, message, details}`), which the wrapper parses.
//! 3. `new WasmStore(model)` keeps records inside the module, addressed by id: `apply` and
//!    `applyBatch` take only commands and return only what happened (version, stage, events,
//!    effects), so a record is never re-encoded on a command. A rejected command leaves the
//!    stored record as it was.
//! 4. A panic (none is expected: the core never panics on input) is recorded by a panic hook
//!    and traps; the wrapper reads it with [`take_panic`] and throws a `VoronkaError` with
//!    code 0 and kind `panic`. The hook is installed when the module is instantiated.

use std::collections::HashMap;
use std::rc::Rc;

// The panic hook, `takePanic` and `__panicForTests`, shared with the documents package
// (bindings/wasm-docs).
mod panic;
pub use panic::{panic_for_tests, take_panic};

use serde::Serialize;
use voronka::api;
use voronka::{Action, Command, Effect, Error, ErrorReport, Event, Lang, Record, Rejection};
use wasm_bindgen::prelude::*;

/// Runs when the module is instantiated: installs the panic hook.
#[wasm_bindgen(start)]
fn start() {
    panic::install_panic_hook();
}

/// `"en"` or `"ru"`; anything else is English.
fn lang(code: &str) -> Lang {
    Lang::parse(code).unwrap_or_default()
}

/// An error report as a thrown JavaScript value: the JSON text of the report.
fn throw(report: ErrorReport) -> JsValue {
    // The report is the library's own serializable type (string keys only), so encoding it
    // cannot fail; should it, the wrapper still receives a well-formed report.
    let text = serde_json::to_string(&report).unwrap_or_else(|e| {
        format!(
            r#"{{"code":{},"name":"{}","message":"unencodable error report: {}","details":null}}"#,
            report.code,
            report.name,
            e.to_string().replace(['"', '\\'], "'")
        )
    });
    JsValue::from_str(&text)
}

/// A compiled definition: validated once, then used for any number of commands.
#[wasm_bindgen]
pub struct WasmModel {
    model: Rc<voronka::Model>,
}

#[wasm_bindgen]
impl WasmModel {
    /// Decodes and compiles a definition (JSON text) under options (JSON text of
    /// `{"limits": {...}}`, or `None` for the defaults); throws the report of every problem.
    #[wasm_bindgen(constructor)]
    pub fn new(
        definition: &str,
        options: Option<String>,
        lang_code: &str,
    ) -> Result<WasmModel, JsValue> {
        api::load_with_options(definition, options.as_deref(), lang(lang_code))
            .map(|model| WasmModel {
                model: Rc::new(model),
            })
            .map_err(throw)
    }

    /// Applies a command (JSON) to a record (JSON, or `None` to create); returns the outcome
    /// `{record, events, effects, trace}` as JSON.
    pub fn apply(
        &self,
        record: Option<String>,
        command: &str,
        lang_code: &str,
    ) -> Result<String, JsValue> {
        api::apply(&self.model, record.as_deref(), command, lang(lang_code)).map_err(throw)
    }

    /// Decides a command (JSON) against a record (JSON, or `None` to create) without applying
    /// it; returns `{events, effects, trace}` as JSON.
    pub fn decide(
        &self,
        record: Option<String>,
        command: &str,
        lang_code: &str,
    ) -> Result<String, JsValue> {
        api::decide(&self.model, record.as_deref(), command, lang(lang_code)).map_err(throw)
    }

    /// What entering `stage` needs from the record, as JSON.
    pub fn requirements(
        &self,
        record: &str,
        stage: &str,
        lang_code: &str,
    ) -> Result<String, JsValue> {
        api::requirements(&self.model, record, stage, lang(lang_code)).map_err(throw)
    }

    /// The form of task `code` of `automation` in `pipeline`, as a JSON array of fields.
    #[wasm_bindgen(js_name = taskForm)]
    pub fn task_form(&self, pipeline: &str, automation: &str, code: &str) -> String {
        api::task_form(&self.model, pipeline, automation, code)
    }

    /// The stages the record may move to now, as a JSON array of codes.
    #[wasm_bindgen(js_name = nextStages)]
    pub fn next_stages(&self, record: &str, lang_code: &str) -> Result<String, JsValue> {
        api::next_stages(&self.model, record, lang(lang_code)).map_err(throw)
    }
}

/// What a command did to a stored record: everything of the outcome but the record itself.
/// The lean form (`events: None`) leaves the events out, for hosts that keep no event log.
#[derive(Serialize)]
struct Applied<'a> {
    ok: bool,
    version: u64,
    stage: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    events: Option<&'a [Event]>,
    effects: &'a [Effect],
    #[serde(skip_serializing_if = "Option::is_none")]
    trace: Option<&'a [voronka::TraceEntry]>,
}

/// What a command did, as the store reports it: the record after it, the command's events,
/// effects and trace.
struct Done<'a> {
    record: &'a Record,
    events: &'a [Event],
    effects: &'a [Effect],
    trace: &'a [voronka::TraceEntry],
}

impl Done<'_> {
    /// The result of a command: with its events when `events`, with its trace when `trace`.
    fn applied(&self, events: bool, trace: bool) -> Applied<'_> {
        Applied {
            ok: true,
            version: self.record.version,
            stage: &self.record.stage,
            events: events.then_some(self.events),
            effects: self.effects,
            trace: trace.then_some(self.trace),
        }
    }
}

/// A rejected command of a batch.
#[derive(Serialize)]
struct Rejected {
    ok: bool,
    error: ErrorReport,
}

/// Records kept inside the module by id, so commands cross the boundary without them.
#[wasm_bindgen]
pub struct WasmStore {
    model: Rc<voronka::Model>,
    records: HashMap<String, Record>,
}

impl WasmStore {
    /// Applies one command to the record `id` (absent: the command must create it, under that
    /// id); on success stores the new record and passes what happened to `done`.
    fn run<R>(
        &mut self,
        id: &str,
        command: &Command,
        lang: Lang,
        done: impl FnOnce(Done<'_>) -> R,
    ) -> Result<R, ErrorReport> {
        if let Action::Create { id: new, .. } | Action::CaptureLead { id: new, .. } =
            &command.action
            && new != id
        {
            let message = match lang {
                Lang::Ru => format!("создаваемая запись «{new}» должна называться «{id}»"),
                _ => format!("the record created, \"{new}\", must be \"{id}\""),
            };
            let rejection = Rejection::InvalidCommand {
                path: "action.id".into(),
                message,
            };
            return Err(Error::from(rejection).report(lang));
        }
        // The stored record is replaced by the command's new snapshot; a rejection leaves it.
        let outcome = self
            .model
            .apply(self.records.get(id), command)
            .map_err(|r| Error::from(r).report(lang))?;
        let result = done(Done {
            record: &outcome.record,
            events: &outcome.events,
            effects: &outcome.effects,
            trace: &outcome.trace,
        });
        self.records.insert(id.to_string(), outcome.record);
        Ok(result)
    }
}

fn encode(value: &impl Serialize) -> String {
    // The library's own types have string keys only: encoding cannot fail.
    serde_json::to_string(value).unwrap_or_else(|_| "null".into())
}

#[wasm_bindgen]
impl WasmStore {
    /// An empty store of records run by `model`.
    #[wasm_bindgen(constructor)]
    pub fn new(model: &WasmModel) -> WasmStore {
        WasmStore {
            model: Rc::clone(&model.model),
            records: HashMap::new(),
        }
    }

    /// Applies a command (JSON) to the stored record `id` (absent: the command creates it);
    /// returns `{ok, version, stage, events, effects, trace}` as JSON, or without `events`
    /// and `trace` when `events` is false. A rejection is thrown and the stored record stays
    /// as it was.
    pub fn apply(
        &mut self,
        id: &str,
        command: &str,
        lang_code: &str,
        events: bool,
    ) -> Result<String, JsValue> {
        let lang = lang(lang_code);
        let command: Command = api::decode(command, self.model.limits(), lang).map_err(throw)?;
        self.run(id, &command, lang, |d| encode(&d.applied(events, events)))
            .map_err(throw)
    }

    /// Applies a JSON array of `[id, command]` pairs in order, each as [`apply`](Self::apply)
    /// would; returns a JSON array with, for each, `{ok: true, version, stage, events,
    /// effects}` (without `events` when `events` is false) or `{ok: false, error}`. Only a
    /// batch that cannot be decoded is thrown, and then nothing is applied.
    #[wasm_bindgen(js_name = applyBatch)]
    pub fn apply_batch(
        &mut self,
        batch: &str,
        lang_code: &str,
        events: bool,
    ) -> Result<String, JsValue> {
        let lang = lang(lang_code);
        let batch: Vec<(String, Command)> =
            api::decode(batch, self.model.limits(), lang).map_err(throw)?;
        // Every result is written straight into the one output text.
        let mut out = Vec::with_capacity(128 * batch.len() + 2);
        out.push(b'[');
        for (i, (id, command)) in batch.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            // The library's own types have string keys only: encoding cannot fail (should it,
            // the result reads `null`).
            let start = out.len();
            let written = match self.run(id, command, lang, |d| {
                serde_json::to_writer(&mut out, &d.applied(events, false))
            }) {
                Ok(written) => written,
                Err(error) => serde_json::to_writer(&mut out, &Rejected { ok: false, error }),
            };
            if written.is_err() {
                out.truncate(start);
                out.extend_from_slice(b"null");
            }
        }
        out.push(b']');
        // serde_json writes UTF-8 only.
        Ok(String::from_utf8(out).unwrap_or_default())
    }

    /// The stored record `id` as JSON, or `None`.
    pub fn get(&self, id: &str) -> Option<String> {
        self.records.get(id).map(encode)
    }

    /// Stores a record (JSON) under its own id, replacing any with that id; returns the id.
    pub fn put(&mut self, record: &str, lang_code: &str) -> Result<String, JsValue> {
        let record: Record =
            api::decode(record, self.model.limits(), lang(lang_code)).map_err(throw)?;
        let id = record.id.clone();
        self.records.insert(id.clone(), record);
        Ok(id)
    }

    /// Removes the record `id`; `true` when there was one.
    pub fn remove(&mut self, id: &str) -> bool {
        self.records.remove(id).is_some()
    }

    /// Whether a record `id` is stored.
    pub fn has(&self, id: &str) -> bool {
        self.records.contains_key(id)
    }

    /// The ids of the stored records, sorted, as a JSON array.
    pub fn ids(&self) -> String {
        let mut ids: Vec<&String> = self.records.keys().collect();
        ids.sort_unstable();
        encode(&ids)
    }

    /// How many records are stored.
    #[wasm_bindgen(getter)]
    pub fn size(&self) -> usize {
        self.records.len()
    }
}

/// Every problem of a definition as a JSON array of `{code, name, path, message}`.
#[wasm_bindgen]
pub fn check(definition: &str, lang_code: &str) -> String {
    api::check(definition, lang(lang_code))
}

/// When the host should tick the record next: JSON text of an RFC 3339 string or `null`.
#[wasm_bindgen(js_name = nextDue)]
pub fn next_due(record: &str, lang_code: &str) -> Result<String, JsValue> {
    api::next_due(record, lang(lang_code)).map_err(throw)
}

/// Rebuilds a record from its events (a JSON array); `null` when they do not start with
/// `created`.
#[wasm_bindgen]
pub fn replay(events: &str, lang_code: &str) -> Result<String, JsValue> {
    api::replay(events, lang(lang_code)).map_err(throw)
}

/// The normalized keys a host looks up to find a lead's existing contact and company.
#[wasm_bindgen(js_name = duplicateKeys)]
pub fn duplicate_keys(record: &str, lang_code: &str) -> Result<String, JsValue> {
    api::duplicate_keys(record, lang(lang_code)).map_err(throw)
}

/// Every error code of the core as a JSON array of `{code, name, description}`, in
/// increasing order ([`voronka::ErrorCode::ALL`]).
#[wasm_bindgen(js_name = errorCodes)]
pub fn error_codes() -> String {
    api::error_codes()
}

/// The version of the voronka core.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
