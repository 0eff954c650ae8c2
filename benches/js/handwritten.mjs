// (5) The deal funnel with its automations written by hand in plain JavaScript: records in a
// Map, each command checked in full before the record is touched (a rejection changes
// nothing); tasks and reminders live in the record, effects are returned to the host.

import { answersValid, compileFunnel, fieldChanges, missing, permitted } from './funnel.mjs';


export class HandWrittenDeals {
  constructor(definition) {
    this.funnel = compileFunnel(definition, 'deals');
    this.records = new Map();
  }

  /** Applies a command to the deal `id`: `{ok: true, effects}` or `{ok: false, kind}`. */
  apply(id, { actor, now, action }) {
    const f = this.funnel;
    const at = Date.parse(now);
    let record = this.records.get(id);
    const effects = [];
    if (action.type === 'create') {
      if (record !== undefined) return { ok: false, kind: 'record_exists' };
      if (!permitted(f.create, actor.roles)) return { ok: false, kind: 'not_permitted' };
      const { changes, rejected } = fieldChanges(f, actor.roles, {}, action.fields);
      if (rejected) return { ok: false, kind: rejected };
      record = {
        id,
        stage: f.initial,
        responsible: action.responsible ?? null,
        fields: merged({}, changes),
        version: 1,
        updatedAt: at,
        stageEnteredAt: at,
        returnStage: null,
        tasks: [], // open tasks
        timers: [],
        lastId: 0,
      };
      this.records.set(id, record);
      enter(f, record, at, effects);
      return { ok: true, effects };
    }
    if (record === undefined) return { ok: false, kind: 'record_missing' };
    if (at < record.updatedAt) return { ok: false, kind: 'clock_went_back' };
    switch (action.type) {
      case 'set_fields': {
        const result = fieldChanges(f, actor.roles, record.fields, action.fields);
        if (result.rejected) return { ok: false, kind: result.rejected };
        const stage = f.stages.get(record.stage);
        const after = merged(record.fields, result.changes);
        if (missing(stage, after).length > missing(stage, record.fields).length) {
          return { ok: false, kind: 'would_break_requirements' };
        }
        record.fields = after;
        break;
      }
      case 'move': {
        const current = f.stages.get(record.stage);
        const target = f.stages.get(action.to);
        if (target === undefined) return { ok: false, kind: 'unknown_stage' };
        if (target === current) return { ok: false, kind: 'already_in_stage' };
        const isReturn = f.returnFrom.has(current.code) && record.returnStage === target.code;
        if (!current.next.has(target.code) && !isReturn) return { ok: false, kind: 'transition_not_allowed' };
        if (!permitted(f.move, actor.roles) || !permitted(target.enterRoles, actor.roles)) {
          return { ok: false, kind: 'not_permitted' };
        }
        const result = fieldChanges(f, actor.roles, record.fields, action.fields ?? {});
        if (result.rejected) return { ok: false, kind: result.rejected };
        const after = merged(record.fields, result.changes);
        if (missing(target, after).length > 0) return { ok: false, kind: 'missing_fields' };
        record.fields = after;
        moveTo(f, record, target.code, at, effects);
        break;
      }
      case 'complete_task': {
        const i = record.tasks.findIndex((t) => t.id === action.task);
        if (i < 0) return { ok: false, kind: 'unknown_task' };
        const task = record.tasks[i];
        if (task.assignee !== actor.user && !permitted(f.completeAny, actor.roles)) return { ok: false, kind: 'not_permitted' };
        const def = f.tasks.get(task.code);
        const answers = { ...task.answers, ...action.answers };
        if (!answersValid(def, answers)) return { ok: false, kind: 'invalid_answers' };
        const values = {};
        for (const [field, answer] of def.toFields) if (answer in answers) values[field] = answers[answer];
        const result = fieldChanges(f, actor.roles, record.fields, values);
        if (result.rejected) return { ok: false, kind: result.rejected };
        record.fields = merged(record.fields, result.changes);
        record.tasks.splice(i, 1);
        effects.push({ type: 'close_task', record: id, task: task.id, status: 'done' });
        completed(f, record, task.code, answers, at, effects);
        break;
      }
      case 'tick': {
        const due = record.timers.filter((t) => t.due <= at);
        if (due.length > 0) record.timers = record.timers.filter((t) => t.due > at);
        for (const timer of due) addTask(f, record, timer.task, at, effects); // the reminder's task
        break;
      }
      default:
        return { ok: false, kind: 'unsupported' };
    }
    record.version += 1;
    record.updatedAt = at;
    return { ok: true, effects };
  }

  /** The final stage and open tasks of the deal `id`. */
  state(id) {
    const r = this.records.get(id);
    return { stage: r.stage, open: r.tasks.length };
  }
}

/** Leaves the current stage (its open tasks cancelled, its reminders dropped) for `to`. */
function moveTo(f, record, to, at, effects) {
  for (const task of record.tasks) effects.push({ type: 'close_task', record: record.id, task: task.id, status: 'cancelled' });
  record.tasks = [];
  record.timers = [];
  record.returnStage = f.returnFrom.has(to) ? record.stage : null;
  record.stage = to;
  record.stageEnteredAt = at;
  enter(f, record, at, effects);
}

/** The automations on entering a stage. */
function enter(f, record, at, effects) {
  switch (record.stage) {
    case 'contact':
      return addTask(f, record, 'call_client', at, effects);
    case 'negotiation':
      return addTask(f, record, 'call', at, effects);
    case 'samples_prep':
      return addTask(f, record, 'prepare_samples', at, effects);
    case 'samples_sent':
      return addTimer(record, 'ask_received', f.calendar.add(at, 7, false));
    case 'postponed':
      return addTask(f, record, 'postponed_call', at, effects);
  }
}

/** What follows a completed task. */
function completed(f, record, code, answers, at, effects) {
  switch (code) {
    case 'call': {
      const final = answers.reached === true && ['lost', 'postponed', 'back_to_offer'].includes(answers.outcome);
      if (!final) return addTimer(record, 'call', f.calendar.add(at, 2, true)); // ask again
      const to = { lost: 'lost', postponed: 'postponed', back_to_offer: 'offer' }[answers.outcome];
      return moveTo(f, record, to, at, effects);
    }
    case 'ask_received':
      if (answers.received !== true) addTimer(record, 'ask_received', f.calendar.add(at, 7, false));
      return;
    case 'postponed_call':
      return addTimer(record, 'contact_again', f.calendar.startOf(answers.next_contact_date));
  }
}

function addTask(f, record, code, at, effects) {
  const def = f.tasks.get(code);
  const d = def.deadline;
  const deadline = d === null ? null : d.days === 0 ? at : f.calendar.add(at, d.days, d.business === true);
  const task = {
    id: `${record.id}:task-${++record.lastId}`,
    code,
    title: def.title,
    assignee: record.responsible,
    deadline: deadline === null ? null : new Date(deadline).toISOString(),
    answers: {},
  };
  record.tasks.push(task);
  effects.push({ type: 'create_task', record: record.id, task });
}

function addTimer(record, task, due) {
  record.timers.push({ id: `${record.id}:timer-${++record.lastId}`, due, task });
}

/** `fields` with `changes` applied (a new object). */
export function merged(fields, changes) {
  const out = { ...fields };
  for (const code in changes) {
    const value = changes[code][1];
    if (value === null) delete out[code];
    else out[code] = value;
  }
  return out;
}

