//! Property tests of approvals (P1, P5 and a three-approver majority vote): random sequences
//! of decisions by random people — approvers, deputies before and during an absence, people
//! with nothing to decide — with the clock moving on and ticks in between. After every
//! command:
//! - a decision is accepted exactly when the actor is the task's approver or, while the
//!   approver is away, their deputy (and it carries the comment a rework or rejection needs);
//!   anyone else gets `NotPermitted` and the record stays as it was;
//! - every settled step (`approval_decided`) agrees with its rule over the decisions given in
//!   that step, and an unsettled step has not already met or missed its rule;
//! - a request that reached its approved stage was approved at every step of its last round;
//! - `Record::replay(&record.history)` rebuilds the record exactly.

use std::collections::BTreeMap;

use chrono::Duration;
use proptest::prelude::*;
use serde_json::{Value, json};
use voronka::automation::{Activity, ApprovalDef, ApprovalRule};
use voronka::record::{Recipient, TaskKind};
use voronka::{Action, Actor, Change, Command, ErrorCode, Event, Model, Org, Record, TaskStatus};

use crate::processes::{at, org, payment_request};
use crate::processes_more::votes_model;
use crate::support::full;

/// Everyone in the example org, and one person from outside it.
const PEOPLE: [&str; 10] = [
    "u-anna",
    "u-ivan",
    "u-boris",
    "u-galina",
    "u-dmitry",
    "u-vera",
    "u-olga",
    "u-pavel",
    "u-semyon",
    "u-stranger",
];

const DECISIONS: [&str; 3] = ["approve", "rework", "reject"];

/// `who` of a decision: the task's own assignee.
const ASSIGNEE: usize = PEOPLE.len();
/// `who` of a decision: whoever deputises for the assignee during some absence (whether or
/// not the assignee is away at that moment).
const DEPUTY: usize = PEOPLE.len() + 1;

#[derive(Debug, Clone)]
enum Op {
    /// Someone answers an open decision or rework task.
    Decide {
        task: usize,
        who: usize,
        decision: usize,
        comment: bool,
    },
    /// The assignee of an open plain task (pay, days available, payment order) does it.
    Work { task: usize },
    /// The clock moves on this many hours, then a tick.
    Later(u32),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (
            any::<usize>(),
            prop_oneof![3 => Just(ASSIGNEE), 2 => Just(DEPUTY), 3 => 0..PEOPLE.len()],
            0..DECISIONS.len(),
            prop::bool::weighted(0.8),
        )
            .prop_map(|(task, who, decision, comment)| Op::Decide { task, who, decision, comment }),
        2 => any::<usize>().prop_map(|task| Op::Work { task }),
        2 => (1u32..80).prop_map(Op::Later),
    ]
}

fn actor(org: &Org, id: &str) -> Actor {
    let roles: Vec<&str> = org
        .user(id)
        .map(|u| u.roles.iter().map(String::as_str).collect())
        .unwrap_or_default();
    Actor::new(id, &roles)
}

/// Every approval of the model, by code.
fn approvals(model: &Model) -> BTreeMap<String, ApprovalDef> {
    fn walk(a: &Activity, out: &mut BTreeMap<String, ApprovalDef>) {
        match a {
            Activity::Sequence { steps } => steps.iter().for_each(|s| walk(s, out)),
            Activity::Parallel { branches, .. } => branches.iter().for_each(|s| walk(s, out)),
            Activity::If {
                then, otherwise, ..
            } => {
                walk(then, out);
                if let Some(o) = otherwise {
                    walk(o, out);
                }
            }
            Activity::Repeat { body, .. } => walk(body, out),
            Activity::Approval(def) => {
                out.insert(def.code.clone(), (**def).clone());
            }
            _ => {}
        }
    }
    let mut out = BTreeMap::new();
    for p in &model.definition().pipelines {
        for a in &p.automations {
            walk(&a.run, &mut out);
        }
    }
    out
}

/// A decision task as the history shows it.
struct Seen {
    status: TaskStatus,
    decision: Option<String>,
    closed: usize,
}

/// Whether the approvals in `record`'s history kept their rules; `Err` says how not.
fn check_rules(
    record: &Record,
    log: &[Event],
    defs: &BTreeMap<String, ApprovalDef>,
    approved_stages: &[&str],
) -> Result<(), String> {
    let mut tasks: BTreeMap<String, Seen> = BTreeMap::new();
    // The decision tasks of each approval's current step, in creation order.
    let mut batch: BTreeMap<String, Vec<String>> = BTreeMap::new();
    // Every settled step: (approval, round, step, decision).
    let mut decided: Vec<(String, u32, u32, String)> = Vec::new();
    for (i, event) in log.iter().enumerate() {
        match &event.change {
            Change::TaskCreated { task } if task.kind == TaskKind::Approval => {
                batch
                    .entry(task.code.clone())
                    .or_default()
                    .push(task.id.clone());
                tasks.insert(
                    task.id.clone(),
                    Seen {
                        status: TaskStatus::Open,
                        decision: None,
                        closed: 0,
                    },
                );
            }
            Change::TaskClosed {
                task,
                status,
                answers,
            } => {
                if let Some(seen) = tasks.get_mut(task) {
                    seen.status = *status;
                    seen.closed = i;
                    seen.decision = answers
                        .get("decision")
                        .and_then(Value::as_str)
                        .map(str::to_string);
                }
            }
            Change::ApprovalDecided {
                approval,
                step,
                round,
                decision,
            } => {
                let def = defs
                    .get(approval)
                    .ok_or_else(|| format!("unknown approval {approval}"))?;
                let rule = def.steps[*step as usize].rule;
                let ids = batch.remove(approval).unwrap_or_default();
                let step_tasks: Vec<&Seen> = ids.iter().filter_map(|id| tasks.get(id)).collect();
                if step_tasks.iter().any(|t| t.status == TaskStatus::Open) {
                    return Err(format!(
                        "{approval} settled with a decision task still open"
                    ));
                }
                let n = step_tasks.len() as u32;
                let done: Vec<&&Seen> = step_tasks
                    .iter()
                    .filter(|t| t.status == TaskStatus::Done)
                    .collect();
                let approvals = done
                    .iter()
                    .filter(|t| t.decision.as_deref() == Some("approve"))
                    .count() as u32;
                // Tasks cancelled by the settlement were still open when it came.
                let open = n - done.len() as u32;
                let ok = match (rule, decision.as_str()) {
                    (ApprovalRule::Any, d) => {
                        let first = done.iter().min_by_key(|t| t.closed);
                        let expected = first.and_then(|t| t.decision.as_deref()).unwrap_or("none");
                        done.len() == 1 && expected == d
                    }
                    (ApprovalRule::All, "approve") => approvals == n,
                    (ApprovalRule::All, _) => approvals < done.len() as u32,
                    (ApprovalRule::Majority, "approve") => 2 * approvals > n,
                    (ApprovalRule::Majority, _) => 2 * (approvals + open) <= n,
                    (ApprovalRule::AtLeast(k), "approve") => approvals >= k.min(n),
                    (ApprovalRule::AtLeast(k), _) => approvals + open < k.min(n),
                };
                if !ok {
                    return Err(format!(
                        "{approval} step {step} round {round} settled \"{decision}\" under {rule:?} \
                         with {approvals} approval(s), {} other decision(s), {open} open of {n}",
                        done.len() as u32 - approvals
                    ));
                }
                decided.push((approval.clone(), *round, *step, decision.clone()));
            }
            _ => {}
        }
    }
    // A step still waiting must neither have met nor missed its rule.
    for (approval, ids) in &batch {
        let step_tasks: Vec<&Seen> = ids.iter().filter_map(|id| tasks.get(id)).collect();
        if !step_tasks.iter().any(|t| t.status == TaskStatus::Open) {
            continue;
        }
        let Some(def) = defs.get(approval) else {
            continue;
        };
        let step = decided
            .iter()
            .rev()
            .find(|d| &d.0 == approval)
            .map_or(0, |d| if d.3 == "approve" { d.2 + 1 } else { 0 });
        let rule = def.steps[step as usize].rule;
        let n = step_tasks.len() as u32;
        let live = step_tasks
            .iter()
            .filter(|t| t.status != TaskStatus::Cancelled)
            .count() as u32;
        let approvals = step_tasks
            .iter()
            .filter(|t| t.status == TaskStatus::Done && t.decision.as_deref() == Some("approve"))
            .count() as u32;
        let decisions = step_tasks
            .iter()
            .filter(|t| t.status == TaskStatus::Done)
            .count() as u32;
        let open = live - decisions;
        let settled = match rule {
            ApprovalRule::Any => decisions > 0,
            ApprovalRule::All => decisions > approvals || approvals == n,
            ApprovalRule::Majority => 2 * approvals > n || 2 * (approvals + open) <= n,
            ApprovalRule::AtLeast(k) => approvals >= k.min(n) || approvals + open < k.min(n),
        };
        if settled {
            return Err(format!(
                "{approval} step {step} met or missed its rule {rule:?} but is still open"
            ));
        }
    }
    // Approved: every step of the last round approved.
    if approved_stages.contains(&record.stage.as_str()) {
        let Some((approval, round, _, _)) = decided.last().cloned() else {
            return Err(format!("stage {} with no decision", record.stage));
        };
        let steps = defs[&approval].steps.len() as u32;
        let last_round: Vec<(u32, &str)> = decided
            .iter()
            .filter(|d| d.0 == approval && d.1 == round)
            .map(|d| (d.2, d.3.as_str()))
            .collect();
        let expected: Vec<(u32, &str)> = (0..steps).map(|s| (s, "approve")).collect();
        if last_round != expected {
            return Err(format!(
                "stage {} after {last_round:?} in round {round}",
                record.stage
            ));
        }
    }
    Ok(())
}

/// A valid answer to a question of a plain task.
fn answer(field: &voronka::FieldDef) -> Value {
    use voronka::FieldType;
    match field.field_type {
        FieldType::Date => json!("2026-12-18"),
        FieldType::Integer => json!(21),
        FieldType::File => json!({"id": "f-1", "name": "payment-order.pdf"}),
        _ => json!("done"),
    }
}

#[derive(Debug, Default)]
struct Stats {
    accepted: u32,
    refused: u32,
    deputies: u32,
    settled: u32,
    approved: u32,
}

fn run_ops(
    model: &Model,
    start: &(Record, Vec<Event>),
    ops: &[Op],
    defs: &BTreeMap<String, ApprovalDef>,
    approved_stages: &[&str],
    stats: &mut Stats,
) -> Result<(), TestCaseError> {
    let org = org();
    let (mut record, mut log) = start.clone();
    let mut now = record.updated_at;
    for op in ops {
        let (actor, action, expect) = match op {
            Op::Later(hours) => {
                now += Duration::hours(i64::from(*hours));
                (actor(&org, "u-anna"), Action::Tick, None)
            }
            Op::Work { task } => {
                let open: Vec<_> = record
                    .open_tasks()
                    .filter(|t| t.kind == TaskKind::Plain)
                    .collect();
                if open.is_empty() {
                    continue;
                }
                let t = open[task % open.len()];
                let Recipient::User(who) = &t.assignee else {
                    continue;
                };
                now += Duration::minutes(5);
                let answers = model
                    .task_form(&record.pipeline, &t.automation, &t.code)
                    .iter()
                    .map(|f| (f.code.clone(), answer(f)))
                    .collect();
                (
                    actor(&org, who),
                    Action::CompleteTask {
                        task: t.id.clone(),
                        answers,
                    },
                    None,
                )
            }
            Op::Decide {
                task,
                who,
                decision,
                comment,
            } => {
                let open: Vec<_> = record
                    .open_tasks()
                    .filter(|t| matches!(t.kind, TaskKind::Approval | TaskKind::Rework))
                    .collect();
                if open.is_empty() {
                    continue;
                }
                let t = open[task % open.len()];
                now += Duration::minutes(5);
                let Recipient::User(approver) = &t.assignee else {
                    return Err(TestCaseError::fail(format!(
                        "a task for a role with the org passed: {:?}",
                        t.assignee
                    )));
                };
                let who = match *who {
                    ASSIGNEE => approver.as_str(),
                    DEPUTY => org
                        .user(approver)
                        .and_then(|u| u.absences.iter().find_map(|a| a.deputy.as_deref()))
                        .unwrap_or("u-stranger"),
                    i => PEOPLE[i],
                };
                // Said again from the org's data: the approver, or the deputy of an absence
                // that covers this moment.
                let deputy = org.user(approver).is_some_and(|u| {
                    u.absences
                        .iter()
                        .any(|a| a.from <= now && now < a.to && a.deputy.as_deref() == Some(who))
                });
                let permitted = approver == who || deputy;
                if permitted && approver != who {
                    stats.deputies += 1;
                }
                let mut answers = BTreeMap::new();
                let needs_comment = t.kind == TaskKind::Approval && *decision > 0;
                if t.kind == TaskKind::Approval {
                    answers.insert("decision".to_string(), json!(DECISIONS[*decision]));
                }
                if *comment {
                    answers.insert("comment".to_string(), json!("see the comment"));
                }
                let expect = if !permitted {
                    Some(ErrorCode::NotPermitted)
                } else if needs_comment && !*comment {
                    Some(ErrorCode::MissingAnswers)
                } else {
                    None
                };
                (
                    actor(&org, who),
                    Action::CompleteTask {
                        task: t.id.clone(),
                        answers,
                    },
                    Some(expect),
                )
            }
        };
        let command = Command {
            actor,
            now,
            expected_version: None,
            idempotency_key: None,
            org: Some(org.clone()),
            action,
        };
        match (model.apply(Some(&record), &command), expect) {
            (Ok(outcome), None | Some(None)) => {
                if expect.is_some() {
                    stats.accepted += 1;
                }
                stats.settled += outcome
                    .events
                    .iter()
                    .filter(|e| matches!(e.change, Change::ApprovalDecided { .. }))
                    .count() as u32;
                log.extend(outcome.events);
                record = outcome.record;
            }
            (Ok(outcome), Some(Some(code))) => {
                return Err(TestCaseError::fail(format!(
                    "{:?} by {} accepted, expected {code:?}: {:?}",
                    command.action, command.actor.user, outcome.events
                )));
            }
            (Err(rejection), Some(Some(code))) => {
                prop_assert_eq!(rejection.code(), code, "{:?}", rejection);
                stats.refused += 1;
            }
            (Err(rejection), _) => {
                return Err(TestCaseError::fail(format!(
                    "{:?} by {} refused: {rejection:?}",
                    command.action, command.actor.user
                )));
            }
        }
        let replayed = Record::replay(&log);
        prop_assert_eq!(replayed.as_ref(), Some(&record), "replay differs");
        check_rules(&record, &log, defs, approved_stages).map_err(TestCaseError::fail)?;
    }
    if approved_stages.contains(&record.stage.as_str()) {
        stats.approved += 1;
    }
    Ok(())
}

fn check(model: &Model, start: (Record, Vec<Event>), approved_stages: &[&str], cases: u32) {
    let defs = approvals(model);
    let config = ProptestConfig {
        cases,
        source_file: Some(file!()),
        ..ProptestConfig::default()
    };
    // A fixed seed: the same sequences every run.
    let rng = proptest::test_runner::TestRng::deterministic_rng(config.rng_algorithm);
    let mut runner = proptest::test_runner::TestRunner::new_with_rng(config, rng);
    let stats = std::cell::RefCell::new(Stats::default());
    let result = runner.run(&prop::collection::vec(op(), 1..30), |ops| {
        run_ops(
            model,
            &start,
            &ops,
            &defs,
            approved_stages,
            &mut stats.borrow_mut(),
        )
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let stats = stats.into_inner();
    // The sequences must have exercised what the properties speak of.
    assert!(
        stats.accepted >= 20
            && stats.refused >= 30
            && stats.deputies >= 2
            && stats.settled >= 10
            && stats.approved >= 1,
        "{stats:?}"
    );
}

/// A request filed by Anna on Friday 18 December: Boris, her head, is away from the 21st
/// (Galina deputises), so the sequences cross into his absence.
fn filed(model: &Model, id: &str, pipeline: &str, fields: Value) -> (Record, Vec<Event>) {
    let command = Command {
        actor: Actor::new("u-anna", &["manager"]),
        now: at("2026-12-18T09:00:00Z"),
        expected_version: None,
        idempotency_key: None,
        org: Some(org()),
        action: Action::Create {
            id: id.into(),
            pipeline: pipeline.into(),
            stage: None,
            responsible: Some("u-anna".into()),
            fields: crate::support::fields(fields),
        },
    };
    let filed = model.apply(None, &command).expect("filed");
    (filed.record, filed.events)
}

// case: P1 (properties)
#[test]
fn random_decisions_on_payment_requests_keep_the_approval_rules() {
    let mut values = payment_request();
    values["payment_document_needed"] = json!(true);
    let start = filed(full(), "pr-1", "payment_requests", values);
    check(full(), start, &["payment", "paid"], 32);
}

// case: P5 (properties)
#[test]
fn random_decisions_on_leave_requests_keep_the_approval_rules() {
    let unpaid = filed(
        full(),
        "lr-1",
        "leave_requests",
        json!({"leave_kind": "unpaid", "date_from": "2027-01-12", "date_to": "2027-01-13", "days": 2}),
    );
    check(full(), unpaid, &["approved"], 24);
    let vacation = filed(
        full(),
        "lr-2",
        "leave_requests",
        json!({"leave_kind": "vacation", "date_from": "2027-02-01", "date_to": "2027-02-14", "days": 14}),
    );
    check(full(), vacation, &["approved"], 24);
}

// case: P1 (properties: majority of three, with a deputy)
#[test]
fn random_votes_by_majority_keep_the_rule() {
    let model = votes_model("majority");
    let start = filed(
        model,
        "prop-1",
        "proposals",
        json!({"title": "Four-day week in January"}),
    );
    check(model, start, &["approved"], 32);
}
