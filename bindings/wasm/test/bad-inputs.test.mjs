// The catalogue of bad inputs (tests/fixtures/bad-inputs), replayed through the built package:
// each case must throw a VoronkaError with exactly the expected code, name and path, leave the
// record it was given as it was, and give the same error again. The documents' case
// (bad-inputs/docs) is replayed by the Rust tests of voronka-docs only: this package does not
// render documents.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { Model, VoronkaError } from 'voronka';

const dir = new URL('../../../tests/fixtures/bad-inputs/', import.meta.url);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();

test('the catalogue is not empty', () => {
  assert.ok(files.length >= 20, `only ${files.length} cases found`);
});

/** Runs `fn`, which must throw a VoronkaError; returns it. */
function thrown(fn, what) {
  try {
    fn();
  } catch (e) {
    if (e instanceof VoronkaError) return e;
    throw e;
  }
  assert.fail(`${what}: accepted`);
}

function expectError(e, expect, what) {
  assert.deepEqual({ code: e.code, name: e.kind, path: e.path }, expect, `${what}: ${e.message}`);
}

for (const file of files) {
  test(`bad input: ${file}`, () => {
    const c = JSON.parse(readFileSync(new URL(file, dir), 'utf8'));
    assert.equal(c.name, file.replace(/\.json$/, ''));
    const definition =
      c.definition_text ?? (c.definition === 'eco-packaging' ? Model.ecoPackaging().definition : c.definition);
    const options = c.options === undefined ? {} : { limits: c.options.limits };
    if (c.input === undefined) {
      // Invalid options pass through the package as JSON: a bad key reaches the core as is.
      expectError(thrown(() => Model.fromJSON(definition, options), 'the definition'), c.expect, file);
      return;
    }
    const model = Model.fromJSON(definition, options);
    let record = null;
    for (const command of c.setup) record = model.apply(record, command).record;
    if (c.input.record_text !== undefined) record = JSON.parse(c.input.record_text);
    let command = c.input.command;
    if (c.input.command_text !== undefined) {
      // The package takes commands as objects: text that is not JSON cannot reach the core
      // through it (malformed definitions, given as text, can: see malformed-definition.json).
      try {
        command = JSON.parse(c.input.command_text);
      } catch (e) {
        assert.ok(e instanceof SyntaxError);
        assert.equal(c.expect.code, 1001, `${file}: JavaScript refuses the text as malformed JSON too`);
        return;
      }
    }
    const snapshot = structuredClone(record);
    const apply = () => model.apply(record, command);
    const e = thrown(apply, 'the bad input');
    expectError(e, c.expect, file);
    assert.deepEqual(record, snapshot, `${file}: the record changed`);
    assert.deepEqual(thrown(apply, 'again').report, e.report, `${file}: a second try differs`);
    if (record !== null && c.input.record_text === undefined) {
      // Nothing was consumed: a command at the record's own version is accepted.
      const probe = {
        actor: { user: 'u-probe', roles: [] },
        now: record.updated_at,
        expected_version: record.version,
        action: { type: 'signal', name: 'probe' },
      };
      assert.equal(model.apply(record, probe).events[0].version, record.version + 1, `${file}: probe`);
    }
  });
}
