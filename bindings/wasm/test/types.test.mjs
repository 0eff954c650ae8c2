// The hand-written types (js/index.d.ts) against what the library really produces: every
// event, effect, rejection and value-problem tag seen while replaying the conformance
// fixtures must be declared in the matching union, so a new variant in the core fails here
// until the types learn it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { Model, VoronkaError } from 'voronka';

const dts = readFileSync(new URL('../js/index.d.ts', import.meta.url), 'utf8');

/** The string literals of `tag: '…'` inside the declaration of `name` (up to the next blank line). */
function declared(name, tag) {
  const start = dts.indexOf(`export type ${name} =`);
  assert.ok(start >= 0, `index.d.ts declares ${name}`);
  const body = dts.slice(start, dts.indexOf('\n\n', start));
  return new Set([...body.matchAll(new RegExp(`${tag}: '([a-z_]+)'`, 'g'))].map((m) => m[1]));
}

const seen = { events: new Set(), effects: new Set(), kinds: new Set(), reasons: new Set(), traces: new Set() };
const dir = new URL('../../../tests/fixtures/conformance/', import.meta.url);
const eco = Model.ecoPackaging();
for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
  const fixture = JSON.parse(readFileSync(new URL(file, dir), 'utf8'));
  const model = fixture.definition === 'eco-packaging' ? eco : Model.fromJSON(fixture.definition);
  let record = null;
  for (const step of fixture.steps) {
    try {
      const outcome = model.apply(record, step.command);
      outcome.events.forEach((e) => seen.events.add(e.type));
      outcome.effects.forEach((e) => seen.effects.add(e.type));
      outcome.trace.forEach((t) => seen.traces.add(t.what));
      record = outcome.record;
    } catch (e) {
      if (!(e instanceof VoronkaError)) throw e;
      if (e.details?.kind) seen.kinds.add(e.details.kind);
      for (const invalid of e.details?.errors ?? []) seen.reasons.add(invalid.reason);
    }
  }
}

const cases = [
  ['Change', 'type', 'events'],
  ['Effect', 'type', 'effects'],
  ['RejectionDetails', 'kind', 'kinds'],
  ['ValueProblem', 'reason', 'reasons'],
];
for (const [name, tag, key] of cases) {
  test(`every ${key.slice(0, -1)} tag the library produced is declared in ${name}`, () => {
    const known = declared(name, tag);
    assert.ok(seen[key].size > 0, `the fixtures produced no ${key}`);
    assert.deepEqual([...seen[key]].filter((t) => !known.has(t)), []);
  });
}

test('every trace kind the library produced is declared in TraceKind', () => {
  const start = dts.indexOf('export type TraceKind =');
  const body = dts.slice(start, dts.indexOf(';', start));
  const known = new Set([...body.matchAll(/'([a-z_]+)'/g)].map((m) => m[1]));
  assert.deepEqual([...seen.traces].filter((t) => !known.has(t)), []);
});
