//! Rendering documents with typst: a 20-line invoice, warm, in one process, with one
//! [`Renderer`] as a long-running host keeps it. Four figures:
//!
//! - `invoice_20_lines_each_different`: a new invoice (number and a quantity) every time,
//!   the warm figure of our target;
//! - `invoice_20_lines_all_different`: a new number and every quantity different every
//!   time, as invoices of different orders are, the harder warm figure;
//! - `invoice_20_lines_to_pdf`: the same invoice again, mostly typst's memo cache and the
//!   PDF export, a lower bound;
//! - `invoice_20_lines_no_cache`: a new invoice with nothing kept between documents.
//!
//! Run with `cargo bench -p voronka-benches --bench docs`. The first document of a fresh
//! process (fonts parsed, templates compiled) and the memory after many documents are
//! measured from outside, on the example binary `render_invoice` of voronka-docs.

use chrono::{TimeZone, Utc};
use divan::black_box;
use serde_json::Value;
use std::sync::atomic::{AtomicUsize, Ordering};

use voronka_docs::{Document, DocumentKind, Language, RenderOptions, Renderer};

fn main() {
    divan::main();
}

/// The bundled sample invoice grown to `lines` line items; a `variant` other than 0 gets
/// its own number and first quantity.
fn invoice(lines: usize, variant: usize) -> Document {
    invoice_varied(lines, variant, 1)
}

/// As [`invoice`], with the first `varied` quantities depending on `variant`.
fn invoice_varied(lines: usize, variant: usize, varied: usize) -> Document {
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
    if variant > 0 {
        data["number"] = Value::String(format!("INV-2026-{variant:05}"));
        for i in 0..varied.min(lines) {
            data["items"][i]["quantity"] = Value::from(100 + variant + 7 * i);
        }
    }
    Document::from_value(DocumentKind::Invoice, data).expect("a valid invoice")
}

fn options() -> RenderOptions {
    let now = Utc
        .with_ymd_and_hms(2026, 11, 27, 9, 0, 0)
        .single()
        .expect("a valid moment");
    RenderOptions::new(now).with_language(Language::Ru)
}

/// Layout and PDF export of the same 20-line invoice again and again, with the renderer's
/// default cache (typst's memoized work of the last documents is kept).
#[divan::bench(sample_count = 30)]
fn invoice_20_lines_to_pdf(bencher: divan::Bencher) {
    let renderer = Renderer::new();
    let doc = invoice(20, 0);
    let opts = options();
    bencher.bench(|| {
        let rendered = renderer.render(black_box(&doc), &opts).expect("renders");
        black_box(rendered.pdf().expect("exports"))
    });
}

/// Renders a new invoice (another number and the first `varied` quantities) in every
/// iteration.
fn bench_each_different(bencher: divan::Bencher, renderer: &Renderer, varied: usize) {
    let opts = options();
    let next = AtomicUsize::new(1);
    bencher
        .with_inputs(|| invoice_varied(20, next.fetch_add(1, Ordering::Relaxed), varied))
        .bench_refs(|doc| {
            let rendered = renderer.render(doc, &opts).expect("renders");
            black_box(rendered.pdf().expect("exports"))
        });
}

/// As above, but every invoice has another number and quantity, as a host's documents
/// differ: what the cache of the previous documents still saves.
#[divan::bench(sample_count = 30)]
fn invoice_20_lines_each_different(bencher: divan::Bencher) {
    bench_each_different(bencher, &Renderer::new(), 1);
}

/// A new number and all 20 quantities different in every iteration: every line's amounts,
/// the totals and the total in words change, as between invoices of different orders.
#[divan::bench(sample_count = 30)]
fn invoice_20_lines_all_different(bencher: divan::Bencher) {
    bench_each_different(bencher, &Renderer::new(), 20);
}

/// A different invoice each time with no cache kept between documents
/// (`with_cache_documents(0)`): the smallest memory, the slowest documents.
#[divan::bench(sample_count = 30)]
fn invoice_20_lines_no_cache(bencher: divan::Bencher) {
    bench_each_different(bencher, &Renderer::new().with_cache_documents(0), 1);
}
