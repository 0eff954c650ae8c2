//! Text templates of e-mails, notifications and task descriptions (`{{ fields.company_name }}`).
//!
//! Templates see `record` (`id`, `stage`, `stage_label`), `fields` (each value as display text
//! in the template's language: option labels, dates as `27.11.2026` in Russian), `values` (the
//! canonical JSON values) and `task` (the display answers of the task that started the
//! automation).
//!
//! # The language
//!
//! Jinja's core, rendered by a small engine of this crate (`lexer`, `parser`, `eval`) that
//! behaves like minijinja with its default settings, lenient undefined values and no
//! autoescaping — the engine the crate used before, kept as the oracle of the differential
//! tests (`differential.rs`), which check that both give the same text or both fail:
//!
//! - `{{ expr }}`; `{% if %}…{% elif %}…{% else %}…{% endif %}`;
//!   `{% for x in xs if cond %}…{% else %}…{% endfor %}` with `loop.index`, `index0`,
//!   `revindex`, `revindex0`, `first`, `last`, `length`, `depth`, `depth0`;
//!   `{% set x = expr %}` and `{% set x %}…{% endset %}` (inside a loop, a `set` lasts for
//!   the pass); `{# comments #}`; `{% raw %}…{% endraw %}`; whitespace control `{{-`, `-}}`,
//!   `{%-`, `-%}`, `{#-`, `-#}` (`+` keeps the whitespace); one trailing newline is dropped.
//! - Expressions: strings (`'…'` or `"…"`, with `\n \t \xHH \uHHHH` escapes), integers
//!   (also `0x1f`, `0b1`, `0o7`, `1_000`), floats, `true`/`false`/`none` (also `True`,
//!   `False`, `None`), lists `[…]`; `x.attr`, `x.0`, `x[expr]`; `+ - * / // % **`, `~`,
//!   `== != < <= > >=` (chains such as `a < b < c`), `in`, `not in`, `and`, `or`, `not`,
//!   `a if cond else b`, parentheses; the tests `defined`, `undefined` and `none` (`is not …`).
//! - Values print the way Python does: `None`, `True`, `2.0`, `[1, 'a']`, `{'k': 1}`; an
//!   undefined value prints as nothing; `/` always gives a float, `//` and `%` round toward
//!   negative infinity. Reading an attribute or item of an undefined value, division by zero,
//!   mixing strings and numbers in arithmetic, iterating over a number: rendering errors.
//!
//! There are no filters, functions or methods (minijinja's library, its `builtins` feature, was
//! left out before too: it was about an eighth of the npm package's WebAssembly): `x | upper`,
//! `range(3)` and `s.upper()` parse but fail when they run, like an unknown test.
//! `{% if x is defined %}…{% else %}…{% endif %}` stands in for `default`.
//!
//! Errors name their line and column: `syntax error: unexpected end of input, expected end of
//! variable block (line 1, column 12)`, `undefined value (line 3, column 13)`.
//!
//! # Where it differs from minijinja, deliberately
//!
//! Each of these is an error here, where minijinja renders something (tested in
//! `differential::deliberate_differences_are_errors`): tuples `(1, 2)`, map literals `{…}`,
//! slices `xs[1:]`; unpacking several names (`for k, v in …`, `set a, b = …`), recursive loops,
//! `loop.cycle(…)` and `loop.changed(…)`; the statements `with`, `autoescape`, `filter` and
//! `do`; the filters `safe`, `escape` and `e` and the tests `safe` and `escaped` (about
//! autoescaping, which templates do not use); integers beyond the range of `i128`; expressions
//! nested deeper than 256 levels, operator chains such as `1 + 1 + …` included.
//!
//! # Limits
//!
//! Parsing stops at 150 levels of nested statements, brackets and expressions (minijinja's
//! limit) and expression trees 256 deep, so no input overflows the stack (the fuzzers feed
//! definitions with arbitrary templates). Rendering burns fuel: a unit per statement,
//! expression and loop pass, per item a comparison or `in` walks, and per 256 bytes of text
//! built, 100 000 in all, so no template runs without end or builds gigabytes
//! (`{% set s = s ~ s %}` forty times).

use std::collections::BTreeMap;
use std::fmt;

use serde_json::{Map, Value};

use crate::definition::{FieldDef, FieldType};
use crate::i18n::Lang;

mod eval;
mod lexer;
mod parser;

#[cfg(test)]
mod differential;
#[cfg(test)]
mod tests;

/// A syntax or rendering error of a template, with where it happened.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Error {
    syntax: bool,
    message: String,
    line: u32,
    col: u32,
}

impl Error {
    fn syntax(message: &str, pos: lexer::Pos) -> Self {
        Error {
            syntax: true,
            message: message.to_string(),
            line: pos.line,
            col: pos.col,
        }
    }

    fn render(message: String, pos: lexer::Pos) -> Self {
        Error {
            syntax: false,
            message,
            line: pos.line,
            col: pos.col,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.syntax {
            f.write_str("syntax error: ")?;
        }
        write!(
            f,
            "{} (line {}, column {})",
            self.message, self.line, self.col
        )
    }
}

/// The templates of a model, parsed once when it is compiled and rendered from then on without
/// parsing again (a command renders a task's description, an e-mail or a notification).
#[derive(Debug, Default)]
pub(crate) struct Compiled(rustc_hash::FxHashMap<Box<str>, Vec<parser::Stmt>>);

impl Compiled {
    /// Parses a template and keeps it; the error message when it does not parse.
    pub(crate) fn add(&mut self, source: &str) -> Result<(), String> {
        if self.0.contains_key(source) {
            return Ok(());
        }
        let stmts = parser::parse(source).map_err(|e| e.to_string())?;
        self.0.insert(source.into(), stmts);
        Ok(())
    }

    /// Renders a template: the parsed one kept for this text, else parsed now.
    pub(crate) fn render(&self, source: &str, context: &Value) -> Result<String, String> {
        match self.0.get(source) {
            Some(stmts) => eval::render(stmts, context).map_err(|e| e.to_string()),
            None => render(source, context),
        }
    }
}

/// Checks that a template parses; the error message otherwise.
#[cfg(test)]
pub(crate) fn check(source: &str) -> Result<(), String> {
    parser::parse(source).map(|_| ()).map_err(|e| e.to_string())
}

/// Renders a template; the error message when it fails.
pub(crate) fn render(source: &str, context: &Value) -> Result<String, String> {
    parser::parse(source)
        .and_then(|stmts| eval::render(&stmts, context))
        .map_err(|e| e.to_string())
}

/// A value as text for people, in `lang`.
pub(crate) fn display(def: &FieldDef, value: &Value, lang: Lang) -> String {
    let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
    match def.field_type {
        FieldType::Choice => {
            let one = |item: &Value| -> String {
                match item {
                    Value::String(code) => def
                        .options
                        .iter()
                        .chain(def.other.iter())
                        .find(|o| &o.code == code)
                        .map(|o| o.label.get(lang).to_string())
                        .unwrap_or_else(|| code.clone()),
                    Value::Object(o) => text(o.get("text").unwrap_or(&Value::Null)),
                    _ => String::new(),
                }
            };
            match value {
                Value::Array(items) => items.iter().map(one).collect::<Vec<_>>().join(", "),
                other => one(other),
            }
        }
        FieldType::YesNo => match (value.as_bool(), lang) {
            (Some(true), Lang::Ru) => "да".into(),
            (Some(false), Lang::Ru) => "нет".into(),
            (Some(true), Lang::En) => "yes".into(),
            (Some(false), Lang::En) => "no".into(),
            _ => String::new(),
        },
        FieldType::Date => {
            let s = text(value);
            match (lang, s.split('-').collect::<Vec<_>>().as_slice()) {
                (Lang::Ru, [y, m, d]) => format!("{d}.{m}.{y}"),
                _ => s,
            }
        }
        FieldType::Money => format!("{} {}", text(&value["amount"]), text(&value["currency"])),
        FieldType::Percent => format!("{}%", text(value)),
        FieldType::Integer => value.to_string(),
        FieldType::PersonName => ["last", "first", "middle"]
            .iter()
            .filter_map(|k| value.get(*k).and_then(Value::as_str))
            .collect::<Vec<_>>()
            .join(" "),
        FieldType::Address => ["street", "city", "region", "postal_code", "country"]
            .iter()
            .filter_map(|k| value.get(*k).and_then(Value::as_str))
            .collect::<Vec<_>>()
            .join(", "),
        FieldType::File => match value {
            Value::Array(files) => files
                .iter()
                .map(|f| text(&f["name"]))
                .collect::<Vec<_>>()
                .join(", "),
            file => text(&file["name"]),
        },
        FieldType::LineItems => value
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .map(|i| {
                        format!(
                            "{} × {} {}",
                            text(&i["name"]),
                            text(&i["quantity"]),
                            text(&i["unit"])
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            })
            .unwrap_or_default(),
        _ => match value {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        },
    }
}

/// The display texts of `values` whose fields `defs` knows.
pub(crate) fn display_all<'a>(
    defs: impl Iterator<Item = &'a FieldDef>,
    values: &BTreeMap<String, Value>,
    lang: Lang,
) -> Map<String, Value> {
    let mut out = Map::new();
    for def in defs {
        if let Some(v) = values.get(&def.code).filter(|v| !v.is_null()) {
            out.insert(def.code.clone(), Value::String(display(def, v, lang)));
        }
    }
    out
}
