//! Business processes P1–P5: approvals routed through the org structure, rework loops,
//! deputies, escalation, acknowledgements, and processes started from a deal.

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};
use voronka::effect::Effect;
use voronka::error::Permission;
use voronka::record::{Recipient, TaskKind};
use voronka::{
    Action, Actor, Change, Command, ErrorCode, Model, Org, Outcome, Record, Rejection, TaskStatus,
};

use crate::support::{fields, full};

pub(crate) const ORG: &str = include_str!("../../../../examples/eco-packaging/org.json");

pub(crate) fn org() -> Org {
    serde_json::from_str(ORG).expect("the example org decodes")
}

pub(crate) fn at(s: &str) -> DateTime<Utc> {
    s.parse().expect("an RFC 3339 moment")
}

pub(crate) fn user(id: &str, roles: &[&str]) -> Actor {
    Actor::new(id, roles)
}

/// A record and a clock, driven with the example org (and the eco-packaging model unless
/// another is given).
pub(crate) struct Process {
    pub(crate) model: &'static Model,
    pub(crate) record: Option<Record>,
    pub(crate) now: DateTime<Utc>,
    /// Every event of the record, as a host's event log keeps them.
    log: Vec<voronka::Event>,
}

impl Process {
    pub(crate) fn new(now: &str) -> Process {
        Process::with(full(), now)
    }

    pub(crate) fn with(model: &'static Model, now: &str) -> Process {
        Process {
            model,
            record: None,
            now: at(now),
            log: Vec::new(),
        }
    }

    pub(crate) fn command(&self, actor: &Actor, action: Action) -> Command {
        Command {
            actor: actor.clone(),
            now: self.now,
            expected_version: None,
            idempotency_key: None,
            org: Some(org()),
            action,
        }
    }

    pub(crate) fn ok(&mut self, actor: &Actor, action: Action) -> Outcome {
        let command = self.command(actor, action);
        match self.model.apply(self.record.as_ref(), &command) {
            Ok(outcome) => {
                self.log.extend(outcome.events.iter().cloned());
                assert_eq!(
                    Record::replay(&self.log).as_ref(),
                    Some(&outcome.record),
                    "replaying the log rebuilds the record"
                );
                self.record = Some(outcome.record.clone());
                outcome
            }
            Err(r) => panic!("{:?} rejected: {r:?}", command.action),
        }
    }

    pub(crate) fn rejected(&self, actor: &Actor, action: Action) -> Rejection {
        let command = self.command(actor, action);
        match self.model.apply(self.record.as_ref(), &command) {
            Ok(o) => panic!("{:?} accepted: {:?}", command.action, o.events),
            Err(r) => r,
        }
    }

    pub(crate) fn record(&self) -> &Record {
        self.record.as_ref().expect("a record")
    }

    /// A record another command created (a `create_record` effect's snapshot and events).
    pub(crate) fn adopt(
        model: &'static Model,
        record: Record,
        events: Vec<voronka::Event>,
        now: DateTime<Utc>,
    ) -> Process {
        assert_eq!(Record::replay(&events).as_ref(), Some(&record));
        Process {
            model,
            record: Some(record),
            now,
            log: events,
        }
    }

    /// The record's event log: every event since it was created.
    pub(crate) fn log(&self) -> &[voronka::Event] {
        &self.log
    }

    pub(crate) fn later(&mut self, minutes: i64) {
        self.now += Duration::minutes(minutes);
    }

    pub(crate) fn open(&self, code: &str) -> Vec<(String, Recipient)> {
        self.record()
            .open_tasks()
            .filter(|t| t.code == code)
            .map(|t| (t.id.clone(), t.assignee.clone()))
            .collect()
    }

    pub(crate) fn decide(
        &mut self,
        actor: &Actor,
        code: &str,
        decision: &str,
        comment: Option<&str>,
    ) -> Outcome {
        let (task, _) = self
            .open(code)
            .into_iter()
            .find(|(_, who)| *who == Recipient::User(actor.user.clone()))
            .unwrap_or_else(|| panic!("{} has no open {code} task", actor.user));
        let mut answers = json!({ "decision": decision });
        if let Some(c) = comment {
            answers["comment"] = json!(c);
        }
        self.later(5);
        self.ok(
            actor,
            Action::CompleteTask {
                task,
                answers: fields(answers),
            },
        )
    }
}

pub(crate) fn anna() -> Actor {
    user("u-anna", &["manager"])
}
pub(crate) fn boris() -> Actor {
    user("u-boris", &["head"])
}
pub(crate) fn galina() -> Actor {
    user("u-galina", &["head"])
}
pub(crate) fn dmitry() -> Actor {
    user("u-dmitry", &["director"])
}
pub(crate) fn vera() -> Actor {
    user("u-vera", &["accountant", "head"])
}

pub(crate) fn create(id: &str, pipeline: &str, values: Value) -> Action {
    Action::Create {
        id: id.into(),
        pipeline: pipeline.into(),
        stage: None,
        responsible: Some("u-anna".into()),
        fields: fields(values),
    }
}

pub(crate) fn payment_request() -> Value {
    json!({
        "title": "Kraft paper, 2 t",
        "amount": { "amount": "184000", "currency": "RUB" },
        "payee": "ООО «Бумажная фабрика»",
        "purpose": "Raw material for order D-17",
    })
}

pub(crate) fn stage_changes(outcome: &Outcome) -> Vec<(String, String)> {
    outcome
        .events
        .iter()
        .filter_map(|e| match &e.change {
            Change::StageChanged { from, to, .. } => Some((from.clone(), to.clone())),
            _ => None,
        })
        .collect()
}

pub(crate) fn notified(outcome: &Outcome) -> Vec<(Vec<Recipient>, String)> {
    outcome
        .effects
        .iter()
        .filter_map(|e| match e {
            Effect::Notify { to, message, .. } => Some((to.clone(), message.en.clone())),
            _ => None,
        })
        .collect()
}

// case: P1
#[test]
fn p1_head_approves_the_accountant_pays_and_the_initiator_hears_of_it() {
    let mut p = Process::new("2026-11-30T09:00:00Z");
    p.ok(
        &anna(),
        create("pr-1", "payment_requests", payment_request()),
    );
    // The request goes to the head of the requester's department.
    assert_eq!(
        p.open("head_approval"),
        vec![(
            p.record().tasks[0].id.clone(),
            Recipient::User("u-boris".into())
        )]
    );
    assert_eq!(p.record().tasks[0].kind, TaskKind::Approval);
    // Only a current approver may decide; another head gets a coded rejection.
    let task = p.open("head_approval")[0].0.clone();
    let r = p.rejected(
        &galina(),
        Action::CompleteTask {
            task,
            answers: fields(json!({"decision": "approve"})),
        },
    );
    assert!(matches!(
        r,
        Rejection::NotPermitted {
            action: Permission::CompleteTask,
            ..
        }
    ));
    let approved = p.decide(&boris(), "head_approval", "approve", None);
    assert_eq!(
        stage_changes(&approved),
        vec![("approval".into(), "payment".into())]
    );
    assert!(approved.events.iter().any(|e| matches!(&e.change,
        Change::ApprovalDecided { approval, decision, round: 0, step: 0 } if approval == "head_approval" && decision == "approve")));
    // The accountant (resolved through the org: the first accountant) pays.
    let pay = p.open("pay");
    assert_eq!(pay[0].1, Recipient::User("u-vera".into()));
    p.later(60);
    let paid = p.ok(
        &vera(),
        Action::CompleteTask {
            task: pay[0].0.clone(),
            answers: fields(json!({"paid_on": "2026-11-30"})),
        },
    );
    assert_eq!(
        notified(&paid),
        vec![(
            vec![Recipient::User("u-anna".into())],
            "Payment made: Kraft paper, 2 t, 184000.00 RUB".to_string()
        )]
    );
    // No payment document asked for: no task for it, straight to paid.
    assert!(p.open("send_payment_order").is_empty());
    assert_eq!(p.record().stage, "paid");
}

// case: P1
#[test]
fn p1_rework_counts_rounds_and_a_rejection_ends_it() {
    let mut p = Process::new("2026-11-30T09:00:00Z");
    let mut values = payment_request();
    values["payment_document_needed"] = json!(true);
    p.ok(&anna(), create("pr-2", "payment_requests", values));
    // Sending back needs a comment.
    let task = p.open("head_approval")[0].0.clone();
    let r = p.rejected(
        &boris(),
        Action::CompleteTask {
            task,
            answers: fields(json!({"decision": "rework"})),
        },
    );
    assert_eq!(r.code(), ErrorCode::MissingAnswers);
    let sent_back = p.decide(
        &boris(),
        "head_approval",
        "rework",
        Some("Attach the supplier's invoice"),
    );
    let rework = p.open("head_approval_rework");
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
        Some("Sent back for rework: Attach the supplier's invoice")
    );
    assert!(sent_back.events.iter().any(|e| matches!(&e.change,
        Change::ApprovalDecided { decision, round: 0, .. } if decision == "rework")));
    // The requester fixes the request and resubmits: the head is asked again (round 1).
    p.later(30);
    p.ok(
        &anna(),
        Action::SetFields {
            fields: fields(json!({"invoice": {"id": "f-9", "name": "invoice-448.pdf"}})),
        },
    );
    p.later(5);
    p.ok(
        &anna(),
        Action::CompleteTask {
            task: rework[0].0.clone(),
            answers: fields(json!({"comment": "Invoice attached"})),
        },
    );
    assert_eq!(p.open("head_approval").len(), 1);
    let rejected = p.decide(&boris(), "head_approval", "reject", Some("Too expensive"));
    assert!(rejected.events.iter().any(|e| matches!(&e.change,
        Change::ApprovalDecided { decision, round: 1, .. } if decision == "reject")));
    assert_eq!(
        stage_changes(&rejected),
        vec![("approval".into(), "rejected".into())]
    );
    assert_eq!(
        notified(&rejected)[0].1,
        "Payment request rejected: Kraft paper, 2 t"
    );
    // Decisions and comments are part of the history.
    let comments: Vec<String> = crate::support::tasks_in_log(p.log())
        .iter()
        .filter(|t| t.kind == TaskKind::Approval && t.status == TaskStatus::Done)
        .filter_map(|t| {
            t.answers
                .get("comment")
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .collect();
    assert_eq!(
        comments,
        vec!["Attach the supplier's invoice", "Too expensive"]
    );
    assert_eq!(Record::replay(p.log()).as_ref(), Some(p.record()));
}

// case: P1
#[test]
fn p1_a_deputy_decides_while_the_head_is_away_and_an_overdue_step_escalates() {
    // Boris is away from 21 December; Galina is his deputy.
    let mut p = Process::new("2026-12-22T09:00:00Z");
    p.ok(
        &anna(),
        create("pr-3", "payment_requests", payment_request()),
    );
    let (task, who) = p.open("head_approval")[0].clone();
    assert_eq!(who, Recipient::User("u-boris".into()));
    // Nobody decides for two working days: Boris, his deputy and the director are reminded.
    let due = p.record().next_due().expect("an escalation timer");
    assert_eq!(due, at("2026-12-24T09:00:00Z"));
    p.now = due;
    let tick = p.ok(&anna(), Action::Tick);
    assert_eq!(
        notified(&tick),
        vec![(
            vec![
                Recipient::User("u-boris".into()),
                Recipient::User("u-galina".into()),
                Recipient::User("u-dmitry".into())
            ],
            "Approval overdue: Payment request: Kraft paper, 2 t".to_string()
        )]
    );
    // The deputy decides.
    p.later(10);
    let decided = p.ok(
        &galina(),
        Action::CompleteTask {
            task,
            answers: fields(json!({"decision": "approve"})),
        },
    );
    assert_eq!(
        stage_changes(&decided),
        vec![("approval".into(), "payment".into())]
    );
    let closed_by = p.record().tasks[0].closed_by.clone();
    assert_eq!(closed_by.as_deref(), Some("u-galina"));
}

// case: P3
#[test]
fn p3_acknowledgement_tracks_who_has_read_and_reminds_the_others() {
    let mut p = Process::new("2026-11-30T09:00:00Z");
    p.ok(
        &boris(),
        Action::Create {
            id: "ack-1".into(),
            pipeline: "acknowledgements".into(),
            stage: None,
            responsible: Some("u-boris".into()),
            fields: fields(json!({
                "title": "New price list 2027",
                "link": "https://intranet.ecopack.example/prices-2027",
                "readers": "sales_msk, u-vera",
                "deadline": "2026-12-04",
            })),
        },
    );
    let status = &p.record().acknowledgements(p.now)[0];
    assert_eq!(status.total, 4);
    assert_eq!(
        status.pending,
        vec!["u-anna", "u-ivan", "u-boris", "u-vera"]
    );
    assert_eq!(status.percent, 0);
    // Anna confirms; someone else cannot confirm for Ivan.
    let anna_task = p
        .open("read")
        .into_iter()
        .find(|(_, w)| *w == Recipient::User("u-anna".into()))
        .expect("Anna's task")
        .0;
    let ivan_task = p
        .open("read")
        .into_iter()
        .find(|(_, w)| *w == Recipient::User("u-ivan".into()))
        .expect("Ivan's task")
        .0;
    p.later(30);
    p.ok(
        &anna(),
        Action::CompleteTask {
            task: anna_task,
            answers: Default::default(),
        },
    );
    assert_eq!(
        p.rejected(
            &boris(),
            Action::CompleteTask {
                task: ivan_task,
                answers: Default::default()
            }
        )
        .code(),
        ErrorCode::NotPermitted
    );
    assert_eq!(p.record().acknowledgements(p.now)[0].percent, 25);
    // One working day before the deadline (4 Dec 09:00 Moscow) the others are reminded.
    let due = p.record().next_due().expect("a reminder");
    assert_eq!(due, at("2026-12-03T06:00:00Z"));
    p.now = due;
    let reminded = p.ok(&anna(), Action::Tick);
    assert_eq!(
        notified(&reminded)[0].0,
        vec![
            Recipient::User("u-ivan".into()),
            Recipient::User("u-boris".into()),
            Recipient::User("u-vera".into())
        ]
    );
    // After the deadline, whoever has not confirmed is late.
    let after = at("2026-12-05T09:00:00Z");
    assert_eq!(
        p.record().acknowledgements(after)[0].late,
        vec!["u-ivan", "u-boris", "u-vera"]
    );
    p.now = after;
    for who in [user("u-ivan", &["manager"]), boris(), vera()] {
        let task = p
            .open("read")
            .into_iter()
            .find(|(_, w)| *w == Recipient::User(who.user.clone()))
            .expect("an open confirmation")
            .0;
        p.later(1);
        p.ok(
            &who,
            Action::CompleteTask {
                task,
                answers: Default::default(),
            },
        );
    }
    // The confirmations stay in the log after the run ended (the snapshot forgets them).
    let done = &voronka::record::acknowledgements(&crate::support::tasks_in_log(p.log()), p.now)[0];
    assert_eq!(
        (
            done.percent,
            done.confirmed.iter().filter(|c| c.late).count()
        ),
        (100, 3)
    );
    assert_eq!(p.record().stage, "done");
}

// case: P4
#[test]
fn p4_sick_leave_goes_to_the_head() {
    let mut p = Process::new("2026-11-30T08:00:00Z");
    p.ok(
        &anna(),
        create("sl-1", "sick_leaves", json!({"leave_kind": "work_from_home", "date_from": "2026-12-01", "date_to": "2026-12-02"})),
    );
    assert_eq!(
        p.open("head_approval")[0].1,
        Recipient::User("u-boris".into())
    );
    let approved = p.decide(&boris(), "head_approval", "approve", None);
    assert_eq!(
        notified(&approved)[0],
        (
            vec![Recipient::User("u-anna".into())],
            "Approved: Work from home".into()
        )
    );
    assert_eq!(p.record().stage, "approved");
}

// case: P5
#[test]
fn p5_unpaid_leave_goes_head_then_director_then_accountant() {
    let mut p = Process::new("2026-11-30T08:00:00Z");
    p.ok(
        &anna(),
        create("lr-1", "leave_requests", json!({"leave_kind": "unpaid", "date_from": "2026-12-10", "date_to": "2026-12-11", "days": 2})),
    );
    p.decide(&boris(), "unpaid_approval", "approve", None);
    assert_eq!(
        p.open("unpaid_approval")[0].1,
        Recipient::User("u-dmitry".into())
    );
    p.decide(&dmitry(), "unpaid_approval", "approve", None);
    // Any accountant may take the last step.
    assert_eq!(p.open("unpaid_approval").len(), 2);
    let last = p.decide(&vera(), "unpaid_approval", "approve", None);
    assert_eq!(
        stage_changes(&last),
        vec![("approval".into(), "approved".into())]
    );
    assert!(
        p.open("unpaid_approval").is_empty(),
        "the other accountant's task is closed"
    );
}

// case: P5
#[test]
fn p5_vacation_asks_accounting_for_the_days_then_head_and_director() {
    let mut p = Process::new("2026-11-30T08:00:00Z");
    p.ok(
        &anna(),
        create("lr-2", "leave_requests", json!({"leave_kind": "vacation", "date_from": "2027-02-01", "date_to": "2027-02-14", "days": 14})),
    );
    let (task, who) = p.open("vacation_days")[0].clone();
    assert_eq!(who, Recipient::User("u-vera".into()));
    p.later(60);
    let formed = p.ok(
        &vera(),
        Action::CompleteTask {
            task,
            answers: fields(json!({"available_days": 21})),
        },
    );
    assert_eq!(
        notified(&formed)[0].1,
        "Your vacation application is formed: 14 day(s), 21 available"
    );
    p.decide(&boris(), "vacation_approval", "approve", None);
    let rejected = p.decide(
        &dmitry(),
        "vacation_approval",
        "reject",
        Some("Peak season"),
    );
    assert_eq!(
        stage_changes(&rejected),
        vec![("approval".into(), "rejected".into())]
    );
}

// case: P2
#[test]
fn p2_d7_documents_go_up_the_org_structure_and_the_result_comes_back() {
    // A deal in D7 whose documents task is completed starts a document approval.
    let mut deal = Process::new("2026-11-30T09:00:00Z");
    deal.ok(
        &anna(),
        Action::Create {
            id: "deal-7".into(),
            pipeline: "deals".into(),
            stage: None,
            responsible: Some("u-anna".into()),
            fields: Default::default(),
        },
    );
    // Put the deal straight into contract signing with the head's override.
    deal.later(1);
    deal.ok(
        &dmitry(),
        Action::Move {
            to: "offer".into(),
            fields: fields(json!({
                "company_type": "retail_chain",
                "website": "https://bakery.example",
                "delivery_address": {"country": "RU", "city": "Moscow", "street": "Lenina 1"},
            })),
            override_reason: None,
        },
    );
    for stage in [
        "negotiation",
        "samples_prep",
        "samples_sent",
        "feedback",
        "contract",
    ] {
        deal.later(1);
        deal.ok(
            &dmitry(),
            Action::Move {
                to: stage.into(),
                fields: Default::default(),
                override_reason: Some("test: fast-forward".into()),
            },
        );
    }
    let task = deal.open("prepare_documents")[0].0.clone();
    for item in 0..3 {
        deal.later(1);
        deal.ok(
            &anna(),
            Action::CheckItem {
                task: task.clone(),
                item,
                done: true,
            },
        );
    }
    deal.later(1);
    let done = deal.ok(
        &anna(),
        Action::CompleteTask {
            task,
            answers: fields(json!({
                "contract_number": "ЭУ-2026/045",
                "contract_date": "2026-11-30",
                "signed_files": [{"id": "f-1", "name": "contract.pdf"}],
                "packaging_type": "box",
                "cost": {"amount": "540000", "currency": "RUB"},
                "prepayment_percent": "30",
            })),
        },
    );
    let started = done
        .effects
        .iter()
        .find_map(|e| match e {
            Effect::CreateRecord {
                record: Some(r),
                events,
                ..
            } if r.pipeline == "document_approvals" => Some(((**r).clone(), events.clone())),
            _ => None,
        })
        .expect("a document approval was started");
    let (started, started_log) = started;
    assert_eq!(started.fields["deal"], json!("deal-7"));
    assert_eq!(started.fields["title"], json!("ЭУ-2026/045"));
    // Step 1: the head of the requester's department; step 2: the head above.
    let mut approval = Process::adopt(full(), started, started_log, deal.now);
    assert_eq!(
        approval.open("doc_approval")[0].1,
        Recipient::User("u-boris".into())
    );
    approval.decide(&boris(), "doc_approval", "approve", None);
    assert_eq!(
        approval.open("doc_approval")[0].1,
        Recipient::User("u-galina".into())
    );
    let approved = approval.decide(&galina(), "doc_approval", "approve", None);
    let signal = approved
        .effects
        .iter()
        .find_map(|e| match e {
            Effect::DeliverSignal { to, name, .. } => Some((to.clone(), name.clone())),
            _ => None,
        })
        .expect("the result is signalled back");
    assert_eq!(
        signal,
        ("deal-7".to_string(), "documents_approved".to_string())
    );
    // The host delivers the signal to the deal; the deal's automation tells the manager.
    deal.now = approval.now;
    let delivered = deal.ok(
        &galina(),
        Action::Signal {
            name: signal.1,
            from: Some("deal-7:document_approvals".into()),
        },
    );
    assert_eq!(
        notified(&delivered)[0].1,
        "The documents of deal deal-7 are approved up the org structure"
    );
}

// case: P1
#[test]
fn approvers_named_by_an_unknown_role_are_a_compile_error() {
    let mut definition = full().definition().clone();
    let p1 = definition
        .pipelines
        .iter_mut()
        .find(|p| p.code == "payment_requests")
        .expect("P1");
    let mut text = serde_json::to_value(&p1.automations[0]).expect("serializable");
    text["run"]["steps"][0]["steps"][0]["approvers"] = json!([{"role": "cfo"}]);
    p1.automations[0] = serde_json::from_value(text).expect("still an automation");
    let problems = voronka::Model::compile(definition)
        .expect_err("an unknown role")
        .0;
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_eq!(problems[0].code, ErrorCode::UnknownRole);
    assert!(
        problems[0]
            .path
            .ends_with(".run.steps[0].steps[0].approvers[0].role"),
        "{}",
        problems[0].path
    );
}

// case: P6
#[test]
fn p6_daily_report_tasks_for_every_member_with_the_heads_observing() {
    // Monday 30 November, 09:00 Moscow.
    let mut p = Process::new("2026-11-30T06:00:00Z");
    p.ok(
        &boris(),
        Action::Create {
            id: "reports-sales-msk".into(),
            pipeline: "reports".into(),
            stage: None,
            responsible: Some("u-boris".into()),
            fields: fields(json!({"department": "sales_msk", "period": "daily"})),
        },
    );
    assert!(p.record().tasks.is_empty());
    // The next working day at the same time, every member of the department gets a task.
    let due = p.record().next_due().expect("the first report day");
    assert_eq!(due, at("2026-12-01T06:00:00Z"));
    p.now = due;
    let day = p.ok(&boris(), Action::Tick);
    let created: Vec<(Recipient, Vec<Recipient>)> = day
        .effects
        .iter()
        .filter_map(|e| match e {
            Effect::CreateTask { task, .. } => {
                Some((task.assignee.clone(), task.observers.clone()))
            }
            _ => None,
        })
        .collect();
    let members = ["u-anna", "u-ivan", "u-boris"];
    assert_eq!(
        created,
        members
            .iter()
            .map(|m| (
                Recipient::User((*m).into()),
                vec![Recipient::User("u-boris".into())]
            ))
            .collect::<Vec<_>>()
    );
    // The schedule does not wait for the reports: the next day is already planned.
    assert_eq!(p.record().next_due(), Some(at("2026-12-02T06:00:00Z")));
    // The host ticks late, on Friday: the missed days are not replayed (one round runs, and
    // the next waits from now), and Friday's round is followed by Monday's, not Saturday's.
    p.now = at("2026-12-04T06:00:00Z");
    p.ok(&boris(), Action::Tick);
    assert_eq!(p.record().next_due(), Some(at("2026-12-07T06:00:00Z")));
    assert_eq!(
        p.record()
            .tasks
            .iter()
            .filter(|t| t.code == "daily_plan")
            .count(),
        6
    );
}

// case: P6
#[test]
fn a_loop_that_never_waits_is_a_compile_error() {
    let mut definition = full().definition().clone();
    let reports = definition
        .pipelines
        .iter_mut()
        .find(|p| p.code == "reports")
        .expect("P6");
    let mut text = serde_json::to_value(&reports.automations[0]).expect("serializable");
    text["run"]["body"] = json!({"type": "set_fields", "fields": {"period": "weekly"}});
    reports.automations[0] = serde_json::from_value(text).expect("still an automation");
    let problems = voronka::Model::compile(definition)
        .expect_err("a loop with no wait")
        .0;
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_eq!(problems[0].code, ErrorCode::LoopWithoutWait);
}
