//! Rust-side tests of the C ABI: the code table against the core, the panic boundary, handles.
//! The C tests (`tests/*.c`, run by `scripts/test-c`) exercise the same functions from C.

#![allow(clippy::unwrap_used)]

use std::ptr::{null, null_mut};

use voronka::error::ValueProblem;
use voronka::{ErrorCode, Lang};

use super::*;

fn text(bytes: &voronka_bytes) -> String {
    // SAFETY: `bytes` was filled by the library: `len` bytes of UTF-8 at `ptr`.
    let slice = unsafe { std::slice::from_raw_parts(bytes.ptr, bytes.len) };
    String::from_utf8(slice.to_vec()).unwrap()
}

fn empty() -> voronka_bytes {
    voronka_bytes {
        ptr: null_mut(),
        len: 0,
    }
}

fn cstr(ptr: *const c_char) -> &'static str {
    // SAFETY: the library returns static NUL-terminated strings.
    unsafe { CStr::from_ptr(ptr) }.to_str().unwrap()
}

#[test]
fn the_code_table_matches_the_core() {
    assert!(codes_sorted());
    for &code in ErrorCode::ALL {
        assert_eq!(
            (
                cstr(voronka_error_name(code.as_u32())),
                cstr(voronka_error_message(code.as_u32()))
            ),
            (code.name(), code.description()),
            "{code:?}"
        );
    }
    // The hand-kept blocks hold no core code (it would never be looked up there).
    for info in codes::OTHER_CODES {
        assert_eq!(ErrorCode::from_u32(info.code), None, "{}", info.code);
    }
    // Outputs pinned across the table's change to `ErrorCode::ALL`.
    assert_eq!(
        (
            cstr(voronka_error_name(2017)),
            cstr(voronka_error_message(2017))
        ),
        ("invalid_bounds", "A field's min is greater than its max")
    );
    assert_eq!(
        cstr(voronka_error_message(1001)),
        "The input is not well-formed JSON"
    );
    assert_eq!(cstr(voronka_error_name(3023)), "limit_exceeded");
    let s = || String::new();
    let problems = [
        ValueProblem::WrongType { expected: s() },
        ValueProblem::TooLong { max: 1 },
        ValueProblem::OutOfRange {
            min: None,
            max: None,
        },
        ValueProblem::TooPrecise { scale: 1 },
        ValueProblem::InvalidDecimal,
        ValueProblem::FloatNotAllowed,
        ValueProblem::InvalidDate,
        ValueProblem::InvalidDateTime,
        ValueProblem::InvalidEmail,
        ValueProblem::InvalidPhone,
        ValueProblem::InvalidUrl,
        ValueProblem::UnknownOption { option: s() },
        ValueProblem::OtherTextNotAllowed,
        ValueProblem::NotMultiple,
        ValueProblem::DuplicateOption { option: s() },
        ValueProblem::InvalidCurrency,
        ValueProblem::CurrencyNotAllowed { currency: s() },
        ValueProblem::MissingPart { part: s() },
        ValueProblem::UnknownPart { part: s() },
        ValueProblem::Empty,
    ];
    for problem in problems {
        let reason = serde_json::to_value(&problem).unwrap()["reason"].clone();
        assert_eq!(
            cstr(voronka_error_name(problem.code())),
            reason.as_str().unwrap()
        );
    }
    assert_eq!(cstr(voronka_error_name(9003)), "panic");
    assert_eq!(cstr(voronka_error_name(4242)), "unknown");
    assert_eq!(cstr(voronka_error_message(4242)), "Unknown error code");
    assert_eq!(
        cstr(voronka_error_message(3001)),
        "Fields are missing to enter the stage"
    );
}

fn codes_sorted() -> bool {
    let sorted = |table: &[codes::CodeInfo]| table.windows(2).all(|w| w[0].code < w[1].code);
    sorted(&codes::CORE_CODES) && sorted(codes::OTHER_CODES)
}

#[test]
fn constants_agree_with_the_core() {
    assert_eq!(VORONKA_MAX_INPUT_BYTES, api::MAX_INPUT_BYTES);
    assert_eq!(cstr(voronka_version()), env!("CARGO_PKG_VERSION"));
    assert_eq!(voronka_format_version(), VORONKA_FORMAT_VERSION);
}

#[test]
fn a_panic_becomes_code_9003_and_a_report() {
    let mut error = empty();
    // SAFETY: `error` is a valid `voronka_bytes`.
    let code = unsafe {
        guard(
            VORONKA_LANG_EN,
            &mut error,
            |_| -> Result<(), ErrorReport> { panic!("boom") },
        )
    };
    assert_eq!(code, VORONKA_ERROR_PANIC);
    let report: serde_json::Value = serde_json::from_str(&text(&error)).unwrap();
    assert_eq!(report["name"], "panic");
    assert!(report["message"].as_str().unwrap().contains("boom"));
    // SAFETY: allocated by the library.
    unsafe { voronka_bytes_free(&mut error) };
    assert!(error.ptr.is_null());
}

#[test]
fn apply_goes_through_the_api_and_handles_are_checked() {
    let mut model: *mut voronka_model = null_mut();
    // SAFETY: valid out-pointers.
    let code = unsafe { voronka_model_new_eco_packaging(VORONKA_LANG_RU, &mut model, null_mut()) };
    assert_eq!(code, VORONKA_OK);
    let command = br#"{"actor":{"user":"u"},"now":"2026-11-27T09:00:00Z","action":{"type":"move","to":"offer"}}"#;
    let (mut out, mut error) = (empty(), empty());
    // SAFETY: `command` is readable for its length; the outputs are valid.
    let code = unsafe {
        voronka_apply(
            model,
            null(),
            0,
            command.as_ptr(),
            command.len(),
            VORONKA_LANG_RU,
            &mut out,
            &mut error,
        )
    };
    assert_eq!(code, 3010);
    assert!(out.ptr.is_null(), "no output on failure");
    let expected = api::apply(
        // SAFETY: the handle is live.
        unsafe { &(*model).model },
        None,
        std::str::from_utf8(command).unwrap(),
        Lang::Ru,
    )
    .unwrap_err();
    assert_eq!(text(&error), serde_json::to_string(&expected).unwrap());
    // SAFETY: allocated by the library; the handle is freed once, then used again on purpose.
    unsafe {
        voronka_bytes_free(&mut error);
        voronka_model_free(model);
        voronka_model_free(model);
        let code = voronka_next_stages(model, b"{}".as_ptr(), 2, 0, &mut out, null_mut());
        assert_eq!(code, VORONKA_ERROR_BAD_HANDLE);
        let code = voronka_next_due(b"{}".as_ptr(), 2, 7, &mut out, null_mut());
        assert_eq!(code, VORONKA_ERROR_INVALID_ARGUMENT);
        let code = voronka_replay(b"[\xff]".as_ptr(), 3, 0, &mut out, null_mut());
        assert_eq!(code, VORONKA_ERROR_INVALID_UTF8);
        let code = voronka_replay(b"[]".as_ptr(), usize::MAX, 0, &mut out, null_mut());
        assert_eq!(code, 1003);
    }
    assert!(out.ptr.is_null());
}

#[cfg(feature = "documents")]
#[test]
fn the_code_table_knows_the_document_codes() {
    use voronka_docs::Error as DocsError;
    let s = || String::new();
    let errors = [
        DocsError::UnknownTemplate { code: s() },
        DocsError::Template {
            file: s(),
            line: None,
            column: None,
            message: s(),
            hints: Vec::new(),
        },
        DocsError::InvalidData {
            path: s(),
            message: s(),
        },
        DocsError::AmountOutOfRange { amount: s() },
        DocsError::InvalidNumberFormat {
            format: s(),
            offset: 0,
            message: s(),
        },
        DocsError::PageOutOfRange { page: 0, pages: 0 },
        DocsError::Export { message: s() },
        DocsError::MissingRecordField {
            field: s(),
            document: s(),
        },
    ];
    for e in errors {
        assert_eq!(cstr(voronka_error_name(e.code())), e.name(), "{e:?}");
        let report = docs::imp_report(e.clone());
        assert_eq!((report.code, report.name.as_str()), (e.code(), e.name()));
    }
    assert_eq!(
        cstr(voronka_error_name(VORONKA_ERROR_UNSUPPORTED)),
        "unsupported"
    );
}

#[cfg(feature = "documents")]
#[test]
fn a_document_renders_through_the_abi_as_in_rust() {
    use chrono::{TimeZone, Utc};
    use voronka_docs::{Document, DocumentKind, Language, RenderOptions};

    let mut renderer: *mut voronka_renderer = null_mut();
    // SAFETY: valid out-pointers.
    let code = unsafe {
        voronka_renderer_new(VORONKA_RENDERER_DEFAULT_CACHE, 0, &mut renderer, null_mut())
    };
    assert_eq!(code, VORONKA_OK);
    let data = Document::sample_json(DocumentKind::Act);
    let now = "2026-11-27T09:00:00Z";
    let render = |renderer, pdf: &mut voronka_bytes, error: &mut voronka_bytes| {
        // SAFETY: the inputs are readable for their lengths; the outputs are valid.
        unsafe {
            voronka_render_document(
                renderer,
                b"act".as_ptr(),
                3,
                data.as_ptr(),
                data.len(),
                now.as_ptr(),
                now.len(),
                VORONKA_DOC_LANG_EN,
                VORONKA_LANG_EN,
                pdf,
                error,
            )
        }
    };
    let (mut pdf, mut error) = (empty(), empty());
    let code = render(renderer, &mut pdf, &mut error);
    assert_eq!(code, VORONKA_OK);
    assert!(error.ptr.is_null());
    let opts = RenderOptions::new(Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).unwrap())
        .with_language(Language::En);
    let expected = voronka_docs::render(&Document::sample(DocumentKind::Act), &opts)
        .and_then(|r| r.pdf())
        .unwrap();
    // SAFETY: filled by the library: `len` bytes at `ptr`, then a NUL.
    let got = unsafe { std::slice::from_raw_parts(pdf.ptr, pdf.len + 1) };
    assert!(got[..pdf.len] == expected[..], "the same bytes as in Rust");
    assert_eq!(got[pdf.len], 0, "the trailing NUL");
    // SAFETY: allocated by the library; the handle is freed once, then used again on purpose.
    unsafe {
        voronka_bytes_free(&mut pdf);
        voronka_renderer_free(renderer);
        voronka_renderer_free(renderer);
    }
    assert_eq!(
        render(renderer, &mut pdf, &mut error),
        VORONKA_ERROR_BAD_HANDLE
    );
    // SAFETY: allocated by the library.
    unsafe { voronka_bytes_free(&mut error) };
    assert!(pdf.ptr.is_null());
}
