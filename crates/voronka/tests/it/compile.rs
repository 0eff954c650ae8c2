//! Compile errors: a broken definition reports every problem at once with its path and code;
//! bad JSON reports where it is bad.

use serde_json::{Value, json};
use voronka::error::DecodeError;
use voronka::{Definition, Error, ErrorCode, Lang, LoadError, Model, decode_json};

fn label(en: &str) -> Value {
    json!({ "en": en, "ru": format!("{en} (ru)") })
}

/// A definition with many problems, each in its own place.
fn broken() -> Value {
    json!({
        "format": 1,
        "code": "broken",
        "label": label("Broken"),
        "roles": [{ "code": "manager", "label": label("Manager") }],
        "entities": [{
            "code": "deal", "kind": "deal", "label": label("Deal"),
            "fields": [
                { "code": "website", "type": "url", "label": label("Website") },
                { "code": "kind", "type": "choice", "label": label("Kind"),
                  "options": [{ "code": "retail", "label": label("Retail") }] },
                // options on a text field
                { "code": "notes", "type": "text", "label": label("Notes"),
                  "options": [{ "code": "a", "label": label("A") }] },
                // not a code
                { "code": "Bad-Code", "type": "text", "label": label("Bad") },
                // nobody may edit it
                { "code": "locked", "type": "text", "label": label("Locked"), "editable_by": [] },
                // unknown role
                { "code": "approver", "type": "user", "label": label("Approver"),
                  "editable_by": ["auditor"] }
            ]
        }],
        "pipelines": [
            {
                "code": "sales", "entity": "deal", "label": label("Sales"),
                "stages": [
                    { "code": "new", "label": label("New") },
                    // unknown field in a requirement
                    { "code": "offer", "label": label("Offer"), "requires": ["website", "budget"] },
                    // duplicate stage code
                    { "code": "offer", "label": label("Offer again") },
                    // a field nobody may fill; a condition value that is not an option
                    { "code": "signed", "label": label("Signed"), "requires": [
                        "locked",
                        { "field": "website", "when": { "field": "kind", "equals": "wholesale" } }
                    ] },
                    { "code": "won", "label": label("Won"), "semantics": "won" },
                    // nothing leads here
                    { "code": "archive", "label": label("Archive"), "side": true }
                ],
                // a move to an unknown stage
                "moves": { "extra": [{ "from": "signed", "to": "shipped" }] },
                // an unknown role
                "permissions": { "move": ["manager", "sales_boss"] }
            },
            {
                // no won stage
                "code": "support", "entity": "deal", "label": label("Support"),
                "stages": [
                    { "code": "open", "label": label("Open") },
                    { "code": "closed", "label": label("Closed"), "semantics": "lost" }
                ]
            }
        ]
    })
}

#[test]
fn a_broken_definition_reports_every_problem_at_once() {
    let definition: Definition =
        serde_json::from_value(broken()).expect("the shape is right, the content is not");
    let errors = match Model::compile(definition) {
        Ok(_) => panic!("a broken definition compiled"),
        Err(errors) => errors,
    };
    let got: Vec<(ErrorCode, &str)> = errors.0.iter().map(|d| (d.code, d.path.as_str())).collect();
    use ErrorCode as C;
    assert_eq!(
        got,
        [
            (C::AttributeNotApplicable, "entities[0].fields[2].options"),
            (C::InvalidCode, "entities[0].fields[3].code"),
            (C::UnknownRole, "entities[0].fields[5].editable_by[0]"),
            (C::UnknownRole, "pipelines[0].permissions.move[1]"),
            (C::DuplicateCode, "pipelines[0].stages[2].code"),
            (C::UnknownField, "pipelines[0].stages[1].requires[1]"),
            (C::NeverFillable, "pipelines[0].stages[3].requires[0]"),
            (
                C::InvalidConditionValue,
                "pipelines[0].stages[3].requires[1].when.equals"
            ),
            (C::UnknownStage, "pipelines[0].moves.extra[0].to"),
            (C::UnreachableStage, "pipelines[0].stages[5]"),
            (C::NoWonStage, "pipelines[1].stages"),
        ]
    );
    // Each problem is explained in both languages, naming what is wrong.
    let by_code = |code| errors.0.iter().find(|d| d.code == code).expect("reported");
    assert_eq!(
        by_code(C::UnknownField).message(Lang::En),
        "entity \"deal\" has no field \"budget\""
    );
    assert_eq!(
        by_code(C::UnknownField).message(Lang::Ru),
        "у сущности «deal» нет поля «budget»"
    );
    assert_eq!(
        by_code(C::UnknownRole).message(Lang::En),
        "unknown role \"auditor\""
    );
    assert_eq!(
        by_code(C::AttributeNotApplicable).message(Lang::En),
        "\"options\" does not apply to a text field"
    );
    assert!(
        by_code(C::InvalidConditionValue)
            .message(Lang::En)
            .contains("\"wholesale\"")
    );
    assert!(by_code(C::NoWonStage).message(Lang::Ru).contains("support"));

    // The same through JSON, and as a language-neutral report.
    let text = serde_json::to_string_pretty(&broken()).expect("serializable");
    let err = Model::from_json(&text).expect_err("broken");
    assert_eq!(err.code(), C::AttributeNotApplicable);
    assert_eq!(err.diagnostics().len(), 11);
    let report = Error::from(err).report(Lang::En);
    assert_eq!(report.code, 2014);
    assert_eq!(
        report.path.as_deref(),
        Some("entities[0].fields[2].options")
    );
    let problems = report.details["problems"].as_array().expect("a list");
    assert_eq!(problems.len(), 11);
    assert_eq!(problems[10]["name"], json!("no_won_stage"));
    assert_eq!(problems[10]["code"], json!(2010));
    assert_eq!(report.message.lines().count(), 11);
}

#[test]
fn each_problem_is_found_alone_too() {
    // Fixing all but one problem leaves exactly that one: the checks do not depend on each other.
    let mut fixed = broken();
    fixed["entities"][0]["fields"][2]
        .as_object_mut()
        .expect("object")
        .remove("options");
    fixed["entities"][0]["fields"][3]["code"] = json!("bad_code");
    fixed["entities"][0]["fields"][4]["editable_by"] = json!(["manager"]);
    fixed["entities"][0]["fields"][5]["editable_by"] = json!(["manager"]);
    fixed["pipelines"][0]["permissions"]["move"] = json!(["manager"]);
    fixed["pipelines"][0]["stages"][1]["requires"] = json!(["website"]);
    fixed["pipelines"][0]["stages"][2]["code"] = json!("review");
    fixed["pipelines"][0]["stages"][3]["requires"][1]["when"]["equals"] = json!("retail");
    fixed["pipelines"][0]["moves"]["extra"][0]["to"] = json!("archive");
    fixed["pipelines"][1]["stages"][1]["semantics"] = json!("won");
    let text = fixed.to_string();
    if let Err(e) = Model::from_json(&text) {
        panic!("{:#?}", e.diagnostics());
    }
    fixed["pipelines"][0]["moves"]["extra"] = json!([]);
    let err = Model::from_json(&fixed.to_string()).expect_err("unreachable archive");
    let got: Vec<(ErrorCode, String)> = err
        .diagnostics()
        .into_iter()
        .map(|d| (d.code, d.path))
        .collect();
    assert_eq!(
        got,
        [(
            ErrorCode::UnreachableStage,
            "pipelines[0].stages[5]".to_string()
        )]
    );
}

#[test]
fn the_eco_packaging_definition_compiles_and_round_trips() {
    let model = voronka::examples::eco_packaging().expect("compiles");
    let definition = model.definition().clone();
    let text = serde_json::to_string(&definition).expect("serializable");
    let again: Definition = decode_json(&text).expect("decodes");
    assert_eq!(again, definition);
    // The lead and deal funnels, then the processes P1–P6.
    let codes: Vec<&str> = definition
        .pipelines
        .iter()
        .map(|p| p.code.as_str())
        .collect();
    assert_eq!(
        codes,
        [
            "leads",
            "deals",
            "payment_requests",
            "document_approvals",
            "acknowledgements",
            "sick_leaves",
            "leave_requests",
            "reports"
        ]
    );
    let stages = |i: usize| -> Vec<&str> {
        definition.pipelines[i]
            .stages
            .iter()
            .map(|s| s.code.as_str())
            .collect()
    };
    // case: L1–L7 (L5 is a process, not a stage)
    assert_eq!(
        stages(0),
        [
            "new",
            "cold_call",
            "intro_call",
            "processing",
            "unqualified",
            "finished"
        ]
    );
    // case: D1–D14
    assert_eq!(
        stages(1),
        [
            "contact",
            "offer",
            "negotiation",
            "samples_prep",
            "samples_sent",
            "feedback",
            "contract",
            "prepayment",
            "production",
            "shipment",
            "payment",
            "postponed",
            "won",
            "lost"
        ]
    );
}

#[test]
fn malformed_json_gives_line_and_column() {
    let text = "{\n  \"format\": 1,\n  \"code\": \"x\"\n  \"label\": {}\n}";
    match Model::from_json(text) {
        Err(LoadError::Decode(DecodeError::MalformedJson { line, column, .. })) => {
            assert_eq!((line, column), (4, 3));
        }
        other => panic!("{other:?}"),
    }
    let err = Model::from_json(text).expect_err("malformed");
    assert_eq!(err.code(), ErrorCode::MalformedJson);
    let report = Error::from(err).report(Lang::Ru);
    assert_eq!(report.code, 1001);
    assert_eq!(report.details, json!({ "line": 4, "column": 3 }));
    assert!(
        report
            .message
            .starts_with("некорректный JSON в строке 4, столбце 3"),
        "{}",
        report.message
    );

    // Truncated input and trailing garbage are malformed too.
    let eco = voronka::examples::ECO_PACKAGING;
    let cut = &eco[..eco.len() / 2];
    assert_eq!(
        Model::from_json(cut).expect_err("cut").code(),
        ErrorCode::MalformedJson
    );
    let trailing = format!("{eco} x");
    assert_eq!(
        Model::from_json(&trailing).expect_err("trailing").code(),
        ErrorCode::MalformedJson
    );
}

fn eco() -> Value {
    serde_json::from_str(voronka::examples::ECO_PACKAGING).expect("valid JSON")
}

fn shape_error(value: &Value) -> (String, String) {
    match Model::from_json(&serde_json::to_string_pretty(value).expect("serializable")) {
        Err(LoadError::Decode(DecodeError::InvalidShape { path, message, .. })) => (path, message),
        Err(other) => panic!("expected a shape error, got {:#?}", other.diagnostics()),
        Ok(_) => panic!("accepted"),
    }
}

#[test]
fn a_wrong_type_gives_the_json_path() {
    let mut def = eco();
    def["pipelines"][0]["stages"][1]["semantics"] = json!("maybe");
    let (path, message) = shape_error(&def);
    assert_eq!(path, "pipelines[0].stages[1].semantics");
    assert!(message.contains("maybe"), "{message}");

    let mut def = eco();
    def["format"] = json!("one");
    assert_eq!(shape_error(&def).0, "format");

    let mut def = eco();
    def["entities"][1]["fields"][4]["type"] = json!("colour");
    assert_eq!(shape_error(&def).0, "entities[1].fields[4].type");

    let mut def = eco();
    def["entities"][1]["fields"][25]["min"] = json!(0.5);
    let (path, message) = shape_error(&def);
    assert_eq!(path, "entities[1].fields[25].min");
    assert!(message.contains("decimal"), "{message}");
}

#[test]
fn unknown_keys_are_rejected() {
    let mut def = eco();
    def["colour"] = json!("green");
    let (path, message) = shape_error(&def);
    assert_eq!(path, "colour");
    assert!(message.contains("unknown field `colour`"), "{message}");

    let mut def = eco();
    def["pipelines"][1]["stages"][7]["enter_role"] = json!(["head"]);
    assert_eq!(shape_error(&def).0, "pipelines[1].stages[7].enter_role");

    let mut def = eco();
    def["pipelines"][1]["moves"]["skip"] = json!(true);
    assert_eq!(shape_error(&def).0, "pipelines[1].moves.skip");

    let mut def = eco();
    def["entities"][0]["fields"][0]["required"] = json!(true);
    assert_eq!(shape_error(&def).0, "entities[0].fields[0].required");
}
