//! `voronka demo`: a small scenario runner over the eco-packaging model.
//!
//! A [`Scenario`] is a start time and a list of [`Step`]s; the runner advances a simulated
//! clock before each step (the library never reads a clock, and neither does the demo),
//! applies the step's command to the record it concerns, checks that the outcome is the one
//! the script expects, and prints a readable log of the events. Later issues add kinds of
//! steps (tasks, e-mails, documents) without changing the runner's shape.

use std::collections::BTreeMap;
use std::io::Write;

use chrono::{DateTime, TimeDelta, Utc};
use serde_json::Value;
use voronka::{Action, Actor, Change, Command, ErrorCode, Event, Lang, Model, Record, Rejection};

use crate::show::{field_label, in_definition_order, value};
use crate::{Failure, io, scenario};

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

/// The records a scenario works on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Subject {
    /// The lead.
    Lead,
    /// The deal.
    Deal,
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
}

impl When {
    /// The moment after `clock`.
    fn from(self, clock: DateTime<Utc>) -> DateTime<Utc> {
        match self {
            When::After(delta) => clock + delta,
            When::DaysLaterAt(days, hour, minute) => {
                let date = clock.date_naive() + TimeDelta::days(i64::from(days));
                date.and_hms_opt(hour, minute, 0)
                    .map_or(clock, |t| t.and_utc())
                    .max(clock)
            }
        }
    }
}

/// One step of a scenario.
#[derive(Debug)]
pub(crate) enum Step {
    /// A heading in the log.
    Section(String),
    /// A command by a person on a record, some time after the previous step.
    Command {
        /// When it happens: the clock moves there first.
        when: When,
        /// Who acts.
        who: &'static Person,
        /// The record concerned (created by an `Action::Create`).
        subject: Subject,
        /// What happens, for the reader.
        say: String,
        /// The command's action.
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
    /// The steps in order.
    pub steps: Vec<Step>,
}

/// Runs the eco-packaging scenario in `lang`.
pub(crate) fn run(lang: Lang, out: &mut dyn Write) -> Result<(), Failure> {
    let model = voronka::examples::eco_packaging().map_err(|e| {
        Failure::Usage(format!(
            "the built-in eco-packaging model does not compile: {e}"
        ))
    })?;
    let scenario = scenario::eco_packaging(lang);
    let mut runner = Runner {
        model: &model,
        lang,
        clock: scenario.start,
        records: BTreeMap::new(),
        commands: 0,
        accepted: 0,
        rejected: 0,
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
    clock: DateTime<Utc>,
    records: BTreeMap<Subject, Record>,
    commands: usize,
    accepted: usize,
    rejected: usize,
    out: &'a mut dyn Write,
}

impl Runner<'_> {
    fn pick<'s>(&self, en: &'s str, ru: &'s str) -> &'s str {
        self.lang.pick(en, ru)
    }

    /// Quotes a name the way the language does.
    fn q(&self, text: &str) -> String {
        match self.lang {
            Lang::En => format!("“{text}”"),
            Lang::Ru => format!("«{text}»"),
        }
    }

    fn line(&mut self, text: impl AsRef<str>) -> Result<(), Failure> {
        io(writeln!(self.out, "{}", text.as_ref()))
    }

    fn stage_label(&self, pipeline: &str, stage: &str) -> String {
        self.model
            .definition()
            .pipelines
            .iter()
            .find(|p| p.code == pipeline)
            .and_then(|p| p.stages.iter().find(|s| s.code == stage))
            .map_or_else(|| stage.to_string(), |s| s.label.get(self.lang).to_string())
    }

    fn pipeline_of(&self, subject: Subject) -> &'static str {
        match subject {
            Subject::Lead => "leads",
            Subject::Deal => "deals",
        }
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
        format!(
            "{} ({})",
            self.lang.pick(who.name.0, who.name.1),
            roles.join(", ")
        )
    }

    fn header(&mut self) -> Result<(), Failure> {
        let def = self.model.definition();
        let text = match self.lang {
            Lang::En => format!(
                "voronka demo: {} “{}”. Simulated clock from {}.",
                def.code,
                def.label.en,
                self.clock.format("%Y-%m-%d %H:%M UTC")
            ),
            Lang::Ru => format!(
                "Демонстрация voronka: {} «{}». Модельные часы с {}.",
                def.code,
                def.label.ru,
                self.clock.format("%Y-%m-%d %H:%M UTC")
            ),
        };
        self.line(text)
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
        self.clock = when.from(self.clock);
        self.commands += 1;
        let n = self.commands;
        let pipeline = match (action, self.records.get(subject)) {
            (Action::Create { pipeline, .. }, _) => pipeline.clone(),
            (_, Some(record)) => record.pipeline.clone(),
            (_, None) => self.pipeline_of(*subject).to_string(),
        };
        let entity = self.entity_of(&pipeline);
        let record_id = match (action, self.records.get(subject)) {
            (Action::Create { id, .. }, _) => id.clone(),
            (_, Some(record)) => record.id.clone(),
            (_, None) => String::new(),
        };
        let header = format!(
            "\n{:>2}. {}  {}  [{}]",
            n,
            self.clock.format("%Y-%m-%d %H:%M"),
            self.person(who),
            record_id
        );
        self.line(header)?;
        self.line(format!("    {say}"))?;
        let intent = self.intent(action, &pipeline, &entity);
        self.line(format!("    → {intent}"))?;
        let command = Command {
            actor: Actor::new(who.id, who.roles),
            now: self.clock,
            expected_version: self.records.get(subject).map(|r| r.version),
            idempotency_key: Some(format!("demo-{n}")),
            org: None,
            action: action.clone(),
        };
        let result = self.model.apply(self.records.get(subject), &command);
        match (result, expect) {
            (Ok(outcome), Expect::Accepted) => {
                self.accepted += 1;
                for event in &outcome.events {
                    self.event(event, &pipeline, &entity)?;
                }
                self.records.insert(*subject, outcome.record);
                Ok(())
            }
            (Err(rejection), Expect::Rejected(code)) if rejection.code() == *code => {
                self.rejected += 1;
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

    /// What the command asks, in words.
    fn intent(&self, action: &Action, pipeline: &str, entity: &str) -> String {
        let fields = |fields: &BTreeMap<String, Value>| {
            let labels: Vec<String> = in_definition_order(self.model, entity, fields.keys())
                .into_iter()
                .map(|f| field_label(self.model, entity, f, self.lang))
                .collect();
            if labels.is_empty() {
                self.pick(" (no fields)", " (без полей)").to_string()
            } else {
                format!(" {} {}", self.pick("with", "с полями:"), labels.join(", "))
            }
        };
        match action {
            Action::Create {
                stage, fields: f, ..
            } => {
                let stage = stage
                    .clone()
                    .unwrap_or_else(|| initial_stage(self.model, pipeline).unwrap_or_default());
                format!(
                    "{} {}{}",
                    self.pick("create in", "создать на этапе"),
                    self.q(&self.stage_label(pipeline, &stage)),
                    fields(f)
                )
            }
            Action::SetFields { fields: f } => {
                format!(
                    "{}{}",
                    self.pick("set fields:", "заполнить поля:"),
                    {
                        let labels: Vec<String> = in_definition_order(self.model, entity, f.keys())
                            .into_iter()
                            .map(|c| field_label(self.model, entity, c, self.lang))
                            .collect();
                        format!(" {}", labels.join(", "))
                    }
                )
            }
            Action::Move {
                to,
                fields: f,
                override_reason,
            } => {
                let mut text = format!(
                    "{} {}{}",
                    self.pick("move to", "перевести на этап"),
                    self.q(&self.stage_label(pipeline, to)),
                    fields(f)
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

    fn event(&mut self, event: &Event, pipeline: &str, entity: &str) -> Result<(), Failure> {
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
                self.line(text)
            }
            _ => {
                let text = format!("    ✓ v{} {}", event.version, self.pick("event", "событие"));
                self.line(text)
            }
        }
    }

    fn summary(&mut self) -> Result<(), Failure> {
        let title = self.pick("Summary", "Итоги").to_string();
        let rule = "═".repeat(title.chars().count() + 4);
        self.line(format!("\n{rule}\n  {title}\n{rule}"))?;
        let records: Vec<Record> = self.records.values().cloned().collect();
        let mut events = 0;
        for record in &records {
            events += record.history.len();
            let mut visited = Vec::new();
            for event in &record.history {
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
            let replays = Record::replay(&record.history).as_ref() == Some(record);
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
                    "    {}: {}",
                    self.pick("events", "событий"),
                    record.history.len()
                ),
                format!(
                    "    {}: {}{closed}",
                    self.pick("final stage", "итоговый этап"),
                    self.q(&self.stage_label(&record.pipeline, &record.stage))
                ),
                format!(
                    "    {}: {}",
                    self.pick(
                        "replaying the history rebuilds the record",
                        "повтор истории восстанавливает запись"
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
        let total = match self.lang {
            Lang::En => format!(
                "Commands: {} accepted, {} rejected as the script expected; {} events in all.",
                self.accepted, self.rejected, events
            ),
            Lang::Ru => format!(
                "Команд принято: {}, отклонено по сценарию: {}; всего событий: {}.",
                self.accepted, self.rejected, events
            ),
        };
        self.line(total)
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
