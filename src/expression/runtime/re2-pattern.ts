/**
 * Writes a translated pattern (`regex-ast.ts`) in RE2's syntax, for the linear-time engine (re2js), or says it
 * cannot: RE2 has no lookaround and no backreference, and counts repetitions only up to 1,000.
 *
 * Some constructs mean the same in RE2 as in the JS translation only for some inputs; the pattern lists
 * which, and the caller runs other inputs on the backtracking engine:
 * - `\b` `\B`: RE2's word characters are ASCII; on an ASCII value they are exactly .NET's.
 * - `$` and `\Z` outside multiline (the end, or before a final newline): written `\z`, right for a value
 *   that does not end in `\n`.
 * - `^` `$` in multiline: RE2 breaks lines at `\n` only, the JS translation also at `\r`, U+2028 and U+2029.
 * Everything else is exact: character classes are written out as the code-point ranges both engines read,
 * `.` is one of those classes, and group numbers are the JS ones.
 */
import { toRe2Class } from './char-set.js';
import { canBeEmpty, type AssertKind, type RegexNode, type RegexTree } from './regex-ast.js';

export interface LinearPattern {
  source: string;
  ignoreCase: boolean;
  needsAscii: boolean;
  needsNoFinalNewline: boolean;
  needsNoLineSeparators: boolean;
}

/** RE2's largest repetition count. */
const MAX_RE2_REPEAT = 1000;

class Unsupported extends Error {}

export function toRe2Pattern(tree: RegexTree): LinearPattern | null {
  const pattern: LinearPattern = {
    source: '',
    ignoreCase: tree.ignoreCase,
    needsAscii: false,
    needsNoFinalNewline: false,
    needsNoLineSeparators: false,
  };
  try {
    pattern.source = (tree.ignoreCase ? '(?i)' : '') + emit(tree.root, pattern);
  } catch (e) {
    if (e instanceof Unsupported) return null;
    throw e;
  }
  return pattern;
}

function emit(node: RegexNode, p: LinearPattern): string {
  switch (node.kind) {
    case 'set':
      if (!p.ignoreCase) return toRe2Class(node.set);
      // RE2 folds case before it negates a class, as JS does; a negation inside a class it cannot fold so.
      if (!node.fold) throw new Unsupported();
      return toRe2Class(node.fold.positive, node.fold.negated);
    case 'sequence':
      return node.items.length === 0 ? '(?:)' : node.items.map((item) => emit(item, p)).join('');
    case 'alternation':
      return `(?:${node.options.map((o) => emit(o, p)).join('|')})`;
    case 'group': {
      const body = emit(node.body, p);
      if (node.index === null) return `(?:${body})`;
      return node.name === null ? `(${body})` : `(?P<${node.name}>${body})`;
    }
    case 'repeat': {
      if (node.min > MAX_RE2_REPEAT || (node.max !== Infinity && node.max > MAX_RE2_REPEAT)) throw new Unsupported();
      // An optional turn of something that can match nothing: RE2 takes it, JS does not (`(|a)+` on "a" is ""
      // in RE2, "a" in JS), so the backtracking engine, which follows JS, runs it.
      if (node.min < node.max && canBeEmpty(node.body)) throw new Unsupported();
      const q =
        node.min === 0 && node.max === Infinity
          ? '*'
          : node.min === 1 && node.max === Infinity
            ? '+'
            : node.min === 0 && node.max === 1
              ? '?'
              : node.max === Infinity
                ? `{${node.min},}`
                : node.min === node.max
                  ? `{${node.min}}`
                  : `{${node.min},${node.max}}`;
      return `(?:${emit(node.body, p)})${q}${node.greedy ? '' : '?'}`;
    }
    case 'assert':
      return emitAssert(node.assert, p);
    case 'look':
    case 'backreference':
      throw new Unsupported();
  }
}

function emitAssert(kind: AssertKind, p: LinearPattern): string {
  switch (kind) {
    case 'start':
      return '\\A';
    case 'end':
      return '\\z';
    case 'end-or-final-newline':
      p.needsNoFinalNewline = true;
      return '\\z';
    case 'line-start':
      p.needsNoLineSeparators = true;
      return '(?m:^)';
    case 'line-end':
      p.needsNoLineSeparators = true;
      return '(?m:$)';
    case 'boundary':
      p.needsAscii = true;
      return '\\b';
    case 'non-boundary':
      p.needsAscii = true;
      return '\\B';
  }
}

const NOT_ASCII = /[^\x00-\x7f]/;
const LINE_SEPARATOR = /[\r\u2028\u2029]/;

/** Whether the RE2 pattern means, on this input, what the JS translation means. */
export function linearPatternFits(p: LinearPattern, input: string): boolean {
  if (p.needsAscii && NOT_ASCII.test(input)) return false;
  if (p.needsNoFinalNewline && input.endsWith('\n')) return false;
  if (p.needsNoLineSeparators && LINE_SEPARATOR.test(input)) return false;
  return true;
}
