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
//! 1. `new WasmModel(definitionJson, lang)` compiles a definition once (the built-in example's
//!    text comes from `ecoPackagingDefinition()`); an invalid one throws its report.
//! 2. `apply`, `requirements`, `nextStages` take records and commands as JSON text and return
//!    JSON text. A rejection is thrown as the JSON text of a [`voronka::ErrorReport`]
//!    (`{code, name, path?, message, details}`), which the wrapper parses.
//! 3. A panic (none is expected: the core never panics on input) is recorded by a panic hook
//!    and traps; the wrapper reads it with [`take_panic`] and throws a `VoronkaError` with
//!    code 0 and kind `panic`. The hook is installed when the module is instantiated.

// The panic hook, `takePanic` and `__panicForTests`, shared with the documents package
// (bindings/wasm-docs).
mod panic;
pub use panic::{panic_for_tests, take_panic};

use voronka::api;
use voronka::{ErrorReport, Lang};
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
    model: voronka::Model,
}

#[wasm_bindgen]
impl WasmModel {
    /// Decodes and compiles a definition (JSON text); throws the report of every problem.
    #[wasm_bindgen(constructor)]
    pub fn new(definition: &str, lang_code: &str) -> Result<WasmModel, JsValue> {
        api::load(definition, lang(lang_code))
            .map(|model| WasmModel { model })
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

    /// What entering `stage` needs from the record, as JSON.
    pub fn requirements(
        &self,
        record: &str,
        stage: &str,
        lang_code: &str,
    ) -> Result<String, JsValue> {
        api::requirements(&self.model, record, stage, lang(lang_code)).map_err(throw)
    }

    /// The stages the record may move to now, as a JSON array of codes.
    #[wasm_bindgen(js_name = nextStages)]
    pub fn next_stages(&self, record: &str, lang_code: &str) -> Result<String, JsValue> {
        api::next_stages(&self.model, record, lang(lang_code)).map_err(throw)
    }
}

/// The built-in eco-packaging definition as JSON text.
#[wasm_bindgen(js_name = ecoPackagingDefinition)]
pub fn eco_packaging_definition() -> String {
    voronka::examples::ECO_PACKAGING.to_string()
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

/// The version of the voronka core.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
