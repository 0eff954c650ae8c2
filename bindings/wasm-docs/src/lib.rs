//! # voronka-docs-wasm
//!
//! The WebAssembly binding of [`voronka_docs`], published on npm as `voronka-docs`: an
//! optional package next to `voronka`, because typst compiled to WebAssembly is large (the
//! size is in the package's README). It is thin: every call goes to `voronka_docs`, and
//! only JSON text and bytes cross the boundary. The JavaScript wrapper (`js/voronka-docs.js`,
//! typed by `js/index.d.ts`) encodes values as JSON, returns `Uint8Array`s, and turns thrown
//! error reports into `VoronkaDocsError`s.
//!
//! **This crate performs no I/O and never reads the clock: `now` is always the caller's.**
//!
//! ## Call protocol
//!
//! * Data, records, effects and company profiles are JSON text; options are the JSON text
//!   of `{now, lang, kind, page, scale, seq}` (only what the call uses is read; an unknown
//!   key is an error, so a typo is not silently ignored).
//! * A failure is thrown as the JSON text of a report `{code, name, message, path,
//!   details}`: `code` and `name` are [`voronka_docs::Error::code`] and
//!   [`voronka_docs::Error::name`], `details` the error's fields (for a template error
//!   `file`, `line`, `column`, typst's `message` and `hints`).
//! * A panic (none is expected) is recorded by a panic hook and traps; the wrapper reads it
//!   with [`take_panic`] and throws an error with code 0 and kind `panic`.

// The panic hook, `takePanic` and `__panicForTests` of the core package.
#[path = "../../wasm/src/panic.rs"]
mod panic;
pub use panic::{panic_for_tests, take_panic};

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{Value, json};
use voronka_docs::{
    CompanyProfile, Document, DocumentKind, Error, Language, RenderOptions, Template,
    execute_render, render_json, render_source, render_with_template,
};
use wasm_bindgen::prelude::*;

/// Runs when the module is instantiated: installs the panic hook.
#[wasm_bindgen(start)]
fn start() {
    panic::install_panic_hook();
}

/// The options of a call, as the wrapper passes them (JSON text).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    /// The current time, RFC 3339 (a JS `Date` arrives as its ISO string).
    #[serde(default)]
    now: Option<String>,
    /// `ru` (default), `en` or `both`.
    #[serde(default)]
    lang: Option<Language>,
    /// For a template: the bundled document whose prepared data it reads.
    #[serde(default)]
    kind: Option<String>,
    /// For a PNG preview: the zero-based page (default 0).
    #[serde(default)]
    page: Option<usize>,
    /// For a PNG preview: pixels per point (default 1).
    #[serde(default)]
    scale: Option<f32>,
    /// For an effect: the host's next value of its sequence for the document.
    #[serde(default)]
    seq: Option<u64>,
}

impl Options {
    fn parse(text: &str) -> Result<Self, Error> {
        decode(text, "options")
    }

    /// The render options; `now` is required (the library never reads the clock).
    fn render(&self) -> Result<RenderOptions, Error> {
        let now = self.now()?;
        Ok(RenderOptions::new(now).with_language(self.lang.unwrap_or_default()))
    }

    fn now(&self) -> Result<DateTime<Utc>, Error> {
        let text = self.now.as_deref().ok_or_else(|| {
            invalid(
                "options.now",
                "required: the current time as an RFC 3339 string or a Date (the library never reads the clock)",
            )
        })?;
        DateTime::parse_from_rfc3339(text)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|e| {
                invalid(
                    "options.now",
                    format!("`{text}` is not an RFC 3339 time: {e}"),
                )
            })
    }
}

fn invalid(path: impl Into<String>, message: impl Into<String>) -> Error {
    Error::InvalidData {
        path: path.into(),
        message: message.into(),
    }
}

/// Decodes JSON text, naming the path of a missing or mistyped item under `what`.
fn decode<T: serde::de::DeserializeOwned>(text: &str, what: &str) -> Result<T, Error> {
    let de = &mut serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let inner = e.path().to_string();
        let path = if inner == "." {
            what.to_owned()
        } else {
            format!("{what}.{inner}")
        };
        invalid(path, e.into_inner().to_string())
    })
}

/// The report of an error: `{code, name, message, path, details}`.
fn report(error: &Error) -> Value {
    let (path, details) = match error {
        Error::UnknownTemplate { code } => (None, json!({ "code": code })),
        Error::Template {
            file,
            line,
            column,
            message,
            hints,
        } => (
            Some(file.clone()),
            json!({ "file": file, "line": line, "column": column, "message": message, "hints": hints }),
        ),
        Error::InvalidData { path, message } => (Some(path.clone()), json!({ "message": message })),
        Error::AmountOutOfRange { amount } => (None, json!({ "amount": amount })),
        Error::InvalidNumberFormat {
            format,
            offset,
            message,
        } => (
            None,
            json!({ "format": format, "offset": offset, "message": message }),
        ),
        Error::PageOutOfRange { page, pages } => (None, json!({ "page": page, "pages": pages })),
        Error::MissingRecordField { field, document } => (
            Some(field.clone()),
            json!({ "field": field, "document": document }),
        ),
        Error::Export { message } => (None, json!({ "message": message })),
        // A variant added later still reaches JavaScript with its code and message.
        _ => (None, json!({})),
    };
    json!({
        "code": error.code(),
        "name": error.name(),
        "message": error.to_string(),
        "path": path,
        "details": details,
    })
}

/// An error as a thrown JavaScript value: the JSON text of its report.
fn throw(error: Error) -> JsValue {
    JsValue::from_str(&report(&error).to_string())
}

/// The bundled document kinds, by code.
fn kind(code: &str) -> Result<DocumentKind, Error> {
    DocumentKind::from_code(code)
}

/// Renders a bundled document (`kind`, e.g. `invoice`) from its data (JSON text) with the
/// bundled template; returns the PDF.
#[wasm_bindgen(js_name = renderDocument)]
pub fn render_document(kind: &str, data: &str, options: &str) -> Result<Vec<u8>, JsValue> {
    (|| {
        let opts = Options::parse(options)?.render()?;
        render_json(kind, data, &opts)?.pdf()
    })()
    .map_err(throw)
}

/// Renders one page of a bundled document as PNG (`page`, `scale` in the options).
#[wasm_bindgen(js_name = pngPreview)]
pub fn png_preview(kind: &str, data: &str, options: &str) -> Result<Vec<u8>, JsValue> {
    (|| {
        let o = Options::parse(options)?;
        let rendered = render_json(kind, data, &o.render()?)?;
        rendered.png(o.page.unwrap_or(0), o.scale.unwrap_or(1.0))
    })()
    .map_err(throw)
}

/// The text of a rendered bundled document, one text run per line (for indexing and tests).
#[wasm_bindgen(js_name = documentText)]
pub fn document_text(kind: &str, data: &str, options: &str) -> Result<String, JsValue> {
    (|| {
        let opts = Options::parse(options)?.render()?;
        Ok(render_json(kind, data, &opts)?.text())
    })()
    .map_err(throw)
}

/// Renders a template of the caller's own (typst source) and returns the PDF.
///
/// With `kind` in the options the data is a bundled document's (checked, and prepared as
/// for the bundled template); without it any JSON, passed to the template as it is.
/// `file_paths[i]` names the file whose bytes are the next `file_sizes[i]` bytes of
/// `file_bytes` (images, modules the template reads).
#[wasm_bindgen(js_name = renderTemplate)]
pub fn render_template(
    source: &str,
    data: &str,
    options: &str,
    file_paths: Vec<String>,
    file_sizes: Vec<u32>,
    file_bytes: Vec<u8>,
) -> Result<Vec<u8>, JsValue> {
    (|| {
        let o = Options::parse(options)?;
        let opts = o.render()?;
        let template = with_files(Template::new(source), file_paths, &file_sizes, &file_bytes)?;
        let rendered = match &o.kind {
            Some(code) => {
                let doc = Document::from_json(kind(code)?, data)?;
                render_with_template(&template, &doc, &opts)?
            }
            None => render_source(&template, &decode::<Value>(data, "data")?, &opts)?,
        };
        rendered.pdf()
    })()
    .map_err(throw)
}

fn with_files(
    mut template: Template,
    paths: Vec<String>,
    sizes: &[u32],
    bytes: &[u8],
) -> Result<Template, Error> {
    if paths.len() != sizes.len() {
        return Err(invalid("options.files", "paths and sizes differ in number"));
    }
    let mut rest = bytes;
    for (path, size) in paths.into_iter().zip(sizes) {
        let size = usize::try_from(*size).unwrap_or(usize::MAX);
        if size > rest.len() {
            return Err(invalid(
                format!("options.files[{path:?}]"),
                "fewer bytes than announced",
            ));
        }
        let (file, tail) = rest.split_at(size);
        template = template.with_file(path, file);
        rest = tail;
    }
    Ok(template)
}

/// A rendered document of a render-document effect.
#[wasm_bindgen(getter_with_clone)]
pub struct ExecutedDocument {
    /// The document number used, e.g. `INV-2026-00001`.
    pub number: String,
    /// The document's code, e.g. `invoice`.
    pub kind: String,
    /// The PDF bytes.
    pub pdf: Vec<u8>,
}

/// Executes a render-document effect of the core: `effect` is the effect (JSON text of
/// `{type: "render_document", document: {...}}`) or its `document` request alone, `record`
/// the record it is for, `company` the host's company profile; `seq` and `now` come in
/// the options.
#[wasm_bindgen(js_name = executeRenderEffect)]
pub fn execute_render_effect(
    effect: &str,
    record: &str,
    company: &str,
    options: &str,
) -> Result<ExecutedDocument, JsValue> {
    (|| {
        let o = Options::parse(options)?;
        let now = o.now()?;
        let seq = o.seq.ok_or_else(|| {
            invalid(
                "options.seq",
                "required: the host's next value of its sequence for this document",
            )
        })?;
        let effect: Value = decode(effect, "effect")?;
        let (request, path) = match effect.get("document") {
            Some(inner @ Value::Object(_)) => (inner.to_string(), "effect.document"),
            _ => (effect.to_string(), "effect"),
        };
        let request = decode(&request, path)?;
        let record: voronka::Record = decode(record, "record")?;
        let company: CompanyProfile = decode(company, "company")?;
        let done = execute_render(&request, &record, &company, seq, now)?;
        Ok(ExecutedDocument {
            number: done.number,
            kind: done.kind.code().to_owned(),
            pdf: done.pdf,
        })
    })()
    .map_err(throw)
}

/// The codes of the bundled documents.
#[wasm_bindgen]
pub fn kinds() -> Vec<String> {
    DocumentKind::ALL
        .iter()
        .map(|k| k.code().to_owned())
        .collect()
}

/// The reference data of a bundled document, as JSON text.
#[wasm_bindgen(js_name = sampleData)]
pub fn sample_data(code: &str) -> Result<String, JsValue> {
    kind(code)
        .map(|k| Document::sample_json(k).to_owned())
        .map_err(throw)
}

/// The typst source of a bundled template, to start a template of one's own from.
#[wasm_bindgen(js_name = templateSource)]
pub fn template_source(code: &str) -> Result<String, JsValue> {
    kind(code)
        .map(|k| k.template_source().to_owned())
        .map_err(throw)
}

/// The version of voronka-docs in this package.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
