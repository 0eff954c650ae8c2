//! # libvoronka: the C library of voronka
//!
//! A thin C ABI over `voronka::api`: every call takes UTF-8 JSON as `(pointer, length)` and
//! returns library-allocated JSON in a `voronka_bytes`, or an error code with an optional
//! error report. No domain logic lives here, so new core features that travel as JSON need no
//! new C functions. The header `include/voronka.h` is generated from this file by cbindgen;
//! `README.md` is the C API guide.
//!
//! Conventions of every exported function returning a `voronka_result` (the `_free` functions
//! also run inside `catch_unwind`; the version and code lookups are static and cannot panic):
//! - it runs inside `catch_unwind`: a panic becomes `VORONKA_ERROR_PANIC`, never an unwind
//!   into C (the library must be built with `panic = "unwind"`);
//! - it returns `VORONKA_OK` or a stable code (`1xxx`/`2xxx`/`3xxx` from the core, `5xxx`
//!   from the documents, `9xxx` from the binding);
//! - it writes its output parameter only on success, and the optional `out_error` only on
//!   failure.

#![allow(non_camel_case_types)]

mod codes;
mod docs;

pub use docs::*;

use std::collections::BTreeSet;
use std::ffi::{CStr, c_char};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Mutex, MutexGuard};

use serde_json::json;
use voronka::api;
use voronka::{DecodeError, Error, ErrorReport, Lang, Model};

/// A result code: `VORONKA_OK` (0) or an error code.
///
/// Blocks: `1xxx` decoding JSON, `2xxx` problems of a definition, `3xxx` rejected commands
/// (the core's stable codes, see `voronka::error`), `5xxx` documents (`voronka-docs`), `9xxx`
/// errors of the C binding itself.
pub type voronka_result = u32;

/// A language for messages: `VORONKA_LANG_EN` or `VORONKA_LANG_RU`.
pub type voronka_lang = u32;

/// Success.
pub const VORONKA_OK: voronka_result = 0;
/// A required pointer argument is NULL.
pub const VORONKA_ERROR_NULL_POINTER: voronka_result = 9001;
/// An input is not valid UTF-8.
pub const VORONKA_ERROR_INVALID_UTF8: voronka_result = 9002;
/// The library panicked; nothing was written and the handle is still usable.
pub const VORONKA_ERROR_PANIC: voronka_result = 9003;
/// A handle is not a live handle of this library (already freed, or never created by it).
pub const VORONKA_ERROR_BAD_HANDLE: voronka_result = 9004;
/// An argument is out of range (an unknown language, a time that is not RFC 3339).
pub const VORONKA_ERROR_INVALID_ARGUMENT: voronka_result = 9005;
/// The library was built without this feature (documents: the cargo feature `documents`).
pub const VORONKA_ERROR_UNSUPPORTED: voronka_result = 9006;

/// English messages.
pub const VORONKA_LANG_EN: voronka_lang = 0;
/// Russian messages.
pub const VORONKA_LANG_RU: voronka_lang = 1;

/// The version of the JSON that crosses this API (records, commands, events, effects,
/// outcomes, error reports). Compare it with `voronka_format_version()` at run time.
pub const VORONKA_FORMAT_VERSION: u32 = 1;

/// The largest JSON input accepted by default, in bytes (16 MiB): the default of the
/// `input_bytes` limit. Longer inputs give code 1003 (`input_too_large`) without being read.
/// A model's calls follow the model's own `input_bytes` instead (set through
/// `voronka_model_new_with_options`), and its definition its `definition_bytes`.
pub const VORONKA_MAX_INPUT_BYTES: usize = 16777216;

/// A compiled model: a definition checked and compiled once, then used for any number of
/// calls.
///
/// Opaque; create it with `voronka_model_new` or `voronka_model_new_eco_packaging` and free it
/// with `voronka_model_free`. A model is immutable: one handle may be used by many threads at
/// the same time without locking. Freeing it while another thread uses it is undefined
/// behaviour.
pub struct voronka_model {
    /// `MAGIC` while the handle is live, cleared when it is freed.
    magic: u64,
    /// The compiled model.
    model: Model,
}

/// Bytes allocated by the library: UTF-8 JSON, `len` bytes at `ptr`, followed by a NUL byte
/// that `len` does not count (so `ptr` may be printed as a C string).
///
/// Free with `voronka_bytes_free`, exactly once. `{NULL, 0}` is the empty value.
#[repr(C)]
pub struct voronka_bytes {
    /// The first byte, or NULL when empty.
    pub ptr: *mut u8,
    /// The number of bytes, not counting the trailing NUL.
    pub len: usize,
}

const MAGIC: u64 = 0x766f_726f_6e6b_6121;

/// Addresses of the live handles of one type: a handle is checked here before it is
/// dereferenced, so a freed or foreign pointer gives `VORONKA_ERROR_BAD_HANDLE` instead of a
/// read of freed memory.
struct Registry(Mutex<BTreeSet<usize>>);

impl Registry {
    const fn new() -> Self {
        Self(Mutex::new(BTreeSet::new()))
    }

    fn lock(&self) -> MutexGuard<'_, BTreeSet<usize>> {
        // The set stays consistent even if a holder panicked: insert and remove are atomic.
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn insert(&self, address: usize) {
        self.lock().insert(address);
    }

    fn contains(&self, address: usize) -> bool {
        self.lock().contains(&address)
    }

    /// Removes a live address; false when it was not live (freed, or never registered).
    fn remove(&self, address: usize) -> bool {
        let mut live = self.lock();
        if !live.remove(&address) {
            return false;
        }
        if live.is_empty() {
            // Release the set's node too: after the last handle is freed the library holds
            // no memory of its own (valgrind's "still reachable" stays clean).
            *live = BTreeSet::new();
        }
        true
    }
}

/// The live models.
static LIVE_MODELS: Registry = Registry::new();

// A model is shared across threads by C callers: it must stay Send + Sync.
const _: fn() = || {
    fn shareable<T: Send + Sync>() {}
    shareable::<Model>();
};

/// An error of the binding itself, as a report in the core's format.
fn binding_error(code: voronka_result, message: String, details: serde_json::Value) -> ErrorReport {
    let name = codes::lookup(code)
        .and_then(|info| info.name.to_str().ok())
        .unwrap_or("unknown");
    ErrorReport {
        code,
        name: name.to_string(),
        path: None,
        message,
        details,
    }
}

fn null_pointer(parameter: &str, lang: Lang) -> ErrorReport {
    binding_error(
        VORONKA_ERROR_NULL_POINTER,
        lang.pick(
            &format!("`{parameter}` is NULL"),
            &format!("`{parameter}` равен NULL"),
        )
        .to_string(),
        json!({ "parameter": parameter }),
    )
}

fn bad_handle(parameter: &str, lang: Lang) -> ErrorReport {
    binding_error(
        VORONKA_ERROR_BAD_HANDLE,
        lang.pick(
            &format!("`{parameter}` is not a live handle (freed, or never created)"),
            &format!(
                "`{parameter}` не является действующим дескриптором (освобождён или не создан)"
            ),
        )
        .to_string(),
        json!({ "parameter": parameter }),
    )
}

fn parse_lang(lang: voronka_lang) -> Result<Lang, ErrorReport> {
    match lang {
        VORONKA_LANG_EN => Ok(Lang::En),
        VORONKA_LANG_RU => Ok(Lang::Ru),
        other => Err(binding_error(
            VORONKA_ERROR_INVALID_ARGUMENT,
            format!("unknown language {other}: use VORONKA_LANG_EN (0) or VORONKA_LANG_RU (1)"),
            json!({ "parameter": "lang", "value": other }),
        )),
    }
}

/// Moves `buf` into a library allocation with a trailing NUL.
fn to_bytes(mut buf: Vec<u8>) -> voronka_bytes {
    let len = buf.len();
    buf.push(0);
    let ptr = Box::into_raw(buf.into_boxed_slice()).cast::<u8>();
    voronka_bytes { ptr, len }
}

/// Writes `text` to `out` as a library allocation.
///
/// # Safety
/// `out` must be NULL or valid for writing a `voronka_bytes`.
unsafe fn put(out: *mut voronka_bytes, text: String) {
    // SAFETY: forwarded from the caller.
    unsafe { put_bytes(out, text.into_bytes()) }
}

/// Writes binary `bytes` (a PDF, a PNG) to `out` as a library allocation.
///
/// # Safety
/// `out` must be NULL or valid for writing a `voronka_bytes`.
unsafe fn put_bytes(out: *mut voronka_bytes, bytes: Vec<u8>) {
    if !out.is_null() {
        // SAFETY: the caller guarantees `out` is valid for writes; `write` does not read or
        // drop what was there, which may be uninitialized.
        unsafe { out.write(to_bytes(bytes)) };
    }
}

/// Borrows a required JSON input as text, refusing unread one longer than the default
/// `input_bytes` limit (inputs of calls without a model).
///
/// # Safety
/// Unless NULL, `ptr` must be valid for reading `len` bytes for the duration of the call
/// (only checked up to `VORONKA_MAX_INPUT_BYTES`: a longer `len` is refused unread).
unsafe fn input<'a>(
    ptr: *const u8,
    len: usize,
    parameter: &str,
    lang: Lang,
) -> Result<&'a str, ErrorReport> {
    // SAFETY: forwarded from the caller.
    unsafe {
        input_within(
            ptr,
            len,
            parameter,
            lang,
            ("input_bytes", VORONKA_MAX_INPUT_BYTES),
        )
    }
}

/// Borrows a required JSON input as text, refusing unread one longer than `limit` (a limit of
/// the model, by its name in `Limits`): code 1003 with the same details as the core's check,
/// plus the parameter's name.
///
/// # Safety
/// Unless NULL, `ptr` must be valid for reading `len` bytes for the duration of the call
/// (only checked up to the limit: a longer `len` is refused unread).
unsafe fn input_within<'a>(
    ptr: *const u8,
    len: usize,
    parameter: &str,
    lang: Lang,
    (limit_name, limit): (&'static str, usize),
) -> Result<&'a str, ErrorReport> {
    if ptr.is_null() {
        return Err(null_pointer(parameter, lang));
    }
    // A slice can be at most `isize::MAX` bytes, whatever limit the host configured.
    if len > limit || len > isize::MAX as usize {
        let mut report = Error::from(DecodeError::TooLarge {
            size: len,
            limit,
            limit_name,
        })
        .report(lang);
        report.details["parameter"] = json!(parameter);
        return Err(report);
    }
    // SAFETY: `ptr` is non-null and the caller guarantees `len` readable bytes; `len` is at
    // most `isize::MAX`.
    let bytes = unsafe { std::slice::from_raw_parts(ptr, len) };
    std::str::from_utf8(bytes).map_err(|e| {
        binding_error(
            VORONKA_ERROR_INVALID_UTF8,
            lang.pick(
                &format!(
                    "`{parameter}` is not valid UTF-8 (valid up to byte {})",
                    e.valid_up_to()
                ),
                &format!(
                    "`{parameter}` не в кодировке UTF-8 (корректно до байта {})",
                    e.valid_up_to()
                ),
            )
            .to_string(),
            json!({ "parameter": parameter, "valid_up_to": e.valid_up_to() }),
        )
    })
}

/// Borrows an optional JSON input of a model's call: NULL is `None`.
///
/// # Safety
/// As `input_within`.
unsafe fn optional_input<'a>(
    ptr: *const u8,
    len: usize,
    parameter: &str,
    lang: Lang,
    model: &Model,
) -> Result<Option<&'a str>, ErrorReport> {
    if ptr.is_null() {
        Ok(None)
    } else {
        // SAFETY: forwarded from the caller.
        unsafe { model_input(ptr, len, parameter, lang, model) }.map(Some)
    }
}

/// Borrows a required JSON input of a model's call, within the model's `input_bytes`.
///
/// # Safety
/// As `input_within`.
unsafe fn model_input<'a>(
    ptr: *const u8,
    len: usize,
    parameter: &str,
    lang: Lang,
    model: &Model,
) -> Result<&'a str, ErrorReport> {
    let limit = ("input_bytes", model.limits().input_bytes);
    // SAFETY: forwarded from the caller.
    unsafe { input_within(ptr, len, parameter, lang, limit) }
}

/// Borrows the model behind a handle, after checking that the handle is live.
///
/// # Safety
/// Unless the handle is NULL or unknown, the model must not be freed during the call.
unsafe fn model_ref<'a>(
    handle: *const voronka_model,
    lang: Lang,
) -> Result<&'a Model, ErrorReport> {
    if handle.is_null() {
        return Err(null_pointer("model", lang));
    }
    if !LIVE_MODELS.contains(handle as usize) {
        return Err(bad_handle("model", lang));
    }
    // SAFETY: the address is registered, so it came from `Box::into_raw` in `register` and
    // `voronka_model_free` has not yet released it; the model is never mutated.
    let handle = unsafe { &*handle };
    if handle.magic != MAGIC {
        return Err(bad_handle("model", lang));
    }
    Ok(&handle.model)
}

fn register(model: Model) -> *mut voronka_model {
    let ptr = Box::into_raw(Box::new(voronka_model {
        magic: MAGIC,
        model,
    }));
    LIVE_MODELS.insert(ptr as usize);
    ptr
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string())
}

/// The panic boundary of every fallible export: parses the language, runs `body`, turns a
/// panic into `VORONKA_ERROR_PANIC` and writes the error report to `out_error` on failure.
///
/// # Safety
/// `out_error` must be NULL or valid for writing a `voronka_bytes`.
unsafe fn guard(
    lang: voronka_lang,
    out_error: *mut voronka_bytes,
    body: impl FnOnce(Lang) -> Result<(), ErrorReport>,
) -> voronka_result {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let lang = parse_lang(lang)?;
        body(lang)
    }));
    let report = match outcome {
        Ok(Ok(())) => return VORONKA_OK,
        Ok(Err(report)) => report,
        Err(payload) => binding_error(
            VORONKA_ERROR_PANIC,
            format!("voronka panicked: {}", panic_message(payload.as_ref())),
            json!({}),
        ),
    };
    let code = report.code;
    // Serializing a report cannot fail (string keys only), and a panic here must not unwind
    // into C either.
    let written = catch_unwind(AssertUnwindSafe(|| {
        let text = serde_json::to_string(&report).unwrap_or_default();
        // SAFETY: forwarded from the caller.
        unsafe { put(out_error, text) };
    }));
    if written.is_err() {
        return VORONKA_ERROR_PANIC;
    }
    code
}

/// Checks a required output pointer before any work is done.
fn need_out(out: *mut voronka_bytes, parameter: &str, lang: Lang) -> Result<(), ErrorReport> {
    if out.is_null() {
        Err(null_pointer(parameter, lang))
    } else {
        Ok(())
    }
}

/// The library's version (`"0.1.0"`), a static NUL-terminated string; never free it.
#[unsafe(no_mangle)]
pub extern "C" fn voronka_version() -> *const c_char {
    const VERSION: &CStr =
        match CStr::from_bytes_with_nul(concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes()) {
            Ok(v) => v,
            Err(_) => panic!("the version contains a NUL byte"),
        };
    VERSION.as_ptr()
}

/// The JSON format version the library speaks: equal to `VORONKA_FORMAT_VERSION` of the
/// header it was built with. A host loading the shared library dynamically should compare them.
#[unsafe(no_mangle)]
pub extern "C" fn voronka_format_version() -> u32 {
    VORONKA_FORMAT_VERSION
}

/// A short English description of a code (`"Fields are missing to enter the stage"`), a static
/// NUL-terminated string; never free it. Unknown codes give `"Unknown error code"`. For the
/// full message of a failed call, in English or Russian, read the error report (`out_error`).
#[unsafe(no_mangle)]
pub extern "C" fn voronka_error_message(code: voronka_result) -> *const c_char {
    codes::lookup(code)
        .map(|info| info.message)
        .unwrap_or(c"Unknown error code")
        .as_ptr()
}

/// The stable snake_case name of a code (`"missing_fields"`), a static NUL-terminated string;
/// never free it. Unknown codes give `"unknown"`.
#[unsafe(no_mangle)]
pub extern "C" fn voronka_error_name(code: voronka_result) -> *const c_char {
    codes::lookup(code)
        .map(|info| info.name)
        .unwrap_or(c"unknown")
        .as_ptr()
}

/// Frees bytes returned by the library and resets `*bytes` to `{NULL, 0}`.
///
/// Accepts NULL and `{NULL, 0}` (nothing happens), so freeing twice through the same
/// `voronka_bytes` is harmless. Passing bytes the library did not allocate is undefined
/// behaviour.
///
/// # Safety
/// `bytes` must be NULL or point to a `voronka_bytes` filled by this library (or `{NULL, 0}`).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn voronka_bytes_free(bytes: *mut voronka_bytes) {
    if bytes.is_null() {
        return;
    }
    let _ = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: the caller guarantees `bytes` points to a valid `voronka_bytes`.
        let b = unsafe { &mut *bytes };
        if !b.ptr.is_null() {
            let slice = std::ptr::slice_from_raw_parts_mut(b.ptr, b.len + 1);
            // SAFETY: `ptr` and `len` come from `to_bytes`: a boxed slice of `len + 1` bytes
            // (the trailing NUL included) released with `Box::into_raw`.
            drop(unsafe { Box::from_raw(slice) });
        }
        b.ptr = std::ptr::null_mut();
        b.len = 0;
    }));
}

/// Compiles a definition (JSON, `definition_len` bytes) into a model.
///
/// On success writes a new handle to `*out_model`; free it with `voronka_model_free`. On
/// failure returns the code of the first problem (`1xxx` decoding, `2xxx` definition) and, when
/// `out_error` is not NULL, writes the report whose `details.problems` lists every problem.
///
/// # Safety
/// `definition` must be valid for reading `definition_len` bytes; `out_model` valid for
/// writing a pointer; `out_error` NULL or valid for writing a `voronka_bytes`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn voronka_model_new(
    definition: *const u8,
    definition_len: usize,
    lang: voronka_lang,
    out_model: *mut *mut voronka_model,
    out_error: *mut voronka_bytes,
) -> voronka_result {
    // SAFETY: the same contract, with no options.
    unsafe {
        voronka_model_new_with_options(
            definition,
            definition_len,
            std::ptr::null(),
            0,
            lang,
            out_model,
            out_error,
        )
    }
}

/// Compiles a definition like `voronka_model_new`, under options: JSON text
/// (`options_len` bytes) of `{"limits": {...}}`, every limit optional (see "Limits" in the
/// project's README; e.g. `{"limits": {"value_length": 2000, "timers_per_tick": 100}}`). `options`
/// may be NULL (with `options_len` 0) for the defaults. Bad options give `1001`/`1002` with
/// the path of the bad key.
///
/// # Safety
/// `definition` must be valid for reading `definition_len` bytes; `options` NULL or valid
/// for reading `options_len` bytes; `out_model` valid for writing a pointer; `out_error` NULL
/// or valid for writing a `voronka_bytes`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn voronka_model_new_with_options(
    definition: *const u8,
    definition_len: usize,
    options: *const u8,
    options_len: usize,
    lang: voronka_lang,
    out_model: *mut *mut voronka_model,
    out_error: *mut voronka_bytes,
) -> voronka_result {
    let body = |lang: Lang| -> Result<(), ErrorReport> {
        if out_model.is_null() {
            return Err(null_pointer("out_model", lang));
        }
        if definition.is_null() {
            return Err(null_pointer("definition", lang));
        }
        let options = if options.is_null() {
            None
        } else {
            // SAFETY: non-null, and the caller guarantees `options_len` readable bytes.
            Some(unsafe { input(options, options_len, "options", lang) }?)
        };
        // The definition is read within the limit the options set (bad options are reported
        // by the core below, after a definition within the default limit).
        let limits = options
            .and_then(|text| serde_json::from_str::<api::ModelOptions>(text).ok())
            .map(|o| o.limits)
            .unwrap_or_default();
        let limit = ("definition_bytes", limits.definition_bytes);
        // SAFETY: the caller guarantees `definition_len` readable bytes.
        let text = unsafe { input_within(definition, definition_len, "definition", lang, limit) }?;
        let model = api::load_with_options(text, options, lang)?;
        // SAFETY: `out_model` is non-null and the caller guarantees it is writable.
        unsafe { out_model.write(register(model)) };
        Ok(())
    };
    // SAFETY: the caller guarantees `out_error` is NULL or writable.
    unsafe { guard(lang, out_error, body) }
}

/// Compiles the built-in eco-packaging example (lead funnel L1–L7, deal funnel D1–D14) into a
/// model; see `voronka_model_new`.
///
/// # Safety
/// `out_model` must be valid for writing a pointer; `out_error` NULL or valid for writing a
/// `voronka_bytes`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn voronka_model_new_eco_packaging(
    lang: voronka_lang,
    out_model: *mut *mut voronka_model,
    out_error: *mut voronka_bytes,
) -> voronka_result {
    let body = |lang: Lang| -> Result<(), ErrorReport> {
        if out_model.is_null() {
            return Err(null_pointer("out_model", lang));
        }
        let model = api::load(voronka::examples::ECO_PACKAGING, lang)?;
        // SAFETY: `out_model` is non-null and the caller guarantees it is writable.
        unsafe { out_model.write(register(model)) };
        Ok(())
    };
    // SAFETY: the caller guarantees `out_error` is NULL or writable.
    unsafe { guard(lang, out_error, body) }
}

/// Frees a model. Accepts NULL; a handle that is not live (already freed, or never created by
/// this library) is detected and ignored.
///
/// # Safety
/// No other thread may be using the model.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn voronka_model_free(model: *mut voronka_model) {
    if model.is_null() {
        return;
    }
    let _ = catch_unwind(AssertUnwindSafe(|| {
        if !LIVE_MODELS.remove(model as usize) {
            return;
        }
        // SAFETY: the address was registered, so it came from `Box::into_raw` in `register`;
        // removing it from the set makes this the only release.
        let mut handle = unsafe { Box::from_raw(model) };
        // SAFETY: `handle.magic` is a valid, aligned field; a volatile write is not elided
        // although the box is dropped right after.
        unsafe { std::ptr::write_volatile(&mut handle.magic, 0) };
        drop(handle);
    }));
}

/// Checks a definition and lists every problem: writes a JSON array of
/// `{code, name, path, message}` to `*out_problems` (`[]` when it compiles).
///
/// Returns `VORONKA_OK` whenever the problems could be listed, even if there are some; an
/// error only for bad arguments (NULL, invalid UTF-8, too large).
///
/// # Safety
/// `definition` must be valid for reading `definition_len` bytes; `out_problems` valid for
/// writing; `out_error` NULL or valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn voronka_check(
    definition: *const u8,
    definition_len: usize,
    lang: voronka_lang,
    out_problems: *mut voronka_bytes,
    out_error: *mut voronka_bytes,
) -> voronka_result {
    let body = |lang: Lang| -> Result<(), ErrorReport> {
        need_out(out_problems, "out_problems", lang)?;
        // SAFETY: the caller guarantees `definition_len` readable bytes.
        let text = unsafe { input(definition, definition_len, "definition", lang) }?;
        let problems = api::check(text, lang);
        // SAFETY: checked non-null; the caller guarantees it is writable.
        unsafe { put(out_problems, problems) };
        Ok(())
    };
    // SAFETY: the caller guarantees `out_error` is NULL or writable.
    unsafe { guard(lang, out_error, body) }
}

/// Applies a command to a record.
///
/// `record` is the record JSON, or NULL (or `null`) for a command that creates one (`create`,
/// `capture_lead`). `command` is a command JSON: `{actor, now, expected_version?,
/// idempotency_key?, action}`. On success writes the outcome
/// `{"record", "events", "effects", "trace"}` to `*out_outcome`: store `record`, carry out
/// `effects`. A rejected command returns its `3xxx` code and the report (with `details`, e.g.
/// the missing fields) in `out_error`. Nothing is ever changed in place.
///
/// # Safety
/// `record` must be NULL or valid for reading `record_len` bytes; `command` valid for reading
/// `command_len` bytes; `model` a handle from `voronka_model_new*` not freed during the call;
/// `out_outcome` valid for writing; `out_error` NULL or valid for writing.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn voronka_apply(
    model: *const voronka_model,
    record: *const u8,
    record_len: usize,
    command: *const u8,
    command_len: usize,
    lang: voronka_lang,
    out_outcome: *mut voronka_bytes,
    out_error: *mut voronka_bytes,
) -> voronka_result {
    let body = |lang: Lang| -> Result<(), ErrorReport> {
        // SAFETY: the caller guarantees the handle is not freed during the call.
        let model = unsafe { model_ref(model, lang) }?;
        need_out(out_outcome, "out_outcome", lang)?;
        // SAFETY: the caller guarantees the pointer is readable for its length.
        let record = unsafe { optional_input(record, record_len, "record", lang, model) }?;
        // SAFETY: the caller guarantees the pointer is readable for its length.
        let command = unsafe { model_input(command, command_len, "command", lang, model) }?;
        let outcome = api::apply(model, record, command, lang)?;
        // SAFETY: checked non-null above; the caller guarantees it is writable.
        unsafe { put(out_outcome, outcome) };
        Ok(())
    };
    // SAFETY: the caller guarantees `out_error` is NULL or writable.
    unsafe { guard(lang, out_error, body) }
}

/// Decides a command against a record without applying it: the same arguments as
/// `voronka_apply`; on success writes `{"events", "effects", "trace"}` to `*out_decision`. The
/// host appends the events to its log and evolves its record by them (or calls
/// `voronka_apply`, which does both and returns the new record).
///
/// # Safety
/// As `voronka_apply`.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn voronka_decide(
    model: *const voronka_model,
    record: *const u8,
    record_len: usize,
    command: *const u8,
    command_len: usize,
    lang: voronka_lang,
    out_decision: *mut voronka_bytes,
    out_error: *mut voronka_bytes,
) -> voronka_result {
    let body = |lang: Lang| -> Result<(), ErrorReport> {
        // SAFETY: the caller guarantees the handle is not freed during the call.
        let model = unsafe { model_ref(model, lang) }?;
        need_out(out_decision, "out_decision", lang)?;
        // SAFETY: the caller guarantees the pointer is readable for its length.
        let record = unsafe { optional_input(record, record_len, "record", lang, model) }?;
        // SAFETY: the caller guarantees the pointer is readable for its length.
        let command = unsafe { model_input(command, command_len, "command", lang, model) }?;
        let decision = api::decide(model, record, command, lang)?;
        // SAFETY: checked non-null above; the caller guarantees it is writable.
        unsafe { put(out_decision, decision) };
        Ok(())
    };
    // SAFETY: the caller guarantees `out_error` is NULL or writable.
    unsafe { guard(lang, out_error, body) }
}

/// What entering `stage` (a stage code, UTF-8, `stage_len` bytes) needs from the record:
/// writes `{"stage", "stage_label", "move_allowed", "missing": [...]}` to
/// `*out_requirements`, for a move dialog.
///
/// # Safety
/// `record` and `stage` must be valid for reading their lengths; `model` a live handle;
/// `out_requirements` valid for writing; `out_error` NULL or valid for writing.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn voronka_requirements(
    model: *const voronka_model,
    record: *const u8,
    record_len: usize,
    stage: *const u8,
    stage_len: usize,
    lang: voronka_lang,
    out_requirements: *mut voronka_bytes,
    out_error: *mut voronka_bytes,
) -> voronka_result {
    let body = |lang: Lang| -> Result<(), ErrorReport> {
        // SAFETY: the caller guarantees the handle is not freed during the call.
        let model = unsafe { model_ref(model, lang) }?;
        need_out(out_requirements, "out_requirements", lang)?;
        // SAFETY: the caller guarantees the pointer is readable for its length.
        let record = unsafe { model_input(record, record_len, "record", lang, model) }?;
        // SAFETY: the caller guarantees the pointer is readable for its length.
        let stage = unsafe { model_input(stage, stage_len, "stage", lang, model) }?;
        let requirements = api::requirements(model, record, stage, lang)?;
        // SAFETY: checked non-null above; the caller guarantees it is writable.
        unsafe { put(out_requirements, requirements) };
        Ok(())
    };
    // SAFETY: the caller guarantees `out_error` is NULL or writable.
    unsafe { guard(lang, out_error, body) }
}

/// The form of a task: writes the questions of task `code` of `automation` in `pipeline` (a
/// record's pipeline, a task's automation and code; UTF-8 with their lengths) as a JSON array
/// of fields to `*out_form`; `[]` when there is no such task or it has no form. Records keep
/// tasks without their forms: the form is the model's.
///
/// # Safety
/// `pipeline`, `automation` and `code` must be valid for reading their lengths; `model` a
/// live handle; `out_form` valid for writing; `out_error` NULL or valid for writing.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn voronka_task_form(
    model: *const voronka_model,
    pipeline: *const u8,
    pipeline_len: usize,
    automation: *const u8,
    automation_len: usize,
    code: *const u8,
    code_len: usize,
    lang: voronka_lang,
    out_form: *mut voronka_bytes,
    out_error: *mut voronka_bytes,
) -> voronka_result {
    let body = |lang: Lang| -> Result<(), ErrorReport> {
        // SAFETY: the caller guarantees the handle is not freed during the call.
        let model = unsafe { model_ref(model, lang) }?;
        need_out(out_form, "out_form", lang)?;
        // SAFETY: the caller guarantees each pointer is readable for its length.
        let pipeline = unsafe { model_input(pipeline, pipeline_len, "pipeline", lang, model) }?;
        // SAFETY: as above.
        let automation =
            unsafe { model_input(automation, automation_len, "automation", lang, model) }?;
        // SAFETY: as above.
        let code = unsafe { model_input(code, code_len, "code", lang, model) }?;
        let form = api::task_form(model, pipeline, automation, code);
        // SAFETY: checked non-null above; the caller guarantees it is writable.
        unsafe { put(out_form, form) };
        Ok(())
    };
    // SAFETY: the caller guarantees `out_error` is NULL or writable.
    unsafe { guard(lang, out_error, body) }
}

/// The stages the record may move to now: writes a JSON array of stage codes to
/// `*out_stages`.
///
/// # Safety
/// `record` must be valid for reading `record_len` bytes; `model` a live handle; `out_stages`
/// valid for writing; `out_error` NULL or valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn voronka_next_stages(
    model: *const voronka_model,
    record: *const u8,
    record_len: usize,
    lang: voronka_lang,
    out_stages: *mut voronka_bytes,
    out_error: *mut voronka_bytes,
) -> voronka_result {
    let body = |lang: Lang| -> Result<(), ErrorReport> {
        // SAFETY: the caller guarantees the handle is not freed during the call.
        let model = unsafe { model_ref(model, lang) }?;
        need_out(out_stages, "out_stages", lang)?;
        // SAFETY: the caller guarantees the pointer is readable for its length.
        let record = unsafe { model_input(record, record_len, "record", lang, model) }?;
        let stages = api::next_stages(model, record, lang)?;
        // SAFETY: checked non-null above; the caller guarantees it is writable.
        unsafe { put(out_stages, stages) };
        Ok(())
    };
    // SAFETY: the caller guarantees `out_error` is NULL or writable.
    unsafe { guard(lang, out_error, body) }
}

/// When the host should send the record a `tick` command next: writes a JSON string
/// (RFC 3339, e.g. `"2026-11-30T09:00:00Z"`) or `null` (no timer) to `*out_due`.
///
/// # Safety
/// `record` must be valid for reading `record_len` bytes; `out_due` valid for writing;
/// `out_error` NULL or valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn voronka_next_due(
    record: *const u8,
    record_len: usize,
    lang: voronka_lang,
    out_due: *mut voronka_bytes,
    out_error: *mut voronka_bytes,
) -> voronka_result {
    let body = |lang: Lang| -> Result<(), ErrorReport> {
        need_out(out_due, "out_due", lang)?;
        // SAFETY: the caller guarantees the pointer is readable for its length.
        let record = unsafe { input(record, record_len, "record", lang) }?;
        let due = api::next_due(record, lang)?;
        // SAFETY: checked non-null above; the caller guarantees it is writable.
        unsafe { put(out_due, due) };
        Ok(())
    };
    // SAFETY: the caller guarantees `out_error` is NULL or writable.
    unsafe { guard(lang, out_error, body) }
}

/// Rebuilds a record from its events (a JSON array, e.g. every `events` of the outcomes so
/// far): writes the record JSON, or `null` when the events do not start with `created`, to
/// `*out_record`.
///
/// # Safety
/// `events` must be valid for reading `events_len` bytes; `out_record` valid for writing;
/// `out_error` NULL or valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn voronka_replay(
    events: *const u8,
    events_len: usize,
    lang: voronka_lang,
    out_record: *mut voronka_bytes,
    out_error: *mut voronka_bytes,
) -> voronka_result {
    let body = |lang: Lang| -> Result<(), ErrorReport> {
        need_out(out_record, "out_record", lang)?;
        // SAFETY: the caller guarantees the pointer is readable for its length.
        let events = unsafe { input(events, events_len, "events", lang) }?;
        let record = api::replay(events, lang)?;
        // SAFETY: checked non-null above; the caller guarantees it is writable.
        unsafe { put(out_record, record) };
        Ok(())
    };
    // SAFETY: the caller guarantees `out_error` is NULL or writable.
    unsafe { guard(lang, out_error, body) }
}

/// The normalized keys (e-mail, phone, company) a host looks up to find a lead's existing
/// contact and company: writes them as JSON to `*out_keys`.
///
/// # Safety
/// `record` must be valid for reading `record_len` bytes; `out_keys` valid for writing;
/// `out_error` NULL or valid for writing.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn voronka_duplicate_keys(
    record: *const u8,
    record_len: usize,
    lang: voronka_lang,
    out_keys: *mut voronka_bytes,
    out_error: *mut voronka_bytes,
) -> voronka_result {
    let body = |lang: Lang| -> Result<(), ErrorReport> {
        need_out(out_keys, "out_keys", lang)?;
        // SAFETY: the caller guarantees the pointer is readable for its length.
        let record = unsafe { input(record, record_len, "record", lang) }?;
        let keys = api::duplicate_keys(record, lang)?;
        // SAFETY: checked non-null above; the caller guarantees it is writable.
        unsafe { put(out_keys, keys) };
        Ok(())
    };
    // SAFETY: the caller guarantees `out_error` is NULL or writable.
    unsafe { guard(lang, out_error, body) }
}

#[cfg(test)]
mod tests;
