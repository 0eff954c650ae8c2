// Every conformance fixture of the core (tests/fixtures/conformance), replayed through the
// built package: each step's events or error report, and the final record, must equal the
// expectations exactly (as JSON values, key order aside) — as the Rust and C runners check.

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

for (const file of files) {
  test(`conformance: ${file}`, () => {
    const fixture = JSON.parse(readFileSync(new URL(file, dir), 'utf8'));
    assert.equal(fixture.name, file.replace(/\.json$/, ''));
    const model = fixture.definition === 'eco-packaging' ? eco : Model.fromJSON(fixture.definition);
    let record = null;
    fixture.steps.forEach((step, i) => {
      let actual;
      try {
        const outcome = model.apply(record, step.command);
        actual = { events: outcome.events };
        // Effects are derived from the events; the record must replay from its history.
        assert.deepEqual(model.replay(outcome.record.history), outcome.record, `steps[${i}]: replay`);
        record = outcome.record;
      } catch (e) {
        if (!(e instanceof VoronkaError)) throw e;
        assert.ok(e.code >= 1000, `steps[${i}]: a real error code, not ${e.code}`);
        actual = { error: e.report };
      }
      assert.deepEqual(actual, step.expect, `steps[${i}] of ${file}`);
    });
    assert.deepEqual(record, fixture.record, `final record of ${file}`);
  });
}
