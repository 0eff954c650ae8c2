//! Effects: what the host must carry out after a command (create a task, send an e-mail, …).
//!
//! The engine gives one effect per event that asks for work outside the library, in event
//! order; each carries everything the host needs to do it.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use crate::definition::FieldDef;
use crate::i18n::Label;
use crate::record::{
    Change, DocumentRequest, DuplicateKeys, Email, Event, LinkedRecord, Recipient, Record, Task,
    TaskStatus,
};

/// Work for the host.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Effect {
    /// Create a task in the host's task list.
    CreateTask {
        /// The record it belongs to.
        record: String,
        /// The task, with assignee, deadline and checklist.
        task: Box<Task>,
        /// Its form: the questions to answer (also [`Model::task_form`](crate::Model::task_form)).
        #[serde(skip_serializing_if = "Vec::is_empty")]
        form: Vec<FieldDef>,
    },
    /// A task was completed or cancelled: close it in the host's task list.
    CloseTask {
        /// The record.
        record: String,
        /// The task's id.
        task: String,
        /// Done or cancelled.
        status: TaskStatus,
    },
    /// Notify people.
    Notify {
        /// The record.
        record: String,
        /// The notification's id.
        id: String,
        /// Who.
        to: Vec<Recipient>,
        /// The text in both languages.
        message: Label,
    },
    /// Send an e-mail.
    SendEmail {
        /// The record.
        record: String,
        /// The e-mail's id.
        id: String,
        /// The e-mail: address, subject, body, attachments.
        email: Email,
    },
    /// Render a document (for example with `voronka-docs`) and keep it with the record.
    RenderDocument {
        /// The record.
        record: String,
        /// The request's id (e-mails refer to it to attach the document).
        id: String,
        /// What to render.
        document: DocumentRequest,
    },
    /// Look up existing contacts and companies, then answer with a `resolve_duplicates` command.
    FindDuplicates {
        /// The lead.
        record: String,
        /// The look-up's id.
        id: String,
        /// The normalized keys.
        keys: DuplicateKeys,
    },
    /// Deliver a signal to another record: apply a `signal` command to it.
    DeliverSignal {
        /// The record sending it.
        record: String,
        /// The signal's id.
        id: String,
        /// The record to deliver it to.
        to: String,
        /// The signal's name.
        name: String,
    },
    /// Store a new record created by a conversion (a contact, a company, or a deal).
    CreateRecord {
        /// The record it came from.
        source: String,
        /// The new record's entity.
        entity: String,
        /// The new record's id.
        id: String,
        /// Its fields (for contacts and companies, which have no pipeline).
        #[serde(skip_serializing_if = "BTreeMap::is_empty")]
        fields: BTreeMap<String, Value>,
        /// The whole record, for a deal or a process (store it as any other record).
        #[serde(skip_serializing_if = "Option::is_none")]
        record: Option<Box<Record>>,
        /// The events that made `record`: the start of its own log.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        events: Vec<Event>,
    },
}

/// The effects that `events` of `record` (the record's id) ask for, in event order: what
/// [`Model::decide`](crate::Model::decide) returned with them, except the records a process
/// or a conversion created with a pipeline of their own (their snapshots are not in events),
/// and tasks' forms (the model's: [`Model::task_form`](crate::Model::task_form)). For
/// narrating a stored log.
pub fn effects_of(record: &str, events: &[Event]) -> Vec<Effect> {
    let mut out = Vec::new();
    for event in events {
        effects_of_change(record, &event.change, &mut out);
    }
    out
}

/// Adds the effect of one change of `record` (the record's id) to `out`, if it asks for work.
/// The records a change creates with a pipeline of their own (a process, a converted lead's
/// deal) are added by the engine, which holds their snapshots and events.
pub(crate) fn effects_of_change(record: &str, change: &Change, out: &mut Vec<Effect>) {
    match change {
        Change::TaskCreated { task } => out.push(Effect::CreateTask {
            record: record.to_string(),
            task: task.clone(),
            form: Vec::new(),
        }),
        Change::TaskClosed { task, status, .. } => out.push(Effect::CloseTask {
            record: record.to_string(),
            task: task.clone(),
            status: *status,
        }),
        Change::Notified { id, to, message } => out.push(Effect::Notify {
            record: record.to_string(),
            id: id.clone(),
            to: to.clone(),
            message: message.clone(),
        }),
        Change::EmailQueued { id, email } => out.push(Effect::SendEmail {
            record: record.to_string(),
            id: id.clone(),
            email: email.clone(),
        }),
        Change::DocumentRequested { id, document } => out.push(Effect::RenderDocument {
            record: record.to_string(),
            id: id.clone(),
            document: document.clone(),
        }),
        Change::DuplicatesRequested { id, keys } => out.push(Effect::FindDuplicates {
            record: record.to_string(),
            id: id.clone(),
            keys: keys.clone(),
        }),
        Change::SignalSent { id, to, name } => out.push(Effect::DeliverSignal {
            record: record.to_string(),
            id: id.clone(),
            to: to.clone(),
            name: name.clone(),
        }),
        Change::LeadConverted {
            contact, company, ..
        } => {
            for linked in [contact, company] {
                if let LinkedRecord::Created { id, entity, fields } = linked {
                    out.push(Effect::CreateRecord {
                        source: record.to_string(),
                        entity: entity.clone(),
                        id: id.clone(),
                        fields: fields.clone(),
                        record: None,
                        events: Vec::new(),
                    });
                }
            }
        }
        _ => {}
    }
}
