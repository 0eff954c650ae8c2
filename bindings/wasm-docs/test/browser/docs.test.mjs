// The web build in headless Chromium: it loads, renders every bundled document with the same
// bytes as the Rust build, and throws coded errors. Run by scripts/test-browser.sh, which
// serves the package and sets DOCS_URL.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { launchChromium } from '../../../wasm/scripts/chromium.mjs';

const url = process.env.DOCS_URL;
const golden = new Map(
  readFileSync(new URL('../../../../crates/voronka-docs/tests/golden/pdf-sha256.txt', import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line.includes(' '))
    .map((line) => line.split(' ')),
);

test('voronka-docs in Chromium', { skip: !url && 'DOCS_URL is not set (run scripts/test-browser.sh)' }, async () => {
  const { context, close } = await launchChromium();
  const problems = [];
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    await page.goto(new URL('test/browser/index.html', url).href);
    await page.waitForSelector('body[data-result]', { timeout: 120000 });
    const result = JSON.parse(await page.getAttribute('body', 'data-result'));
    console.log(`Chromium: module loaded in ${result.loadMs} ms, seven documents rendered in ${result.renderMs} ms`);
    assert.equal(Object.keys(result.hashes).length, 7);
    for (const [key, hash] of Object.entries(result.hashes)) {
      assert.equal(hash, golden.get(key), key);
    }
    assert.deepEqual(result.error, { isDocsError: true, code: 5002, kind: 'template_error', line: 1 });
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});
