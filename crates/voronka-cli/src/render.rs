//! `voronka render`: a document to PDF (and a PNG preview) with `voronka-docs`.

use std::io::Write;
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use clap::ValueEnum;
use voronka::Lang;
use voronka_docs::{DocumentKind, Error, Language, RenderOptions, Template};

use crate::{Failure, io};

/// The arguments of `voronka render`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// A bundled document's code (`invoice`, `cmr`, …) or the path of a `.typ` template.
    template: String,
    /// The data (JSON): for a bundled document its typed data (see the samples of
    /// voronka-docs); for a template of one's own any JSON, read as `json("/data.json")`.
    #[arg(long, value_name = "FILE")]
    data: String,
    /// Where to write the PDF.
    #[arg(short = 'o', long = "out", value_name = "OUT.pdf")]
    out: PathBuf,
    /// The document's language.
    #[arg(long, value_enum, default_value_t = DocLang::Ru)]
    lang: DocLang,
    /// The current time for the document (RFC 3339); default: the system clock.
    #[arg(long, value_name = "RFC3339")]
    now: Option<DateTime<Utc>>,
    /// Also write the first page as PNG here.
    #[arg(long, value_name = "OUT.png")]
    png: Option<PathBuf>,
}

/// The `--lang` values of `render`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DocLang {
    /// Russian.
    Ru,
    /// English.
    En,
    /// Both, side by side.
    Both,
}

/// Renders, writes the files and prints what it wrote.
pub(crate) fn run(args: &Args, out: &mut dyn Write) -> Result<(), Failure> {
    let lang = match args.lang {
        DocLang::Ru => Language::Ru,
        DocLang::En => Language::En,
        DocLang::Both => Language::Both,
    };
    // Messages follow the document's language; both → English.
    let ui = if args.lang == DocLang::Ru {
        Lang::Ru
    } else {
        Lang::En
    };
    let data = crate::read_input(&args.data, ui)?;
    let opts = RenderOptions::new(
        args.now
            .unwrap_or_else(|| DateTime::<Utc>::from(std::time::SystemTime::now())),
    )
    .with_language(lang);
    let rendered = match DocumentKind::from_code(&args.template) {
        Ok(kind) => voronka_docs::render_json(kind.code(), &data, &opts),
        Err(_) => {
            let source = crate::read_input(&args.template, ui)?;
            let value: serde_json::Value = serde_json::from_str(&data).map_err(|e| {
                Failure::Usage(match ui {
                    Lang::En => format!("{} is not JSON: {e}", args.data),
                    Lang::Ru => format!("{} — не JSON: {e}", args.data),
                })
            })?;
            voronka_docs::render_source(&Template::new(source), &value, &opts)
        }
    }
    .map_err(|e| problem(&args.template, &e))?;
    let pdf = rendered.pdf().map_err(|e| problem(&args.template, &e))?;
    write(&args.out, &pdf, ui)?;
    let pages = rendered.page_count();
    io(writeln!(
        out,
        "{}",
        match ui {
            Lang::En => format!(
                "{}: {pages} page(s), {} bytes",
                args.out.display(),
                pdf.len()
            ),
            Lang::Ru => format!(
                "{}: страниц: {pages}, байт: {}",
                args.out.display(),
                pdf.len()
            ),
        }
    ))?;
    if let Some(path) = &args.png {
        let png = rendered
            .png(0, 2.0)
            .map_err(|e| problem(&args.template, &e))?;
        write(path, &png, ui)?;
        io(writeln!(
            out,
            "{}: PNG, {} bytes",
            path.display(),
            png.len()
        ))?;
    }
    Ok(())
}

fn write(path: &std::path::Path, bytes: &[u8], ui: Lang) -> Result<(), Failure> {
    std::fs::write(path, bytes).map_err(|e| {
        Failure::Usage(match ui {
            Lang::En => format!("cannot write {}: {e}", path.display()),
            Lang::Ru => format!("не удалось записать {}: {e}", path.display()),
        })
    })
}

/// Prints a rendering error with its code; a template error as `FILE:LINE:COLUMN: …`.
fn problem(template: &str, e: &Error) -> Failure {
    let head = format!("error[{} {}]", e.code(), e.name());
    match e {
        Error::Template {
            file,
            line,
            column,
            message,
            hints,
        } => {
            let shown = if file == "/main.typ" { template } else { file };
            let at = match (line, column) {
                (Some(l), Some(c)) => format!("{shown}:{l}:{c}"),
                (Some(l), None) => format!("{shown}:{l}"),
                _ => shown.to_string(),
            };
            eprintln!("{at}: {head}: {message}");
            for hint in hints {
                eprintln!("  hint: {hint}");
            }
        }
        other => eprintln!("voronka render: {head}: {other}"),
    }
    Failure::Problems
}
