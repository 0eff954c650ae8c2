//! Document numbers from a format string and a host-supplied sequence value.

use chrono::{Datelike, NaiveDate};

use crate::error::Error;

/// Formats a document number such as `INV-2026-00042` from a format string,
/// the document date and a sequence value the host keeps (the library stores
/// no counters).
///
/// Placeholders, each optionally with a zero-padded width like `{seq:05}`:
///
/// | placeholder | value |
/// |-------------|-------|
/// | `{seq}` | the sequence value |
/// | `{year}` | four-digit year |
/// | `{yy}` | two-digit year |
/// | `{month}` | month, 1–12 |
/// | `{day}` | day of month, 1–31 |
///
/// `{{` and `}}` stand for literal braces.
///
/// ```
/// use chrono::NaiveDate;
/// use voronka_docs::format_document_number;
/// let date = NaiveDate::from_ymd_opt(2026, 3, 9).unwrap();
/// assert_eq!(format_document_number("INV-{year}-{seq:05}", date, 42).unwrap(), "INV-2026-00042");
/// assert_eq!(format_document_number("{yy}{month:02}/{seq}", date, 7).unwrap(), "2603/7");
/// ```
///
/// # Errors
/// [`Error::InvalidNumberFormat`] for an unknown placeholder, an unclosed or
/// unmatched brace, or a malformed width.
pub fn format_document_number(format: &str, date: NaiveDate, seq: u64) -> Result<String, Error> {
    let err = |offset: usize, message: String| Error::InvalidNumberFormat {
        format: format.to_owned(),
        offset,
        message,
    };
    let mut out = String::with_capacity(format.len() + 8);
    let mut rest = format.char_indices().peekable();
    while let Some((i, c)) = rest.next() {
        match c {
            '{' if rest.peek().map(|&(_, c)| c) == Some('{') => {
                rest.next();
                out.push('{');
            }
            '}' if rest.peek().map(|&(_, c)| c) == Some('}') => {
                rest.next();
                out.push('}');
            }
            '}' => {
                return Err(err(
                    i,
                    "unmatched `}` (write `}}` for a literal brace)".into(),
                ));
            }
            '{' => {
                let start = i + 1;
                let Some(len) = format[start..].find('}') else {
                    return Err(err(i, "unclosed `{`".into()));
                };
                let spec = &format[start..start + len];
                // Skip the characters of the placeholder.
                while let Some(&(j, _)) = rest.peek() {
                    rest.next();
                    if j == start + len {
                        break;
                    }
                }
                let (name, width) = match spec.split_once(':') {
                    Some((name, width)) => {
                        let ok = !width.is_empty()
                            && width.len() <= 2
                            && width.bytes().all(|b| b.is_ascii_digit());
                        if !ok {
                            return Err(err(
                                start + name.len() + 1,
                                format!("width `{width}` must be one or two digits, like `05`"),
                            ));
                        }
                        let w: usize = width.parse().map_err(|_| err(start, "bad width".into()))?;
                        (name, w)
                    }
                    None => (spec, 0),
                };
                let value: u64 = match name {
                    "seq" => seq,
                    "year" => u64::try_from(date.year())
                        .map_err(|_| err(start, "year before 0".into()))?,
                    "yy" => u64::try_from(date.year().rem_euclid(100)).unwrap_or(0),
                    "month" => u64::from(date.month()),
                    "day" => u64::from(date.day()),
                    other => {
                        return Err(err(
                            start,
                            format!(
                                "unknown placeholder `{other}` (known: seq, year, yy, month, day)"
                            ),
                        ));
                    }
                };
                let width = if name == "yy" && width == 0 { 2 } else { width };
                out.push_str(&format!("{value:0width$}"));
            }
            c => out.push(c),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
    }

    #[test]
    fn formats_placeholders() {
        let date = d(2026, 11, 27);
        let cases = [
            ("INV-{year}-{seq:05}", 42, "INV-2026-00042"),
            ("INV-{year}-{seq:05}", 123_456, "INV-2026-123456"),
            ("{seq}", 0, "0"),
            ("КП/{yy}/{month:02}/{day:02}-{seq:3}", 5, "КП/26/11/27-005"),
            ("{{literal}}-{seq}", 1, "{literal}-1"),
            ("CMR {year}{month:02}{day:02}", 9, "CMR 20261127"),
            ("plain", 9, "plain"),
        ];
        for (fmt, seq, want) in cases {
            assert_eq!(
                format_document_number(fmt, date, seq).as_deref(),
                Ok(want),
                "{fmt}"
            );
        }
        assert_eq!(
            format_document_number("{yy}", d(2005, 1, 2), 1).as_deref(),
            Ok("05")
        );
    }

    #[test]
    fn rejects_malformed_formats() {
        let date = d(2026, 1, 1);
        for (fmt, offset) in [
            ("INV-{seq", 4),
            ("INV-}", 4),
            ("{nope}", 1),
            ("{seq:x}", 5),
            ("{seq:}", 5),
            ("{seq:123}", 5),
        ] {
            let e = format_document_number(fmt, date, 1).expect_err(fmt);
            assert_eq!(e.code(), 5005, "{fmt}");
            assert_eq!(e.name(), "invalid_number_format");
            match e {
                Error::InvalidNumberFormat { offset: o, .. } => assert_eq!(o, offset, "{fmt}"),
                other => panic!("unexpected {other:?}"),
            }
        }
    }
}
