//! The process engine: runs automations over a scratch copy of the record.
//!
//! Every change the engine makes is an event, applied to the scratch record at once (so later
//! steps see it) and returned; reactions to an event (a stage entered, a field changed, a task
//! completed, a timer fired) are queued as signals and handled after the activity that caused
//! them has blocked or finished. The number of steps per command is bounded.

pub(crate) mod compile;

use std::collections::{BTreeMap, VecDeque};

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::automation::{Assignee, Attachment, LeavePolicy, SkipPolicy, Whose};
use crate::command::Command;
use crate::effect::Effect;
use crate::error::{ErrorCode, Rejection};
use crate::i18n::{Label, Lang};
use crate::model::{Model, Pipeline, Src, StageId, eval};
use crate::record::Change;
use crate::record::TaskKind;
use crate::record::{
    AttachmentRef, ChecklistItem, DocumentRequest, DuplicateKeys, Email, Event, FieldChange,
    LinkedRecord, Recipient, Record, Run, RunOutcome, StepState, Task, TaskStatus, Timer,
};
use crate::{template, value};
use compile::{Automation, CTrigger, Kind};

/// What happened to an automation during a command, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TraceEntry {
    /// The automation's code.
    pub automation: String,
    /// The run, once there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run: Option<String>,
    /// What happened.
    pub what: TraceKind,
    /// Why, for people.
    pub reason: String,
}

/// Kinds of trace entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TraceKind {
    /// A run started.
    Started,
    /// A trigger matched but the automation did not start.
    Skipped,
    /// A waiting run went on.
    Resumed,
    /// A run now waits (for a task, a timer, an answer).
    Waiting,
    /// A run finished.
    Finished,
    /// A run was cancelled.
    Cancelled,
    /// A run failed.
    Failed,
}

#[derive(Debug)]
enum Signal {
    Arrived(String),
    FormAnswered(String),
    Created,
    Entered(StageId),
    Left(StageId),
    Skipped(StageId),
    FieldsChanged(Vec<String>),
    TaskDone {
        run: String,
        code: String,
        task: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flow {
    Done,
    Blocked,
    Failed,
}

/// The engine over one record during one command.
pub(crate) struct Engine<'m> {
    model: &'m Model,
    pipeline: &'m Pipeline,
    command: &'m Command,
    /// The scratch record: a copy of the host's, with this command's events applied so far.
    pub(crate) record: Record,
    /// This command's events, oldest first.
    events: Vec<Event>,
    /// The work for the host that this command's events ask for, in event order.
    effects: Vec<Effect>,
    pub(crate) trace: Vec<TraceEntry>,
    queue: VecDeque<Signal>,
    steps: usize,
}

/// What one command did: the record after it, its events, the host's work and the trace.
pub(crate) struct Done {
    pub(crate) record: Record,
    pub(crate) events: Vec<Event>,
    pub(crate) effects: Vec<Effect>,
    pub(crate) trace: Vec<TraceEntry>,
}

impl<'m> Engine<'m> {
    pub(crate) fn new(
        model: &'m Model,
        pipeline: &'m Pipeline,
        command: &'m Command,
        record: Record,
    ) -> Engine<'m> {
        Engine {
            model,
            pipeline,
            command,
            record,
            events: Vec::new(),
            effects: Vec::new(),
            trace: Vec::new(),
            queue: VecDeque::new(),
            steps: 0,
        }
    }

    fn now(&self) -> DateTime<Utc> {
        self.command.now
    }

    /// The record after this command, its events, its effects and the trace.
    pub(crate) fn into_done(self) -> Done {
        Done {
            record: self.record,
            events: self.events,
            effects: self.effects,
            trace: self.trace,
        }
    }

    /// Counts one step; rejects the command past `steps_per_command` steps or
    /// `events_per_command` events.
    fn count(&mut self) -> Result<(), Rejection> {
        self.steps += 1;
        let limits = &self.model.limits;
        if self.steps > limits.steps_per_command {
            return Err(Rejection::AutomationLimit {
                limit: limits.steps_per_command,
            });
        }
        self.check_events()
    }

    /// Rejects the command once it has produced more than `events_per_command` events.
    pub(crate) fn check_events(&self) -> Result<(), Rejection> {
        let limits = &self.model.limits;
        if self.events.len() > limits.events_per_command {
            return Err(Rejection::LimitExceeded {
                limit_name: "events_per_command".into(),
                limit: limits.events_per_command,
                actual: self.events.len(),
                path: "action".into(),
            });
        }
        Ok(())
    }

    fn next_id(&self, kind: &str) -> String {
        self.record.make_id(kind, self.record.last_id + 1)
    }

    /// Records an event: applies it to the scratch record and queues the reactions.
    pub(crate) fn emit(&mut self, change: Change, automation: Option<&str>) {
        // The reactions are worked out against the record before the change.
        let mut queue = std::mem::take(&mut self.queue);
        self.signals_of(&change, &mut queue);
        self.queue = queue;
        let event = Event {
            version: self.record.version + 1,
            at: self.now(),
            actor: self.command.actor.user.clone(),
            idempotency_key: self.command.idempotency_key.clone(),
            by_automation: automation.map(str::to_string),
            change,
        };
        crate::effect::effects_of_change(&self.record.id, &event.change, &mut self.effects);
        self.record.evolve(&event);
        self.events.push(event);
    }

    /// Queues the reactions to `change` (into `out`: no list of its own per event).
    fn signals_of(&self, change: &Change, out: &mut VecDeque<Signal>) {
        let p = self.pipeline;
        match change {
            Change::Created { stage, .. } => {
                out.push_back(Signal::Created);
                out.extend(p.stage_index.get(stage).map(|&s| Signal::Entered(s)));
            }
            Change::StageChanged { from, to, .. } => {
                let (Some(&f), Some(&t)) = (p.stage_index.get(from), p.stage_index.get(to)) else {
                    return;
                };
                out.push_back(Signal::Left(f));
                if let (Some(fi), Some(ti)) = (
                    p.sequence.iter().position(|&s| s == f),
                    p.sequence.iter().position(|&s| s == t),
                ) && ti > fi + 1
                {
                    out.extend(p.sequence[fi + 1..ti].iter().map(|&s| Signal::Skipped(s)));
                }
                out.push_back(Signal::Entered(t));
            }
            // Without automations a changed field sets nothing off: the signal only counts
            // as a step.
            Change::FieldsChanged { .. } if self.pipeline.automations.is_empty() => {
                out.push_back(Signal::FieldsChanged(Vec::new()));
            }
            Change::FieldsChanged { changes } => {
                out.push_back(Signal::FieldsChanged(changes.keys().cloned().collect()));
            }
            Change::SignalReceived { name, .. } => out.push_back(Signal::Arrived(name.clone())),
            Change::TaskAnswered { task, .. } => out.extend(
                self.record
                    .tasks
                    .iter()
                    .find(|t| &t.id == task)
                    .map(|t| Signal::FormAnswered(t.code.clone())),
            ),
            Change::TaskClosed {
                task,
                status: TaskStatus::Done,
                ..
            } => out.extend(self.record.tasks.iter().find(|t| &t.id == task).map(|t| {
                Signal::TaskDone {
                    run: t.run.clone(),
                    code: t.code.clone(),
                    task: t.id.clone(),
                }
            })),
            _ => {}
        }
    }

    fn automation(&self, code: &str) -> Option<&'m Automation> {
        self.pipeline.automations.iter().find(|a| a.code == code)
    }

    fn trace(&mut self, automation: &str, run: Option<&str>, what: TraceKind, reason: String) {
        self.trace.push(TraceEntry {
            automation: automation.to_string(),
            run: run.map(str::to_string),
            what,
            reason,
        });
    }

    /// Handles queued reactions until none is left.
    pub(crate) fn settle(&mut self) -> Result<(), Rejection> {
        while let Some(signal) = self.queue.pop_front() {
            self.count()?;
            match signal {
                Signal::Created => {
                    self.start_matching(
                        |t| matches!(t, CTrigger::Created),
                        || "the record was created".into(),
                        None,
                    )?;
                    // Date triggers follow the dates a record is created with, too (before,
                    // only a later change of the field planned them).
                    // (Without automations, nothing to plan.)
                    let fields: Vec<String> = if self.pipeline.automations.is_empty() {
                        Vec::new()
                    } else {
                        self.record.fields.keys().cloned().collect()
                    };
                    for field in &fields {
                        self.plan_date_triggers(field)?;
                    }
                }
                Signal::Entered(s) => {
                    let label = &self.pipeline.stages[s].code;
                    self.start_matching(
                        |t| matches!(t, CTrigger::StageEntered(x) if *x == s),
                        || format!("entered stage \"{label}\""),
                        None,
                    )?
                }
                Signal::Left(s) => self.left_stage(s),
                Signal::Skipped(s) => {
                    let stage = self.pipeline.stages[s].code.clone();
                    for a in &self.pipeline.automations {
                        if matches!(a.trigger, CTrigger::StageEntered(x) if x == s) {
                            match a.when_skipped {
                                SkipPolicy::Run => self.start(
                                    a,
                                    format!("stage \"{stage}\" was skipped; its policy is to run"),
                                    None,
                                )?,
                                SkipPolicy::Ignore => self.trace(
                                    &a.code,
                                    None,
                                    TraceKind::Skipped,
                                    format!("stage \"{stage}\" was skipped over"),
                                ),
                            }
                        }
                    }
                }
                Signal::FieldsChanged(fields) => self.fields_changed(&fields)?,
                Signal::FormAnswered(code) => self.start_matching(
                    |t| matches!(t, CTrigger::FormAnswered(c) if *c == code),
                    || format!("answers of task \"{code}\" were saved"),
                    None,
                )?,
                Signal::Arrived(name) => {
                    let waiting: Vec<Run> = self
                        .record
                        .runs
                        .iter()
                        .filter(|r| r.steps.values().any(|s| matches!(s, StepState::AwaitingSignal { name: n } if *n == name)))
                        .cloned()
                        .collect();
                    for mut run in waiting {
                        for state in run.steps.values_mut() {
                            if matches!(state, StepState::AwaitingSignal { name: n } if *n == name)
                            {
                                *state = StepState::Done;
                            }
                        }
                        if let Some(a) = self.automation(&run.automation) {
                            self.trace(
                                &a.code,
                                Some(&run.id),
                                TraceKind::Resumed,
                                format!("signal \"{name}\" arrived"),
                            );
                            self.advance(a, run, false)?;
                        }
                    }
                    self.start_matching(
                        |t| matches!(t, CTrigger::Signal(c) if *c == name),
                        || format!("signal \"{name}\" arrived"),
                        None,
                    )?;
                }
                Signal::TaskDone { run, code, task } => {
                    if self.record.runs.iter().any(|r| r.id == run) {
                        self.resume(&run, format!("task \"{code}\" was completed"))?;
                    }
                    self.start_matching(
                        |t| matches!(t, CTrigger::TaskCompleted(c) if *c == code),
                        || format!("task \"{code}\" was completed"),
                        Some(task),
                    )?;
                }
            }
        }
        Ok(())
    }

    fn start_matching(
        &mut self,
        matches: impl Fn(&CTrigger) -> bool,
        reason: impl Fn() -> String,
        cause_task: Option<String>,
    ) -> Result<(), Rejection> {
        // The reason is written only for an automation that matches.
        for a in &self.pipeline.automations {
            if matches(&a.trigger) {
                self.start(a, reason(), cause_task.clone())?;
            }
        }
        Ok(())
    }

    /// The answer of the latest task of task node `node` in `run`.
    fn answer<'a>(
        record: &'a Record,
        automation: Option<&Automation>,
        run: Option<&'a Run>,
        node: usize,
        field: &str,
    ) -> Option<&'a Value> {
        let run = run?;
        let task = match run.steps.get(&(node as u32)) {
            Some(StepState::Approval {
                outcome: Some(o), ..
            }) if field == "outcome" => return Some(o),
            Some(StepState::Task { task } | StepState::Answered { task }) => {
                record.tasks.iter().find(|t| &t.id == task)
            }
            // A node finished before `answered` existed keeps only `Done`: its task is the
            // latest one of this run with the node's code.
            Some(StepState::Done) => {
                let code = match &automation?.nodes.get(node)?.kind {
                    Kind::Task(t) => t.def.code.as_str(),
                    _ => return None,
                };
                record
                    .tasks
                    .iter()
                    .rev()
                    .find(|t| t.run == run.id && t.code == code)
            }
            _ => None,
        };
        task?.answers.get(field).filter(|v| !v.is_null())
    }

    /// Evaluates a condition of an automation over the scratch record and the run's answers.
    fn holds(&self, cond: &crate::model::Cond, run: Option<&Run>) -> bool {
        let entity = &self.model.entities[self.pipeline.entity];
        let record = &self.record;
        let automation = run.and_then(|r| self.automation(&r.automation));
        eval(cond, &|src: &Src| match src {
            Src::Field(f) => record
                .fields
                .get(&entity.fields[*f].def.code)
                .filter(|v| !v.is_null()),
            Src::Answer(node, field) => Self::answer(record, automation, run, *node, field),
        })
    }

    fn start(
        &mut self,
        a: &'m Automation,
        reason: String,
        cause_task: Option<String>,
    ) -> Result<(), Rejection> {
        if let Some(guard) = &a.guard
            && !self.holds(guard, None)
        {
            self.trace(
                &a.code,
                None,
                TraceKind::Skipped,
                format!("{reason}, but its condition does not hold"),
            );
            return Ok(());
        }
        let run = Run {
            id: self.next_id("run"),
            automation: a.code.clone(),
            stage: Some(self.record.stage.clone()),
            started_at: self.now(),
            cause_task,
            steps: BTreeMap::new(),
        };
        // Claim the id before any step makes another.
        self.record.last_id += 1;
        self.trace(&a.code, Some(&run.id), TraceKind::Started, reason);
        self.advance(a, run, true)
    }

    fn resume(&mut self, run_id: &str, reason: String) -> Result<(), Rejection> {
        let Some(run) = self.record.runs.iter().find(|r| r.id == run_id).cloned() else {
            return Ok(());
        };
        let Some(a) = self.automation(&run.automation) else {
            return Ok(());
        };
        self.trace(&a.code, Some(run_id), TraceKind::Resumed, reason);
        self.advance(a, run, false)
    }

    fn advance(&mut self, a: &'m Automation, mut run: Run, fresh: bool) -> Result<(), Rejection> {
        let before = run.clone();
        let flow = self.step(a, &mut run, 0)?;
        match flow {
            Flow::Done => {
                // A fresh run that finished at once is in no event; when none of its steps
                // made an id either, give its id back, or `last_id` would hold a claim that
                // replaying the history cannot rebuild.
                if fresh && self.record.make_id("run", self.record.last_id) == run.id {
                    self.record.last_id -= 1;
                }
                if !fresh {
                    self.emit(
                        Change::RunEnded {
                            run: run.id.clone(),
                            automation: a.code.clone(),
                            outcome: RunOutcome::Finished,
                        },
                        Some(&a.code),
                    );
                }
                self.trace(
                    &a.code,
                    Some(&run.id),
                    TraceKind::Finished,
                    "every step is done".into(),
                );
            }
            Flow::Blocked => {
                if fresh || run != before {
                    self.emit(Change::RunUpdated { run: run.clone() }, Some(&a.code));
                }
                let waiting = self.waiting_for(a, &run);
                self.trace(&a.code, Some(&run.id), TraceKind::Waiting, waiting);
            }
            Flow::Failed => {
                self.cancel_pending(&run, 0, a.nodes.len() as u32);
                if !fresh {
                    self.emit(
                        Change::RunEnded {
                            run: run.id.clone(),
                            automation: a.code.clone(),
                            outcome: RunOutcome::Failed,
                        },
                        Some(&a.code),
                    );
                }
            }
        }
        Ok(())
    }

    fn waiting_for(&self, a: &Automation, run: &Run) -> String {
        let mut parts = Vec::new();
        for state in run.steps.values() {
            match state {
                StepState::Task { task } => {
                    if let Some(t) = self
                        .record
                        .tasks
                        .iter()
                        .find(|t| &t.id == task && t.status == TaskStatus::Open)
                    {
                        parts.push(format!("task \"{}\"", t.code));
                    }
                }
                StepState::Waiting {
                    timer: Some(timer), ..
                } => {
                    if let Some(t) = self.record.timers.iter().find(|t| &t.id == timer) {
                        parts.push(format!(
                            "timer due {}",
                            crate::utc::rfc3339(&t.due, false).as_str()
                        ));
                    }
                }
                StepState::Waiting {
                    stalled: Some(why), ..
                } => parts.push(why.clone()),
                StepState::AwaitingDuplicates => parts.push("the host's duplicate look-up".into()),
                _ => {}
            }
        }
        if parts.is_empty() {
            format!("automation \"{}\" waits", a.code)
        } else {
            format!("waiting for {}", parts.join(", "))
        }
    }

    fn fail(&mut self, a: &Automation, run: &Run, code: ErrorCode, message: Label) -> Flow {
        self.trace(
            &a.code,
            Some(&run.id),
            TraceKind::Failed,
            message.en.clone(),
        );
        self.emit(
            Change::AutomationFailed {
                run: run.id.clone(),
                automation: a.code.clone(),
                code: code.as_u32(),
                message: message.clone(),
            },
            Some(&a.code),
        );
        // A failure is never silent: the responsible user hears of it.
        if let Some(user) = self.record.responsible.clone() {
            let id = self.next_id("notification");
            self.emit(
                Change::Notified {
                    id,
                    to: vec![Recipient::User(user)],
                    message: Label::new(
                        format!("Automation “{}” stopped: {}", a.code, message.en),
                        format!("Автоматизация «{}» остановлена: {}", a.code, message.ru),
                    ),
                },
                Some(&a.code),
            );
        }
        Flow::Failed
    }

    /// Runs node `n` of `a` as far as it goes.
    fn step(&mut self, a: &'m Automation, run: &mut Run, n: u32) -> Result<Flow, Rejection> {
        self.count()?;
        match run.steps.get(&n) {
            Some(StepState::Done | StepState::Answered { .. }) => return Ok(Flow::Done),
            Some(StepState::Approval {
                outcome: Some(_), ..
            }) => return Ok(Flow::Done),
            _ => {}
        }
        let node = &a.nodes[n as usize];
        let flow = match &node.kind {
            Kind::Sequence(children) => {
                let mut index = match run.steps.get(&n) {
                    Some(StepState::At { index }) => *index as usize,
                    _ => 0,
                };
                let mut flow = Flow::Done;
                while index < children.len() {
                    match self.step(a, run, children[index])? {
                        Flow::Done => {
                            index += 1;
                            run.steps.insert(
                                n,
                                StepState::At {
                                    index: index as u32,
                                },
                            );
                        }
                        other => {
                            flow = other;
                            break;
                        }
                    }
                }
                flow
            }
            Kind::Parallel(children, join) => {
                let mut done = 0;
                let mut flow = Flow::Blocked;
                for &child in children {
                    match self.step(a, run, child)? {
                        Flow::Done => done += 1,
                        Flow::Failed => {
                            flow = Flow::Failed;
                            break;
                        }
                        Flow::Blocked => {}
                    }
                    if *join == crate::automation::Join::Any && done > 0 {
                        break;
                    }
                }
                if flow != Flow::Failed {
                    let finished = match join {
                        crate::automation::Join::All => done == children.len(),
                        crate::automation::Join::Any => done > 0,
                    };
                    if finished {
                        for &child in children {
                            if run.steps.get(&child) != Some(&StepState::Done) {
                                let end = a.nodes[child as usize].end;
                                self.cancel_pending(run, child, end);
                                run.steps.retain(|k, _| *k < child || *k >= end);
                            }
                        }
                        flow = Flow::Done;
                    }
                }
                flow
            }
            Kind::If(cond, then, otherwise) => {
                let branch = match run.steps.get(&n) {
                    Some(StepState::Branch { then }) => *then,
                    _ => {
                        let holds = self.holds(cond, Some(run));
                        run.steps.insert(n, StepState::Branch { then: holds });
                        holds
                    }
                };
                match (branch, otherwise) {
                    (true, _) => self.step(a, run, *then)?,
                    (false, Some(o)) => self.step(a, run, *o)?,
                    (false, None) => Flow::Done,
                }
            }
            Kind::Repeat(body, until, max) => {
                let mut round = match run.steps.get(&n) {
                    Some(StepState::Round { round }) => *round,
                    _ => 0,
                };
                run.steps.insert(n, StepState::Round { round });
                loop {
                    match self.step(a, run, *body)? {
                        Flow::Done => {}
                        other => break other,
                    }
                    if self.holds(until, Some(run)) {
                        break Flow::Done;
                    }
                    round += 1;
                    if round >= *max {
                        self.trace(
                            &a.code,
                            Some(&run.id),
                            TraceKind::Resumed,
                            format!("a repeat stopped after {max} rounds"),
                        );
                        break Flow::Done;
                    }
                    let end = a.nodes[*body as usize].end;
                    run.steps.retain(|k, _| *k < *body || *k >= end);
                    run.steps.insert(n, StepState::Round { round });
                }
            }
            Kind::WaitDelay(_) | Kind::WaitUntil(_) | Kind::WaitField { .. } => {
                self.wait(a, run, n)?
            }
            Kind::WaitTask(task_node) => match run.steps.get(task_node) {
                Some(StepState::Done | StepState::Answered { .. }) => Flow::Done,
                Some(StepState::Task { task }) => {
                    let done = self
                        .record
                        .tasks
                        .iter()
                        .any(|t| &t.id == task && t.status == TaskStatus::Done);
                    if done { Flow::Done } else { Flow::Blocked }
                }
                _ => Flow::Blocked,
            },
            Kind::Task(task) => self.task(a, run, n, task)?,
            Kind::Notify(to, message) => {
                let recipients = match self.recipients(to) {
                    Ok(r) => r,
                    Err(message) => {
                        return Ok(self.fail(a, run, ErrorCode::InvalidActivity, message));
                    }
                };
                let context = self.context(run, Lang::En);
                let context_ru = self.context(run, Lang::Ru);
                let rendered = (
                    self.model.templates.render(&message.en, &context),
                    self.model.templates.render(&message.ru, &context_ru),
                );
                let (Ok(en), Ok(ru)) = rendered else {
                    return Ok(self.fail(
                        a,
                        run,
                        ErrorCode::InvalidTemplate,
                        Label::new(
                            "a notification could not be rendered",
                            "не удалось сформировать уведомление",
                        ),
                    ));
                };
                let id = self.next_id("notification");
                self.emit(
                    Change::Notified {
                        id,
                        to: recipients,
                        message: Label::new(en, ru),
                    },
                    Some(&a.code),
                );
                Flow::Done
            }
            Kind::Email {
                template,
                to_field,
                lang,
                attachments,
            } => self.email(a, run, template, to_field, *lang, attachments),
            Kind::Render(document, lang) => {
                let Some(doc) = self
                    .model
                    .definition()
                    .documents
                    .iter()
                    .find(|d| &d.code == document)
                else {
                    return Ok(self.fail(
                        a,
                        run,
                        ErrorCode::UnknownReference,
                        Label::new("unknown document", "неизвестный документ"),
                    ));
                };
                let id = self.next_id("document");
                let request = DocumentRequest {
                    document: doc.code.clone(),
                    template: doc.template.clone(),
                    number_format: doc.number_format.clone(),
                    lang: *lang,
                    record: self.record.id.clone(),
                };
                self.emit(
                    Change::DocumentRequested {
                        id,
                        document: request,
                    },
                    Some(&a.code),
                );
                Flow::Done
            }
            Kind::SetFields(values) => {
                let changes = changes_of(&self.record.fields, values);
                if !changes.is_empty() {
                    self.emit(Change::FieldsChanged { changes }, Some(&a.code));
                }
                Flow::Done
            }
            Kind::Move(target) => self.move_to(a, run, *target),
            Kind::Convert(conv) => self.convert(a, run, n, conv)?,
            Kind::WaitSignal(name) => match run.steps.get(&n) {
                Some(StepState::AwaitingSignal { .. }) => Flow::Blocked,
                _ => {
                    run.steps
                        .insert(n, StepState::AwaitingSignal { name: name.clone() });
                    Flow::Blocked
                }
            },
            Kind::Approval(ap) => self.approval(a, run, n, ap)?,
            Kind::Acknowledge(ack) => self.acknowledge(a, run, n, ack)?,
            Kind::StartProcess(sp) => self.start_process(a, run, sp)?,
            Kind::Signal { to_field, name } => {
                match self
                    .record
                    .fields
                    .get(to_field)
                    .and_then(Value::as_str)
                    .map(str::to_string)
                {
                    Some(to) => {
                        let id = self.next_id("signal");
                        self.emit(
                            Change::SignalSent {
                                id,
                                to,
                                name: name.clone(),
                            },
                            Some(&a.code),
                        );
                        Flow::Done
                    }
                    None => {
                        let label = self.field_label(to_field);
                        self.fail(
                            a,
                            run,
                            ErrorCode::MissingFields,
                            Label::new(
                                format!("no record to signal: “{}” is empty", label.en),
                                format!(
                                    "некому отправить сигнал: поле «{}» не заполнено",
                                    label.ru
                                ),
                            ),
                        )
                    }
                }
            }
        };
        if flow == Flow::Done {
            // Tasks and approvals keep what conditions read (answers, the outcome).
            let done = match run.steps.remove(&n) {
                Some(StepState::Task { task } | StepState::Answered { task }) => {
                    StepState::Answered { task }
                }
                Some(state @ StepState::Approval { .. }) => state,
                _ => StepState::Done,
            };
            run.steps.insert(n, done);
        }
        Ok(flow)
    }

    fn wait(&mut self, a: &Automation, run: &mut Run, n: u32) -> Result<Flow, Rejection> {
        if let Some(StepState::Waiting {
            timer: Some(timer), ..
        }) = run.steps.get(&n)
        {
            let pending = self.record.timers.iter().any(|t| &t.id == timer);
            return Ok(if pending { Flow::Blocked } else { Flow::Done });
        }
        let was_stalled = matches!(
            run.steps.get(&n),
            Some(StepState::Waiting {
                stalled: Some(_),
                ..
            })
        );
        let due = match self.due_of(&a.nodes[n as usize].kind) {
            Ok(due) => due,
            Err((field, label)) => {
                let why = format!("date field \"{field}\" is empty");
                run.steps.insert(
                    n,
                    StepState::Waiting {
                        timer: None,
                        stalled: Some(why),
                    },
                );
                if !was_stalled {
                    let to = self
                        .record
                        .responsible
                        .clone()
                        .map(Recipient::User)
                        .into_iter()
                        .collect();
                    let id = self.next_id("notification");
                    self.emit(
                        Change::Notified {
                            id,
                            to,
                            message: Label::new(
                                format!("Automation “{}” waits: fill in “{}”", a.code, label.en),
                                format!(
                                    "Автоматизация «{}» ждёт: заполните «{}»",
                                    a.code, label.ru
                                ),
                            ),
                        },
                        Some(&a.code),
                    );
                }
                return Ok(Flow::Blocked);
            }
        };
        if due <= self.now() {
            return Ok(Flow::Done);
        }
        let field = match &a.nodes[n as usize].kind {
            Kind::WaitField { field, .. } => Some(field.clone()),
            _ => None,
        };
        let timer = Timer {
            id: self.next_id("timer"),
            due,
            automation: a.code.clone(),
            run: Some(run.id.clone()),
            field,
        };
        run.steps.insert(
            n,
            StepState::Waiting {
                timer: Some(timer.id.clone()),
                stalled: None,
            },
        );
        self.emit(Change::TimerSet { timer }, Some(&a.code));
        Ok(Flow::Blocked)
    }

    /// The moment a wait is due; for an empty date field, the field and its label.
    fn due_of(&self, kind: &Kind) -> Result<DateTime<Utc>, (String, Label)> {
        let calendar = &self.model.calendar;
        match kind {
            Kind::WaitDelay(offset) => Ok(calendar.add(self.now(), offset)),
            Kind::WaitUntil(t) => Ok(*t),
            Kind::WaitField { field, offset } => self
                .field_moment(field)
                .map(|m| calendar.add(m, offset))
                .ok_or_else(|| (field.clone(), self.field_label(field))),
            _ => Ok(self.now()),
        }
    }

    fn field_label(&self, field: &str) -> Label {
        let entity = &self.model.entities[self.pipeline.entity];
        entity
            .field_index
            .get(field)
            .map(|&f| entity.fields[f].def.label.clone())
            .unwrap_or_else(|| Label::new(field, field))
    }

    /// The moment a date or date-time field holds (a date: the start of that working day).
    fn field_moment(&self, field: &str) -> Option<DateTime<Utc>> {
        let text = self.record.fields.get(field)?.as_str()?;
        if let Ok(date) = crate::utc::parse_ymd(text) {
            return Some(self.model.calendar.start_of(date));
        }
        crate::utc::parse_rfc3339(text).ok()
    }

    /// Everyone the assignees stand for, without repeats, in order.
    fn recipients(&self, to: &[Assignee]) -> Result<Vec<Recipient>, Label> {
        let mut out: Vec<Recipient> = Vec::new();
        for a in to {
            for r in self.people(a)? {
                if !out.contains(&r) {
                    out.push(r);
                }
            }
        }
        Ok(out)
    }

    /// The one recipient of a task: the first person the assignee stands for.
    fn recipient(&self, a: &Assignee) -> Result<Recipient, Label> {
        self.people(a)?.into_iter().next().ok_or_else(|| {
            Label::new(
                format!("nobody to assign: {a:?} resolves to no one"),
                format!("некому назначить: {a:?} не соответствует ни один человек"),
            )
        })
    }

    fn whose(&self, w: Whose) -> Option<String> {
        match w {
            Whose::Responsible => self.record.responsible.clone(),
            Whose::Requester => self.requester(),
            Whose::Actor => Some(self.command.actor.user.clone()),
        }
    }

    /// The user who created the record.
    fn requester(&self) -> Option<String> {
        Some(self.record.created_by.clone()).filter(|u| !u.is_empty())
    }

    /// The people an assignee stands for, resolved through the org structure when needed.
    fn people(&self, a: &Assignee) -> Result<Vec<Recipient>, Label> {
        let org = self.command.org.as_ref();
        let need_org = || {
            Label::new(
                "this assignee needs the org structure; pass `org` with the command",
                "для этого исполнителя нужна оргструктура: передайте `org` с командой",
            )
        };
        let users = |ids: Vec<String>| ids.into_iter().map(Recipient::User).collect::<Vec<_>>();
        Ok(match a {
            Assignee::Responsible => users(self.record.responsible.clone().into_iter().collect()),
            Assignee::Requester => users(self.requester().into_iter().collect()),
            Assignee::User(u) => vec![Recipient::User(u.clone())],
            Assignee::Role(r) => match org.map(|o| o.with_role(r)) {
                Some(ids) if !ids.is_empty() => users(ids),
                _ => vec![Recipient::Role(r.clone())],
            },
            Assignee::HeadOf(w) => {
                let org = org.ok_or_else(need_org)?;
                users(self.whose(*w).map(|u| org.head_of(&u)).unwrap_or_default())
            }
            Assignee::Chain { of, levels } => {
                let org = org.ok_or_else(need_org)?;
                users(
                    self.whose(*of)
                        .map(|u| org.chain(&u, *levels).into_iter().flatten().collect())
                        .unwrap_or_default(),
                )
            }
            Assignee::Level { of, level } => {
                let org = org.ok_or_else(need_org)?;
                users(
                    self.whose(*of)
                        .and_then(|u| {
                            org.chain(&u, *level)
                                .into_iter()
                                .nth(level.saturating_sub(1) as usize)
                        })
                        .unwrap_or_default(),
                )
            }
            Assignee::Department(d) => users(org.ok_or_else(need_org)?.members(d)),
            Assignee::DepartmentIn(field) | Assignee::HeadsIn(field) => {
                let org = org.ok_or_else(need_org)?;
                let code = self
                    .record
                    .fields
                    .get(field)
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                users(match a {
                    Assignee::HeadsIn(_) => org.heads(code),
                    _ => org.members(code),
                })
            }
        })
    }

    /// The template context: record, fields (display), values (canonical), task (answers).
    fn context(&self, run: &Run, lang: Lang) -> Value {
        let entity = &self.model.entities[self.pipeline.entity];
        let stage_label = self
            .pipeline
            .stage_index
            .get(&self.record.stage)
            .map(|&s| self.pipeline.stages[s].label.get(lang).to_string())
            .unwrap_or_default();
        let fields = template::display_all(
            entity.fields.iter().map(|f| &f.def),
            &self.record.fields,
            lang,
        );
        let task = run
            .cause_task
            .as_ref()
            .and_then(|id| self.record.tasks.iter().find(|t| &t.id == id))
            .map(|t| {
                let form = self
                    .model
                    .compiled_task(self.pipeline, &t.automation, &t.code)
                    .map_or(&[][..], |c| c.def.form.as_slice());
                Value::Object(template::display_all(form.iter(), &t.answers, lang))
            })
            .unwrap_or_else(|| Value::Object(Map::new()));
        json!({
            "record": { "id": self.record.id, "stage": self.record.stage, "stage_label": stage_label },
            "fields": fields,
            "values": self.record.fields,
            "task": task,
        })
    }

    fn task(
        &mut self,
        a: &Automation,
        run: &mut Run,
        n: u32,
        task: &compile::CTask,
    ) -> Result<Flow, Rejection> {
        if let Some(StepState::Task { task: id }) = run.steps.get(&n) {
            let Some(t) = self.record.tasks.iter().find(|t| &t.id == id).cloned() else {
                return Ok(Flow::Done);
            };
            return Ok(match t.status {
                TaskStatus::Open => Flow::Blocked,
                TaskStatus::Cancelled => Flow::Done,
                TaskStatus::Done => {
                    let entity = &self.model.entities[self.pipeline.entity];
                    let mut values = BTreeMap::new();
                    for (target, source) in &task.def.answers_to_fields {
                        let Some(answer) = t.answers.get(source) else {
                            continue;
                        };
                        let Some(&f) = entity.field_index.get(target) else {
                            continue;
                        };
                        match value::normalize(&entity.fields[f].def, answer) {
                            Ok(v) => {
                                values.insert(target.clone(), v);
                            }
                            Err((_, problem)) => {
                                return Ok(self.fail(
                                    a,
                                    run,
                                    ErrorCode::InvalidValues,
                                    Label::new(
                                        format!("answer \"{source}\" does not fit field \"{target}\": {}", problem.message(Lang::En)),
                                        format!("ответ «{source}» не подходит полю «{target}»: {}", problem.message(Lang::Ru)),
                                    ),
                                ));
                            }
                        }
                    }
                    let changes = changes_of(&self.record.fields, &values);
                    if !changes.is_empty() {
                        self.emit(Change::FieldsChanged { changes }, Some(&a.code));
                    }
                    Flow::Done
                }
            });
        }
        let def = &task.def;
        if !def.each.is_empty() {
            // One task per person; they do not hold the automation up.
            let people = match self.recipients(&def.each) {
                Ok(p) if !p.is_empty() => p,
                Ok(_) => {
                    return Ok(self.fail(
                        a,
                        run,
                        ErrorCode::InvalidActivity,
                        Label::new(
                            format!("task \"{}\" resolves to nobody", def.code),
                            format!("задача «{}» никому не назначена", def.code),
                        ),
                    ));
                }
                Err(message) => return Ok(self.fail(a, run, ErrorCode::InvalidActivity, message)),
            };
            let observers = match self.recipients(&def.observers) {
                Ok(r) => r,
                Err(message) => return Ok(self.fail(a, run, ErrorCode::InvalidActivity, message)),
            };
            let description = def
                .description
                .as_ref()
                .and_then(|d| self.render_label(run, d));
            let deadline = def
                .deadline
                .map(|d| self.model.calendar.add(self.now(), &d));
            for who in people {
                self.create_task(
                    a,
                    run,
                    def,
                    TaskKind::Plain,
                    who,
                    observers.clone(),
                    description.clone(),
                    deadline,
                );
            }
            return Ok(Flow::Done);
        }
        let assignee = match self.recipient(&def.assignee) {
            Ok(r) => r,
            Err(message) => return Ok(self.fail(a, run, ErrorCode::InvalidActivity, message)),
        };
        let observers = match self.recipients(&def.observers) {
            Ok(r) => r,
            Err(message) => return Ok(self.fail(a, run, ErrorCode::InvalidActivity, message)),
        };
        let description = match &def.description {
            None => None,
            Some(d) => {
                let en = self
                    .model
                    .templates
                    .render(&d.en, &self.context(run, Lang::En));
                let ru = self
                    .model
                    .templates
                    .render(&d.ru, &self.context(run, Lang::Ru));
                match (en, ru) {
                    (Ok(en), Ok(ru)) => Some(Label::new(en, ru)),
                    _ => {
                        return Ok(self.fail(
                            a,
                            run,
                            ErrorCode::InvalidTemplate,
                            Label::new(
                                "a task description could not be rendered",
                                "не удалось сформировать описание задачи",
                            ),
                        ));
                    }
                }
            }
        };
        let deadline = def
            .deadline
            .map(|d| self.model.calendar.add(self.now(), &d));
        let id = self.create_task(
            a,
            run,
            def,
            TaskKind::Plain,
            assignee,
            observers,
            description,
            deadline,
        );
        run.steps.insert(n, StepState::Task { task: id });
        Ok(Flow::Blocked)
    }

    /// Who still has to act: the assignees of those of `tasks` that are open, in order.
    fn open_assignees(&self, tasks: &[String]) -> Vec<Recipient> {
        tasks
            .iter()
            .filter_map(|id| {
                self.record
                    .tasks
                    .iter()
                    .find(|t| &t.id == id && t.status == TaskStatus::Open)
            })
            .map(|t| t.assignee.clone())
            .collect()
    }

    /// Creates a task of a run and returns its id.
    #[allow(clippy::too_many_arguments)]
    fn create_task(
        &mut self,
        a: &Automation,
        run: &Run,
        def: &crate::automation::TaskDef,
        kind: TaskKind,
        assignee: Recipient,
        observers: Vec<Recipient>,
        description: Option<Label>,
        deadline: Option<DateTime<Utc>>,
    ) -> String {
        let created = Task {
            id: self.next_id("task"),
            code: def.code.clone(),
            automation: a.code.clone(),
            run: run.id.clone(),
            title: def.title.clone(),
            description,
            assignee,
            observers,
            deadline,
            checklist: def
                .checklist
                .iter()
                .map(|label| ChecklistItem {
                    label: label.clone(),
                    done: false,
                })
                .collect(),
            answers: BTreeMap::new(),
            kind,
            status: TaskStatus::Open,
            created_at: self.now(),
            closed_at: None,
            closed_by: None,
        };
        let id = created.id.clone();
        self.emit(
            Change::TaskCreated {
                task: Box::new(created),
            },
            Some(&a.code),
        );
        // The host's task list gets the form with the task; the record does not keep it.
        if let Some(Effect::CreateTask { form, .. }) = self.effects.last_mut() {
            form.clone_from(&def.form);
        }
        id
    }

    /// Renders a label template in both languages; `None` when it fails.
    fn render_label(&self, run: &Run, label: &Label) -> Option<Label> {
        let en = self
            .model
            .templates
            .render(&label.en, &self.context(run, Lang::En))
            .ok()?;
        let ru = self
            .model
            .templates
            .render(&label.ru, &self.context(run, Lang::Ru))
            .ok()?;
        Some(Label::new(en, ru))
    }

    /// A task definition whose title is `title` rendered with the record's values (approval
    /// and acknowledgement titles name what is approved or read: `{{ fields.title }}`).
    fn titled(
        &self,
        run: &Run,
        task: &crate::automation::TaskDef,
        title: &Label,
    ) -> crate::automation::TaskDef {
        let mut task = task.clone();
        task.title = self
            .render_label(run, title)
            .unwrap_or_else(|| title.clone());
        task
    }

    fn approval(
        &mut self,
        a: &'m Automation,
        run: &mut Run,
        n: u32,
        ap: &'m compile::CApproval,
    ) -> Result<Flow, Rejection> {
        let def = &ap.def;
        let mut state = match run.steps.get(&n) {
            Some(s @ StepState::Approval { .. }) => s.clone(),
            _ => StepState::Approval {
                step: 0,
                round: 0,
                tasks: Vec::new(),
                rework: None,
                timer: None,
                escalated: false,
                outcome: None,
            },
        };
        let StepState::Approval {
            step,
            round,
            tasks,
            rework,
            timer,
            escalated,
            outcome,
        } = &mut state
        else {
            return Ok(Flow::Done);
        };
        let flow = loop {
            self.count()?;
            if outcome.is_some() {
                break Flow::Done;
            }
            if let Some(rt) = rework.clone() {
                let done = self
                    .record
                    .tasks
                    .iter()
                    .any(|t| t.id == rt && t.status != TaskStatus::Open);
                if !done {
                    break Flow::Blocked;
                }
                *rework = None;
                *step = 0;
                tasks.clear();
                continue;
            }
            let Some(current) = def.steps.get(*step as usize) else {
                *outcome = Some("approved".into());
                continue;
            };
            if tasks.is_empty() {
                let approvers = match self.recipients(&current.approvers) {
                    Ok(r) if !r.is_empty() => r,
                    Ok(_) => {
                        return Ok(self.fail(
                            a,
                            run,
                            ErrorCode::InvalidActivity,
                            Label::new(
                                format!(
                                    "approval \"{}\" step {} has no approvers",
                                    def.code,
                                    *step + 1
                                ),
                                format!(
                                    "у согласования «{}» на шаге {} нет согласующих",
                                    def.code,
                                    *step + 1
                                ),
                            ),
                        ));
                    }
                    Err(message) => {
                        return Ok(self.fail(a, run, ErrorCode::InvalidActivity, message));
                    }
                };
                let description = def
                    .description
                    .as_ref()
                    .and_then(|d| self.render_label(run, d));
                let deadline = current
                    .deadline
                    .map(|d| self.model.calendar.add(self.now(), &d));
                let decision_def = self.titled(run, &ap.decision.def, &def.title);
                for who in approvers {
                    let id = self.create_task(
                        a,
                        run,
                        &decision_def,
                        TaskKind::Approval,
                        who,
                        Vec::new(),
                        description.clone(),
                        deadline,
                    );
                    tasks.push(id);
                }
                if let Some(after) = current.escalate_after {
                    let t = Timer {
                        id: self.next_id("timer"),
                        due: self.model.calendar.add(self.now(), &after),
                        automation: a.code.clone(),
                        run: Some(run.id.clone()),
                        field: None,
                    };
                    *timer = Some(t.id.clone());
                    self.emit(Change::TimerSet { timer: t }, Some(&a.code));
                }
                *escalated = false;
                break Flow::Blocked;
            }
            // Tally the decisions of this step.
            let (mut approve, mut reject, mut rework_votes, mut open) = (0u32, 0u32, 0u32, 0u32);
            let mut comments = Vec::new();
            for id in tasks.iter() {
                let Some(t) = self.record.tasks.iter().find(|t| &t.id == id) else {
                    continue;
                };
                match t.status {
                    TaskStatus::Open => open += 1,
                    TaskStatus::Cancelled => {}
                    TaskStatus::Done => {
                        match t.answers.get("decision").and_then(Value::as_str) {
                            Some("approve") => approve += 1,
                            Some("rework") => rework_votes += 1,
                            _ => reject += 1,
                        }
                        if let Some(c) = t.answers.get("comment").and_then(Value::as_str) {
                            comments.push(c.to_string());
                        }
                    }
                }
            }
            let total = approve + reject + rework_votes + open;
            let failed = reject + rework_votes;
            let needed = match current.rule {
                crate::automation::ApprovalRule::All => total,
                crate::automation::ApprovalRule::Any => 1,
                crate::automation::ApprovalRule::Majority => total / 2 + 1,
                crate::automation::ApprovalRule::AtLeast(k) => k.min(total.max(1)),
            };
            let decision =
                if current.rule == crate::automation::ApprovalRule::Any && approve + failed > 0 {
                    // The first decision settles the step.
                    Some(if approve > 0 {
                        "approve"
                    } else if reject > 0 {
                        "reject"
                    } else {
                        "rework"
                    })
                } else if approve >= needed {
                    Some("approve")
                } else if approve + open < needed {
                    Some(if reject >= rework_votes {
                        "reject"
                    } else {
                        "rework"
                    })
                } else {
                    None
                };
            let Some(decision) = decision else {
                // Undecided: an escalation timer that has fired reminds the approvers.
                if let Some(t) = timer.clone()
                    && !*escalated
                    && !self.record.timers.iter().any(|x| x.id == t)
                {
                    *escalated = true;
                    let mut to = self.open_assignees(tasks);
                    // An approver who is away is reminded through their deputy too.
                    if let Some(org) = &self.command.org {
                        for r in to.clone() {
                            if let Recipient::User(u) = &r
                                && let Some(d) = org.deputy(u, self.now())
                                && !to.contains(&Recipient::User(d.clone()))
                            {
                                to.push(Recipient::User(d));
                            }
                        }
                    }
                    if let Ok(more) = self.recipients(&current.escalate_to) {
                        for r in more {
                            if !to.contains(&r) {
                                to.push(r);
                            }
                        }
                    }
                    let title = self
                        .render_label(run, &def.title)
                        .unwrap_or_else(|| def.title.clone());
                    let id = self.next_id("notification");
                    self.emit(
                        Change::Notified {
                            id,
                            to,
                            message: Label::new(
                                format!("Approval overdue: {}", title.en),
                                format!("Просрочено согласование: {}", title.ru),
                            ),
                        },
                        Some(&a.code),
                    );
                }
                break Flow::Blocked;
            };
            // Settled: close what is left of the step.
            for id in tasks.clone() {
                if self
                    .record
                    .tasks
                    .iter()
                    .any(|t| t.id == id && t.status == TaskStatus::Open)
                {
                    self.emit(
                        Change::TaskClosed {
                            task: id,
                            status: TaskStatus::Cancelled,
                            answers: BTreeMap::new(),
                        },
                        Some(&a.code),
                    );
                }
            }
            if let Some(t) = timer.take()
                && self.record.timers.iter().any(|x| x.id == t)
            {
                self.emit(
                    Change::TimerCleared {
                        timer: t,
                        fired: false,
                    },
                    Some(&a.code),
                );
            }
            self.emit(
                Change::ApprovalDecided {
                    approval: def.code.clone(),
                    step: *step,
                    round: *round,
                    decision: decision.into(),
                },
                Some(&a.code),
            );
            tasks.clear();
            match decision {
                "approve" => {
                    *step += 1;
                    if *step as usize >= def.steps.len() {
                        *outcome = Some("approved".into());
                    }
                }
                "reject" => *outcome = Some("rejected".into()),
                _ => {
                    *round += 1;
                    if *round > def.max_rework {
                        self.trace(
                            &a.code,
                            Some(&run.id),
                            TraceKind::Resumed,
                            format!(
                                "approval \"{}\" was sent back more than {} times: rejected",
                                def.code, def.max_rework
                            ),
                        );
                        *outcome = Some("rejected".into());
                        continue;
                    }
                    let who = match self.recipient(&def.rework_by) {
                        Ok(r) => r,
                        Err(message) => {
                            return Ok(self.fail(a, run, ErrorCode::InvalidActivity, message));
                        }
                    };
                    let note = Label::new(
                        format!("Sent back for rework: {}", comments.join("; ")),
                        format!("Возвращено на доработку: {}", comments.join("; ")),
                    );
                    let rework_def = self.titled(run, &ap.rework.def, &def.title);
                    let id = self.create_task(
                        a,
                        run,
                        &rework_def,
                        TaskKind::Rework,
                        who,
                        Vec::new(),
                        Some(note),
                        None,
                    );
                    *rework = Some(id);
                }
            }
        };
        run.steps.insert(n, state);
        Ok(flow)
    }

    fn acknowledge(
        &mut self,
        a: &'m Automation,
        run: &mut Run,
        n: u32,
        ack: &'m compile::CAcknowledge,
    ) -> Result<Flow, Rejection> {
        let def = &ack.def;
        if let Some(StepState::Acknowledge {
            tasks,
            timer,
            reminded,
        }) = run.steps.get(&n).cloned()
        {
            let pending = self.open_assignees(&tasks);
            if pending.is_empty() {
                if let Some(t) = timer
                    && self.record.timers.iter().any(|x| x.id == t)
                {
                    self.emit(
                        Change::TimerCleared {
                            timer: t,
                            fired: false,
                        },
                        Some(&a.code),
                    );
                }
                return Ok(Flow::Done);
            }
            if let Some(t) = &timer
                && !reminded
                && !self.record.timers.iter().any(|x| &x.id == t)
            {
                let title = self
                    .render_label(run, &def.title)
                    .unwrap_or_else(|| def.title.clone());
                let id = self.next_id("notification");
                self.emit(
                    Change::Notified {
                        id,
                        to: pending,
                        message: Label::new(
                            format!("Reminder: please confirm you have read “{}”", title.en),
                            format!("Напоминание: подтвердите ознакомление с «{}»", title.ru),
                        ),
                    },
                    Some(&a.code),
                );
                run.steps.insert(
                    n,
                    StepState::Acknowledge {
                        tasks,
                        timer,
                        reminded: true,
                    },
                );
            }
            return Ok(Flow::Blocked);
        }
        let mut people = match self.recipients(&def.roster) {
            Ok(p) => p,
            Err(message) => return Ok(self.fail(a, run, ErrorCode::InvalidActivity, message)),
        };
        if let Some(field) = &def.roster_field {
            let text = self
                .record
                .fields
                .get(field)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            for token in text
                .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
                .filter(|t| !t.is_empty())
            {
                let members = self
                    .command
                    .org
                    .as_ref()
                    .map(|o| o.members(token))
                    .unwrap_or_default();
                let found: Vec<Recipient> = if members.is_empty() {
                    vec![Recipient::User(token.to_string())]
                } else {
                    members.into_iter().map(Recipient::User).collect()
                };
                for r in found {
                    if !people.contains(&r) {
                        people.push(r);
                    }
                }
            }
        }
        if people.is_empty() {
            return Ok(self.fail(
                a,
                run,
                ErrorCode::InvalidActivity,
                Label::new(
                    format!("nobody is on the roster of \"{}\"", def.code),
                    format!("в списке ознакомления «{}» никого нет", def.code),
                ),
            ));
        }
        let deadline = match (&def.deadline, &def.deadline_field) {
            (Some(o), _) => Some(self.model.calendar.add(self.now(), o)),
            (None, Some(f)) => self.field_moment(f),
            (None, None) => None,
        };
        let description = def.document_field.as_ref().and_then(|f| {
            let entity = &self.model.entities[self.pipeline.entity];
            let field = entity.field_index.get(f).map(|&i| &entity.fields[i].def)?;
            let v = self.record.fields.get(f)?;
            let en = template::display(field, v, Lang::En);
            let ru = template::display(field, v, Lang::Ru);
            Some(Label::new(en, ru))
        });
        let mut tasks = Vec::new();
        let confirm = self.titled(run, &ack.confirm.def, &def.title);
        for who in people {
            tasks.push(self.create_task(
                a,
                run,
                &confirm,
                TaskKind::Acknowledgement,
                who,
                Vec::new(),
                description.clone(),
                deadline,
            ));
        }
        let mut timer = None;
        if let (Some(deadline), Some(before)) = (deadline, def.remind_before) {
            let back = crate::automation::Offset {
                days: -before.days,
                hours: -before.hours,
                minutes: -before.minutes,
                business: before.business,
            };
            let due = self.model.calendar.add(deadline, &back);
            if due > self.now() {
                let t = Timer {
                    id: self.next_id("timer"),
                    due,
                    automation: a.code.clone(),
                    run: Some(run.id.clone()),
                    field: None,
                };
                timer = Some(t.id.clone());
                self.emit(Change::TimerSet { timer: t }, Some(&a.code));
            }
        }
        run.steps.insert(
            n,
            StepState::Acknowledge {
                tasks,
                timer,
                reminded: false,
            },
        );
        Ok(Flow::Blocked)
    }

    fn start_process(
        &mut self,
        a: &Automation,
        run: &Run,
        sp: &crate::automation::StartProcessDef,
    ) -> Result<Flow, Rejection> {
        let mut fields = BTreeMap::new();
        for (to, from) in &sp.fields {
            if let Some(v) = self.record.fields.get(from) {
                fields.insert(to.clone(), v.clone());
            }
        }
        if let Some(parent) = &sp.parent_field {
            fields.insert(parent.clone(), Value::String(self.record.id.clone()));
        }
        let id = format!(
            "{}:{}-{}",
            self.record.id,
            sp.pipeline,
            self.record.last_id + 1
        );
        self.record.last_id += 1;
        let create = Command {
            actor: self.command.actor.clone(),
            now: self.now(),
            expected_version: None,
            idempotency_key: None,
            org: self.command.org.clone(),
            action: crate::command::Action::Create {
                id,
                pipeline: sp.pipeline.clone(),
                stage: None,
                responsible: self.record.responsible.clone(),
                fields,
            },
        };
        match self.model.run(None, &create) {
            Ok(child) => {
                self.emit(
                    Change::ProcessStarted {
                        record: child.record.id.clone(),
                        pipeline: sp.pipeline.clone(),
                    },
                    Some(&a.code),
                );
                self.created(child);
                Ok(Flow::Done)
            }
            Err(rejection) => {
                let message = Label::new(rejection.message(Lang::En), rejection.message(Lang::Ru));
                Ok(self.fail(a, run, rejection.code(), message))
            }
        }
    }

    fn email(
        &mut self,
        a: &Automation,
        run: &Run,
        template_code: &str,
        to_field: &str,
        lang: Lang,
        attachments: &[Attachment],
    ) -> Flow {
        let Some(to) = self
            .record
            .fields
            .get(to_field)
            .and_then(Value::as_str)
            .map(str::to_string)
        else {
            let label = self.field_label(to_field);
            return self.fail(
                a,
                run,
                ErrorCode::MissingFields,
                Label::new(
                    format!("no e-mail address: “{}” is empty", label.en),
                    format!("нет адреса: поле «{}» не заполнено", label.ru),
                ),
            );
        };
        let Some(t) = self
            .model
            .definition()
            .email_templates
            .iter()
            .find(|t| t.code == template_code)
        else {
            return self.fail(
                a,
                run,
                ErrorCode::UnknownReference,
                Label::new("unknown e-mail template", "неизвестный шаблон письма"),
            );
        };
        let context = self.context(run, lang);
        let (Ok(subject), Ok(body)) = (
            self.model.templates.render(t.subject.get(lang), &context),
            self.model.templates.render(t.body.get(lang), &context),
        ) else {
            return self.fail(
                a,
                run,
                ErrorCode::InvalidTemplate,
                Label::new(
                    "the e-mail could not be rendered",
                    "не удалось сформировать письмо",
                ),
            );
        };
        let mut refs = Vec::new();
        for att in attachments {
            match att {
                Attachment::Document(doc) => {
                    let latest = self.record.documents.get(doc).cloned();
                    match latest {
                        Some(request) => refs.push(AttachmentRef::Document {
                            request,
                            document: doc.clone(),
                        }),
                        None => {
                            return self.fail(
                                a,
                                run,
                                ErrorCode::UnknownReference,
                                Label::new(
                                    format!("document \"{doc}\" to attach was never rendered"),
                                    format!("документ «{doc}» для вложения не сформирован"),
                                ),
                            );
                        }
                    }
                }
                Attachment::Field(field) => {
                    let files = match self.record.fields.get(field) {
                        Some(Value::Array(items)) => items.clone(),
                        Some(one @ Value::Object(_)) => vec![one.clone()],
                        _ => Vec::new(),
                    };
                    for f in files {
                        refs.push(AttachmentRef::File {
                            id: f["id"].as_str().unwrap_or_default().to_string(),
                            name: f["name"].as_str().unwrap_or_default().to_string(),
                        });
                    }
                }
            }
        }
        let id = self.next_id("email");
        self.emit(
            Change::EmailQueued {
                id,
                email: Email {
                    template: template_code.to_string(),
                    to,
                    subject,
                    body,
                    lang,
                    attachments: refs,
                },
            },
            Some(&a.code),
        );
        Flow::Done
    }

    fn move_to(&mut self, a: &Automation, run: &Run, target: StageId) -> Flow {
        let p = self.pipeline;
        let Some(&current) = p.stage_index.get(&self.record.stage) else {
            return Flow::Done;
        };
        if current == target {
            return Flow::Done;
        }
        if !crate::decide::move_allowed(p, &self.record, current, target) {
            return self.fail(
                a,
                run,
                ErrorCode::TransitionNotAllowed,
                Label::new(
                    format!(
                        "moving from “{}” to “{}” is not allowed",
                        p.stages[current].label.en, p.stages[target].label.en
                    ),
                    format!(
                        "переход с «{}» на «{}» не разрешён",
                        p.stages[current].label.ru, p.stages[target].label.ru
                    ),
                ),
            );
        }
        let missing = self.model.missing(p, target, &self.record.fields);
        if !missing.is_empty() {
            let rejection = Rejection::MissingFields {
                stage: p.stages[target].code.clone(),
                stage_label: p.stages[target].label.clone(),
                missing,
            };
            return self.fail(
                a,
                run,
                ErrorCode::MissingFields,
                Label::new(rejection.message(Lang::En), rejection.message(Lang::Ru)),
            );
        }
        let return_stage =
            (p.return_from & (1u128 << target) != 0).then(|| self.record.stage.clone());
        self.emit(
            Change::StageChanged {
                from: self.record.stage.clone(),
                to: p.stages[target].code.clone(),
                return_stage,
            },
            Some(&a.code),
        );
        Flow::Done
    }

    fn convert(
        &mut self,
        a: &Automation,
        run: &mut Run,
        n: u32,
        conv: &compile::CConversion,
    ) -> Result<Flow, Rejection> {
        let (contact_match, company_match) = match run.steps.get(&n) {
            Some(StepState::AwaitingDuplicates) => return Ok(Flow::Blocked),
            Some(StepState::Matches { contact, company }) => (contact.clone(), company.clone()),
            _ if conv.def.find_duplicates => {
                let id = self.next_id("lookup");
                let keys = duplicate_keys(&self.record);
                run.steps.insert(n, StepState::AwaitingDuplicates);
                self.emit(Change::DuplicatesRequested { id, keys }, Some(&a.code));
                return Ok(Flow::Blocked);
            }
            _ => (None, None),
        };
        let map = |entity: &crate::model::Entity,
                   mapping: &BTreeMap<String, String>|
         -> BTreeMap<String, Value> {
            let mut out = BTreeMap::new();
            for (to, from) in mapping {
                let (Some(v), Some(&f)) =
                    (self.record.fields.get(from), entity.field_index.get(to))
                else {
                    continue;
                };
                if let Ok(v) = value::normalize(&entity.fields[f].def, v)
                    && !v.is_null()
                {
                    out.insert(to.clone(), v);
                }
            }
            out
        };
        let entities = &self.model.entities;
        let linked = |existing: Option<String>,
                      kind: &str,
                      entity: usize,
                      mapping: &BTreeMap<String, String>| match existing {
            Some(id) => LinkedRecord::Linked { id },
            None => LinkedRecord::Created {
                id: format!("{}-{kind}", self.record.id),
                entity: entities[entity].code.clone(),
                fields: map(&entities[entity], mapping),
            },
        };
        let contact = linked(contact_match, "contact", conv.contact, &conv.def.contact);
        let company = linked(company_match, "company", conv.company, &conv.def.company);
        let Some(pid) = self.model.pipeline_id(&conv.deal_pipeline) else {
            return Ok(Flow::Done);
        };
        let deal_pipeline = &self.model.pipelines[pid];
        let deal_fields = map(&entities[deal_pipeline.entity], &conv.def.deal);
        let create = Command {
            actor: self.command.actor.clone(),
            now: self.now(),
            expected_version: None,
            idempotency_key: None,
            org: self.command.org.clone(),
            action: crate::command::Action::Create {
                id: format!("{}-deal", self.record.id),
                pipeline: conv.deal_pipeline.clone(),
                stage: None,
                responsible: self.record.responsible.clone(),
                fields: deal_fields,
            },
        };
        let deal = match self.model.run(None, &create) {
            Ok(child) => child,
            Err(rejection) => {
                let message = Label::new(rejection.message(Lang::En), rejection.message(Lang::Ru));
                return Ok(self.fail(a, run, rejection.code(), message));
            }
        };
        self.emit(
            Change::LeadConverted {
                contact,
                company,
                deal: deal.record.id.clone(),
            },
            Some(&a.code),
        );
        self.created(deal);
        Ok(Flow::Done)
    }

    /// Hands a record this command created (a process, a converted lead's deal) to the host:
    /// its snapshot and events to store, then the work its own automations ask for.
    fn created(&mut self, child: Done) {
        self.effects.push(Effect::CreateRecord {
            source: self.record.id.clone(),
            entity: child.record.entity.clone(),
            id: child.record.id.clone(),
            fields: BTreeMap::new(),
            record: Some(Box::new(child.record)),
            events: child.events,
        });
        self.effects.extend(child.effects);
    }

    /// Cancels the open tasks and pending timers of nodes `from..end` of a run.
    fn cancel_pending(&mut self, run: &Run, from: u32, end: u32) {
        let mut tasks = Vec::new();
        let mut timers = Vec::new();
        for (node, state) in run.steps.range(from..end) {
            let _ = node;
            match state {
                StepState::Task { task } => tasks.push(task.clone()),
                StepState::Waiting { timer: Some(t), .. } => timers.push(t.clone()),
                // An approval's decisions, its rework task and its escalation; an
                // acknowledgement's confirmations and its reminder.
                StepState::Approval {
                    tasks: decisions,
                    rework,
                    timer,
                    ..
                } => {
                    tasks.extend(decisions.iter().chain(rework).cloned());
                    timers.extend(timer.iter().cloned());
                }
                StepState::Acknowledge {
                    tasks: confirmations,
                    timer,
                    ..
                } => {
                    tasks.extend(confirmations.iter().cloned());
                    timers.extend(timer.iter().cloned());
                }
                _ => {}
            }
        }
        for task in tasks {
            if self
                .record
                .tasks
                .iter()
                .any(|t| t.id == task && t.status == TaskStatus::Open)
            {
                self.emit(
                    Change::TaskClosed {
                        task,
                        status: TaskStatus::Cancelled,
                        answers: BTreeMap::new(),
                    },
                    Some(&run.automation),
                );
            }
        }
        for timer in timers {
            if self.record.timers.iter().any(|t| t.id == timer) {
                self.emit(
                    Change::TimerCleared {
                        timer,
                        fired: false,
                    },
                    Some(&run.automation),
                );
            }
        }
    }

    fn cancel_run(&mut self, run: Run, reason: String) {
        let Some(a) = self.automation(&run.automation) else {
            return;
        };
        self.cancel_pending(&run, 0, a.nodes.len() as u32);
        self.emit(
            Change::RunEnded {
                run: run.id.clone(),
                automation: run.automation.clone(),
                outcome: RunOutcome::Cancelled,
            },
            Some(&run.automation),
        );
        self.trace(&a.code, Some(&run.id), TraceKind::Cancelled, reason);
    }

    fn left_stage(&mut self, s: StageId) {
        let stage: &'m str = &self.pipeline.stages[s].code;
        let leaving: Vec<Run> = self
            .record
            .runs
            .iter()
            .filter(|r| r.stage.as_deref() == Some(stage))
            .filter(|r| {
                self.automation(&r.automation)
                    .is_some_and(|a| a.on_leave == LeavePolicy::Cancel)
            })
            .cloned()
            .collect();
        for run in leaving {
            self.cancel_run(run, format!("the record left stage \"{stage}\""));
        }
    }

    fn fields_changed(&mut self, fields: &[String]) -> Result<(), Rejection> {
        for field in fields {
            self.start_matching(
                |t| matches!(t, CTrigger::FieldChanged(f) if f == field),
                || format!("field \"{field}\" changed"),
                None,
            )?;
            // Timers following the field move with it.
            let following: Vec<Timer> = self
                .record
                .timers
                .iter()
                .filter(|t| t.field.as_deref() == Some(field.as_str()))
                .cloned()
                .collect();
            for timer in following {
                self.replan(timer)?;
            }
            self.plan_date_triggers(field)?;
            // Waits that stalled on this field may go on, once it has a date again (a cleared
            // field stalled them just above; resuming them would only report them "filled").
            if self.record.runs.is_empty() || self.field_moment(field).is_none() {
                continue;
            }
            let stalled: Vec<String> = self
                .record
                .runs
                .iter()
                .filter(|r| {
                    let Some(a) = self.automation(&r.automation) else { return false };
                    r.steps.iter().any(|(n, s)| {
                        matches!(s, StepState::Waiting { stalled: Some(_), .. })
                            && matches!(&a.nodes[*n as usize].kind, Kind::WaitField { field: f, .. } if f == field)
                    })
                })
                .map(|r| r.id.clone())
                .collect();
            for run in stalled {
                self.resume(&run, format!("field \"{field}\" was filled"))?;
            }
        }
        Ok(())
    }

    /// Date triggers start following a field that got a value.
    fn plan_date_triggers(&mut self, field: &str) -> Result<(), Rejection> {
        for a in &self.pipeline.automations {
            if let CTrigger::DateReached { field: f, offset } = &a.trigger
                && f == field
                && !self
                    .record
                    .timers
                    .iter()
                    .any(|t| t.automation == a.code && t.run.is_none())
                && let Some(moment) = self.field_moment(field)
            {
                let due = self.model.calendar.add(moment, offset);
                if due <= self.now() {
                    self.start(a, format!("the date in \"{field}\" has come"), None)?;
                } else {
                    let timer = Timer {
                        id: self.next_id("timer"),
                        due,
                        automation: a.code.clone(),
                        run: None,
                        field: Some(field.to_string()),
                    };
                    self.emit(Change::TimerSet { timer }, Some(&a.code));
                }
            }
        }
        Ok(())
    }

    /// Re-plans a timer that follows a date field after the field changed.
    fn replan(&mut self, timer: Timer) -> Result<(), Rejection> {
        let field = timer.field.clone().unwrap_or_default();
        let Some(a) = self.automation(&timer.automation) else {
            return Ok(());
        };
        let offset = match &timer.run {
            None => match &a.trigger {
                CTrigger::DateReached { offset, .. } => *offset,
                _ => return Ok(()),
            },
            Some(run_id) => {
                let node = self
                    .record
                    .runs
                    .iter()
                    .find(|r| &r.id == run_id)
                    .and_then(|r| {
                        r.steps.iter().find_map(|(n, s)| match s {
                            StepState::Waiting { timer: Some(t), .. } if *t == timer.id => Some(*n),
                            _ => None,
                        })
                    });
                match node.map(|n| &a.nodes[n as usize].kind) {
                    Some(Kind::WaitField { offset, .. }) => *offset,
                    _ => return Ok(()),
                }
            }
        };
        match self.field_moment(&field) {
            None => {
                self.emit(
                    Change::TimerCleared {
                        timer: timer.id.clone(),
                        fired: false,
                    },
                    Some(&a.code),
                );
                if let Some(run_id) = &timer.run
                    && let Some(mut run) =
                        self.record.runs.iter().find(|r| &r.id == run_id).cloned()
                {
                    for state in run.steps.values_mut() {
                        if matches!(state, StepState::Waiting { timer: Some(t), .. } if *t == timer.id)
                        {
                            *state = StepState::Waiting {
                                timer: None,
                                stalled: None,
                            };
                        }
                    }
                    // Re-running the wait reports the empty field and stalls visibly.
                    for (n, s) in run.steps.clone() {
                        if s == (StepState::Waiting {
                            timer: None,
                            stalled: None,
                        }) {
                            run.steps.remove(&n);
                        }
                    }
                    self.trace(
                        &a.code,
                        Some(run_id),
                        TraceKind::Resumed,
                        format!("field \"{field}\" was cleared"),
                    );
                    self.advance(a, run, false)?;
                }
            }
            Some(moment) => {
                let due = self.model.calendar.add(moment, &offset);
                if due != timer.due {
                    if due <= self.now() {
                        self.fire(timer)?;
                    } else {
                        self.emit(
                            Change::TimerSet {
                                timer: Timer { due, ..timer },
                            },
                            Some(&a.code),
                        );
                    }
                }
            }
        }
        Ok(())
    }

    /// Fires a timer: clears it and wakes its run or starts its automation.
    pub(crate) fn fire(&mut self, timer: Timer) -> Result<(), Rejection> {
        self.count()?;
        self.emit(
            Change::TimerCleared {
                timer: timer.id.clone(),
                fired: true,
            },
            Some(&timer.automation),
        );
        match &timer.run {
            Some(run) => self.resume(
                run,
                format!(
                    "timer due {} fired",
                    crate::utc::rfc3339(&timer.due, false).as_str()
                ),
            )?,
            None => {
                if let Some(a) = self.automation(&timer.automation) {
                    self.start(
                        a,
                        format!(
                            "the date in \"{}\" has come",
                            timer.field.clone().unwrap_or_default()
                        ),
                        None,
                    )?;
                }
            }
        }
        Ok(())
    }

    /// Fires every timer due at `now`, earliest first, until none is left; rejects the tick
    /// when it would fire more than `timers_per_tick` timers.
    pub(crate) fn tick(&mut self) -> Result<(), Rejection> {
        let limit = self.model.limits.timers_per_tick;
        for fired in 0.. {
            let due = self
                .record
                .timers
                .iter()
                .filter(|t| t.due <= self.now())
                .min_by(|a, b| (a.due, &a.id).cmp(&(b.due, &b.id)))
                .cloned();
            let Some(timer) = due else { return Ok(()) };
            if fired == limit {
                return Err(Rejection::LimitExceeded {
                    limit_name: "timers_per_tick".into(),
                    limit,
                    actual: limit + 1,
                    path: "now".into(),
                });
            }
            self.fire(timer)?;
            self.settle()?;
        }
        Ok(())
    }

    /// Gives a conversion waiting for duplicates the host's matches and lets it go on.
    pub(crate) fn resolve_duplicates(
        &mut self,
        contact: Option<String>,
        company: Option<String>,
    ) -> Result<(), Rejection> {
        let waiting = self.record.runs.iter().find_map(|r| {
            r.steps
                .iter()
                .find(|(_, s)| **s == StepState::AwaitingDuplicates)
                .map(|(n, _)| (r.clone(), *n))
        });
        let Some((mut run, n)) = waiting else {
            return Err(Rejection::NothingToResolve);
        };
        run.steps.insert(n, StepState::Matches { contact, company });
        let Some(a) = self.automation(&run.automation) else {
            return Err(Rejection::NothingToResolve);
        };
        self.trace(
            &a.code,
            Some(&run.id),
            TraceKind::Resumed,
            "the host answered the duplicate look-up".into(),
        );
        self.advance(a, run, false)
    }
}

/// The field changes that setting `values` makes.
pub(crate) fn changes_of(
    current: &BTreeMap<String, Value>,
    values: &BTreeMap<String, Value>,
) -> BTreeMap<String, FieldChange> {
    let mut out = BTreeMap::new();
    for (code, new) in values {
        let old = current.get(code).filter(|v| !v.is_null());
        let new = (!new.is_null()).then_some(new);
        if old != new {
            out.insert(
                code.clone(),
                FieldChange {
                    from: old.cloned(),
                    to: new.cloned(),
                },
            );
        }
    }
    out
}

/// Normalized keys to look a lead's contact and company up by.
pub fn duplicate_keys(record: &Record) -> DuplicateKeys {
    let mut keys = DuplicateKeys::default();
    let push = |list: &mut Vec<String>, v: String| {
        if !v.is_empty() && !list.contains(&v) {
            list.push(v);
        }
    };
    for (code, v) in &record.fields {
        let Some(text) = v.as_str() else { continue };
        if code.contains("email") {
            push(&mut keys.emails, text.to_lowercase());
        } else if code.contains("phone") {
            push(&mut keys.phones, text.to_string());
        } else if code.contains("tax_id") || code == "inn" {
            push(
                &mut keys.tax_ids,
                text.chars().filter(char::is_ascii_digit).collect(),
            );
        } else if code.starts_with("company") && code.contains("name") {
            push(&mut keys.company_names, company_key(text));
        }
    }
    keys
}

/// A company name as a look-up key: lower-cased, quotes and legal forms removed, spaces folded.
pub fn company_key(name: &str) -> String {
    const FORMS: [&str; 12] = [
        "ооо", "оао", "зао", "пао", "ао", "ип", "llc", "ltd", "gmbh", "inc", "plc", "sa",
    ];
    name.to_lowercase()
        .replace(['"', '«', '»', '\'', '“', '”', ',', '.'], " ")
        .split_whitespace()
        .filter(|w| !FORMS.contains(w))
        .collect::<Vec<_>>()
        .join(" ")
}
