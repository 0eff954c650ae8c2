// Every conformance fixture of the core (tests/fixtures/conformance), replayed through the
// built package: each step's events or error report, and the final record, must equal the
// expectations exactly (as JSON values, key order aside) — as the Rust and C runners check.
// `decide` must decide each step as `apply` does. The record is a snapshot: the event log the
// test keeps (the events of each accepted command) must replay to it after every step, and so
// must the events of a record created by an effect.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { Model, VoronkaError } from 'voronka';

const dir = new URL('../../../tests/fixtures/conformance/', import.meta.url);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();

test('the fixture directory is not empty', () => {
  assert.ok(files.length > 0, 'no conformance fixtures found');
});

const eco = Model.ecoPackaging();
/** The records created by a `create_record` effect whose events were replayed. */
let createdByEffects = 0;

for (const file of files) {
  test(`conformance: ${file}`, () => {
    const fixture = JSON.parse(readFileSync(new URL(file, dir), 'utf8'));
    assert.equal(fixture.name, file.replace(/\.json$/, ''));
    const model = fixture.definition === 'eco-packaging' ? eco : Model.fromJSON(fixture.definition);
    let record = null;
    // The host's event log of the record: the events of every accepted command.
    const log = [];
    fixture.steps.forEach((step, i) => {
      let actual;
      // `decide` gives what `apply` gives but the record, and refuses with the same report.
      let decision = null;
      let refused = null;
      try {
        decision = model.decide(record, step.command);
      } catch (e) {
        if (!(e instanceof VoronkaError)) throw e;
        refused = e;
      }
      try {
        const outcome = model.apply(record, step.command);
        assert.equal(refused, null, `steps[${i}]: decide refused what apply accepts: ${refused?.message}`);
        assert.deepEqual(decision, { events: outcome.events, effects: outcome.effects, trace: outcome.trace }, `steps[${i}]: decide`);
        actual = { events: outcome.events };
        log.push(...outcome.events);
        // The record is a snapshot: the log rebuilds it exactly.
        assert.deepEqual(model.replay(log), outcome.record, `steps[${i}]: replay of the log`);
        assert.equal('history' in outcome.record, false, `steps[${i}]: a record has no history`);
        // A record the command creates (a deal, a process) comes with the start of its own log.
        for (const [j, effect] of outcome.effects.entries()) {
          if (effect.type !== 'create_record' || !effect.record) continue;
          assert.ok(effect.events?.length > 0, `steps[${i}].effects[${j}]: the new record's events`);
          assert.deepEqual(model.replay(effect.events), effect.record, `steps[${i}].effects[${j}]: replay`);
          createdByEffects += 1;
        }
        record = outcome.record;
      } catch (e) {
        if (!(e instanceof VoronkaError)) throw e;
        assert.ok(e.code >= 1000, `steps[${i}]: a real error code, not ${e.code}`);
        assert.deepEqual(refused?.report, e.report, `steps[${i}]: decide refuses as apply does`);
        actual = { error: e.report };
      }
      assert.deepEqual(actual, step.expect, `steps[${i}] of ${file}`);
    });
    assert.deepEqual(record, fixture.record, `final record of ${file}`);
    if (record) assert.deepEqual(model.replay(log), fixture.record, `the log of ${file} replays to its final record`);
  });
}

test('records created by effects (a converted lead\'s deal, a started process) were replayed', () => {
  assert.ok(createdByEffects >= 2, `${createdByEffects} records created by effects`);
});
