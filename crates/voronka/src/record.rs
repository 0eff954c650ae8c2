//! Records and the events that change them.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use std::fmt;

use serde::de::{Error as _, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use crate::automation::DocumentLang;
use crate::i18n::{Label, Lang};
use crate::tagged::Members;

/// A record (a lead, a deal, a request…) as the host stores it: a snapshot of what is live.
///
/// It holds current state only — fields, stage, open tasks (and the closed ones a live
/// automation still reads), timers, runs and a bounded window of recent idempotency keys —
/// so its size is bounded by what is live, not by its age. The events that made it go to the
/// host's own log; [`Record::replay`] rebuilds the record from them exactly.
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
    #[serde(
        serialize_with = "crate::utc::serialize",
        deserialize_with = "crate::utc::deserialize"
    )]
    pub created_at: DateTime<Utc>,
    /// When the record last changed.
    #[serde(
        serialize_with = "crate::utc::serialize",
        deserialize_with = "crate::utc::deserialize"
    )]
    pub updated_at: DateTime<Utc>,
    /// When the record entered its current stage.
    #[serde(
        serialize_with = "crate::utc::serialize",
        deserialize_with = "crate::utc::deserialize"
    )]
    pub stage_entered_at: DateTime<Utc>,
    /// The stage to return to from a stage such as "postponed".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_stage: Option<String>,
    /// Tasks of the record's automations, oldest first: the open ones, and the closed ones a
    /// live run still reads (or that closed at the current moment, see
    /// [`RECENT_CLOSED_TASKS`]). The event log keeps every task.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tasks: Vec<Task>,
    /// Pending timers; [`Record::next_due`] is the earliest.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub timers: Vec<Timer>,
    /// Automations in progress.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub runs: Vec<Run>,
    /// Counter for the ids of tasks, timers, runs, e-mails and documents of this record.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub last_id: u64,
    /// The user who created the record (approvals "of the requester" go to them).
    pub created_by: String,
    /// The latest document request per document code: e-mails attach the latest one.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub documents: BTreeMap<String, String>,
    /// The idempotency keys of the latest commands that had one, oldest first, at most
    /// [`Limits::RECENT_KEYS`](crate::Limits::RECENT_KEYS): a retry within the window is
    /// refused as a duplicate; after it, the same key is a new command.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recent_keys: Vec<RecentKey>,
}

/// How many tasks closed at the current moment a snapshot keeps while no run reads them
/// (see [`Record::tasks`]).
pub const RECENT_CLOSED_TASKS: usize = 64;

/// An idempotency key a record remembers, with the version its command left the record at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RecentKey {
    /// The command's idempotency key.
    pub key: String,
    /// The record's version after that command.
    pub version: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// Something that happened to a record: who, when, and what changed.
///
/// Decoded by hand (as serde's derive with `flatten` would, without its buffer): the event's
/// own members where they stand, then the change from the other members.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Event {
    /// The record's version after this event.
    pub version: u64,
    /// When it happened (the command's `now`).
    #[serde(serialize_with = "crate::utc::serialize")]
    pub at: DateTime<Utc>,
    /// The user who caused it.
    pub actor: String,
    /// The idempotency key of the command that caused it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idempotency_key: Option<String>,
    /// The automation that did it, when it was not the actor directly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by_automation: Option<String>,
    /// What changed.
    #[serde(flatten)]
    pub change: Change,
}

impl<'de> Deserialize<'de> for Event {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(EventVisitor)
    }
}

struct EventVisitor;

impl<'de> Visitor<'de> for EventVisitor {
    type Value = Event;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("struct Event")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Event, A::Error> {
        /// An own member: an error when given twice, else decoded where it stands.
        fn own<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
            map: &mut A,
            slot: &mut Option<T>,
            name: &'static str,
        ) -> Result<(), A::Error> {
            if slot.is_some() {
                return Err(A::Error::duplicate_field(name));
            }
            *slot = Some(map.next_value()?);
            Ok(())
        }
        let (mut version, mut at, mut actor) = (None, None::<crate::utc::Moment>, None);
        let (mut idempotency_key, mut by_automation) = (None, None);
        let mut rest = Members::new();
        while let Some(key) = map.next_key_seed(crate::tagged::Key)? {
            match &*key {
                "version" => own(&mut map, &mut version, "version")?,
                "at" => own(&mut map, &mut at, "at")?,
                "actor" => own(&mut map, &mut actor, "actor")?,
                "idempotency_key" => own(&mut map, &mut idempotency_key, "idempotency_key")?,
                "by_automation" => own(&mut map, &mut by_automation, "by_automation")?,
                _ => rest.push((key, map.next_value()?)),
            }
        }
        Ok(Event {
            version: version.ok_or_else(|| A::Error::missing_field("version"))?,
            at: at.ok_or_else(|| A::Error::missing_field("at"))?.0,
            actor: actor.ok_or_else(|| A::Error::missing_field("actor"))?,
            idempotency_key: idempotency_key.flatten(),
            by_automation: by_automation.flatten(),
            change: crate::tagged::from_members(rest, "type")?,
        })
    }
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

crate::tagged::decoded_enum! {
(tag = "type"), shadow = ChangeDe [remote = "Change", rename_all = "snake_case"];
/// What an event changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
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
    /// An automation started or progressed: its state now.
    RunUpdated {
        /// The run.
        run: Run,
    },
    /// An automation ended.
    RunEnded {
        /// The run's id.
        run: String,
        /// Its automation.
        automation: String,
        /// How it ended.
        outcome: RunOutcome,
    },
    /// A task was created.
    TaskCreated {
        /// The task (boxed: a task is several times larger than most changes, and every
        /// event is as large as the largest change).
        task: Box<Task>,
    },
    /// Answers of a task's form were saved (without completing it).
    TaskAnswered {
        /// The task's id.
        task: String,
        /// The answers saved (`null` clears one).
        answers: BTreeMap<String, Value>,
    },
    /// A checklist item was checked or unchecked.
    ChecklistChecked {
        /// The task's id.
        task: String,
        /// The item's index.
        item: usize,
        /// Checked or not.
        done: bool,
    },
    /// A task was completed or cancelled.
    TaskClosed {
        /// The task's id.
        task: String,
        /// Done or cancelled.
        status: TaskStatus,
        /// The final answers given with the completion.
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        answers: BTreeMap<String, Value>,
    },
    /// A timer was planned or re-planned.
    TimerSet {
        /// The timer.
        timer: Timer,
    },
    /// A timer fired or was cancelled.
    TimerCleared {
        /// The timer's id.
        timer: String,
        /// `true` when it fired, `false` when cancelled.
        fired: bool,
    },
    /// People were notified.
    Notified {
        /// The notification's id.
        id: String,
        /// Who.
        to: Vec<Recipient>,
        /// The text in both languages.
        message: Label,
    },
    /// An e-mail is to be sent.
    EmailQueued {
        /// The e-mail's id.
        id: String,
        /// The e-mail.
        email: Email,
    },
    /// A document is to be rendered.
    DocumentRequested {
        /// The document request's id (e-mails attach it by this id).
        id: String,
        /// The request.
        document: DocumentRequest,
    },
    /// The host is asked for existing contacts and companies matching the lead.
    DuplicatesRequested {
        /// The request's id.
        id: String,
        /// The normalized keys to look up.
        keys: DuplicateKeys,
    },
    /// The lead was converted.
    LeadConverted {
        /// The contact: created or linked.
        contact: LinkedRecord,
        /// The company: created or linked.
        company: LinkedRecord,
        /// The new deal's id (its own events start its own log).
        deal: String,
    },
    /// A step of an approval was settled.
    ApprovalDecided {
        /// The approval's code.
        approval: String,
        /// The step (0-based).
        step: u32,
        /// The rework round (0 for the first submission).
        round: u32,
        /// `approve`, `rework` or `reject`.
        decision: String,
    },
    /// A process started: a new record of another pipeline.
    ProcessStarted {
        /// The new record's id (its own events start its own log).
        record: String,
        /// Its pipeline.
        pipeline: String,
    },
    /// A signal is to be delivered to another record.
    SignalSent {
        /// The signal's id.
        id: String,
        /// The record to deliver it to.
        to: String,
        /// Its name.
        name: String,
    },
    /// A signal arrived.
    SignalReceived {
        /// Its name.
        name: String,
        /// The record that sent it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from: Option<String>,
    },
    /// An automation step could not be carried out; the run stops.
    AutomationFailed {
        /// The run's id.
        run: String,
        /// The automation.
        automation: String,
        /// The stable code of the problem.
        code: u32,
        /// What went wrong.
        message: Label,
    },
}
}

/// The state of a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    /// To do.
    Open,
    /// Completed.
    Done,
    /// Cancelled by its automation (the record left the stage, a parallel branch won, …).
    Cancelled,
}

/// Who has and who has not confirmed an acknowledgement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AcknowledgementStatus {
    /// The acknowledgement's code.
    pub code: String,
    /// The run it belongs to.
    pub run: String,
    /// What was to be read.
    pub title: Label,
    /// The deadline.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::utc::option::serialize",
        deserialize_with = "crate::utc::option::deserialize"
    )]
    pub deadline: Option<DateTime<Utc>>,
    /// How many people must confirm.
    pub total: usize,
    /// Who confirmed, when, and whether after the deadline.
    pub confirmed: Vec<Confirmation>,
    /// Who has not confirmed yet.
    pub pending: Vec<String>,
    /// Who has not confirmed and is past the deadline.
    pub late: Vec<String>,
    /// Confirmed share, 0–100 (rounded down).
    pub percent: u32,
}

/// One person's confirmation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Confirmation {
    /// The user.
    pub user: String,
    /// When.
    #[serde(
        serialize_with = "crate::utc::serialize",
        deserialize_with = "crate::utc::deserialize"
    )]
    pub at: DateTime<Utc>,
    /// After the deadline.
    pub late: bool,
}

/// What a task is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum TaskKind {
    /// A task of a `task` activity.
    #[default]
    Plain,
    /// An approver's decision (approve / rework / reject); only the approver or their
    /// deputy may complete it.
    Approval,
    /// Reworking and resubmitting what approvers sent back.
    Rework,
    /// Confirming one has read a document; only the person named may complete it.
    Acknowledgement,
}

impl TaskKind {
    fn is_plain(&self) -> bool {
        *self == TaskKind::Plain
    }
}

/// Someone a task or message is for: a user, or whoever holds a role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Recipient {
    /// A user id.
    User(String),
    /// A role code.
    Role(String),
}

/// A checklist item of a task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ChecklistItem {
    /// The text.
    pub label: Label,
    /// Checked.
    pub done: bool,
}

/// A task for a person, created by an automation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Task {
    /// Its id, unique in the record.
    pub id: String,
    /// The task's code in its automation.
    pub code: String,
    /// The automation that created it.
    pub automation: String,
    /// The run that created it.
    pub run: String,
    /// The title.
    pub title: Label,
    /// The description, with placeholders filled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Label>,
    /// Who does it.
    pub assignee: Recipient,
    /// Who else sees it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub observers: Vec<Recipient>,
    /// When it is due.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::utc::option::serialize",
        deserialize_with = "crate::utc::option::deserialize"
    )]
    pub deadline: Option<DateTime<Utc>>,
    /// Items to check off.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checklist: Vec<ChecklistItem>,
    /// The answers so far.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub answers: BTreeMap<String, Value>,
    /// A plain task, an approver's decision, a rework request or an acknowledgement.
    #[serde(default, skip_serializing_if = "TaskKind::is_plain")]
    pub kind: TaskKind,
    /// Open, done or cancelled.
    pub status: TaskStatus,
    /// When it was created.
    #[serde(
        serialize_with = "crate::utc::serialize",
        deserialize_with = "crate::utc::deserialize"
    )]
    pub created_at: DateTime<Utc>,
    /// When it was closed.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::utc::option::serialize",
        deserialize_with = "crate::utc::option::deserialize"
    )]
    pub closed_at: Option<DateTime<Utc>>,
    /// Who closed it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_by: Option<String>,
}

/// A pending timer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Timer {
    /// Its id, unique in the record.
    pub id: String,
    /// When it is due.
    #[serde(
        serialize_with = "crate::utc::serialize",
        deserialize_with = "crate::utc::deserialize"
    )]
    pub due: DateTime<Utc>,
    /// The automation it belongs to.
    pub automation: String,
    /// The run waiting for it; absent for a `date_reached` trigger.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run: Option<String>,
    /// The date field it follows, re-planned when the field changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// An automation in progress: where each of its activities stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Run {
    /// Its id, unique in the record.
    pub id: String,
    /// The automation.
    pub automation: String,
    /// The stage it started in (the leave policy applies to it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
    /// When it started.
    #[serde(
        serialize_with = "crate::utc::serialize",
        deserialize_with = "crate::utc::deserialize"
    )]
    pub started_at: DateTime<Utc>,
    /// The task whose completion started it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause_task: Option<String>,
    /// The state of each activity that has one, by its index in the automation.
    #[serde(default, with = "step_keys")]
    #[cfg_attr(feature = "schema", schemars(with = "BTreeMap<String, StepState>"))]
    pub steps: BTreeMap<u32, StepState>,
}

crate::tagged::decoded_enum! {
(tag = "state"), shadow = StepStateDe [remote = "StepState", rename_all = "snake_case", deny_unknown_fields];
/// Where one activity of a run stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "state", rename_all = "snake_case", deny_unknown_fields)]
pub enum StepState {
    /// Finished.
    Done,
    /// A sequence at this step.
    At {
        /// Index of the current step.
        index: u32,
    },
    /// An `if` that took a branch.
    Branch {
        /// `true`: `then`.
        then: bool,
    },
    /// A `repeat` in this round (0-based).
    Round {
        /// The round.
        round: u32,
    },
    /// A wait with its timer (none while it cannot be planned).
    Waiting {
        /// The timer's id.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        timer: Option<String>,
        /// Why it cannot be planned (e.g. the date field is empty).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        stalled: Option<String>,
    },
    /// A task in progress.
    Task {
        /// The task's id.
        task: String,
    },
    /// A task that is done; conditions still read its answers.
    Answered {
        /// The task's id.
        task: String,
    },
    /// Lead conversion waiting for the host's duplicate look-up.
    AwaitingDuplicates,
    /// A wait for a named signal.
    AwaitingSignal {
        /// The signal's name.
        name: String,
    },
    /// An approval in progress.
    Approval {
        /// The current step (0-based).
        step: u32,
        /// The rework round (0 for the first submission).
        round: u32,
        /// The decision tasks of the current step.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        tasks: Vec<String>,
        /// The rework task, while the requester reworks.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        rework: Option<String>,
        /// The escalation timer of the current step.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        timer: Option<String>,
        /// Whether the current step was escalated.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        escalated: bool,
        /// `"approved"` or `"rejected"` once settled (kept as JSON: conditions read it).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        outcome: Option<Value>,
    },
    /// An acknowledgement in progress.
    Acknowledge {
        /// One confirmation task per person.
        tasks: Vec<String>,
        /// The reminder timer.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        timer: Option<String>,
        /// Whether the reminder went out.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        reminded: bool,
    },
    /// Lead conversion with the host's matches.
    Matches {
        /// An existing contact to link.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        contact: Option<String>,
        /// An existing company to link.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        company: Option<String>,
    },
}
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum RunOutcome {
    /// Every activity finished.
    Finished,
    /// Cancelled (the record left its stage).
    Cancelled,
    /// A step failed (see the `automation_failed` event before).
    Failed,
}

/// An e-mail for the host to send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Email {
    /// The template it came from.
    pub template: String,
    /// The recipient's address.
    pub to: String,
    /// The subject.
    pub subject: String,
    /// The body (plain text).
    pub body: String,
    /// Its language.
    pub lang: Lang,
    /// What to attach.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<AttachmentRef>,
}

crate::tagged::decoded_enum! {
(tag = "kind"), shadow = AttachmentRefDe [remote = "AttachmentRef", rename_all = "snake_case", deny_unknown_fields];
/// Something to attach to an e-mail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum AttachmentRef {
    /// A document requested earlier (by its request id).
    Document {
        /// The request's id.
        request: String,
        /// The document's code.
        document: String,
    },
    /// A file stored by the host.
    File {
        /// The host's file id.
        id: String,
        /// Its name.
        name: String,
    },
}
}

/// A document for the host to render.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DocumentRequest {
    /// The document's code in the definition.
    pub document: String,
    /// The template to render it with.
    pub template: String,
    /// The number format; the host supplies the sequence value.
    pub number_format: String,
    /// `ru`, `en` or `both`.
    pub lang: DocumentLang,
    /// The record's id.
    pub record: String,
}

/// Normalized keys a host looks up to find existing contacts and companies.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DuplicateKeys {
    /// E-mail addresses, lower-cased.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub emails: Vec<String>,
    /// Phone numbers, `+` and digits.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phones: Vec<String>,
    /// Company names, lower-cased, quotes and legal forms removed, spaces folded.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub company_names: Vec<String>,
    /// Company tax ids, digits only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tax_ids: Vec<String>,
}

crate::tagged::decoded_enum! {
(tag = "action"), shadow = LinkedRecordDe [remote = "LinkedRecord", rename_all = "snake_case", deny_unknown_fields];
/// A contact or company of a conversion: created anew, or an existing one linked.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum LinkedRecord {
    /// A new one, with its fields.
    Created {
        /// Its id.
        id: String,
        /// Its entity.
        entity: String,
        /// Its fields.
        fields: BTreeMap<String, Value>,
    },
    /// An existing one the host found.
    Linked {
        /// Its id.
        id: String,
    },
}
}

impl Record {
    /// An empty record that the first (`Created`) event replaces.
    pub(crate) fn placeholder(id: &str, now: DateTime<Utc>) -> Record {
        Record {
            id: id.to_string(),
            entity: String::new(),
            pipeline: String::new(),
            stage: String::new(),
            responsible: None,
            fields: BTreeMap::new(),
            version: 0,
            created_at: now,
            updated_at: now,
            stage_entered_at: now,
            return_stage: None,
            tasks: Vec::new(),
            timers: Vec::new(),
            runs: Vec::new(),
            last_id: 0,
            created_by: String::new(),
            documents: BTreeMap::new(),
            recent_keys: Vec::new(),
        }
    }

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
        let mut record = Record {
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
            tasks: Vec::new(),
            timers: Vec::new(),
            runs: Vec::new(),
            last_id: 0,
            created_by: event.actor.clone(),
            documents: BTreeMap::new(),
            recent_keys: Vec::new(),
        };
        record.remember_key(event);
        Some(record)
    }

    /// Applies one event. Never fails: events are facts already decided. A `Created` event
    /// replaces the whole record.
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
            Change::RunUpdated { run } => {
                self.bump_id(&run.id);
                match self.runs.iter_mut().find(|r| r.id == run.id) {
                    Some(existing) => *existing = run.clone(),
                    None => self.runs.push(run.clone()),
                }
            }
            Change::RunEnded { run, .. } => self.runs.retain(|r| &r.id != run),
            Change::TaskCreated { task } => {
                self.bump_id(&task.id);
                self.tasks.push(Task::clone(task));
            }
            Change::TaskAnswered { task, answers } => {
                if let Some(t) = self.tasks.iter_mut().find(|t| &t.id == task) {
                    for (k, v) in answers {
                        if v.is_null() {
                            t.answers.remove(k);
                        } else {
                            t.answers.insert(k.clone(), v.clone());
                        }
                    }
                }
            }
            Change::ChecklistChecked { task, item, done } => {
                if let Some(entry) = self
                    .tasks
                    .iter_mut()
                    .find(|t| &t.id == task)
                    .and_then(|t| t.checklist.get_mut(*item))
                {
                    entry.done = *done;
                }
            }
            Change::TaskClosed {
                task,
                status,
                answers,
            } => {
                if let Some(t) = self.tasks.iter_mut().find(|t| &t.id == task) {
                    t.status = *status;
                    t.closed_at = Some(event.at);
                    t.closed_by = Some(event.actor.clone());
                    for (k, v) in answers {
                        t.answers.insert(k.clone(), v.clone());
                    }
                }
            }
            Change::TimerSet { timer } => {
                self.bump_id(&timer.id);
                match self.timers.iter_mut().find(|t| t.id == timer.id) {
                    Some(existing) => *existing = timer.clone(),
                    None => self.timers.push(timer.clone()),
                }
            }
            Change::TimerCleared { timer, .. } => self.timers.retain(|t| &t.id != timer),
            Change::DocumentRequested { id, document } => {
                self.bump_id(id);
                self.documents.insert(document.document.clone(), id.clone());
            }
            Change::Notified { id, .. }
            | Change::EmailQueued { id, .. }
            | Change::DuplicatesRequested { id, .. } => self.bump_id(id),
            Change::SignalSent { id, .. } => self.bump_id(id),
            // The engine claimed the failed run's id even when no `RunUpdated` recorded it.
            Change::AutomationFailed { run, .. } => self.bump_id(run),
            Change::ProcessStarted { record, .. } => self.bump_id(record),
            Change::LeadConverted { .. }
            | Change::ApprovalDecided { .. }
            | Change::SignalReceived { .. } => {}
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
        self.remember_key(event);
        self.forget_closed_tasks(event.at);
    }

    /// Keeps the event's idempotency key in the window of recent keys: one entry per command
    /// (its events share the key), the oldest dropped past [`Limits::RECENT_KEYS`](crate::Limits::RECENT_KEYS).
    fn remember_key(&mut self, event: &Event) {
        let Some(key) = &event.idempotency_key else {
            return;
        };
        match self.recent_keys.last_mut() {
            Some(last) if &last.key == key => last.version = event.version,
            _ => {
                if self.recent_keys.len() >= crate::Limits::RECENT_KEYS {
                    let excess = self.recent_keys.len() + 1 - crate::Limits::RECENT_KEYS;
                    self.recent_keys.drain(..excess);
                }
                self.recent_keys.push(RecentKey {
                    key: key.clone(),
                    version: event.version,
                });
            }
        }
    }

    /// Drops the closed tasks that nothing reads any more: the event log keeps them, the
    /// snapshot need not. A closed task stays while a live run reads it (the run that made it,
    /// or one its completion started); and the latest [`RECENT_CLOSED_TASKS`] closed at the
    /// current moment stay through that moment, so that automations their completion starts
    /// later in the same command still read their answers.
    fn forget_closed_tasks(&mut self, now: DateTime<Utc>) {
        if self.tasks.iter().all(|t| t.status == TaskStatus::Open) {
            return;
        }
        let runs = &self.runs;
        let read_by_a_run = |t: &Task| {
            runs.iter()
                .any(|r| r.id == t.run || r.cause_task.as_deref() == Some(t.id.as_str()))
        };
        let mut recent = 0;
        let mut keep: Vec<bool> = self
            .tasks
            .iter()
            .rev()
            .map(|t| {
                if t.status == TaskStatus::Open || read_by_a_run(t) {
                    return true;
                }
                let just_closed = t.closed_at.is_none_or(|closed| closed >= now);
                recent += usize::from(just_closed);
                just_closed && recent <= RECENT_CLOSED_TASKS
            })
            .collect();
        keep.reverse();
        let mut keep = keep.into_iter();
        self.tasks.retain(|_| keep.next().unwrap_or(true));
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

    /// The earliest moment a pending timer is due: the host calls back with a tick then.
    pub fn next_due(&self) -> Option<DateTime<Utc>> {
        self.timers.iter().map(|t| t.due).min()
    }

    /// Who has and who has not confirmed each acknowledgement in progress, as of `now`. The
    /// confirmations of a finished acknowledgement leave the snapshot with its run: a host
    /// computes them from the tasks of its event log with [`acknowledgements`].
    pub fn acknowledgements(&self, now: DateTime<Utc>) -> Vec<AcknowledgementStatus> {
        acknowledgements(&self.tasks, now)
    }

    /// The open tasks.
    pub fn open_tasks(&self) -> impl Iterator<Item = &Task> {
        self.tasks.iter().filter(|t| t.status == TaskStatus::Open)
    }

    /// Keeps `last_id` at or above the number in an id made by [`Record::make_id`].
    fn bump_id(&mut self, id: &str) {
        if let Some(n) = id.rsplit('-').next().and_then(|n| n.parse::<u64>().ok()) {
            self.last_id = self.last_id.max(n);
        }
    }

    /// The id of the `n`-th item of this record: `<record id>:<kind>-<n>`.
    pub(crate) fn make_id(&self, kind: &str, n: u64) -> String {
        format!("{}:{kind}-{n}", self.id)
    }

    /// The version a command with this idempotency key left the record at, when the key is
    /// in the window of recent keys ([`Record::recent_keys`]).
    pub fn applied_version(&self, key: &str) -> Option<u64> {
        self.recent_keys
            .iter()
            .rev()
            .find(|k| k.key == key)
            .map(|k| k.version)
    }

    /// Whether a command with this idempotency key was applied within the window of recent
    /// keys.
    pub fn has_applied(&self, key: &str) -> bool {
        self.applied_version(key).is_some()
    }

    /// Whether `id` names a task this record made and has closed and forgotten since (ids are
    /// `<record id>:task-<n>`, numbered up to [`Record::last_id`]).
    pub(crate) fn made_task(&self, id: &str) -> bool {
        id.strip_prefix(self.id.as_str())
            .and_then(|rest| rest.strip_prefix(":task-"))
            .and_then(|n| n.parse::<u64>().ok())
            .is_some_and(|n| n >= 1 && n <= self.last_id)
    }
}

/// Who has and who has not confirmed each acknowledgement among `tasks` (a snapshot's, or
/// every task of a record's event log), as of `now`.
pub fn acknowledgements(tasks: &[Task], now: DateTime<Utc>) -> Vec<AcknowledgementStatus> {
    let mut out: Vec<AcknowledgementStatus> = Vec::new();
    for t in tasks.iter().filter(|t| t.kind == TaskKind::Acknowledgement) {
        let position = out.iter().position(|s| s.run == t.run && s.code == t.code);
        let status = match position {
            Some(i) => &mut out[i],
            None => {
                out.push(AcknowledgementStatus {
                    code: t.code.clone(),
                    run: t.run.clone(),
                    title: t.title.clone(),
                    deadline: t.deadline,
                    total: 0,
                    confirmed: Vec::new(),
                    pending: Vec::new(),
                    late: Vec::new(),
                    percent: 0,
                });
                let last = out.len() - 1;
                &mut out[last]
            }
        };
        let who = match &t.assignee {
            Recipient::User(u) | Recipient::Role(u) => u.clone(),
        };
        status.total += 1;
        match t.status {
            TaskStatus::Done => status.confirmed.push(Confirmation {
                user: who,
                at: t.closed_at.unwrap_or(t.created_at),
                late: t
                    .deadline
                    .is_some_and(|d| t.closed_at.is_some_and(|c| c > d)),
            }),
            TaskStatus::Open => {
                if t.deadline.is_some_and(|d| d < now) {
                    status.late.push(who.clone());
                }
                status.pending.push(who);
            }
            TaskStatus::Cancelled => status.total -= 1,
        }
    }
    for s in &mut out {
        s.percent = (s.confirmed.len() * 100)
            .checked_div(s.total)
            .map_or(100, |p| p as u32);
    }
    out
}

/// Step maps cross JSON with string keys (`"3"`): events flatten their change, and serde's
/// flattening cannot read numeric map keys back.
mod step_keys {
    use std::collections::BTreeMap;

    use serde::de::Error;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::StepState;

    pub fn serialize<S: Serializer>(
        steps: &BTreeMap<u32, StepState>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        steps
            .iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect::<BTreeMap<String, &StepState>>()
            .serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<BTreeMap<u32, StepState>, D::Error> {
        BTreeMap::<String, StepState>::deserialize(d)?
            .into_iter()
            .map(|(k, v)| {
                k.parse::<u32>()
                    .map(|k| (k, v))
                    .map_err(|_| D::Error::custom(format!("step key \"{k}\" is not a number")))
            })
            .collect()
    }
}
