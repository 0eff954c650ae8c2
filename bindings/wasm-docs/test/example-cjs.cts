// The CommonJS types (index.d.cts), as `require('voronka-docs')` sees them.
import docs = require('voronka-docs');

const pdf: Uint8Array = docs.renderDocument('act', docs.sampleData('act'), { now: new Date() });
const same: typeof docs.renderDocument = docs.default.renderDocument;
const isError = (e: unknown): e is docs.VoronkaDocsError => e instanceof docs.VoronkaDocsError;
export = { pdf, same, isError };
