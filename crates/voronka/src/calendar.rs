//! The working calendar: business days, holidays and the company's UTC offset.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveTime, TimeZone, Utc};

use crate::automation::{CalendarDef, Offset, Weekday};

/// Local time a date field means when a timer follows it (the start of the working day).
pub const DAY_START: NaiveTime = match NaiveTime::from_hms_opt(9, 0, 0) {
    Some(t) => t,
    None => panic!("09:00 is a valid time"),
};

/// Most days a business-day offset may walk through (guards against a calendar with no working days).
const MAX_WALK: i32 = 3_660;

/// A compiled calendar.
#[derive(Debug, Clone)]
pub(crate) struct Calendar {
    offset: FixedOffset,
    weekend: [bool; 7],
    holidays: BTreeSet<NaiveDate>,
    working_days: BTreeSet<NaiveDate>,
}

/// Parses `"+03:00"`, `"-05:30"` or `"Z"`.
pub(crate) fn parse_offset(text: &str) -> Option<FixedOffset> {
    if text == "Z" {
        return FixedOffset::east_opt(0);
    }
    let (sign, rest) = match text.as_bytes().first()? {
        b'+' => (1, &text[1..]),
        b'-' => (-1, &text[1..]),
        _ => return None,
    };
    let (h, m) = rest.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let h: i32 = h.parse().ok()?;
    let m: i32 = m.parse().ok()?;
    if h > 14 || m > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}

impl Calendar {
    /// Compiles a calendar; `None` when the offset does not parse.
    pub(crate) fn new(def: &CalendarDef) -> Option<Calendar> {
        let mut weekend = [false; 7];
        for day in &def.weekend {
            let i = match day {
                Weekday::Mon => 0,
                Weekday::Tue => 1,
                Weekday::Wed => 2,
                Weekday::Thu => 3,
                Weekday::Fri => 4,
                Weekday::Sat => 5,
                Weekday::Sun => 6,
            };
            weekend[i] = true;
        }
        Some(Calendar {
            offset: parse_offset(&def.utc_offset)?,
            weekend,
            holidays: def.holidays.iter().copied().collect(),
            working_days: def.working_days.iter().copied().collect(),
        })
    }

    /// Whether `date` is a working day.
    pub(crate) fn is_working_day(&self, date: NaiveDate) -> bool {
        if self.working_days.contains(&date) {
            return true;
        }
        !self.weekend[date.weekday().num_days_from_monday() as usize]
            && !self.holidays.contains(&date)
    }

    /// Whether the calendar has any working day in a week (else business offsets cannot work).
    pub(crate) fn has_working_days(&self) -> bool {
        self.weekend.iter().any(|w| !w)
    }

    /// `from` moved by `offset`: days are counted in the company's local time, as working days
    /// when `business` is set (then a result on a day off moves on to the next working day in
    /// the offset's direction). Hours and minutes are added last.
    pub(crate) fn add(&self, from: DateTime<Utc>, offset: &Offset) -> DateTime<Utc> {
        let local = from.with_timezone(&self.offset);
        let mut date = local.date_naive();
        if offset.business {
            let step = if offset.days < 0 { -1 } else { 1 };
            let mut left = offset.days.abs();
            let mut walked = 0;
            while left > 0 && walked < MAX_WALK {
                date += Duration::days(step as i64);
                walked += 1;
                if self.is_working_day(date) {
                    left -= 1;
                }
            }
            while !self.is_working_day(date) && walked < MAX_WALK {
                date += Duration::days(step as i64);
                walked += 1;
            }
        } else {
            date += Duration::days(offset.days as i64);
        }
        let moved = self
            .offset
            .from_local_datetime(&date.and_time(local.time()))
            .single()
            .map(|d| d.with_timezone(&Utc))
            .unwrap_or(from);
        moved + Duration::hours(offset.hours as i64) + Duration::minutes(offset.minutes as i64)
    }

    /// The moment a date field means: the start of that working day in local time.
    pub(crate) fn start_of(&self, date: NaiveDate) -> DateTime<Utc> {
        self.offset
            .from_local_datetime(&date.and_time(DAY_START))
            .single()
            .map(|d| d.with_timezone(&Utc))
            .unwrap_or_else(|| Utc.from_utc_datetime(&date.and_time(DAY_START)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn calendar() -> Calendar {
        let def = CalendarDef {
            utc_offset: "+03:00".into(),
            weekend: vec![Weekday::Sat, Weekday::Sun],
            holidays: vec![NaiveDate::from_ymd_opt(2026, 12, 31).unwrap_or_default()],
            working_days: Vec::new(),
        };
        Calendar::new(&def).unwrap_or_else(|| panic!("valid calendar"))
    }

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn business_days_skip_weekends_and_holidays() {
        let c = calendar();
        let business = |days| Offset {
            days,
            business: true,
            ..Offset::default()
        };
        // Friday 27 Nov 2026, 12:00 Moscow → Monday 30 Nov.
        assert_eq!(
            c.add(at("2026-11-27T09:00:00Z"), &business(1)),
            at("2026-11-30T09:00:00Z")
        );
        // Wednesday 30 Dec → Friday 1 Jan is not reached: 31 Dec is a holiday, 1 Jan a Friday.
        assert_eq!(
            c.add(at("2026-12-30T09:00:00Z"), &business(1)),
            at("2027-01-01T09:00:00Z")
        );
        // Three working days before Wednesday 2 Dec: Friday 27 Nov.
        assert_eq!(
            c.add(at("2026-12-02T06:00:00Z"), &business(-3)),
            at("2026-11-27T06:00:00Z")
        );
        // Plain days ignore the calendar.
        let plain = Offset {
            days: 7,
            ..Offset::default()
        };
        assert_eq!(
            c.add(at("2026-11-27T09:00:00Z"), &plain),
            at("2026-12-04T09:00:00Z")
        );
    }

    #[test]
    fn local_day_boundaries_use_the_offset() {
        let c = calendar();
        // 22:30 UTC Friday is already Saturday 01:30 in Moscow: one business day is Monday
        // 01:30 Moscow, which is still Sunday in UTC.
        let business = Offset {
            days: 1,
            business: true,
            ..Offset::default()
        };
        assert_eq!(
            c.add(at("2026-11-27T22:30:00Z"), &business),
            at("2026-11-29T22:30:00Z")
        );
        let start = c.start_of(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default());
        assert_eq!(start, at("2026-12-01T06:00:00Z"));
    }

    #[test]
    fn offsets_parse() {
        assert_eq!(parse_offset("+03:00"), FixedOffset::east_opt(3 * 3600));
        assert_eq!(
            parse_offset("-05:30"),
            FixedOffset::east_opt(-(5 * 3600 + 1800))
        );
        assert_eq!(parse_offset("Z"), FixedOffset::east_opt(0));
        for bad in ["03:00", "+3:00", "+15:00", "+03:60", "Europe/Moscow", ""] {
            assert_eq!(parse_offset(bad), None, "{bad}");
        }
    }
}
