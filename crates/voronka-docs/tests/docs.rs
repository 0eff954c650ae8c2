//! Integration tests of voronka-docs: every bundled document in every
//! language, determinism (golden hashes), markup injection, coded errors.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::{DateTime, TimeZone, Utc};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use voronka_docs::{
    Document, DocumentKind, Error, Language, RenderOptions, Template, render, render_json,
    render_source, render_with_template,
};

const LANGS: [Language; 3] = [Language::Ru, Language::En, Language::Both];

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0)
        .single()
        .expect("valid time")
}

fn opts(lang: Language) -> RenderOptions {
    RenderOptions::new(now()).with_language(lang)
}

fn sample_value(kind: DocumentKind) -> Value {
    serde_json::from_str(Document::sample_json(kind)).expect("sample is JSON")
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .fold(String::new(), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

#[test]
fn every_template_renders_in_every_language() {
    for kind in DocumentKind::ALL {
        let doc = Document::sample(kind);
        for lang in LANGS {
            let started = std::time::Instant::now();
            let r = render(&doc, &opts(lang)).unwrap_or_else(|e| panic!("{kind} {lang:?}: {e}"));
            let pdf = r.pdf().expect("pdf");
            eprintln!(
                "{kind}-{}: {:.0} ms (debug build)",
                lang.code(),
                started.elapsed().as_secs_f64() * 1e3
            );
            assert!(pdf.starts_with(b"%PDF-"), "{kind} {lang:?}");
            assert!(
                pdf.len() > 10_000,
                "{kind} {lang:?}: suspiciously small PDF"
            );
            assert!(r.page_count() >= 1);
            let png = r.png(0, 0.5).expect("png");
            assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "{kind} {lang:?}");
            let text = r.text();
            let number = sample_value(kind)["number"]
                .as_str()
                .expect("number")
                .to_owned();
            assert!(text.contains(&number), "{kind} {lang:?}: number missing");
            // Labels in the right language.
            let (ru_label, en_label) = match kind {
                DocumentKind::CommercialOffer => ("КОММЕРЧЕСКОЕ ПРЕДЛОЖЕНИЕ", "COMMERCIAL OFFER"),
                DocumentKind::Cmr => ("Отправитель", "Sender"),
                DocumentKind::Invoice => ("СЧЁТ НА ОПЛАТУ", "INVOICE"),
                DocumentKind::PackingList => ("УПАКОВОЧНЫЙ ЛИСТ", "PACKING LIST"),
                DocumentKind::Act => ("АКТ ПРИЁМА-ПЕРЕДАЧИ ТОВАРА", "GOODS ACCEPTANCE CERTIFICATE"),
                DocumentKind::Specification => ("СПЕЦИФИКАЦИЯ", "SPECIFICATION"),
                DocumentKind::Waybill => ("ТРАНСПОРТНАЯ НАКЛАДНАЯ", "TRANSPORT WAYBILL"),
                other => panic!("no labels for {other}"),
            };
            assert_eq!(
                text.contains(ru_label),
                lang != Language::En,
                "{kind} {lang:?}: {ru_label}"
            );
            assert_eq!(
                text.contains(en_label),
                lang != Language::Ru,
                "{kind} {lang:?}: {en_label}"
            );
        }
    }
}

#[test]
fn totals_and_words_reach_the_documents() {
    // The offer: RUB with 22 % VAT.
    let r = render(
        &Document::sample(DocumentKind::CommercialOffer),
        &opts(Language::Both),
    )
    .expect("offer");
    let text = r.text();
    assert!(text.contains("672\u{a0}342,00"), "total");
    assert!(text.contains("121\u{a0}242,00"), "VAT");
    assert!(text.contains("Шестьсот семьдесят две тысячи триста сорок два рубля 00 копеек"));
    assert!(text.contains(
        "Six hundred seventy-two thousand three hundred forty-two Russian roubles and 00 kopecks"
    ));
    // The shipping set: EUR, weights and packages.
    let r = render(
        &Document::sample(DocumentKind::PackingList),
        &opts(Language::En),
    )
    .expect("packing list");
    let text = r.text();
    assert!(text.contains("5,877.25"), "gross weight total");
    assert!(text.contains("5,410"), "net weight total");
    assert!(text.contains("twenty-six"), "packages in words");
    let r = render(
        &Document::sample(DocumentKind::Invoice),
        &opts(Language::Ru),
    )
    .expect("invoice");
    // Half prepaid: the words give the amount due.
    assert!(
        r.text()
            .contains("Семь тысяч четыреста десять евро 00 центов")
    );
    assert!(r.text().contains("0,061"), "prices keep their precision");
}

#[test]
fn rendering_is_deterministic() {
    for kind in DocumentKind::ALL {
        let doc = Document::sample(kind);
        let a = render(&doc, &opts(Language::Both))
            .and_then(|r| r.pdf())
            .expect("first");
        let b = render(&doc, &opts(Language::Both))
            .and_then(|r| r.pdf())
            .expect("second");
        assert!(a == b, "{kind}: two renders differ");
    }
}

/// Golden SHA-256 of each bundled document's PDF for a fixed `now`. After a
/// deliberate change of a template, regenerate with
/// `VORONKA_DOCS_UPDATE_GOLDEN=1 cargo test -p voronka-docs golden` and
/// look at the PNGs before committing.
#[test]
fn golden_pdf_hashes() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/pdf-sha256.txt");
    let mut actual = BTreeMap::new();
    for kind in DocumentKind::ALL {
        for lang in LANGS {
            let pdf = render(&Document::sample(kind), &opts(lang))
                .and_then(|r| r.pdf())
                .expect("render");
            actual.insert(format!("{kind}-{}", lang.code()), sha256(&pdf));
        }
    }
    let text: String = actual.iter().map(|(k, v)| format!("{k} {v}\n")).collect();
    if std::env::var_os("VORONKA_DOCS_UPDATE_GOLDEN").is_some() {
        std::fs::write(path, &text).expect("write golden file");
        return;
    }
    let golden = std::fs::read_to_string(path)
        .expect("golden file (regenerate with VORONKA_DOCS_UPDATE_GOLDEN=1)");
    let expected: BTreeMap<String, String> = golden
        .lines()
        .filter_map(|l| l.split_once(' '))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    assert_eq!(
        expected.len(),
        DocumentKind::ALL.len() * LANGS.len(),
        "one hash per document and language"
    );
    for (k, v) in &actual {
        assert_eq!(
            expected.get(k),
            Some(v),
            "{k}: PDF changed (regenerate deliberately, see the test's doc)"
        );
    }
}

const NASTY: [&str; 12] = [
    "#exit()",
    "]",
    "[x]",
    "$x^2$",
    "*bold*",
    "_under_",
    "<label>",
    "@ref",
    "// not a comment",
    "`raw`",
    "back\\slash",
    "#set page(width: 1pt)",
];

#[test]
fn markup_in_data_prints_literally() {
    for kind in DocumentKind::ALL {
        for (i, nasty) in NASTY.iter().enumerate() {
            let mut v = sample_value(kind);
            let party = if matches!(kind, DocumentKind::Cmr | DocumentKind::Waybill) {
                "consignee"
            } else {
                "buyer"
            };
            v[party]["name"] = json!(format!("Client {nasty}"));
            v["items"][0]["name"] = json!(format!("Box {nasty}"));
            v["items"][0]["name_en"] = Value::Null;
            v["number"] = json!(format!("N-{i}{nasty}"));
            let doc = Document::from_value(kind, v).expect("valid data");
            let r =
                render(&doc, &opts(Language::Ru)).unwrap_or_else(|e| panic!("{kind} {nasty}: {e}"));
            let text = r.text();
            for want in [
                format!("Client {nasty}"),
                format!("Box {nasty}"),
                format!("N-{i}{nasty}"),
            ] {
                assert!(
                    text.contains(&want),
                    "{kind}: `{want}` not printed literally"
                );
            }
            // `#set page(width: 1pt)` would have squeezed the page.
            assert!(r.page_count() <= 2, "{kind} {nasty}");
        }
    }
}

#[test]
fn user_template_error_has_code_and_position() {
    let template = Template::new("= Offer\n\nHello #let x = (1, 2\nworld\n");
    let e = render_source(&template, &json!({}), &opts(Language::Ru)).expect_err("syntax error");
    assert_eq!((e.code(), e.name()), (5002, "template_error"));
    match &e {
        Error::Template {
            file,
            line,
            column,
            message,
            ..
        } => {
            assert_eq!(file, "/main.typ");
            assert_eq!((*line, *column), (Some(3), Some(16)), "{e}");
            assert!(message.contains("unclosed"), "{message}");
        }
        other => panic!("unexpected {other:?}"),
    }

    // An evaluation error on the third line, reported where it happens.
    let template = Template::new("#let d = json(\"/data.json\")\nName: #d.name\nCity: #d.city\n");
    let e = render_source(&template, &json!({ "name": "x" }), &opts(Language::Ru))
        .expect_err("missing key");
    match &e {
        Error::Template {
            line,
            column,
            message,
            ..
        } => {
            assert_eq!((*line, *column), (Some(3), Some(10)), "{e}");
            assert!(message.contains("city"), "{message}");
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(e.to_string().contains("line 3, column 10"), "{e}");

    // A broken replacement for a bundled template.
    let doc = Document::sample(DocumentKind::Invoice);
    let e = render_with_template(
        &Template::new("#import \"/voronka.typ\": *\n#data.nope"),
        &doc,
        &opts(Language::Ru),
    )
    .expect_err("bad field");
    assert!(matches!(e, Error::Template { line: Some(2), .. }), "{e:?}");
}

/// A change to sample data.
type Change = Box<dyn Fn(&mut Value)>;

#[test]
fn invalid_data_names_the_path() {
    let cases: Vec<(DocumentKind, Change, &str, &str)> = vec![
        (
            DocumentKind::Invoice,
            Box::new(|v| v["items"][2]["quantity"] = json!("many")),
            "items[2].quantity",
            "decimal",
        ),
        (
            DocumentKind::Invoice,
            Box::new(|v| v["items"][1]["price"] = json!([1])),
            "items[1].price",
            "decimal",
        ),
        (
            DocumentKind::Invoice,
            Box::new(|v| v["date"] = json!("27.11.2026")),
            "date",
            "input",
        ),
        (
            DocumentKind::Invoice,
            Box::new(|v| v["currency"] = json!("GBP")),
            "currency",
            "GBP",
        ),
        (
            DocumentKind::Invoice,
            Box::new(|v| {
                v.as_object_mut().expect("object").remove("seller");
            }),
            ".",
            "seller",
        ),
        (
            DocumentKind::Act,
            Box::new(|v| {
                v["buyer"].as_object_mut().expect("object").remove("name");
            }),
            "buyer",
            "name",
        ),
        (
            DocumentKind::Specification,
            Box::new(|v| v["items"][0]["quantiy"] = json!(1)),
            "items[0].quantiy",
            "unknown field",
        ),
        (
            DocumentKind::Invoice,
            Box::new(|v| v["items"][3]["quantity"] = json!(0)),
            "items[3].quantity",
            "positive",
        ),
        (
            DocumentKind::Invoice,
            Box::new(|v| v["items"][0]["price"] = json!("-1")),
            "items[0].price",
            "negative",
        ),
        (
            DocumentKind::Invoice,
            Box::new(|v| v["items"] = json!([])),
            "items",
            "at least one",
        ),
        (
            DocumentKind::Invoice,
            Box::new(|v| v["seller"]["name"] = json!("  ")),
            "seller.name",
            "empty",
        ),
        (
            DocumentKind::Invoice,
            Box::new(|v| v["items"][0]["vat_rate"] = json!(120)),
            "items[0].vat_rate",
            "percentage",
        ),
        (
            DocumentKind::Act,
            Box::new(|v| {
                v.as_object_mut().expect("object").remove("contract");
            }),
            "contract",
            "required",
        ),
        (
            DocumentKind::Cmr,
            Box::new(|v| {
                v["items"][4]
                    .as_object_mut()
                    .expect("object")
                    .remove("gross_weight_kg");
            }),
            "items[4].gross_weight_kg",
            "required",
        ),
        (
            DocumentKind::PackingList,
            Box::new(|v| v["items"][1]["packages"] = Value::Null),
            "items[1].packages",
            "required",
        ),
    ];
    for (kind, change, path, needle) in cases {
        let mut v = sample_value(kind);
        change(&mut v);
        let json = serde_json::to_string(&v).expect("json");
        let e = render_json(kind.code(), &json, &opts(Language::En)).expect_err(path);
        assert_eq!((e.code(), e.name()), (5003, "invalid_data"), "{path}: {e}");
        match &e {
            Error::InvalidData { path: p, message } => {
                assert_eq!(p, path, "{e}");
                assert!(
                    message.contains(needle),
                    "{path}: `{message}` lacks `{needle}`"
                );
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}

#[test]
fn other_coded_errors() {
    let e = render_json("receipt", "{}", &opts(Language::Ru)).expect_err("unknown");
    assert_eq!((e.code(), e.name()), (5001, "unknown_template"));
    let r = render(
        &Document::sample(DocumentKind::Invoice),
        &opts(Language::Ru),
    )
    .expect("render");
    let e = r.png(r.page_count(), 1.0).expect_err("no such page");
    assert_eq!((e.code(), e.name()), (5006, "page_out_of_range"));
    let e = r.png(0, 0.0).expect_err("bad scale");
    assert_eq!(e.code(), 5007);
}

#[test]
fn numbers_are_exact_decimals() {
    // 0.1 × 3 = 0.30 exactly; with floats the sum of three lines of 0.1 would drift.
    let mut v = sample_value(DocumentKind::Invoice);
    v["items"] = json!([
        { "name": "A", "quantity": 3, "unit": "pcs", "price": 0.1, "vat_rate": 20 },
        { "name": "B", "quantity": "1", "unit": "pcs", "price": "0.1", "vat_rate": "20" },
        { "name": "C", "quantity": 1.0, "unit": "pcs", "price": "1e-1", "vat_rate": null },
    ]);
    v["currency"] = json!("USD");
    let doc = Document::from_value(DocumentKind::Invoice, v).expect("valid");
    let data = doc.prepare(Language::En).expect("prepare");
    assert_eq!(data["totals"]["net"], "0.50");
    assert_eq!(data["totals"]["vat"], "0.08");
    assert_eq!(data["totals"]["total"], "0.58");
    assert_eq!(data["totals"]["words_en"], "Zero US dollars and 58 cents");
    assert_eq!(data["totals"]["words_ru"], "Ноль долларов США 58 центов");
    assert_eq!(data["items"][2]["vat_rate"], Value::Null);
}

#[test]
fn user_templates_get_files_and_the_clock() {
    let template = Template::new(
        "#import \"/parts.typ\": greet\n#let d = json(\"/data.json\")\n#greet(d.who)\n\
         #datetime.today().display(\"[day].[month].[year]\")\n#datetime.today(offset: 20).display(\"[day].[month]\")\n\
         #read(\"/note.txt\")",
    )
    .with_file("/parts.typ", "#let greet(who) = [Hello, #who!]")
    .with_file("note.txt", "a *note*");
    let late = Utc
        .with_ymd_and_hms(2026, 12, 31, 23, 0, 0)
        .single()
        .expect("time");
    let r = render_source(
        &template,
        &json!({ "who": "#exit()" }),
        &RenderOptions::new(late),
    )
    .expect("render");
    let text = r.text();
    assert!(text.contains("Hello, #exit()!"), "{text}");
    assert!(
        text.contains("31.12.2026"),
        "today() is the caller's now, in UTC: {text}"
    );
    assert!(text.contains("01.01"), "an offset moves the date: {text}");
    assert!(text.contains("a *note*"), "{text}");
    // Packages and missing files fail with a position, offline.
    let e = render_source(
        &Template::new("\n#import \"@preview/x:0.1.0\": *"),
        &json!({}),
        &opts(Language::Ru),
    )
    .expect_err("no packages");
    assert!(matches!(e, Error::Template { line: Some(2), .. }), "{e:?}");
    let e = render_source(
        &Template::new("#image(\"/logo.png\")"),
        &json!({}),
        &opts(Language::Ru),
    )
    .expect_err("no file");
    assert!(
        matches!(
            e,
            Error::Template {
                line: Some(1),
                column: Some(8),
                ..
            }
        ),
        "{e:?}"
    );
}

#[test]
fn a_bundled_template_can_be_replaced() {
    let doc = Document::sample(DocumentKind::Invoice);
    let template = Template::new(
        "#import \"/voronka.typ\": *\n#show: setup.with(title-ru: \"Счёт\", title-en: \"Invoice\", number: data.number)\n\
         Custom invoice #data.number: #data.totals.total #data.currency.code\n#total-words(data)",
    );
    let r = render_with_template(&template, &doc, &opts(Language::En)).expect("render");
    let text = r.text();
    assert!(
        text.contains("Custom invoice INV-2026-00042: 14,820.00 EUR"),
        "{text}"
    );
    assert!(
        text.contains("Seven thousand four hundred ten euros and 00 cents"),
        "{text}"
    );
    // The bundled source is available as a starting point.
    assert!(
        DocumentKind::Invoice
            .template_source()
            .contains("/voronka.typ")
    );
    assert_eq!(
        Template::bundled(DocumentKind::Cmr).source(),
        DocumentKind::Cmr.template_source()
    );
}

/// The helpers of `/voronka.typ` follow the `lang` of whatever data is
/// rendered, and default to Russian without one, as `data.lang` says.
#[test]
fn the_helpers_follow_the_language_of_the_data() {
    let template = Template::new(
        "#import \"/voronka.typ\": *\n[#Li(\"Счёт\", \"Invoice\")] #(\"lang=\" + lang) #(\"note=\" + data.at(\"note\", default: \"-\"))",
    );
    let cases = [
        (json!({ "lang": "en", "note": "a" }), "Invoice", "en"),
        (json!({ "lang": "ru" }), "Счёт", "ru"),
        (json!({ "note": "b" }), "Счёт", "ru"),
        (json!({ "lang": "both" }), "Счёт /", "both"),
    ];
    for (data, label, lang) in cases {
        // The language of the options does not matter here: only the data's.
        let r = render_source(&template, &data, &opts(Language::En)).expect("render");
        let text = r.text().replace('\n', " ");
        assert!(text.contains(label), "{data}: {text}");
        assert_eq!(text.contains("Invoice"), lang != "ru", "{data}: {text}");
        assert!(text.contains(&format!("lang={lang}")), "{data}: {text}");
        let note = data.get("note").and_then(Value::as_str).unwrap_or("-");
        assert!(text.contains(&format!("note={note}")), "{data}: {text}");
    }
}

#[test]
fn document_kinds_round_trip_their_codes() {
    for kind in DocumentKind::ALL {
        assert_eq!(DocumentKind::from_code(kind.code()), Ok(kind));
        assert_eq!(kind.code().parse::<DocumentKind>(), Ok(kind));
        assert_eq!(Document::sample(kind).kind(), kind);
    }
}

#[test]
fn services_act_uses_service_wording() {
    let mut v = sample_value(DocumentKind::Act);
    v["subject"] = json!("services");
    let doc = Document::from_value(DocumentKind::Act, v).expect("valid");
    let text = render(&doc, &opts(Language::Both)).expect("render").text();
    assert!(text.contains("АКТ ОБ ОКАЗАНИИ УСЛУГ"), "{text}");
    assert!(text.contains("CERTIFICATE OF SERVICES RENDERED"), "{text}");
    assert!(text.contains("Исполнитель"), "{text}");
}

fn invoice_with_items(n: usize) -> Document {
    let mut v = sample_value(DocumentKind::Invoice);
    let first = v["items"][0].clone();
    v["items"] = Value::Array(
        (0..n)
            .map(|i| {
                let mut it = first.clone();
                it["name"] = json!(format!("Позиция {}", i + 1));
                it["name_en"] = json!(format!("Item {}", i + 1));
                it["quantity"] = json!(i + 1);
                it["price"] = json!("10.05");
                it
            })
            .collect(),
    );
    Document::from_value(DocumentKind::Invoice, v).expect("valid")
}

#[test]
fn twenty_line_invoice_timing() {
    let doc = invoice_with_items(20);
    let mut times = Vec::new();
    for _ in 0..3 {
        let started = std::time::Instant::now();
        let pdf = render(&doc, &opts(Language::Ru))
            .and_then(|r| r.pdf())
            .expect("render");
        times.push(started.elapsed().as_secs_f64() * 1e3);
        assert!(pdf.starts_with(b"%PDF-"));
    }
    times.sort_by(f64::total_cmp);
    eprintln!(
        "20-line invoice, render + PDF: median {:.0} ms of {times:?} (this build profile)",
        times[1]
    );
    // 1 + 2 + … + 20 = 210 units × 10.05 = 2 110.50 + 0 % VAT.
    let data = doc.prepare(Language::Ru).expect("prepare");
    assert_eq!(data["totals"]["total"], "2\u{a0}110,50");
}

/// The number reaches the footer of every page (through a metadata element,
/// not a style) and the PDF's title (set after the body).
#[test]
fn document_number_in_every_footer_and_in_the_pdf_title() {
    let doc = invoice_with_items(80);
    let r = render(&doc, &opts(Language::En)).expect("render");
    assert!(r.page_count() >= 3, "{} pages", r.page_count());
    let text = r.text();
    // The title block has "No. INV-…"; each footer has "Invoice INV-…".
    assert_eq!(
        text.matches("Invoice INV-2026-00042").count(),
        r.page_count(),
        "{text}"
    );
    let pdf = r.pdf().expect("pdf");
    let title = b"<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">Invoice INV-2026-00042<";
    assert!(
        pdf.windows(title.len()).any(|w| w == title),
        "the XMP title of the PDF"
    );
}

#[test]
fn long_tables_break_across_pages_with_repeated_headers() {
    let r = render(&invoice_with_items(80), &opts(Language::En)).expect("render");
    assert!(r.page_count() >= 3, "{} pages", r.page_count());
    let text = r.text();
    // The header on every page of the table; the last page may hold only the due
    // date and the signatures, which stay together.
    let headers = text.matches("Description of goods").count();
    assert!(
        headers == r.page_count() || headers + 1 == r.page_count(),
        "{headers} headers on {} pages",
        r.page_count()
    );
    assert!(text.contains("Item 80"));
    let last = r
        .png(r.page_count() - 1, 0.5)
        .expect("png of the last page");
    assert!(last.starts_with(b"\x89PNG"));
}

#[test]
fn rendered_documents_can_cross_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<voronka_docs::Rendered>();
    assert_send_sync::<Document>();
    let handles: Vec<_> = [Language::Ru, Language::En]
        .into_iter()
        .map(|lang| {
            std::thread::spawn(move || {
                render(&Document::sample(DocumentKind::Act), &opts(lang)).and_then(|r| r.pdf())
            })
        })
        .collect();
    let mut pdfs = Vec::new();
    for h in handles {
        pdfs.push(h.join().expect("thread").expect("render"));
    }
    let again = render(&Document::sample(DocumentKind::Act), &opts(Language::Ru))
        .and_then(|r| r.pdf())
        .expect("render");
    assert!(
        pdfs[0] == again,
        "concurrent rendering gives the same bytes"
    );
}

#[test]
fn typed_data_round_trips_through_json() {
    for kind in DocumentKind::ALL {
        let doc = Document::sample(kind);
        let json = match &doc {
            Document::CommercialOffer(d) => serde_json::to_string(d),
            Document::Cmr(d) => serde_json::to_string(d),
            Document::Invoice(d) => serde_json::to_string(d),
            Document::PackingList(d) => serde_json::to_string(d),
            Document::Act(d) => serde_json::to_string(d),
            Document::Specification(d) => serde_json::to_string(d),
            Document::Waybill(d) => serde_json::to_string(d),
            other => panic!("unexpected {other:?}"),
        }
        .expect("serialize");
        assert_eq!(
            Document::from_json(kind, &json).expect("deserialize"),
            doc,
            "{kind}"
        );
    }
}

#[test]
fn long_unbroken_values_still_render() {
    let mut v = sample_value(DocumentKind::Invoice);
    v["items"][0]["name"] = json!("X".repeat(300));
    v["items"][0]["name_en"] = Value::Null;
    v["buyer"]["address"] = json!("Y".repeat(200));
    let doc = Document::from_value(DocumentKind::Invoice, v).expect("valid");
    for lang in LANGS {
        let r = render(&doc, &opts(lang)).expect("render");
        let text = r.text();
        assert!(text.contains("XXXXXXXXXX"), "{lang:?}");
        // The template offers break opportunities inside the long token.
        assert!(
            text.contains("XXXXXXXXXXXX\u{200B}XXXXXXXXXXXX"),
            "{lang:?}"
        );
    }
}
