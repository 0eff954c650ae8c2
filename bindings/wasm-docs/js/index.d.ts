// Types of the npm package `voronka-docs`. Hand-written to match the Rust crate voronka-docs
// (crates/voronka-docs) and its binding (bindings/wasm-docs/src/lib.rs).

/** The code of a bundled document. */
export type DocumentKind =
  | 'commercial_offer'
  | 'cmr'
  | 'invoice'
  | 'packing_list'
  | 'act'
  | 'specification'
  | 'waybill';

/** The language of a document: Russian (default), English, or both side by side. */
export type Language = 'ru' | 'en' | 'both';

/** A moment: a `Date`, or RFC 3339 text such as `"2026-11-27T09:00:00Z"`. */
export type Moment = Date | string;

/**
 * The data of a bundled document as JSON-compatible values (see `sampleData(kind)` and the
 * crate's `samples/*.json`): amounts, quantities and rates as strings (`"12.50"`, exact) or
 * numbers, dates as `"YYYY-MM-DD"`. Checked by the library, which names the path of any
 * missing or mistyped field.
 */
export type DocumentData = { [key: string]: unknown };

/** How to render. `now` is required: the library never reads the clock. */
export interface RenderOptions {
  /** The current time: `datetime.today()` in templates and the PDF's creation date. */
  now: Moment;
  /** Default `"ru"`. */
  lang?: Language;
}

/** A PNG preview: which page and how large. */
export interface PngOptions extends RenderOptions {
  /** Zero-based page, default 0. */
  page?: number;
  /** Pixels per typographic point (an A4 page is 595×842 pt), in (0, 10], default 1. */
  scale?: number;
}

/** A template of one's own. */
export interface TemplateOptions extends RenderOptions {
  /**
   * With a kind, the data is that bundled document's: checked, and prepared (amounts
   * formatted, totals and the total in words computed) as the bundled template reads it.
   * Without, the data is any JSON, read as it is with `json("/data.json")`.
   */
  kind?: DocumentKind;
  /** Files the template reads or imports, by absolute path: `{ "/logo.png": bytes }`. */
  files?: { [path: string]: Uint8Array | ArrayBuffer | string };
}

/** Executing a render-document effect. */
export interface EffectOptions {
  /** The current time; the document is dated `now` in the company's time zone. */
  now: Moment;
  /** The host's next value of its sequence for this document (the number's `{seq}`). */
  seq: number;
}

/** What the core asks to render (`effect.document` of a `render_document` effect). */
export interface DocumentRequest {
  /** The document's code in the definition. */
  document: string;
  /** The bundled template, a `DocumentKind`. */
  template: string;
  /** The number format, e.g. `"INV-{year}-{seq:05}"`. */
  number_format: string;
  lang: Language;
  /** The record's id. */
  record: string;
}

/** A `render_document` effect of the core package `voronka`. */
export interface RenderDocumentEffect {
  type: 'render_document';
  record: string;
  id: string;
  document: DocumentRequest;
}

/**
 * A text as entered: one string for every language, or a Russian and an English form (a
 * Russian document prints `ru`, an English one `en`, each falling back to the other).
 */
export type Text = string | { ru?: string | null; en?: string | null };

/** Bank details of a party. */
export interface BankDetails {
  bank_name: Text;
  account: string;
  /** БИК of a Russian bank, 9 digits (a SWIFT code goes to `swift`). */
  bic?: string | null;
  /** SWIFT/BIC, printed on English and export documents. */
  swift?: string | null;
  correspondent_account?: string | null;
  bank_address?: Text | null;
}

/** Who signs for a party. */
export interface Signatory {
  name: Text;
  position: Text;
  position_en?: string | null;
  /** The basis of authority, after «действующий на основании»: `{ru: 'Устава', en: 'the Charter'}`. */
  basis?: Text | null;
}

/** A seller, buyer, carrier or any other party. */
export interface Party {
  name: Text;
  /** The legal address. */
  address: Text;
  country?: Text | null;
  inn?: string | null;
  kpp?: string | null;
  ogrn?: string | null;
  vat_id?: string | null;
  bank?: BankDetails | null;
  phone?: string | null;
  email?: string | null;
  signatory?: Signatory | null;
  chief_accountant?: Text | null;
}

/** The host's own data the documents need besides the record. */
export interface CompanyProfile {
  seller: Party;
  /** E.g. `"+03:00"`: documents are dated `now` there (default UTC). */
  utc_offset?: string | null;
  currency?: 'RUB' | 'EUR' | 'USD' | 'CNY' | null;
  place?: Text | null;
  delivery_terms?: Text | null;
  lead_time?: Text | null;
  offer_intro?: Text | null;
  /** Days to pay an invoice when the deal has no payment due date (default 10). */
  invoice_due_days?: number | null;
  shipping?: {
    taking_over_place: Text;
    carrier: Party;
    vehicle?: Text | null;
    sender_instructions?: Text | null;
    packing: { package_type: Text; max_net_kg: string | number; tare_kg: string | number };
  } | null;
}

/** The document rendered for an effect. */
export interface ExecutedDocument {
  /** The number used, e.g. `"INV-2026-00001"`. */
  number: string;
  kind: DocumentKind;
  pdf: Uint8Array;
}

/** The stable names of the error codes. */
export type ErrorKind =
  | 'unknown_template'
  | 'template_error'
  | 'invalid_data'
  | 'amount_out_of_range'
  | 'invalid_number_format'
  | 'page_out_of_range'
  | 'export_failed'
  | 'missing_record_field'
  | 'panic'
  | 'internal';

/** An error report as the library gives it. */
export interface ErrorReport {
  /** 5001 unknown_template, 5002 template_error, 5003 invalid_data, 5004 amount_out_of_range,
   * 5005 invalid_number_format, 5006 page_out_of_range, 5007 export_failed,
   * 5008 missing_record_field; 0 a panic (a bug). */
  code: number;
  name: ErrorKind;
  message: string;
  path?: string | null;
  details: { [key: string]: unknown } | null;
}

/**
 * An error of voronka-docs. `name` is `"VoronkaDocsError"`; the stable name of the code is
 * `kind`.
 */
export declare class VoronkaDocsError extends Error {
  readonly name: 'VoronkaDocsError';
  /** The stable numeric code (5001–5099; 0 a panic). */
  readonly code: number;
  readonly kind: ErrorKind;
  /** The data path (`items[2].quantity`), the record field, or the template's file; or `null`. */
  readonly path: string | null;
  /** For a template error: the file, e.g. `/main.typ`; otherwise `null`. */
  readonly file: string | null;
  /** For a template error: the one-based line, when typst gave a position; otherwise `null`. */
  readonly line: number | null;
  /** For a template error: the one-based column, when typst gave a position; otherwise `null`. */
  readonly column: number | null;
  /** The error's fields; for a template error `{file, line, column, message, hints}` with typst's message. */
  readonly details: { [key: string]: unknown };
  readonly report: ErrorReport;
  toJSON(): ErrorReport;
}

/** Renders a bundled document from its data with the bundled template; returns the PDF. */
export declare function renderDocument(kind: DocumentKind, data: DocumentData, options: RenderOptions): Uint8Array;
/** One page of a bundled document as PNG. */
export declare function pngPreview(kind: DocumentKind, data: DocumentData, options: PngOptions): Uint8Array;
/** The text of a rendered bundled document, one text run per line (for indexing and tests). */
export declare function documentText(kind: DocumentKind, data: DocumentData, options: RenderOptions): string;
/** Renders typst source of one's own with the data; returns the PDF. */
export declare function renderTemplate(source: string, data: unknown, options: TemplateOptions): Uint8Array;
/**
 * Executes a `render_document` effect (or its `document` request) for the record it names,
 * with the host's company profile and next sequence value.
 */
export declare function executeRenderEffect(
  effect: RenderDocumentEffect | DocumentRequest,
  record: object,
  company: CompanyProfile,
  options: EffectOptions,
): ExecutedDocument;
/** The codes of the bundled documents. */
export declare const kinds: readonly DocumentKind[];
/** The reference data of a bundled document. */
export declare function sampleData(kind: DocumentKind): DocumentData;
/** The typst source of a bundled template, to start a template of one's own from. */
export declare function templateSource(kind: DocumentKind): string;
/** The version of voronka-docs in this package. */
export declare function version(): string;

declare const api: {
  VoronkaDocsError: typeof VoronkaDocsError;
  renderDocument: typeof renderDocument;
  pngPreview: typeof pngPreview;
  documentText: typeof documentText;
  renderTemplate: typeof renderTemplate;
  executeRenderEffect: typeof executeRenderEffect;
  kinds: typeof kinds;
  sampleData: typeof sampleData;
  templateSource: typeof templateSource;
  version: typeof version;
};
export default api;
