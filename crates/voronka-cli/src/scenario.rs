//! The eco-packaging demo script: a bakery chain's website request becomes a won deal.
//!
//! case: L1–L7 (the L5 conversion with the host's duplicate look-up), D1–D13 with their
//! automations: D3's call loop, D5's weekly question, D6 → production, D7's parallel tasks and
//! the head's approval, D8 (only the head enters prepayment), D9's two e-mails, D10's five
//! documents and the scans e-mail, D11's due date and reminder, D12 (postponed and back).

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use serde_json::{Value, json};
use voronka::{Action, ErrorCode, Lang};

use crate::demo::{Expect, Person, Scenario, Step, When};

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
    id: "u-boris",
    name: ("Boris Kotov", "Борис Котов"),
    roles: &["head"],
};
/// The head of the sales division, above the department's head.
static GALINA: Person = Person {
    id: "u-galina",
    name: ("Galina Orlova", "Галина Орлова"),
    roles: &["head"],
};
/// Another sales manager of the department.
static IVAN: Person = Person {
    id: "u-ivan",
    name: ("Ivan Petrov", "Иван Петров"),
    roles: &["manager"],
};
/// The director.
static DMITRY: Person = Person {
    id: "u-dmitry",
    name: ("Dmitry Volkov", "Дмитрий Волков"),
    roles: &["director"],
};
/// The host system: it ticks the records when their timers are due.
static HOST: Person = Person {
    id: "system",
    name: ("CRM (host)", "CRM (хост)"),
    roles: &[],
};
/// The accountant.
static MARIA: Person = Person {
    id: "u-vera",
    name: ("Vera Zaitseva", "Вера Зайцева"),
    roles: &["accountant"],
};

/// The example org structure (`examples/eco-packaging/org.json`) the demo's host passes with
/// every command.
pub(crate) fn org() -> voronka::Org {
    serde_json::from_str(include_str!("../../../examples/eco-packaging/org.json"))
        .unwrap_or_default()
}

fn fields(value: Value) -> BTreeMap<String, Value> {
    match value {
        Value::Object(map) => map.into_iter().collect(),
        _ => BTreeMap::new(),
    }
}

/// Completes the record's open task of this code, with these answers.
fn complete(code: &str, answers: Value) -> Action {
    Action::CompleteTask {
        task: format!("@{code}"),
        answers: fields(answers),
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

/// `n` minutes after the earliest pending timer fires.
fn after_timer(n: i64) -> When {
    When::AfterNextDue(TimeDelta::minutes(n))
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
        subject: &'static str,
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
        subject: &'static str,
        say: (&str, &str),
        action: Action,
    ) {
        self.push(when, who, subject, say, action, Expect::Accepted);
    }

    /// First try the move without its fields: rejected, listing what is missing.
    fn try_bare(&mut self, when: When, who: &'static Person, subject: &'static str, to: &str) {
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

/// The lead's id.
const LEAD: &str = "lead-1001";
/// The deal the lead's conversion creates (the core names it after the lead).
const DEAL: &str = "lead-1001-deal";

/// The demo script in `lang` (values such as names and addresses follow the language).
pub(crate) fn eco_packaging(lang: Lang) -> Scenario {
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
        LEAD,
        (
            "L1. A visitor sends the request form on the website; the lead arrives with its channel, the responsible users are notified.",
            "L1. Посетитель отправляет форму заявки на сайте; лид поступает с указанием канала, ответственные получают уведомление.",
        ),
        Action::CaptureLead {
            id: LEAD.into(),
            channel: "website".into(),
            fields: fields(json!({
                "contact_name": t("Irina Sokolova", "Ирина Соколова"),
                "contact_email": "I.Sokolova@SevPekarnya.ru",
                "contact_phone": "+7 (812) 407-15-32",
                "request": t(
                    "We need kraft bags with a window for bread and paper cups for our coffee corners, about 20,000 a month.",
                    "Нужны крафт-пакеты с окном для хлеба и бумажные стаканы для кофе-точек, около 20 000 в месяц."
                ),
            })),
            responsible: Some(ANNA.id.into()),
        },
    );
    s.ok(
        minutes(25),
        &ANNA,
        LEAD,
        (
            "L2. The manager takes the lead: the pre-sale call task appears.",
            "L2. Менеджер берёт лид в работу: появляется задача на предпродажный звонок.",
        ),
        move_to("cold_call", json!({})),
    );
    s.try_bare(hours(1), &ANNA, LEAD, "intro_call");
    s.ok(
        minutes(5),
        &ANNA,
        LEAD,
        ("L2. The call is made.", "L2. Звонок совершён."),
        complete("pre_sale_call", json!({})),
    );
    s.ok(
        minutes(1),
        &ANNA,
        LEAD,
        (
            "L3. The client runs a chain of bakeries.",
            "L3. Клиент — сеть пекарен.",
        ),
        move_to("intro_call", json!({ "activity": "food_production" })),
    );
    s.try_bare(hours(3), &ANNA, LEAD, "processing");
    s.ok(
        minutes(20),
        &OLEG,
        LEAD,
        (
            "L4. The head moves the lead on before the decision maker's postal address is known: an audited override. The qualification check (L5) starts.",
            "L4. Руководитель переводит лид дальше, пока почтовый адрес ЛПР неизвестен: переход в обход требований с обоснованием. Запускается проверка качества (L5).",
        ),
        Action::Move {
            to: "processing".into(),
            fields: fields(json!({
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
                "website": "https://SevPekarnya.ru",
            })),
            override_reason: Some(t(
                "The decision maker gives his address at tomorrow's meeting; the client is ready to talk now.",
                "ЛПР сообщит адрес на завтрашней встрече; клиент готов к разговору уже сейчас.",
            )),
        },
    );
    s.ok(
        on(1, 10, 0),
        &ANNA,
        LEAD,
        (
            "L4. The decision maker's address is filled in after the meeting.",
            "L4. Адрес ЛПР заполнен после встречи.",
        ),
        set(json!({
            "decision_maker_address": {
                "country": country,
                "city": city,
                "street": t("42 Kamennoostrovsky Ave., office 15", "Каменноостровский пр-т, д. 42, оф. 15"),
                "postal_code": "197022",
            },
        })),
    );
    s.ok(
        minutes(10),
        &ANNA,
        LEAD,
        (
            "L5. “Is this a qualified lead?” Yes: the conversion asks the host for existing contacts and companies.",
            "L5. «Это качественный лид?» Да: конвертация запрашивает у хоста существующие контакты и компании.",
        ),
        complete("qualify", json!({ "qualified": true })),
    );
    s.ok(
        minutes(1),
        &ANNA,
        LEAD,
        (
            "L5. The CRM looks up duplicates in the manager's session and finds none: a contact, a company and a deal are created; the lead's processing is finished (L7).",
            "L5. CRM ищет дубликаты в сеансе менеджера и не находит: создаются контакт, компания и сделка; обработка лида завершена (L7).",
        ),
        Action::ResolveDuplicates {
            contact: None,
            company: None,
        },
    );

    // ── Deal funnel ─────────────────────────────────────────────────────────────
    s.section("Deal funnel", "Воронка сделок");
    s.ok(
        hours(1),
        &ANNA,
        DEAL,
        (
            "D1. The manager calls the potential client.",
            "D1. Менеджер звонит потенциальному клиенту.",
        ),
        complete("call_client", json!({})),
    );
    s.try_bare(minutes(5), &ANNA, DEAL, "offer");
    s.ok(
        minutes(20),
        &ANNA,
        DEAL,
        (
            "D2. The client's details are filled in: the offer task appears.",
            "D2. Данные клиента заполнены: появляется задача на коммерческое предложение.",
        ),
        move_to(
            "offer",
            json!({
                "company_type": "manufacturer",
                "delivery_address": {
                    "country": country,
                    "city": city,
                    "street": t("150 Piskaryovsky Ave., warehouse 3", "Пискарёвский пр-т, д. 150, склад 3"),
                    "postal_code": "195273",
                },
            }),
        ),
    );
    s.ok(
        hours(2),
        &ANNA,
        DEAL,
        (
            "D2. The manager fills in the offer: the commercial offer is generated and e-mailed to the client.",
            "D2. Менеджер заполняет КП: коммерческое предложение формируется и уходит клиенту письмом.",
        ),
        complete(
            "offer_fields",
            json!({
                "offer_items": [
                    {
                        "name": t("Kraft bag with window 250×80×320 mm", "Крафт-пакет с окном 250×80×320 мм"),
                        "quantity": "20000",
                        "unit": t("pcs", "шт."),
                        "price": "9.40",
                        "vat_rate": "20",
                        "weight": "0.012",
                    },
                    {
                        "name": t("Paper cup 300 ml, double wall", "Бумажный стакан 300 мл, двойная стенка"),
                        "quantity": "10000",
                        "unit": t("pcs", "шт."),
                        "price": "6.15",
                        "vat_rate": "20",
                        "weight": "0.009",
                    },
                ],
                "offer_valid_until": "2026-12-31",
                "payment_terms": t(
                    "50% prepayment, 50% before shipment",
                    "50 % предоплата, 50 % перед отгрузкой"
                ),
            }),
        ),
    );
    s.ok(
        on(1, 10, 0),
        &ANNA,
        DEAL,
        (
            "D3. Negotiation starts: the “Call” task appears.",
            "D3. Начинаются переговоры: появляется задача «Звонок».",
        ),
        move_to("negotiation", json!({})),
    );
    s.ok(
        hours(3),
        &ANNA,
        DEAL,
        (
            "D3. “Did you reach the client?” No: the call is asked again two business days later.",
            "D3. «Удалось ли связаться с клиентом?» Нет: звонок повторится через два рабочих дня.",
        ),
        complete("call", json!({ "reached": false })),
    );
    s.ok(
        after_timer(90),
        &ANNA,
        DEAL,
        (
            "D3. Reached: the client is comparing offers, “Waiting”; the deal stays in negotiation.",
            "D3. Дозвонились: клиент сравнивает предложения, «Ожидание»; сделка остаётся на переговорах.",
        ),
        complete(
            "call",
            json!({
                "reached": true,
                "outcome": "waiting",
                "comment": t("Comparing with two other suppliers.", "Сравнивает с двумя другими поставщиками."),
            }),
        ),
    );
    s.ok(
        after_timer(120),
        &ANNA,
        DEAL,
        (
            "D3 → D12. Reached: the budget is approved in January, “Postponed”.",
            "D3 → D12. Дозвонились: бюджет утверждают в январе, «Отложенные».",
        ),
        complete(
            "call",
            json!({
                "reached": true,
                "outcome": "postponed",
                "comment": t(
                    "The budget for packaging is approved in January; call back after the holidays.",
                    "Бюджет на упаковку утверждают в январе; перезвонить после праздников."
                ),
            }),
        ),
    );
    s.ok(
        minutes(10),
        &ANNA,
        DEAL,
        (
            "D12. The manager gives the date to contact the client again.",
            "D12. Менеджер указывает дату, когда снова связаться с клиентом.",
        ),
        complete(
            "postponed_call",
            json!({ "next_contact_date": "2027-01-12" }),
        ),
    );
    s.ok(
        after_timer(7 * 60),
        &ANNA,
        DEAL,
        (
            "D12. On that date the reminder task appears; the client is ready.",
            "D12. В этот день появляется задача-напоминание; клиент готов.",
        ),
        complete("contact_again", json!({})),
    );
    s.ok(
        minutes(30),
        &ANNA,
        DEAL,
        (
            "D12. The deal returns to the stage it left: a new “Call” task.",
            "D12. Сделка возвращается на этап, с которого ушла: новая задача «Звонок».",
        ),
        move_to("negotiation", json!({})),
    );
    s.try_bare(hours(3), &ANNA, DEAL, "samples_prep");
    s.ok(
        minutes(15),
        &ANNA,
        DEAL,
        (
            "D4. The sample parameters are agreed: the open call is cancelled, the samples task carries the values.",
            "D4. Параметры образцов согласованы: открытый звонок отменяется, задача на образцы содержит значения полей.",
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
        on(2, 12, 0),
        &ANNA,
        DEAL,
        ("D4. The samples are ready.", "D4. Образцы готовы."),
        complete("prepare_samples", json!({})),
    );
    s.ok(
        minutes(30),
        &ANNA,
        DEAL,
        (
            "D5. The samples are shipped by courier: the weekly question is planned.",
            "D5. Образцы отправлены курьером: запланирован еженедельный вопрос.",
        ),
        move_to(
            "samples_sent",
            json!({ "sample_tracking": t("CDEK 1487 2235 09", "СДЭК 1487 2235 09") }),
        ),
    );
    s.ok(
        after_timer(3 * 60),
        &ANNA,
        DEAL,
        (
            "D5. A week later: “Did the client receive the samples?” No, the parcel is at the sorting centre.",
            "D5. Через неделю: «Получил ли клиент образцы?» Нет, посылка в сортировочном центре.",
        ),
        complete(
            "ask_received",
            json!({
                "received": false,
                "parcel_location": t("CDEK sorting centre, Saint Petersburg", "Сортировочный центр СДЭК, Санкт-Петербург"),
            }),
        ),
    );
    s.ok(
        after_timer(2 * 60),
        &ANNA,
        DEAL,
        (
            "D5. Another week: yes, and who confirmed it; the weekly question stops.",
            "D5. Ещё неделя: да, и кто подтвердил; еженедельный вопрос прекращается.",
        ),
        complete(
            "ask_received",
            json!({
                "received": true,
                "received_by": { "last": t("Sokolova", "Соколова"), "first": t("Irina", "Ирина") },
            }),
        ),
    );
    s.ok(
        minutes(30),
        &ANNA,
        DEAL,
        (
            "D6. Waiting for the client's feedback: the “Feedback” task appears.",
            "D6. Ожидание обратной связи клиента: появляется задача «Обратная связь».",
        ),
        move_to("feedback", json!({})),
    );
    s.ok(
        on(1, 15, 0),
        &ANNA,
        DEAL,
        (
            "D6. Feedback: to production; the deal moves to contract signing, two tasks run in parallel.",
            "D6. Обратная связь: в производство; сделка переходит к подписанию договора, две задачи идут параллельно.",
        ),
        complete(
            "feedback",
            json!({
                "decision": "production",
                "comment": t(
                    "The bag holds a 1 kg loaf well; the logo print is approved.",
                    "Пакет хорошо держит буханку 1 кг; печать логотипа одобрена."
                ),
            }),
        ),
    );
    s.push(
        on(3, 10, 0),
        &ANNA,
        DEAL,
        (
            "D8. The manager tries to skip ahead to prepayment: only the head may enter it.",
            "D8. Менеджер пытается сразу перейти к предоплате: на этот этап переводит только руководитель.",
        ),
        move_to("prepayment", json!({})),
        Expect::Rejected(ErrorCode::NotPermitted),
    );
    for item in 0..3 {
        s.ok(
            minutes(if item == 0 { 30 } else { 10 }),
            &ANNA,
            DEAL,
            (
                "D7. A document of the checklist is ready.",
                "D7. Документ из чек-листа готов.",
            ),
            Action::CheckItem {
                task: "@prepare_documents".into(),
                item,
                done: true,
            },
        );
    }
    s.ok(
        minutes(5),
        &ANNA,
        DEAL,
        (
            "D7. The buyer's requisites for the contract and the documents, checked as they are entered (INN and OGRN check digits, the account's key against the BIK).",
            "D7. Реквизиты покупателя для договора и документов, проверяются при вводе (контрольные цифры ИНН и ОГРН, ключ счёта по БИК).",
        ),
        set(json!({
            "company_inn": "1656123456",
            "company_kpp": "165601001",
            "company_ogrn": "1161690123451",
            "company_legal_address": { "country": "RU", "city": t("Kazan", "Казань"), "street": t("Pushkina St. 12, office 4", "ул. Пушкина, д. 12, оф. 4"), "postal_code": "420111" },
            "company_bank_name": t("Bank of Tatarstan branch No. 8610, PJSC Sberbank", "Отделение «Банк Татарстан» № 8610 ПАО Сбербанк"),
            "company_bik": "049205603",
            "company_account": "40702810462000012345",
            "company_correspondent_account": "30101810600000000603",
            "client_position": t("General Director", "Генеральный директор"),
            "client_basis": t("the Charter", "Устава"),
        })),
    );
    s.ok(
        minutes(20),
        &ANNA,
        DEAL,
        (
            "D7. The documents are prepared and attached, with the contract and the order's terms.",
            "D7. Документы подготовлены и приложены, с договором и условиями заказа.",
        ),
        complete(
            "prepare_documents",
            json!({
                "contract_number": t("SP-2027/014", "СП-2027/014"),
                "contract_date": "2027-02-01",
                "signed_files": [
                    { "id": "file-301", "name": t("supply-contract-SP-2027-014.pdf", "договор-поставки-СП-2027-014.pdf") },
                ],
                "packaging_type": "bag",
                "cost": { "amount": "250500", "currency": "RUB" },
                "prepayment_percent": "50",
            }),
        ),
    );
    s.ok(
        minutes(30),
        &OLEG,
        "document_approvals",
        (
            "P2. The prepared documents went for approval up the org structure: the head of the department approves.",
            "P2. Подготовленные документы ушли на согласование по оргструктуре: руководитель отдела согласует.",
        ),
        complete("doc_approval", json!({ "decision": "approve" })),
    );
    s.ok(
        minutes(40),
        &GALINA,
        "document_approvals",
        (
            "P2. The head above approves too: the result is signalled back to the deal.",
            "P2. Вышестоящий руководитель тоже согласует: итог отправляется сигналом в сделку.",
        ),
        complete("doc_approval", json!({ "decision": "approve" })),
    );
    s.ok(
        minutes(1),
        &HOST,
        DEAL,
        (
            "P2 → D7. The host delivers the signal to the deal: the manager hears the documents are approved.",
            "P2 → D7. Хост доставляет сигнал в сделку: менеджер узнаёт, что документы согласованы.",
        ),
        Action::Signal {
            name: "documents_approved".into(),
            from: None,
        },
    );
    s.ok(
        hours(2),
        &ANNA,
        DEAL,
        (
            "D7. The documents are approved with the head: the head is notified and asked for the final approval.",
            "D7. Документы согласованы с руководителем: руководитель получает уведомление и задачу на финальное одобрение.",
        ),
        complete("approve_documents", json!({})),
    );
    s.ok(
        hours(1),
        &OLEG,
        DEAL,
        (
            "D7 → D8. The head gives the final approval: the deal moves to prepayment.",
            "D7 → D8. Руководитель даёт финальное одобрение: сделка переходит на предоплату.",
        ),
        complete("final_approval", json!({ "approved": true })),
    );
    s.ok(
        on(2, 9, 30),
        &ANNA,
        DEAL,
        (
            "D9. Prepayment received: the order goes to production; the client gets “order accepted”.",
            "D9. Предоплата получена: заказ уходит в производство; клиенту уходит письмо «заказ принят».",
        ),
        move_to(
            "production",
            json!({
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
        hours(3),
        &ANNA,
        DEAL,
        (
            "D9. The production request is formed: the client gets the order status.",
            "D9. Заявка на производство сформирована: клиенту уходит статус заказа.",
        ),
        complete(
            "production_request",
            json!({ "production_request_due": "2027-02-12" }),
        ),
    );
    s.ok(
        on(14, 14, 0),
        &ANNA,
        DEAL,
        (
            "D10. The order is made: shipment; the five shipping documents are generated.",
            "D10. Заказ изготовлен: отгрузка; формируются пять отгрузочных документов.",
        ),
        move_to("shipment", json!({})),
    );
    s.ok(
        hours(2),
        &ANNA,
        DEAL,
        (
            "D10. The signed scans are attached: the client gets “your order has shipped” with them; the deal moves to payment.",
            "D10. Сканы подписанных документов приложены: клиенту уходит письмо «ваш заказ отгружен» со сканами; сделка переходит к оплате.",
        ),
        complete(
            "issue_documents",
            json!({
                "scans": [
                    { "id": "file-411", "name": "CMR-0217.pdf" },
                    { "id": "file-412", "name": t("invoice-0217.pdf", "инвойс-0217.pdf") },
                    { "id": "file-413", "name": t("packing-list-0217.pdf", "упаковочный-лист-0217.pdf") },
                ],
            }),
        ),
    );
    s.ok(
        minutes(30),
        &ANNA,
        DEAL,
        (
            "D11. The payment due date is filled in: a reminder is planned three business days before.",
            "D11. Срок ожидания оплаты заполнен: напоминание запланировано за три рабочих дня.",
        ),
        complete("payment_due", json!({ "payment_due_date": "2027-03-10" })),
    );
    s.ok(
        after_timer(9 * 60),
        &ANNA,
        DEAL,
        (
            "D11. The reminder task appeared; the manager reminds the client.",
            "D11. Появилась задача-напоминание; менеджер напоминает клиенту.",
        ),
        complete("remind_payment", json!({})),
    );
    s.ok(
        on(5, 11, 0),
        &MARIA,
        DEAL,
        (
            "D11. The accountant confirms the payment.",
            "D11. Бухгалтер подтверждает оплату.",
        ),
        set(json!({ "payment_received": true })),
    );
    s.ok(
        minutes(40),
        &ANNA,
        DEAL,
        (
            "D13. All stages passed: the deal is won.",
            "D13. Все этапы пройдены: сделка выиграна.",
        ),
        move_to("won", json!({})),
    );

    processes(&mut s);

    Scenario {
        start: start(),
        people: vec![
            &WEBSITE, &ANNA, &IVAN, &OLEG, &GALINA, &DMITRY, &MARIA, &HOST,
        ],
        steps: s.steps,
    }
}

/// Monday 30 November 2026, 09:00 UTC: where the simulated clock starts.
fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 9, 0, 0)
        .single()
        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
}

fn create(id: &str, pipeline: &str, responsible: &str, values: Value) -> Action {
    Action::Create {
        id: id.into(),
        pipeline: pipeline.into(),
        stage: None,
        responsible: Some(responsible.into()),
        fields: fields(values),
    }
}

/// P1–P6: the business processes, routed through the example org structure.
fn processes(s: &mut Script) {
    s.section("Business processes (P1–P6)", "Бизнес-процессы (P1–P6)");
    s.ok(
        on(1, 9, 0),
        &ANNA,
        "payment",
        (
            "P1. The manager files a payment request for raw material; it goes to the head of her department.",
            "P1. Менеджер подаёт заявку на оплату сырья; она уходит руководителю её отдела.",
        ),
        create(
            "pay-1",
            "payment_requests",
            "u-anna",
            json!({
                "title": "Kraft paper, 2 t",
                "amount": { "amount": "184000", "currency": "RUB" },
                "payee": "ООО «Бумажная фабрика»",
                "purpose": "Raw material for the bakery order",
                "payment_document_needed": true,
            }),
        ),
    );
    s.ok(
        hours(1),
        &OLEG,
        "payment",
        (
            "P1. The head sends it back for rework with a comment.",
            "P1. Руководитель возвращает заявку на доработку с комментарием.",
        ),
        complete(
            "head_approval",
            json!({ "decision": "rework", "comment": "Attach the supplier's invoice" }),
        ),
    );
    s.ok(
        hours(1),
        &ANNA,
        "payment",
        (
            "P1. The manager attaches the invoice…",
            "P1. Менеджер прикладывает счёт…",
        ),
        set(json!({ "invoice": { "id": "file-501", "name": "invoice-448.pdf" } })),
    );
    s.ok(
        minutes(5),
        &ANNA,
        "payment",
        (
            "P1. …and resubmits: the head is asked again (round 2).",
            "P1. …и отправляет заново: руководителя спрашивают снова (второй круг).",
        ),
        complete(
            "head_approval_rework",
            json!({ "comment": "Invoice attached" }),
        ),
    );
    s.ok(
        hours(1),
        &OLEG,
        "payment",
        (
            "P1. The head approves: the accountant gets the payment task.",
            "P1. Руководитель согласует: бухгалтер получает задачу на оплату.",
        ),
        complete("head_approval", json!({ "decision": "approve" })),
    );
    s.ok(
        hours(3),
        &MARIA,
        "payment",
        (
            "P1. Paid: the initiator is notified; a payment document was asked for, so the accountant sends the payment order.",
            "P1. Оплачено: постановщик получает уведомление; нужен платёжный документ — бухгалтер отправляет платёжное поручение.",
        ),
        complete("pay", json!({ "paid_on": "2027-03-10" })),
    );
    s.ok(
        hours(1),
        &MARIA,
        "payment",
        (
            "P1. The payment order is sent: the request is paid.",
            "P1. Платёжное поручение отправлено: заявка оплачена.",
        ),
        complete(
            "send_payment_order",
            json!({ "payment_order": { "id": "file-502", "name": "payment-order-77.pdf" } }),
        ),
    );
    s.ok(
        on(1, 8, 0),
        &OLEG,
        "acknowledgement",
        (
            "P3. The head asks the department to read the new price list by Monday.",
            "P3. Руководитель просит отдел ознакомиться с новым прайс-листом до понедельника.",
        ),
        create(
            "ack-1",
            "acknowledgements",
            "u-boris",
            json!({
                "title": "Price list 2027",
                "link": "https://intranet.ecopack.example/prices-2027",
                "readers": "sales_msk",
                "deadline": "2027-03-15",
            }),
        ),
    );
    s.ok(
        hours(1),
        &ANNA,
        "acknowledgement",
        (
            "P3. The manager confirms she has read it.",
            "P3. Менеджер подтверждает ознакомление.",
        ),
        complete("read", json!({})),
    );
    s.ok(
        on(1, 10, 0),
        &OLEG,
        "acknowledgement",
        (
            "P3. A working day before the deadline the others were reminded; the head confirms.",
            "P3. За рабочий день до срока остальным пришло напоминание; руководитель подтверждает.",
        ),
        complete("read", json!({})),
    );
    s.ok(
        hours(2),
        &IVAN,
        "acknowledgement",
        (
            "P3. The last reader confirms: everyone has read it.",
            "P3. Последний подтверждает: ознакомились все.",
        ),
        complete("read", json!({})),
    );
    s.ok(
        on(4, 9, 0),
        &ANNA,
        "sick_leave",
        (
            "P4. The manager asks to work from home; her head is away, so his deputy decides.",
            "P4. Менеджер просит работу из дома; руководитель в отъезде, решает его заместитель.",
        ),
        create(
            "sick-1",
            "sick_leaves",
            "u-anna",
            json!({ "leave_kind": "work_from_home", "date_from": "2027-03-17", "date_to": "2027-03-18" }),
        ),
    );
    s.ok(
        hours(1),
        &GALINA,
        "sick_leave",
        (
            "P4. The deputy approves in the head's place.",
            "P4. Заместитель согласует вместо руководителя.",
        ),
        complete("head_approval", json!({ "decision": "approve" })),
    );
    s.ok(
        on(13, 9, 0),
        &ANNA,
        "leave",
        (
            "P5. The manager asks for two unpaid days off: head, then director, then accountant.",
            "P5. Менеджер просит два дня за свой счёт: руководитель, затем директор, затем бухгалтер.",
        ),
        create(
            "leave-1",
            "leave_requests",
            "u-anna",
            json!({ "leave_kind": "unpaid", "date_from": "2027-04-15", "date_to": "2027-04-16", "days": 2 }),
        ),
    );
    s.ok(
        hours(1),
        &OLEG,
        "leave",
        ("P5. The head approves.", "P5. Руководитель согласует."),
        complete("unpaid_approval", json!({ "decision": "approve" })),
    );
    s.ok(
        hours(2),
        &DMITRY,
        "leave",
        (
            "P5. The director rejects it: the request is rejected and the manager told.",
            "P5. Директор отклоняет: заявление отклонено, менеджер получает уведомление.",
        ),
        complete(
            "unpaid_approval",
            json!({ "decision": "reject", "comment": "Peak season: the bakery order ships then" }),
        ),
    );
    s.ok(
        on(1, 6, 0),
        &OLEG,
        "reports",
        (
            "P6. The head starts daily work plans for his department.",
            "P6. Руководитель запускает ежедневные планы работ для своего отдела.",
        ),
        create(
            "reports-sales-msk",
            "reports",
            "u-boris",
            json!({ "department": "sales_msk", "period": "daily" }),
        ),
    );
    s.ok(
        on(1, 8, 0),
        &OLEG,
        "reports",
        (
            "P6. The next working day everyone in the department got the task, the head observing; the head files his plan.",
            "P6. На следующий рабочий день задачу получил каждый в отделе, руководитель — наблюдатель; руководитель заполняет свой план.",
        ),
        complete("daily_plan", json!({ "plan": "Calls with three distributors; price list training" })),
    );
}
