// The README's JavaScript examples (```js blocks), each run as its own ES module: they import
// the built package by name, as a user would, and assert what they show.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const blocks = [...readme.matchAll(/^```js\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
// Inside the package, so that `import 'voronka'` resolves to the package itself.
const dir = fileURLToPath(new URL('./.readme-examples/', import.meta.url));

test('the README has JavaScript examples', () => {
  assert.ok(blocks.length >= 3, `found ${blocks.length}`);
});

rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
blocks.forEach((code, i) => {
  test(`README example ${i + 1}`, () => {
    const file = `${dir}example-${i + 1}.mjs`;
    writeFileSync(file, code);
    const run = spawnSync(process.execPath, [file], { encoding: 'utf8' });
    assert.equal(run.status, 0, `example ${i + 1} failed:\n${run.stderr}\n--- code ---\n${code}`);
  });
});
