//! Renders the bundled sample documents in every language to PDF and to a
//! PNG preview of the first page.
//!
//! ```text
//! cargo run -p voronka-docs --example render_samples -- [OUT_DIR] [KIND]
//! ```
//!
//! `OUT_DIR` defaults to `voronka-docs-samples` under the current directory;
//! `KIND` (e.g. `invoice`) renders one document only.

use std::path::PathBuf;
use std::time::Instant;

use chrono::{TimeZone, Utc};
use voronka_docs::{Document, DocumentKind, Language, RenderOptions, render};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let out = PathBuf::from(
        args.next()
            .unwrap_or_else(|| "voronka-docs-samples".to_owned()),
    );
    let only = args
        .next()
        .map(|k| DocumentKind::from_code(&k))
        .transpose()?;
    std::fs::create_dir_all(&out)?;
    let now = Utc
        .with_ymd_and_hms(2026, 11, 27, 9, 0, 0)
        .single()
        .ok_or("bad date")?;
    for kind in DocumentKind::ALL {
        if only.is_some_and(|k| k != kind) {
            continue;
        }
        let doc = Document::sample(kind);
        for lang in [Language::Ru, Language::En, Language::Both] {
            let started = Instant::now();
            let rendered = render(&doc, &RenderOptions::new(now).with_language(lang))?;
            let pdf = rendered.pdf()?;
            let took = started.elapsed();
            let stem = format!("{}-{}", kind.code(), lang.code());
            std::fs::write(out.join(format!("{stem}.pdf")), &pdf)?;
            for page in 0..rendered.page_count() {
                std::fs::write(
                    out.join(format!("{stem}-p{}.png", page + 1)),
                    rendered.png(page, 1.6)?,
                )?;
            }
            println!(
                "{stem}: {} page(s), {} bytes, {:.1} ms",
                rendered.page_count(),
                pdf.len(),
                took.as_secs_f64() * 1000.0
            );
        }
    }
    Ok(())
}
