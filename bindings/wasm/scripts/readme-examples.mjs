// Registers one node:test test per ```js block of a package's README, each run as its own ES
// module inside the package, so that importing the package by name resolves to the package
// itself, as for a user. Shared by the tests of both npm packages.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * @param {URL} readmeUrl the README
 * @param {URL} dirUrl a scratch directory inside the package (ends with `/`; git-ignored)
 * @param {number} least how many examples the README must have
 */
export function testReadmeExamples(readmeUrl, dirUrl, least) {
  const readme = readFileSync(readmeUrl, 'utf8');
  const blocks = [...readme.matchAll(/^```js\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
  const dir = fileURLToPath(dirUrl);

  test('the README has JavaScript examples', () => {
    assert.ok(blocks.length >= least, `found ${blocks.length}`);
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
}
