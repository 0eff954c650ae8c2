//! Field values: checking and normalizing what a command sets.
//!
//! Values cross as JSON. Each field type has one canonical form, produced here and stored in
//! [`Record::fields`](crate::Record::fields); an empty value (`null`, `""`, `[]`) clears the field.
//!
//! | type | canonical JSON |
//! |---|---|
//! | text, long_text, user | trimmed string |
//! | integer | JSON integer |
//! | decimal, percent | string, e.g. `"12.50"` (input: string or integer; floats are refused) |
//! | money | `{"amount": "1250.00", "currency": "EUR"}` (amount rescaled to the field's scale) |
//! | date | `"2026-11-27"` |
//! | date_time | `"2026-11-27T10:00:00Z"` (UTC) |
//! | yes_no | `true` / `false` |
//! | choice | option code; `{"option": "other", "text": "…"}` for "other" with text; an array with `multiple` |
//! | email | trimmed, domain lower-cased |
//! | phone | `+` and 7–15 digits (`00` becomes `+`; spaces, dashes, dots, brackets dropped) |
//! | url | scheme and host lower-cased |
//! | address | `{"country", "city", "street", "postal_code"?, "region"?}` |
//! | person_name | `{"last", "first", "middle"?}` |
//! | file | `{"id", "name", "mime"?}` (an array with `multiple`) |
//! | line_items | array of `{"name", "quantity", "unit", "price", "vat_rate", "weight"?, "sku"?}` |

use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::{Map, Value};

use crate::definition::{FieldDef, FieldType};
use crate::error::ValueProblem;
use crate::utc;

/// Most characters of a `text` value unless the field says otherwise.
pub const DEFAULT_TEXT_LENGTH: u32 = 1_000;
/// Most characters of a `long_text` value unless the field says otherwise.
pub const DEFAULT_LONG_TEXT_LENGTH: u32 = 20_000;
/// Digits after the point of a money amount unless the field says otherwise.
pub const DEFAULT_MONEY_SCALE: u32 = 2;
/// Most entries of a multiple choice, file list or line-item list.
pub const MAX_LIST_LENGTH: usize = 1_000;

/// A problem found at a path inside a value (`""` for the whole value).
pub(crate) type Problem = (String, ValueProblem);

fn whole(problem: ValueProblem) -> Problem {
    (String::new(), problem)
}

fn wrong(expected: &str) -> Problem {
    whole(ValueProblem::WrongType {
        expected: expected.to_string(),
    })
}

/// Reads an exact decimal from a JSON string or integer; JSON numbers with a fraction are refused.
pub fn decimal_from_json(value: &Value) -> Result<Decimal, ValueProblem> {
    match value {
        Value::String(s) => {
            let s = s.trim();
            if s.is_empty() || s.contains(['e', 'E']) {
                return Err(ValueProblem::InvalidDecimal);
            }
            Decimal::from_str(s).map_err(|_| ValueProblem::InvalidDecimal)
        }
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Ok(Decimal::from(i))
            } else if let Some(u) = n.as_u64() {
                Ok(Decimal::from(u))
            } else {
                Err(ValueProblem::FloatNotAllowed)
            }
        }
        _ => Err(ValueProblem::WrongType {
            expected: "a decimal as a string".into(),
        }),
    }
}

fn check_range(d: Decimal, min: Option<Decimal>, max: Option<Decimal>) -> Result<(), ValueProblem> {
    let below = min.is_some_and(|m| d < m);
    let above = max.is_some_and(|m| d > m);
    if below || above {
        Err(ValueProblem::OutOfRange {
            min: min.map(|m| m.to_string()),
            max: max.map(|m| m.to_string()),
        })
    } else {
        Ok(())
    }
}

fn decimal_in(
    value: &Value,
    scale: Option<u32>,
    min: Option<Decimal>,
    max: Option<Decimal>,
) -> Result<Decimal, ValueProblem> {
    let d = decimal_from_json(value)?;
    if let Some(scale) = scale
        && d.normalize().scale() > scale
    {
        return Err(ValueProblem::TooPrecise { scale });
    }
    check_range(d, min, max)?;
    Ok(d)
}

/// Checks `raw` against the field and returns its canonical form (`Null` clears the field).
pub(crate) fn normalize(field: &FieldDef, raw: &Value) -> Result<Value, Problem> {
    if raw.is_null() {
        return Ok(Value::Null);
    }
    match field.field_type {
        FieldType::Text | FieldType::LongText | FieldType::User => {
            let default = match field.field_type {
                FieldType::LongText => DEFAULT_LONG_TEXT_LENGTH,
                _ => DEFAULT_TEXT_LENGTH,
            };
            let s = raw.as_str().ok_or_else(|| wrong("a string"))?.trim();
            let max = field.max_length.unwrap_or(default);
            if s.chars().count() > max as usize {
                return Err(whole(ValueProblem::TooLong { max }));
            }
            Ok(if s.is_empty() {
                Value::Null
            } else {
                Value::String(s.to_string())
            })
        }
        FieldType::Integer => {
            let n = raw.as_i64().ok_or_else(|| wrong("a whole number"))?;
            check_range(Decimal::from(n), field.min, field.max).map_err(whole)?;
            Ok(Value::from(n))
        }
        FieldType::Decimal => {
            let d = decimal_in(raw, field.scale, field.min, field.max).map_err(whole)?;
            Ok(Value::String(d.to_string()))
        }
        FieldType::Percent => {
            let d = decimal_in(
                raw,
                Some(field.scale.unwrap_or(4)),
                Some(Decimal::ZERO),
                Some(Decimal::ONE_HUNDRED),
            )
            .map_err(whole)?;
            Ok(Value::String(d.to_string()))
        }
        FieldType::Money => money(field, raw),
        FieldType::Date => {
            let s = raw.as_str().ok_or_else(|| wrong("a date as a string"))?;
            let date = utc::parse_ymd(s.trim()).map_err(|_| whole(ValueProblem::InvalidDate))?;
            Ok(Value::String(utc::date(&date).as_str().to_owned()))
        }
        FieldType::DateTime => {
            let s = raw
                .as_str()
                .ok_or_else(|| wrong("a date and time as a string"))?;
            let moment =
                utc::parse_rfc3339(s.trim()).map_err(|_| whole(ValueProblem::InvalidDateTime))?;
            Ok(Value::String(
                utc::rfc3339(&moment, true).as_str().to_owned(),
            ))
        }
        FieldType::YesNo => raw
            .as_bool()
            .map(Value::Bool)
            .ok_or_else(|| wrong("true or false")),
        FieldType::Choice => choice(field, raw),
        FieldType::Email => {
            let s = raw.as_str().ok_or_else(|| wrong("a string"))?.trim();
            if s.is_empty() {
                return Ok(Value::Null);
            }
            email(s).map(Value::String).map_err(whole)
        }
        FieldType::Phone => {
            let s = raw.as_str().ok_or_else(|| wrong("a string"))?.trim();
            if s.is_empty() {
                return Ok(Value::Null);
            }
            phone(s).map(Value::String).map_err(whole)
        }
        FieldType::Url => {
            let s = raw.as_str().ok_or_else(|| wrong("a string"))?.trim();
            if s.is_empty() {
                return Ok(Value::Null);
            }
            url(s).map(Value::String).map_err(whole)
        }
        FieldType::Address => parts(
            raw,
            &["country", "city", "street"],
            &["postal_code", "region"],
        ),
        FieldType::PersonName => parts(raw, &["last", "first"], &["middle"]),
        FieldType::File => {
            if field.multiple {
                list(raw, |item| parts(item, &["id", "name"], &["mime"]))
            } else {
                parts(raw, &["id", "name"], &["mime"])
            }
        }
        FieldType::LineItems => list(raw, line_item),
        FieldType::Inn
        | FieldType::Kpp
        | FieldType::Ogrn
        | FieldType::Bik
        | FieldType::BankAccount
        | FieldType::CorrAccount => {
            let s = raw.as_str().ok_or_else(|| wrong("a string"))?.trim();
            if s.is_empty() {
                return Ok(Value::Null);
            }
            crate::requisites::normalize(field.field_type, s)
                .map(Value::String)
                .map_err(whole)
        }
    }
}

fn money(field: &FieldDef, raw: &Value) -> Result<Value, Problem> {
    let obj = raw
        .as_object()
        .ok_or_else(|| wrong("an object {\"amount\", \"currency\"}"))?;
    for key in obj.keys() {
        if key != "amount" && key != "currency" {
            return Err((
                format!(".{key}"),
                ValueProblem::UnknownPart { part: key.clone() },
            ));
        }
    }
    let scale = field.scale.unwrap_or(DEFAULT_MONEY_SCALE);
    let amount = obj.get("amount").ok_or_else(|| {
        (
            ".amount".to_string(),
            ValueProblem::MissingPart {
                part: "amount".into(),
            },
        )
    })?;
    let mut amount = decimal_in(amount, Some(scale), field.min, field.max)
        .map_err(|p| (".amount".to_string(), p))?;
    amount.rescale(scale);
    let currency = obj
        .get("currency")
        .and_then(Value::as_str)
        .map(str::trim)
        .ok_or_else(|| {
            (
                ".currency".to_string(),
                ValueProblem::MissingPart {
                    part: "currency".into(),
                },
            )
        })?;
    if !is_currency(currency) {
        return Err((".currency".into(), ValueProblem::InvalidCurrency));
    }
    if !field.currencies.is_empty() && !field.currencies.iter().any(|c| c == currency) {
        return Err((
            ".currency".into(),
            ValueProblem::CurrencyNotAllowed {
                currency: currency.into(),
            },
        ));
    }
    let mut out = Map::new();
    out.insert("amount".into(), Value::String(amount.to_string()));
    out.insert("currency".into(), Value::String(currency.into()));
    Ok(Value::Object(out))
}

/// Whether `code` looks like an ISO 4217 currency code (three capital letters).
pub fn is_currency(code: &str) -> bool {
    code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase())
}

fn choice_item(field: &FieldDef, raw: &Value) -> Result<Value, ValueProblem> {
    let other = field.other.as_ref().map(|o| o.code.as_str());
    match raw {
        Value::String(code) => {
            let code = code.trim();
            if field.options.iter().any(|o| o.code == code) || other == Some(code) {
                Ok(Value::String(code.to_string()))
            } else {
                Err(ValueProblem::UnknownOption {
                    option: code.to_string(),
                })
            }
        }
        Value::Object(obj) => {
            for key in obj.keys() {
                if key != "option" && key != "text" {
                    return Err(ValueProblem::UnknownPart { part: key.clone() });
                }
            }
            let code = obj
                .get("option")
                .and_then(Value::as_str)
                .map(str::trim)
                .ok_or(ValueProblem::MissingPart {
                    part: "option".into(),
                })?;
            if other != Some(code) {
                return if field.options.iter().any(|o| o.code == code) {
                    Err(ValueProblem::OtherTextNotAllowed)
                } else {
                    Err(ValueProblem::UnknownOption {
                        option: code.to_string(),
                    })
                };
            }
            let text = match obj.get("text") {
                None | Some(Value::Null) => "",
                Some(Value::String(s)) => s.trim(),
                Some(_) => {
                    return Err(ValueProblem::WrongType {
                        expected: "the \"other\" text as a string".into(),
                    });
                }
            };
            if text.chars().count() > DEFAULT_TEXT_LENGTH as usize {
                return Err(ValueProblem::TooLong {
                    max: DEFAULT_TEXT_LENGTH,
                });
            }
            if text.is_empty() {
                Ok(Value::String(code.to_string()))
            } else {
                let mut out = Map::new();
                out.insert("option".into(), Value::String(code.to_string()));
                out.insert("text".into(), Value::String(text.to_string()));
                Ok(Value::Object(out))
            }
        }
        _ => Err(ValueProblem::WrongType {
            expected: "an option code".into(),
        }),
    }
}

fn choice(field: &FieldDef, raw: &Value) -> Result<Value, Problem> {
    match raw {
        Value::Array(items) => {
            if !field.multiple {
                return Err(whole(ValueProblem::NotMultiple));
            }
            if items.len() > MAX_LIST_LENGTH {
                return Err(whole(ValueProblem::OutOfRange {
                    min: None,
                    max: Some(MAX_LIST_LENGTH.to_string()),
                }));
            }
            let mut out: Vec<Value> = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                let v = choice_item(field, item).map_err(|p| (format!("[{i}]"), p))?;
                let code = selected_code(&v).unwrap_or_default().to_string();
                if out.iter().any(|o| selected_code(o) == Some(code.as_str())) {
                    return Err((
                        format!("[{i}]"),
                        ValueProblem::DuplicateOption { option: code },
                    ));
                }
                out.push(v);
            }
            Ok(if out.is_empty() {
                Value::Null
            } else {
                Value::Array(out)
            })
        }
        Value::String(s) if s.trim().is_empty() => Ok(Value::Null),
        _ => {
            let v = choice_item(field, raw).map_err(whole)?;
            Ok(if field.multiple {
                Value::Array(vec![v])
            } else {
                v
            })
        }
    }
}

fn selected_code(item: &Value) -> Option<&str> {
    match item {
        Value::String(s) => Some(s),
        Value::Object(o) => o.get("option").and_then(Value::as_str),
        _ => None,
    }
}

/// The option codes a canonical choice value selects.
pub(crate) fn selected_codes(value: &Value) -> Vec<&str> {
    match value {
        Value::Array(items) => items.iter().filter_map(selected_code).collect(),
        other => selected_code(other).into_iter().collect(),
    }
}

/// Whether a canonical choice value selects `other_code` without its free text.
pub(crate) fn other_text_missing(value: &Value, other_code: &str) -> bool {
    let bare = |v: &Value| matches!(v, Value::String(s) if s == other_code);
    match value {
        Value::Array(items) => items.iter().any(bare),
        other => bare(other),
    }
}

fn email(s: &str) -> Result<String, ValueProblem> {
    let (local, domain) = s.rsplit_once('@').ok_or(ValueProblem::InvalidEmail)?;
    let ok_local = !local.is_empty()
        && local.len() <= 64
        && !local.contains('@')
        && local
            .chars()
            .all(|c| !c.is_whitespace() && !c.is_control() && c != '"')
        && !local.starts_with('.')
        && !local.ends_with('.');
    if !ok_local || !valid_host(domain, true) {
        return Err(ValueProblem::InvalidEmail);
    }
    Ok(format!("{local}@{}", domain.to_lowercase()))
}

/// A dotted host name with non-empty labels of letters, digits and hyphens, a top label of
/// at least two letters (`dotted_required`), or `localhost`.
fn valid_host(host: &str, dotted_required: bool) -> bool {
    if host.is_empty() || host.len() > 253 {
        return false;
    }
    if !dotted_required && host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    let labels: Vec<&str> = host.split('.').collect();
    if labels.len() < 2 {
        return false;
    }
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_alphanumeric() || c == '-')
    };
    let top = labels[labels.len() - 1];
    labels.iter().all(|l| label_ok(l))
        && top.chars().count() >= 2
        && top
            .chars()
            .all(|c| c.is_alphabetic() || c == '-' || c.is_ascii_digit())
        && !top.chars().all(|c| c.is_ascii_digit())
}

fn phone(s: &str) -> Result<String, ValueProblem> {
    let mut compact: String = s
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '.' | '\u{a0}'))
        .collect();
    if let Some(rest) = compact.strip_prefix("00") {
        compact = format!("+{rest}");
    }
    let digits = compact
        .strip_prefix('+')
        .ok_or(ValueProblem::InvalidPhone)?;
    if (7..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0')
    {
        Ok(compact)
    } else {
        Err(ValueProblem::InvalidPhone)
    }
}

fn url(s: &str) -> Result<String, ValueProblem> {
    if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(ValueProblem::InvalidUrl);
    }
    let (scheme, rest) = s.split_once("://").ok_or(ValueProblem::InvalidUrl)?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return Err(ValueProblem::InvalidUrl);
    }
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    if authority.contains('@') {
        return Err(ValueProblem::InvalidUrl);
    }
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (authority, None),
    };
    if let Some(port) = port
        && (!port.bytes().all(|b| b.is_ascii_digit()) || port.parse::<u16>().is_err())
    {
        return Err(ValueProblem::InvalidUrl);
    }
    if !valid_host(host, false) {
        return Err(ValueProblem::InvalidUrl);
    }
    let port = port.map(|p| format!(":{p}")).unwrap_or_default();
    Ok(format!("{scheme}://{}{port}{tail}", host.to_lowercase()))
}

/// An object of string parts: `required` must be non-empty, `optional` may be absent.
fn parts(raw: &Value, required: &[&str], optional: &[&str]) -> Result<Value, Problem> {
    let obj = raw.as_object().ok_or_else(|| {
        wrong(&format!(
            "an object with {}",
            required
                .iter()
                .map(|p| format!("\"{p}\""))
                .collect::<Vec<_>>()
                .join(", ")
        ))
    })?;
    let mut out = Map::new();
    for (key, value) in obj {
        if !required.contains(&key.as_str()) && !optional.contains(&key.as_str()) {
            return Err((
                format!(".{key}"),
                ValueProblem::UnknownPart { part: key.clone() },
            ));
        }
        let text = match value {
            Value::Null => continue,
            Value::String(s) => s.trim(),
            _ => {
                return Err((
                    format!(".{key}"),
                    ValueProblem::WrongType {
                        expected: "a string".into(),
                    },
                ));
            }
        };
        if text.chars().count() > DEFAULT_TEXT_LENGTH as usize {
            return Err((
                format!(".{key}"),
                ValueProblem::TooLong {
                    max: DEFAULT_TEXT_LENGTH,
                },
            ));
        }
        if !text.is_empty() {
            out.insert(key.clone(), Value::String(text.to_string()));
        }
    }
    if out.is_empty() {
        return Ok(Value::Null);
    }
    for part in required {
        if !out.contains_key(*part) {
            return Err((
                format!(".{part}"),
                ValueProblem::MissingPart {
                    part: (*part).to_string(),
                },
            ));
        }
    }
    Ok(Value::Object(out))
}

fn list(raw: &Value, item: impl Fn(&Value) -> Result<Value, Problem>) -> Result<Value, Problem> {
    let items = raw.as_array().ok_or_else(|| wrong("an array"))?;
    if items.len() > MAX_LIST_LENGTH {
        return Err(whole(ValueProblem::OutOfRange {
            min: None,
            max: Some(MAX_LIST_LENGTH.to_string()),
        }));
    }
    let mut out = Vec::with_capacity(items.len());
    for (i, raw_item) in items.iter().enumerate() {
        let v = item(raw_item).map_err(|(at, p)| (format!("[{i}]{at}"), p))?;
        if v.is_null() {
            return Err((format!("[{i}]"), ValueProblem::Empty));
        }
        out.push(v);
    }
    Ok(if out.is_empty() {
        Value::Null
    } else {
        Value::Array(out)
    })
}

fn line_item(raw: &Value) -> Result<Value, Problem> {
    let obj = raw.as_object().ok_or_else(|| wrong("a line item object"))?;
    const KNOWN: [&str; 7] = [
        "name", "quantity", "unit", "price", "vat_rate", "weight", "sku",
    ];
    for key in obj.keys() {
        if !KNOWN.contains(&key.as_str()) {
            return Err((
                format!(".{key}"),
                ValueProblem::UnknownPart { part: key.clone() },
            ));
        }
    }
    let missing = |part: &str| {
        (
            format!(".{part}"),
            ValueProblem::MissingPart {
                part: part.to_string(),
            },
        )
    };
    let text = |part: &str, required: bool| -> Result<Option<String>, Problem> {
        match obj.get(part) {
            None | Some(Value::Null) => {
                if required {
                    Err(missing(part))
                } else {
                    Ok(None)
                }
            }
            Some(Value::String(s)) if !s.trim().is_empty() => {
                if s.trim().chars().count() > DEFAULT_TEXT_LENGTH as usize {
                    Err((
                        format!(".{part}"),
                        ValueProblem::TooLong {
                            max: DEFAULT_TEXT_LENGTH,
                        },
                    ))
                } else {
                    Ok(Some(s.trim().to_string()))
                }
            }
            Some(Value::String(_)) => Err(missing(part)),
            Some(_) => Err((
                format!(".{part}"),
                ValueProblem::WrongType {
                    expected: "a string".into(),
                },
            )),
        }
    };
    let number = |part: &str,
                  required: bool,
                  min: Option<Decimal>,
                  max: Option<Decimal>,
                  positive: bool|
     -> Result<Option<Decimal>, Problem> {
        match obj.get(part) {
            None | Some(Value::Null) => {
                if required {
                    Err(missing(part))
                } else {
                    Ok(None)
                }
            }
            Some(v) => {
                let d = decimal_in(v, Some(6), min, max).map_err(|p| (format!(".{part}"), p))?;
                if positive && d <= Decimal::ZERO {
                    return Err((
                        format!(".{part}"),
                        ValueProblem::OutOfRange {
                            min: Some("0 (exclusive)".into()),
                            max: None,
                        },
                    ));
                }
                Ok(Some(d))
            }
        }
    };
    let mut out = Map::new();
    out.insert(
        "name".into(),
        Value::String(text("name", true)?.unwrap_or_default()),
    );
    let quantity = number("quantity", true, None, None, true)?.unwrap_or_default();
    out.insert("quantity".into(), Value::String(quantity.to_string()));
    out.insert(
        "unit".into(),
        Value::String(text("unit", true)?.unwrap_or_default()),
    );
    let price = number("price", true, Some(Decimal::ZERO), None, false)?.unwrap_or_default();
    out.insert("price".into(), Value::String(price.to_string()));
    let vat = number(
        "vat_rate",
        true,
        Some(Decimal::ZERO),
        Some(Decimal::ONE_HUNDRED),
        false,
    )?
    .unwrap_or_default();
    out.insert("vat_rate".into(), Value::String(vat.to_string()));
    if let Some(weight) = number("weight", false, Some(Decimal::ZERO), None, false)? {
        out.insert("weight".into(), Value::String(weight.to_string()));
    }
    if let Some(sku) = text("sku", false)? {
        out.insert("sku".into(), Value::String(sku));
    }
    Ok(Value::Object(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Label;
    use serde_json::json;

    fn field(field_type: FieldType) -> FieldDef {
        FieldDef {
            code: "f".into(),
            label: Label::new("F", "Ф"),
            field_type,
            hint: None,
            options: Vec::new(),
            other: None,
            multiple: false,
            min: None,
            max: None,
            scale: None,
            max_length: None,
            currencies: Vec::new(),
            editable_by: None,
            bik_field: None,
        }
    }

    fn ok(f: &FieldDef, v: Value) -> Value {
        normalize(f, &v).unwrap_or_else(|e| panic!("{v} rejected: {e:?}"))
    }

    fn bad(f: &FieldDef, v: Value) -> ValueProblem {
        match normalize(f, &v) {
            Ok(n) => panic!("{v} accepted as {n}"),
            Err((_, p)) => p,
        }
    }

    #[test]
    fn emails_are_checked_and_domains_lowercased() {
        let f = field(FieldType::Email);
        assert_eq!(
            ok(&f, json!(" Ivan@Eco-Pack.RU ")),
            json!("Ivan@eco-pack.ru")
        );
        assert_eq!(ok(&f, json!("пётр@пример.рф")), json!("пётр@пример.рф"));
        for b in [
            "ivan", "ivan@", "@x.ru", "a b@x.ru", "a@x", "a@x.1", "a@-x.ru", "a@x..ru",
        ] {
            assert_eq!(bad(&f, json!(b)), ValueProblem::InvalidEmail, "{b}");
        }
    }

    #[test]
    fn phones_are_normalized_to_plus_and_digits() {
        let f = field(FieldType::Phone);
        assert_eq!(ok(&f, json!("+7 (495) 123-45-67")), json!("+74951234567"));
        assert_eq!(ok(&f, json!("0049 30 1234567")), json!("+49301234567"));
        for b in [
            "8 495 123 45 67",
            "+12",
            "+7 495 CALL-NOW",
            "+0123456789",
            "+1234567890123456",
        ] {
            assert_eq!(bad(&f, json!(b)), ValueProblem::InvalidPhone, "{b}");
        }
    }

    #[test]
    fn urls_need_http_and_a_host() {
        let f = field(FieldType::Url);
        assert_eq!(
            ok(&f, json!("HTTPS://Eco-Pack.example/Catalog?x=1")),
            json!("https://eco-pack.example/Catalog?x=1")
        );
        assert_eq!(
            ok(&f, json!("http://localhost:8080/")),
            json!("http://localhost:8080/")
        );
        for b in [
            "eco-pack.example",
            "ftp://x.ru",
            "https://",
            "https://x",
            "https://a b.ru",
            "https://u@x.ru",
            "https://x.ru:99999",
        ] {
            assert_eq!(bad(&f, json!(b)), ValueProblem::InvalidUrl, "{b}");
        }
    }

    #[test]
    fn decimals_are_exact_and_floats_refused() {
        let mut f = field(FieldType::Decimal);
        f.scale = Some(2);
        f.min = Some(Decimal::ZERO);
        assert_eq!(ok(&f, json!("12.50")), json!("12.50"));
        assert_eq!(ok(&f, json!(7)), json!("7"));
        assert_eq!(bad(&f, json!(12.5)), ValueProblem::FloatNotAllowed);
        assert_eq!(
            bad(&f, json!("1.234")),
            ValueProblem::TooPrecise { scale: 2 }
        );
        assert_eq!(bad(&f, json!("abc")), ValueProblem::InvalidDecimal);
        assert_eq!(bad(&f, json!("1e3")), ValueProblem::InvalidDecimal);
        assert!(matches!(
            bad(&f, json!("-1")),
            ValueProblem::OutOfRange { .. }
        ));
    }

    #[test]
    fn percent_is_bounded() {
        let f = field(FieldType::Percent);
        assert_eq!(ok(&f, json!("30")), json!("30"));
        assert_eq!(ok(&f, json!(100)), json!("100"));
        assert!(matches!(
            bad(&f, json!("100.01")),
            ValueProblem::OutOfRange { .. }
        ));
        assert!(matches!(
            bad(&f, json!(-1)),
            ValueProblem::OutOfRange { .. }
        ));
    }

    #[test]
    fn money_is_rescaled_and_currency_checked() {
        let mut f = field(FieldType::Money);
        f.currencies = vec!["EUR".into(), "RUB".into()];
        assert_eq!(
            ok(&f, json!({"amount": "1250", "currency": "EUR"})),
            json!({"amount": "1250.00", "currency": "EUR"})
        );
        assert_eq!(
            bad(&f, json!({"amount": "1", "currency": "USD"})),
            ValueProblem::CurrencyNotAllowed {
                currency: "USD".into()
            }
        );
        assert_eq!(
            bad(&f, json!({"amount": "1", "currency": "eur"})),
            ValueProblem::InvalidCurrency
        );
        assert_eq!(
            bad(&f, json!({"amount": "1.001", "currency": "EUR"})),
            ValueProblem::TooPrecise { scale: 2 }
        );
        assert_eq!(
            bad(&f, json!({"currency": "EUR"})),
            ValueProblem::MissingPart {
                part: "amount".into()
            }
        );
    }

    #[test]
    fn integers_respect_bounds() {
        let mut f = field(FieldType::Integer);
        f.min = Some(Decimal::ONE);
        assert_eq!(ok(&f, json!(500)), json!(500));
        assert!(matches!(bad(&f, json!(0)), ValueProblem::OutOfRange { .. }));
        assert!(matches!(
            bad(&f, json!("5")),
            ValueProblem::WrongType { .. }
        ));
        assert!(matches!(
            bad(&f, json!(1.5)),
            ValueProblem::WrongType { .. }
        ));
    }

    #[test]
    fn dates_and_times() {
        let d = field(FieldType::Date);
        assert_eq!(ok(&d, json!("2026-02-28")), json!("2026-02-28"));
        assert_eq!(bad(&d, json!("2026-02-30")), ValueProblem::InvalidDate);
        assert_eq!(bad(&d, json!("28.02.2026")), ValueProblem::InvalidDate);
        let t = field(FieldType::DateTime);
        assert_eq!(
            ok(&t, json!("2026-11-27T13:00:00+03:00")),
            json!("2026-11-27T10:00:00Z")
        );
        assert_eq!(
            bad(&t, json!("2026-11-27 10:00")),
            ValueProblem::InvalidDateTime
        );
    }

    fn choice_field(multiple: bool) -> FieldDef {
        let mut f = field(FieldType::Choice);
        f.options = vec![
            crate::definition::ChoiceOption {
                code: "retail".into(),
                label: Label::new("Retail", "Розница"),
            },
            crate::definition::ChoiceOption {
                code: "food".into(),
                label: Label::new("Food", "Еда"),
            },
        ];
        f.other = Some(crate::definition::ChoiceOption {
            code: "other".into(),
            label: Label::new("Other", "Другое"),
        });
        f.multiple = multiple;
        f
    }

    #[test]
    fn choices_with_other_text() {
        let f = choice_field(false);
        assert_eq!(ok(&f, json!("retail")), json!("retail"));
        assert_eq!(
            ok(&f, json!({"option": "other", "text": " candles "})),
            json!({"option": "other", "text": "candles"})
        );
        assert_eq!(
            ok(&f, json!({"option": "other", "text": ""})),
            json!("other")
        );
        assert!(other_text_missing(&ok(&f, json!("other")), "other"));
        assert!(!other_text_missing(
            &ok(&f, json!({"option": "other", "text": "x"})),
            "other"
        ));
        assert_eq!(
            bad(&f, json!("toys")),
            ValueProblem::UnknownOption {
                option: "toys".into()
            }
        );
        assert_eq!(
            bad(&f, json!({"option": "food", "text": "x"})),
            ValueProblem::OtherTextNotAllowed
        );
        assert_eq!(bad(&f, json!(["retail"])), ValueProblem::NotMultiple);
        let m = choice_field(true);
        assert_eq!(ok(&m, json!("food")), json!(["food"]));
        assert_eq!(ok(&m, json!([])), Value::Null);
        assert_eq!(
            bad(&m, json!(["food", "food"])),
            ValueProblem::DuplicateOption {
                option: "food".into()
            }
        );
        assert_eq!(
            selected_codes(&ok(&m, json!(["food", {"option": "other", "text": "t"}]))),
            vec!["food", "other"]
        );
    }

    #[test]
    fn structured_values_need_their_parts() {
        let a = field(FieldType::Address);
        let full = json!({"country": "DE", "city": "Berlin", "street": "Hauptstr. 1", "postal_code": "10115"});
        assert_eq!(ok(&a, full.clone()), full);
        assert_eq!(
            bad(&a, json!({"country": "DE", "street": "x"})),
            ValueProblem::MissingPart {
                part: "city".into()
            }
        );
        assert_eq!(
            bad(&a, json!({"country": "DE", "town": "x"})),
            ValueProblem::UnknownPart {
                part: "town".into()
            }
        );
        let n = field(FieldType::PersonName);
        assert_eq!(
            ok(&n, json!({"last": "Иванов", "first": "Иван", "middle": ""})),
            json!({"last": "Иванов", "first": "Иван"})
        );
        assert!(matches!(
            bad(&n, json!("Иван Иванов")),
            ValueProblem::WrongType { .. }
        ));
    }

    #[test]
    fn line_items_are_checked_per_item() {
        let f = field(FieldType::LineItems);
        let good = json!([{"name": "Box", "quantity": "500", "unit": "pcs", "price": "1.20", "vat_rate": 20, "weight": "0.05"}]);
        assert_eq!(ok(&f, good)[0]["vat_rate"], json!("20"));
        let err = normalize(&f, &json!([
            {"name": "Box", "quantity": "500", "unit": "pcs", "price": "1.20", "vat_rate": "20"},
            {"name": "Bag", "quantity": "0", "unit": "pcs", "price": "1", "vat_rate": "20"}
        ]))
        .expect_err("a zero quantity is refused");
        assert_eq!(err.0, "[1].quantity");
        assert!(matches!(err.1, ValueProblem::OutOfRange { .. }));
    }

    #[test]
    fn empty_values_clear() {
        assert_eq!(ok(&field(FieldType::Text), json!("   ")), Value::Null);
        assert_eq!(ok(&field(FieldType::Email), json!("")), Value::Null);
        assert_eq!(ok(&field(FieldType::LineItems), json!([])), Value::Null);
        let mut t = field(FieldType::Text);
        t.max_length = Some(3);
        assert_eq!(bad(&t, json!("abcd")), ValueProblem::TooLong { max: 3 });
    }
}
