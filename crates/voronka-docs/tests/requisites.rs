//! The Russian requisites shipped in the samples and in the eco-packaging company profile
//! pass their real check digits: ИНН (10 and 12 digits), ОГРН (13) and ОГРНИП (15), and
//! each settlement and correspondent account against its bank's БИК (the key digit of
//! the Bank of Russia's rules for accounts, weights 7-1-3).

use serde_json::Value;
use voronka_docs::{Document, DocumentKind};

const COMPANY: &str = include_str!("../../../examples/eco-packaging/company.json");

fn digits(s: &str) -> Option<Vec<u32>> {
    s.chars().map(|c| c.to_digit(10)).collect()
}

fn weighted(d: &[u32], w: &[u32]) -> u32 {
    d.iter().zip(w).map(|(a, b)| a * b).sum()
}

/// ИНН: 10 digits for a company (one check digit), 12 for a person (two).
fn inn_ok(inn: &str) -> bool {
    let Some(d) = digits(inn) else { return false };
    let check = |n: usize, w: &[u32]| weighted(&d[..n], w) % 11 % 10 == d[n];
    match d.len() {
        10 => check(9, &[2, 4, 10, 3, 5, 9, 4, 6, 8]),
        12 => {
            check(10, &[7, 2, 4, 10, 3, 5, 9, 4, 6, 8])
                && check(11, &[3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8])
        }
        _ => false,
    }
}

/// ОГРН (13 digits): the first 12 as a number mod 11, mod 10; ОГРНИП (15): mod 13.
fn ogrn_ok(ogrn: &str) -> bool {
    let Some(d) = digits(ogrn) else { return false };
    let (n, m) = match d.len() {
        13 => (12, 11),
        15 => (14, 13),
        _ => return false,
    };
    let rest = d[..n]
        .iter()
        .fold(0u64, |acc, x| (acc * 10 + u64::from(*x)) % m);
    rest % 10 == u64::from(d[n])
}

/// The key of a 20-digit account: with the 3 digits that precede it (the last 3 of the
/// БИК for a settlement account, `0` and the 5th–6th of the БИК for a correspondent
/// one), the sum of the digits times 7, 1, 3, 7, 1, 3, … ends in 0.
fn account_key_ok(prefix: &str, account: &str) -> bool {
    let Some(d) = digits(&format!("{prefix}{account}")) else {
        return false;
    };
    d.len() == 23
        && d.iter()
            .zip([7, 1, 3].iter().cycle())
            .map(|(a, w)| a * w)
            .sum::<u32>()
            % 10
            == 0
}

fn bik_ok(bik: &str) -> bool {
    bik.len() == 9 && bik.starts_with("04") && digits(bik).is_some()
}

/// Every ИНН, ОГРН and Russian bank found anywhere in `v`, checked; returns what was checked.
fn check(v: &Value, at: &str, counts: &mut [usize; 4]) {
    match v {
        Value::Object(m) => {
            if let Some(Value::String(inn)) = m.get("inn") {
                assert!(inn_ok(inn), "{at}.inn {inn}: wrong check digit");
                counts[0] += 1;
            }
            if let Some(Value::String(ogrn)) = m.get("ogrn") {
                assert!(ogrn_ok(ogrn), "{at}.ogrn {ogrn}: wrong check digit");
                counts[1] += 1;
            }
            if let Some(Value::String(bik)) = m.get("bic") {
                assert!(bik_ok(bik), "{at}.bic {bik} is not a БИК");
                let account = m.get("account").and_then(Value::as_str).unwrap_or_default();
                assert!(
                    account_key_ok(&bik[6..], account),
                    "{at}.account {account}: its key does not match БИК {bik}"
                );
                counts[2] += 1;
                if let Some(Value::String(corr)) = m.get("correspondent_account") {
                    assert!(
                        account_key_ok(&format!("0{}", &bik[4..6]), corr),
                        "{at}.correspondent_account {corr}: its key does not match БИК {bik}"
                    );
                    counts[3] += 1;
                }
            }
            for (k, x) in m {
                check(x, &format!("{at}.{k}"), counts);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                check(x, &format!("{at}[{i}]"), counts);
            }
        }
        _ => {}
    }
}

#[test]
fn the_check_digit_algorithms_are_the_published_ones() {
    // Published examples: Sberbank (ИНН 7707083893, ОГРН 1027700132195, БИК 044525225,
    // к/с 30101810400000000225); a person's ИНН 500100732259; an ОГРНИП.
    assert!(inn_ok("7707083893"));
    assert!(!inn_ok("7707083894"));
    assert!(inn_ok("500100732259"));
    assert!(!inn_ok("500100732258"));
    assert!(ogrn_ok("1027700132195"));
    assert!(!ogrn_ok("1027700132196"));
    assert!(ogrn_ok("304500116000157"));
    assert!(!ogrn_ok("304500116000158"));
    assert!(account_key_ok("025", "30101810400000000225"));
    assert!(!account_key_ok("025", "30101810500000000225"));
    assert!(account_key_ok("225", "40702810938000012345"));
    assert!(!account_key_ok("225", "40702810038000012345"));
}

#[test]
fn the_shipped_requisites_pass_their_check_digits() {
    let mut counts = [0usize; 4];
    for kind in DocumentKind::ALL {
        let v: Value = serde_json::from_str(Document::sample_json(kind)).expect("sample JSON");
        check(&v, kind.code(), &mut counts);
    }
    let company: Value = serde_json::from_str(COMPANY).expect("company JSON");
    check(&company, "company", &mut counts);
    // Sellers, buyers and carriers: many ИНН and ОГРН, several Russian banks.
    assert!(counts[0] >= 12 && counts[1] >= 12, "{counts:?}");
    assert!(counts[2] >= 8 && counts[3] >= 8, "{counts:?}");
}
