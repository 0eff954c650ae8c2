// The definition's working calendar in plain JS (the two JS peers and the workload use it):
// business-day offsets in the company's local time, as voronka's `calendar.rs` counts them.

const DAY = 86_400_000;

export function compileCalendar({ utc_offset: offset, weekend, holidays }) {
  const sign = offset.startsWith('-') ? -1 : 1;
  const [h, m] = offset.slice(1).split(':').map(Number);
  const shift = sign * (h * 60 + m) * 60_000;
  const names = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
  const off = new Set(weekend.map((d) => names.indexOf(d)));
  const holiday = new Set(holidays.map((d) => Date.parse(`${d}T00:00:00Z`) / DAY));
  // Day 0 (1970-01-01) was a Thursday.
  const working = (day) => !off.has((day + 4) % 7) && !holiday.has(day);
  return {
    /** `ms` (UTC epoch) moved by `days`, counted as working days when `business`; time of day kept. */
    add(ms, days, business) {
      const local = ms + shift;
      let day = Math.floor(local / DAY);
      const time = local - day * DAY;
      if (business) {
        const step = days < 0 ? -1 : 1;
        for (let left = Math.abs(days); left > 0; ) {
          day += step;
          if (working(day)) left--;
        }
        while (!working(day)) day += step;
      } else {
        day += days;
      }
      return day * DAY + time - shift;
    },
    /** The moment a date field (`YYYY-MM-DD`) means: 09:00 local on that day. */
    startOf(date) {
      return Date.parse(`${date}T00:00:00Z`) + 9 * 3_600_000 - shift;
    },
  };
}

/** RFC 3339 in whole seconds, as voronka writes times. */
export function iso(ms) {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}
