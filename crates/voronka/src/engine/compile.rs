//! Compiling automations: activities into an indexed tree, every reference checked.

use std::collections::{BTreeMap, HashSet};

use rustc_hash::FxHashMap as HashMap;

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::automation::{
    AcknowledgeDef, Activity, ApprovalDef, Assignee, Attachment, AutomationDef, ConversionDef,
    DocumentLang, Join, LeavePolicy, Offset, SkipPolicy, StartProcessDef, TaskDef, Trigger,
};
use crate::definition::{ChoiceOption, Definition, EntityKind, FieldDef, FieldType, Requirement};
use crate::error::ErrorCode;
use crate::i18n::{Label, Lang};
use crate::model::{
    Checker, Cond, Entity, Field, Pipeline, Req, RoleSet, Scope, StageId, check_field,
    compile_condition, compile_requirement,
};
use crate::value;

/// Most rounds a `repeat` may declare.
pub const MAX_ITERATIONS: u32 = 1_000;

/// Longest span an offset may give, in days (about five years). Larger offsets overflowed
/// the date arithmetic at run time (a panic), and a business-day walk stops after
/// `calendar::MAX_WALK` calendar days, which 2 000 working days stay well inside.
pub const MAX_OFFSET_DAYS: i32 = 2_000;

/// Reports an offset whose days, hours or minutes reach beyond [`MAX_OFFSET_DAYS`].
fn check_offset(ck: &mut Checker, offset: &Offset, path: &str) {
    let within =
        |value: i32, per_day: i64| (value as i64).abs() <= MAX_OFFSET_DAYS as i64 * per_day;
    if !(within(offset.days, 1) && within(offset.hours, 24) && within(offset.minutes, 24 * 60)) {
        ck.push(
            ErrorCode::InvalidActivity,
            path.to_string(),
            format!("an offset may span at most {MAX_OFFSET_DAYS} days"),
            format!("смещение может составлять не более {MAX_OFFSET_DAYS} дней"),
        );
    }
}

/// A compiled automation.
#[derive(Debug)]
pub(crate) struct Automation {
    pub(crate) code: String,
    pub(crate) trigger: CTrigger,
    pub(crate) guard: Option<Cond>,
    pub(crate) on_leave: LeavePolicy,
    pub(crate) when_skipped: SkipPolicy,
    /// Activities in pre-order; `nodes[0]` is the root.
    pub(crate) nodes: Vec<Node>,
}

#[derive(Debug)]
pub(crate) enum CTrigger {
    Created,
    StageEntered(StageId),
    FieldChanged(String),
    TaskCompleted(String),
    DateReached { field: String, offset: Offset },
    FormAnswered(String),
    Signal(String),
}

/// An activity and the end (exclusive) of its subtree in pre-order.
#[derive(Debug)]
pub(crate) struct Node {
    pub(crate) kind: Kind,
    pub(crate) end: u32,
}

#[derive(Debug)]
pub(crate) enum Kind {
    Sequence(Vec<u32>),
    Parallel(Vec<u32>, Join),
    If(Cond, u32, Option<u32>),
    Repeat(u32, Cond, u32),
    WaitDelay(Offset),
    WaitUntil(DateTime<Utc>),
    WaitField {
        field: String,
        offset: Offset,
    },
    WaitTask(u32),
    Task(Box<CTask>),
    Notify(Vec<Assignee>, Label),
    Email {
        template: String,
        to_field: String,
        lang: Lang,
        attachments: Vec<Attachment>,
    },
    Render(String, DocumentLang),
    SetFields(BTreeMap<String, Value>),
    Move(StageId),
    Convert(Box<CConversion>),
    WaitSignal(String),
    Approval(Box<CApproval>),
    Acknowledge(Box<CAcknowledge>),
    StartProcess(Box<StartProcessDef>),
    Signal {
        to_field: String,
        name: String,
    },
}

/// A compiled approval: its definition and the forms of its decision and rework tasks.
#[derive(Debug)]
pub(crate) struct CApproval {
    pub(crate) def: ApprovalDef,
    pub(crate) decision: CTask,
    pub(crate) rework: CTask,
}

/// A compiled acknowledgement and the form of its confirmation task (none).
#[derive(Debug)]
pub(crate) struct CAcknowledge {
    pub(crate) def: AcknowledgeDef,
    pub(crate) confirm: CTask,
}

#[derive(Debug)]
pub(crate) struct CTask {
    pub(crate) def: TaskDef,
    /// The form as an entity, for value checks and requirements.
    pub(crate) form: Entity,
    pub(crate) form_requires: Vec<Req>,
    pub(crate) completers: RoleSet,
}

#[derive(Debug)]
pub(crate) struct CConversion {
    pub(crate) def: ConversionDef,
    pub(crate) contact: usize,
    pub(crate) company: usize,
    pub(crate) deal_pipeline: String,
}

/// What compiling automations needs to look up.
pub(crate) struct Context<'a> {
    pub(crate) definition: &'a Definition,
    pub(crate) entities: &'a [Entity],
    pub(crate) pipelines: &'a [Pipeline],
    pub(crate) roles: &'a HashMap<String, u32>,
}

pub(crate) fn form_entity(task: &TaskDef) -> Entity {
    fields_entity(&format!("task {}", task.code), &task.form)
}

/// The form of an approver's decision: approve, send back for rework, or reject, with a comment.
pub(crate) fn decision_form() -> Vec<FieldDef> {
    let opt = |code: &str, en: &str, ru: &str| ChoiceOption {
        code: code.into(),
        label: Label::new(en, ru),
    };
    vec![
        plain_field(
            "decision",
            FieldType::Choice,
            Label::new("Decision", "Решение"),
            vec![
                opt("approve", "Approve", "Согласовать"),
                opt("rework", "Send back for rework", "Вернуть на доработку"),
                opt("reject", "Reject", "Отклонить"),
            ],
        ),
        plain_field(
            "comment",
            FieldType::LongText,
            Label::new("Comment", "Комментарий"),
            Vec::new(),
        ),
    ]
}

/// The pseudo-form conditions read from an approval: its `outcome`.
fn outcome_form() -> Vec<FieldDef> {
    let opt = |code: &str, en: &str, ru: &str| ChoiceOption {
        code: code.into(),
        label: Label::new(en, ru),
    };
    vec![plain_field(
        "outcome",
        FieldType::Choice,
        Label::new("Outcome", "Итог"),
        vec![
            opt("approved", "Approved", "Согласовано"),
            opt("rejected", "Rejected", "Отклонено"),
        ],
    )]
}

pub(crate) fn plain_field(
    code: &str,
    field_type: FieldType,
    label: Label,
    options: Vec<ChoiceOption>,
) -> FieldDef {
    FieldDef {
        code: code.into(),
        label,
        field_type,
        hint: None,
        options,
        other: None,
        multiple: false,
        min: None,
        max: None,
        scale: None,
        max_length: None,
        currencies: Vec::new(),
        editable_by: None,
        bik_field: None,
    }
}

/// An entity made of form fields, for value checks and requirements.
pub(crate) fn fields_entity(code: &str, form: &[FieldDef]) -> Entity {
    let mut field_index = HashMap::default();
    let mut fields = Vec::new();
    for def in form {
        field_index.entry(def.code.clone()).or_insert(fields.len());
        fields.push(Field {
            def: def.clone(),
            editable_by: None,
        });
    }
    Entity {
        code: code.to_string(),
        fields,
        field_index,
    }
}

/// Numbers the activities people answer (tasks, approvals, acknowledgements) in pre-order, as
/// `compile` will: (node, code, the fields conditions may read).
fn index_tasks(a: &Activity, next: &mut u32, out: &mut Vec<(u32, String, Vec<FieldDef>)>) {
    let me = *next;
    *next += 1;
    match a {
        Activity::Sequence { steps } => steps.iter().for_each(|s| index_tasks(s, next, out)),
        Activity::Parallel { branches, .. } => {
            branches.iter().for_each(|s| index_tasks(s, next, out))
        }
        Activity::If {
            then, otherwise, ..
        } => {
            index_tasks(then, next, out);
            if let Some(o) = otherwise {
                index_tasks(o, next, out);
            }
        }
        Activity::Repeat { body, .. } => index_tasks(body, next, out),
        Activity::Task(task) => out.push((me, task.code.clone(), task.form.clone())),
        Activity::Approval(a) => out.push((me, a.code.clone(), outcome_form())),
        Activity::Acknowledge(a) => out.push((me, a.code.clone(), Vec::new())),
        _ => {}
    }
}

struct Compiler<'a, 'c> {
    ck: &'c mut Checker,
    cx: &'a Context<'a>,
    pipeline: &'a Pipeline,
    entity: &'a Entity,
    tasks: HashMap<String, (usize, Entity)>,
    nodes: Vec<Option<Node>>,
}

/// Compiles the automations of pipeline `pi` (an index into `cx.pipelines`) from `defs`.
pub(crate) fn compile_automations(
    ck: &mut Checker,
    cx: &Context<'_>,
    pi: usize,
    defs: &[AutomationDef],
    path: &str,
) -> Vec<Automation> {
    let pipeline = &cx.pipelines[pi];
    let entity = &cx.entities[pipeline.entity];
    ck.unique(
        defs.iter()
            .enumerate()
            .map(|(i, a)| (format!("{path}[{i}]"), a.code.as_str())),
        "automation",
        "автоматизации",
    );
    // Task codes of the whole pipeline, for `task_completed` triggers.
    let mut all_tasks = HashSet::new();
    for a in defs {
        let mut found = Vec::new();
        index_tasks(&a.run, &mut 0, &mut found);
        all_tasks.extend(found.iter().map(|(_, code, _)| code.clone()));
    }
    let mut out = Vec::new();
    for (ai, a) in defs.iter().enumerate() {
        let apath = format!("{path}[{ai}]");
        ck.code(&a.code, &apath);
        ck.label(&a.label, &apath);
        let mut found = Vec::new();
        index_tasks(&a.run, &mut 0, &mut found);
        let mut tasks = HashMap::default();
        let mut seen = HashSet::new();
        for (node, code, form) in &found {
            if !seen.insert(code.as_str()) {
                ck.push(
                    ErrorCode::DuplicateCode,
                    format!("{apath}.run"),
                    format!("task code \"{code}\" is used twice in this automation"),
                    format!("код задачи «{code}» повторяется в этой автоматизации"),
                );
            }
            tasks.insert(code.clone(), (*node as usize, fields_entity(code, form)));
        }
        let trigger = match &a.on {
            Trigger::Created => Some(CTrigger::Created),
            Trigger::StageEntered(stage) => match pipeline.stage_index.get(stage) {
                Some(&s) => Some(CTrigger::StageEntered(s)),
                None => {
                    ck.push(
                        ErrorCode::UnknownStage,
                        format!("{apath}.on.stage_entered"),
                        format!("unknown stage \"{stage}\""),
                        format!("неизвестный этап «{stage}»"),
                    );
                    None
                }
            },
            Trigger::FieldChanged(field) => {
                resolve(ck, entity, field, &format!("{apath}.on.field_changed"))
                    .map(|_| CTrigger::FieldChanged(field.clone()))
            }
            Trigger::TaskCompleted(task) => {
                if all_tasks.contains(task) {
                    Some(CTrigger::TaskCompleted(task.clone()))
                } else {
                    ck.push(
                        ErrorCode::UnknownTask,
                        format!("{apath}.on.task_completed"),
                        format!("no automation of this pipeline has a task \"{task}\""),
                        format!("ни в одной автоматизации воронки нет задачи «{task}»"),
                    );
                    None
                }
            }
            Trigger::FormAnswered(task) => {
                if all_tasks.contains(task) {
                    Some(CTrigger::FormAnswered(task.clone()))
                } else {
                    ck.push(
                        ErrorCode::UnknownTask,
                        format!("{apath}.on.form_answered"),
                        format!("no automation of this pipeline has a task \"{task}\""),
                        format!("ни в одной автоматизации воронки нет задачи «{task}»"),
                    );
                    None
                }
            }
            Trigger::Signal(name) => Some(CTrigger::Signal(name.clone())),
            Trigger::DateReached(d) => {
                check_offset(ck, &d.offset, &format!("{apath}.on.date_reached.offset"));
                date_field(
                    ck,
                    entity,
                    &d.field,
                    &format!("{apath}.on.date_reached.field"),
                )
                .map(|_| CTrigger::DateReached {
                    field: d.field.clone(),
                    offset: d.offset,
                })
            }
        };
        let guard = a.when.as_ref().and_then(|w| {
            compile_condition(
                ck,
                w,
                &Scope {
                    entity,
                    tasks: None,
                },
                &format!("{apath}.when"),
            )
        });
        let mut compiler = Compiler {
            ck: &mut *ck,
            cx,
            pipeline,
            entity,
            tasks,
            nodes: Vec::new(),
        };
        compiler.activity(&a.run, &format!("{apath}.run"));
        let compiled = compiler.nodes;
        check_loops(ck, &compiled, &apath);
        let nodes: Option<Vec<Node>> = compiled.into_iter().collect();
        if let (Some(trigger), Some(nodes)) = (trigger, nodes) {
            out.push(Automation {
                code: a.code.clone(),
                trigger,
                guard,
                on_leave: a.on_leave,
                when_skipped: a.when_skipped,
                nodes,
            });
        }
    }
    out
}

/// Whether an activity can make its run wait (for a person, a timer, a signal or the host).
fn blocks(kind: &Kind) -> bool {
    match kind {
        Kind::Task(t) => t.def.each.is_empty(),
        Kind::WaitDelay(_)
        | Kind::WaitUntil(_)
        | Kind::WaitField { .. }
        | Kind::WaitTask(_)
        | Kind::WaitSignal(_)
        | Kind::Approval(_)
        | Kind::Acknowledge(_) => true,
        Kind::Convert(c) => c.def.find_duplicates,
        _ => false,
    }
}

/// A loop whose body never waits would spin through all its rounds in one command: a loop
/// with no way out but its round limit, reported as a problem of the definition.
fn check_loops(ck: &mut Checker, nodes: &[Option<Node>], path: &str) {
    for (i, node) in nodes.iter().enumerate() {
        let Some(Node {
            kind: Kind::Repeat(body, ..),
            ..
        }) = node
        else {
            continue;
        };
        let end = nodes[*body as usize].as_ref().map_or(*body, |b| b.end);
        let waits = nodes[*body as usize..end as usize]
            .iter()
            .flatten()
            .any(|n| blocks(&n.kind));
        if !waits {
            ck.push(
                ErrorCode::LoopWithoutWait,
                format!("{path}.run"),
                format!("the repeat (activity {i}) never waits for anything: it has no exit but its round limit"),
                format!("повтор (шаг {i}) ничего не ждёт: выйти из него можно только по пределу повторов"),
            );
        }
    }
}

fn resolve(ck: &mut Checker, entity: &Entity, field: &str, path: &str) -> Option<usize> {
    crate::model::resolve_field(ck, entity, field, path)
}

fn date_field(ck: &mut Checker, entity: &Entity, field: &str, path: &str) -> Option<usize> {
    let f = resolve(ck, entity, field, path)?;
    let t = entity.fields[f].def.field_type;
    if t != FieldType::Date && t != FieldType::DateTime {
        ck.push(
            ErrorCode::InvalidActivity,
            path.to_string(),
            format!("field \"{field}\" is a {}, not a date", t.as_str()),
            format!("поле «{field}» имеет тип {}, а не дата", t.as_str()),
        );
        return None;
    }
    Some(f)
}

fn check_template(ck: &mut Checker, label: &Label, path: &str) {
    for (lang, text) in [("en", &label.en), ("ru", &label.ru)] {
        if let Err(message) = ck.templates.add(text) {
            ck.push(
                ErrorCode::InvalidTemplate,
                format!("{path}.{lang}"),
                format!("the template does not parse: {message}"),
                format!("шаблон не разбирается: {message}"),
            );
        }
    }
}

impl Compiler<'_, '_> {
    fn push(&mut self, code: ErrorCode, path: String, en: String, ru: String) {
        self.ck.push(code, path, en, ru);
    }

    fn role(&mut self, role: &str, path: String) {
        if !self.cx.roles.contains_key(role) {
            self.push(
                ErrorCode::UnknownRole,
                path,
                format!("unknown role \"{role}\""),
                format!("неизвестная роль «{role}»"),
            );
        }
    }

    fn assignee(&mut self, a: &Assignee, path: String) {
        match a {
            Assignee::Role(role) => self.role(role, format!("{path}.role")),
            Assignee::DepartmentIn(field) => {
                self.text_field(field, &format!("{path}.department_in"))
            }
            Assignee::HeadsIn(field) => self.text_field(field, &format!("{path}.heads_in")),
            _ => {}
        }
    }

    fn condition(&mut self, c: &crate::definition::Condition, path: &str) -> Option<Cond> {
        compile_condition(
            self.ck,
            c,
            &Scope {
                entity: self.entity,
                tasks: Some(&self.tasks),
            },
            path,
        )
    }

    /// Compiles `a` and its children; returns its node index. A problem leaves the node `None`.
    fn activity(&mut self, a: &Activity, path: &str) -> u32 {
        let me = self.nodes.len() as u32;
        self.nodes.push(None);
        let kind = self.kind(a, path);
        let end = self.nodes.len() as u32;
        self.nodes[me as usize] = kind.map(|kind| Node { kind, end });
        me
    }

    fn kind(&mut self, a: &Activity, path: &str) -> Option<Kind> {
        match a {
            Activity::Sequence { steps } => Some(Kind::Sequence(
                steps
                    .iter()
                    .enumerate()
                    .map(|(i, s)| self.activity(s, &format!("{path}.steps[{i}]")))
                    .collect(),
            )),
            Activity::Parallel { branches, join } => {
                if branches.is_empty() {
                    self.push(
                        ErrorCode::InvalidActivity,
                        format!("{path}.branches"),
                        "a parallel activity needs at least one branch".into(),
                        "у параллельного блока должна быть хотя бы одна ветка".into(),
                    );
                }
                Some(Kind::Parallel(
                    branches
                        .iter()
                        .enumerate()
                        .map(|(i, s)| self.activity(s, &format!("{path}.branches[{i}]")))
                        .collect(),
                    *join,
                ))
            }
            Activity::If {
                when,
                then,
                otherwise,
            } => {
                let cond = self.condition(when, &format!("{path}.when"));
                let then = self.activity(then, &format!("{path}.then"));
                let otherwise = otherwise
                    .as_ref()
                    .map(|o| self.activity(o, &format!("{path}.else")));
                Some(Kind::If(cond?, then, otherwise))
            }
            Activity::Repeat {
                body,
                until,
                max_iterations,
            } => {
                if *max_iterations == 0 || *max_iterations > MAX_ITERATIONS {
                    self.push(
                        ErrorCode::InvalidActivity,
                        format!("{path}.max_iterations"),
                        format!("max_iterations must be from 1 to {MAX_ITERATIONS}"),
                        format!("max_iterations должно быть от 1 до {MAX_ITERATIONS}"),
                    );
                }
                let body = self.activity(body, &format!("{path}.body"));
                let cond = self.condition(until, &format!("{path}.until"));
                Some(Kind::Repeat(body, cond?, *max_iterations))
            }
            Activity::Wait(w) => {
                let targets = [
                    w.delay.is_some(),
                    w.until.is_some(),
                    w.until_field.is_some(),
                    w.until_task.is_some(),
                    w.until_signal.is_some(),
                ]
                .iter()
                .filter(|t| **t)
                .count();
                if targets != 1 || (w.offset.is_some() && w.until_field.is_none()) {
                    self.push(
                        ErrorCode::InvalidActivity,
                        path.to_string(),
                        "a wait needs exactly one of delay, until, until_field, until_task (offset only with until_field)".into(),
                        "ожидание требует ровно одно из delay, until, until_field, until_task (offset — только с until_field)".into(),
                    );
                    return None;
                }
                if let Some(d) = &w.delay {
                    check_offset(self.ck, d, &format!("{path}.delay"));
                }
                if let Some(o) = &w.offset {
                    check_offset(self.ck, o, &format!("{path}.offset"));
                }
                if let Some(name) = &w.until_signal {
                    Some(Kind::WaitSignal(name.clone()))
                } else if let Some(d) = w.delay {
                    Some(Kind::WaitDelay(d))
                } else if let Some(t) = w.until {
                    Some(Kind::WaitUntil(t))
                } else if let Some(field) = &w.until_field {
                    date_field(self.ck, self.entity, field, &format!("{path}.until_field"))?;
                    Some(Kind::WaitField {
                        field: field.clone(),
                        offset: w.offset.unwrap_or_default(),
                    })
                } else {
                    let task = w.until_task.clone().unwrap_or_default();
                    match self.tasks.get(&task) {
                        Some((node, _)) => Some(Kind::WaitTask(*node as u32)),
                        None => {
                            self.push(
                                ErrorCode::UnknownTask,
                                format!("{path}.until_task"),
                                format!("no task \"{task}\" in this automation"),
                                format!("в этой автоматизации нет задачи «{task}»"),
                            );
                            None
                        }
                    }
                }
            }
            Activity::Task(task) => self.task(task, path),
            Activity::Notify { to, message } => {
                for (i, a) in to.iter().enumerate() {
                    self.assignee(a, format!("{path}.to[{i}]"));
                }
                check_template(self.ck, message, &format!("{path}.message"));
                Some(Kind::Notify(to.clone(), message.clone()))
            }
            Activity::Email {
                template,
                to_field,
                lang,
                attachments,
            } => {
                let known = self
                    .cx
                    .definition
                    .email_templates
                    .iter()
                    .any(|t| &t.code == template);
                if !known {
                    self.push(
                        ErrorCode::UnknownReference,
                        format!("{path}.template"),
                        format!("unknown e-mail template \"{template}\""),
                        format!("неизвестный шаблон письма «{template}»"),
                    );
                }
                let to = resolve(self.ck, self.entity, to_field, &format!("{path}.to_field"));
                if let Some(f) = to
                    && self.entity.fields[f].def.field_type != FieldType::Email
                {
                    self.push(
                        ErrorCode::InvalidActivity,
                        format!("{path}.to_field"),
                        format!("field \"{to_field}\" is not an e-mail field"),
                        format!("поле «{to_field}» — не e-mail"),
                    );
                }
                for (i, att) in attachments.iter().enumerate() {
                    match att {
                        Attachment::Document(doc) => {
                            self.document(doc, format!("{path}.attachments[{i}].document"))
                        }
                        Attachment::Field(field) => {
                            let apath = format!("{path}.attachments[{i}].field");
                            if let Some(f) = resolve(self.ck, self.entity, field, &apath)
                                && self.entity.fields[f].def.field_type != FieldType::File
                            {
                                self.push(
                                    ErrorCode::InvalidActivity,
                                    apath,
                                    format!("field \"{field}\" is not a file field"),
                                    format!("поле «{field}» — не файл"),
                                );
                            }
                        }
                    }
                }
                Some(Kind::Email {
                    template: template.clone(),
                    to_field: to_field.clone(),
                    lang: lang.unwrap_or(Lang::Ru),
                    attachments: attachments.clone(),
                })
            }
            Activity::RenderDocument { document, lang } => {
                self.document(document, format!("{path}.document"));
                Some(Kind::Render(document.clone(), *lang))
            }
            Activity::SetFields { fields } => {
                let mut out = BTreeMap::new();
                for (code, raw) in fields {
                    let fpath = format!("{path}.fields.{code}");
                    let Some(f) = resolve(self.ck, self.entity, code, &fpath) else {
                        continue;
                    };
                    match value::normalize(&self.entity.fields[f].def, raw) {
                        Ok(v) => {
                            out.insert(code.clone(), v);
                        }
                        Err((at, problem)) => self.push(
                            ErrorCode::InvalidConditionValue,
                            format!("{fpath}{at}"),
                            format!("invalid value: {}", problem.message(Lang::En)),
                            format!("некорректное значение: {}", problem.message(Lang::Ru)),
                        ),
                    }
                }
                Some(Kind::SetFields(out))
            }
            Activity::Move { to } => match self.pipeline.stage_index.get(to) {
                Some(&s) => Some(Kind::Move(s)),
                None => {
                    self.push(
                        ErrorCode::UnknownStage,
                        format!("{path}.to"),
                        format!("unknown stage \"{to}\""),
                        format!("неизвестный этап «{to}»"),
                    );
                    None
                }
            },
            Activity::ConvertLead(conv) => self.conversion(conv, path),
            Activity::Approval(a) => self.approval(a, path),
            Activity::Acknowledge(a) => self.acknowledge(a, path),
            Activity::StartProcess(sp) => self.start_process(sp, path),
            Activity::Signal { to_field, name } => {
                self.text_field(to_field, &format!("{path}.to_field"));
                Some(Kind::Signal {
                    to_field: to_field.clone(),
                    name: name.clone(),
                })
            }
        }
    }

    fn text_field(&mut self, field: &str, path: &str) {
        if let Some(f) = resolve(self.ck, self.entity, field, path) {
            let t = self.entity.fields[f].def.field_type;
            if !matches!(t, FieldType::Text | FieldType::LongText | FieldType::User) {
                self.push(
                    ErrorCode::InvalidActivity,
                    path.to_string(),
                    format!(
                        "field \"{field}\" is a {}, not a text or user field",
                        t.as_str()
                    ),
                    format!(
                        "поле «{field}» имеет тип {}, а не текст или пользователь",
                        t.as_str()
                    ),
                );
            }
        }
    }

    fn approval(&mut self, a: &ApprovalDef, path: &str) -> Option<Kind> {
        self.ck.code(&a.code, path);
        self.ck.label(&a.title, &format!("{path}.title"));
        if let Some(d) = &a.description {
            check_template(self.ck, d, &format!("{path}.description"));
        }
        if a.steps.is_empty() {
            self.push(
                ErrorCode::InvalidActivity,
                format!("{path}.steps"),
                "an approval needs at least one step".into(),
                "у согласования должен быть хотя бы один шаг".into(),
            );
        }
        for (i, step) in a.steps.iter().enumerate() {
            let spath = format!("{path}.steps[{i}]");
            if step.approvers.is_empty() {
                self.push(
                    ErrorCode::InvalidActivity,
                    format!("{spath}.approvers"),
                    "a step needs approvers".into(),
                    "у шага должны быть согласующие".into(),
                );
            }
            for (j, who) in step
                .approvers
                .iter()
                .chain(step.escalate_to.iter())
                .enumerate()
            {
                self.assignee(who, format!("{spath}.approvers[{j}]"));
            }
            if let crate::automation::ApprovalRule::AtLeast(0) = step.rule {
                self.push(
                    ErrorCode::InvalidActivity,
                    format!("{spath}.rule"),
                    "at_least needs a number from 1".into(),
                    "at_least требует число от 1".into(),
                );
            }
        }
        self.assignee(&a.rework_by, format!("{path}.rework_by"));
        let decision = TaskDef {
            code: a.code.clone(),
            title: a.title.clone(),
            description: a.description.clone(),
            assignee: Assignee::Requester,
            observers: Vec::new(),
            deadline: None,
            checklist: Vec::new(),
            checklist_required: false,
            form: decision_form(),
            form_requires: vec![
                Requirement::Field("decision".into()),
                Requirement::Conditional(crate::definition::ConditionalRequirement {
                    field: "comment".into(),
                    when: Some(crate::definition::Condition::OneOf {
                        field: "decision".into(),
                        task: None,
                        one_of: vec![Value::from("rework"), Value::from("reject")],
                    }),
                }),
            ],
            answers_to_fields: BTreeMap::new(),
            completers: Vec::new(),
            each: Vec::new(),
        };
        let rework = TaskDef {
            code: format!("{}_rework", a.code),
            title: a.title.clone(),
            form: vec![plain_field(
                "comment",
                FieldType::LongText,
                Label::new("What was changed", "Что исправлено"),
                Vec::new(),
            )],
            form_requires: Vec::new(),
            ..decision.clone()
        };
        let decision = self.task(&decision, path).and_then(|k| match k {
            Kind::Task(t) => Some(*t),
            _ => None,
        })?;
        let rework = self.task(&rework, path).and_then(|k| match k {
            Kind::Task(t) => Some(*t),
            _ => None,
        })?;
        Some(Kind::Approval(Box::new(CApproval {
            def: a.clone(),
            decision,
            rework,
        })))
    }

    fn acknowledge(&mut self, a: &AcknowledgeDef, path: &str) -> Option<Kind> {
        self.ck.code(&a.code, path);
        self.ck.label(&a.title, &format!("{path}.title"));
        if a.roster.is_empty() && a.roster_field.is_none() {
            self.push(
                ErrorCode::InvalidActivity,
                format!("{path}.roster"),
                "an acknowledgement needs a roster or a roster_field".into(),
                "для ознакомления нужен roster или roster_field".into(),
            );
        }
        for (i, who) in a.roster.iter().enumerate() {
            self.assignee(who, format!("{path}.roster[{i}]"));
        }
        if let Some(f) = &a.roster_field {
            self.text_field(f, &format!("{path}.roster_field"));
        }
        if let Some(f) = &a.deadline_field {
            date_field(self.ck, self.entity, f, &format!("{path}.deadline_field"));
        }
        if a.deadline.is_some() && a.deadline_field.is_some() {
            self.push(
                ErrorCode::InvalidActivity,
                format!("{path}.deadline"),
                "give deadline or deadline_field, not both".into(),
                "укажите deadline или deadline_field, но не оба".into(),
            );
        }
        if let Some(f) = &a.document_field
            && let Some(i) = resolve(self.ck, self.entity, f, &format!("{path}.document_field"))
            && !matches!(
                self.entity.fields[i].def.field_type,
                FieldType::File | FieldType::Url
            )
        {
            self.push(
                ErrorCode::InvalidActivity,
                format!("{path}.document_field"),
                format!("field \"{f}\" is neither a file nor a url"),
                format!("поле «{f}» — не файл и не ссылка"),
            );
        }
        let confirm = TaskDef {
            code: a.code.clone(),
            title: a.title.clone(),
            description: None,
            assignee: Assignee::Requester,
            observers: Vec::new(),
            deadline: None,
            checklist: Vec::new(),
            checklist_required: false,
            form: Vec::new(),
            form_requires: Vec::new(),
            answers_to_fields: BTreeMap::new(),
            completers: Vec::new(),
            each: Vec::new(),
        };
        let confirm = self.task(&confirm, path).and_then(|k| match k {
            Kind::Task(t) => Some(*t),
            _ => None,
        })?;
        Some(Kind::Acknowledge(Box::new(CAcknowledge {
            def: a.clone(),
            confirm,
        })))
    }

    fn start_process(&mut self, sp: &StartProcessDef, path: &str) -> Option<Kind> {
        let Some(target) = self.cx.pipelines.iter().find(|p| p.code == sp.pipeline) else {
            self.push(
                ErrorCode::UnknownReference,
                format!("{path}.pipeline"),
                format!("unknown pipeline \"{}\"", sp.pipeline),
                format!("неизвестная воронка «{}»", sp.pipeline),
            );
            return None;
        };
        let target_entity = &self.cx.entities[target.entity];
        for (to, from) in &sp.fields {
            let fpath = format!("{path}.fields.{to}");
            let t = resolve(self.ck, target_entity, to, &fpath);
            let f = resolve(self.ck, self.entity, from, &fpath);
            if let (Some(t), Some(f)) = (t, f) {
                let (tt, ft) = (
                    target_entity.fields[t].def.field_type,
                    self.entity.fields[f].def.field_type,
                );
                if tt != ft {
                    self.push(
                        ErrorCode::InvalidActivity,
                        fpath,
                        format!(
                            "field \"{from}\" is a {} but \"{to}\" is a {}",
                            ft.as_str(),
                            tt.as_str()
                        ),
                        format!(
                            "поле «{from}» имеет тип {}, а «{to}» — {}",
                            ft.as_str(),
                            tt.as_str()
                        ),
                    );
                }
            }
        }
        if let Some(parent) = &sp.parent_field {
            let ppath = format!("{path}.parent_field");
            if let Some(f) = resolve(self.ck, target_entity, parent, &ppath)
                && target_entity.fields[f].def.field_type != FieldType::Text
            {
                self.push(
                    ErrorCode::InvalidActivity,
                    ppath,
                    format!("field \"{parent}\" must be a text field"),
                    format!("поле «{parent}» должно быть текстовым"),
                );
            }
        }
        Some(Kind::StartProcess(Box::new(sp.clone())))
    }

    fn document(&mut self, code: &str, path: String) {
        if !self.cx.definition.documents.iter().any(|d| d.code == code) {
            self.push(
                ErrorCode::UnknownReference,
                path,
                format!("unknown document \"{code}\""),
                format!("неизвестный документ «{code}»"),
            );
        }
    }

    fn task(&mut self, task: &TaskDef, path: &str) -> Option<Kind> {
        self.ck.code(&task.code, path);
        self.ck.label(&task.title, path);
        if let Some(d) = &task.deadline {
            check_offset(self.ck, d, &format!("{path}.deadline"));
        }
        self.assignee(&task.assignee, format!("{path}.assignee"));
        for (i, who) in task.each.iter().enumerate() {
            self.assignee(who, format!("{path}.each[{i}]"));
        }
        if !task.each.is_empty() && !task.answers_to_fields.is_empty() {
            self.push(
                ErrorCode::InvalidActivity,
                format!("{path}.answers_to_fields"),
                "tasks for each person cannot copy answers into the record".into(),
                "задачи для каждого не могут копировать ответы в запись".into(),
            );
        }
        for (i, o) in task.observers.iter().enumerate() {
            self.assignee(o, format!("{path}.observers[{i}]"));
        }
        if let Some(d) = &task.description {
            check_template(self.ck, d, &format!("{path}.description"));
        }
        self.ck.unique(
            task.form
                .iter()
                .enumerate()
                .map(|(i, f)| (format!("{path}.form[{i}]"), f.code.as_str())),
            "form field",
            "поля формы",
        );
        for (i, f) in task.form.iter().enumerate() {
            check_field(self.ck, f, &format!("{path}.form[{i}]"));
        }
        let form = form_entity(task);
        let form_requires: Vec<Req> = task
            .form_requires
            .iter()
            .enumerate()
            .filter_map(|(i, r)| {
                compile_requirement(
                    self.ck,
                    r,
                    &form,
                    None,
                    &format!("{path}.form_requires[{i}]"),
                )
            })
            .collect();
        for (target, source) in &task.answers_to_fields {
            let tpath = format!("{path}.answers_to_fields.{target}");
            let t = resolve(self.ck, self.entity, target, &tpath);
            let s = crate::model::resolve_field(self.ck, &form, source, &tpath);
            if let (Some(t), Some(s)) = (t, s) {
                let (tt, st) = (
                    self.entity.fields[t].def.field_type,
                    form.fields[s].def.field_type,
                );
                if tt != st {
                    self.push(
                        ErrorCode::InvalidActivity,
                        tpath,
                        format!(
                            "answer \"{source}\" is a {} but field \"{target}\" is a {}",
                            st.as_str(),
                            tt.as_str()
                        ),
                        format!(
                            "ответ «{source}» имеет тип {}, а поле «{target}» — {}",
                            st.as_str(),
                            tt.as_str()
                        ),
                    );
                }
            }
        }
        let mut completers = 0;
        for (i, role) in task.completers.iter().enumerate() {
            match self.cx.roles.get(role) {
                Some(bit) => completers |= 1u64 << bit,
                None => self.role(role, format!("{path}.completers[{i}]")),
            }
        }
        Some(Kind::Task(Box::new(CTask {
            def: task.clone(),
            form,
            form_requires,
            completers,
        })))
    }

    fn conversion(&mut self, conv: &ConversionDef, path: &str) -> Option<Kind> {
        let defs = &self.cx.definition.entities;
        let lead_kind = defs
            .iter()
            .find(|e| e.code == self.entity.code)
            .map(|e| e.kind);
        if lead_kind != Some(EntityKind::Lead) {
            self.push(
                ErrorCode::InvalidActivity,
                path.to_string(),
                "only a lead pipeline can convert leads".into(),
                "конвертировать лиды может только воронка лидов".into(),
            );
        }
        let by_kind = |kind: EntityKind| {
            defs.iter()
                .position(|e| e.kind == kind)
                .and_then(|i| self.cx.entities.iter().position(|e| e.code == defs[i].code))
        };
        let contact = by_kind(EntityKind::Contact);
        let company = by_kind(EntityKind::Company);
        let deal_pipeline = self
            .cx
            .pipelines
            .iter()
            .find(|p| p.code == conv.deal_pipeline);
        for (what, found) in [
            ("contact", contact.is_some()),
            ("company", company.is_some()),
        ] {
            if !found {
                self.push(
                    ErrorCode::UnknownEntity,
                    path.to_string(),
                    format!("conversion needs an entity of kind \"{what}\""),
                    format!("для конвертации нужна сущность вида \"{what}\""),
                );
            }
        }
        if deal_pipeline.is_none() {
            self.push(
                ErrorCode::UnknownReference,
                format!("{path}.deal_pipeline"),
                format!("unknown pipeline \"{}\"", conv.deal_pipeline),
                format!("неизвестная воронка «{}»", conv.deal_pipeline),
            );
        }
        let mut mapping = |target: Option<&Entity>, map: &BTreeMap<String, String>, key: &str| {
            let Some(target) = target else { return };
            for (to, from) in map {
                let mpath = format!("{path}.{key}.{to}");
                let t = resolve(self.ck, target, to, &mpath);
                let s = resolve(self.ck, self.entity, from, &mpath);
                if let (Some(t), Some(s)) = (t, s) {
                    let (tt, st) = (
                        target.fields[t].def.field_type,
                        self.entity.fields[s].def.field_type,
                    );
                    if tt != st {
                        self.ck.push(
                            ErrorCode::InvalidActivity,
                            mpath,
                            format!(
                                "lead field \"{from}\" is a {} but \"{to}\" is a {}",
                                st.as_str(),
                                tt.as_str()
                            ),
                            format!(
                                "поле лида «{from}» имеет тип {}, а «{to}» — {}",
                                st.as_str(),
                                tt.as_str()
                            ),
                        );
                    }
                }
            }
        };
        mapping(
            contact.map(|c| &self.cx.entities[c]),
            &conv.contact,
            "contact",
        );
        mapping(
            company.map(|c| &self.cx.entities[c]),
            &conv.company,
            "company",
        );
        mapping(
            deal_pipeline.map(|p| &self.cx.entities[p.entity]),
            &conv.deal,
            "deal",
        );
        Some(Kind::Convert(Box::new(CConversion {
            def: conv.clone(),
            contact: contact?,
            company: company?,
            deal_pipeline: deal_pipeline?.code.clone(),
        })))
    }
}
