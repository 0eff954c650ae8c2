//! Arbitrary strings (and other edits) in the data of each bundled document kind, rendered with
//! `voronka_docs::render_json`: it renders, or refuses the data with a coded error (5003-5005);
//! it never panics, and a bundled template never fails on data that passed the checks.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use voronka_docs::{Document, DocumentKind, Language, RenderOptions, render_json};
use voronka_fuzz::{Mutation, mutate};

#[derive(Arbitrary, Debug)]
struct Input {
    kind: u8,
    lang: u8,
    pdf: bool,
    mutations: Vec<Mutation>,
}

fuzz_target!(|input: Input| {
    let kind = DocumentKind::ALL[usize::from(input.kind) % DocumentKind::ALL.len()];
    let mut data: serde_json::Value =
        serde_json::from_str(Document::sample_json(kind)).expect("samples are JSON");
    mutate(&mut data, &input.mutations);
    let lang = [Language::Ru, Language::En, Language::Both][usize::from(input.lang) % 3];
    let now = "2026-11-27T09:00:00Z".parse().expect("a valid moment");
    let opts = RenderOptions::new(now).with_language(lang);
    match render_json(kind.code(), &data.to_string(), &opts) {
        Ok(rendered) => {
            assert!(rendered.page_count() > 0);
            if input.pdf {
                let pdf = rendered.pdf().expect("a laid-out document exports");
                assert!(pdf.starts_with(b"%PDF"));
            }
        }
        // Data that does not fit is refused before typst runs; a bundled template failing on
        // data that passed the checks is a bug.
        Err(e) => assert!(
            (5003..=5005).contains(&e.code()),
            "{} ({}): {e}",
            e.code(),
            e.name()
        ),
    }
});
