//! Scenario tests of the lead funnel, L1–L7 of the reference case.

use serde_json::json;
use voronka::error::{MissingPart, Permission, ValueProblem};
use voronka::{Change, ErrorCode, Lang, Rejection};

use crate::support::*;

/// The missing fields as (code, part, any_of) for compact exact comparisons.
fn missing_of(r: &Rejection) -> Vec<(String, MissingPart, Vec<String>)> {
    match r {
        Rejection::MissingFields { missing, .. }
        | Rejection::WouldBreakRequirements { missing, .. } => missing
            .iter()
            .map(|m| (m.field.clone(), m.part, m.any_of.clone()))
            .collect(),
        other => panic!("expected missing fields, got {other:?}"),
    }
}

fn value(code: &str) -> (String, MissingPart, Vec<String>) {
    (code.into(), MissingPart::Value, Vec::new())
}

fn any_of(codes: &[&str]) -> (String, MissingPart, Vec<String>) {
    (
        codes[0].into(),
        MissingPart::Value,
        codes.iter().map(|c| c.to_string()).collect(),
    )
}

/// A lead walked to "processing" (L4) with everything L3 needs.
fn lead_at_processing() -> Scenario {
    let mut s = Scenario::lead();
    s.ok(&manager(), move_to("cold_call", json!(null)));
    s.ok(
        &manager(),
        move_to("intro_call", json!({ "activity": "retail" })),
    );
    s.ok(&manager(), move_to("processing", lead_processing()));
    s
}

// case: L1
#[test]
fn l1_a_lead_needs_source_contact_name_and_email_or_phone() {
    let mut s = Scenario::new();
    let r = s.rejected(&integration(), create("lead-1", "leads", json!(null)));
    assert_eq!(r.code(), ErrorCode::MissingFields);
    let Rejection::MissingFields {
        stage, stage_label, ..
    } = &r
    else {
        unreachable!()
    };
    assert_eq!(stage, "new");
    assert_eq!(stage_label.en, "New lead");
    assert_eq!(stage_label.ru, "Новый лид");
    assert_eq!(
        missing_of(&r),
        vec![
            value("source"),
            value("contact_name"),
            any_of(&["contact_email", "contact_phone"]),
        ]
    );

    // A phone alone satisfies "e-mail or phone", but it must be international.
    let r = s.rejected(
        &integration(),
        create(
            "lead-1",
            "leads",
            json!({ "source": "instagram", "contact_name": "Ivan", "contact_phone": "8 (916) 000-11-22" }),
        ),
    );
    let Rejection::InvalidValues { errors } = &r else {
        panic!("{r:?}")
    };
    assert_eq!(
        errors
            .iter()
            .map(|e| (e.field.as_str(), &e.problem))
            .collect::<Vec<_>>(),
        [("contact_phone", &ValueProblem::InvalidPhone)]
    );
    s.ok(
        &integration(),
        create(
            "lead-1",
            "leads",
            json!({ "source": "instagram", "contact_name": "Ivan", "contact_phone": "+7 916 000 11 22" }),
        ),
    );
    assert_eq!(s.record().stage, "new");
    assert!(!s.record().fields.contains_key("contact_email"));
}

// case: L1
#[test]
fn l1_the_inbound_channel_creates_a_lead_with_canonical_values() {
    let mut s = Scenario::new();
    let events = s.ok(
        &integration(),
        create(
            "lead-7",
            "leads",
            json!({
                "source": "facebook",
                "contact_name": "  Ivan Petrov ",
                "contact_phone": "+7 (916) 000-11-22",
                "request": "Boxes for pastries, 10 000 a month",
            }),
        ),
    );
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].version, 1);
    assert_eq!(events[0].actor, "svc-forms");
    let Change::Created {
        id,
        entity,
        pipeline,
        stage,
        fields,
        ..
    } = &events[0].change
    else {
        panic!("expected created, got {:?}", events[0].change)
    };
    assert_eq!(
        (
            id.as_str(),
            entity.as_str(),
            pipeline.as_str(),
            stage.as_str()
        ),
        ("lead-7", "lead", "leads", "new")
    );
    assert_eq!(fields["contact_name"], json!("Ivan Petrov"));
    assert_eq!(fields["contact_phone"], json!("+79160001122"));
    assert_eq!(fields["source"], json!("facebook"));
    assert_eq!(s.record().version, 1);
    assert_eq!(s.record().created_at, start());
}

// case: L1
#[test]
fn l1_source_other_needs_its_text_and_only_listed_roles_create_leads() {
    let mut s = Scenario::new();
    let r = s.rejected(
        &integration(),
        create(
            "lead-1",
            "leads",
            json!({ "source": "other", "contact_name": "Ivan", "contact_email": "ivan@example.com" }),
        ),
    );
    assert_eq!(
        missing_of(&r),
        vec![("source".into(), MissingPart::OtherText, vec![])]
    );
    assert!(
        r.message(Lang::En).contains("Source channel"),
        "{}",
        r.message(Lang::En)
    );
    assert!(
        r.message(Lang::Ru).contains("текст «другое»"),
        "{}",
        r.message(Lang::Ru)
    );

    let r = s.rejected(&accountant(), create("lead-1", "leads", lead_form()));
    assert_eq!(
        r,
        Rejection::NotPermitted {
            user: "u-vera".into(),
            action: Permission::Create,
            field: None,
            stage: None,
            allowed_roles: ["manager", "head", "director", "admin", "integration"]
                .map(String::from)
                .to_vec(),
        }
    );
    s.ok(
        &integration(),
        create(
            "lead-1",
            "leads",
            json!({ "source": { "option": "other", "text": "Trade fair" }, "contact_name": "Ivan", "contact_email": "ivan@example.com" }),
        ),
    );
    assert_eq!(
        s.record().fields["source"],
        json!({ "option": "other", "text": "Trade fair" })
    );
}

// case: L1, L2
#[test]
fn l2_cold_call_needs_nothing_but_the_channel_may_not_move_leads() {
    let mut s = Scenario::lead();
    let req = model()
        .requirements(s.record(), "cold_call")
        .expect("known stage");
    assert!(req.move_allowed);
    assert!(req.missing.is_empty());
    assert_eq!(req.stage_label.ru, "Холодный звонок");

    let r = s.rejected(&integration(), move_to("cold_call", json!(null)));
    assert_eq!(r.code(), ErrorCode::NotPermitted);
    assert!(matches!(
        &r,
        Rejection::NotPermitted { action: Permission::Move, stage: Some(st), .. } if st == "cold_call"
    ));

    let events = s.ok(&manager(), move_to("cold_call", json!(null)));
    assert_eq!(events.len(), 1);
    assert_eq!(
        events[0].change,
        Change::StageChanged {
            from: "new".into(),
            to: "cold_call".into(),
            return_stage: None
        }
    );
    // Created at 09:00, the rejected move at 09:01, the accepted one at 09:02.
    assert_eq!(
        s.record().stage_entered_at,
        start() + chrono::Duration::minutes(2)
    );
}

// case: L2, L3
#[test]
fn l2_leads_move_next_or_previous_but_never_skip() {
    let mut s = Scenario::lead();
    let r = s.rejected(
        &manager(),
        move_to("intro_call", json!({ "activity": "retail" })),
    );
    assert_eq!(r, not_allowed("leads", "new", "intro_call"));
    assert_eq!(r.path().as_deref(), Some("action.to"));
    s.ok(&manager(), move_to("cold_call", json!(null)));
    assert_eq!(
        model().next_stages(s.record()).expect("known record"),
        ["new", "intro_call", "unqualified"]
    );
    // The lead funnel allows going back one stage.
    s.ok(&manager(), move_to("new", json!(null)));
    assert_eq!(s.record().stage, "new");
}

// case: L3
#[test]
fn l3_intro_call_needs_what_the_client_does_and_other_needs_text() {
    let mut s = Scenario::lead();
    s.ok(&manager(), move_to("cold_call", json!(null)));

    let r = s.rejected(&manager(), move_to("intro_call", json!(null)));
    assert_eq!(missing_of(&r), vec![value("activity")]);

    // "other" without its text: the requirement names the missing part.
    let r = s.rejected(
        &manager(),
        move_to("intro_call", json!({ "activity": "other" })),
    );
    assert_eq!(
        missing_of(&r),
        vec![("activity".into(), MissingPart::OtherText, vec![])]
    );
    let details = serde_json::to_value(&r).expect("serializable");
    assert_eq!(details["missing"][0]["part"], json!("other_text"));

    // Free text with a listed option is an invalid value.
    let r = s.rejected(
        &manager(),
        move_to(
            "intro_call",
            json!({ "activity": { "option": "retail", "text": "shops" } }),
        ),
    );
    let Rejection::InvalidValues { errors } = &r else {
        panic!("{r:?}")
    };
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].field, "activity");
    assert_eq!(errors[0].problem, ValueProblem::OtherTextNotAllowed);

    s.ok(
        &manager(),
        move_to(
            "intro_call",
            json!({ "activity": { "option": "other", "text": "Bakery chain" } }),
        ),
    );
    assert_eq!(s.record().stage, "intro_call");
    assert_eq!(
        s.record().fields["activity"],
        json!({ "option": "other", "text": "Bakery chain" })
    );
}

// case: L4
#[test]
fn l4_processing_lists_every_company_and_decision_maker_field() {
    let mut s = Scenario::lead();
    s.ok(&manager(), move_to("cold_call", json!(null)));
    s.ok(
        &manager(),
        move_to("intro_call", json!({ "activity": "horeca" })),
    );
    let req = model()
        .requirements(s.record(), "processing")
        .expect("known stage");
    assert!(req.move_allowed);
    assert_eq!(
        req.missing
            .iter()
            .map(|m| (m.field.as_str(), m.any_of.len()))
            .collect::<Vec<_>>(),
        vec![
            ("company_full_name", 0),
            ("company_short_name", 0),
            ("decision_maker", 0),
            ("company_phone", 2),
            ("decision_maker_phone", 2),
            ("company_address", 0),
            ("decision_maker_address", 0),
        ]
    );
    assert_eq!(req.missing[3].any_of, ["company_phone", "company_email"]);
    assert_eq!(
        req.missing[4].any_of,
        ["decision_maker_phone", "decision_maker_email"]
    );
    assert_eq!(req.missing[2].label.ru, "ФИО ЛПР");
    let r = s.rejected(&manager(), move_to("processing", json!(null)));
    assert_eq!(missing_of(&r).len(), 7);

    // Any one of the company contacts does: here the e-mail instead of the phone.
    let mut values = lead_processing();
    values["company_phone"] = json!(null);
    values["company_email"] = json!("office@greenfood.example");
    s.ok(&manager(), move_to("processing", values));
    assert_eq!(s.record().stage, "processing");
    assert!(!s.record().fields.contains_key("company_phone"));
}

// case: L4
#[test]
fn l4_a_partial_address_is_an_invalid_value_not_a_missing_one() {
    let mut s = Scenario::lead();
    s.ok(&manager(), move_to("cold_call", json!(null)));
    s.ok(
        &manager(),
        move_to("intro_call", json!({ "activity": "horeca" })),
    );
    let mut values = lead_processing();
    values["company_address"] = json!({ "country": "RU", "city": "Moscow" });
    let r = s.rejected(&manager(), move_to("processing", values));
    let Rejection::InvalidValues { errors } = &r else {
        panic!("{r:?}")
    };
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].field, "company_address");
    assert_eq!(
        errors[0].problem,
        ValueProblem::MissingPart {
            part: "street".into()
        }
    );
}

// case: L5, L6
#[test]
fn l6_unqualified_needs_a_reason_from_any_open_stage() {
    let mut s = lead_at_processing();
    // L5: the qualification answer is a field; "no" sends the lead to L6.
    s.ok(&manager(), set(json!({ "qualified": false })));
    let r = s.rejected(&manager(), move_to("unqualified", json!(null)));
    assert_eq!(missing_of(&r), vec![value("unqualified_reason")]);
    let r = s.rejected(
        &manager(),
        move_to("unqualified", json!({ "unqualified_reason": "other" })),
    );
    assert_eq!(
        missing_of(&r),
        vec![("unqualified_reason".into(), MissingPart::OtherText, vec![])]
    );
    s.ok(
        &manager(),
        move_to(
            "unqualified",
            json!({ "unqualified_reason": { "option": "other", "text": "Wants plastic" } }),
        ),
    );
    assert_eq!(s.record().stage, "unqualified");

    // Also straight from L1.
    let mut s = Scenario::lead();
    s.ok(
        &manager(),
        move_to("unqualified", json!({ "unqualified_reason": "spam" })),
    );
    assert_eq!(s.record().stage, "unqualified");
    // An unqualified lead does not go back into the sequence: only to "finished".
    assert_eq!(
        model().next_stages(s.record()).expect("known record"),
        ["finished"]
    );
}

// case: L7
#[test]
fn l7_the_reason_is_required_only_when_the_result_is_unqualified() {
    let mut s = lead_at_processing();
    let r = s.rejected(&manager(), move_to("finished", json!(null)));
    assert_eq!(missing_of(&r), vec![value("processing_result")]);

    // Conditional requirement: "unqualified" makes the reason required.
    let r = s.rejected(
        &manager(),
        move_to("finished", json!({ "processing_result": "unqualified" })),
    );
    assert_eq!(missing_of(&r), vec![value("unqualified_reason")]);
    let probe = {
        let mut record = s.record().clone();
        record
            .fields
            .insert("processing_result".into(), json!("unqualified"));
        model().requirements(&record, "finished").expect("known")
    };
    assert_eq!(codes(&probe.missing), ["unqualified_reason"]);

    // "converted" needs no reason.
    s.ok(
        &manager(),
        move_to("finished", json!({ "processing_result": "converted" })),
    );
    assert_eq!(s.record().stage, "finished");
    assert!(model().next_stages(s.record()).expect("known").is_empty());

    // Switching the result afterwards would break the conditional requirement.
    let r = s.rejected(
        &manager(),
        set(json!({ "processing_result": "unqualified" })),
    );
    assert_eq!(r.code(), ErrorCode::WouldBreakRequirements);
    assert_eq!(missing_of(&r), vec![value("unqualified_reason")]);
    s.ok(
        &manager(),
        set(json!({ "processing_result": "unqualified", "unqualified_reason": "no_budget" })),
    );
}

// case: L6, L7
#[test]
fn l7_an_unqualified_lead_finishes_with_its_reason() {
    let mut s = Scenario::lead();
    s.ok(
        &manager(),
        move_to("unqualified", json!({ "unqualified_reason": "duplicate" })),
    );
    s.ok(
        &manager(),
        move_to("finished", json!({ "processing_result": "unqualified" })),
    );
    assert_eq!(s.record().stage, "finished");
    assert_eq!(s.record().version, 5);
}
