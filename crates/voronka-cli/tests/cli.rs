//! Runs the built `voronka` binary: check, diagram, schema (with the drift check), render,
//! simulate and demo.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const ECO_PACKAGING: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../voronka/data/eco-packaging.json"
);
const SCENARIO: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../examples/eco-packaging/scenario.json"
);
const INVOICE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../voronka-docs/samples/invoice.json"
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

/// A directory in the system's temporary directory, removed with its files when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let path =
            std::env::temp_dir().join(format!("voronka-cli-test-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("the temporary directory is created");
        TempDir(path)
    }

    fn path(&self) -> &str {
        self.0.to_str().expect("the temporary path is UTF-8")
    }

    fn join(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
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
    // Leads, deals and the processes P1–P6.
    assert!(text.contains("8 pipelines, 37 stages"), "{text}");
}

#[test]
fn check_reads_standard_input() {
    let definition = std::fs::read_to_string(ECO_PACKAGING).expect("the example is readable");
    let out = voronka_stdin(&["check", "-", "--lang", "ru"], &definition);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("воронок 8"), "{}", stdout(&out));
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
    assert_eq!(text.matches("```mermaid\n").count(), 8, "{text}");
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
fn demo_walks_the_whole_case_from_a_website_lead_to_won() {
    let dir = TempDir::new("demo-en");
    let out = voronka(&["demo", "--out", dir.path()]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let text = stdout(&out);
    for expected in [
        // L1: the lead arrives from the website; the responsible users are notified.
        "capture a lead from channel “Website form”",
        "🔔 notification to Anna Petrova, Boris Kotov, Galina Orlova: New lead: Irina Sokolova (Website form)",
        // L2: a task with its assignee and deadline.
        "☐ task “Make a pre-sale call” → Anna Petrova, due 2026-12-01 09:25",
        // Rejections: missing fields, the manager entering D8, the head's audited override.
        "✗ rejected [3001]: Cannot enter stage “Commercial offer”: fill in Company type, Delivery address",
        "✗ rejected [3004]",
        "requirements overridden for “Processing the request”",
        // L5: the host's duplicate look-up, answered with no match: the conversion.
        "🔍 duplicate look-up:",
        "answer the duplicate look-up: no match",
        "＋ new record: deal lead-1001-deal",
        // D2: the offer rendered and e-mailed with it.
        "rendered CO-2026-0001",
        "attachments: Commercial offer",
        // D3: the call loop with its timers; D12 and back.
        "⏲ timer set for 2026-12-04 13:00",
        "⏰ timer fired:",
        "(will return to “Negotiation”)",
        "“Postponed” → “Negotiation”",
        // D5: the weekly question, no then yes.
        "Where the parcel is = ",
        "Received = yes",
        // D7: parallel tasks, the head's notification and final approval.
        // The host passes the example org structure: roles resolve to people.
        "observers: Boris Kotov, Galina Orlova",
        "☐ task “Final approval of the deal” → Boris Kotov",
        // P2: D7's documents go up the org structure and the result comes back.
        "📨 signal for the host to deliver: “documents_approved” → lead-1001-deal",
        // P1: sent back for rework, resubmitted, approved, paid, the payment order sent.
        "Sent back for rework: Attach the supplier's invoice",
        "🔔 notification to Anna Petrova: Payment made: Kraft paper, 2 t, 184000.00 RUB",
        "“Payment” → “Paid” (by automation)",
        // P3: the reminder a working day before the deadline, then everyone has read.
        "🔔 notification to Ivan Petrov, Boris Kotov: Reminder: please confirm you have read “Price list 2027”",
        "“Reading” → “Everyone has read” (by automation)",
        // P4: the head is away; his deputy decides.
        "Galina Orlova (Head of department)  [sick_leave]",
        "🔔 notification to Anna Petrova: Approved: Work from home",
        // P5: the director rejects.
        "“Approval” → “Rejected” (by automation)",
        // P6: the department's daily tasks with the head observing.
        "☐ task “Fill in your work plan for the day” → Ivan Petrov, due 2027-03-31 09:00, observers: Boris Kotov",
        "“Contract signing” → “Prepayment” (by automation)",
        // D9: two e-mails.
        "“Ваш заказ принят”",
        "“Статус заказа: заявка на производство сформирована”",
        // D10: five documents and the scans e-mail.
        "rendered INV-2027-00001",
        "“Ваш заказ отгружен”; attachments: CMR-0217.pdf",
        // D11: the reminder three business days before the due date (10 March; 8 March is
        // a holiday).
        "⏲ timer set for 2027-03-04 06:00",
        "☐ task “Remind the client about payment”",
        "final stage: “Won” (won)",
        "replaying the event log rebuilds the record: yes",
        "documents: 6:",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    assert!(!text.contains(": NO"), "{text}");
    for name in [
        "CO-2026-0001",
        // The deal delivers inside Russia: its consignment note is the транспортная
        // накладная (voronka_docs::shipment_note_kind), numbered TN- for CMR-.
        "TN-2027-00001",
        "INV-2027-00001",
        "PL-2027-00001",
        "ACT-2027-00001",
        "SP-2027-00001",
    ] {
        let pdf = std::fs::read(dir.join(&format!("{name}.pdf"))).unwrap_or_default();
        assert!(pdf.starts_with(b"%PDF-"), "{name}.pdf is not a PDF");
    }
    // Deterministic: a second run prints the same.
    assert_eq!(stdout(&voronka(&["demo", "--out", dir.path()])), text);
}

#[test]
fn demo_in_russian() {
    let dir = TempDir::new("demo-ru");
    let out = voronka(&["demo", "--lang", "ru", "--out", dir.path()]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let text = stdout(&out);
    for expected in [
        "итоговый этап: «Выигранные сделки» (успех)",
        "Нельзя перейти на этап «Коммерческое предложение»: заполните Тип компании",
        "смена этапа: «Отложенные» → «Переговоры о сотрудничестве»",
        "ООО «Северная пекарня»",
        "сработал таймер",
        "письмо на a.smirnov@sevpekarnya.ru",
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
        "task",
        "timer",
        "e-mail to",
        "document requested",
        " due ",
        "answers:",
        "= true",
        "= false",
    ] {
        assert!(!text.contains(english), "English {english:?} in:\n{text}");
    }
}

#[test]
fn render_writes_a_pdf_and_a_png() {
    let dir = TempDir::new("render");
    let pdf = dir.join("invoice.pdf");
    let png = dir.join("invoice.png");
    let out = voronka(&[
        "render",
        "invoice",
        "--data",
        INVOICE,
        "-o",
        pdf.to_str().expect("UTF-8 path"),
        "--lang",
        "both",
        "--now",
        "2026-11-27T09:00:00Z",
        "--png",
        png.to_str().expect("UTF-8 path"),
    ]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let bytes = std::fs::read(&pdf).expect("the PDF is written");
    assert!(bytes.starts_with(b"%PDF"), "not a PDF");
    let bytes = std::fs::read(&png).expect("the PNG is written");
    assert!(bytes.starts_with(b"\x89PNG"), "not a PNG");
    assert!(stdout(&out).contains("page(s)"), "{}", stdout(&out));
}

#[test]
fn render_a_template_of_ones_own_and_its_errors() {
    let dir = TempDir::new("render-own");
    let data = TempFile::new("own-data.json", r##"{ "name": "#exit() *bold*" }"##);
    let good = TempFile::new(
        "good.typ",
        "#let d = json(\"/data.json\")\nHello, #d.name!\n",
    );
    let pdf = dir.join("own.pdf");
    let out = voronka(&[
        "render",
        good.path(),
        "--data",
        data.path(),
        "-o",
        pdf.to_str().expect("UTF-8 path"),
        "--now",
        "2026-11-27T09:00:00Z",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(std::fs::read(&pdf).unwrap_or_default().starts_with(b"%PDF"));

    // A syntax error: a coded error with the template's line and column.
    let bad = TempFile::new("bad.typ", "= Title\n\nText #let = 1\n");
    let out = voronka(&[
        "render",
        bad.path(),
        "--data",
        data.path(),
        "-o",
        pdf.to_str().expect("UTF-8 path"),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains(&format!("{}:3:", bad.path())), "{err}");
    assert!(err.contains("error[5002 template_error]"), "{err}");

    // Data that does not fit a bundled document: the path of the missing item.
    let broken = TempFile::new(
        "no-buyer.json",
        r#"{ "number": "1", "date": "2026-11-27" }"#,
    );
    let out = voronka(&[
        "render",
        "invoice",
        "--data",
        broken.path(),
        "-o",
        pdf.to_str().expect("UTF-8 path"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("error[5003 invalid_data]"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn simulate_prints_the_timeline_of_the_example_scenario() {
    let out = voronka(&["simulate", ECO_PACKAGING, SCENARIO]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let text = stdout(&out);
    for expected in [
        "2026-11-30 09:00  lead-1  🔔 notification to Анна Петрова, role: Head of department: New lead: Ирина Соколова (Website form)",
        "2026-11-30 09:30  lead-1  ☐ task “Make a pre-sale call” → Анна Петрова, due 2026-12-01 09:30",
        "2026-11-30 11:00  lead-1  ☑ task “Make a pre-sale call” done",
        "2026-11-30 11:05  lead-1  ✗ rejected [3001]: Cannot enter stage “Introductory call”: fill in What the client does",
        "2026-11-30 15:00  lead-1  🔍 duplicate look-up:",
        "2026-11-30 15:01  lead-1  ＋ new record: deal lead-1-deal",
        "2026-11-30 15:01  lead-1-deal  ☐ task “Call the potential client” → Анна Петрова",
        "2026-11-30 15:01  lead-1  ➜ stage: “Processing the request” → “Processing finished”",
        "2026-12-01 12:00  lead-1-deal  📄 document requested: “Commercial offer” (in Russian, number CO-{year}-{seq:04})",
        "2026-12-01 12:00  lead-1-deal  ✉ e-mail to a.smirnov@sevpekarnya.example: “Коммерческое предложение для ООО «Северная пекарня»”; attachments: Commercial offer",
        // D3: not reached, asked again two business days later (a timer in the timeline).
        "2026-12-04 12:00  lead-1-deal  ⏰ timer fired:",
        "2026-12-04 12:00  lead-1-deal  ☐ task “Call” → Анна Петрова, due 2026-12-07 12:00",
        // D5: the weekly question.
        "2026-12-16 12:30  lead-1-deal  ☐ task “Did the client receive the samples?”",
        "2026-12-21 10:00  lead-1-deal  ✗ rejected [3004]",
        "2026-12-21 14:00  lead-1-deal  🔔 notification to role: Head of department",
        "2026-12-21 15:00  lead-1-deal  ➜ stage: “Contract signing” → “Prepayment”",
        "2026-12-23 09:30  lead-1-deal  ✉ e-mail to a.smirnov@sevpekarnya.example: “Ваш заказ принят”",
        "2026-12-23 12:00  lead-1-deal  ✉ e-mail to a.smirnov@sevpekarnya.example: “Статус заказа: заявка на производство сформирована”",
        "2027-01-20 16:00  lead-1-deal  ✉ e-mail to a.smirnov@sevpekarnya.example: “Ваш заказ отгружен”; attachments: CMR-скан.pdf, инвойс-скан.pdf",
        // D11: the reminder three business days before 10 February, at 09:00 Moscow time.
        "2027-02-05 06:00  lead-1-deal  ⏰ timer fired:",
        "2027-02-05 06:00  lead-1-deal  ☐ task “Remind the client about payment”",
        "2027-02-10 15:00  lead-1-deal  ➜ stage: “Payment” → “Won”",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    assert_eq!(
        text.lines()
            .filter(|l| l.starts_with("2027-01-20 14:00  lead-1-deal  📄 document requested:"))
            .count(),
        5,
        "{text}"
    );
    // One line per happening, in time order.
    let times: Vec<&str> = text.lines().map(|l| &l[..16]).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "{text}");
}

#[test]
fn simulate_exits_1_when_a_step_goes_off_script() {
    let scenario = TempFile::new(
        "off-script.json",
        r#"[
          { "at": "2026-11-30T09:00:00Z", "record": "d", "actor": { "user": "u", "roles": ["manager"] },
            "command": { "type": "create", "id": "d", "pipeline": "deals", "responsible": "u" } },
          { "at": "2026-11-30T10:00:00Z", "record": "d", "actor": { "user": "u", "roles": ["manager"] },
            "command": { "type": "move", "to": "offer" } }
        ]"#,
    );
    let out = voronka(&["simulate", ECO_PACKAGING, scenario.path()]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains("2026-11-30 09:00  d  ☐ task “Call the potential client” → u"),
        "{text}"
    );
    assert!(
        text.contains("2026-11-30 10:00  d  ✗ rejected [3001]"),
        "{text}"
    );

    let bad = TempFile::new("bad-scenario.json", r#"[{ "at": "yesterday" }]"#);
    let out = voronka(&["simulate", ECO_PACKAGING, bad.path()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("the scenario is not valid at `[0].at`"),
        "{}",
        stderr(&out)
    );
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
