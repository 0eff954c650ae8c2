//! The documents' case of the bad-input catalogue (`tests/fixtures/bad-inputs/docs/`): typst
//! markup placed in a document's data must render, and print literally.

use std::path::{Path, PathBuf};

use chrono::{TimeZone, Utc};
use serde_json::Value;
use voronka_docs::{Document, DocumentKind, Language, RenderOptions, render};

fn cases() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/bad-inputs/docs");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("the catalogue's docs directory exists")
        .map(|entry| entry.expect("readable directory").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

/// The value at a path such as `items[0].name`, created as an object member when missing.
fn at<'v>(mut value: &'v mut Value, path: &str) -> &'v mut Value {
    for part in path.split('.') {
        let (key, indices) = part.split_once('[').unwrap_or((part, ""));
        value = &mut value[key];
        for index in indices.split('[').filter(|s| !s.is_empty()) {
            let i: usize = index.trim_end_matches(']').parse().expect("an array index");
            value = &mut value[i];
        }
    }
    value
}

#[test]
fn markup_in_document_data_prints_literally() {
    let files = cases();
    assert!(!files.is_empty(), "no documents' case in the catalogue");
    for file in files {
        let text = std::fs::read_to_string(&file).expect("readable");
        let case: Value = serde_json::from_str(&text).expect("a JSON case");
        let name = case["name"].as_str().unwrap_or_default();
        assert_eq!(case["class"], "markup_injection", "{name}");
        let kind: DocumentKind = case["document"]
            .as_str()
            .and_then(|c| c.parse().ok())
            .expect("a document kind");
        let mut data: Value =
            serde_json::from_str(Document::sample_json(kind)).expect("the sample is JSON");
        let set = case["set"].as_object().expect("\"set\": path → text");
        for (path, text) in set {
            *at(&mut data, path) = text.clone();
        }
        let doc = Document::from_value(kind, data).expect("the data is valid");
        let now = Utc
            .with_ymd_and_hms(2026, 11, 27, 9, 0, 0)
            .single()
            .expect("a valid moment");
        let rendered = render(&doc, &RenderOptions::new(now).with_language(Language::Ru))
            .unwrap_or_else(|e| panic!("{name}: the document does not render: {e}"));
        let printed = rendered.text();
        for path in case["expect"]["prints"].as_array().expect("\"prints\"") {
            let want = set[path.as_str().expect("a path")]
                .as_str()
                .expect("a text");
            assert!(
                printed.contains(want),
                "{name}: {want:?} is not printed literally"
            );
        }
        let max_pages = case["expect"]["max_pages"].as_u64().expect("\"max_pages\"") as usize;
        assert!(
            rendered.page_count() <= max_pages,
            "{name}: the markup changed the layout"
        );
    }
}
