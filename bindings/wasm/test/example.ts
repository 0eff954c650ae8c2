// A TypeScript user of the package: checked by `tsc --noEmit` (scripts/test-wasm), so the
// hand-written `index.d.ts` must describe the API precisely. `@ts-expect-error` lines check
// that wrong usage is refused.

import {
  Model,
  VoronkaError,
  check,
  errorCodes,
  type ErrorCodeInfo,
  type Command,
  type Effect,
  type Event,
  type MissingField,
  type Outcome,
  type Record,
  type Requirements,
  type TraceEntry,
  type ErrorReport,
  type Definition,
  type Decision,
  type Applied,
  type BatchResult,
  type LeanApplied,
  type LeanBatchResult,
  Store,
} from 'voronka';

const model: Model = Model.ecoPackaging({ lang: 'en' });
const definition: Definition = model.definition;
const deals = definition.pipelines.find((p) => p.code === 'deals');
const stageCodes: string[] = deals ? deals.stages.map((s) => s.code) : [];

const create: Command = {
  actor: { user: 'u-anna', roles: ['manager'] },
  now: new Date('2026-11-27T09:00:00Z'),
  action: { type: 'create', id: 'deal-1', pipeline: 'deals', fields: { client_name: { last: 'Petrova', first: 'Maria' } } },
};
const outcome: Outcome = model.apply(null, create);
const record: Record = outcome.record;
const version: number = record.version;

function describe(effect: Effect): string {
  switch (effect.type) {
    case 'create_task':
      return `task ${effect.task.title.en} for ${'user' in effect.task.assignee ? effect.task.assignee.user : effect.task.assignee.role}`;
    case 'close_task':
      return `close ${effect.task}: ${effect.status}`;
    case 'notify':
      return effect.message.ru;
    case 'send_email':
      return effect.email.subject;
    case 'render_document':
      return effect.document.template;
    case 'find_duplicates':
      return (effect.keys.emails ?? []).join(', ');
    case 'deliver_signal':
      return `signal ${effect.name} to ${effect.to}`;
    case 'create_record': {
      // A deal or process comes as a snapshot with its events: the start of its own log.
      const log: Event[] = effect.events ?? [];
      return effect.record ? `${effect.record.stage} after ${log.length} events` : effect.entity;
    }
  }
}

function eventSummary(event: Event): string {
  switch (event.type) {
    case 'stage_changed':
      return `${event.from} → ${event.to} by ${event.actor}`;
    case 'fields_changed':
      return Object.keys(event.changes).join(', ');
    case 'task_created':
      return event.task.id;
    case 'lead_converted': {
      const deal: string = event.deal;
      return `converted into ${deal}`;
    }
    case 'process_started': {
      const started: string = event.record;
      return `${started} in ${event.pipeline}`;
    }
    default:
      return event.type;
  }
}

const trace: TraceEntry[] = outcome.trace;
const lines: string[] = [...outcome.effects.map(describe), ...outcome.events.map(eventSummary), ...trace.map((t) => t.what)];

const req: Requirements = model.requirements(record, 'offer');
const missing: MissingField[] = req.missing;
const kinds: string[] = missing.map((m) => `${m.field}:${m.type}:${m.part}`);

try {
  model.apply(record, { actor: create.actor, now: '2026-11-27T10:00:00Z', action: { type: 'move', to: 'offer' } });
} catch (err) {
  if (err instanceof VoronkaError) {
    const code: number = err.code;
    const kind: string = err.kind;
    const path: string | null = err.path;
    const report: ErrorReport = err.report;
    if ('kind' in err.details && err.details.kind === 'missing_fields') {
      const fields: string[] = err.details.missing.map((m) => m.field);
      lines.push(fields.join(','), String(code), kind, path ?? '', report.message);
    }
  }
}

// `decide`: the events, effects and trace of a command, without the new record; a rejection
// is thrown as by `apply`. The host keeps the record's event log itself.
const log: Event[] = [...outcome.events];
const decision: Decision = model.decide(record, { actor: create.actor, now: '2026-11-27T10:00:00Z', action: { type: 'tick' } });
lines.push(...decision.events.map(eventSummary), ...decision.effects.map(describe), ...decision.trace.map((t) => t.what));
// @ts-expect-error: a decision has no record
decision.record;
// @ts-expect-error: there is no preview any more
model.preview(record, create);

const due: string | null = model.nextDue(record);
const ticked: Outcome = model.tick(record, due ?? '2026-12-01T09:00:00Z');
log.push(...ticked.events);
const replayed: Record | null = model.replay(log);
// @ts-expect-error: a record is a snapshot, without a history
replayed?.history;
const createdBy: string = replayed?.created_by ?? '';
const recentKeys: number[] = (replayed?.recent_keys ?? []).map((k) => k.version);
const next: string[] = model.nextStages(record);
const problems = check(definition);
const firstProblem: string | undefined = problems[0]?.path;

// The record store: records stay inside the module.
const store: Store = model.store();
const applied: Applied = store.apply('deal-9', { actor: { user: 'u' }, now: '2026-11-27T09:00:00Z', action: { type: 'create', id: 'deal-9', pipeline: 'deals' } });
const results: BatchResult[] = store.applyBatch([['deal-9', { actor: { user: 'u' }, now: '2026-11-27T09:01:00Z', action: { type: 'move', to: 'offer' } }]]);
const firstRejection: string | undefined = results.map((r) => (r.ok ? undefined : r.error.kind))[0];
const stored: Record | null = store.get('deal-9');
// @ts-expect-error: ids are strings
store.apply(9, applied);
// The store keeps snapshots: a host with an event log appends the events of each result.
const storeLog: Event[] = [...applied.events, ...results.flatMap((r) => (r.ok ? r.events : []))];
// The lean form: no events in the results, for hosts that keep no log.
const moveOn: Command = { actor: { user: 'u' }, now: '2026-11-27T09:02:00Z', action: { type: 'move', to: 'offer' } };
const lean: LeanBatchResult[] = store.applyBatch([['deal-9', moveOn]], { events: false });
const leanEffects: Effect[] = lean.flatMap((r) => (r.ok ? r.effects : []));
const leanOne: LeanApplied = store.apply('deal-9', moveOn, { events: false });
// @ts-expect-error: the lean form has no events
leanOne.events;
// @ts-expect-error: the store has no event query
store.events('deal-9');
const rebuilt: Record | null = model.replay(storeLog);

// The codes a host can show: every entry has a number, a name and a description.
const codeNames: string[] = errorCodes().map((c: ErrorCodeInfo) => `${c.code} ${c.name}: ${c.description}`);

// @ts-expect-error: a move needs `to`
const badMove: Command = { actor: { user: 'u' }, now: '2026-11-27T09:00:00Z', action: { type: 'move' } };
// @ts-expect-error: unknown action type
const badType: Command = { actor: { user: 'u' }, now: '2026-11-27T09:00:00Z', action: { type: 'teleport' } };
// @ts-expect-error: models come from the factories
const direct = new Model();
// @ts-expect-error: a stage is a string
model.requirements(record, 3);

export const used = [codeNames, leanEffects, rebuilt, createdBy, recentKeys, applied.stage, firstRejection, stored, stageCodes, version, lines, kinds, replayed, next, firstProblem, badMove, badType, direct];
