/**
 * JSON Lines (one JSON value per line, https://jsonlines.org), parsed a chunk at a time so that a file of any
 * size streams through: the load wrapper hands over bytes that end at a line break, and each non-blank line
 * is `JSON.parse`d on its own. Pure.
 *
 * Besides the value, each line says whether it is `plain`: whether its keys are certainly all distinct.
 * `JSON.parse` keeps the last of two equal keys without a word, while the fixture rules report a repeated key;
 * a line is plain when it holds exactly as many `"…":` key markers as its parsed objects have keys. A string
 * value containing `":` makes a line not plain (a false alarm the caller settles on its slow path).
 */
import type { Position } from '../../shared/diagnostics.js';
import { countKeys } from './structure.js';

export interface JsonLine {
  value: unknown;
  /** 1-based line number in the file. */
  line: number;
  plain: boolean;
  /** The line as written, decoded on its own (it keeps no chunk alive). */
  text: string;
  /** Where the line's bytes start in the buffer given, and how many there are (without its line break). */
  offset: number;
  length: number;
}

export interface JsonLineSyntaxError {
  position: Position;
  message: string;
}

/**
 * Parses the lines of `bytes[from, end)` (UTF-8, ending at a line break or at the end of the file, starting at
 * line `firstLine` of its file), calling `visit` for each non-blank one, in order; returns the syntax errors,
 * each at its line and column. A byte order mark at the very start of a file is skipped by the caller.
 *
 * Each line is found in the bytes and decoded on its own (V8 keeps a line of Latin-1 characters as a one-byte
 * string, which `JSON.parse` reads faster than a two-byte one). Measured on 100,000 generated users, 80 % of
 * them with accented names, against decoding each 16 MiB chunk as Latin-1 and only the lines with a byte
 * above 0x7f again as UTF-8: decode and parse alone 8–12 % less CPU (and no slower on a file of ASCII only),
 * the whole load about a fifth less (no 16 MiB string per chunk to collect).
 */
export function parseJsonLines(
  bytes: Buffer,
  end: number,
  firstLine: number,
  visit: (line: JsonLine) => void,
  from = 0,
): JsonLineSyntaxError[] {
  const errors: JsonLineSyntaxError[] = [];
  let line = firstLine;
  for (let start = from; start < end; line++) {
    let stop = bytes.indexOf(0x0a, start);
    if (stop === -1 || stop > end) stop = end;
    const lineText = bytes.toString('utf8', start, stop);
    const offset = start;
    start = stop + 1;
    if (isBlank(lineText)) continue;
    let value: unknown;
    try {
      value = JSON.parse(lineText);
    } catch (e) {
      errors.push({ position: { line, column: errorOffset(lineText) + 1 }, message: syntaxMessage(e) });
      continue;
    }
    visit({ value, line, plain: isPlain(lineText, countKeys(value)), text: lineText, offset, length: stop - offset });
  }
  return errors;
}

/**
 * Markers (`"` then `:`) are the line's keys plus any `":` inside strings, so the line repeats no key exactly
 * when they equal the parsed keys. The quick count (`":` only) is never above the full one, so a quick count
 * above the keys settles it without the full scan. A CR inside the line (not its CR LF end) is JSON
 * whitespace that the YAML-node path refuses: such a line is not plain either, so both paths agree.
 */
function isPlain(lineText: string, keys: number): boolean {
  const cr = lineText.indexOf('\r');
  if (cr !== -1 && cr !== lineText.length - 1) return false;
  const quick = quickKeyMarkers(lineText);
  if (quick > keys) return false;
  // Every marker written `":` (no whitespace before a colon, as every JSON writer does by default): the
  // quick count is the full one, without the character-by-character scan.
  if (quick === keys && !SPACED_MARKER.test(lineText)) return true;
  return keyMarkers(lineText) === keys;
}

/** A `"` followed by JSON whitespace and then `:`: a key marker the quick count misses. */
const SPACED_MARKER = /"[ \t\r]+:/;

/** Lines in `bytes[0, end)`. */
export function countLineBreaks(bytes: Buffer, end: number): number {
  let n = 0;
  for (let i = bytes.indexOf(0x0a); i !== -1 && i < end; i = bytes.indexOf(0x0a, i + 1)) n++;
  return n;
}

function quickKeyMarkers(s: string): number {
  let n = 0;
  for (let i = s.indexOf('":'); i !== -1; i = s.indexOf('":', i + 2)) n++;
  return n;
}

function isBlank(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return false;
  }
  return true;
}

/** Occurrences of `"` followed (after optional JSON whitespace) by `:`. */
function keyMarkers(s: string): number {
  let n = 0;
  for (let i = s.indexOf('"'); i !== -1; i = s.indexOf('"', i + 1)) {
    let j = i + 1;
    while (j < s.length && (s.charCodeAt(j) === 0x20 || s.charCodeAt(j) === 0x09 || s.charCodeAt(j) === 0x0d)) j++;
    if (s.charCodeAt(j) === 0x3a) n++;
  }
  return n;
}

/**
 * Where JSON text first goes wrong (a 0-based offset): V8 gives no position for its most common complaint
 * (`Unexpected token`), so a small recursive-descent scan finds it. Only run on lines `JSON.parse` refused.
 */
export function errorOffset(text: string): number {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\r\n'.includes(text[i]!)) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const literal = (word: string): void => {
    for (const c of word) if (text[i++] !== c) (i--, fail());
  };
  const string = (): void => {
    i++;
    for (;;) {
      if (i >= text.length) fail();
      const c = text.charCodeAt(i);
      if (c === 0x22) return void i++;
      if (c < 0x20) fail();
      if (c === 0x5c) {
        i++;
        const e = text[i];
        if (e === 'u') {
          for (let k = 1; k <= 4; k++) if (!/[0-9a-fA-F]/.test(text[i + k] ?? '')) ((i += k), fail());
          i += 5;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i++;
        else fail();
      } else i++;
    }
  };
  const number = (): void => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m) fail();
    i += m![0].length;
  };
  const value = (depth: number): void => {
    if (depth > 512) fail();
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        string();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value(depth + 1);
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail();
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value(depth + 1);
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail();
      }
    }
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return number();
    fail();
  };
  try {
    value(0);
    ws();
    return i < text.length ? i : text.length;
  } catch (at) {
    return typeof at === 'number' ? Math.min(at, text.length) : 0;
  }
}

/**
 * V8's message without its echo of the input (`…, "…" is not valid JSON`, or `…, ..."tail" is not valid
 * JSON` for a long line), which would print personal data, and without its own position (the diagnostic
 * has one).
 */
export function syntaxMessage(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  const token = /^Unexpected token (\S+?), (?:\.\.\.)?"/su.exec(message);
  if (token) return `unexpected ${token[1]}`;
  if (/is not valid JSON$/.test(message)) return 'not valid JSON';
  return message
    .replace(/ in JSON at position \d+.*$/s, '')
    .replace(/ at position \d+.*$/s, '')
    .replace(/ \(line \d+ column \d+\)$/, '');
}
