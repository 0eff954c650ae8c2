// (c) The deal funnel written by hand in plain JavaScript: records in a Map, each command
// checked in full before the record is touched (so a rejection changes nothing), then the
// events appended to the record's history.

import { compileFunnel, fieldChanges, missing, permitted } from './funnel.mjs';

export class HandWrittenDeals {
  constructor(definition) {
    this.funnel = compileFunnel(definition, 'deals');
    this.records = new Map();
  }

  /** Applies a command to the deal `id`: `{ok: true, events}` or `{ok: false, kind}`. */
  apply(id, { actor, now, action }) {
    const f = this.funnel;
    const record = this.records.get(id);
    if (action.type === 'create') {
      if (record !== undefined) return { ok: false, kind: 'record_exists' };
      if (!permitted(f.create, actor.roles)) return { ok: false, kind: 'not_permitted' };
      const { changes, rejected } = fieldChanges(f, actor.roles, {}, action.fields);
      if (rejected) return { ok: false, kind: rejected };
      const fields = {};
      for (const code in changes) fields[code] = changes[code][1];
      const event = { version: 1, at: now, actor: actor.user, change: { type: 'created', stage: f.initial, fields } };
      this.records.set(id, {
        id,
        pipeline: f.code,
        stage: f.initial,
        responsible: action.responsible ?? null,
        fields,
        version: 1,
        created_at: now,
        updated_at: now,
        stage_entered_at: now,
        return_stage: null,
        history: [event],
      });
      return { ok: true, events: [event] };
    }
    if (record === undefined) return { ok: false, kind: 'record_missing' };
    if (now < record.updated_at) return { ok: false, kind: 'clock_went_back' };
    const events = [];
    let changes;
    let target;
    if (action.type === 'set_fields') {
      const result = fieldChanges(f, actor.roles, record.fields, action.fields);
      if (result.rejected) return { ok: false, kind: result.rejected };
      changes = result.changes;
      const stage = f.stages.get(record.stage);
      const after = merged(record.fields, changes);
      if (missing(stage, after).length > missing(stage, record.fields).length) {
        return { ok: false, kind: 'would_break_requirements' };
      }
    } else if (action.type === 'move') {
      const current = f.stages.get(record.stage);
      target = f.stages.get(action.to);
      if (target === undefined) return { ok: false, kind: 'unknown_stage' };
      if (target === current) return { ok: false, kind: 'already_in_stage' };
      const isReturn = f.returnFrom.has(current.code) && record.return_stage === target.code;
      if (!current.next.has(target.code) && !isReturn) return { ok: false, kind: 'transition_not_allowed' };
      if (!permitted(f.move, actor.roles) || !permitted(target.enterRoles, actor.roles)) {
        return { ok: false, kind: 'not_permitted' };
      }
      const result = fieldChanges(f, actor.roles, record.fields, action.fields ?? {});
      if (result.rejected) return { ok: false, kind: result.rejected };
      changes = result.changes;
      if (missing(target, merged(record.fields, changes)).length > 0) return { ok: false, kind: 'missing_fields' };
    } else {
      return { ok: false, kind: 'unsupported' };
    }
    // Everything is checked: change the record.
    if (Object.keys(changes).length > 0) {
      record.fields = merged(record.fields, changes);
      events.push(this.#event(record, now, actor, { type: 'fields_changed', changes }));
    }
    if (target !== undefined) {
      const from = record.stage;
      record.return_stage = f.returnFrom.has(target.code) ? from : null;
      record.stage = target.code;
      record.stage_entered_at = now;
      events.push(this.#event(record, now, actor, { type: 'stage_changed', from, to: target.code }));
    }
    return { ok: true, events };
  }

  #event(record, now, actor, change) {
    record.version += 1;
    record.updated_at = now;
    const event = { version: record.version, at: now, actor: actor.user, change };
    record.history.push(event);
    return event;
  }

  /** `{stage, version}` of the deal `id`. */
  state(id) {
    const r = this.records.get(id);
    return { stage: r.stage, version: r.version };
  }
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
