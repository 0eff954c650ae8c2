//! The rendering API.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;
use std::sync::LazyLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::{DateTime, Datelike, Timelike, Utc};
use serde::de::DeserializeOwned;
use serde_json::Value;
use typst::foundations::{Datetime, Smart};
use typst::layout::{Frame, FrameItem};
use typst::utils::Scalar;
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, Timestamp};

use crate::error::Error;
use crate::model::{
    Act, Cmr, CommercialOffer, Invoice, Language, PackingList, Specification, Text,
};
use crate::world::{DocWorld, Shared};
use crate::{templates, view};

/// One of the seven bundled documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum DocumentKind {
    /// Commercial offer (коммерческое предложение), code `commercial_offer`.
    CommercialOffer,
    /// International consignment note (CMR), code `cmr`.
    Cmr,
    /// Invoice for payment (счёт на оплату), code `invoice`.
    Invoice,
    /// Packing list (упаковочный лист), code `packing_list`.
    PackingList,
    /// Act (акт приёма-передачи / оказанных услуг), code `act`.
    Act,
    /// Specification to a contract (спецификация), code `specification`.
    Specification,
    /// Russian consignment note for carriage by road inside Russia
    /// (транспортная накладная, the form of the Rules approved by Decree
    /// No. 2200 of the Government of the Russian Federation of 21.12.2020),
    /// code `waybill`. Its data is the CMR's ([`Cmr`]).
    Waybill,
}

impl DocumentKind {
    /// All bundled documents.
    pub const ALL: [Self; 7] = [
        Self::CommercialOffer,
        Self::Cmr,
        Self::Invoice,
        Self::PackingList,
        Self::Act,
        Self::Specification,
        Self::Waybill,
    ];

    /// The stable code, e.g. `invoice`.
    pub fn code(self) -> &'static str {
        match self {
            Self::CommercialOffer => "commercial_offer",
            Self::Cmr => "cmr",
            Self::Invoice => "invoice",
            Self::PackingList => "packing_list",
            Self::Act => "act",
            Self::Specification => "specification",
            Self::Waybill => "waybill",
        }
    }

    /// Looks a document up by its [`code`](Self::code).
    ///
    /// # Errors
    /// [`Error::UnknownTemplate`] for any other string.
    pub fn from_code(code: &str) -> Result<Self, Error> {
        Self::ALL
            .into_iter()
            .find(|k| k.code() == code)
            .ok_or_else(|| Error::UnknownTemplate {
                code: code.to_owned(),
            })
    }

    /// The typst source of the bundled template, a starting point for a
    /// template of one's own. It imports the helpers of `/voronka.typ`, which
    /// every render provides.
    pub fn template_source(self) -> &'static str {
        match self {
            Self::CommercialOffer => templates::COMMERCIAL_OFFER,
            Self::Cmr => templates::CMR,
            Self::Invoice => templates::INVOICE,
            Self::PackingList => templates::PACKING_LIST,
            Self::Act => templates::ACT,
            Self::Specification => templates::SPECIFICATION,
            Self::Waybill => templates::WAYBILL,
        }
    }
}

/// Which consignment note carriage by road from a sender in country `from`
/// to a place of delivery in country `to` needs: inside Russia the
/// транспортная накладная ([`DocumentKind::Waybill`]), the form in force for
/// domestic carriage; across a border (or anywhere else) the CMR
/// ([`DocumentKind::Cmr`]). A country that is not given counts as Russia;
/// Russia may be written `Россия`, `Российская Федерация`, `РФ`, `Russia`,
/// `Russian Federation`, `RU`, `RUS` or `643`, in any case.
///
/// ```
/// use voronka_docs::{DocumentKind, Text, shipment_note_kind};
/// let russia = Text::from("Россия");
/// let germany = Text::localized("Германия", "Germany");
/// assert_eq!(shipment_note_kind(Some(&russia), Some(&Text::from("russia"))), DocumentKind::Waybill);
/// assert_eq!(shipment_note_kind(Some(&russia), Some(&germany)), DocumentKind::Cmr);
/// assert_eq!(shipment_note_kind(None, None), DocumentKind::Waybill);
/// ```
pub fn shipment_note_kind(from: Option<&Text>, to: Option<&Text>) -> DocumentKind {
    if crate::model::is_russia(from) && crate::model::is_russia(to) {
        DocumentKind::Waybill
    } else {
        DocumentKind::Cmr
    }
}

impl fmt::Display for DocumentKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for DocumentKind {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        Self::from_code(s)
    }
}

/// A document with its typed data.
// A document is built once per render; boxing the CMR would only complicate
// construction.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Document {
    /// Commercial offer.
    CommercialOffer(CommercialOffer),
    /// International consignment note.
    Cmr(Cmr),
    /// Invoice for payment.
    Invoice(Invoice),
    /// Packing list.
    PackingList(PackingList),
    /// Act.
    Act(Act),
    /// Specification.
    Specification(Specification),
    /// Russian consignment note (транспортная накладная), with the CMR's data.
    Waybill(Cmr),
}

macro_rules! from_doc {
    ($($v:ident),*) => {$(
        impl From<$v> for Document {
            fn from(d: $v) -> Self {
                Self::$v(d)
            }
        }
    )*};
}
from_doc!(
    CommercialOffer,
    Cmr,
    Invoice,
    PackingList,
    Act,
    Specification
);

fn parse<T: DeserializeOwned>(json: &str) -> Result<T, Error> {
    let de = &mut serde_json::Deserializer::from_str(json);
    serde_path_to_error::deserialize(de).map_err(path_error)
}

fn parse_value<T: DeserializeOwned>(value: Value) -> Result<T, Error> {
    serde_path_to_error::deserialize(value).map_err(path_error)
}

fn path_error(e: serde_path_to_error::Error<serde_json::Error>) -> Error {
    let path = e.path().to_string();
    let inner = e.into_inner();
    let mut message = inner.to_string();
    // serde_json appends "at line X column Y" for text input; keep it, it
    // helps to find the spot, but drop it for an in-memory value.
    if inner.line() == 0 {
        message = message.trim_end_matches(" at line 0 column 0").to_owned();
    }
    Error::InvalidData { path, message }
}

impl Document {
    /// Sample data for `kind` from the reference case (an eco-packaging
    /// manufacturer: a commercial offer in roubles to a Russian café chain,
    /// the shipping set for an export to Germany in euros, and a transport
    /// waybill for a delivery inside Russia), for demos,
    /// previews and as an example of the JSON format.
    pub fn sample(kind: DocumentKind) -> Self {
        match Self::from_json(kind, Self::sample_json(kind)) {
            Ok(doc) => doc,
            // The samples are checked by the tests; this cannot happen.
            Err(e) => unreachable!("bundled sample {kind} is invalid: {e}"),
        }
    }

    /// The JSON text of the sample for `kind` (see [`sample`](Self::sample)).
    pub fn sample_json(kind: DocumentKind) -> &'static str {
        match kind {
            DocumentKind::CommercialOffer => include_str!("../samples/commercial_offer.json"),
            DocumentKind::Cmr => include_str!("../samples/cmr.json"),
            DocumentKind::Invoice => include_str!("../samples/invoice.json"),
            DocumentKind::PackingList => include_str!("../samples/packing_list.json"),
            DocumentKind::Act => include_str!("../samples/act.json"),
            DocumentKind::Specification => include_str!("../samples/specification.json"),
            DocumentKind::Waybill => include_str!("../samples/waybill.json"),
        }
    }

    /// Which bundled document this is.
    pub fn kind(&self) -> DocumentKind {
        match self {
            Self::CommercialOffer(_) => DocumentKind::CommercialOffer,
            Self::Cmr(_) => DocumentKind::Cmr,
            Self::Invoice(_) => DocumentKind::Invoice,
            Self::PackingList(_) => DocumentKind::PackingList,
            Self::Act(_) => DocumentKind::Act,
            Self::Specification(_) => DocumentKind::Specification,
            Self::Waybill(_) => DocumentKind::Waybill,
        }
    }

    /// Parses JSON text into the typed data of `kind`.
    ///
    /// # Errors
    /// [`Error::InvalidData`] naming the path of the first missing, unknown
    /// or mistyped field, e.g. `items[2].quantity`.
    pub fn from_json(kind: DocumentKind, json: &str) -> Result<Self, Error> {
        Ok(match kind {
            DocumentKind::CommercialOffer => Self::CommercialOffer(parse(json)?),
            DocumentKind::Cmr => Self::Cmr(parse(json)?),
            DocumentKind::Invoice => Self::Invoice(parse(json)?),
            DocumentKind::PackingList => Self::PackingList(parse(json)?),
            DocumentKind::Act => Self::Act(parse(json)?),
            DocumentKind::Specification => Self::Specification(parse(json)?),
            DocumentKind::Waybill => Self::Waybill(parse(json)?),
        })
    }

    /// Converts a JSON value into the typed data of `kind`.
    ///
    /// # Errors
    /// As [`from_json`](Self::from_json).
    pub fn from_value(kind: DocumentKind, value: Value) -> Result<Self, Error> {
        Ok(match kind {
            DocumentKind::CommercialOffer => Self::CommercialOffer(parse_value(value)?),
            DocumentKind::Cmr => Self::Cmr(parse_value(value)?),
            DocumentKind::Invoice => Self::Invoice(parse_value(value)?),
            DocumentKind::PackingList => Self::PackingList(parse_value(value)?),
            DocumentKind::Act => Self::Act(parse_value(value)?),
            DocumentKind::Specification => Self::Specification(parse_value(value)?),
            DocumentKind::Waybill => Self::Waybill(parse_value(value)?),
        })
    }

    /// Checks the data and computes what the template shows: line amounts,
    /// VAT, totals, totals in words, formatted numbers and dates. This is the
    /// JSON a template reads from `/data.json`; it has a `lang` field
    /// (`ru`, `en` or `both`).
    ///
    /// # Errors
    /// [`Error::InvalidData`] when a value is out of range (a negative price,
    /// no line items, a shipping document without weights, …);
    /// [`Error::AmountOutOfRange`] for a total too large to write in words.
    pub fn prepare(&self, lang: Language) -> Result<Value, Error> {
        match self {
            Self::CommercialOffer(d) => view::offer(d, lang),
            Self::Cmr(d) => view::cmr(d, lang),
            Self::Invoice(d) => view::invoice(d, lang),
            Self::PackingList(d) => view::packing_list(d, lang),
            Self::Act(d) => view::act(d, lang),
            Self::Specification(d) => view::specification(d, lang),
            Self::Waybill(d) => view::waybill(d, lang),
        }
    }
}

/// A typst template: the main source plus any files it reads or imports
/// (images, other `.typ` modules), addressed by absolute virtual paths such
/// as `/logo.png`.
///
/// Every render also provides `/data.json` (the data) and `/voronka.typ` (the
/// data and the helpers the bundled templates use). The helpers themselves
/// are `/voronka-helpers.typ`, which reads only `/voronka-lang.json`, the
/// data's `lang`. A file given here replaces the bundled one of the same
/// path; `/data.json` and `/voronka-lang.json` always come from the data.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Template {
    source: String,
    files: BTreeMap<String, Vec<u8>>,
}

impl Template {
    /// A template from typst source.
    pub fn new(source: impl Into<String>) -> Self {
        Self {
            source: source.into(),
            files: BTreeMap::new(),
        }
    }

    /// The bundled template of `kind`.
    pub fn bundled(kind: DocumentKind) -> Self {
        Self::new(kind.template_source())
    }

    /// Adds a file the template can read (`image("/logo.png")`) or import
    /// (`#import "/parts.typ": *`).
    #[must_use]
    pub fn with_file(mut self, path: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        self.files.insert(path.into(), bytes.into());
        self
    }

    /// The main source.
    pub fn source(&self) -> &str {
        &self.source
    }
}

/// How to render: the language and the current time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RenderOptions {
    /// Language of the document (default Russian).
    pub lang: Language,
    /// The current time, supplied by the host: `datetime.today()` in a
    /// template and the PDF's creation date. The library never reads the clock.
    pub now: DateTime<Utc>,
}

impl RenderOptions {
    /// Options for a Russian document rendered at `now`.
    pub fn new(now: DateTime<Utc>) -> Self {
        Self {
            lang: Language::default(),
            now,
        }
    }

    /// The same options with another language.
    #[must_use]
    pub fn with_language(mut self, lang: Language) -> Self {
        self.lang = lang;
        self
    }
}

/// A laid-out document, ready to export as PDF or PNG.
#[derive(Debug, Clone)]
pub struct Rendered {
    doc: PagedDocument,
    now: DateTime<Utc>,
}

impl Rendered {
    /// Number of pages.
    pub fn page_count(&self) -> usize {
        self.doc.pages().len()
    }

    /// The document as PDF bytes. The same data, template and `now` give the
    /// same bytes.
    ///
    /// # Errors
    /// [`Error::Export`] if typst cannot write the PDF.
    pub fn pdf(&self) -> Result<Vec<u8>, Error> {
        let n = self.now;
        let timestamp = Datetime::from_ymd_hms(
            n.year(),
            u8::try_from(n.month()).unwrap_or(1),
            u8::try_from(n.day()).unwrap_or(1),
            u8::try_from(n.hour()).unwrap_or(0),
            u8::try_from(n.minute()).unwrap_or(0),
            u8::try_from(n.second()).unwrap_or(0),
        )
        .map(Timestamp::new_utc);
        let options = PdfOptions {
            ident: Smart::Auto,
            timestamp,
            ..PdfOptions::default()
        };
        typst_pdf::pdf(&self.doc, &options).map_err(|diags| Error::Export {
            message: diags
                .iter()
                .map(|d| d.message.to_string())
                .collect::<Vec<_>>()
                .join("; "),
        })
    }

    /// One page (zero-based) as a PNG image, `pixels_per_pt` pixels per
    /// typographic point (2.0 gives about 144 dpi; an A4 page is 595×842 pt).
    ///
    /// # Errors
    /// [`Error::PageOutOfRange`] for a page the document does not have;
    /// [`Error::Export`] if the PNG cannot be encoded or the scale is not a
    /// positive number of at most 10.
    pub fn png(&self, page: usize, pixels_per_pt: f32) -> Result<Vec<u8>, Error> {
        let pages = self.doc.pages();
        let Some(p) = pages.get(page) else {
            return Err(Error::PageOutOfRange {
                page,
                pages: pages.len(),
            });
        };
        if !(pixels_per_pt > 0.0 && pixels_per_pt <= 10.0) {
            return Err(Error::Export {
                message: format!("pixels_per_pt must be in (0, 10], got {pixels_per_pt}"),
            });
        }
        let opts = typst_render::RenderOptions {
            pixel_per_pt: Scalar::new(f64::from(pixels_per_pt)),
            render_bleed: false,
        };
        typst_render::render(p, &opts)
            .encode_png()
            .map_err(|e| Error::Export {
                message: e.to_string(),
            })
    }

    /// The text of the document in reading order of its layout, one text run
    /// per line. Useful for indexing and for tests.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for page in self.doc.pages() {
            collect_text(&page.frame, &mut out);
        }
        out
    }
}

fn collect_text(frame: &Frame, out: &mut String) {
    for (_, item) in frame.items() {
        match item {
            FrameItem::Group(g) => collect_text(&g.frame, out),
            FrameItem::Text(t) => {
                out.push_str(&t.text);
                out.push('\n');
            }
            _ => {}
        }
    }
}

fn to_bytes(v: &Value) -> Result<Vec<u8>, Error> {
    serde_json::to_vec(v).map_err(|e| Error::data(".", e.to_string()))
}

/// The language the helpers of `/voronka.typ` see, as JSON: the data's `lang`
/// field as it is, `"ru"` when there is none (what
/// `data.at("lang", default: "ru")` gives in typst).
fn lang_of(data: &Value) -> Result<Vec<u8>, Error> {
    match data.get("lang") {
        Some(lang) => to_bytes(lang),
        None => Ok(br#""ru""#.to_vec()),
    }
}

/// Renders documents: owns what every document shares (typst's standard
/// library and the embedded fonts, parsed once) and keeps typst's memoized
/// work of recent documents, so a host that renders many documents keeps one
/// `Renderer` and gets the warm speed.
///
/// # Memory
///
/// typst memoizes parsing, evaluation, text shaping and layout in caches
/// that are global to the process. After each document a renderer drops
/// every entry that none of the last [`cache_documents`](Self::cache_documents)
/// documents used, so memory stays bounded by the working set of those
/// documents, however many are rendered. `0` drops everything after each
/// document (smallest memory, every document as slow as a first one). The
/// caches are shared by all renderers of the process: with several renderers
/// the smallest setting wins. When the last renderer is dropped, the caches
/// are emptied.
///
/// The free functions [`render`], [`render_json`], … use one renderer of the
/// process with the default setting, built on first use.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use voronka_docs::{Document, DocumentKind, RenderOptions, Renderer};
///
/// let renderer = Renderer::new().with_cache_documents(4);
/// let now = Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).unwrap();
/// for kind in [DocumentKind::Invoice, DocumentKind::Act] {
///     let pdf = renderer.render(&Document::sample(kind), &RenderOptions::new(now))?.pdf()?;
///     assert!(pdf.starts_with(b"%PDF-"));
/// }
/// # Ok::<(), voronka_docs::Error>(())
/// ```
pub struct Renderer {
    shared: Shared,
    cache_documents: usize,
}

/// How many renderers are alive: the last one to go empties typst's caches.
static LIVE_RENDERERS: AtomicUsize = AtomicUsize::new(0);

impl Renderer {
    /// How many documents' memoized work a renderer keeps unless told otherwise.
    pub const DEFAULT_CACHE_DOCUMENTS: usize = 2;

    /// A renderer: builds the standard library and parses the embedded fonts
    /// (a few milliseconds; do it once).
    pub fn new() -> Self {
        LIVE_RENDERERS.fetch_add(1, Ordering::SeqCst);
        Self {
            shared: Shared::new(),
            cache_documents: Self::DEFAULT_CACHE_DOCUMENTS,
        }
    }

    /// The same renderer keeping the memoized work of the last `documents`
    /// documents (see [Memory](Self#memory)).
    #[must_use]
    pub fn with_cache_documents(mut self, documents: usize) -> Self {
        self.cache_documents = documents;
        self
    }

    /// How many documents' memoized work this renderer keeps.
    pub fn cache_documents(&self) -> usize {
        self.cache_documents
    }

    fn compile(
        &self,
        source: &str,
        data: &Value,
        files: &BTreeMap<String, Vec<u8>>,
        now: DateTime<Utc>,
    ) -> Result<Rendered, Error> {
        let world = DocWorld::new(
            &self.shared,
            source,
            to_bytes(data)?,
            lang_of(data)?,
            files.iter().map(|(k, v)| (k.clone(), v.clone())),
            now,
        )?;
        let result = typst::compile::<PagedDocument>(&world).output;
        let out = match result {
            Ok(doc) => Ok(Rendered { doc, now }),
            Err(diags) => Err(world.error(&diags)),
        };
        typst::comemo::evict(self.cache_documents);
        out
    }

    /// Renders a document with its bundled template; see [`render`].
    ///
    /// # Errors
    /// As [`render`].
    pub fn render(&self, doc: &Document, opts: &RenderOptions) -> Result<Rendered, Error> {
        self.render_with_template(&Template::bundled(doc.kind()), doc, opts)
    }

    /// Renders a document with a template of the host's own; see
    /// [`render_with_template`].
    ///
    /// # Errors
    /// As [`render_with_template`].
    pub fn render_with_template(
        &self,
        template: &Template,
        doc: &Document,
        opts: &RenderOptions,
    ) -> Result<Rendered, Error> {
        let data = doc.prepare(opts.lang)?;
        self.compile(&template.source, &data, &template.files, opts.now)
    }

    /// Parses JSON for a bundled document and renders it; see [`render_json`].
    ///
    /// # Errors
    /// As [`render_json`].
    pub fn render_json(
        &self,
        kind: &str,
        json: &str,
        opts: &RenderOptions,
    ) -> Result<Rendered, Error> {
        let kind = DocumentKind::from_code(kind)?;
        self.render(&Document::from_json(kind, json)?, opts)
    }

    /// Renders any template with any JSON data; see [`render_source`].
    ///
    /// # Errors
    /// As [`render_source`].
    pub fn render_source(
        &self,
        template: &Template,
        data: &Value,
        opts: &RenderOptions,
    ) -> Result<Rendered, Error> {
        self.compile(&template.source, data, &template.files, opts.now)
    }
}

impl Default for Renderer {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for Renderer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Renderer")
            .field("cache_documents", &self.cache_documents)
            .finish_non_exhaustive()
    }
}

impl Drop for Renderer {
    fn drop(&mut self) {
        if LIVE_RENDERERS.fetch_sub(1, Ordering::SeqCst) == 1 {
            // No renderer is left to reuse the memoized work (which holds
            // clones of this renderer's fonts): release it.
            typst::comemo::evict(0);
        }
    }
}

/// The renderer of the free functions, built on first use.
pub(crate) fn shared_renderer() -> &'static Renderer {
    static RENDERER: LazyLock<Renderer> = LazyLock::new(Renderer::new);
    &RENDERER
}

/// Renders a document with its bundled template.
///
/// # Errors
/// [`Error::InvalidData`] or [`Error::AmountOutOfRange`] when the data does
/// not fit (see [`Document::prepare`]); [`Error::Template`] if the template
/// fails (a bug for bundled templates).
pub fn render(doc: &Document, opts: &RenderOptions) -> Result<Rendered, Error> {
    shared_renderer().render(doc, opts)
}

/// Renders a document with a template of the host's own, which reads the
/// same prepared data as the bundled one (see [`Document::prepare`]).
///
/// # Errors
/// As [`render`]; [`Error::Template`] with the file, line and column of the
/// first error in the template.
pub fn render_with_template(
    template: &Template,
    doc: &Document,
    opts: &RenderOptions,
) -> Result<Rendered, Error> {
    shared_renderer().render_with_template(template, doc, opts)
}

/// Parses JSON for a bundled document (by code, e.g. `"invoice"`), checks it
/// and renders it with the bundled template.
///
/// # Errors
/// [`Error::UnknownTemplate`] for an unknown code; [`Error::InvalidData`]
/// naming the path of a missing or mistyped field; as [`render`] otherwise.
pub fn render_json(kind: &str, json: &str, opts: &RenderOptions) -> Result<Rendered, Error> {
    shared_renderer().render_json(kind, json, opts)
}

/// Renders any template with any JSON data, passed unchanged as
/// `/data.json`. Nothing is checked or computed in Rust.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use voronka_docs::{RenderOptions, Template, render_source};
///
/// let template = Template::new(r#"#let d = json("/data.json")
/// Hello, #d.name! Today is #datetime.today().display()."#);
/// let now = Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap();
/// let doc = render_source(&template, &serde_json::json!({ "name": "[world]" }), &RenderOptions::new(now))?;
/// assert!(doc.text().contains("Hello, [world]!"));
/// assert!(doc.text().contains("2026-01-02"));
/// # Ok::<(), voronka_docs::Error>(())
/// ```
///
/// # Errors
/// [`Error::Template`] with the file, line and column of the first error.
pub fn render_source(
    template: &Template,
    data: &Value,
    opts: &RenderOptions,
) -> Result<Rendered, Error> {
    shared_renderer().render_source(template, data, opts)
}
