//! `voronka check`: decode and compile a definition, list every problem.

use std::io::Write;

use voronka::{Diagnostic, Lang, Model};

use crate::{Failure, io};

/// Prints every problem as `PATH: MESSAGE [CODE name]` (exit 1), or a short summary.
pub(crate) fn run(text: &str, lang: Lang, out: &mut dyn Write) -> Result<(), Failure> {
    let model = match Model::from_json(text) {
        Ok(model) => model,
        Err(error) => {
            let problems = error.diagnostics();
            for problem in &problems {
                io(writeln!(out, "{}", line(problem, lang)))?;
            }
            io(writeln!(
                out,
                "{}",
                match lang {
                    Lang::En => format!("{} problem(s) found", problems.len()),
                    Lang::Ru => format!("Найдено проблем: {}", problems.len()),
                }
            ))?;
            return Err(Failure::Problems);
        }
    };
    io(writeln!(out, "{}", summary(&model, lang)))
}

/// One problem: `PATH: MESSAGE [CODE name]`; a problem of the whole document has the path `$`.
pub(crate) fn line(problem: &Diagnostic, lang: Lang) -> String {
    let path = if problem.path.is_empty() {
        "$"
    } else {
        &problem.path
    };
    format!(
        "{path}: {} [{} {}]",
        problem.message(lang),
        problem.code.as_u32(),
        problem.code.name()
    )
}

/// `OK code “label”: 4 entities, 2 pipelines (leads: 6 stages, deals: 14 stages)`.
fn summary(model: &Model, lang: Lang) -> String {
    let def = model.definition();
    let stages: usize = def.pipelines.iter().map(|p| p.stages.len()).sum();
    let per_pipeline = def
        .pipelines
        .iter()
        .map(|p| match lang {
            Lang::En => format!("{}: {} stages", p.code, p.stages.len()),
            Lang::Ru => format!("{}: этапов {}", p.code, p.stages.len()),
        })
        .collect::<Vec<_>>()
        .join(", ");
    match lang {
        Lang::En => format!(
            "OK {} “{}”: {} entities, {} pipelines, {} stages ({})",
            def.code,
            def.label.en,
            def.entities.len(),
            def.pipelines.len(),
            stages,
            per_pipeline
        ),
        Lang::Ru => format!(
            "OK {} «{}»: сущностей {}, воронок {}, этапов {} ({})",
            def.code,
            def.label.ru,
            def.entities.len(),
            def.pipelines.len(),
            stages,
            per_pipeline
        ),
    }
}
