//! The JSON text of UTC moments, exactly as chrono's `Serialize` writes it, without going
//! through `core::fmt`: a record's dates and every event's `at` are written on each encoded
//! result, and chrono's formatting was about a quarter of encoding an event in WebAssembly.

use chrono::{DateTime, Datelike, SecondsFormat, Timelike, Utc};
use serde::Serializer;

/// Serializes `moment` as chrono does: `2026-11-27T09:00:00Z`, with `.fff`, `.ffffff` or
/// `.fffffffff` when it has a fraction of a second. Years outside 0–9999 and leap seconds
/// (rare) are left to chrono.
pub(crate) fn serialize<S: Serializer>(moment: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    let mut buf = [0u8; 30];
    match write(moment, &mut buf).and_then(|n| std::str::from_utf8(&buf[..n]).ok()) {
        Some(text) => s.serialize_str(text),
        None => s.serialize_str(&moment.to_rfc3339_opts(SecondsFormat::AutoSi, true)),
    }
}

/// Writes `moment` into `buf`; its length, or `None` for what only chrono writes.
fn write(moment: &DateTime<Utc>, buf: &mut [u8; 30]) -> Option<usize> {
    let year = u32::try_from(moment.year()).ok().filter(|y| *y <= 9999)?;
    let nanos = moment.nanosecond();
    if nanos >= 1_000_000_000 {
        return None;
    }
    digits(&mut buf[0..4], year);
    buf[4] = b'-';
    digits(&mut buf[5..7], moment.month());
    buf[7] = b'-';
    digits(&mut buf[8..10], moment.day());
    buf[10] = b'T';
    digits(&mut buf[11..13], moment.hour());
    buf[13] = b':';
    digits(&mut buf[14..16], moment.minute());
    buf[16] = b':';
    digits(&mut buf[17..19], moment.second());
    let mut n = 19;
    if nanos != 0 {
        let (value, width) = if nanos.is_multiple_of(1_000_000) {
            (nanos / 1_000_000, 3)
        } else if nanos.is_multiple_of(1_000) {
            (nanos / 1_000, 6)
        } else {
            (nanos, 9)
        };
        buf[n] = b'.';
        digits(&mut buf[n + 1..n + 1 + width], value);
        n += 1 + width;
    }
    buf[n] = b'Z';
    Some(n + 1)
}

/// `value` in decimal, zero-padded to the width of `out`.
fn digits(out: &mut [u8], mut value: u32) {
    for b in out.iter_mut().rev() {
        *b = b'0' + (value % 10) as u8;
        value /= 10;
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, NaiveDate, TimeZone, Utc};
    use proptest::prelude::*;
    use serde::Serialize;

    #[derive(Serialize)]
    struct Fast(#[serde(serialize_with = "super::serialize")] DateTime<Utc>);

    fn both(moment: DateTime<Utc>) -> (String, String) {
        let fast = serde_json::to_string(&Fast(moment)).unwrap_or_default();
        let chrono = serde_json::to_string(&moment).unwrap_or_default();
        (fast, chrono)
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
            moments.push(base + chrono::TimeDelta::nanoseconds(nanos));
        }
        // A leap second (chrono keeps it as nanoseconds past 1e9).
        let leap = NaiveDate::from_ymd_opt(2016, 12, 31)
            .and_then(|d| d.and_hms_nano_opt(23, 59, 59, 1_500_000_000))
            .map(|n| Utc.from_utc_datetime(&n));
        moments.extend(leap);
        assert_eq!(moments.len(), 15);
        for moment in moments {
            let (fast, chrono) = both(moment);
            assert_eq!(fast, chrono);
        }
        assert_eq!(both(base).0, "\"2026-11-27T23:59:59Z\"");
    }

    proptest! {
        #[test]
        fn writes_what_chrono_writes(secs in -62_135_596_800i64..253_402_300_799, nanos in 0u32..1_000_000_000, unit in 0usize..4) {
            // Whole seconds, milliseconds, microseconds and nanoseconds alike.
            let nanos = match unit { 0 => 0, 1 => nanos / 1_000_000 * 1_000_000, 2 => nanos / 1_000 * 1_000, _ => nanos };
            let moment = DateTime::from_timestamp(secs, nanos).unwrap_or_default();
            let (fast, chrono) = both(moment);
            prop_assert_eq!(fast, chrono);
        }
    }
}
