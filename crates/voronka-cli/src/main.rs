//! `voronka`: the command line of the voronka library.
//!
//! - `voronka check FILE`: decode and compile a definition, list every problem (exit 1).
//! - `voronka diagram FILE [--pipeline CODE]`: draw pipelines as Mermaid state diagrams.
//! - `voronka schema`: print the JSON Schema of the definition format.
//! - `voronka demo [--lang ru|en]`: walk a lead and a deal through the eco-packaging funnels.
//!
//! Exit codes: 0 success, 1 the definition has problems (or the demo went off script),
//! 2 usage or I/O errors.

use std::io::{Read, Write};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use voronka::Lang;

mod check;
mod demo;
mod diagram;
mod scenario;
mod show;

/// Sales funnels as data: check definitions, draw their pipelines, run the demo.
#[derive(Debug, Parser)]
#[command(name = "voronka", version, about)]
struct Cli {
    /// Language of messages and labels.
    #[arg(long, global = true, value_enum, default_value_t = LangArg::En)]
    lang: LangArg,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Decode and compile a definition; print every problem (exit 1 when there are any).
    Check {
        /// The definition (JSON); `-` reads standard input.
        file: String,
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
    },
    /// Print the JSON Schema of the definition format.
    Schema,
    /// Walk a lead and a deal of the eco-packaging model through their funnels.
    Demo,
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
    let lang = Lang::from(cli.lang);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let result = match cli.command {
        Command::Check { file } => {
            read_input(&file, lang).and_then(|text| check::run(&text, lang, &mut out))
        }
        Command::Diagram { file, pipeline } => read_input(&file, lang)
            .and_then(|text| diagram::run(&text, pipeline.as_deref(), lang, &mut out)),
        Command::Schema => schema(&mut out),
        Command::Demo => demo::run(lang, &mut out),
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
fn read_input(file: &str, lang: Lang) -> Result<String, Failure> {
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
