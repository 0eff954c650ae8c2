// `errorCodes()`: the core's list of error codes, the same as the Rust side's
// (tests/fixtures/error-codes.json, checked against `ErrorCode::ALL` by the core's tests), and
// covering every code the conformance fixtures expect.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { Model, VoronkaError, errorCodes } from 'voronka';

const listed = new URL('../../../tests/fixtures/error-codes.json', import.meta.url);

test('errorCodes() is the Rust side\'s list', () => {
  assert.deepEqual(errorCodes(), JSON.parse(readFileSync(listed, 'utf8')));
});

test('codes are distinct and increasing, with distinct names and a description each', () => {
  const codes = errorCodes();
  assert.ok(codes.length > 0);
  for (let i = 1; i < codes.length; i++) {
    assert.ok(codes[i - 1].code < codes[i].code, `${codes[i - 1].code} before ${codes[i].code}`);
  }
  assert.equal(new Set(codes.map((c) => c.name)).size, codes.length);
  for (const c of codes) {
    assert.ok(Number.isInteger(c.code) && c.code >= 1000 && c.code < 4000, `${c.code}`);
    assert.match(c.name, /^[a-z][a-z0-9_]*$/);
    assert.ok(c.description.length > 0 && !c.description.endsWith('.'), c.description);
  }
  assert.deepEqual(codes.find((c) => c.code === 3001), {
    code: 3001,
    name: 'missing_fields',
    description: 'Fields are missing to enter the stage',
  });
});

test('each call gives a fresh array', () => {
  const first = errorCodes();
  first.length = 0;
  assert.ok(errorCodes().length > 0);
});

test('every code the conformance fixtures expect is listed, and thrown errors carry its name', () => {
  const byCode = new Map(errorCodes().map((c) => [c.code, c.name]));
  const dir = new URL('../../../tests/fixtures/conformance/', import.meta.url);
  const expected = new Set();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const fixture = JSON.parse(readFileSync(new URL(file, dir), 'utf8'));
    for (const step of fixture.steps) {
      if (step.expect.error) expected.add(step.expect.error.code);
    }
  }
  assert.ok(expected.size > 10, `${expected.size} codes in the fixtures`);
  for (const code of expected) assert.ok(byCode.has(code), `${code} is listed`);

  try {
    Model.ecoPackaging().apply(null, {});
    assert.fail('an empty command is rejected');
  } catch (err) {
    assert.ok(err instanceof VoronkaError);
    assert.equal(err.kind, byCode.get(err.code));
  }
});
