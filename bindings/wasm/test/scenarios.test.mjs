// Scenarios of the case through the built package, and bad input from JavaScript.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import voronka from 'voronka';
import { Model, VoronkaError, check, nextDue, replay, ecoPackagingDefinition } from 'voronka';

const model = Model.ecoPackaging();
const anna = { user: 'u-anna', roles: ['manager'] };
const at = (day, hour = 9) => `2026-${day}T${String(hour).padStart(2, '0')}:00:00Z`;
const cmd = (now, action, actor = anna) => ({ actor, now, action });

/** The outcome of creating a deal. */
function createDealOutcome(id = 'deal-1') {
  return model.apply(
    null,
    cmd(at('11-27'), {
      type: 'create',
      id,
      pipeline: 'deals',
      responsible: 'u-anna',
      fields: {
        client_name: { last: 'Petrova', first: 'Maria' },
        client_phone: '+7 (495) 123-45-67',
        client_email: 'maria@greenfood.example',
      },
    }),
  );
}

function createDeal(id = 'deal-1') {
  return createDealOutcome(id).record;
}

const offerFields = {
  company_type: 'manufacturer',
  website: 'https://GreenFood.example',
  delivery_address: { country: 'RU', city: 'Kazan', street: 'Baumana 5' },
};

/** Throws unless `fn` throws a VoronkaError; returns it. */
function voronkaError(fn) {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof VoronkaError, `expected a VoronkaError, got ${e}`);
    assert.ok(e instanceof Error);
    return e;
  }
  assert.fail('expected a VoronkaError');
}

test('D1: a deal starts in "establish contact" with a call task', () => {
  const outcome = model.apply(null, cmd(at('11-27'), { type: 'create', id: 'deal-1', pipeline: 'deals', responsible: 'u-anna' }));
  assert.equal(outcome.record.stage, 'contact');
  const task = outcome.record.tasks.find((t) => t.code === 'call_client');
  assert.equal(task.status, 'open');
  assert.deepEqual(
    outcome.effects.map((e) => e.type),
    ['create_task'],
  );
  assert.equal(outcome.effects[0].task.id, task.id);
  assert.ok(outcome.trace.some((t) => t.automation === 'd1_call' && t.what === 'started'));
});

test('D1: completing the call task closes it', () => {
  const record = createDeal();
  const task = record.tasks.find((t) => t.code === 'call_client');
  const done = model.apply(record, cmd(at('11-27', 10), { type: 'complete_task', task: task.id }));
  const closed = done.record.tasks.find((t) => t.id === task.id);
  assert.equal(closed.status, 'done');
  assert.equal(closed.closed_by, 'u-anna');
  assert.deepEqual(done.effects, [{ type: 'close_task', record: 'deal-1', task: task.id, status: 'done' }]);
  // The same task cannot be completed twice.
  const err = voronkaError(() => model.apply(done.record, cmd(at('11-27', 11), { type: 'complete_task', task: task.id })));
  assert.equal(err.code, 3017);
  assert.equal(err.path, 'action.task');
});

test('D2: a move with missing fields is rejected with code 3001 and the missing fields', () => {
  const record = createDeal();
  const err = voronkaError(() => model.apply(record, cmd(at('11-27', 10), { type: 'move', to: 'offer' })));
  assert.equal(err.code, 3001);
  assert.equal(err.kind, 'missing_fields');
  assert.equal(err.name, 'VoronkaError');
  assert.equal(err.details.kind, 'missing_fields');
  assert.deepEqual(
    err.details.missing.map((m) => [m.field, m.type, m.part]),
    [
      ['company_type', 'choice', 'value'],
      ['website', 'url', 'value'],
      ['delivery_address', 'address', 'value'],
    ],
  );
  assert.match(err.message, /Cannot enter stage “Commercial offer”/);
  assert.deepEqual(JSON.parse(JSON.stringify(err)), err.report);
  // requirements() tells the same before trying.
  const req = model.requirements(record, 'offer');
  assert.equal(req.move_allowed, true);
  assert.deepEqual(req.missing, err.details.missing);
  assert.deepEqual(model.nextStages(record).includes('offer'), true);
  // With the fields, the move succeeds; values come back canonical.
  const moved = model.apply(record, cmd(at('11-27', 10), { type: 'move', to: 'offer', fields: offerFields }));
  assert.equal(moved.record.stage, 'offer');
  assert.equal(moved.record.fields.website, 'https://greenfood.example');
  assert.deepEqual(model.requirements(moved.record, 'offer').missing, []);
});

test('messages in Russian', () => {
  const ru = Model.ecoPackaging({ lang: 'ru' });
  const record = createDeal();
  const err = voronkaError(() => ru.apply(record, cmd(at('11-27', 10), { type: 'move', to: 'offer' })));
  assert.match(err.message, /Нельзя перейти на этап/);
  model.lang = 'ru';
  try {
    const again = voronkaError(() => model.apply(record, cmd(at('11-27', 10), { type: 'move', to: 'offer' })));
    assert.equal(again.message, err.message);
  } finally {
    model.lang = 'en';
  }
});

test('invalid values are listed with the library messages', () => {
  const record = createDeal();
  const err = voronkaError(() =>
    model.apply(
      record,
      cmd(at('11-27', 10), {
        type: 'move',
        to: 'offer',
        fields: { ...offerFields, website: 'not a url', delivery_address: { country: 'RU', city: 'Kazan' } },
      }),
    ),
  );
  assert.equal(err.code, 3002);
  assert.deepEqual(
    err.details.errors.map((e) => [e.field, e.reason]),
    [
      ['delivery_address', 'missing_part'],
      ['website', 'invalid_url'],
    ],
  );
  assert.equal(err.path, 'action.fields.delivery_address.street');
});

/**
 * Moves a deal from "contact" to "samples sent" (D2–D5); returns the record and the host's
 * event log of it (the events of every command, oldest first).
 */
function toSamplesSent() {
  const created = createDealOutcome();
  let record = created.record;
  const log = [...created.events];
  const move = (day, to, fields = {}) => {
    const outcome = model.apply(record, cmd(day, { type: 'move', to, fields }));
    record = outcome.record;
    log.push(...outcome.events);
  };
  move(at('11-27', 10), 'offer', offerFields);
  move(at('11-27', 11), 'negotiation');
  move(at('11-27', 12), 'samples_prep', {
    sample_dimensions: '200x100x50 mm',
    fastening_type: { option: 'other', text: 'magnet' },
    sample_quantity: 3,
    sample_material: 'kraft',
  });
  move(at('11-27', 13), 'samples_sent');
  return { record, log };
}

test('D5: the weekly question fires when ticked at nextDue', () => {
  const { record, log } = toSamplesSent();
  assert.equal(record.stage, 'samples_sent');
  assert.deepEqual(replay(log), record);
  const due = model.nextDue(record);
  assert.equal(due, '2026-12-04T13:00:00Z');
  assert.equal(nextDue(record), due);
  // Ticking early changes nothing.
  const early = model.tick(record, at('12-01'));
  assert.deepEqual(early.events, []);
  assert.ok(!early.record.tasks.some((t) => t.code === 'ask_received'));
  // At the due time, the question appears as a task with a form.
  const fired = model.tick(record, due);
  const ask = fired.record.tasks.find((t) => t.code === 'ask_received');
  assert.equal(ask.status, 'open');
  assert.deepEqual(
    model.taskForm(fired.record.pipeline, ask.automation, ask.code).map((f) => [f.code, f.type]),
    [
      ['received', 'yes_no'],
      ['received_by', 'person_name'],
      ['parcel_location', 'text'],
    ],
  );
  assert.ok(fired.effects.some((e) => e.type === 'create_task' && e.task.code === 'ask_received'));
  // Its form: "received" is required; a "no" needs the parcel's location.
  const missing = voronkaError(() => model.apply(fired.record, cmd(due, { type: 'complete_task', task: ask.id, answers: { received: false } })));
  assert.equal(missing.code, 3018);
  assert.deepEqual(missing.details.missing.map((m) => m.field), ['parcel_location']);
  const answered = model.apply(
    fired.record,
    cmd(due, { type: 'complete_task', task: ask.id, answers: { received: false, parcel_location: 'Kazan post office' } }),
  );
  assert.equal(answered.record.fields.parcel_location, 'Kazan post office');
  // A snapshot without a history: the host's log of its events replays to it exactly.
  assert.equal('history' in answered.record, false);
  assert.deepEqual(replay([...log, ...fired.events, ...answered.events]), answered.record);
  // Without the tick's events the log is not the record.
  assert.notDeepEqual(replay([...log, ...answered.events]), answered.record);
});

test('Date objects are accepted as `now`', () => {
  const outcome = model.apply(null, cmd(new Date('2026-11-27T09:00:00Z'), { type: 'create', id: 'd', pipeline: 'deals' }));
  assert.equal(outcome.record.created_at, '2026-11-27T09:00:00Z');
});

test('decide gives the events, effects and trace apply gives, and changes nothing', () => {
  const created = createDealOutcome();
  const record = created.record;
  const before = JSON.stringify(record);
  const move = cmd(at('11-27', 10), { type: 'move', to: 'offer', fields: offerFields });
  const decision = model.decide(record, move);
  assert.deepEqual(Object.keys(decision).sort(), ['effects', 'events', 'trace']);
  const applied = model.apply(record, move);
  assert.deepEqual(decision, { events: applied.events, effects: applied.effects, trace: applied.trace });
  assert.ok(decision.events.some((e) => e.type === 'stage_changed' && e.to === 'offer'));
  assert.ok(decision.effects.length > 0);
  // The record passed in is unchanged.
  assert.equal(JSON.stringify(record), before);
  // The host's log plus the decided events is the new record.
  assert.deepEqual(replay([...created.events, ...decision.events]), applied.record);
  // Creating: decide with no record.
  const create = cmd(at('11-27'), { type: 'create', id: 'deal-2', pipeline: 'deals', responsible: 'u-anna' });
  const first = model.decide(null, create);
  const made = model.apply(null, create);
  assert.deepEqual(first, { events: made.events, effects: made.effects, trace: made.trace });
  assert.deepEqual(replay(first.events), made.record);
});

test('decide throws a rejection as apply does', () => {
  const record = createDeal();
  const before = JSON.stringify(record);
  const move = cmd(at('11-27', 10), { type: 'move', to: 'offer' });
  const refused = voronkaError(() => model.decide(record, move));
  const rejected = voronkaError(() => model.apply(record, move));
  assert.equal(refused.code, 3001);
  assert.equal(refused.kind, 'missing_fields');
  assert.deepEqual(refused.report, rejected.report);
  assert.equal(JSON.stringify(record), before);
  // Bad input is a coded error with a path, as for apply; a record with a history is refused.
  assert.equal(voronkaError(() => model.decide(record, cmd(at('11-27', 10), { type: 'teleport' }))).path, 'action.type');
  assert.equal(voronkaError(() => model.decide(null, cmd(at('11-27', 10), { type: 'move', to: 'offer' }))).code, 3010);
  assert.equal(voronkaError(() => model.decide({ ...record, history: [] }, cmd(at('11-27', 10), { type: 'tick' }))).code, 1002);
  assert.equal('preview' in model, false);
});

test('a record from before the snapshot (with a history) is refused', () => {
  const record = createDeal();
  const err = voronkaError(() => model.apply({ ...record, history: [] }, cmd(at('11-27', 10), { type: 'tick' })));
  assert.equal(err.code, 1002);
  assert.match(err.message, /history/);
});

test('limits: a record has no event limit any more, a command still has', () => {
  const gone = voronkaError(() => Model.fromJSON(ecoPackagingDefinition(), { limits: { events_per_record: 10 } }));
  assert.equal(gone.code, 1002);
  assert.equal(gone.path, 'limits.events_per_record');
  const tight = Model.fromJSON(ecoPackagingDefinition(), { limits: { events_per_command: 1 } });
  const create = cmd(at('11-27'), { type: 'create', id: 'deal-1', pipeline: 'deals', responsible: 'u-anna' });
  assert.ok(model.apply(null, create).events.length > 1);
  assert.equal(voronkaError(() => tight.apply(null, create)).code, 3023);
});

test('a stale record is rejected and nothing changes', () => {
  const record = createDeal();
  const before = JSON.stringify(record);
  const err = voronkaError(() =>
    model.apply(record, { ...cmd(at('11-27', 10), { type: 'set_fields', fields: { company_name: 'X' } }), expected_version: 1 }),
  );
  assert.equal(err.code, 3005);
  assert.equal(err.path, 'expected_version');
  assert.deepEqual(err.details, { kind: 'stale_version', expected: 1, actual: record.version });
  assert.equal(JSON.stringify(record), before);
});

test('wrong types from JavaScript: thrown errors with a code and a path', () => {
  const record = createDeal();
  const cases = [
    [() => model.apply(record, undefined), 1002, ''],
    [() => model.apply(record, 5), 1002, ''],
    [() => model.apply(record, 'move'), 1002, ''],
    [() => model.apply(record, {}), 1002, ''],
    // Inside the internally tagged `action`, serde reports the path of the action only.
    [() => model.apply(record, cmd(at('11-27', 10), { type: 'move', to: 5 })), 1002, 'action'],
    [() => model.apply(record, cmd(at('11-27', 10), { type: 'tick' }, { user: 5 })), 1002, 'actor.user'],
    [() => model.apply(record, cmd(at('11-27', 10), { type: 'tick' }, { roles: [] })), 1002, 'actor'],
    [() => model.apply(record, cmd(at('11-27', 10), { type: 'move' })), 1002, 'action'],
    [() => model.apply(record, cmd('yesterday', { type: 'tick' })), 1002, 'now'],
    [() => model.apply(record, cmd(at('11-27', 10), { type: 'teleport' })), 1002, 'action.type'],
    [() => model.apply(record, { ...cmd(at('11-27', 10), { type: 'tick' }), extra: 1 }), 1002, 'extra'],
    [() => model.apply({ ...record, version: 'one' }, cmd(at('11-27', 10), { type: 'tick' })), 1002, 'version'],
    [() => model.apply({ id: 'x' }, cmd(at('11-27', 10), { type: 'tick' })), 1002, ''],
    [() => model.apply(record, { actor: anna, now: 1n, action: { type: 'tick' } }), 1002, ''],
    [() => model.requirements(record, 7), 1002, 'stage'],
    [() => model.requirements(record, 'nowhere'), 3007, 'action.to'],
    [() => model.nextStages(undefined), 1002, ''],
    [() => model.replay('events'), 1002, ''],
    [() => model.apply(null, cmd(at('11-27', 10), { type: 'move', to: 'offer' })), 3010, null],
  ];
  for (const [fn, code, path] of cases) {
    const err = voronkaError(fn);
    assert.equal(err.code, code, `${fn}: ${err.message}`);
    assert.equal(err.path, path, `${fn}: ${err.message}`);
    assert.equal(typeof err.message, 'string');
    assert.ok(err.message.length > 0);
  }
  // Missing fields of a record are named.
  const { fields, ...noFields } = record;
  assert.ok(fields);
  const e = voronkaError(() => model.apply({ ...noFields, stage: undefined }, cmd(at('11-27', 10), { type: 'tick' })));
  assert.match(e.message, /missing field `stage`/);
  // A circular object cannot become JSON.
  const loop = {};
  loop.self = loop;
  assert.equal(voronkaError(() => model.apply(record, loop)).code, 1002);
});

test('garbage never escapes as anything but a VoronkaError', () => {
  const values = [null, undefined, 0, -1, 1e308, NaN, '', '{', '[]', [], [null], {}, { a: 1 }, true, 'null', { history: 5 }];
  for (const a of values) {
    for (const b of values) {
      for (const [name, fn] of [['apply', () => model.apply(a, b)], ['decide', () => model.decide(a, b)]]) {
        try {
          fn();
        } catch (e) {
          assert.ok(e instanceof VoronkaError, `${name}(${String(a)}, ${String(b)}): ${e}`);
          assert.ok(e.code >= 1000);
        }
      }
      for (const fn of [() => model.requirements(a, b), () => model.nextStages(a), () => replay(a), () => nextDue(a)]) {
        try {
          fn();
        } catch (e) {
          assert.ok(e instanceof VoronkaError, `${fn}: ${e}`);
        }
      }
    }
  }
});

test('an invalid definition throws every problem; check lists them', () => {
  const definition = ecoPackagingDefinition();
  definition.pipelines[1].stages[1].requires = ['webiste', 'company_type'];
  definition.pipelines[1].stages[2].code = 'Bad Code';
  const err = voronkaError(() => Model.fromJSON(definition));
  assert.ok(err.code >= 2000 && err.code < 3000, String(err.code));
  const problems = err.details.problems;
  assert.ok(problems.length >= 2);
  assert.ok(problems.some((p) => p.code === 2006 && p.path.includes('requires[0]')));
  assert.deepEqual(check(definition), problems);
  assert.deepEqual(Model.check(definition), problems);
  assert.deepEqual(check(ecoPackagingDefinition()), []);
  // Decoding errors carry the JSON path.
  const shape = voronkaError(() => Model.fromJSON({ ...ecoPackagingDefinition(), format: 'one' }));
  assert.equal(shape.code, 1002);
  assert.equal(shape.path, 'format');
  assert.equal(voronkaError(() => Model.fromJSON('{ "format": ')).code, 1001);
  assert.equal(voronkaError(() => Model.fromJSON(undefined)).code, 1002);
  assert.equal(check('[]')[0].code, 1002);
});

test('a panic inside the module surfaces as a VoronkaError and the module keeps working', () => {
  const err = voronkaError(() => voronka.__panicForTests());
  assert.equal(err.code, 0);
  assert.equal(err.kind, 'panic');
  assert.match(err.message, /deliberate panic for the binding's tests/);
  assert.equal(model.apply(null, cmd(at('11-27'), { type: 'create', id: 'after', pipeline: 'deals' })).record.stage, 'contact');
});

test('the CommonJS build is the same API', () => {
  const require = createRequire(import.meta.url);
  const cjs = require('voronka');
  assert.equal(cjs.Model, Model);
  assert.equal(cjs.VoronkaError, VoronkaError);
  assert.equal(cjs.default.Model, Model);
  assert.equal(typeof cjs.version(), 'string');
});

test('models are made only by the factories', () => {
  assert.throws(() => new Model(), TypeError);
  const m = Model.fromJSON(JSON.stringify(ecoPackagingDefinition()));
  assert.equal(m.definition.code, model.definition.code);
  m.free();
  m.free();
  assert.throws(() => m.nextStages(createDeal()), { name: 'TypeError', message: /freed/ });
});
