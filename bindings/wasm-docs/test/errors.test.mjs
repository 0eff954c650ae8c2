// Bad input gives a VoronkaDocsError with the stable code, the name and the path (and for a
// template the line, column and typst's message); a panic is an error too, and the module
// keeps working after it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import docs, { renderDocument, renderTemplate, sampleData, templateSource, VoronkaDocsError } from 'voronka-docs';

const now = '2026-11-27T09:00:00Z';

/** The VoronkaDocsError `fn` throws. */
function error(fn) {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof VoronkaDocsError, `not a VoronkaDocsError: ${e}`);
    assert.ok(e instanceof Error);
    assert.equal(e.name, 'VoronkaDocsError');
    assert.deepEqual(JSON.parse(JSON.stringify(e)), e.report);
    return e;
  }
  assert.fail('did not throw');
}

test('a template with a syntax error: code 5002 with file, line, column and typst\'s message', () => {
  const source = '= Title\nSome text\n#let x = (1, 2\nmore';
  const e = error(() => renderTemplate(source, {}, { now }));
  assert.equal(e.code, 5002);
  assert.equal(e.kind, 'template_error');
  assert.equal(e.file, '/main.typ');
  assert.equal(e.path, '/main.typ');
  assert.equal(e.line, 3);
  assert.equal(typeof e.column, 'number');
  assert.ok(e.column >= 1);
  assert.equal(typeof e.details.message, 'string');
  assert.ok(e.details.message.length > 0);
  assert.ok(Array.isArray(e.details.hints));
  assert.ok(e.message.includes(e.details.message));
  assert.match(e.message, /line 3, column \d+/);
});

test('a template that fails while evaluating: the position of the failing call', () => {
  const source = '#let d = json("/data.json")\n\n  #d.missing_key';
  const e = error(() => renderTemplate(source, { present: 1 }, { now }));
  assert.equal(e.code, 5002);
  assert.deepEqual([e.line, e.column], [3, 6]); // at `missing_key`
  assert.match(e.details.message, /missing_key/);
});

test('a field of the wrong type names its path', () => {
  const data = sampleData('invoice');
  data.items[1].quantity = 'many';
  const e = error(() => renderDocument('invoice', data, { now }));
  assert.equal(e.code, 5003);
  assert.equal(e.kind, 'invalid_data');
  assert.equal(e.path, 'items[1].quantity');
});

test('a missing property names its path', () => {
  const data = sampleData('invoice');
  delete data.seller.address;
  const e = error(() => renderDocument('invoice', data, { now }));
  assert.equal(e.code, 5003);
  assert.equal(e.path, 'seller');
  assert.match(e.message, /address/);
});

test('data that is not an object, or not JSON at all', () => {
  assert.equal(error(() => renderDocument('invoice', 'text', { now })).code, 5003);
  assert.equal(error(() => renderDocument('invoice', undefined, { now })).code, 5003);
  const e = error(() => renderDocument('invoice', { n: 10n }, { now }));
  assert.deepEqual([e.code, e.path], [5003, 'data']);
  const cyclic = {};
  cyclic.self = cyclic;
  assert.deepEqual([error(() => renderTemplate('x', cyclic, { now })).path], ['data']);
});

test('an unknown kind: code 5001', () => {
  const e = error(() => renderDocument('receipt', {}, { now }));
  assert.deepEqual([e.code, e.kind], [5001, 'unknown_template']);
  assert.equal(error(() => sampleData('receipt')).code, 5001);
  assert.equal(error(() => templateSource('receipt')).code, 5001);
  assert.equal(error(() => renderTemplate('x', {}, { now, kind: 'receipt' })).code, 5001);
});

test('arguments and options of the wrong type', () => {
  const data = sampleData('act');
  const cases = [
    [() => renderDocument(42, data, { now }), 'kind'],
    [() => renderTemplate(null, data, { now }), 'source'],
    [() => renderDocument('act', data), 'options.now'],
    [() => renderDocument('act', data, {}), 'options.now'],
    [() => renderDocument('act', data, { now: 'yesterday' }), 'options.now'],
    [() => renderDocument('act', data, { now: 1764234000000 }), 'options.now'],
    [() => renderDocument('act', data, { now, lang: 'de' }), 'options.lang'],
    [() => renderDocument('act', data, { now, language: 'en' }), 'options.language'],
    [() => renderDocument('act', data, 'ru'), 'options'],
    [() => renderTemplate('x', {}, { now, files: { '/a.typ': 5 } }), 'options.files["/a.typ"]'],
    [() => renderTemplate('x', {}, { now, files: [] }), 'options.files'],
  ];
  for (const [fn, path] of cases) {
    const e = error(fn);
    assert.deepEqual([e.code, e.kind, e.path], [5003, 'invalid_data', path], e.message);
  }
});

test('an amount too large to write in words: code 5004', () => {
  const data = sampleData('invoice');
  data.items[0].price = '999999999999999999';
  const e = error(() => renderDocument('invoice', data, { now }));
  assert.equal(e.code, 5004);
  assert.equal(e.kind, 'amount_out_of_range');
});

test('a panic surfaces as a VoronkaDocsError and the module keeps working', () => {
  const e = error(() => docs.__panicForTests());
  assert.deepEqual([e.code, e.kind], [0, 'panic']);
  assert.match(e.message, /deliberate panic for the binding's tests/);
  const pdf = renderDocument('act', sampleData('act'), { now });
  assert.equal(Buffer.from(pdf.subarray(0, 5)).toString(), '%PDF-');
});
