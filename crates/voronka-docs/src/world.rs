//! Our own typst `World`: embedded fonts, in-memory files, a fixed clock.

use std::collections::HashMap;
use std::sync::OnceLock;

use chrono::{DateTime, Datelike, Duration as ChronoDuration, Utc};
use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_kit::fonts::FontStore;

use crate::error::Error;

/// What every document of a [`Renderer`](crate::Renderer) shares: typst's
/// standard library and the fonts embedded in typst-kit (Libertinus Serif,
/// New Computer Modern, DejaVu Sans Mono), built once. No system font is
/// ever used.
pub(crate) struct Shared {
    library: LazyHash<Library>,
    fonts: FontStore,
    /// The bundled helpers and templates, each parsed on first use and then
    /// reused: the same `Source` (text and syntax tree) every document, so
    /// typst's memoized evaluation of them stays valid across documents.
    bundled: [OnceLock<Source>; BUNDLED],
}

/// How many sources are bundled: the two helper modules and the seven templates.
const BUNDLED: usize = crate::templates::ALL.len();

impl Shared {
    /// Builds the library and parses the embedded fonts.
    pub(crate) fn new() -> Self {
        let mut fonts = FontStore::new();
        fonts.extend(typst_kit::fonts::embedded());
        Self {
            library: LazyHash::new(Library::default()),
            fonts,
            bundled: Default::default(),
        }
    }

    /// The parsed source of `text` at `id`: the cached parse when `text` is
    /// a bundled helper module at its own path (see
    /// [`MODULE_PATHS`](crate::templates::MODULE_PATHS)) or a bundled
    /// template at [`MAIN_PATH`], a fresh one otherwise. So a cached source
    /// always has the id it is asked for.
    fn source(&self, id: FileId, path: &str, text: &str) -> Source {
        let slot = crate::templates::ALL
            .iter()
            .position(|bundled| std::ptr::eq(*bundled, text) || *bundled == text)
            .filter(|&i| {
                path == crate::templates::MODULE_PATHS
                    .get(i)
                    .copied()
                    .unwrap_or(MAIN_PATH)
            });
        match slot {
            Some(i) => self.bundled[i]
                .get_or_init(|| Source::new(id, text.to_owned()))
                .clone(),
            None => Source::new(id, text.to_owned()),
        }
    }
}

/// Path of the template's main file inside the world.
pub(crate) const MAIN_PATH: &str = "/main.typ";
/// Path of the JSON data inside the world.
pub(crate) const DATA_PATH: &str = "/data.json";
/// Path of the module the bundled templates import (data and helpers).
pub(crate) const LIB_PATH: &str = "/voronka.typ";
/// Path of the helpers themselves, which read no data.
pub(crate) const HELPERS_PATH: &str = "/voronka-helpers.typ";
/// Path of the language of the document inside the world (JSON), the only
/// input of the helpers: evaluated once per language, they are the same
/// values for every document, so typst's memoized calls of them stay valid.
pub(crate) const LANG_PATH: &str = "/voronka-lang.json";

/// Turns a user-facing path (`logo.png` or `/logo.png`) into a file id.
pub(crate) fn file_id(path: &str) -> Result<FileId, Error> {
    let vpath = VirtualPath::new(with_slash(path)).map_err(|e| Error::InvalidData {
        path: "files".to_owned(),
        message: format!("invalid file path `{path}`: {e}"),
    })?;
    Ok(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

/// `path` with a leading slash.
fn with_slash(path: &str) -> String {
    if path.starts_with('/') {
        path.to_owned()
    } else {
        format!("/{path}")
    }
}

/// The world of one document: its own files over the renderer's shared
/// library and fonts.
pub(crate) struct DocWorld<'a> {
    shared: &'a Shared,
    main: FileId,
    sources: HashMap<FileId, Source>,
    files: HashMap<FileId, Bytes>,
    now: DateTime<Utc>,
}

impl<'a> DocWorld<'a> {
    /// Builds a world from the main source, the JSON data, the language for
    /// the helpers (JSON) and extra files (path → bytes). Extra `.typ` files
    /// are importable sources.
    pub(crate) fn new(
        shared: &'a Shared,
        main: &str,
        data: Vec<u8>,
        lang: Vec<u8>,
        extra: impl IntoIterator<Item = (String, Vec<u8>)>,
        now: DateTime<Utc>,
    ) -> Result<Self, Error> {
        let main_id = file_id(MAIN_PATH)?;
        let mut sources = HashMap::new();
        let mut files = HashMap::new();
        for (path, text) in crate::templates::MODULE_PATHS
            .into_iter()
            .zip(crate::templates::ALL)
        {
            let id = file_id(path)?;
            sources.insert(id, shared.source(id, path, text));
        }
        for (path, bytes) in extra {
            let id = file_id(&path)?;
            if path.ends_with(".typ") {
                let text = String::from_utf8(bytes).map_err(|_| Error::InvalidData {
                    path: "files".to_owned(),
                    message: format!("`{path}` is not valid UTF-8"),
                })?;
                sources.insert(id, shared.source(id, &with_slash(&path), &text));
            } else {
                files.insert(id, Bytes::new(bytes));
            }
        }
        sources.insert(main_id, shared.source(main_id, MAIN_PATH, main));
        files.insert(file_id(DATA_PATH)?, Bytes::new(data));
        files.insert(file_id(LANG_PATH)?, Bytes::new(lang));
        Ok(Self {
            shared,
            main: main_id,
            sources,
            files,
            now,
        })
    }

    /// Converts typst's diagnostics into our coded error, with the position
    /// of the first error.
    pub(crate) fn error(&self, diags: &[SourceDiagnostic]) -> Error {
        let Some(diag) = diags
            .iter()
            .find(|d| d.severity == typst::diag::Severity::Error)
            .or(diags.first())
        else {
            return Error::Template {
                file: MAIN_PATH.to_owned(),
                line: None,
                column: None,
                message: "unknown error".to_owned(),
                hints: Vec::new(),
            };
        };
        let id = diag.span.id();
        let file = id.map_or_else(
            || MAIN_PATH.to_owned(),
            |id| id.vpath().get_with_slash().to_owned(),
        );
        let (mut line, mut column) = (None, None);
        if let (Some(id), Some(range)) = (id, self.range(diag.span)) {
            let text = match self.sources.get(&id) {
                Some(src) => Some(src.text().to_owned()),
                None => self
                    .files
                    .get(&id)
                    .and_then(|b| std::str::from_utf8(b.as_slice()).ok().map(str::to_owned)),
            };
            if let Some(text) = text
                && let Some(before) = text.get(..range.start)
            {
                line = Some(before.matches('\n').count() + 1);
                let line_start = before.rfind('\n').map_or(0, |i| i + 1);
                column = Some(before[line_start..].chars().count() + 1);
            }
        }
        Error::Template {
            file,
            line,
            column,
            message: diag.message.to_string(),
            hints: diag.hints.iter().map(|h| h.v.to_string()).collect(),
        }
    }
}

impl World for DocWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.shared.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.shared.fonts.book()
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if let Some(src) = self.sources.get(&id) {
            return Ok(src.clone());
        }
        if self.files.contains_key(&id) {
            return Err(FileError::NotSource);
        }
        Err(not_found(id))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if let Some(bytes) = self.files.get(&id) {
            return Ok(bytes.clone());
        }
        if let Some(src) = self.sources.get(&id) {
            return Ok(Bytes::from_string(src.clone()));
        }
        Err(not_found(id))
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.shared.fonts.font(index)
    }

    fn today(&self, offset: Option<Duration>) -> Option<Datetime> {
        // The caller's `now`, never the system clock. Without an offset the
        // date is taken in UTC.
        let shifted = match offset {
            Some(d) => {
                let secs = time_secs(d)?;
                self.now.checked_add_signed(ChronoDuration::seconds(secs))?
            }
            None => self.now,
        };
        Datetime::from_ymd(
            shifted.year(),
            u8::try_from(shifted.month()).ok()?,
            u8::try_from(shifted.day()).ok()?,
        )
    }
}

fn time_secs(d: Duration) -> Option<i64> {
    let secs = d.seconds();
    if secs.is_finite() && secs.abs() < 1.0e9 {
        // Offsets are whole hours or minutes; rounding is exact for them.
        #[allow(clippy::cast_possible_truncation)]
        Some(secs.round() as i64)
    } else {
        None
    }
}

fn not_found(id: FileId) -> FileError {
    if matches!(id.root(), VirtualRoot::Package(_)) {
        return FileError::Other(Some(
            "packages are not available: this renderer works offline".into(),
        ));
    }
    FileError::NotFound(id.vpath().get_without_slash().into())
}
