//! Dates and UTC moments as text, read and written exactly as chrono 0.4 reads and writes them,
//! without chrono's format-string machinery (its `strftime` items, its generic item parser and
//! `DelayedFormat`) and without `core::fmt`.
//!
//! Every command's `now`, every event's `at` and a record's dates cross JSON, so these run on
//! every call; chrono's parsers and formatters were also a sizeable part of the npm package's
//! WebAssembly. chrono stays for the arithmetic types ([`DateTime`], [`NaiveDate`]), and the
//! tests below hold every function here against chrono itself: what is accepted, the value,
//! the error (its message reaches the caller) and the text written.
//!
//! - [`parse_moment`]: chrono's `FromStr` for `DateTime<FixedOffset>`, which its `Deserialize`
//!   for `DateTime<Utc>` uses (RFC 3339, relaxed: spaces, short numbers, `UTC`, signed years).
//! - [`parse_rfc3339`]: `DateTime::parse_from_rfc3339` (strict).
//! - [`parse_date`]: chrono's `FromStr` for `NaiveDate` (its `Deserialize`), and
//!   [`parse_ymd`]: `NaiveDate::parse_from_str(text, "%Y-%m-%d")`.
//! - [`rfc3339`]: `to_rfc3339_opts(SecondsFormat::AutoSi, z)` (with `z`: chrono's `Serialize`),
//!   and [`date`]: `format("%Y-%m-%d")`, the same as `NaiveDate`'s `Serialize`.

use std::fmt;
use std::ops::RangeInclusive;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveTime, TimeZone, Timelike, Utc};
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// Why text is not a date or a moment: the kinds of chrono's `ParseError` that its date and
/// RFC 3339 parsers give, with chrono's messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ParseError {
    /// A number or the date it makes is out of range (`2026-02-30`, hour 24).
    OutOfRange,
    /// The moment with its offset is outside the range of dates.
    Impossible,
    /// A character where another was expected.
    Invalid,
    /// The text ends too early.
    TooShort,
    /// Text after the end.
    TooLong,
}

impl ParseError {
    /// chrono's message for this kind of error.
    pub(crate) fn message(self) -> &'static str {
        match self {
            ParseError::OutOfRange => "input is out of range",
            ParseError::Impossible => "no possible date and time matching input",
            ParseError::Invalid => "input contains invalid characters",
            ParseError::TooShort => "premature end of input",
            ParseError::TooLong => "trailing input",
        }
    }
}

type Parsed<'a, T> = Result<(&'a str, T), ParseError>;

/// At least one and at most `max` ASCII digits (chrono's `scan::number`, minimum 1).
fn number(s: &str, max: usize) -> Parsed<'_, i64> {
    let bytes = s.as_bytes();
    if bytes.is_empty() {
        return Err(ParseError::TooShort);
    }
    let mut n = 0i64;
    for (i, &c) in bytes.iter().take(max).enumerate() {
        if !c.is_ascii_digit() {
            return if i == 0 {
                Err(ParseError::Invalid)
            } else {
                Ok((&s[i..], n))
            };
        }
        n = n
            .checked_mul(10)
            .and_then(|n| n.checked_add(i64::from(c - b'0')))
            .ok_or(ParseError::OutOfRange)?;
    }
    Ok((&s[max.min(bytes.len())..], n))
}

/// A number of up to `max` digits after any whitespace, within `range` (chrono's unsigned
/// `Numeric` items and the range checks of its `Parsed` setters).
fn field(s: &str, max: usize, range: RangeInclusive<i64>) -> Parsed<'_, u32> {
    let (s, v) = number(s.trim_start(), max)?;
    match u32::try_from(v) {
        Ok(v) if range.contains(&i64::from(v)) => Ok((s, v)),
        _ => Err(ParseError::OutOfRange),
    }
}

/// A year after any whitespace: up to four digits, or any number of them after a sign
/// (chrono's `Numeric::Year`).
fn year(s: &str) -> Parsed<'_, i32> {
    let s = s.trim_start();
    let (s, v) = if let Some(rest) = s.strip_prefix('-') {
        let (s, v) = number(rest, usize::MAX)?;
        (s, -v)
    } else if let Some(rest) = s.strip_prefix('+') {
        number(rest, usize::MAX)?
    } else {
        number(s, 4)?
    };
    Ok((s, i32::try_from(v).map_err(|_| ParseError::OutOfRange)?))
}

/// The ASCII character `c` (chrono's `Item::Literal`).
fn literal(s: &str, c: u8) -> Result<&str, ParseError> {
    match s.as_bytes().first() {
        None => Err(ParseError::TooShort),
        Some(&b) if b == c => Ok(&s[1..]),
        Some(_) => Err(ParseError::Invalid),
    }
}

/// `year-month-day`; `spaced` allows whitespace before each `-` (chrono's `Item::Space("")`).
fn ymd(s: &str, spaced: bool) -> Parsed<'_, (i32, u32, u32)> {
    fn space(s: &str, spaced: bool) -> &str {
        if spaced { s.trim_start() } else { s }
    }
    let (s, y) = year(s)?;
    let s = literal(space(s, spaced), b'-')?;
    let (s, m) = field(s, 2, 1..=12)?;
    let s = literal(space(s, spaced), b'-')?;
    let (s, d) = field(s, 2, 1..=31)?;
    Ok((s, (y, m, d)))
}

fn make_date((y, m, d): (i32, u32, u32)) -> Result<NaiveDate, ParseError> {
    NaiveDate::from_ymd_opt(y, m, d).ok_or(ParseError::OutOfRange)
}

/// A date as chrono's `FromStr` for [`NaiveDate`] (and so its `Deserialize`) reads it.
pub(crate) fn parse_date(s: &str) -> Result<NaiveDate, ParseError> {
    let (rest, ymd) = ymd(s, true)?;
    if !rest.trim_start().is_empty() {
        return Err(ParseError::TooLong);
    }
    make_date(ymd)
}

/// A date as `NaiveDate::parse_from_str(s, "%Y-%m-%d")` reads it.
pub(crate) fn parse_ymd(s: &str) -> Result<NaiveDate, ParseError> {
    let (rest, ymd) = ymd(s, false)?;
    if !rest.is_empty() {
        return Err(ParseError::TooLong);
    }
    make_date(ymd)
}

/// A fraction of a second after its `.`: at least one digit, those past the ninth skipped
/// (chrono's `scan::nanosecond`).
fn fraction(s: &str) -> Parsed<'_, u32> {
    const SCALE: [u32; 10] = [
        0,
        100_000_000,
        10_000_000,
        1_000_000,
        100_000,
        10_000,
        1_000,
        100,
        10,
        1,
    ];
    let (rest, v) = number(s, 9)?;
    let consumed = s.len() - rest.len();
    // At most nine digits: below 1e9 once scaled.
    let v = u32::try_from(v).unwrap_or_default() * SCALE[consumed];
    Ok((rest.trim_start_matches(|c: char| c.is_ascii_digit()), v))
}

/// An offset: `Z`, or a sign (`+`, `-`, or U+2212) with two-digit hours, what `colon` skips,
/// and two-digit minutes below 60 (chrono's `scan::timezone_offset` with Zulu allowed and
/// minutes required).
fn offset(s: &str, colon: fn(&str) -> Result<&str, ParseError>) -> Parsed<'_, i32> {
    if let Some(b'Z' | b'z') = s.as_bytes().first() {
        return Ok((&s[1..], 0));
    }
    let (negative, s) = if let Some(rest) = s.strip_prefix('+') {
        (false, rest)
    } else if let Some(rest) = s.strip_prefix('-') {
        (true, rest)
    } else if let Some(rest) = s.strip_prefix('\u{2212}') {
        (true, rest)
    } else if s.is_empty() {
        return Err(ParseError::TooShort);
    } else {
        return Err(ParseError::Invalid);
    };
    let two = |s: &str| match s.as_bytes() {
        [a, b, ..] => Some((*a, *b)),
        _ => None,
    };
    let hours = match two(s).ok_or(ParseError::TooShort)? {
        (h1 @ b'0'..=b'9', h2 @ b'0'..=b'9') => i32::from((h1 - b'0') * 10 + (h2 - b'0')),
        _ => return Err(ParseError::Invalid),
    };
    let s = colon(&s[2..])?;
    let minutes = match two(s).ok_or(ParseError::TooShort)? {
        (m1 @ b'0'..=b'5', m2 @ b'0'..=b'9') => i32::from((m1 - b'0') * 10 + (m2 - b'0')),
        (b'6'..=b'9', b'0'..=b'9') => return Err(ParseError::OutOfRange),
        _ => return Err(ParseError::Invalid),
    };
    let seconds = hours * 3600 + minutes * 60;
    Ok((&s[2..], if negative { -seconds } else { seconds }))
}

/// The time of day, a leap second (`:60`) kept as the 59th second plus a whole second of
/// nanoseconds, as chrono's `Parsed` builds it.
fn make_time(hour: u32, minute: u32, second: u32, nano: u32) -> Result<NaiveTime, ParseError> {
    let (second, leap) = if second == 60 {
        (59, 1_000_000_000)
    } else {
        (second, 0)
    };
    NaiveTime::from_hms_nano_opt(hour, minute, second, leap + nano).ok_or(ParseError::OutOfRange)
}

/// The moment from its local date and time and its offset.
fn make_moment(date: NaiveDate, time: NaiveTime, offset: i32) -> Result<DateTime<Utc>, ParseError> {
    let zone = FixedOffset::east_opt(offset).ok_or(ParseError::OutOfRange)?;
    zone.from_local_datetime(&date.and_time(time))
        .single()
        .map(|moment| moment.with_timezone(&Utc))
        .ok_or(ParseError::Impossible)
}

/// A moment as chrono's `FromStr` for `DateTime<FixedOffset>` (and so its `Deserialize` for
/// `DateTime<Utc>`) reads it: RFC 3339, with whitespace allowed between the parts, numbers of
/// one digit, `t` or a space for `T`, `UTC` for `Z`, and signed years of any length.
pub(crate) fn parse_moment(s: &str) -> Result<DateTime<Utc>, ParseError> {
    // The usual form, as `rfc3339` writes it, read in one pass: text the strict reader accepts
    // the relaxed one reads the same, part by part.
    if let Ok(moment) = parse_rfc3339(s) {
        return Ok(moment);
    }
    let (s, ymd) = ymd(s, true)?;
    let s = match s.as_bytes().first() {
        Some(b't' | b'T' | b' ') => &s[1..],
        Some(_) => return Err(ParseError::Invalid),
        None => return Err(ParseError::TooShort),
    };
    let (s, hour) = field(s, 2, 0..=23)?;
    let s = literal(s.trim_start(), b':')?;
    let (s, minute) = field(s, 2, 0..=59)?;
    let s = literal(s.trim_start(), b':')?;
    let (s, second) = field(s, 2, 0..=60)?;
    let (s, nano) = match s.strip_prefix('.') {
        Some(rest) => fraction(rest)?,
        None => (s, 0),
    };
    let s = s.trim_start();
    let (s, offset) = match s.as_bytes() {
        [a, b, c, ..] if [*a, *b, *c].eq_ignore_ascii_case(b"UTC") => (&s[3..], 0),
        _ => offset(s, |s| {
            Ok(s.trim_start_matches(|c: char| c == ':' || c.is_whitespace()))
        })?,
    };
    if !s.trim_start().is_empty() {
        return Err(ParseError::TooLong);
    }
    let date = make_date(ymd)?;
    make_moment(date, make_time(hour, minute, second, nano)?, offset)
}

/// A moment as `DateTime::parse_from_rfc3339` reads it: `YYYY-MM-DDTHH:MM:SS`, an optional
/// fraction, and `Z` or `±HH:MM` (`t`, `z` and a space for `T` allowed).
pub(crate) fn parse_rfc3339(text: &str) -> Result<DateTime<Utc>, ParseError> {
    let b = text.as_bytes();
    if b.len() < 19 {
        return Err(ParseError::TooShort);
    }
    let digit = |i: usize| match b[i] {
        c @ b'0'..=b'9' => Ok(u32::from(c - b'0')),
        _ => Err(ParseError::Invalid),
    };
    let two = |i: usize| Ok::<u32, ParseError>(digit(i)? * 10 + digit(i + 1)?);
    let sep = |i: usize, c: u8| {
        if b[i] == c {
            Ok(())
        } else {
            Err(ParseError::Invalid)
        }
    };
    let year = two(0)? * 100 + two(2)?;
    sep(4, b'-')?;
    let month = two(5)?;
    sep(7, b'-')?;
    let day = two(8)?;
    // Four digits: the year is below 10000.
    let date = make_date((year as i32, month, day))?;
    if !matches!(b[10], b't' | b'T' | b' ') {
        return Err(ParseError::Invalid);
    }
    let hour = two(11)?;
    sep(13, b':')?;
    let minute = two(14)?;
    sep(16, b':')?;
    let second = two(17)?;
    let (s, nano) = match b.get(19) {
        Some(b'.') => fraction(&text[20..])?,
        _ => (&text[19..], 0),
    };
    let time = make_time(hour, minute, second, nano)?;
    let (s, offset) = offset(s, |s| literal(s, b':'))?;
    if !s.is_empty() {
        return Err(ParseError::TooLong);
    }
    make_moment(date, time, offset)
}

/// Text of at most 40 ASCII bytes, built without `core::fmt`.
pub(crate) struct Text {
    buf: [u8; 40],
    len: usize,
}

impl Text {
    fn new() -> Text {
        Text {
            buf: [0; 40],
            len: 0,
        }
    }

    fn push(&mut self, b: u8) {
        self.buf[self.len] = b;
        self.len += 1;
    }

    /// `value` in decimal, zero-padded to `width` digits at least.
    fn digits(&mut self, value: u32, width: usize) {
        let mut n = 1;
        while n < 10 && 10u64.pow(n as u32) <= u64::from(value) {
            n += 1;
        }
        let n = n.max(width);
        let mut v = value;
        for b in self.buf[self.len..self.len + n].iter_mut().rev() {
            *b = b'0' + (v % 10) as u8;
            v /= 10;
        }
        self.len += n;
    }

    /// A year as chrono writes it: four digits within 0–9999, else signed (`+10000`, `-0001`).
    fn year(&mut self, year: i32) {
        if !(0..=9999).contains(&year) {
            self.push(if year < 0 { b'-' } else { b'+' });
        }
        self.digits(year.unsigned_abs(), 4);
    }

    fn date(&mut self, date: &NaiveDate) {
        self.year(date.year());
        self.push(b'-');
        self.digits(date.month(), 2);
        self.push(b'-');
        self.digits(date.day(), 2);
    }

    /// The text.
    pub(crate) fn as_str(&self) -> &str {
        // Only ASCII is ever pushed.
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or_default()
    }
}

/// `date` as `YYYY-MM-DD`, as chrono's `format("%Y-%m-%d")` and `Serialize` write it.
pub(crate) fn date(date: &NaiveDate) -> Text {
    let mut out = Text::new();
    out.date(date);
    out
}

/// `moment` as chrono's `to_rfc3339_opts(SecondsFormat::AutoSi, z)` writes it: a fraction of
/// 3, 6 or 9 digits when there is one, a leap second as `:60`, and `Z` (with `z`) or `+00:00`.
pub(crate) fn rfc3339(moment: &DateTime<Utc>, z: bool) -> Text {
    let mut out = Text::new();
    let naive = moment.naive_utc();
    out.date(&naive.date());
    out.push(b'T');
    let (mut second, mut nano) = (naive.second(), naive.nanosecond());
    if nano >= 1_000_000_000 {
        second += 1;
        nano -= 1_000_000_000;
    }
    out.digits(naive.hour(), 2);
    out.push(b':');
    out.digits(naive.minute(), 2);
    out.push(b':');
    out.digits(second, 2);
    if nano != 0 {
        out.push(b'.');
        if nano.is_multiple_of(1_000_000) {
            out.digits(nano / 1_000_000, 3);
        } else if nano.is_multiple_of(1_000) {
            out.digits(nano / 1_000, 6);
        } else {
            out.digits(nano, 9);
        }
    }
    if z {
        out.push(b'Z');
    } else {
        for &b in b"+00:00" {
            out.push(b);
        }
    }
    out
}

/// A UTC moment that crosses serde as chrono's `DateTime<Utc>` does, through this module.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Moment(pub(crate) DateTime<Utc>);

impl Serialize for Moment {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(rfc3339(&self.0, true).as_str())
    }
}

/// A visitor of strings that `parse` reads, expecting what chrono's visitors say they expect.
struct TextVisitor<T> {
    expecting: &'static str,
    parse: fn(&str) -> Result<T, ParseError>,
}

impl<T> Visitor<'_> for TextVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.expecting)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        (self.parse)(v).map_err(|e| E::custom(e.message()))
    }
}

impl<'de> Deserialize<'de> for Moment {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(TextVisitor {
            expecting: "an RFC 3339 formatted date and time string",
            parse: |s| parse_moment(s).map(Moment),
        })
    }
}

/// A date that crosses serde as chrono's [`NaiveDate`] does, through this module.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Day(pub(crate) NaiveDate);

impl Serialize for Day {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(date(&self.0).as_str())
    }
}

impl<'de> Deserialize<'de> for Day {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(TextVisitor {
            expecting: "a formatted date string",
            parse: |s| parse_date(s).map(Day),
        })
    }
}

/// `serialize_with` for a `DateTime<Utc>`: `2026-11-27T09:00:00Z`, as chrono writes it.
pub(crate) fn serialize<S: Serializer>(moment: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    Moment(*moment).serialize(s)
}

/// `deserialize_with` for a `DateTime<Utc>`, accepting what chrono accepts.
pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
    Moment::deserialize(d).map(|m| m.0)
}

/// `serialize_with` and `deserialize_with` for an `Option<DateTime<Utc>>` (with
/// `#[serde(default)]`, as serde's derive gives an `Option` without them).
pub(crate) mod option {
    use chrono::{DateTime, Utc};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::Moment;

    /// Serializes as `Option<DateTime<Utc>>` does.
    pub(crate) fn serialize<S: Serializer>(
        moment: &Option<DateTime<Utc>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        moment.map(Moment).serialize(s)
    }

    /// Deserializes as `Option<DateTime<Utc>>` does.
    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<DateTime<Utc>>, D::Error> {
        Option::<Moment>::deserialize(d).map(|m| m.map(|m| m.0))
    }
}

/// `serialize_with` and `deserialize_with` for a `Vec<NaiveDate>`.
pub(crate) mod dates {
    use chrono::NaiveDate;
    use serde::{Deserialize, Deserializer, Serializer};

    use super::Day;

    /// Serializes as `Vec<NaiveDate>` does.
    pub(crate) fn serialize<S: Serializer>(dates: &[NaiveDate], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(dates.iter().map(|d| Day(*d)))
    }

    /// Deserializes as `Vec<NaiveDate>` does.
    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<NaiveDate>, D::Error> {
        Vec::<Day>::deserialize(d).map(|days| days.into_iter().map(|d| d.0).collect())
    }
}

#[cfg(test)]
mod tests;
