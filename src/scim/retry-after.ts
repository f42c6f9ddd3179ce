/**
 * `Retry-After` (RFC 9110 §10.2.3), read strictly: delay-seconds (`1*DIGIT`, a non-negative integer) or an
 * HTTP-date in any of the three formats recipients must accept (§5.6.7): IMF-fixdate
 * (`Sun, 06 Nov 1994 08:49:37 GMT`), the obsolete RFC 850 form (`Sunday, 06-Nov-94 08:49:37 GMT`) and
 * asctime (`Sun Nov  6 08:49:37 1994`). HTTP-date is case-sensitive. Anything else (`-5`, `1.5`, `5s`, a
 * date `Date.parse` would guess at) is treated as absent, so the retry ladder backs off as without it. Pure;
 * `now` is passed in.
 *
 * The weekday is checked for its spelling only, not against the date (the RFC does not ask recipients to).
 */

/** Milliseconds to wait (never negative), or null when the header is absent or not a valid Retry-After. */
export function parseRetryAfter(header: string | undefined | null, now: Date): number | null {
  if (header === undefined || header === null) return null;
  // Field values come without surrounding whitespace (RFC 9110 §5.5); a caller may not have trimmed.
  const text = header.replace(/^[ \t]+|[ \t]+$/g, '');
  if (/^[0-9]+$/.test(text)) return Math.min(Number(text) * 1000, Number.MAX_SAFE_INTEGER);
  const at = parseHttpDate(text, now);
  return at === null ? null : Math.max(0, at - now.getTime());
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTH = MONTHS.join('|');
const DAY = 'Mon|Tue|Wed|Thu|Fri|Sat|Sun';
const DAY_LONG = 'Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday';
const TIME = '([0-9]{2}):([0-9]{2}):([0-9]{2})';
const IMF_FIXDATE = new RegExp(`^(?:${DAY}), ([0-9]{2}) (${MONTH}) ([0-9]{4}) ${TIME} GMT$`);
const RFC850_DATE = new RegExp(`^(?:${DAY_LONG}), ([0-9]{2})-(${MONTH})-([0-9]{2}) ${TIME} GMT$`);
const ASCTIME_DATE = new RegExp(`^(?:${DAY}) (${MONTH}) ([0-9]{2}| [0-9]) ${TIME} ([0-9]{4})$`);

/** An HTTP-date as epoch milliseconds, or null when `text` is not one (or names a day that does not exist). */
export function parseHttpDate(text: string, now: Date): number | null {
  let m = IMF_FIXDATE.exec(text);
  if (m) return utc(Number(m[3]), m[2]!, Number(m[1]), m[4]!, m[5]!, m[6]!);
  m = RFC850_DATE.exec(text);
  if (m) {
    // A two-digit year more than 50 years in the future is the most recent past year with those digits (§5.6.7).
    const yy = Number(m[3]);
    const current = now.getUTCFullYear();
    let year = current - (current % 100) + yy;
    if (year > current + 50) year -= 100;
    return utc(year, m[2]!, Number(m[1]), m[4]!, m[5]!, m[6]!);
  }
  m = ASCTIME_DATE.exec(text);
  if (m) return utc(Number(m[6]), m[1]!, Number(m[2]!.trim()), m[3]!, m[4]!, m[5]!);
  return null;
}

function utc(year: number, month: string, day: number, hh: string, mm: string, ss: string): number | null {
  const monthIndex = MONTHS.indexOf(month);
  const [hour, minute, second] = [Number(hh), Number(mm), Number(ss)];
  if (day < 1 || hour > 23 || minute > 59 || second > 60) return null;
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0–99 as 1900–1999.
  const at = new Date(0);
  at.setUTCFullYear(year, monthIndex, day);
  // A day the month does not have (31 Feb) rolls over into the next month: it does not exist.
  if (at.getUTCMonth() !== monthIndex || at.getUTCDate() !== day) return null;
  // second 60 is a leap second (the grammar allows it); it carries into the next minute.
  at.setUTCHours(hour, minute, second, 0);
  return at.getTime();
}
