// The kanban demo (examples/web) in headless Chromium: a move without the required fields
// lists exactly the missing ones, the move succeeds once they are valid, a task is completed,
// timers fire when the clock advances, labels switch language, and the state survives a
// reload. Run by scripts/test-browser.sh, which serves the demo and sets DEMO_URL.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { launchChromium } from '../../scripts/chromium.mjs';

const url = process.env.DEMO_URL;
const screenshot = process.env.SCREENSHOT;

test('the kanban demo in Chromium', { skip: !url && 'DEMO_URL is not set (run scripts/test-browser.sh)' }, async () => {
  const { context, close } = await launchChromium({ viewport: { width: 1500, height: 900 } });
  const problems = [];
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    await page.goto(url);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 15000 });

    const card = (id) => page.locator(`article.card[data-record="${id}"]`);
    const inColumn = (stage, id) => page.locator(`section.column[data-stage="${stage}"] article.card[data-record="${id}"]`);
    await inColumn('contact', 'deal-1').waitFor();

    // A move without the required fields: the dialog lists exactly the missing ones.
    await card('deal-1').locator('select.move-select').selectOption('offer');
    await card('deal-1').locator('button.move-btn').click();
    const dialog = page.locator('#fields-dialog');
    await dialog.waitFor({ state: 'visible' });
    assert.deepEqual(
      await page.locator('#missing-list li').evaluateAll((items) => items.map((li) => [li.dataset.field, li.dataset.type])),
      [['company_type', 'choice'], ['website', 'url'], ['delivery_address', 'address']],
    );
    assert.equal(await inColumn('contact', 'deal-1').count(), 1);

    // Invalid values: the library's messages are shown and the card stays.
    await page.selectOption('select[name="company_type"]', 'other');
    await page.fill('input[name="company_type.other"]', 'Bakery');
    await page.fill('input[name="website"]', 'greenfood');
    await page.fill('input[name="delivery_address.country"]', 'RU');
    await page.fill('input[name="delivery_address.city"]', 'Kazan');
    await page.click('#fields-submit');
    const error = page.locator('#fields-error');
    await assert.doesNotReject(error.filter({ hasText: 'not a web address' }).waitFor());
    assert.match(await error.textContent(), /"street" is required/);
    assert.equal(await page.locator('.field.invalid').count(), 2);
    if (screenshot) {
      mkdirSync(dirname(screenshot), { recursive: true });
      await page.screenshot({ path: screenshot.replace(/\.png$/, '-dialog.png') });
    }

    // Valid values: the move succeeds and the card is in the new column.
    await page.fill('input[name="website"]', 'https://greenfood.example');
    await page.fill('input[name="delivery_address.street"]', 'Baumana 5');
    await page.click('#fields-submit');
    await dialog.waitFor({ state: 'hidden' });
    await inColumn('offer', 'deal-1').waitFor();
    assert.equal(await inColumn('contact', 'deal-1').count(), 0);

    // Complete the D1 call task of deal-2.
    const callTask = card('deal-2').locator('li[data-task-code="call_client"]');
    assert.equal(await callTask.count(), 1);
    await callTask.locator('button.complete-task').click();
    await page.locator('#status', { hasText: 'completed' }).waitFor();
    assert.equal(await card('deal-2').locator('li[data-task-code="call_client"]').count(), 0);

    // Drag deal-2 to "offer": the same dialog; cancel it.
    await card('deal-2').dragTo(page.locator('section.column[data-stage="offer"]'));
    await dialog.waitFor({ state: 'visible' });
    assert.equal(await page.locator('#missing-list li').count(), 3);
    await page.click('#fields-cancel');
    await dialog.waitFor({ state: 'hidden' });
    await inColumn('contact', 'deal-2').waitFor();

    // Russian labels.
    await page.click('#lang-ru');
    await page.locator('section.column[data-stage="offer"] h2', { hasText: 'Коммерческое предложение' }).waitFor();
    await page.click('#lang-en');
    await page.locator('section.column[data-stage="offer"] h2', { hasText: 'Commercial offer' }).waitFor();

    // The clock: +7 days ticks every record, and D5's weekly question appears on deal-3.
    await inColumn('samples_sent', 'deal-3').waitFor();
    assert.equal(await card('deal-3').locator('li[data-task-code="ask_received"]').count(), 0);
    await page.click('#plus-week');
    await page.locator('#clock', { hasText: '2026-12-04' }).waitFor();
    const ask = card('deal-3').locator('li[data-task-code="ask_received"]');
    await ask.waitFor();

    // Its form: answering nothing lists what the library needs; then answer it.
    await ask.locator('button.complete-task').click();
    await dialog.waitFor({ state: 'visible' });
    await page.click('#fields-submit');
    await page.locator('#missing-list li[data-field="received"]').waitFor();
    await page.selectOption('select[name="received"]', 'true');
    await page.click('#fields-submit');
    await page.locator('#missing-list li[data-field="received_by"]').waitFor();
    await page.fill('input[name="received_by.last"]', 'Smirnova');
    await page.fill('input[name="received_by.first"]', 'Olga');
    await page.click('#fields-submit');
    await dialog.waitFor({ state: 'hidden' });
    assert.equal(await ask.count(), 0);

    // D6: move to feedback, answer "to production" with the task's choices: the deal moves on.
    await card('deal-3').locator('select.move-select').selectOption('feedback');
    await card('deal-3').locator('button.move-btn').click();
    const feedback = card('deal-3').locator('li[data-task-code="feedback"]');
    await feedback.waitFor();
    await feedback.locator('button.complete-task').click();
    await dialog.waitFor({ state: 'visible' });
    assert.deepEqual(
      await page.locator('select[name="decision"] option').evaluateAll((os) => os.map((o) => o.value)),
      ['', 'not_interested', 'postpone', 'production'],
    );
    await page.selectOption('select[name="decision"]', 'production');
    await page.click('#fields-submit');
    await dialog.waitFor({ state: 'hidden' });
    await inColumn('contract', 'deal-3').waitFor();

    // Only a head may enter "Prepayment" (D8): the manager is refused with the library's message.
    await card('deal-3').locator('select.move-select').selectOption('prepayment');
    await card('deal-3').locator('button.move-btn').click();
    await page.locator('#status', { hasText: 'may not move this record there' }).waitFor();
    await page.selectOption('#actor', 'u-boris');

    // It needs a choice, money and a percent: a percent over 100 is refused.
    await card('deal-3').locator('select.move-select').selectOption('prepayment');
    await card('deal-3').locator('button.move-btn').click();
    await dialog.waitFor({ state: 'visible' });
    assert.deepEqual(
      await page.locator('#missing-list li').evaluateAll((items) => items.map((li) => [li.dataset.field, li.dataset.type])),
      [['packaging_type', 'choice'], ['cost', 'money'], ['prepayment_percent', 'percent']],
    );
    await page.selectOption('select[name="packaging_type"]', 'box');
    await page.fill('input[name="cost.amount"]', '125000,50');
    await page.selectOption('select[name="cost.currency"]', 'EUR');
    await page.fill('input[name="prepayment_percent"]', '130');
    await page.click('#fields-submit');
    await error.filter({ hasText: 'out of range' }).waitFor();
    await page.fill('input[name="prepayment_percent"]', '30');
    await page.click('#fields-submit');
    await dialog.waitFor({ state: 'hidden' });
    await inColumn('prepayment', 'deal-3').waitFor();

    // Reload: the state is kept.
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    await inColumn('offer', 'deal-1').waitFor();
    assert.equal(await card('deal-2').locator('li[data-task-code="call_client"]').count(), 0);
    assert.match(await page.locator('#clock').textContent(), /2026-12-04/);

    if (screenshot) {
      mkdirSync(dirname(screenshot), { recursive: true });
      await page.screenshot({ path: screenshot, fullPage: true });
    }
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});
