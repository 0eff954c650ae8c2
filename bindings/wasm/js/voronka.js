// The hand-written part of the npm package `voronka`: a thin wrapper over the wasm-bindgen
// module. It only turns JS values into JSON text, JSON text back into JS values, and thrown
// error reports into `VoronkaError`s; all behaviour lives in the Rust core (`voronka::api`).
//
// scripts/build.sh wraps this file for each build: the Node build defines `raw` and `data` with
// `require`, the web build with `import` and `await init()`, then calls `bind(raw, data)`.

/**
 * Builds the public API over the raw wasm-bindgen exports.
 * @param {any} raw the wasm-bindgen module
 * @param {string} data the eco-packaging definition's JSON text (shipped beside the module)
 */
function bind(raw, data) {
  /** Only `Model.fromJSON`, `Model.ecoPackaging` create models. */
  const token = Symbol('voronka.Model');

  /** An error of the library: a decoding error, a definition problem or a rejected command. */
  class VoronkaError extends Error {
    /** @param {{code: number, name: string, path?: string, message: string, details: any}} report */
    constructor(report) {
      super(report.message);
      this.name = 'VoronkaError';
      /** The stable numeric code (`1xxx` decoding, `2xxx` definition, `3xxx` rejection; 0 a panic). */
      this.code = report.code;
      /** The stable name of the code, e.g. `missing_fields`. */
      this.kind = report.name;
      /** The JSON path of the bad part, or `null`. */
      this.path = report.path ?? null;
      /** Structured details: missing fields, invalid values, line and column, problems… */
      this.details = report.details;
      /** The error report exactly as the library gave it. */
      this.report = report;
    }

    /** The error report, so `JSON.stringify(err)` gives the library's JSON. */
    toJSON() {
      return this.report;
    }
  }

  /** A report made on this side of the boundary (an input that cannot become JSON). */
  function inputError(what, cause) {
    return new VoronkaError({
      code: 1002,
      name: 'invalid_shape',
      path: '',
      message: `${what} cannot be encoded as JSON: ${cause}`,
      details: {},
    });
  }

  function lang(value) {
    return value === 'ru' ? 'ru' : 'en';
  }

  /** JSON text of a JS value; `undefined` (and functions) become `null`, which the core rejects with a path. */
  function encode(value, what) {
    let text;
    try {
      text = JSON.stringify(value);
    } catch (e) {
      throw inputError(what, e && e.message ? e.message : String(e));
    }
    return text === undefined ? 'null' : text;
  }

  /**
   * Runs `make` with V8's stack traces off (`Error.stackTraceLimit`, where there is one). A
   * batch's rejections are results, not throws: their errors have no useful stack, and
   * capturing one was most of the cost of making them.
   */
  function withoutStackTraces(make) {
    const limit = Error.stackTraceLimit;
    if (typeof limit !== 'number') return make();
    try {
      Error.stackTraceLimit = 0;
    } catch {
      return make();
    }
    try {
      return make();
    } finally {
      Error.stackTraceLimit = limit;
    }
  }

  /** A definition given as an object or as JSON text. */
  function definitionText(definition) {
    return typeof definition === 'string' ? definition : encode(definition, 'the definition');
  }

  /** Runs a raw call, converting what it throws into `VoronkaError`s (see boundary.js). */
  const call = errorBoundary(raw, VoronkaError, 'voronka');

  /** A string argument, or a `VoronkaError` naming it. */
  function text(value, path, what) {
    if (typeof value !== 'string') {
      throw new VoronkaError({
        code: 1002,
        name: 'invalid_shape',
        path,
        message: `${path}: invalid type: expected ${what} as a string, got ${value === null ? 'null' : typeof value}`,
        details: {},
      });
    }
    return value;
  }

  const stageCode = (stage) => text(stage, 'stage', 'a stage code');
  const recordId = (id) => text(id, 'id', 'a record id');

  /** A report of a bad option or argument, with its path. */
  function shapeError(path, message) {
    return new VoronkaError({ code: 1002, name: 'invalid_shape', path, message: `${path}: ${message}`, details: {} });
  }

  /** Whether a store call returns the events: `options.events`, `true` unless `false`. */
  function withEvents(options) {
    if (options === undefined) return true;
    if (options === null || typeof options !== 'object') throw shapeError('options', 'expected an object');
    const events = options.events;
    if (events !== undefined && typeof events !== 'boolean') {
      throw shapeError('options.events', `invalid type: expected a boolean, got ${events === null ? 'null' : typeof events}`);
    }
    return events !== false;
  }

  /** A compiled definition: validated once, then used for any number of commands. */
  class Model {
    #inner;
    #text;
    #definition;

    /** @private Use `Model.fromJSON` or `Model.ecoPackaging`. */
    constructor(key, inner, text, language) {
      if (key !== token) {
        throw new TypeError('use Model.fromJSON(definition) or Model.ecoPackaging()');
      }
      this.#inner = inner;
      this.#text = text;
      /** The language of error messages: `"en"` (default) or `"ru"`. */
      this.lang = language;
    }

    /**
     * Compiles a definition (an object or JSON text); throws a `VoronkaError` listing every problem.
     * `options.limits` overrides the default limits (sizes, nesting, events, steps, timers per tick).
     */
    static fromJSON(definition, options = {}) {
      const text = definitionText(definition);
      const language = lang(options.lang);
      const modelOptions = options.limits === undefined ? undefined : encode({ limits: options.limits }, 'the options');
      const inner = call(() => new raw.WasmModel(text, modelOptions, language));
      return new Model(token, inner, text, language);
    }

    /** The built-in eco-packaging example: lead funnel L1–L7 and deal funnel D1–D14. */
    static ecoPackaging(options = {}) {
      return Model.fromJSON(data, options);
    }

    /** Every problem of a definition (empty when it compiles); never throws for a bad definition. */
    static check(definition, options = {}) {
      return check(definition, options);
    }

    /** The definition this model was compiled from, as a plain object. */
    get definition() {
      if (this.#definition === undefined) this.#definition = JSON.parse(this.#text);
      return this.#definition;
    }

    /** Applies a command to a record (`null` to create one): `{record, events, effects, trace}`. */
    apply(record, command) {
      const recordText = record == null ? null : encode(record, 'the record');
      const commandText = encode(command, 'the command');
      return JSON.parse(call(() => this.#live.apply(recordText, commandText, lang(this.lang))));
    }

    /**
     * Decides a command against a record (`null` to create one) without applying it:
     * `{events, effects, trace}` (throws a `VoronkaError` when rejected). Append the events
     * to your log; `replay(log)` turns it into the record (`apply` decides and applies at once).
     */
    decide(record, command) {
      const recordText = record == null ? null : encode(record, 'the record');
      const commandText = encode(command, 'the command');
      return JSON.parse(call(() => this.#live.decide(recordText, commandText, lang(this.lang))));
    }

    /** What entering `stage` needs from the record: `{stage, stage_label, move_allowed, missing}`. */
    requirements(record, stage) {
      const recordText = encode(record, 'the record');
      const code = stageCode(stage);
      return JSON.parse(call(() => this.#live.requirements(recordText, code, lang(this.lang))));
    }

    /** The stage codes the record may move to now. */
    nextStages(record) {
      const recordText = encode(record, 'the record');
      return JSON.parse(call(() => this.#live.nextStages(recordText, lang(this.lang))));
    }

    /** The form of task `code` of `automation` in `pipeline` (the record's): its questions. */
    taskForm(pipeline, automation, code) {
      for (const [path, value] of [['pipeline', pipeline], ['automation', automation], ['code', code]]) {
        if (typeof value !== 'string') throw shapeError(path, `invalid type: expected a string, got ${value === null ? 'null' : typeof value}`);
      }
      return JSON.parse(this.#live.taskForm(pipeline, automation, code));
    }

    /** When to tick the record next (RFC 3339), or `null` when no timer is pending. */
    nextDue(record) {
      return nextDue(record, { lang: this.lang });
    }

    /** Fires the timers due at `now`: applies a `tick` command. */
    tick(record, now, actor = { user: 'system', roles: [] }) {
      return this.apply(record, { actor, now, action: { type: 'tick' } });
    }

    /** Rebuilds a record from its events; `null` when they do not start with `created`. */
    replay(events) {
      return replay(events, { lang: this.lang });
    }

    /** The normalized keys to look up a lead's existing contact and company. */
    duplicateKeys(record) {
      return duplicateKeys(record, { lang: this.lang });
    }

    /** A record store over this model: records kept inside the module, addressed by id. */
    store() {
      return new Store(token, new raw.WasmStore(this.#live), this);
    }

    /** Frees the compiled model now (it is also freed when garbage-collected); later calls throw. */
    free() {
      if (this.#inner === null) return;
      this.#inner.free();
      this.#inner = null;
    }

    /** The raw model; a TypeError once freed. */
    get #live() {
      if (this.#inner === null) throw new TypeError('this voronka Model was freed');
      return this.#inner;
    }
  }

  /**
   * Records kept inside the module by id. Commands cross the boundary without the record and
   * come back as what happened (`{ok, version, stage, events, effects}`), which is the fast
   * path for hosts that run many commands. The store keeps snapshots only: a host that keeps
   * an event log appends the `events` of each result. With `{events: false}` the events are
   * left out, the fastest path. A rejected command leaves the record as it was.
   */
  class Store {
    #inner;
    #model;

    /** @private Use `model.store()`. */
    constructor(key, inner, model) {
      if (key !== token) throw new TypeError('use model.store()');
      this.#inner = inner;
      this.#model = model;
    }

    /**
     * Applies a command to the record `id` (absent: the command creates it, with that id):
     * `{ok, version, stage, events, effects, trace}`, or `{ok, version, stage, effects}` with
     * `{events: false}`.
     */
    apply(id, command, options) {
      const events = withEvents(options);
      const commandText = encode(command, 'the command');
      const key = recordId(id);
      return JSON.parse(call(() => this.#live.apply(key, commandText, lang(this.#model.lang), events)));
    }

    /**
     * Applies `[id, command]` pairs in order in one call; returns, for each, what `apply`
     * returns (without the trace) or `{ok: false, error}` with a `VoronkaError` (without a
     * stack trace: it was not thrown). With `{events: false}` a result is `{ok, version,
     * stage, effects}`.
     */
    applyBatch(batch, options) {
      const events = withEvents(options);
      if (!Array.isArray(batch)) throw inputError('the batch', 'not an array of [id, command] pairs');
      const text = encode(batch, 'the batch');
      const results = JSON.parse(call(() => this.#live.applyBatch(text, lang(this.#model.lang), events)));
      withoutStackTraces(() => {
        for (const r of results) {
          if (!r.ok) r.error = new VoronkaError(r.error);
        }
      });
      return results;
    }

    /** The stored record `id`, or `null`. */
    get(id) {
      const text = this.#live.get(recordId(id));
      return text === undefined ? null : JSON.parse(text);
    }

    /** Stores a record (as saved by the host) under its own id, replacing one with that id; returns the id. */
    put(record) {
      const text = encode(record, 'the record');
      return call(() => this.#live.put(text, lang(this.#model.lang)));
    }

    /** Removes the record `id`; `true` when there was one. */
    delete(id) {
      return this.#live.remove(recordId(id));
    }

    /** Whether a record `id` is stored. */
    has(id) {
      return this.#live.has(recordId(id));
    }

    /** The ids of the stored records, sorted. */
    ids() {
      return JSON.parse(this.#live.ids());
    }

    /** How many records are stored. */
    get size() {
      return this.#live.size;
    }

    /** Frees the store and its records now (also done when garbage-collected); later calls throw. */
    free() {
      if (this.#inner === null) return;
      this.#inner.free();
      this.#inner = null;
    }

    /** The raw store; a TypeError once freed. */
    get #live() {
      if (this.#inner === null) throw new TypeError('this voronka Store was freed');
      return this.#inner;
    }
  }

  /** Every problem of a definition: `[{code, name, path, message}]`, empty when it compiles. */
  function check(definition, options = {}) {
    const text = definitionText(definition);
    return JSON.parse(call(() => raw.check(text, lang(options.lang))));
  }

  /** When to tick the record next (RFC 3339), or `null`. */
  function nextDue(record, options = {}) {
    const text = encode(record, 'the record');
    return JSON.parse(call(() => raw.nextDue(text, lang(options.lang))));
  }

  /** Rebuilds a record from its events; `null` when they do not start with `created`. */
  function replay(events, options = {}) {
    const text = encode(events, 'the events');
    return JSON.parse(call(() => raw.replay(text, lang(options.lang))));
  }

  /** The normalized keys to look up a lead's existing contact and company. */
  function duplicateKeys(record, options = {}) {
    const text = encode(record, 'the record');
    return JSON.parse(call(() => raw.duplicateKeys(text, lang(options.lang))));
  }

  /** The eco-packaging definition as a plain object. */
  function ecoPackagingDefinition() {
    return JSON.parse(data);
  }

  /** Every error code of the core, in increasing order: `[{code, name, description}]` (a fresh array). */
  function errorCodes() {
    return JSON.parse(raw.errorCodes());
  }

  /** The version of the voronka core in this package. */
  function version() {
    return raw.version();
  }

  return {
    Model,
    Store,
    VoronkaError,
    check,
    nextDue,
    replay,
    duplicateKeys,
    ecoPackagingDefinition,
    errorCodes,
    version,
    /** @internal for the package's own tests */
    __panicForTests: () => call(() => raw.__panicForTests()),
  };
}
