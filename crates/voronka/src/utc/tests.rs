//! Every reader and writer of the module against chrono itself, the oracle: on edge cases and
//! on random text built around well-formed dates and moments.

use chrono::{DateTime, FixedOffset, NaiveDate, SecondsFormat, TimeDelta, TimeZone, Utc};
use proptest::prelude::*;
use serde::{Deserialize, Serialize};

use super::{Day, Moment};

type Outcome<T> = Result<T, String>;

fn ours<T>(r: Result<T, super::ParseError>) -> Outcome<T> {
    r.map_err(|e| e.message().to_owned())
}

fn theirs<T>(r: Result<T, chrono::ParseError>) -> Outcome<T> {
    r.map_err(|e| e.to_string())
}

/// Every parser on `s`, ours and chrono's side by side.
fn check_parsers(s: &str) -> Result<(), TestCaseError> {
    prop_assert_eq!(
        ours(super::parse_moment(s)),
        theirs(
            s.parse::<DateTime<FixedOffset>>()
                .map(|d| d.with_timezone(&Utc))
        ),
        "parse_moment {:?}",
        s
    );
    prop_assert_eq!(
        ours(super::parse_rfc3339(s)),
        theirs(DateTime::parse_from_rfc3339(s).map(|d| d.with_timezone(&Utc))),
        "parse_rfc3339 {:?}",
        s
    );
    prop_assert_eq!(
        ours(super::parse_date(s)),
        theirs(s.parse::<NaiveDate>()),
        "parse_date {:?}",
        s
    );
    prop_assert_eq!(
        ours(super::parse_ymd(s)),
        theirs(NaiveDate::parse_from_str(s, "%Y-%m-%d")),
        "parse_ymd {:?}",
        s
    );
    // Through serde as JSON: the same value, or the same error message and position.
    let json = serde_json::Value::from(s).to_string();
    let moment = serde_json::from_str::<Moment>(&json).map(|m| m.0);
    let chrono = serde_json::from_str::<DateTime<Utc>>(&json);
    prop_assert_eq!(
        moment.map_err(|e| e.to_string()),
        chrono.map_err(|e| e.to_string())
    );
    let day = serde_json::from_str::<Day>(&json).map(|d| d.0);
    let chrono = serde_json::from_str::<NaiveDate>(&json);
    prop_assert_eq!(
        day.map_err(|e| e.to_string()),
        chrono.map_err(|e| e.to_string())
    );
    Ok(())
}

/// Every writer on `moment`, ours and chrono's side by side.
fn check_writers(moment: DateTime<Utc>) -> Result<(), TestCaseError> {
    prop_assert_eq!(
        super::rfc3339(&moment, true).as_str().to_owned(),
        moment.to_rfc3339_opts(SecondsFormat::AutoSi, true)
    );
    prop_assert_eq!(
        super::rfc3339(&moment, false).as_str().to_owned(),
        moment.to_rfc3339()
    );
    let day = moment.date_naive();
    prop_assert_eq!(
        super::date(&day).as_str().to_owned(),
        day.format("%Y-%m-%d").to_string()
    );
    prop_assert_eq!(
        serde_json::to_string(&Moment(moment)).ok(),
        serde_json::to_string(&moment).ok()
    );
    prop_assert_eq!(
        serde_json::to_string(&Day(day)).ok(),
        serde_json::to_string(&day).ok()
    );
    // What is written reads back as the same moment (and date), as chrono's text does.
    let text = super::rfc3339(&moment, true);
    prop_assert_eq!(super::parse_moment(text.as_str()), Ok(moment));
    prop_assert_eq!(super::parse_date(super::date(&day).as_str()), Ok(day));
    Ok(())
}

const EDGES: &[&str] = &[
    "2026-11-27T09:00:00Z",
    "2026-11-27T09:00:00.123Z",
    "2026-11-27T09:00:00.123456789Z",
    "2026-11-27T09:00:00.1234567891234Z",
    "2026-11-27T09:00:00.Z",
    "2026-11-27T09:00:00.",
    "2026-11-27T09:00:00+03:00",
    "2026-11-27T09:00:00-03:30",
    "2026-11-27T09:00:00\u{2212}03:30",
    "2026-11-27T09:00:00+0300",
    "2026-11-27T09:00:00+03",
    "2026-11-27T09:00:00+03:",
    "2026-11-27T09:00:00+03:6",
    "2026-11-27T09:00:00+03:60",
    "2026-11-27T09:00:00+03:99",
    "2026-11-27T09:00:00+23:59",
    "2026-11-27T09:00:00+24:00",
    "2026-11-27T09:00:00+99:59",
    "2026-11-27T09:00:00 +03 : 00",
    "2026-11-27T09:00:00UTC",
    "2026-11-27T09:00:00 utc",
    "2026-11-27T09:00:00 UT",
    "2026-11-27t09:00:00z",
    "2026-11-27 09:00:00Z",
    "2026-11-27  09:00:00Z",
    "2026-11-27T09:00:00",
    "2026-11-27T09:00",
    "2026-11-27T",
    "2026-11-27",
    "2026-11-27 ",
    " 2026-11-27",
    "2026 - 11 - 27",
    "2026-1-7",
    "2026-1-7T9:0:0Z",
    "2026-11-27T09:00:00Zjunk",
    "2026-11-27T09:00:00Z ",
    "2026-11-27T09:00:00Z\u{a0}",
    "2026-11-27junk",
    "2024-02-29T12:00:00Z",
    "2023-02-29T12:00:00Z",
    "2100-02-29",
    "2000-02-29",
    "2026-04-31",
    "2026-00-10",
    "2026-13-10",
    "2026-12-00",
    "2026-12-32",
    "2026-11-27T24:00:00Z",
    "2026-11-27T23:60:00Z",
    "2026-11-27T23:59:60Z",
    "2016-12-31T23:59:60Z",
    "2016-12-31T23:59:60.5Z",
    "2016-12-31T23:59:61Z",
    "2016-12-31T23:59:99Z",
    "0000-01-01T00:00:00Z",
    "0000-01-01T00:00:00+01:00",
    "0000-01-01",
    "9999-12-31T23:59:59Z",
    "9999-12-31T23:59:59-01:00",
    "9999-12-31",
    "+10000-01-01T00:00:00Z",
    "-0001-12-31T00:00:00Z",
    "+262142-12-31T23:59:59Z",
    "+262142-12-31T23:59:59-01:00",
    "-262143-01-01T00:00:00Z",
    "-262143-01-01T00:00:00+01:00",
    "+262143-01-01",
    "+99999999999999999999-01-01",
    "+2147483648-01-01",
    "20261-11-27",
    "\u{0662}\u{0660}\u{0662}\u{0666}-11-27T09:00:00Z",
    "2026-\u{0661}1-27",
    "2026-11-27T09:00:00+\u{0660}3:00",
    "２０２６-11-27",
    "2026-11-27T09:00:00\u{2212}",
    "2026-11-27T09:00:00+",
    "2026-11-27T09:00:00-",
    "2026-11-27T09:00:00+3",
    "",
    " ",
    "2026",
    "2026-",
    "2026-11",
    "2026-11-",
    "T09:00:00Z",
    "not a date",
];

#[test]
fn reads_what_chrono_reads_at_the_edges() {
    for s in EDGES {
        check_parsers(s).unwrap_or_else(|e| panic!("{s:?}: {e}"));
    }
    // Samples of the outcomes, so that the comparison is not between two failures only.
    assert_eq!(
        super::parse_moment("2026-11-27T09:00:00+03:00")
            .map(|m| super::rfc3339(&m, true).as_str().to_owned()),
        Ok("2026-11-27T06:00:00Z".to_owned())
    );
    assert_eq!(
        super::parse_moment("2026-11-27T24:00:00Z"),
        Err(super::ParseError::OutOfRange)
    );
    assert_eq!(
        super::parse_rfc3339("2026-11-27 09:00:00Z").map(|m| m.timestamp()),
        Ok(1_795_770_000)
    );
    assert_eq!(
        super::parse_ymd(" 2026-11-27").map(|d| super::date(&d).as_str().to_owned()),
        Ok("2026-11-27".to_owned())
    );
}

#[test]
fn writes_what_chrono_writes_at_the_edges() {
    let day = |y, m, d| {
        NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|d| d.and_hms_nano_opt(23, 59, 59, 0))
            .map(|n| Utc.from_utc_datetime(&n))
    };
    let mut moments: Vec<DateTime<Utc>> = [
        day(2026, 11, 27),
        day(0, 1, 1),
        day(9999, 12, 31),
        day(10000, 1, 1),
        day(-1, 1, 1),
        day(1970, 1, 1),
        day(999, 1, 1),
        day(262142, 12, 31),
        day(-262143, 1, 1),
    ]
    .into_iter()
    .flatten()
    .collect();
    let base = moments[0];
    for nanos in [
        1,
        10,
        999,
        1_000,
        120_000,
        1_000_000,
        5_000_000,
        999_999_999,
    ] {
        moments.push(base + TimeDelta::nanoseconds(nanos));
    }
    // Leap seconds (chrono keeps them as nanoseconds past 1e9).
    for nanos in [1_000_000_000, 1_500_000_000, 1_000_000_001, 1_999_999_999] {
        let leap = NaiveDate::from_ymd_opt(2016, 12, 31)
            .and_then(|d| d.and_hms_nano_opt(23, 59, 59, nanos))
            .map(|n| Utc.from_utc_datetime(&n));
        moments.extend(leap);
    }
    assert_eq!(moments.len(), 21);
    for moment in moments {
        check_writers(moment).unwrap_or_else(|e| panic!("{moment:?}: {e}"));
    }
    assert_eq!(super::rfc3339(&base, true).as_str(), "2026-11-27T23:59:59Z");
    assert_eq!(
        super::rfc3339(&base, false).as_str(),
        "2026-11-27T23:59:59+00:00"
    );
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Holder {
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "super::option::serialize",
        deserialize_with = "super::option::deserialize"
    )]
    at: Option<DateTime<Utc>>,
    #[serde(
        default,
        serialize_with = "super::dates::serialize",
        deserialize_with = "super::dates::deserialize"
    )]
    days: Vec<NaiveDate>,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct ChronoHolder {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    at: Option<DateTime<Utc>>,
    #[serde(default)]
    days: Vec<NaiveDate>,
}

#[test]
fn options_and_lists_cross_serde_as_chronos_do() {
    for json in [
        r#"{}"#,
        r#"{"at":null}"#,
        r#"{"at":"2026-11-27T09:00:00+01:00","days":["2026-01-07"," 2026-1-8 "]}"#,
        r#"{"at":"2026-11-27T09:00:00"}"#,
        r#"{"at":5}"#,
        r#"{"at":{}}"#,
        r#"{"days":"2026-01-07"}"#,
        r#"{"days":[1]}"#,
        r#"{"days":["2026-02-30"]}"#,
        r#"{"days":[null]}"#,
    ] {
        let ours = serde_json::from_str::<Holder>(json).map_err(|e| e.to_string());
        let chrono = serde_json::from_str::<ChronoHolder>(json).map_err(|e| e.to_string());
        assert_eq!(
            ours.as_ref().map(|h| (h.at, h.days.clone())),
            chrono.as_ref().map(|h| (h.at, h.days.clone())),
            "{json}"
        );
        if let (Ok(ours), Ok(chrono)) = (ours, chrono) {
            assert_eq!(
                serde_json::to_string(&ours).ok(),
                serde_json::to_string(&chrono).ok()
            );
        }
    }
    for json in ["5", "null", "true", "[]", "{}", "\"\""] {
        assert_eq!(
            serde_json::from_str::<Moment>(json)
                .map(|m| m.0)
                .map_err(|e| e.to_string()),
            serde_json::from_str::<DateTime<Utc>>(json).map_err(|e| e.to_string())
        );
        assert_eq!(
            serde_json::from_str::<Day>(json)
                .map(|d| d.0)
                .map_err(|e| e.to_string()),
            serde_json::from_str::<NaiveDate>(json).map_err(|e| e.to_string())
        );
    }
}

/// Text around a well-formed moment: each part drawn from valid and invalid values.
fn moment_text() -> impl Strategy<Value = String> {
    let year = prop_oneof![
        (0u32..10_000).prop_map(|y| format!("{y:04}")),
        Just("2024".to_owned()),
        Just("2100".to_owned()),
        Just("0000".to_owned()),
        Just("9999".to_owned()),
        (-300_000i64..300_000).prop_map(|y| format!("{y:+}")),
        (0u32..100).prop_map(|y| y.to_string()),
    ];
    let two = |max: u32| {
        prop_oneof![
            (0..max).prop_map(|v| format!("{v:02}")),
            (0..max).prop_map(|v| v.to_string())
        ]
    };
    let sep = prop_oneof![Just("T"), Just("t"), Just(" "), Just("x"), Just("")];
    let fraction = prop_oneof![
        Just(String::new()),
        "[0-9]{1,12}".prop_map(|d| format!(".{d}")),
        Just(".".to_owned()),
    ];
    let offset = prop_oneof![
        Just("Z".to_owned()),
        Just("z".to_owned()),
        Just("UTC".to_owned()),
        Just(String::new()),
        (
            prop_oneof![Just("+"), Just("-"), Just("\u{2212}")],
            0u32..100,
            prop_oneof![Just(":"), Just(""), Just(" ")],
            0u32..100
        )
            .prop_map(|(sign, h, colon, m)| format!("{sign}{h:02}{colon}{m:02}")),
    ];
    (
        (year, two(14), two(33)),
        sep,
        (two(26), two(62), two(63)),
        fraction,
        offset,
    )
        .prop_map(|((y, mo, d), sep, (h, mi, s), f, o)| {
            format!("{y}-{mo}-{d}{sep}{h}:{mi}:{s}{f}{o}")
        })
}

/// A text with a few characters inserted, removed or replaced.
fn mutated() -> impl Strategy<Value = String> {
    let alphabet = prop_oneof![
        Just(' '),
        Just('-'),
        Just('+'),
        Just(':'),
        Just('.'),
        Just('T'),
        Just('Z'),
        Just('0'),
        Just('9'),
        Just('x'),
        Just('\t'),
        Just('\u{a0}'),
        Just('\u{2212}'),
        Just('\u{0663}'),
        Just('é'),
    ];
    (
        moment_text(),
        prop::collection::vec((any::<prop::sample::Index>(), 0u8..3, alphabet), 0..3),
    )
        .prop_map(|(text, edits)| {
            let mut chars: Vec<char> = text.chars().collect();
            for (at, op, c) in edits {
                let i = at.index(chars.len() + 1);
                match op {
                    0 => chars.insert(i, c),
                    1 if i < chars.len() => {
                        chars.remove(i);
                    }
                    _ if i < chars.len() => chars[i] = c,
                    _ => chars.push(c),
                }
            }
            chars.into_iter().collect()
        })
}

/// Text in the strict form (what hosts send), its parts mostly in range.
fn strict_text() -> impl Strategy<Value = String> {
    (
        (0u32..10_000, 1u32..=12, 1u32..=31),
        prop_oneof![Just('T'), Just('t'), Just(' ')],
        (0u32..=24, 0u32..=59, 0u32..=60),
        prop_oneof![
            Just(String::new()),
            "[0-9]{1,12}".prop_map(|d| format!(".{d}"))
        ],
        prop_oneof![
            Just("Z".to_owned()),
            Just("z".to_owned()),
            (
                prop_oneof![Just('+'), Just('-'), Just('\u{2212}')],
                0u32..=24,
                0u32..=59
            )
                .prop_map(|(sign, h, m)| format!("{sign}{h:02}:{m:02}")),
        ],
    )
        .prop_map(|((y, mo, d), sep, (h, mi, s), f, o)| {
            format!("{y:04}-{mo:02}-{d:02}{sep}{h:02}:{mi:02}:{s:02}{f}{o}")
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn reads_strict_text_as_chrono_does(s in strict_text()) {
        check_parsers(&s)?;
    }

    #[test]
    fn reads_what_chrono_reads(s in mutated()) {
        check_parsers(&s)?;
        // The date alone, and the text as it starts.
        if let Some(date) = s.split(['T', 't']).next() {
            check_parsers(date)?;
        }
    }

    #[test]
    fn reads_random_text_as_chrono_does(s in "[-+0-9:. TtZzU\u{2212}]{0,30}") {
        check_parsers(&s)?;
    }

    #[test]
    fn writes_what_chrono_writes(secs in DateTime::<Utc>::MIN_UTC.timestamp()..=DateTime::<Utc>::MAX_UTC.timestamp(), nanos in 0u32..2_000_000_000, unit in 0usize..4) {
        // Whole seconds, milliseconds, microseconds and nanoseconds alike; leap seconds too.
        let nanos = match unit { 0 => nanos / 1_000_000_000 * 1_000_000_000, 1 => nanos / 1_000_000 * 1_000_000, 2 => nanos / 1_000 * 1_000, _ => nanos };
        let moment = DateTime::from_timestamp(secs, nanos % 1_000_000_000).unwrap_or_default();
        check_writers(moment)?;
        if nanos >= 1_000_000_000 {
            // chrono allows a leap second only in the last second of a minute.
            let leap = moment.naive_utc().date().and_hms_nano_opt(23, 59, 59, nanos).map(|n| Utc.from_utc_datetime(&n));
            if let Some(leap) = leap {
                check_writers(leap)?;
            }
        }
    }
}
