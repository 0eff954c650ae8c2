// What the two JavaScript implementations share: the deal funnel read from the definition
// (stages, allowed moves, roles, required fields, the automations' tasks and forms) and the
// check of field values and task answers. The WebAssembly package does all of this inside the
// Rust core.

import { compileCalendar } from './calendar.mjs';

const DECIMAL = /^-?\d+(\.\d+)?$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const URL_RE = /^https?:\/\/[^\s/]+\S*$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The pipeline `code` of a definition as lookup tables. */
export function compileFunnel(definition, code) {
  const pipeline = definition.pipelines.find((p) => p.code === code);
  const entity = definition.entities.find((e) => e.code === pipeline.entity);
  const perms = pipeline.permissions;
  const stages = new Map();
  const sequence = pipeline.stages.filter((s) => !s.side).map((s) => s.code);
  for (const s of pipeline.stages) {
    stages.set(s.code, {
      code: s.code,
      requires: s.requires ?? [],
      enterRoles: s.enter_roles ?? null,
      open: !s.semantics,
      next: new Set(),
    });
  }
  sequence.forEach((s, i) => {
    if (i + 1 < sequence.length) stages.get(s).next.add(sequence[i + 1]);
  });
  for (const m of pipeline.moves.extra ?? []) stages.get(m.from).next.add(m.to);
  for (const to of pipeline.moves.from_any_open ?? []) {
    for (const s of stages.values()) if (s.open && s.code !== to) s.next.add(to);
  }
  const fields = new Map(entity.fields.map((f) => [f.code, f]));
  return {
    code,
    entity: entity.code,
    initial: sequence[0],
    stages,
    fields,
    returnFrom: new Set(pipeline.moves.return_from ?? []),
    calendar: compileCalendar(definition.calendar),
    tasks: taskDefs(pipeline.automations ?? []),
    completeAny: perms.complete_any_task ?? [],
    create: perms.create,
    move: perms.move,
    edit: perms.edit,
  };
}

/** Whether one of `roles` is among `allowed` (`null`: anyone). */
export function permitted(allowed, roles) {
  return allowed == null || roles.some((r) => allowed.includes(r));
}

/** Whether a value counts as filled. */
export function filled(value) {
  return value != null && value !== '' && !(Array.isArray(value) && value.length === 0);
}

/** The stage codes of `stage.requires` that `fields` leaves empty. */
export function missing(stage, fields) {
  return stage.requires.filter((code) => !filled(fields[code]));
}

export function validValue(def, v) {
  switch (def.type) {
    case 'text':
    case 'long_text':
    case 'phone':
      return typeof v === 'string';
    case 'email':
      return typeof v === 'string' && EMAIL.test(v);
    case 'url':
      return typeof v === 'string' && URL_RE.test(v);
    case 'date':
      return typeof v === 'string' && DATE.test(v);
    case 'yes_no':
      return typeof v === 'boolean';
    case 'choice':
      return typeof v === 'string' && (def.options.some((o) => o.code === v) || def.other?.code === v);
    case 'integer': {
      const n = typeof v === 'string' && DECIMAL.test(v) ? Number(v) : v;
      return Number.isInteger(n) && (def.min == null || n >= Number(def.min));
    }
    case 'percent': {
      const n = typeof v === 'string' && DECIMAL.test(v) ? Number(v) : v;
      return typeof n === 'number' && n >= 0 && n <= 100;
    }
    case 'money':
      return (
        typeof v === 'object' &&
        DECIMAL.test(String(v.amount)) &&
        (def.min == null || Number(v.amount) >= Number(def.min)) &&
        (def.currencies == null || def.currencies.includes(v.currency))
      );
    case 'person_name':
    case 'address':
      return typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');
    default:
      return true;
  }
}

/**
 * The changes `input` makes to `current` (`{code: [before, after]}`), or a rejection
 * (`{rejected: kind}`) for an unknown field, a field the roles may not edit, or a bad value.
 */
export function fieldChanges(funnel, roles, current, input) {
  const changes = {};
  for (const code in input) {
    const def = funnel.fields.get(code);
    if (def === undefined) return { rejected: 'unknown_field' };
    if (!permitted(def.editable_by ?? funnel.edit, roles)) return { rejected: 'not_permitted' };
    const value = filled(input[code]) ? input[code] : null;
    if (value !== null && !validValue(def, value)) return { rejected: 'invalid_value' };
    const before = current[code] ?? null;
    if (JSON.stringify(before) !== JSON.stringify(value)) changes[code] = [before, value];
  }
  return { changes };
}

/** Every `task` step of `automations`, by task code: deadline, form, required answers. */
function taskDefs(automations) {
  const out = new Map();
  const walk = (step) => {
    if (step == null || typeof step !== 'object') return;
    if (step.type === 'task') {
      out.set(step.code, {
        code: step.code,
        title: step.title,
        deadline: step.deadline ?? null,
        form: new Map((step.form ?? []).map((f) => [f.code, f])),
        requires: step.form_requires ?? [],
        toFields: Object.entries(step.answers_to_fields ?? {}),
      });
    }
    for (const v of Object.values(step)) if (typeof v === 'object') walk(v);
  };
  for (const a of automations) walk(a.run);
  return out;
}

function holds(when, answers) {
  const v = answers[when.field];
  if ('equals' in when) return v === when.equals;
  return when.one_of.includes(v);
}

/** Whether `answers` are valid for the task definition `def` and fill its required ones. */
export function answersValid(def, answers) {
  for (const code in answers) {
    const f = def.form.get(code);
    if (f === undefined || (filled(answers[code]) && !validValue(f, answers[code]))) return false;
  }
  for (const r of def.requires) {
    const code = typeof r === 'string' ? r : r.field;
    if ((typeof r === 'string' || holds(r.when, answers)) && !filled(answers[code])) return false;
  }
  return true;
}
