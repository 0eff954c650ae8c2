//! Russian company requisites as field types: ИНН, КПП, ОГРН/ОГРНИП, БИК, settlement and
//! correspondent accounts, each checked the way the tax service and the Bank of Russia define
//! them (lengths, characters, check digits; an account's key against its bank's БИК).
//!
//! Values are stored as their digits (КПП may hold capital Latin letters in places 5–6);
//! spaces and dashes people type are dropped.

use crate::definition::FieldType;
use crate::error::ValueProblem;

/// Checks a requisite of type `t` (one of the requisite field types); its canonical form.
pub(crate) fn normalize(t: FieldType, text: &str) -> Result<String, ValueProblem> {
    let compact: String = text
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '\u{a0}'))
        .collect::<String>()
        .to_ascii_uppercase();
    let problem = |why: &'static str| ValueProblem::InvalidRequisite {
        requisite: t.as_str().to_string(),
        problem: why.to_string(),
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    match t {
        FieldType::Inn => {
            if !digits(&compact) {
                return Err(problem("characters"));
            }
            match compact.len() {
                10 | 12 if inn_checks(&compact) => Ok(compact),
                10 | 12 => Err(problem("check_digit")),
                _ => Err(problem("length")),
            }
        }
        FieldType::Kpp => {
            let b = compact.as_bytes();
            let ok = b.len() == 9
                && b[..4].iter().all(u8::is_ascii_digit)
                && b[4..6]
                    .iter()
                    .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
                && b[6..].iter().all(u8::is_ascii_digit);
            match (b.len(), ok) {
                (_, true) => Ok(compact),
                (9, false) => Err(problem("characters")),
                _ => Err(problem("length")),
            }
        }
        FieldType::Ogrn => {
            if !digits(&compact) {
                return Err(problem("characters"));
            }
            match compact.len() {
                13 | 15 if ogrn_checks(&compact) => Ok(compact),
                13 | 15 => Err(problem("check_digit")),
                _ => Err(problem("length")),
            }
        }
        FieldType::Bik => match (digits(&compact), compact.len()) {
            (false, _) => Err(problem("characters")),
            (true, 9) => Ok(compact),
            _ => Err(problem("length")),
        },
        FieldType::BankAccount | FieldType::CorrAccount => {
            match (digits(&compact), compact.len()) {
                (false, _) => Err(problem("characters")),
                (true, 20) => Ok(compact),
                _ => Err(problem("length")),
            }
        }
        _ => Err(problem("type")),
    }
}

/// Whether a 20-digit account's key digit agrees with its bank's 9-digit БИК: a settlement
/// account is checked with the БИК's last three digits, a correspondent account with `0` and
/// the БИК's fifth and sixth digits (the Bank of Russia's weights 7, 1, 3).
pub(crate) fn account_matches_bik(t: FieldType, account: &str, bik: &str) -> bool {
    if account.len() != 20 || bik.len() != 9 {
        return false;
    }
    let prefix = match t {
        FieldType::CorrAccount => format!("0{}", &bik[4..6]),
        _ => bik[6..].to_string(),
    };
    let sum: u32 = prefix
        .bytes()
        .chain(account.bytes())
        .zip([7u32, 1, 3].into_iter().cycle())
        .map(|(d, w)| u32::from(d - b'0') * w % 10)
        .sum();
    sum.is_multiple_of(10)
}

fn weighted(digits: &[u8], weights: &[u32]) -> u32 {
    let sum: u32 = digits
        .iter()
        .zip(weights)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    sum % 11 % 10
}

fn inn_checks(inn: &str) -> bool {
    let d = inn.as_bytes();
    let digit = |i: usize| u32::from(d[i] - b'0');
    if d.len() == 10 {
        return weighted(&d[..9], &[2, 4, 10, 3, 5, 9, 4, 6, 8]) == digit(9);
    }
    weighted(&d[..10], &[7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) == digit(10)
        && weighted(&d[..11], &[3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) == digit(11)
}

fn ogrn_checks(ogrn: &str) -> bool {
    let (body, check) = ogrn.split_at(ogrn.len() - 1);
    let modulus = if ogrn.len() == 13 { 11 } else { 13 };
    // At most 14 digits: fits a u64.
    body.parse::<u64>()
        .is_ok_and(|n| (n % modulus % 10).to_string() == check)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(t: FieldType, s: &str) -> String {
        normalize(t, s).unwrap_or_else(|p| panic!("{s}: {p:?}"))
    }

    fn reason(t: FieldType, s: &str) -> String {
        match normalize(t, s) {
            Err(ValueProblem::InvalidRequisite { problem, .. }) => problem,
            other => panic!("{s}: {other:?}"),
        }
    }

    // Published requisites of Sberbank (ПАО Сбербанк): ИНН 7707083893, КПП 773601001,
    // ОГРН 1027700132195, БИК 044525225, к/с 30101810400000000225.
    #[test]
    fn real_requisites_pass() {
        assert_eq!(ok(FieldType::Inn, "7707083893"), "7707083893");
        assert_eq!(ok(FieldType::Inn, "7707 083-893"), "7707083893");
        assert_eq!(ok(FieldType::Kpp, "773601001"), "773601001");
        assert_eq!(ok(FieldType::Kpp, "7736AB001"), "7736AB001");
        assert_eq!(ok(FieldType::Ogrn, "1027700132195"), "1027700132195");
        assert_eq!(ok(FieldType::Bik, "044525225"), "044525225");
        let corr = ok(FieldType::CorrAccount, "30101810400000000225");
        assert!(account_matches_bik(
            FieldType::CorrAccount,
            &corr,
            "044525225"
        ));
        // A 12-digit ИНН of a person and a 15-digit ОГРНИП, built with the published rules.
        assert_eq!(ok(FieldType::Inn, "500100732259"), "500100732259");
        assert_eq!(ok(FieldType::Ogrn, "304500116000157"), "304500116000157");
    }

    #[test]
    fn wrong_requisites_name_the_reason() {
        assert_eq!(reason(FieldType::Inn, "7707083894"), "check_digit");
        assert_eq!(reason(FieldType::Inn, "500100732258"), "check_digit");
        assert_eq!(reason(FieldType::Inn, "77070838"), "length");
        assert_eq!(reason(FieldType::Inn, "77O7083893"), "characters");
        assert_eq!(reason(FieldType::Kpp, "77360100"), "length");
        assert_eq!(reason(FieldType::Kpp, "77A601001"), "characters");
        assert_eq!(reason(FieldType::Ogrn, "1027700132196"), "check_digit");
        assert_eq!(reason(FieldType::Ogrn, "304500116000158"), "check_digit");
        assert_eq!(reason(FieldType::Bik, "04452522"), "length");
        assert_eq!(
            reason(FieldType::BankAccount, "4070281010000000000"),
            "length"
        );
        assert!(!account_matches_bik(
            FieldType::CorrAccount,
            "30101810400000000226",
            "044525225"
        ));
    }

    #[test]
    fn a_settlement_account_is_keyed_to_its_banks_bik() {
        // Make the key digit (the ninth) right for БИК 044525225, then check every other
        // key digit fails.
        let base = "40702810X00000000001";
        let fits: Vec<String> = (0..10)
            .map(|k| base.replace('X', &k.to_string()))
            .filter(|a| account_matches_bik(FieldType::BankAccount, a, "044525225"))
            .collect();
        assert_eq!(fits.len(), 1, "{fits:?}");
        assert!(!account_matches_bik(
            FieldType::BankAccount,
            &fits[0],
            "044525226"
        ));
    }
}
