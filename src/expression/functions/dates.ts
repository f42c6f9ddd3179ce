/**
 * Dates: Now, CDate, DateAdd, DateDiff, FormatDateTime, DateFromNum, NumFromDate.
 * Dates travel between functions as strings in Entra's `M/d/yyyy h:mm:ss tt` (UTC) and are parsed back
 * when read (see runtime/entra-date.ts for what parses). A null date yields null.
 *
 * Intervals (DateAdd/DateDiff), case-insensitive as in VB: yyyy year, q quarter, m month, y day-of-year
 * (= day), d day, w weekday (= 7 days in DateDiff, 1 day in DateAdd, as VB), ww week, h hour, n minute,
 * s second. Microsoft documents yyyy, m, d, ww, h, n, s.
 *
 * NOTE — DateDiff counting [UNCONFIRMED]: yyyy/q/m count calendar boundaries (VB semantics: 8/25/2021 →
 * 3/16/2012 is -9 years and -113 months, as in the doc); d/ww/h/n/s are the elapsed time in that unit,
 * rounded half to even. Rounding (not truncation) is what reproduces every row of Microsoft's table,
 * including ww = -493 for -3449.45 days (truncation gives -492).
 * DateAdd truncates a fractional count toward zero, as VB's DateAdd does; months clamp to the month's
 * last day (1/31 + 1 month = 2/28 or 2/29).
 *
 * FormatDateTime(source, dateTimeStyles, inputFormat, outputFormat) parses with .NET ParseExact and the
 * invariant culture; the older three-argument form FormatDateTime(source, inputFormat, outputFormat) from
 * earlier versions of the doc is accepted too. dateTimeStyles is a DateTimeStyles name list ("AdjustToUniversal,
 * AllowWhiteSpaces") or its number; omitted means RoundtripKind, AllowLeadingWhite, AllowTrailingWhite.
 * An input with an offset is converted to UTC before formatting. A source that is "" is returned as is
 * (the usual guard `FormatDateTime(IIF(…, [x], ""), …)` relies on that); text that does not match the
 * input format fails.
 */
import type { CallNode } from '../ast.js';
import { EXPR_CODES } from '../codes.js';
import { defineFunction, optional, type CallContext, type CheckContext, type FunctionDef } from '../function-def.js';
import { bigint, num, roundHalfEven, str } from '../runtime/coerce.js';
import { daysInMonth, formatDotNet, parseExactDotNet, tokenizeFormat } from '../runtime/dotnet-datetime-format.js';
import { fileTimeToMs, formatEntraDate, msToFileTime, parseEntraDate } from '../runtime/entra-date.js';
import type { Value } from '../types.js';

type Interval = 'year' | 'quarter' | 'month' | 'day' | 'weekday' | 'week' | 'hour' | 'minute' | 'second';

const INTERVALS: Readonly<Record<string, Interval>> = {
  yyyy: 'year',
  q: 'quarter',
  m: 'month',
  y: 'day',
  d: 'day',
  w: 'weekday',
  ww: 'week',
  h: 'hour',
  n: 'minute',
  s: 'second',
};
const INTERVAL_HINT = 'intervals: "yyyy" year, "m" month, "d" day, "ww" week, "h" hour, "n" minute, "s" second (also "q", "y", "w")';

const DAY = 86_400_000;
const MIN_MS = -62_135_596_800_000; // 0001-01-01T00:00:00Z
const MAX_MS = 253_402_300_799_999; // 9999-12-31T23:59:59.999Z

function intervalArg(v: Value, call: CallContext): Interval {
  const s = str(v, call, 'interval');
  const interval = s === null ? undefined : INTERVALS[s.toLowerCase()];
  if (interval === undefined)
    return call.fail(EXPR_CODES.EVAL_BAD_INTERVAL, `${call.node.name}: ${JSON.stringify(s)} is not an interval; ${INTERVAL_HINT}`);
  return interval;
}

function checkInterval(node: CallNode, { report }: CheckContext): void {
  const arg = node.args[0];
  if (arg?.kind === 'string' && INTERVALS[arg.value.toLowerCase()] === undefined) {
    report(EXPR_CODES.INVALID_ARGUMENT, `${node.name}: "${arg.value}" is not an interval`, arg, INTERVAL_HINT);
  }
}

function dateArg(v: Value, call: CallContext, param: string): number | null {
  const s = str(v, call, param);
  if (s === null) return null;
  const ms = parseEntraDate(s);
  if (ms === null) return call.fail(EXPR_CODES.EVAL_BAD_DATE, `${call.node.name}: ${param} ${JSON.stringify(s)} is not a date`);
  return ms;
}

function inRange(ms: number, call: CallContext): string {
  if (!Number.isFinite(ms) || ms < MIN_MS || ms > MAX_MS)
    return call.fail(EXPR_CODES.EVAL_OUT_OF_RANGE, `${call.node.name}: the result is outside 1/1/0001 – 12/31/9999`);
  return formatEntraDate(ms);
}

function addMonths(ms: number, months: number): number {
  const d = new Date(ms);
  const total = d.getUTCFullYear() * 12 + d.getUTCMonth() + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12;
  const day = Math.min(d.getUTCDate(), daysInMonth(year, month + 1));
  const out = new Date(ms);
  out.setUTCFullYear(year, month, day);
  return out.getTime();
}

const now = defineFunction('Now', 'the current UTC date and time', [], (_args, call) => formatEntraDate(call.ctx.clock.now().getTime()));

const cDate = defineFunction('CDate', 'the date in UTC, as M/d/yyyy h:mm:ss tt', ['expression'], ([v], call) => {
  const ms = dateArg(v ?? null, call, 'expression');
  return ms === null ? null : inRange(ms, call);
});

const dateAdd = defineFunction(
  'DateAdd',
  'dateTime plus value intervals',
  ['interval', 'value', 'dateTime'],
  ([interval, value, dateTime], call) => {
    const unit = intervalArg(interval ?? null, call);
    const amount = num(value ?? null, call, 'value');
    if (amount === null) return call.fail(EXPR_CODES.EVAL_NOT_A_NUMBER, 'DateAdd: value must be a number, got null');
    const n = Math.trunc(amount);
    const ms = dateArg(dateTime ?? null, call, 'dateTime');
    if (ms === null) return null;
    switch (unit) {
      case 'year':
        return inRange(addMonths(ms, 12 * n), call);
      case 'quarter':
        return inRange(addMonths(ms, 3 * n), call);
      case 'month':
        return inRange(addMonths(ms, n), call);
      case 'day':
      case 'weekday':
        return inRange(ms + n * DAY, call);
      case 'week':
        return inRange(ms + 7 * n * DAY, call);
      case 'hour':
        return inRange(ms + n * 3_600_000, call);
      case 'minute':
        return inRange(ms + n * 60_000, call);
      case 'second':
        return inRange(ms + n * 1000, call);
    }
  },
  { check: checkInterval },
);

const dateDiff = defineFunction(
  'DateDiff',
  'date2 − date1 in intervals (positive when date2 is later)',
  ['interval', 'date1', 'date2'],
  ([interval, date1, date2], call) => {
    const unit = intervalArg(interval ?? null, call);
    const a = dateArg(date1 ?? null, call, 'date1');
    const b = dateArg(date2 ?? null, call, 'date2');
    if (a === null || b === null) return null;
    const da = new Date(a);
    const db = new Date(b);
    const years = db.getUTCFullYear() - da.getUTCFullYear();
    const elapsed = (unitMs: number): string => String(roundHalfEven((b - a) / unitMs) || 0);
    switch (unit) {
      case 'year':
        return String(years);
      case 'quarter':
        return String(years * 4 + Math.floor(db.getUTCMonth() / 3) - Math.floor(da.getUTCMonth() / 3));
      case 'month':
        return String(years * 12 + db.getUTCMonth() - da.getUTCMonth());
      case 'day':
        return elapsed(DAY);
      case 'weekday':
      case 'week':
        return elapsed(7 * DAY);
      case 'hour':
        return elapsed(3_600_000);
      case 'minute':
        return elapsed(60_000);
      case 'second':
        return elapsed(1000);
    }
  },
  { check: checkInterval },
);

/** System.Globalization.DateTimeStyles. */
const STYLE_FLAGS: Readonly<Record<string, number>> = {
  none: 0,
  allowleadingwhite: 1,
  allowtrailingwhite: 2,
  allowinnerwhite: 4,
  allowwhitespaces: 7,
  nocurrentdatedefault: 8,
  adjusttouniversal: 16,
  assumelocal: 32,
  assumeuniversal: 64,
  roundtripkind: 128,
};
const DEFAULT_STYLES = 128 | 1 | 2;

/** The flags for a dateTimeStyles argument, or the name that is not a style. */
function parseStyles(text: string): number | { unknown: string } {
  const t = text.trim();
  if (/^\d+$/.test(t)) return Number(t);
  let flags = 0;
  for (const part of t.split(/[,|]/)) {
    const name = part
      .trim()
      .replace(/^(System\.Globalization\.)?DateTimeStyles\./i, '')
      .toLowerCase();
    if (name === '') continue;
    const flag = STYLE_FLAGS[name];
    if (flag === undefined) return { unknown: part.trim() };
    flags |= flag;
  }
  return flags;
}

function formatArgs(node: CallNode): { styles: number | null; input: number; output: number } {
  return node.args.length === 3 ? { styles: null, input: 1, output: 2 } : { styles: 1, input: 2, output: 3 };
}

function checkFormatDateTime(node: CallNode, { report }: CheckContext): void {
  const { styles, input, output } = formatArgs(node);
  if (node.args.length === 3 && node.args[1]?.kind === 'omitted') {
    report(
      EXPR_CODES.MISSING_ARGUMENT,
      'FormatDateTime: inputFormat is required',
      node.args[1],
      'FormatDateTime(source, dateTimeStyles, inputFormat, outputFormat): add the output format as a fourth argument',
    );
  }
  const stylesArg = styles === null ? undefined : node.args[styles];
  if (stylesArg?.kind === 'string') {
    const parsed = parseStyles(stylesArg.value);
    if (typeof parsed !== 'number')
      report(
        EXPR_CODES.INVALID_ARGUMENT,
        `FormatDateTime: "${parsed.unknown}" is not a DateTimeStyles value`,
        stylesArg,
        'leave it empty for the default, or use names such as AdjustToUniversal, AllowWhiteSpaces, AssumeUniversal',
      );
  }
  for (const i of [input, output]) {
    const arg = node.args[i];
    if (arg?.kind === 'string' && tokenizeFormat(arg.value) === null)
      report(
        EXPR_CODES.INVALID_ARGUMENT,
        `FormatDateTime: "${arg.value}" is not a valid date format (unclosed quote or dangling \\ or %)`,
        arg,
      );
  }
}

const formatDateTime = defineFunction(
  'FormatDateTime',
  'a date string reformatted from inputFormat to outputFormat (.NET custom formats)',
  ['source', optional('dateTimeStyles'), 'inputFormat', 'outputFormat'],
  (args, call) => {
    const { styles, input, output } = formatArgs(call.node);
    const source = str(args[0] ?? null, call, 'source');
    const stylesText = styles === null ? null : str(args[styles] ?? null, call, 'dateTimeStyles');
    const inputFormat = str(args[input] ?? null, call, 'inputFormat');
    const outputFormat = str(args[output] ?? null, call, 'outputFormat');
    let flags = DEFAULT_STYLES;
    if (stylesText !== null && stylesText.trim() !== '') {
      const parsed = parseStyles(stylesText);
      if (typeof parsed !== 'number')
        return call.fail(EXPR_CODES.EVAL_BAD_ARGUMENT, `FormatDateTime: "${parsed.unknown}" is not a DateTimeStyles value`);
      flags = parsed;
    }
    if (source === null) return null;
    if (source === '') return '';
    if (inputFormat === null || outputFormat === null)
      return call.fail(EXPR_CODES.EVAL_BAD_FORMAT, 'FormatDateTime: inputFormat and outputFormat are required');
    const parsed = parseExactDotNet(source, inputFormat, {
      now: call.ctx.clock.now(),
      allowLeadingWhite: (flags & 1) !== 0,
      allowTrailingWhite: (flags & 2) !== 0,
      allowInnerWhite: (flags & 4) !== 0,
      noCurrentDateDefault: (flags & 8) !== 0,
      adjustToUniversal: (flags & 16) !== 0,
      assumeUniversal: (flags & 64) !== 0,
    });
    if (parsed === null)
      return call.fail(
        EXPR_CODES.EVAL_BAD_DATE,
        `FormatDateTime: ${JSON.stringify(source)} does not match the input format ${JSON.stringify(inputFormat)}`,
      );
    const out = formatDotNet(parsed, outputFormat);
    if (out === null)
      return call.fail(EXPR_CODES.EVAL_BAD_FORMAT, `FormatDateTime: ${JSON.stringify(outputFormat)} is not a valid date format`);
    return out;
  },
  { minArgs: 3, check: checkFormatDateTime },
);

const dateFromNum = defineFunction('DateFromNum', 'AD FILETIME number → date', ['value'], ([v], call) => {
  const ticks = bigint(v ?? null, call, 'value');
  if (ticks === null) return null;
  const ms = fileTimeToMs(ticks);
  if (ms === null) return call.fail(EXPR_CODES.EVAL_OUT_OF_RANGE, `DateFromNum: ${ticks} is not an AD date between 1601 and 9999`);
  return formatEntraDate(ms);
});

const numFromDate = defineFunction('NumFromDate', 'date → AD FILETIME number', ['value'], ([v], call) => {
  const ms = dateArg(v ?? null, call, 'value');
  if (ms === null) return null;
  const ticks = msToFileTime(ms);
  if (ticks === null) return call.fail(EXPR_CODES.EVAL_OUT_OF_RANGE, 'NumFromDate: dates before 1601 have no AD representation');
  return ticks.toString();
});

export const DATE_FUNCTIONS: readonly FunctionDef[] = [now, cDate, dateAdd, dateDiff, formatDateTime, dateFromNum, numFromDate];
