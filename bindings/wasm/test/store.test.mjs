// The record store: records kept inside the module, commands in, what happened out. Every
// result is checked against the plain `Model.apply` on records held in JavaScript. The store
// keeps snapshots only: the host's event log (the `events` of each result) replays to them.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Model, Store, VoronkaError, replay } from 'voronka';

const model = Model.ecoPackaging();
const anna = { user: 'u-anna', roles: ['manager'] };
const at = (minute) => `2026-11-27T09:${String(minute).padStart(2, '0')}:00Z`;
const cmd = (minute, action, actor = anna) => ({ actor, now: at(minute), action });
const create = (id) =>
  cmd(0, {
    type: 'create',
    id,
    pipeline: 'deals',
    responsible: 'u-anna',
    fields: { client_name: { last: 'Petrova', first: 'Maria' }, client_email: 'maria@greenfood.example' },
  });
const offerFields = {
  company_type: 'manufacturer',
  website: 'https://GreenFood.example',
  delivery_address: { country: 'RU', city: 'Kazan', street: 'Baumana 5' },
};
const toOffer = cmd(1, { type: 'move', to: 'offer', fields: offerFields });

/** Two deals: created, moved, rejected (missing fields, a skipped stage), fields set. */
const mixedBatch = [
  ['deal-1', create('deal-1')],
  ['deal-2', create('deal-2')],
  ['deal-1', cmd(1, { type: 'move', to: 'offer' })],
  ['deal-1', toOffer],
  ['deal-2', cmd(2, { type: 'move', to: 'feedback' })],
  ['deal-2', cmd(3, { type: 'set_fields', fields: { client_phone: '+7 (495) 123-45-67' } })],
];

/** Throws unless `fn` throws a VoronkaError; returns it. */
function voronkaError(fn) {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof VoronkaError, `expected a VoronkaError, got ${e}`);
    return e;
  }
  assert.fail('expected a VoronkaError');
}

test('a store gives what Model.apply gives, without the record crossing', () => {
  const store = model.store();
  assert.ok(store instanceof Store);
  const created = model.apply(null, create('deal-1'));
  const moved = model.apply(created.record, toOffer);

  const first = store.apply('deal-1', create('deal-1'));
  assert.equal(first.ok, true);
  assert.equal(first.version, created.record.version);
  assert.equal(first.stage, 'contact');
  assert.deepEqual(first.events, created.events);
  assert.deepEqual(first.effects, created.effects);
  assert.deepEqual(first.trace, created.trace);
  assert.equal('record' in first, false);

  const second = store.apply('deal-1', toOffer);
  assert.deepEqual(
    { version: second.version, stage: second.stage, events: second.events, effects: second.effects, trace: second.trace },
    { version: moved.record.version, stage: moved.record.stage, events: moved.events, effects: moved.effects, trace: moved.trace },
  );
  assert.deepEqual(store.get('deal-1'), moved.record);
  assert.equal(store.size, 1);
  assert.equal(store.has('deal-1'), true);
  assert.deepEqual(store.ids(), ['deal-1']);
});

test('a rejected command throws its coded error and leaves the stored record as it was', () => {
  const store = model.store();
  store.apply('deal-1', create('deal-1'));
  const before = store.get('deal-1');
  const missing = voronkaError(() => store.apply('deal-1', cmd(1, { type: 'move', to: 'offer' })));
  assert.equal(missing.kind, 'missing_fields');
  assert.deepEqual(missing.report, voronkaError(() => model.decide(before, cmd(1, { type: 'move', to: 'offer' }))).report);
  const badValue = voronkaError(() =>
    store.apply('deal-1', cmd(1, { type: 'move', to: 'offer', fields: { ...offerFields, website: 'not a url' } })),
  );
  assert.equal(badValue.kind, 'invalid_values');
  const badShape = voronkaError(() => store.apply('deal-1', { actor: anna, now: at(1), action: { type: 'fly' } }));
  assert.equal(badShape.code, 1002);
  assert.equal(badShape.path, 'action.type');
  const malformed = voronkaError(() => store.apply('deal-1', { actor: anna, now: 'yesterday', action: { type: 'tick' } }));
  assert.equal(malformed.path, 'now');
  voronkaError(() => store.apply(42, toOffer));
  assert.deepEqual(store.get('deal-1'), before);
});

test('commands on a missing record, and creates under another id, are rejected', () => {
  const store = model.store();
  assert.equal(voronkaError(() => store.apply('nobody', toOffer)).kind, 'record_missing');
  const other = voronkaError(() => store.apply('deal-1', create('deal-2')));
  assert.equal(other.kind, 'invalid_command');
  assert.equal(other.path, 'action.id');
  store.apply('deal-1', create('deal-1'));
  assert.equal(voronkaError(() => store.apply('deal-1', create('deal-1'))).kind, 'record_exists');
  assert.deepEqual(store.ids(), ['deal-1']);
  assert.equal(store.get('deal-2'), null);
});

test('a batch runs each command as apply would, and a rejection does not stop it', () => {
  const one = model.store();
  const batch = model.store();
  const commands = mixedBatch;
  const results = batch.applyBatch(commands);
  assert.equal(results.length, commands.length);
  results.forEach((result, i) => {
    const [id, command] = commands[i];
    let expected;
    try {
      const { trace: _, ...rest } = one.apply(id, command);
      expected = rest;
    } catch (e) {
      assert.equal(result.ok, false);
      assert.ok(result.error instanceof VoronkaError);
      assert.deepEqual(result.error.report, e.report);
      return;
    }
    assert.deepEqual(result, expected);
  });
  assert.deepEqual(
    results.map((r) => (r.ok ? r.stage : r.error.kind)),
    ['contact', 'contact', 'missing_fields', 'offer', 'transition_not_allowed', 'contact'],
  );
  for (const id of ['deal-1', 'deal-2']) assert.deepEqual(batch.get(id), one.get(id));
});

test("a batch's rejections carry no stack trace, and errors thrown afterwards do", () => {
  const before = Error.stackTraceLimit;
  const [, , rejected] = model.store().applyBatch(mixedBatch);
  assert.equal(rejected.error.kind, 'missing_fields');
  assert.equal(rejected.error.stack, `VoronkaError: ${rejected.error.message}`);
  // The engine's setting is given back.
  assert.equal(Error.stackTraceLimit, before);
  const thrown = voronkaError(() => model.store().apply('deal-1', cmd(1, { type: 'move', to: 'won' })));
  assert.match(thrown.stack, /\n\s+at /);
});

test('a lean batch ({events: false}) gives the effects and the same records', () => {
  const full = model.store();
  const lean = model.store();
  const commands = [...mixedBatch, ['deal-1', cmd(2, { type: 'move', to: 'negotiation' })]];
  const fullResults = full.applyBatch(commands);
  const leanResults = lean.applyBatch(commands, { events: false });
  assert.equal(leanResults.length, commands.length);
  leanResults.forEach((result, i) => {
    const expected = fullResults[i];
    if (!expected.ok) {
      assert.equal(result.ok, false);
      assert.ok(result.error instanceof VoronkaError);
      assert.deepEqual(result.error.report, expected.error.report);
      return;
    }
    assert.deepEqual(Object.keys(result).sort(), ['effects', 'ok', 'stage', 'version']);
    const { events: _, ...rest } = expected;
    assert.deepEqual(result, rest);
  });
  // The deal funnel's automations make effects (tasks): they come back in the lean form too.
  assert.ok(leanResults.some((r) => r.ok && r.effects.length > 0));
  for (const id of ['deal-1', 'deal-2']) {
    assert.deepEqual(lean.get(id), full.get(id));
    // The log a host keeps from the full results replays to the record of either store.
    const log = fullResults.filter((r, i) => r.ok && commands[i][0] === id).flatMap((r) => r.events);
    assert.equal(log.at(-1).version, lean.get(id).version);
    assert.deepEqual(replay(log), lean.get(id));
  }
  assert.deepEqual(full.applyBatch([], { events: true }), []);
});

test('a lean apply ({events: false}) gives version, stage and effects only', () => {
  const full = model.store();
  const lean = model.store();
  const created = full.apply('deal-1', create('deal-1'));
  const first = lean.apply('deal-1', create('deal-1'), { events: false });
  // The deal funnel's first automation makes a task on creation: an effect.
  assert.ok(created.effects.length > 0);
  assert.deepEqual(first, { ok: true, version: created.version, stage: 'contact', effects: created.effects });
  const expected = full.apply('deal-1', toOffer);
  const moved = lean.apply('deal-1', toOffer, { events: false });
  assert.deepEqual(moved, { ok: true, version: expected.version, stage: 'offer', effects: expected.effects });
  assert.deepEqual(lean.get('deal-1'), full.get('deal-1'));
  assert.deepEqual(replay([...created.events, ...expected.events]), lean.get('deal-1'));
  const other = lean.apply('deal-2', create('deal-2'), { events: true });
  assert.ok(other.events.length > 0);
  assert.deepEqual(replay(other.events), lean.get('deal-2'));
  const e = voronkaError(() => lean.apply('deal-1', cmd(4, { type: 'move', to: 'won' }), { events: false }));
  assert.equal(e.kind, 'transition_not_allowed');
  assert.equal(lean.get('deal-1').version, expected.version);
});

test("the store's record is Model.apply's, and the log of its results replays to it", () => {
  const store = model.store();
  const commands = [
    create('deal-1'),
    cmd(1, { type: 'move', to: 'offer' }), // rejected: missing fields
    toOffer,
    cmd(2, { type: 'set_fields', fields: { client_phone: '+7 (495) 123-45-67' } }),
    cmd(3, { type: 'move', to: 'negotiation' }),
    cmd(4, { type: 'move', to: 'won' }), // rejected: not a transition
    cmd(5, { type: 'move', to: 'offer' }),
    { ...cmd(6, { type: 'set_fields', fields: { company_name: 'GreenFood' } }), idempotency_key: 'k-1' },
    { ...cmd(7, { type: 'set_fields', fields: { company_name: 'GreenFood' } }), idempotency_key: 'k-1' }, // a retry
  ];
  let record = null;
  const log = [];
  let rejected = 0;
  for (const [i, command] of commands.entries()) {
    let outcome;
    try {
      outcome = model.apply(record, command);
    } catch (e) {
      assert.ok(e instanceof VoronkaError);
      rejected += 1;
      assert.deepEqual(voronkaError(() => store.apply('deal-1', command)).report, e.report, `commands[${i}]`);
      assert.deepEqual(store.get('deal-1'), record, `commands[${i}]: unchanged`);
      continue;
    }
    const result = store.apply('deal-1', command);
    assert.deepEqual(result.events, outcome.events, `commands[${i}]`);
    record = outcome.record;
    log.push(...result.events);
    assert.deepEqual(store.get('deal-1'), record, `commands[${i}]`);
    assert.deepEqual(replay(log), store.get('deal-1'), `commands[${i}]: replay`);
  }
  assert.ok(rejected >= 2, `${rejected} rejections`);
  assert.equal(store.get('deal-1').stage, 'offer');
  assert.equal('history' in store.get('deal-1'), false);
  assert.equal(log.at(-1).version, store.get('deal-1').version);
});

test('a record created by an effect starts its log with the effect\'s events', () => {
  // The lead conversion of the conformance fixtures: the lead's last command creates a deal.
  const fixture = JSON.parse(readFileSync(new URL('../../../tests/fixtures/conformance/l05-conversion.json', import.meta.url), 'utf8'));
  const store = model.store();
  const logs = new Map();
  const note = (id, events) => logs.set(id, [...(logs.get(id) ?? []), ...events]);
  let created = null;
  for (const step of fixture.steps) {
    if (step.expect.error) {
      assert.equal(voronkaError(() => store.apply('lead-1', step.command)).code, step.expect.error.code);
      continue;
    }
    const result = store.apply('lead-1', step.command);
    assert.deepEqual(result.events, step.expect.events);
    note('lead-1', result.events);
    for (const effect of result.effects) {
      if (effect.type !== 'create_record' || !effect.record) continue;
      // The host stores the new record and starts its log.
      assert.equal(store.put(effect.record), effect.id);
      note(effect.id, effect.events);
      created = effect;
    }
  }
  assert.deepEqual(store.get('lead-1'), fixture.record);
  assert.deepEqual(replay(logs.get('lead-1')), store.get('lead-1'));
  assert.ok(created, 'the conversion created a deal');
  const converted = logs.get('lead-1').find((e) => e.type === 'lead_converted');
  assert.equal(converted.deal, created.id);
  assert.equal(created.record.stage, 'contact');
  assert.deepEqual(replay(logs.get(created.id)), store.get(created.id));
  // The deal goes on in the store; its log follows.
  const moved = store.apply(created.id, { ...toOffer, now: '2026-11-27T10:05:00Z' });
  assert.equal(moved.stage, 'offer');
  note(created.id, moved.events);
  assert.deepEqual(replay(logs.get(created.id)), store.get(created.id));
});

test('the stored record does not grow with the number of commands', () => {
  const store = model.store();
  const start = Date.parse('2026-11-27T09:00:00Z');
  const time = (i) => new Date(start + i * 60_000).toISOString().replace('.000Z', 'Z');
  // Keys of one length, so that only what the record holds can change its size.
  const step = (i, action) => ({ actor: anna, now: time(i), idempotency_key: `k-${String(i).padStart(4, '0')}`, action });
  const log = [...store.apply('deal-1', { ...create('deal-1'), now: time(0) }).events];
  const phones = ['+7 (495) 123-45-67', '+7 (843) 222-33-44'];
  const sizes = new Map();
  let moves = 0;
  let i = 0;
  for (let sets = 1; sets <= 2000; sets++) {
    const result = store.apply('deal-1', step(++i, { type: 'set_fields', fields: { client_phone: phones[sets % 2] } }));
    assert.ok(result.events.length > 0, `command ${i} changed the record`);
    log.push(...result.events);
    if (sets % 100 === 50) {
      // Between the commercial offer and negotiation, there and back.
      const to = moves % 2 === 0 ? 'offer' : 'negotiation';
      const moved = store.apply('deal-1', step(++i, { type: 'move', to, fields: to === 'offer' ? offerFields : {} }));
      assert.equal(moved.stage, to);
      log.push(...moved.events);
      moves += 1;
    }
    if (sets % 400 === 0) sizes.set(sets, JSON.stringify(store.get('deal-1')).length);
  }
  assert.equal(moves, 20);
  const record = store.get('deal-1');
  assert.equal(record.stage, 'negotiation');
  assert.equal('history' in record, false);
  assert.ok(log.length > 2000, `${log.length} events in the log`);
  assert.equal(record.version, log.at(-1).version);
  assert.ok((record.recent_keys ?? []).length <= 64, `${record.recent_keys?.length} recent keys`);
  const size = JSON.stringify(record).length;
  assert.ok(size < 8 * 1024, `the record is ${size} bytes of JSON`);
  // At the same point of the walk (in negotiation, with versions of four digits), after
  // 1 200 and after 2 000 changes of the phone: the same size.
  assert.equal(sizes.get(2000), sizes.get(1200), JSON.stringify([...sizes]));
  // The host's log still rebuilds it exactly.
  assert.deepEqual(replay(log), record);
});

test('bad store options and ids are coded errors with a path', () => {
  const store = model.store();
  const { version } = store.apply('deal-1', create('deal-1'));
  for (const [options, path] of [
    [{ events: 'no' }, 'options.events'],
    [{ events: null }, 'options.events'],
    [null, 'options'],
    ['lean', 'options'],
  ]) {
    const bad = voronkaError(() => store.applyBatch([['deal-1', toOffer]], options));
    assert.equal(bad.code, 1002);
    assert.equal(bad.path, path);
    assert.equal(voronkaError(() => store.apply('deal-1', toOffer, options)).path, path);
  }
  assert.equal(voronkaError(() => store.get(7)).path, 'id');
  // The store keeps snapshots only: there is no event query.
  assert.equal('events' in store, false);
  // Nothing was applied.
  assert.equal(store.get('deal-1').version, version);
});

test('a batch that cannot be decoded is thrown whole and applies nothing', () => {
  const store = model.store();
  const bad = voronkaError(() => store.applyBatch([['deal-1', create('deal-1')], ['deal-1', { now: at(1) }]]));
  assert.equal(bad.code, 1002);
  assert.match(bad.path, /^\[1\]/);
  assert.equal(store.size, 0);
  assert.equal(voronkaError(() => store.applyBatch({ id: 'deal-1' })).code, 1002);
  assert.equal(voronkaError(() => store.applyBatch([[1, create('deal-1')]])).code, 1002);
  assert.equal(store.size, 0);
});

test('put loads a saved record, delete removes it, free ends the store', () => {
  const saved = model.apply(model.apply(null, create('deal-7')).record, toOffer).record;
  const store = model.store();
  assert.equal(store.put(saved), 'deal-7');
  assert.deepEqual(store.get('deal-7'), saved);
  const next = store.apply('deal-7', cmd(2, { type: 'move', to: 'negotiation' }));
  assert.equal(next.stage, 'negotiation');
  const bad = voronkaError(() => store.put({ ...saved, version: 'seven' }));
  assert.equal(bad.code, 1002);
  assert.equal(bad.path, 'version');
  assert.equal(store.get('deal-7').stage, 'negotiation');
  assert.equal(store.delete('deal-7'), true);
  assert.equal(store.delete('deal-7'), false);
  assert.equal(store.size, 0);
  store.free();
  assert.throws(() => store.size, TypeError);
});

test('a store outlives a freed model, and messages follow the model language', () => {
  const ru = Model.ecoPackaging({ lang: 'ru' });
  const store = ru.store();
  ru.free();
  store.apply('deal-1', create('deal-1'));
  const e = voronkaError(() => store.apply('deal-1', cmd(1, { type: 'move', to: 'offer' })));
  assert.match(e.message, /[а-я]/);
});
