/**
 * .NET custom date and time format strings (invariant culture), for formatting and for exact parsing
 * (`DateTime.ParseExact`), as FormatDateTime uses them. Also the one-letter standard formats (`d`, `s`, `o`…).
 *
 * Supported specifiers: d dd ddd dddd, M MM MMM MMMM, y yy yyy yyyy yyyyy, h hh H HH, m mm, s ss,
 * f…fffffff, F…FFFFFFF, t tt, z zz zzz, K, g/gg, the separators `:` and `/`, quoted literals ('…' "…"),
 * `\c` escapes and `%c` single specifiers. In a parse format an unquoted `Z` accepts "Z" and marks UTC,
 * as .NET does.
 *
 * Trade-off: instants are JS milliseconds, so fractions beyond 3 digits parse but format as zeros.
 * The server's local time zone is taken to be UTC (Entra's is), so "local" and "UTC" coincide.
 */

/** How .NET would label the parsed value; only affects the `K` specifier. */
export type DateKind = 'utc' | 'local' | 'unspecified';

export interface DotNetDate {
  /** Milliseconds since the Unix epoch, UTC. */
  ms: number;
  kind: DateKind;
}

const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const abbrev = (name: string): string => name.slice(0, 3);

/** Invariant-culture patterns of the standard (one-letter) format strings. */
const STANDARD_FORMATS: Readonly<Record<string, string>> = {
  d: 'MM/dd/yyyy',
  D: 'dddd, dd MMMM yyyy',
  f: 'dddd, dd MMMM yyyy HH:mm',
  F: 'dddd, dd MMMM yyyy HH:mm:ss',
  g: 'MM/dd/yyyy HH:mm',
  G: 'MM/dd/yyyy HH:mm:ss',
  m: 'MMMM dd',
  M: 'MMMM dd',
  o: "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffK",
  O: "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffK",
  r: "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'",
  R: "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'",
  s: "yyyy'-'MM'-'dd'T'HH':'mm':'ss",
  t: 'HH:mm',
  T: 'HH:mm:ss',
  u: "yyyy'-'MM'-'dd HH':'mm':'ss'Z'",
  U: 'dddd, dd MMMM yyyy HH:mm:ss',
  y: 'yyyy MMMM',
  Y: 'yyyy MMMM',
};

type FormatToken = { type: 'field'; ch: string; count: number } | { type: 'literal'; text: string; quoted: boolean };

const FIELD_CHARS = new Set(['d', 'f', 'F', 'g', 'h', 'H', 'K', 'm', 'M', 's', 't', 'y', 'z']);

/** Splits a custom format into fields and literals; null when a quote is not closed. */
export function tokenizeFormat(format: string): FormatToken[] | null {
  const pattern = format.length === 1 ? (STANDARD_FORMATS[format] ?? format) : format;
  const tokens: FormatToken[] = [];
  let i = 0;
  const literal = (text: string, quoted = false): void => {
    const last = tokens[tokens.length - 1];
    if (last?.type === 'literal' && last.quoted === quoted) last.text += text;
    else tokens.push({ type: 'literal', text, quoted });
  };
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (FIELD_CHARS.has(c)) {
      let n = 1;
      while (pattern[i + n] === c) n++;
      tokens.push({ type: 'field', ch: c, count: n });
      i += n;
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      let text = '';
      while (j < pattern.length && pattern[j] !== c) {
        if (pattern[j] === '\\' && j + 1 < pattern.length) j++;
        text += pattern[j];
        j++;
      }
      if (j >= pattern.length) return null;
      literal(text, true);
      i = j + 1;
    } else if (c === '%') {
      const d = pattern[i + 1];
      if (d !== undefined && FIELD_CHARS.has(d)) {
        tokens.push({ type: 'field', ch: d, count: 1 });
        i += 2;
      } else return null;
    } else if (c === '\\') {
      if (i + 1 >= pattern.length) return null;
      literal(pattern[i + 1]!, true);
      i += 2;
    } else {
      literal(c);
      i++;
    }
  }
  return tokens;
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** Formats an instant with a .NET format string; null when the format itself is malformed. */
export function formatDotNet(date: DotNetDate, format: string): string | null {
  const tokens = tokenizeFormat(format);
  if (!tokens) return null;
  const d = new Date(date.ms);
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth();
  const day = d.getUTCDate();
  const hour = d.getUTCHours();
  const minute = d.getUTCMinutes();
  const second = d.getUTCSeconds();
  const fraction = pad(d.getUTCMilliseconds(), 3) + '0000';
  let out = '';
  for (const t of tokens) {
    if (t.type === 'literal') {
      out += t.text;
      continue;
    }
    const n = t.count;
    switch (t.ch) {
      case 'd':
        out += n === 1 ? String(day) : n === 2 ? pad(day, 2) : n === 3 ? abbrev(DAY_NAMES[d.getUTCDay()]!) : DAY_NAMES[d.getUTCDay()]!;
        break;
      case 'M':
        out += n === 1 ? String(month + 1) : n === 2 ? pad(month + 1, 2) : n === 3 ? abbrev(MONTH_NAMES[month]!) : MONTH_NAMES[month]!;
        break;
      case 'y':
        out += n === 1 ? String(year % 100) : n === 2 ? pad(year % 100, 2) : pad(year, n);
        break;
      case 'h':
        out += n === 1 ? String(hour % 12 || 12) : pad(hour % 12 || 12, 2);
        break;
      case 'H':
        out += n === 1 ? String(hour) : pad(hour, 2);
        break;
      case 'm':
        out += n === 1 ? String(minute) : pad(minute, 2);
        break;
      case 's':
        out += n === 1 ? String(second) : pad(second, 2);
        break;
      case 'f':
        if (n > 7) return null;
        out += fraction.slice(0, n);
        break;
      case 'F': {
        if (n > 7) return null;
        const digits = fraction.slice(0, n).replace(/0+$/, '');
        if (digits === '' && out.endsWith('.')) out = out.slice(0, -1);
        out += digits;
        break;
      }
      case 't':
        out += n === 1 ? (hour < 12 ? 'A' : 'P') : hour < 12 ? 'AM' : 'PM';
        break;
      case 'z':
        out += n === 1 ? '+0' : n === 2 ? '+00' : '+00:00';
        break;
      case 'K':
        out += date.kind === 'utc' ? 'Z' : date.kind === 'local' ? '+00:00' : '';
        break;
      case 'g':
        out += 'A.D.';
        break;
    }
  }
  return out;
}

export interface ParseExactOptions {
  /** Used when the format has no date part (as .NET uses the current date). */
  now: Date;
  allowLeadingWhite: boolean;
  allowTrailingWhite: boolean;
  allowInnerWhite: boolean;
  /** NoCurrentDateDefault: a format without date parts yields 1/1/0001 instead of today. */
  noCurrentDateDefault: boolean;
  adjustToUniversal: boolean;
  assumeUniversal: boolean;
}

/** `DateTime.ParseExact(input, format, InvariantCulture, styles)`; null when the input does not match. */
export function parseExactDotNet(input: string, format: string, options: ParseExactOptions): DotNetDate | null {
  const tokens = tokenizeFormat(format);
  if (!tokens) return null;
  let s = input;
  if (options.allowLeadingWhite) s = s.replace(/^\s+/, '');
  if (options.allowTrailingWhite) s = s.replace(/\s+$/, '');
  let pos = 0;
  let year = -1;
  let month = -1;
  let day = -1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let ms = 0;
  let pm: boolean | null = null;
  let offsetMinutes: number | null = null;
  let utc = false;

  const digits = (min: number, max: number): number | null => {
    let j = pos;
    while (j < s.length && j - pos < max && s[j]! >= '0' && s[j]! <= '9') j++;
    if (j - pos < min) return null;
    const value = Number(s.slice(pos, j));
    pos = j;
    return value;
  };
  const name = (names: readonly string[]): number | null => {
    // Longest first, so "June" is not taken as "Jun" + "e".
    const order = names.map((n, i) => [n, i] as const).sort((a, b) => b[0].length - a[0].length);
    for (const [n, i] of order) {
      if (s.slice(pos, pos + n.length).toLowerCase() === n.toLowerCase()) {
        pos += n.length;
        return i;
      }
    }
    return null;
  };
  const offset = (): number | null => {
    const sign = s[pos];
    if (sign !== '+' && sign !== '-') return null;
    pos++;
    const h = digits(1, 2);
    if (h === null) return null;
    let m = 0;
    if (s[pos] === ':' && /\d/.test(s[pos + 1] ?? '')) {
      pos++;
      const mm = digits(2, 2);
      if (mm === null) return null;
      m = mm;
    } else if (/^\d\d/.test(s.slice(pos, pos + 2))) {
      m = digits(2, 2)!;
    }
    if (h > 14 || m > 59) return null;
    return (sign === '-' ? -1 : 1) * (h * 60 + m);
  };

  for (const t of tokens) {
    if (t.type === 'literal') {
      for (const ch of t.text) {
        if (!t.quoted && ch === 'Z') {
          if (s[pos] === 'Z' || s[pos] === 'z') {
            pos++;
            utc = true;
            offsetMinutes = 0;
            continue;
          }
          return null;
        }
        if (options.allowInnerWhite && /\s/.test(ch)) {
          while (/\s/.test(s[pos] ?? '')) pos++;
          continue;
        }
        if (s[pos] !== ch) return null;
        pos++;
      }
      continue;
    }
    const n = t.count;
    let v: number | null;
    switch (t.ch) {
      case 'd':
        if (n <= 2) {
          v = digits(n === 1 ? 1 : 2, 2);
          if (v === null) return null;
          day = v;
        } else if (name(n === 3 ? DAY_NAMES.map(abbrev) : DAY_NAMES) === null) return null;
        break;
      case 'M':
        v = n <= 2 ? digits(n === 1 ? 1 : 2, 2) : name(n === 3 ? MONTH_NAMES.map(abbrev) : MONTH_NAMES);
        if (v === null) return null;
        month = n <= 2 ? v : v + 1;
        break;
      case 'y':
        v = n <= 2 ? digits(n === 1 ? 1 : 2, 2) : digits(n, Math.max(n, 4));
        if (v === null) return null;
        // Invariant culture's TwoDigitYearMax is 2049.
        year = n <= 2 ? (v <= 49 ? 2000 + v : 1900 + v) : v;
        break;
      case 'h':
      case 'H':
        v = digits(n === 1 ? 1 : 2, 2);
        if (v === null) return null;
        hour = v;
        break;
      case 'm':
        v = digits(n === 1 ? 1 : 2, 2);
        if (v === null) return null;
        minute = v;
        break;
      case 's':
        v = digits(n === 1 ? 1 : 2, 2);
        if (v === null) return null;
        second = v;
        break;
      case 'f':
      case 'F': {
        if (n > 7) return null;
        const start = pos;
        v = digits(t.ch === 'f' ? n : 0, n);
        if (v === null) return null;
        const text = s.slice(start, pos);
        ms = text === '' ? 0 : Math.floor(Number(`0.${text}`) * 1000 + 1e-9);
        break;
      }
      case 't': {
        const word = s.slice(pos, pos + (n === 1 ? 1 : 2)).toUpperCase();
        if (n === 1 ? word === 'A' || word === 'P' : word === 'AM' || word === 'PM') {
          pm = word.startsWith('P');
          pos += word.length;
        } else return null;
        break;
      }
      case 'z':
        v = offset();
        if (v === null) return null;
        offsetMinutes = v;
        break;
      case 'K':
        if (s[pos] === 'Z' || s[pos] === 'z') {
          pos++;
          utc = true;
          offsetMinutes = 0;
        } else if (s[pos] === '+' || s[pos] === '-') {
          v = offset();
          if (v === null) return null;
          offsetMinutes = v;
        }
        break;
      case 'g':
        if (s.slice(pos, pos + 4).toUpperCase() === 'A.D.') pos += 4;
        else if (s.slice(pos, pos + 2).toUpperCase() === 'AD') pos += 2;
        break;
    }
  }
  if (pos !== s.length) return null;

  if (pm !== null) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (pm ? 12 : 0);
  }
  // .NET's CheckDefaultDateTime.
  if (year === -1 || month === -1 || day === -1) {
    if (month === -1 && day === -1) {
      if (year === -1) {
        if (options.noCurrentDateDefault) [year, month, day] = [1, 1, 1];
        else [year, month, day] = [options.now.getUTCFullYear(), options.now.getUTCMonth() + 1, options.now.getUTCDate()];
      } else [month, day] = [1, 1];
    } else {
      if (year === -1) year = options.now.getUTCFullYear();
      if (month === -1) month = 1;
      if (day === -1) day = 1;
    }
  }
  const epoch = utcMs(year, month, day, hour, minute, second, ms);
  if (epoch === null) return null;
  if (offsetMinutes !== null) {
    return { ms: epoch - offsetMinutes * 60_000, kind: utc || options.adjustToUniversal ? 'utc' : 'local' };
  }
  return { ms: epoch, kind: options.adjustToUniversal || options.assumeUniversal ? 'utc' : 'unspecified' };
}

/** Milliseconds for a validated UTC wall-clock time; null when any part is out of range (Feb 30, 24:00…). */
export function utcMs(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, ms = 0): number | null {
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, ms);
  return d.getTime();
}

export function daysInMonth(year: number, month: number): number {
  return [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

export { DAY_NAMES, MONTH_NAMES };
