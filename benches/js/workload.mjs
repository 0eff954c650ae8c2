// The deal-funnel workload shared by every implementation: the eco-packaging definition with
// the deal funnel's task-and-reminder automations (D1, D3, D4, D5, D12), and the commands of
// `deals` deals as waves: wave k holds the k-th command of every deal still going, so a host
// learns a task's id from one wave's results before it completes the task in a later one.
// `benches/benches/pipeline.rs` ports `dealScripts` to Rust; keep the two in step.

import { compileCalendar, iso } from './calendar.mjs';

/** The automations kept: tasks on entry, forms, reminders; documents, e-mails and the
 * automatic moves of D2, D6, D7, D9–D11 and the processes are left out (the JS peers would
 * have to render documents). */
export const AUTOMATIONS = ['d1_call', 'd3_negotiation', 'd4_samples', 'd5_samples_received', 'd12_postponed'];

export function dealFunnelDefinition(ecoPackaging) {
  const definition = structuredClone(ecoPackaging);
  for (const pipeline of definition.pipelines) {
    if (pipeline.code === 'deals') pipeline.automations = pipeline.automations.filter((a) => AUTOMATIONS.includes(a.code));
  }
  return definition;
}

export const MANAGER = { user: 'u-manager', roles: ['manager'] };
export const HEAD = { user: 'u-head', roles: ['head'] };
export const SCHEDULER = { user: 'u-scheduler', roles: [] };

const OFFER_FIELDS = {
  company_type: 'manufacturer',
  website: 'https://example.com',
  delivery_address: { country: 'Russia', city: 'Saint Petersburg', street: '150 Piskaryovsky Ave.' },
};
const SAMPLE_FIELDS = { sample_dimensions: '250×80×320 mm', fastening_type: 'glue', sample_quantity: 50, sample_material: 'kraft' };
const PREPAYMENT_FIELDS = { packaging_type: 'bag', cost: { amount: '250500', currency: 'RUB' }, prepayment_percent: '50' };

const H = 3_600_000;
const D = 24 * H;
/** Monday 2026-11-30 09:00 in Moscow. */
const START = Date.parse('2026-11-30T06:00:00Z');

/**
 * Each deal's commands, in order, as `{actor, now, action}`; a `complete_task` names the task
 * by its `code` (the host puts in the id it learned from the `create_task` effect). Ticks come
 * at the due time of the reminder the deal waits for, as a host calling `nextDue` would.
 * Deals `from` … `from + deals - 1`.
 */
export function dealScripts(deals, calendar, from = 0) {
  const cal = compileCalendar(calendar);
  const scripts = [];
  for (let i = from; i < from + deals; i++) {
    const id = `deal-${i}`;
    const steps = [];
    let t = START + (i % 5) * D + (i % 8) * H;
    const at = (ms) => (t = ms);
    const push = (actor, action) => steps.push({ actor, now: iso(t), action });
    const move = (to, fields = {}, actor = MANAGER) => push(actor, { type: 'move', to, fields });
    const complete = (code, answers = {}) => push(MANAGER, { type: 'complete_task', code, answers });
    const tick = () => push(SCHEDULER, { type: 'tick' });
    push(MANAGER, {
      type: 'create',
      id,
      pipeline: 'deals',
      responsible: MANAGER.user,
      fields: { client_name: { last: 'Smirnov', first: 'Alexey' }, client_email: `client${i}@example.com`, company_name: `Company ${i}` },
    });
    at(t + 600_000);
    push(MANAGER, { type: 'set_fields', fields: { client_phone: '+7 812 555 01 23' } });
    at(t + H);
    if (i % 3 !== 0) complete('call_client'); // else it is cancelled when the deal leaves D1
    at(t + 600_000);
    if (i % 5 === 0) move('offer'); // rejected: the offer needs three fields
    at(t + H);
    move('offer', OFFER_FIELDS);
    at(t + H);
    move('negotiation');
    if (i % 3 === 1) move('won'); // rejected: not a next stage
    if (i % 7 === 0) move('feedback'); // rejected: not a next stage
    // D3: not reached; asked again two business days later.
    at(t + D);
    complete('call', { reached: false });
    at(cal.add(t, 2, true));
    tick();
    at(t + 2 * H);
    if (i % 2 === 0) complete('call', { reached: true, outcome: 'waiting', comment: 'Calls back next week' }); // a reminder is left pending
    at(t + H);
    if (i % 9 === 0) move('samples_prep', { ...SAMPLE_FIELDS, sample_quantity: 0 }); // rejected: below the minimum
    move('samples_prep', SAMPLE_FIELDS); // cancels D3's open call or pending reminder
    if (i % 6 === 0) {
      at(t + H);
      move('postponed'); // cancels D4's task
      at(t + H);
      const date = iso(t + 7 * D).slice(0, 10);
      complete('postponed_call', { next_contact_date: date });
      at(cal.startOf(date));
      tick(); // "contact again"
      at(t + H);
      move('samples_prep'); // back where it was; cancels "contact again"
    }
    at(t + D);
    complete('prepare_samples');
    at(t + H);
    move('samples_sent', { sample_tracking: `1487 2235 ${i}` });
    // D5: the weekly question.
    at(t + 7 * D);
    tick();
    at(t + 2 * H);
    if (i % 10 === 5) complete('ask_received', { received: true }); // rejected: who received them?
    complete('ask_received', { received: false, parcel_location: 'Kazan sorting centre' });
    if (i % 2 === 0) {
      at(t + 7 * D);
      tick();
      at(t + H);
      complete('ask_received', { received: true, received_by: { last: 'Ivanova', first: 'Olga' } });
    } // else the next week's question is pending when the deal leaves D5
    at(t + D);
    if (i % 10 === 0) move('contract'); // rejected: not a next stage
    move('feedback');
    at(t + H);
    if (i % 4 === 3) {
      if (i % 8 === 3) move('lost'); // rejected: lost needs a reason
      move('lost', { lost_reason: 'price' });
    } else {
      move('contract', { contract_number: `SP-2027/${i}` });
      if (i % 3 === 0) move('prepayment', PREPAYMENT_FIELDS); // rejected: a manager may not enter it
      move('prepayment', PREPAYMENT_FIELDS, HEAD);
      for (const stage of ['production', 'shipment', 'payment', 'won']) {
        at(t + H);
        move(stage);
      }
    }
    scripts.push([id, steps]);
  }
  return scripts;
}

/** The scripts as waves of `[id, step]`: wave k holds every deal's k-th step. */
export function waves(scripts) {
  const out = [];
  for (const [id, steps] of scripts) {
    steps.forEach((step, k) => (out[k] ??= []).push([id, step]));
  }
  return out;
}
