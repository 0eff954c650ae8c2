// The CommonJS types (index.d.cts), as `require('voronka')` sees them.
import voronka = require('voronka');

const model: voronka.Model = voronka.Model.ecoPackaging();
const record: voronka.Record | null = model.replay([]);
const sameApi: typeof voronka.Model = voronka.default.Model;
const isError = (e: unknown): e is voronka.VoronkaError => e instanceof voronka.VoronkaError;
export = { model, record, sameApi, isError };
