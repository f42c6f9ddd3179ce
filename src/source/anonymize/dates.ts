/**
 * Pseudonyms for ISO 8601 dates (`employeeHireDate`, `employeeLeaveDateTime`, dates in extension attributes): the
 * day is shifted by 1–730 days, a shift keyed by the seed and the original day, and everything else is kept as
 * written: a date stays a date (`2021-03-01`), a date-time keeps its time, its precision and its `Z` or offset
 * (`2021-03-01T00:00:00Z`). So a mapping's `FormatDateTime` or `DateAdd` reads the pseudonym as it read the
 * original. One day always gets the same shift (equal dates stay equal, and times of one day keep their order);
 * two different days may land on the same one.
 */
import type { KeyedHash } from './keyed-hash.js';

/** The largest shift, in days (about two years). */
export const MAX_DATE_SHIFT_DAYS = 730;
const DAY_MS = 86_400_000;
/** `YYYY-MM-DD`, then optionally `THH:MM[:SS[.fff…]][Z|±HH:MM]`. */
const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})((?:[Tt ](?:[01]\d|2[0-3]):[0-5]\d(?::(?:[0-5]\d|60)(?:\.\d+)?)?(?:[Zz]|[+-](?:[01]\d|2[0-3]):?[0-5]\d)?)?)$/;

/** The shifted date in the original's format, or null when `value` is not an ISO 8601 date or date-time. */
export function shiftedDate(hash: KeyedHash, value: string): string | null {
  const m = ISO_DATE.exec(value);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  const [shift] = hash.ints('date', `${m[1]}-${m[2]}-${m[3]}`, 0, [MAX_DATE_SHIFT_DAYS]);
  const days = shift! + 1;
  let shifted = new Date(date.getTime() + days * DAY_MS);
  // 9999-12-31 (a common "no end date") cannot move later in four digits: it moves earlier by as much.
  if (shifted.getUTCFullYear() > 9999) shifted = new Date(date.getTime() - days * DAY_MS);
  const pad = (n: number, width: number): string => String(n).padStart(width, '0');
  return `${pad(shifted.getUTCFullYear(), 4)}-${pad(shifted.getUTCMonth() + 1, 2)}-${pad(shifted.getUTCDate(), 2)}${m[4]!}`;
}
