// A render_document effect of the core package `voronka`, for a deal built through real
// commands, executed by voronka-docs: the commercial offer (deal stage D2).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Model } from '../../wasm/dist/node/index.mjs';
import { executeRenderEffect, VoronkaDocsError } from 'voronka-docs';

const company = JSON.parse(readFileSync(new URL('../../../examples/eco-packaging/company.json', import.meta.url), 'utf8'));
const anna = { user: 'u-anna', roles: ['manager'] };

/** A deal moved to D2 with the offer's fields: the record and the render effects it asked for. */
function dealWithOffer() {
  const model = Model.ecoPackaging();
  let hour = 9;
  const effects = [];
  let record = null;
  const apply = (action) => {
    const outcome = model.apply(record, { actor: anna, now: `2026-11-30T${String(hour++).padStart(2, '0')}:00:00Z`, action });
    effects.push(...outcome.effects.filter((e) => e.type === 'render_document'));
    record = outcome.record;
  };
  apply({
    type: 'create', id: 'deal-7', pipeline: 'deals', responsible: 'u-anna',
    fields: {
      client_name: { last: 'Смирнов', first: 'Алексей', middle: 'Петрович' },
      client_email: 'a.smirnov@sevpekarnya.example',
      company_name: 'ООО «Северная пекарня»',
    },
  });
  apply({
    type: 'move', to: 'offer',
    fields: {
      company_type: 'manufacturer',
      website: 'https://sevpekarnya.example',
      delivery_address: { country: 'Россия', city: 'Санкт-Петербург', street: 'Пискарёвский пр-т, д. 150' },
    },
  });
  const task = record.tasks.find((t) => t.code === 'offer_fields' && t.status === 'open');
  apply({
    type: 'complete_task', task: task.id,
    answers: {
      offer_items: [{ name: 'Бумажный стакан 300 мл', quantity: '10000', unit: 'шт.', price: '6.15', vat_rate: '20', weight: '0.009' }],
      offer_valid_until: '2026-12-31',
      payment_terms: '50 % предоплата',
    },
  });
  return { record, effects, now: `2026-11-30T${hour}:00:00Z` };
}

test('the commercial offer of a deal, from the effect the core returned', () => {
  const { record, effects, now } = dealWithOffer();
  assert.equal(effects.length, 1);
  const [effect] = effects;
  assert.equal(effect.document.template, 'commercial_offer');
  const done = executeRenderEffect(effect, record, company, { seq: 7, now });
  assert.equal(done.kind, 'commercial_offer');
  assert.match(done.number, /-0*7$/);
  assert.ok(done.pdf instanceof Uint8Array);
  assert.equal(Buffer.from(done.pdf.subarray(0, 5)).toString(), '%PDF-');
  // The request alone works the same, byte for byte.
  const again = executeRenderEffect(effect.document, record, company, { seq: 7, now });
  assert.deepEqual(again, done);
  // Another sequence value, another number.
  assert.notEqual(executeRenderEffect(effect, record, company, { seq: 8, now }).number, done.number);
});

test('an empty record field the document needs: code 5008 naming it', () => {
  const { record, effects, now } = dealWithOffer();
  const { company_name, ...fields } = record.fields;
  assert.ok(company_name);
  const e = (() => {
    try {
      executeRenderEffect(effects[0], { ...record, fields }, company, { seq: 1, now });
    } catch (err) {
      return err;
    }
  })();
  assert.ok(e instanceof VoronkaDocsError);
  assert.deepEqual([e.code, e.kind, e.path], [5008, 'missing_record_field', 'company_name']);
  assert.equal(e.details.document, 'commercial_offer');
});

test('bad effect, record, company or options: coded errors with their paths', () => {
  const { record, effects, now } = dealWithOffer();
  const [effect] = effects;
  const cases = [
    [() => executeRenderEffect(effect, record, company, { now }), 5003, 'options.seq'],
    [() => executeRenderEffect(effect, record, company, { seq: -1, now }), 5003, 'options.seq'],
    [() => executeRenderEffect(effect, record, company, { seq: 1 }), 5003, 'options.now'],
    [() => executeRenderEffect({ ...effect, document: { ...effect.document, lang: 'de' } }, record, company, { seq: 1, now }), 5003, 'effect.document.lang'],
    [() => executeRenderEffect(effect, { ...record, version: 'x' }, company, { seq: 1, now }), 5003, 'record.version'],
    [() => executeRenderEffect(effect, record, { ...company, seller: { name: 'x' } }, { seq: 1, now }), 5003, 'company.seller'],
    [() => executeRenderEffect(effect, record, { ...company, utc_offset: 'Moscow' }, { seq: 1, now }), 5003, 'company.utc_offset'],
    [() => executeRenderEffect({ ...effect, document: { ...effect.document, template: 'receipt' } }, record, company, { seq: 1, now }), 5001, null],
    [() => executeRenderEffect({ ...effect, document: { ...effect.document, number_format: 'KP-{nope}' } }, record, company, { seq: 1, now }), 5005, null],
    [() => executeRenderEffect({ ...effect, document: { ...effect.document, record: 'deal-8' } }, record, company, { seq: 1, now }), 5003, 'record'],
  ];
  for (const [fn, code, path] of cases) {
    let e;
    try {
      fn();
    } catch (err) {
      e = err;
    }
    assert.ok(e instanceof VoronkaDocsError, `${fn}: ${e}`);
    assert.deepEqual([e.code, e.path], [code, path], e.message);
  }
});
