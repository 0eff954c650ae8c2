//! More outcomes of the business processes P1–P6: the payment order, a payment request
//! started from a deal, rejections at every kind of step, an acknowledgement someone never
//! confirms, the weekly report schedule over the New Year holidays, and the approval rules
//! (`majority`, `at_least`, `max_rework`) on a small inline definition.

use std::sync::OnceLock;

use serde_json::{Value, json};
use voronka::effect::Effect;
use voronka::record::{Recipient, RunOutcome, TaskKind};
use voronka::{Action, Change, ErrorCode, Model, Outcome, TaskStatus};

use crate::processes::{
    Process, anna, at, boris, create, dmitry, galina, notified, payment_request, stage_changes,
    user, vera,
};
use crate::support::fields;

fn decisions(outcome: &Outcome) -> Vec<(u32, u32, String)> {
    outcome
        .events
        .iter()
        .filter_map(|e| match &e.change {
            Change::ApprovalDecided {
                step,
                round,
                decision,
                ..
            } => Some((*step, *round, decision.clone())),
            _ => None,
        })
        .collect()
}

fn signals(outcome: &Outcome) -> Vec<(String, String)> {
    outcome
        .effects
        .iter()
        .filter_map(|e| match e {
            Effect::DeliverSignal { to, name, .. } => Some((to.clone(), name.clone())),
            _ => None,
        })
        .collect()
}

fn complete(task: &str, answers: Value) -> Action {
    Action::CompleteTask {
        task: task.into(),
        answers: fields(answers),
    }
}

// case: P1
#[test]
fn p1_payment_document_needed_gives_the_accountant_a_payment_order_task() {
    let mut p = Process::new("2026-11-30T09:00:00Z");
    let mut values = payment_request();
    values["payment_document_needed"] = json!(true);
    p.ok(&anna(), create("pr-4", "payment_requests", values));
    p.decide(&boris(), "head_approval", "approve", None);
    let pay = p.open("pay")[0].0.clone();
    p.later(60);
    let paid = p.ok(&vera(), complete(&pay, json!({"paid_on": "2026-11-30"})));
    assert_eq!(
        notified(&paid)[0].1,
        "Payment made: Kraft paper, 2 t, 184000.00 RUB"
    );
    // The request waits for the payment order: the accountant has a task, due in a working day.
    assert_eq!(p.record().stage, "payment");
    let order = p.open("send_payment_order");
    assert_eq!(order.len(), 1);
    assert_eq!(order[0].1, Recipient::User("u-vera".into()));
    let task = p
        .record()
        .tasks
        .iter()
        .find(|t| t.id == order[0].0)
        .expect("the task");
    assert_eq!(task.deadline, Some(at("2026-12-01T10:05:00Z")));
    // The initiator cannot close it, nor can it be closed without the document.
    assert_eq!(
        p.rejected(&anna(), complete(&order[0].0, json!({}))).code(),
        ErrorCode::NotPermitted
    );
    assert_eq!(
        p.rejected(&vera(), complete(&order[0].0, json!({}))).code(),
        ErrorCode::MissingAnswers
    );
    p.later(30);
    let sent = p.ok(
        &vera(),
        complete(
            &order[0].0,
            json!({"payment_order": {"id": "f-77", "name": "payment-order-512.pdf"}}),
        ),
    );
    assert_eq!(
        stage_changes(&sent),
        vec![("payment".into(), "paid".into())]
    );
    assert_eq!(
        p.record().fields["payment_order"],
        json!({"id": "f-77", "name": "payment-order-512.pdf"})
    );
    assert!(p.record().runs.is_empty() && p.record().timers.is_empty());
}

// case: P1
#[test]
fn p1_started_from_a_deal_is_filled_from_it_and_the_initiator_hears_of_the_payment() {
    let mut deal = Process::new("2026-11-30T09:00:00Z");
    deal.ok(
        &anna(),
        create(
            "deal-9",
            "deals",
            json!({
                "company_name": "ООО «Зелёная еда»",
                "cost": {"amount": "540000", "currency": "RUB"},
                "payment_terms": "30% prepayment, the rest on shipment",
            }),
        ),
    );
    deal.later(10);
    let asked = deal.ok(
        &anna(),
        Action::SetFields {
            fields: fields(json!({"request_payment": true})),
        },
    );
    let started = asked
        .effects
        .iter()
        .find_map(|e| match e {
            Effect::CreateRecord {
                record: Some(r),
                events,
                ..
            } if r.pipeline == "payment_requests" => Some(((**r).clone(), events.clone())),
            _ => None,
        })
        .expect("a payment request was started");
    let (started, started_log) = started;
    assert_eq!(started.stage, "approval");
    for (field, value) in [
        ("title", json!("ООО «Зелёная еда»")),
        ("payee", json!("ООО «Зелёная еда»")),
        ("amount", json!({"amount": "540000.00", "currency": "RUB"})),
        ("purpose", json!("30% prepayment, the rest on shipment")),
        ("deal", json!("deal-9")),
    ] {
        assert_eq!(started.fields[field], value, "{field}");
    }
    // The new record's own first task is work for the host too.
    assert!(asked.effects.iter().any(|e| matches!(e,
        Effect::CreateTask { record, task, .. } if *record == started.id && task.code == "head_approval")));
    // It runs like any payment request: the head of the initiator approves, the accountant pays.
    let mut request = Process::adopt(deal.model, started, started_log, deal.now);
    assert_eq!(
        request.open("head_approval")[0].1,
        Recipient::User("u-boris".into())
    );
    let title = &request.record().tasks[0].title.en;
    assert_eq!(title, "Payment request: ООО «Зелёная еда»");
    request.decide(&boris(), "head_approval", "approve", None);
    let pay = request.open("pay")[0].0.clone();
    request.later(60);
    let paid = request.ok(&vera(), complete(&pay, json!({"paid_on": "2026-11-30"})));
    assert_eq!(
        notified(&paid),
        vec![(
            vec![Recipient::User("u-anna".into())],
            "Payment made: ООО «Зелёная еда», 540000.00 RUB".to_string()
        )]
    );
    assert_eq!(request.record().stage, "paid");
    // Clearing and setting the flag again files another request; clearing alone files none.
    deal.later(10);
    let cleared = deal.ok(
        &anna(),
        Action::SetFields {
            fields: fields(json!({"request_payment": false})),
        },
    );
    assert!(
        !cleared
            .effects
            .iter()
            .any(|e| matches!(e, Effect::CreateRecord { .. }))
    );
}

// case: P1
#[test]
fn p1_from_a_deal_without_the_amount_fails_visibly_on_the_deal() {
    let mut deal = Process::new("2026-11-30T09:00:00Z");
    deal.ok(
        &anna(),
        create("deal-10", "deals", json!({"company_name": "Green Food"})),
    );
    deal.later(10);
    let asked = deal.ok(
        &anna(),
        Action::SetFields {
            fields: fields(json!({"request_payment": true})),
        },
    );
    assert!(
        !asked
            .effects
            .iter()
            .any(|e| matches!(e, Effect::CreateRecord { .. }))
    );
    let failed = asked
        .events
        .iter()
        .find_map(|e| match &e.change {
            Change::AutomationFailed {
                automation, code, ..
            } => Some((automation.clone(), *code)),
            _ => None,
        })
        .expect("the start is reported as failed");
    assert_eq!(
        failed,
        ("p1_from_deal".to_string(), ErrorCode::MissingFields as u32)
    );
}

// case: P2
#[test]
fn p2_rejected_by_the_heads_head_goes_back_to_the_deal() {
    let mut deal = Process::new("2026-11-30T09:00:00Z");
    deal.ok(&anna(), create("deal-8", "deals", json!({})));
    let mut p = Process::new("2026-11-30T09:00:00Z");
    p.ok(
        &anna(),
        create(
            "da-1",
            "document_approvals",
            json!({
                "title": "ЭУ-2026/046",
                "document": [{"id": "f-3", "name": "contract.pdf"}],
                "deal": "deal-8",
            }),
        ),
    );
    let first = p.decide(&boris(), "doc_approval", "approve", None);
    assert_eq!(decisions(&first), vec![(0, 0, "approve".into())]);
    // Step 2 is Galina's alone: Boris cannot decide it, nor can the director.
    let (task, who) = p.open("doc_approval")[0].clone();
    assert_eq!(who, Recipient::User("u-galina".into()));
    for other in [boris(), dmitry()] {
        assert_eq!(
            p.rejected(&other, complete(&task, json!({"decision": "approve"})))
                .code(),
            ErrorCode::NotPermitted
        );
    }
    let rejected = p.decide(
        &galina(),
        "doc_approval",
        "reject",
        Some("The penalty clause is unacceptable"),
    );
    assert_eq!(decisions(&rejected), vec![(1, 0, "reject".into())]);
    assert_eq!(
        stage_changes(&rejected),
        vec![("approval".into(), "rejected".into())]
    );
    assert_eq!(
        signals(&rejected),
        vec![("deal-8".to_string(), "documents_rejected".to_string())]
    );
    assert!(p.open("doc_approval").is_empty());
    // The host delivers it; the deal records it.
    deal.now = p.now;
    let delivered = deal.ok(
        &galina(),
        Action::Signal {
            name: "documents_rejected".into(),
            from: Some("da-1".into()),
        },
    );
    assert!(delivered.events.iter().any(|e| matches!(&e.change,
        Change::SignalReceived { name, from } if name == "documents_rejected" && from.as_deref() == Some("da-1"))));
}

// case: P3
#[test]
fn p3_a_department_roster_with_someone_who_never_confirms() {
    let mut p = Process::new("2026-11-30T09:00:00Z");
    p.ok(
        &boris(),
        Action::Create {
            id: "ack-2".into(),
            pipeline: "acknowledgements".into(),
            stage: None,
            responsible: Some("u-boris".into()),
            fields: fields(json!({
                "title": "Fire safety rules",
                "document": {"id": "f-5", "name": "fire-safety.pdf"},
                "readers": "production; u-olga",
                "deadline": "2026-12-04",
            })),
        },
    );
    // The department stands for its members (the head included), then the named user.
    let status = &p.record().acknowledgements(p.now)[0];
    assert_eq!(status.pending, vec!["u-pavel", "u-semyon", "u-olga"]);
    assert_eq!(status.deadline, Some(at("2026-12-04T06:00:00Z")));
    let task = &p.record().tasks[0];
    assert_eq!(task.kind, TaskKind::Acknowledgement);
    assert_eq!(task.title.en, "Fire safety rules");
    assert_eq!(
        task.description.as_ref().map(|d| d.en.as_str()),
        Some("fire-safety.pdf")
    );
    let semyon = user("u-semyon", &[]);
    let pavel = user("u-pavel", &["head"]);
    let olga = user("u-olga", &["accountant"]);
    let task_of = |p: &Process, who: &str| {
        p.open("read")
            .into_iter()
            .find(|(_, w)| *w == Recipient::User(who.into()))
            .map(|(id, _)| id)
            .expect("an open confirmation")
    };
    // Pavel, Semyon's head, cannot confirm for him.
    let semyons = task_of(&p, "u-semyon");
    assert_eq!(
        p.rejected(&pavel, complete(&semyons, json!({}))).code(),
        ErrorCode::NotPermitted
    );
    for who in [&pavel, &olga] {
        let task = task_of(&p, &who.user);
        p.later(45);
        p.ok(who, complete(&task, json!({})));
    }
    let status = &p.record().acknowledgements(p.now)[0];
    assert_eq!(
        (status.percent, status.pending.clone()),
        (66, vec!["u-semyon".to_string()])
    );
    assert!(status.late.is_empty());
    // The reminder goes to Semyon alone, once.
    p.now = p.record().next_due().expect("the reminder");
    let reminded = p.ok(&semyon, Action::Tick);
    assert_eq!(
        notified(&reminded),
        vec![(
            vec![Recipient::User("u-semyon".into())],
            "Reminder: please confirm you have read “Fire safety rules”".to_string()
        )]
    );
    assert_eq!(p.record().next_due(), None);
    let again = p.ok(&semyon, Action::Tick);
    assert!(again.events.is_empty());
    // Past the deadline Semyon is late; the acknowledgement stays open, nothing else fires.
    p.now = at("2026-12-07T12:00:00Z");
    assert!(p.ok(&semyon, Action::Tick).events.is_empty());
    let status = &p.record().acknowledgements(p.now)[0];
    assert_eq!(status.late, vec!["u-semyon"]);
    assert_eq!(status.percent, 66);
    assert_eq!(
        status
            .confirmed
            .iter()
            .map(|c| (c.user.as_str(), c.late))
            .collect::<Vec<_>>(),
        vec![("u-pavel", false), ("u-olga", false)]
    );
    assert_eq!(p.record().stage, "reading");
}

// case: P4
#[test]
fn p4_the_head_rejects_with_a_reason() {
    let mut p = Process::new("2026-11-30T08:00:00Z");
    p.ok(
        &anna(),
        create(
            "sl-2",
            "sick_leaves",
            json!({"leave_kind": "unpaid_day_off", "date_from": "2026-12-03", "date_to": "2026-12-03"}),
        ),
    );
    let task = p.open("head_approval")[0].0.clone();
    // Another employee of the department cannot decide; a rejection needs a comment.
    assert_eq!(
        p.rejected(
            &user("u-ivan", &["manager"]),
            complete(&task, json!({"decision": "approve"}))
        )
        .code(),
        ErrorCode::NotPermitted
    );
    assert_eq!(
        p.rejected(&boris(), complete(&task, json!({"decision": "reject"})))
            .code(),
        ErrorCode::MissingAnswers
    );
    let rejected = p.decide(&boris(), "head_approval", "reject", Some("Inventory day"));
    assert_eq!(decisions(&rejected), vec![(0, 0, "reject".into())]);
    assert_eq!(
        notified(&rejected),
        vec![(
            vec![Recipient::User("u-anna".into())],
            "Rejected: Unpaid day off".to_string()
        )]
    );
    assert_eq!(p.record().stage, "rejected");
    assert_eq!(
        p.record().tasks[0].answers["comment"],
        json!("Inventory day")
    );
}

// case: P5
#[test]
fn p5_unpaid_leave_rejected_by_the_director_never_reaches_accounting() {
    let mut p = Process::new("2026-11-30T08:00:00Z");
    p.ok(
        &anna(),
        create(
            "lr-3",
            "leave_requests",
            json!({"leave_kind": "unpaid", "date_from": "2026-12-14", "date_to": "2026-12-16", "days": 3}),
        ),
    );
    p.decide(&boris(), "unpaid_approval", "approve", None);
    // The accountant is not asked before the director decides.
    let task = p.open("unpaid_approval")[0].0.clone();
    assert_eq!(
        p.rejected(&vera(), complete(&task, json!({"decision": "approve"})))
            .code(),
        ErrorCode::NotPermitted
    );
    let rejected = p.decide(
        &dmitry(),
        "unpaid_approval",
        "reject",
        Some("Year-end closing"),
    );
    assert_eq!(decisions(&rejected), vec![(1, 0, "reject".into())]);
    assert_eq!(
        notified(&rejected),
        vec![(
            vec![Recipient::User("u-anna".into())],
            "Your request is rejected".to_string()
        )]
    );
    assert_eq!(p.record().stage, "rejected");
    assert_eq!(
        crate::support::tasks_in_log(p.log())
            .iter()
            .filter(|t| t.code == "unpaid_approval")
            .map(|t| t.assignee.clone())
            .collect::<Vec<_>>(),
        vec![
            Recipient::User("u-boris".into()),
            Recipient::User("u-dmitry".into())
        ]
    );
}

/// The weekly tasks one tick created: (assignee, observers).
fn created_tasks(outcome: &Outcome) -> Vec<(Recipient, Vec<Recipient>)> {
    outcome
        .effects
        .iter()
        .filter_map(|e| match e {
            Effect::CreateTask { task, .. } => {
                Some((task.assignee.clone(), task.observers.clone()))
            }
            _ => None,
        })
        .collect()
}

// case: P6
#[test]
fn p6_weekly_rounds_skip_the_new_year_holidays_and_stop_when_finished() {
    // Monday 21 December 2026, 09:00 Moscow.
    let mut p = Process::new("2026-12-21T06:00:00Z");
    let pavel = user("u-pavel", &["head"]);
    p.ok(
        &pavel,
        Action::Create {
            id: "reports-production".into(),
            pipeline: "reports".into(),
            stage: None,
            responsible: Some("u-pavel".into()),
            fields: fields(json!({"department": "production", "period": "weekly"})),
        },
    );
    // Five working days later: Monday 28 December.
    assert_eq!(p.record().next_due(), Some(at("2026-12-28T06:00:00Z")));
    // A tick before that creates nothing.
    p.now = at("2026-12-25T06:00:00Z");
    assert!(p.ok(&pavel, Action::Tick).events.is_empty());
    p.now = at("2026-12-28T06:00:00Z");
    let week1 = p.ok(&pavel, Action::Tick);
    let expected = vec![
        (
            Recipient::User("u-pavel".into()),
            vec![Recipient::User("u-pavel".into())],
        ),
        (
            Recipient::User("u-semyon".into()),
            vec![Recipient::User("u-pavel".into())],
        ),
    ];
    assert_eq!(created_tasks(&week1), expected);
    let deadline = p.record().tasks[0].deadline;
    assert_eq!(deadline, Some(at("2026-12-28T12:00:00Z")));
    // 29 and 30 December are working days; 31 December to 10 January are holidays and a
    // weekend; 11–13 January make five: Wednesday 13 January.
    assert_eq!(p.record().next_due(), Some(at("2027-01-13T06:00:00Z")));
    let pavels = p.open("weekly_plan")[0].0.clone();
    p.later(60);
    p.ok(
        &pavel,
        complete(&pavels, json!({"plan": "Line 2 maintenance"})),
    );
    p.now = at("2027-01-13T06:00:00Z");
    let week2 = p.ok(&pavel, Action::Tick);
    assert_eq!(created_tasks(&week2), expected);
    assert_eq!(p.record().next_due(), Some(at("2027-01-20T06:00:00Z")));
    // Semyon's first task is still open: the schedule does not wait for reports.
    assert_eq!(p.open("weekly_plan").len(), 3);
    // The schedule is finished: the run ends and its timer goes. The reports already asked
    // for stay due (tasks of `each` do not belong to the run's steps).
    p.later(30);
    let finished = p.ok(
        &pavel,
        Action::Move {
            to: "finished".into(),
            fields: Default::default(),
            override_reason: None,
        },
    );
    assert!(finished.events.iter().any(|e| matches!(
        &e.change,
        Change::RunEnded {
            outcome: RunOutcome::Cancelled,
            ..
        }
    )));
    assert_eq!(p.record().next_due(), None);
    assert!(p.record().runs.is_empty());
    p.now = at("2027-01-20T06:00:00Z");
    assert!(p.ok(&pavel, Action::Tick).events.is_empty());
    assert_eq!(
        crate::support::tasks_in_log(p.log())
            .iter()
            .map(|t| t.status)
            .collect::<Vec<_>>(),
        vec![
            TaskStatus::Done,
            TaskStatus::Open,
            TaskStatus::Open,
            TaskStatus::Open
        ]
    );
}

/// A small definition: a proposal voted on by Boris, Galina and Dmitry under `rule`.
fn votes(rule: Value, max_rework: u32) -> Value {
    let label = |en: &str, ru: &str| json!({"en": en, "ru": ru});
    json!({
        "format": 1,
        "code": "votes",
        "label": label("Votes", "Голосования"),
        "roles": [{"code": "manager", "label": label("Manager", "Менеджер")}],
        "entities": [{
            "code": "proposal", "kind": "custom", "label": label("Proposal", "Предложение"),
            "fields": [{"code": "title", "label": label("Title", "Название"), "type": "text"}]
        }],
        "pipelines": [{
            "code": "proposals", "entity": "proposal", "label": label("Proposals", "Предложения"),
            "moves": {"next": true, "from_any_open": ["rejected"]},
            "permissions": {"create": ["manager"], "move": ["manager"], "edit": ["manager"]},
            "stages": [
                {"code": "voting", "label": label("Voting", "Голосование"), "requires": ["title"]},
                {"code": "approved", "label": label("Approved", "Принято"), "semantics": "won"},
                {"code": "rejected", "label": label("Rejected", "Отклонено"),
                 "semantics": "lost", "side": true}
            ],
            "automations": [{
                "code": "p_vote", "label": label("Vote", "Голосование"),
                "on": {"stage_entered": "voting"},
                "run": {"type": "sequence", "steps": [
                    {"type": "approval", "code": "vote",
                     "title": label("Proposal: {{ fields.title }}", "Предложение: {{ fields.title }}"),
                     "max_rework": max_rework,
                     "steps": [{"approvers": [{"user": "u-boris"}, {"user": "u-galina"}, {"user": "u-dmitry"}],
                                "rule": rule}]},
                    {"type": "if", "when": {"task": "vote", "field": "outcome", "equals": "approved"},
                     "then": {"type": "move", "to": "approved"},
                     "else": {"type": "move", "to": "rejected"}}
                ]}
            }]
        }]
    })
}

pub(crate) fn votes_model(rule: &str) -> &'static Model {
    static MAJORITY: OnceLock<Model> = OnceLock::new();
    static AT_LEAST_2: OnceLock<Model> = OnceLock::new();
    let (cell, rule, max_rework) = match rule {
        "majority" => (&MAJORITY, json!("majority"), 1),
        _ => (&AT_LEAST_2, json!({"at_least": 2}), 1),
    };
    cell.get_or_init(
        || match Model::from_json(&votes(rule, max_rework).to_string()) {
            Ok(m) => m,
            Err(e) => panic!("the votes definition compiles: {:#?}", e.diagnostics()),
        },
    )
}

fn proposal(rule: &str) -> Process {
    // Early December: nobody is away.
    let mut p = Process::with(votes_model(rule), "2026-12-01T09:00:00Z");
    p.ok(
        &anna(),
        create(
            "prop-1",
            "proposals",
            json!({"title": "Four-day week in January"}),
        ),
    );
    assert_eq!(p.open("vote").len(), 3);
    assert_eq!(
        p.record().tasks[0].title.en,
        "Proposal: Four-day week in January"
    );
    p
}

// case: P1 (approval rules)
#[test]
fn majority_two_approvals_of_three_approve_and_the_third_is_not_asked_any_more() {
    let mut p = proposal("majority");
    let first = p.decide(&boris(), "vote", "approve", None);
    assert!(decisions(&first).is_empty(), "one of three is no majority");
    let second = p.decide(&dmitry(), "vote", "approve", None);
    assert_eq!(decisions(&second), vec![(0, 0, "approve".into())]);
    assert_eq!(p.record().stage, "approved");
    assert!(p.open("vote").is_empty(), "Galina's task is cancelled");
}

// case: P1 (approval rules)
#[test]
fn majority_two_rejections_of_three_reject() {
    let mut p = proposal("majority");
    let first = p.decide(&galina(), "vote", "reject", Some("Not now"));
    assert!(decisions(&first).is_empty());
    let second = p.decide(&boris(), "vote", "reject", Some("Orders peak in January"));
    assert_eq!(decisions(&second), vec![(0, 0, "reject".into())]);
    assert_eq!(p.record().stage, "rejected");
    assert!(p.open("vote").is_empty());
}

// case: P1 (approval rules)
#[test]
fn at_least_two_waits_for_the_second_approval_and_fails_once_it_cannot_come() {
    let mut p = proposal("at_least_2");
    assert!(decisions(&p.decide(&boris(), "vote", "approve", None)).is_empty());
    // One approval and one rejection: the last vote decides.
    assert!(decisions(&p.decide(&galina(), "vote", "reject", Some("No"))).is_empty());
    let last = p.decide(&dmitry(), "vote", "approve", None);
    assert_eq!(decisions(&last), vec![(0, 0, "approve".into())]);
    assert_eq!(p.record().stage, "approved");

    let mut q = proposal("at_least_2");
    assert!(decisions(&q.decide(&galina(), "vote", "reject", Some("No"))).is_empty());
    let second = q.decide(&dmitry(), "vote", "reject", Some("No either"));
    assert_eq!(decisions(&second), vec![(0, 0, "reject".into())]);
    assert_eq!(q.record().stage, "rejected");
}

// case: P1 (approval rules)
#[test]
fn sent_back_more_than_max_rework_times_counts_as_rejected() {
    // max_rework is 1: one rework round is allowed, the second send-back rejects.
    let mut p = proposal("majority");
    p.decide(&boris(), "vote", "rework", Some("Add the costs"));
    let sent_back = p.decide(&galina(), "vote", "rework", Some("And the risks"));
    assert_eq!(decisions(&sent_back), vec![(0, 0, "rework".into())]);
    let rework = p.open("vote_rework");
    assert_eq!(rework.len(), 1);
    assert_eq!(rework[0].1, Recipient::User("u-anna".into()));
    let task = p
        .record()
        .tasks
        .iter()
        .find(|t| t.id == rework[0].0)
        .expect("the rework task");
    assert_eq!(
        task.description.as_ref().map(|d| d.en.as_str()),
        Some("Sent back for rework: Add the costs; And the risks")
    );
    p.later(60);
    p.ok(&anna(), complete(&rework[0].0, json!({"comment": "Done"})));
    assert_eq!(p.open("vote").len(), 3, "round 1 asks all three again");
    p.decide(&dmitry(), "vote", "rework", Some("Still no risks"));
    let again = p.decide(&boris(), "vote", "rework", Some("Agreed"));
    assert_eq!(decisions(&again), vec![(0, 1, "rework".into())]);
    assert_eq!(
        stage_changes(&again),
        vec![("voting".into(), "rejected".into())]
    );
    assert!(p.open("vote_rework").is_empty());
    assert!(p.record().open_tasks().next().is_none());
}

// case: P1
#[test]
fn p1_moved_aside_while_the_head_decides_cancels_the_approval_and_its_escalation() {
    let mut p = Process::new("2026-11-30T09:00:00Z");
    p.ok(
        &anna(),
        create("pr-5", "payment_requests", payment_request()),
    );
    assert!(p.record().next_due().is_some(), "the escalation timer");
    p.later(30);
    let moved = p.ok(
        &boris(),
        Action::Move {
            to: "rejected".into(),
            fields: Default::default(),
            override_reason: None,
        },
    );
    assert!(moved.effects.iter().any(|e| matches!(
        e,
        Effect::CloseTask {
            status: TaskStatus::Cancelled,
            ..
        }
    )));
    assert!(
        p.record().open_tasks().next().is_none(),
        "no decision is asked for any more"
    );
    assert_eq!(p.record().next_due(), None, "no escalation is left behind");
    assert!(p.record().runs.is_empty());
}

// case: P3
#[test]
fn p3_closed_by_hand_cancels_the_confirmations_and_the_reminder() {
    let mut p = Process::new("2026-11-30T09:00:00Z");
    p.ok(
        &boris(),
        Action::Create {
            id: "ack-3".into(),
            pipeline: "acknowledgements".into(),
            stage: None,
            responsible: Some("u-boris".into()),
            fields: fields(json!({
                "title": "Old price list",
                "link": "https://intranet.ecopack.example/prices-2026",
                "readers": "u-anna u-ivan",
                "deadline": "2026-12-04",
            })),
        },
    );
    assert_eq!(p.open("read").len(), 2);
    p.later(30);
    p.ok(
        &boris(),
        Action::Move {
            to: "done".into(),
            fields: Default::default(),
            override_reason: None,
        },
    );
    assert!(p.record().open_tasks().next().is_none());
    assert_eq!(p.record().next_due(), None);
    assert_eq!(p.record().acknowledgements(p.now)[0].total, 0);
}

// case: P3
#[test]
fn p3_a_deputy_cannot_confirm_reading_for_the_absent() {
    // Boris is away from 21 December; Galina decides his approvals, but reading is personal.
    let mut p = Process::new("2026-12-22T09:00:00Z");
    p.ok(
        &dmitry(),
        Action::Create {
            id: "ack-4".into(),
            pipeline: "acknowledgements".into(),
            stage: None,
            responsible: Some("u-dmitry".into()),
            fields: fields(json!({
                "title": "Holiday schedule",
                "link": "https://intranet.ecopack.example/holidays-2027",
                "readers": "u-boris",
                "deadline": "2027-01-15",
            })),
        },
    );
    let task = p.open("read")[0].0.clone();
    p.later(10);
    assert_eq!(
        p.rejected(&galina(), complete(&task, json!({}))).code(),
        ErrorCode::NotPermitted
    );
    // Back at work, Boris confirms himself.
    p.now = at("2027-01-11T09:00:00Z");
    p.ok(&boris(), complete(&task, json!({})));
    assert_eq!(p.record().stage, "done");
}

// case: P1
#[test]
fn p1_an_overdue_step_reminds_the_head_and_the_director_and_no_deputy_while_nobody_is_away() {
    let mut p = Process::new("2026-11-30T09:00:00Z");
    p.ok(
        &anna(),
        create("pr-6", "payment_requests", payment_request()),
    );
    // Two working days later, once.
    p.now = at("2026-12-02T09:00:00Z");
    let tick = p.ok(&anna(), Action::Tick);
    assert_eq!(
        notified(&tick),
        vec![(
            vec![
                Recipient::User("u-boris".into()),
                Recipient::User("u-dmitry".into())
            ],
            "Approval overdue: Payment request: Kraft paper, 2 t".to_string()
        )]
    );
    p.later(60 * 24);
    assert!(p.ok(&anna(), Action::Tick).events.is_empty());
    // The step is still Boris's to decide.
    let decided = p.decide(&boris(), "head_approval", "approve", None);
    assert_eq!(decisions(&decided), vec![(0, 0, "approve".into())]);
}
