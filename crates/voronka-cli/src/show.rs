//! Showing definitions and values to people: field labels, values, conditions.

use serde_json::Value;
use voronka::definition::{ChoiceOption, Condition};
use voronka::{FieldDef, FieldType, Lang, Model};

/// The label of a field in `lang`, or its code when the entity has no such field.
pub(crate) fn field_label(model: &Model, entity: &str, code: &str, lang: Lang) -> String {
    model
        .field(entity, code)
        .map_or_else(|| code.to_string(), |f| f.label.get(lang).to_string())
}

/// Field codes in the order the entity defines its fields (unknown codes last, by code).
pub(crate) fn in_definition_order<'a>(
    model: &Model,
    entity: &str,
    codes: impl Iterator<Item = &'a String>,
) -> Vec<&'a String> {
    let position = |code: &str| {
        model
            .definition()
            .entities
            .iter()
            .find(|e| e.code == entity)
            .and_then(|e| e.fields.iter().position(|f| f.code == code))
            .unwrap_or(usize::MAX)
    };
    let mut codes: Vec<&String> = codes.collect();
    codes.sort_by_key(|c| (position(c), c.as_str().to_owned()));
    codes
}

fn option_label(field: &FieldDef, code: &str, lang: Lang) -> String {
    field
        .options
        .iter()
        .chain(field.other.as_ref())
        .find(|o: &&ChoiceOption| o.code == code)
        .map_or_else(|| code.to_string(), |o| o.label.get(lang).to_string())
}

fn text_of(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn parts(value: &Value, keys: &[&str], separator: &str) -> String {
    keys.iter()
        .filter_map(|k| value.get(*k).map(text_of))
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(separator)
}

fn choice_item(field: &FieldDef, item: &Value, lang: Lang) -> String {
    match item {
        Value::String(code) => option_label(field, code, lang),
        Value::Object(obj) => {
            let option = obj.get("option").map(text_of).unwrap_or_default();
            let label = option_label(field, &option, lang);
            match obj.get("text") {
                Some(text) => format!("{label}: {}", text_of(text)),
                None => label,
            }
        }
        other => other.to_string(),
    }
}

fn each(value: &Value, item: impl Fn(&Value) -> String, separator: &str) -> String {
    match value {
        Value::Array(items) => items.iter().map(item).collect::<Vec<_>>().join(separator),
        single => item(single),
    }
}

/// A field value (canonical JSON) as people read it: option labels, names, addresses, money.
pub(crate) fn value(model: &Model, entity: &str, code: &str, value: &Value, lang: Lang) -> String {
    match model.field(entity, code) {
        Some(field) => value_of(field, value, lang),
        None => text_of(value),
    }
}

/// A value of `field` (canonical JSON) as people read it.
pub(crate) fn value_of(field: &FieldDef, value: &Value, lang: Lang) -> String {
    match field.field_type {
        FieldType::Choice => each(value, |item| choice_item(field, item, lang), ", "),
        FieldType::PersonName => parts(value, &["last", "first", "middle"], " "),
        FieldType::Address => parts(
            value,
            &["postal_code", "country", "region", "city", "street"],
            ", ",
        ),
        FieldType::Money => parts(value, &["amount", "currency"], " "),
        FieldType::Percent => format!("{} %", text_of(value)),
        FieldType::YesNo => match value.as_bool() {
            Some(true) => lang.pick("yes", "да").to_string(),
            Some(false) => lang.pick("no", "нет").to_string(),
            None => text_of(value),
        },
        FieldType::File => each(value, |f| parts(f, &["name"], ""), ", "),
        FieldType::LineItems => each(
            value,
            |item| {
                format!(
                    "{} × {} {} @ {}",
                    parts(item, &["name"], ""),
                    parts(item, &["quantity"], ""),
                    parts(item, &["unit"], ""),
                    parts(item, &["price"], "")
                )
            },
            "; ",
        ),
        _ => text_of(value),
    }
}

/// A value a condition compares with: an option label for choices, the value otherwise.
fn compared(model: &Model, entity: &str, field: &str, v: &Value, lang: Lang) -> String {
    match model.field(entity, field) {
        Some(f) if f.field_type == FieldType::Choice => each(v, |i| choice_item(f, i, lang), ", "),
        _ => value(model, entity, field, v, lang),
    }
}

/// A condition in short form: `Result of processing = Unqualified`, `A is filled and not (…)`.
pub(crate) fn condition(model: &Model, entity: &str, cond: &Condition, lang: Lang) -> String {
    let label = |field: &str| field_label(model, entity, field, lang);
    let group = |list: &[Condition], joiner: &str| {
        list.iter()
            .map(|c| match c {
                Condition::All { .. } | Condition::Any { .. } => {
                    format!("({})", condition(model, entity, c, lang))
                }
                _ => condition(model, entity, c, lang),
            })
            .collect::<Vec<_>>()
            .join(joiner)
    };
    match cond {
        Condition::Filled { field, filled, .. } => match (filled, lang) {
            (true, Lang::En) => format!("{} is filled", label(field)),
            (false, Lang::En) => format!("{} is empty", label(field)),
            (true, Lang::Ru) => format!("{} заполнено", label(field)),
            (false, Lang::Ru) => format!("{} не заполнено", label(field)),
        },
        Condition::Equals { field, equals, .. } => format!(
            "{} = {}",
            label(field),
            compared(model, entity, field, equals, lang)
        ),
        Condition::OneOf { field, one_of, .. } => format!(
            "{} ∈ {{{}}}",
            label(field),
            one_of
                .iter()
                .map(|v| compared(model, entity, field, v, lang))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Condition::All { all } => group(all, lang.pick(" and ", " и ")),
        Condition::Any { any } => group(any, lang.pick(" or ", " или ")),
        Condition::Not { not } => format!(
            "{} ({})",
            lang.pick("not", "не"),
            condition(model, entity, not, lang)
        ),
    }
}
