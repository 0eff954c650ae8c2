//! `voronka diagram`: pipelines as Mermaid state diagrams.
//!
//! Each stage is a state labelled in the chosen language; allowed moves are edges; returns
//! (postponed → the stage the record came from) are edges labelled "return"; `[*]` leads into
//! the initial stages and out of won and lost ones, which are also coloured by a class; a note
//! beside each stage with requirements lists them (conditions in short form, any-of groups,
//! roles allowed to enter).

use std::fmt::Write as _;
use std::io::Write;

use voronka::definition::{PipelineDef, Requirement, Semantics, StageDef};
use voronka::{Lang, Model};

use crate::show::{condition, field_label};
use crate::{Failure, check, io};

/// Prints the pipelines of the definition in `text` (only `only`, when given).
pub(crate) fn run(
    text: &str,
    only: Option<&str>,
    lang: Lang,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let model = match Model::from_json(text) {
        Ok(model) => model,
        Err(error) => {
            for problem in error.diagnostics() {
                eprintln!("{}", check::line(&problem, lang));
            }
            return Err(Failure::Problems);
        }
    };
    let pipelines: Vec<&PipelineDef> = model
        .definition()
        .pipelines
        .iter()
        .filter(|p| only.is_none_or(|code| p.code == code))
        .collect();
    if pipelines.is_empty() {
        let code = only.unwrap_or_default();
        return Err(Failure::Usage(match lang {
            Lang::En => format!("the definition has no pipeline \"{code}\""),
            Lang::Ru => format!("в определении нет воронки «{code}»"),
        }));
    }
    if let [single] = pipelines.as_slice() {
        return io(out.write_all(mermaid(&model, single, lang).as_bytes()));
    }
    let mut doc = String::new();
    for (i, p) in pipelines.iter().enumerate() {
        if i > 0 {
            doc.push('\n');
        }
        let _ = writeln!(
            doc,
            "## {} (`{}`)\n\n```mermaid\n{}```",
            text_md(p.label.get(lang)),
            p.code,
            mermaid(&model, p, lang)
        );
    }
    io(out.write_all(doc.as_bytes()))
}

/// Makes text safe inside a Mermaid label, note or edge text: no quotes, angle brackets,
/// statement separators, entity starts or line breaks (replaced by look-alikes).
pub(crate) fn escape(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '"' => '\u{201D}',
            '<' => '\u{2039}',
            '>' => '\u{203A}',
            ';' => ',',
            '#' => '\u{2116}',
            '{' => '(',
            '}' => ')',
            '[' => '(',
            ']' => ')',
            '\n' | '\r' | '\t' => ' ',
            c => c,
        })
        .collect()
}

fn text_md(text: &str) -> String {
    text.replace(['\n', '\r'], " ")
}

/// Mermaid words that cannot be state ids.
const RESERVED: &[&str] = &[
    "end",
    "state",
    "note",
    "class",
    "classdef",
    "direction",
    "as",
    "click",
    "style",
    "fork",
    "join",
    "choice",
    "concurrent",
    "default",
];

/// The Mermaid id of a stage: its code (codes are lowercase identifiers), suffixed when it is
/// a Mermaid keyword.
fn id(code: &str) -> String {
    if RESERVED.contains(&code) {
        format!("{code}_")
    } else {
        code.to_string()
    }
}

/// The stages records may be created in: those marked initial, or the first.
fn initial_stages(p: &PipelineDef) -> Vec<&StageDef> {
    let marked: Vec<&StageDef> = p.stages.iter().filter(|s| s.initial).collect();
    if marked.is_empty() {
        p.stages.first().into_iter().collect()
    } else {
        marked
    }
}

/// Whether a stage belongs to a class of the diagram.
type StageTest = fn(&StageDef) -> bool;

/// One pipeline as a Mermaid `stateDiagram-v2` document (ends with a newline).
pub(crate) fn mermaid(model: &Model, p: &PipelineDef, lang: Lang) -> String {
    let mut d = String::new();
    let _ = writeln!(d, "%% {} ({})", escape(p.label.get(lang)), p.code);
    d.push_str("stateDiagram-v2\n");
    for s in &p.stages {
        let _ = writeln!(
            d,
            "    state \"{}\" as {}",
            escape(s.label.get(lang)),
            id(&s.code)
        );
    }
    for s in initial_stages(p) {
        let _ = writeln!(d, "    [*] --> {}", id(&s.code));
    }
    let return_label = escape(lang.pick("return", "возврат"));
    for m in model.allowed_moves(&p.code) {
        if m.is_return {
            let _ = writeln!(d, "    {} --> {} : {return_label}", id(&m.from), id(&m.to));
        } else {
            let _ = writeln!(d, "    {} --> {}", id(&m.from), id(&m.to));
        }
    }
    for s in &p.stages {
        if s.semantics != Semantics::Open {
            let _ = writeln!(d, "    {} --> [*]", id(&s.code));
        }
    }
    for s in &p.stages {
        let lines = requirement_lines(model, p, s, lang);
        if lines.is_empty() {
            continue;
        }
        let _ = writeln!(d, "    note right of {}", id(&s.code));
        for line in lines {
            let _ = writeln!(d, "        {}", escape(&line));
        }
        d.push_str("    end note\n");
    }
    d.push_str("    classDef wonStage fill:#d4f7d4,stroke:#2e7d32,font-weight:bold\n");
    d.push_str("    classDef lostStage fill:#fbd5d5,stroke:#c62828\n");
    d.push_str("    classDef sideStage stroke-dasharray:5 5\n");
    let classes: [(&str, StageTest); 3] = [
        ("wonStage", |s| s.semantics == Semantics::Won),
        ("lostStage", |s| s.semantics == Semantics::Lost),
        ("sideStage", |s| s.side && s.semantics == Semantics::Open),
    ];
    for (class, wanted) in classes {
        let ids: Vec<String> = p
            .stages
            .iter()
            .filter(|s| wanted(s))
            .map(|s| id(&s.code))
            .collect();
        if !ids.is_empty() {
            let _ = writeln!(d, "    class {} {class}", ids.join(","));
        }
    }
    d
}

/// What entering a stage needs, one line each, headed "Requires:".
fn requirement_lines(model: &Model, p: &PipelineDef, s: &StageDef, lang: Lang) -> Vec<String> {
    let entity = p.entity.as_str();
    let label = |code: &str| field_label(model, entity, code, lang);
    let when = |cond: &Option<voronka::definition::Condition>| match cond {
        Some(c) => format!(
            " {} {}",
            lang.pick("when", "если"),
            condition(model, entity, c, lang)
        ),
        None => String::new(),
    };
    let mut lines = Vec::new();
    for req in &s.requires {
        lines.push(match req {
            Requirement::Field(code) => format!("• {}", label(code)),
            Requirement::Conditional(c) => format!("• {}{}", label(&c.field), when(&c.when)),
            Requirement::AnyOf(a) => format!(
                "• {} {}{}",
                lang.pick("one of:", "одно из:"),
                a.any_of
                    .iter()
                    .map(|f| label(f))
                    .collect::<Vec<_>>()
                    .join(" / "),
                when(&a.when)
            ),
        });
    }
    if !lines.is_empty() {
        lines.insert(0, lang.pick("Requires:", "Требуется:").to_string());
    }
    if let Some(roles) = &s.enter_roles {
        let names: Vec<String> = roles
            .iter()
            .map(|code| {
                model
                    .definition()
                    .roles
                    .iter()
                    .find(|r| &r.code == code)
                    .map_or_else(|| code.clone(), |r| r.label.get(lang).to_string())
            })
            .collect();
        lines.push(format!(
            "{} {}",
            lang.pick("Only:", "Только:"),
            names.join(", ")
        ));
    }
    lines
}
