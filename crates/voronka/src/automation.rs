//! The automation vocabulary of a definition: triggers and block-structured activities.
//!
//! An automation says *when* (`on`: a stage entered, a field changed, a task completed, a
//! record created, a date reached) and *what* (`run`: one activity, usually a sequence).
//! Activities nest like a program, so every path is known at compile time:
//!
//! | `type` | does |
//! |---|---|
//! | `sequence` | runs `steps` one after another |
//! | `parallel` | runs `branches` together; `join: "all"` (default) or `"any"` (the first to finish cancels the rest) |
//! | `if` | runs `then` or `else` on a condition over fields or form answers |
//! | `repeat` | runs `body` until `until` holds (checked after each round), at most `max_iterations` |
//! | `wait` | waits a `delay`, `until` a moment, `until_field` (a date field) ± `offset`, or `until_task` is done |
//! | `task` | creates a task (assignee, deadline, checklist, observers, form) and waits for it |
//! | `notify` | notifies users |
//! | `email` | sends an e-mail from a template to an address field, with attachments |
//! | `render_document` | asks the host to render a document of the definition |
//! | `set_fields` | sets record fields |
//! | `move` | moves the record to a stage (requirements still apply) |
//! | `convert_lead` | converts a lead into a contact, a company and a deal |

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::definition::{Condition, FieldDef, Requirement};
use crate::i18n::{Label, Lang};

/// The company's working calendar: time zone, weekends and holidays.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CalendarDef {
    /// UTC offset of the company's time zone, `"+03:00"` (default `"+00:00"`).
    #[serde(default = "utc")]
    pub utc_offset: String,
    /// Days off every week (default Saturday and Sunday).
    #[serde(default = "weekend")]
    pub weekend: Vec<Weekday>,
    /// Public holidays.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        serialize_with = "crate::utc::dates::serialize",
        deserialize_with = "crate::utc::dates::deserialize"
    )]
    pub holidays: Vec<NaiveDate>,
    /// Weekend days that are working days (moved working days).
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        serialize_with = "crate::utc::dates::serialize",
        deserialize_with = "crate::utc::dates::deserialize"
    )]
    pub working_days: Vec<NaiveDate>,
}

fn utc() -> String {
    "+00:00".into()
}

fn weekend() -> Vec<Weekday> {
    vec![Weekday::Sat, Weekday::Sun]
}

impl Default for CalendarDef {
    fn default() -> Self {
        CalendarDef {
            utc_offset: utc(),
            weekend: weekend(),
            holidays: Vec::new(),
            working_days: Vec::new(),
        }
    }
}

/// A day of the week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
#[allow(missing_docs)]
pub enum Weekday {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

/// An e-mail template: subject and body in both languages, with `{{ … }}` placeholders.
///
/// Placeholders see `record` (`id`, `stage`, `stage_label`), `fields` (the record's values by
/// code, e.g. `{{ fields.company_name }}`), `task` (the answers of the task that led here,
/// when there is one) and `documents` (the documents rendered so far in the run).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct EmailTemplateDef {
    /// Stable code.
    pub code: String,
    /// The subject.
    pub subject: Label,
    /// The body (plain text).
    pub body: Label,
}

/// A document kind the automations render (the host renders it, e.g. with `voronka-docs`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DocumentDef {
    /// Stable code, e.g. `"invoice"`.
    pub code: String,
    /// Its name.
    pub label: Label,
    /// The template to render it with (a bundled template name, or the host's own).
    pub template: String,
    /// The number format, e.g. `INV-{year}-{seq:05}`; the host supplies the sequence value.
    pub number_format: String,
}

/// An automation: a trigger and what runs when it fires.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AutomationDef {
    /// Stable code (unique in its pipeline).
    pub code: String,
    /// Its name.
    pub label: Label,
    /// When it starts.
    pub on: Trigger,
    /// It starts only when this condition holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<Condition>,
    /// What it does.
    pub run: Activity,
    /// What happens to it when the record leaves the stage it started in.
    #[serde(default)]
    pub on_leave: LeavePolicy,
    /// For `stage_entered`: whether it runs when a move skips over its stage.
    #[serde(default)]
    pub when_skipped: SkipPolicy,
}

/// When an automation starts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Trigger {
    /// The record was created.
    Created,
    /// The record entered this stage.
    StageEntered(String),
    /// This field's value changed.
    FieldChanged(String),
    /// A task with this code (of any automation of the pipeline) was completed.
    TaskCompleted(String),
    /// The moment given by a date field ± an offset was reached (re-planned when the field changes).
    DateReached(DateTrigger),
    /// Answers of a task with this code were saved without completing it.
    FormAnswered(String),
    /// A signal with this name arrived.
    Signal(String),
}

/// `{"field": "next_contact_date", "offset": {"days": -1}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DateTrigger {
    /// A date or date-time field.
    pub field: String,
    /// Added to the field's moment (a date means the start of the working day, 09:00 local).
    #[serde(default)]
    pub offset: Offset,
}

/// What happens to a running automation when the record leaves its stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum LeavePolicy {
    /// Cancel its open tasks and timers (default).
    #[default]
    Cancel,
    /// Let it go on.
    Keep,
}

/// Whether a stage automation runs when a move skips over its stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum SkipPolicy {
    /// Do not run it (default); the trace says it was skipped.
    #[default]
    Ignore,
    /// Run it as if the stage had been entered.
    Run,
}

/// A span of time; `business: true` counts days as working days of the calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Offset {
    /// Days (negative: before).
    #[serde(default)]
    pub days: i32,
    /// Hours.
    #[serde(default)]
    pub hours: i32,
    /// Minutes.
    #[serde(default)]
    pub minutes: i32,
    /// Count days as working days.
    #[serde(default)]
    pub business: bool,
}

/// How branches of a `parallel` join.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Join {
    /// Done when every branch is done.
    #[default]
    All,
    /// Done when one branch is done; the others are cancelled.
    Any,
}

/// Who a task, an approval or a notification is for. Resolvers other than `responsible`,
/// `requester` and `user` read the org structure the host passes with the command; `role`
/// without an org stays a role (anyone holding it may act).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Assignee {
    /// The record's responsible user.
    Responsible,
    /// The user who created the record (who filed the request).
    Requester,
    /// A named user.
    User(String),
    /// Whoever holds this role.
    Role(String),
    /// The head of the department of the responsible user, the requester or the actor.
    HeadOf(Whose),
    /// The heads up the org structure: `levels` levels above the person.
    Chain {
        /// Whose chain.
        of: Whose,
        /// How many levels (1 = the direct head).
        levels: u32,
    },
    /// The heads exactly `level` levels above the person (1 = the direct head).
    Level {
        /// Whose superiors.
        of: Whose,
        /// Which level.
        level: u32,
    },
    /// Every member of a department (and of the departments under it).
    Department(String),
    /// Every member of the department whose code is in this text field.
    DepartmentIn(String),
    /// The heads of the department whose code is in this text field.
    HeadsIn(String),
}

/// Whose head or chain an assignee means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Whose {
    /// The record's responsible user.
    Responsible,
    /// The user who created the record.
    Requester,
    /// The user acting in the command.
    Actor,
}

crate::tagged::decoded_enum! {
(tag = "type"), shadow = ActivityDe [remote = "Activity", rename_all = "snake_case", deny_unknown_fields];
/// One activity of an automation.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Activity {
    /// Steps one after another.
    Sequence {
        /// The steps.
        steps: Vec<Activity>,
    },
    /// Branches together.
    Parallel {
        /// The branches.
        branches: Vec<Activity>,
        /// How they join.
        #[serde(default)]
        join: Join,
    },
    /// A branch on a condition.
    If {
        /// The condition (fields, or a task's answers with `"task"`).
        when: Condition,
        /// Runs when it holds.
        then: Box<Activity>,
        /// Runs otherwise.
        #[serde(default, rename = "else", skip_serializing_if = "Option::is_none")]
        otherwise: Option<Box<Activity>>,
    },
    /// A loop: the body, then the condition; again while it does not hold.
    Repeat {
        /// The body.
        body: Box<Activity>,
        /// Stops when this holds after a round.
        until: Condition,
        /// The most rounds (default 52).
        #[serde(default = "default_iterations")]
        max_iterations: u32,
    },
    /// Waits.
    Wait(WaitDef),
    /// A task for a person.
    Task(Box<TaskDef>),
    /// A notification.
    Notify {
        /// Who is notified.
        to: Vec<Assignee>,
        /// The text (placeholders as in e-mail templates).
        message: Label,
    },
    /// An e-mail.
    Email {
        /// The template's code.
        template: String,
        /// The field holding the recipient's address.
        to_field: String,
        /// The language (default Russian).
        #[serde(default)]
        lang: Option<Lang>,
        /// What to attach.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        attachments: Vec<Attachment>,
    },
    /// A document to render.
    RenderDocument {
        /// The document's code.
        document: String,
        /// Its language: `ru`, `en` or `both`.
        #[serde(default)]
        lang: DocumentLang,
    },
    /// Sets fields of the record.
    SetFields {
        /// Values by field code.
        fields: BTreeMap<String, Value>,
    },
    /// Moves the record.
    Move {
        /// The stage.
        to: String,
    },
    /// Converts a lead into a contact, a company and a deal.
    ConvertLead(Box<ConversionDef>),
    /// An approval: steps of approvers deciding approve / rework / reject by a rule.
    Approval(Box<ApprovalDef>),
    /// An acknowledgement: everyone on a roster confirms they have read a document or link.
    Acknowledge(Box<AcknowledgeDef>),
    /// Starts a process: a new record of another pipeline, filled from this one.
    StartProcess(Box<StartProcessDef>),
    /// Sends a named signal to another record whose id is in a field (the host delivers it).
    Signal {
        /// The text field holding the other record's id.
        to_field: String,
        /// The signal's name.
        name: String,
    },
}
}

/// An approval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ApprovalDef {
    /// Stable code; conditions read its `outcome` (`approved` / `rejected`) like a task's answer.
    pub code: String,
    /// What is approved.
    pub title: Label,
    /// Details for the approvers (placeholders as in e-mail templates).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Label>,
    /// The steps, in order; each must approve for the next to start.
    pub steps: Vec<ApprovalStep>,
    /// Who reworks and resubmits when sent back (default: the requester).
    #[serde(default = "requester")]
    pub rework_by: Assignee,
    /// Most rework rounds before the request counts as rejected (default 5).
    #[serde(default = "default_rework")]
    pub max_rework: u32,
}

fn requester() -> Assignee {
    Assignee::Requester
}

fn default_rework() -> u32 {
    5
}

/// A step of an approval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ApprovalStep {
    /// The step's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<Label>,
    /// Who decides.
    pub approvers: Vec<Assignee>,
    /// How their decisions combine.
    #[serde(default)]
    pub rule: ApprovalRule,
    /// Due after this span.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<Offset>,
    /// A reminder to the approvers (and `escalate_to`) when the step is still open this long.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub escalate_after: Option<Offset>,
    /// Who else hears of an overdue step.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub escalate_to: Vec<Assignee>,
}

/// How the approvers' decisions combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ApprovalRule {
    /// Everyone approves; any other decision settles the step.
    #[default]
    All,
    /// The first decision settles the step.
    Any,
    /// More than half approve; the step fails once that cannot happen.
    Majority,
    /// At least this many approve; the step fails once that cannot happen.
    AtLeast(u32),
}

/// An acknowledgement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AcknowledgeDef {
    /// Stable code.
    pub code: String,
    /// What to read.
    pub title: Label,
    /// The field holding the document or link (a file or url field).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_field: Option<String>,
    /// Who must confirm: users, roles, departments (expanded to people with the org).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roster: Vec<Assignee>,
    /// A text field listing more people: user ids and department codes separated by commas or
    /// spaces (a department stands for its members).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roster_field: Option<String>,
    /// Due after this span from the start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<Offset>,
    /// The date field holding the deadline, instead of `deadline`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline_field: Option<String>,
    /// Remind those who have not confirmed this long before the deadline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remind_before: Option<Offset>,
}

/// Starting a process from a record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct StartProcessDef {
    /// The pipeline of the new record.
    pub pipeline: String,
    /// Its fields from this record's (new field → this record's field).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, String>,
    /// A text field of the new record that receives this record's id (to signal back).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_field: Option<String>,
}

fn default_iterations() -> u32 {
    52
}

/// What a wait waits for: exactly one of `delay`, `until`, `until_field`, `until_task`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct WaitDef {
    /// A span from when the wait starts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay: Option<Offset>,
    /// A fixed moment.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::utc::option::serialize",
        deserialize_with = "crate::utc::option::deserialize"
    )]
    pub until: Option<DateTime<Utc>>,
    /// A date or date-time field; re-planned when it changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until_field: Option<String>,
    /// Added to `until_field`'s moment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<Offset>,
    /// A task (by code) of the same automation that must be done.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until_task: Option<String>,
    /// A named signal another record sends (through the host's `signal` command).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until_signal: Option<String>,
}

/// A task: who, by when, what to check off, what to answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TaskDef {
    /// Stable code (unique in its automation); conditions and triggers name it.
    pub code: String,
    /// The title.
    pub title: Label,
    /// The description (placeholders as in e-mail templates, e.g. the values of the fields).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Label>,
    /// Who does it.
    #[serde(default = "responsible")]
    pub assignee: Assignee,
    /// Others who see it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub observers: Vec<Assignee>,
    /// Due after this span from creation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<Offset>,
    /// Items to check off.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checklist: Vec<Label>,
    /// Every checklist item must be checked before completing.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub checklist_required: bool,
    /// Questions to answer when completing (same field types and checks as records).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub form: Vec<FieldDef>,
    /// Which answers are required (conditions over the answers).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub form_requires: Vec<Requirement>,
    /// Record fields filled from answers on completion: record field → form field.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub answers_to_fields: BTreeMap<String, String>,
    /// Roles that may complete it besides the assignee.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub completers: Vec<String>,
    /// One task for each of these people instead of one for `assignee` (daily reports to
    /// every member of a department). Such tasks do not hold the automation up.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub each: Vec<Assignee>,
}

fn responsible() -> Assignee {
    Assignee::Responsible
}

/// Something attached to an e-mail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Attachment {
    /// The latest rendering of this document in the run.
    Document(String),
    /// The files of this file field.
    Field(String),
}

/// The language of a rendered document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum DocumentLang {
    /// Russian (default).
    #[default]
    Ru,
    /// English.
    En,
    /// Both, side by side.
    Both,
}

/// Lead conversion: which lead fields fill the new contact, company and deal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ConversionDef {
    /// The contact: its fields from the lead's (contact field → lead field).
    pub contact: BTreeMap<String, String>,
    /// The company: its fields from the lead's.
    pub company: BTreeMap<String, String>,
    /// The deal's pipeline.
    pub deal_pipeline: String,
    /// The deal: its fields from the lead's.
    pub deal: BTreeMap<String, String>,
    /// Ask the host for existing contacts and companies first (default `true`).
    #[serde(default = "yes")]
    pub find_duplicates: bool,
}

fn yes() -> bool {
    true
}
