//! `voronka demo`: the eco-packaging case from a website lead to a won deal.
//!
//! A [`Scenario`] is a start time and a list of [`Step`]s. The runner plays the host: it keeps
//! the records (the lead, and the contact, company and deal its conversion creates), advances
//! a simulated clock (the library never reads a clock, and neither does the demo), ticks every
//! record whose timer is due before the next step, applies each step's command, checks that
//! the outcome is the one the script expects, and carries out the effects: it prints tasks,
//! e-mails, notifications and reminders, and renders the requested documents to PDF with
//! `voronka-docs` into the output folder.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, TimeDelta, Utc};
use serde_json::Value;
use voronka::{
    Action, Actor, Change, Effect, ErrorCode, Event, Lang, Model, Outcome, Record, Rejection,
    TaskStatus,
};
use voronka_docs::CompanyProfile;

use crate::host::{Applied, Host, Names};
use crate::show::{field_label, in_definition_order, value, value_of};
use crate::{Failure, io, scenario};

/// The eco-packaging company profile: the seller of the documents (the host's data).
const COMPANY: &str = include_str!("../../../examples/eco-packaging/company.json");

/// Someone who acts in the demo.
#[derive(Debug)]
pub(crate) struct Person {
    /// The user id.
    pub id: &'static str,
    /// The name in English and Russian.
    pub name: (&'static str, &'static str),
    /// Role codes of the definition.
    pub roles: &'static [&'static str],
}

/// What the script expects of a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Expect {
    /// It is accepted.
    Accepted,
    /// It is rejected with this code.
    Rejected(ErrorCode),
}

/// When a step happens, relative to the previous one.
#[derive(Debug, Clone, Copy)]
pub(crate) enum When {
    /// This long after.
    After(TimeDelta),
    /// That many days later, at this time of day (hour, minute; UTC).
    DaysLaterAt(u32, u32, u32),
    /// This long after the earliest pending timer of any record is due.
    AfterNextDue(TimeDelta),
}

/// One step of a scenario.
#[derive(Debug)]
pub(crate) enum Step {
    /// A heading in the log.
    Section(String),
    /// A command by a person on a record, some time after the previous step.
    Command {
        /// When it happens: the clock moves there first, firing the timers due by then.
        when: When,
        /// Who acts.
        who: &'static Person,
        /// The record's name (its id).
        subject: &'static str,
        /// What happens, for the reader.
        say: String,
        /// The command's action (a task id `@code` is the record's open task of that code).
        action: Action,
        /// The outcome the script expects.
        expect: Expect,
    },
}

/// A start time and the steps.
#[derive(Debug)]
pub(crate) struct Scenario {
    /// Where the simulated clock starts.
    pub start: DateTime<Utc>,
    /// Everyone who acts, for their names.
    pub people: Vec<&'static Person>,
    /// The steps in order.
    pub steps: Vec<Step>,
}

/// Counts for the summary.
#[derive(Debug, Default)]
struct Counts {
    commands: usize,
    accepted: usize,
    rejected: usize,
    ticks: usize,
    timers: usize,
    tasks: usize,
    completed: usize,
    cancelled: usize,
    emails: usize,
    notifications: usize,
    documents: Vec<PathBuf>,
    /// Records a conversion created: (entity label, id).
    created: Vec<(String, String)>,
}

/// Runs the eco-packaging scenario in `lang`, writing the PDFs into `dir`.
pub(crate) fn run(lang: Lang, dir: &Path, out: &mut dyn Write) -> Result<(), Failure> {
    let model = voronka::examples::eco_packaging().map_err(|e| {
        Failure::Usage(format!(
            "the built-in eco-packaging model does not compile: {e}"
        ))
    })?;
    let company = CompanyProfile::from_json(COMPANY)
        .map_err(|e| Failure::Usage(format!("the built-in company profile is invalid: {e}")))?;
    std::fs::create_dir_all(dir).map_err(|e| {
        Failure::Usage(match lang {
            Lang::En => format!("cannot create {}: {e}", dir.display()),
            Lang::Ru => format!("не удалось создать {}: {e}", dir.display()),
        })
    })?;
    let scenario = scenario::eco_packaging(lang);
    let names = Names {
        model: &model,
        lang,
        users: scenario
            .people
            .iter()
            .map(|p| (p.id.to_string(), lang.pick(p.name.0, p.name.1).to_string()))
            .collect(),
    };
    let mut runner = Runner {
        model: &model,
        lang,
        names: &names,
        host: {
            let mut host = Host::new(&model, scenario.start);
            host.org = Some(crate::scenario::org());
            host
        },
        company: &company,
        dir,
        sequences: BTreeMap::new(),
        counts: Counts::default(),
        out,
    };
    runner.header()?;
    for step in &scenario.steps {
        runner.step(step)?;
    }
    runner.summary()
}

struct Runner<'a> {
    model: &'a Model,
    lang: Lang,
    names: &'a Names<'a>,
    host: Host<'a>,
    company: &'a CompanyProfile,
    dir: &'a Path,
    /// The host's document counters, by document code.
    sequences: BTreeMap<String, u64>,
    counts: Counts,
    out: &'a mut dyn Write,
}

impl Runner<'_> {
    fn pick<'s>(&self, en: &'s str, ru: &'s str) -> &'s str {
        self.lang.pick(en, ru)
    }

    fn q(&self, text: &str) -> String {
        self.names.q(text)
    }

    fn line(&mut self, text: impl AsRef<str>) -> Result<(), Failure> {
        io(writeln!(self.out, "{}", text.as_ref()))
    }

    fn stage_label(&self, pipeline: &str, stage: &str) -> String {
        self.names.stage(pipeline, stage)
    }

    fn entity_of(&self, pipeline: &str) -> String {
        self.model
            .definition()
            .pipelines
            .iter()
            .find(|p| p.code == pipeline)
            .map(|p| p.entity.clone())
            .unwrap_or_default()
    }

    fn person(&self, who: &Person) -> String {
        let roles: Vec<String> = who
            .roles
            .iter()
            .map(|code| {
                self.model
                    .definition()
                    .roles
                    .iter()
                    .find(|r| r.code == *code)
                    .map_or_else(|| code.to_string(), |r| r.label.get(self.lang).to_string())
            })
            .collect();
        if roles.is_empty() {
            self.lang.pick(who.name.0, who.name.1).to_string()
        } else {
            format!(
                "{} ({})",
                self.lang.pick(who.name.0, who.name.1),
                roles.join(", ")
            )
        }
    }

    fn header(&mut self) -> Result<(), Failure> {
        let def = self.model.definition();
        let clock = self.host.clock.format("%Y-%m-%d %H:%M UTC");
        let dir = self.dir.display();
        let text = match self.lang {
            Lang::En => format!(
                "voronka demo: {} “{}”. Simulated clock from {clock}; documents go to {dir}.",
                def.code, def.label.en
            ),
            Lang::Ru => format!(
                "Демонстрация voronka: {} «{}». Модельные часы с {clock}; документы — в {dir}.",
                def.code, def.label.ru
            ),
        };
        self.line(text)
    }

    /// The moment a step happens.
    fn time_of(&self, when: When) -> Option<DateTime<Utc>> {
        let clock = self.host.clock;
        Some(match when {
            When::After(delta) => clock + delta,
            When::DaysLaterAt(days, hour, minute) => {
                let date = clock.date_naive() + TimeDelta::days(i64::from(days));
                date.and_hms_opt(hour, minute, 0)
                    .map_or(clock, |t| t.and_utc())
                    .max(clock)
            }
            When::AfterNextDue(delta) => {
                self.host.next_due(DateTime::<Utc>::MAX_UTC)?.0.max(clock) + delta
            }
        })
    }

    fn step(&mut self, step: &Step) -> Result<(), Failure> {
        let Step::Command {
            when,
            who,
            subject,
            say,
            action,
            expect,
        } = step
        else {
            if let Step::Section(title) = step {
                let rule = "═".repeat(title.chars().count() + 4);
                self.line(format!("\n{rule}\n  {title}\n{rule}"))?;
            }
            return Ok(());
        };
        self.counts.commands += 1;
        let n = self.counts.commands;
        let Some(at) = self.time_of(*when) else {
            return self.off_script(n, "no timer is pending");
        };
        // The clock advances: every timer due by then fires, earliest first.
        for ticked in self.host.tick_until(at) {
            self.tick(&ticked)?;
        }
        let pipeline = match (action, self.host.record(subject)) {
            (Action::Create { pipeline, .. }, _) => pipeline.clone(),
            (Action::CaptureLead { .. }, _) => "leads".to_string(),
            (_, Some(record)) => record.pipeline.clone(),
            (_, None) => String::new(),
        };
        let entity = self.entity_of(&pipeline);
        let header = format!(
            "\n{:>2}. {}  {}  [{}]",
            n,
            at.format("%Y-%m-%d %H:%M"),
            self.person(who),
            subject
        );
        self.line(header)?;
        self.line(format!("    {say}"))?;
        let resolved = self.host.resolve(subject, action.clone(), who.id);
        let intent = self.intent(&resolved, subject, &pipeline, &entity);
        self.line(format!("    → {intent}"))?;
        let applied = self.host.apply(
            subject,
            Actor::new(who.id, who.roles),
            at,
            Some(format!("demo-{n}")),
            resolved,
        );
        match (applied.result, expect) {
            (Ok(outcome), Expect::Accepted) => {
                self.counts.accepted += 1;
                self.outcome(&outcome, &pipeline, &entity)
            }
            (Err(rejection), Expect::Rejected(code)) if rejection.code() == *code => {
                self.counts.rejected += 1;
                self.rejection(&rejection)
            }
            (Ok(_), Expect::Rejected(code)) => self.off_script(
                n,
                &format!("accepted, expected rejection {}", code.as_u32()),
            ),
            (Err(rejection), _) => {
                self.rejection(&rejection)?;
                self.off_script(n, &rejection.message(Lang::En))
            }
        }
    }

    /// A tick the clock's advance caused.
    fn tick(&mut self, ticked: &Applied) -> Result<(), Failure> {
        self.counts.ticks += 1;
        let text = format!(
            "\n ⏱  {}  {}  [{}]",
            ticked.at.format("%Y-%m-%d %H:%M"),
            self.pick(
                "the clock reaches a timer: tick",
                "часы дошли до таймера: тик"
            ),
            ticked.name
        );
        self.line(text)?;
        match &ticked.result {
            Ok(outcome) => {
                let entity = self.entity_of(&outcome.record.pipeline);
                let pipeline = outcome.record.pipeline.clone();
                self.outcome(outcome, &pipeline, &entity)
            }
            Err(rejection) => {
                self.rejection(rejection)?;
                let message = rejection.message(Lang::En);
                self.off_script(self.counts.commands, &message)
            }
        }
    }

    fn off_script(&mut self, n: usize, what: &str) -> Result<(), Failure> {
        eprintln!("voronka demo: step {n} went off script: {what}");
        Err(Failure::Problems)
    }

    fn rejection(&mut self, rejection: &Rejection) -> Result<(), Failure> {
        let text = format!(
            "    ✗ {} [{}]: {}",
            self.pick("rejected", "отказ"),
            rejection.code().as_u32(),
            rejection.message(self.lang)
        );
        self.line(text)
    }

    /// A task's answers: the questions of its form (or the record's fields) with the values,
    /// in the form's order.
    fn answers(
        &self,
        entity: &str,
        form: &[voronka::FieldDef],
        answers: &BTreeMap<String, Value>,
    ) -> String {
        let position = |code: &str| form.iter().position(|f| f.code == code);
        let mut codes: Vec<&String> = answers.keys().collect();
        codes.sort_by_key(|c| (position(c).unwrap_or(usize::MAX), c.as_str().to_owned()));
        codes
            .into_iter()
            .map(|code| {
                let v = &answers[code];
                match form.iter().find(|f| f.code == *code) {
                    Some(f) => {
                        format!("{} = {}", f.label.get(self.lang), value_of(f, v, self.lang))
                    }
                    None => format!(
                        "{} = {}",
                        field_label(self.model, entity, code, self.lang),
                        value(self.model, entity, code, v, self.lang)
                    ),
                }
            })
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// The form of a task of a record (the model's).
    fn form_of<'r>(
        model: &'r Model,
        record: Option<&Record>,
        task: &str,
    ) -> &'r [voronka::FieldDef] {
        record
            .and_then(|r| {
                let t = r.tasks.iter().find(|t| t.id == task)?;
                Some(model.task_form(&r.pipeline, &t.automation, &t.code))
            })
            .unwrap_or(&[])
    }

    /// What the command asks, in words.
    fn intent(&self, action: &Action, subject: &str, pipeline: &str, entity: &str) -> String {
        let labels = |fields: &BTreeMap<String, Value>| -> Vec<String> {
            in_definition_order(self.model, entity, fields.keys())
                .into_iter()
                .map(|f| field_label(self.model, entity, f, self.lang))
                .collect()
        };
        let with = |fields: &BTreeMap<String, Value>| {
            let labels = labels(fields);
            if labels.is_empty() {
                self.pick(" (no fields)", " (без полей)").to_string()
            } else {
                format!(" {} {}", self.pick("with", "с полями:"), labels.join(", "))
            }
        };
        let task_title = |id: &str| {
            self.host
                .record(subject)
                .and_then(|r| r.tasks.iter().find(|t| t.id == id))
                .map_or_else(|| id.to_string(), |t| self.q(t.title.get(self.lang)))
        };
        match action {
            Action::Create { fields, .. } => format!(
                "{} {}{}",
                self.pick("create in", "создать на этапе"),
                self.q(&self.stage_label(
                    pipeline,
                    &initial_stage(self.model, pipeline).unwrap_or_default()
                )),
                with(fields)
            ),
            Action::CaptureLead {
                channel, fields, ..
            } => format!(
                "{} {}{}",
                self.pick("capture a lead from channel", "принять лид из канала"),
                self.q(&value(
                    self.model,
                    entity,
                    "source",
                    &Value::String(channel.clone()),
                    self.lang
                )),
                with(fields)
            ),
            Action::SetFields { fields } => format!(
                "{} {}",
                self.pick("set fields:", "заполнить поля:"),
                labels(fields).join(", ")
            ),
            Action::Move {
                to,
                fields,
                override_reason,
            } => {
                let mut text = format!(
                    "{} {}{}",
                    self.pick("move to", "перевести на этап"),
                    self.q(&self.stage_label(pipeline, to)),
                    with(fields)
                );
                if let Some(reason) = override_reason {
                    text.push_str(&format!(
                        "; {} {}",
                        self.pick("override with reason:", "в обход требований, обоснование:"),
                        self.q(reason)
                    ));
                }
                text
            }
            Action::CompleteTask { task, answers } => {
                let mut text = format!(
                    "{} {}",
                    self.pick("complete task", "выполнить задачу"),
                    task_title(task)
                );
                if !answers.is_empty() {
                    let form = Self::form_of(self.model, self.host.record(subject), task);
                    text.push_str(&format!(
                        "; {} {}",
                        self.pick("answers:", "ответы:"),
                        self.answers(entity, form, answers)
                    ));
                }
                text
            }
            Action::CheckItem { task, item, done } => {
                let label = self
                    .host
                    .record(subject)
                    .and_then(|r| r.tasks.iter().find(|t| t.id == *task))
                    .and_then(|t| t.checklist.get(*item))
                    .map_or_else(String::new, |i| i.label.get(self.lang).to_string());
                format!(
                    "{} {} {} {}",
                    if *done {
                        self.pick("check", "отметить пункт")
                    } else {
                        self.pick("uncheck", "снять отметку с пункта")
                    },
                    self.q(&label),
                    self.pick("of task", "задачи"),
                    task_title(task)
                )
            }
            Action::ResolveDuplicates { contact, company } => {
                if contact.is_none() && company.is_none() {
                    self.pick(
                        "answer the duplicate look-up: no match",
                        "ответить на поиск дубликатов: совпадений нет",
                    )
                    .to_string()
                } else {
                    self.pick(
                        "answer the duplicate look-up with matches",
                        "ответить на поиск дубликатов: найдены совпадения",
                    )
                    .to_string()
                }
            }
            Action::Tick => self.pick("tick", "тик").to_string(),
            Action::Signal { name, .. } => {
                format!(
                    "{} “{name}”",
                    self.pick("deliver the signal", "доставить сигнал")
                )
            }
            _ => self
                .pick("(another command)", "(другая команда)")
                .to_string(),
        }
    }

    fn values(
        &mut self,
        entity: &str,
        values: impl Iterator<Item = (String, String)>,
    ) -> Result<(), Failure> {
        for (code, shown) in values {
            let label = field_label(self.model, entity, &code, self.lang);
            self.line(format!("        · {label}: {shown}"))?;
        }
        Ok(())
    }

    /// Prints what a command did, event by event, and carries out its effects.
    fn outcome(&mut self, outcome: &Outcome, pipeline: &str, entity: &str) -> Result<(), Failure> {
        for event in &outcome.events {
            self.event(&outcome.record, event, &outcome.effects, pipeline, entity)?;
        }
        Ok(())
    }

    fn event(
        &mut self,
        record: &Record,
        event: &Event,
        effects: &[Effect],
        pipeline: &str,
        entity: &str,
    ) -> Result<(), Failure> {
        let lang = self.lang;
        let model = self.model;
        let show = |code: &str, v: &Value| value(model, entity, code, v, lang);
        match &event.change {
            Change::Created {
                id, stage, fields, ..
            } => {
                let text = format!(
                    "    ✓ v{} {}: {id} {} {}",
                    event.version,
                    self.pick("created", "создание"),
                    self.pick("in", "на этапе"),
                    self.q(&self.stage_label(pipeline, stage))
                );
                self.line(text)?;
                let shown: Vec<(String, String)> =
                    in_definition_order(model, entity, fields.keys())
                        .into_iter()
                        .map(|c| (c.clone(), show(c, &fields[c])))
                        .collect();
                self.values(entity, shown.into_iter())
            }
            Change::FieldsChanged { changes } => {
                let text = format!(
                    "    ✓ v{} {}:",
                    event.version,
                    self.pick("fields changed", "изменение полей")
                );
                self.line(text)?;
                let empty = self.pick("(empty)", "(пусто)");
                let shown: Vec<(String, String)> =
                    in_definition_order(model, entity, changes.keys())
                        .into_iter()
                        .map(|c| (c, &changes[c]))
                        .map(|(c, ch)| {
                            let to = ch.to.as_ref().map_or(empty.to_string(), |v| show(c, v));
                            let text = match &ch.from {
                                Some(from) => format!("{} → {to}", show(c, from)),
                                None => to,
                            };
                            (c.clone(), text)
                        })
                        .collect();
                self.values(entity, shown.into_iter())
            }
            Change::RequirementsOverridden {
                stage,
                missing,
                reason,
            } => {
                let labels: Vec<String> = missing
                    .iter()
                    .map(|f| field_label(model, entity, f, lang))
                    .collect();
                let text = format!(
                    "    ✓ v{} {} {}: {} {}; {} {}",
                    event.version,
                    self.pick(
                        "requirements overridden for",
                        "переход в обход требований этапа"
                    ),
                    self.q(&self.stage_label(pipeline, stage)),
                    self.pick("missing", "не заполнено:"),
                    labels.join(", "),
                    self.pick("reason:", "обоснование:"),
                    self.q(reason)
                );
                self.line(text)
            }
            Change::StageChanged {
                from,
                to,
                return_stage,
            } => {
                let mut text = format!(
                    "    ✓ v{} {}: {} → {}",
                    event.version,
                    self.pick("stage changed", "смена этапа"),
                    self.q(&self.stage_label(pipeline, from)),
                    self.q(&self.stage_label(pipeline, to))
                );
                if let Some(back) = return_stage {
                    text.push_str(&format!(
                        " ({} {})",
                        self.pick("will return to", "вернётся на этап"),
                        self.q(&self.stage_label(pipeline, back))
                    ));
                }
                if event.by_automation.is_some() {
                    text.push_str(self.pick(" (by automation)", " (автоматически)"));
                }
                self.line(text)
            }
            Change::TaskClosed { task, status, .. } => {
                let title = record
                    .tasks
                    .iter()
                    .find(|t| t.id == *task)
                    .map_or_else(|| task.clone(), |t| t.title.get(lang).to_string());
                let what = match status {
                    TaskStatus::Done => {
                        self.counts.completed += 1;
                        self.pick("task done", "задача выполнена")
                    }
                    _ => {
                        self.counts.cancelled += 1;
                        self.pick("task cancelled", "задача отменена")
                    }
                };
                let text = format!("    ☑ {what}: {}", self.q(&title));
                self.line(text)
            }
            Change::ChecklistChecked { task, item, done } => {
                let label = record
                    .tasks
                    .iter()
                    .find(|t| t.id == *task)
                    .and_then(|t| t.checklist.get(*item))
                    .map_or_else(String::new, |i| i.label.get(lang).to_string());
                let text = format!("    {} {}", if *done { "☑" } else { "☐" }, self.q(&label));
                self.line(text)
            }
            _ => {
                if matches!(event.change, Change::TimerCleared { fired: true, .. }) {
                    self.counts.timers += 1;
                }
                if let Change::TimerSet { timer } = &event.change {
                    let text = format!(
                        "    ⏲ {} {}",
                        self.pick("timer set for", "таймер на"),
                        timer.due.format("%Y-%m-%d %H:%M")
                    );
                    return self.line(text);
                }
                let effects = crate::host::event_effects(&record.id, event, effects);
                if effects.is_empty() {
                    for (_, line) in self.names.event(record, event, &[]) {
                        self.line(format!("    {line}"))?;
                    }
                }
                for effect in effects {
                    self.effect(&effect)?;
                }
                Ok(())
            }
        }
    }

    /// Carries out one effect: prints it; renders a requested document to PDF.
    fn effect(&mut self, effect: &Effect) -> Result<(), Failure> {
        let line = self.names.effect(effect);
        match effect {
            Effect::CreateTask { task, form, .. } => {
                self.counts.tasks += 1;
                self.line(format!("    {line}"))?;
                if let Some(description) = &task.description {
                    self.line(format!("        {}", description.get(self.lang)))?;
                }
                for item in &task.checklist {
                    self.line(format!("        ☐ {}", item.label.get(self.lang)))?;
                }
                if !form.is_empty() {
                    let questions: Vec<String> = form
                        .iter()
                        .map(|f| f.label.get(self.lang).to_string())
                        .collect();
                    self.line(format!(
                        "        {} {}",
                        self.pick("form:", "форма:"),
                        questions.join("; ")
                    ))?;
                }
                Ok(())
            }
            // Closing is shown with the task's answers by `event`.
            Effect::CloseTask { .. } => Ok(()),
            Effect::SendEmail { email, .. } => {
                self.counts.emails += 1;
                self.line(format!("    {line}"))?;
                let first = email.body.lines().next().unwrap_or_default().to_string();
                self.line(format!("        {first} …"))
            }
            Effect::Notify { .. } => {
                self.counts.notifications += 1;
                self.line(format!("    {line}"))
            }
            Effect::RenderDocument {
                record, document, ..
            } => {
                self.line(format!("    {line}"))?;
                self.render(record, document)
            }
            Effect::CreateRecord {
                record: Some(_),
                id,
                entity,
                ..
            } => {
                self.counts
                    .created
                    .push((self.entity_label(entity), id.clone()));
                self.line(format!("    {line}"))?;
                let text = format!(
                    "        {} {id}",
                    self.pick(
                        "the host stores it as record",
                        "хост сохраняет её как запись"
                    )
                );
                self.line(text)
            }
            Effect::CreateRecord { id, entity, .. } => {
                self.counts
                    .created
                    .push((self.entity_label(entity), id.clone()));
                self.line(format!("    {line}"))
            }
            _ => self.line(format!("    {line}")),
        }
    }

    fn entity_label(&self, entity: &str) -> String {
        self.model
            .definition()
            .entities
            .iter()
            .find(|e| e.code == entity)
            .map_or_else(
                || entity.to_string(),
                |e| e.label.get(self.lang).to_lowercase(),
            )
    }

    /// Renders a requested document with the next number of its sequence.
    fn render(
        &mut self,
        record: &str,
        request: &voronka::record::DocumentRequest,
    ) -> Result<(), Failure> {
        let Some(rec) = self.host.record(record).cloned() else {
            return self.off_script(self.counts.commands, "a document for an unknown record");
        };
        let seq = self.sequences.entry(request.document.clone()).or_insert(0);
        *seq += 1;
        let seq = *seq;
        let done = voronka_docs::execute_render(request, &rec, self.company, seq, self.host.clock)
            .map_err(|e| {
                eprintln!(
                    "voronka demo: the {} does not render: error {} {}: {e}",
                    request.document,
                    e.code(),
                    e.name()
                );
                Failure::Problems
            })?;
        let path = self.dir.join(format!("{}.pdf", done.number));
        std::fs::write(&path, &done.pdf)
            .map_err(|e| Failure::Usage(format!("cannot write {}: {e}", path.display())))?;
        let text = format!(
            "        {} {} → {} ({} KB)",
            self.pick("rendered", "сформирован"),
            done.number,
            path.display(),
            done.pdf.len().div_ceil(1024)
        );
        self.counts.documents.push(path);
        self.line(text)
    }

    fn summary(&mut self) -> Result<(), Failure> {
        let title = self.pick("Summary", "Итоги").to_string();
        let rule = "═".repeat(title.chars().count() + 4);
        self.line(format!("\n{rule}\n  {title}\n{rule}"))?;
        let records: Vec<(Record, Vec<Event>)> = self
            .host
            .order
            .iter()
            .filter_map(|n| {
                let log = self.host.logs.get(n).cloned().unwrap_or_default();
                Some((self.host.record(n).cloned()?, log))
            })
            .collect();
        let mut events = 0;
        for (record, log) in &records {
            events += log.len();
            let mut visited = Vec::new();
            for event in log {
                match &event.change {
                    Change::Created { stage, .. } => visited.push(stage.clone()),
                    Change::StageChanged { to, .. } => visited.push(to.clone()),
                    _ => {}
                }
            }
            let path: Vec<String> = visited
                .iter()
                .map(|s| self.stage_label(&record.pipeline, s))
                .collect();
            let semantics = self
                .model
                .definition()
                .pipelines
                .iter()
                .find(|p| p.code == record.pipeline)
                .and_then(|p| p.stages.iter().find(|s| s.code == record.stage))
                .map(|s| s.semantics);
            let closed = match semantics {
                Some(voronka::definition::Semantics::Won) => self.pick(" (won)", " (успех)"),
                Some(voronka::definition::Semantics::Lost) => self.pick(" (lost)", " (провал)"),
                _ => "",
            };
            let replays = Record::replay(log).as_ref() == Some(record);
            let lines = [
                format!(
                    "{} {}:",
                    record.id,
                    self.q(&self.pipeline_label(&record.pipeline))
                ),
                format!(
                    "    {} ({}): {}",
                    self.pick("stages visited", "пройденные этапы"),
                    visited.len(),
                    path.join(" → ")
                ),
                format!(
                    "    {}: {}, {}: {}",
                    self.pick("events", "событий"),
                    log.len(),
                    self.pick("tasks", "задач"),
                    record.tasks.len()
                ),
                format!(
                    "    {}: {}{closed}",
                    self.pick("final stage", "итоговый этап"),
                    self.q(&self.stage_label(&record.pipeline, &record.stage))
                ),
                format!(
                    "    {}: {}",
                    self.pick(
                        "replaying the event log rebuilds the record",
                        "повтор журнала событий восстанавливает запись"
                    ),
                    if replays {
                        self.pick("yes", "да")
                    } else {
                        self.pick("NO", "НЕТ")
                    }
                ),
            ];
            for line in lines {
                self.line(line)?;
            }
        }
        let c = &self.counts;
        let created: Vec<String> = c
            .created
            .iter()
            .map(|(entity, id)| format!("{entity} {id}"))
            .collect();
        let totals = match self.lang {
            Lang::En => vec![
                format!("Created by the conversion: {}.", created.join(", ")),
                format!(
                    "Commands: {} accepted, {} rejected as the script expected; {} events in all.",
                    c.accepted, c.rejected, events
                ),
                format!("Clock: {} ticks fired {} timers.", c.ticks, c.timers),
                format!(
                    "Tasks: {} created, {} done, {} cancelled.",
                    c.tasks, c.completed, c.cancelled
                ),
                format!(
                    "E-mails: {}; notifications: {}; documents: {}:",
                    c.emails,
                    c.notifications,
                    c.documents.len()
                ),
            ],
            Lang::Ru => vec![
                format!("Создано конвертацией: {}.", created.join(", ")),
                format!(
                    "Команд принято: {}, отклонено по сценарию: {}; всего событий: {}.",
                    c.accepted, c.rejected, events
                ),
                format!("Часы: тиков {}, сработало таймеров {}.", c.ticks, c.timers),
                format!(
                    "Задачи: создано {}, выполнено {}, отменено {}.",
                    c.tasks, c.completed, c.cancelled
                ),
                format!(
                    "Писем: {}; уведомлений: {}; документов: {}:",
                    c.emails,
                    c.notifications,
                    c.documents.len()
                ),
            ],
        };
        let documents: Vec<String> = c
            .documents
            .iter()
            .map(|p| format!("    {}", p.display()))
            .collect();
        for line in totals.into_iter().chain(documents) {
            self.line(line)?;
        }
        Ok(())
    }

    fn pipeline_label(&self, pipeline: &str) -> String {
        self.model
            .definition()
            .pipelines
            .iter()
            .find(|p| p.code == pipeline)
            .map_or_else(
                || pipeline.to_string(),
                |p| p.label.get(self.lang).to_string(),
            )
    }
}

/// The stage records of `pipeline` are created in by default.
fn initial_stage(model: &Model, pipeline: &str) -> Option<String> {
    let p = model
        .definition()
        .pipelines
        .iter()
        .find(|p| p.code == pipeline)?;
    p.stages
        .iter()
        .find(|s| s.initial)
        .or(p.stages.first())
        .map(|s| s.code.clone())
}
