//! Renders the sample invoice grown to 20 line items COUNT times with one
//! [`Renderer`], as a long-running host would, and prints the time of the
//! first document, the median of the others and the process's memory
//! (resident set and its peak, from `/proc/self/status` on Linux) after 1, 10,
//! 100, 1000, … documents.
//!
//! ```text
//! cargo run --release -p voronka-docs --example render_invoice -- [COUNT] [CACHE_DOCUMENTS] [same|vary]
//! ```
//!
//! `COUNT` defaults to 1 (the first document of a fresh process);
//! `CACHE_DOCUMENTS` to [`Renderer::DEFAULT_CACHE_DOCUMENTS`]; `vary` (the
//! default) changes the number and a quantity of every invoice, as real
//! documents differ, `same` renders identical invoices.

use std::time::Instant;

use chrono::{TimeZone, Utc};
use serde_json::{Value, json};
use voronka_docs::{Document, DocumentKind, Language, RenderOptions, Renderer};

fn invoice(lines: usize, variant: usize) -> Result<Document, voronka_docs::Error> {
    let mut data: Value = serde_json::from_str(Document::sample_json(DocumentKind::Invoice))
        .map_err(|e| voronka_docs::Error::InvalidData {
            path: ".".to_owned(),
            message: e.to_string(),
        })?;
    let items = data["items"].as_array().cloned().unwrap_or_default();
    let grown: Vec<Value> = (0..lines)
        .map(|i| {
            let mut item = items[i % items.len()].clone();
            item["name"] = json!(format!("Позиция {} — коробка из гофрокартона", i + 1));
            item
        })
        .collect();
    data["items"] = Value::Array(grown);
    if variant > 0 {
        data["number"] = json!(format!("INV-2026-{variant:05}"));
        data["items"][0]["quantity"] = json!(100 + variant);
    }
    Document::from_value(DocumentKind::Invoice, data)
}

/// `VmRSS` and `VmHWM` (peak) of this process in MiB, when the system tells.
fn memory() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
            .map_or_else(|| "?".to_owned(), |kb| format!("{:.0} MiB", kb / 1024.0))
    };
    format!("rss {}, peak {}", field("VmRSS:"), field("VmHWM:"))
}

fn is_power_of_ten(mut n: usize) -> bool {
    while n >= 10 && n.is_multiple_of(10) {
        n /= 10;
    }
    n == 1
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let count: usize = args.next().map_or(Ok(1), |a| a.parse())?;
    let cache: usize = args
        .next()
        .map_or(Ok(Renderer::DEFAULT_CACHE_DOCUMENTS), |a| a.parse())?;
    let vary = args.next().is_none_or(|a| a != "same");
    let now = Utc
        .with_ymd_and_hms(2026, 11, 27, 9, 0, 0)
        .single()
        .ok_or("bad date")?;
    let opts = RenderOptions::new(now).with_language(Language::Ru);
    let started = Instant::now();
    let renderer = Renderer::new().with_cache_documents(cache);
    let mut times = Vec::with_capacity(count);
    let mut layout_times = Vec::with_capacity(count);
    let mut bytes = 0;
    for n in 1..=count {
        let doc = invoice(20, if vary { n } else { 0 })?;
        let t = Instant::now();
        let rendered = renderer.render(&doc, &opts)?;
        let laid_out = t.elapsed().as_secs_f64() * 1e3;
        bytes = rendered.pdf()?.len();
        times.push(t.elapsed().as_secs_f64() * 1e3);
        layout_times.push(laid_out);
        if n == 1 {
            println!(
                "first document: {:.1} ms ({:.1} ms since start, the renderer built), {bytes} bytes",
                times[0],
                started.elapsed().as_secs_f64() * 1e3
            );
        }
        if is_power_of_ten(n) {
            println!("after {n} documents: {}", memory());
        }
    }
    if count > 1 {
        let mut warm = times[1..].to_vec();
        warm.sort_by(f64::total_cmp);
        let mut layout = layout_times[1..].to_vec();
        layout.sort_by(f64::total_cmp);
        println!(
            "documents 2..={count} ({}, cache of {cache} documents): median {:.2} ms (of which layout {:.2} ms), min {:.2}, max {:.2}; last PDF {bytes} bytes",
            if vary { "each different" } else { "identical" },
            warm[warm.len() / 2],
            layout[layout.len() / 2],
            warm[0],
            warm[warm.len() - 1]
        );
    }
    Ok(())
}
