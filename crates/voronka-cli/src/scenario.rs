//! The eco-packaging demo script: a bakery chain's website request becomes a won deal.
//!
//! case: L1–L7, D1–D13, D8 (only the head enters prepayment), D12 (postponed and back).

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use serde_json::{Value, json};
use voronka::{Action, ErrorCode, Lang};

use crate::demo::{Expect, Person, Scenario, Step, Subject, When};

/// The website form: an inbound channel.
static WEBSITE: Person = Person {
    id: "web-form",
    name: ("Website form", "Форма на сайте"),
    roles: &["integration"],
};
/// The sales manager responsible for the lead and the deal.
static ANNA: Person = Person {
    id: "u-anna",
    name: ("Anna Petrova", "Анна Петрова"),
    roles: &["manager"],
};
/// The head of the sales department.
static OLEG: Person = Person {
    id: "u-oleg",
    name: ("Oleg Ivanov", "Олег Иванов"),
    roles: &["head"],
};
/// The accountant.
static MARIA: Person = Person {
    id: "u-maria",
    name: ("Maria Kuznetsova", "Мария Кузнецова"),
    roles: &["accountant"],
};

fn fields(value: Value) -> BTreeMap<String, Value> {
    match value {
        Value::Object(map) => map.into_iter().collect(),
        _ => BTreeMap::new(),
    }
}

fn create(pipeline: &str, id: &str, values: Value) -> Action {
    Action::Create {
        id: id.into(),
        pipeline: pipeline.into(),
        stage: None,
        responsible: Some(ANNA.id.into()),
        fields: fields(values),
    }
}

fn set(values: Value) -> Action {
    Action::SetFields {
        fields: fields(values),
    }
}

fn move_to(to: &str, values: Value) -> Action {
    Action::Move {
        to: to.into(),
        fields: fields(values),
        override_reason: None,
    }
}

fn minutes(n: i64) -> When {
    When::After(TimeDelta::minutes(n))
}

fn hours(n: i64) -> When {
    When::After(TimeDelta::hours(n))
}

/// `n` days later at `hour:minute` UTC.
fn on(n: u32, hour: u32, minute: u32) -> When {
    When::DaysLaterAt(n, hour, minute)
}

/// Collects steps; `t(en, ru)` picks the text of the demo's language.
struct Script {
    lang: Lang,
    steps: Vec<Step>,
}

impl Script {
    fn t(&self, en: &str, ru: &str) -> String {
        self.lang.pick(en, ru).to_string()
    }

    fn section(&mut self, en: &str, ru: &str) {
        let title = self.t(en, ru);
        self.steps.push(Step::Section(title));
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        when: When,
        who: &'static Person,
        subject: Subject,
        say: (&str, &str),
        action: Action,
        expect: Expect,
    ) {
        let say = self.t(say.0, say.1);
        self.steps.push(Step::Command {
            when,
            who,
            subject,
            say,
            action,
            expect,
        });
    }

    fn ok(
        &mut self,
        when: When,
        who: &'static Person,
        subject: Subject,
        say: (&str, &str),
        action: Action,
    ) {
        self.push(when, who, subject, say, action, Expect::Accepted);
    }

    /// First try the move without its fields: rejected, listing what is missing.
    fn try_bare(&mut self, when: When, who: &'static Person, subject: Subject, to: &str) {
        self.push(
            when,
            who,
            subject,
            (
                "First try: move without filling anything in.",
                "Первая попытка: перевод без заполнения полей.",
            ),
            move_to(to, json!({})),
            Expect::Rejected(ErrorCode::MissingFields),
        );
    }
}

/// The demo script in `lang` (values such as names and addresses follow the language).
pub(crate) fn eco_packaging(lang: Lang) -> Scenario {
    use Subject::{Deal, Lead};
    let mut s = Script {
        lang,
        steps: Vec::new(),
    };
    let t = |en: &str, ru: &str| lang.pick(en, ru).to_string();

    let company_full = t(
        "Severnaya Pekarnya Limited Liability Company",
        "Общество с ограниченной ответственностью «Северная пекарня»",
    );
    let company_short = t("Severnaya Pekarnya LLC", "ООО «Северная пекарня»");
    let city = t("Saint Petersburg", "Санкт-Петербург");
    let country = t("Russia", "Россия");
    let decision_maker = json!({
        "last": t("Smirnov", "Смирнов"),
        "first": t("Alexey", "Алексей"),
        "middle": t("Petrovich", "Петрович"),
    });

    // ── Lead funnel ─────────────────────────────────────────────────────────────
    s.section("Lead funnel", "Воронка лидов");
    s.ok(
        minutes(0),
        &WEBSITE,
        Lead,
        (
            "L1. A visitor sends the request form on the website; the lead arrives with its source channel.",
            "L1. Посетитель отправляет форму заявки на сайте; лид поступает с указанием канала.",
        ),
        create(
            "leads",
            "lead-1001",
            json!({
                "source": "website",
                "contact_name": t("Irina Sokolova", "Ирина Соколова"),
                "contact_email": "I.Sokolova@SevPekarnya.ru",
                "contact_phone": "+7 (812) 407-15-32",
                "request": t(
                    "We need kraft bags with a window for bread and paper cups for our coffee corners, about 20,000 a month.",
                    "Нужны крафт-пакеты с окном для хлеба и бумажные стаканы для кофе-точек, около 20 000 в месяц."
                ),
            }),
        ),
    );
    s.ok(
        minutes(25),
        &ANNA,
        Lead,
        (
            "L2. The manager takes the lead for the pre-sale call.",
            "L2. Менеджер берёт лид в работу для предпродажного звонка.",
        ),
        move_to("cold_call", json!({})),
    );
    s.try_bare(hours(1), &ANNA, Lead, "intro_call");
    s.ok(
        minutes(5),
        &ANNA,
        Lead,
        (
            "L3. The call is made: the client runs a chain of bakeries.",
            "L3. Звонок состоялся: клиент — сеть пекарен.",
        ),
        move_to("intro_call", json!({ "activity": "food_production" })),
    );
    s.try_bare(hours(3), &ANNA, Lead, "processing");
    s.ok(
        minutes(20),
        &ANNA,
        Lead,
        (
            "L4. The manager fills in the company and decision maker's details.",
            "L4. Менеджер заполняет реквизиты компании и данные ЛПР.",
        ),
        move_to(
            "processing",
            json!({
                "company_full_name": company_full,
                "company_short_name": company_short,
                "decision_maker": decision_maker,
                "company_phone": "+7 812 407-15-00",
                "company_email": "info@sevpekarnya.ru",
                "decision_maker_phone": "+7 921 555-34-12",
                "decision_maker_email": "a.smirnov@sevpekarnya.ru",
                "company_address": {
                    "country": country,
                    "city": city,
                    "street": t("23 Professora Popova St.", "ул. Профессора Попова, д. 23"),
                    "postal_code": "197022",
                },
                "decision_maker_address": {
                    "country": country,
                    "city": city,
                    "street": t("42 Kamennoostrovsky Ave., office 15", "Каменноостровский пр-т, д. 42, оф. 15"),
                    "postal_code": "197022",
                },
                "website": "https://SevPekarnya.ru",
            }),
        ),
    );
    s.ok(
        minutes(10),
        &ANNA,
        Lead,
        (
            "L5. Qualification check: “Is this a qualified lead?” Yes.",
            "L5. Проверка квалификации: «Это качественный лид?» Да.",
        ),
        set(json!({ "qualified": true })),
    );
    s.try_bare(minutes(2), &ANNA, Lead, "finished");
    s.ok(
        minutes(1),
        &ANNA,
        Lead,
        (
            "L7. Processing finished: the lead is converted into a contact, a company and a deal.",
            "L7. Обработка завершена: лид конвертирован в контакт, компанию и сделку.",
        ),
        move_to("finished", json!({ "processing_result": "converted" })),
    );

    // ── Deal funnel ─────────────────────────────────────────────────────────────
    s.section("Deal funnel", "Воронка сделок");
    s.ok(
        minutes(1),
        &ANNA,
        Deal,
        (
            "D1. The deal created by the conversion starts in “establish contact”.",
            "D1. Сделка, созданная конвертацией, начинается с установления контакта.",
        ),
        create(
            "deals",
            "deal-2001",
            json!({
                "client_name": decision_maker,
                "client_email": "a.smirnov@sevpekarnya.ru",
                "client_phone": "+7 921 555-34-12",
                "company_name": company_short,
            }),
        ),
    );
    s.try_bare(on(1, 10, 0), &ANNA, Deal, "offer");
    s.ok(
        minutes(30),
        &ANNA,
        Deal,
        (
            "D2. The manager fills in the client's details and the offer; the offer goes to the client.",
            "D2. Менеджер заполняет данные клиента и позиции КП; предложение уходит клиенту.",
        ),
        move_to(
            "offer",
            json!({
                "company_type": "manufacturer",
                "website": "https://sevpekarnya.ru",
                "delivery_address": {
                    "country": country,
                    "city": city,
                    "street": t("150 Piskaryovsky Ave., warehouse 3", "Пискарёвский пр-т, д. 150, склад 3"),
                    "postal_code": "195273",
                },
                "offer_items": [
                    {
                        "name": t("Kraft bag with window 250×80×320 mm", "Крафт-пакет с окном 250×80×320 мм"),
                        "quantity": "20000",
                        "unit": t("pcs", "шт."),
                        "price": "9.40",
                        "vat_rate": "20",
                    },
                    {
                        "name": t("Paper cup 300 ml, double wall", "Бумажный стакан 300 мл, двойная стенка"),
                        "quantity": "10000",
                        "unit": t("pcs", "шт."),
                        "price": "6.15",
                        "vat_rate": "20",
                    },
                ],
                "offer_valid_until": "2026-12-31",
            }),
        ),
    );
    s.ok(
        on(2, 11, 30),
        &ANNA,
        Deal,
        (
            "D3. The client received the offer; negotiation starts.",
            "D3. Клиент получил предложение; начинаются переговоры.",
        ),
        move_to("negotiation", json!({})),
    );
    s.ok(
        hours(2),
        &ANNA,
        Deal,
        (
            "D3 → D12. “Did you reach the client?” Yes: postponed until the new budget year.",
            "D3 → D12. «Дозвонились до клиента?» Да: отложено до нового бюджетного года.",
        ),
        move_to(
            "postponed",
            json!({
                "next_contact_date": "2027-01-12",
                "negotiation_comment": t(
                    "The budget for packaging is approved in January; call back after the holidays.",
                    "Бюджет на упаковку утверждают в январе; перезвонить после праздников."
                ),
            }),
        ),
    );
    s.ok(
        on(40, 10, 0),
        &ANNA,
        Deal,
        (
            "D12. On the agreed date the client is ready: the deal returns to the stage it left.",
            "D12. В назначенную дату клиент готов: сделка возвращается на этап, с которого ушла.",
        ),
        move_to("negotiation", json!({})),
    );
    s.try_bare(hours(3), &ANNA, Deal, "samples_prep");
    s.ok(
        minutes(15),
        &ANNA,
        Deal,
        (
            "D4. The sample parameters agreed with the client.",
            "D4. Параметры образцов согласованы с клиентом.",
        ),
        move_to(
            "samples_prep",
            json!({
                "sample_dimensions": t("250×80×320 mm", "250×80×320 мм"),
                "fastening_type": "glue",
                "sample_quantity": 50,
                "sample_material": "kraft",
                "sample_print": true,
            }),
        ),
    );
    s.ok(
        on(3, 12, 0),
        &ANNA,
        Deal,
        (
            "D5. Samples shipped by courier.",
            "D5. Образцы отправлены курьерской службой.",
        ),
        move_to(
            "samples_sent",
            json!({ "sample_tracking": t("CDEK 1487 2235 09", "СДЭК 1487 2235 09") }),
        ),
    );
    s.ok(
        on(7, 10, 15),
        &ANNA,
        Deal,
        (
            "D5. Weekly question “Did the client receive the samples?” Yes, and who confirmed.",
            "D5. Еженедельный вопрос «Клиент получил образцы?» Да, и кто подтвердил.",
        ),
        set(json!({
            "samples_received_by": {
                "last": t("Sokolova", "Соколова"),
                "first": t("Irina", "Ирина"),
            },
        })),
    );
    s.ok(
        on(2, 15, 0),
        &ANNA,
        Deal,
        (
            "D6. Feedback: to production.",
            "D6. Обратная связь: в производство.",
        ),
        move_to(
            "feedback",
            json!({
                "feedback": "production",
                "feedback_comment": t(
                    "The bag holds a 1 kg loaf well; the logo print is approved.",
                    "Пакет хорошо держит буханку 1 кг; печать логотипа одобрена."
                ),
            }),
        ),
    );
    s.ok(
        on(1, 11, 0),
        &ANNA,
        Deal,
        (
            "D7. Documents prepared and attached for approval.",
            "D7. Документы подготовлены и приложены на согласование.",
        ),
        move_to(
            "contract",
            json!({
                "contract_number": t("SP-2027/014", "СП-2027/014"),
                "contract_date": "2027-01-26",
                "contract_files": [
                    { "id": "file-301", "name": t("supply-contract-SP-2027-014.pdf", "договор-поставки-СП-2027-014.pdf") },
                ],
            }),
        ),
    );
    s.push(
        on(1, 10, 0),
        &ANNA,
        Deal,
        (
            "D8. The manager tries to move the deal to prepayment: only the head may.",
            "D8. Менеджер пытается перевести сделку на предоплату: это может только руководитель.",
        ),
        move_to(
            "prepayment",
            json!({
                "packaging_type": "bag",
                "cost": { "amount": "250500", "currency": "RUB" },
                "prepayment_percent": "50",
            }),
        ),
        Expect::Rejected(ErrorCode::NotPermitted),
    );
    s.try_bare(minutes(30), &OLEG, Deal, "prepayment");
    s.ok(
        minutes(5),
        &OLEG,
        Deal,
        (
            "D8. The head approves the contract and moves on before the prepayment share is agreed: an audited override.",
            "D8. Руководитель утверждает договор и переводит сделку до согласования доли предоплаты: переход в обход требований с обоснованием.",
        ),
        Action::Move {
            to: "prepayment".into(),
            fields: fields(json!({
                "packaging_type": "bag",
                "cost": { "amount": "250500", "currency": "RUB" },
            })),
            override_reason: Some(t(
                "Contract signed; the director is agreeing the prepayment share with the client today.",
                "Договор подписан; директор сегодня согласует с клиентом долю предоплаты.",
            )),
        },
    );
    s.ok(
        hours(3),
        &ANNA,
        Deal,
        (
            "D8. The prepayment share is agreed and filled in.",
            "D8. Доля предоплаты согласована и заполнена.",
        ),
        set(json!({ "prepayment_percent": "50" })),
    );
    s.ok(
        on(2, 9, 30),
        &ANNA,
        Deal,
        (
            "D9. Prepayment received: the order goes to production.",
            "D9. Предоплата получена: заказ уходит в производство.",
        ),
        move_to(
            "production",
            json!({
                "production_request_due": "2027-02-10",
                "order_items": [
                    {
                        "name": t("Kraft bag with window 250×80×320 mm, logo print", "Крафт-пакет с окном 250×80×320 мм, печать логотипа"),
                        "quantity": "20000",
                        "unit": t("pcs", "шт."),
                        "price": "9.90",
                        "vat_rate": "20",
                        "weight": "0.012",
                    },
                    {
                        "name": t("Paper cup 300 ml, double wall", "Бумажный стакан 300 мл, двойная стенка"),
                        "quantity": "10000",
                        "unit": t("pcs", "шт."),
                        "price": "5.25",
                        "vat_rate": "20",
                        "weight": "0.009",
                    },
                ],
            }),
        ),
    );
    s.ok(
        on(14, 14, 0),
        &ANNA,
        Deal,
        (
            "D10. The order is made and shipped; the scans of the shipping documents are attached.",
            "D10. Заказ изготовлен и отгружен; сканы отгрузочных документов приложены.",
        ),
        move_to(
            "shipment",
            json!({
                "shipping_scans": [
                    { "id": "file-411", "name": "CMR-0217.pdf" },
                    { "id": "file-412", "name": t("invoice-0217.pdf", "счёт-фактура-0217.pdf") },
                    { "id": "file-413", "name": t("packing-list-0217.pdf", "упаковочный-лист-0217.pdf") },
                ],
            }),
        ),
    );
    s.ok(
        on(1, 10, 0),
        &ANNA,
        Deal,
        (
            "D11. Waiting for the final payment; the due date is recorded.",
            "D11. Ожидание окончательной оплаты; срок оплаты записан.",
        ),
        move_to("payment", json!({ "payment_due_date": "2027-03-10" })),
    );
    s.ok(
        on(12, 16, 0),
        &MARIA,
        Deal,
        (
            "D11. The accountant confirms the payment.",
            "D11. Бухгалтер подтверждает оплату.",
        ),
        set(json!({ "payment_received": true })),
    );
    s.ok(
        minutes(40),
        &ANNA,
        Deal,
        (
            "D13. All stages passed: the deal is won.",
            "D13. Все этапы пройдены: сделка выиграна.",
        ),
        move_to("won", json!({})),
    );

    Scenario {
        start: start(),
        steps: s.steps,
    }
}

/// Monday 30 November 2026, 09:00 UTC: where the simulated clock starts.
fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 9, 0, 0)
        .single()
        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
}
