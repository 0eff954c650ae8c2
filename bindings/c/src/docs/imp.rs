//! The render calls over `voronka-docs` (cargo feature `documents`).

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{Value, json};
use voronka::record::DocumentRequest;
use voronka::{DecodeError, ErrorReport, Lang, Record, decode_json};
use voronka_docs::{
    CompanyProfile, Document, DocumentKind, Error, Language, RenderOptions, Rendered, Renderer,
    Template,
};

use super::super::{VORONKA_ERROR_INVALID_ARGUMENT, binding_error};
use super::{
    DocumentArgs, MAGIC, Output, VORONKA_DOC_LANG_BOTH, VORONKA_DOC_LANG_EN, VORONKA_DOC_LANG_RU,
    VORONKA_RENDERER_DEFAULT_CACHE, voronka_doc_lang, voronka_renderer,
};

pub(super) fn new_renderer(
    cache_documents: u32,
    _lang: Lang,
) -> Result<voronka_renderer, ErrorReport> {
    let mut renderer = Renderer::new();
    if cache_documents != VORONKA_RENDERER_DEFAULT_CACHE {
        renderer = renderer.with_cache_documents(cache_documents as usize);
    }
    Ok(voronka_renderer {
        magic: MAGIC,
        renderer,
    })
}

/// The report of an error of voronka-docs: its code (5001–5099), name and message; the data
/// path in `path`; the rest in `details`.
pub(crate) fn report(e: Error) -> ErrorReport {
    let (path, details) = match &e {
        Error::InvalidData { path, .. } => (Some(path.clone()), json!({})),
        Error::Template {
            file,
            line,
            column,
            hints,
            ..
        } => (
            None,
            json!({ "file": file, "line": line, "column": column, "hints": hints }),
        ),
        Error::MissingRecordField { field, document } => (
            Some(field.clone()),
            json!({ "field": field, "document": document }),
        ),
        Error::UnknownTemplate { code } => (None, json!({ "template": code })),
        Error::AmountOutOfRange { amount } => (None, json!({ "amount": amount })),
        Error::InvalidNumberFormat { format, offset, .. } => {
            (None, json!({ "format": format, "offset": offset }))
        }
        Error::PageOutOfRange { page, pages } => (None, json!({ "page": page, "pages": pages })),
        _ => (None, json!({})),
    };
    ErrorReport {
        code: e.code(),
        name: e.name().to_owned(),
        path,
        message: e.to_string(),
        details,
    }
}

/// Decodes JSON with the core's codes (1001 malformed, 1002 misshapen).
fn decode<T: serde::de::DeserializeOwned>(text: &str, lang: Lang) -> Result<T, ErrorReport> {
    decode_json(text).map_err(|e| voronka::Error::from(e).report(lang))
}

fn invalid_argument(parameter: &str, value: &str, expected: &str) -> ErrorReport {
    binding_error(
        VORONKA_ERROR_INVALID_ARGUMENT,
        format!("`{parameter}` is {value}: expected {expected}"),
        json!({ "parameter": parameter, "value": value }),
    )
}

fn parse_now(now: &str) -> Result<DateTime<Utc>, ErrorReport> {
    DateTime::parse_from_rfc3339(now)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| {
            invalid_argument(
                "now",
                &format!("`{now}`"),
                "an RFC 3339 time such as 2026-11-27T09:00:00Z",
            )
        })
}

fn document_language(doc_lang: voronka_doc_lang) -> Result<Language, ErrorReport> {
    match doc_lang {
        VORONKA_DOC_LANG_RU => Ok(Language::Ru),
        VORONKA_DOC_LANG_EN => Ok(Language::En),
        VORONKA_DOC_LANG_BOTH => Ok(Language::Both),
        other => Err(invalid_argument(
            "doc_lang",
            &other.to_string(),
            "VORONKA_DOC_LANG_RU (0), VORONKA_DOC_LANG_EN (1) or VORONKA_DOC_LANG_BOTH (2)",
        )),
    }
}

fn export(rendered: &Rendered, output: Output) -> Result<Vec<u8>, ErrorReport> {
    match output {
        Output::Pdf => rendered.pdf(),
        Output::Png {
            page,
            pixels_per_pt,
        } => rendered.png(page, pixels_per_pt),
    }
    .map_err(report)
}

pub(super) fn render_document(
    handle: &voronka_renderer,
    args: &DocumentArgs<'_>,
    doc_lang: voronka_doc_lang,
    output: Output,
    lang: Lang,
) -> Result<Vec<u8>, ErrorReport> {
    let language = document_language(doc_lang)?;
    let now = parse_now(args.now)?;
    let kind = DocumentKind::from_code(args.what).map_err(report)?;
    let data: Value = decode(args.data, lang)?;
    let document = Document::from_value(kind, data).map_err(report)?;
    let opts = RenderOptions::new(now).with_language(language);
    let rendered = handle.renderer.render(&document, &opts).map_err(report)?;
    export(&rendered, output)
}

pub(super) fn render_template(
    handle: &voronka_renderer,
    args: &DocumentArgs<'_>,
    lang: Lang,
) -> Result<Vec<u8>, ErrorReport> {
    let now = parse_now(args.now)?;
    let data: Value = decode(args.data, lang)?;
    let template = Template::new(args.what);
    let rendered = handle
        .renderer
        .render_source(&template, &data, &RenderOptions::new(now))
        .map_err(report)?;
    export(&rendered, Output::Pdf)
}

/// The part of a render-document effect the renderer needs.
#[derive(Deserialize)]
struct RenderEffect {
    #[serde(rename = "type")]
    kind: String,
    document: DocumentRequest,
}

pub(super) fn execute_render(
    handle: &voronka_renderer,
    effect: &str,
    record: &str,
    company: &str,
    seq: u64,
    now: &str,
    lang: Lang,
) -> Result<(Vec<u8>, String), ErrorReport> {
    let now = parse_now(now)?;
    let effect: RenderEffect = decode(effect, lang)?;
    if effect.kind != "render_document" {
        let e = DecodeError::InvalidShape {
            path: "type".to_owned(),
            message: format!("the effect is `{}`, not `render_document`", effect.kind),
            line: 1,
            column: 1,
        };
        return Err(voronka::Error::from(e).report(lang));
    }
    let record: Record = decode(record, lang)?;
    decode::<Value>(company, lang)?;
    let company = CompanyProfile::from_json(company).map_err(report)?;
    let done = handle
        .renderer
        .execute_render(&effect.document, &record, &company, seq, now)
        .map_err(report)?;
    let info = json!({ "number": done.number, "kind": done.kind.code() }).to_string();
    Ok((done.pdf, info))
}
