//! Records and the events that change them.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A record (a lead, a deal, a request…) as the host stores it.
///
/// The history holds every event since creation; [`Record::replay`] rebuilds the record
/// from it exactly.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Record {
    /// The host's id of the record.
    pub id: String,
    /// The entity code.
    pub entity: String,
    /// The pipeline code.
    pub pipeline: String,
    /// The current stage code.
    pub stage: String,
    /// The responsible user, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub responsible: Option<String>,
    /// Field values in canonical form, by field code.
    #[serde(default)]
    pub fields: BTreeMap<String, Value>,
    /// Number of events applied; a command may name the version it was built on.
    pub version: u64,
    /// When the record was created.
    pub created_at: DateTime<Utc>,
    /// When the record last changed.
    pub updated_at: DateTime<Utc>,
    /// When the record entered its current stage.
    pub stage_entered_at: DateTime<Utc>,
    /// The stage to return to from a stage such as "postponed".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_stage: Option<String>,
    /// Every event since creation, oldest first.
    #[serde(default)]
    pub history: Vec<Event>,
}

/// Something that happened to a record: who, when, and what changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Event {
    /// The record's version after this event.
    pub version: u64,
    /// When it happened (the command's `now`).
    pub at: DateTime<Utc>,
    /// The user who caused it.
    pub actor: String,
    /// The idempotency key of the command that caused it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idempotency_key: Option<String>,
    /// What changed.
    #[serde(flatten)]
    pub change: Change,
}

/// A change of a field: its value before and after (`None`: empty).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct FieldChange {
    /// The value before.
    #[serde(default)]
    pub from: Option<Value>,
    /// The value after.
    #[serde(default)]
    pub to: Option<Value>,
}

/// What an event changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Change {
    /// The record was created.
    Created {
        /// The record's id.
        id: String,
        /// Its entity.
        entity: String,
        /// Its pipeline.
        pipeline: String,
        /// Its first stage.
        stage: String,
        /// Its responsible user.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        responsible: Option<String>,
        /// Its initial field values.
        #[serde(default)]
        fields: BTreeMap<String, Value>,
    },
    /// Field values changed.
    FieldsChanged {
        /// Each changed field with its old and new value.
        changes: BTreeMap<String, FieldChange>,
    },
    /// A permitted actor moved the record despite unmet requirements, with a reason.
    RequirementsOverridden {
        /// The stage entered.
        stage: String,
        /// The codes of the fields that were missing.
        missing: Vec<String>,
        /// Why.
        reason: String,
    },
    /// The record moved to another stage.
    StageChanged {
        /// The stage left.
        from: String,
        /// The stage entered.
        to: String,
        /// Where the record will return from this stage (postponed → where it came from).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        return_stage: Option<String>,
    },
}

impl Record {
    /// Builds a record from a `Created` event; `None` for any other event.
    pub fn from_created(event: &Event) -> Option<Record> {
        let Change::Created {
            id,
            entity,
            pipeline,
            stage,
            responsible,
            fields,
        } = &event.change
        else {
            return None;
        };
        Some(Record {
            id: id.clone(),
            entity: entity.clone(),
            pipeline: pipeline.clone(),
            stage: stage.clone(),
            responsible: responsible.clone(),
            fields: fields.clone(),
            version: event.version,
            created_at: event.at,
            updated_at: event.at,
            stage_entered_at: event.at,
            return_stage: None,
            history: vec![event.clone()],
        })
    }

    /// Applies one event. Never fails: events are facts already decided.
    pub fn evolve(&mut self, event: &Event) {
        match &event.change {
            Change::Created { .. } => {
                if let Some(fresh) = Record::from_created(event) {
                    *self = fresh;
                }
                return;
            }
            Change::FieldsChanged { changes } => {
                for (code, change) in changes {
                    match &change.to {
                        Some(v) if !v.is_null() => {
                            self.fields.insert(code.clone(), v.clone());
                        }
                        _ => {
                            self.fields.remove(code);
                        }
                    }
                }
            }
            Change::RequirementsOverridden { .. } => {}
            Change::StageChanged {
                to, return_stage, ..
            } => {
                self.stage = to.clone();
                self.return_stage = return_stage.clone();
                self.stage_entered_at = event.at;
            }
        }
        self.version = event.version;
        self.updated_at = event.at;
        self.history.push(event.clone());
    }

    /// Rebuilds a record from its events; `None` when they do not start with `Created`.
    pub fn replay(events: &[Event]) -> Option<Record> {
        let (first, rest) = events.split_first()?;
        let mut record = Record::from_created(first)?;
        for event in rest {
            record.evolve(event);
        }
        Some(record)
    }

    /// Whether a command with this idempotency key was already applied.
    pub fn has_applied(&self, key: &str) -> bool {
        self.history
            .iter()
            .any(|e| e.idempotency_key.as_deref() == Some(key))
    }
}
