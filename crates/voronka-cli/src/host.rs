//! A simulated host: keeps records by name, applies commands, registers the records a
//! conversion creates, fires timers when the clock reaches them, and describes what happened.
//!
//! `voronka simulate` and `voronka demo` both run on it.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use voronka::effect::effects_of;
use voronka::record::{AttachmentRef, Recipient, Task};
use voronka::{
    Action, Actor, Change, Command, Effect, Event, Lang, Model, Outcome, Record, Rejection,
};

/// The user the host ticks as.
pub(crate) const SYSTEM: &str = "system";

/// What one command (or one tick) did.
#[derive(Debug)]
pub(crate) struct Applied {
    /// The record's name.
    pub name: String,
    /// When.
    pub at: DateTime<Utc>,
    /// The outcome, or the rejection.
    pub result: Result<Outcome, Rejection>,
}

/// The records and the clock.
pub(crate) struct Host<'m> {
    pub model: &'m Model,
    /// Records by name.
    pub records: BTreeMap<String, Record>,
    /// Each record's event log, by name: the events a host appends as commands are applied.
    pub logs: BTreeMap<String, Vec<Event>>,
    /// Names in the order the records appeared.
    pub order: Vec<String>,
    /// The time of the last command.
    pub clock: DateTime<Utc>,
    /// The org structure passed with every command (approvals and reports resolve people
    /// through it).
    pub org: Option<voronka::Org>,
}

impl<'m> Host<'m> {
    /// An empty host whose clock starts at `start`.
    pub(crate) fn new(model: &'m Model, start: DateTime<Utc>) -> Host<'m> {
        Host {
            model,
            records: BTreeMap::new(),
            logs: BTreeMap::new(),
            order: Vec::new(),
            clock: start,
            org: None,
        }
    }

    /// The record named `name`, if any.
    pub(crate) fn record(&self, name: &str) -> Option<&Record> {
        self.records.get(name)
    }

    /// Resolves task references of the form `@code` to the open task of that code.
    /// The actor's own open task of that code comes first (several people may each have one).
    pub(crate) fn resolve(&self, name: &str, action: Action, actor: &str) -> Action {
        let find = |task: String| -> String {
            match task.strip_prefix('@') {
                Some(code) => self
                    .record(name)
                    .and_then(|r| {
                        let open: Vec<&Task> = r.open_tasks().filter(|t| t.code == code).collect();
                        open.iter()
                            .find(|t| t.assignee == Recipient::User(actor.to_string()))
                            .or(open.last())
                            .map(|t| t.id.clone())
                    })
                    .unwrap_or(task),
                None => task,
            }
        };
        match action {
            Action::CompleteTask { task, answers } => Action::CompleteTask {
                task: find(task),
                answers,
            },
            Action::AnswerForm { task, answers } => Action::AnswerForm {
                task: find(task),
                answers,
            },
            Action::CheckItem { task, item, done } => Action::CheckItem {
                task: find(task),
                item,
                done,
            },
            other => other,
        }
    }

    /// Applies a command to the record `name` at `at`; a create or capture starts the record
    /// under that name; records a conversion creates are registered under their ids.
    pub(crate) fn apply(
        &mut self,
        name: &str,
        actor: Actor,
        at: DateTime<Utc>,
        key: Option<String>,
        action: Action,
    ) -> Applied {
        self.clock = self.clock.max(at);
        let action = self.resolve(name, action, &actor.user);
        let command = Command {
            actor,
            now: at,
            expected_version: self.record(name).map(|r| r.version),
            idempotency_key: key,
            org: self.org.clone(),
            action,
        };
        let result = self.model.apply(self.record(name), &command);
        if let Ok(outcome) = &result {
            self.store(name, outcome);
        }
        Applied {
            name: name.to_string(),
            at,
            result,
        }
    }

    fn store(&mut self, name: &str, outcome: &Outcome) {
        if !self.records.contains_key(name) {
            self.order.push(name.to_string());
        }
        self.records
            .insert(name.to_string(), outcome.record.clone());
        self.logs
            .entry(name.to_string())
            .or_default()
            .extend(outcome.events.iter().cloned());
        for effect in &outcome.effects {
            if let Effect::CreateRecord {
                id,
                record: Some(record),
                events,
                ..
            } = effect
                && !self.records.contains_key(id)
            {
                // A started process is known by its pipeline's code (for scripts) while that
                // name is free; otherwise, like a deal, by its id.
                let key = if record.entity != "deal" && !self.records.contains_key(&record.pipeline)
                {
                    record.pipeline.clone()
                } else {
                    id.clone()
                };
                self.order.push(key.clone());
                self.logs.insert(key.clone(), events.clone());
                self.records.insert(key, (**record).clone());
            }
        }
    }

    /// The earliest due timer of any record at or before `until`: (due, record name).
    pub(crate) fn next_due(&self, until: DateTime<Utc>) -> Option<(DateTime<Utc>, String)> {
        self.order
            .iter()
            .filter_map(|n| Some((self.records.get(n)?.next_due()?, n.clone())))
            .filter(|(due, _)| *due <= until)
            .min()
    }

    /// Ticks the records whose timers are due up to `until`, in time order, one tick each.
    pub(crate) fn tick_until(&mut self, until: DateTime<Utc>) -> Vec<Applied> {
        let mut done = Vec::new();
        while let Some((due, name)) = self.next_due(until) {
            let at = due.max(self.records[&name].updated_at);
            let applied = self.apply(&name, Actor::new(SYSTEM, &[]), at, None, Action::Tick);
            let failed = applied.result.is_err();
            done.push(applied);
            if failed {
                break;
            }
        }
        done
    }
}

/// How people, roles and stages are named in the output.
pub(crate) struct Names<'m> {
    pub model: &'m Model,
    pub lang: Lang,
    /// Display names of users by id.
    pub users: BTreeMap<String, String>,
}

impl Names<'_> {
    /// A recipient: the user's name, or the role's label.
    pub(crate) fn recipient(&self, r: &Recipient) -> String {
        match r {
            Recipient::User(id) => self.users.get(id).cloned().unwrap_or_else(|| id.clone()),
            Recipient::Role(code) => {
                let label = self
                    .model
                    .definition()
                    .roles
                    .iter()
                    .find(|x| x.code == *code)
                    .map_or_else(|| code.clone(), |x| x.label.get(self.lang).to_string());
                format!("{}: {label}", self.lang.pick("role", "роль"))
            }
        }
    }

    /// A stage's label.
    pub(crate) fn stage(&self, pipeline: &str, stage: &str) -> String {
        self.model
            .definition()
            .pipelines
            .iter()
            .find(|p| p.code == pipeline)
            .and_then(|p| p.stages.iter().find(|s| s.code == stage))
            .map_or_else(|| stage.to_string(), |s| s.label.get(self.lang).to_string())
    }

    /// A document's label.
    pub(crate) fn document(&self, code: &str) -> String {
        self.model
            .definition()
            .documents
            .iter()
            .find(|d| d.code == code)
            .map_or_else(|| code.to_string(), |d| d.label.get(self.lang).to_string())
    }

    /// An automation's label.
    pub(crate) fn automation(&self, code: &str) -> String {
        self.model
            .definition()
            .pipelines
            .iter()
            .flat_map(|p| p.automations.iter())
            .find(|a| a.code == code)
            .map_or_else(|| code.to_string(), |a| self.q(a.label.get(self.lang)))
    }

    /// Quotes a name the way the language does.
    pub(crate) fn q(&self, text: &str) -> String {
        match self.lang {
            Lang::En => format!("“{text}”"),
            Lang::Ru => format!("«{text}»"),
        }
    }

    fn time(&self, t: DateTime<Utc>) -> String {
        t.format("%Y-%m-%d %H:%M").to_string()
    }

    /// A task: title, assignee, deadline.
    pub(crate) fn task(&self, task: &Task) -> String {
        let mut text = format!(
            "{} {} → {}",
            self.lang.pick("task", "задача"),
            self.q(task.title.get(self.lang)),
            self.recipient(&task.assignee)
        );
        if let Some(deadline) = task.deadline {
            text.push_str(&format!(
                ", {} {}",
                self.lang.pick("due", "срок"),
                self.time(deadline)
            ));
        }
        if !task.observers.is_empty() {
            let who: Vec<String> = task.observers.iter().map(|o| self.recipient(o)).collect();
            text.push_str(&format!(
                ", {} {}",
                self.lang.pick("observers:", "наблюдатели:"),
                who.join(", ")
            ));
        }
        text
    }

    /// The lines describing what a command did: its effects, stage changes, fired timers,
    /// in the order they happened. Each line comes with the id of the record it concerns (a
    /// conversion's new deal has its own).
    pub(crate) fn outcome(&self, outcome: &Outcome) -> Vec<(String, String)> {
        outcome
            .events
            .iter()
            .flat_map(|event| self.event(&outcome.record, event, &outcome.effects))
            .collect()
    }

    /// The lines of one event of `record`: a fired timer, a stage change, a failure, or its
    /// effects; other events give none.
    pub(crate) fn event(
        &self,
        record: &Record,
        event: &Event,
        effects: &[Effect],
    ) -> Vec<(String, String)> {
        let one = |line: String| vec![(record.id.clone(), line)];
        match &event.change {
            Change::TimerCleared { timer, fired: true } => {
                let automation = event
                    .by_automation
                    .as_deref()
                    .map_or_else(|| timer.clone(), |code| self.automation(code));
                one(format!(
                    "⏰ {} {automation}",
                    self.lang.pick("timer fired:", "сработал таймер:")
                ))
            }
            Change::StageChanged { from, to, .. } => one(format!(
                "➜ {}: {} → {}",
                self.lang.pick("stage", "этап"),
                self.q(&self.stage(&record.pipeline, from)),
                self.q(&self.stage(&record.pipeline, to))
            )),
            Change::TaskClosed { task, status, .. } => {
                let title = record
                    .tasks
                    .iter()
                    .find(|t| t.id == *task)
                    .map_or_else(|| task.clone(), |t| self.q(t.title.get(self.lang)));
                one(format!(
                    "☑ {} {title} {}",
                    self.lang.pick("task", "задача"),
                    self.status(*status)
                ))
            }
            Change::AutomationFailed { message, .. } => one(format!(
                "⚠ {} {}",
                self.lang.pick("automation failed:", "сбой автоматизации:"),
                message.get(self.lang)
            )),
            _ => event_effects(&record.id, event, effects)
                .iter()
                .map(|effect| (effect_record(effect).to_string(), self.effect(effect)))
                .collect(),
        }
    }

    fn status(&self, status: voronka::TaskStatus) -> &'static str {
        match status {
            voronka::TaskStatus::Done => self.lang.pick("done", "выполнена"),
            voronka::TaskStatus::Cancelled => self.lang.pick("cancelled", "отменена"),
            voronka::TaskStatus::Open => self.lang.pick("open", "открыта"),
        }
    }

    /// One effect in a line.
    pub(crate) fn effect(&self, effect: &Effect) -> String {
        let lang = self.lang;
        match effect {
            Effect::CreateTask { task, .. } => format!("☐ {}", self.task(task)),
            Effect::CloseTask { task, status, .. } => format!(
                "☑ {} {task} {}",
                lang.pick("task", "задача"),
                self.status(*status)
            ),
            Effect::Notify { to, message, .. } => {
                let who: Vec<String> = to.iter().map(|r| self.recipient(r)).collect();
                format!(
                    "🔔 {} {}: {}",
                    lang.pick("notification to", "уведомление для"),
                    who.join(", "),
                    message.get(lang)
                )
            }
            Effect::SendEmail { email, .. } => {
                let mut text = format!(
                    "✉ {} {}: {}",
                    lang.pick("e-mail to", "письмо на"),
                    email.to,
                    self.q(&email.subject)
                );
                if !email.attachments.is_empty() {
                    let names: Vec<String> = email
                        .attachments
                        .iter()
                        .map(|a| match a {
                            AttachmentRef::Document { document, .. } => self.document(document),
                            AttachmentRef::File { name, .. } => name.clone(),
                        })
                        .collect();
                    text.push_str(&format!(
                        "; {} {}",
                        lang.pick("attachments:", "вложения:"),
                        names.join(", ")
                    ));
                }
                text
            }
            Effect::RenderDocument { document, .. } => format!(
                "📄 {} {} ({}, {} {})",
                lang.pick("document requested:", "запрошен документ:"),
                self.q(&self.document(&document.document)),
                match document.lang {
                    voronka::automation::DocumentLang::Ru => lang.pick("in Russian", "на русском"),
                    voronka::automation::DocumentLang::En =>
                        lang.pick("in English", "на английском"),
                    voronka::automation::DocumentLang::Both =>
                        lang.pick("in Russian and English", "на русском и английском"),
                },
                lang.pick("number", "номер"),
                document.number_format,
            ),
            Effect::FindDuplicates { keys, .. } => {
                let mut all: Vec<String> = Vec::new();
                all.extend(keys.emails.iter().cloned());
                all.extend(keys.phones.iter().cloned());
                all.extend(keys.company_names.iter().cloned());
                all.extend(keys.tax_ids.iter().cloned());
                format!(
                    "🔍 {} {}",
                    lang.pick("duplicate look-up:", "поиск дубликатов:"),
                    all.join(", ")
                )
            }
            Effect::CreateRecord { entity, id, .. } => {
                let label = self
                    .model
                    .definition()
                    .entities
                    .iter()
                    .find(|e| e.code == *entity)
                    .map_or_else(|| entity.clone(), |e| e.label.get(lang).to_string());
                format!(
                    "＋ {} {} {id}",
                    lang.pick("new record:", "новая запись:"),
                    label.to_lowercase()
                )
            }
            Effect::DeliverSignal { to, name, .. } => format!(
                "📨 {} “{name}” → {to}",
                lang.pick(
                    "signal for the host to deliver:",
                    "сигнал, который хост доставит:"
                )
            ),
            _ => lang.pick("(other effect)", "(другое действие)").to_string(),
        }
    }
}

/// The effects of one event of `record` among a command's `effects`: what the event asks for,
/// and for a process started or a lead converted, the new record and its own first work.
pub(crate) fn event_effects(record: &str, event: &Event, effects: &[Effect]) -> Vec<Effect> {
    let mut out = effects_of(record, std::slice::from_ref(event));
    // A new task's effect in the command's effects carries its form too.
    for effect in &mut out {
        if let Effect::CreateTask { task, .. } = effect
            && let Some(full) = effects
                .iter()
                .find(|e| matches!(e, Effect::CreateTask { task: t, .. } if t.id == task.id))
        {
            *effect = full.clone();
        }
    }
    let child = match &event.change {
        Change::ProcessStarted { record, .. } => record,
        Change::LeadConverted { deal, .. } => deal,
        _ => return out,
    };
    let created = effects
        .iter()
        .position(|e| matches!(e, Effect::CreateRecord { id, record: Some(_), .. } if id == child));
    if let Some(start) = created {
        out.push(effects[start].clone());
        out.extend(
            effects[start + 1..]
                .iter()
                .take_while(|e| effect_record(e) == child)
                .cloned(),
        );
    }
    out
}

/// The record an effect concerns (for a new record: the record it came from).
pub(crate) fn effect_record(effect: &Effect) -> &str {
    match effect {
        Effect::CreateTask { record, .. }
        | Effect::CloseTask { record, .. }
        | Effect::Notify { record, .. }
        | Effect::SendEmail { record, .. }
        | Effect::RenderDocument { record, .. }
        | Effect::FindDuplicates { record, .. } => record,
        Effect::CreateRecord { source, .. } => source,
        _ => "",
    }
}
