//! Arbitrary bytes as a definition: `load` and `check` never panic, agree with each other, and
//! every problem has a code in the 1xxx (decoding) or 2xxx (definition) block.
#![no_main]

use libfuzzer_sys::fuzz_target;
use voronka_fuzz::lang;

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let lang = lang(flags & 1 == 0);
    let loaded = voronka::api::load(text, lang);
    let problems: Vec<serde_json::Value> =
        serde_json::from_str(&voronka::api::check(text, lang)).expect("check returns JSON");
    match loaded {
        Ok(_) => assert!(problems.is_empty(), "loads but check lists {problems:?}"),
        Err(report) => {
            assert!(matches!(report.code / 1000, 1 | 2), "{report:?}");
            assert!(
                !problems.is_empty(),
                "fails ({report:?}) but check lists nothing"
            );
            assert_eq!(problems[0]["code"], report.code, "check and load disagree");
        }
    }
});
