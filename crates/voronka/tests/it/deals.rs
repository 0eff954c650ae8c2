//! Scenario tests of the deal funnel, D1–D14 of the reference case, and of the command
//! guards (versions, idempotency keys, the clock, unknown codes, invalid values).

use serde_json::json;
use voronka::error::{MissingPart, Permission, ValueProblem};
use voronka::{Action, Change, Error, ErrorCode, Lang, Rejection};

use crate::support::*;

fn roles(list: &[&str]) -> Vec<String> {
    list.iter().map(|r| r.to_string()).collect()
}

fn stage_changed(from: &str, to: &str, return_stage: Option<&str>) -> Change {
    Change::StageChanged {
        from: from.into(),
        to: to.into(),
        return_stage: return_stage.map(String::from),
    }
}

// case: D1
#[test]
fn d1_a_deal_starts_in_establish_contact_with_nothing_required() {
    let s = Scenario::deal();
    let r = s.record();
    assert_eq!((r.stage.as_str(), r.version), ("contact", 1));
    assert_eq!(r.responsible.as_deref(), Some("u-anna"));
    assert_eq!(
        model().next_stages(r).expect("known record"),
        ["offer", "postponed", "lost"]
    );
    let req = model().requirements(r, "contact").expect("known stage");
    assert!(req.missing.is_empty());
    assert!(!req.move_allowed, "moving to the current stage is no move");
}

// case: D1
#[test]
fn d1_deals_are_created_only_in_the_first_stage_and_by_sales_roles() {
    let mut s = Scenario::new();
    let r = s.rejected(
        &manager(),
        Action::Create {
            id: "deal-1".into(),
            pipeline: "deals".into(),
            stage: Some("offer".into()),
            responsible: None,
            fields: fields(deal_offer()),
        },
    );
    assert_eq!(r, not_allowed("deals", "", "offer"));
    let r = s.rejected(&accountant(), create("deal-1", "deals", json!(null)));
    assert_eq!(
        r,
        Rejection::NotPermitted {
            user: "u-vera".into(),
            action: Permission::Create,
            field: None,
            stage: None,
            allowed_roles: roles(&["manager", "head", "director", "admin"]),
        }
    );
}

// case: D2
#[test]
fn d2_the_offer_needs_company_type_website_and_delivery_address() {
    let mut s = Scenario::deal();
    let req = model()
        .requirements(s.record(), "offer")
        .expect("known stage");
    assert!(req.move_allowed);
    assert_eq!(req.stage_label.ru, "Коммерческое предложение");
    assert_eq!(
        req.missing
            .iter()
            .map(|m| (m.field.as_str(), m.label.en.as_str(), m.label.ru.as_str()))
            .collect::<Vec<_>>(),
        [
            ("company_type", "Company type", "Тип компании"),
            ("website", "Website", "Ссылка на сайт"),
            ("delivery_address", "Delivery address", "Адрес доставки"),
        ]
    );
    assert!(req.missing.iter().all(|m| m.part == MissingPart::Value));

    let r = s.rejected(&manager(), move_to("offer", json!(null)));
    assert_eq!(r.code(), ErrorCode::MissingFields);
    assert_eq!(
        r,
        Rejection::MissingFields {
            stage: "offer".into(),
            stage_label: req.stage_label.clone(),
            missing: req.missing.clone(),
        }
    );
    assert_eq!(
        r.message(Lang::Ru),
        "Нельзя перейти на этап «Коммерческое предложение»: заполните Тип компании, Ссылка на сайт, Адрес доставки"
    );
    assert_eq!(
        r.message(Lang::En),
        "Cannot enter stage “Commercial offer”: fill in Company type, Website, Delivery address"
    );
    let report = Error::from(r).report(Lang::Ru);
    assert_eq!(
        (report.code, report.name.as_str()),
        (3001, "missing_fields")
    );
    assert_eq!(report.details["kind"], json!("missing_fields"));
    assert_eq!(report.details["missing"][1]["type"], json!("url"));

    // Only two of three: the third is still missing.
    let mut partial = deal_offer();
    partial["website"] = json!(null);
    let r = s.rejected(&manager(), move_to("offer", partial));
    assert_eq!(
        model()
            .requirements(s.record(), "offer")
            .expect("known")
            .missing
            .len(),
        3,
        "a rejected move keeps nothing"
    );
    let Rejection::MissingFields { missing, .. } = r else {
        panic!("{r:?}")
    };
    assert_eq!(codes(&missing), ["website"]);
}

// case: D2
#[test]
fn d2_a_move_that_sets_the_missing_fields_in_the_same_command_succeeds() {
    let mut s = Scenario::deal();
    let events = s.ok(&manager(), move_to("offer", deal_offer()));
    assert_eq!(events.len(), 2);
    assert_eq!(events.iter().map(|e| e.version).collect::<Vec<_>>(), [2, 3]);
    let Change::FieldsChanged { changes } = &events[0].change else {
        panic!("{:?}", events[0].change)
    };
    assert_eq!(
        changes.keys().collect::<Vec<_>>(),
        ["company_type", "delivery_address", "website"]
    );
    assert_eq!(changes["website"].from, None);
    assert_eq!(
        changes["website"].to,
        Some(json!("https://greenfood.example"))
    );
    assert_eq!(events[1].change, stage_changed("contact", "offer", None));
    assert_eq!(s.record().stage, "offer");
    assert_eq!(s.record().version, 3);
    assert_eq!(s.log().len(), 3);
}

// case: D2, D3
#[test]
fn d3_negotiation_may_return_to_the_offer_as_a_named_exception() {
    let mut s = Scenario::deal_at("negotiation");
    assert_eq!(
        model().next_stages(s.record()).expect("known"),
        ["offer", "samples_prep", "postponed", "lost"]
    );
    let events = s.ok(&manager(), move_to("offer", json!(null)));
    assert_eq!(
        events[0].change,
        stage_changed("negotiation", "offer", None)
    );
    // From the offer the deal goes on to negotiation again.
    s.ok(&manager(), move_to("negotiation", json!(null)));
    assert_eq!(s.record().stage, "negotiation");
}

// case: D3, D4
#[test]
fn deals_never_skip_a_stage_and_never_go_back_one() {
    let mut s = Scenario::deal();
    let r = s.rejected(&manager(), move_to("negotiation", deal_offer()));
    assert_eq!(r, not_allowed("deals", "contact", "negotiation"));
    let mut s = Scenario::deal_at("samples_prep");
    let r = s.rejected(&manager(), move_to("negotiation", json!(null)));
    assert_eq!(r.code(), ErrorCode::TransitionNotAllowed);
    let req = model()
        .requirements(s.record(), "negotiation")
        .expect("known");
    assert!(!req.move_allowed);
    let mut s = Scenario::deal_at("samples_sent");
    assert_eq!(
        s.rejected(&manager(), move_to("contract", json!(null)))
            .code(),
        ErrorCode::TransitionNotAllowed
    );
    assert_eq!(
        s.rejected(&manager(), move_to("samples_prep", json!(null)))
            .code(),
        ErrorCode::TransitionNotAllowed
    );
    assert_eq!(
        s.rejected(&manager(), move_to("won", json!(null)))
            .message(Lang::Ru),
        "Переход с этапа «Отправка образцов» на этап «Выигранные сделки» не разрешён"
    );
}

// case: D4
#[test]
fn d4_samples_preparation_needs_dimensions_fastening_quantity_and_material() {
    let mut s = Scenario::deal_at("negotiation");
    let r = s.rejected(&manager(), move_to("samples_prep", json!(null)));
    let Rejection::MissingFields { missing, .. } = &r else {
        panic!("{r:?}")
    };
    assert_eq!(
        codes(missing),
        [
            "sample_dimensions",
            "fastening_type",
            "sample_quantity",
            "sample_material"
        ]
    );
    // Quantity must be positive.
    let mut values = deal_samples();
    values["sample_quantity"] = json!(0);
    let r = s.rejected(&manager(), move_to("samples_prep", values));
    let Rejection::InvalidValues { errors } = &r else {
        panic!("{r:?}")
    };
    assert_eq!(
        errors[0].problem,
        ValueProblem::OutOfRange {
            min: Some("1".into()),
            max: None
        }
    );
    // The fastening type's "other" needs its text.
    let mut values = deal_samples();
    values["fastening_type"] = json!("other");
    let r = s.rejected(&manager(), move_to("samples_prep", values));
    let Rejection::MissingFields { missing, .. } = &r else {
        panic!("{r:?}")
    };
    assert_eq!(
        (missing[0].field.as_str(), missing[0].part),
        ("fastening_type", MissingPart::OtherText)
    );
    s.ok(&manager(), move_to("samples_prep", deal_samples()));
    assert_eq!(s.record().fields["sample_quantity"], json!(50));
}

// case: D5, D6, D7
#[test]
fn d5_to_d7_need_nothing_and_go_one_by_one() {
    let mut s = Scenario::deal_at("samples_prep");
    for stage in ["samples_sent", "feedback", "contract"] {
        let req = model().requirements(s.record(), stage).expect("known");
        assert!(req.move_allowed && req.missing.is_empty(), "{stage}");
        s.ok(&manager(), move_to(stage, json!(null)));
    }
    // D5 answers and D6 outcome are plain fields.
    s.ok(
        &manager(),
        set(json!({
            "samples_received_by": { "last": "Petrova", "first": "Maria" },
            "feedback": "production",
        })),
    );
    assert_eq!(s.record().stage, "contract");
}

// case: D6, D12, D14
#[test]
fn d6_feedback_outcomes_lost_postponed_or_production() {
    let mut s = Scenario::deal_at("feedback");
    let r = s.rejected(
        &manager(),
        move_to("lost", json!({ "feedback": "not_interested" })),
    );
    let Rejection::MissingFields { missing, .. } = &r else {
        panic!("{r:?}")
    };
    assert_eq!(codes(missing), ["lost_reason"]);
    assert_eq!(
        model().next_stages(s.record()).expect("known"),
        ["contract", "postponed", "lost"]
    );
    s.ok(
        &manager(),
        move_to(
            "lost",
            json!({ "feedback": "not_interested", "lost_reason": "not_interested", "feedback_comment": "Too expensive" }),
        ),
    );
    assert_eq!(s.record().stage, "lost");
}

// case: D7, D8
#[test]
fn d8_only_head_director_or_admin_enter_prepayment() {
    let mut s = Scenario::deal_at("contract");
    let r = s.rejected(&manager(), move_to("prepayment", deal_prepayment()));
    assert_eq!(
        r,
        Rejection::NotPermitted {
            user: "u-anna".into(),
            action: Permission::Move,
            field: None,
            stage: Some("prepayment".into()),
            allowed_roles: roles(&["head", "director", "admin"]),
        }
    );
    assert_eq!(
        r.message(Lang::Ru),
        "Пользователь «u-anna» не может переводить запись на этот этап (нужна роль: head, director, admin)"
    );
    // The manager prepares the fields; the head moves.
    s.ok(&manager(), set(deal_prepayment()));
    let events = s.ok(&head(), move_to("prepayment", json!(null)));
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].actor, "u-boris");
    assert_eq!(
        s.record().fields["cost"],
        json!({ "amount": "125000.00", "currency": "RUB" })
    );
    assert_eq!(s.record().fields["prepayment_percent"], json!("30"));
}

// case: D8
#[test]
fn d8_prepayment_needs_packaging_type_cost_and_percentage() {
    let mut s = Scenario::deal_at("contract");
    let r = s.rejected(&director(), move_to("prepayment", json!(null)));
    let Rejection::MissingFields {
        missing,
        stage_label,
        ..
    } = &r
    else {
        panic!("{r:?}")
    };
    assert_eq!(
        codes(missing),
        ["packaging_type", "cost", "prepayment_percent"]
    );
    assert_eq!(stage_label.ru, "Предоплата");
    assert!(
        r.message(Lang::Ru)
            .contains("Вид упаковки, Стоимость, Процент предоплаты")
    );
    s.ok(&director(), move_to("prepayment", deal_prepayment()));
    assert_eq!(s.record().stage, "prepayment");
}

// case: D8, D11
#[test]
fn cost_and_payment_received_are_editable_only_by_their_roles() {
    let mut s = Scenario::deal_at("contract");
    let r = s.rejected(
        &accountant(),
        set(json!({ "cost": { "amount": "1", "currency": "EUR" } })),
    );
    assert_eq!(
        r,
        Rejection::NotPermitted {
            user: "u-vera".into(),
            action: Permission::Edit,
            field: Some("cost".into()),
            stage: None,
            allowed_roles: roles(&["manager", "head", "director", "admin"]),
        }
    );
    let r = s.rejected(&manager(), set(json!({ "payment_received": true })));
    assert_eq!(
        r,
        Rejection::NotPermitted {
            user: "u-anna".into(),
            action: Permission::Edit,
            field: Some("payment_received".into()),
            stage: None,
            // In the definition's order of roles.
            allowed_roles: roles(&["head", "director", "accountant", "admin"]),
        }
    );
    assert!(r.message(Lang::En).contains("may not edit this field"));
    s.ok(&accountant(), set(json!({ "payment_received": true })));
    s.ok(
        &manager(),
        set(json!({ "cost": { "amount": "99.9", "currency": "EUR" } })),
    );
    assert_eq!(
        s.record().fields["cost"],
        json!({ "amount": "99.90", "currency": "EUR" })
    );
    // The accountant may edit fields without their own list (the pipeline's edit roles).
    s.ok(
        &accountant(),
        set(json!({ "payment_due_date": "2026-12-15" })),
    );
}

// case: D9, D10, D11, D13
#[test]
fn d13_a_deal_that_passes_every_stage_is_won_and_closed() {
    let mut s = Scenario::deal_at("prepayment");
    for stage in ["production", "shipment", "payment"] {
        assert!(
            model()
                .requirements(s.record(), stage)
                .expect("known")
                .missing
                .is_empty()
        );
        s.ok(&manager(), move_to(stage, json!(null)));
    }
    s.ok(&accountant(), set(json!({ "payment_received": true })));
    s.ok(&manager(), move_to("won", json!(null)));
    let r = s.record();
    assert_eq!(r.stage, "won");
    assert!(model().next_stages(r).expect("known").is_empty());
    let stages: Vec<&str> = s
        .log()
        .iter()
        .filter_map(|e| match &e.change {
            Change::StageChanged { to, .. } => Some(to.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(stages, DEAL_SEQUENCE[1..]);
    assert_eq!(voronka::Record::replay(s.log()).as_ref(), Some(r));
    let r = s.rejected(&head(), move_to("lost", json!({ "lost_reason": "price" })));
    assert_eq!(r, not_allowed("deals", "won", "lost"));
}

// case: D12
#[test]
fn d12_a_postponed_deal_returns_only_to_the_stage_it_left_or_is_lost() {
    let mut s = Scenario::deal_at("feedback");
    let events = s.ok(
        &manager(),
        move_to("postponed", json!({ "next_contact_date": "2027-01-15" })),
    );
    assert_eq!(
        events.last().map(|e| &e.change),
        Some(&stage_changed("feedback", "postponed", Some("feedback")))
    );
    assert_eq!(s.record().return_stage.as_deref(), Some("feedback"));
    assert_eq!(
        model().next_stages(s.record()).expect("known"),
        ["feedback", "lost"]
    );
    for elsewhere in ["negotiation", "contract", "won", "contact"] {
        let r = s.rejected(&manager(), move_to(elsewhere, json!(null)));
        assert_eq!(r, not_allowed("deals", "postponed", elsewhere));
    }
    let events = s.ok(&manager(), move_to("feedback", json!(null)));
    assert_eq!(
        events[0].change,
        stage_changed("postponed", "feedback", None)
    );
    assert_eq!(s.record().return_stage, None);
    // Postponed again, then lost from there.
    s.ok(&manager(), move_to("postponed", json!(null)));
    let r = s.rejected(&manager(), move_to("lost", json!(null)));
    assert_eq!(r.code(), ErrorCode::MissingFields);
    s.ok(
        &manager(),
        move_to("lost", json!({ "lost_reason": "no_response" })),
    );
    assert_eq!(s.record().stage, "lost");
    assert_eq!(s.record().return_stage, None);
}

// case: D8, D12
#[test]
fn d12_returning_into_prepayment_still_needs_an_entering_role() {
    let mut s = Scenario::deal_at("prepayment");
    s.ok(&manager(), move_to("postponed", json!(null)));
    let r = s.rejected(&manager(), move_to("prepayment", json!(null)));
    assert_eq!(r.code(), ErrorCode::NotPermitted);
    s.ok(&head(), move_to("prepayment", json!(null)));
    assert_eq!(s.record().stage, "prepayment");
}

// case: D14
#[test]
fn d14_lost_needs_a_reason_and_is_closed() {
    let mut s = Scenario::deal();
    let r = s.rejected(
        &manager(),
        move_to("lost", json!({ "lost_reason": "other" })),
    );
    let Rejection::MissingFields {
        missing,
        stage_label,
        ..
    } = &r
    else {
        panic!("{r:?}")
    };
    assert_eq!(
        (missing[0].field.as_str(), missing[0].part),
        ("lost_reason", MissingPart::OtherText)
    );
    assert_eq!(stage_label.en, "Lost");
    s.ok(
        &manager(),
        move_to(
            "lost",
            json!({ "lost_reason": { "option": "other", "text": "Company closed" } }),
        ),
    );
    assert!(model().next_stages(s.record()).expect("known").is_empty());
    let r = s.rejected(&head(), move_to("contact", json!(null)));
    assert_eq!(r.code(), ErrorCode::TransitionNotAllowed);
}

// case: D2
#[test]
fn the_head_overrides_missing_fields_with_a_reason_and_it_is_recorded() {
    let mut s = Scenario::deal();
    let reason = "The client asked for prices by phone";
    let events = s.ok(&head(), override_to("offer", &format!("  {reason} ")));
    assert_eq!(events.len(), 2);
    assert_eq!(
        events[0].change,
        Change::RequirementsOverridden {
            stage: "offer".into(),
            missing: roles(&["company_type", "website", "delivery_address"]),
            reason: reason.into(),
        }
    );
    assert_eq!(events[1].change, stage_changed("contact", "offer", None));
    assert_eq!(s.record().stage, "offer");
    assert!(s.log().iter().any(|e| matches!(
        &e.change,
        Change::RequirementsOverridden { stage, .. } if stage == "offer"
    )));
    // The overridden fields stay missing, but other edits are not blocked by them.
    assert_eq!(
        model()
            .requirements(s.record(), "offer")
            .expect("known")
            .missing
            .len(),
        3
    );
    s.ok(
        &manager(),
        set(json!({ "client_email": "maria@greenfood.example" })),
    );
    s.ok(
        &manager(),
        set(json!({ "website": "https://greenfood.example" })),
    );
    let r = s.rejected(&manager(), set(json!({ "website": null })));
    assert_eq!(r.code(), ErrorCode::WouldBreakRequirements);
}

// case: D2, D8
#[test]
fn an_override_needs_a_permitted_role_and_a_real_reason() {
    let mut s = Scenario::deal();
    let r = s.rejected(&manager(), override_to("offer", "urgent"));
    assert_eq!(
        r,
        Rejection::NotPermitted {
            user: "u-anna".into(),
            action: Permission::Override,
            field: None,
            stage: Some("offer".into()),
            allowed_roles: roles(&["head", "director", "admin"]),
        }
    );
    assert!(
        r.message(Lang::En)
            .contains("may not override requirements")
    );
    let r = s.rejected(&head(), override_to("offer", "   "));
    assert_eq!(
        r,
        Rejection::InvalidCommand {
            path: "action.override_reason".into(),
            message: "must not be empty".into()
        }
    );
    assert_eq!(r.code(), ErrorCode::InvalidCommand);
    // The fields given with an override are set; only the rest is recorded as overridden.
    let events = s.ok(
        &head(),
        Action::Move {
            to: "offer".into(),
            fields: fields(json!({ "company_type": "horeca" })),
            override_reason: Some("Website comes later".into()),
        },
    );
    assert!(matches!(events[0].change, Change::FieldsChanged { .. }));
    assert_eq!(
        events[1].change,
        Change::RequirementsOverridden {
            stage: "offer".into(),
            missing: roles(&["website", "delivery_address"]),
            reason: "Website comes later".into(),
        }
    );
    // A reason with nothing missing records no override.
    let events = s.ok(&head(), override_to("negotiation", "not needed"));
    assert_eq!(events.len(), 1);
    assert_eq!(
        events[0].change,
        stage_changed("offer", "negotiation", None)
    );
}

// case: D2
#[test]
fn clearing_a_field_the_current_stage_requires_is_rejected() {
    let mut s = Scenario::deal_at("offer");
    let r = s.rejected(
        &manager(),
        set(json!({ "website": null, "client_phone": "+49 30 1234567" })),
    );
    let Rejection::WouldBreakRequirements {
        stage,
        stage_label,
        missing,
    } = &r
    else {
        panic!("{r:?}")
    };
    assert_eq!(stage, "offer");
    assert_eq!(stage_label.en, "Commercial offer");
    assert_eq!(codes(missing), ["website"]);
    assert_eq!(
        r.message(Lang::Ru),
        "Этап «Коммерческое предложение» требует заполненных полей: Ссылка на сайт"
    );
    // An empty string clears too.
    assert_eq!(
        s.rejected(&manager(), set(json!({ "delivery_address": "" })))
            .code(),
        ErrorCode::InvalidValues,
        "an address is an object; an empty string is not one"
    );
    let r = s.rejected(&manager(), set(json!({ "company_type": "other" })));
    let Rejection::WouldBreakRequirements { missing, .. } = &r else {
        panic!("{r:?}")
    };
    assert_eq!(missing[0].part, MissingPart::OtherText);
    // Fields no stage up to here requires may be cleared.
    s.ok(&manager(), set(json!({ "client_phone": "+49 30 1234567" })));
    s.ok(&manager(), set(json!({ "client_phone": null })));
    assert!(!s.record().fields.contains_key("client_phone"));
}

// case: D1 (command guards on a new deal)
#[test]
fn stale_versions_duplicate_keys_and_a_clock_going_back_are_rejected() {
    let mut s = Scenario::deal();
    let mut command = s.command(&manager(), set(json!({ "company_name": "Green Food" })));
    command.expected_version = Some(7);
    let r = s.run(&command).expect_err("stale");
    assert_eq!(
        r,
        Rejection::StaleVersion {
            expected: 7,
            actual: 1
        }
    );
    assert_eq!(r.path().as_deref(), Some("expected_version"));
    command.expected_version = Some(1);
    command.idempotency_key = Some("cmd-42".into());
    let events = s.run(&command).expect("the right version");
    assert_eq!(events[0].idempotency_key.as_deref(), Some("cmd-42"));

    // A retry of the same command: rejected as a duplicate before the version check.
    let r = s.run(&command).expect_err("duplicate");
    assert_eq!(
        r,
        Rejection::DuplicateCommand {
            key: "cmd-42".into()
        }
    );
    assert_eq!(r.message(Lang::Ru), "Команда «cmd-42» уже была выполнена");

    // The clock going back.
    let mut late = s.command(&manager(), set(json!({ "company_name": "Green Food LLC" })));
    late.now = start();
    let r = s.run(&late).expect_err("clock");
    assert_eq!(
        r,
        Rejection::ClockWentBack {
            now: "2026-11-27T09:00:00+00:00".into(),
            last: "2026-11-27T09:01:00+00:00".into(),
        }
    );
    assert_eq!(r.code(), ErrorCode::ClockWentBack);
    // The same moment as the last change is fine.
    late.now = s.record().updated_at;
    s.run(&late).expect("same moment");
}

// Unknown fields come first, then the first field the roles may not edit, then every
// invalid value, whatever the order of the fields in the command.
#[test]
fn field_problems_are_reported_in_a_fixed_precedence() {
    let mut s = Scenario::deal();
    let guest = voronka::Actor::new("u-guest", &[]);
    // "website" may not be edited by the guest, but "zz_colour" is unknown: that wins.
    let r = s.rejected(
        &guest,
        set(json!({ "website": "https://x.example", "zz_colour": "green" })),
    );
    assert_eq!(
        r,
        Rejection::UnknownFields {
            fields: roles(&["zz_colour"])
        }
    );
    // Not permitted wins over an invalid value, and names the first field in order.
    let r = s.rejected(
        &guest,
        set(json!({ "client_phone": "not a phone", "website": "not a url" })),
    );
    assert!(
        matches!(
            &r,
            Rejection::NotPermitted { field: Some(f), action: Permission::Edit, .. }
                if f == "client_phone"
        ),
        "{r:?}"
    );
    // Every invalid value is listed when the actor may edit them.
    let r = s.rejected(
        &manager(),
        set(json!({ "client_phone": "not a phone", "website": "not a url" })),
    );
    let Rejection::InvalidValues { errors } = &r else {
        panic!("{r:?}")
    };
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["client_phone", "website"]);
}

// case: D1 (command guards on a new deal)
#[test]
fn unknown_stages_and_fields_are_rejected_with_their_codes() {
    let mut s = Scenario::deal();
    let r = s.rejected(&manager(), move_to("archive", json!(null)));
    assert_eq!(
        r,
        Rejection::UnknownStage {
            stage: "archive".into()
        }
    );
    assert_eq!(r.code(), ErrorCode::UnknownStageInCommand);
    assert_eq!(r.code().as_u32(), 3007);
    assert_eq!(
        model().requirements(s.record(), "archive"),
        Err(Rejection::UnknownStage {
            stage: "archive".into()
        })
    );
    let r = s.rejected(
        &manager(),
        set(json!({ "colour": "green", "website": "https://x.example", "size": 3 })),
    );
    assert_eq!(
        r,
        Rejection::UnknownFields {
            fields: roles(&["colour", "size"])
        }
    );
    assert_eq!(r.path().as_deref(), Some("action.fields.colour"));
    assert_eq!(r.message(Lang::Ru), "Неизвестные поля: colour, size");
    // Lead fields do not exist on deals.
    assert_eq!(
        s.rejected(&manager(), set(json!({ "activity": "retail" })))
            .code(),
        ErrorCode::UnknownFieldsInCommand
    );
    let r = s.rejected(&manager(), move_to("contact", json!(null)));
    assert_eq!(
        r,
        Rejection::AlreadyInStage {
            stage: "contact".into()
        }
    );
}

// case: D1 (command guards on a new deal)
#[test]
fn every_invalid_value_is_reported_together() {
    let mut s = Scenario::deal();
    let r = s.rejected(
        &manager(),
        set(json!({
            "website": "ftp://greenfood.example",
            "client_email": "nobody@",
            "sample_quantity": 0,
            "cost": { "amount": "10.555", "currency": "RUB" },
            "prepayment_percent": "150",
            "offer_valid_until": "2026-02-30",
            "company_name": "Green Food",
        })),
    );
    let Rejection::InvalidValues { errors } = &r else {
        panic!("{r:?}")
    };
    let got: Vec<(&str, &str, &ValueProblem)> = errors
        .iter()
        .map(|e| (e.field.as_str(), e.at.as_str(), &e.problem))
        .collect();
    assert_eq!(
        got,
        [
            ("client_email", "", &ValueProblem::InvalidEmail),
            ("cost", ".amount", &ValueProblem::TooPrecise { scale: 2 }),
            ("offer_valid_until", "", &ValueProblem::InvalidDate),
            (
                "prepayment_percent",
                "",
                &ValueProblem::OutOfRange {
                    min: Some("0".into()),
                    max: Some("100".into())
                }
            ),
            (
                "sample_quantity",
                "",
                &ValueProblem::OutOfRange {
                    min: Some("1".into()),
                    max: None
                }
            ),
            ("website", "", &ValueProblem::InvalidUrl),
        ]
    );
    assert_eq!(r.path().as_deref(), Some("action.fields.client_email"));
    let ru = r.message(Lang::Ru);
    assert!(
        ru.starts_with("Некорректные значения: E-mail клиента: некорректный адрес e-mail;"),
        "{ru}"
    );
    assert!(
        ru.contains("Стоимость.amount: не более 2 знаков после запятой"),
        "{ru}"
    );
    let en = r.message(Lang::En);
    assert!(
        en.contains("Website: not a web address (http:// or https://)"),
        "{en}"
    );
    let report = Error::from(r).report(Lang::En);
    assert_eq!(report.details["errors"][1]["reason"], json!("too_precise"));
    assert_eq!(report.details["errors"].as_array().map(Vec::len), Some(6));
}

// case: D1 (command guards on a new deal)
#[test]
fn create_on_a_record_a_command_without_one_and_an_empty_id_are_rejected() {
    let mut s = Scenario::deal();
    let r = s.rejected(&manager(), create("deal-2", "deals", json!(null)));
    assert_eq!(
        r,
        Rejection::RecordExists {
            id: "deal-2".into()
        }
    );
    let mut fresh = Scenario::new();
    let r = fresh.rejected(&manager(), move_to("offer", json!(null)));
    assert_eq!(r, Rejection::RecordMissing);
    let r = fresh.rejected(&manager(), create("deal-3", "orders", json!(null)));
    assert_eq!(
        r,
        Rejection::UnknownPipeline {
            pipeline: "orders".into()
        }
    );
    let r = fresh.rejected(&manager(), create(" ", "deals", json!(null)));
    assert_eq!(
        r,
        Rejection::InvalidCommand {
            path: "action.id".into(),
            message: "must not be empty".into()
        }
    );
}

// case: D2 (command guards)
#[test]
fn setting_the_same_values_again_changes_nothing() {
    let mut s = Scenario::deal_at("offer");
    let version = s.record().version;
    let events = s.ok(&manager(), set(deal_offer()));
    assert!(events.is_empty());
    assert_eq!(s.record().version, version);
    // Canonical forms compare: the same URL written differently is no change either.
    let events = s.ok(
        &manager(),
        set(json!({ "website": "HTTPS://GreenFood.example" })),
    );
    assert!(events.is_empty());
}

// case: D1–D12
#[test]
fn every_open_stage_moves_only_next_or_to_postponed_or_lost_and_returns_from_postponed() {
    for (i, &stage) in DEAL_SEQUENCE[..DEAL_SEQUENCE.len() - 1].iter().enumerate() {
        let mut s = Scenario::deal_at(stage);
        let mut expected = vec![DEAL_SEQUENCE[i + 1], "postponed", "lost"];
        if stage == "negotiation" {
            expected.push("offer");
        }
        expected.sort_unstable();
        // `next_stages` lists them in the definition's order; compare as sets.
        let mut next = model().next_stages(s.record()).expect("known");
        next.sort_unstable();
        assert_eq!(next, expected, "from {stage}");
        // The head brings a deal back into prepayment (D8 enter roles).
        let actor = if stage == "prepayment" {
            head()
        } else {
            manager()
        };
        s.ok(&manager(), move_to("postponed", json!(null)));
        assert_eq!(
            model().next_stages(s.record()).expect("known"),
            [stage, "lost"],
            "postponed from {stage}"
        );
        s.ok(&actor, move_to(stage, json!(null)));
        assert_eq!(s.record().stage, stage);
        assert_eq!(s.record().return_stage, None);
    }
}
