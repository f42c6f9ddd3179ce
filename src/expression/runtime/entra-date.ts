/**
 * Entra's date conventions: CDate/DateAdd/Now/DateFromNum produce `M/d/yyyy h:mm:ss tt` in UTC, and date
 * arguments are read the way .NET's `DateTime.Parse` reads them with an en-US/invariant culture.
 *
 * Accepted inputs (anything else is "not a date"):
 * - ISO 8601: `2009-06-15T01:45:30-07:00`, `2021-08-24`, `2020-12-31 23:59:59-08:00`, `2021-06-30+08:00`
 *   (a date followed directly by an offset, as Workday sends), fractions, `Z`, `±hh`, `±hhmm`, `±hh:mm`;
 *   also `yyyy/MM/dd`.
 * - US: `8/25/2021 5:41:18 PM` (what Now() returns), `8/25/2021`, `8/25/2021 17:41`, with an optional offset,
 *   `Z`, `GMT` or `UTC`.
 * - Month names: `January 1, 2012 11:00 PM`, `1 Jan 2012`, `Sun, 01 Jan 2012 23:00:00 GMT`.
 * A value with an offset is converted to UTC; one without is taken as UTC.
 */
import { DAY_NAMES, MONTH_NAMES, formatDotNet, utcMs } from './dotnet-datetime-format.js';

export const ENTRA_DATE_FORMAT = 'M/d/yyyy h:mm:ss tt';

/** `M/d/yyyy h:mm:ss tt`, UTC. */
export function formatEntraDate(ms: number): string {
  return formatDotNet({ ms, kind: 'utc' }, ENTRA_DATE_FORMAT)!;
}

const OFFSET = String.raw`(Z|[+-]\d{1,2}(?::?\d{2})?|GMT|UTC)`;
const TIME = String.raw`(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,7}))?)?`;
const ISO = new RegExp(String.raw`^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:(?:T|\s+)${TIME})?\s*${OFFSET}?$`, 'i');
const US = new RegExp(String.raw`^(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})(?:\s+${TIME}\s*(AM|PM|A|P)?)?\s*${OFFSET}?$`, 'i');
const MONTH = `(${MONTH_NAMES.map((m) => `${m}|${m.slice(0, 3)}`).join('|')})\\.?`;
const WEEKDAY = `(?:(?:${DAY_NAMES.map((d) => `${d}|${d.slice(0, 3)}`).join('|')}),?\\s+)?`;
const TAIL = String.raw`(?:,?\s+${TIME}\s*(AM|PM|A|P)?)?\s*${OFFSET}?$`;
const MONTH_FIRST = new RegExp(`^${WEEKDAY}${MONTH}\\s+(\\d{1,2}),?\\s+(\\d{4})${TAIL}`, 'i');
const DAY_FIRST = new RegExp(`^${WEEKDAY}(\\d{1,2})\\s+${MONTH}\\s+(\\d{4})${TAIL}`, 'i');

/** Milliseconds since the epoch (UTC), or null when the text is not a date .NET would read. */
export function parseEntraDate(text: string): number | null {
  const s = text.trim();
  let m = ISO.exec(s);
  if (m) return build(+m[1]!, +m[2]!, +m[3]!, m[4], m[5], m[6], m[7], undefined, m[8]);
  m = US.exec(s);
  if (m) {
    const y = m[3]!.length === 2 ? twoDigitYear(+m[3]!) : +m[3]!;
    return build(y, +m[1]!, +m[2]!, m[4], m[5], m[6], m[7], m[8], m[9]);
  }
  m = MONTH_FIRST.exec(s);
  if (m) return build(+m[3]!, monthIndex(m[1]!), +m[2]!, m[4], m[5], m[6], m[7], m[8], m[9]);
  m = DAY_FIRST.exec(s);
  if (m) return build(+m[3]!, monthIndex(m[2]!), +m[1]!, m[4], m[5], m[6], m[7], m[8], m[9]);
  return null;
}

const twoDigitYear = (y: number): number => (y <= 49 ? 2000 + y : 1900 + y);

function monthIndex(name: string): number {
  const key = name.slice(0, 3).toLowerCase();
  return MONTH_NAMES.findIndex((m) => m.slice(0, 3).toLowerCase() === key) + 1;
}

function build(
  year: number,
  month: number,
  day: number,
  hh: string | undefined,
  mm: string | undefined,
  ss: string | undefined,
  fraction: string | undefined,
  ampm: string | undefined,
  offset: string | undefined,
): number | null {
  let hour = hh === undefined ? 0 : +hh;
  if (ampm) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (ampm.toUpperCase().startsWith('P') ? 12 : 0);
  }
  const ms = fraction ? Math.floor(Number(`0.${fraction}`) * 1000 + 1e-9) : 0;
  const base = utcMs(year, month, day, hour, mm === undefined ? 0 : +mm, ss === undefined ? 0 : +ss, ms);
  if (base === null) return null;
  const minutes = offsetMinutes(offset);
  return minutes === null ? null : base - minutes * 60_000;
}

function offsetMinutes(offset: string | undefined): number | null {
  if (!offset || /^(Z|GMT|UTC)$/i.test(offset)) return 0;
  const m = /^([+-])(\d{1,2}):?(\d{2})?$/.exec(offset);
  if (!m) return null;
  const h = +m[2]!;
  const min = m[3] ? +m[3] : 0;
  if (h > 14 || min > 59) return null;
  return (m[1] === '-' ? -1 : 1) * (h * 60 + min);
}

/** 100-ns intervals between 1601-01-01 (FILETIME epoch) and 1970-01-01. */
const FILETIME_EPOCH_OFFSET_MS = 11_644_473_600_000n;
/** .NET's DateTime.MaxValue (9999-12-31T23:59:59.999Z) as JS ms. */
const MAX_MS = 253_402_300_799_999;

/** AD FILETIME (100-ns ticks since 1601, UTC) → epoch ms; null outside .NET's DateTime range. */
export function fileTimeToMs(ticks: bigint): number | null {
  if (ticks < 0n) return null;
  const ms = ticks / 10_000n - FILETIME_EPOCH_OFFSET_MS;
  if (ms > BigInt(MAX_MS)) return null;
  return Number(ms);
}

/** Epoch ms → AD FILETIME; null before 1601. */
export function msToFileTime(ms: number): bigint | null {
  const ticks = (BigInt(ms) + FILETIME_EPOCH_OFFSET_MS) * 10_000n;
  return ticks < 0n ? null : ticks;
}
