//! Automations of the lead funnel, case by case: L1 capture and notice, L2 the pre-sale call,
//! L5 the qualification check and the conversion into a contact, a company and a deal.

use serde_json::{Value, json};
use voronka::record::{DuplicateKeys, LinkedRecord, Recipient};
use voronka::{Action, Change, Effect, ErrorCode, Label, Rejection, TaskStatus};

use crate::flow::{Flow, at, created_tasks, effect_kinds, field_changes, kinds, moves, trace};
use crate::support::{self, fields, integration, manager};

fn s(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn capture(id: &str, channel: &str) -> Action {
    Action::CaptureLead {
        id: id.into(),
        channel: channel.into(),
        fields: fields(json!({
            "contact_name": "Ivan Petrov",
            "contact_email": "ivan@greenfood.example",
            "contact_phone": "+7 916 000-11-22",
            "request": "Kraft boxes, 5000 pcs",
        })),
        responsible: Some("u-anna".into()),
    }
}

// case: L1
#[test]
fn l1_capture_from_every_channel_records_the_source_and_notifies_responsible_and_head() {
    for (channel, source, shown) in [
        ("email", json!("email"), "E-mail"),
        ("website", json!("website"), "Website form"),
        ("facebook", json!("facebook"), "Facebook"),
        ("instagram", json!("instagram"), "Instagram"),
        (
            "telegram",
            json!({ "option": "other", "text": "telegram" }),
            "telegram",
        ),
    ] {
        let mut f = Flow::eco();
        let o = f.ok(&integration(), capture("lead-1", channel));
        assert_eq!(kinds(&o), s(&["created", "notified"]), "{channel}");
        assert_eq!(o.record.stage, "new");
        assert_eq!(o.record.fields["source"], source, "{channel}");
        assert_eq!(o.record.responsible.as_deref(), Some("u-anna"));
        assert_eq!(
            o.effects,
            vec![Effect::Notify {
                record: "lead-1".into(),
                id: "lead-1:notification-2".into(),
                to: vec![
                    Recipient::User("u-anna".into()),
                    Recipient::Role("head".into())
                ],
                message: Label::new(
                    format!("New lead: Ivan Petrov ({shown})"),
                    format!(
                        "Новый лид: Ivan Petrov ({})",
                        match channel {
                            "email" => "Почта",
                            "website" => "Форма на сайте",
                            _ => shown,
                        }
                    ),
                ),
            }],
            "{channel}"
        );
        assert_eq!(
            trace(&o),
            vec![
                (
                    "l1_new_lead".into(),
                    "started".into(),
                    "the record was created".into()
                ),
                (
                    "l1_new_lead".into(),
                    "finished".into(),
                    "every step is done".into()
                ),
            ]
        );
        // The notice ran to its end: nothing waits.
        assert!(o.record.runs.is_empty() && o.record.timers.is_empty());
    }
}

// case: L1
#[test]
fn l1_a_captured_lead_still_needs_a_name_and_an_email_or_phone() {
    let mut f = Flow::eco();
    let r = f.err(
        &integration(),
        Action::CaptureLead {
            id: "lead-1".into(),
            channel: "website".into(),
            fields: fields(json!({ "contact_name": "Ivan Petrov" })),
            responsible: None,
        },
    );
    assert_eq!(r.code(), ErrorCode::MissingFields);
}

/// A lead captured from the website with a phone and a request, by the inbound channel.
fn lead() -> Flow<'static> {
    let mut f = Flow::eco();
    f.ok(&integration(), capture("lead-1", "website"));
    f
}

// case: L2
#[test]
fn l2_cold_call_task_is_due_one_business_day_later_friday_to_monday() {
    // Friday 27 Nov 2026, 12:00 in Moscow (UTC+3).
    let mut f = lead();
    let o = f.ok(&manager(), support::move_to("cold_call", Value::Null));
    assert_eq!(
        kinds(&o),
        s(&["stage_changed", "task_created", "run_updated"])
    );
    let task = &created_tasks(&o)[0];
    assert_eq!(task.id, "lead-1:task-4");
    assert_eq!(task.code, "pre_sale_call");
    assert_eq!(task.title.en, "Make a pre-sale call");
    assert_eq!(task.assignee, Recipient::User("u-anna".into()));
    assert_eq!(task.status, TaskStatus::Open);
    assert_eq!(task.created_at, at("2026-11-27T09:00:00Z"));
    // Monday 30 Nov, the same local time.
    assert_eq!(task.deadline, Some(at("2026-11-30T09:00:00Z")));
    assert_eq!(
        task.description.as_ref().map(|d| d.en.as_str()),
        Some(
            "Call Ivan Petrov: +79160001122 ivan@greenfood.example. Request: Kraft boxes, 5000 pcs"
        )
    );
    assert_eq!(
        o.effects,
        vec![Effect::CreateTask {
            record: "lead-1".into(),
            task: Box::new(task.clone()),
            form: f
                .model
                .task_form("leads", &task.automation, &task.code)
                .to_vec(),
        }]
    );
    assert_eq!(
        trace(&o),
        vec![
            (
                "l2_cold_call".into(),
                "started".into(),
                "entered stage \"cold_call\"".into()
            ),
            (
                "l2_cold_call".into(),
                "waiting".into(),
                "waiting for task \"pre_sale_call\"".into()
            ),
        ]
    );
}

// case: L2
#[test]
fn l2_late_friday_local_is_already_saturday_and_lands_on_monday() {
    let mut f = lead();
    // 23:30 Friday in Moscow is 20:30 UTC; one business day later is Monday 23:30 Moscow.
    f.set_clock("2026-11-27T20:30:00Z");
    let o = f.ok(&manager(), support::move_to("cold_call", Value::Null));
    assert_eq!(
        created_tasks(&o)[0].deadline,
        Some(at("2026-11-30T20:30:00Z"))
    );
    // Thursday 30 Dec → Friday 1 Jan? 31 Dec and 1 Jan are holidays: Monday 4 Jan is one too,
    // so the first working day is Monday 11 Jan 2027 (4–8 Jan are holidays as well).
    let mut f = lead();
    f.set_clock("2026-12-30T09:00:00Z");
    let o = f.ok(&manager(), support::move_to("cold_call", Value::Null));
    assert_eq!(
        created_tasks(&o)[0].deadline,
        Some(at("2027-01-11T09:00:00Z"))
    );
}

/// A lead walked to processing (L4): the qualification task is open.
fn lead_at_processing() -> Flow<'static> {
    let mut f = lead();
    f.ok(&manager(), support::move_to("cold_call", Value::Null));
    f.ok(
        &manager(),
        support::move_to("intro_call", json!({ "activity": "food_production" })),
    );
    let o = f.ok(
        &manager(),
        support::move_to("processing", support::lead_processing()),
    );
    // Leaving cold call cancelled its task; processing opened the question.
    let task = &created_tasks(&o)[0];
    assert_eq!(task.code, "qualify");
    assert_eq!(task.title.en, "Is this a qualified lead?");
    assert_eq!(task.deadline, Some(at("2026-11-30T09:00:00Z")));
    f
}

// case: L5
#[test]
fn l5_qualified_yes_asks_for_duplicates_then_converts_and_finishes_the_lead() {
    let mut f = lead_at_processing();
    let o = f.complete(&manager(), "qualify", json!({ "qualified": true }));
    assert_eq!(
        kinds(&o),
        s(&[
            "task_closed",
            "fields_changed",
            "duplicates_requested",
            "run_updated"
        ])
    );
    assert_eq!(
        field_changes(&o),
        [("qualified".to_string(), Some(json!(true)))].into()
    );
    let keys = DuplicateKeys {
        emails: s(&["ivan@greenfood.example", "maria@greenfood.example"]),
        phones: s(&["+74951234567", "+79160001122"]),
        company_names: s(&["ooo green food", "green food"]),
        tax_ids: vec![],
    };
    assert_eq!(
        o.effects[1..],
        [Effect::FindDuplicates {
            record: "lead-1".into(),
            id: "lead-1:lookup-7".into(),
            keys,
        }]
    );
    assert_eq!(
        o.effects[0],
        Effect::CloseTask {
            record: "lead-1".into(),
            task: f.task("qualify").id,
            status: TaskStatus::Done,
        }
    );
    assert_eq!(f.record().stage, "processing");

    // Nothing found: a new contact, a new company and a deal.
    let o = f.ok(
        &manager(),
        Action::ResolveDuplicates {
            contact: None,
            company: None,
        },
    );
    assert_eq!(
        kinds(&o),
        s(&[
            "lead_converted",
            "fields_changed",
            "stage_changed",
            "run_ended"
        ])
    );
    assert_eq!(
        moves(&o),
        vec![("processing".to_string(), "finished".to_string())]
    );
    assert_eq!(f.record().stage, "finished");
    assert_eq!(f.record().fields["processing_result"], json!("converted"));
    let Change::LeadConverted {
        contact,
        company,
        deal,
    } = &o.events[0].change
    else {
        panic!("not a conversion: {:?}", o.events[0]);
    };
    assert_eq!(
        contact,
        &LinkedRecord::Created {
            id: "lead-1-contact".into(),
            entity: "contact".into(),
            fields: fields(json!({
                "name": { "last": "Petrova", "first": "Maria" },
                "email": "maria@greenfood.example",
                "address": { "country": "RU", "city": "Moscow", "street": "Tverskaya 1" },
            })),
        }
    );
    assert_eq!(
        company,
        &LinkedRecord::Created {
            id: "lead-1-company".into(),
            entity: "company".into(),
            fields: fields(json!({
                "full_name": "OOO Green Food",
                "short_name": "Green Food",
                "phone": "+74951234567",
                "address": { "country": "RU", "city": "Moscow", "street": "Tverskaya 1" },
                "activity": "food_production",
            })),
        }
    );
    assert_eq!(deal, "lead-1-deal");
    assert_eq!(
        effect_kinds(&o),
        s(&[
            "create_record",
            "create_record",
            "create_record",
            "create_task"
        ])
    );
    match &o.effects[2] {
        Effect::CreateRecord {
            source,
            entity,
            id,
            record: Some(record),
            ..
        } => {
            assert_eq!((source.as_str(), entity.as_str()), ("lead-1", "deal"));
            assert_eq!(id, "lead-1-deal");
            let deal = record;
            assert_eq!(deal.pipeline, "deals");
            assert_eq!(deal.stage, "contact");
            assert_eq!(deal.responsible.as_deref(), Some("u-anna"));
            assert_eq!(
                deal.fields,
                fields(json!({
                    "client_name": { "last": "Petrova", "first": "Maria" },
                    "client_email": "maria@greenfood.example",
                    "company_name": "Green Food",
                }))
            );
            // The deal already has its D1 task, and the host gets it as an effect too.
            assert_eq!(deal.tasks.len(), 1);
            assert_eq!(deal.tasks[0].code, "call_client");
            assert_eq!(deal.tasks[0].status, TaskStatus::Open);
            assert_eq!(
                o.effects[3],
                Effect::CreateTask {
                    record: "lead-1-deal".into(),
                    task: Box::new(deal.tasks[0].clone()),
                    form: f
                        .model
                        .task_form("deals", "d1_call", "call_client")
                        .to_vec(),
                }
            );
        }
        other => panic!("not the deal: {other:?}"),
    }
    // The conversion is over: nothing waits on the lead.
    assert!(f.record().runs.is_empty() && f.record().timers.is_empty());
    assert_eq!(f.record().open_tasks().count(), 0);
}

// case: L5
#[test]
fn l5_existing_contact_and_company_are_linked_not_created() {
    let mut f = lead_at_processing();
    f.complete(&manager(), "qualify", json!({ "qualified": true }));
    let o = f.ok(
        &manager(),
        Action::ResolveDuplicates {
            contact: Some("contact-77".into()),
            company: Some("company-12".into()),
        },
    );
    let Change::LeadConverted {
        contact, company, ..
    } = &o.events[0].change
    else {
        panic!("not a conversion");
    };
    assert_eq!(
        contact,
        &LinkedRecord::Linked {
            id: "contact-77".into()
        }
    );
    assert_eq!(
        company,
        &LinkedRecord::Linked {
            id: "company-12".into()
        }
    );
    // Only the deal is new.
    assert_eq!(effect_kinds(&o), s(&["create_record", "create_task"]));
    assert_eq!(f.record().stage, "finished");

    // Nothing waits for duplicates any more.
    let r = f.err(
        &manager(),
        Action::ResolveDuplicates {
            contact: None,
            company: None,
        },
    );
    assert_eq!(r, Rejection::NothingToResolve);
}

// case: L5, L6
#[test]
fn l5_qualified_no_moves_the_lead_to_unqualified_with_the_reason() {
    let mut f = lead_at_processing();
    let task = f.task("qualify").id;
    // "No" without a reason.
    let r = f.err(
        &manager(),
        crate::flow::complete(&task, json!({ "qualified": false })),
    );
    assert_eq!(r.code(), ErrorCode::MissingAnswers);
    let Rejection::MissingAnswers { missing, .. } = &r else {
        unreachable!()
    };
    assert_eq!(support::codes(missing), ["unqualified_reason"]);
    assert_eq!(
        r.path().as_deref(),
        Some("action.answers.unqualified_reason")
    );

    let o = f.complete(
        &manager(),
        "qualify",
        json!({ "qualified": false, "unqualified_reason": "no_budget" }),
    );
    assert_eq!(
        kinds(&o),
        s(&[
            "task_closed",
            "fields_changed",
            "stage_changed",
            "run_ended"
        ])
    );
    assert_eq!(
        field_changes(&o),
        [
            ("qualified".to_string(), Some(json!(false))),
            ("unqualified_reason".to_string(), Some(json!("no_budget"))),
        ]
        .into()
    );
    assert_eq!(
        moves(&o),
        vec![("processing".to_string(), "unqualified".to_string())]
    );
    assert_eq!(f.record().stage, "unqualified");
    // No conversion, no look-up.
    assert_eq!(effect_kinds(&o), s(&["close_task"]));
    // L7: the manager finishes it as unqualified; the reason is already there.
    f.ok(
        &manager(),
        support::move_to("finished", json!({ "processing_result": "unqualified" })),
    );
    assert_eq!(f.record().stage, "finished");
}
