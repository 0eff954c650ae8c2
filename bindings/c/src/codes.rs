//! The table behind `voronka_error_name` and `voronka_error_message`: every stable code of the
//! core and of the binding, as static NUL-terminated strings.
//!
//! The core's codes come from `ErrorCode::ALL` (names and descriptions copied into
//! NUL-terminated strings when compiling), so a code added to the core is never missing here;
//! the other blocks are listed by hand.

use std::ffi::CStr;

use voronka::ErrorCode;

/// One code: its number, its stable snake_case name and a short English message.
pub(crate) struct CodeInfo {
    pub(crate) code: u32,
    pub(crate) name: &'static CStr,
    pub(crate) message: &'static CStr,
}

const fn c(code: u32, name: &'static CStr, message: &'static CStr) -> CodeInfo {
    CodeInfo {
        code,
        name,
        message,
    }
}

const CORE_COUNT: usize = ErrorCode::ALL.len();

/// Bytes of the core's names and descriptions, each followed by a NUL.
const CORE_TEXT_LEN: usize = {
    let mut len = 0;
    let mut i = 0;
    while i < CORE_COUNT {
        len += ErrorCode::ALL[i].name().len() + ErrorCode::ALL[i].description().len() + 2;
        i += 1;
    }
    len
};

/// Each core code's name and description, in the order of `ErrorCode::ALL`, each followed by
/// a NUL.
const CORE_TEXT: [u8; CORE_TEXT_LEN] = {
    let mut text = [0; CORE_TEXT_LEN];
    let mut at = 0;
    let mut i = 0;
    while i < CORE_COUNT {
        at = put(&mut text, at, ErrorCode::ALL[i].name());
        at = put(&mut text, at, ErrorCode::ALL[i].description());
        i += 1;
    }
    text
};

/// Copies `s` into `text` at `at`; returns where the next string starts, after a NUL.
const fn put(text: &mut [u8], mut at: usize, s: &str) -> usize {
    let bytes = s.as_bytes();
    let mut j = 0;
    while j < bytes.len() {
        assert!(bytes[j] != 0, "a code's name or description contains a NUL");
        text[at] = bytes[j];
        at += 1;
        j += 1;
    }
    at + 1
}

/// The first NUL-terminated string of `rest`; `rest` moves past it.
const fn next(rest: &mut &'static [u8]) -> &'static CStr {
    match CStr::from_bytes_until_nul(rest) {
        Ok(s) => {
            *rest = rest.split_at(s.count_bytes() + 1).1;
            s
        }
        Err(_) => panic!("CORE_TEXT ends without a NUL"),
    }
}

/// The core's codes (`ErrorCode::ALL`, in increasing order), built when compiling.
pub(crate) static CORE_CODES: [CodeInfo; CORE_COUNT] = {
    let mut rest: &'static [u8] = &CORE_TEXT;
    let mut codes = [const { c(0, c"", c"") }; CORE_COUNT];
    let mut i = 0;
    while i < CORE_COUNT {
        let name = next(&mut rest);
        let message = next(&mut rest);
        codes[i] = c(ErrorCode::ALL[i].as_u32(), name, message);
        i += 1;
    }
    codes
};

/// The codes that are not the core's `ErrorCode`s, in increasing order: success, the
/// reasons of an invalid value (the core's `ValueProblem`), the documents' and the binding's.
pub(crate) static OTHER_CODES: &[CodeInfo] = &[
    c(0, c"ok", c"Success"),
    // 1xxx, 2xxx, 3xxx: the core's `ErrorCode`s, in CORE_CODES.
    // 31xx: why a field value is invalid (found in the details of 3002 and 3019).
    c(3101, c"wrong_type", c"The JSON type is wrong"),
    c(3102, c"too_long", c"Longer than allowed"),
    c(3103, c"out_of_range", c"Outside the allowed range"),
    c(
        3104,
        c"too_precise",
        c"More digits after the point than allowed",
    ),
    c(3105, c"invalid_decimal", c"Not a decimal number"),
    c(
        3106,
        c"float_not_allowed",
        c"A JSON number with a fraction: decimals are written as strings",
    ),
    c(3107, c"invalid_date", c"Not a valid date (YYYY-MM-DD)"),
    c(
        3108,
        c"invalid_date_time",
        c"Not a valid RFC 3339 date and time",
    ),
    c(3109, c"invalid_email", c"Not a valid e-mail address"),
    c(
        3110,
        c"invalid_phone",
        c"Not a valid international phone number",
    ),
    c(3111, c"invalid_url", c"Not a valid http(s) address"),
    c(3112, c"unknown_option", c"Not one of the options"),
    c(
        3113,
        c"other_text_not_allowed",
        c"Free text given with an option other than \"other\"",
    ),
    c(
        3114,
        c"not_multiple",
        c"Several values for a single-value field",
    ),
    c(3115, c"duplicate_option", c"The same option twice"),
    c(
        3116,
        c"invalid_currency",
        c"Not a three-letter currency code",
    ),
    c(
        3117,
        c"currency_not_allowed",
        c"A currency the field does not allow",
    ),
    c(
        3118,
        c"missing_part",
        c"A required part of a structured value is missing or empty",
    ),
    c(
        3119,
        c"unknown_part",
        c"A part that the value's type does not have",
    ),
    c(3120, c"empty", c"The value is empty"),
    // 5xxx: documents (voronka-docs).
    c(
        5001,
        c"unknown_template",
        c"No bundled document has this code",
    ),
    c(
        5002,
        c"template_error",
        c"The template does not compile (file, line and column in the report)",
    ),
    c(5003, c"invalid_data", c"The data does not fit the document"),
    c(
        5004,
        c"amount_out_of_range",
        c"An amount cannot be written in words",
    ),
    c(
        5005,
        c"invalid_number_format",
        c"A document number format is malformed",
    ),
    c(5006, c"page_out_of_range", c"The document has no such page"),
    c(5007, c"export_failed", c"Writing the PDF or PNG failed"),
    c(
        5008,
        c"missing_record_field",
        c"A record field the document needs is empty",
    ),
    // 9xxx: the C binding.
    c(
        9001,
        c"null_pointer",
        c"A required pointer argument is NULL",
    ),
    c(9002, c"invalid_utf8", c"An input is not valid UTF-8"),
    c(
        9003,
        c"panic",
        c"The library panicked; the call had no effect (please report it)",
    ),
    c(
        9004,
        c"bad_handle",
        c"The handle is not a live handle of this library (freed, or never created)",
    ),
    c(
        9005,
        c"invalid_argument",
        c"An argument is out of range (an unknown language, a time that is not RFC 3339)",
    ),
    c(
        9006,
        c"unsupported",
        c"The library was built without this feature",
    ),
];

/// The entry for `code`, if the library knows it.
pub(crate) fn lookup(code: u32) -> Option<&'static CodeInfo> {
    let table: &'static [CodeInfo] = match ErrorCode::from_u32(code) {
        Some(_) => &CORE_CODES,
        None => OTHER_CODES,
    };
    table
        .binary_search_by_key(&code, |info| info.code)
        .ok()
        .and_then(|i| table.get(i))
}
