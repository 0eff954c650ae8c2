//! Errors: decoding, definition problems and command rejections, each with a stable code.
//!
//! Codes are grouped in blocks and never reused:
//! `1xxx` decoding JSON, `2xxx` problems of a definition, `3xxx` rejected commands,
//! `31xx` reasons a field value is invalid. The same numbers are the C library's return
//! values and `err.code` in JavaScript.

use serde::Serialize;
use serde_json::{Value, json};

use crate::i18n::{Label, Lang};
use crate::scan::{Frame, Scan};

/// Declares [`ErrorCode`] from one list of `Variant = number, "name", "description";` and
/// derives from it the enum, [`ErrorCode::ALL`], [`ErrorCode::from_u32`], [`ErrorCode::name`]
/// and [`ErrorCode::description`], so a code cannot be added to one and missed by another.
///
/// The description is the variant's doc comment (with a full stop); doc lines written above a
/// variant follow it. It is also the C library's `voronka_error_message`.
macro_rules! error_codes {
    ($(
        $(#[doc = $more:literal])*
        $variant:ident = $number:literal, $name:literal, $description:literal;
    )*) => {
        /// Every stable error code of the library.
        ///
        /// [`ErrorCode::ALL`] lists them; [`name`](ErrorCode::name) and
        /// [`description`](ErrorCode::description) give each one's stable name and a short
        /// English description. In JSON (serde) a code is its name.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
        #[serde(rename_all = "snake_case")]
        #[repr(u32)]
        #[non_exhaustive]
        pub enum ErrorCode {
            $(
                #[doc = concat!($description, ".")]
                $(#[doc = $more])*
                $variant = $number,
            )*
        }

        impl ErrorCode {
            /// Every code, in increasing order of number.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant),*];

            /// The code with this number, or `None` for a number that is no code of the core.
            pub const fn from_u32(number: u32) -> Option<ErrorCode> {
                match number {
                    $($number => Some(ErrorCode::$variant),)*
                    _ => None,
                }
            }

            /// The snake_case name, stable like the number (`"missing_fields"`); the same as
            /// the code's JSON (serde) form.
            pub const fn name(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $name,)*
                }
            }

            /// A short English description without a full stop (`"Fields are missing to enter
            /// the stage"`): the first sentence of the variant's documentation, and the C
            /// library's `voronka_error_message`.
            pub const fn description(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $description,)*
                }
            }
        }
    };
}

error_codes! {
    // 1xxx: decoding JSON.
    MalformedJson = 1001, "malformed_json", "The input is not well-formed JSON";
    InvalidShape = 1002, "invalid_shape",
        "The JSON is well-formed but does not have the expected shape";
    InputTooLarge = 1003, "input_too_large", "The input exceeds a size limit";
    NestingTooDeep = 1004, "nesting_too_deep",
        "The input nests arrays and objects deeper than allowed";

    // 2xxx: problems of a definition.
    UnsupportedFormat = 2001, "unsupported_format",
        "The definition's format version is not supported";
    InvalidCode = 2002, "invalid_code", "A code is not a lowercase identifier";
    DuplicateCode = 2003, "duplicate_code", "Two items share a code";
    EmptyLabel = 2004, "empty_label", "A label is empty";
    UnknownEntity = 2005, "unknown_entity", "A pipeline names an unknown entity";
    UnknownField = 2006, "unknown_field", "A requirement or condition names an unknown field";
    UnknownStage = 2007, "unknown_stage", "A move names an unknown stage";
    UnknownRole = 2008, "unknown_role", "A permission names an unknown role";
    UnreachableStage = 2009, "unreachable_stage", "No allowed move leads to this stage";
    NoWonStage = 2010, "no_won_stage", "A pipeline has no won stage";
    NeverFillable = 2011, "never_fillable", "A stage requires a field nobody may fill";
    NoStages = 2012, "no_stages", "A pipeline has no stages";
    InitialStageClosed = 2013, "initial_stage_closed",
        "Records would be created in a closed stage";
    AttributeNotApplicable = 2014, "attribute_not_applicable",
        "A field attribute does not apply to the field's type";
    EmptyChoice = 2015, "empty_choice", "A choice field has no options";
    InvalidConditionValue = 2016, "invalid_condition_value",
        "A condition compares a field with a value it can never have";
    InvalidBounds = 2017, "invalid_bounds", "A field's min is greater than its max";
    TooMany = 2018, "too_many", "A limit of the definition is exceeded";
    DuplicateKind = 2019, "duplicate_kind", "Two entities claim the same built-in kind";
    InvalidCurrency = 2020, "invalid_currency", "A currency is not an ISO 4217 code";
    InvalidMove = 2021, "invalid_move",
        "A move is contradictory (to itself, or a return from a closed stage)";
    UnknownTask = 2022, "unknown_task",
        "A condition or wait names a task the automation does not have";
    UnknownReference = 2023, "unknown_reference",
        "An automation names an unknown e-mail template, document or other item";
    InvalidTemplate = 2024, "invalid_template", "A template does not parse";
    /// For example a wait with no or several targets, or an empty sequence.
    InvalidActivity = 2025, "invalid_activity", "An activity is malformed";
    InvalidCalendar = 2026, "invalid_calendar", "The calendar is malformed";
    /// For example an activity after an endless loop.
    UnreachableActivity = 2027, "unreachable_activity", "An activity can never run";
    LoopWithoutWait = 2028, "loop_without_wait",
        "A loop whose body never waits: it has no exit but its round limit";

    // 3xxx: rejected commands.
    MissingFields = 3001, "missing_fields", "Fields are missing to enter the stage";
    InvalidValues = 3002, "invalid_values", "Some values are invalid";
    TransitionNotAllowed = 3003, "transition_not_allowed",
        "This move between stages is not allowed";
    NotPermitted = 3004, "not_permitted", "The actor may not do this";
    StaleVersion = 3005, "stale_version", "The record changed since the command was built";
    DuplicateCommand = 3006, "duplicate_command",
        "A command with this idempotency key was already applied";
    UnknownStageInCommand = 3007, "unknown_stage_in_command",
        "The command names a stage the pipeline does not have";
    UnknownFieldsInCommand = 3008, "unknown_fields_in_command",
        "The command names fields the entity does not have";
    /// A create command on an existing record, for example.
    RecordExists = 3009, "record_exists", "A record with this id already exists";
    RecordMissing = 3010, "record_missing", "The command needs a record and none was given";
    UnknownPipeline = 3011, "unknown_pipeline",
        "The command or record names a pipeline the model does not have";
    ClockWentBack = 3012, "clock_went_back",
        "The command's now is earlier than the record's last change";
    AlreadyInStage = 3013, "already_in_stage", "The record is already in that stage";
    WouldBreakRequirements = 3014, "would_break_requirements",
        "The change would empty a field the current stage requires";
    /// For example an empty id, or an empty override reason.
    InvalidCommand = 3015, "invalid_command", "The command itself is malformed";
    UnknownTaskInCommand = 3016, "unknown_task_in_command", "The record has no task with this id";
    TaskClosed = 3017, "task_closed", "The task is already done or cancelled";
    MissingAnswers = 3018, "missing_answers", "Required answers of a task's form are missing";
    InvalidAnswers = 3019, "invalid_answers", "Some answers are invalid";
    ChecklistIncomplete = 3020, "checklist_incomplete", "Required checklist items are not checked";
    NothingToResolve = 3021, "nothing_to_resolve",
        "No conversion is waiting for a duplicate look-up";
    /// A loop without end, for example.
    AutomationLimit = 3022, "automation_limit",
        "A command would run more automation steps than allowed";
    LimitExceeded = 3023, "limit_exceeded",
        "A command exceeds a limit of the model (a value's length, events, timers per tick)";
}

// `ALL` is in increasing order (lookups by number rely on it): checked when compiling.
const _: () = {
    let all = ErrorCode::ALL;
    let mut i = 1;
    while i < all.len() {
        assert!(
            all[i - 1].as_u32() < all[i].as_u32(),
            "ErrorCode::ALL is not increasing"
        );
        i += 1;
    }
};

impl ErrorCode {
    /// The numeric code.
    pub const fn as_u32(self) -> u32 {
        self as u32
    }
}

/// A JSON input could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// Not well-formed JSON.
    #[error("malformed JSON at line {line}, column {column}: {message}")]
    MalformedJson {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser saw.
        message: String,
    },
    /// Well-formed JSON with the wrong shape.
    #[error("{}{message} (line {line}, column {column})", at(path))]
    InvalidShape {
        /// JSON path of the bad part (`pipelines[0].stages[2].semantics`).
        path: String,
        /// What is wrong.
        message: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// The input is larger than allowed.
    #[error("input of {size} bytes exceeds the limit of {limit} bytes ({limit_name})")]
    TooLarge {
        /// Size of the input.
        size: usize,
        /// The limit.
        limit: usize,
        /// The limit's name in [`Limits`](crate::Limits) (`input_bytes`, `definition_bytes`).
        limit_name: &'static str,
    },
    /// The input nests arrays and objects deeper than allowed.
    #[error(
        "{}arrays and objects nest deeper than {limit} levels ({limit_name}) (line {line}, column {column})",
        at(path)
    )]
    TooDeep {
        /// JSON path of the container one level too deep.
        path: String,
        /// The limit.
        limit: usize,
        /// The limit's name in [`Limits`](crate::Limits) (`json_depth`, `definition_depth`).
        limit_name: &'static str,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
}

impl DecodeError {
    /// The stable code.
    pub fn code(&self) -> ErrorCode {
        match self {
            DecodeError::MalformedJson { .. } => ErrorCode::MalformedJson,
            DecodeError::InvalidShape { .. } => ErrorCode::InvalidShape,
            DecodeError::TooLarge { .. } => ErrorCode::InputTooLarge,
            DecodeError::TooDeep { .. } => ErrorCode::NestingTooDeep,
        }
    }

    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (_, Lang::En) => self.to_string(),
            (
                DecodeError::MalformedJson {
                    line,
                    column,
                    message,
                },
                Lang::Ru,
            ) => {
                format!("некорректный JSON в строке {line}, столбце {column}: {message}")
            }
            (
                DecodeError::InvalidShape {
                    path,
                    message,
                    line,
                    column,
                },
                Lang::Ru,
            ) => format!("{}{message} (строка {line}, столбец {column})", at(path)),
            (
                DecodeError::TooLarge {
                    size,
                    limit,
                    limit_name,
                },
                Lang::Ru,
            ) => {
                format!(
                    "размер входных данных {size} байт превышает предел {limit} байт ({limit_name})"
                )
            }
            (
                DecodeError::TooDeep {
                    path,
                    limit,
                    limit_name,
                    line,
                    column,
                },
                Lang::Ru,
            ) => {
                format!(
                    "{}массивы и объекты вложены глубже {limit} уровней ({limit_name}) (строка {line}, столбец {column})",
                    at(path)
                )
            }
        }
    }

    fn path(&self) -> Option<String> {
        match self {
            DecodeError::InvalidShape { path, .. } | DecodeError::TooDeep { path, .. } => {
                Some(path.clone())
            }
            _ => None,
        }
    }
}

/// `"path: "`, or nothing for the whole document.
fn at(path: &str) -> String {
    if path.is_empty() {
        String::new()
    } else {
        format!("{path}: ")
    }
}

/// Decodes JSON into `T`, reporting line, column and the JSON path of the bad part.
///
/// `T` is decoded straight from the text, with no path-tracking wrapper around the
/// deserializer (its wrappers of every visitor were a large part of the npm package's
/// module); a shape error's path is found afterwards from the position serde_json gives it
/// (see `shape_path` in the source).
///
/// Tagged enums whose tag comes first are decoded as they are read (see `tagged::streaming`
/// in the source); a text that fails so is decoded again without that, and the error is of
/// the second decoding, placed exactly as serde's own decoding would place it.
pub fn decode_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, DecodeError> {
    let streamed = crate::tagged::streaming(|| {
        let mut de = serde_json::Deserializer::from_str(text);
        T::deserialize(&mut de).and_then(|value| de.end().map(|()| value))
    });
    match streamed {
        Ok(value) => Ok(value),
        Err(_) => decode_exact(text),
    }
}

/// [`decode_json`] without streaming: the errors it reports.
fn decode_exact<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, DecodeError> {
    let mut de = serde_json::Deserializer::from_str(text);
    match T::deserialize(&mut de) {
        Ok(value) => {
            de.end().map_err(|e| malformed(&e))?;
            Ok(value)
        }
        Err(inner) if inner.is_syntax() || inner.is_eof() => Err(malformed(&inner)),
        Err(inner) => {
            // Members of tagged enums are read as text first and parsed after: a syntax error
            // in one surfaces late, as a shape error. It is the text's syntax error.
            if let Some(syntax) = crate::tagged::syntax_error(text)
                && (syntax.line(), syntax.column()) <= (inner.line(), inner.column())
            {
                return Err(malformed(&syntax));
            }
            let message = strip_position(&inner.to_string());
            Err(DecodeError::InvalidShape {
                path: shape_path::<T>(text, &inner, &message),
                message,
                line: inner.line(),
                column: inner.column(),
            })
        }
    }
}

/// The JSON path of a shape error of `T` in `text`, from where serde_json stopped.
///
/// The error lies in the member the walk over the text is in at that position, with three
/// exceptions, all where a path-tracking deserializer would name another member:
/// - an error raised after a value was decoded (an internally tagged or untagged enum, a
///   flattened struct, a value checked after decoding) gets the position of the enclosing
///   container: after its closing bracket when the value is its last member, after the next
///   comma in an array. Decoding the text cut just before that bracket or comma tells them
///   apart from the container's own error (a missing field) or the next element's: the same
///   error again means it was the earlier value's, an end of input means it was not.
/// - a duplicate field is the object's error, not its key's.
/// - an unknown variant of an externally tagged enum (`{"variant": …}`) is the enum's error.
fn shape_path<T: serde::de::DeserializeOwned>(
    text: &str,
    error: &serde_json::Error,
    message: &str,
) -> String {
    if error.line() == 0 {
        return String::new();
    }
    // serde_json counts lines from 1 and columns in bytes from the line's start.
    let line_start = match error.line() {
        1 => 0,
        line => text
            .match_indices('\n')
            .nth(line - 2)
            .map_or(text.len(), |(i, _)| i + 1),
    };
    let end = (line_start + error.column()).min(text.len());
    let mut scan = Scan::new(text);
    while scan.next(end).is_some() {}
    // Where the error may have come late, the cut that tells, and the path it then has.
    let late = match (scan.last, scan.stack.split_last()) {
        // After a closing bracket: the closed container's last member.
        (Some((b'}' | b']', at)), _) if at + 1 == end => scan.closed.as_ref().map(|closed| {
            let mut path = scan.path(&scan.stack);
            scan.push_segment(&mut path, closed);
            (at, path)
        }),
        // After an array's comma (serde_json reads it after an element): the element before.
        (Some((b',', at)), Some((Frame::Array { index }, outer))) => {
            let mut path = scan.path(outer);
            scan.push_segment(&mut path, &Frame::Array { index: index - 1 });
            Some((at, path))
        }
        _ => None,
    };
    if let Some((at, path)) = late {
        let again = T::deserialize(&mut serde_json::Deserializer::from_str(&text[..at]));
        if let Err(e) = again
            && !(e.is_syntax() || e.is_eof())
            && strip_position(&e.to_string()) == message
        {
            return path;
        }
    }
    let own = scan.after_key
        && (message.starts_with("duplicate field") || message.starts_with("unknown variant"));
    match scan.stack.split_last() {
        Some((_, outer)) if own => scan.path(outer),
        _ => scan.path(&scan.stack),
    }
}

fn malformed(err: &serde_json::Error) -> DecodeError {
    DecodeError::MalformedJson {
        line: err.line(),
        column: err.column(),
        message: strip_position(&err.to_string()),
    }
}

fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_string(),
        None => message.to_string(),
    }
}

/// A problem of a definition found by [`Model::compile`](crate::Model::compile).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// The stable code.
    pub code: ErrorCode,
    /// JSON path of the bad part, e.g. `pipelines[1].stages[3].requires[0]`.
    pub path: String,
    /// What is wrong, in English.
    pub message: String,
    /// What is wrong, in Russian.
    pub message_ru: String,
    /// The limit exceeded, for `too_many` problems: its name in [`Limits`](crate::Limits)
    /// and its value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<(&'static str, usize)>,
}

impl Diagnostic {
    pub(crate) fn new(
        code: ErrorCode,
        path: impl Into<String>,
        en: impl Into<String>,
        ru: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            code,
            path: path.into(),
            message: en.into(),
            message_ru: ru.into(),
            limit: None,
        }
    }

    /// A `too_many` problem: `count` items where `limit` (named `name`) are allowed.
    pub(crate) fn too_many(
        path: impl Into<String>,
        (what, what_ru): (&str, &str),
        count: usize,
        (name, limit): (&'static str, usize),
    ) -> Diagnostic {
        Diagnostic {
            limit: Some((name, limit)),
            ..Diagnostic::new(
                ErrorCode::TooMany,
                path,
                format!("{count} {what}; at most {limit} are allowed ({name})"),
                format!("{what_ru}: {count}; допускается не более {limit} ({name})"),
            )
        }
    }

    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> &str {
        lang.pick(&self.message, &self.message_ru)
    }
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: {} [{}]",
            self.path,
            self.message,
            self.code.as_u32()
        )
    }
}

/// Every problem found in a definition (never empty).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the definition has {} problem(s); the first: {}", .0.len(), .0.first().map(|d| d.to_string()).unwrap_or_default())]
pub struct DefinitionErrors(pub Vec<Diagnostic>);

/// Why a model could not be built from JSON.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// The JSON could not be decoded.
    #[error(transparent)]
    Decode(#[from] DecodeError),
    /// The definition decoded but has problems.
    #[error(transparent)]
    Definition(#[from] DefinitionErrors),
}

impl LoadError {
    /// Every problem as diagnostics (a decoding error becomes one).
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        match self {
            LoadError::Decode(e) => vec![Diagnostic::new(
                e.code(),
                e.path().unwrap_or_default(),
                e.message(Lang::En),
                e.message(Lang::Ru),
            )],
            LoadError::Definition(errors) => errors.0.clone(),
        }
    }

    /// The stable code: the decoding error's, or the first diagnostic's.
    pub fn code(&self) -> ErrorCode {
        match self {
            LoadError::Decode(e) => e.code(),
            LoadError::Definition(errors) => errors
                .0
                .first()
                .map(|d| d.code)
                .unwrap_or(ErrorCode::InvalidShape),
        }
    }
}

/// Why a value of a field is invalid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ValueProblem {
    /// The JSON type is wrong.
    WrongType {
        /// What was expected, e.g. `"a decimal as a string"`.
        expected: String,
    },
    /// Longer than allowed.
    TooLong {
        /// Most characters allowed.
        max: u32,
    },
    /// Outside the allowed range.
    OutOfRange {
        /// Least value allowed.
        min: Option<String>,
        /// Greatest value allowed.
        max: Option<String>,
    },
    /// More digits after the point than allowed.
    TooPrecise {
        /// Most digits allowed.
        scale: u32,
    },
    /// Not a decimal number.
    InvalidDecimal,
    /// A JSON number with a fraction: decimals are written as strings.
    FloatNotAllowed,
    /// Not a valid date (`YYYY-MM-DD`).
    InvalidDate,
    /// Not a valid RFC 3339 date and time.
    InvalidDateTime,
    /// Not a valid e-mail address.
    InvalidEmail,
    /// Not a valid international phone number.
    InvalidPhone,
    /// Not a valid http(s) address.
    InvalidUrl,
    /// Not one of the options.
    UnknownOption {
        /// The option given.
        option: String,
    },
    /// Free text given with an option other than "other".
    OtherTextNotAllowed,
    /// Several values for a single-value field.
    NotMultiple,
    /// The same option twice.
    DuplicateOption {
        /// The option repeated.
        option: String,
    },
    /// Not a three-letter currency code.
    InvalidCurrency,
    /// A currency the field does not allow.
    CurrencyNotAllowed {
        /// The currency given.
        currency: String,
    },
    /// A required part of a structured value is missing or empty.
    MissingPart {
        /// The part, e.g. `city`.
        part: String,
    },
    /// A part that the value's type does not have.
    UnknownPart {
        /// The part.
        part: String,
    },
    /// The value is empty.
    Empty,
    /// Not a valid requisite (ИНН, КПП, ОГРН, БИК, account).
    InvalidRequisite {
        /// The field type: `inn`, `kpp`, `ogrn`, `bik`, `bank_account`, `corr_account`.
        requisite: String,
        /// `length`, `characters`, `check_digit` or `bik_mismatch` (an account's key does not
        /// agree with its bank's БИК).
        problem: String,
    },
}

impl ValueProblem {
    /// A numeric code in the `31xx` block, one per reason.
    pub fn code(&self) -> u32 {
        match self {
            ValueProblem::WrongType { .. } => 3101,
            ValueProblem::TooLong { .. } => 3102,
            ValueProblem::OutOfRange { .. } => 3103,
            ValueProblem::TooPrecise { .. } => 3104,
            ValueProblem::InvalidDecimal => 3105,
            ValueProblem::FloatNotAllowed => 3106,
            ValueProblem::InvalidDate => 3107,
            ValueProblem::InvalidDateTime => 3108,
            ValueProblem::InvalidEmail => 3109,
            ValueProblem::InvalidPhone => 3110,
            ValueProblem::InvalidUrl => 3111,
            ValueProblem::UnknownOption { .. } => 3112,
            ValueProblem::OtherTextNotAllowed => 3113,
            ValueProblem::NotMultiple => 3114,
            ValueProblem::DuplicateOption { .. } => 3115,
            ValueProblem::InvalidCurrency => 3116,
            ValueProblem::CurrencyNotAllowed { .. } => 3117,
            ValueProblem::MissingPart { .. } => 3118,
            ValueProblem::UnknownPart { .. } => 3119,
            ValueProblem::Empty => 3120,
            ValueProblem::InvalidRequisite { .. } => 3121,
        }
    }

    /// What is wrong, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        use ValueProblem as P;
        match (self, lang) {
            (P::WrongType { expected }, Lang::En) => format!("expected {expected}"),
            (P::WrongType { expected }, Lang::Ru) => format!("ожидается {expected}"),
            (P::TooLong { max }, Lang::En) => format!("longer than {max} characters"),
            (P::TooLong { max }, Lang::Ru) => format!("длиннее {max} символов"),
            (P::OutOfRange { min, max }, l) => {
                let min = min.as_deref().unwrap_or("…");
                let max = max.as_deref().unwrap_or("…");
                match l {
                    Lang::En => format!("out of range {min}–{max}"),
                    Lang::Ru => format!("вне диапазона {min}–{max}"),
                }
            }
            (P::TooPrecise { scale }, Lang::En) => {
                format!("at most {scale} digits after the decimal point")
            }
            (P::TooPrecise { scale }, Lang::Ru) => {
                format!("не более {scale} знаков после запятой")
            }
            (P::InvalidDecimal, l) => l.pick("not a decimal number", "не десятичное число").into(),
            (P::FloatNotAllowed, l) => l
                .pick(
                    "write decimals as strings (\"12.50\") to keep them exact",
                    "десятичные числа пишутся строкой (\"12.50\"), чтобы не терять точность",
                )
                .into(),
            (P::InvalidDate, l) => l
                .pick("not a date (YYYY-MM-DD)", "не дата (ГГГГ-ММ-ДД)")
                .into(),
            (P::InvalidDateTime, l) => l
                .pick(
                    "not a date and time (RFC 3339)",
                    "не дата и время (RFC 3339)",
                )
                .into(),
            (P::InvalidEmail, l) => l
                .pick("not an e-mail address", "некорректный адрес e-mail")
                .into(),
            (P::InvalidPhone, l) => l
                .pick(
                    "not an international phone number (+ and 7–15 digits)",
                    "некорректный номер телефона (+ и 7–15 цифр)",
                )
                .into(),
            (P::InvalidUrl, l) => l
                .pick(
                    "not a web address (http:// or https://)",
                    "некорректный веб-адрес (http:// или https://)",
                )
                .into(),
            (P::UnknownOption { option }, Lang::En) => format!("unknown option \"{option}\""),
            (P::UnknownOption { option }, Lang::Ru) => format!("неизвестный вариант «{option}»"),
            (P::OtherTextNotAllowed, l) => l
                .pick(
                    "free text is allowed only with the \"other\" option",
                    "свой вариант можно указать только для «другое»",
                )
                .into(),
            (P::NotMultiple, l) => l
                .pick(
                    "only one value is allowed",
                    "допускается только одно значение",
                )
                .into(),
            (P::DuplicateOption { option }, Lang::En) => format!("option \"{option}\" repeated"),
            (P::DuplicateOption { option }, Lang::Ru) => {
                format!("вариант «{option}» повторяется")
            }
            (P::InvalidCurrency, l) => l
                .pick(
                    "not a currency code (three capital letters)",
                    "некорректный код валюты (три заглавные буквы)",
                )
                .into(),
            (P::CurrencyNotAllowed { currency }, Lang::En) => {
                format!("currency {currency} is not allowed")
            }
            (P::CurrencyNotAllowed { currency }, Lang::Ru) => {
                format!("валюта {currency} не допускается")
            }
            (P::MissingPart { part }, Lang::En) => format!("\"{part}\" is required"),
            (P::MissingPart { part }, Lang::Ru) => format!("нужно заполнить «{part}»"),
            (P::UnknownPart { part }, Lang::En) => format!("unknown part \"{part}\""),
            (P::UnknownPart { part }, Lang::Ru) => format!("неизвестная часть «{part}»"),
            (P::Empty, l) => l.pick("empty", "пусто").into(),
            (P::InvalidRequisite { requisite, problem }, l) => {
                let (en, ru) = match requisite.as_str() {
                    "inn" => ("INN", "ИНН"),
                    "kpp" => ("KPP", "КПП"),
                    "ogrn" => ("OGRN", "ОГРН"),
                    "bik" => ("BIK", "БИК"),
                    "corr_account" => ("correspondent account", "корреспондентский счёт"),
                    _ => ("account", "расчётный счёт"),
                };
                let (why_en, why_ru) = match problem.as_str() {
                    "length" => ("wrong number of digits", "неверное число цифр"),
                    "characters" => ("only digits are allowed", "допускаются только цифры"),
                    "check_digit" => (
                        "the check digit does not match",
                        "не сходится контрольная цифра",
                    ),
                    "bik_mismatch" => (
                        "its key does not match the bank's BIK",
                        "ключ счёта не сходится с БИК банка",
                    ),
                    _ => ("invalid", "некорректно"),
                };
                match l {
                    Lang::En => format!("not a valid {en}: {why_en}"),
                    Lang::Ru => format!("некорректный {ru}: {why_ru}"),
                }
            }
        }
    }
}

/// An invalid value of one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InvalidValue {
    /// The field's code.
    pub field: String,
    /// The path inside the value, e.g. `[2].quantity` for a line item; empty for the whole.
    pub at: String,
    /// The field's name.
    pub label: Label,
    /// What is wrong.
    #[serde(flatten)]
    pub problem: ValueProblem,
}

/// Which part of a requirement is unmet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MissingPart {
    /// The field is empty.
    Value,
    /// "Other" is chosen but its free text is empty.
    OtherText,
}

/// A field missing to enter a stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MissingField {
    /// The field's code (for "any of", the first of the group).
    pub field: String,
    /// The field's name.
    pub label: Label,
    /// The field's type, so a UI can show an input for it.
    #[serde(rename = "type")]
    pub field_type: crate::definition::FieldType,
    /// What is missing.
    pub part: MissingPart,
    /// For an "any of" requirement: all the fields of which one would do.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub any_of: Vec<String>,
}

/// What a permission check was about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// Creating a record.
    Create,
    /// Moving a record between stages.
    Move,
    /// Editing a field.
    Edit,
    /// Overriding unmet requirements.
    Override,
    /// Completing, answering or checking off someone else's task.
    CompleteTask,
}

/// Why a command was rejected. A rejected command changes nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Rejection {
    /// Fields are missing to enter a stage.
    #[error("cannot enter stage \"{stage}\": {} field(s) missing", missing.len())]
    MissingFields {
        /// The stage's code.
        stage: String,
        /// The stage's name.
        stage_label: Label,
        /// What is missing, in the definition's order.
        missing: Vec<MissingField>,
    },
    /// Some values are invalid (all of them listed).
    #[error("{} invalid value(s)", errors.len())]
    InvalidValues {
        /// Each invalid value.
        errors: Vec<InvalidValue>,
    },
    /// The pipeline does not allow this move.
    #[error("moving from \"{from}\" to \"{to}\" is not allowed")]
    TransitionNotAllowed {
        /// The current stage (empty when creating).
        from: String,
        /// The stage asked for.
        to: String,
        /// The current stage's name (absent when creating).
        #[serde(skip_serializing_if = "Option::is_none")]
        from_label: Option<Label>,
        /// The name of the stage asked for.
        to_label: Label,
    },
    /// The actor lacks a role for this.
    #[error("user \"{user}\" may not {action:?} here")]
    NotPermitted {
        /// The actor's user id.
        user: String,
        /// What was attempted.
        action: Permission,
        /// The field concerned, for edits.
        #[serde(skip_serializing_if = "Option::is_none")]
        field: Option<String>,
        /// The stage concerned, for moves.
        #[serde(skip_serializing_if = "Option::is_none")]
        stage: Option<String>,
        /// Roles that would be allowed.
        allowed_roles: Vec<String>,
    },
    /// The record's version is not the one the command expected.
    #[error("stale version: expected {expected}, the record is at {actual}")]
    StaleVersion {
        /// The version the command was built on.
        expected: u64,
        /// The record's version.
        actual: u64,
    },
    /// The idempotency key was already used on this record.
    #[error("command \"{key}\" was already applied")]
    DuplicateCommand {
        /// The key.
        key: String,
    },
    /// The pipeline has no such stage.
    #[error("unknown stage \"{stage}\"")]
    UnknownStage {
        /// The code given.
        stage: String,
    },
    /// The entity has no such fields.
    #[error("unknown field(s): {}", fields.join(", "))]
    UnknownFields {
        /// The codes given.
        fields: Vec<String>,
    },
    /// Create on an existing record.
    #[error("record \"{id}\" already exists")]
    RecordExists {
        /// Its id.
        id: String,
    },
    /// A command other than create without a record.
    #[error("this command needs a record")]
    RecordMissing,
    /// The model has no such pipeline.
    #[error("unknown pipeline \"{pipeline}\"")]
    UnknownPipeline {
        /// The code given.
        pipeline: String,
    },
    /// `now` is earlier than the record's last change.
    #[error("the command's time {now} is before the record's last change {last}")]
    ClockWentBack {
        /// The command's `now`.
        now: String,
        /// The record's `updated_at`.
        last: String,
    },
    /// Moving to the stage the record is in.
    #[error("the record is already in stage \"{stage}\"")]
    AlreadyInStage {
        /// The stage.
        stage: String,
    },
    /// Emptying fields the current stage requires.
    #[error("the change would leave stage \"{stage}\" with {} required field(s) empty", missing.len())]
    WouldBreakRequirements {
        /// The current stage.
        stage: String,
        /// The stage's name.
        stage_label: Label,
        /// What would be missing.
        missing: Vec<MissingField>,
    },
    /// The command is malformed.
    #[error("{path}: {message}")]
    InvalidCommand {
        /// Path of the bad part of the command.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// The record has no such task.
    #[error("unknown task \"{task}\"")]
    UnknownTask {
        /// The id given.
        task: String,
    },
    /// The task is no longer open.
    #[error("task \"{task}\" is already closed")]
    TaskClosed {
        /// The task's id.
        task: String,
    },
    /// Required answers are missing.
    #[error("task \"{task}\": {} answer(s) missing", missing.len())]
    MissingAnswers {
        /// The task's id.
        task: String,
        /// The task's title.
        title: Label,
        /// What is missing.
        missing: Vec<MissingField>,
    },
    /// Some answers are invalid.
    #[error("task \"{task}\": {} invalid answer(s)", errors.len())]
    InvalidAnswers {
        /// The task's id.
        task: String,
        /// Each invalid answer (`field` is the form field).
        errors: Vec<InvalidValue>,
    },
    /// Checklist items are unchecked.
    #[error("task \"{task}\": {} checklist item(s) unchecked", items.len())]
    ChecklistIncomplete {
        /// The task's id.
        task: String,
        /// The unchecked items.
        items: Vec<Label>,
    },
    /// No conversion waits for a duplicate look-up.
    #[error("no lead conversion is waiting for duplicates")]
    NothingToResolve,
    /// Too many automation steps for one command.
    #[error("the command would run more than {limit} automation steps")]
    AutomationLimit {
        /// The limit.
        limit: usize,
    },
    /// The command exceeds a limit of the model.
    #[error("{path}: {actual} exceeds the limit {limit_name} = {limit}")]
    LimitExceeded {
        /// The limit's name in [`Limits`](crate::Limits) (`value_length`, `events_per_command`, …).
        limit_name: String,
        /// The limit.
        limit: usize,
        /// What the command has or would cause (at least `limit + 1`).
        actual: usize,
        /// JSON path of the bad part of the command (`action` when it is the whole command).
        path: String,
    },
}

fn field_list(missing: &[MissingField], lang: Lang) -> String {
    missing
        .iter()
        .map(|m| {
            let label = m.label.get(lang);
            match (m.part, lang) {
                (MissingPart::OtherText, Lang::En) => format!("{label} (the \"other\" text)"),
                (MissingPart::OtherText, Lang::Ru) => format!("{label} (текст «другое»)"),
                _ => label.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

impl Rejection {
    /// The stable code.
    pub fn code(&self) -> ErrorCode {
        match self {
            Rejection::MissingFields { .. } => ErrorCode::MissingFields,
            Rejection::InvalidValues { .. } => ErrorCode::InvalidValues,
            Rejection::TransitionNotAllowed { .. } => ErrorCode::TransitionNotAllowed,
            Rejection::NotPermitted { .. } => ErrorCode::NotPermitted,
            Rejection::StaleVersion { .. } => ErrorCode::StaleVersion,
            Rejection::DuplicateCommand { .. } => ErrorCode::DuplicateCommand,
            Rejection::UnknownStage { .. } => ErrorCode::UnknownStageInCommand,
            Rejection::UnknownFields { .. } => ErrorCode::UnknownFieldsInCommand,
            Rejection::RecordExists { .. } => ErrorCode::RecordExists,
            Rejection::RecordMissing => ErrorCode::RecordMissing,
            Rejection::UnknownPipeline { .. } => ErrorCode::UnknownPipeline,
            Rejection::ClockWentBack { .. } => ErrorCode::ClockWentBack,
            Rejection::AlreadyInStage { .. } => ErrorCode::AlreadyInStage,
            Rejection::WouldBreakRequirements { .. } => ErrorCode::WouldBreakRequirements,
            Rejection::InvalidCommand { .. } => ErrorCode::InvalidCommand,
            Rejection::UnknownTask { .. } => ErrorCode::UnknownTaskInCommand,
            Rejection::TaskClosed { .. } => ErrorCode::TaskClosed,
            Rejection::MissingAnswers { .. } => ErrorCode::MissingAnswers,
            Rejection::InvalidAnswers { .. } => ErrorCode::InvalidAnswers,
            Rejection::ChecklistIncomplete { .. } => ErrorCode::ChecklistIncomplete,
            Rejection::NothingToResolve => ErrorCode::NothingToResolve,
            Rejection::AutomationLimit { .. } => ErrorCode::AutomationLimit,
            Rejection::LimitExceeded { .. } => ErrorCode::LimitExceeded,
        }
    }

    /// The JSON path of the bad part of the command, where there is one.
    pub fn path(&self) -> Option<String> {
        match self {
            Rejection::InvalidValues { errors } => errors
                .first()
                .map(|e| format!("action.fields.{}{}", e.field, e.at)),
            Rejection::UnknownFields { fields } => {
                fields.first().map(|f| format!("action.fields.{f}"))
            }
            Rejection::UnknownStage { .. } | Rejection::AlreadyInStage { .. } => {
                Some("action.to".into())
            }
            Rejection::TransitionNotAllowed { .. } => Some("action.to".into()),
            Rejection::StaleVersion { .. } => Some("expected_version".into()),
            Rejection::DuplicateCommand { .. } => Some("idempotency_key".into()),
            Rejection::ClockWentBack { .. } => Some("now".into()),
            Rejection::UnknownPipeline { .. } => Some("action.pipeline".into()),
            Rejection::InvalidCommand { path, .. } => Some(path.clone()),
            Rejection::InvalidAnswers { errors, .. } => errors
                .first()
                .map(|e| format!("action.answers.{}{}", e.field, e.at)),
            Rejection::MissingAnswers { missing, .. } => missing
                .first()
                .map(|m| format!("action.answers.{}", m.field)),
            Rejection::UnknownTask { .. } | Rejection::TaskClosed { .. } => {
                Some("action.task".into())
            }
            Rejection::NotPermitted { .. } => Some("actor".into()),
            Rejection::LimitExceeded { path, .. } => Some(path.clone()),
            _ => None,
        }
    }

    /// The message in `lang`, naming fields and stages by their labels.
    pub fn message(&self, lang: Lang) -> String {
        use Rejection as R;
        let ru = lang == Lang::Ru;
        match self {
            R::MissingFields {
                stage_label,
                missing,
                ..
            } => {
                if ru {
                    format!(
                        "Нельзя перейти на этап «{}»: заполните {}",
                        stage_label.ru,
                        field_list(missing, lang)
                    )
                } else {
                    format!(
                        "Cannot enter stage “{}”: fill in {}",
                        stage_label.en,
                        field_list(missing, lang)
                    )
                }
            }
            R::WouldBreakRequirements {
                stage_label,
                missing,
                ..
            } => {
                if ru {
                    format!(
                        "Этап «{}» требует заполненных полей: {}",
                        stage_label.ru,
                        field_list(missing, lang)
                    )
                } else {
                    format!(
                        "Stage “{}” requires these fields to stay filled: {}",
                        stage_label.en,
                        field_list(missing, lang)
                    )
                }
            }
            R::InvalidValues { errors } => {
                let items = errors
                    .iter()
                    .map(|e| format!("{}{}: {}", e.label.get(lang), e.at, e.problem.message(lang)))
                    .collect::<Vec<_>>()
                    .join("; ");
                if ru {
                    format!("Некорректные значения: {items}")
                } else {
                    format!("Invalid values: {items}")
                }
            }
            R::TransitionNotAllowed {
                from_label,
                to_label,
                ..
            } => match (from_label, ru) {
                (Some(from), true) => format!(
                    "Переход с этапа «{}» на этап «{}» не разрешён",
                    from.ru, to_label.ru
                ),
                (Some(from), false) => format!(
                    "Moving from stage “{}” to “{}” is not allowed",
                    from.en, to_label.en
                ),
                (None, true) => format!(
                    "Создавать записи на этапе «{}» нельзя: это не начальный этап",
                    to_label.ru
                ),
                (None, false) => format!(
                    "Records cannot be created in stage “{}”: it is not an initial stage",
                    to_label.en
                ),
            },
            R::NotPermitted {
                user,
                action,
                allowed_roles,
                ..
            } => {
                let roles = allowed_roles.join(", ");
                let what = match (action, ru) {
                    (Permission::Create, false) => "create records",
                    (Permission::Move, false) => "move this record there",
                    (Permission::Edit, false) => "edit this field",
                    (Permission::Override, false) => "override requirements",
                    (Permission::CompleteTask, false) => "work on this task",
                    (Permission::CompleteTask, true) => "выполнять эту задачу",
                    (Permission::Create, true) => "создавать записи",
                    (Permission::Move, true) => "переводить запись на этот этап",
                    (Permission::Edit, true) => "изменять это поле",
                    (Permission::Override, true) => "переходить без обязательных полей",
                };
                match (ru, roles.is_empty()) {
                    (true, false) => {
                        format!("Пользователь «{user}» не может {what} (нужна роль: {roles})")
                    }
                    (false, false) => {
                        format!("User “{user}” may not {what} (roles allowed: {roles})")
                    }
                    // No role helps (a decision or a confirmation is personal).
                    (true, true) => format!("Пользователь «{user}» не может {what}"),
                    (false, true) => format!("User “{user}” may not {what}"),
                }
            }
            R::StaleVersion { expected, actual } => {
                if ru {
                    format!(
                        "Запись изменилась: команда для версии {expected}, запись уже в версии {actual}"
                    )
                } else {
                    format!(
                        "The record changed: the command expected version {expected}, the record is at {actual}"
                    )
                }
            }
            R::DuplicateCommand { key } => {
                if ru {
                    format!("Команда «{key}» уже была выполнена")
                } else {
                    format!("Command “{key}” was already applied")
                }
            }
            R::UnknownStage { stage } => {
                if ru {
                    format!("Неизвестный этап «{stage}»")
                } else {
                    format!("Unknown stage “{stage}”")
                }
            }
            R::UnknownFields { fields } => {
                if ru {
                    format!("Неизвестные поля: {}", fields.join(", "))
                } else {
                    format!("Unknown fields: {}", fields.join(", "))
                }
            }
            R::RecordExists { id } => {
                if ru {
                    format!("Запись «{id}» уже существует")
                } else {
                    format!("Record “{id}” already exists")
                }
            }
            R::RecordMissing => lang
                .pick(
                    "This command needs a record",
                    "Для этой команды нужна запись",
                )
                .into(),
            R::UnknownPipeline { pipeline } => {
                if ru {
                    format!("Неизвестная воронка «{pipeline}»")
                } else {
                    format!("Unknown pipeline “{pipeline}”")
                }
            }
            R::ClockWentBack { now, last } => {
                if ru {
                    format!("Время команды {now} раньше последнего изменения записи {last}")
                } else {
                    format!("The command's time {now} is before the record's last change {last}")
                }
            }
            R::AlreadyInStage { stage } => {
                if ru {
                    format!("Запись уже на этапе «{stage}»")
                } else {
                    format!("The record is already in stage “{stage}”")
                }
            }
            R::InvalidCommand { path, message } => {
                if ru {
                    format!("Некорректная команда, {path}: {message}")
                } else {
                    format!("Invalid command, {path}: {message}")
                }
            }
            R::UnknownTask { task } => {
                if ru {
                    format!("Нет задачи «{task}»")
                } else {
                    format!("No task “{task}”")
                }
            }
            R::TaskClosed { task } => {
                if ru {
                    format!("Задача «{task}» уже закрыта")
                } else {
                    format!("Task “{task}” is already closed")
                }
            }
            R::MissingAnswers { title, missing, .. } => {
                if ru {
                    format!(
                        "Задача «{}»: ответьте на {}",
                        title.ru,
                        field_list(missing, lang)
                    )
                } else {
                    format!("Task “{}”: answer {}", title.en, field_list(missing, lang))
                }
            }
            R::InvalidAnswers { errors, .. } => {
                let items = errors
                    .iter()
                    .map(|e| format!("{}{}: {}", e.label.get(lang), e.at, e.problem.message(lang)))
                    .collect::<Vec<_>>()
                    .join("; ");
                if ru {
                    format!("Некорректные ответы: {items}")
                } else {
                    format!("Invalid answers: {items}")
                }
            }
            R::ChecklistIncomplete { items, .. } => {
                let list = items
                    .iter()
                    .map(|l| l.get(lang).to_string())
                    .collect::<Vec<_>>()
                    .join(", ");
                if ru {
                    format!("Не отмечены пункты чек-листа: {list}")
                } else {
                    format!("Checklist items not checked: {list}")
                }
            }
            R::NothingToResolve => lang
                .pick(
                    "No lead conversion is waiting for a duplicate look-up",
                    "Ни одна конвертация лида не ждёт поиска дубликатов",
                )
                .into(),
            R::AutomationLimit { limit } => {
                if ru {
                    format!("Команда запустила бы больше {limit} шагов автоматизации")
                } else {
                    format!("The command would run more than {limit} automation steps")
                }
            }
            R::LimitExceeded {
                limit_name,
                limit,
                actual,
                path,
            } => {
                if ru {
                    format!("{path}: {actual} превышает предел {limit_name} = {limit}")
                } else {
                    format!("{path}: {actual} exceeds the limit {limit_name} = {limit}")
                }
            }
        }
    }
}

/// Any error of the library, for hosts and bindings that handle them uniformly.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Decoding JSON failed.
    #[error(transparent)]
    Decode(#[from] DecodeError),
    /// A definition has problems.
    #[error(transparent)]
    Definition(#[from] DefinitionErrors),
    /// A command was rejected.
    #[error(transparent)]
    Rejected(#[from] Rejection),
}

impl From<LoadError> for Error {
    fn from(e: LoadError) -> Self {
        match e {
            LoadError::Decode(d) => Error::Decode(d),
            LoadError::Definition(d) => Error::Definition(d),
        }
    }
}

impl Error {
    /// The stable code.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Decode(e) => e.code(),
            Error::Definition(e) => {
                e.0.first()
                    .map(|d| d.code)
                    .unwrap_or(ErrorCode::InvalidShape)
            }
            Error::Rejected(r) => r.code(),
        }
    }

    /// A language-neutral report: code, name, path, message and structured details.
    pub fn report(&self, lang: Lang) -> ErrorReport {
        let code = self.code();
        match self {
            Error::Decode(e) => {
                let details = match e {
                    DecodeError::MalformedJson { line, column, .. }
                    | DecodeError::InvalidShape { line, column, .. } => {
                        json!({ "line": line, "column": column })
                    }
                    DecodeError::TooLarge {
                        size,
                        limit,
                        limit_name,
                    } => {
                        json!({ "size": size, "limit": limit, "limit_name": limit_name })
                    }
                    DecodeError::TooDeep {
                        limit,
                        limit_name,
                        line,
                        column,
                        ..
                    } => {
                        json!({ "line": line, "column": column, "limit": limit, "limit_name": limit_name })
                    }
                };
                ErrorReport {
                    code: code.as_u32(),
                    name: code.name().to_owned(),
                    path: e.path(),
                    message: e.message(lang),
                    details,
                }
            }
            Error::Definition(errors) => ErrorReport {
                code: code.as_u32(),
                name: code.name().to_owned(),
                path: errors.0.first().map(|d| d.path.clone()),
                message: errors
                    .0
                    .iter()
                    .map(|d| format!("{}: {}", d.path, d.message(lang)))
                    .collect::<Vec<_>>()
                    .join("\n"),
                details: json!({ "problems": errors.0.iter().map(|d| {
                    let mut problem = json!({
                        "code": d.code.as_u32(),
                        "name": d.code.name(),
                        "path": d.path,
                        "message": d.message(lang),
                    });
                    if let Some((name, limit)) = d.limit {
                        problem["limit"] = json!(limit);
                        problem["limit_name"] = json!(name);
                    }
                    problem
                }).collect::<Vec<_>>() }),
            },
            Error::Rejected(r) => ErrorReport {
                code: code.as_u32(),
                name: code.name().to_owned(),
                path: r.path(),
                message: r.message(lang),
                details: serde_json::to_value(r).unwrap_or(Value::Null),
            },
        }
    }
}

/// An error as data: what bindings hand to JavaScript and C.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ErrorReport {
    /// The stable numeric code.
    pub code: u32,
    /// The stable name of the code.
    pub name: String,
    /// JSON path of the bad part, where there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// A message for people.
    pub message: String,
    /// Structured details (missing fields, invalid values, line and column, …).
    pub details: Value,
}
