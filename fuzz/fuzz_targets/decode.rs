//! Record, command and events JSON through every `voronka::api` function of the eco-packaging
//! model. Input: a flags byte, then up to four parts separated by NUL bytes: record, command,
//! events, stage (or moment).
//!
//! Nothing panics; errors carry a 1xxx (decoding) or 3xxx (rejection) code; a record the
//! library returns decodes again and answers every query.
#![no_main]

use libfuzzer_sys::fuzz_target;
use voronka::ErrorReport;
use voronka::api;
use voronka_fuzz::{eco, lang};

fn coded<T>(result: Result<T, ErrorReport>) -> Option<T> {
    match result {
        Ok(v) => Some(v),
        Err(report) => {
            assert!(matches!(report.code / 1000, 1 | 3), "{report:?}");
            None
        }
    }
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).expect("the library returns JSON")
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let lang = lang(flags & 1 == 0);
    let mut parts = rest
        .split(|&b| b == 0)
        .map(|p| std::str::from_utf8(p).unwrap_or("\u{fffd}"));
    let record = parts.next().unwrap_or("");
    let command = parts.next().unwrap_or("");
    let events = parts.next().unwrap_or("");
    let stage = parts.next().unwrap_or("offer");
    let model = eco();

    let record_arg = (flags & 2 == 0).then_some(record);
    if let Some(outcome) = coded(api::apply(model, record_arg, command, lang)) {
        let outcome = json(&outcome);
        let text = outcome["record"].to_string();
        api::next_due(&text, lang).expect("an outcome's record decodes");
        api::next_stages(model, &text, lang).expect("an outcome's record has a pipeline");
        api::duplicate_keys(&text, lang).expect("an outcome's record decodes");
        api::replay(&outcome["events"].to_string(), lang).expect("an outcome's events decode");
    }
    coded(api::requirements(model, record, stage, lang)).map(|t| json(&t));
    coded(api::next_stages(model, record, lang)).map(|t| json(&t));
    coded(api::next_due(record, lang)).map(|t| json(&t));
    coded(api::duplicate_keys(record, lang)).map(|t| json(&t));
    coded(api::acknowledgements(record, stage, lang)).map(|t| json(&t));
    if let Some(rebuilt) = coded(api::replay(events, lang)) {
        let rebuilt = json(&rebuilt);
        if !rebuilt.is_null() {
            let text = rebuilt.to_string();
            api::next_due(&text, lang).expect("a replayed record decodes");
        }
    }
});
