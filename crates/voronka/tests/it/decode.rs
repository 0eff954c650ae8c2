//! Decoding bad input: malformed JSON gives line and column, a wrong shape gives the JSON
//! path, and no input makes the library panic.

use proptest::prelude::*;
use serde_json::json;
use voronka::error::DecodeError;
use voronka::{Command, Definition, Error, ErrorCode, Lang, Model, Record, decode_json};

use crate::support::{self, Scenario, model};

fn malformed<T: serde::de::DeserializeOwned + std::fmt::Debug>(text: &str) -> (usize, usize) {
    match decode_json::<T>(text) {
        Err(DecodeError::MalformedJson { line, column, .. }) => (line, column),
        other => panic!("expected malformed JSON, got {other:?}"),
    }
}

fn shape<T: serde::de::DeserializeOwned + std::fmt::Debug>(text: &str) -> (String, String) {
    match decode_json::<T>(text) {
        Err(DecodeError::InvalidShape { path, message, .. }) => (path, message),
        other => panic!("expected a shape error, got {other:?}"),
    }
}

const NOW: &str = "2026-11-27T09:00:00Z";

#[test]
fn malformed_records_and_commands_give_line_and_column() {
    // A bare word where a value belongs: line 3, column 13.
    let record = "{\n  \"id\": \"d\",\n  \"entity\": deal\n}";
    assert_eq!(malformed::<Record>(record), (3, 13));
    // A missing comma between members: line 2, column 3 (the second member).
    let command = format!(
        "{{\"actor\": {{\"user\": \"u-anna\"}}\n  \"now\": \"{NOW}\", \"action\": {{\"type\": \"set_fields\", \"fields\": {{}}}}}}"
    );
    assert_eq!(malformed::<Command>(&command), (2, 3));
    // Truncated input: the position is the end.
    assert_eq!(malformed::<Command>("{\"actor\": {\"user\""), (1, 17));
    // Trailing garbage after a valid value.
    let good = serde_json::to_string(&Scenario::deal().record().clone()).expect("serializable");
    let (line, _) = malformed::<Record>(&format!("{good}\n]"));
    assert_eq!(line, 2);

    let err = decode_json::<Command>("{").expect_err("malformed");
    assert_eq!(err.code(), ErrorCode::MalformedJson);
    let report = Error::from(err).report(Lang::En);
    assert_eq!(report.code, 1001);
    assert_eq!(report.name, "malformed_json");
    assert_eq!(report.path, None);
    assert_eq!(report.details, json!({ "line": 1, "column": 1 }));
}

#[test]
fn a_wrong_type_gives_the_path() {
    let record = format!(
        r#"{{"id": "d", "entity": "deal", "pipeline": "deals", "stage": "contact", "version": "one",
            "created_at": "{NOW}", "updated_at": "{NOW}", "stage_entered_at": "{NOW}"}}"#
    );
    let (path, message) = shape::<Record>(&record);
    assert_eq!(path, "version");
    assert!(message.contains("expected u64"), "{message}");

    let record = format!(
        r#"{{"id": "d", "entity": "deal", "pipeline": "deals", "stage": "contact", "version": 1,
            "created_at": "{NOW}", "updated_at": "{NOW}", "stage_entered_at": "{NOW}",
            "created_by": "u", "timers": [{{"id": "t-1", "due": "{NOW}", "automation": 7}}]}}"#
    );
    assert_eq!(shape::<Record>(&record).0, "timers[0].automation");

    let command = |rest: &str| format!(r#"{{"actor": {{"user": "u-anna"}}, {rest}}}"#);
    let (path, _) = shape::<Command>(&command(
        r#""now": "tomorrow", "action": {"type": "move", "to": "offer"}"#,
    ));
    assert_eq!(path, "now");
    let (path, _) = shape::<Command>(&command(&format!(
        r#""now": "{NOW}", "expected_version": -1, "action": {{"type": "set_fields", "fields": {{}}}}"#
    )));
    assert_eq!(path, "expected_version");
    let (path, message) = shape::<Command>(&command(&format!(
        r#""now": "{NOW}", "action": {{"type": "delete"}}"#
    )));
    assert_eq!(path, "action.type");
    assert!(message.contains("unknown variant `delete`"), "{message}");
    // Inside an action the path stops at the action (serde buffers tagged enums).
    let (path, message) = shape::<Command>(&command(&format!(
        r#""now": "{NOW}", "action": {{"type": "move", "to": 5}}"#
    )));
    assert!(path.starts_with("action"), "{path}");
    assert!(message.contains("expected a string"), "{message}");

    let report = Error::from(
        decode_json::<Command>(&command(r#""now": 5, "action": {}"#)).expect_err("wrong type"),
    )
    .report(Lang::En);
    assert_eq!((report.code, report.path.as_deref()), (1002, Some("now")));
}

#[test]
fn unknown_keys_in_commands_and_records_are_rejected() {
    let (path, message) = shape::<Command>(&format!(
        r#"{{"actor": {{"user": "u", "team": "sales"}}, "now": "{NOW}", "action": {{"type": "set_fields", "fields": {{}}}}}}"#
    ));
    assert_eq!(path, "actor.team");
    assert!(message.contains("unknown field `team`"), "{message}");
    let (_, message) = shape::<Command>(&format!(
        r#"{{"actor": {{"user": "u"}}, "now": "{NOW}", "action": {{"type": "move", "to": "offer", "reason": "x"}}}}"#
    ));
    assert!(message.contains("unknown field `reason`"), "{message}");
    let (path, _) = shape::<Command>(&format!(
        r#"{{"actor": {{"user": "u"}}, "now": "{NOW}", "action": {{"type": "move", "to": "offer"}}, "retry": true}}"#
    ));
    assert_eq!(path, "retry");
    let mut record = serde_json::to_value(Scenario::deal().record()).expect("serializable");
    record["colour"] = json!("green");
    assert_eq!(shape::<Record>(&record.to_string()).0, "colour");
}

#[test]
fn conditions_with_unknown_or_mixed_keys_are_rejected() {
    // `{"field", "equals", "filled"}` must not silently become a "filled" test.
    let mut def: serde_json::Value =
        serde_json::from_str(voronka::examples::ECO_PACKAGING).expect("valid JSON");
    def["pipelines"][0]["stages"][5]["requires"][1]["when"]["filled"] = json!(true);
    let (path, _) = shape::<Definition>(&def.to_string());
    assert_eq!(path, "pipelines[0].stages[5].requires[1]");

    let mut def: serde_json::Value =
        serde_json::from_str(voronka::examples::ECO_PACKAGING).expect("valid JSON");
    def["pipelines"][0]["stages"][5]["requires"][1]["when"]["colour"] = json!("green");
    assert_eq!(
        Model::from_json(&def.to_string())
            .expect_err("unknown key")
            .code(),
        ErrorCode::InvalidShape
    );
}

/// Valid JSON texts to damage.
/// Tagged actions and events are read without serde's buffer (`src/tagged.rs`); what they
/// accept and the errors they give are serde's.
#[test]
fn tagged_enums_read_the_tag_anywhere_and_keep_serdes_errors() {
    let command = |action: &str| {
        format!(r#"{{"actor": {{"user": "u"}}, "now": "{NOW}", "action": {action}}}"#)
    };
    // The tag may come last, and a unit variant ignores other members, as with serde.
    let moved: Command = decode_json(&command(r#"{"to": "won", "type": "move"}"#)).expect("valid");
    assert_eq!(
        serde_json::to_value(&moved.action).expect("serializable"),
        json!({"type": "move", "to": "won", "fields": {}})
    );
    decode_json::<Command>(&command(r#"{"type": "tick", "extra": 1}"#)).expect("tick ignores it");
    // serde's messages: a missing or repeated tag, an unknown variant (where the tag stands),
    // a missing or unknown member (at the action, after it).
    let cases = [
        (r#"{"to": "won"}"#, "action", "missing field `type`"),
        (
            r#"{"type": "tick", "type": "tick"}"#,
            "action",
            "duplicate field `type`",
        ),
        (
            r#"{"type": "jump"}"#,
            "action.type",
            "unknown variant `jump`, expected one of `create`, `set_fields`, `move`, `tick`, `complete_task`, `answer_form`, `check_item`, `resolve_duplicates`, `signal`, `capture_lead`",
        ),
        (r#"{"type": "move"}"#, "action", "missing field `to`"),
        (
            r#"{"type": "move", "to": "won", "to": "lost"}"#,
            "action",
            "duplicate field `to`",
        ),
        (
            r#"{"type": "move", "to": 5}"#,
            "action",
            "invalid type: integer `5`, expected a string",
        ),
        (
            r#"{"type": "tick", "type": 5}"#,
            "action",
            "duplicate field `type`",
        ),
        (
            r#"{"type": 5}"#,
            "action.type",
            "invalid type: integer `5`, expected variant identifier",
        ),
        (
            r#"7"#,
            "action",
            "invalid type: integer `7`, expected internally tagged enum Action",
        ),
        // Arrays are not a form of actions (serde's buffer took `["tick"]`).
        (
            r#"["tick"]"#,
            "action[0]",
            "invalid type: sequence, expected internally tagged enum Action",
        ),
    ];
    for (action, path, message) in cases {
        assert_eq!(
            shape::<Command>(&command(action)),
            (path.to_string(), message.to_string()),
            "{action}"
        );
    }
    // A syntax error inside a tagged member is malformed JSON where it stands, as before,
    // though the member is parsed after the object.
    for action in [
        r#"{"type": "move", "to": "\ud800x"}"#,
        r#"{"type": "set_fields", "fields": {"amount": 1e400}}"#,
        r#"{"type": "tick", "ignored": "\ud800x"}"#,
    ] {
        let text = command(action);
        let full = serde_json::from_str::<serde_json::Value>(&text).expect_err("not JSON");
        assert_eq!(
            malformed::<Command>(&text),
            (full.line(), full.column()),
            "{action}"
        );
    }
    // An event's change: its tag is read after the event's own members, and a number names
    // the variant by its index, as serde's buffer did.
    let event =
        |change: &str| format!(r#"[{{"version": 1, "at": "{NOW}", "actor": "u", {change}}}]"#);
    let events: Vec<voronka::Event> =
        decode_json(&event(r#""to": "b", "type": 3, "from": "a""#)).expect("index 3");
    assert_eq!(
        serde_json::to_value(&events[0]).expect("serializable")["type"],
        json!("stage_changed")
    );
    assert_eq!(
        shape::<Vec<voronka::Event>>(&event(r#""type": "exploded""#)).0,
        "[0]"
    );
    assert_eq!(
        shape::<Vec<voronka::Event>>(&event(r#""type": 99"#)).1,
        "invalid value: integer `99`, expected variant index 0 <= i < 22"
    );
    assert_eq!(
        shape::<Vec<voronka::Event>>(
            r#"[{"at": "2026-11-27T09:00:00Z", "actor": "u", "type": "exploded"}]"#
        )
        .1,
        "missing field `version`"
    );
}

fn samples() -> Vec<String> {
    let s = Scenario::deal_at("offer");
    let command = s.command(&support::head(), support::override_to("negotiation", "x"));
    vec![
        serde_json::to_string(&command).expect("serializable"),
        serde_json::to_string(s.record()).expect("serializable"),
        voronka::examples::ECO_PACKAGING.to_string(),
    ]
}

/// A valid text with a few bytes replaced, inserted or cut off.
fn damaged() -> impl Strategy<Value = String> {
    (
        0..3usize,
        prop::collection::vec((any::<prop::sample::Index>(), 0..3u8, any::<char>()), 1..4),
    )
        .prop_map(|(which, edits)| {
            let mut text: Vec<char> = samples()[which].chars().collect();
            for (at, kind, c) in edits {
                if text.is_empty() {
                    break;
                }
                let i = at.index(text.len());
                match kind {
                    0 => text[i] = c,
                    1 => text.insert(i, c),
                    _ => text.truncate(i),
                }
            }
            text.into_iter().collect()
        })
}

/// Whatever the input, decoding returns a value or an error; a decoded command or record is
/// then decided on without panicking either.
fn no_panic(text: &str) {
    let _ = Model::from_json(text);
    let deal = Scenario::deal_at("negotiation");
    if let Ok(command) = decode_json::<Command>(text) {
        let _ = model().decide(Some(deal.record()), &command);
        let _ = model().decide(None, &command);
    }
    if let Ok(record) = decode_json::<Record>(text) {
        let _ = model().requirements(&record, "offer");
        let _ = model().next_stages(&record);
        let command = deal.command(&support::head(), support::override_to("lost", "y"));
        let _ = model().decide(Some(&record), &command);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_strings_never_panic(text in ".{0,200}") {
        no_panic(&text);
    }

    #[test]
    fn damaged_json_never_panics(text in damaged()) {
        no_panic(&text);
    }

    #[test]
    fn arbitrary_json_never_panics(value in arbitrary_json()) {
        no_panic(&value.to_string());
        // Also as the fields of a command.
        let mut deal = Scenario::deal();
        let action = voronka::Action::SetFields {
            fields: [("website".to_string(), value.clone()), ("cost".to_string(), value.clone()),
                     ("offer_items".to_string(), value.clone()), ("company_type".to_string(), value)]
                .into_iter()
                .collect(),
        };
        let _ = deal.try_(&support::manager(), action);
    }
}

fn arbitrary_json() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(json!(null)),
        any::<bool>().prop_map(|b| json!(b)),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| json!(f)),
        ".{0,12}".prop_map(|s| json!(s)),
        Just(json!("other")),
        Just(json!("79228162514264337593543950336")),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::Array),
            prop::collection::btree_map(
                prop::sample::select(vec![
                    "amount", "currency", "option", "text", "name", "quantity", "unit", "price",
                    "vat_rate", "id", "type", "to", "x"
                ])
                .prop_map(String::from),
                inner,
                0..5
            )
            .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

#[test]
fn a_command_built_with_setters_is_the_command_decoded_from_json() {
    let now: chrono::DateTime<chrono::Utc> = "2026-11-27T09:00:00Z".parse().expect("a moment");
    let built = Command::new(
        voronka::Actor::new("u-anna", &["manager"]),
        now,
        voronka::Action::Tick,
    )
    .expecting_version(3)
    .with_idempotency_key("k-1");
    let decoded: Command = decode_json(
        r#"{"actor": {"user": "u-anna", "roles": ["manager"]}, "now": "2026-11-27T09:00:00Z",
            "expected_version": 3, "idempotency_key": "k-1", "action": {"type": "tick"}}"#,
    )
    .expect("a valid command");
    assert_eq!(built, decoded);
    assert_eq!(built.org, None);
}
