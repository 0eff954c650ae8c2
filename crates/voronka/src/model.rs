//! The compiled model: a definition checked as a whole, with interned ids for the hot paths.

use std::collections::{BTreeMap, HashSet, VecDeque};

// The indexes of codes: a fast hasher (their keys come from the definition).
use rustc_hash::FxHashMap as HashMap;

use serde_json::Value;

use crate::calendar::Calendar;
use crate::definition::{
    Condition, Definition, EntityKind, FORMAT_VERSION, FieldDef, FieldType, PermissionsDef,
    Requirement, Semantics,
};
use crate::error::{
    DefinitionErrors, Diagnostic, ErrorCode, LoadError, MissingField, MissingPart, decode_json,
};
use crate::i18n::Label;
use crate::limits::Limits;
use crate::record::FieldChange;
use crate::value;

/// Most roles a definition may declare (role sets are bit sets).
pub const MAX_ROLES: usize = 64;
/// Most stages a pipeline may have (stage sets are bit sets).
pub const MAX_STAGES: usize = 128;

pub(crate) type RoleSet = u64;
pub(crate) type StageSet = u128;

/// Index of a field within its entity.
pub(crate) type FieldId = usize;
/// Index of a stage within its pipeline.
pub(crate) type StageId = usize;

/// A definition compiled for use: immutable, shareable between threads, cheap to query.
#[derive(Debug)]
pub struct Model {
    definition: Definition,
    role_index: HashMap<String, u32>,
    pub(crate) entities: Vec<Entity>,
    entity_index: HashMap<String, usize>,
    pub(crate) pipelines: Vec<Pipeline>,
    pipeline_index: HashMap<String, usize>,
    pub(crate) calendar: Calendar,
    pub(crate) limits: Limits,
    /// The definition's templates, parsed once.
    pub(crate) templates: crate::template::Compiled,
}

#[derive(Debug)]
pub(crate) struct Entity {
    pub(crate) code: String,
    pub(crate) fields: Vec<Field>,
    pub(crate) field_index: HashMap<String, FieldId>,
}

#[derive(Debug)]
pub(crate) struct Field {
    pub(crate) def: FieldDef,
    /// Roles that may edit it; `None`: the pipeline's edit roles.
    pub(crate) editable_by: Option<RoleSet>,
}

#[derive(Debug)]
pub(crate) struct Pipeline {
    pub(crate) code: String,
    pub(crate) entity: usize,
    pub(crate) stages: Vec<Stage>,
    pub(crate) stage_index: HashMap<String, StageId>,
    /// `moves[from]` is the set of stages `from` may move to (returns aside).
    pub(crate) moves: Vec<StageSet>,
    /// Stages left by returning to where the record came from.
    pub(crate) return_from: StageSet,
    /// Stages records may be created in.
    pub(crate) initial: StageSet,
    pub(crate) create: Option<RoleSet>,
    pub(crate) move_: Option<RoleSet>,
    pub(crate) edit: Option<RoleSet>,
    pub(crate) override_: RoleSet,
    pub(crate) complete_any_task: RoleSet,
    /// The main sequence (stages that are not `side`), in order.
    pub(crate) sequence: Vec<StageId>,
    pub(crate) automations: Vec<crate::engine::compile::Automation>,
}

#[derive(Debug)]
pub(crate) struct Stage {
    pub(crate) code: String,
    pub(crate) label: Label,
    pub(crate) requires: Vec<Req>,
    pub(crate) enter_roles: Option<RoleSet>,
}

#[derive(Debug)]
pub(crate) enum Req {
    Field {
        field: FieldId,
        when: Option<Cond>,
    },
    AnyOf {
        fields: Vec<FieldId>,
        when: Option<Cond>,
    },
}

/// Where a condition reads a value.
#[derive(Debug, Clone)]
pub(crate) enum Src {
    /// A field of the record (or of the form, for form requirements).
    Field(FieldId),
    /// An answer of the latest task of this task node in the run: (task node, form field code).
    Answer(usize, String),
}

#[derive(Debug)]
pub(crate) enum Cond {
    Filled(Src, bool),
    /// The value is one of these canonical values.
    Equals(Src, Vec<Value>),
    /// A choice selects at least one of these option codes.
    Selected(Src, Vec<String>),
    All(Vec<Cond>),
    Any(Vec<Cond>),
    Not(Box<Cond>),
}

/// A move between two stages that a pipeline allows.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AllowedMove {
    /// The stage moved from.
    pub from: String,
    /// The stage moved to; for a return, the stages it may return to are those that lead into `from`.
    pub to: String,
    /// `true` for a return to the stage the record came from.
    pub is_return: bool,
}

pub(crate) fn is_code(code: &str) -> bool {
    let mut chars = code.chars();
    matches!(chars.next(), Some('a'..='z'))
        && code.len() <= 64
        && chars.all(|c| matches!(c, 'a'..='z' | '0'..='9' | '_'))
}

fn bit(i: usize) -> StageSet {
    1u128 << i
}

pub(crate) struct Checker {
    pub(crate) problems: Vec<Diagnostic>,
    /// Every template of the definition, parsed (those that parse).
    pub(crate) templates: crate::template::Compiled,
}

impl Checker {
    pub(crate) fn push(
        &mut self,
        code: ErrorCode,
        path: impl Into<String>,
        en: String,
        ru: String,
    ) {
        self.problems.push(Diagnostic::new(code, path, en, ru));
    }

    pub(crate) fn code(&mut self, code: &str, path: &str) {
        if !is_code(code) {
            self.push(
                ErrorCode::InvalidCode,
                format!("{path}.code"),
                format!("\"{code}\" is not a code: use lowercase letters, digits and _ (at most 64), starting with a letter"),
                format!("«{code}» — не код: строчные латинские буквы, цифры и _ (до 64), первая — буква"),
            );
        }
    }

    pub(crate) fn label(&mut self, label: &Label, path: &str) {
        if label.en.trim().is_empty() || label.ru.trim().is_empty() {
            self.push(
                ErrorCode::EmptyLabel,
                format!("{path}.label"),
                "the label needs both \"en\" and \"ru\" texts".into(),
                "у названия должны быть тексты \"en\" и \"ru\"".into(),
            );
        }
    }

    pub(crate) fn unique<'a>(
        &mut self,
        codes: impl Iterator<Item = (String, &'a str)>,
        what: &str,
        what_ru: &str,
    ) {
        let mut seen = HashSet::new();
        for (path, code) in codes {
            if !seen.insert(code) {
                self.push(
                    ErrorCode::DuplicateCode,
                    format!("{path}.code"),
                    format!("{what} code \"{code}\" is used twice"),
                    format!("код {what_ru} «{code}» повторяется"),
                );
            }
        }
    }

    pub(crate) fn roles(
        &mut self,
        roles: &[String],
        index: &HashMap<String, u32>,
        path: &str,
    ) -> RoleSet {
        let mut set = 0;
        for (i, role) in roles.iter().enumerate() {
            match index.get(role) {
                Some(bit) => set |= 1u64 << bit,
                None => self.push(
                    ErrorCode::UnknownRole,
                    format!("{path}[{i}]"),
                    format!("unknown role \"{role}\""),
                    format!("неизвестная роль «{role}»"),
                ),
            }
        }
        set
    }
}

impl Model {
    /// Decodes a definition from JSON and compiles it, with the default [`Limits`].
    pub fn from_json(json: &str) -> Result<Model, LoadError> {
        Model::from_json_with_limits(json, Limits::default())
    }

    /// Decodes a definition from JSON and compiles it under `limits`: its size and nesting
    /// are checked before it is parsed.
    pub fn from_json_with_limits(json: &str, limits: Limits) -> Result<Model, LoadError> {
        limits.check_definition(json)?;
        let definition: Definition = decode_json(json)?;
        Ok(Model::compile_with_limits(definition, limits)?)
    }

    /// Checks the whole definition and reports every problem at once, each with its JSON path
    /// and stable code; on success the model is ready for commands. Uses the default [`Limits`].
    pub fn compile(definition: Definition) -> Result<Model, DefinitionErrors> {
        Model::compile_with_limits(definition, Limits::default())
    }

    /// [`compile`](Model::compile) under `limits`; the model then applies the command limits
    /// (value length, events, steps, timers per tick) to every command.
    pub fn compile_with_limits(
        definition: Definition,
        limits: Limits,
    ) -> Result<Model, DefinitionErrors> {
        let mut ck = Checker {
            problems: Vec::new(),
            templates: Default::default(),
        };
        let def = &definition;
        if def.format != FORMAT_VERSION {
            ck.push(
                ErrorCode::UnsupportedFormat,
                "format",
                format!(
                    "format {} is not supported; this library reads format {FORMAT_VERSION}",
                    def.format
                ),
                format!(
                    "формат {} не поддерживается; библиотека читает формат {FORMAT_VERSION}",
                    def.format
                ),
            );
        }
        if !is_code(&def.code) {
            ck.code(&def.code, "");
        }
        ck.label(&def.label, "");

        // Roles.
        if def.roles.len() > MAX_ROLES {
            ck.problems.push(Diagnostic::too_many(
                "roles",
                ("roles", "ролей"),
                def.roles.len(),
                ("roles", MAX_ROLES),
            ));
        }
        let mut role_index = HashMap::default();
        for (i, role) in def.roles.iter().enumerate() {
            ck.code(&role.code, &format!("roles[{i}]"));
            ck.label(&role.label, &format!("roles[{i}]"));
            if i < MAX_ROLES {
                role_index.entry(role.code.clone()).or_insert(i as u32);
            }
        }
        ck.unique(
            def.roles
                .iter()
                .enumerate()
                .map(|(i, r)| (format!("roles[{i}]"), r.code.as_str())),
            "role",
            "роли",
        );

        // Entities and fields.
        ck.unique(
            def.entities
                .iter()
                .enumerate()
                .map(|(i, e)| (format!("entities[{i}]"), e.code.as_str())),
            "entity",
            "сущности",
        );
        let mut kinds = HashMap::default();
        let mut entities = Vec::new();
        let mut entity_index = HashMap::default();
        for (ei, entity) in def.entities.iter().enumerate() {
            let path = format!("entities[{ei}]");
            ck.code(&entity.code, &path);
            ck.label(&entity.label, &path);
            if entity.kind != EntityKind::Custom
                && let Some(first) = kinds.insert(entity.kind, ei)
            {
                ck.push(
                    ErrorCode::DuplicateKind,
                    format!("{path}.kind"),
                    format!(
                        "entities[{first}] already has this kind; only custom entities may repeat"
                    ),
                    format!("этот вид уже у entities[{first}]; повторяться могут только custom"),
                );
            }
            ck.unique(
                entity
                    .fields
                    .iter()
                    .enumerate()
                    .map(|(i, f)| (format!("{path}.fields[{i}]"), f.code.as_str())),
                "field",
                "поля",
            );
            if entity.fields.len() > limits.fields_per_entity {
                ck.problems.push(Diagnostic::too_many(
                    format!("{path}.fields"),
                    ("fields", "полей"),
                    entity.fields.len(),
                    ("fields_per_entity", limits.fields_per_entity),
                ));
            }
            let mut fields = Vec::new();
            let mut field_index = HashMap::default();
            for (fi, field) in entity
                .fields
                .iter()
                .enumerate()
                .take(limits.fields_per_entity)
            {
                let fpath = format!("{path}.fields[{fi}]");
                check_field(&mut ck, field, &fpath);
                let editable_by = field
                    .editable_by
                    .as_ref()
                    .map(|roles| ck.roles(roles, &role_index, &format!("{fpath}.editable_by")));
                field_index
                    .entry(field.code.clone())
                    .or_insert(fields.len());
                fields.push(Field {
                    def: field.clone(),
                    editable_by,
                });
            }
            // An account's `bik_field` names a БИК field of the same entity.
            for (fi, field) in fields.iter().enumerate() {
                let Some(bik) = &field.def.bik_field else {
                    continue;
                };
                let found = field_index.get(bik).map(|&i| fields[i].def.field_type);
                if found != Some(FieldType::Bik) {
                    ck.push(
                        ErrorCode::UnknownReference,
                        format!("{path}.fields[{fi}].bik_field"),
                        format!("\"{bik}\" is not a bik field of this entity"),
                        format!("«{bik}» не поле типа bik этой сущности"),
                    );
                }
            }
            entity_index
                .entry(entity.code.clone())
                .or_insert(entities.len());
            entities.push(Entity {
                code: entity.code.clone(),
                fields,
                field_index,
            });
        }

        // Pipelines.
        ck.unique(
            def.pipelines
                .iter()
                .enumerate()
                .map(|(i, p)| (format!("pipelines[{i}]"), p.code.as_str())),
            "pipeline",
            "воронки",
        );
        let mut pipelines = Vec::new();
        let mut pipeline_index = HashMap::default();
        for (pi, p) in def.pipelines.iter().enumerate() {
            let path = format!("pipelines[{pi}]");
            ck.code(&p.code, &path);
            ck.label(&p.label, &path);
            let Some(&entity_id) = entity_index.get(&p.entity) else {
                ck.push(
                    ErrorCode::UnknownEntity,
                    format!("{path}.entity"),
                    format!("unknown entity \"{}\"", p.entity),
                    format!("неизвестная сущность «{}»", p.entity),
                );
                continue;
            };
            if p.stages.is_empty() {
                ck.push(
                    ErrorCode::NoStages,
                    format!("{path}.stages"),
                    "a pipeline needs at least one stage".into(),
                    "в воронке должен быть хотя бы один этап".into(),
                );
                continue;
            }
            if p.stages.len() > limits.stages() {
                ck.problems.push(Diagnostic::too_many(
                    format!("{path}.stages"),
                    ("stages", "этапов"),
                    p.stages.len(),
                    ("stages_per_pipeline", limits.stages()),
                ));
                continue;
            }
            let entity = &entities[entity_id];
            let permissions = compile_permissions(&mut ck, &p.permissions, &role_index, &path);
            ck.unique(
                p.stages
                    .iter()
                    .enumerate()
                    .map(|(i, s)| (format!("{path}.stages[{i}]"), s.code.as_str())),
                "stage",
                "этапа",
            );
            let mut stage_index = HashMap::default();
            for (si, s) in p.stages.iter().enumerate() {
                stage_index.entry(s.code.clone()).or_insert(si);
            }
            let mut stages = Vec::new();
            for (si, s) in p.stages.iter().enumerate() {
                let spath = format!("{path}.stages[{si}]");
                ck.code(&s.code, &spath);
                ck.label(&s.label, &spath);
                let enter_roles = s
                    .enter_roles
                    .as_ref()
                    .map(|r| ck.roles(r, &role_index, &format!("{spath}.enter_roles")));
                let mut requires = Vec::new();
                for (ri, req) in s.requires.iter().enumerate() {
                    let rpath = format!("{spath}.requires[{ri}]");
                    if let Some(r) =
                        compile_requirement(&mut ck, req, entity, permissions.edit, &rpath)
                    {
                        requires.push(r);
                    }
                }
                stages.push(Stage {
                    code: s.code.clone(),
                    label: s.label.clone(),
                    requires,
                    enter_roles,
                });
            }
            if !p.stages.iter().any(|s| s.semantics == Semantics::Won) {
                ck.push(
                    ErrorCode::NoWonStage,
                    format!("{path}.stages"),
                    format!(
                        "pipeline \"{}\" has no stage with semantics \"won\"",
                        p.code
                    ),
                    format!("в воронке «{}» нет этапа с семантикой \"won\"", p.code),
                );
            }

            // Moves.
            let n = p.stages.len();
            let open = |i: usize| p.stages[i].semantics == Semantics::Open;
            let mut moves = vec![0 as StageSet; n];
            let sequence: Vec<StageId> = (0..n).filter(|&i| !p.stages[i].side).collect();
            for (k, &s) in sequence.iter().enumerate() {
                if !open(s) {
                    continue;
                }
                if p.moves.next && k + 1 < sequence.len() {
                    moves[s] |= bit(sequence[k + 1]);
                }
                if p.moves.previous && k > 0 && open(sequence[k - 1]) {
                    moves[s] |= bit(sequence[k - 1]);
                }
            }
            let lookup = |ck: &mut Checker, code: &str, at: String| -> Option<usize> {
                let found = stage_index.get(code).copied();
                if found.is_none() {
                    ck.push(
                        ErrorCode::UnknownStage,
                        at,
                        format!("unknown stage \"{code}\""),
                        format!("неизвестный этап «{code}»"),
                    );
                }
                found
            };
            for (mi, m) in p.moves.extra.iter().enumerate() {
                let mpath = format!("{path}.moves.extra[{mi}]");
                let from = lookup(&mut ck, &m.from, format!("{mpath}.from"));
                let to = lookup(&mut ck, &m.to, format!("{mpath}.to"));
                if let (Some(from), Some(to)) = (from, to) {
                    if from == to {
                        ck.push(
                            ErrorCode::InvalidMove,
                            mpath,
                            format!("a move from \"{}\" to itself", m.from),
                            format!("переход с этапа «{}» на него же", m.from),
                        );
                    } else {
                        moves[from] |= bit(to);
                    }
                }
            }
            for (ti, target) in p.moves.from_any_open.iter().enumerate() {
                if let Some(t) =
                    lookup(&mut ck, target, format!("{path}.moves.from_any_open[{ti}]"))
                {
                    for (s, set) in moves.iter_mut().enumerate() {
                        if s != t && open(s) {
                            *set |= bit(t);
                        }
                    }
                }
            }
            let mut return_from = 0;
            for (ri, r) in p.moves.return_from.iter().enumerate() {
                let rpath = format!("{path}.moves.return_from[{ri}]");
                if let Some(s) = lookup(&mut ck, r, rpath.clone()) {
                    if open(s) {
                        return_from |= bit(s);
                    } else {
                        ck.push(
                            ErrorCode::InvalidMove,
                            rpath,
                            format!(
                                "stage \"{r}\" is closed; only open stages can return a record"
                            ),
                            format!("этап «{r}» закрыт; вернуть запись может только открытый этап"),
                        );
                    }
                }
            }

            // Initial stages and reachability.
            let mut initial: StageSet = 0;
            for (si, s) in p.stages.iter().enumerate() {
                if s.initial {
                    initial |= bit(si);
                }
            }
            if initial == 0 {
                initial = bit(0);
            }
            for (si, s) in p.stages.iter().enumerate() {
                if initial & bit(si) != 0 && s.semantics != Semantics::Open {
                    ck.push(
                        ErrorCode::InitialStageClosed,
                        format!("{path}.stages[{si}]"),
                        format!("records would be created in closed stage \"{}\"", s.code),
                        format!("записи создавались бы в закрытом этапе «{}»", s.code),
                    );
                }
            }
            let mut reached = initial;
            let mut queue: VecDeque<usize> = (0..n).filter(|&i| initial & bit(i) != 0).collect();
            while let Some(s) = queue.pop_front() {
                for t in 0..n {
                    if moves[s] & bit(t) != 0 && reached & bit(t) == 0 {
                        reached |= bit(t);
                        queue.push_back(t);
                    }
                }
            }
            for (si, s) in p.stages.iter().enumerate() {
                if reached & bit(si) == 0 {
                    ck.push(
                        ErrorCode::UnreachableStage,
                        format!("{path}.stages[{si}]"),
                        format!("no allowed move leads to stage \"{}\"", s.code),
                        format!("ни один разрешённый переход не ведёт на этап «{}»", s.code),
                    );
                }
            }

            pipeline_index
                .entry(p.code.clone())
                .or_insert(pipelines.len());
            pipelines.push(Pipeline {
                code: p.code.clone(),
                entity: entity_id,
                stages,
                stage_index,
                moves,
                return_from,
                initial,
                create: permissions.create,
                move_: permissions.move_,
                edit: permissions.edit,
                override_: permissions.override_,
                complete_any_task: permissions.complete_any_task,
                sequence,
                automations: Vec::new(),
            });
        }

        // Automations, once every pipeline is known (conversion names another pipeline).
        let automations: Vec<(usize, Vec<crate::engine::compile::Automation>)> = {
            let cx = crate::engine::compile::Context {
                definition: def,
                entities: &entities,
                pipelines: &pipelines,
                roles: &role_index,
            };
            def.pipelines
                .iter()
                .enumerate()
                .filter_map(|(pi, p)| {
                    let compiled = pipelines.iter().position(|c| c.code == p.code)?;
                    Some((
                        compiled,
                        crate::engine::compile::compile_automations(
                            &mut ck,
                            &cx,
                            compiled,
                            &p.automations,
                            &format!("pipelines[{pi}].automations"),
                        ),
                    ))
                })
                .collect()
        };
        for (pi, list) in automations {
            let activities: usize = list.iter().map(|a| a.nodes.len()).sum();
            if activities > limits.activities_per_pipeline {
                let source = def
                    .pipelines
                    .iter()
                    .position(|p| p.code == pipelines[pi].code);
                ck.problems.push(Diagnostic::too_many(
                    format!("pipelines[{}].automations", source.unwrap_or(pi)),
                    ("activities", "действий"),
                    activities,
                    ("activities_per_pipeline", limits.activities_per_pipeline),
                ));
            }
            pipelines[pi].automations = list;
        }
        let calendar = check_calendar(&mut ck, def);
        check_library(
            &mut ck,
            def,
            &entities,
            &entity_index,
            &pipeline_index,
            &pipelines,
        );

        if ck.problems.is_empty() {
            Ok(Model {
                definition,
                role_index,
                entities,
                entity_index,
                pipelines,
                pipeline_index,
                calendar: calendar.unwrap_or_else(|| {
                    Calendar::new(&crate::automation::CalendarDef::default())
                        .unwrap_or_else(|| unreachable!("the default calendar is valid"))
                }),
                limits,
                templates: ck.templates,
            })
        } else {
            Err(DefinitionErrors(ck.problems))
        }
    }

    /// The definition this model was compiled from.
    pub fn definition(&self) -> &Definition {
        &self.definition
    }

    /// The limits this model was compiled under and applies to commands.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    pub(crate) fn pipeline_id(&self, code: &str) -> Option<usize> {
        self.pipeline_index.get(code).copied()
    }

    pub(crate) fn entity_id(&self, code: &str) -> Option<usize> {
        self.entity_index.get(code).copied()
    }

    /// The role set of an actor's role codes (unknown roles are ignored: the host's directory may
    /// know more roles than the definition uses).
    pub(crate) fn role_set(&self, roles: &[String]) -> RoleSet {
        roles
            .iter()
            .filter_map(|r| self.role_index.get(r))
            .fold(0, |set, bit| set | (1u64 << bit))
    }

    pub(crate) fn role_names(&self, set: RoleSet) -> Vec<String> {
        self.definition
            .roles
            .iter()
            .enumerate()
            .filter(|(i, _)| *i < MAX_ROLES && set & (1u64 << i) != 0)
            .map(|(_, r)| r.code.clone())
            .collect()
    }

    /// The field `code` of `entity`, as defined.
    pub fn field(&self, entity: &str, code: &str) -> Option<&FieldDef> {
        let e = &self.entities[self.entity_id(entity)?];
        e.field_index.get(code).map(|&f| &e.fields[f].def)
    }

    /// Every move the pipeline allows, in stage order; returns are listed once per stage that
    /// can lead into the returning stage.
    pub fn allowed_moves(&self, pipeline: &str) -> Vec<AllowedMove> {
        let Some(p) = self.pipeline_id(pipeline).map(|i| &self.pipelines[i]) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (from, set) in p.moves.iter().enumerate() {
            for to in 0..p.stages.len() {
                if set & bit(to) != 0 {
                    out.push(AllowedMove {
                        from: p.stages[from].code.clone(),
                        to: p.stages[to].code.clone(),
                        is_return: false,
                    });
                }
            }
        }
        for r in 0..p.stages.len() {
            if p.return_from & bit(r) == 0 {
                continue;
            }
            for (from, set) in p.moves.iter().enumerate() {
                if from != r && set & bit(r) != 0 {
                    out.push(AllowedMove {
                        from: p.stages[r].code.clone(),
                        to: p.stages[from].code.clone(),
                        is_return: true,
                    });
                }
            }
        }
        out
    }

    /// Evaluates the requirements of `stage` over `fields`: what is missing, in definition order.
    pub(crate) fn missing(
        &self,
        pipeline: &Pipeline,
        stage: StageId,
        fields: &BTreeMap<String, Value>,
    ) -> Vec<MissingField> {
        let entity = &self.entities[pipeline.entity];
        missing_in(entity, &pipeline.stages[stage].requires, fields)
    }

    /// [`missing`](Model::missing) over `fields` with `changes` laid over them.
    pub(crate) fn missing_after(
        &self,
        pipeline: &Pipeline,
        stage: StageId,
        fields: &BTreeMap<String, Value>,
        changes: &BTreeMap<String, FieldChange>,
    ) -> Vec<MissingField> {
        let entity = &self.entities[pipeline.entity];
        missing_with(
            entity,
            &pipeline.stages[stage].requires,
            |code| match changes.get(code) {
                Some(change) => change.to.as_ref(),
                None => fields.get(code),
            },
        )
    }
}

/// What `requires` (over `entity`'s fields) lacks in `values`, in order.
pub(crate) fn missing_in(
    entity: &Entity,
    requires: &[Req],
    values: &BTreeMap<String, Value>,
) -> Vec<MissingField> {
    missing_with(entity, requires, |code| values.get(code))
}

/// [`missing_in`] over values read by `value` (by field code), so a caller can check values
/// with changes laid over them without building the merged map.
pub(crate) fn missing_with<'a>(
    entity: &Entity,
    requires: &[Req],
    value: impl Fn(&str) -> Option<&'a Value>,
) -> Vec<MissingField> {
    let get = |f: FieldId| value(&entity.fields[f].def.code).filter(|v| !v.is_null());
    let get_src = |src: &Src| match src {
        Src::Field(f) => get(*f),
        Src::Answer(..) => None,
    };
    let mut out = Vec::new();
    for req in requires {
        match req {
            Req::Field { field, when } => {
                if when.as_ref().is_some_and(|c| !eval(c, &get_src)) {
                    continue;
                }
                let def = &entity.fields[*field].def;
                let part = match get(*field) {
                    None => Some(MissingPart::Value),
                    Some(v) => def
                        .other
                        .as_ref()
                        .filter(|o| value::other_text_missing(v, &o.code))
                        .map(|_| MissingPart::OtherText),
                };
                if let Some(part) = part {
                    out.push(MissingField {
                        field: def.code.clone(),
                        label: def.label.clone(),
                        field_type: def.field_type,
                        part,
                        any_of: Vec::new(),
                    });
                }
            }
            Req::AnyOf {
                fields: group,
                when,
            } => {
                if when.as_ref().is_some_and(|c| !eval(c, &get_src)) {
                    continue;
                }
                if group.iter().all(|&f| get(f).is_none()) {
                    let first = &entity.fields[group[0]].def;
                    // The label names every alternative: "Contact e-mail or Contact phone".
                    let join = |lang: crate::Lang, or: &str| {
                        group
                            .iter()
                            .map(|&f| entity.fields[f].def.label.get(lang).to_string())
                            .collect::<Vec<_>>()
                            .join(or)
                    };
                    out.push(MissingField {
                        field: first.code.clone(),
                        label: Label::new(
                            join(crate::Lang::En, " or "),
                            join(crate::Lang::Ru, " или "),
                        ),
                        field_type: first.field_type,
                        part: MissingPart::Value,
                        any_of: group
                            .iter()
                            .map(|&f| entity.fields[f].def.code.clone())
                            .collect(),
                    });
                }
            }
        }
    }
    out
}

/// Evaluates a condition; `get` gives a source's non-empty value.
pub(crate) fn eval<'a>(cond: &Cond, get: &impl Fn(&Src) -> Option<&'a Value>) -> bool {
    match cond {
        Cond::Filled(f, want) => get(f).is_some() == *want,
        Cond::Equals(f, values) => get(f).is_some_and(|v| values.contains(v)),
        Cond::Selected(f, codes) => get(f).is_some_and(|v| {
            value::selected_codes(v)
                .iter()
                .any(|c| codes.iter().any(|w| w == c))
        }),
        Cond::All(items) => items.iter().all(|c| eval(c, get)),
        Cond::Any(items) => items.iter().any(|c| eval(c, get)),
        Cond::Not(inner) => !eval(inner, get),
    }
}

struct Permissions {
    create: Option<RoleSet>,
    move_: Option<RoleSet>,
    edit: Option<RoleSet>,
    override_: RoleSet,
    complete_any_task: RoleSet,
}

fn compile_permissions(
    ck: &mut Checker,
    p: &PermissionsDef,
    roles: &HashMap<String, u32>,
    path: &str,
) -> Permissions {
    Permissions {
        create: p
            .create
            .as_ref()
            .map(|r| ck.roles(r, roles, &format!("{path}.permissions.create"))),
        move_: p
            .move_
            .as_ref()
            .map(|r| ck.roles(r, roles, &format!("{path}.permissions.move"))),
        edit: p
            .edit
            .as_ref()
            .map(|r| ck.roles(r, roles, &format!("{path}.permissions.edit"))),
        override_: ck.roles(
            &p.override_requirements,
            roles,
            &format!("{path}.permissions.override_requirements"),
        ),
        complete_any_task: ck.roles(
            &p.complete_any_task,
            roles,
            &format!("{path}.permissions.complete_any_task"),
        ),
    }
}

pub(crate) fn check_field(ck: &mut Checker, f: &FieldDef, path: &str) {
    ck.code(&f.code, path);
    ck.label(&f.label, path);
    let t = f.field_type;
    let mut not_for = |attr: &str, present: bool, allowed: &[FieldType]| {
        if present && !allowed.contains(&t) {
            ck.push(
                ErrorCode::AttributeNotApplicable,
                format!("{path}.{attr}"),
                format!("\"{attr}\" does not apply to a {} field", t.as_str()),
                format!("«{attr}» не применяется к полю типа {}", t.as_str()),
            );
        }
    };
    use FieldType as T;
    not_for("options", !f.options.is_empty(), &[T::Choice]);
    not_for("other", f.other.is_some(), &[T::Choice]);
    not_for("multiple", f.multiple, &[T::Choice, T::File]);
    not_for("min", f.min.is_some(), &[T::Integer, T::Decimal, T::Money]);
    not_for("max", f.max.is_some(), &[T::Integer, T::Decimal, T::Money]);
    not_for(
        "scale",
        f.scale.is_some(),
        &[T::Decimal, T::Money, T::Percent],
    );
    not_for(
        "max_length",
        f.max_length.is_some(),
        &[T::Text, T::LongText],
    );
    not_for("currencies", !f.currencies.is_empty(), &[T::Money]);
    not_for(
        "bik_field",
        f.bik_field.is_some(),
        &[T::BankAccount, T::CorrAccount],
    );
    if t == T::Choice {
        if f.options.is_empty() && f.other.is_none() {
            ck.push(
                ErrorCode::EmptyChoice,
                format!("{path}.options"),
                "a choice field needs at least one option".into(),
                "у поля выбора должен быть хотя бы один вариант".into(),
            );
        }
        for (i, o) in f.options.iter().enumerate() {
            ck.code(&o.code, &format!("{path}.options[{i}]"));
            ck.label(&o.label, &format!("{path}.options[{i}]"));
        }
        if let Some(o) = &f.other {
            ck.code(&o.code, &format!("{path}.other"));
            ck.label(&o.label, &format!("{path}.other"));
        }
        ck.unique(
            f.options
                .iter()
                .enumerate()
                .map(|(i, o)| (format!("{path}.options[{i}]"), o.code.as_str()))
                .chain(
                    f.other
                        .iter()
                        .map(|o| (format!("{path}.other"), o.code.as_str())),
                ),
            "option",
            "варианта",
        );
    }
    if let (Some(min), Some(max)) = (f.min, f.max)
        && min > max
    {
        ck.push(
            ErrorCode::InvalidBounds,
            format!("{path}.min"),
            format!("min {min} is greater than max {max}"),
            format!("min {min} больше max {max}"),
        );
    }
    if t == T::Integer {
        for (attr, bound) in [("min", f.min), ("max", f.max)] {
            if bound.is_some_and(|b| b.fract() != rust_decimal::Decimal::ZERO) {
                ck.push(
                    ErrorCode::InvalidBounds,
                    format!("{path}.{attr}"),
                    "bounds of an integer field must be whole numbers".into(),
                    "границы целочисленного поля должны быть целыми".into(),
                );
            }
        }
    }
    for (i, c) in f.currencies.iter().enumerate() {
        if !value::is_currency(c) {
            ck.push(
                ErrorCode::InvalidCurrency,
                format!("{path}.currencies[{i}]"),
                format!("\"{c}\" is not an ISO 4217 currency code"),
                format!("«{c}» — не код валюты ISO 4217"),
            );
        }
    }
}

pub(crate) fn resolve_field(
    ck: &mut Checker,
    entity: &Entity,
    code: &str,
    path: &str,
) -> Option<FieldId> {
    let found = entity.field_index.get(code).copied();
    if found.is_none() {
        ck.push(
            ErrorCode::UnknownField,
            path.to_string(),
            format!("entity \"{}\" has no field \"{code}\"", entity.code),
            format!("у сущности «{}» нет поля «{code}»", entity.code),
        );
    }
    found
}

pub(crate) fn compile_requirement(
    ck: &mut Checker,
    req: &Requirement,
    entity: &Entity,
    pipeline_edit: Option<RoleSet>,
    path: &str,
) -> Option<Req> {
    let fillable = |ck: &mut Checker, f: FieldId, path: &str| {
        let field = &entity.fields[f];
        let editors = field.editable_by.or(pipeline_edit);
        if editors == Some(0) {
            ck.push(
                ErrorCode::NeverFillable,
                path.to_string(),
                format!(
                    "field \"{}\" is required but nobody may fill it",
                    field.def.code
                ),
                format!(
                    "поле «{}» обязательно, но заполнить его не может никто",
                    field.def.code
                ),
            );
        }
    };
    match req {
        Requirement::Field(code) => {
            let f = resolve_field(ck, entity, code, path)?;
            fillable(ck, f, path);
            Some(Req::Field {
                field: f,
                when: None,
            })
        }
        Requirement::Conditional(c) => {
            let f = resolve_field(ck, entity, &c.field, &format!("{path}.field"));
            if let Some(f) = f {
                fillable(ck, f, &format!("{path}.field"));
            }
            let when = c.when.as_ref().map(|w| {
                compile_condition(
                    ck,
                    w,
                    &Scope {
                        entity,
                        tasks: None,
                    },
                    &format!("{path}.when"),
                )
            });
            Some(Req::Field {
                field: f?,
                when: when.flatten(),
            })
        }
        Requirement::AnyOf(a) => {
            if a.any_of.is_empty() {
                ck.push(
                    ErrorCode::UnknownField,
                    format!("{path}.any_of"),
                    "\"any_of\" needs at least one field".into(),
                    "в «any_of» должно быть хотя бы одно поле".into(),
                );
                return None;
            }
            let mut fields = Vec::new();
            for (i, code) in a.any_of.iter().enumerate() {
                if let Some(f) = resolve_field(ck, entity, code, &format!("{path}.any_of[{i}]")) {
                    fields.push(f);
                }
            }
            let editable = fields
                .iter()
                .any(|&f| entity.fields[f].editable_by.or(pipeline_edit) != Some(0));
            if !fields.is_empty() && !editable {
                ck.push(
                    ErrorCode::NeverFillable,
                    format!("{path}.any_of"),
                    "none of these fields may be filled by anybody".into(),
                    "ни одно из этих полей никто не может заполнить".into(),
                );
            }
            let when = a.when.as_ref().map(|w| {
                compile_condition(
                    ck,
                    w,
                    &Scope {
                        entity,
                        tasks: None,
                    },
                    &format!("{path}.when"),
                )
            });
            if fields.len() != a.any_of.len() {
                return None;
            }
            Some(Req::AnyOf {
                fields,
                when: when.flatten(),
            })
        }
    }
}

/// What a condition may read: the fields of `entity`, and in an automation the answers of
/// its tasks (`task code → (task node, form as an entity)`).
pub(crate) struct Scope<'a> {
    pub(crate) entity: &'a Entity,
    pub(crate) tasks: Option<&'a HashMap<String, (usize, Entity)>>,
}

/// Compiles a condition; `None` after reporting a problem.
pub(crate) fn compile_condition(
    ck: &mut Checker,
    c: &Condition,
    scope: &Scope<'_>,
    path: &str,
) -> Option<Cond> {
    // Resolves the field (of the record or of a task's form) a leaf condition reads.
    let source =
        |ck: &mut Checker, task: &Option<String>, field: &str| -> Option<(Src, FieldDef)> {
            match task {
                None => {
                    let f = resolve_field(ck, scope.entity, field, &format!("{path}.field"))?;
                    Some((Src::Field(f), scope.entity.fields[f].def.clone()))
                }
                Some(task) => {
                    let Some((node, form)) = scope.tasks.and_then(|t| t.get(task)) else {
                        ck.push(
                            ErrorCode::UnknownTask,
                            format!("{path}.task"),
                            format!("no task \"{task}\" in this automation"),
                            format!("в этой автоматизации нет задачи «{task}»"),
                        );
                        return None;
                    };
                    let f = resolve_field(ck, form, field, &format!("{path}.field"))?;
                    Some((
                        Src::Answer(*node, field.to_string()),
                        form.fields[f].def.clone(),
                    ))
                }
            }
        };
    let compare = |ck: &mut Checker,
                   task: &Option<String>,
                   field: &str,
                   values: &[Value],
                   vpath: &str|
     -> Option<Cond> {
        let (src, def) = source(ck, task, field)?;
        let mut canonical = Vec::new();
        let mut codes = Vec::new();
        for (i, v) in values.iter().enumerate() {
            let at = if values.len() == 1 && vpath.ends_with("equals") {
                vpath.to_string()
            } else {
                format!("{vpath}[{i}]")
            };
            if def.field_type == FieldType::Choice {
                let known = v.as_str().is_some_and(|code| {
                    def.options.iter().any(|o| o.code == code)
                        || def.other.as_ref().is_some_and(|o| o.code == code)
                });
                if known {
                    codes.push(v.as_str().unwrap_or_default().to_string());
                } else {
                    ck.push(
                        ErrorCode::InvalidConditionValue,
                        at,
                        format!("{v} is not an option of field \"{}\"", def.code),
                        format!("{v} — не вариант поля «{}»", def.code),
                    );
                }
                continue;
            }
            match value::normalize(&def, v) {
                Ok(n) if !n.is_null() => canonical.push(n),
                Ok(_) => ck.push(
                    ErrorCode::InvalidConditionValue,
                    at,
                    "an empty value; use {\"filled\": false} to test for empty".into(),
                    "пустое значение; для проверки на пустоту используйте {\"filled\": false}"
                        .into(),
                ),
                Err((_, problem)) => ck.push(
                    ErrorCode::InvalidConditionValue,
                    at,
                    format!(
                        "field \"{}\" can never have this value: {}",
                        def.code,
                        problem.message(crate::Lang::En)
                    ),
                    format!(
                        "поле «{}» не может иметь такое значение: {}",
                        def.code,
                        problem.message(crate::Lang::Ru)
                    ),
                ),
            }
        }
        if def.field_type == FieldType::Choice {
            (codes.len() == values.len()).then_some(Cond::Selected(src, codes))
        } else {
            (canonical.len() == values.len()).then_some(Cond::Equals(src, canonical))
        }
    };
    let many = |ck: &mut Checker, items: &[Condition], key: &str| -> Option<Vec<Cond>> {
        let compiled: Vec<_> = items
            .iter()
            .enumerate()
            .map(|(i, c)| compile_condition(ck, c, scope, &format!("{path}.{key}[{i}]")))
            .collect();
        compiled.into_iter().collect()
    };
    match c {
        Condition::Filled {
            field,
            task,
            filled,
        } => source(ck, task, field).map(|(src, _)| Cond::Filled(src, *filled)),
        Condition::Equals {
            field,
            task,
            equals,
        } => compare(
            ck,
            task,
            field,
            std::slice::from_ref(equals),
            &format!("{path}.equals"),
        ),
        Condition::OneOf {
            field,
            task,
            one_of,
        } => compare(ck, task, field, one_of, &format!("{path}.one_of")),
        Condition::All { all } => many(ck, all, "all").map(Cond::All),
        Condition::Any { any } => many(ck, any, "any").map(Cond::Any),
        Condition::Not { not } => compile_condition(ck, not, scope, &format!("{path}.not"))
            .map(|c| Cond::Not(Box::new(c))),
    }
}

fn check_calendar(ck: &mut Checker, def: &Definition) -> Option<Calendar> {
    let calendar = Calendar::new(&def.calendar);
    match &calendar {
        None => ck.push(
            ErrorCode::InvalidCalendar,
            "calendar.utc_offset",
            format!(
                "\"{}\" is not a UTC offset like \"+03:00\"",
                def.calendar.utc_offset
            ),
            format!(
                "«{}» — не смещение от UTC вида \"+03:00\"",
                def.calendar.utc_offset
            ),
        ),
        Some(c) if !c.has_working_days() => ck.push(
            ErrorCode::InvalidCalendar,
            "calendar.weekend",
            "every day of the week is a day off".into(),
            "все дни недели — выходные".into(),
        ),
        Some(_) => {}
    }
    calendar
}

/// Checks e-mail templates, documents and lead capture.
fn check_library(
    ck: &mut Checker,
    def: &Definition,
    entities: &[Entity],
    entity_index: &HashMap<String, usize>,
    pipeline_index: &HashMap<String, usize>,
    pipelines: &[Pipeline],
) {
    ck.unique(
        def.email_templates
            .iter()
            .enumerate()
            .map(|(i, t)| (format!("email_templates[{i}]"), t.code.as_str())),
        "e-mail template",
        "шаблона письма",
    );
    for (i, t) in def.email_templates.iter().enumerate() {
        let path = format!("email_templates[{i}]");
        ck.code(&t.code, &path);
        for (part, label) in [("subject", &t.subject), ("body", &t.body)] {
            for (lang, text) in [("en", &label.en), ("ru", &label.ru)] {
                if let Err(message) = ck.templates.add(text) {
                    ck.push(
                        ErrorCode::InvalidTemplate,
                        format!("{path}.{part}.{lang}"),
                        format!("the template does not parse: {message}"),
                        format!("шаблон не разбирается: {message}"),
                    );
                }
            }
        }
    }
    ck.unique(
        def.documents
            .iter()
            .enumerate()
            .map(|(i, d)| (format!("documents[{i}]"), d.code.as_str())),
        "document",
        "документа",
    );
    for (i, d) in def.documents.iter().enumerate() {
        ck.code(&d.code, &format!("documents[{i}]"));
        ck.label(&d.label, &format!("documents[{i}]"));
    }
    if let Some(capture) = &def.lead_capture {
        let Some(&p) = pipeline_index.get(&capture.pipeline) else {
            ck.push(
                ErrorCode::UnknownReference,
                "lead_capture.pipeline",
                format!("unknown pipeline \"{}\"", capture.pipeline),
                format!("неизвестная воронка «{}»", capture.pipeline),
            );
            return;
        };
        let entity = &entities[pipelines[p].entity];
        let is_lead = def
            .entities
            .iter()
            .any(|e| e.code == entity.code && e.kind == crate::definition::EntityKind::Lead);
        if !is_lead || !entity_index.contains_key(&entity.code) {
            ck.push(
                ErrorCode::InvalidActivity,
                "lead_capture.pipeline",
                "leads are captured into a pipeline of lead records".into(),
                "лиды принимаются в воронку лидов".into(),
            );
        }
        if let Some(f) = resolve_field(
            ck,
            entity,
            &capture.source_field,
            "lead_capture.source_field",
        ) && entity.fields[f].def.field_type != FieldType::Choice
        {
            ck.push(
                ErrorCode::InvalidActivity,
                "lead_capture.source_field",
                "the source field must be a choice".into(),
                "поле источника должно быть выбором".into(),
            );
        }
    }
}
