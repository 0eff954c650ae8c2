//! What an accountant reads: the text of the rendered PDF, extracted with
//! `pdftotext` (poppler-utils), checked for the invoice's prepayment, due
//! date and signatures, the consignment note the route needs, the
//! specification as an annex, the language of every label and number, the
//! typography and the buyer's requisites.
//!
//! `pdftotext` reads the PDF bytes a user gets (fonts, their Unicode maps,
//! the order of the text), which typst's own layout text does not: typst
//! offers no text extraction from a PDF. It turns no-break spaces into plain
//! ones, so where a no-break space itself is checked, the layout text
//! ([`voronka_docs::Rendered::text`]) is read as well, and the PDF is checked
//! for where its lines break.

use std::io::Write as _;
use std::process::{Command, Stdio};

use chrono::{DateTime, TimeZone, Utc};
use serde_json::{Value, json};
use voronka_docs::{
    Document, DocumentKind, Error, Language, RenderOptions, Text, render, shipment_note_kind,
};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0)
        .single()
        .expect("valid time")
}

fn sample_value(kind: DocumentKind) -> Value {
    serde_json::from_str(Document::sample_json(kind)).expect("sample is JSON")
}

/// The text of a PDF as `pdftotext` extracts it (UTF-8, reading order).
fn pdftotext(pdf: &[u8]) -> String {
    let mut child = match Command::new("pdftotext")
        .args(["-enc", "UTF-8", "-", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
    {
        Ok(child) => child,
        Err(e) => panic!(
            "cannot run `pdftotext` ({e}): these tests read the text of the rendered PDFs with \
             poppler-utils; install it (`apt-get install -y poppler-utils`)"
        ),
    };
    let mut stdin = child.stdin.take().expect("stdin");
    let bytes = pdf.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&bytes));
    let out = child.wait_with_output().expect("pdftotext runs");
    writer
        .join()
        .expect("writer")
        .expect("PDF written to pdftotext");
    assert!(out.status.success(), "pdftotext failed: {out:?}");
    String::from_utf8(out.stdout).expect("UTF-8 text")
}

/// A document's PDF text in `lang`, with runs of white space made single
/// spaces (a table cell or a wrapped line then reads as one phrase).
fn pdf_text_of(doc: &Document, lang: Language) -> String {
    let pdf = render(doc, &RenderOptions::new(now()).with_language(lang))
        .and_then(|r| r.pdf())
        .unwrap_or_else(|e| panic!("{} {lang:?}: {e}", doc.kind()));
    squeeze(&pdftotext(&pdf))
}

fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn doc(kind: DocumentKind, v: Value) -> Document {
    Document::from_value(kind, v).unwrap_or_else(|e| panic!("{kind}: {e}"))
}

fn has(text: &str, want: &str, what: &str) {
    assert!(
        text.contains(want),
        "{what}: `{want}` missing from:\n{text}"
    );
}

fn lacks(text: &str, unwanted: &str, what: &str) {
    assert!(
        !text.contains(unwanted),
        "{what}: `{unwanted}` printed in:\n{text}"
    );
}

#[test]
fn the_invoice_deducts_the_prepayment_and_is_signed_by_the_head_and_the_chief_accountant() {
    let invoice = Document::sample(DocumentKind::Invoice);
    let ru = pdf_text_of(&invoice, Language::Ru);
    for want in [
        "Всего, евро: 14 820,00",
        "Получена предоплата (50 %): −7 410,00",
        "Итого к оплате, евро: 7 410,00",
        "к оплате с учётом предоплаты 7 410,00 евро",
        "Семь тысяч четыреста десять евро 00 центов",
        "Оплатить до 11 декабря 2026 г.",
        "Руководитель",
        "Смирнова А. В.",
        "Главный бухгалтер",
        "Кузнецова Е. П.",
        "БИК 044525225",
    ] {
        has(&ru, want, "ru invoice");
    }
    let en = pdf_text_of(&invoice, Language::En);
    for want in [
        "Total, EUR: 14,820.00",
        "Prepayment received (50%): −7,410.00",
        "Amount due, EUR: 7,410.00",
        "Seven thousand four hundred ten euros and 00 cents",
        "Payment due by 11 December 2026",
        "Head of company",
        "A. V. Smirnova",
        "Chief accountant",
        "E. P. Kuznetsova",
        "BIK 044525225",
        "SWIFT: SABRRUMM",
    ] {
        has(&en, want, "en invoice");
    }

    // An amount received wins over a percentage; without either, nothing is deducted.
    let mut v = sample_value(DocumentKind::Invoice);
    v["prepayment"] = json!("1000");
    let ru = pdf_text_of(&doc(DocumentKind::Invoice, v.clone()), Language::Ru);
    has(&ru, "Получена предоплата: −1 000,00", "an amount");
    has(&ru, "Итого к оплате, евро: 13 820,00", "an amount");
    v.as_object_mut()
        .map(|o| (o.remove("prepayment"), o.remove("prepayment_percent")));
    let ru = pdf_text_of(&doc(DocumentKind::Invoice, v.clone()), Language::Ru);
    lacks(&ru, "предоплата", "no prepayment");
    has(&ru, "Итого к оплате, евро: 14 820,00", "no prepayment");
    has(
        &ru,
        "Четырнадцать тысяч восемьсот двадцать евро 00 центов",
        "no prepayment",
    );

    // More than the total, a due date before the invoice, a SWIFT code as a БИК: refused.
    for (change, path) in [
        (json!({ "prepayment": "14820.01" }), "prepayment"),
        (json!({ "due_date": "2026-11-26" }), "due_date"),
    ] {
        let mut v = sample_value(DocumentKind::Invoice);
        for (k, x) in change.as_object().expect("object") {
            v[k] = x.clone();
        }
        let e = doc(DocumentKind::Invoice, v)
            .prepare(Language::Ru)
            .expect_err(path);
        assert!(
            matches!(&e, Error::InvalidData { path: p, .. } if p == path),
            "{e}"
        );
    }
    let mut v = sample_value(DocumentKind::Invoice);
    v["seller"]["bank"]["bic"] = json!("SABRRUMM");
    let e = doc(DocumentKind::Invoice, v)
        .prepare(Language::En)
        .expect_err("bic");
    assert!(
        matches!(&e, Error::InvalidData { path, message } if path == "seller.bank.bic" && message.contains("swift")),
        "{e}"
    );
}

#[test]
fn a_swift_code_is_printed_on_english_and_export_documents_only() {
    // The sample invoice goes to Germany: SWIFT in Russian too.
    let ru = pdf_text_of(&Document::sample(DocumentKind::Invoice), Language::Ru);
    has(&ru, "SWIFT: SABRRUMM", "export, ru");
    // The same invoice to a Russian buyer: no SWIFT in Russian, SWIFT in English.
    let mut v = sample_value(DocumentKind::Invoice);
    v["buyer"] = sample_value(DocumentKind::Waybill)["consignee"].clone();
    v["currency"] = json!("RUB");
    let domestic = doc(DocumentKind::Invoice, v);
    let ru = pdf_text_of(&domestic, Language::Ru);
    lacks(&ru, "SWIFT", "domestic, ru");
    has(&ru, "БИК 044525225", "domestic, ru");
    has(
        &pdf_text_of(&domestic, Language::En),
        "SWIFT: SABRRUMM",
        "domestic, en",
    );
}

#[test]
fn domestic_carriage_gets_the_transport_waybill_and_international_the_cmr() {
    let russia = Text::localized("Россия", "Russia");
    let germany = Text::localized("Германия", "Germany");
    assert_eq!(
        shipment_note_kind(Some(&russia), Some(&Text::from("РФ"))),
        DocumentKind::Waybill
    );
    assert_eq!(
        shipment_note_kind(Some(&russia), Some(&germany)),
        DocumentKind::Cmr
    );
    assert_eq!(
        shipment_note_kind(Some(&germany), Some(&russia)),
        DocumentKind::Cmr
    );

    let waybill = Document::sample(DocumentKind::Waybill);
    let ru = pdf_text_of(&waybill, Language::Ru);
    for want in [
        "Приложение № 4 к Правилам перевозок грузов автомобильным транспортом (Постановление Правительства РФ от 21.12.2020 № 2200)",
        "ТРАНСПОРТНАЯ НАКЛАДНАЯ",
        "№ TN-2026-00014 от 22 декабря 2026 г.",
        "1. Грузоотправитель",
        "2. Грузополучатель",
        "3. Наименование груза",
        "4. Сопроводительные документы на груз",
        "1. Счёт на оплату № INV-2026-00101",
        "5. Указания грузоотправителя",
        "6. Приём груза",
        "7. Сдача груза",
        "195273, г. Санкт-Петербург, Пискарёвский пр-т, д. 150, склад 3",
        "10. Перевозчик",
        "11. Транспортное средство",
        "15. Стоимость услуг перевозчика",
        "16. Дата составления, подписи сторон",
        "380 кг; мест: 2",
        "М.П.",
    ] {
        has(&ru, want, "ru waybill");
    }
    lacks(&ru, "CMR", "ru waybill");
    let en = pdf_text_of(&waybill, Language::En);
    has(&en, "TRANSPORT WAYBILL", "en waybill");
    has(&en, "3. Goods", "en waybill");
    has(&en, "L.S.", "en waybill");
}

#[test]
fn the_cmr_lists_its_documents_and_box_14_follows_the_incoterms() {
    let cmr = Document::sample(DocumentKind::Cmr);
    let ru = pdf_text_of(&cmr, Language::Ru);
    for want in [
        "5 Прилагаемые документы",
        "1. Счёт на оплату № INV-2026-00042 2. Упаковочный лист № PL-2026-00042 3. Спецификация № 3 к договору № EP-2026/045",
        // FCA: the buyer pays the main carriage, so carriage forward.
        "X Нефранко (оплачивает получатель)",
        "Условия поставки: FCA Korolev (Incoterms® 2020)",
        "Договор № EP-2026/045 от 15 сентября 2026 г.",
        "Провозная плата 2 450,00 евро, оплачивает получатель",
        "Королёв, 27 ноября 2026 г.",
    ] {
        has(&ru, want, "ru CMR");
    }
    lacks(&ru, "X Франко", "ru CMR");
    let en = pdf_text_of(&cmr, Language::En);
    has(&en, "Carriage paid X Carriage forward", "en CMR");

    // Under DAP the seller pays: carriage paid, without being told.
    let mut v = sample_value(DocumentKind::Cmr);
    v["incoterms"] = json!("DAP Hamburg (Incoterms® 2020)");
    let en = pdf_text_of(&doc(DocumentKind::Cmr, v.clone()), Language::En);
    has(&en, "X Carriage paid", "DAP");
    lacks(&en, "X Carriage forward", "DAP");
    // A box 14 that contradicts the Incoterms is refused.
    v["payment"] = json!("forward");
    let e = doc(DocumentKind::Cmr, v)
        .prepare(Language::En)
        .expect_err("contradiction");
    assert!(
        matches!(&e, Error::InvalidData { path, .. } if path == "payment"),
        "{e}"
    );
}

#[test]
fn the_specification_is_an_annex_dated_under_its_contract_with_the_prepayment() {
    let spec = Document::sample(DocumentKind::Specification);
    let ru = pdf_text_of(&spec, Language::Ru);
    for want in [
        "Приложение № 3 к договору поставки № EP-2026/045 от 15 сентября 2026 г.",
        "СПЕЦИФИКАЦИЯ № 3 от 1 октября 2026 г.",
        "50 % предоплата в течение 5 банковских дней с даты подписания спецификации, 50 % в течение 14 дней с даты отгрузки",
        "Предоплата 50 % — 7 410,00 евро; остаток 50 % — 7 410,00 евро",
        "является неотъемлемой частью договора поставки № EP-2026/045 от 15 сентября 2026 г.",
    ] {
        has(&ru, want, "ru specification");
    }
    let en = pdf_text_of(&spec, Language::En);
    for want in [
        "Annex No. 3 to supply contract No. EP-2026/045 dated 15 September 2026",
        "SPECIFICATION No. 3 dated 1 October 2026",
        "Prepayment 50%: EUR 7,410.00; balance 50%: EUR 7,410.00",
    ] {
        has(&en, want, "en specification");
    }
    // Without agreed terms, the terms are the prepayment's.
    let mut v = sample_value(DocumentKind::Specification);
    v["payment_terms"] = Value::Null;
    v["prepayment_percent"] = json!(30);
    let ru = pdf_text_of(&doc(DocumentKind::Specification, v.clone()), Language::Ru);
    has(
        &ru,
        "Предоплата 30 % — 4 446,00 евро; остаток 70 % — 10 374,00 евро",
        "30 %",
    );
    // An annex dated before its contract is refused.
    v["date"] = json!("2026-09-14");
    let e = doc(DocumentKind::Specification, v)
        .prepare(Language::Ru)
        .expect_err("early");
    assert!(
        matches!(&e, Error::InvalidData { path, .. } if path == "date"),
        "{e}"
    );
}

/// Every string of the data a document in `lang` may print as entered: the
/// Russian (or plain) forms for Russian, the English (or plain) ones for English.
fn data_strings(v: &Value, lang: &str, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| data_strings(x, lang, out)),
        Value::Object(m) => {
            for (k, x) in m {
                let english = k == "en" || k.ends_with("_en");
                let russian = k == "ru";
                if (lang == "ru" && english) || (lang == "en" && russian) {
                    continue;
                }
                data_strings(x, lang, out);
            }
        }
        _ => {}
    }
}

fn words_with(text: &str, pred: impl Fn(char) -> bool) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric() && c != '-')
        .filter(|w| w.chars().any(&pred))
        .map(str::to_owned)
        .collect()
}

fn is_cyrillic(c: char) -> bool {
    matches!(c, '\u{400}'..='\u{4ff}')
}

#[test]
fn english_documents_are_english_and_russian_ones_russian() {
    for kind in DocumentKind::ALL {
        let v = sample_value(kind);
        let doc = Document::sample(kind);
        // English: every Cyrillic word comes from data entered without an English form.
        let mut data = Vec::new();
        data_strings(&v, "en", &mut data);
        let en = pdf_text_of(&doc, Language::En);
        for w in words_with(&en, is_cyrillic) {
            assert!(
                data.iter().any(|s| s.contains(&w)),
                "{kind} en: `{w}` is Russian text that is not in the data:\n{en}"
            );
        }
        // Russian: every Latin word comes from the data as entered, or names a
        // code that has no Russian name.
        let mut data = Vec::new();
        data_strings(&v, "ru", &mut data);
        let ru = pdf_text_of(&doc, Language::Ru);
        for w in words_with(&ru, |c| c.is_ascii_alphabetic()) {
            assert!(
                ["CMR", "SWIFT"].contains(&w.as_str()) || data.iter().any(|s| s.contains(&w)),
                "{kind} ru: `{w}` is English text that is not in the data:\n{ru}"
            );
        }
    }
    // The numbers: `1,234.56` in English, `1 234,56` in Russian.
    let invoice = Document::sample(DocumentKind::Invoice);
    let en = pdf_text_of(&invoice, Language::En);
    has(&en, "12,000 0.42 5,040.00", "en numbers");
    lacks(&en, "5 040,00", "en numbers");
    let ru = pdf_text_of(&invoice, Language::Ru);
    has(&ru, "12 000 0,42 5 040,00", "ru numbers");
    lacks(&ru, "5,040.00", "ru numbers");
    let both = pdf_text_of(&invoice, Language::Both);
    has(&both, "ООО «ЭкоУпаковка» / EkoUpakovka LLC", "both");
    has(&both, "СЧЁТ НА ОПЛАТУ / INVOICE", "both");
}

#[test]
fn addresses_numbers_and_names_do_not_break_where_they_should_not() {
    // In the layout: no-break spaces inside the address, numbers and initials.
    let r = render(
        &Document::sample(DocumentKind::Waybill),
        &RenderOptions::new(now()),
    )
    .expect("render");
    let text = r.text();
    for want in [
        "д.\u{a0}150, склад\u{a0}3",
        "г.\u{a0}Королёв",
        "Смирнова\u{a0}А.\u{a0}В.",
        "20\u{a0}000",
    ] {
        assert!(
            text.contains(want),
            "`{want}` without its no-break spaces:\n{text}"
        );
    }
    // In the PDF: a long address and note wrap over many lines, never inside
    // "д. 12", "склад 3", "20 000 шт." or "№ 5".
    let mut v = sample_value(DocumentKind::Invoice);
    v["buyer"]["address"] = json!("ул. Лесная, д. 12, склад 3, ".repeat(25));
    v["notes"] = json!("партия № 5 — 20 000 шт., ".repeat(25));
    let pdf = render(&doc(DocumentKind::Invoice, v), &RenderOptions::new(now()))
        .and_then(|r| r.pdf())
        .expect("render");
    let text = pdftotext(&pdf);
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    for word in ["Лесная", "партия"] {
        let wrapped = lines.iter().filter(|l| l.contains(word)).count();
        assert!(
            wrapped >= 4,
            "`{word}` should wrap over several lines:\n{text}"
        );
    }
    // Pairs of lines of the wrapped address, or of the wrapped note.
    let ours = |l: &str| l.contains("Лесная") || l.contains("партия");
    for pair in lines.windows(2).filter(|p| ours(p[0]) && ours(p[1])) {
        let (end, start) = (pair[0], pair[1]);
        for glue in ["д.", "склад", "ул.", "№", "20"] {
            assert!(
                !end.ends_with(glue),
                "a line breaks after `{glue}`:\n{end}\n{start}"
            );
        }
        assert!(
            !start.starts_with("шт."),
            "a line breaks before `шт.`:\n{end}\n{start}"
        );
    }
}

#[test]
fn signature_headings_and_names_stay_on_one_line_with_the_place_of_the_seal() {
    // Bilingual headings and names are the longest: each stays on one line.
    let cases: [(DocumentKind, &[&str]); 4] = [
        (
            DocumentKind::Invoice,
            &[
                "Руководитель / Head of company",
                "Главный бухгалтер / Chief accountant",
                "Смирнова А. В. / A. V. Smirnova",
                "Кузнецова Е. П. / E. P. Kuznetsova",
                "Генеральный директор / General Director",
            ],
        ),
        (
            DocumentKind::Specification,
            &[
                "Поставщик / Supplier",
                "Покупатель / Buyer",
                "Смирнова А. В. / A. V. Smirnova",
            ],
        ),
        (
            DocumentKind::Act,
            &[
                "Поставщик / Supplier",
                "Покупатель / Buyer",
                "Управляющий директор / Managing Director",
            ],
        ),
        (
            DocumentKind::PackingList,
            &[
                "Отгрузку произвёл / Shipped by",
                "Груз принял / Received by",
            ],
        ),
    ];
    for (kind, headings) in cases {
        for lang in [Language::Ru, Language::En, Language::Both] {
            let pdf = render(
                &Document::sample(kind),
                &RenderOptions::new(now()).with_language(lang),
            )
            .and_then(|r| r.pdf())
            .expect("render");
            let text = pdftotext(&pdf);
            if lang == Language::Both {
                for heading in headings {
                    assert!(
                        text.lines().any(|l| l.contains(heading)),
                        "{kind}: `{heading}` is not on one line:\n{text}"
                    );
                }
            }
            // The place of the seal of each party that stamps: the invoice's seller, both
            // parties of the others.
            let stamping = if kind == DocumentKind::Invoice { 1 } else { 2 };
            let seal = if lang == Language::En {
                "L.S."
            } else {
                "М.П."
            };
            assert!(
                text.matches(seal).count() >= stamping,
                "{kind} {lang:?}: no place for the seal:\n{text}"
            );
        }
    }
}

#[test]
fn the_buyers_requisites_are_printed_wherever_the_suppliers_are() {
    let buyer = sample_value(DocumentKind::Waybill)["consignee"].clone();
    for kind in [
        DocumentKind::CommercialOffer,
        DocumentKind::Invoice,
        DocumentKind::Act,
        DocumentKind::Specification,
    ] {
        let mut v = sample_value(kind);
        v["buyer"] = buyer.clone();
        let ru = pdf_text_of(&doc(kind, v), Language::Ru);
        for want in ["ИНН: 7810123451", "КПП: 781001001", "ОГРН: 1177847123453"] {
            let want = if kind == DocumentKind::CommercialOffer {
                want.replace(':', "")
            } else {
                want.to_owned()
            };
            has(&ru, &want, &format!("{kind}"));
        }
        if kind != DocumentKind::CommercialOffer {
            for want in [
                "БИК: 044030653",
                "р/с: 40702810755000012345",
                "к/с: 30101810500000000653",
                "Северо-Западный банк ПАО Сбербанк",
                "195273, г. Санкт-Петербург, Пискарёвский пр-т, д. 150, лит. А",
            ] {
                has(&ru, want, &format!("{kind}"));
            }
        }
        if matches!(kind, DocumentKind::Act | DocumentKind::Specification) {
            has(
                &ru,
                "Заведующий складом Смирнов А. П., действует на основании доверенности № 15 от 01.12.2026",
                &format!("{kind}"),
            );
            has(
                &ru,
                "Генеральный директор Смирнова А. В., действует на основании Устава",
                &format!("{kind}"),
            );
        }
    }
}
