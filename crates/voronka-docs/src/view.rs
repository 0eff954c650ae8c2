//! Money arithmetic and formatting in Rust; the template gets strings.
//!
//! Every amount is computed with [`Decimal`] and rounded to kopecks/cents
//! half away from zero, per line, before summing, as accounting software does.

use chrono::{Datelike, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::{Map, Value, json};

use crate::error::Error;
use crate::model::{
    Act, ActSubject, BankDetails, CarriagePayment, Cmr, Commercial, CommercialOffer, ContractRef,
    Invoice, Language, LineItem, PackingList, Party, Signatory, Specification,
};
use crate::words;

const NBSP: char = '\u{a0}';

/// Rounds to two decimals, half away from zero.
pub(crate) fn round2(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// Groups the integer digits of a plain decimal string with `sep`.
fn group(int: &str, sep: char) -> String {
    let digits: Vec<char> = int.chars().collect();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(*c);
    }
    out
}

/// Formats a decimal with thousands grouping: `1 234 567,89` for Russian
/// (and bilingual) documents, `1,234,567.89` for English ones.
///
/// `min_dp` decimals are always shown; more are kept when the value has them,
/// up to `max_dp` (rounded half away from zero).
pub(crate) fn fmt_num(d: Decimal, lang: Language, min_dp: u32, max_dp: u32) -> String {
    let mut v = d
        .round_dp_with_strategy(max_dp, RoundingStrategy::MidpointAwayFromZero)
        .normalize();
    if v.scale() < min_dp {
        v.rescale(min_dp);
    }
    let s = v.abs().to_string();
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    let (gsep, dsep) = match lang {
        Language::En => (',', '.'),
        _ => (NBSP, ','),
    };
    let mut out = String::new();
    if v.is_sign_negative() && !v.is_zero() {
        out.push('−');
    }
    out.push_str(&group(int, gsep));
    if !frac.is_empty() {
        out.push(dsep);
        out.push_str(frac);
    }
    out
}

fn money(d: Decimal, lang: Language) -> String {
    fmt_num(d, lang, 2, 2)
}

const RU_MONTHS: [&str; 12] = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];
const EN_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A date in the three forms templates use: `ru` (`27 ноября 2026 г.`),
/// `en` (`27 November 2026`) and `short` (`27.11.2026`).
pub(crate) fn date(d: NaiveDate) -> Value {
    let m = d.month0() as usize;
    json!({
        "ru": format!("{}{NBSP}{}{NBSP}{}{NBSP}г.", d.day(), RU_MONTHS[m], d.year()),
        "en": format!("{}{NBSP}{}{NBSP}{}", d.day(), EN_MONTHS[m], d.year()),
        "short": d.format("%d.%m.%Y").to_string(),
        "iso": d.format("%Y-%m-%d").to_string(),
    })
}

fn opt_date(d: Option<NaiveDate>) -> Value {
    d.map_or(Value::Null, date)
}

fn s(v: &Option<String>) -> Value {
    match v.as_deref().map(str::trim) {
        Some(t) if !t.is_empty() => Value::String(t.to_owned()),
        _ => Value::Null,
    }
}

fn bank(b: &BankDetails) -> Value {
    json!({
        "bank_name": b.bank_name,
        "account": b.account,
        "bic": b.bic,
        "correspondent_account": s(&b.correspondent_account),
        "bank_address": s(&b.bank_address),
    })
}

fn signatory(p: &Signatory) -> Value {
    json!({
        "name": p.name,
        "position": p.position,
        "position_en": s(&p.position_en),
    })
}

fn party(p: &Party) -> Value {
    json!({
        "name": p.name,
        "address": p.address,
        "country": s(&p.country),
        "inn": s(&p.inn),
        "kpp": s(&p.kpp),
        "ogrn": s(&p.ogrn),
        "vat_id": s(&p.vat_id),
        "bank": p.bank.as_ref().map_or(Value::Null, bank),
        "phone": s(&p.phone),
        "email": s(&p.email),
        "signatory": p.signatory.as_ref().map_or(Value::Null, signatory),
    })
}

fn contract(c: Option<&ContractRef>) -> Value {
    c.map_or(
        Value::Null,
        |c| json!({ "number": c.number, "date": date(c.date) }),
    )
}

fn require_text(path: &str, v: &str) -> Result<(), Error> {
    if v.trim().is_empty() {
        Err(Error::data(path, "must not be empty"))
    } else {
        Ok(())
    }
}

fn check_party(path: &str, p: &Party) -> Result<(), Error> {
    require_text(&format!("{path}.name"), &p.name)?;
    require_text(&format!("{path}.address"), &p.address)
}

fn non_negative(path: String, v: Option<Decimal>) -> Result<(), Error> {
    match v {
        Some(v) if v.is_sign_negative() && !v.is_zero() => {
            Err(Error::data(path, format!("must not be negative, got {v}")))
        }
        _ => Ok(()),
    }
}

/// Which per-line shipping fields a document requires.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Needs {
    Money,
    Shipping,
}

fn check_items(items: &[LineItem], needs: Needs) -> Result<(), Error> {
    if items.is_empty() {
        return Err(Error::data("items", "at least one line item is required"));
    }
    for (i, it) in items.iter().enumerate() {
        let p = |f: &str| format!("items[{i}].{f}");
        require_text(&p("name"), &it.name)?;
        require_text(&p("unit"), &it.unit)?;
        if it.quantity <= Decimal::ZERO {
            return Err(Error::data(
                p("quantity"),
                format!("must be positive, got {}", it.quantity),
            ));
        }
        non_negative(p("price"), Some(it.price))?;
        if let Some(rate) = it.vat_rate
            && (rate.is_sign_negative() || rate > Decimal::ONE_HUNDRED)
        {
            return Err(Error::data(
                p("vat_rate"),
                format!("must be a percentage between 0 and 100, got {rate}"),
            ));
        }
        non_negative(p("net_weight_kg"), it.net_weight_kg)?;
        non_negative(p("gross_weight_kg"), it.gross_weight_kg)?;
        non_negative(p("volume_m3"), it.volume_m3)?;
        if needs == Needs::Shipping {
            if it.packages.is_none() {
                return Err(Error::data(
                    p("packages"),
                    "is required for shipping documents",
                ));
            }
            if it.gross_weight_kg.is_none() {
                return Err(Error::data(
                    p("gross_weight_kg"),
                    "is required for shipping documents",
                ));
            }
        }
    }
    Ok(())
}

/// Per-line amounts.
struct Line {
    net: Decimal,
    vat: Decimal,
    total: Decimal,
}

fn line_amounts(it: &LineItem, vat_included: bool) -> Line {
    let gross = round2(it.quantity * it.price);
    match it.vat_rate {
        None => Line {
            net: gross,
            vat: Decimal::ZERO,
            total: gross,
        },
        Some(rate) if vat_included => {
            let vat = round2(gross * rate / (Decimal::ONE_HUNDRED + rate));
            Line {
                net: gross - vat,
                vat,
                total: gross,
            }
        }
        Some(rate) => {
            let vat = round2(gross * rate / Decimal::ONE_HUNDRED);
            Line {
                net: gross,
                vat,
                total: gross + vat,
            }
        }
    }
}

fn pct(rate: Decimal) -> String {
    format!("{}%", rate.normalize())
}

fn opt_num(v: Option<Decimal>, lang: Language, max_dp: u32) -> Value {
    v.map_or(Value::Null, |v| Value::String(fmt_num(v, lang, 0, max_dp)))
}

/// Line items and totals of a commercial document.
fn goods(c: &Commercial<'_>, lang: Language) -> Result<(Value, Value), Error> {
    let mut rows = Vec::with_capacity(c.items.len());
    let (mut net, mut vat, mut total) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    let mut by_rate: Vec<(Decimal, Decimal)> = Vec::new();
    let (mut packages, mut net_kg, mut gross_kg, mut volume) =
        (0u64, Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    let (mut any_net_kg, mut any_gross_kg, mut any_volume, mut any_packages) =
        (false, false, false, false);
    let mut any_vat = false;
    for (i, it) in c.items.iter().enumerate() {
        let l = line_amounts(it, c.vat_included);
        net += l.net;
        vat += l.vat;
        total += l.total;
        if let Some(rate) = it.vat_rate {
            any_vat = true;
            match by_rate.iter_mut().find(|(r, _)| *r == rate) {
                Some((_, sum)) => *sum += l.vat,
                None => by_rate.push((rate, l.vat)),
            }
        }
        if let Some(p) = it.packages {
            packages += u64::from(p);
            any_packages = true;
        }
        if let Some(w) = it.net_weight_kg {
            net_kg += w;
            any_net_kg = true;
        }
        if let Some(w) = it.gross_weight_kg {
            gross_kg += w;
            any_gross_kg = true;
        }
        if let Some(v) = it.volume_m3 {
            volume += v;
            any_volume = true;
        }
        rows.push(json!({
            "n": i + 1,
            "name": it.name,
            "name_en": s(&it.name_en),
            "code": s(&it.code),
            "hs_code": s(&it.hs_code),
            "quantity": fmt_num(it.quantity, lang, 0, 3),
            "unit": it.unit,
            "unit_en": s(&it.unit_en),
            "price": fmt_num(it.price, lang, 2, 4),
            "net": money(l.net, lang),
            "vat_rate": it.vat_rate.map_or(Value::Null, |r| Value::String(pct(r))),
            "vat": money(l.vat, lang),
            "total": money(l.total, lang),
            "net_weight": opt_num(it.net_weight_kg, lang, 3),
            "gross_weight": opt_num(it.gross_weight_kg, lang, 3),
            "volume": opt_num(it.volume_m3, lang, 3),
            "packages": it.packages,
            "package_type": s(&it.package_type),
            "marks": s(&it.marks),
        }));
    }
    by_rate.sort_by_key(|(rate, _)| std::cmp::Reverse(*rate));
    let totals = json!({
        "count": c.items.len(),
        "net": money(net, lang),
        "vat": money(vat, lang),
        "total": money(total, lang),
        "any_vat": any_vat,
        "vat_lines": by_rate.iter().map(|(r, a)| json!({ "rate": pct(*r), "amount": money(*a, lang) })).collect::<Vec<_>>(),
        "words_ru": words::amount_ru(total, c.currency)?,
        "words_en": words::amount_en(total, c.currency)?,
        "vat_words_ru": words::amount_ru(vat, c.currency)?,
        "vat_words_en": words::amount_en(vat, c.currency)?,
        "packages": if any_packages { json!(packages) } else { Value::Null },
        "packages_words_ru": if any_packages { json!(words::integer_ru(packages, words::Gender::Neuter)?) } else { Value::Null },
        "packages_words_en": if any_packages { json!(words::integer_en(packages)?) } else { Value::Null },
        "net_weight": if any_net_kg { json!(fmt_num(net_kg, lang, 0, 3)) } else { Value::Null },
        "gross_weight": if any_gross_kg { json!(fmt_num(gross_kg, lang, 0, 3)) } else { Value::Null },
        "volume": if any_volume { json!(fmt_num(volume, lang, 0, 3)) } else { Value::Null },
    });
    Ok((Value::Array(rows), totals))
}

fn commercial(
    kind: &str,
    c: &Commercial<'_>,
    lang: Language,
    needs: Needs,
    contract_required: bool,
) -> Result<Map<String, Value>, Error> {
    require_text("number", c.number)?;
    check_party("seller", c.seller)?;
    check_party("buyer", c.buyer)?;
    if contract_required && c.contract.is_none() {
        return Err(Error::data(
            "contract",
            "is required: this document refers to a contract",
        ));
    }
    if let Some(k) = c.contract {
        require_text("contract.number", &k.number)?;
    }
    check_items(c.items, needs)?;
    let (items, totals) = goods(c, lang)?;
    let mut m = Map::new();
    m.insert("kind".into(), json!(kind));
    m.insert("lang".into(), json!(lang.code()));
    m.insert("number".into(), json!(c.number));
    m.insert("date".into(), date(c.date));
    m.insert(
        "currency".into(),
        json!({ "code": c.currency.iso(), "ru": c.currency.short_ru(), "en": c.currency.iso() }),
    );
    m.insert("seller".into(), party(c.seller));
    m.insert("buyer".into(), party(c.buyer));
    m.insert("contract".into(), contract(c.contract));
    m.insert("items".into(), items);
    m.insert("totals".into(), totals);
    m.insert("vat_included".into(), json!(c.vat_included));
    m.insert("notes".into(), c.notes.map_or(Value::Null, |n| json!(n)));
    Ok(m)
}

pub(crate) fn offer(d: &CommercialOffer, lang: Language) -> Result<Value, Error> {
    let mut m = commercial(
        "commercial_offer",
        &d.commercial(),
        lang,
        Needs::Money,
        false,
    )?;
    m.insert("valid_until".into(), opt_date(d.valid_until));
    m.insert("intro".into(), s(&d.intro));
    m.insert("payment_terms".into(), s(&d.payment_terms));
    m.insert("delivery_terms".into(), s(&d.delivery_terms));
    m.insert("lead_time".into(), s(&d.lead_time));
    Ok(Value::Object(m))
}

pub(crate) fn invoice(d: &Invoice, lang: Language) -> Result<Value, Error> {
    let mut m = commercial("invoice", &d.commercial(), lang, Needs::Money, false)?;
    m.insert("due_date".into(), opt_date(d.due_date));
    m.insert("payment_purpose".into(), s(&d.payment_purpose));
    Ok(Value::Object(m))
}

pub(crate) fn packing_list(d: &PackingList, lang: Language) -> Result<Value, Error> {
    let mut m = commercial(
        "packing_list",
        &d.commercial(),
        lang,
        Needs::Shipping,
        false,
    )?;
    m.insert("invoice_number".into(), s(&d.invoice_number));
    m.insert("delivery_terms".into(), s(&d.delivery_terms));
    m.insert("transport".into(), s(&d.transport));
    Ok(Value::Object(m))
}

pub(crate) fn act(d: &Act, lang: Language) -> Result<Value, Error> {
    let mut m = commercial("act", &d.commercial(), lang, Needs::Money, true)?;
    m.insert(
        "subject".into(),
        json!(match d.subject {
            ActSubject::Goods => "goods",
            ActSubject::Services => "services",
        }),
    );
    m.insert("place".into(), s(&d.place));
    Ok(Value::Object(m))
}

pub(crate) fn specification(d: &Specification, lang: Language) -> Result<Value, Error> {
    let mut m = commercial("specification", &d.commercial(), lang, Needs::Money, true)?;
    m.insert("delivery_terms".into(), s(&d.delivery_terms));
    m.insert("delivery_time".into(), s(&d.delivery_time));
    m.insert("delivery_address".into(), s(&d.delivery_address));
    m.insert("payment_terms".into(), s(&d.payment_terms));
    Ok(Value::Object(m))
}

pub(crate) fn cmr(d: &Cmr, lang: Language) -> Result<Value, Error> {
    require_text("number", &d.number)?;
    check_party("sender", &d.sender)?;
    check_party("consignee", &d.consignee)?;
    check_party("carrier", &d.carrier)?;
    require_text("place_of_delivery", &d.place_of_delivery)?;
    require_text("taking_over_place", &d.taking_over_place)?;
    require_text("established_in", &d.established_in)?;
    check_items(&d.items, Needs::Shipping)?;
    let c = Commercial {
        number: &d.number,
        date: d.date,
        currency: crate::Currency::default(),
        seller: &d.sender,
        buyer: &d.consignee,
        contract: None,
        items: &d.items,
        vat_included: false,
        notes: None,
    };
    let (items, totals) = goods(&c, lang)?;
    Ok(json!({
        "kind": "cmr",
        "lang": lang.code(),
        "number": d.number,
        "date": date(d.date),
        "sender": party(&d.sender),
        "consignee": party(&d.consignee),
        "carrier": party(&d.carrier),
        "place_of_delivery": d.place_of_delivery,
        "taking_over_place": d.taking_over_place,
        "taking_over_date": date(d.taking_over_date),
        "documents_attached": d.documents_attached,
        "items": items,
        "totals": totals,
        "sender_instructions": s(&d.sender_instructions),
        "payment": match d.payment { CarriagePayment::Paid => "paid", CarriagePayment::Forward => "forward" },
        "cash_on_delivery": s(&d.cash_on_delivery),
        "vehicle": s(&d.vehicle),
        "successive_carriers": s(&d.successive_carriers),
        "reservations": s(&d.reservations),
        "special_agreements": s(&d.special_agreements),
        "charges": s(&d.charges),
        "established_in": d.established_in,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        s.parse().expect("decimal")
    }

    #[test]
    fn formats_numbers() {
        assert_eq!(
            fmt_num(dec("1234567.891"), Language::Ru, 2, 2),
            "1\u{a0}234\u{a0}567,89"
        );
        assert_eq!(
            fmt_num(dec("1234567.895"), Language::En, 2, 2),
            "1,234,567.90"
        );
        assert_eq!(fmt_num(dec("0"), Language::En, 2, 2), "0.00");
        assert_eq!(fmt_num(dec("999"), Language::Ru, 2, 2), "999,00");
        assert_eq!(fmt_num(dec("1000"), Language::Ru, 0, 3), "1\u{a0}000");
        assert_eq!(fmt_num(dec("12.500"), Language::En, 0, 3), "12.5");
        assert_eq!(fmt_num(dec("-1500.5"), Language::En, 2, 2), "−1,500.50");
    }

    #[test]
    fn vat_on_top_and_included() {
        let it = LineItem {
            quantity: dec("3"),
            price: dec("33.335"),
            vat_rate: Some(dec("20")),
            ..LineItem::default()
        };
        let l = line_amounts(&it, false);
        assert_eq!(
            (l.net, l.vat, l.total),
            (dec("100.01"), dec("20.00"), dec("120.01"))
        );
        let it = LineItem {
            quantity: dec("1"),
            price: dec("120"),
            vat_rate: Some(dec("20")),
            ..LineItem::default()
        };
        let l = line_amounts(&it, true);
        assert_eq!(
            (l.net, l.vat, l.total),
            (dec("100.00"), dec("20.00"), dec("120"))
        );
        let it = LineItem {
            quantity: dec("0.1"),
            price: dec("0.2"),
            vat_rate: None,
            ..LineItem::default()
        };
        let l = line_amounts(&it, false);
        assert_eq!(
            (l.net, l.vat, l.total),
            (dec("0.02"), dec("0"), dec("0.02"))
        );
    }
}
