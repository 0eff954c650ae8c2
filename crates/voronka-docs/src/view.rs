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
    Invoice, Language, LineItem, PackingList, Party, Signatory, Specification, same_country,
};
use crate::text::{Text, typography};
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
        Some(t) if !t.is_empty() => Value::String(typography(t)),
        _ => Value::Null,
    }
}

/// A text in the document's language, with its typography.
fn t(v: &Text, lang: Language) -> Value {
    Value::String(typography(&v.for_language(lang)))
}

/// An optional text in the document's language; `null` when blank.
fn ot(v: Option<&Text>, lang: Language) -> Value {
    match v {
        Some(v) if !v.is_blank() => t(v, lang),
        _ => Value::Null,
    }
}

/// A code (ИНН, account, …) as it is, `null` when blank.
fn code(v: &Option<String>) -> Value {
    match v.as_deref().map(str::trim) {
        Some(t) if !t.is_empty() => Value::String(t.to_owned()),
        _ => Value::Null,
    }
}

fn bank(b: &BankDetails, lang: Language) -> Value {
    json!({
        "bank_name": t(&b.bank_name, lang),
        "account": b.account.trim(),
        "bic": code(&b.bic),
        "swift": code(&b.swift),
        "correspondent_account": code(&b.correspondent_account),
        "bank_address": ot(b.bank_address.as_ref(), lang),
    })
}

fn signatory(p: &Signatory, lang: Language) -> Value {
    let position = match (&p.position, &p.position_en) {
        (Text::Plain(ru), Some(en)) if !en.trim().is_empty() => {
            Text::localized(ru.clone(), en.clone())
        }
        (position, _) => position.clone(),
    };
    let basis = p.basis.as_ref().filter(|b| !b.is_blank());
    // Who signs, in a sentence of each language: "Генеральный директор
    // Смирнова А. В., действует на основании Устава".
    let line_ru = match basis {
        Some(b) => format!(
            "{} {}, действует на основании {}",
            position.ru(),
            p.name.ru(),
            b.ru()
        ),
        None => format!("{} {}", position.ru(), p.name.ru()),
    };
    let line_en = match basis {
        Some(b) => format!("{} {}, acting under {}", position.en(), p.name.en(), b.en()),
        None => format!("{} {}", position.en(), p.name.en()),
    };
    json!({
        "name": t(&p.name, lang),
        "position": t(&position, lang),
        "basis": ot(basis, lang),
        "line_ru": typography(&line_ru),
        "line_en": typography(&line_en),
    })
}

fn party(p: &Party, lang: Language) -> Value {
    json!({
        "name": t(&p.name, lang),
        "address": t(&p.address, lang),
        "country": ot(p.country.as_ref(), lang),
        "inn": code(&p.inn),
        "kpp": code(&p.kpp),
        "ogrn": code(&p.ogrn),
        "vat_id": code(&p.vat_id),
        "bank": p.bank.as_ref().map_or(Value::Null, |b| bank(b, lang)),
        "phone": s(&p.phone),
        "email": code(&p.email),
        "signatory": p.signatory.as_ref().map_or(Value::Null, |x| signatory(x, lang)),
        "chief_accountant": ot(p.chief_accountant.as_ref(), lang),
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
    require_text(&format!("{path}.name"), p.name.ru())?;
    require_text(&format!("{path}.address"), p.address.ru())?;
    if let Some(bic) = p.bank.as_ref().and_then(|b| b.bic.as_deref()) {
        let bic = bic.trim();
        if bic.len() != 9 || !bic.chars().all(|c| c.is_ascii_digit()) {
            return Err(Error::data(
                format!("{path}.bank.bic"),
                format!(
                    "must be a Russian БИК of 9 digits, got `{bic}` (a SWIFT code goes to `swift`)"
                ),
            ));
        }
    }
    Ok(())
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

/// A percentage: `50 %` (with a no-break space) in Russian, `50%` in English.
fn pct(rate: Decimal, lang: Language) -> String {
    let rate = fmt_num(rate, lang, 0, 4);
    match lang {
        Language::En => format!("{rate}%"),
        _ => format!("{rate}{NBSP}%"),
    }
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
            "name": typography(&it.name),
            "name_en": s(&it.name_en),
            "code": s(&it.code),
            "hs_code": s(&it.hs_code),
            "quantity": fmt_num(it.quantity, lang, 0, 3),
            "unit": it.unit,
            "unit_en": s(&it.unit_en),
            "price": fmt_num(it.price, lang, 2, 4),
            "net": money(l.net, lang),
            "vat_rate": it.vat_rate.map_or(Value::Null, |r| Value::String(pct(r, lang))),
            "vat": money(l.vat, lang),
            "total": money(l.total, lang),
            "net_weight": opt_num(it.net_weight_kg, lang, 3),
            "gross_weight": opt_num(it.gross_weight_kg, lang, 3),
            "volume": opt_num(it.volume_m3, lang, 3),
            "packages": it.packages,
            "package_type": ot(it.package_type.as_ref(), lang),
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
        "vat_lines": by_rate.iter().map(|(r, a)| json!({ "rate": pct(*r, lang), "amount": money(*a, lang) })).collect::<Vec<_>>(),
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
    m.insert("seller".into(), party(c.seller, lang));
    m.insert("buyer".into(), party(c.buyer, lang));
    // An export document: the buyer is abroad (SWIFT codes are printed).
    m.insert(
        "export".into(),
        json!(!same_country(
            c.seller.country.as_ref(),
            c.buyer.country.as_ref()
        )),
    );
    m.insert("contract".into(), contract(c.contract));
    m.insert("items".into(), items);
    m.insert("totals".into(), totals);
    m.insert("vat_included".into(), json!(c.vat_included));
    m.insert("notes".into(), ot(c.notes, lang));
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
    m.insert("intro".into(), ot(d.intro.as_ref(), lang));
    m.insert("payment_terms".into(), ot(d.payment_terms.as_ref(), lang));
    m.insert("delivery_terms".into(), ot(d.delivery_terms.as_ref(), lang));
    m.insert("lead_time".into(), ot(d.lead_time.as_ref(), lang));
    Ok(Value::Object(m))
}

fn percent_in_range(path: &str, p: Option<Decimal>) -> Result<(), Error> {
    match p {
        Some(p) if p.is_sign_negative() || p > Decimal::ONE_HUNDRED => Err(Error::data(
            path,
            format!("must be a percentage between 0 and 100, got {p}"),
        )),
        _ => Ok(()),
    }
}

/// The total of a commercial document, computed as the goods table does.
fn grand_total(c: &Commercial<'_>) -> Decimal {
    c.items
        .iter()
        .map(|it| line_amounts(it, c.vat_included).total)
        .sum()
}

pub(crate) fn invoice(d: &Invoice, lang: Language) -> Result<Value, Error> {
    let c = d.commercial();
    let mut m = commercial("invoice", &c, lang, Needs::Money, false)?;
    if let Some(due) = d.due_date
        && due < d.date
    {
        return Err(Error::data(
            "due_date",
            format!("must not be before the invoice's date {}", d.date),
        ));
    }
    non_negative("prepayment".into(), d.prepayment)?;
    percent_in_range("prepayment_percent", d.prepayment_percent)?;
    let total = grand_total(&c);
    let prepayment = match (d.prepayment, d.prepayment_percent) {
        (Some(p), _) => Some(round2(p)),
        (None, Some(pct)) => Some(round2(total * pct / Decimal::ONE_HUNDRED)),
        (None, None) => None,
    }
    .filter(|p| !p.is_zero());
    if let Some(p) = prepayment
        && p > total
    {
        return Err(Error::data(
            "prepayment",
            format!("must not exceed the invoice's total {total}, got {p}"),
        ));
    }
    let due = total - prepayment.unwrap_or_default();
    if let Some(Value::Object(totals)) = m.get_mut("totals") {
        totals.insert(
            "prepayment".into(),
            prepayment.map_or(Value::Null, |p| json!(money(p, lang))),
        );
        // The percentage is printed when it gave the amount.
        let percent = match (d.prepayment, d.prepayment_percent) {
            (None, Some(p)) => json!(pct(p, lang)),
            _ => Value::Null,
        };
        totals.insert("prepayment_percent".into(), percent);
        totals.insert("due".into(), json!(money(due, lang)));
        totals.insert(
            "due_words_ru".into(),
            json!(words::amount_ru(due, c.currency)?),
        );
        totals.insert(
            "due_words_en".into(),
            json!(words::amount_en(due, c.currency)?),
        );
    }
    m.insert("due_date".into(), opt_date(d.due_date));
    m.insert(
        "payment_purpose".into(),
        ot(d.payment_purpose.as_ref(), lang),
    );
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
    m.insert("delivery_terms".into(), ot(d.delivery_terms.as_ref(), lang));
    m.insert("transport".into(), ot(d.transport.as_ref(), lang));
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
    m.insert("place".into(), ot(d.place.as_ref(), lang));
    Ok(Value::Object(m))
}

pub(crate) fn specification(d: &Specification, lang: Language) -> Result<Value, Error> {
    let c = d.commercial();
    let mut m = commercial("specification", &c, lang, Needs::Money, true)?;
    if let Some(k) = d.contract.as_ref()
        && d.date < k.date
    {
        return Err(Error::data(
            "date",
            format!("an annex cannot be dated before its contract ({})", k.date),
        ));
    }
    percent_in_range("prepayment_percent", d.prepayment_percent)?;
    let total = grand_total(&c);
    let prepayment = d.prepayment_percent.map(|p| {
        let amount = round2(total * p / Decimal::ONE_HUNDRED);
        json!({
            "percent": pct(p, lang),
            "rest_percent": pct(Decimal::ONE_HUNDRED - p, lang),
            "amount": money(amount, lang),
            "rest": money(total - amount, lang),
        })
    });
    m.insert(
        "annex_number".into(),
        json!(d.annex_number.as_deref().map_or(d.number.trim(), str::trim)),
    );
    m.insert("place".into(), ot(d.place.as_ref(), lang));
    m.insert("delivery_terms".into(), ot(d.delivery_terms.as_ref(), lang));
    m.insert("delivery_time".into(), ot(d.delivery_time.as_ref(), lang));
    m.insert(
        "delivery_address".into(),
        ot(d.delivery_address.as_ref(), lang),
    );
    m.insert("payment_terms".into(), ot(d.payment_terms.as_ref(), lang));
    m.insert("prepayment".into(), prepayment.unwrap_or(Value::Null));
    Ok(Value::Object(m))
}

/// The data of a consignment note, for the CMR and the waybill alike.
fn consignment_note(kind: &str, d: &Cmr, lang: Language) -> Result<Value, Error> {
    require_text("number", &d.number)?;
    check_party("sender", &d.sender)?;
    check_party("consignee", &d.consignee)?;
    check_party("carrier", &d.carrier)?;
    require_text("place_of_delivery", d.place_of_delivery.ru())?;
    require_text("taking_over_place", d.taking_over_place.ru())?;
    require_text("established_in", d.established_in.ru())?;
    check_items(&d.items, Needs::Shipping)?;
    let by_terms = d
        .incoterms
        .as_deref()
        .and_then(CarriagePayment::from_incoterms);
    let payment = match (d.payment, by_terms) {
        (Some(p), Some(t)) if p != t => {
            return Err(Error::data(
                "payment",
                format!(
                    "`{}` contradicts the Incoterms rule of `{}`",
                    payment_code(p),
                    d.incoterms.as_deref().unwrap_or_default()
                ),
            ));
        }
        (Some(p), _) => Some(p),
        (None, t) => t,
    };
    let c = Commercial {
        number: &d.number,
        date: d.date,
        currency: crate::Currency::default(),
        seller: &d.sender,
        buyer: &d.consignee,
        contract: d.contract.as_ref(),
        items: &d.items,
        vat_included: false,
        notes: None,
    };
    let (items, totals) = goods(&c, lang)?;
    let text_list = |v: &[Text]| -> Vec<Value> {
        v.iter()
            .filter(|x| !x.is_blank())
            .map(|x| t(x, lang))
            .collect()
    };
    Ok(json!({
        "kind": kind,
        "lang": lang.code(),
        "number": d.number,
        "date": date(d.date),
        "sender": party(&d.sender, lang),
        "consignee": party(&d.consignee, lang),
        "carrier": party(&d.carrier, lang),
        "contract": contract(d.contract.as_ref()),
        "place_of_delivery": t(&d.place_of_delivery, lang),
        "taking_over_place": t(&d.taking_over_place, lang),
        "taking_over_date": date(d.taking_over_date),
        "documents_attached": text_list(&d.documents_attached),
        "items": items,
        "totals": totals,
        "incoterms": s(&d.incoterms),
        "sender_instructions": ot(d.sender_instructions.as_ref(), lang),
        "payment": payment.map_or(Value::Null, |p| json!(payment_code(p))),
        "cash_on_delivery": ot(d.cash_on_delivery.as_ref(), lang),
        "vehicle": ot(d.vehicle.as_ref(), lang),
        "successive_carriers": ot(d.successive_carriers.as_ref(), lang),
        "reservations": ot(d.reservations.as_ref(), lang),
        "special_agreements": ot(d.special_agreements.as_ref(), lang),
        "charges": ot(d.charges.as_ref(), lang),
        "established_in": t(&d.established_in, lang),
    }))
}

fn payment_code(p: CarriagePayment) -> &'static str {
    match p {
        CarriagePayment::Paid => "paid",
        CarriagePayment::Forward => "forward",
    }
}

pub(crate) fn cmr(d: &Cmr, lang: Language) -> Result<Value, Error> {
    consignment_note("cmr", d, lang)
}

pub(crate) fn waybill(d: &Cmr, lang: Language) -> Result<Value, Error> {
    consignment_note("waybill", d, lang)
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
