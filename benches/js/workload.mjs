// The deal-pipeline workload shared by the three implementations: the definition they run
// (the eco-packaging deal funnel D1–D14 without its automations) and the commands, built once
// as plain objects so every implementation gets exactly the same input.

/** The eco-packaging definition with the deal funnel's automations removed: the like-for-like
 * comparison covers stages, moves, permissions, field values and required fields. */
export function dealFunnelDefinition(ecoPackaging) {
  const definition = structuredClone(ecoPackaging);
  for (const pipeline of definition.pipelines) {
    if (pipeline.code === 'deals') pipeline.automations = [];
  }
  return definition;
}

const START = Date.parse('2026-11-27T09:00:00Z');
const NOW = Array.from({ length: 64 }, (_, i) => new Date(START + i * 600_000).toISOString().replace('.000Z', 'Z'));

const MANAGER = { user: 'u-manager', roles: ['manager'] };
const HEAD = { user: 'u-head', roles: ['head'] };

const OFFER_FIELDS = {
  company_type: 'manufacturer',
  website: 'https://example.com',
  delivery_address: { country: 'Russia', city: 'Saint Petersburg', street: '150 Piskaryovsky Ave.' },
};
const SAMPLE_FIELDS = {
  sample_dimensions: '250×80×320 mm',
  fastening_type: 'glue',
  sample_quantity: 50,
  sample_material: 'kraft',
};
const PREPAYMENT_FIELDS = {
  packaging_type: 'bag',
  cost: { amount: '250500', currency: 'RUB' },
  prepayment_percent: '50',
};

/**
 * The commands for `deals` deals, as `[id, command]` pairs in the order they run: each deal is
 * created, gets a field set, and moves D1 → D13 (won), or to D14 (lost) after the feedback,
 * some through D12 (postponed) and back; rejected commands are mixed in (a move missing
 * required fields, a skipped stage, a role that may not enter prepayment, a bad field value,
 * lost without a reason).
 */
export function dealCommands(deals) {
  const out = [];
  for (let i = 0; i < deals; i++) {
    const id = `deal-${i}`;
    let t = 0;
    const push = (actor, action) => out.push([id, { actor, now: NOW[t++], action }]);
    const move = (to, fields = {}, actor = MANAGER) => push(actor, { type: 'move', to, fields });
    push(MANAGER, {
      type: 'create',
      id,
      pipeline: 'deals',
      responsible: MANAGER.user,
      fields: {
        client_name: { last: 'Smirnov', first: 'Alexey' },
        client_email: `client${i}@example.com`,
        company_name: `Company ${i}`,
      },
    });
    push(MANAGER, { type: 'set_fields', fields: { client_phone: '+7 812 555 01 23' } });
    if (i % 5 === 0) move('offer'); // rejected: the offer needs three fields
    move('offer', OFFER_FIELDS);
    move('negotiation');
    if (i % 7 === 0) move('feedback'); // rejected: not the next stage
    if (i % 9 === 0) move('samples_prep', { ...SAMPLE_FIELDS, sample_quantity: 0 }); // rejected: below the minimum
    move('samples_prep', SAMPLE_FIELDS);
    if (i % 6 === 0) {
      move('postponed');
      move('samples_prep'); // back to where it came from
    }
    move('samples_sent', { sample_tracking: `1487 2235 ${i}` });
    move('feedback');
    if (i % 4 === 3) {
      if (i % 8 === 3) move('lost'); // rejected: lost needs a reason
      move('lost', { lost_reason: 'price' });
      continue;
    }
    move('contract', { contract_number: `SP-2027/${i}` });
    if (i % 3 === 0) move('prepayment', PREPAYMENT_FIELDS); // rejected: a manager may not enter it
    move('prepayment', PREPAYMENT_FIELDS, HEAD);
    move('production');
    move('shipment');
    move('payment');
    move('won');
  }
  return out;
}
