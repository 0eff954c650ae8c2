//! Runs the built `voronka` binary: check, diagram, schema (with the drift check) and demo.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const ECO_PACKAGING: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../voronka/data/eco-packaging.json"
);
const SCHEMA_FILE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../voronka/schema/definition.schema.json"
);

fn voronka(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_voronka"))
        .args(args)
        .output()
        .expect("the voronka binary runs")
}

fn voronka_stdin(args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_voronka"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the voronka binary runs");
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(input.as_bytes())
        .expect("stdin takes the input");
    child.wait_with_output().expect("the voronka binary ends")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A file in the system's temporary directory, removed when dropped.
struct TempFile(PathBuf);

impl TempFile {
    fn new(name: &str, content: &str) -> TempFile {
        let path =
            std::env::temp_dir().join(format!("voronka-cli-test-{}-{name}", std::process::id()));
        std::fs::write(&path, content).expect("the temporary file is written");
        TempFile(path)
    }

    fn path(&self) -> &str {
        self.0.to_str().expect("the temporary path is UTF-8")
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Five problems at once: unknown role, duplicate stage code, unknown field in a requirement,
/// no won stage, a move to an unknown stage.
const BROKEN: &str = r#"{
  "format": 1,
  "code": "broken",
  "label": { "en": "Broken", "ru": "Сломано" },
  "roles": [{ "code": "manager", "label": { "en": "Manager", "ru": "Менеджер" } }],
  "entities": [{
    "code": "deal", "kind": "deal", "label": { "en": "Deal", "ru": "Сделка" },
    "fields": [{ "code": "website", "type": "url", "label": { "en": "Website", "ru": "Сайт" } }]
  }],
  "pipelines": [{
    "code": "sales", "entity": "deal", "label": { "en": "Sales", "ru": "Продажи" },
    "stages": [
      { "code": "new", "label": { "en": "New", "ru": "Новая" } },
      { "code": "offer", "label": { "en": "Offer", "ru": "КП" }, "requires": ["website", "budget"] },
      { "code": "offer", "label": { "en": "Offer again", "ru": "КП снова" } }
    ],
    "moves": { "extra": [{ "from": "offer", "to": "nowhere" }] },
    "permissions": { "move": ["boss"] }
  }]
}"#;

#[test]
fn check_accepts_the_eco_packaging_definition() {
    let out = voronka(&["check", ECO_PACKAGING]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with("OK eco_packaging"), "{text}");
    assert!(text.contains("2 pipelines, 20 stages"), "{text}");
}

#[test]
fn check_reads_standard_input() {
    let definition = std::fs::read_to_string(ECO_PACKAGING).expect("the example is readable");
    let out = voronka_stdin(&["check", "-", "--lang", "ru"], &definition);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("воронок 2"), "{}", stdout(&out));
}

#[test]
fn check_lists_every_problem_of_a_broken_definition_and_exits_1() {
    let file = TempFile::new("broken.json", BROKEN);
    let out = voronka(&["check", file.path()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    for expected in [
        "pipelines[0].permissions.move[0]: unknown role \"boss\" [2008 unknown_role]",
        "pipelines[0].stages[2].code: ",
        "[2003 duplicate_code]",
        "pipelines[0].stages[1].requires[1]: ",
        "[2006 unknown_field]",
        "[2010 no_won_stage]",
        "pipelines[0].moves.extra[0].to: ",
        "[2007 unknown_stage]",
        "5 problem(s) found",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    let problems = text.lines().filter(|l| l.ends_with(']')).count();
    assert_eq!(problems, 5, "{text}");

    let ru = stdout(&voronka(&["check", file.path(), "--lang", "ru"]));
    assert!(ru.contains("неизвестная роль"), "{ru}");
    assert!(ru.contains("Найдено проблем: 5"), "{ru}");
}

#[test]
fn check_reports_malformed_json_with_its_position() {
    let out = voronka_stdin(&["check", "-"], "{\"format\": 1,\n  \"code\": }");
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("line 2"), "{text}");
    assert!(text.contains("[1001 malformed_json]"), "{text}");
}

#[test]
fn unreadable_files_and_bad_usage_exit_2() {
    let missing = std::env::temp_dir().join("voronka-cli-test-no-such-file.json");
    let out = voronka(&["check", missing.to_str().expect("UTF-8 path")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cannot read"), "{}", stderr(&out));
    assert_eq!(voronka(&["check"]).status.code(), Some(2));
    assert_eq!(voronka(&["demo", "--lang", "de"]).status.code(), Some(2));
}

#[test]
fn diagram_draws_every_deal_stage_and_move() {
    let out = voronka(&["diagram", ECO_PACKAGING, "--pipeline", "deals"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("stateDiagram-v2"), "{text}");
    let definition: serde_json::Value =
        serde_json::from_str(voronka::examples::ECO_PACKAGING).expect("the example is JSON");
    let deals = definition["pipelines"]
        .as_array()
        .and_then(|ps| ps.iter().find(|p| p["code"] == "deals"))
        .expect("a deals pipeline");
    let stages = deals["stages"].as_array().expect("stages");
    assert_eq!(stages.len(), 14);
    for stage in stages {
        let line = format!(
            "state \"{}\" as {}",
            stage["label"]["en"].as_str().expect("a label"),
            stage["code"].as_str().expect("a code")
        );
        assert!(text.contains(&line), "missing {line:?} in:\n{text}");
    }
    // case: D3 → D2, a named exception.
    assert!(text.contains("    negotiation --> offer\n"), "{text}");
    // case: D12, a postponed deal returns to where it came from.
    assert!(
        text.contains("postponed --> negotiation : return"),
        "{text}"
    );
    assert!(text.contains("won --> [*]"), "{text}");
    assert!(text.contains("class won wonStage"), "{text}");
    // case: D8, requirements and who may enter.
    assert!(text.contains("note right of prepayment"), "{text}");
    assert!(text.contains("• Prepayment"), "{text}");
    assert!(text.contains("Only: Head of department"), "{text}");
}

#[test]
fn diagram_of_every_pipeline_is_markdown_and_speaks_russian() {
    let out = voronka(&["diagram", ECO_PACKAGING, "--lang", "ru"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert_eq!(text.matches("```mermaid\n").count(), 2, "{text}");
    assert!(
        text.contains("state \"Выигранные сделки\" as won"),
        "{text}"
    );
    assert!(
        text.contains("Причина некачественного лида если Результат обработки = Некачественный"),
        "{text}"
    );
    assert!(
        text.contains("одно из: E-mail контакта / Телефон контакта"),
        "{text}"
    );
    let unknown = voronka(&["diagram", ECO_PACKAGING, "--pipeline", "nope"]);
    assert_eq!(unknown.status.code(), Some(2));
}

/// Labels with quotes, brackets and semicolons, and a stage code that is a Mermaid keyword.
const AWKWARD: &str = r#"{
  "format": 1,
  "code": "awkward",
  "label": { "en": "Awkward", "ru": "Неудобная" },
  "entities": [{
    "code": "deal", "kind": "deal", "label": { "en": "Deal", "ru": "Сделка" },
    "fields": [{ "code": "size", "type": "text", "label": { "en": "Size \"L\" [cm]; {w×h}", "ru": "Размер" } }]
  }],
  "pipelines": [{
    "code": "sales", "entity": "deal", "label": { "en": "Sales", "ru": "Продажи" },
    "stages": [
      { "code": "start", "label": { "en": "The \"first\" <stage> #1", "ru": "Первый" } },
      { "code": "end", "label": { "en": "Done [ok]; closed", "ru": "Готово" }, "semantics": "won", "requires": ["size"] }
    ]
  }]
}"#;

#[test]
fn diagram_escapes_labels_and_keywords() {
    let file = TempFile::new("awkward.json", AWKWARD);
    let out = voronka(&["diagram", file.path()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("state \"The ”first” ‹stage› №1\" as start"),
        "{text}"
    );
    assert!(
        text.contains("state \"Done (ok), closed\" as end_"),
        "{text}"
    );
    assert!(text.contains("start --> end_"), "{text}");
    assert!(text.contains("• Size ”L” (cm), (w×h)"), "{text}");
    for line in text
        .lines()
        .filter(|l| !l.trim_start().starts_with("classDef"))
    {
        assert!(
            !line.contains(';') && !line.contains('<') && !line.contains('#'),
            "{line}"
        );
        assert_eq!(line.matches('"').count() % 2, 0, "{line}");
    }
}

#[test]
fn demo_walks_a_lead_and_a_deal_to_won() {
    let out = voronka(&["demo"]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("final stage: “Won” (won)"),
        "no won deal in:\n{text}"
    );
    assert!(
        text.contains("✗ rejected [3001]: Cannot enter stage “Commercial offer”: fill in Company type, Website, Delivery address"),
        "{text}"
    );
    // case: D8, only the head may enter; the head's override is audited.
    assert!(text.contains("✗ rejected [3004]"), "{text}");
    assert!(
        text.contains("requirements overridden for “Prepayment”"),
        "{text}"
    );
    // case: D12, the postponed deal returns to the stage it left.
    assert!(text.contains("(will return to “Negotiation”)"), "{text}");
    assert!(text.contains("“Postponed” → “Negotiation”"), "{text}");
    assert!(
        text.contains("replaying the history rebuilds the record: yes"),
        "{text}"
    );
    assert!(!text.contains(": NO"), "{text}");
    // Deterministic: a second run prints the same.
    assert_eq!(stdout(&voronka(&["demo"])), text);
}

#[test]
fn demo_in_russian() {
    let out = voronka(&["demo", "--lang", "ru"]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let text = stdout(&out);
    for expected in [
        "итоговый этап: «Выигранные сделки» (успех)",
        "Нельзя перейти на этап «Коммерческое предложение»: заполните Тип компании",
        "смена этапа: «Отложенные» → «Переговоры о сотрудничестве»",
        "ООО «Северная пекарня»",
        "Итоги",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    for english in [
        "rejected",
        "stage changed",
        "Summary",
        "fields changed",
        "Won",
    ] {
        assert!(!text.contains(english), "English {english:?} in:\n{text}");
    }
}

#[test]
fn committed_schema_matches_the_types() {
    let expected = format!(
        "{}\n",
        serde_json::to_string_pretty(&voronka::schema::definition_schema())
            .expect("the schema encodes")
    );
    let committed = std::fs::read_to_string(Path::new(SCHEMA_FILE)).unwrap_or_default();
    assert!(
        committed == expected,
        "crates/voronka/schema/definition.schema.json is out of date with the definition types; \
         regenerate it with:\n    cargo run -p voronka-cli -- schema > crates/voronka/schema/definition.schema.json"
    );
    let printed = voronka(&["schema"]);
    assert!(printed.status.success());
    assert_eq!(stdout(&printed), expected);
}
