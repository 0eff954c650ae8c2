// The deal-pipeline benchmark (issue 6): one workload — deals created, fields set, moved
// through every stage to won or lost, with rejected moves among them — run through
//   (a) the npm package `voronka`: its record store, batched and one call per command, each
//       returning the events ("full") or leaving them out of the results ("lean",
//       `{events: false}`), and the plain `Model.apply` that re-encodes the record on every call,
//   (b) XState v5 modelling the same stages, guards and actions,
//   (c) a hand-written JavaScript implementation,
// checking that all reach the same final states, and printing moves per second and ratios.
//
//   node benches/js/deal-pipeline.mjs [--deals N] [--runs R]
//
// Needs the package built (bindings/wasm/scripts/build.sh) and `npm ci` here (xstate).

import { performance } from 'node:perf_hooks';
import { Model, ecoPackagingDefinition } from '../../bindings/wasm/dist/node/index.mjs';
import { HandWrittenDeals } from './handwritten.mjs';
import { dealCommands, dealFunnelDefinition } from './workload.mjs';
import { XStateDeals } from './xstate-deals.mjs';

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const n = Number(process.argv[i + 1]);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} needs a positive integer`);
  return n;
}

const deals = option('deals', 2000);
const runs = option('runs', 5);
const BATCH = 1000;

const definition = dealFunnelDefinition(ecoPackagingDefinition());
const commands = dealCommands(deals);
const moves = commands.filter(([, c]) => c.action.type === 'move').length;
const ids = [...new Set(commands.map(([id]) => id))];

/**
 * Each implementation runs every command and returns the rejected count per deal, a way to
 * read the final states, and a way to free what it holds (called after the timing).
 */
const LEAN = { events: false };
const implementations = {
  'voronka Store.applyBatch (lean: no events)': () => storeBatch(LEAN),
  'voronka Store.applyBatch (full: with events)': () => storeBatch(undefined),
  'voronka Store.apply (lean: no events)': () => storeApply(LEAN),
  'voronka Store.apply (full: events, trace)': () => storeApply(undefined),
  'voronka Model.apply (record re-encoded per call)': () => {
    const model = Model.fromJSON(definition);
    const records = new Map();
    const rejected = new Map();
    for (const [id, command] of commands) {
      try {
        records.set(id, model.apply(records.get(id) ?? null, command).record);
      } catch (e) {
        if (e.code === undefined || e.code === 0) throw e;
        count(rejected, id);
      }
    }
    return { rejected, state: (id) => pick(records.get(id)), dispose: () => model.free() };
  },
  'XState v5': () => plain(new XStateDeals(definition)),
  'hand-written JS': () => plain(new HandWrittenDeals(definition)),
};

/** The record store, batches of `BATCH` commands; `options` as `applyBatch` takes them. */
function storeBatch(options) {
  const model = Model.fromJSON(definition);
  const store = model.store();
  model.free(); // the store keeps what it needs
  const rejected = new Map();
  for (let i = 0; i < commands.length; i += BATCH) {
    const chunk = commands.slice(i, i + BATCH);
    const results = store.applyBatch(chunk, options);
    for (let j = 0; j < results.length; j++) {
      if (!results[j].ok) count(rejected, chunk[j][0]);
    }
  }
  return { rejected, state: (id) => pick(store.get(id)), dispose: () => store.free() };
}

/** The record store, one call per command; `options` as `apply` takes them. */
function storeApply(options) {
  const model = Model.fromJSON(definition);
  const store = model.store();
  model.free(); // the store keeps what it needs
  const rejected = new Map();
  for (const [id, command] of commands) {
    try {
      store.apply(id, command, options);
    } catch (e) {
      if (e.code === undefined || e.code === 0) throw e;
      count(rejected, id);
    }
  }
  return { rejected, state: (id) => pick(store.get(id)), dispose: () => store.free() };
}

function plain(impl) {
  const rejected = new Map();
  for (const [id, command] of commands) {
    if (!impl.apply(id, command).ok) count(rejected, id);
  }
  return { rejected, state: (id) => impl.state(id), dispose: () => {} };
}

function count(map, id) {
  map.set(id, (map.get(id) ?? 0) + 1);
}

function pick(record) {
  return { stage: record.stage, version: record.version };
}

/** Final stage, version and rejected count of every deal, as one comparable string per deal. */
function finalStates({ rejected, state, dispose }) {
  const states = ids.map((id) => {
    const { stage, version } = state(id);
    return `${id} ${stage} v${version} rejected=${rejected.get(id) ?? 0}`;
  });
  dispose();
  return states;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// One checked run of each, which also warms them up.
const names = Object.keys(implementations);
const reference = finalStates(implementations['hand-written JS']());
for (const name of names) {
  const states = finalStates(implementations[name]());
  const differ = states.findIndex((s, i) => s !== reference[i]);
  if (differ >= 0) {
    console.error(`${name} disagrees with the hand-written JS: ${states[differ]} vs ${reference[differ]}`);
    process.exit(1);
  }
}
const totals = { won: 0, lost: 0, rejected: 0 };
for (const line of reference) {
  const [, stage, , rej] = line.split(' ');
  if (stage in totals) totals[stage]++;
  totals.rejected += Number(rej.split('=')[1]);
}
console.log(
  `${deals} deals, ${commands.length} commands (${moves} moves, ${totals.rejected} rejected): ` +
    `${totals.won} won, ${totals.lost} lost; all ${names.length} implementations agree on every deal's ` +
    `stage, version and rejected count`,
);

// Wall time, and the process's CPU time, which a busy machine disturbs less; the rates and
// ratios use the CPU time.
const wall = Object.fromEntries(names.map((n) => [n, []]));
const cpu = Object.fromEntries(names.map((n) => [n, []]));
for (let r = 0; r < runs; r++) {
  for (const name of names) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const run = implementations[name]();
    const c = process.cpuUsage(c0);
    cpu[name].push((c.user + c.system) / 1000);
    wall[name].push(performance.now() - t0);
    run.dispose();
  }
}
const ms = Object.fromEntries(names.map((n) => [n, median(cpu[n])]));
const rate = (n) => Math.round(moves / (ms[n] / 1000));
console.log(`median of ${runs} runs (moves/s counts move commands; the time includes creates and field sets):`);
console.log(`  ${'implementation'.padEnd(48)} ${'wall ms'.padStart(9)} ${'cpu ms'.padStart(9)} ${'moves/s'.padStart(10)}`);
for (const name of names) {
  console.log(
    `  ${name.padEnd(48)} ${median(wall[name]).toFixed(1).padStart(9)} ${ms[name].toFixed(1).padStart(9)} ${String(rate(name)).padStart(10)}` +
      `   ×${(ms['hand-written JS'] / ms[name]).toFixed(2)} of hand-written, ×${(ms['XState v5'] / ms[name]).toFixed(2)} of XState`,
  );
}
