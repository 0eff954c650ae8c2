//! Automations of the deal funnel, case by case (D1–D12), with the clock moved by hand.

use chrono::Duration;
use serde_json::{Value, json};
use voronka::automation::DocumentLang;
use voronka::record::{AttachmentRef, DocumentRequest, Recipient};
use voronka::{Action, Effect, ErrorCode, Label, Lang, Rejection, TaskStatus};

use crate::flow::{
    Flow, at, cleared, complete, created_tasks, effect_kinds, emails, field_changes, kinds, moves,
    trace,
};
use crate::support::{self, head, manager};

fn s(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn tr(a: &str, what: &str, reason: &str) -> (String, String, String) {
    (a.into(), what.into(), reason.into())
}

// case: D1
#[test]
fn d1_a_new_deal_gets_the_call_task_with_the_clients_details() {
    let mut f = Flow::eco();
    let o = f.ok(
        &manager(),
        support::create("deal-1", "deals", crate::flow::client()),
    );
    assert_eq!(kinds(&o), s(&["created", "task_created", "run_updated"]));
    let task = &created_tasks(&o)[0];
    assert_eq!(task.id, "deal-1:task-2");
    assert_eq!(task.run, "deal-1:run-1");
    assert_eq!(task.title.en, "Call the potential client");
    assert_eq!(task.assignee, Recipient::User("u-anna".into()));
    assert_eq!(task.deadline, Some(at("2026-11-30T09:00:00Z")));
    assert_eq!(
        task.description,
        Some(Label::new(
            "Petrova Maria, Green Food: +74951234567",
            "Petrova Maria, Green Food: +74951234567"
        ))
    );
    assert_eq!(
        trace(&o),
        vec![
            tr("d1_call", "started", "entered stage \"contact\""),
            tr("d1_call", "waiting", "waiting for task \"call_client\""),
        ]
    );
    // Completing the call ends the run; the deal stays where it is.
    let o = f.complete(&manager(), "call_client", Value::Null);
    assert_eq!(kinds(&o), s(&["task_closed", "run_ended"]));
    assert_eq!(f.record().stage, "contact");
    assert!(f.record().runs.is_empty());
}

fn offer_answers() -> Value {
    json!({
        "offer_items": [{ "name": "Kraft box 300x200x100", "quantity": "5000", "unit": "pcs",
                          "price": "18.50", "vat_rate": "20" }],
        "offer_valid_until": "2026-12-15",
        "payment_terms": "50% prepayment",
    })
}

// case: D2
#[test]
fn d2_the_offer_is_rendered_and_emailed_to_the_client_with_the_document_attached() {
    let mut f = Flow::deal_at("offer");
    let task = f.task("offer_fields");
    assert_eq!(task.status, TaskStatus::Open);
    // The form is the model's, not stored with the task.
    assert!(
        !serde_json::to_string(&task)
            .expect("encodes")
            .contains("\"form\"")
    );
    let form = f.model.task_form("deals", &task.automation, &task.code);
    assert_eq!(
        form.iter().map(|d| d.code.as_str()).collect::<Vec<_>>(),
        ["offer_items", "offer_valid_until", "payment_terms"]
    );
    assert!(
        f.model
            .task_form("deals", &task.automation, "no_such_task")
            .is_empty()
    );
    // The form needs its items and validity date.
    let r = f.err(
        &manager(),
        complete(&task.id, json!({ "payment_terms": "later" })),
    );
    let Rejection::MissingAnswers { missing, .. } = &r else {
        panic!("{r:?}")
    };
    assert_eq!(
        support::codes(missing),
        ["offer_items", "offer_valid_until"]
    );

    f.advance(Duration::hours(2));
    let o = f.complete(&manager(), "offer_fields", offer_answers());
    assert_eq!(
        kinds(&o),
        s(&[
            "task_closed",
            "fields_changed",
            "document_requested",
            "email_queued",
            "run_ended"
        ])
    );
    assert_eq!(
        field_changes(&o).keys().collect::<Vec<_>>(),
        ["offer_items", "offer_valid_until", "payment_terms"]
    );
    assert_eq!(
        effect_kinds(&o),
        s(&["close_task", "render_document", "send_email"])
    );
    let Effect::RenderDocument { id, document, .. } = &o.effects[1] else {
        panic!()
    };
    assert_eq!(
        document,
        &DocumentRequest {
            document: "commercial_offer".into(),
            template: "commercial_offer".into(),
            number_format: "CO-{year}-{seq:04}".into(),
            lang: DocumentLang::Ru,
            record: "deal-1".into(),
        }
    );
    let email = &emails(&o)[0];
    assert_eq!(email.template, "offer");
    assert_eq!(email.to, "maria@greenfood.example");
    assert_eq!(email.lang, Lang::Ru);
    assert_eq!(email.subject, "Коммерческое предложение для Green Food");
    assert_eq!(
        email.body,
        "Здравствуйте, Petrova Maria!\n\nНаправляем коммерческое предложение; оно действительно до 15.12.2026.\n\nУсловия оплаты: 50% prepayment\n\nС уважением,\nЭкоупаковка"
    );
    assert_eq!(
        email.attachments,
        vec![AttachmentRef::Document {
            request: id.clone(),
            document: "commercial_offer".into(),
        }]
    );
}

/// The D3 call task's answers.
fn call(answers: Value) -> Value {
    answers
}

// case: D3
#[test]
fn d3_not_reached_or_waiting_asks_again_after_two_business_days_then_lost_with_reason() {
    let mut f = Flow::deal_at("negotiation");
    let first = f.task("call");
    assert_eq!(first.deadline, Some(at("2026-11-30T09:00:00Z")));
    // Not reached (Friday 12:00 Moscow): asked again on Tuesday. An outcome given with "no"
    // is ignored: only a client reached can be lost, postponed or sent back.
    let o = f.complete(
        &manager(),
        "call",
        call(json!({ "reached": false, "outcome": "lost", "lost_reason": "price" })),
    );
    assert_eq!(
        kinds(&o),
        s(&["task_closed", "fields_changed", "timer_set", "run_updated"])
    );
    assert_eq!(f.timers(), vec![at("2026-12-01T09:00:00Z")]);
    assert_eq!(f.record().next_due(), Some(at("2026-12-01T09:00:00Z")));
    assert_eq!(f.record().stage, "negotiation");
    // A tick before it is due does nothing.
    f.set_clock("2026-12-01T08:59:00Z");
    let o = f.tick();
    assert!(o.events.is_empty(), "{:?}", o.events);
    f.set_clock("2026-12-01T09:00:00Z");
    let o = f.tick();
    assert_eq!(
        kinds(&o),
        s(&["timer_cleared", "task_created", "run_updated"])
    );
    assert!(cleared(&o)[0].1);
    let second = created_tasks(&o)[0].clone();
    assert_eq!(second.code, "call");
    assert_ne!(second.id, first.id);
    assert_eq!(second.answers, Default::default());
    // Reached, waiting: asked again two business days later (Tuesday → Thursday).
    f.advance(Duration::hours(1));
    f.complete(
        &manager(),
        "call",
        call(json!({ "reached": true, "outcome": "waiting", "comment": "Budget in December" })),
    );
    assert_eq!(f.timers(), vec![at("2026-12-03T10:00:00Z")]);
    assert_eq!(
        f.record().fields["negotiation_comment"],
        json!("Budget in December")
    );
    f.set_clock("2026-12-03T10:00:00Z");
    f.tick();
    assert_eq!(
        f.tasks(),
        vec![
            ("call_client".to_string(), TaskStatus::Cancelled),
            ("offer_fields".to_string(), TaskStatus::Cancelled),
            ("call".to_string(), TaskStatus::Done),
            ("call".to_string(), TaskStatus::Done),
            ("call".to_string(), TaskStatus::Open),
        ]
    );
    // Lost needs its reason.
    let id = f.task("call").id;
    let r = f.err(
        &manager(),
        complete(&id, json!({ "reached": true, "outcome": "lost" })),
    );
    assert_eq!(r.code(), ErrorCode::MissingAnswers);
    let o = f.complete(
        &manager(),
        "call",
        call(json!({ "reached": true, "outcome": "lost", "lost_reason": "price" })),
    );
    assert_eq!(
        moves(&o),
        vec![("negotiation".to_string(), "lost".to_string())]
    );
    assert_eq!(f.record().stage, "lost");
    assert_eq!(f.record().fields["lost_reason"], json!("price"));
    assert!(f.record().runs.is_empty() && f.record().timers.is_empty());
}

// case: D3, D12
#[test]
fn d3_postponed_goes_to_d12_and_back_to_offer_goes_to_d2() {
    let mut f = Flow::deal_at("negotiation");
    let o = f.complete(
        &manager(),
        "call",
        call(json!({ "reached": true, "outcome": "postponed" })),
    );
    assert_eq!(
        moves(&o),
        vec![("negotiation".to_string(), "postponed".to_string())]
    );
    assert_eq!(f.record().return_stage.as_deref(), Some("negotiation"));
    assert_eq!(created_tasks(&o)[0].code, "postponed_call");

    let mut f = Flow::deal_at("negotiation");
    let o = f.complete(
        &manager(),
        "call",
        call(json!({ "reached": true, "outcome": "back_to_offer", "comment": "Needs a sample price" })),
    );
    assert_eq!(
        moves(&o),
        vec![("negotiation".to_string(), "offer".to_string())]
    );
    // D2 runs again: a new offer task.
    assert_eq!(created_tasks(&o)[0].code, "offer_fields");
    assert_eq!(f.task("offer_fields").status, TaskStatus::Open);
}

// case: D4
#[test]
fn d4_the_samples_task_lists_the_values_of_the_required_fields() {
    let f = Flow::deal_at("samples_prep");
    let task = f.task("prepare_samples");
    assert_eq!(task.deadline, Some(at("2026-12-02T09:00:00Z")));
    assert_eq!(
        task.description,
        Some(Label::new(
            "Dimensions: 300x200x100 mm; fastening: Lock (no glue); quantity: 50; material: Kraft paper; printed logo: ",
            "Размеры: 300x200x100 mm; скрепление: Замок (без клея); количество: 50; материал: Крафт-бумага; печать логотипа: "
        ))
    );
}

// case: D5
#[test]
fn d5_asks_every_week_until_the_client_received_the_samples() {
    let mut f = Flow::deal_at("samples_sent");
    let entered = f.now - Duration::zero();
    assert_eq!(f.timers(), vec![entered + Duration::days(7)]);
    assert_eq!(f.record().open_tasks().count(), 0);
    // Day 7: the question.
    f.now = entered + Duration::days(7);
    let o = f.tick();
    assert_eq!(
        kinds(&o),
        s(&["timer_cleared", "task_created", "run_updated"])
    );
    assert_eq!(
        created_tasks(&o)[0].title.en,
        "Did the client receive the samples?"
    );
    // Ticking again at the same moment changes nothing.
    assert!(f.tick().events.is_empty());
    // Not yet: where the parcel is; the next question in a week.
    let r = f.err(
        &manager(),
        complete(&f.task("ask_received").id, json!({ "received": false })),
    );
    assert_eq!(r.path().as_deref(), Some("action.answers.parcel_location"));
    f.complete(
        &manager(),
        "ask_received",
        json!({ "received": false, "parcel_location": "Kazan sorting centre" }),
    );
    assert_eq!(
        f.record().fields["parcel_location"],
        json!("Kazan sorting centre")
    );
    assert_eq!(f.timers(), vec![entered + Duration::days(14)]);
    // Day 14: asked again.
    f.now = entered + Duration::days(14);
    let o = f.tick();
    assert_eq!(created_tasks(&o)[0].code, "ask_received");
    // Yes, with who confirmed: the questions stop.
    let o = f.complete(
        &manager(),
        "ask_received",
        json!({ "received": true, "received_by": { "last": "Sidorov", "first": "Pavel" } }),
    );
    assert_eq!(
        kinds(&o),
        s(&["task_closed", "fields_changed", "run_ended"])
    );
    assert_eq!(
        f.record().fields["samples_received_by"],
        json!({ "last": "Sidorov", "first": "Pavel" })
    );
    assert!(f.record().timers.is_empty() && f.record().runs.is_empty());
    assert_eq!(f.record().next_due(), None);
    f.now = entered + Duration::days(21);
    assert!(f.tick().events.is_empty());
    assert_eq!(
        f.tasks()
            .iter()
            .filter(|(c, _)| c == "ask_received")
            .count(),
        2
    );
}

// case: D5
#[test]
fn d5_leaving_the_stage_stops_the_weekly_question() {
    let mut f = Flow::deal_at("samples_sent");
    let entered = f.now;
    f.now = entered + Duration::days(7);
    f.tick();
    // With a question open, the deal moves on to feedback.
    f.advance(Duration::hours(3));
    let question = f.task("ask_received").id;
    let o = f.ok(&manager(), support::move_to("feedback", Value::Null));
    assert_eq!(
        o.effects[0],
        Effect::CloseTask {
            record: "deal-1".into(),
            task: question.clone(),
            status: TaskStatus::Cancelled,
        }
    );
    assert!(trace(&o).contains(&tr(
        "d5_samples_received",
        "cancelled",
        "the record left stage \"samples_sent\""
    )));
    assert!(f.record().timers.is_empty());
    f.now = entered + Duration::days(30);
    assert!(f.tick().events.is_empty());

    // Leaving while the timer is pending clears it without firing.
    let mut f = Flow::deal_at("samples_sent");
    f.advance(Duration::days(1));
    let timer = f.record().timers[0].id.clone();
    let o = f.ok(&manager(), support::move_to("feedback", Value::Null));
    assert_eq!(cleared(&o), vec![(timer, false)]);
    assert_eq!(f.record().next_due(), None);
}

fn feedback(decision: &str, comment: Option<&str>) -> Flow<'static> {
    let mut f = Flow::deal_at("feedback");
    let mut answers = json!({ "decision": decision });
    if let Some(c) = comment {
        answers["comment"] = json!(c);
    }
    f.complete(&manager(), "feedback", answers);
    f
}

// case: D6
#[test]
fn d6_feedback_not_interesting_postpone_or_production() {
    // A comment is needed for "not interesting".
    let mut f = Flow::deal_at("feedback");
    let id = f.task("feedback").id;
    let r = f.err(
        &manager(),
        complete(&id, json!({ "decision": "not_interested" })),
    );
    assert_eq!(r.code(), ErrorCode::MissingAnswers);

    let f = feedback("not_interested", Some("Too expensive for them"));
    assert_eq!(f.record().stage, "lost");
    assert_eq!(f.record().fields["lost_reason"], json!("not_interested"));
    assert_eq!(
        f.record().fields["feedback_comment"],
        json!("Too expensive for them")
    );

    let f = feedback("postpone", Some("After the holidays"));
    assert_eq!(f.record().stage, "postponed");
    assert_eq!(f.record().return_stage.as_deref(), Some("feedback"));
    assert_eq!(f.task("postponed_call").status, TaskStatus::Open);

    let f = feedback("production", None);
    assert_eq!(f.record().stage, "contract");
    assert_eq!(f.task("prepare_documents").status, TaskStatus::Open);
    assert_eq!(f.task("approve_documents").status, TaskStatus::Open);
}

fn documents() -> Value {
    json!({
        "contract_number": "D-2026-118",
        "contract_date": "2026-12-01",
        "signed_files": [{ "id": "f-10", "name": "contract.pdf" }],
        "packaging_type": "box",
        "cost": { "amount": "125000", "currency": "RUB" },
        "prepayment_percent": "30",
    })
}

// case: D7
#[test]
fn d7_two_parallel_tasks_then_the_heads_final_approval_moves_to_prepayment() {
    let mut f = Flow::deal_at("contract");
    let prepare = f.task("prepare_documents");
    let approve = f.task("approve_documents");
    assert_eq!(prepare.checklist.len(), 3);
    assert_eq!(approve.observers, vec![Recipient::Role("head".into())]);
    assert_eq!(approve.assignee, Recipient::User("u-anna".into()));
    // The checklist must be complete.
    let r = f.err(&manager(), complete(&prepare.id, documents()));
    assert_eq!(r.code(), ErrorCode::ChecklistIncomplete);
    let Rejection::ChecklistIncomplete { items, .. } = &r else {
        unreachable!()
    };
    assert_eq!(items.len(), 3);
    for item in 0..3 {
        let o = f.ok(
            &manager(),
            Action::CheckItem {
                task: prepare.id.clone(),
                item,
                done: true,
            },
        );
        assert_eq!(kinds(&o), s(&["checklist_checked"]));
    }
    // Checking it again changes nothing.
    let o = f.ok(
        &manager(),
        Action::CheckItem {
            task: prepare.id.clone(),
            item: 1,
            done: true,
        },
    );
    assert!(o.events.is_empty());
    let o = f.ok(&manager(), complete(&prepare.id, documents()));
    // case: P2 — the prepared documents also go for approval up the org structure.
    assert_eq!(
        kinds(&o),
        s(&[
            "task_closed",
            "fields_changed",
            "run_updated",
            "process_started"
        ])
    );
    assert_eq!(
        f.record().fields["contract_files"],
        json!([{ "id": "f-10", "name": "contract.pdf" }])
    );
    // The other branch is still open: nothing for the head yet. (The document approval
    // started for P2 is a record of its own; without an org structure its approval cannot
    // find the head, which its own notification says.)
    let deal_notices = o.effects.iter().filter(|e| {
        let e = serde_json::to_value(e).expect("serializable");
        e["type"] == "notify" && e["record"] == "deal-1"
    });
    assert_eq!(deal_notices.count(), 0);
    assert!(effect_kinds(&o).contains(&"create_record".to_string()));
    let o = f.ok(&manager(), complete(&approve.id, Value::Null));
    assert_eq!(
        kinds(&o),
        s(&["task_closed", "notified", "task_created", "run_updated"])
    );
    assert_eq!(
        o.effects[1],
        Effect::Notify {
            record: "deal-1".into(),
            id: o.effects[1].clone().notify_id(),
            to: vec![Recipient::Role("head".into())],
            message: Label::new(
                "Deal deal-1: documents are approved and attached; your final approval is needed",
                "Сделка deal-1: документы согласованы и приложены, нужно ваше финальное одобрение"
            ),
        }
    );
    let final_approval = created_tasks(&o)[0].clone();
    assert_eq!(final_approval.code, "final_approval");
    assert_eq!(final_approval.assignee, Recipient::Role("head".into()));
    // The manager may not complete the head's task.
    let r = f.err(
        &manager(),
        complete(&final_approval.id, json!({ "approved": true })),
    );
    assert_eq!(r.code(), ErrorCode::NotPermitted);
    let report = voronka::Error::Rejected(r).report(Lang::En);
    assert_eq!(report.details["action"], json!("complete_task"));
    // The head approves: the deal is in prepayment.
    let o = f.ok(
        &head(),
        complete(&final_approval.id, json!({ "approved": true })),
    );
    assert_eq!(
        moves(&o),
        vec![("contract".to_string(), "prepayment".to_string())]
    );
    assert_eq!(o.events[0].actor, "u-boris");
    assert_eq!(f.record().stage, "prepayment");
}

/// A deal in D7 with its documents prepared and approved: the head's final approval is open.
fn awaiting_final_approval() -> Flow<'static> {
    let mut f = Flow::deal_at("contract");
    let prepare = f.task("prepare_documents").id;
    for item in 0..3 {
        f.ok(
            &manager(),
            Action::CheckItem {
                task: prepare.clone(),
                item,
                done: true,
            },
        );
    }
    f.ok(&manager(), complete(&prepare, documents()));
    f.complete(&manager(), "approve_documents", Value::Null);
    assert_eq!(f.task("final_approval").status, TaskStatus::Open);
    f
}

/// The head's "no" with a comment on the open final approval task.
fn refuse(f: &mut Flow<'static>, comment: &str) -> voronka::Outcome {
    f.complete(
        &head(),
        "final_approval",
        json!({ "approved": false, "comment": comment }),
    )
}

// case: D7
#[test]
fn d7_the_heads_no_sends_the_documents_back_to_the_manager_and_then_asks_again() {
    let mut f = awaiting_final_approval();
    let first = f.task("final_approval");
    // A "no" needs the head's comment; the rejection changes nothing.
    let before = f.record().clone();
    let r = f.err(&head(), complete(&first.id, json!({ "approved": false })));
    let Rejection::MissingAnswers { missing, .. } = &r else {
        panic!("{r:?}")
    };
    assert_eq!(support::codes(missing), ["comment"]);
    assert_eq!(f.record(), &before);

    // With the comment, the deal's responsible manager gets the documents back.
    let o = refuse(&mut f, "The prepayment in the contract is 50%, not 30%");
    assert_eq!(
        kinds(&o),
        s(&["task_closed", "task_created", "run_updated"])
    );
    assert!(moves(&o).is_empty());
    assert_eq!(f.record().stage, "contract");
    let revise = created_tasks(&o)[0].clone();
    assert_eq!(revise.code, "revise_documents");
    assert_eq!(revise.assignee, Recipient::User("u-anna".into()));
    assert_eq!(
        revise.title,
        Label::new("Revise the documents", "Доработка документов")
    );
    assert_eq!(revise.observers, vec![Recipient::Role("head".into())]);
    assert_eq!(revise.deadline, Some(at("2026-12-01T09:00:00Z")));
    let description = revise.description.expect("the revision says why");
    assert!(description.en.contains("deal deal-1"), "{}", description.en);
    assert!(
        description.en.contains("“Final approval of the deal”"),
        "{}",
        description.en
    );
    assert!(
        description.ru.contains("«Финальное одобрение сделки»"),
        "{}",
        description.ru
    );
    // The comment stays on the head's closed task, where the description points.
    let closed = f
        .record()
        .tasks
        .iter()
        .find(|t| t.id == first.id)
        .expect("the first final approval task is kept");
    assert_eq!(closed.status, TaskStatus::Done);
    assert_eq!(
        closed.answers["comment"],
        json!("The prepayment in the contract is 50%, not 30%")
    );

    // The revision done, the head is asked again, on a new task.
    let o = f.complete(&manager(), "revise_documents", Value::Null);
    assert_eq!(
        kinds(&o),
        s(&["task_closed", "task_created", "run_updated"])
    );
    let again = created_tasks(&o)[0].clone();
    assert_eq!(again.code, "final_approval");
    assert_ne!(again.id, first.id);
    assert_eq!(again.assignee, Recipient::Role("head".into()));
    assert_eq!(again.status, TaskStatus::Open);

    // A "yes" now moves the deal on, as a first "yes" would.
    let o = f.ok(&head(), complete(&again.id, json!({ "approved": true })));
    assert_eq!(
        moves(&o),
        vec![("contract".to_string(), "prepayment".to_string())]
    );
    assert_eq!(f.record().stage, "prepayment");
    assert!(
        created_tasks(&o)
            .iter()
            .all(|t| t.code != "revise_documents")
    );
}

// case: D7
#[test]
fn d7_after_five_refusals_the_loop_stops_and_the_head_and_the_manager_are_told() {
    let mut f = awaiting_final_approval();
    for round in 1..=4 {
        let o = refuse(&mut f, &format!("Round {round}: fix the specification"));
        assert_eq!(created_tasks(&o)[0].code, "revise_documents");
        let o = f.complete(&manager(), "revise_documents", Value::Null);
        assert_eq!(created_tasks(&o)[0].code, "final_approval", "round {round}");
    }
    // The fifth "no" still sends the documents back …
    let o = refuse(&mut f, "Round 5: fix the specification");
    assert_eq!(created_tasks(&o)[0].code, "revise_documents");
    // … but after that revision the head is not asked a sixth time: the run ends and both
    // the head and the manager are told to decide by hand. The deal stays where it is.
    let o = f.complete(&manager(), "revise_documents", Value::Null);
    assert_eq!(kinds(&o), s(&["task_closed", "notified", "run_ended"]));
    assert!(created_tasks(&o).is_empty());
    assert!(moves(&o).is_empty());
    assert!(
        trace(&o).contains(&tr(
            "d7_contract",
            "resumed",
            "a repeat stopped after 5 rounds"
        )),
        "{:?}",
        trace(&o)
    );
    let Some(Effect::Notify { to, message, .. }) = o
        .effects
        .iter()
        .find(|e| matches!(e, Effect::Notify { .. }))
    else {
        panic!("no notification in {:?}", o.effects)
    };
    assert_eq!(
        to,
        &vec![
            Recipient::Role("head".into()),
            Recipient::User("u-anna".into())
        ]
    );
    assert_eq!(
        message.en,
        "Deal deal-1: the head refused the final approval 5 times; the stage's automation has \
         stopped and the revised documents are not sent for approval again. Decide what happens \
         to the deal by hand, e.g. move it to Lost."
    );
    assert_eq!(f.record().stage, "contract");
    assert!(f.record().runs.is_empty());
    let count = |code: &str| {
        f.record()
            .tasks
            .iter()
            .filter(|t| t.code == code && t.status == TaskStatus::Done)
            .count()
    };
    assert_eq!((count("final_approval"), count("revise_documents")), (5, 5));
    assert!(
        f.record()
            .tasks
            .iter()
            .all(|t| t.status != TaskStatus::Open)
    );
}

trait NotifyId {
    fn notify_id(self) -> String;
}

impl NotifyId for Effect {
    fn notify_id(self) -> String {
        match self {
            Effect::Notify { id, .. } => id,
            other => panic!("not a notification: {other:?}"),
        }
    }
}

/// A deal in production, entered from prepayment with what D7 filled in.
fn production() -> (Flow<'static>, voronka::Outcome) {
    let mut f = Flow::deal_at("prepayment");
    let o = f.ok(&manager(), support::move_to("production", Value::Null));
    (f, o)
}

// case: D9
#[test]
fn d9_order_accepted_email_production_request_task_then_status_email() {
    let (mut f, o) = production();
    assert_eq!(
        kinds(&o),
        s(&[
            "stage_changed",
            "email_queued",
            "task_created",
            "run_updated"
        ])
    );
    let email = &emails(&o)[0];
    assert_eq!(email.template, "order_accepted");
    assert_eq!(email.to, "maria@greenfood.example");
    assert_eq!(email.subject, "Ваш заказ принят");
    assert_eq!(
        email.body,
        "Здравствуйте, Petrova Maria!\n\nВаш заказ (Коробка, 125000.00 RUB) принят в производство.\n\nС уважением,\nЭкоупаковка"
    );
    let task = &created_tasks(&o)[0];
    assert_eq!(task.code, "production_request");
    assert_eq!(task.title.en, "Form the production request");
    assert_eq!(
        task.deadline,
        Some(f.now - Duration::zero() + Duration::days(4))
    );
    let o = f.complete(
        &manager(),
        "production_request",
        json!({ "production_request_due": "2026-12-20" }),
    );
    assert_eq!(
        kinds(&o),
        s(&["task_closed", "fields_changed", "email_queued", "run_ended"])
    );
    let email = &emails(&o)[0];
    assert_eq!(email.template, "order_status");
    assert_eq!(
        email.body,
        "Здравствуйте, Petrova Maria!\n\nЗаявка на производство вашего заказа сформирована; плановый срок — 20.12.2026.\n\nС уважением,\nЭкоупаковка"
    );
}

// case: D10
#[test]
fn d10_five_documents_then_scans_emailed_and_the_deal_moves_to_payment() {
    let (mut f, _) = production();
    let o = f.ok(&manager(), support::move_to("shipment", Value::Null));
    let docs: Vec<(String, DocumentLang)> = o
        .effects
        .iter()
        .filter_map(|e| match e {
            Effect::RenderDocument { document, .. } => {
                Some((document.document.clone(), document.lang))
            }
            _ => None,
        })
        .collect();
    assert_eq!(
        docs,
        ["cmr", "invoice", "packing_list", "act", "specification"]
            .map(|d| (d.to_string(), DocumentLang::Both))
            .to_vec()
    );
    // The production request task of D9 was cancelled on leaving.
    assert_eq!(effect_kinds(&o)[0], "close_task");
    let task = f.task("issue_documents");
    assert_eq!(task.status, TaskStatus::Open);
    let scans = json!([
        { "id": "f-21", "name": "cmr-signed.pdf" },
        { "id": "f-22", "name": "invoice-signed.pdf" },
    ]);
    let o = f.complete(&manager(), "issue_documents", json!({ "scans": scans }));
    let email = &emails(&o)[0];
    assert_eq!(email.template, "shipped");
    assert_eq!(email.subject, "Ваш заказ отгружен");
    assert_eq!(
        email.attachments,
        vec![
            AttachmentRef::File {
                id: "f-21".into(),
                name: "cmr-signed.pdf".into()
            },
            AttachmentRef::File {
                id: "f-22".into(),
                name: "invoice-signed.pdf".into()
            },
        ]
    );
    assert_eq!(
        moves(&o),
        vec![("shipment".to_string(), "payment".to_string())]
    );
    // D11 starts at once.
    assert_eq!(created_tasks(&o)[0].code, "payment_due");
    assert_eq!(f.record().stage, "payment");
}

// case: D11
#[test]
fn d11_reminder_three_business_days_before_the_due_date_moves_and_stalls() {
    let mut f = Flow::deal_at("payment");
    let o = f.complete(
        &manager(),
        "payment_due",
        json!({ "payment_due_date": "2026-12-10" }),
    );
    assert_eq!(
        kinds(&o),
        s(&["task_closed", "fields_changed", "timer_set", "run_updated"])
    );
    // Thursday 10 Dec − 3 working days = Monday 7 Dec, 09:00 Moscow.
    assert_eq!(f.timers(), vec![at("2026-12-07T06:00:00Z")]);
    assert_eq!(
        f.record().timers[0].field.as_deref(),
        Some("payment_due_date")
    );
    let timer = f.record().timers[0].id.clone();

    // The date moves: so does the reminder (17 Dec → Monday 14 Dec).
    f.advance(Duration::hours(1));
    let o = f.ok(
        &manager(),
        support::set(json!({ "payment_due_date": "2026-12-17" })),
    );
    assert_eq!(kinds(&o), s(&["fields_changed", "timer_set"]));
    assert_eq!(f.timers(), vec![at("2026-12-14T06:00:00Z")]);
    assert_eq!(f.record().timers[0].id, timer, "the same timer, re-planned");
    // The old moment passes quietly.
    f.set_clock("2026-12-07T06:00:00Z");
    assert!(f.tick().events.is_empty());

    // Cleared: the wait stalls, and says so.
    let o = f.ok(
        &manager(),
        support::set(json!({ "payment_due_date": null })),
    );
    assert_eq!(
        kinds(&o),
        s(&["fields_changed", "timer_cleared", "notified", "run_updated"])
    );
    assert_eq!(cleared(&o), vec![(timer, false)]);
    assert_eq!(
        o.effects,
        vec![Effect::Notify {
            record: "deal-1".into(),
            id: o.effects[0].clone().notify_id(),
            to: vec![Recipient::User("u-anna".into())],
            message: Label::new(
                "Automation “d11_payment” waits: fill in “Payment due date”",
                "Автоматизация «d11_payment» ждёт: заполните «Срок ожидания оплаты»"
            ),
        }]
    );
    assert!(f.record().timers.is_empty());
    assert!(
        !trace(&o)
            .iter()
            .any(|(_, _, why)| why.contains("was filled")),
        "a cleared field is not \"filled\": {:?}",
        trace(&o)
    );
    // Filled again (Thursday 24 Dec): planned again for Monday 21 Dec.
    let o = f.ok(
        &manager(),
        support::set(json!({ "payment_due_date": "2026-12-24" })),
    );
    assert_eq!(
        kinds(&o),
        s(&["fields_changed", "timer_set", "run_updated"])
    );
    assert_eq!(f.timers(), vec![at("2026-12-21T06:00:00Z")]);
    // The reminder.
    f.set_clock("2026-12-21T06:00:00Z");
    let o = f.tick();
    let task = &created_tasks(&o)[0];
    assert_eq!(task.code, "remind_payment");
    assert_eq!(task.title.en, "Remind the client about payment");
    assert_eq!(
        task.description,
        Some(Label::new(
            "Payment is due 2026-12-24",
            "Срок оплаты 24.12.2026"
        ))
    );
    // A due date already close: the reminder comes at once.
    let mut f = Flow::deal_at("payment");
    let o = f.complete(
        &manager(),
        "payment_due",
        json!({ "payment_due_date": "2026-11-30" }),
    );
    assert_eq!(created_tasks(&o)[0].code, "remind_payment");
    assert!(f.record().timers.is_empty());
}

// case: D12
#[test]
fn d12_the_call_asks_for_the_next_contact_date_and_reminds_on_that_date() {
    let mut f = Flow::deal_at("negotiation");
    f.ok(&manager(), support::move_to("postponed", Value::Null));
    let call = f.task("postponed_call");
    assert_eq!(call.title.en, "Call the client");
    let r = f.err(&manager(), complete(&call.id, Value::Null));
    assert_eq!(r.code(), ErrorCode::MissingAnswers);
    let o = f.complete(
        &manager(),
        "postponed_call",
        json!({ "next_contact_date": "2026-12-03" }),
    );
    assert_eq!(
        kinds(&o),
        s(&["task_closed", "fields_changed", "timer_set", "run_updated"])
    );
    // 3 Dec, 09:00 Moscow.
    assert_eq!(f.timers(), vec![at("2026-12-03T06:00:00Z")]);
    f.set_clock("2026-12-03T05:59:00Z");
    assert!(f.tick().events.is_empty());
    f.set_clock("2026-12-03T06:00:00Z");
    let o = f.tick();
    assert_eq!(
        kinds(&o),
        s(&["timer_cleared", "task_created", "run_updated"])
    );
    let task = &created_tasks(&o)[0];
    assert_eq!(task.code, "contact_again");
    assert_eq!(task.deadline, Some(at("2026-12-03T06:00:00Z")));
    assert_eq!(task.assignee, Recipient::User("u-anna".into()));
    // The deal returns to negotiation: the reminder task is cancelled, D3 asks again.
    let o = f.ok(&manager(), support::move_to("negotiation", Value::Null));
    assert_eq!(
        o.effects[0],
        Effect::CloseTask {
            record: "deal-1".into(),
            task: task.id.clone(),
            status: TaskStatus::Cancelled,
        }
    );
    assert_eq!(f.task("call").status, TaskStatus::Open);
}
