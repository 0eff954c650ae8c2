//! The error type: every failure carries a stable numeric code and a machine
//! name, so that hosts in other languages can branch on it.

/// Everything that can go wrong while preparing or rendering a document.
///
/// Each variant has a stable numeric [`code`](Error::code) in the range
/// 5001–5099 (reserved for this crate) and a stable machine
/// [`name`](Error::name); the `Display` text is for people and may change.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// No bundled template has this code.
    #[error(
        "unknown template `{code}` (expected one of: commercial_offer, cmr, invoice, packing_list, act, specification, waybill)"
    )]
    UnknownTemplate {
        /// The code that was asked for.
        code: String,
    },
    /// The template failed to compile: a syntax error, an evaluation error or
    /// a layout error reported by typst.
    #[error("template error in {file} at {}: {message}", position(*.line, *.column))]
    Template {
        /// The virtual path of the file with the error, e.g. `/main.typ` for
        /// the template itself.
        file: String,
        /// One-based line of the error in that file, when typst gave a position.
        line: Option<usize>,
        /// One-based column (in characters) of the error, when typst gave a position.
        column: Option<usize>,
        /// typst's message.
        message: String,
        /// typst's hints, if any.
        hints: Vec<String>,
    },
    /// The data does not fit the document: a field is missing, has the
    /// wrong type or an invalid value.
    #[error("invalid data at `{path}`: {message}")]
    InvalidData {
        /// Where in the data, e.g. `items[2].quantity`; `.` for the root.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// An amount is negative or too large to be written in words.
    #[error(
        "amount {amount} cannot be written in words (must be between 0 and 999999999999999.99)"
    )]
    AmountOutOfRange {
        /// The amount as given.
        amount: String,
    },
    /// A document number format string is malformed.
    #[error("invalid document number format `{format}` at byte {offset}: {message}")]
    InvalidNumberFormat {
        /// The format string.
        format: String,
        /// Byte offset of the problem in `format`.
        offset: usize,
        /// What is wrong.
        message: String,
    },
    /// A page was asked for that the document does not have.
    #[error("page {page} does not exist: the document has {pages} page(s)")]
    PageOutOfRange {
        /// The zero-based page index asked for.
        page: usize,
        /// How many pages the document has.
        pages: usize,
    },
    /// A record field a document needs is empty (see
    /// [`execute_render`](crate::execute_render)).
    #[error("the {document} needs the record field `{field}`, which is empty")]
    MissingRecordField {
        /// The record field, e.g. `company_name` or `order_items[1].weight`.
        field: String,
        /// The document's code, e.g. `invoice`.
        document: String,
    },
    /// Writing the PDF or the PNG failed.
    #[error("export failed: {message}")]
    Export {
        /// What went wrong.
        message: String,
    },
}

fn position(line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!("line {l}, column {c}"),
        (Some(l), None) => format!("line {l}"),
        _ => "an unknown position".to_owned(),
    }
}

impl Error {
    /// The stable numeric code of this error (5001–5099).
    ///
    /// | code | name |
    /// |------|------|
    /// | 5001 | `unknown_template` |
    /// | 5002 | `template_error` |
    /// | 5003 | `invalid_data` |
    /// | 5004 | `amount_out_of_range` |
    /// | 5005 | `invalid_number_format` |
    /// | 5006 | `page_out_of_range` |
    /// | 5007 | `export_failed` |
    /// | 5008 | `missing_record_field` |
    pub fn code(&self) -> u32 {
        match self {
            Self::UnknownTemplate { .. } => 5001,
            Self::Template { .. } => 5002,
            Self::InvalidData { .. } => 5003,
            Self::AmountOutOfRange { .. } => 5004,
            Self::InvalidNumberFormat { .. } => 5005,
            Self::PageOutOfRange { .. } => 5006,
            Self::Export { .. } => 5007,
            Self::MissingRecordField { .. } => 5008,
        }
    }

    /// The stable machine name of this error, e.g. `template_error`.
    pub fn name(&self) -> &'static str {
        match self {
            Self::UnknownTemplate { .. } => "unknown_template",
            Self::Template { .. } => "template_error",
            Self::InvalidData { .. } => "invalid_data",
            Self::AmountOutOfRange { .. } => "amount_out_of_range",
            Self::InvalidNumberFormat { .. } => "invalid_number_format",
            Self::PageOutOfRange { .. } => "page_out_of_range",
            Self::Export { .. } => "export_failed",
            Self::MissingRecordField { .. } => "missing_record_field",
        }
    }

    pub(crate) fn data(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self::InvalidData {
            path: path.into(),
            message: message.into(),
        }
    }
}
