//! The eco-packaging definition, whole or cut down to one pipeline, with random structured
//! edits (values replaced, members removed or copied, array elements duplicated), so compiling
//! reaches past decoding: definitions that are almost valid. Loading never panics; a result is
//! a model or coded problems.
#![no_main]

use libfuzzer_sys::fuzz_target;
use voronka_fuzz::{Mutation, definition_bases, lang, mutate};

fuzz_target!(|input: (u8, bool, Vec<Mutation>)| {
    let (base, english, mutations) = input;
    let bases = definition_bases();
    let mut tree = bases[usize::from(base) % bases.len()].clone();
    mutate(&mut tree, &mutations);
    let text = tree.to_string();
    match voronka::api::load(&text, lang(english)) {
        Ok(model) => {
            // A model that compiled can create a record in each of its pipelines without panicking.
            for pipeline in &model.definition().pipelines {
                let command = serde_json::json!({
                    "actor": { "user": "u-anna", "roles": ["manager", "admin"] },
                    "now": "2026-11-27T09:00:00Z",
                    "action": { "type": "create", "id": "r-1", "pipeline": pipeline.code },
                });
                let _ = voronka::api::apply(&model, None, &command.to_string(), lang(english));
            }
        }
        Err(report) => assert!(matches!(report.code / 1000, 1 | 2), "{report:?}"),
    }
});
