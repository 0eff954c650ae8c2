// The package ships the eco-packaging definition without its indentation: it must still be
// exactly the repository's definition, as a JSON value.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Model, ecoPackagingDefinition } from 'voronka';

const file = JSON.parse(readFileSync(new URL('../../../crates/voronka/data/eco-packaging.json', import.meta.url), 'utf8'));

test('the embedded eco-packaging definition is the repository file', () => {
  assert.deepEqual(ecoPackagingDefinition(), file);
  assert.deepEqual(Model.ecoPackaging().definition, file);
});
