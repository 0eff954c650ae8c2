//! The JSON path of a shape error is found from the position serde_json reports
//! (`decode_json` decodes without a path-tracking wrapper). These tests break valid
//! definitions, records, commands and event lists in many ways and check that the error —
//! path, message, line and column — is exactly what decoding through `serde_path_to_error`
//! (the wrapper it replaced) reports.

use std::fs;
use std::path::Path;

use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use voronka::api::ModelOptions;
use voronka::error::DecodeError;
use voronka::{Command, Definition, Event, Record, decode_json};

/// A shape error as the path-tracking decoder reports it: path, message, line, column.
fn tracked<T: DeserializeOwned>(text: &str) -> Option<(String, String, usize, usize)> {
    let mut de = serde_json::Deserializer::from_str(text);
    let err = serde_path_to_error::deserialize::<_, T>(&mut de).err()?;
    let path = err.path().to_string();
    let inner = err.into_inner();
    if inner.is_syntax() || inner.is_eof() {
        return None;
    }
    let message = inner.to_string();
    let message = match message.rfind(" at line ") {
        Some(at) => message[..at].to_string(),
        None => message,
    };
    let path = if path == "." { String::new() } else { path };
    Some((path, message, inner.line(), inner.column()))
}

/// Checks `text` against the path-tracking decoder; whether it was a shape error.
fn same<T: DeserializeOwned>(text: &str) -> bool {
    let Some(want) = tracked::<T>(text) else {
        return false;
    };
    match decode_json::<T>(text) {
        Err(DecodeError::InvalidShape {
            path,
            message,
            line,
            column,
        }) => assert_eq!((path, message, line, column), want, "in {text}"),
        other => panic!("expected {want:?}, got {:?} in {text}", other.err()),
    }
    true
}

/// Every JSON pointer in `value`, each node once.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                pointers(
                    v,
                    format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                pointers(v, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
    out.push(at);
}

/// `value` changed at `pointer`: replaced by each of `others`, and when it is an object, with
/// each of its members removed and with an unknown member of each of `unknowns` added.
fn changed(value: &Value, pointer: &str, others: &[Value], unknowns: &[Value]) -> Vec<Value> {
    let mut values = Vec::new();
    let mut with = |f: &dyn Fn(&mut Value)| {
        let mut v = value.clone();
        if let Some(node) = v.pointer_mut(pointer) {
            f(node);
            values.push(v);
        }
    };
    for other in others {
        with(&|node| *node = other.clone());
    }
    if let Some(Value::Object(map)) = value.pointer(pointer) {
        for key in map.keys() {
            with(&|node| {
                if let Value::Object(m) = node {
                    m.remove(key);
                }
            });
        }
        for unknown in unknowns {
            with(&|node| {
                if let Value::Object(m) = node {
                    m.insert("zz_unknown".into(), unknown.clone());
                }
            });
        }
        // Every member but the tag renamed.
        with(&|node| {
            if let Value::Object(m) = node {
                let renamed: serde_json::Map<String, Value> = std::mem::take(m)
                    .into_iter()
                    .map(|(k, v)| (if k == "type" { k } else { format!("{k}_x") }, v))
                    .collect();
                *m = renamed;
            }
        });
    }
    values
}

/// `value` broken at `pointer` in several ways: other types, a removed or unknown or
/// renamed or duplicated member, an unknown variant.
fn broken(value: &Value, pointer: &str) -> Vec<String> {
    let others = [
        json!(7),
        json!(-1.5),
        json!("bogus"),
        json!(true),
        Value::Null,
        json!([]),
        json!({}),
        json!([1]),
        json!({"zz": 1}),
    ];
    let mut texts = Vec::new();
    for v in changed(value, pointer, &others, &[json!(1)]) {
        texts.push(serde_json::to_string(&v).expect("serializes"));
        texts.push(serde_json::to_string_pretty(&v).expect("serializes"));
    }
    // A member given twice: the first key of the object repeated at its end.
    let text = serde_json::to_string(value).expect("serializes");
    if let Some(Value::Object(map)) = value.pointer(pointer)
        && let Some((k, v)) = map.iter().next()
    {
        let mut node = serde_json::to_string(&value.pointer(pointer)).expect("serializes");
        node.pop();
        let dup = format!("{node},{}:{}}}", json!(k), v);
        let whole =
            serde_json::to_string(value.pointer(pointer).expect("exists")).expect("serializes");
        if let Some(at) = text.find(&whole) {
            texts.push(format!(
                "{}{}{}",
                &text[..at],
                dup,
                &text[at + whole.len()..]
            ));
        }
    }
    texts
}

/// Breaks `value` everywhere (every `step`-th node) and compares; how many shape errors.
fn compare<T: DeserializeOwned>(value: &Value, step: usize) -> usize {
    let mut all = Vec::new();
    pointers(value, String::new(), &mut all);
    let mut shapes = 0;
    for pointer in all.iter().step_by(step) {
        for text in broken(value, pointer) {
            shapes += usize::from(same::<T>(&text));
        }
    }
    shapes
}

fn fixtures() -> Vec<Value> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/conformance");
    let mut names: Vec<_> = fs::read_dir(&dir)
        .expect("conformance fixtures")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    names.sort();
    names
        .iter()
        .map(|p| serde_json::from_str(&fs::read_to_string(p).expect("readable")).expect("JSON"))
        .collect()
}

#[test]
fn broken_commands_records_and_events_name_the_tracked_path() {
    let (mut commands, mut records, mut events) = (0, 0, 0);
    // A sample of the fixtures and of the nodes keeps the test quick; they share their shapes.
    for fixture in fixtures().iter().step_by(11) {
        for step in fixture["steps"].as_array().into_iter().flatten() {
            if step["command"].is_object() {
                commands += compare::<Command>(&step["command"], 2);
            }
            if let Some(list) = step["expect"]["events"].as_array() {
                events += compare::<Vec<Event>>(&Value::Array(list.clone()), 5);
            }
        }
        if fixture["record"].is_object() {
            records += compare::<Record>(&fixture["record"], 3);
        }
    }
    // The comparisons ran on real shape errors.
    assert!(
        commands > 100 && records > 100 && events > 100,
        "{commands} {records} {events}"
    );
}

#[test]
fn broken_definitions_and_options_name_the_tracked_path() {
    let definition: Value =
        serde_json::from_str(voronka::examples::ECO_PACKAGING).expect("the example is JSON");
    assert!(compare::<Definition>(&definition, 149) > 100);
    let options = json!({"limits": {"input_bytes": 10, "json_depth": 5}});
    assert!(compare::<ModelOptions>(&options, 1) > 5);
}

/// The path `decode_json` names for a shape error of `T`, after checking it against the
/// path-tracking decoder.
fn path_of<T: DeserializeOwned>(text: &str) -> String {
    assert!(same::<T>(text), "not a shape error: {text}");
    match decode_json::<T>(text) {
        Err(DecodeError::InvalidShape { path, .. }) => path,
        _ => unreachable!("checked by same"),
    }
}

#[test]
fn late_errors_of_last_members_and_containers_own_errors_differ() {
    const NOW: &str = r#""now": "2026-11-27T09:00:00Z""#;
    // A tagged action missing its field, last in the command: its error comes after the
    // command's closing brace, yet belongs to `action`.
    let late = format!(r#"{{"actor": {{"user": "u"}}, {NOW}, "action": {{"type": "move"}} }}"#);
    assert_eq!(path_of::<Command>(&late), "action");
    // The command's own missing field comes at the same place and belongs to the command.
    let own = r#"{"actor": {"user": "u"}, "action": {"type": "tick"}}"#;
    assert_eq!(path_of::<Command>(own), "");
    // A bad tagged action that is not last.
    let first =
        format!(r#"{{"action": {{"type": "move", "to": 5}} , "actor": {{"user": "u"}}, {NOW}}}"#);
    assert_eq!(path_of::<Command>(&first), "action");
    // A duplicated field is the object's error, an unknown one the key's.
    assert_eq!(path_of::<Command>(&format!(r#"{{{NOW}, "now" : 1}}"#)), "");
    assert_eq!(path_of::<Command>(&format!(r#"{{{NOW}, "zz" : 1}}"#)), "zz");
    // A late error of an event that is not last in the list: after the comma that follows it.
    let events = r#"[{"version": 1, "at": "2026-11-27T09:00:00Z", "actor": "u", "type": "exploded"},
        {"version": 2, "at": "2026-11-27T09:00:00Z", "actor": "u", "type": "exploded"}]"#;
    assert_eq!(path_of::<Vec<Event>>(events), "[0]");
}

/// `value` as JSON text with every object's `type` first, as JavaScript writes objects built
/// tag first (serde_json sorts it among the others); the object at `repeat` gets its `type`
/// once more at its end.
fn tag_first(value: &Value, at: &str, repeat: &str, out: &mut String) {
    match value {
        Value::Object(map) => {
            out.push('{');
            let mut members: Vec<_> = map.iter().collect();
            members.sort_by_key(|(k, _)| *k != "type");
            for (i, (k, v)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&json!(k).to_string());
                out.push(':');
                tag_first(v, &format!("{at}/{k}"), repeat, out);
            }
            if at == repeat
                && let Some(tag) = map.get("type")
            {
                out.push_str(&format!(",\"type\":{tag}"));
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                tag_first(v, &format!("{at}/{i}"), repeat, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// Texts of `value` broken at `pointer`, tags first: other values (among them a lone
/// surrogate and a number out of range, which capturing a member as text does not check),
/// a member removed, unknown ones added, members renamed, the tag repeated.
fn broken_tag_first(value: &Value, pointer: &str) -> Vec<String> {
    let others = [
        json!(7),
        json!("bogus"),
        json!("tick"),
        Value::Null,
        json!([]),
        json!({}),
        json!({"type": "move"}),
        json!("LONE"),
        json!("HUGE"),
    ];
    let unknowns = [json!(1), json!("LONE"), json!("HUGE")];
    let values = changed(value, pointer, &others, &unknowns);
    let text = |v: &Value, repeat: &str| {
        let mut out = String::new();
        tag_first(v, "", repeat, &mut out);
        out.replace("\"LONE\"", "\"\\ud800\"")
            .replace("\"HUGE\"", "1e400")
    };
    let mut texts: Vec<String> = values.iter().map(|v| text(v, "")).collect();
    texts.push(text(value, pointer));
    texts
}

#[test]
fn commands_written_tag_first_decode_as_serde_decodes_them() {
    // `decode_json` decodes a command's action as it reads it when the tag comes first, and
    // again as serde does only when that fails: it must decode exactly what serde decodes
    // (and fail where serde fails, which the tests above check for the errors' places).
    let mut outcomes = [0, 0];
    for fixture in fixtures() {
        for step in fixture["steps"].as_array().into_iter().flatten() {
            let command = &step["command"];
            if !command.is_object() {
                continue;
            }
            let mut all = Vec::new();
            pointers(command, String::new(), &mut all);
            for pointer in &all {
                for text in broken_tag_first(command, pointer) {
                    let serde = serde_json::from_str::<Command>(&text).ok();
                    let ours = decode_json::<Command>(&text).ok();
                    let short: String = text.chars().take(300).collect();
                    assert!(ours == serde, "{ours:?} but serde {serde:?} from {short}");
                    outcomes[usize::from(serde.is_none())] += 1;
                }
            }
        }
    }
    // Both outcomes were compared many times.
    assert!(outcomes[0] > 300 && outcomes[1] > 300, "{outcomes:?}");
}
