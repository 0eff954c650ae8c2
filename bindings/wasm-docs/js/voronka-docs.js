// The hand-written part of the npm package `voronka-docs`: a thin wrapper over the
// wasm-bindgen module of voronka-docs. It encodes JS values as JSON text, returns PDF and
// PNG bytes as `Uint8Array`s, and turns thrown error reports into `VoronkaDocsError`s; all
// behaviour lives in the Rust crate.
//
// scripts/build.sh wraps this file for each build: the Node build defines `raw` with
// `require`, the web build with `import` and `await init()`, then calls `bind(raw)`.

/**
 * Builds the public API over the raw wasm-bindgen exports.
 * @param {any} raw the wasm-bindgen module
 */
function bind(raw) {
  /** An error of voronka-docs: bad data, a template that does not compile, a missing record field… */
  class VoronkaDocsError extends Error {
    /** @param {{code: number, name: string, message: string, path?: string | null, details: any}} report */
    constructor(report) {
      super(report.message);
      this.name = 'VoronkaDocsError';
      /** The stable numeric code (5001–5099; 0 a panic). */
      this.code = report.code;
      /** The stable name of the code, e.g. `template_error`. */
      this.kind = report.name;
      /** Where: the data path (`items[2].quantity`), the record field, or the template's file; or `null`. */
      this.path = report.path ?? null;
      const details = report.details ?? {};
      /** For a template error: the file, one-based line and column (when typst gave them), else `null`. */
      this.file = report.name === 'template_error' ? details.file ?? null : null;
      this.line = report.name === 'template_error' ? details.line ?? null : null;
      this.column = report.name === 'template_error' ? details.column ?? null : null;
      /** The error's fields (for a template error: `file`, `line`, `column`, typst's `message`, `hints`). */
      this.details = details;
      /** The error report exactly as the library gave it. */
      this.report = report;
    }

    /** The error report, so `JSON.stringify(err)` gives the library's JSON. */
    toJSON() {
      return this.report;
    }
  }

  /** A report made on this side of the boundary: an argument of the wrong type. */
  function invalid(path, message) {
    return new VoronkaDocsError({
      code: 5003,
      name: 'invalid_data',
      path,
      message: `invalid data at \`${path}\`: ${message}`,
      details: { message },
    });
  }

  function describe(value) {
    return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
  }

  /** JSON text of a JS value; `undefined` becomes `null`, which the library rejects with a path. */
  function encode(value, what) {
    let text;
    try {
      text = JSON.stringify(value);
    } catch (e) {
      throw invalid(what, `cannot be encoded as JSON: ${e && e.message ? e.message : String(e)}`);
    }
    return text === undefined ? 'null' : text;
  }

  function string(value, what) {
    if (typeof value !== 'string') throw invalid(what, `expected a string, got ${describe(value)}`);
    return value;
  }

  /** The options as JSON text, without `files` (bytes travel separately). */
  function optionsText(options) {
    if (options === undefined) return '{}';
    if (options === null || typeof options !== 'object' || Array.isArray(options)) {
      throw invalid('options', `expected an object such as { now, lang }, got ${describe(options)}`);
    }
    const { files, ...rest } = options;
    return encode(rest, 'options');
  }

  /** `{ '/logo.png': bytes | text }` as the three arrays the module takes. */
  function filesOf(files) {
    const paths = [];
    const sizes = [];
    const parts = [];
    if (files === undefined) return [paths, sizes, new Uint8Array(0)];
    if (files === null || typeof files !== 'object' || Array.isArray(files)) {
      throw invalid('options.files', `expected an object of path → bytes, got ${describe(files)}`);
    }
    for (const [path, content] of Object.entries(files)) {
      let bytes;
      if (typeof content === 'string') bytes = new TextEncoder().encode(content);
      else if (content instanceof Uint8Array) bytes = content;
      else if (content instanceof ArrayBuffer) bytes = new Uint8Array(content);
      else {
        throw invalid(`options.files[${JSON.stringify(path)}]`,
          `expected a Uint8Array, an ArrayBuffer or a string, got ${describe(content)}`);
      }
      paths.push(path);
      sizes.push(bytes.length);
      parts.push(bytes);
    }
    const all = new Uint8Array(sizes.reduce((a, b) => a + b, 0));
    let at = 0;
    for (const part of parts) {
      all.set(part, at);
      at += part.length;
    }
    return [paths, sizes, all];
  }

  /** Runs a raw call, converting what it throws into `VoronkaDocsError`s (see boundary.js). */
  const call = errorBoundary(raw, VoronkaDocsError, 'voronka-docs');

  /** Renders a bundled document (`kind`, e.g. `"invoice"`) from its data; returns the PDF. */
  function renderDocument(kind, data, options) {
    const args = [string(kind, 'kind'), encode(data, 'data'), optionsText(options)];
    return call(() => raw.renderDocument(...args));
  }

  /** One page of a bundled document as PNG (`page`, default 0; `scale` pixels per point, default 1). */
  function pngPreview(kind, data, options) {
    const args = [string(kind, 'kind'), encode(data, 'data'), optionsText(options)];
    return call(() => raw.pngPreview(...args));
  }

  /** The text of a rendered bundled document, one text run per line (for indexing and tests). */
  function documentText(kind, data, options) {
    const args = [string(kind, 'kind'), encode(data, 'data'), optionsText(options)];
    return call(() => raw.documentText(...args));
  }

  /**
   * Renders typst source of one's own; returns the PDF. With `options.kind` the data is that
   * bundled document's (checked and prepared as for the bundled template), otherwise any JSON.
   */
  function renderTemplate(source, data, options) {
    const args = [string(source, 'source'), encode(data, 'data'), optionsText(options)];
    const files = filesOf(options?.files);
    return call(() => raw.renderTemplate(...args, ...files));
  }

  /**
   * Executes a `render_document` effect of the core package for a record, with the host's
   * company profile and its next sequence value: `{ number, kind, pdf }`.
   */
  function executeRenderEffect(effect, record, company, options) {
    const args = [encode(effect, 'effect'), encode(record, 'record'), encode(company, 'company'),
      optionsText(options)];
    const done = call(() => raw.executeRenderEffect(...args));
    try {
      return { number: done.number, kind: done.kind, pdf: done.pdf };
    } finally {
      done.free();
    }
  }

  /** The reference data of a bundled document, as a plain object. */
  function sampleData(kind) {
    const code = string(kind, 'kind');
    return JSON.parse(call(() => raw.sampleData(code)));
  }

  /** The typst source of a bundled template, to start a template of one's own from. */
  function templateSource(kind) {
    const code = string(kind, 'kind');
    return call(() => raw.templateSource(code));
  }

  /** The version of voronka-docs in this package. */
  function version() {
    return raw.version();
  }

  /** The codes of the bundled documents. */
  const kinds = Object.freeze(raw.kinds());

  return {
    VoronkaDocsError,
    renderDocument,
    pngPreview,
    documentText,
    renderTemplate,
    executeRenderEffect,
    kinds,
    sampleData,
    templateSource,
    version,
    /** @internal for the package's own tests */
    __panicForTests: () => call(() => raw.__panicForTests()),
  };
}
