//! Text templates of e-mails, notifications and task descriptions (`{{ fields.company_name }}`).
//!
//! Rendering uses `minijinja` with a fuel limit, so no template can run without end. Templates
//! see `record` (`id`, `stage`, `stage_label`), `fields` (each value as display text in the
//! template's language: option labels, dates as `27.11.2026` in Russian), `values` (the canonical
//! JSON values) and `task` (the display answers of the task that started the automation).
//!
//! The language is Jinja's core: `{{ … }}` expressions (attribute and index access,
//! arithmetic, comparisons, `~` concatenation), `{% if %}`, `{% for %}`, `{% set %}` and the
//! tests `defined` and `none`. minijinja's library of filters, tests and functions (its
//! `builtins` feature) is left out: it was about an eighth of the npm package's WebAssembly,
//! for templates that show display texts; registering even four small filters cost 9 KB of the
//! gzipped module. `{% if x is defined %}…{% else %}…{% endif %}` stands in for `default`.

use std::collections::BTreeMap;

use minijinja::Environment;
use serde_json::{Map, Value};

use crate::definition::{FieldDef, FieldType};
use crate::i18n::Lang;

/// Most instructions one rendering may execute.
const FUEL: u64 = 100_000;

fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_fuel(Some(FUEL));
    env
}

/// Checks that a template parses; the error message otherwise.
pub(crate) fn check(source: &str) -> Result<(), String> {
    environment()
        .template_from_str(source)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// Renders a template; the error message when it fails.
pub(crate) fn render(source: &str, context: &Value) -> Result<String, String> {
    let env = environment();
    env.render_str(source, minijinja::value::Serde(context))
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn renders_fields_and_refuses_endless_templates() {
        let ctx = json!({"fields": {"company_name": "ООО «Эко»"}, "record": {"id": "d-1"}});
        assert_eq!(
            render("Заказ {{ record.id }} для {{ fields.company_name }}", &ctx),
            Ok("Заказ d-1 для ООО «Эко»".to_string())
        );
        assert_eq!(render("{{ fields.missing }}", &ctx), Ok(String::new()));
        // Ten to the sixth iterations: more than the fuel allows.
        let endless = format!(
            "{{% set l = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] %}}{}x{}",
            "{% for i in l %}".repeat(6),
            "{% endfor %}".repeat(6)
        );
        assert!(render(&endless, &ctx).is_err());
        assert!(check("{{ unclosed").is_err());
        assert!(check("Hello {{ fields.a }}").is_ok());
    }

    #[test]
    fn core_syntax_works_and_library_filters_are_unknown() {
        let ctx = json!({"fields": {"city": "Tver"}, "values": {"n": 3}});
        assert_eq!(
            render(
                "{% if fields.phone is defined %}p{% elif values.n > 2 %}{% for c in ['a', 'b'] %}{{ c ~ loop.index }}{% endfor %}{% endif %}/{% if fields.city is defined %}{{ fields.city }}{% else %}-{% endif %}",
                &ctx
            ),
            Ok("a1b2/Tver".to_string())
        );
        // A filter of minijinja's library is unknown: a rendering error, not a panic.
        assert!(render("{{ fields.city | upper }}", &ctx).is_err());
    }
}
