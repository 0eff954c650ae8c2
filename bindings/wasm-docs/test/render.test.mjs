// The bundled documents rendered in Node: byte-identical to the Rust build (the golden
// SHA-256 of the Rust tests), markup in data printed literally, templates of one's own.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  kinds, sampleData, templateSource, renderDocument, renderTemplate, pngPreview, documentText,
  VoronkaDocsError, version,
} from 'voronka-docs';

const now = '2026-11-27T09:00:00Z';
const langs = ['ru', 'en', 'both'];
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/** The golden hashes of crates/voronka-docs/tests/docs.rs (`golden_pdf_hashes`). */
const golden = new Map(
  readFileSync(new URL('../../../crates/voronka-docs/tests/golden/pdf-sha256.txt', import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line.includes(' '))
    .map((line) => line.split(' ')),
);

test('the seven bundled kinds', () => {
  assert.deepEqual([...kinds].sort(), ['act', 'cmr', 'commercial_offer', 'invoice', 'packing_list', 'specification', 'waybill']);
  assert.ok(Object.isFrozen(kinds));
  assert.match(version(), /^\d+\.\d+\.\d+/);
});

test('every kind in every language gives the PDF bytes of the Rust build', () => {
  assert.equal(golden.size, kinds.length * langs.length);
  for (const kind of kinds) {
    for (const lang of langs) {
      const pdf = renderDocument(kind, sampleData(kind), { now, lang });
      assert.ok(pdf instanceof Uint8Array);
      assert.equal(Buffer.from(pdf.subarray(0, 5)).toString(), '%PDF-');
      assert.equal(sha256(pdf), golden.get(`${kind}-${lang}`), `${kind}-${lang}`);
    }
  }
});

test('now may be a Date; the default language is Russian', () => {
  const pdf = renderDocument('invoice', sampleData('invoice'), { now: new Date(now) });
  assert.equal(sha256(pdf), golden.get('invoice-ru'));
});

test('the bundled template rendered as a template of one\'s own gives the same bytes', () => {
  const pdf = renderTemplate(templateSource('act'), sampleData('act'), { now, lang: 'en', kind: 'act' });
  assert.equal(sha256(pdf), golden.get('act-en'));
});

test('markup and code in the data print literally', () => {
  const nasty = ['Café *Bold* #exit()', '#panic("x")', '$x^2$', '<label> @ref', '// not a comment', '\\ ] ) }'];
  const data = sampleData('invoice');
  data.buyer.name = nasty[0];
  // One line item per piece, so that none is wrapped across lines.
  data.items = nasty.slice(1).map((name) => ({ ...data.items[0], name, name_en: undefined }));
  for (const lang of ['ru', 'en']) {
    const text = documentText('invoice', data, { now, lang });
    for (const piece of nasty) assert.ok(text.includes(piece), `${lang}: ${piece}\n${text}`);
  }
  assert.equal(Buffer.from(renderDocument('invoice', data, { now }).subarray(0, 5)).toString(), '%PDF-');
});

test('the text follows the data and the language', () => {
  const data = sampleData('invoice');
  assert.ok(documentText('invoice', data, { now, lang: 'ru' }).includes('СЧЁТ НА ОПЛАТУ'));
  assert.ok(documentText('invoice', data, { now, lang: 'en' }).includes('INVOICE'));
  assert.ok(!documentText('invoice', data, { now, lang: 'en' }).includes('СЧЁТ НА ОПЛАТУ'));
  assert.ok(documentText('invoice', data, { now }).includes(data.number));
});

test('a template of one\'s own with any data and its own files', () => {
  const source = '#import "/parts.typ": greet\n#let d = json("/data.json")\n#greet(d.name) today is #datetime.today().display().';
  const files = { '/parts.typ': '#let greet(name) = [Hello, #name!]' };
  const pdf = renderTemplate(source, { name: '[world] *x*' }, { now: '2026-01-02T03:04:05Z', files });
  assert.equal(Buffer.from(pdf.subarray(0, 5)).toString(), '%PDF-');
  // Deterministic: the same input gives the same bytes; other data other bytes.
  assert.equal(sha256(renderTemplate(source, { name: '[world] *x*' }, { now: '2026-01-02T03:04:05Z', files })), sha256(pdf));
  assert.notEqual(sha256(renderTemplate(source, { name: 'other' }, { now: '2026-01-02T03:04:05Z', files })), sha256(pdf));
  // Files as bytes work the same as text.
  const bytes = { '/parts.typ': new TextEncoder().encode(files['/parts.typ']) };
  assert.equal(sha256(renderTemplate(source, { name: '[world] *x*' }, { now: '2026-01-02T03:04:05Z', files: bytes })), sha256(pdf));
});

test('a PNG preview of any page', () => {
  const png = pngPreview('cmr', sampleData('cmr'), { now, lang: 'both', scale: 0.5 });
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  // Width in the IHDR chunk: an A4 page is 595 pt wide, so about 298 pixels at 0.5.
  const width = new DataView(png.buffer, png.byteOffset).getUint32(16);
  assert.ok(width > 280 && width < 310, `width ${width}`);
  assert.throws(() => pngPreview('cmr', sampleData('cmr'), { now, page: 99 }),
    (e) => e instanceof VoronkaDocsError && e.code === 5006 && e.details.page === 99);
});

test('the CommonJS build is the same API', () => {
  const require = createRequire(import.meta.url);
  const cjs = require('voronka-docs');
  assert.equal(cjs.renderDocument, renderDocument);
  assert.equal(cjs.VoronkaDocsError, VoronkaDocsError);
  assert.equal(cjs.default.kinds, kinds);
});
