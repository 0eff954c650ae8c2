//! The C library's entry points with arbitrary bytes, lengths, NULLs, languages and handles
//! (live, freed, never created).
//!
//! Checked after every call: no panic reaches the boundary (`VORONKA_ERROR_PANIC`), a success
//! writes only the output (valid UTF-8 JSON with a trailing NUL), a failure writes only the
//! error report, whose `code` is the returned code. Everything allocated is freed, so the
//! sanitizer's leak check covers the library too.
#![no_main]

use std::ffi::CStr;
use std::sync::OnceLock;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use voronka_fuzz::c::*;

/// Valid inputs the fuzzer can pick, so that calls also get past decoding.
fn samples() -> &'static [String] {
    static SAMPLES: OnceLock<Vec<String>> = OnceLock::new();
    SAMPLES.get_or_init(|| {
        let model = voronka_fuzz::eco();
        let create = r#"{"actor":{"user":"u-anna","roles":["manager"]},"now":"2026-11-27T09:00:00Z","action":{"type":"create","id":"deal-1","pipeline":"deals","fields":{"company_name":"Green Food"}}}"#;
        let outcome: serde_json::Value = serde_json::from_str(
            &voronka::api::apply(model, None, create, voronka::Lang::En).expect("create works"),
        )
        .expect("an outcome is JSON");
        vec![
            voronka::examples::ECO_PACKAGING.to_string(),
            create.to_string(),
            r#"{"actor":{"user":"u-anna","roles":["manager"]},"now":"2026-11-28T09:00:00Z","action":{"type":"move","to":"offer","fields":{"company_type":"manufacturer"}}}"#.to_string(),
            r#"{"actor":{"user":"u-anna","roles":["manager"]},"now":"2026-12-28T09:00:00Z","action":{"type":"tick"}}"#.to_string(),
            outcome["record"].to_string(),
            outcome["events"].to_string(),
            "offer".to_string(),
            "null".to_string(),
        ]
    })
}

/// The eco-packaging model as a C handle, created once and kept for the process.
fn eco_handle() -> *const voronka_model {
    static HANDLE: OnceLock<usize> = OnceLock::new();
    *HANDLE.get_or_init(|| {
        let mut model = std::ptr::null_mut();
        // SAFETY: `model` is writable; no error report is asked for.
        let rc = unsafe {
            voronka_model_new_eco_packaging(VORONKA_LANG_EN, &mut model, std::ptr::null_mut())
        };
        assert_eq!(rc, VORONKA_OK);
        model as usize
    }) as *const voronka_model
}

#[derive(Arbitrary, Debug)]
enum Arg {
    Null,
    Bytes(Vec<u8>),
    /// A real input (modulo the samples).
    Sample(u8),
    /// A real input cut or with a byte changed.
    Spliced {
        sample: u8,
        at: u16,
        byte: Option<u8>,
    },
    /// A small buffer with a length above the limit (refused unread).
    TooLong(u16),
}

/// Keeps an argument's bytes alive while the call uses a pointer to them.
struct Buffer {
    bytes: Option<Vec<u8>>,
    len: usize,
}

impl Buffer {
    fn new(arg: &Arg) -> Buffer {
        let (bytes, len) = match arg {
            Arg::Null => (None, 0),
            Arg::Bytes(b) => (Some(b.clone()), b.len()),
            Arg::Sample(n) => {
                let s = &samples()[usize::from(*n) % samples().len()];
                (Some(s.as_bytes().to_vec()), s.len())
            }
            Arg::Spliced { sample, at, byte } => {
                let mut b = samples()[usize::from(*sample) % samples().len()]
                    .as_bytes()
                    .to_vec();
                let at = usize::from(*at) % (b.len() + 1);
                match byte {
                    Some(x) if at < b.len() => b[at] = *x,
                    _ => b.truncate(at),
                }
                let len = b.len();
                (Some(b), len)
            }
            Arg::TooLong(extra) => (
                Some(vec![b'{'; 4]),
                VORONKA_MAX_INPUT_BYTES + 1 + usize::from(*extra),
            ),
        };
        Buffer { bytes, len }
    }

    fn ptr(&self) -> *const u8 {
        self.bytes.as_ref().map_or(std::ptr::null(), |b| b.as_ptr())
    }
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum LangArg {
    En,
    Ru,
    Other(u32),
}

impl LangArg {
    fn value(self) -> voronka_lang {
        match self {
            LangArg::En => VORONKA_LANG_EN,
            LangArg::Ru => VORONKA_LANG_RU,
            LangArg::Other(v) => v,
        }
    }
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum Handle {
    Eco,
    /// A model created by this input (modulo their number), maybe freed already.
    Created(u8),
    Null,
    /// An address the library never handed out.
    Bogus(usize),
}

#[derive(Arbitrary, Debug)]
struct Outs {
    null_out: bool,
    null_error: bool,
    lang: LangArg,
}

#[derive(Arbitrary, Debug)]
enum Call {
    ModelNew(Arg, Outs),
    ModelNewEco(Outs),
    ModelFree(Handle),
    Check(Arg, Outs),
    Apply(Handle, Arg, Arg, Outs, bool),
    Requirements(Handle, Arg, Arg, Outs),
    NextStages(Handle, Arg, Outs),
    NextDue(Arg, Outs),
    Replay(Arg, Outs),
    DuplicateKeys(Arg, Outs),
    Names(u32),
    FreeBytes {
        null: bool,
    },
    /// A model with options (modulo `OPTIONS`), so later calls meet lowered limits.
    ModelNewWithOptions(Arg, u8, Outs),
}

/// Model options: limits at or below the defaults (a `TooLong` buffer claims more than the
/// default input cap, and must stay refused unread), and bad options.
const OPTIONS: [&str; 10] = [
    "null",
    "{}",
    r#"{"limits":{"input_bytes":64}}"#,
    r#"{"limits":{"input_bytes":4096,"json_depth":4}}"#,
    r#"{"limits":{"definition_bytes":100}}"#,
    r#"{"limits":{"steps_per_command":4,"events_per_command":3}}"#,
    r#"{"limits":{"timers_per_tick":0,"steps_per_command":5}}"#,
    r#"{"limits":{"value_length":3}}"#,
    r#"{"limits":{"nope":1}}"#,
    r#"{"limits":"#,
];

const UNTOUCHED: usize = usize::MAX;

/// A `voronka_bytes` the library must not write unless told to.
fn slot() -> voronka_bytes {
    voronka_bytes {
        ptr: std::ptr::null_mut(),
        len: UNTOUCHED,
    }
}

fn written(b: &voronka_bytes) -> bool {
    !(b.ptr.is_null() && b.len == UNTOUCHED)
}

/// Reads library bytes as JSON, checking the trailing NUL.
fn json_of(b: &voronka_bytes) -> serde_json::Value {
    assert!(!b.ptr.is_null(), "written bytes with a NULL pointer");
    // SAFETY: the library wrote `len` bytes and a NUL at `ptr`.
    let bytes = unsafe { std::slice::from_raw_parts(b.ptr, b.len + 1) };
    assert_eq!(bytes[b.len], 0, "no trailing NUL");
    let text = std::str::from_utf8(&bytes[..b.len]).expect("output is UTF-8");
    serde_json::from_str(text).expect("output is JSON")
}

/// Checks the outcome of one call and frees what it wrote.
fn settle(rc: voronka_result, out: &mut voronka_bytes, error: &mut voronka_bytes, outs: &Outs) {
    assert_ne!(rc, VORONKA_ERROR_PANIC, "a panic reached the C boundary");
    if rc == VORONKA_OK {
        assert!(!written(error), "an error report written on success");
        if !outs.null_out {
            json_of(out);
        }
    } else {
        assert!(!written(out), "an output written on failure ({rc})");
        if !outs.null_error {
            let report = json_of(error);
            assert_eq!(report["code"], rc, "the report's code differs: {report}");
        }
        // SAFETY: a static string of the library.
        let name = unsafe { CStr::from_ptr(voronka_error_name(rc)) };
        assert_ne!(name.to_bytes(), b"unknown", "an unknown code {rc}");
    }
    for b in [out, error] {
        if written(b) {
            // SAFETY: written by the library, freed once.
            unsafe { voronka_bytes_free(b) };
            assert!(b.ptr.is_null() && b.len == 0);
        }
    }
}

fn ptr_or_null(b: &mut voronka_bytes, null: bool) -> *mut voronka_bytes {
    if null { std::ptr::null_mut() } else { b }
}

/// Runs one call with output and error slots (NULL when asked), then checks and frees them.
fn call(outs: &Outs, f: impl FnOnce(*mut voronka_bytes, *mut voronka_bytes) -> voronka_result) {
    let (mut out, mut error) = (slot(), slot());
    let rc = f(
        ptr_or_null(&mut out, outs.null_out),
        ptr_or_null(&mut error, outs.null_error),
    );
    settle(rc, &mut out, &mut error, outs);
}

/// Runs a call that creates a model, keeping the handle it writes.
fn create(
    outs: &Outs,
    created: &mut Vec<*mut voronka_model>,
    f: impl FnOnce(*mut *mut voronka_model, *mut voronka_bytes) -> voronka_result,
) {
    let mut model = std::ptr::null_mut();
    let target = if outs.null_out {
        std::ptr::null_mut()
    } else {
        &mut model
    };
    // The model slot is the output: the bytes slot stays NULL.
    let no_bytes = Outs {
        null_out: true,
        ..*outs
    };
    call(&no_bytes, |_, error| {
        let rc = f(target, error);
        assert_eq!(
            rc == VORONKA_OK,
            !model.is_null(),
            "a handle written on failure"
        );
        rc
    });
    if !model.is_null() {
        created.push(model);
    }
}

fuzz_target!(|calls: Vec<Call>| {
    let mut created: Vec<*mut voronka_model> = Vec::new();
    let handle = |h: Handle, created: &[*mut voronka_model]| -> *const voronka_model {
        match h {
            Handle::Eco => eco_handle(),
            Handle::Created(n) if !created.is_empty() => created[usize::from(n) % created.len()],
            Handle::Created(_) | Handle::Null => std::ptr::null(),
            Handle::Bogus(addr) => addr as *const voronka_model,
        }
    };
    // SAFETY (every call below): buffers live for the call; a handle is live, freed or never
    // created, which the library tells apart before using it; the slots are writable or NULL.
    for c in calls.iter().take(16) {
        match c {
            Call::ModelNew(def, outs) => {
                let def = Buffer::new(def);
                create(outs, &mut created, |m, err| unsafe {
                    voronka_model_new(def.ptr(), def.len, outs.lang.value(), m, err)
                });
            }
            Call::ModelNewWithOptions(def, options, outs) => {
                let def = Buffer::new(def);
                let options = OPTIONS[usize::from(*options) % OPTIONS.len()];
                create(outs, &mut created, |m, err| unsafe {
                    voronka_model_new_with_options(
                        def.ptr(),
                        def.len,
                        options.as_ptr(),
                        options.len(),
                        outs.lang.value(),
                        m,
                        err,
                    )
                });
            }
            Call::ModelNewEco(outs) => create(outs, &mut created, |m, err| unsafe {
                voronka_model_new_eco_packaging(outs.lang.value(), m, err)
            }),
            Call::ModelFree(h) => {
                if !matches!(h, Handle::Eco) {
                    // Unknown and already freed handles are ignored by the library.
                    unsafe { voronka_model_free(handle(*h, &created) as *mut voronka_model) };
                }
            }
            Call::Check(def, outs) => {
                let def = Buffer::new(def);
                call(outs, |o, err| unsafe {
                    voronka_check(def.ptr(), def.len, outs.lang.value(), o, err)
                });
            }
            Call::Apply(h, record, command, outs, decide) => {
                let (record, command) = (Buffer::new(record), Buffer::new(command));
                let model = handle(*h, &created);
                let f = if *decide {
                    voronka_decide
                } else {
                    voronka_apply
                };
                call(outs, |o, err| unsafe {
                    f(
                        model,
                        record.ptr(),
                        record.len,
                        command.ptr(),
                        command.len,
                        outs.lang.value(),
                        o,
                        err,
                    )
                });
            }
            Call::Requirements(h, record, stage, outs) => {
                let (record, stage) = (Buffer::new(record), Buffer::new(stage));
                let model = handle(*h, &created);
                call(outs, |o, err| unsafe {
                    voronka_requirements(
                        model,
                        record.ptr(),
                        record.len,
                        stage.ptr(),
                        stage.len,
                        outs.lang.value(),
                        o,
                        err,
                    )
                });
            }
            Call::NextStages(h, record, outs) => {
                let record = Buffer::new(record);
                let model = handle(*h, &created);
                call(outs, |o, err| unsafe {
                    voronka_next_stages(model, record.ptr(), record.len, outs.lang.value(), o, err)
                });
            }
            Call::NextDue(input, outs)
            | Call::Replay(input, outs)
            | Call::DuplicateKeys(input, outs) => {
                let input = Buffer::new(input);
                let f = match c {
                    Call::NextDue(..) => voronka_next_due,
                    Call::Replay(..) => voronka_replay,
                    _ => voronka_duplicate_keys,
                };
                call(outs, |o, err| unsafe {
                    f(input.ptr(), input.len, outs.lang.value(), o, err)
                });
            }
            Call::Names(code) => {
                for text in [
                    voronka_error_name(*code),
                    voronka_error_message(*code),
                    voronka_version(),
                ] {
                    // Static NUL-terminated strings of the library.
                    let text = unsafe { CStr::from_ptr(text) };
                    assert!(!text.to_bytes().is_empty() && text.to_str().is_ok());
                }
                assert_eq!(voronka_format_version(), VORONKA_FORMAT_VERSION);
            }
            Call::FreeBytes { null } => {
                let mut empty = voronka_bytes {
                    ptr: std::ptr::null_mut(),
                    len: 0,
                };
                let p = if *null {
                    std::ptr::null_mut()
                } else {
                    &mut empty
                };
                // NULL and an empty value are both accepted.
                unsafe { voronka_bytes_free(p) };
            }
        }
    }
    for model in created {
        // Freeing twice (a model freed by a call above) is detected and ignored.
        unsafe { voronka_model_free(model) };
    }
});
