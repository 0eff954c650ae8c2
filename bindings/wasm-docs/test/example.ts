// A TypeScript user of the package: checked by `tsc --noEmit` (scripts/test-wasm-docs), so the
// hand-written `index.d.ts` must describe the API precisely. `@ts-expect-error` lines check
// that wrong usage is refused.

import {
  VoronkaDocsError,
  documentText,
  executeRenderEffect,
  kinds,
  pngPreview,
  renderDocument,
  renderTemplate,
  sampleData,
  templateSource,
  type CompanyProfile,
  type DocumentKind,
  type ErrorReport,
  type ExecutedDocument,
  type RenderDocumentEffect,
} from 'voronka-docs';

const now = new Date('2026-11-27T09:00:00Z');
const kind: DocumentKind = kinds[0];
const pdf: Uint8Array = renderDocument('invoice', sampleData('invoice'), { now, lang: 'both' });
const png: Uint8Array = pngPreview(kind, sampleData(kind), { now: '2026-11-27T09:00:00Z', page: 0, scale: 2 });
const text: string = documentText('act', sampleData('act'), { now });
const own: Uint8Array = renderTemplate(templateSource('invoice'), sampleData('invoice'), {
  now,
  kind: 'invoice',
  files: { '/logo.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>', '/b.bin': new Uint8Array([1]) },
});

const company: CompanyProfile = { seller: { name: 'ООО «ЭкоПак»', address: 'Москва' }, utc_offset: '+03:00' };
declare const effect: RenderDocumentEffect;
const done: ExecutedDocument = executeRenderEffect(effect, {}, company, { seq: 1, now });
const number: string = done.number;

try {
  renderTemplate('#(', {}, { now });
} catch (e) {
  if (e instanceof VoronkaDocsError) {
    const line: number | null = e.line;
    const report: ErrorReport = e.toJSON();
    console.log(e.code, e.kind, e.path, line, e.column, report.details);
  }
}

// @ts-expect-error `now` is required: the library never reads the clock.
renderDocument('invoice', sampleData('invoice'), { lang: 'en' });
// @ts-expect-error not a bundled document.
renderDocument('receipt', {}, { now });
// @ts-expect-error languages are ru, en, both.
renderDocument('act', {}, { now, lang: 'de' });
// @ts-expect-error an effect needs the sequence value.
executeRenderEffect(effect, {}, company, { now });

export { pdf, png, text, own, number };
