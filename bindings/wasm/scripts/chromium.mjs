// Launches Debian's Chromium headless through playwright-core with a fresh profile, for the
// browser tests of both npm packages (bindings/wasm and bindings/wasm-docs).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

/**
 * A persistent context in a fresh profile directory; `close()` closes it and removes the
 * profile. `CHROMIUM` overrides the executable.
 * @param {object} [options] more options for `launchPersistentContext` (e.g. `viewport`)
 */
export async function launchChromium(options = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'voronka-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
    ...options,
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
