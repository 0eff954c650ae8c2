// A record's size is bounded by what is live, not by its age, through the npm package too: a
// million accepted commands on one deal (the command mix of crates/voronka/tests/growth.rs)
// leave a snapshot under 4 KB that loads again. The store's lean batches (`{events: false}`)
// keep it fast; the run time is printed.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Model } from 'voronka';

const COMMANDS = 1_000_000;
/** Commands per `applyBatch` call; the record's size is checked after each batch. */
const BATCH = 1_000;
/** The core keeps this many recent idempotency keys (`Limits::RECENT_KEYS`). */
const RECENT_KEYS = 64;

const model = Model.ecoPackaging();
const anna = { user: 'u-anna', roles: ['manager'] };
const start = Date.parse('2026-11-27T09:00:00Z');
/** RFC 3339 without milliseconds, `seconds` after the start. */
const at = (seconds) => new Date(start + seconds * 1000).toISOString().replace('.000Z', 'Z');
/** The record as a host saves it: its JSON, in UTF-8 bytes. */
const bytes = (record) => Buffer.byteLength(JSON.stringify(record), 'utf8');

// case: D1, D3 (a deal edited a million times)
test('a million commands leave the record bounded and loadable', () => {
  const began = performance.now();
  const store = model.store();
  const created = store.apply('deal-1', {
    actor: anna,
    now: at(0),
    action: {
      type: 'create',
      id: 'deal-1',
      pipeline: 'deals',
      responsible: 'u-anna',
      fields: { company_name: 'Green Food' },
    },
  });
  assert.equal(created.ok, true);

  // Two long notes (about 210 characters each), set in turn under a fresh idempotency key,
  // with a tick every thousandth command: each command is accepted and changes the record.
  const notes = ['Б'.repeat(210), 'Client asks for kraft boxes; '.repeat(7)];
  let sets = 0;
  let largest = 0;
  let sizeAfter100k = 0;
  for (let first = 0; first < COMMANDS; first += BATCH) {
    const batch = [];
    for (let i = first; i < first + BATCH; i++) {
      let action;
      if (i % 1000 === 999) {
        action = { type: 'tick' };
      } else {
        sets += 1;
        action = { type: 'set_fields', fields: { negotiation_comment: notes[sets % 2] } };
      }
      batch.push(['deal-1', { actor: anna, now: at(i + 1), idempotency_key: `k-${i}`, action }]);
    }
    const results = store.applyBatch(batch, { events: false });
    assert.equal(results.length, BATCH);
    for (let j = 0; j < BATCH; j++) {
      if (!results[j].ok) assert.fail(`command ${first + j} rejected: ${results[j].error.message}`);
    }
    const size = bytes(store.get('deal-1'));
    assert.ok(size <= 4096, `${size} bytes after ${first + BATCH} commands`);
    largest = Math.max(largest, size);
    if (first + BATCH === 100_000) sizeAfter100k = size;
  }
  const seconds = (performance.now() - began) / 1000;

  const record = store.get('deal-1');
  // Every edit was an event (and the ticks fired the deal's first reminders).
  assert.ok(record.version > sets, `${record.version} events, ${sets} edits`);
  // From a hundred thousand commands to a million the snapshot grows only by the digits of
  // ids and versions (one more digit each in the window of 64 recent keys).
  const size = bytes(record);
  assert.ok(
    size <= sizeAfter100k + 3 * RECENT_KEYS,
    `${size} bytes after a million commands, ${sizeAfter100k} after a hundred thousand`,
  );
  assert.equal(record.recent_keys.length, RECENT_KEYS);
  // The newest is the last edit's: the last command, a tick with nothing due, made no event.
  assert.equal(record.recent_keys.at(-1).key, `k-${COMMANDS - 2}`);

  // It loads again: into a fresh store, and through Model.apply, and takes further commands.
  const next = {
    actor: anna,
    now: at(COMMANDS + 1),
    idempotency_key: 'k-last',
    action: { type: 'set_fields', fields: { negotiation_comment: 'last' } },
  };
  const fresh = model.store();
  assert.equal(fresh.put(record), 'deal-1');
  assert.deepEqual(fresh.get('deal-1'), record);
  assert.equal(fresh.apply('deal-1', next, { events: false }).version, record.version + 1);
  const outcome = model.apply(record, next);
  assert.equal(outcome.record.version, record.version + 1);
  assert.equal(outcome.record.fields.negotiation_comment, 'last');

  console.log(
    `growth: ${COMMANDS} commands in ${seconds.toFixed(1)} s; ` +
      `${sizeAfter100k} bytes after 100 000, ${size} after ${COMMANDS}, ${largest} at most`,
  );
});
