//! `decide`, `evolve` and `apply`: the pure functions that run commands.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use crate::command::{Action, Command};
use crate::definition::FieldDef;
use crate::effect::Effect;
use crate::engine::compile::{CTask, Kind};
use crate::engine::{Done, Engine, TraceEntry};
use crate::error::{InvalidValue, MissingField, Permission, Rejection, ValueProblem};
use crate::i18n::Label;
use crate::model::{Model, Pipeline, RoleSet, StageId, missing_in};
use crate::record::{Change, Event, FieldChange, Recipient, Record, Task, TaskKind, TaskStatus};
use crate::value;

/// Longest id, idempotency key or user id accepted, in characters.
pub const MAX_ID_LENGTH: usize = 200;
/// Longest override reason accepted, in characters.
pub const MAX_REASON_LENGTH: usize = 2_000;

/// The result of applying a command: the new record, the events that made it, the work for
/// the host, and a trace of which automations ran, waited or were skipped, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    /// The record after the command.
    pub record: Record,
    /// The events the command produced (empty when it changed nothing): append them to the
    /// record's log.
    pub events: Vec<Event>,
    /// What the host must carry out (tasks, e-mails, documents, notifications, new records).
    pub effects: Vec<Effect>,
    /// Which automations started, waited, finished, were skipped or cancelled, and why.
    pub trace: Vec<TraceEntry>,
}

/// What a command decided, without the new record: its events (apply them with
/// [`Record::evolve`]), the work for the host and the trace.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decision {
    /// The events the command produced (empty when it changed nothing).
    pub events: Vec<Event>,
    /// What the host must carry out (tasks, e-mails, documents, notifications, new records).
    pub effects: Vec<Effect>,
    /// Which automations started, waited, finished, were skipped or cancelled, and why.
    pub trace: Vec<TraceEntry>,
}

/// A command checked against its record: its own changes and what the engine does next.
struct Checked<'m> {
    pipeline: &'m Pipeline,
    primary: Vec<Change>,
    tick: bool,
    resolve: Option<(Option<String>, Option<String>)>,
}

/// What entering a stage needs, computed without trying.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Requirements {
    /// The stage's code.
    pub stage: String,
    /// The stage's name.
    pub stage_label: Label,
    /// Whether the pipeline allows moving there from the record's current stage.
    pub move_allowed: bool,
    /// What is missing, in the definition's order (empty: nothing).
    pub missing: Vec<MissingField>,
}

fn check_text(value: &str, path: &str, max: usize) -> Result<(), Rejection> {
    let problem = if value.trim().is_empty() {
        Some("must not be empty".to_string())
    } else if value.len() > max && value.chars().count() > max {
        Some(format!("longer than {max} characters"))
    } else {
        None
    };
    match problem {
        Some(message) => Err(Rejection::InvalidCommand {
            path: path.to_string(),
            message,
        }),
        None => Ok(()),
    }
}

/// Lets the engine handle what is queued, checks the events against the limit, and hands over
/// what the command did.
fn finish(mut engine: Engine<'_>) -> Result<Done, Rejection> {
    engine.settle()?;
    engine.check_events()?;
    Ok(engine.into_done())
}

/// The first string longer than `limit` characters or array longer than `limit` items in
/// `value`, at any depth: its JSON path (from `path`) and length.
fn overlong(value: &Value, path: String, limit: usize) -> Option<(String, usize)> {
    match value {
        Value::String(s) => {
            // Bytes bound characters from above: count only when the bytes exceed the limit.
            let n = if s.len() > limit {
                s.chars().count()
            } else {
                0
            };
            (n > limit).then_some((path, n))
        }
        Value::Array(items) if items.len() > limit => Some((path, items.len())),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| overlong(v, format!("{path}[{i}]"), limit)),
        Value::Object(map) => map
            .iter()
            .find_map(|(k, v)| overlong(v, format!("{path}.{k}"), limit)),
        _ => None,
    }
}

/// Whether `value` holds, at any depth, a string longer than `limit` characters or an array
/// longer than `limit` items: the cheap test before [`overlong`] finds where (and pays for the
/// paths).
fn has_overlong(value: &Value, limit: usize) -> bool {
    match value {
        Value::String(s) => s.len() > limit && s.chars().count() > limit,
        Value::Array(items) => items.len() > limit || items.iter().any(|v| has_overlong(v, limit)),
        Value::Object(map) => map.values().any(|v| has_overlong(v, limit)),
        _ => false,
    }
}

/// Rejects a command whose field values or answers hold a string or an array longer than the
/// model's `value_length`.
fn check_value_lengths(command: &Command, limit: usize) -> Result<(), Rejection> {
    let (name, values) = match &command.action {
        Action::Create { fields, .. }
        | Action::SetFields { fields }
        | Action::Move { fields, .. }
        | Action::CaptureLead { fields, .. } => ("fields", fields),
        Action::CompleteTask { answers, .. } | Action::AnswerForm { answers, .. } => {
            ("answers", answers)
        }
        _ => return Ok(()),
    };
    match values
        .iter()
        .filter(|(_, v)| has_overlong(v, limit))
        .find_map(|(k, v)| overlong(v, format!("action.{name}.{k}"), limit))
    {
        Some((path, actual)) => Err(Rejection::LimitExceeded {
            limit_name: "value_length".into(),
            limit,
            actual,
            path,
        }),
        None => Ok(()),
    }
}

impl Model {
    /// Checks a command against the record (`None` for create) and returns what it decides:
    /// the events it causes — its own and those of the automations it sets off —, the work
    /// for the host and the trace; or why it is rejected. Changes nothing.
    pub fn decide(
        &self,
        record: Option<&Record>,
        command: &Command,
    ) -> Result<Decision, Rejection> {
        self.run(record, command).map(|done| Decision {
            events: done.events,
            effects: done.effects,
            trace: done.trace,
        })
    }

    /// Applies a command: [`decide`](Model::decide), then [`Record::evolve`] for each event;
    /// returns the new record, the events, the effects for the host and the trace. The input
    /// record is left as it was; on a rejection nothing changes.
    pub fn apply(&self, record: Option<&Record>, command: &Command) -> Result<Outcome, Rejection> {
        self.run(record, command).map(|done| Outcome {
            record: done.record,
            events: done.events,
            effects: done.effects,
            trace: done.trace,
        })
    }

    /// Checks the command's own texts; the actor's roles as a set.
    fn command_roles(&self, command: &Command) -> Result<RoleSet, Rejection> {
        check_text(&command.actor.user, "actor.user", MAX_ID_LENGTH)?;
        if let Some(key) = &command.idempotency_key {
            check_text(key, "idempotency_key", MAX_ID_LENGTH)?;
        }
        check_value_lengths(command, self.limits.value_length)?;
        Ok(self.role_set(&command.actor.roles))
    }

    pub(crate) fn run(
        &self,
        record: Option<&Record>,
        command: &Command,
    ) -> Result<Done, Rejection> {
        let roles = self.command_roles(command)?;
        let Some(record) = record else {
            return match &command.action {
                Action::Create {
                    id,
                    pipeline,
                    stage,
                    responsible,
                    fields,
                } => self.decide_create(
                    roles,
                    command,
                    id,
                    pipeline,
                    stage.as_deref(),
                    responsible,
                    fields,
                ),
                Action::CaptureLead {
                    id,
                    channel,
                    fields,
                    responsible,
                } => self.capture_lead(roles, command, id, channel, fields, responsible),
                _ => Err(Rejection::RecordMissing),
            };
        };
        let checked = self.check(record, command, roles)?;
        self.execute(checked, command, record.clone())
    }

    /// Checks a command against an existing record, before anything is copied.
    fn check(
        &self,
        record: &Record,
        command: &Command,
        roles: RoleSet,
    ) -> Result<Checked<'_>, Rejection> {
        if let Some(key) = &command.idempotency_key
            && record.has_applied(key)
        {
            return Err(Rejection::DuplicateCommand { key: key.clone() });
        }
        if let Some(expected) = command.expected_version
            && expected != record.version
        {
            return Err(Rejection::StaleVersion {
                expected,
                actual: record.version,
            });
        }
        if command.now < record.updated_at {
            return Err(Rejection::ClockWentBack {
                now: crate::utc::rfc3339(&command.now, false).as_str().to_owned(),
                last: crate::utc::rfc3339(&record.updated_at, false)
                    .as_str()
                    .to_owned(),
            });
        }
        let p = self.record_pipeline(record)?;
        let current = self.stage_of(p, &record.stage)?;
        // Everything is checked before the record is copied: a rejection costs no clone.
        let mut primary: Vec<Change> = Vec::new();
        let mut tick = false;
        let mut resolve = None;
        match &command.action {
            Action::Create { id, .. } | Action::CaptureLead { id, .. } => {
                return Err(Rejection::RecordExists { id: id.clone() });
            }
            Action::SetFields { fields } => {
                let changes =
                    self.field_changes(p, roles, &command.actor.user, &record.fields, fields)?;
                if !changes.is_empty() {
                    let before_missing = self.missing(p, current, &record.fields);
                    let after_missing = self.missing_after(p, current, &record.fields, &changes);
                    let broken: Vec<MissingField> = after_missing
                        .into_iter()
                        .filter(|m| !before_missing.contains(m))
                        .collect();
                    if !broken.is_empty() {
                        return Err(Rejection::WouldBreakRequirements {
                            stage: record.stage.clone(),
                            stage_label: p.stages[current].label.clone(),
                            missing: broken,
                        });
                    }
                    primary.push(Change::FieldsChanged { changes });
                }
            }
            Action::Move {
                to,
                fields,
                override_reason,
            } => {
                let target = self.stage_of(p, to)?;
                if target == current {
                    return Err(Rejection::AlreadyInStage { stage: to.clone() });
                }
                if !move_allowed(p, record, current, target) {
                    return Err(Rejection::TransitionNotAllowed {
                        from: record.stage.clone(),
                        to: to.clone(),
                        from_label: Some(p.stages[current].label.clone()),
                        to_label: p.stages[target].label.clone(),
                    });
                }
                self.permit(p.move_, roles, command, Permission::Move, None, Some(to))?;
                self.permit(
                    p.stages[target].enter_roles,
                    roles,
                    command,
                    Permission::Move,
                    None,
                    Some(to),
                )?;
                let changes =
                    self.field_changes(p, roles, &command.actor.user, &record.fields, fields)?;
                // The changes are laid over the record's fields: no copy.
                let missing = self.missing_after(p, target, &record.fields, &changes);
                let mut overridden = None;
                if !missing.is_empty() {
                    let Some(reason) = override_reason else {
                        return Err(Rejection::MissingFields {
                            stage: to.clone(),
                            stage_label: p.stages[target].label.clone(),
                            missing,
                        });
                    };
                    self.permit(
                        Some(p.override_),
                        roles,
                        command,
                        Permission::Override,
                        None,
                        Some(to),
                    )?;
                    check_text(reason, "action.override_reason", MAX_REASON_LENGTH)?;
                    overridden = Some(Change::RequirementsOverridden {
                        stage: to.clone(),
                        missing: missing.into_iter().map(|m| m.field).collect(),
                        reason: reason.trim().to_string(),
                    });
                }
                if !changes.is_empty() {
                    primary.push(Change::FieldsChanged { changes });
                }
                if let Some(change) = overridden {
                    primary.push(change);
                }
                let return_stage =
                    (p.return_from & (1u128 << target) != 0).then(|| record.stage.clone());
                primary.push(Change::StageChanged {
                    from: record.stage.clone(),
                    to: to.clone(),
                    return_stage,
                });
            }
            Action::Tick => tick = true,
            Action::CompleteTask { task, answers } => {
                let (t, form) = self.open_task(p, record, task)?;
                self.may_complete(p, &t, form, roles, command)?;
                let given = self.check_answers(&t, form, answers)?;
                let mut all = t.answers.clone();
                all.extend(given.clone());
                if let Some(form) = form {
                    let missing = missing_in(&form.form, &form.form_requires, &all);
                    if !missing.is_empty() {
                        return Err(Rejection::MissingAnswers {
                            task: t.id.clone(),
                            title: t.title.clone(),
                            missing,
                        });
                    }
                    if form.def.checklist_required {
                        let unchecked: Vec<Label> = t
                            .checklist
                            .iter()
                            .filter(|i| !i.done)
                            .map(|i| i.label.clone())
                            .collect();
                        if !unchecked.is_empty() {
                            return Err(Rejection::ChecklistIncomplete {
                                task: t.id.clone(),
                                items: unchecked,
                            });
                        }
                    }
                }
                primary.push(Change::TaskClosed {
                    task: t.id.clone(),
                    status: TaskStatus::Done,
                    answers: given.into_iter().filter(|(_, v)| !v.is_null()).collect(),
                });
            }
            Action::AnswerForm { task, answers } => {
                let (t, form) = self.open_task(p, record, task)?;
                self.may_complete(p, &t, form, roles, command)?;
                let given = self.check_answers(&t, form, answers)?;
                let changed: BTreeMap<String, Value> = given
                    .into_iter()
                    .filter(|(k, v)| t.answers.get(k).unwrap_or(&Value::Null) != v)
                    .collect();
                if !changed.is_empty() {
                    primary.push(Change::TaskAnswered {
                        task: t.id.clone(),
                        answers: changed,
                    });
                }
            }
            Action::CheckItem { task, item, done } => {
                let (t, form) = self.open_task(p, record, task)?;
                self.may_complete(p, &t, form, roles, command)?;
                let Some(entry) = t.checklist.get(*item) else {
                    return Err(Rejection::InvalidCommand {
                        path: "action.item".into(),
                        message: format!("the task has {} checklist item(s)", t.checklist.len()),
                    });
                };
                if entry.done != *done {
                    primary.push(Change::ChecklistChecked {
                        task: t.id.clone(),
                        item: *item,
                        done: *done,
                    });
                }
            }
            Action::Signal { name, from } => {
                check_text(name, "action.name", MAX_ID_LENGTH)?;
                primary.push(Change::SignalReceived {
                    name: name.clone(),
                    from: from.clone(),
                });
            }
            Action::ResolveDuplicates { contact, company } => {
                for (path, id) in [("action.contact", contact), ("action.company", company)] {
                    if let Some(id) = id {
                        check_text(id, path, MAX_ID_LENGTH)?;
                    }
                }
                resolve = Some((contact.clone(), company.clone()));
            }
        }
        Ok(Checked {
            pipeline: p,
            primary,
            tick,
            resolve,
        })
    }

    /// Runs a checked command on a copy of the record (the engine's scratch record).
    fn execute<'m>(
        &'m self,
        checked: Checked<'m>,
        command: &'m Command,
        record: Record,
    ) -> Result<Done, Rejection> {
        let mut engine = Engine::new(self, checked.pipeline, command, record);
        for change in checked.primary {
            engine.emit(change, None);
        }
        if checked.tick {
            engine.tick()?;
        }
        if let Some((contact, company)) = checked.resolve {
            engine.resolve_duplicates(contact, company)?;
        }
        finish(engine)
    }

    /// The compiled task `code` of `automation` in pipeline `p`: a `task` activity, an
    /// approval's decision or rework task, or an acknowledgement's confirmation.
    pub(crate) fn compiled_task<'m>(
        &'m self,
        p: &'m Pipeline,
        automation: &str,
        code: &str,
    ) -> Option<&'m CTask> {
        let a = p.automations.iter().find(|a| a.code == automation)?;
        a.nodes.iter().find_map(|n| match &n.kind {
            Kind::Task(t) if t.def.code == code => Some(&**t),
            Kind::Approval(ap) if ap.decision.def.code == code => Some(&ap.decision),
            Kind::Approval(ap) if ap.rework.def.code == code => Some(&ap.rework),
            Kind::Acknowledge(ack) if ack.confirm.def.code == code => Some(&ack.confirm),
            _ => None,
        })
    }

    /// The form of task `code` of `automation` in `pipeline` (a task's `automation` and `code`,
    /// a record's `pipeline`): the questions to answer, in the definition's order. Empty when
    /// the task has no form or the model has no such task. The form is not stored with the
    /// task: it is the model's.
    pub fn task_form(&self, pipeline: &str, automation: &str, code: &str) -> &[FieldDef] {
        self.pipeline_id(pipeline)
            .and_then(|p| self.compiled_task(&self.pipelines[p], automation, code))
            .map_or(&[], |t| t.def.form.as_slice())
    }

    /// The open task `id` of the record with its compiled form, or why not.
    fn open_task<'m>(
        &'m self,
        p: &'m Pipeline,
        record: &Record,
        id: &str,
    ) -> Result<(Task, Option<&'m CTask>), Rejection> {
        let task = record
            .tasks
            .iter()
            .find(|t| t.id == id)
            .cloned()
            .ok_or_else(|| {
                // A closed task leaves the snapshot once nothing reads it; its id still says
                // the record made it.
                if record.made_task(id) {
                    Rejection::TaskClosed {
                        task: id.to_string(),
                    }
                } else {
                    Rejection::UnknownTask {
                        task: id.to_string(),
                    }
                }
            })?;
        if task.status != TaskStatus::Open {
            return Err(Rejection::TaskClosed {
                task: id.to_string(),
            });
        }
        let form = self.compiled_task(p, &task.automation, &task.code);
        Ok((task, form))
    }

    /// Only the assignee, a holder of the assignee role, or a permitted role completes a task.
    fn may_complete(
        &self,
        p: &Pipeline,
        task: &Task,
        form: Option<&CTask>,
        roles: RoleSet,
        command: &Command,
    ) -> Result<(), Rejection> {
        let actor = &command.actor;
        let assignee = match &task.assignee {
            // A deputy works in the absent user's place, but cannot confirm their reading.
            Recipient::User(user) => {
                *user == actor.user
                    || (task.kind != TaskKind::Acknowledgement
                        && command
                            .org
                            .as_ref()
                            .and_then(|org| org.deputy(user, command.now))
                            .is_some_and(|deputy| deputy == actor.user))
            }
            Recipient::Role(role) => actor.roles.contains(role),
        };
        // Decisions and confirmations are personal: nobody else may give them.
        let others = match task.kind {
            TaskKind::Approval | TaskKind::Acknowledgement => 0,
            TaskKind::Plain | TaskKind::Rework => {
                p.complete_any_task | form.map_or(0, |f| f.completers)
            }
        };
        if assignee || roles & others != 0 {
            Ok(())
        } else {
            Err(Rejection::NotPermitted {
                user: actor.user.clone(),
                action: Permission::CompleteTask,
                field: None,
                stage: None,
                allowed_roles: self.role_names(others),
            })
        }
    }

    /// Checks answers against the task's form; returns them normalized (`null` clears).
    fn check_answers(
        &self,
        task: &Task,
        form: Option<&CTask>,
        answers: &BTreeMap<String, Value>,
    ) -> Result<BTreeMap<String, Value>, Rejection> {
        let mut errors = Vec::new();
        let mut out = BTreeMap::new();
        for (code, raw) in answers {
            let def =
                form.and_then(|f| f.form.field_index.get(code).map(|&i| &f.form.fields[i].def));
            let Some(def) = def else {
                errors.push(InvalidValue {
                    field: code.clone(),
                    at: String::new(),
                    label: Label::new(code.clone(), code.clone()),
                    problem: ValueProblem::UnknownPart { part: code.clone() },
                });
                continue;
            };
            match value::normalize(def, raw) {
                Ok(v) => {
                    out.insert(code.clone(), v);
                }
                Err((at, problem)) => errors.push(InvalidValue {
                    field: code.clone(),
                    at,
                    label: def.label.clone(),
                    problem,
                }),
            }
        }
        if errors.is_empty() {
            Ok(out)
        } else {
            Err(Rejection::InvalidAnswers {
                task: task.id.clone(),
                errors,
            })
        }
    }

    fn capture_lead(
        &self,
        roles: RoleSet,
        command: &Command,
        id: &str,
        channel: &str,
        fields: &BTreeMap<String, Value>,
        responsible: &Option<String>,
    ) -> Result<Done, Rejection> {
        let Some(capture) = &self.definition().lead_capture else {
            return Err(Rejection::InvalidCommand {
                path: "action".into(),
                message: "the definition has no lead_capture".into(),
            });
        };
        check_text(channel, "action.channel", MAX_ID_LENGTH)?;
        let source = self.definition().entities.iter().find_map(|e| {
            e.fields.iter().find(|f| {
                f.code == capture.source_field
                    && self
                        .pipeline_id(&capture.pipeline)
                        .is_some_and(|p| self.entities[self.pipelines[p].entity].code == e.code)
            })
        });
        let channel = channel.trim();
        let value = match source {
            Some(def) if def.options.iter().any(|o| o.code == channel) => Value::from(channel),
            Some(def) if def.other.is_some() => serde_json::json!({
                "option": def.other.as_ref().map(|o| o.code.clone()).unwrap_or_default(),
                "text": channel,
            }),
            _ => Value::from(channel),
        };
        let mut all = fields.clone();
        all.insert(capture.source_field.clone(), value);
        self.decide_create(
            roles,
            command,
            id,
            &capture.pipeline,
            None,
            responsible,
            &all,
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn decide_create(
        &self,
        roles: RoleSet,
        command: &Command,
        id: &str,
        pipeline: &str,
        stage: Option<&str>,
        responsible: &Option<String>,
        fields: &BTreeMap<String, Value>,
    ) -> Result<Done, Rejection> {
        check_text(id, "action.id", MAX_ID_LENGTH)?;
        if let Some(user) = responsible {
            check_text(user, "action.responsible", MAX_ID_LENGTH)?;
        }
        let p = self
            .pipeline_id(pipeline)
            .map(|i| &self.pipelines[i])
            .ok_or_else(|| Rejection::UnknownPipeline {
                pipeline: pipeline.to_string(),
            })?;
        let stage_id = match stage {
            Some(code) => self.stage_of(p, code)?,
            None => p.initial.trailing_zeros() as StageId,
        };
        if p.initial & (1u128 << stage_id) == 0 {
            return Err(Rejection::TransitionNotAllowed {
                from: String::new(),
                to: p.stages[stage_id].code.clone(),
                from_label: None,
                to_label: p.stages[stage_id].label.clone(),
            });
        }
        let stage_code = p.stages[stage_id].code.clone();
        self.permit(p.create, roles, command, Permission::Create, None, None)?;
        self.permit(
            p.stages[stage_id].enter_roles,
            roles,
            command,
            Permission::Move,
            None,
            Some(&stage_code),
        )?;
        let empty = BTreeMap::new();
        // Creating is permitted by `create`; only field-level `editable_by` still applies.
        let changes =
            self.field_changes_with(p, roles, &command.actor.user, &empty, fields, None)?;
        // The new values move out of the changes (no copy): a new record starts from them.
        let values: BTreeMap<String, Value> = changes
            .into_iter()
            .filter_map(|(code, change)| change.to.map(|v| (code, v)))
            .collect();
        let missing = self.missing(p, stage_id, &values);
        if !missing.is_empty() {
            return Err(Rejection::MissingFields {
                stage: stage_code,
                stage_label: p.stages[stage_id].label.clone(),
                missing,
            });
        }
        let mut engine = Engine::new(self, p, command, Record::placeholder(id, command.now));
        engine.emit(
            Change::Created {
                id: id.to_string(),
                entity: self.entities[p.entity].code.clone(),
                pipeline: p.code.clone(),
                stage: stage_code,
                responsible: responsible.clone(),
                fields: values,
            },
            None,
        );
        finish(engine)
    }

    /// What entering `stage` needs from `record`, without trying the move (for a move dialog).
    pub fn requirements(&self, record: &Record, stage: &str) -> Result<Requirements, Rejection> {
        let p = self.record_pipeline(record)?;
        let current = self.stage_of(p, &record.stage)?;
        let target = self.stage_of(p, stage)?;
        Ok(Requirements {
            stage: stage.to_string(),
            stage_label: p.stages[target].label.clone(),
            move_allowed: target != current && move_allowed(p, record, current, target),
            missing: self.missing(p, target, &record.fields),
        })
    }

    /// The stages the record may move to from where it is now, in stage order.
    pub fn next_stages(&self, record: &Record) -> Result<Vec<String>, Rejection> {
        let p = self.record_pipeline(record)?;
        let current = self.stage_of(p, &record.stage)?;
        Ok((0..p.stages.len())
            .filter(|&t| t != current && move_allowed(p, record, current, t))
            .map(|t| p.stages[t].code.clone())
            .collect())
    }

    fn record_pipeline(&self, record: &Record) -> Result<&Pipeline, Rejection> {
        let p = self
            .pipeline_id(&record.pipeline)
            .map(|i| &self.pipelines[i])
            .ok_or_else(|| Rejection::UnknownPipeline {
                pipeline: record.pipeline.clone(),
            })?;
        if self.entity_id(&record.entity) != Some(p.entity) {
            return Err(Rejection::InvalidCommand {
                path: "record.entity".into(),
                message: format!(
                    "pipeline \"{}\" holds \"{}\" records, not \"{}\"",
                    p.code, self.entities[p.entity].code, record.entity
                ),
            });
        }
        Ok(p)
    }

    fn stage_of(&self, p: &Pipeline, code: &str) -> Result<StageId, Rejection> {
        p.stage_index
            .get(code)
            .copied()
            .ok_or_else(|| Rejection::UnknownStage {
                stage: code.to_string(),
            })
    }

    fn permit(
        &self,
        allowed: Option<RoleSet>,
        roles: RoleSet,
        command: &Command,
        action: Permission,
        field: Option<&str>,
        stage: Option<&str>,
    ) -> Result<(), Rejection> {
        match allowed {
            Some(set) if set & roles == 0 => Err(Rejection::NotPermitted {
                user: command.actor.user.clone(),
                action,
                field: field.map(str::to_string),
                stage: stage.map(str::to_string),
                allowed_roles: self.role_names(set),
            }),
            _ => Ok(()),
        }
    }

    fn field_changes(
        &self,
        p: &Pipeline,
        roles: RoleSet,
        user: &str,
        current: &BTreeMap<String, Value>,
        input: &BTreeMap<String, Value>,
    ) -> Result<BTreeMap<String, FieldChange>, Rejection> {
        self.field_changes_with(p, roles, user, current, input, p.edit)
    }

    /// Checks `input` (unknown fields, edit permission, values) and returns the real changes.
    fn field_changes_with(
        &self,
        p: &Pipeline,
        roles: RoleSet,
        user: &str,
        current: &BTreeMap<String, Value>,
        input: &BTreeMap<String, Value>,
        pipeline_edit: Option<RoleSet>,
    ) -> Result<BTreeMap<String, FieldChange>, Rejection> {
        let entity = &self.entities[p.entity];
        // One look-up per field. Unknown fields are reported first (all of them), then the
        // first field the roles may not edit, then every invalid value: once the answer is
        // one of the first two, the rest is only scanned for unknown fields.
        let mut unknown: Vec<String> = Vec::new();
        let mut denied = None;
        let mut invalid = Vec::new();
        let mut changes = BTreeMap::new();
        for (code, raw) in input {
            let Some(&id) = entity.field_index.get(code) else {
                unknown.push(code.clone());
                continue;
            };
            if !unknown.is_empty() || denied.is_some() {
                continue;
            }
            let field = &entity.fields[id];
            let allowed = field.editable_by.or(pipeline_edit);
            if let Some(set) = allowed
                && set & roles == 0
            {
                denied = Some(Rejection::NotPermitted {
                    user: user.to_string(),
                    action: Permission::Edit,
                    field: Some(code.clone()),
                    stage: None,
                    allowed_roles: self.role_names(set),
                });
                continue;
            }
            match value::normalize(&field.def, raw) {
                Ok(new) => {
                    let old = current.get(code).filter(|v| !v.is_null());
                    let new = (!new.is_null()).then_some(new);
                    if old != new.as_ref() {
                        changes.insert(
                            code.clone(),
                            FieldChange {
                                from: old.cloned(),
                                to: new,
                            },
                        );
                    }
                }
                Err((at, problem)) => invalid.push(InvalidValue {
                    field: code.clone(),
                    at,
                    label: field.def.label.clone(),
                    problem,
                }),
            }
        }
        if !unknown.is_empty() {
            return Err(Rejection::UnknownFields { fields: unknown });
        }
        if let Some(rejection) = denied {
            return Err(rejection);
        }
        // An account whose key does not agree with its bank's БИК, as they will stand after
        // the change (either may change).
        for field in &entity.fields {
            let code = &field.def.code;
            let Some(bik_code) = &field.def.bik_field else {
                continue;
            };
            if !changes.contains_key(code) && !changes.contains_key(bik_code) {
                continue;
            }
            let after = |c: &String| match changes.get(c) {
                Some(change) => change.to.as_ref().and_then(Value::as_str),
                None => current.get(c).and_then(Value::as_str),
            };
            if let (Some(account), Some(bik)) = (after(code), after(bik_code))
                && !crate::requisites::account_matches_bik(field.def.field_type, account, bik)
            {
                invalid.push(InvalidValue {
                    field: code.clone(),
                    at: String::new(),
                    label: field.def.label.clone(),
                    problem: ValueProblem::InvalidRequisite {
                        requisite: field.def.field_type.as_str().to_string(),
                        problem: "bik_mismatch".into(),
                    },
                });
            }
        }
        if !invalid.is_empty() {
            return Err(Rejection::InvalidValues { errors: invalid });
        }
        Ok(changes)
    }
}

pub(crate) fn move_allowed(
    p: &Pipeline,
    record: &Record,
    current: StageId,
    target: StageId,
) -> bool {
    if p.moves[current] & (1u128 << target) != 0 {
        return true;
    }
    p.return_from & (1u128 << current) != 0
        && record.return_stage.as_deref() == Some(&p.stages[target].code)
}
