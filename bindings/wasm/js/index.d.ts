// Types of the npm package `voronka`. Hand-written to match the JSON that serde produces in
// the Rust core (crates/voronka): field names, tags and optional parts exactly as there.
// Unions are discriminated on one tag: `action.type` for commands, `type` for events and
// effects, `kind` for rejection details, `state` for automation steps.

// ─── Common ─────────────────────────────────────────────────────────────────────────────

/** A language of labels and messages. */
export type Lang = 'en' | 'ru';

/** A text shown to people, in Russian and English. */
export interface Label {
  ru: string;
  en: string;
}

/** A moment as RFC 3339 text in UTC, e.g. `"2026-11-27T09:00:00Z"`. */
export type DateTimeString = string;

/** A calendar date, `"YYYY-MM-DD"`. */
export type DateString = string;

/** An exact decimal as a string (`"12.50"`); integers may also be given as JSON numbers. */
export type DecimalString = string;

/** The type of a field's value. */
export type FieldType =
  | 'text'
  | 'long_text'
  | 'integer'
  | 'decimal'
  | 'money'
  | 'percent'
  | 'date'
  | 'date_time'
  | 'yes_no'
  | 'choice'
  | 'email'
  | 'phone'
  | 'url'
  | 'address'
  | 'person_name'
  | 'user'
  | 'file'
  | 'line_items'
  | 'inn'
  | 'kpp'
  | 'ogrn'
  | 'bik'
  | 'bank_account'
  | 'corr_account';

/** `money`: `{"amount": "1250.00", "currency": "EUR"}`. */
export interface Money {
  amount: DecimalString | number;
  currency: string;
}

/** `address`. */
export interface Address {
  country: string;
  city: string;
  street: string;
  postal_code?: string;
  region?: string;
}

/** `person_name`. */
export interface PersonName {
  last: string;
  first: string;
  middle?: string;
}

/** `file`: a file the host stores. */
export interface FileRef {
  id: string;
  name: string;
  mime?: string;
}

/** A `choice` on its "other" option, with the free text. */
export interface ChoiceOther {
  option: string;
  text: string;
}

/** A line of `line_items`. */
export interface LineItem {
  name: string;
  quantity: DecimalString | number;
  unit: string;
  price: DecimalString | number;
  vat_rate: DecimalString | number;
  weight?: DecimalString | number;
  sku?: string;
}

/**
 * A field value. The canonical forms (what records hold): text, long_text, user, email,
 * phone, url, date, date_time, decimal, percent and choice codes as strings; integer as a
 * number; yes_no as a boolean; the objects above; arrays for `multiple` choices and files
 * and for line items. `null` (or `""`, `[]`) clears a field in a command.
 */
export type FieldValue =
  | string
  | number
  | boolean
  | null
  | Money
  | Address
  | PersonName
  | FileRef
  | ChoiceOther
  | Array<string | ChoiceOther | FileRef | LineItem>;

/** Field values by field code. */
export type Fields = { [code: string]: FieldValue };

/** Someone a task or message is for. */
export type Recipient = { user: string } | { role: string };

// ─── Definition ─────────────────────────────────────────────────────────────────────────

/** A whole definition (format 1): roles, entities with their fields, pipelines. */
export interface Definition {
  format: 1;
  code: string;
  label: Label;
  roles?: RoleDef[];
  entities: EntityDef[];
  pipelines: PipelineDef[];
  calendar?: CalendarDef;
  email_templates?: EmailTemplateDef[];
  documents?: DocumentDef[];
  lead_capture?: { pipeline: string; source_field: string };
}

export interface RoleDef {
  code: string;
  label: Label;
}

export type EntityKind = 'lead' | 'deal' | 'contact' | 'company' | 'custom';

export interface EntityDef {
  code: string;
  kind: EntityKind;
  label: Label;
  fields?: FieldDef[];
}

export interface ChoiceOption {
  code: string;
  label: Label;
}

/** A field of an entity or a question of a task's form. */
export interface FieldDef {
  code: string;
  label: Label;
  type: FieldType;
  hint?: Label;
  /** choice: the options. */
  options?: ChoiceOption[];
  /** choice: the "other" option, whose selection needs a free text. */
  other?: ChoiceOption;
  /** choice and file: several values. */
  multiple?: boolean;
  min?: DecimalString | number;
  max?: DecimalString | number;
  scale?: number;
  max_length?: number;
  currencies?: string[];
  editable_by?: string[];
  /** `bank_account` and `corr_account`: the `bik` field whose value the account's key must agree with. */
  bik_field?: string;
}

export type Semantics = 'open' | 'won' | 'lost';

/** A condition over field values (or, in automations, a task's form answers). */
export type Condition =
  | { field: string; task?: string; filled: boolean }
  | { field: string; task?: string; equals: FieldValue }
  | { field: string; task?: string; one_of: FieldValue[] }
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition };

/** A requirement to enter a stage: a field code, a conditional field, or one of several. */
export type Requirement =
  | string
  | { field: string; when?: Condition }
  | { any_of: string[]; when?: Condition };

export interface StageDef {
  code: string;
  label: Label;
  semantics?: Semantics;
  side?: boolean;
  initial?: boolean;
  requires?: Requirement[];
  enter_roles?: string[];
  description?: Label;
}

export interface MovesDef {
  next?: boolean;
  previous?: boolean;
  extra?: Array<{ from: string; to: string }>;
  from_any_open?: string[];
  return_from?: string[];
}

export interface PermissionsDef {
  create?: string[];
  move?: string[];
  edit?: string[];
  override_requirements?: string[];
  complete_any_task?: string[];
}

export interface PipelineDef {
  code: string;
  entity: string;
  label: Label;
  stages: StageDef[];
  moves?: MovesDef;
  permissions?: PermissionsDef;
  automations?: AutomationDef[];
}

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

export interface CalendarDef {
  utc_offset?: string;
  weekend?: Weekday[];
  holidays?: DateString[];
  working_days?: DateString[];
}

export interface EmailTemplateDef {
  code: string;
  subject: Label;
  body: Label;
}

export interface DocumentDef {
  code: string;
  label: Label;
  template: string;
  number_format: string;
}

/** A time offset: days, hours, minutes, optionally in business days. */
export interface Offset {
  days?: number;
  hours?: number;
  minutes?: number;
  business?: boolean;
}

/** What starts an automation. */
export type Trigger =
  | 'created'
  | { stage_entered: string }
  | { field_changed: string }
  | { task_completed: string }
  | { date_reached: { field: string; offset?: Offset } }
  | { form_answered: string }
  | { signal: string };

/** Whose head or chain an assignee means. */
export type Whose = 'responsible' | 'requester' | 'actor';

/** Who a task, an approval or a notification is for, in a definition. */
export type Assignee =
  | 'responsible'
  | 'requester'
  | { user: string }
  | { role: string }
  | { head_of: Whose }
  | { chain: { of: Whose; levels: number } }
  | { level: { of: Whose; level: number } }
  | { department: string }
  | { department_in: string }
  | { heads_in: string };

/** How an approval step's decisions combine. */
export type ApprovalRule = 'all' | 'any' | 'majority' | { at_least: number };

/** A task activity. */
export interface TaskDef {
  type: 'task';
  code: string;
  title: Label;
  description?: Label;
  assignee?: Assignee;
  observers?: Assignee[];
  deadline?: Offset;
  checklist?: Label[];
  checklist_required?: boolean;
  form?: FieldDef[];
  form_requires?: Requirement[];
  answers_to_fields?: { [field: string]: string };
  completers?: string[];
  /** One task per person instead of one for `assignee`; such tasks do not hold the run up. */
  each?: Assignee[];
}

/** An activity of an automation (block-structured). */
export type Activity =
  | { type: 'sequence'; steps: Activity[] }
  | { type: 'parallel'; branches: Activity[]; join?: 'all' | 'any' }
  | { type: 'if'; when: Condition; then: Activity; else?: Activity }
  | { type: 'repeat'; body: Activity; until: Condition; max_iterations?: number }
  | {
      type: 'wait';
      delay?: Offset;
      until?: DateTimeString;
      until_field?: string;
      offset?: Offset;
      until_task?: string;
      until_signal?: string;
    }
  | TaskDef
  | { type: 'notify'; to: Assignee[]; message: Label }
  | {
      type: 'email';
      template: string;
      to_field: string;
      lang?: Lang | null;
      attachments?: Array<{ document: string } | { field: string }>;
    }
  | { type: 'render_document'; document: string; lang?: DocumentLang }
  | { type: 'set_fields'; fields: Fields }
  | { type: 'move'; to: string }
  | ({ type: 'convert_lead' } & { [key: string]: unknown })
  | {
      type: 'approval';
      code: string;
      title: Label;
      description?: Label;
      steps: Array<{
        label?: Label;
        approvers: Assignee[];
        rule?: ApprovalRule;
        deadline?: Offset;
        escalate_after?: Offset;
        escalate_to?: Assignee[];
      }>;
      rework_by?: Assignee;
      max_rework?: number;
    }
  | {
      type: 'acknowledge';
      code: string;
      title: Label;
      document_field?: string;
      roster?: Assignee[];
      roster_field?: string;
      deadline?: Offset;
      deadline_field?: string;
      remind_before?: Offset;
    }
  | { type: 'start_process'; pipeline: string; fields?: { [field: string]: string }; parent_field?: string }
  | { type: 'signal'; to_field: string; name: string };

export interface AutomationDef {
  code: string;
  label: Label;
  on: Trigger;
  when?: Condition;
  run: Activity;
  on_leave?: 'cancel' | 'keep';
  when_skipped?: 'ignore' | 'run';
}

// ─── Commands ───────────────────────────────────────────────────────────────────────────

/** Who acts: a user id and the roles the host's directory gives them. */
export interface Actor {
  user: string;
  roles?: string[];
}

/** What a command does; discriminated on `type`. */
export type Action =
  | {
      type: 'create';
      id: string;
      pipeline: string;
      stage?: string;
      responsible?: string;
      fields?: Fields;
    }
  | { type: 'set_fields'; fields: Fields }
  | { type: 'move'; to: string; fields?: Fields; override_reason?: string }
  | { type: 'tick' }
  | { type: 'complete_task'; task: string; answers?: Fields }
  | { type: 'answer_form'; task: string; answers: Fields }
  | { type: 'check_item'; task: string; item: number; done: boolean }
  | { type: 'resolve_duplicates'; contact?: string; company?: string }
  | { type: 'signal'; name: string; from?: string }
  | {
      type: 'capture_lead';
      id: string;
      channel: string;
      fields?: Fields;
      responsible?: string;
    };

/** A command: an action with its actor, the moment, and optional concurrency guards. */
export interface Command<A extends Action = Action> {
  actor: Actor;
  /** The moment of the command (a `Date` is sent as its ISO text). The library never reads a clock. */
  now: DateTimeString | Date;
  /** The record version the command was built on; a different one is rejected as stale. */
  expected_version?: number;
  /** Makes retries safe: a key already applied to the record is rejected. */
  idempotency_key?: string;
  /** The org structure, for automations that resolve heads, departments, roles, deputies. */
  org?: Org;
  action: A;
}

/** The org structure the host passes with commands. */
export interface Org {
  users?: OrgUser[];
  departments?: Department[];
}

export interface OrgUser {
  id: string;
  name?: string;
  department?: string;
  roles?: string[];
  absences?: { from: DateTimeString; to: DateTimeString; deputy?: string }[];
}

export interface Department {
  code: string;
  label?: Label;
  parent?: string;
  heads?: string[];
}

// ─── Records and events ─────────────────────────────────────────────────────────────────

export type TaskStatus = 'open' | 'done' | 'cancelled';

/** A plain task, an approver's decision, a rework request or an acknowledgement. */
export type TaskKind = 'plain' | 'approval' | 'rework' | 'acknowledgement';

export interface ChecklistItem {
  label: Label;
  done: boolean;
}

/** A task for a person, created by an automation. */
export interface Task {
  id: string;
  code: string;
  automation: string;
  run: string;
  title: Label;
  description?: Label;
  assignee: Recipient;
  observers?: Recipient[];
  deadline?: DateTimeString;
  checklist?: ChecklistItem[];
  /** The answers so far (the questions are the model's: `Model.taskForm`). */
  answers?: Fields;
  /** Absent for a plain task. */
  kind?: TaskKind;
  status: TaskStatus;
  created_at: DateTimeString;
  closed_at?: DateTimeString;
  closed_by?: string;
}

/** A pending timer. */
export interface Timer {
  id: string;
  due: DateTimeString;
  automation: string;
  run?: string;
  field?: string;
}

/** Where one activity of a run stands; discriminated on `state`. */
export type StepState =
  | { state: 'done' }
  | { state: 'at'; index: number }
  | { state: 'branch'; then: boolean }
  | { state: 'round'; round: number }
  | { state: 'waiting'; timer?: string; stalled?: string }
  | { state: 'task'; task: string }
  | { state: 'answered'; task: string }
  | { state: 'awaiting_signal'; name: string }
  | {
      state: 'approval';
      step: number;
      round: number;
      tasks?: string[];
      rework?: string;
      timer?: string;
      escalated?: boolean;
      outcome?: 'approved' | 'rejected';
    }
  | { state: 'acknowledge'; tasks: string[]; timer?: string; reminded?: boolean }
  | { state: 'awaiting_duplicates' }
  | { state: 'matches'; contact?: string; company?: string };

/** An automation in progress. */
export interface Run {
  id: string;
  automation: string;
  stage?: string;
  started_at: DateTimeString;
  cause_task?: string;
  /** By the activity's index (as a string key). */
  steps: { [index: string]: StepState };
}

/**
 * A record (lead, deal, request…) as the host stores it: a snapshot of what is live. Its
 * events go to the host's own log (`Model.replay` rebuilds the record from them).
 */
export interface Record {
  id: string;
  entity: string;
  pipeline: string;
  stage: string;
  responsible?: string;
  fields: Fields;
  version: number;
  created_at: DateTimeString;
  updated_at: DateTimeString;
  stage_entered_at: DateTimeString;
  return_stage?: string;
  tasks?: Task[];
  timers?: Timer[];
  runs?: Run[];
  last_id?: number;
  /** The user who created the record. */
  created_by: string;
  /** The latest document request id per document code. */
  documents?: { [document: string]: string };
  /** The idempotency keys of the latest commands (at most 64), oldest first. */
  recent_keys?: RecentKey[];
}

/** An idempotency key a record remembers, with the version its command left the record at. */
export interface RecentKey {
  key: string;
  version: number;
}

export type RunOutcome = 'finished' | 'cancelled' | 'failed';

export type DocumentLang = 'ru' | 'en' | 'both';

export type AttachmentRef =
  | { kind: 'document'; request: string; document: string }
  | { kind: 'file'; id: string; name: string };

export interface Email {
  template: string;
  to: string;
  subject: string;
  body: string;
  lang: Lang;
  attachments?: AttachmentRef[];
}

export interface DocumentRequest {
  document: string;
  template: string;
  number_format: string;
  lang: DocumentLang;
  record: string;
}

export interface DuplicateKeys {
  emails?: string[];
  phones?: string[];
  company_names?: string[];
  tax_ids?: string[];
}

export type LinkedRecord =
  | { action: 'created'; id: string; entity: string; fields: Fields }
  | { action: 'linked'; id: string };

/** A field's value before and after a change (`null`: empty). */
export interface FieldChange {
  from: FieldValue;
  to: FieldValue;
}

/** What an event changed; discriminated on `type`. */
export type Change =
  | {
      type: 'created';
      id: string;
      entity: string;
      pipeline: string;
      stage: string;
      responsible?: string;
      fields: Fields;
    }
  | { type: 'fields_changed'; changes: { [code: string]: FieldChange } }
  | { type: 'requirements_overridden'; stage: string; missing: string[]; reason: string }
  | { type: 'stage_changed'; from: string; to: string; return_stage?: string }
  | { type: 'run_updated'; run: Run }
  | { type: 'run_ended'; run: string; automation: string; outcome: RunOutcome }
  | { type: 'task_created'; task: Task }
  | { type: 'task_answered'; task: string; answers: Fields }
  | { type: 'checklist_checked'; task: string; item: number; done: boolean }
  | { type: 'task_closed'; task: string; status: TaskStatus; answers?: Fields }
  | { type: 'timer_set'; timer: Timer }
  | { type: 'timer_cleared'; timer: string; fired: boolean }
  | { type: 'notified'; id: string; to: Recipient[]; message: Label }
  | { type: 'email_queued'; id: string; email: Email }
  | { type: 'document_requested'; id: string; document: DocumentRequest }
  | { type: 'duplicates_requested'; id: string; keys: DuplicateKeys }
  | { type: 'lead_converted'; contact: LinkedRecord; company: LinkedRecord; deal: string }
  | { type: 'approval_decided'; approval: string; step: number; round: number; decision: 'approve' | 'rework' | 'reject' }
  | { type: 'process_started'; record: string; pipeline: string }
  | { type: 'signal_sent'; id: string; to: string; name: string }
  | { type: 'signal_received'; name: string; from?: string }
  | {
      type: 'automation_failed';
      run: string;
      automation: string;
      code: number;
      message: Label;
    };

/** Who, when, and (flattened in) what changed. */
export interface EventHeader {
  /** The record's version after this event. */
  version: number;
  at: DateTimeString;
  actor: string;
  idempotency_key?: string;
  by_automation?: string;
}

/** Something that happened to a record; discriminated on `type`. */
export type Event = EventHeader & Change;

// ─── Outcomes and effects ───────────────────────────────────────────────────────────────

/** Work for the host; discriminated on `type`. */
export type Effect =
  | { type: 'create_task'; record: string; task: Task; /** The task's form, if it has one. */ form?: FieldDef[] }
  | { type: 'close_task'; record: string; task: string; status: TaskStatus }
  | { type: 'notify'; record: string; id: string; to: Recipient[]; message: Label }
  | { type: 'send_email'; record: string; id: string; email: Email }
  | { type: 'render_document'; record: string; id: string; document: DocumentRequest }
  | { type: 'find_duplicates'; record: string; id: string; keys: DuplicateKeys }
  | { type: 'deliver_signal'; record: string; id: string; to: string; name: string }
  | {
      type: 'create_record';
      source: string;
      entity: string;
      id: string;
      fields?: Fields;
      /** The new record's snapshot, for a deal or a process. */
      record?: Record;
      /** The events that made `record`: the start of its own log. */
      events?: Event[];
    };

export type TraceKind =
  | 'started'
  | 'skipped'
  | 'resumed'
  | 'waiting'
  | 'finished'
  | 'cancelled'
  | 'failed';

/** What happened to an automation during a command, and why. */
export interface TraceEntry {
  automation: string;
  run?: string;
  what: TraceKind;
  reason: string;
}

/** The result of an accepted command. */
export interface Outcome {
  record: Record;
  events: Event[];
  effects: Effect[];
  trace: TraceEntry[];
}

/** What a command decided (`Model.decide`): the outcome without the new record. */
export interface Decision {
  events: Event[];
  effects: Effect[];
  trace: TraceEntry[];
}

/** What an accepted command did to a stored record (`Store.apply`): the outcome without the record. */
export interface Applied {
  ok: true;
  /** The record's version after the command. */
  version: number;
  /** The record's stage after the command. */
  stage: string;
  events: Event[];
  effects: Effect[];
  trace: TraceEntry[];
}

/** One result of `Store.applyBatch`: what happened (without the trace), or why not. */
export type BatchResult = Omit<Applied, 'trace'> | { ok: false; error: VoronkaError };

/**
 * What an accepted command did, without its events (`{events: false}`), for hosts that keep
 * no event log. The effects always come back: the host carries them out.
 */
export type LeanApplied = Omit<Applied, 'events' | 'trace'>;

/** One result of `Store.applyBatch(batch, {events: false})`. */
export type LeanBatchResult = LeanApplied | { ok: false; error: VoronkaError };

/** What a `Store` call returns. */
export interface StoreOptions {
  /**
   * `false`: leave the events (and the trace) out of the result, which is faster (for hosts
   * that keep no event log). Default `true`.
   */
  events?: boolean;
}

/** A field missing to enter a stage (or an answer missing to complete a task). */
export interface MissingField {
  /** The field's code (for "any of", the first of the group). */
  field: string;
  label: Label;
  /** The field's type, so a UI can show an input for it. */
  type: FieldType;
  /** `value`: the field is empty; `other_text`: "other" is chosen without its text. */
  part: 'value' | 'other_text';
  /** For an "any of" requirement: all the fields of which one would do. */
  any_of?: string[];
}

/** What entering a stage needs, computed without trying. */
export interface Requirements {
  stage: string;
  stage_label: Label;
  move_allowed: boolean;
  missing: MissingField[];
}

// ─── Errors ─────────────────────────────────────────────────────────────────────────────

/** Why a value is invalid; discriminated on `reason`. */
export type ValueProblem =
  | { reason: 'wrong_type'; expected: string }
  | { reason: 'too_long'; max: number }
  | { reason: 'out_of_range'; min: string | null; max: string | null }
  | { reason: 'too_precise'; scale: number }
  | { reason: 'invalid_decimal' }
  | { reason: 'float_not_allowed' }
  | { reason: 'invalid_date' }
  | { reason: 'invalid_date_time' }
  | { reason: 'invalid_email' }
  | { reason: 'invalid_phone' }
  | { reason: 'invalid_url' }
  | { reason: 'unknown_option'; option: string }
  | { reason: 'other_text_not_allowed' }
  | { reason: 'not_multiple' }
  | { reason: 'duplicate_option'; option: string }
  | { reason: 'invalid_currency' }
  | { reason: 'currency_not_allowed'; currency: string }
  | { reason: 'missing_part'; part: string }
  | { reason: 'unknown_part'; part: string }
  | { reason: 'empty' }
  | {
      reason: 'invalid_requisite';
      requisite: 'inn' | 'kpp' | 'ogrn' | 'bik' | 'bank_account' | 'corr_account';
      problem: 'length' | 'characters' | 'check_digit' | 'bik_mismatch';
    };

/** An invalid value of one field: where, and (flattened in) why. */
export type InvalidValue = { field: string; at: string; label: Label } & ValueProblem;

export type Permission = 'create' | 'move' | 'edit' | 'override' | 'complete_task';

/** Details of a rejected command (`3xxx`); discriminated on `kind`. */
export type RejectionDetails =
  | { kind: 'missing_fields'; stage: string; stage_label: Label; missing: MissingField[] }
  | { kind: 'invalid_values'; errors: InvalidValue[] }
  | {
      kind: 'transition_not_allowed';
      from: string;
      to: string;
      from_label?: Label;
      to_label: Label;
    }
  | {
      kind: 'not_permitted';
      user: string;
      action: Permission;
      field?: string;
      stage?: string;
      allowed_roles: string[];
    }
  | { kind: 'stale_version'; expected: number; actual: number }
  | { kind: 'duplicate_command'; key: string }
  | { kind: 'unknown_stage'; stage: string }
  | { kind: 'unknown_fields'; fields: string[] }
  | { kind: 'record_exists'; id: string }
  | { kind: 'record_missing' }
  | { kind: 'unknown_pipeline'; pipeline: string }
  | { kind: 'clock_went_back'; now: string; last: string }
  | { kind: 'already_in_stage'; stage: string }
  | {
      kind: 'would_break_requirements';
      stage: string;
      stage_label: Label;
      missing: MissingField[];
    }
  | { kind: 'invalid_command'; path: string; message: string }
  | { kind: 'unknown_task'; task: string }
  | { kind: 'task_closed'; task: string }
  | { kind: 'missing_answers'; task: string; title: Label; missing: MissingField[] }
  | { kind: 'invalid_answers'; task: string; errors: InvalidValue[] }
  | { kind: 'checklist_incomplete'; task: string; items: Label[] }
  | { kind: 'nothing_to_resolve' }
  | { kind: 'automation_limit'; limit: number }
  | { kind: 'limit_exceeded'; limit_name: keyof Limits; limit: number; actual: number; path: string };

/** Details of a decoding error (`1xxx`). */
export type DecodeDetails =
  | { line: number; column: number }
  | { size: number; limit: number; limit_name: string }
  | { line: number; column: number; limit: number; limit_name: string };

/** One problem of a definition (`2xxx`, or a decoding error), as `check` lists them. */
export interface Diagnostic {
  code: number;
  name: string;
  path: string;
  message: string;
  /** For `too_many` (2018): the limit exceeded. */
  limit?: number;
  /** For `too_many` (2018): its name, e.g. `"stages_per_pipeline"`. */
  limit_name?: string;
}

/** Details of an invalid definition: every problem. */
export interface DefinitionDetails {
  problems: Diagnostic[];
}

/** Details of an error the binding itself reports (code 0: a panic inside the module). */
export interface PanicDetails {
  panic: string | null;
  cause: string;
}

export type ErrorDetails =
  | RejectionDetails
  | DecodeDetails
  | DefinitionDetails
  | PanicDetails
  | { [key: string]: unknown };

/** An error as data, exactly as the core reports it (`voronka::ErrorReport`). */
export interface ErrorReport {
  /** The stable numeric code. */
  code: number;
  /** The stable name of the code, e.g. `"missing_fields"`. */
  name: string;
  /** The JSON path of the bad part, where there is one. */
  path?: string;
  /** A message for people, in the model's language. */
  message: string;
  details: ErrorDetails;
}

/**
 * Every error the package throws for bad input, an invalid definition or a rejected command.
 * `name` is `"VoronkaError"`; the core's stable name of the code is `kind`.
 */
export declare class VoronkaError extends Error {
  readonly name: 'VoronkaError';
  /** `1xxx` decoding, `2xxx` definition, `3xxx` rejection (`31xx` value reasons); 0: a panic. */
  readonly code: number;
  /** The stable name of the code, e.g. `"missing_fields"` (`"panic"` for code 0). */
  readonly kind: string;
  /** The JSON path of the bad part (`"action.fields.website"`), or `null`. */
  readonly path: string | null;
  /** Structured details: for `missing_fields`, `details.missing` lists the fields. */
  readonly details: ErrorDetails;
  /** The report as the library gave it. */
  readonly report: ErrorReport;
  private constructor(report: ErrorReport);
  toJSON(): ErrorReport;
}

// ─── The model ──────────────────────────────────────────────────────────────────────────

export interface Options {
  /** The language of error messages: `"en"` (default) or `"ru"`. */
  lang?: Lang;
}

/**
 * Resource limits of a model; each exceeded limit is an error with its code, path and name.
 * Every key is optional: missing ones take the defaults shown.
 */
export interface Limits {
  /** Bytes of the definition's JSON (1003). Default 4 MiB. */
  definition_bytes?: number;
  /** Bytes of a record's or a command's JSON (1003). Default 16 MiB. */
  input_bytes?: number;
  /** Nesting of arrays and objects in the definition (1004). Default 48. */
  definition_depth?: number;
  /** Nesting of arrays and objects in a record or a command (1004). Default 64. */
  json_depth?: number;
  /** Stages of one pipeline (2018). Default and upper bound 128. */
  stages_per_pipeline?: number;
  /** Fields of one entity (2018). Default 500. */
  fields_per_entity?: number;
  /** Activities in all automations of one pipeline (2018). Default 5000. */
  activities_per_pipeline?: number;
  /** Characters of a string or items of an array in a command's values and answers (3023). Default 100000. */
  value_length?: number;
  /** Events one command may produce (3023). Default 5000. */
  events_per_command?: number;
  /** Automation steps of one command (3022). Default 10000. */
  steps_per_command?: number;
  /** Timers one tick may fire (3023). Default 1000. */
  timers_per_tick?: number;
}

/** Options of a model: the language and the limits. */
export interface ModelOptions extends Options {
  /** Overrides of the default limits. */
  limits?: Limits;
}

/** A compiled definition: validated once, then used for any number of commands. */
export declare class Model {
  private constructor();
  /** Compiles a definition (an object or JSON text); throws a `VoronkaError` listing every problem. */
  static fromJSON(definition: Definition | string, options?: ModelOptions): Model;
  /** The built-in eco-packaging example: lead funnel L1–L7 and deal funnel D1–D14. */
  static ecoPackaging(options?: ModelOptions): Model;
  /** Every problem of a definition (empty when it compiles). */
  static check(definition: Definition | string, options?: Options): Diagnostic[];
  /** The language of error messages. */
  lang: Lang;
  /** The definition this model was compiled from. */
  readonly definition: Definition;
  /** Applies a command to a record (`null` to create); throws a `VoronkaError` when rejected. */
  apply(record: Record | null, command: Command): Outcome;
  /**
   * Decides a command without applying it: its events, effects and trace; throws a
   * `VoronkaError` when rejected. Changes nothing.
   */
  decide(record: Record | null, command: Command): Decision;
  /** What entering `stage` needs from the record. */
  requirements(record: Record, stage: string): Requirements;
  /** The stage codes the record may move to now. */
  nextStages(record: Record): string[];
  /**
   * The form of a task (its questions, in the definition's order): `pipeline` is the record's,
   * `automation` and `code` the task's. Empty when the task has no form or there is no such task.
   */
  taskForm(pipeline: string, automation: string, code: string): FieldDef[];
  /** When to tick the record next, or `null`. */
  nextDue(record: Record): DateTimeString | null;
  /** Fires the timers due at `now` (a `tick` command; the actor defaults to `{user: "system"}`). */
  tick(record: Record, now: DateTimeString | Date, actor?: Actor): Outcome;
  /** Rebuilds a record from its events; `null` when they do not start with `created`. */
  replay(events: Event[]): Record | null;
  /** The normalized keys to look up a lead's existing contact and company. */
  duplicateKeys(record: Record): DuplicateKeys;
  /** A record store over this model: records kept inside the module, addressed by id. */
  store(): Store;
  /** Frees the compiled model now (it is also freed when garbage-collected); later calls throw a `TypeError`. */
  free(): void;
}

/**
 * Records kept inside the module by id: commands cross the boundary without the record and
 * come back as what happened. The fast path for hosts that run many commands. A rejected
 * command throws (or, in a batch, reports) its `VoronkaError` and leaves the record as it was.
 */
export declare class Store {
  private constructor();
  /**
   * Applies a command to the record `id`; a `create` (or `capture_lead`) must name `id`.
   * With `{events: false}` the result leaves the events and the trace out.
   */
  apply(id: string, command: Command, options: { events: false }): LeanApplied;
  apply(id: string, command: Command, options?: { events?: true }): Applied;
  apply(id: string, command: Command, options: StoreOptions): Applied | LeanApplied;
  /**
   * Applies `[id, command]` pairs in order in one call. A rejection does not stop the batch;
   * only a batch that cannot be decoded throws, and then nothing is applied. With
   * `{events: false}` the results leave the events out. A rejected command's `error` is a
   * `VoronkaError` without a stack trace (it was not thrown).
   */
  applyBatch(batch: Array<[string, Command]>, options: { events: false }): LeanBatchResult[];
  applyBatch(batch: Array<[string, Command]>, options?: { events?: true }): BatchResult[];
  applyBatch(batch: Array<[string, Command]>, options: StoreOptions): Array<BatchResult | LeanBatchResult>;
  /** The stored record `id`, or `null`. */
  get(id: string): Record | null;
  /** Stores a record (as saved by the host) under its own id, replacing one with that id; returns the id. */
  put(record: Record): string;
  /** Removes the record `id`; `true` when there was one. */
  delete(id: string): boolean;
  /** Whether a record `id` is stored. */
  has(id: string): boolean;
  /** The ids of the stored records, sorted. */
  ids(): string[];
  /** How many records are stored. */
  readonly size: number;
  /** Frees the store and its records now (also done when garbage-collected); later calls throw a `TypeError`. */
  free(): void;
}

/** Every problem of a definition (empty when it compiles). */
export declare function check(definition: Definition | string, options?: Options): Diagnostic[];
/** When to tick the record next, or `null`. */
export declare function nextDue(record: Record, options?: Options): DateTimeString | null;
/** Rebuilds a record from its events; `null` when they do not start with `created`. */
export declare function replay(events: Event[], options?: Options): Record | null;
/** The normalized keys to look up a lead's existing contact and company. */
export declare function duplicateKeys(record: Record, options?: Options): DuplicateKeys;
/** The built-in eco-packaging definition. */
export declare function ecoPackagingDefinition(): Definition;
/** One error code of the core, as `errorCodes()` lists it. */
export interface ErrorCodeInfo {
  /** The stable number (`1xxx` decoding, `2xxx` definition problems, `3xxx` rejected commands): `err.code`. */
  code: number;
  /** The stable snake_case name, e.g. `missing_fields`: `err.kind`. */
  name: string;
  /** A short English description without a full stop, e.g. `Fields are missing to enter the stage`. */
  description: string;
}

/** Every error code of the core, in increasing order (a fresh array on each call). */
export declare function errorCodes(): ErrorCodeInfo[];
/** The version of the voronka core in this package. */
export declare function version(): string;

declare const api: {
  Model: typeof Model;
  Store: typeof Store;
  VoronkaError: typeof VoronkaError;
  check: typeof check;
  nextDue: typeof nextDue;
  replay: typeof replay;
  duplicateKeys: typeof duplicateKeys;
  ecoPackagingDefinition: typeof ecoPackagingDefinition;
  errorCodes: typeof errorCodes;
  version: typeof version;
};
export default api;
