// (4) The deal funnel with its automations in XState v5, as a web developer would model it:
// one machine whose states are the stages, a `move.<stage>` event per allowed move with a
// guard (roles, field values, required fields); stage entry actions create the tasks and
// reminders, exit actions cancel them; `complete_task` and `tick` (the host's simulated clock)
// drive the automations. One actor per deal; each event carries an `effects` array that the
// actions fill for the host.

import { assign, createActor, createMachine, enqueueActions } from 'xstate';
import { answersValid, compileFunnel, fieldChanges, missing, permitted } from './funnel.mjs';
import { merged } from './handwritten.mjs';

const ENTRY = {
  contact: { task: 'call_client' },
  negotiation: { task: 'call' },
  samples_prep: { task: 'prepare_samples' },
  samples_sent: { reminder: 'ask_received', days: 7 },
  postponed: { task: 'postponed_call' },
};
const FINAL_CALL = { lost: 'lost', postponed: 'postponed', back_to_offer: 'offer' };

function dealMachine(f) {
  const effectsOf = (event) => event.effects ?? event.input.effects;
  const atOf = (context, event) => event.at ?? context.updatedAt;
  const newTask = (context, event, code) => {
    const def = f.tasks.get(code);
    const at = atOf(context, event);
    const d = def.deadline;
    const deadline = d === null ? null : d.days === 0 ? at : f.calendar.add(at, d.days, d.business === true);
    const lastId = context.lastId + 1;
    const task = {
      id: `${context.id}:task-${lastId}`,
      code,
      title: def.title,
      assignee: context.responsible,
      deadline: deadline === null ? null : new Date(deadline).toISOString(),
      answers: {},
    };
    effectsOf(event).push({ type: 'create_task', record: context.id, task });
    return { tasks: [...context.tasks, task], lastId };
  };
  const newTimer = (context, task, due) => {
    const lastId = context.lastId + 1;
    return { timers: [...context.timers, { id: `${context.id}:timer-${lastId}`, due, task }], lastId };
  };
  const changesOf = (context, event) => fieldChanges(f, event.actor.roles, context.fields, event.fields);
  const moveTo = (to) => ({ target: `#deal.${to}`, guard: { type: 'mayEnter', params: { to } }, actions: { type: 'enter', params: { to } } });
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
    const entry = ENTRY[stage.code];
    states[stage.code] = {
      on,
      entry: entry === undefined ? [] : entry.task ? { type: 'addTask', params: { code: entry.task } } : { type: 'addReminder', params: entry },
      exit: 'leave',
    };
  }
  const mayEnter = ({ context, event: e }, { to }) => {
    if (e.auto) return true; // a move made by an automation
    const target = f.stages.get(to);
    if (e.at < context.updatedAt) return false;
    if (!permitted(f.move, e.actor.roles) || !permitted(target.enterRoles, e.actor.roles)) return false;
    const { changes, rejected } = changesOf(context, e);
    return !rejected && missing(target, merged(context.fields, changes)).length === 0;
  };
  return createMachine(
    {
      id: 'deal',
      initial: f.initial,
      context: ({ input }) => input.context,
      states,
      on: {
        set_fields: { guard: 'maySetFields', actions: 'setFields' },
        complete_task: { guard: 'mayComplete', actions: 'complete' },
        tick: { guard: 'inOrder', actions: 'fire' },
      },
    },
    {
      guards: {
        inOrder: ({ context, event: e }) => e.at >= context.updatedAt,
        maySetFields: ({ context, event: e }) => {
          if (e.at < context.updatedAt || !permitted(f.edit, e.actor.roles)) return false;
          const { changes, rejected } = changesOf(context, e);
          if (rejected) return false;
          const stage = f.stages.get(context.stage);
          return missing(stage, merged(context.fields, changes)).length <= missing(stage, context.fields).length;
        },
        mayEnter,
        mayReturn: (args, params) => args.context.returnStage === params.to && mayEnter(args, params),
        mayComplete: ({ context, event: e }) => {
          if (e.at < context.updatedAt) return false;
          const task = context.tasks.find((t) => t.id === e.task);
          if (task === undefined) return false;
          if (task.assignee !== e.actor.user && !permitted(f.completeAny, e.actor.roles)) return false;
          const def = f.tasks.get(task.code);
          const answers = { ...task.answers, ...e.answers };
          if (!answersValid(def, answers)) return false;
          const values = {};
          for (const [field, answer] of def.toFields) if (answer in answers) values[field] = answers[answer];
          return !fieldChanges(f, e.actor.roles, context.fields, values).rejected;
        },
      },
      actions: {
        setFields: assign(({ context, event: e }) => ({
          fields: merged(context.fields, changesOf(context, e).changes),
          updatedAt: e.at,
          applied: context.applied + 1,
        })),
        enter: assign(({ context, event: e }, { to }) => ({
          fields: e.auto ? context.fields : merged(context.fields, changesOf(context, e).changes),
          stage: to,
          returnStage: f.returnFrom.has(to) ? context.stage : null,
          updatedAt: e.at,
          stageEnteredAt: e.at,
          applied: context.applied + (e.auto ? 0 : 1),
        })),
        leave: assign(({ context, event: e }) => {
          for (const t of context.tasks) effectsOf(e).push({ type: 'close_task', record: context.id, task: t.id, status: 'cancelled' });
          return { tasks: [], timers: [] };
        }),
        addTask: assign(({ context, event }, { code }) => newTask(context, event, code)),
        addReminder: assign(({ context, event }, { reminder, days }) => newTimer(context, reminder, f.calendar.add(atOf(context, event), days, false))),
        complete: enqueueActions(({ context, event: e, enqueue }) => {
          const task = context.tasks.find((t) => t.id === e.task);
          const def = f.tasks.get(task.code);
          const answers = { ...task.answers, ...e.answers };
          const values = {};
          for (const [field, answer] of def.toFields) if (answer in answers) values[field] = answers[answer];
          e.effects.push({ type: 'close_task', record: context.id, task: task.id, status: 'done' });
          enqueue.assign({
            fields: merged(context.fields, fieldChanges(f, e.actor.roles, context.fields, values).changes),
            tasks: context.tasks.filter((t) => t !== task),
            updatedAt: e.at,
            applied: context.applied + 1,
          });
          if (task.code === 'call') {
            const to = answers.reached === true ? FINAL_CALL[answers.outcome] : undefined;
            if (to !== undefined) enqueue.raise({ type: `move.${to}`, auto: true, at: e.at, effects: e.effects });
            else enqueue.assign(({ context: c }) => newTimer(c, 'call', f.calendar.add(e.at, 2, true)));
          } else if (task.code === 'ask_received' && answers.received !== true) {
            enqueue.assign(({ context: c }) => newTimer(c, 'ask_received', f.calendar.add(e.at, 7, false)));
          } else if (task.code === 'postponed_call') {
            enqueue.assign(({ context: c }) => newTimer(c, 'contact_again', f.calendar.startOf(answers.next_contact_date)));
          }
        }),
        fire: assign(({ context, event: e }) => {
          let next = { ...context, timers: context.timers.filter((t) => t.due > e.at), updatedAt: e.at, applied: context.applied + 1 };
          for (const timer of context.timers) if (timer.due <= e.at) next = { ...next, ...newTask(next, e, timer.task) };
          return next;
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

  /** Applies a command to the deal `id`: `{ok, effects}`. */
  apply(id, { actor, now, action }) {
    const f = this.funnel;
    let deal = this.actors.get(id);
    const at = Date.parse(now);
    const effects = [];
    if (action.type === 'create') {
      if (deal !== undefined || !permitted(f.create, actor.roles)) return { ok: false };
      const { changes, rejected } = fieldChanges(f, actor.roles, {}, action.fields);
      if (rejected) return { ok: false };
      const context = {
        id,
        stage: f.initial,
        responsible: action.responsible ?? null,
        fields: merged({}, changes),
        updatedAt: at,
        stageEnteredAt: at,
        returnStage: null,
        tasks: [],
        timers: [],
        lastId: 0,
        applied: 0,
      };
      deal = createActor(this.machine, { input: { context, effects } }).start();
      this.actors.set(id, deal);
      return { ok: true, effects };
    }
    if (deal === undefined) return { ok: false };
    const before = deal.getSnapshot().context.applied;
    const type = action.type === 'move' ? `move.${action.to}` : action.type;
    deal.send({ type, actor, at, fields: action.fields ?? {}, task: action.task, answers: action.answers, effects });
    return { ok: deal.getSnapshot().context.applied !== before, effects };
  }

  /** The final stage and open tasks of the deal `id`. */
  state(id) {
    const snapshot = this.actors.get(id).getSnapshot();
    return { stage: snapshot.value, open: snapshot.context.tasks.length };
  }
}
