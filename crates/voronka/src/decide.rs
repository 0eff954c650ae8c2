//! `decide`, `evolve` and `apply`: the pure functions that run commands.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use crate::command::{Action, Command};
use crate::error::{InvalidValue, MissingField, Permission, Rejection};
use crate::i18n::Label;
use crate::model::{Model, Pipeline, RoleSet, StageId};
use crate::record::{Change, Event, FieldChange, Record};
use crate::value;

/// Longest id, idempotency key or user id accepted, in characters.
pub const MAX_ID_LENGTH: usize = 200;
/// Longest override reason accepted, in characters.
pub const MAX_REASON_LENGTH: usize = 2_000;

/// The result of applying a command: the new record and the events that made it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    /// The record after the command.
    pub record: Record,
    /// The events the command produced (empty when it changed nothing).
    pub events: Vec<Event>,
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
    } else if value.chars().count() > max {
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

impl Model {
    /// Checks a command against the record (`None` for create) and returns the events it
    /// causes, or why it is rejected. Changes nothing.
    pub fn decide(
        &self,
        record: Option<&Record>,
        command: &Command,
    ) -> Result<Vec<Event>, Rejection> {
        check_text(&command.actor.user, "actor.user", MAX_ID_LENGTH)?;
        if let Some(key) = &command.idempotency_key {
            check_text(key, "idempotency_key", MAX_ID_LENGTH)?;
        }
        let roles = self.role_set(&command.actor.roles);
        let mut events = Events {
            next_version: record.map_or(1, |r| r.version + 1),
            command,
            list: Vec::new(),
        };
        let Some(record) = record else {
            return match &command.action {
                Action::Create {
                    id,
                    pipeline,
                    stage,
                    responsible,
                    fields,
                } => {
                    self.decide_create(
                        roles,
                        command,
                        id,
                        pipeline,
                        stage.as_deref(),
                        responsible,
                        fields,
                        &mut events,
                    )?;
                    Ok(events.list)
                }
                _ => Err(Rejection::RecordMissing),
            };
        };
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
                now: command.now.to_rfc3339(),
                last: record.updated_at.to_rfc3339(),
            });
        }
        let p = self.record_pipeline(record)?;
        let current = self.stage_of(p, &record.stage)?;
        match &command.action {
            Action::Create { id, .. } => Err(Rejection::RecordExists { id: id.clone() }),
            Action::SetFields { fields } => {
                let changes =
                    self.field_changes(p, roles, &command.actor.user, &record.fields, fields)?;
                if changes.is_empty() {
                    return Ok(Vec::new());
                }
                let after = merged(&record.fields, &changes);
                let before_missing = self.missing(p, current, &record.fields);
                let after_missing = self.missing(p, current, &after);
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
                events.push(Change::FieldsChanged { changes });
                Ok(events.list)
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
                let after = merged(&record.fields, &changes);
                let missing = self.missing(p, target, &after);
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
                    if !changes.is_empty() {
                        events.push(Change::FieldsChanged { changes });
                    }
                    events.push(Change::RequirementsOverridden {
                        stage: to.clone(),
                        missing: missing.into_iter().map(|m| m.field).collect(),
                        reason: reason.trim().to_string(),
                    });
                } else if !changes.is_empty() {
                    events.push(Change::FieldsChanged { changes });
                }
                let return_stage =
                    (p.return_from & (1u128 << target) != 0).then(|| record.stage.clone());
                events.push(Change::StageChanged {
                    from: record.stage.clone(),
                    to: to.clone(),
                    return_stage,
                });
                Ok(events.list)
            }
        }
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
        events: &mut Events<'_>,
    ) -> Result<(), Rejection> {
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
        let values = merged(&empty, &changes);
        let missing = self.missing(p, stage_id, &values);
        if !missing.is_empty() {
            return Err(Rejection::MissingFields {
                stage: stage_code,
                stage_label: p.stages[stage_id].label.clone(),
                missing,
            });
        }
        events.push(Change::Created {
            id: id.to_string(),
            entity: self.entities[p.entity].code.clone(),
            pipeline: p.code.clone(),
            stage: stage_code,
            responsible: responsible.clone(),
            fields: values,
        });
        Ok(())
    }

    /// Applies a command: [`decide`](Model::decide), then [`Record::evolve`] for each event.
    pub fn apply(&self, record: Option<&Record>, command: &Command) -> Result<Outcome, Rejection> {
        let events = self.decide(record, command)?;
        let mut current = record.cloned();
        for event in &events {
            match current.as_mut() {
                Some(r) => r.evolve(event),
                None => current = Record::from_created(event),
            }
        }
        let record = current.ok_or(Rejection::RecordMissing)?;
        Ok(Outcome { record, events })
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
        let unknown: Vec<String> = input
            .keys()
            .filter(|k| !entity.field_index.contains_key(*k))
            .cloned()
            .collect();
        if !unknown.is_empty() {
            return Err(Rejection::UnknownFields { fields: unknown });
        }
        let mut invalid = Vec::new();
        let mut changes = BTreeMap::new();
        for (code, raw) in input {
            let field = &entity.fields[entity.field_index[code]];
            let allowed = field.editable_by.or(pipeline_edit);
            if let Some(set) = allowed
                && set & roles == 0
            {
                return Err(Rejection::NotPermitted {
                    user: user.to_string(),
                    action: Permission::Edit,
                    field: Some(code.clone()),
                    stage: None,
                    allowed_roles: self.role_names(set),
                });
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
        if !invalid.is_empty() {
            return Err(Rejection::InvalidValues { errors: invalid });
        }
        Ok(changes)
    }
}

fn move_allowed(p: &Pipeline, record: &Record, current: StageId, target: StageId) -> bool {
    if p.moves[current] & (1u128 << target) != 0 {
        return true;
    }
    p.return_from & (1u128 << current) != 0
        && record.return_stage.as_deref() == Some(&p.stages[target].code)
}

fn merged(
    current: &BTreeMap<String, Value>,
    changes: &BTreeMap<String, FieldChange>,
) -> BTreeMap<String, Value> {
    let mut out = current.clone();
    for (code, change) in changes {
        match &change.to {
            Some(v) => {
                out.insert(code.clone(), v.clone());
            }
            None => {
                out.remove(code);
            }
        }
    }
    out
}

struct Events<'a> {
    next_version: u64,
    command: &'a Command,
    list: Vec<Event>,
}

impl Events<'_> {
    fn push(&mut self, change: Change) {
        self.list.push(Event {
            version: self.next_version,
            at: self.command.now,
            actor: self.command.actor.user.clone(),
            idempotency_key: self.command.idempotency_key.clone(),
            change,
        });
        self.next_version += 1;
    }
}
