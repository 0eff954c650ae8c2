// (b) The deal funnel in XState v5, as a web developer would model it: one machine whose states
// are the stages, a `move.<stage>` event per allowed move with a guard (roles, field values,
// required fields) and an action that assigns the fields and appends the events; one actor
// per deal.

import { assign, createActor, createMachine } from 'xstate';
import { compileFunnel, fieldChanges, missing, permitted } from './funnel.mjs';
import { merged } from './handwritten.mjs';

function dealMachine(f) {
  const changesOf = (context, event) => fieldChanges(f, event.actor.roles, context.fields, event.fields);
  const moveTo = (to) => ({
    target: to,
    guard: { type: 'mayEnter', params: { to } },
    actions: { type: 'enter', params: { to } },
  });
  const states = {};
  for (const stage of f.stages.values()) {
    const on = {};
    for (const to of stage.next) on[`move.${to}`] = moveTo(to);
    if (f.returnFrom.has(stage.code)) {
      for (const back of f.stages.values()) {
        if (back.open && !stage.next.has(back.code) && back !== stage) {
          on[`move.${back.code}`] = { ...moveTo(back.code), guard: { type: 'mayReturn', params: { to: back.code } } };
        }
      }
    }
    states[stage.code] = { on };
  }
  const mayEnter = ({ context, event: e }, { to }) => {
    const target = f.stages.get(to);
    if (e.now < context.updatedAt) return false;
    if (!permitted(f.move, e.actor.roles) || !permitted(target.enterRoles, e.actor.roles)) return false;
    const { changes, rejected } = changesOf(context, e);
    return !rejected && missing(target, merged(context.fields, changes)).length === 0;
  };
  const event = (e, change, version) => ({ version, at: e.now, actor: e.actor.user, change });
  return createMachine(
    {
      id: 'deal',
      initial: f.initial,
      context: ({ input }) => input,
      states,
      on: {
        set_fields: { guard: 'maySetFields', actions: 'setFields' },
      },
    },
    {
      guards: {
        maySetFields: ({ context, event: e }) => {
          if (e.now < context.updatedAt || !permitted(f.edit, e.actor.roles)) return false;
          const { changes, rejected } = changesOf(context, e);
          if (rejected) return false;
          const stage = f.stages.get(context.stage);
          return missing(stage, merged(context.fields, changes)).length <= missing(stage, context.fields).length;
        },
        mayEnter,
        mayReturn: (args, params) => args.context.returnStage === params.to && mayEnter(args, params),
      },
      actions: {
        setFields: assign(({ context, event: e }) => {
          const { changes } = changesOf(context, e);
          if (Object.keys(changes).length === 0) return { applied: context.applied + 1 };
          const version = context.version + 1;
          return {
            fields: merged(context.fields, changes),
            version,
            updatedAt: e.now,
            history: [...context.history, event(e, { type: 'fields_changed', changes }, version)],
            applied: context.applied + 1,
          };
        }),
        enter: assign(({ context, event: e }, { to }) => {
          const { changes } = changesOf(context, e);
          const history = [...context.history];
          let version = context.version;
          if (Object.keys(changes).length > 0) {
            history.push(event(e, { type: 'fields_changed', changes }, ++version));
          }
          history.push(event(e, { type: 'stage_changed', from: context.stage, to }, ++version));
          return {
            fields: merged(context.fields, changes),
            stage: to,
            returnStage: f.returnFrom.has(to) ? context.stage : null,
            version,
            updatedAt: e.now,
            stageEnteredAt: e.now,
            history,
            applied: context.applied + 1,
          };
        }),
      },
    },
  );
}

export class XStateDeals {
  constructor(definition) {
    this.funnel = compileFunnel(definition, 'deals');
    this.machine = dealMachine(this.funnel);
    this.actors = new Map();
  }

  /** Applies a command to the deal `id`: `{ok: true}` or `{ok: false}`. */
  apply(id, { actor, now, action }) {
    const f = this.funnel;
    let deal = this.actors.get(id);
    if (action.type === 'create') {
      if (deal !== undefined || !permitted(f.create, actor.roles)) return { ok: false };
      const { changes, rejected } = fieldChanges(f, actor.roles, {}, action.fields);
      if (rejected) return { ok: false };
      const fields = merged({}, changes);
      const created = { version: 1, at: now, actor: actor.user, change: { type: 'created', stage: f.initial, fields } };
      deal = createActor(this.machine, {
        input: {
          id,
          stage: f.initial,
          fields,
          version: 1,
          updatedAt: now,
          stageEnteredAt: now,
          returnStage: null,
          history: [created],
          applied: 0,
        },
      }).start();
      this.actors.set(id, deal);
      return { ok: true };
    }
    if (deal === undefined) return { ok: false };
    const before = deal.getSnapshot().context.applied;
    const type = action.type === 'move' ? `move.${action.to}` : action.type;
    deal.send({ type, actor, now, fields: action.fields ?? {} });
    return { ok: deal.getSnapshot().context.applied !== before };
  }

  /** `{stage, version}` of the deal `id`. */
  state(id) {
    const snapshot = this.actors.get(id).getSnapshot();
    return { stage: snapshot.value, version: snapshot.context.version };
  }
}
