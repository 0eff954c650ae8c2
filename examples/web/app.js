// A kanban board of the eco-packaging deal funnel on the npm package `voronka`.
//
// Everything about the funnel comes from the library: which moves are allowed, which fields a
// stage needs (and their types, for the inputs), validation messages, tasks and their forms,
// timers. This file only draws the board and keeps the records in localStorage.

import { Model, VoronkaError } from './pkg/index.js';

// v2: records are snapshots without `history` (and with `created_by`); a v1 save is not read.
const STORAGE_KEY = 'voronka-demo/v2';
const START = '2026-11-27T09:00:00Z';
/** Who acts: the library checks roles (only a head may enter "Prepayment", D8). */
const ACTORS = [
  { user: 'u-anna', roles: ['manager'], label: { en: 'Anna, sales manager', ru: 'Анна, менеджер' } },
  { user: 'u-boris', roles: ['head'], label: { en: 'Boris, head of sales', ru: 'Борис, руководитель отдела' } },
];
const ME = ACTORS[0];

const model = Model.ecoPackaging();
const definition = model.definition;
const pipeline = definition.pipelines.find((p) => p.code === 'deals');
const entity = definition.entities.find((e) => e.code === pipeline.entity);

const UI = {
  en: {
    title: 'Eco-packaging deals', now: 'Now', actingAs: 'Acting as', plusDay: '+1 day', plusWeek: '+7 days',
    newDeal: 'New deal', reset: 'Reset', log: 'What happened', cancel: 'Cancel',
    move: 'Move', moveTo: 'Move to…', complete: 'Complete', tasks: 'Open tasks',
    due: 'Deadline', next: 'Next timer', fillTitle: (s) => `To enter “${s}”, fill in:`,
    fillIntro: 'The library says these fields are missing:', moveSubmit: 'Save and move',
    taskSubmit: 'Complete the task', taskIntro: 'Answer the questions of the task.',
    choose: '— choose —', other: 'Other (type it):', yes: 'Yes', no: 'No',
    moved: (id, s) => `${id} moved to “${s}”.`, created: (id) => `${id} created.`,
    ticked: (n) => `Timers fired on ${n} record(s).`, clock: (t) => `Clock advanced to ${t}.`,
    taskDone: (t) => `Task “${t}” completed.`, oneOf: 'one of these is enough',
    parts: { country: 'Country', region: 'Region', city: 'City', street: 'Street', postal_code: 'Postal code',
      last: 'Last name', first: 'First name', middle: 'Middle name', amount: 'Amount', currency: 'Currency',
      name: 'Name', quantity: 'Qty', unit: 'Unit', price: 'Price', vat_rate: 'VAT %', file: 'File name' },
    effect: { create_task: 'Task', close_task: 'Task closed', notify: 'Notice', send_email: 'E-mail',
      render_document: 'Document', find_duplicates: 'Duplicate check', create_record: 'New record' },
  },
  ru: {
    title: 'Сделки: экоупаковка', now: 'Сейчас', actingAs: 'Действует', plusDay: '+1 день', plusWeek: '+7 дней',
    newDeal: 'Новая сделка', reset: 'Сбросить', log: 'Что произошло', cancel: 'Отмена',
    move: 'Перевести', moveTo: 'Перевести на…', complete: 'Выполнить', tasks: 'Открытые задачи',
    due: 'Срок', next: 'Ближайший таймер', fillTitle: (s) => `Чтобы перейти на этап «${s}», заполните:`,
    fillIntro: 'Библиотека сообщает, что не заполнены поля:', moveSubmit: 'Сохранить и перевести',
    taskSubmit: 'Выполнить задачу', taskIntro: 'Ответьте на вопросы задачи.',
    choose: '— выберите —', other: 'Другое (укажите):', yes: 'Да', no: 'Нет',
    moved: (id, s) => `${id} переведена на этап «${s}».`, created: (id) => `${id} создана.`,
    ticked: (n) => `Сработали таймеры у записей: ${n}.`, clock: (t) => `Часы переведены на ${t}.`,
    taskDone: (t) => `Задача «${t}» выполнена.`, oneOf: 'достаточно одного из них',
    parts: { country: 'Страна', region: 'Регион', city: 'Город', street: 'Улица, дом', postal_code: 'Индекс',
      last: 'Фамилия', first: 'Имя', middle: 'Отчество', amount: 'Сумма', currency: 'Валюта',
      name: 'Наименование', quantity: 'Кол-во', unit: 'Ед.', price: 'Цена', vat_rate: 'НДС %', file: 'Имя файла' },
    effect: { create_task: 'Задача', close_task: 'Задача закрыта', notify: 'Уведомление', send_email: 'Письмо',
      render_document: 'Документ', find_duplicates: 'Поиск дублей', create_record: 'Новая запись' },
  },
};

// ─── State ──────────────────────────────────────────────────────────────────────────────

/** `{now, lang, actor, records, seq, log}`; saved after every change. */
let state;
state = load();

function currentActor() {
  return state ? state.actor : ME.user;
}

function load() {
  try {
    const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null');
    if (saved && Array.isArray(saved.records)) return saved;
  } catch {
    // A broken save starts over.
  }
  return seed();
}

function save() {
  localStorage.setItem(STORAGE_KEY, JSON.stringify(state));
}

function seed() {
  const fresh = { now: START, lang: 'en', actor: ME.user, records: [], seq: 0, log: [] };
  const clients = [
    ['GreenFood', 'Petrova', 'Maria', '+7 495 123-45-67', 'maria@greenfood.example'],
    ['Kofe Point', 'Ivanov', 'Pavel', '+7 843 222-33-44', 'pavel@kofepoint.example'],
    ['EcoMarket', 'Smirnova', 'Olga', '+7 812 555-10-20', 'olga@ecomarket.example'],
  ];
  for (const [company, last, first, phone, email] of clients) {
    fresh.seq += 1;
    const outcome = model.apply(null, command(fresh.now, {
      type: 'create', id: `deal-${fresh.seq}`, pipeline: pipeline.code, responsible: ME.user,
      fields: { company_name: company, client_name: { last, first }, client_phone: phone, client_email: email },
    }));
    fresh.records.push(outcome.record);
  }
  // The third deal has already sent its samples: in a week, D5 asks whether they arrived.
  let deal = fresh.records[2];
  const move = (to, fields = {}) => {
    deal = model.apply(deal, command(fresh.now, { type: 'move', to, fields })).record;
  };
  move('offer', {
    company_type: 'retail_chain',
    website: 'https://ecomarket.example',
    delivery_address: { country: 'RU', city: 'Saint Petersburg', street: 'Nevsky 1' },
  });
  move('negotiation');
  move('samples_prep', { sample_dimensions: '300x200x100 mm', fastening_type: 'lock', sample_quantity: 5, sample_material: 'corrugated' });
  move('samples_sent');
  fresh.records[2] = deal;
  return fresh;
}

/** A command by the current actor (the first one while seeding). */
function command(now, action) {
  const actor = ACTORS.find((a) => a.user === currentActor()) ?? ME;
  return { actor: { user: actor.user, roles: actor.roles }, now, action };
}

const t = () => UI[state.lang];
const label = (l) => (l ? l[state.lang] : '');
const stageDef = (code) => pipeline.stages.find((s) => s.code === code);
const fieldDef = (code) => entity.fields.find((f) => f.code === code);

function setStatus(text, isError = false) {
  const el = document.getElementById('status');
  el.textContent = text;
  el.style.color = isError ? '' : 'var(--accent)';
}

function log(line) {
  state.log.unshift(`${fmt(state.now)} · ${line}`);
  state.log.length = Math.min(state.log.length, 40);
}

function fmt(iso) {
  return iso.replace('T', ' ').replace(/:00Z$/, '').replace(/Z$/, '');
}

/** Applies a command to a stored record; the new record replaces it. Throws VoronkaError. */
function applyTo(id, action) {
  const index = state.records.findIndex((r) => r.id === id);
  const outcome = model.apply(state.records[index], command(state.now, action));
  state.records[index] = outcome.record;
  for (const effect of outcome.effects) {
    const what = t().effect[effect.type] ?? effect.type;
    const closed = effect.type === 'close_task' ? effect.status : '';
    const detail = closed ? closed : effect.task?.title ? label(effect.task.title) : effect.message ? label(effect.message)
      : effect.email ? effect.email.subject : effect.document ? effect.document.document : '';
    log(`${id}: ${what}${detail ? ` — ${detail}` : ''}`);
  }
  save();
  return outcome;
}

// ─── Board ──────────────────────────────────────────────────────────────────────────────

function render() {
  document.documentElement.lang = state.lang;
  model.lang = state.lang;
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t()[el.dataset.i18n];
  for (const b of document.querySelectorAll('[data-lang]')) b.setAttribute('aria-pressed', String(b.dataset.lang === state.lang));
  document.getElementById('actor').replaceChildren(...ACTORS.map((a) =>
    el('option', { value: a.user, selected: a.user === state.actor }, label(a.label))));
  document.getElementById('clock').textContent = fmt(state.now);
  document.getElementById('clock').dateTime = state.now;

  const board = document.getElementById('board');
  board.replaceChildren(...pipeline.stages.map(renderColumn));
  document.getElementById('log').replaceChildren(...state.log.map((line) => el('li', {}, line)));
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? '' : v);
  }
  node.append(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  return node;
}

function renderColumn(stage) {
  const records = state.records.filter((r) => r.stage === stage.code);
  const column = el('section', {
    class: `column ${stage.side ? 'side' : ''} ${stage.semantics ?? ''}`,
    'data-stage': stage.code,
    ondragover: (e) => { e.preventDefault(); column.classList.add('drop-target'); },
    ondragleave: () => column.classList.remove('drop-target'),
    ondrop: (e) => {
      e.preventDefault();
      column.classList.remove('drop-target');
      const id = e.dataTransfer.getData('text/plain');
      if (id) tryMove(id, stage.code);
    },
  },
  el('h2', {}, el('span', {}, label(stage.label)), el('span', { class: 'count' }, String(records.length))),
  records.map(renderCard));
  return column;
}

function renderCard(record) {
  const name = record.fields.client_name;
  const person = name ? `${name.last} ${name.first}` : '';
  const open = (record.tasks ?? []).filter((task) => task.status === 'open');
  const targets = model.nextStages(record);
  const select = el('select', { class: 'move-select', 'aria-label': t().moveTo },
    el('option', { value: '' }, t().moveTo),
    targets.map((code) => el('option', { value: code }, label(stageDef(code)?.label) || code)));
  const due = model.nextDue(record);
  return el('article', {
    class: 'card', draggable: 'true', 'data-record': record.id,
    ondragstart: (e) => e.dataTransfer.setData('text/plain', record.id),
  },
  el('h3', {}, record.fields.company_name ?? record.id),
  el('div', { class: 'meta' }, `${record.id}${person ? ` · ${person}` : ''}`),
  open.length ? el('ul', { class: 'tasks', 'aria-label': t().tasks },
    open.map((task) => el('li', { 'data-task': task.id, 'data-task-code': task.code },
      el('span', {}, label(task.title)),
      task.deadline ? el('span', { class: 'deadline' }, `${t().due}: ${fmt(task.deadline)}`) : null,
      (task.checklist ?? []).map((item, i) => el('label', {},
        el('input', { type: 'checkbox', checked: item.done, onchange: (e) => checkItem(record.id, task.id, i, e.target.checked) }),
        ` ${label(item.label)}`)),
      el('button', { type: 'button', class: 'complete-task', 'data-task': task.id, onclick: () => completeTask(record.id, task.id) }, t().complete)))) : null,
  due ? el('div', { class: 'due' }, `${t().next}: ${fmt(due)}`) : null,
  targets.length ? el('div', { class: 'move' }, select,
    el('button', { type: 'button', class: 'move-btn', onclick: () => select.value && tryMove(record.id, select.value) }, t().move)) : null);
}

// ─── Moves ──────────────────────────────────────────────────────────────────────────────

function tryMove(id, to, fields = {}) {
  try {
    applyTo(id, { type: 'move', to, fields });
    log(t().moved(id, label(stageDef(to).label)));
    save();
    setStatus(t().moved(id, label(stageDef(to).label)));
    render();
    return null;
  } catch (err) {
    if (!(err instanceof VoronkaError)) throw err;
    if (err.code === 3001 /* missing_fields */) {
      openFieldsDialog({
        title: t().fillTitle(label(err.details.stage_label)),
        intro: t().fillIntro,
        missing: err.details.missing,
        defs: err.details.missing.flatMap((m) => (m.any_of?.length ? m.any_of : [m.field])).map(fieldDef),
        submitLabel: t().moveSubmit,
        submit: (values) => {
          const outcome = attempt(() => applyTo(id, { type: 'move', to, fields: values }));
          if (outcome.ok) {
            log(t().moved(id, label(stageDef(to).label)));
            setStatus(t().moved(id, label(stageDef(to).label)));
            save();
          }
          return outcome;
        },
      });
      return err;
    }
    setStatus(err.message, true);
    return err;
  }
}

/** Runs `fn`; a VoronkaError becomes `{ok: false, error}`. */
function attempt(fn) {
  try {
    return { ok: true, value: fn() };
  } catch (error) {
    if (error instanceof VoronkaError) return { ok: false, error };
    throw error;
  }
}

// ─── Tasks ──────────────────────────────────────────────────────────────────────────────

function completeTask(id, taskId) {
  const record = state.records.find((r) => r.id === id);
  const task = record.tasks.find((x) => x.id === taskId);
  const form = model.taskForm(record.pipeline, task.automation, task.code);
  const done = () => {
    log(t().taskDone(label(task.title)));
    setStatus(t().taskDone(label(task.title)));
    save();
  };
  if (!form.length) {
    const result = attempt(() => applyTo(id, { type: 'complete_task', task: taskId }));
    if (result.ok) done();
    else setStatus(result.error.message, true);
    render();
    return;
  }
  openFieldsDialog({
    title: label(task.title),
    intro: t().taskIntro,
    missing: [],
    defs: form,
    values: task.answers ?? {},
    submitLabel: t().taskSubmit,
    submit: (answers) => {
      const result = attempt(() => applyTo(id, { type: 'complete_task', task: taskId, answers }));
      if (result.ok) done();
      return result;
    },
  });
}

function checkItem(id, taskId, item, done) {
  const result = attempt(() => applyTo(id, { type: 'check_item', task: taskId, item, done }));
  if (!result.ok) setStatus(result.error.message, true);
  render();
}

// ─── The fields dialog: inputs by field type ────────────────────────────────────────────

let dialogState = null;

function openFieldsDialog(options) {
  dialogState = options;
  const dialog = document.getElementById('fields-dialog');
  document.getElementById('fields-title').textContent = options.title;
  document.getElementById('fields-intro').textContent = options.intro;
  document.getElementById('missing-list').replaceChildren(...options.missing.map((m) =>
    el('li', { 'data-field': m.field, 'data-type': m.type },
      label(m.label), m.any_of?.length ? ` (${t().oneOf}: ${m.any_of.map((f) => label(fieldDef(f)?.label)).join(', ')})` : '')));
  document.getElementById('fields-inputs').replaceChildren(...options.defs.filter(Boolean).map((def) => fieldInput(def, options.values?.[def.code])));
  document.getElementById('fields-error').textContent = '';
  document.getElementById('fields-submit').textContent = options.submitLabel;
  if (!dialog.open) dialog.showModal();
}

function closeFieldsDialog() {
  dialogState = null;
  document.getElementById('fields-dialog').close();
  render();
}

function fieldInput(def, value) {
  const id = `f-${def.code}`;
  const wrap = el('div', { class: 'field', 'data-field': def.code, 'data-type': def.type });
  const title = [label(def.label), ' ', el('span', { class: 'type' }, `(${def.type})`)];
  const input = (name, attrs = {}) => el('input', { name, id: name === def.code ? id : undefined, ...attrs });
  const parts = (names, current = {}) => el('div', { class: 'parts' }, names.map((p) =>
    input(`${def.code}.${p}`, { placeholder: t().parts[p] ?? p, 'aria-label': t().parts[p] ?? p, value: current?.[p] ?? '' })));
  let control;
  switch (def.type) {
    case 'long_text':
      control = el('textarea', { name: def.code, id, rows: '3' }, typeof value === 'string' ? value : '');
      break;
    case 'integer':
      control = input(def.code, { type: 'number', step: '1', inputmode: 'numeric', value: value ?? '' });
      break;
    case 'decimal':
    case 'percent':
      control = input(def.code, { inputmode: 'decimal', placeholder: def.type === 'percent' ? '0–100' : '0.00', value: value ?? '' });
      break;
    case 'money':
      control = el('div', { class: 'parts' },
        input(`${def.code}.amount`, { inputmode: 'decimal', placeholder: t().parts.amount, 'aria-label': t().parts.amount, value: value?.amount ?? '' }),
        def.currencies?.length
          ? el('select', { name: `${def.code}.currency`, 'aria-label': t().parts.currency }, def.currencies.map((c) => el('option', { value: c }, c)))
          : input(`${def.code}.currency`, { placeholder: 'RUB', 'aria-label': t().parts.currency, value: value?.currency ?? 'RUB', maxlength: '3' }));
      break;
    case 'date':
      control = input(def.code, { type: 'date', value: value ?? '' });
      break;
    case 'date_time':
      control = input(def.code, { type: 'datetime-local', value: value ? value.slice(0, 16) : '' });
      break;
    case 'yes_no':
      control = el('select', { name: def.code, id },
        el('option', { value: '' }, t().choose),
        el('option', { value: 'true', selected: value === true }, t().yes),
        el('option', { value: 'false', selected: value === false }, t().no));
      break;
    case 'choice': {
      const current = typeof value === 'string' ? value : value?.option;
      const options = [...(def.options ?? []), ...(def.other ? [def.other] : [])];
      if (def.multiple) {
        control = el('div', {}, options.map((o) => el('label', {},
          el('input', { type: 'checkbox', name: def.code, value: o.code }), ` ${label(o.label)} `)));
        break;
      }
      const otherText = input(`${def.code}.other`, { placeholder: t().other, 'aria-label': t().other, value: value?.text ?? '', hidden: current !== def.other?.code });
      const select = el('select', { name: def.code, id, onchange: () => { otherText.hidden = select.value !== def.other?.code; } },
        el('option', { value: '' }, t().choose),
        options.map((o) => el('option', { value: o.code, selected: o.code === current }, label(o.label))));
      control = el('div', {}, select, def.other ? otherText : null);
      break;
    }
    case 'address':
      control = parts(['country', 'city', 'street', 'postal_code', 'region'], value);
      break;
    case 'person_name':
      control = parts(['last', 'first', 'middle'], value);
      break;
    case 'file':
      control = input(def.code, { placeholder: t().parts.file });
      break;
    case 'line_items':
      control = parts(['name', 'quantity', 'unit', 'price', 'vat_rate']);
      break;
    case 'url':
      control = input(def.code, { type: 'url', placeholder: 'https://', value: value ?? '' });
      break;
    case 'email':
      control = input(def.code, { type: 'email', value: value ?? '' });
      break;
    case 'phone':
      control = input(def.code, { type: 'tel', placeholder: '+7 …', value: value ?? '' });
      break;
    default: // text, user
      control = input(def.code, { value: typeof value === 'string' ? value : '' });
  }
  wrap.append(el('label', { for: id }, title), control, el('div', { class: 'problem' }));
  return wrap;
}

/** The values of the dialog's inputs in the library's JSON forms; empty inputs are left out. */
function readValues(defs) {
  const form = document.getElementById('fields-form');
  const get = (name) => (form.elements.namedItem(name)?.value ?? '').trim();
  const values = {};
  // A structured value from its filled parts; `null` when every part is empty.
  const partsOf = (def, names) => {
    const obj = {};
    for (const p of names) {
      const v = get(`${def.code}.${p}`);
      if (v) obj[p] = v;
    }
    return Object.keys(obj).length ? obj : null;
  };
  for (const def of defs) {
    if (!def) continue;
    let v = null;
    switch (def.type) {
      case 'integer': {
        const raw = get(def.code);
        v = raw === '' ? null : Number(raw);
        break;
      }
      case 'money': {
        const amount = get(`${def.code}.amount`).replace(',', '.');
        v = amount ? { amount, currency: get(`${def.code}.currency`) } : null;
        break;
      }
      case 'percent':
      case 'decimal': {
        const raw = get(def.code).replace(',', '.');
        v = raw || null;
        break;
      }
      case 'date_time': {
        const raw = get(def.code);
        v = raw ? `${raw}:00Z` : null;
        break;
      }
      case 'yes_no': {
        const raw = get(def.code);
        v = raw === '' ? null : raw === 'true';
        break;
      }
      case 'choice': {
        if (def.multiple) {
          const checked = [...form.querySelectorAll(`input[name="${def.code}"]:checked`)].map((c) => c.value);
          v = checked.length ? checked : null;
          break;
        }
        const option = get(def.code);
        if (option && option === def.other?.code) v = { option, text: get(`${def.code}.other`) };
        else v = option || null;
        break;
      }
      case 'address':
        v = partsOf(def, ['country', 'city', 'street', 'postal_code', 'region']);
        break;
      case 'person_name':
        v = partsOf(def, ['last', 'first', 'middle']);
        break;
      case 'line_items': {
        const item = partsOf(def, ['name', 'quantity', 'unit', 'price', 'vat_rate']);
        v = item ? [item] : null;
        break;
      }
      case 'file': {
        const name = get(def.code);
        const file = name ? { id: `file-${Date.now().toString(36)}`, name } : null;
        v = file && def.multiple ? [file] : file;
        break;
      }
      default:
        v = get(def.code) || null;
    }
    if (v !== null) values[def.code] = v;
  }
  return values;
}

function showProblems(error) {
  const dialog = document.getElementById('fields-dialog');
  for (const f of dialog.querySelectorAll('.field')) {
    f.classList.remove('invalid');
    f.querySelector('.problem').textContent = '';
  }
  document.getElementById('fields-error').textContent = error.message;
  const details = error.details ?? {};
  const fields = [
    ...(details.errors ?? []).map((e) => e.field),
    ...(details.missing ?? []).map((m) => m.field),
  ];
  for (const code of fields) {
    const field = dialog.querySelector(`.field[data-field="${code}"]`);
    if (field) field.classList.add('invalid');
  }
  // Still missing after this attempt: list them again, exactly as the library says.
  if (details.kind === 'missing_fields' || details.kind === 'missing_answers') {
    document.getElementById('missing-list').replaceChildren(...details.missing.map((m) =>
      el('li', { 'data-field': m.field, 'data-type': m.type }, label(m.label))));
    const known = new Set(dialogState.defs.filter(Boolean).map((d) => d.code));
    for (const m of details.missing) {
      if (!known.has(m.field) && fieldDef(m.field)) {
        dialogState.defs.push(fieldDef(m.field));
        document.getElementById('fields-inputs').append(fieldInput(fieldDef(m.field)));
      }
    }
  }
}

document.getElementById('fields-form').addEventListener('submit', (e) => {
  e.preventDefault();
  if (!dialogState) return;
  const result = dialogState.submit(readValues(dialogState.defs));
  if (result.ok) closeFieldsDialog();
  else showProblems(result.error);
});
document.getElementById('fields-cancel').addEventListener('click', closeFieldsDialog);
document.getElementById('fields-dialog').addEventListener('cancel', () => { dialogState = null; });

// ─── Clock, language, new deals ─────────────────────────────────────────────────────────

/** Moves the clock forward and ticks every record at each timer's due time up to `now`. */
function advance(days) {
  const next = new Date(Date.parse(state.now) + days * 86_400_000).toISOString().replace('.000Z', 'Z');
  state.now = next;
  let fired = 0;
  for (const record of [...state.records]) {
    let changed = false;
    for (let guard = 0; guard < 100; guard += 1) {
      const current = state.records.find((r) => r.id === record.id);
      const due = model.nextDue(current);
      if (!due || Date.parse(due) > Date.parse(next)) break;
      const index = state.records.indexOf(current);
      const outcome = model.tick(current, due); // the actor defaults to {user: "system"}
      state.records[index] = outcome.record;
      for (const effect of outcome.effects) {
        if (effect.type === 'create_task') log(`${record.id}: ${t().effect.create_task} — ${label(effect.task.title)}`);
      }
      changed = true;
    }
    if (changed) fired += 1;
  }
  log(t().clock(fmt(next)));
  setStatus(fired ? t().ticked(fired) : t().clock(fmt(next)));
  save();
  render();
}

document.getElementById('actor').addEventListener('change', (e) => {
  state.actor = e.target.value;
  save();
  render();
});
document.getElementById('plus-day').addEventListener('click', () => advance(1));
document.getElementById('plus-week').addEventListener('click', () => advance(7));
for (const b of document.querySelectorAll('[data-lang]')) {
  b.addEventListener('click', () => {
    state.lang = b.dataset.lang;
    save();
    render();
  });
}
document.getElementById('new-deal').addEventListener('click', () => {
  state.seq += 1;
  const id = `deal-${state.seq}`;
  const outcome = model.apply(null, command(state.now, {
    type: 'create', id, pipeline: pipeline.code, responsible: ME.user,
    fields: { company_name: `${state.lang === 'ru' ? 'Компания' : 'Company'} ${state.seq}` },
  }));
  state.records.push(outcome.record);
  log(t().created(id));
  save();
  render();
});
document.getElementById('reset').addEventListener('click', () => {
  localStorage.removeItem(STORAGE_KEY);
  state = seed();
  save();
  setStatus('');
  render();
});

save();
render();
document.body.dataset.ready = 'true';
