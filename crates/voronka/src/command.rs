//! Commands: what an actor asks to do to a record, at a given moment.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::org::Org;

/// Who acts: a user id and the roles the host's directory gives them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Actor {
    /// The user's id.
    pub user: String,
    /// The user's role codes; codes the definition does not know are ignored.
    #[serde(default)]
    pub roles: Vec<String>,
}

impl Actor {
    /// An actor with these roles.
    pub fn new(user: impl Into<String>, roles: &[&str]) -> Actor {
        Actor {
            user: user.into(),
            roles: roles.iter().map(|r| r.to_string()).collect(),
        }
    }
}

/// A command: an action with its actor, the time it happens, and optional concurrency guards.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Command {
    /// Who acts.
    pub actor: Actor,
    /// The moment of the command. The library never reads a clock.
    #[serde(
        serialize_with = "crate::utc::serialize",
        deserialize_with = "crate::utc::deserialize"
    )]
    pub now: DateTime<Utc>,
    /// The record version the command was built on; rejected as stale when it differs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_version: Option<u64>,
    /// A key making retries safe: a key already applied to the record is rejected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idempotency_key: Option<String>,
    /// The org structure, for automations that resolve heads, departments, roles and deputies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org: Option<Org>,
    /// What to do.
    pub action: Action,
}

impl Command {
    /// A command of `actor` at `now`, without a version guard, idempotency key or org.
    pub fn new(actor: Actor, now: DateTime<Utc>, action: Action) -> Command {
        Command {
            actor,
            now,
            expected_version: None,
            idempotency_key: None,
            org: None,
            action,
        }
    }

    /// Rejects the command as stale unless the record is at `version`.
    pub fn expecting_version(mut self, version: u64) -> Command {
        self.expected_version = Some(version);
        self
    }

    /// Makes retries safe: a command with a key the record remembers is refused as a duplicate.
    pub fn with_idempotency_key(mut self, key: impl Into<String>) -> Command {
        self.idempotency_key = Some(key.into());
        self
    }

    /// The org structure automations resolve heads, departments, roles and deputies through.
    pub fn with_org(mut self, org: Org) -> Command {
        self.org = Some(org);
        self
    }
}

crate::tagged::decoded_enum! {
(tag = "type", streamed), shadow = ActionDe [remote = "Action", rename_all = "snake_case", deny_unknown_fields];
/// What a command does.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Action {
    /// Create a record in a pipeline (in its initial stage unless `stage` names another initial one).
    Create {
        /// The host's id for the new record.
        id: String,
        /// The pipeline code.
        pipeline: String,
        /// The stage to create it in.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        stage: Option<String>,
        /// The responsible user.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        responsible: Option<String>,
        /// Initial field values.
        #[serde(default)]
        fields: BTreeMap<String, Value>,
    },
    /// Set field values; `null` (or an empty value) clears a field.
    SetFields {
        /// The values by field code.
        fields: BTreeMap<String, Value>,
    },
    /// Move the record to another stage, optionally setting fields in the same step.
    Move {
        /// The stage code.
        to: String,
        /// Values to set before checking the stage's requirements.
        #[serde(default)]
        fields: BTreeMap<String, Value>,
        /// With a permitted role: move despite unmet requirements, for this reason (recorded).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        override_reason: Option<String>,
    },
    /// Fire the timers due at `now` (the host calls it at [`Record::next_due`](crate::Record::next_due)).
    Tick,
    /// Complete a task, with the answers of its form.
    CompleteTask {
        /// The task's id.
        task: String,
        /// Answers (merged over those saved before).
        #[serde(default)]
        answers: BTreeMap<String, Value>,
    },
    /// Save answers of a task's form without completing it.
    AnswerForm {
        /// The task's id.
        task: String,
        /// The answers (`null` clears one).
        answers: BTreeMap<String, Value>,
    },
    /// Check or uncheck a checklist item of a task.
    CheckItem {
        /// The task's id.
        task: String,
        /// The item's index.
        item: usize,
        /// Checked or not.
        done: bool,
    },
    /// Answer a lead conversion's duplicate look-up: existing records to link, if any.
    ResolveDuplicates {
        /// An existing contact's id.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        contact: Option<String>,
        /// An existing company's id.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        company: Option<String>,
    },
    /// Deliver a named signal (sent by another record's `signal` activity).
    Signal {
        /// The signal's name.
        name: String,
        /// The record that sent it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from: Option<String>,
    },
    /// Create a lead from an inbound channel (L1): the channel is recorded in the source field.
    CaptureLead {
        /// The host's id for the new lead.
        id: String,
        /// The channel: an option of the source field (`email`, `website`, …) or any other name.
        channel: String,
        /// The form's fields.
        #[serde(default)]
        fields: BTreeMap<String, Value>,
        /// The responsible user.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        responsible: Option<String>,
    },
}
}
