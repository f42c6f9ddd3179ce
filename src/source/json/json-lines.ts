/**
 * JSON Lines (one JSON value per line, https://jsonlines.org), parsed a chunk at a time so that a file of any
 * size streams through: the load wrapper hands over text that ends at a line break, and each non-blank line
 * is `JSON.parse`d on its own. Pure.
 *
 * Besides the value, each line says whether it is `plain`: whether its keys are certainly all distinct.
 * `JSON.parse` keeps the last of two equal keys without a word, while the fixture rules report a repeated key;
 * a line is plain when it holds exactly as many `"…":` key markers as its parsed objects have keys. A string
 * value containing `":` makes a line not plain (a false alarm the caller settles on its slow path).
 */
import type { Position } from '../../shared/diagnostics.js';

export interface JsonLine {
  value: unknown;
  /** 1-based line number in the file. */
  line: number;
  plain: boolean;
  /** The line as written (a slice of the chunk: keep it only briefly). */
  text: string;
}

export interface JsonLineSyntaxError {
  position: Position;
  message: string;
}

/**
 * Parses the lines of `bytes[0, end)` (UTF-8, ending at a line break or at the end of the file, starting at
 * line `firstLine` of its file), calling `visit` for each non-blank one, in order; returns the syntax errors,
 * each at its line and column. A byte order mark at the very start of a file is skipped by the caller.
 *
 * Decoding is the costly part: the chunk is decoded once as Latin-1 (a copy), which is exact for lines of
 * ASCII; a line with any byte above 0x7f is decoded again on its own as UTF-8. Offsets in the Latin-1 text
 * are byte offsets, so both agree on where lines start.
 */
export function parseJsonLines(bytes: Buffer, end: number, firstLine: number, visit: (line: JsonLine) => void): JsonLineSyntaxError[] {
  const errors: JsonLineSyntaxError[] = [];
  const latin1 = bytes.toString('latin1', 0, end);
  const high = /[\x80-\xff]/g;
  let nextHigh = high.exec(latin1)?.index ?? Infinity;
  let line = firstLine;
  for (let start = 0; start < latin1.length; line++) {
    let stop = latin1.indexOf('\n', start);
    if (stop === -1) stop = latin1.length;
    let lineText: string;
    if (nextHigh < stop) {
      lineText = bytes.toString('utf8', start, stop);
      high.lastIndex = stop;
      nextHigh = high.exec(latin1)?.index ?? Infinity;
    } else lineText = latin1.slice(start, stop);
    start = stop + 1;
    if (isBlank(lineText)) continue;
    let value: unknown;
    try {
      value = JSON.parse(lineText);
    } catch (e) {
      errors.push({ position: { line, column: errorColumn(e, lineText) }, message: syntaxMessage(e) });
      continue;
    }
    const keys = keyCount(value);
    // The quick count sees `"key":` only; JSON also allows `"key" :`, which the full scan counts.
    visit({ value, line, plain: quickKeyMarkers(lineText) === keys || keyMarkers(lineText) === keys, text: lineText });
  }
  return errors;
}

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

/** Keys of every object in a parsed value. */
function keyCount(v: unknown): number {
  if (typeof v !== 'object' || v === null) return 0;
  let n = 0;
  if (Array.isArray(v)) for (const item of v) n += keyCount(item);
  else
    for (const k in v) {
      n++;
      n += keyCount((v as Record<string, unknown>)[k]);
    }
  return n;
}

/** V8 says `… in JSON at position N` (Node 20) or `… (line L column C)`; the column is 1-based in the line. */
function errorColumn(e: unknown, lineText: string): number {
  const message = e instanceof Error ? e.message : '';
  const at = /at position (\d+)/.exec(message);
  if (at) return Number(at[1]) + 1;
  if (/Unexpected end of JSON input/.test(message)) return lineText.length + 1;
  return 1;
}

function syntaxMessage(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  // Drop V8's echo of the input (`"…" is not valid JSON`), which repeats a whole line of personal data.
  const cut = message.replace(/^Unexpected token '(.)', ".*" is not valid JSON$/s, "unexpected '$1'");
  return cut.replace(/ in JSON at position \d+.*$/s, '').replace(/ \(line \d+ column \d+\)$/, '');
}
