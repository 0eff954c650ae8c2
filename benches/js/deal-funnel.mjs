// The deal-funnel benchmark (issue 15): the eco-packaging deal funnel with its task and
// reminder automations (workload.mjs), 10 000 and 100 000 deals, run interleaved through
//   (1) npm `Store.applyBatch` lean ({events: false}), (2) npm `Store.apply` per command (lean),
//   (3) npm `Model.apply` with the records kept by the host as plain objects,
//   (4) XState v5 actors, (5) hand-written JS,
// checking that all reach the same checksum (final stages, tasks created, cancelled and still
// open, reminders fired, deadlines, rejections), and measuring memory per live deal.
//
//   node --expose-gc benches/js/deal-funnel.mjs [--deals 10000[,100000]] [--rounds 3[,1]]
//     [--memory-deals 100000] [--skip-memory] [--all]
//
// Above 20 000 deals `Model.apply` is left out
// unless `--all` (it alone would take minutes; its per-command cost does not depend on the
// number of deals). Timed rounds of 100 000 deals are not the default: filling a fresh store
// while the JS heap holds all their commands is slow (see the README).
//
// Needs the package built (bindings/wasm/scripts/build.sh) and `npm ci` here (xstate).

import { performance } from 'node:perf_hooks';

// The package does not export its wasm memory: keep a reference to the instance it makes.
const instances = [];
WebAssembly.Instance = new Proxy(WebAssembly.Instance, {
  construct(target, args) {
    const instance = Reflect.construct(target, args);
    instances.push(instance);
    return instance;
  },
});
const { Model, ecoPackagingDefinition } = await import('../../bindings/wasm/dist/node/index.mjs');
const { HandWrittenDeals } = await import('./handwritten.mjs');
const { XStateDeals } = await import('./xstate-deals.mjs');
const { dealFunnelDefinition, dealScripts, waves } = await import('./workload.mjs');
const wasmMemory = () => instances.find((i) => i.exports.memory)?.exports.memory.buffer.byteLength ?? NaN;

function list(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const xs = process.argv[i + 1].split(',').map(Number);
  if (!xs.every((n) => Number.isInteger(n) && n > 0)) throw new Error(`--${name} needs positive integers`);
  return xs;
}
const sizes = list('deals', [10_000]);
const rounds = list('rounds', [3, 1]);
const BATCH = 1000;
const definition = dealFunnelDefinition(ecoPackagingDefinition());
const t0 = performance.now();
const log = (s) => console.log(`[${((performance.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${s}`);

/**
 * What the host keeps and counts, the same for every implementation: the open tasks by deal
 * and code (learned from `create_task` effects, forgotten on `close_task`), to fill in the
 * task id of a `complete_task`; and the counts of the checksum.
 */
class Host {
  constructor() {
    this.tasks = new Map();
    this.created = 0;
    this.cancelled = 0;
    this.done = 0;
    this.fired = 0;
    this.rejected = 0;
    this.deadlines = 0;
  }

  /** The command of a step, with the id of the open task it completes. */
  command(id, step) {
    const a = step.action;
    if (a.type !== 'complete_task') return step;
    const task = this.tasks.get(id)?.get(a.code);
    if (task === undefined) throw new Error(`${id}: no open task ${a.code}`);
    return { actor: step.actor, now: step.now, action: { type: 'complete_task', task, answers: a.answers } };
  }

  /** Takes in the result of a step: effects carried out (here: counted and indexed). */
  result(id, step, ok, effects) {
    if (!ok) {
      this.rejected++;
      return;
    }
    if (step.action.type === 'tick' && effects.length > 0) this.fired++; // a reminder creates its task
    for (const e of effects) {
      if (e.type === 'create_task') {
        let open = this.tasks.get(id);
        if (open === undefined) this.tasks.set(id, (open = new Map()));
        open.set(e.task.code, e.task.id);
        this.created++;
        if (e.task.deadline != null) this.deadlines = (this.deadlines + Date.parse(e.task.deadline) / 60_000) % 1e9;
      } else if (e.type === 'close_task') {
        const open = this.tasks.get(id);
        for (const [code, task] of open) if (task === e.task) open.delete(code);
        if (e.status === 'cancelled') this.cancelled++;
        else this.done++;
      }
    }
  }
}

const LEAN = { events: false };

/** Each implementation: runs the waves, returns the host and a reader of final states. */
const implementations = {
  'npm Store.applyBatch (lean)': (ws) => {
    const store = storeOf();
    const host = new Host();
    for (const wave of ws) {
      for (let i = 0; i < wave.length; i += BATCH) {
        const chunk = wave.slice(i, i + BATCH);
        const batch = chunk.map(([id, step]) => [id, host.command(id, step)]);
        const results = store.applyBatch(batch, LEAN);
        for (let j = 0; j < results.length; j++) {
          const r = results[j];
          host.result(chunk[j][0], chunk[j][1], r.ok, r.ok ? r.effects : null);
        }
      }
    }
    return { host, state: (id) => recordState(store.get(id)), dispose: () => store.free() };
  },
  'npm Store.apply (lean)': (ws) => {
    const store = storeOf();
    const host = new Host();
    for (const wave of ws) {
      for (const [id, step] of wave) {
        let r;
        try {
          r = store.apply(id, host.command(id, step), LEAN);
        } catch (e) {
          if (e.code === undefined || e.code < 3000) throw e;
          host.result(id, step, false);
          continue;
        }
        host.result(id, step, true, r.effects);
      }
    }
    return { host, state: (id) => recordState(store.get(id)), dispose: () => store.free() };
  },
  'npm Model.apply (JSON records)': (ws) => {
    const model = Model.fromJSON(definition);
    const records = new Map();
    const host = new Host();
    let fired = 0;
    for (const wave of ws) {
      for (const [id, step] of wave) {
        let r;
        try {
          r = model.apply(records.get(id) ?? null, host.command(id, step));
        } catch (e) {
          if (e.code === undefined || e.code < 3000) throw e;
          host.result(id, step, false);
          continue;
        }
        records.set(id, r.record);
        for (const e of r.events) if (e.type === 'timer_cleared' && e.fired) fired++;
        host.result(id, step, true, r.effects);
      }
    }
    host.firedByEvents = fired;
    return { host, state: (id) => recordState(records.get(id)), dispose: () => model.free() };
  },
  'XState v5 actors': (ws) => plain(new XStateDeals(definition), ws),
  'hand-written JS': (ws) => plain(new HandWrittenDeals(definition), ws),
};

function storeOf() {
  const model = Model.fromJSON(definition);
  const store = model.store();
  model.free(); // the store keeps what it needs
  return store;
}

function recordState(record) {
  return { stage: record.stage, open: (record.tasks ?? []).filter((t) => t.status === 'open').length };
}

function plain(impl, ws) {
  const host = new Host();
  for (const wave of ws) {
    for (const [id, step] of wave) {
      const r = impl.apply(id, host.command(id, step));
      host.result(id, step, r.ok, r.effects);
    }
  }
  return { host, state: (id) => impl.state(id), dispose: () => {} };
}

/** The checksum of a run: the host's counts and every deal's final stage and open tasks
 * (as the implementation holds them; they must match the host's index). */
function checksum({ host, state, dispose }, ids) {
  const stages = {};
  let open = 0;
  let hash = 0;
  for (const id of ids) {
    const s = state(id);
    const known = host.tasks.get(id)?.size ?? 0;
    if (s.open !== known) throw new Error(`${id}: ${s.open} open tasks, the host knows ${known}`);
    stages[s.stage] = (stages[s.stage] ?? 0) + 1;
    open += s.open;
    for (let i = 0; i < s.stage.length; i++) hash = (Math.imul(hash, 31) + s.stage.charCodeAt(i)) | 0;
  }
  dispose();
  const fired = host.firedByEvents ?? host.fired;
  if (fired !== host.fired) throw new Error(`reminders fired: ${fired} by the events, ${host.fired} by the effects`);
  return JSON.stringify({
    stages,
    stageHash: hash >>> 0,
    open,
    created: host.created,
    cancelled: host.cancelled,
    done: host.done,
    fired: host.fired,
    rejected: host.rejected,
    deadlines: Math.round(host.deadlines),
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const names = Object.keys(implementations);

/**
 * Memory per live deal mid-funnel: the first 17 of the 30 waves of `deals` deals (most in
 * "samples sent" with D5's reminder pending, the rest further on), run in blocks of 10 000 deals so that the
 * commands held in JS stay small (V8 runs full collections while the wasm memory grows).
 */
function memory(deals) {
  const MID = 17;
  const BLOCK = 10_000;
  const blocks = (run) => {
    for (let from = 0; from < deals; from += BLOCK) {
      run(waves(dealScripts(Math.min(BLOCK, deals - from), definition.calendar, from)).slice(0, MID));
    }
  };
  const out = {};
  // wasm: the store's growth of the module's memory (never given back, so measured first).
  const before = wasmMemory();
  const store = storeOf();
  const host = new Host();
  blocks((mid) => {
    for (const wave of mid) {
      for (let i = 0; i < wave.length; i += BATCH) {
        const chunk = wave.slice(i, i + BATCH);
        const results = store.applyBatch(chunk.map(([id, step]) => [id, host.command(id, step)]), LEAN);
        results.forEach((r, j) => host.result(chunk[j][0], chunk[j][1], r.ok, r.ok ? r.effects : null));
      }
    }
    log(`  wasm store: ${store.size} deals`);
  });
  const stages = {};
  for (let i = 0; i < deals; i++) {
    const s = store.get(`deal-${i}`).stage;
    stages[s] = (stages[s] ?? 0) + 1;
  }
  out['npm Store (wasm memory)'] = (wasmMemory() - before) / deals;
  log(`  mid-funnel stages: ${JSON.stringify(stages)}`);
  store.free();
  // JS heap: what the peers keep after a full collection (the host's index is outside both).
  for (const [name, make] of [['XState v5 actors (JS heap)', () => new XStateDeals(definition)], ['hand-written JS (JS heap)', () => new HandWrittenDeals(definition)]]) {
    global.gc();
    const h0 = process.memoryUsage().heapUsed;
    const impl = make();
    let host = new Host();
    blocks((mid) => {
      for (const wave of mid) {
        for (const [id, step] of wave) {
          // As received over the wire: the peer keeps its own copies of the values.
          const r = impl.apply(id, JSON.parse(JSON.stringify(host.command(id, step))));
          host.result(id, step, r.ok, r.effects);
        }
      }
    });
    host = null;
    global.gc();
    out[name] = (process.memoryUsage().heapUsed - h0) / deals;
    if ((impl.records ?? impl.actors).size !== deals) throw new Error(`${name} does not hold every deal`); // keeps them alive until here
  }
  return out;
}

if (typeof global.gc !== 'function') throw new Error('run with node --expose-gc');
if (!process.argv.includes('--skip-memory')) {
  const [deals] = list('memory-deals', [100_000]);
  log(`memory per live deal mid-funnel, ${deals} deals`);
  for (const [name, bytes] of Object.entries(memory(deals))) log(`  ${name.padEnd(32)} ${(bytes / 1024).toFixed(2)} KB per deal`);
}

for (const [n, deals] of sizes.entries()) {
  const runs = rounds[Math.min(n, rounds.length - 1)];
  const scripts = dealScripts(deals, definition.calendar);
  const ids = scripts.map(([id]) => id);
  const ws = waves(scripts);
  const commands = ws.reduce((s, w) => s + w.length, 0);
  const moves = ws.reduce((s, w) => s + w.filter(([, st]) => st.action.type === 'move').length, 0);
  log(`${deals} deals, ${commands} commands (${moves} moves) in ${ws.length} waves; ${runs} rounds`);
  // Every run is checked: the first checksum is the reference.
  const which = deals > 20_000 && !process.argv.includes('--all') ? names.filter((x) => !x.startsWith('npm Model.apply')) : names;
  let reference;
  const cpu = Object.fromEntries(which.map((x) => [x, []]));
  const wall = Object.fromEntries(which.map((x) => [x, []]));
  for (let r = 0; r < runs; r++) {
    for (const name of which) {
      const w0 = performance.now();
      const c0 = process.cpuUsage();
      const run = implementations[name](ws);
      const c = process.cpuUsage(c0);
      wall[name].push(performance.now() - w0);
      cpu[name].push((c.user + c.system) / 1000);
      const sum = checksum(run, ids);
      if (reference === undefined) {
        reference = sum;
        log(`  checksum ${sum}`);
      } else if (sum !== reference) {
        console.error(`${name} disagrees:\n  ${sum}\nvs\n  ${reference}`);
        process.exit(1);
      }
    }
    log(`  round ${r + 1}/${runs}: all ${which.length} implementations agree`);
  }
  const ms = Object.fromEntries(which.map((x) => [x, median(cpu[x])]));
  const x = 'XState v5 actors';
  console.log(`${deals} deals, median of ${runs} (CPU time; µs per command; ratio = XState time / this time):`);
  console.log(`  ${'implementation'.padEnd(32)} ${'wall ms'.padStart(9)} ${'cpu ms'.padStart(9)} ${'µs/cmd'.padStart(7)} ${'× XState'.padStart(9)} ${'× hand'.padStart(7)}`);
  for (const name of which) {
    console.log(
      `  ${name.padEnd(32)} ${median(wall[name]).toFixed(0).padStart(9)} ${ms[name].toFixed(0).padStart(9)} ${((ms[name] * 1000) / commands).toFixed(2).padStart(7)}` +
        ` ${(ms[x] / ms[name]).toFixed(2).padStart(9)} ${(ms['hand-written JS'] / ms[name]).toFixed(3).padStart(7)}`,
    );
  }
}
