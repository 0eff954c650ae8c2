//! The list of error codes: `ErrorCode::ALL`, `from_u32`, `name`, `description`, and the
//! language-neutral copy in `tests/fixtures/error-codes.json` that the npm package's tests
//! compare with its `errorCodes()`.
//!
//! `VORONKA_UPDATE_FIXTURES=1` rewrites that file from the core: read the change before
//! committing it (a code is never renumbered or renamed).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;
use voronka::{ErrorCode, api};

#[test]
fn all_is_increasing_and_every_number_maps_back() {
    for pair in ErrorCode::ALL.windows(2) {
        assert!(pair[0].as_u32() < pair[1].as_u32(), "{pair:?}");
    }
    for &code in ErrorCode::ALL {
        assert_eq!(ErrorCode::from_u32(code.as_u32()), Some(code));
    }
    // Every number that is a code is listed: nothing outside ALL maps to a code.
    let known: Vec<ErrorCode> = (0..10_000).filter_map(ErrorCode::from_u32).collect();
    assert_eq!(known, ErrorCode::ALL);
    // Codes of the other blocks are not the core's `ErrorCode`s.
    for number in [0, 1000, 1005, 3101, 5001, 9001, u32::MAX] {
        assert_eq!(ErrorCode::from_u32(number), None, "{number}");
    }
    assert_eq!(ErrorCode::from_u32(3001), Some(ErrorCode::MissingFields));
}

#[test]
fn name_is_the_serde_name() {
    for &code in ErrorCode::ALL {
        assert_eq!(
            serde_json::to_value(code).expect("a code serializes"),
            Value::String(code.name().to_owned()),
            "{code:?}"
        );
    }
    let names: BTreeSet<&str> = ErrorCode::ALL.iter().map(|c| c.name()).collect();
    assert_eq!(names.len(), ErrorCode::ALL.len(), "names are distinct");
    assert_eq!(ErrorCode::MissingFields.name(), "missing_fields");
}

#[test]
fn descriptions_are_short_distinct_sentences() {
    for &code in ErrorCode::ALL {
        let d = code.description();
        assert!(
            d.starts_with(|c: char| c.is_ascii_uppercase()),
            "{code:?}: {d}"
        );
        assert!(
            !d.ends_with('.') && !d.contains('\n') && d.len() < 100,
            "{code:?}: {d}"
        );
    }
    let distinct: BTreeSet<&str> = ErrorCode::ALL.iter().map(|c| c.description()).collect();
    assert_eq!(distinct.len(), ErrorCode::ALL.len());
    assert_eq!(
        ErrorCode::MissingFields.description(),
        "Fields are missing to enter the stage"
    );
}

#[test]
fn reports_carry_the_codes_name() {
    let report = api::load("{", voronka::Lang::En).expect_err("truncated JSON");
    let code = ErrorCode::from_u32(report.code).expect("a core code");
    assert_eq!(
        (code, report.name.as_str()),
        (ErrorCode::MalformedJson, code.name())
    );
}

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/error-codes.json")
}

#[test]
fn the_json_list_is_all_and_matches_the_fixture() {
    let text = api::error_codes();
    let list: Vec<Value> = serde_json::from_str(&text).expect("the list is JSON");
    assert_eq!(list.len(), ErrorCode::ALL.len());
    for (entry, &code) in list.iter().zip(ErrorCode::ALL) {
        assert_eq!(
            entry,
            &serde_json::json!({
                "code": code.as_u32(),
                "name": code.name(),
                "description": code.description(),
            })
        );
    }
    // The file is the list pretty-printed, one code per entry, for other languages' tests.
    let pretty = format!(
        "{}\n",
        serde_json::to_string_pretty(&list).expect("JSON values print")
    );
    let path = fixture();
    if std::env::var_os("VORONKA_UPDATE_FIXTURES").is_some() {
        std::fs::write(&path, &pretty).expect("the fixture is writable");
    }
    let stored = std::fs::read_to_string(&path).expect("tests/fixtures/error-codes.json exists");
    assert!(
        stored == pretty,
        "{} differs from ErrorCode::ALL: run with VORONKA_UPDATE_FIXTURES=1 and review the change",
        path.display()
    );
}
