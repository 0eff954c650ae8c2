//! Resource limits: how large a definition, a record or a command may be, and how much work
//! one command may cause, so that no input makes the library run without end or allocate
//! without bound.
//!
//! Every limit is configurable ([`Model::compile_with_limits`](crate::Model::compile_with_limits),
//! [`api::load_with`](crate::api::load_with), the bindings' model options) and reported with a
//! stable code when exceeded: `1003` (bytes), `1004` (JSON nesting), `2018` (counts in a
//! definition), `3022` (automation steps) and `3023` (other limits of a command). The error
//! names the limit (`details.limit`) and its value (`details.max`). A rejected command changes
//! nothing.

use serde::{Deserialize, Serialize};

use crate::error::DecodeError;
use crate::model::MAX_STAGES;
use crate::scan::Scan;

/// Most automation steps (signals handled and activities run) one command may cause, by
/// default ([`Limits::steps_per_command`]).
pub const MAX_STEPS_PER_COMMAND: usize = 10_000;

/// The limits a model enforces. Missing keys in JSON take their [`Default`] values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// Most bytes of a definition's JSON text (`1003`). Default 4 MiB.
    pub definition_bytes: usize,
    /// Most bytes of any other JSON input: a record, a command, events (`1003`). Default
    /// 16 MiB (the C library follows a model's value; calls without a model take the default).
    pub input_bytes: usize,
    /// Deepest nesting of arrays and objects in a definition's JSON (`1004`); this bounds the
    /// nesting of activities and conditions too. Default 48.
    pub definition_depth: usize,
    /// Deepest nesting of arrays and objects in a record's or a command's JSON (`1004`).
    /// Default 64 (below serde_json's own recursion limit of 128, so the error is ours).
    pub json_depth: usize,
    /// Most stages in one pipeline (`2018`). Default and upper bound 128 (stage sets are bit sets).
    pub stages_per_pipeline: usize,
    /// Most fields of one entity (`2018`). Default 500.
    pub fields_per_entity: usize,
    /// Most activities in all automations of a pipeline together (`2018`). Default 5 000.
    pub activities_per_pipeline: usize,
    /// Longest string (in characters) or array (in items) in a command's field values and
    /// answers, at any depth (`3023`). Fields have their own, smaller maxima too. Default 100 000.
    pub value_length: usize,
    /// Most events one command may produce (`3023`). Default 5 000.
    pub events_per_command: usize,
    /// Most automation steps (reactions handled, activities run) per command (`3022`).
    /// Default 10 000.
    pub steps_per_command: usize,
    /// Most timers one `tick` fires (`3023`). A tick that would fire more is rejected; the
    /// host ticks at earlier moments instead (`record.next_due()`). Default 1 000.
    pub timers_per_tick: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            definition_bytes: 4 * 1024 * 1024,
            input_bytes: crate::api::MAX_INPUT_BYTES,
            definition_depth: 48,
            json_depth: 64,
            stages_per_pipeline: MAX_STAGES,
            fields_per_entity: 500,
            activities_per_pipeline: 5_000,
            value_length: 100_000,
            events_per_command: 5_000,
            steps_per_command: MAX_STEPS_PER_COMMAND,
            timers_per_tick: 1_000,
        }
    }
}

impl Limits {
    /// How many idempotency keys of recent commands a record remembers
    /// ([`Record::recent_keys`](crate::Record::recent_keys)). A retry within this many later
    /// commands is refused as a duplicate (`3006`); a retry after them is a new command. A
    /// constant rather than a setting: replaying a record's events must give the same record
    /// under any model.
    pub const RECENT_KEYS: usize = 64;

    /// Checks a JSON text against a byte limit and a nesting limit before it is parsed.
    pub(crate) fn check_text(
        text: &str,
        bytes: (&'static str, usize),
        depth: (&'static str, usize),
    ) -> Result<(), DecodeError> {
        if text.len() > bytes.1 {
            return Err(DecodeError::TooLarge {
                size: text.len(),
                limit: bytes.1,
                limit_name: bytes.0,
            });
        }
        // The quick scan finds nothing on nearly every input; only a text that nests too
        // deep pays for the scan that names where.
        if !nests_deeper(text.as_bytes(), depth.1) {
            return Ok(());
        }
        match too_deep(text, depth.1) {
            Some((path, line, column)) => Err(DecodeError::TooDeep {
                path,
                limit: depth.1,
                limit_name: depth.0,
                line,
                column,
            }),
            None => Ok(()),
        }
    }

    /// Checks a definition's text against `definition_bytes` and `definition_depth`.
    pub(crate) fn check_definition(&self, text: &str) -> Result<(), DecodeError> {
        Limits::check_text(
            text,
            ("definition_bytes", self.definition_bytes),
            ("definition_depth", self.definition_depth),
        )
    }

    /// Checks a record's, command's or events' text against `input_bytes` and `json_depth`.
    pub(crate) fn check_input(&self, text: &str) -> Result<(), DecodeError> {
        Limits::check_text(
            text,
            ("input_bytes", self.input_bytes),
            ("json_depth", self.json_depth),
        )
    }

    /// `stages_per_pipeline`, never above [`MAX_STAGES`](crate::model::MAX_STAGES).
    pub(crate) fn stages(&self) -> usize {
        self.stages_per_pipeline.min(MAX_STAGES)
    }
}

/// Whether a JSON text opens a container at nesting `max` or deeper (outside strings): exactly
/// when [`too_deep`] finds a place, but without allocating, and eight bytes at a time: only
/// the bytes that matter (quotes, backslashes, brackets) are looked at one by one. (The bytes
/// of `"` and `\\` never occur inside a multi-byte UTF-8 character, so strings end where they
/// do for [`too_deep`].)
fn nests_deeper(text: &[u8], max: usize) -> bool {
    let mut depth = 0usize;
    let mut in_string = false;
    // The position right after a backslash in a string: the byte there is escaped.
    let mut escaped = usize::MAX;
    let words = text.chunks_exact(8);
    let mut tail = [0u8; 8];
    tail[..words.remainder().len()].copy_from_slice(words.remainder());
    for (n, word) in words
        .map(|w| <[u8; 8]>::try_from(w).unwrap_or_default())
        .chain([tail])
        .enumerate()
    {
        let mut marks = structural(u64::from_le_bytes(word));
        while marks != 0 {
            let i = (marks.trailing_zeros() / 8) as usize;
            marks &= marks - 1;
            let at = n * 8 + i;
            match (in_string, word[i]) {
                (true, b'"') if at != escaped => in_string = false,
                (true, b'\\') if at != escaped => escaped = at + 1,
                (true, _) => {}
                (false, b'"') => in_string = true,
                (false, b'{' | b'[') => {
                    if depth >= max {
                        return true;
                    }
                    depth += 1;
                }
                (false, b'}' | b']') => depth = depth.saturating_sub(1),
                (false, _) => {}
            }
        }
    }
    false
}

/// `0x80` in each byte of `word` that is a quote, a backslash or a bracket, `0` in the others.
fn structural(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    // `[` and `]` differ from `{` and `}` only in bit 5.
    let folded = word | (ONES * 0x20);
    equal_bytes(word, b'"')
        | equal_bytes(word, b'\\')
        | equal_bytes(folded, b'{')
        | equal_bytes(folded, b'}')
}

/// `0x80` in each byte of `word` equal to `byte`, `0` in the others (exactly: no carry
/// crosses a byte).
fn equal_bytes(word: u64, byte: u8) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const LOW: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let diff = word ^ (ONES * u64::from(byte));
    !(((diff & LOW) + LOW) | diff | LOW)
}

/// Where a JSON text first nests deeper than `max`: the JSON path of the container that is
/// one level too deep, its 1-based line and column. A single pass that allocates only its
/// stack; malformed text is left for the parser to report.
fn too_deep(text: &str, max: usize) -> Option<(String, usize, usize)> {
    let mut scan = Scan::new(text);
    while let Some(c) = scan.next(text.len()) {
        if matches!(c, b'{' | b'[') && scan.stack.len() > max {
            let at = scan.at - 1;
            let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
            let line = 1 + text[..line_start].matches('\n').count();
            let column = text[line_start..=at].chars().count();
            return Some((scan.path(&scan.stack[..max]), line, column));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_is_measured_outside_strings_with_the_path_of_the_deep_part() {
        assert_eq!(too_deep(r#"{"a": [1, {"b": 2}]}"#, 3), None);
        assert_eq!(
            too_deep(r#"{"a": [1, {"b": [[]]}]}"#, 4),
            Some(("a[1].b[0]".to_string(), 1, 18))
        );
        // Brackets inside strings, escaped quotes included, do not count.
        assert_eq!(too_deep(r#"{"x\"[[[": "[[[[{{{{"}"#, 1), None);
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        assert_eq!(
            too_deep(&deep, 64).map(|(p, ..)| p.matches('[').count()),
            Some(64)
        );
    }

    #[test]
    fn the_quick_scan_agrees_with_the_one_that_names_the_place() {
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        let texts = [
            r#"{"a": [1, {"b": 2}]}"#,
            r#"{"a": [1, {"b": [[]]}]}"#,
            r#"{"x\"[[[": "[[[[{{{{"}"#,
            r#"{"\\": [[["#,
            r#"{"ключ «[»": ["значение {", [{"ü": "\u005b"}]]}"#,
            r#"]]]}}[{[{"#,
            r#"{"unterminated": "[[[["#,
            "",
            deep.as_str(),
        ];
        for text in texts {
            for max in 0..6 {
                assert_eq!(
                    nests_deeper(text.as_bytes(), max),
                    too_deep(text, max).is_some(),
                    "{text} at {max}"
                );
            }
        }
    }

    #[test]
    fn the_quick_scan_agrees_on_random_texts_of_structural_characters() {
        // Texts of quotes, backslashes, brackets and others, at every offset in the words the
        // quick scan reads (a fixed generator: the same texts on every run).
        let alphabet = ["{", "}", "[", "]", "\"", "\\", "a", ",", " ", "ü", "«"];
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..20_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let len = (state % 40) as usize;
            let mut pick = state;
            let mut text = String::new();
            for _ in 0..len {
                pick = pick.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                text.push_str(alphabet[(pick >> 33) as usize % alphabet.len()]);
            }
            for max in 0..5 {
                assert_eq!(
                    nests_deeper(text.as_bytes(), max),
                    too_deep(&text, max).is_some(),
                    "{text} at {max}"
                );
            }
        }
    }

    #[test]
    fn limits_decode_from_partial_json_and_refuse_unknown_keys() {
        let limits: Limits = serde_json::from_str(r#"{"timers_per_tick": 5}"#).expect("decodes");
        assert_eq!(
            limits,
            Limits {
                timers_per_tick: 5,
                ..Limits::default()
            }
        );
        assert!(serde_json::from_str::<Limits>(r#"{"timers": 5}"#).is_err());
    }
}
