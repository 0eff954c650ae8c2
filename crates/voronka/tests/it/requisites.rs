//! Russian company requisites as field types: ИНН, КПП, ОГРН, БИК and accounts are checked as
//! they are entered (check digits, an account's key against its bank's БИК), stored in their
//! canonical form, and a definition's `bik_field` must name a БИК field.

use serde_json::json;
use voronka::error::ValueProblem;
use voronka::{ErrorCode, Model, Rejection};

use crate::support::{Scenario, manager, model, set};

/// The buyer's requisites of the demo (Kazan): real check digits, the account keyed to the
/// bank's БИК.
fn requisites() -> serde_json::Value {
    json!({
        "company_inn": "1656 123 456",
        "company_kpp": "165601001",
        "company_ogrn": "1161690123451",
        "company_bik": "049205603",
        "company_account": "40702810462000012345",
        "company_correspondent_account": "30101810600000000603",
    })
}

/// The (field, requisite, problem) of each invalid value of a rejection.
fn problems(r: &Rejection) -> Vec<(String, String, String)> {
    let Rejection::InvalidValues { errors } = r else {
        panic!("not invalid values: {r:?}");
    };
    errors
        .iter()
        .map(|e| match &e.problem {
            ValueProblem::InvalidRequisite { requisite, problem } => {
                (e.field.clone(), requisite.clone(), problem.clone())
            }
            other => panic!("{}: {other:?}", e.field),
        })
        .collect()
}

// case: D7
#[test]
fn valid_requisites_are_stored_in_their_canonical_form() {
    let mut s = Scenario::deal();
    s.ok(&manager(), set(requisites()));
    assert_eq!(s.record().fields["company_inn"], json!("1656123456"));
    assert_eq!(
        s.record().fields["company_account"],
        json!("40702810462000012345")
    );
}

// case: D7 (bad input)
#[test]
fn a_wrong_check_digit_or_account_key_is_refused_and_changes_nothing() {
    let mut s = Scenario::deal();
    let mut values = requisites();
    values["company_inn"] = json!("1656123457");
    values["company_ogrn"] = json!("1161690123452");
    values["company_account"] = json!("40702810562000012345");
    let r = s.rejected(&manager(), set(values));
    assert_eq!(r.code(), ErrorCode::InvalidValues);
    assert_eq!(
        problems(&r),
        [
            ("company_inn".into(), "inn".into(), "check_digit".into()),
            ("company_ogrn".into(), "ogrn".into(), "check_digit".into()),
            (
                "company_account".into(),
                "bank_account".into(),
                "bik_mismatch".into()
            ),
        ]
    );
    // Alone, the account whose key does not fit the БИК is named.
    let mut values = requisites();
    values["company_account"] = json!("40702810562000012345");
    let r = s.rejected(&manager(), set(values));
    assert_eq!(
        problems(&r),
        [(
            "company_account".into(),
            "bank_account".into(),
            "bik_mismatch".into()
        )]
    );
    assert!(
        r.message(voronka::Lang::Ru)
            .contains("ключ счёта не сходится с БИК")
    );
    // Changing only the БИК later checks the stored accounts against it too.
    s.ok(&manager(), set(requisites()));
    let r = s.rejected(&manager(), set(json!({ "company_bik": "044525974" })));
    assert_eq!(
        problems(&r),
        [
            (
                "company_account".into(),
                "bank_account".into(),
                "bik_mismatch".into()
            ),
            (
                "company_correspondent_account".into(),
                "corr_account".into(),
                "bik_mismatch".into()
            ),
        ]
    );
}

#[test]
fn bik_field_must_name_a_bik_field_of_the_entity() {
    let mut definition = model().definition().clone();
    let deal = definition
        .entities
        .iter_mut()
        .find(|e| e.code == "deal")
        .expect("the deal entity");
    let account = deal
        .fields
        .iter_mut()
        .position(|f| f.code == "company_account")
        .expect("the account field");
    deal.fields[account].bik_field = Some("company_inn".into());
    let i = deal
        .fields
        .iter()
        .position(|f| f.code == "company_inn")
        .expect("the inn field");
    deal.fields[i].bik_field = Some("company_bik".into());
    let errors = Model::compile(definition).expect_err("two bad bik_field attributes");
    let found: Vec<(u32, String)> = errors
        .0
        .iter()
        .map(|d| (d.code.as_u32(), d.path.clone()))
        .collect();
    let deal_index = model()
        .definition()
        .entities
        .iter()
        .position(|e| e.code == "deal")
        .expect("deal");
    assert!(found.contains(&(
        ErrorCode::UnknownReference.as_u32(),
        format!("entities[{deal_index}].fields[{account}].bik_field")
    )));
    assert!(found.contains(&(
        ErrorCode::AttributeNotApplicable.as_u32(),
        format!("entities[{deal_index}].fields[{i}].bik_field")
    )));
}
