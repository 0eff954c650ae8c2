//! Documents to PDF (and PNG) through `voronka-docs`: a renderer handle and the render calls.
//!
//! Built with the cargo feature `documents` (on by default). Without it the functions are
//! still exported, so the header and the ABI stay the same, and return
//! `VORONKA_ERROR_UNSUPPORTED`.

use std::panic::{AssertUnwindSafe, catch_unwind};

use voronka::{ErrorReport, Lang};

#[cfg(not(feature = "documents"))]
use super::binding_error;
use super::{
    Registry, bad_handle, guard, need_out, null_pointer, voronka_bytes, voronka_lang,
    voronka_result,
};

/// A document language: `VORONKA_DOC_LANG_RU`, `VORONKA_DOC_LANG_EN` or `VORONKA_DOC_LANG_BOTH`.
pub type voronka_doc_lang = u32;

/// A document in Russian.
pub const VORONKA_DOC_LANG_RU: voronka_doc_lang = 0;
/// A document in English.
pub const VORONKA_DOC_LANG_EN: voronka_doc_lang = 1;
/// A bilingual document: Russian labels over English ones, texts side by side.
pub const VORONKA_DOC_LANG_BOTH: voronka_doc_lang = 2;

/// How many documents' worth of typst's memoized work a renderer keeps when created with
/// `VORONKA_RENDERER_DEFAULT_CACHE`.
pub const VORONKA_RENDERER_DEFAULT_CACHE: u32 = 4294967295;

/// A document renderer: the fonts and typst's standard library, parsed once, and the cache of
/// the last documents' work (see `voronka_renderer_new`).
///
/// Opaque; create it with `voronka_renderer_new` and free it with `voronka_renderer_free`.
/// One renderer may be used by many threads at the same time. Freeing it while another thread
/// uses it is undefined behaviour.
pub struct voronka_renderer {
    /// `MAGIC` while the handle is live, cleared when it is freed.
    magic: u64,
    /// The renderer.
    #[cfg(feature = "documents")]
    renderer: voronka_docs::Renderer,
}

/// The live renderers.
static LIVE_RENDERERS: Registry = Registry::new();

const MAGIC: u64 = 0x766f_726f_6e6b_6150;

#[cfg(feature = "documents")]
mod imp;
#[cfg(all(test, feature = "documents"))]
pub(crate) use imp::report as imp_report;
#[cfg(feature = "documents")]
use imp::*;

#[cfg(not(feature = "documents"))]
use serde_json::json;

#[cfg(not(feature = "documents"))]
fn unsupported<T>(lang: Lang) -> Result<T, ErrorReport> {
    Err(binding_error(
        super::VORONKA_ERROR_UNSUPPORTED,
        lang.pick(
            "this libvoronka was built without documents (cargo feature `documents`)",
            "эта сборка libvoronka без документов (cargo feature `documents`)",
        )
        .to_string(),
        json!({ "feature": "documents" }),
    ))
}

/// Borrows the renderer behind a handle, after checking that the handle is live.
///
/// # Safety
/// Unless the handle is NULL or unknown, the renderer must not be freed during the call.
unsafe fn renderer_ref<'a>(
    handle: *const voronka_renderer,
    lang: Lang,
) -> Result<&'a voronka_renderer, ErrorReport> {
    if handle.is_null() {
        return Err(null_pointer("renderer", lang));
    }
    if !LIVE_RENDERERS.contains(handle as usize) {
        return Err(bad_handle("renderer", lang));
    }
    // SAFETY: the address is registered, so it came from `Box::into_raw` in
    // `voronka_renderer_new` and `voronka_renderer_free` has not yet released it.
    let handle = unsafe { &*handle };
    if handle.magic != MAGIC {
        return Err(bad_handle("renderer", lang));
    }
    Ok(handle)
}

/// Creates a document renderer: parses the embedded fonts and builds typst's standard library
/// (a few milliseconds: keep the renderer and render every document with it).
///
/// `cache_documents` is how many documents' memoized work (parsed templates, shaped text,
/// layout) stays cached between documents: after each document whatever none of the last
/// `cache_documents` documents used is dropped, so memory stays bounded however many documents
/// are rendered. `0` keeps nothing (least memory, slowest); `VORONKA_RENDERER_DEFAULT_CACHE`
/// takes the library's default (2). typst's caches are global to the process: with several
/// renderers the smallest setting wins, and freeing the last renderer empties them.
///
/// # Safety
/// `out_renderer` must be valid for writing a pointer; `out_error` NULL or valid for writing a
/// `voronka_bytes`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn voronka_renderer_new(
    cache_documents: u32,
    lang: voronka_lang,
    out_renderer: *mut *mut voronka_renderer,
    out_error: *mut voronka_bytes,
) -> voronka_result {
    let body = |lang: Lang| -> Result<(), ErrorReport> {
        if out_renderer.is_null() {
            return Err(null_pointer("out_renderer", lang));
        }
        let handle = new_renderer(cache_documents, lang)?;
        let ptr = Box::into_raw(Box::new(handle));
        LIVE_RENDERERS.insert(ptr as usize);
        // SAFETY: `out_renderer` is non-null and the caller guarantees it is writable.
        unsafe { out_renderer.write(ptr) };
        Ok(())
    };
    // SAFETY: the caller guarantees `out_error` is NULL or writable.
    unsafe { guard(lang, out_error, body) }
}

#[cfg(not(feature = "documents"))]
fn new_renderer(_cache_documents: u32, lang: Lang) -> Result<voronka_renderer, ErrorReport> {
    unsupported(lang)
}

/// Frees a renderer. Accepts NULL; a handle that is not live (already freed, or never created
/// by this library) is detected and ignored. Freeing the last renderer releases typst's caches.
///
/// # Safety
/// No other thread may be using the renderer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn voronka_renderer_free(renderer: *mut voronka_renderer) {
    if renderer.is_null() {
        return;
    }
    let _ = catch_unwind(AssertUnwindSafe(|| {
        if !LIVE_RENDERERS.remove(renderer as usize) {
            return;
        }
        // SAFETY: the address was registered, so it came from `Box::into_raw` in
        // `voronka_renderer_new`; removing it from the set makes this the only release.
        let mut handle = unsafe { Box::from_raw(renderer) };
        // SAFETY: a valid, aligned field; a volatile write is not elided although the box is
        // dropped right after.
        unsafe { std::ptr::write_volatile(&mut handle.magic, 0) };
        drop(handle);
    }));
}

/// Renders a bundled document to PDF.
///
/// `kind` is the document's code (UTF-8, not NUL-terminated): `commercial_offer`, `cmr`,
/// `waybill` (the Russian транспортная накладная), `invoice`, `packing_list`, `act` or
/// `specification`; `data` its JSON (the format of
/// `crates/voronka-docs/samples/*.json`); `now` the current time, RFC 3339
/// (`2026-11-27T09:00:00Z`): the PDF's creation date and `datetime.today()`; `doc_lang` the
/// document's language. The same inputs give the same bytes. On success writes the PDF to
/// `*out_pdf` (`len` is its size; the library's trailing NUL follows it, uncounted).
///
/// Errors: 1001 malformed JSON; 5001 unknown kind; 5003 data that does not fit the document
/// (`path` names the field, e.g. `items[2].quantity`); 5004 an amount too large for words;
/// 9005 an unknown `doc_lang` or a `now` that is not RFC 3339.
///
/// # Safety
/// `renderer` a live handle not freed during the call; `kind`, `data` and `now` valid for
/// reading their lengths; `out_pdf` valid for writing; `out_error` NULL or valid for writing.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn voronka_render_document(
    renderer: *const voronka_renderer,
    kind: *const u8,
    kind_len: usize,
    data: *const u8,
    data_len: usize,
    now: *const u8,
    now_len: usize,
    doc_lang: voronka_doc_lang,
    lang: voronka_lang,
    out_pdf: *mut voronka_bytes,
    out_error: *mut voronka_bytes,
) -> voronka_result {
    // SAFETY: forwarded from the caller.
    unsafe {
        render_call(
            renderer,
            (kind, kind_len, "kind"),
            (data, data_len),
            (now, now_len),
            lang,
            (out_pdf, "out_pdf"),
            out_error,
            |renderer, args, lang| render_document(renderer, args, doc_lang, Output::Pdf, lang),
        )
    }
}

/// Renders one page (zero-based `page`) of a bundled document as a PNG image, `pixels_per_pt`
/// pixels per typographic point (2.0 gives about 144 dpi; at most 10): the same arguments as
/// `voronka_render_document` otherwise. Writes the PNG to `*out_png`.
///
/// Errors: as `voronka_render_document`; 5006 a page the document does not have; 5007 a scale
/// out of range.
///
/// # Safety
/// As `voronka_render_document`, with `out_png` valid for writing.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn voronka_render_document_png(
    renderer: *const voronka_renderer,
    kind: *const u8,
    kind_len: usize,
    data: *const u8,
    data_len: usize,
    now: *const u8,
    now_len: usize,
    doc_lang: voronka_doc_lang,
    page: usize,
    pixels_per_pt: f32,
    lang: voronka_lang,
    out_png: *mut voronka_bytes,
    out_error: *mut voronka_bytes,
) -> voronka_result {
    let output = Output::Png {
        page,
        pixels_per_pt,
    };
    // SAFETY: forwarded from the caller.
    unsafe {
        render_call(
            renderer,
            (kind, kind_len, "kind"),
            (data, data_len),
            (now, now_len),
            lang,
            (out_png, "out_png"),
            out_error,
            |renderer, args, lang| render_document(renderer, args, doc_lang, output, lang),
        )
    }
}

/// Renders a template of the host's own (typst source, UTF-8) with any JSON data, which the
/// template reads as `json("/data.json")`; `now` as in `voronka_render_document`. The helpers of
/// the bundled templates are importable (`#import "/voronka.typ": *`); packages, system fonts
/// and files are not. Writes the PDF to `*out_pdf`.
///
/// Errors: 1001 malformed data JSON; 5002 a template that does not compile, with
/// `details.file`, `details.line` and `details.column` (one-based) of the first error and
/// typst's message; 9005 a `now` that is not RFC 3339.
///
/// # Safety
/// `renderer` a live handle not freed during the call; `template`, `data` and `now` valid for
/// reading their lengths; `out_pdf` valid for writing; `out_error` NULL or valid for writing.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn voronka_render_template(
    renderer: *const voronka_renderer,
    template: *const u8,
    template_len: usize,
    data: *const u8,
    data_len: usize,
    now: *const u8,
    now_len: usize,
    lang: voronka_lang,
    out_pdf: *mut voronka_bytes,
    out_error: *mut voronka_bytes,
) -> voronka_result {
    // SAFETY: forwarded from the caller.
    unsafe {
        render_call(
            renderer,
            (template, template_len, "template"),
            (data, data_len),
            (now, now_len),
            lang,
            (out_pdf, "out_pdf"),
            out_error,
            render_template,
        )
    }
}

/// The common body of the render calls: checks the handle and the output, borrows the three
/// text inputs, runs `render` and writes its bytes to the output.
///
/// # Safety
/// As the render calls: `renderer` a live handle not freed during the call, each input valid
/// for reading its length, the output valid for writing, `out_error` NULL or valid for writing.
#[allow(clippy::too_many_arguments)]
unsafe fn render_call(
    renderer: *const voronka_renderer,
    what: (*const u8, usize, &str),
    data: (*const u8, usize),
    now: (*const u8, usize),
    lang: voronka_lang,
    (out, out_name): (*mut voronka_bytes, &str),
    out_error: *mut voronka_bytes,
    render: impl FnOnce(&voronka_renderer, &DocumentArgs<'_>, Lang) -> Result<Vec<u8>, ErrorReport>,
) -> voronka_result {
    let body = |lang: Lang| -> Result<(), ErrorReport> {
        // SAFETY: the caller guarantees the handle is not freed during the call.
        let renderer = unsafe { renderer_ref(renderer, lang) }?;
        need_out(out, out_name, lang)?;
        // SAFETY: the caller guarantees each pointer is readable for its length.
        let args = unsafe { DocumentArgs::read(what, data, now, lang) }?;
        let bytes = render(renderer, &args, lang)?;
        // SAFETY: checked non-null above; the caller guarantees it is writable.
        unsafe { super::put_bytes(out, bytes) };
        Ok(())
    };
    // SAFETY: the caller guarantees `out_error` is NULL or writable.
    unsafe { guard(lang, out_error, body) }
}

/// Executes a render-document effect of an outcome (`{"type":"render_document", "record",
/// "id", "document": {...}}`, as found in `effects` of `voronka_apply`): maps the record (its
/// JSON, as stored) to the document's data, numbers it with the request's format and the
/// host's sequence value `seq`, renders the request's bundled template in the request's
/// language with the host's company profile (JSON: the seller, bank details, shipping; see
/// `examples/eco-packaging/company.json`) and writes the PDF to `*out_pdf`. When `out_info` is
/// not NULL, it receives `{"number": "INV-2026-00001", "kind": "invoice"}`.
///
/// Errors: 1001/1002 malformed or misshapen effect or record JSON; 5001 the request names no
/// bundled template; 5003 a profile item or record value that does not fit (`path`); 5005 a
/// malformed number format; 5008 a record field the document needs is empty
/// (`details.field`); 9005 a `now` that is not RFC 3339.
///
/// # Safety
/// `renderer` a live handle not freed during the call; `effect`, `record`, `company` and `now`
/// valid for reading their lengths; `out_pdf` valid for writing; `out_info` and `out_error`
/// NULL or valid for writing.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn voronka_execute_render(
    renderer: *const voronka_renderer,
    effect: *const u8,
    effect_len: usize,
    record: *const u8,
    record_len: usize,
    company: *const u8,
    company_len: usize,
    seq: u64,
    now: *const u8,
    now_len: usize,
    lang: voronka_lang,
    out_pdf: *mut voronka_bytes,
    out_info: *mut voronka_bytes,
    out_error: *mut voronka_bytes,
) -> voronka_result {
    let body = |lang: Lang| -> Result<(), ErrorReport> {
        // SAFETY: the caller guarantees the handle is not freed during the call.
        let renderer = unsafe { renderer_ref(renderer, lang) }?;
        need_out(out_pdf, "out_pdf", lang)?;
        // SAFETY: the caller guarantees each pointer is readable for its length.
        let (effect, record, company, now) = unsafe {
            (
                super::input(effect, effect_len, "effect", lang)?,
                super::input(record, record_len, "record", lang)?,
                super::input(company, company_len, "company", lang)?,
                super::input(now, now_len, "now", lang)?,
            )
        };
        let (pdf, info) = execute_render(renderer, effect, record, company, seq, now, lang)?;
        // SAFETY: checked non-null above; the caller guarantees they are writable.
        unsafe {
            super::put_bytes(out_pdf, pdf);
            super::put(out_info, info);
        }
        Ok(())
    };
    // SAFETY: the caller guarantees `out_error` is NULL or writable.
    unsafe { guard(lang, out_error, body) }
}

/// The text inputs of a render call: the document kind (or the template), the data and `now`.
#[cfg_attr(not(feature = "documents"), allow(dead_code))]
struct DocumentArgs<'a> {
    what: &'a str,
    data: &'a str,
    now: &'a str,
}

impl<'a> DocumentArgs<'a> {
    /// Borrows the three inputs.
    ///
    /// # Safety
    /// Each pointer must be valid for reading its length during the call.
    unsafe fn read(
        (what, what_len, what_name): (*const u8, usize, &str),
        (data, data_len): (*const u8, usize),
        (now, now_len): (*const u8, usize),
        lang: Lang,
    ) -> Result<Self, ErrorReport> {
        // SAFETY: forwarded from the caller.
        unsafe {
            Ok(Self {
                what: super::input(what, what_len, what_name, lang)?,
                data: super::input(data, data_len, "data", lang)?,
                now: super::input(now, now_len, "now", lang)?,
            })
        }
    }
}

/// What a render call returns.
#[derive(Clone, Copy)]
#[cfg_attr(not(feature = "documents"), allow(dead_code))]
enum Output {
    Pdf,
    Png { page: usize, pixels_per_pt: f32 },
}

#[cfg(not(feature = "documents"))]
fn render_document(
    _renderer: &voronka_renderer,
    _args: &DocumentArgs<'_>,
    _doc_lang: voronka_doc_lang,
    _output: Output,
    lang: Lang,
) -> Result<Vec<u8>, ErrorReport> {
    unsupported(lang)
}

#[cfg(not(feature = "documents"))]
fn render_template(
    _renderer: &voronka_renderer,
    _args: &DocumentArgs<'_>,
    lang: Lang,
) -> Result<Vec<u8>, ErrorReport> {
    unsupported(lang)
}

#[cfg(not(feature = "documents"))]
fn execute_render(
    _renderer: &voronka_renderer,
    _effect: &str,
    _record: &str,
    _company: &str,
    _seq: u64,
    _now: &str,
    lang: Lang,
) -> Result<(Vec<u8>, String), ErrorReport> {
    unsupported(lang)
}
