//! Helpers shared by the fuzz targets: the eco-packaging model and org compiled once, structured
//! edits of a JSON document, and field values chosen by type.

use std::sync::OnceLock;

/// The C library (`bindings/c`) compiled into the fuzz targets from its source: its crate is a
/// `cdylib`/`staticlib` named `voronka` like the core, so it cannot be linked as a Rust
/// dependency (an `rlib` of the same name collides with the core's in the main workspace).
#[path = "../../bindings/c/src/lib.rs"]
#[allow(missing_docs, clippy::all)]
pub mod c;

use arbitrary::Arbitrary;
use serde_json::{Value, json};
use voronka::definition::FieldType;
use voronka::{FieldDef, Lang, Model, Org};

/// The eco-packaging model with every automation, compiled once per process.
pub fn eco() -> &'static Model {
    static MODEL: OnceLock<Model> = OnceLock::new();
    MODEL.get_or_init(|| {
        voronka::api::load(voronka::examples::ECO_PACKAGING, Lang::En)
            .expect("the built-in example compiles")
    })
}

/// The example org structure (heads, departments, deputies), for approvals.
pub fn org() -> &'static Org {
    static ORG: OnceLock<Org> = OnceLock::new();
    ORG.get_or_init(|| {
        serde_json::from_str(include_str!("../../examples/eco-packaging/org.json"))
            .expect("the example org decodes")
    })
}

/// The example definition as a JSON tree, parsed once.
pub fn eco_definition_json() -> &'static Value {
    static TREE: OnceLock<Value> = OnceLock::new();
    TREE.get_or_init(|| {
        serde_json::from_str(voronka::examples::ECO_PACKAGING).expect("the example is JSON")
    })
}

/// Definitions for structured edits: the whole example first, then the example cut down to
/// each pipeline alone (with only its entity, or with every entity when it needs more), for
/// each cut that compiles. A small definition compiles in a fraction of the time of the whole
/// example (60 KB of JSON), so edits of the cuts run many times faster, while the whole
/// example keeps the links between pipelines in play.
pub fn definition_bases() -> &'static [Value] {
    static BASES: OnceLock<Vec<Value>> = OnceLock::new();
    BASES.get_or_init(|| {
        let whole = eco_definition_json();
        let mut bases = vec![whole.clone()];
        let pipelines = whole["pipelines"].as_array().cloned().unwrap_or_default();
        for pipeline in pipelines {
            let own_entity: Vec<Value> = whole["entities"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|e| e["code"] == pipeline["entity"])
                .cloned()
                .collect();
            for entities in [Value::Array(own_entity), whole["entities"].clone()] {
                let mut cut = whole.clone();
                cut["pipelines"] = Value::Array(vec![pipeline.clone()]);
                cut["entities"] = entities;
                if voronka::api::load(&cut.to_string(), Lang::En).is_ok() {
                    bases.push(cut);
                    break;
                }
            }
        }
        bases
    })
}

/// A language from a fuzzer's choice.
pub fn lang(english: bool) -> Lang {
    if english { Lang::En } else { Lang::Ru }
}

/// What to put at a place in a JSON tree.
#[derive(Arbitrary, Debug, Clone)]
pub enum Edit {
    /// Remove the member or element.
    Remove,
    /// Replace with a string.
    Str(String),
    /// Replace with an integer.
    Int(i64),
    /// Replace with a float (NaN and infinities become `null`).
    Float(f64),
    /// Replace with a boolean.
    Bool(bool),
    /// Replace with `null`.
    Null,
    /// Replace with `[]`.
    EmptyArray,
    /// Replace with `{}`.
    EmptyObject,
    /// Replace with a copy of another child of the same parent.
    CopySibling(u16),
    /// Insert a copy next to itself (arrays only).
    Duplicate,
    /// Replace with JSON text, when it parses.
    Raw(String),
}

/// One edit of a JSON tree.
#[derive(Arbitrary, Debug, Clone)]
pub enum Mutation {
    /// Walk down by child indexes (each taken modulo the number of children) and edit there.
    At {
        /// Child indexes from the root.
        path: Vec<u16>,
        /// What to do there.
        edit: Edit,
    },
    /// Replace the n-th string leaf (modulo their number) with this text.
    StringLeaf {
        /// Which leaf.
        index: u16,
        /// The new text.
        text: String,
    },
}

/// A step down a JSON tree.
enum Step {
    Key(String),
    Index(usize),
}

fn child_mut<'a>(node: &'a mut Value, step: &Step) -> Option<&'a mut Value> {
    match (node, step) {
        (Value::Object(map), Step::Key(k)) => map.get_mut(k),
        (Value::Array(items), Step::Index(i)) => items.get_mut(*i),
        _ => None,
    }
}

/// Resolves child indexes into concrete steps, stopping at a leaf.
fn resolve(root: &Value, path: &[u16]) -> Vec<Step> {
    let mut steps = Vec::new();
    let mut node = root;
    for &i in path {
        let i = usize::from(i);
        match node {
            Value::Object(map) if !map.is_empty() => {
                let (k, v) = map.iter().nth(i % map.len()).expect("index below len");
                steps.push(Step::Key(k.clone()));
                node = v;
            }
            Value::Array(items) if !items.is_empty() => {
                let j = i % items.len();
                steps.push(Step::Index(j));
                node = &items[j];
            }
            _ => break,
        }
    }
    steps
}

fn edit_at(root: &mut Value, path: &[u16], edit: &Edit) {
    let steps = resolve(root, path);
    let Some((last, parents)) = steps.split_last() else {
        // The root itself: only replacements apply.
        if let Some(v) = replacement(edit, None) {
            *root = v;
        }
        return;
    };
    let mut parent = root;
    for s in parents {
        parent = child_mut(parent, s).expect("resolved path exists");
    }
    match (edit, &mut *parent, last) {
        (Edit::Remove, Value::Object(map), Step::Key(k)) => {
            map.remove(k);
        }
        (Edit::Remove, Value::Array(items), Step::Index(i)) => {
            items.remove(*i);
        }
        (Edit::Duplicate, Value::Array(items), Step::Index(i)) => {
            let copy = items[*i].clone();
            items.insert(*i, copy);
        }
        (Edit::CopySibling(n), _, _) => {
            let sibling = match &*parent {
                Value::Object(map) => map.values().nth(usize::from(*n) % map.len()).cloned(),
                Value::Array(items) => items.get(usize::from(*n) % items.len()).cloned(),
                _ => None,
            };
            if let (Some(v), Some(slot)) = (sibling, child_mut(parent, last)) {
                *slot = v;
            }
        }
        _ => {
            if let (Some(v), Some(slot)) = (replacement(edit, None), child_mut(parent, last)) {
                *slot = v;
            }
        }
    }
}

fn replacement(edit: &Edit, _old: Option<&Value>) -> Option<Value> {
    Some(match edit {
        Edit::Str(s) => json!(s),
        Edit::Int(i) => json!(i),
        Edit::Float(f) => json!(f),
        Edit::Bool(b) => json!(b),
        Edit::Null => Value::Null,
        Edit::EmptyArray => json!([]),
        Edit::EmptyObject => json!({}),
        Edit::Raw(text) => serde_json::from_str(text).ok()?,
        Edit::Remove | Edit::CopySibling(_) | Edit::Duplicate => return None,
    })
}

fn nth_string_leaf<'a>(node: &'a mut Value, n: &mut usize) -> Option<&'a mut Value> {
    match node {
        Value::String(_) => {
            if *n == 0 {
                Some(node)
            } else {
                *n -= 1;
                None
            }
        }
        Value::Array(items) => items.iter_mut().find_map(|v| nth_string_leaf(v, n)),
        Value::Object(map) => map.values_mut().find_map(|v| nth_string_leaf(v, n)),
        _ => None,
    }
}

fn count_string_leaves(node: &Value) -> usize {
    match node {
        Value::String(_) => 1,
        Value::Array(items) => items.iter().map(count_string_leaves).sum(),
        Value::Object(map) => map.values().map(count_string_leaves).sum(),
        _ => 0,
    }
}

/// Applies the mutations in order.
pub fn mutate(root: &mut Value, mutations: &[Mutation]) {
    for m in mutations {
        match m {
            Mutation::At { path, edit } => edit_at(root, path, edit),
            Mutation::StringLeaf { index, text } => {
                let count = count_string_leaves(root);
                if count > 0 {
                    let mut n = usize::from(*index) % count;
                    if let Some(leaf) = nth_string_leaf(root, &mut n) {
                        *leaf = json!(text);
                    }
                }
            }
        }
    }
}

/// A value for a field: chosen among typical valid and invalid values of its type, or free.
#[derive(Arbitrary, Debug, Clone)]
pub enum FieldValue {
    /// The n-th sample of the field's type (modulo their number).
    Sample(u8),
    /// Any string.
    Text(String),
    /// Any integer.
    Int(i64),
    /// A boolean.
    Bool(bool),
    /// `null`, which clears.
    Null,
    /// JSON text, when it parses (else `null`).
    Raw(String),
}

impl FieldValue {
    /// The JSON value for this field.
    pub fn to_json(&self, field: Option<&FieldDef>) -> Value {
        match self {
            FieldValue::Sample(n) => {
                let samples = samples(field);
                samples[usize::from(*n) % samples.len()].clone()
            }
            FieldValue::Text(s) => json!(s),
            FieldValue::Int(i) => json!(i),
            FieldValue::Bool(b) => json!(b),
            FieldValue::Null => Value::Null,
            FieldValue::Raw(text) => serde_json::from_str(text).unwrap_or(Value::Null),
        }
    }
}

/// Sample values of a field's type, valid ones first.
fn samples(field: Option<&FieldDef>) -> Vec<Value> {
    let Some(field) = field else {
        return vec![json!("x"), json!(1), json!(null)];
    };
    let mut out = match field.field_type {
        FieldType::Integer => vec![json!(50), json!(0), json!(-3), json!("7")],
        FieldType::Decimal => vec![json!("12.50"), json!("abc"), json!(3)],
        FieldType::Money => vec![
            json!({ "amount": "100", "currency": "RUB" }),
            json!({ "amount": "1.234", "currency": "EUR" }),
            json!({ "amount": "-1", "currency": "RUB" }),
            json!({ "amount": "79228162514264337593543950335", "currency": "RUB" }),
        ],
        FieldType::Percent => vec![json!("30"), json!(100), json!("100.5"), json!("-1")],
        FieldType::Date => vec![
            json!("2026-12-01"),
            json!("2026-12-31"),
            json!("2026-02-30"),
            json!("9999-12-31"),
        ],
        FieldType::DateTime => vec![
            json!("2026-12-01T10:00:00+03:00"),
            json!("2026-11-26T10:00:00Z"),
            json!("yesterday"),
        ],
        FieldType::YesNo => vec![json!(true), json!(false), json!("yes")],
        FieldType::Choice => {
            let mut v: Vec<Value> = field.options.iter().map(|o| json!(o.code)).collect();
            if let Some(other) = &field.other {
                v.push(json!({ "option": other.code, "text": "Something else" }));
            }
            let codes: Vec<&str> = field.options.iter().map(|o| o.code.as_str()).collect();
            v.push(json!(codes));
            v
        }
        FieldType::Email => vec![json!("maria@greenfood.example"), json!("maria@")],
        FieldType::Phone => vec![json!("+7 495 123-45-67"), json!("12345")],
        FieldType::Url => vec![json!("https://greenfood.example"), json!("greenfood")],
        FieldType::Address => vec![
            json!({ "country": "RU", "city": "Kazan", "street": "Baumana 5" }),
            json!({ "country": "RU" }),
        ],
        FieldType::PersonName => vec![
            json!({ "last": "Petrova", "first": "Maria" }),
            json!({ "first": "Maria" }),
        ],
        FieldType::File => vec![
            json!({ "id": "f-1", "name": "scan.pdf" }),
            json!([{ "id": "f-1", "name": "scan.pdf" }, { "id": "f-2", "name": "b.pdf" }]),
        ],
        FieldType::LineItems => vec![
            json!([{ "name": "Box", "quantity": "10", "unit": "pcs", "price": "1.50", "vat_rate": "20" }]),
            json!([{ "name": "Box", "quantity": "0", "unit": "pcs", "price": "1", "vat_rate": "20" }]),
            json!([{ "name": "Box", "quantity": "79228162514264337593543950335", "unit": "pcs", "price": "79228162514264337593543950335", "vat_rate": "20" }]),
        ],
        _ => vec![json!("Green Food"), json!("  padded  ")],
    };
    out.extend([json!(""), json!([]), json!({})]);
    out
}
