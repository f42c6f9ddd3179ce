/**
 * String building and slicing: Append, Join, Left, Mid, StripSpaces, Word, InStr, CStr.
 *
 * NOTE — null handling (Microsoft documents it only for Left, Word and Join; the rest is [UNCONFIRMED]):
 * - Join skips null sources *and empty strings* (doc example: `Join(", ", "", [surname], [givenName])` →
 *   "Doe, John"); multi-valued sources contribute every non-empty value; nothing left → "".
 * - Left and Word return "" for a null string (doc); Mid does the same, as its VB namesake.
 * - Append, StripSpaces and CStr propagate null: an absent source stays absent and does not flow, rather
 *   than flowing just the suffix.
 * - InStr follows VB.NET's Strings.InStr: a null string gives 0, a null/empty search string gives start.
 */
import type { CallNode } from '../ast.js';
import { EXPR_CODES } from '../codes.js';
import { defineFunction, optional, type CallContext, type CheckContext, type FunctionDef } from '../function-def.js';
import { requiredInt, str, values } from '../runtime/coerce.js';
import { toLowerInvariant } from '../runtime/invariant-case.js';
import { ensureLength } from '../runtime/value-limit.js';
import type { Value } from '../types.js';

const append = defineFunction('Append', 'source + suffix; null source → null', ['source', 'suffix'], ([source, suffix], call) => {
  const s = str(source ?? null, call, 'source');
  if (s === null) return null;
  return s + (str(suffix ?? null, call, 'suffix') ?? '');
});

const join = defineFunction(
  'Join',
  'values joined with separator; null and empty sources skipped',
  ['separator'],
  ([separator, ...sources], call) => {
    const sep = str(separator ?? null, call, 'separator') ?? '';
    const parts: string[] = [];
    let length = 0;
    sources.forEach((v, i) => {
      for (const s of values(v, call, `source${i + 1}`))
        if (s !== '') {
          parts.push(s);
          length += s.length + (parts.length > 1 ? sep.length : 0);
        }
    });
    ensureLength(call, length, 'the joined value');
    return parts.join(sep);
  },
  { rest: optional('source'), minArgs: 2 },
);

const left = defineFunction(
  'Left',
  'first NumChars characters; 0 → "", < 0 → whole string, null → ""',
  ['String', 'NumChars'],
  ([source, numChars], call) => {
    const n = requiredInt(numChars ?? null, call, 'NumChars');
    const s = str(source ?? null, call, 'String');
    if (s === null || n === 0) return '';
    return n < 0 ? s : s.slice(0, n);
  },
);

const mid = defineFunction(
  'Mid',
  'substring from 1-based start, truncated at the end',
  ['source', 'start', 'length'],
  ([source, start, length], call) => {
    const from = requiredInt(start ?? null, call, 'start');
    const len = requiredInt(length ?? null, call, 'length');
    if (from < 1) return call.fail(EXPR_CODES.EVAL_OUT_OF_RANGE, `Mid: start must be 1 or more (the first character is 1), got ${from}`);
    if (len < 0) return call.fail(EXPR_CODES.EVAL_OUT_OF_RANGE, `Mid: length must not be negative, got ${len}`);
    const s = str(source ?? null, call, 'source');
    if (s === null) return '';
    return s.slice(from - 1, from - 1 + len);
  },
);

const stripSpaces = defineFunction('StripSpaces', 'removes every " " character', ['source'], ([source], call) => {
  const s = str(source ?? null, call, 'source');
  return s === null ? null : s.split(' ').join('');
});

const word = defineFunction(
  'Word',
  'the WordNumber-th word (1-based), words split on any of the delimiter characters',
  ['String', 'WordNumber', 'Delimiters'],
  ([source, number, delimiters], call) => {
    const n = requiredInt(number ?? null, call, 'WordNumber');
    const s = str(source ?? null, call, 'String');
    if (s === null || n < 1) return '';
    const delims = new Set(str(delimiters ?? null, call, 'Delimiters') ?? '');
    const words: string[] = [];
    let current = '';
    for (const ch of s) {
      if (delims.has(ch)) {
        if (current !== '') words.push(current);
        current = '';
      } else current += ch;
    }
    if (current !== '') words.push(current);
    return words[n - 1] ?? '';
  },
);

const inStr = defineFunction(
  'InStr',
  '1-based position of value2 in value1, 0 when absent',
  ['value1', 'value2', optional('start'), optional('compareType')],
  ([value1, value2, start, compareType], call) => {
    const from = call.given(2) ? requiredInt(start ?? null, call, 'start') : 1;
    if (from < 1) return call.fail(EXPR_CODES.EVAL_OUT_OF_RANGE, `InStr: start must be 1 or more, got ${from}`);
    const textCompare = compareMode(compareType ?? null, call);
    const haystack = str(value1 ?? null, call, 'value1');
    const needle = str(value2 ?? null, call, 'value2');
    if (haystack === null || haystack === '') return '0';
    if (from > haystack.length) return '0';
    if (needle === null || needle === '') return String(from);
    const fold = textCompare ? toLowerInvariant : (x: string): string => x;
    const at = fold(haystack).indexOf(fold(needle), from - 1);
    return String(at + 1);
  },
  { check: checkCompareMode },
);

const cStr = defineFunction('CStr', 'the value as a string', ['value'], ([value], call) => str(value ?? null, call, 'value'));

/** vbTextCompare (1) is case-insensitive; vbBinaryCompare (0), the default, is ordinal. */
function compareMode(v: Value, call: CallContext): boolean {
  const s = str(v, call, 'compareType');
  if (s === null || s === 'vbBinaryCompare' || s.trim() === '0') return false;
  if (s === 'vbTextCompare' || s.trim() === '1') return true;
  return call.fail(EXPR_CODES.EVAL_BAD_ARGUMENT, `InStr: compareType must be vbTextCompare or vbBinaryCompare, got ${JSON.stringify(s)}`);
}

function checkCompareMode(node: CallNode, { report }: CheckContext): void {
  const arg = node.args[3];
  if (arg?.kind === 'string' && !['vbTextCompare', 'vbBinaryCompare', '0', '1'].includes(arg.value)) {
    report(
      EXPR_CODES.INVALID_ARGUMENT,
      `InStr: compareType must be vbTextCompare or vbBinaryCompare, got "${arg.value}"`,
      arg,
      'write vbTextCompare (case-insensitive) or vbBinaryCompare (exact), unquoted',
    );
  }
}

export const TEXT_FUNCTIONS: readonly FunctionDef[] = [append, join, left, mid, stripSpaces, word, inStr, cStr];
