//! Rendering documents with typst: a 20-line invoice, warm, in one process.
//!
//! Run with `cargo bench -p voronka-benches --bench docs`. The first document of a fresh
//! process (fonts parsed, templates compiled) is measured from outside, on the example
//! binary `render_samples`.

use chrono::{TimeZone, Utc};
use divan::black_box;
use serde_json::Value;
use voronka_docs::{Document, DocumentKind, Language, RenderOptions, render};

fn main() {
    divan::main();
}

/// The bundled sample invoice grown to `lines` line items.
fn invoice(lines: usize) -> Document {
    let mut data: Value =
        serde_json::from_str(Document::sample_json(DocumentKind::Invoice)).expect("sample JSON");
    let items = data["items"].as_array().cloned().unwrap_or_default();
    let grown: Vec<Value> = (0..lines)
        .map(|i| {
            let mut item = items[i % items.len()].clone();
            item["name"] = Value::String(format!("Позиция {} — коробка из гофрокартона", i + 1));
            item
        })
        .collect();
    data["items"] = Value::Array(grown);
    Document::from_value(DocumentKind::Invoice, data).expect("a valid invoice")
}

fn options() -> RenderOptions {
    let now = Utc
        .with_ymd_and_hms(2026, 11, 27, 9, 0, 0)
        .single()
        .expect("a valid moment");
    RenderOptions::new(now).with_language(Language::Ru)
}

/// Layout and PDF export of a 20-line invoice, warm (typst's caches evicted after each
/// document, as in a long-running host).
#[divan::bench(sample_count = 30)]
fn invoice_20_lines_to_pdf(bencher: divan::Bencher) {
    let doc = invoice(20);
    let opts = options();
    bencher.bench(|| {
        let rendered = render(black_box(&doc), &opts).expect("renders");
        black_box(rendered.pdf().expect("exports"))
    });
}
