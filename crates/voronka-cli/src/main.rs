//! `voronka`: the command line of the voronka library.
//!
//! - `voronka check FILE`: decode and compile a definition, list every problem (exit 1).
//! - `voronka diagram FILE [--pipeline CODE]`: draw pipelines as Mermaid state diagrams.
//! - `voronka schema`: print the JSON Schema of the definition format.
//! - `voronka render TEMPLATE --data FILE -o OUT.pdf [--lang ru|en|both] [--now TIME] [--png OUT.png]`:
//!   render a bundled document (`invoice`, `cmr`, …) or a typst template of one's own to PDF.
//! - `voronka simulate DEFINITION SCENARIO`: the timeline of effects of a scripted scenario.
//! - `voronka demo [--lang ru|en] [--out DIR]`: walk the eco-packaging case from a website lead
//!   to a won deal with its automations, writing the documents' PDFs into `DIR`.
//!
//! Exit codes: 0 success, 1 the input has problems (a definition, a template or data that does
//! not render, a scenario or the demo off script), 2 usage or I/O errors.

use std::io::{Read, Write};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use voronka::Lang;

mod check;
mod demo;
mod diagram;
mod host;
mod render;
mod scenario;
mod show;
mod simulate;

/// Sales funnels as data: check definitions, draw their pipelines, render documents,
/// simulate scenarios, run the demo.
#[derive(Debug, Parser)]
#[command(name = "voronka", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// The `--lang` option of the commands that print messages.
#[derive(Debug, Clone, Copy, clap::Args)]
struct UiLang {
    /// Language of messages and labels.
    #[arg(long, value_enum, default_value_t = LangArg::En)]
    lang: LangArg,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Decode and compile a definition; print every problem (exit 1 when there are any).
    Check {
        /// The definition (JSON); `-` reads standard input.
        file: String,
        #[command(flatten)]
        ui: UiLang,
    },
    /// Print each pipeline of a definition as a Mermaid `stateDiagram-v2`.
    ///
    /// One pipeline gives a plain Mermaid document; several give Markdown with one fenced
    /// `mermaid` block per pipeline.
    Diagram {
        /// The definition (JSON); `-` reads standard input.
        file: String,
        /// Only this pipeline.
        #[arg(long, value_name = "CODE")]
        pipeline: Option<String>,
        #[command(flatten)]
        ui: UiLang,
    },
    /// Print the JSON Schema of the definition format.
    Schema,
    /// Render a document to PDF: a bundled one by code (`commercial_offer`, `cmr`, `invoice`,
    /// `packing_list`, `act`, `specification`, `waybill`) with its data, or a typst template
    /// file of one's own, which reads the data as `json("/data.json")`.
    Render(render::Args),
    /// Print the timeline of effects of a scripted scenario.
    Simulate {
        /// The definition (JSON).
        definition: String,
        /// The scenario (JSON): steps `{ "at", "record", "actor", "command" }`.
        scenario: String,
        #[command(flatten)]
        ui: UiLang,
    },
    /// Walk the eco-packaging case from a website lead to a won deal, with its automations,
    /// and write the documents' PDFs.
    Demo {
        /// Where to write the PDFs (created if needed).
        #[arg(long, value_name = "DIR", default_value = "voronka-demo")]
        out: std::path::PathBuf,
        #[command(flatten)]
        ui: UiLang,
    },
}

/// The `--lang` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum LangArg {
    /// English.
    En,
    /// Russian.
    Ru,
}

impl From<LangArg> for Lang {
    fn from(lang: LangArg) -> Lang {
        match lang {
            LangArg::En => Lang::En,
            LangArg::Ru => Lang::Ru,
        }
    }
}

/// How a command failed.
#[derive(Debug)]
pub(crate) enum Failure {
    /// The input has problems (already printed): exit 1.
    Problems,
    /// Usage or I/O error: exit 2 with this message on stderr.
    Usage(String),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let result = match cli.command {
        Command::Check { file, ui } => {
            let lang = Lang::from(ui.lang);
            read_input(&file, lang).and_then(|text| check::run(&text, lang, &mut out))
        }
        Command::Diagram { file, pipeline, ui } => {
            let lang = Lang::from(ui.lang);
            read_input(&file, lang)
                .and_then(|text| diagram::run(&text, pipeline.as_deref(), lang, &mut out))
        }
        Command::Schema => schema(&mut out),
        Command::Render(args) => render::run(&args, &mut out),
        Command::Simulate {
            definition,
            scenario,
            ui,
        } => {
            let lang = Lang::from(ui.lang);
            read_input(&definition, lang).and_then(|def| {
                read_input(&scenario, lang)
                    .and_then(|text| simulate::run(&def, &text, lang, &mut out))
            })
        }
        Command::Demo { out: dir, ui } => demo::run(Lang::from(ui.lang), &dir, &mut out),
    };
    let flushed = out.flush();
    match (result, flushed) {
        (Ok(()), Ok(())) => ExitCode::SUCCESS,
        (Err(Failure::Problems), _) => ExitCode::from(1),
        (Err(Failure::Usage(message)), _) => {
            eprintln!("voronka: {message}");
            ExitCode::from(2)
        }
        // A closed pipe (`voronka demo | head`) is not worth a message.
        (Ok(()), Err(_)) => ExitCode::from(2),
    }
}

/// Reads a file, or standard input for `-`.
pub(crate) fn read_input(file: &str, lang: Lang) -> Result<String, Failure> {
    let mut text = String::new();
    let result = if file == "-" {
        std::io::stdin().read_to_string(&mut text).map(|_| ())
    } else {
        std::fs::read_to_string(file).map(|t| text = t)
    };
    result.map(|()| text).map_err(|e| {
        let name = if file == "-" {
            lang.pick("standard input", "стандартный ввод")
        } else {
            file
        };
        Failure::Usage(match lang {
            Lang::En => format!("cannot read {name}: {e}"),
            Lang::Ru => format!("не удалось прочитать {name}: {e}"),
        })
    })
}

/// Writes output; a write error (closed pipe) ends the command with exit 2.
pub(crate) fn io(result: std::io::Result<()>) -> Result<(), Failure> {
    result.map_err(|e| Failure::Usage(format!("cannot write the output: {e}")))
}

fn schema(out: &mut dyn Write) -> Result<(), Failure> {
    let schema = voronka::schema::definition_schema();
    let text = serde_json::to_string_pretty(&schema)
        .map_err(|e| Failure::Usage(format!("cannot encode the schema: {e}")))?;
    io(writeln!(out, "{text}"))
}
