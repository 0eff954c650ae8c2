//! Automation policies and bad input: leaving a stage cancels, skipped stages and false guards
//! are traced, preview changes nothing, every bad command gets its code and changes nothing,
//! and compile-time checks of automations report every problem with its path at once.

use std::sync::OnceLock;

use chrono::Duration;
use serde_json::{Value, json};
use voronka::{Action, ErrorCode, Lang, Model, Rejection, TaskStatus};

use crate::flow::{Flow, at, complete, created_tasks, effect_kinds, kinds, trace};
use crate::support::{self, accountant, director, manager};

fn tr(a: &str, what: &str, reason: &str) -> (String, String, String) {
    (a.into(), what.into(), reason.into())
}

fn label(en: &str) -> Value {
    json!({ "en": en, "ru": format!("{en} (ru)") })
}

/// A small definition: stages a → b → c → done, an extra move a → c that skips b, and the
/// given automations.
fn mini(automations: Value) -> Value {
    json!({
        "format": 1,
        "code": "mini",
        "label": label("Mini"),
        "roles": [
            { "code": "manager", "label": label("Manager") },
            { "code": "head", "label": label("Head") }
        ],
        "entities": [{
            "code": "ticket", "kind": "custom", "label": label("Ticket"),
            "fields": [
                { "code": "note", "type": "text", "label": label("Note") },
                { "code": "kind", "type": "choice", "label": label("Kind"),
                  "options": [{ "code": "a", "label": label("A") }, { "code": "b", "label": label("B") }] },
                { "code": "count", "type": "integer", "label": label("Count") },
                { "code": "due", "type": "date", "label": label("Due") },
                { "code": "email", "type": "email", "label": label("E-mail") }
            ]
        }],
        "pipelines": [{
            "code": "tickets", "entity": "ticket", "label": label("Tickets"),
            "stages": [
                { "code": "a", "label": label("A") },
                { "code": "b", "label": label("B") },
                { "code": "c", "label": label("C") },
                { "code": "done", "label": label("Done"), "semantics": "won" }
            ],
            "moves": { "next": true, "extra": [{ "from": "a", "to": "c" }] },
            "permissions": { "create": ["manager"], "move": ["manager", "head"],
                             "complete_any_task": ["head"] },
            "automations": automations
        }]
    })
}

fn policies() -> &'static Model {
    static MODEL: OnceLock<Model> = OnceLock::new();
    MODEL.get_or_init(|| {
        let def = mini(json!([
            { "code": "b_runs", "label": label("B runs"), "on": { "stage_entered": "b" },
              "when_skipped": "run",
              "run": { "type": "notify", "to": ["responsible"], "message": label("b ran") } },
            { "code": "b_task", "label": label("B task"), "on": { "stage_entered": "b" },
              "run": { "type": "task", "code": "t_b", "title": label("Do b") } },
            { "code": "c_guarded", "label": label("C guarded"), "on": { "stage_entered": "c" },
              "when": { "field": "kind", "equals": "a" },
              "run": { "type": "task", "code": "t_c", "title": label("Do c") } },
            { "code": "c_note", "label": label("C note"), "on": { "stage_entered": "c" },
              "run": { "type": "set_fields", "fields": { "note": "reached c" } } },
            { "code": "loop", "label": label("Loop"), "on": { "field_changed": "count" },
              "run": { "type": "repeat", "max_iterations": 1000,
                       "until": { "field": "kind", "equals": "b" },
                       "body": { "type": "repeat", "max_iterations": 1000,
                                 "until": { "field": "kind", "equals": "b" },
                                 "body": { "type": "sequence", "steps": [
                                     { "type": "set_fields", "fields": { "note": "again" } },
                                     // Waits, statically, but for nothing: it passes at once.
                                     { "type": "wait", "delay": { "minutes": 0 } } ] } } } }
        ]));
        match Model::from_json(&def.to_string()) {
            Ok(m) => m,
            Err(e) => panic!("{:#?}", e.diagnostics()),
        }
    })
}

fn ticket(f: &mut Flow<'_>, values: Value) {
    f.ok(
        &manager(),
        Action::Create {
            id: "t-1".into(),
            pipeline: "tickets".into(),
            stage: None,
            responsible: Some("u-anna".into()),
            fields: support::fields(values),
        },
    );
}

// case: D12 (policy: leaving a stage cancels pending steps)
#[test]
fn leaving_a_stage_cancels_its_open_tasks_and_timers() {
    let mut f = Flow::deal_at("negotiation");
    f.complete(&manager(), "call", json!({ "reached": false }));
    assert_eq!(f.record().timers.len(), 1);
    let o = f.ok(&manager(), support::move_to("postponed", Value::Null));
    assert_eq!(
        kinds(&o)[..4],
        [
            "stage_changed",
            "timer_cleared",
            "run_ended",
            "task_created"
        ]
        .map(String::from)
    );
    assert_eq!(f.record().timers, vec![]);
    assert!(trace(&o).contains(&tr(
        "d3_negotiation",
        "cancelled",
        "the record left stage \"negotiation\""
    )));
    // An open task is closed as cancelled, as an effect for the host.
    let mut f = Flow::deal_at("offer");
    let offer = f.task("offer_fields").id;
    let o = f.ok(&manager(), support::move_to("negotiation", Value::Null));
    assert_eq!(
        effect_kinds(&o),
        ["close_task", "create_task"].map(String::from)
    );
    assert_eq!(f.task("offer_fields").id, offer);
    assert_eq!(f.task("offer_fields").status, TaskStatus::Cancelled);
    assert_eq!(f.task("offer_fields").closed_by.as_deref(), Some("u-anna"));
}

// case: policy (when_skipped, guards)
#[test]
fn a_skipped_stage_runs_only_what_says_run_and_a_false_guard_is_traced() {
    let mut f = Flow::new(policies());
    ticket(&mut f, Value::Null);
    let o = f.ok(&manager(), support::move_to("c", Value::Null));
    assert_eq!(
        trace(&o),
        vec![
            tr(
                "b_runs",
                "started",
                "stage \"b\" was skipped; its policy is to run"
            ),
            tr("b_runs", "finished", "every step is done"),
            tr("b_task", "skipped", "stage \"b\" was skipped over"),
            tr(
                "c_guarded",
                "skipped",
                "entered stage \"c\", but its condition does not hold"
            ),
            tr("c_note", "started", "entered stage \"c\""),
            tr("c_note", "finished", "every step is done"),
        ]
    );
    assert_eq!(
        kinds(&o),
        ["stage_changed", "notified", "fields_changed"].map(String::from)
    );
    assert!(f.record().tasks.is_empty());
    assert_eq!(f.record().fields["note"], json!("reached c"));

    // With the guard true and b entered normally, both run.
    let mut f = Flow::new(policies());
    ticket(&mut f, json!({ "kind": "a" }));
    let o = f.ok(&manager(), support::move_to("b", Value::Null));
    assert_eq!(
        created_tasks(&o)
            .iter()
            .map(|t| t.code.as_str())
            .collect::<Vec<_>>(),
        ["t_b"]
    );
    let o = f.ok(&manager(), support::move_to("c", Value::Null));
    assert_eq!(
        created_tasks(&o)
            .iter()
            .map(|t| t.code.as_str())
            .collect::<Vec<_>>(),
        ["t_c"]
    );
    assert_eq!(f.task("t_b").status, TaskStatus::Cancelled);
}

// case: D3 (policy: preview)
#[test]
fn decide_gives_the_events_and_effects_of_apply_and_changes_nothing() {
    let f = Flow::deal_at("negotiation");
    let record = f.record().clone();
    let command = f.command(
        &manager(),
        complete(
            &f.task("call").id,
            json!({ "reached": true, "outcome": "lost", "lost_reason": "price" }),
        ),
    );
    let decision = f.model.decide(Some(&record), &command).expect("accepted");
    assert_eq!(&record, f.record(), "decide changed the record");
    let applied = f.model.apply(Some(&record), &command).expect("accepted");
    assert_eq!(&record, f.record(), "apply changed its input record");
    assert_eq!(applied.record.stage, "lost");
    assert_eq!(decision.events, applied.events);
    assert_eq!(decision.effects, applied.effects);
    assert_eq!(decision.trace, applied.trace);
    // Evolving the record by the decided events gives apply's record.
    let mut evolved = record.clone();
    for event in &decision.events {
        evolved.evolve(event);
    }
    assert_eq!(evolved, applied.record);
    // A rejected decision is the same rejection as apply's.
    let early = voronka::Command {
        now: record.updated_at - Duration::minutes(1),
        ..command
    };
    assert_eq!(
        f.model.decide(Some(&record), &early).map(|d| d.events),
        f.model.apply(Some(&record), &early).map(|o| o.events)
    );
}

// case: D1 (bad input)
#[test]
fn bad_task_commands_get_their_codes_and_change_nothing() {
    let mut f = Flow::deal();
    let call = f.task("call_client").id;
    // Someone else's task.
    let r = f.err(&accountant(), complete(&call, Value::Null));
    assert_eq!(r.code(), ErrorCode::NotPermitted);
    let report = voronka::Error::Rejected(r).report(Lang::En);
    assert_eq!(report.details["action"], json!("complete_task"));
    assert_eq!(
        report.details["allowed_roles"],
        json!(["head", "director", "admin"])
    );
    assert_eq!(report.path.as_deref(), Some("actor"));
    // The head and the director may (complete_any_task); the assignee may.
    assert!(
        f.model
            .decide(
                f.record().into(),
                &f.command(&director(), complete(&call, Value::Null))
            )
            .is_ok()
    );
    // Unknown task.
    let r = f.err(&manager(), complete("deal-1:task-99", Value::Null));
    assert_eq!(
        r,
        Rejection::UnknownTask {
            task: "deal-1:task-99".into()
        }
    );
    assert_eq!(r.code().as_u32(), 3016);
    assert_eq!(r.path().as_deref(), Some("action.task"));
    // Unknown answers on a task without a form.
    let r = f.err(&manager(), complete(&call, json!({ "mood": "good" })));
    assert_eq!(r.code(), ErrorCode::InvalidAnswers);
    assert_eq!(r.path().as_deref(), Some("action.answers.mood"));
    // Done once; then closed.
    f.ok(&manager(), complete(&call, Value::Null));
    let r = f.err(&manager(), complete(&call, Value::Null));
    assert_eq!(r, Rejection::TaskClosed { task: call.clone() });
    let r = f.err(
        &manager(),
        Action::AnswerForm {
            task: call.clone(),
            answers: Default::default(),
        },
    );
    assert_eq!(r.code(), ErrorCode::TaskClosed);
    // Nothing waits for a duplicate look-up on a deal.
    let r = f.err(
        &manager(),
        Action::ResolveDuplicates {
            contact: Some("c-1".into()),
            company: None,
        },
    );
    assert_eq!(r, Rejection::NothingToResolve);
    // A tick before the last change.
    f.now -= Duration::seconds(1);
    let r = f.err(&crate::flow::clock(), Action::Tick);
    assert_eq!(r.code(), ErrorCode::ClockWentBack);
    assert_eq!(r.path().as_deref(), Some("now"));
}

// case: D3, D7 (bad input)
#[test]
fn invalid_answers_and_checklist_items_are_rejected_with_their_paths() {
    let mut f = Flow::deal_at("negotiation");
    let call = f.task("call").id;
    let r = f.err(
        &manager(),
        complete(&call, json!({ "reached": "yes", "outcome": "maybe" })),
    );
    let Rejection::InvalidAnswers { task, errors } = &r else {
        panic!("{r:?}")
    };
    assert_eq!(task, &call);
    assert_eq!(
        errors.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(),
        ["outcome", "reached"]
    );
    assert_eq!(r.path().as_deref(), Some("action.answers.outcome"));
    assert_eq!(r.code().as_u32(), 3019);
    // Saving answers without completing keeps the task open; completing adds the rest.
    let o = f.ok(
        &manager(),
        Action::AnswerForm {
            task: call.clone(),
            answers: support::fields(json!({ "reached": true })),
        },
    );
    assert_eq!(kinds(&o), ["task_answered"].map(String::from));
    let r = f.err(&manager(), complete(&call, Value::Null));
    let Rejection::MissingAnswers { missing, .. } = &r else {
        panic!("{r:?}")
    };
    assert_eq!(support::codes(missing), ["outcome"]);

    let mut f = Flow::deal_at("contract");
    let prepare = f.task("prepare_documents").id;
    let r = f.err(
        &manager(),
        Action::CheckItem {
            task: prepare.clone(),
            item: 3,
            done: true,
        },
    );
    assert_eq!(
        r,
        Rejection::InvalidCommand {
            path: "action.item".into(),
            message: "the task has 3 checklist item(s)".into(),
        }
    );
    // Somebody else may not tick the checklist either.
    let r = f.err(
        &accountant(),
        Action::CheckItem {
            task: prepare,
            item: 0,
            done: true,
        },
    );
    assert_eq!(r.code(), ErrorCode::NotPermitted);
}

// case: policy (step limit)
#[test]
fn an_automation_loop_that_never_blocks_hits_the_step_limit() {
    let mut f = Flow::new(policies());
    ticket(&mut f, Value::Null);
    let r = f.err(&manager(), support::set(json!({ "count": 1 })));
    assert_eq!(r.code(), ErrorCode::AutomationLimit);
    assert_eq!(r, Rejection::AutomationLimit { limit: 10_000 });
    assert!(!f.record().fields.contains_key("count"));
}

fn problems(def: Value) -> Vec<(ErrorCode, String)> {
    match Model::from_json(&def.to_string()) {
        Ok(_) => panic!("compiled"),
        Err(e) => e
            .diagnostics()
            .into_iter()
            .map(|d| (d.code, d.path))
            .collect(),
    }
}

// case: L5, D2, D11 (compile-time checks)
#[test]
fn broken_automations_report_every_problem_with_its_path() {
    let mut def = mini(json!([
        { "code": "x1", "label": label("X1"), "on": { "stage_entered": "nope" },
          "run": { "type": "move", "to": "nowhere" } },
        { "code": "x2", "label": label("X2"), "on": { "task_completed": "ghost" },
          "run": { "type": "sequence", "steps": [
              { "type": "task", "code": "t", "title": label("T"),
                "form": [{ "code": "ok", "type": "yes_no", "label": label("OK") }],
                "answers_to_fields": { "note": "ok" } },
              { "type": "if", "when": { "task": "ghost", "field": "ok", "equals": true },
                "then": { "type": "wait", "until_task": "ghost" } },
              { "type": "email", "template": "nope", "to_field": "email" },
              { "type": "render_document", "document": "nope" },
              { "type": "wait", "delay": { "days": 1 }, "until": "2026-12-01T00:00:00Z" },
              { "type": "notify", "to": ["responsible"],
                "message": { "en": "{{ unclosed", "ru": "{% if %}" } },
              { "type": "wait", "delay": { "days": 100000000 } },
              { "type": "task", "code": "t2", "title": label("T2"),
                "deadline": { "days": 1, "hours": 2000000000 } }
          ] } }
    ]));
    def["calendar"] = json!({ "utc_offset": "+25:00" });
    use ErrorCode as C;
    let got = problems(def);
    let want = [
        (
            C::UnknownStage,
            "pipelines[0].automations[0].on.stage_entered",
        ),
        (C::UnknownStage, "pipelines[0].automations[0].run.to"),
        (
            C::UnknownTask,
            "pipelines[0].automations[1].on.task_completed",
        ),
        (
            C::InvalidActivity,
            "pipelines[0].automations[1].run.steps[0].answers_to_fields.note",
        ),
        (
            C::UnknownTask,
            "pipelines[0].automations[1].run.steps[1].when.task",
        ),
        (
            C::UnknownTask,
            "pipelines[0].automations[1].run.steps[1].then.until_task",
        ),
        (
            C::UnknownReference,
            "pipelines[0].automations[1].run.steps[2].template",
        ),
        (
            C::UnknownReference,
            "pipelines[0].automations[1].run.steps[3].document",
        ),
        (
            C::InvalidActivity,
            "pipelines[0].automations[1].run.steps[4]",
        ),
        (
            C::InvalidTemplate,
            "pipelines[0].automations[1].run.steps[5].message.en",
        ),
        (
            C::InvalidTemplate,
            "pipelines[0].automations[1].run.steps[5].message.ru",
        ),
        (
            C::InvalidActivity,
            "pipelines[0].automations[1].run.steps[6].delay",
        ),
        (
            C::InvalidActivity,
            "pipelines[0].automations[1].run.steps[7].deadline",
        ),
        (C::InvalidCalendar, "calendar.utc_offset"),
    ];
    assert_eq!(
        got,
        want.map(|(c, p)| (c, p.to_string())).to_vec(),
        "{got:#?}"
    );
}

fn dated() -> &'static Model {
    static MODEL: OnceLock<Model> = OnceLock::new();
    MODEL.get_or_init(|| {
        let def = mini(json!([
            { "code": "remind", "label": label("Remind"),
              "on": { "date_reached": { "field": "due", "offset": { "days": -1, "business": true } } },
              "run": { "type": "task", "code": "remind", "title": label("Remind") } }
        ]));
        match Model::from_json(&def.to_string()) {
            Ok(m) => m,
            Err(e) => panic!("{:#?}", e.diagnostics()),
        }
    })
}

// case: D11, D12 (date_reached trigger)
#[test]
fn a_date_trigger_is_planned_when_the_date_is_set_and_fires_once() {
    let mut f = Flow::new(dated());
    ticket(&mut f, Value::Null);
    assert!(f.record().timers.is_empty());
    // Wednesday 2 Dec → one working day before: Tuesday 1 Dec, 09:00 UTC (no offset here).
    let o = f.ok(&manager(), support::set(json!({ "due": "2026-12-02" })));
    assert_eq!(kinds(&o), ["fields_changed", "timer_set"].map(String::from));
    assert_eq!(f.timers(), vec![at("2026-12-01T09:00:00Z")]);
    assert_eq!(f.record().timers[0].run, None);
    // Moved to Monday 7 Dec → Friday 4 Dec.
    f.ok(&manager(), support::set(json!({ "due": "2026-12-07" })));
    assert_eq!(f.timers(), vec![at("2026-12-04T09:00:00Z")]);
    f.set_clock("2026-12-04T09:00:00Z");
    let o = f.tick();
    assert_eq!(
        kinds(&o),
        ["timer_cleared", "task_created", "run_updated"].map(String::from)
    );
    assert!(f.tick().events.is_empty());
    assert_eq!(f.record().timers, vec![]);

    // A record created with the date already set gets its reminder too.
    let mut f = Flow::new(dated());
    ticket(&mut f, json!({ "due": "2026-12-02" }));
    assert_eq!(f.timers(), vec![at("2026-12-01T09:00:00Z")]);
}
