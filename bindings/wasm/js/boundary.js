// The error boundary of a wasm-bindgen module, shared by both npm packages (`voronka` and
// `voronka-docs`): scripts/lib/wasm.sh puts this file before each package's wrapper.

/**
 * A function that runs a raw call and converts what it throws: the JSON text of an error
 * report becomes an `ErrorClass`; a trap after a panic (recorded by the module's panic hook,
 * read with `raw.takePanic()`) becomes an `ErrorClass` with code 0 and kind `panic`.
 * @param {any} raw the wasm-bindgen module
 * @param {new (report: any) => Error} ErrorClass the package's error class
 * @param {string} library the library's name, for the panic message
 */
function errorBoundary(raw, ErrorClass, library) {
  function takePanic() {
    try {
      return raw.takePanic();
    } catch {
      return undefined;
    }
  }

  function toError(thrown) {
    if (typeof thrown === 'string') {
      try {
        return new ErrorClass(JSON.parse(thrown));
      } catch {
        return new ErrorClass({ code: 0, name: 'internal', message: thrown, details: null });
      }
    }
    const panic = takePanic();
    if (panic != null || thrown instanceof WebAssembly.RuntimeError) {
      return new ErrorClass({
        code: 0,
        name: 'panic',
        message: `${library} panicked (a bug; please report it): ${panic ?? String(thrown)}`,
        details: { panic: panic ?? null, cause: String(thrown) },
      });
    }
    return thrown;
  }

  return function call(fn) {
    try {
      return fn();
    } catch (e) {
      throw toError(e);
    }
  };
}
