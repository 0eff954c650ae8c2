//! Business documents for voronka — commercial offer, CMR, invoice, packing
//! list, act and specification — rendered to PDF (and PNG previews) with
//! [typst](https://typst.app), embedded as a library.
//!
//! This crate performs no I/O: it reads no files, no clock and no network.
//! The host passes the data, the current time (`now`) and, if it wants, its
//! own templates; it gets PDF or PNG bytes back and stores or sends them.
//!
//! # How it works
//!
//! * **Data** is typed: [`Invoice`], [`Cmr`], … deserialise from JSON with
//!   the path of any missing or mistyped field reported
//!   ([`Error::InvalidData`], e.g. `items[2].quantity`) before typst runs.
//! * **Money** is computed in Rust with [`rust_decimal`]: line amounts, VAT,
//!   totals and the total in words ([`words`]) reach the template as
//!   ready-made strings; the template does no arithmetic.
//! * **Templates** are typst files embedded in the crate; a host may replace
//!   any of them ([`Template`], [`render_with_template`]) or render a template
//!   of its own with any JSON ([`render_source`]). Data reaches the template
//!   as the virtual file `/data.json` (read with `json("/data.json")`), never
//!   pasted into markup, so a client called `#exit()` or `*bold*` prints as
//!   written.
//! * **Determinism**: only the fonts embedded in the library are used, and
//!   `datetime.today()` is the caller's `now`, so the same input gives the
//!   same PDF bytes on every machine.
//! * **Speed and memory**: a [`Renderer`] parses the fonts once and keeps
//!   typst's memoized work of the last few documents, dropping the rest after
//!   each document, so a long-running host is fast and does not grow.
//!
//! # The documents
//!
//! | code | document | data |
//! |------|----------|------|
//! | `commercial_offer` | commercial offer (deal stage D2) | [`CommercialOffer`] |
//! | `invoice` | invoice for payment, with the seller's bank details | [`Invoice`] |
//! | `packing_list` | packing list: packages, net and gross weights, volume | [`PackingList`] |
//! | `act` | act of acceptance of goods or of services, under a contract | [`Act`] |
//! | `specification` | specification, an annex to a contract | [`Specification`] |
//! | `cmr` | international consignment note, boxes 1–24 | [`Cmr`] |
//! | `waybill` | транспортная накладная, the Russian consignment note for carriage inside Russia | [`Cmr`] |
//!
//! Which consignment note a shipment needs follows from its route
//! ([`shipment_note_kind`]): inside Russia the транспортная накладная, across
//! a border the CMR; [`execute_render`] applies this rule.
//!
//! Each is rendered in Russian, English or both ([`Language`]); [`Document::sample`]
//! gives the reference case's data for each, and `samples/*.json` in the
//! crate shows the JSON format.
//!
//! # Languages, requisites and typography
//!
//! * An English document has only English template text and English number
//!   formatting (`1,234.56`), a Russian one only Russian (`1 234,56`), a
//!   bilingual one both. Data is printed as entered; a name, an address, a
//!   bank or a term may be entered in both languages as a [`Text`]
//!   (`{"ru": "Королёв", "en": "Korolev"}`), so that the company's own
//!   details read in English on English documents.
//! * A bank's `bic` holds a Russian БИК (9 digits, checked); a SWIFT code has
//!   its own field, printed on English and bilingual documents and on export
//!   ones (the buyer abroad) only.
//! * The buyer's requisites (ИНН, КПП, ОГРН, bank, БИК, accounts, legal
//!   address, signatory and the basis of the signatory's authority) are
//!   printed wherever the seller's are, when the data has them.
//! * Spaces that must not break become no-break spaces when rendered
//!   ([`typography`]): `д. 12`, `склад 3`, `20 000 шт.`, `Смирнова А. В.`.
//! * The invoice deducts a prepayment received (an amount or a percentage)
//!   and asks for the rest by its due date; it is signed by the head and the
//!   chief accountant ([`Party::chief_accountant`]). The specification is an
//!   annex to its contract, dated on or after it, and states the
//!   prepayment's amount. The CMR's box 14 follows the Incoterms rule
//!   ([`CarriagePayment::from_incoterms`]).
//!
//! # Templates of one's own
//!
//! A template is typst source ([`Template`]). It reads its data with
//! `#let d = json("/data.json")`. With [`render_with_template`] the data is
//! the prepared JSON of a document ([`Document::prepare`]): every amount,
//! quantity and date is a ready-made string, totals and the total in words
//! are under `totals`, and `lang` says the language. A template may import
//! the helpers of the bundled ones with `#import "/voronka.typ": *`
//! (`setup`, `title`, `party`, `goods-table`, `totals-block`, `total-words`,
//! `signature`, …); [`DocumentKind::template_source`] gives a bundled template
//! to start from. With [`render_source`] the data is any JSON, passed as is.
//! Packages (`@preview/…`), system fonts and the file system are not
//! available; files the template needs are added with [`Template::with_file`].
//!
//! For speed, keep values from the data out of `set` rules that wrap the
//! whole document (a page footer with the document number, the document
//! title): typst reuses the layout of a table cell or a block from the
//! previous document only under identical styles. The bundled `setup` passes
//! the number to the footer through a `metadata` element for this reason.
//! The bundled templates also follow `setup` with `#show: body-block`, which
//! lays the body out as one block, so that typst's second pass over the
//! document (for the page count in the footer) reuses the body's layout.
//!
//! # Errors
//!
//! Every [`Error`] has a stable numeric [`code`](Error::code) (5001–5099)
//! and machine [`name`](Error::name): a template that does not compile gives
//! [`Error::Template`] with the file, line and column and typst's message;
//! data that does not fit gives [`Error::InvalidData`] with the path of the
//! item, such as `items[2].quantity`.
//!
//! A render-document effect of the core ([`voronka::Effect`]) is executed with
//! [`execute_render`]: the record's fields become the document's data (see
//! [`effect`]), the host's [`CompanyProfile`] gives the seller.
//!
//! Document numbers are made from a format such as `INV-{year}-{seq:05}` and
//! a sequence value kept by the host: [`format_document_number`].
//!
//! # Example
//!
//! ```
//! use chrono::{NaiveDate, TimeZone, Utc};
//! use voronka_docs::{Document, DocumentKind, Language, RenderOptions, render_json};
//!
//! let json = r#"{
//!     "number": "INV-2026-00042",
//!     "date": "2026-11-27",
//!     "currency": "RUB",
//!     "seller": { "name": "ООО «ЭкоПак»", "address": "Москва, ул. Лесная, 1", "inn": "7701234567" },
//!     "buyer": { "name": "Café *Bold* #exit()", "address": "Berlin" },
//!     "items": [
//!         { "name": "Коробка крафт 30×20×10", "quantity": 1000, "unit": "шт.", "price": "12.50", "vat_rate": 20 }
//!     ]
//! }"#;
//! let now = Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).unwrap();
//! let opts = RenderOptions::new(now).with_language(Language::Both);
//! let doc = render_json("invoice", json, &opts)?;
//! let pdf = doc.pdf()?; // store or send these bytes
//! assert!(pdf.starts_with(b"%PDF-"));
//! let preview = doc.png(0, 1.0)?; // the first page as PNG, 1 pixel per point
//! assert!(preview.starts_with(b"\x89PNG"));
//! assert!(doc.text().contains("Café *Bold* #exit()"));
//! // 1000 × 12.50 = 12 500.00 + 20 % VAT = 15 000.00
//! assert!(doc.text().contains("Пятнадцать тысяч рублей 00 копеек"));
//! # Ok::<(), voronka_docs::Error>(())
//! ```

mod decimal_serde;
pub mod effect;
mod error;
mod model;
mod numbering;
mod render;
mod templates;
mod text;
mod view;
pub mod words;
mod world;

pub use effect::{CompanyProfile, ExecutedDocument, document_for_request, execute_render};
pub use error::Error;
pub use model::{
    Act, ActSubject, BankDetails, CarriagePayment, Cmr, Commercial, CommercialOffer, ContractRef,
    Currency, Invoice, Language, LineItem, PackingList, Party, Signatory, Specification,
};
pub use numbering::format_document_number;
pub use render::{
    Document, DocumentKind, RenderOptions, Rendered, Renderer, Template, render, render_json,
    render_source, render_with_template, shipment_note_kind,
};
pub use text::{Text, typography};
