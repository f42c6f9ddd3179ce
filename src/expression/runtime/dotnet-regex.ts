/**
 * .NET regular expressions for Replace and scoping REGEX MATCH. Entra runs `System.Text.RegularExpressions` with
 * default options (case-sensitive, not RegexOptions.ECMAScript). This module parses the .NET pattern, writes a
 * JS pattern that means the same (and a syntax tree of it), and refuses, with a message, the .NET constructs JS
 * cannot express. The JS pattern, in JS's Unicode-sets mode (flag `v`), defines what a pattern means and
 * validates it; patterns are translated once and cached.
 *
 * Running user patterns in bounded time: a backtracking engine (.NET's, V8's) can take exponential time on a
 * pattern such as `^(a+)+$` and a value that almost matches; .NET stops at its match timeout and Entra fails the
 * object, V8 cannot be stopped. So no user pattern runs on V8. Each runs on one of two engines, chosen per
 * pattern and value, that both read the syntax tree and give the JS pattern's results:
 * - re2js, a linear-time engine (RE2's automata, no backtracking), for every pattern RE2 can express
 *   (`re2-pattern.ts`): nearly all patterns on nearly all values, at the speed of V8 on short values;
 * - a step-limited backtracking engine (`regex-backtracker.ts`) for the rest: lookarounds, backreferences,
 *   `\b` on a non-ASCII value, `$` on a value ending in a newline, counts above 1,000, and `(?i)` with a negated
 *   class inside a class. Past `stepLimitFor(value)` steps it throws `RegexStepLimitExceeded`, which fails the
 *   object as Entra's timeout does (the step count does not depend on the machine, so neither does the outcome).
 * One exception to "the JS pattern's results": a capture inside a repetition keeps its last value, as in .NET,
 * where JS resets it each turn (`(?:(a)|b)+` on "ab": group 1 is "a").
 *
 * Translated:
 * - `\w` `\d` `\s` are Unicode, as in .NET. Sources: learn.microsoft.com/dotnet/standard/base-types/
 *   character-classes-in-regular-expressions (its "Word character: \w" table lists Ll Lu Lt Lo Lm Mn Nd Pc;
 *   `\d` "is equivalent to the \p{Nd} regular expression pattern"; the `\s` table is \f \n \r \t \v \x85 \p{Z}),
 *   and dotnet/runtime RegexCharClass.cs (WordCategoriesMask, IsBoundaryWordChar, by UTF-16 unit). So
 *   `\w` = [\p{L}\p{Mn}\p{Nd}\p{Pc}], `\d` = \p{Nd}, `\s` = [\f\n\r\t\v\x85\p{Z}] (U+0085 is white space;
 *   U+FEFF, which JS's `\s` has, is not), and `\W` `\D` `\S` their complements. Each is one `v`-mode nested
 *   class, so it means the same inside a class: `[\w.-]`, `[^\d]`, `[\W_]`.
 * - `\b` `\B`: lookbehind/lookahead on .NET's boundary word class, `\w` plus U+200C and U+200D.
 * - .NET matches UTF-16 units, and a supplementary character (emoji, CJK Extension B such as 𠮷) is two
 *   surrogates of category Cs there. So `\w`, `\d`, `\p{L}`… leave supplementary characters out and their
 *   complements (`\W`, `\D`, `\P{L}`) take them in; `\p{C}` and `\p{Cs}` take them in too.
 * - `(?i)` folds case in every script, by JS simple case folding (Å/å, Ö/ö, Σ/σ, the Kelvin sign K/k).
 * - Escapes: `\a` `\e`; octal `\0`, `\012`, and `\12` when the pattern has no group 12 (as .NET); `\cX`;
 *   `\xhh` `\uhhhh` (exactly 2 / 4 hex digits, as .NET); `[\b]` (backspace). A backslash before any other
 *   symbol, punctuation or space is that character (`\-`, `\#`, `\ `, `\'`, `\"`, `\,`, `\&`…).
 * - Literals .NET allows unescaped: a `{` that does not start a quantifier `{n}` `{n,}` `{n,m}` (`x{`, `{,5}`);
 *   `}` and `]` outside a class; in a class a leading `]` (`[]a]`, `[^]a]`), `[`, `&&`, and a `-` that is first,
 *   last, right after a range or after a shorthand class (`[\d-z]` is digits, `-` and `z`).
 * - Lookarounds and the anchors `\A` `\Z` `\z` `$` `\b` `\B` may take a quantifier, as in .NET.
 * - `(?'name'…)` → `(?<name>…)`; `\k'name'`, `\k<1>`, `\<name>`; `\A` `\Z` `\z`; `$` outside multiline (in .NET it
 *   also matches before a final newline); `(?imsn)` at the very start → flags; `(?#…)` comments dropped.
 * - Group numbering follows .NET (unnamed groups first, then named ones), so `$1` in a replacement and `\1` in
 *   the pattern mean what they mean in .NET even when named and unnamed groups are mixed.
 * Refused: atomic groups `(?>…)`, balancing groups `(?<a-b>…)`, conditionals `(?(…)…)`, scoped inline
 * options `(?i:…)`, options after the start, `(?x)`, character-class subtraction `[a-z-[aeiou]]`, `\G`, numeric
 * group names; and, as .NET refuses them, a backslash before a letter, digit or `_` that is no escape (`\_`,
 * `\q`), a reference to a group that does not exist, a shorthand class ending a range (`[a-\d]`), a reversed
 * range, and `\p{…}` names that are not general categories (`\p{Letter}`). Named blocks (`\p{IsGreek}`) are
 * refused because JS has no block property.
 * Not modelled:
 * - Case folding. .NET 7+ treats two characters as equal when one is the other's ToLower() or both lower to the
 *   same one, under the current culture (Entra's is not documented); .NET Framework lowercases both sides with
 *   the current culture. provsim uses JS simple case folding, culture-free (the linear engine folds with re2js's
 *   tables, which pair every BMP character exactly as JS does: checked for each one). It agrees for nearly all letters but
 *   also equates ſ with s, µ with μ, ς with σ, the Greek symbol forms ϐ ϑ ϕ ϖ ϰ ϱ ϵ, U+0345 and U+1FBE with ι,
 *   ẛ with ṡ, and U+1C80–U+1C88 with their Cyrillic letters, which .NET does not; and `(?i)i` does not match İ
 *   (it does on .NET under a non-Turkish culture such as en-US; under tr-TR .NET pairs i/İ and ı/I instead).
 * - A supplementary character is one character here and two in .NET for `.`, `[^…]`, `\W`, `\S`, `\D`
 *   (`^.$` matches "😀" here, not on Entra), and an empty match steps over it whole.
 * - Unicode data is the JS engine's, not that of Entra's .NET version; characters assigned in between differ.
 * - `.` also stops at \r, U+2028 and U+2029 in JS (only at \n in .NET), and `(?m)` `^` `$` break lines there too.
 * - A backreference to a group that did not capture fails in .NET and matches empty here, as in JS.
 * - An optional turn of a repetition that matches nothing is not taken, as in JS (`(|a)+` on "a" is "a"; RE2
 *   gives "", and .NET's answer is not checked); such repetitions run on the backtracking engine.
 */

import { RE2JS } from 're2js';
import { ALL_CHARACTERS, ASTRAL as ASTRAL_SET, bmpCategory, charSetOf, complement, singleton, union, type CharSet } from './char-set.js';
import { nestedQuantifier, type AssertKind, type FoldForm, type RegexNode, type RegexTree } from './regex-ast.js';
import { compileBacktracker, RegexStepLimitExceeded, type Backtracker, type StepBudget } from './regex-backtracker.js';
import { linearPatternFits, toRe2Pattern, type LinearPattern } from './re2-pattern.js';

export interface DotNetRegex {
  /**
   * The JS translation: global, Unicode-sets mode, with match indices (`gdv`). It defines the pattern's meaning;
   * no user value is run on it (see the engines above).
   */
  regex: RegExp;
  /** .NET group number → JS group index (0 → 0). */
  numberToJs: ReadonlyMap<number, number>;
  /** Named groups (case-sensitive), for `${name}`. */
  names: ReadonlySet<string>;
  /** The syntax tree the engines run. */
  tree: RegexTree;
  /** The pattern repeats a repetition (`(a+)+`): .NET's backtracking can take exponential time on it. */
  nestedQuantifier: boolean;
  /** @internal the engines, built on first use. */
  engines: Engines;
}

const cache = new Map<string, DotNetRegex | { error: string }>();
const CACHE_LIMIT = 500;

/** Compiles (and caches) a .NET pattern; `{ error }` explains why it cannot run. */
export function compileDotNetRegex(pattern: string): DotNetRegex | { error: string } {
  const hit = cache.get(pattern);
  if (hit) return hit;
  const result = compile(pattern);
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(pattern, result);
  return result;
}

type Failure = { error: string };
const fail = (error: string): Failure => ({ error });

/** Supplementary code points, which .NET sees as two surrogates of category Cs. */
const ASTRAL = '\\u{10000}-\\u{10FFFF}';
/** .NET's word character: Ll Lu Lt Lo Lm (= L), Mn, Nd, Pc. */
const WORD = '\\p{L}\\p{Mn}\\p{Nd}\\p{Pc}';
/** .NET's white space (char.IsWhiteSpace): \f \n \r \t \v, U+0085 and the separators Zs Zl Zp, all in the BMP. */
const SPACE = '\\t\\n\\v\\f\\r\\x85\\p{Z}';
/** .NET's `\b` word character: `\w` plus ZERO WIDTH NON-JOINER and ZERO WIDTH JOINER. */
const BOUNDARY_WORD = `[[${WORD}\\u200C\\u200D]--[${ASTRAL}]]`;

/** `v`-mode sets for the shorthand classes; each is one nested class, so it can stand inside a class too. */
const SHORTHAND: Readonly<Record<string, string>> = {
  w: `[[${WORD}]--[${ASTRAL}]]`,
  W: `[^[${WORD}]--[${ASTRAL}]]`,
  d: `[\\p{Nd}--[${ASTRAL}]]`,
  D: `[^\\p{Nd}--[${ASTRAL}]]`,
  s: `[${SPACE}]`,
  S: `[^${SPACE}]`,
};
/** Anchors, each a group so that a quantifier may follow, as .NET allows. */
const START = '(?:(?<![\\s\\S]))';
const END = '(?:(?![\\s\\S]))';
/** `\Z`, and `$` outside multiline: the end, or before a final newline. */
const END_Z = '(?:(?=\\n?(?![\\s\\S])))';
const BOUNDARY = `(?:(?<=${BOUNDARY_WORD})(?!${BOUNDARY_WORD})|(?<!${BOUNDARY_WORD})(?=${BOUNDARY_WORD}))`;
const NON_BOUNDARY = `(?:(?<=${BOUNDARY_WORD})(?=${BOUNDARY_WORD})|(?<!${BOUNDARY_WORD})(?!${BOUNDARY_WORD}))`;

/** The general categories .NET's `\p{…}` knows (RegexCharClass); the rest of its names are blocks (`IsGreek`). */
const CATEGORIES = new Set(
  'L Lu Ll Lt Lm Lo M Mn Mc Me N Nd Nl No P Pc Pd Ps Pe Pi Pf Po S Sm Sc Sk So Z Zs Zl Zp C Cc Cf Cs Co Cn'.split(' '),
);

/** Code-point sets of the shorthand classes, as the engines read them (the JS engine's Unicode tables, BMP only). */
let shorthandSets: Readonly<Record<string, SetNode>> | null = null;
function shorthandSet(d: string): SetNode {
  if (!shorthandSets) {
    const word = union(bmpCategory('L'), bmpCategory('Mn'), bmpCategory('Nd'), bmpCategory('Pc'));
    const digit = bmpCategory('Nd');
    const space = union(
      charSetOf([
        [0x09, 0x0d],
        [0x85, 0x85],
      ]),
      bmpCategory('Z'),
    );
    const positive = (c: string, set: CharSet): SetNode => setNode(set, SHORTHAND[c]!, { positive: set, negated: false });
    const negative = (c: string, set: CharSet): SetNode => setNode(complement(set), SHORTHAND[c]!, { positive: set, negated: true });
    shorthandSets = {
      w: positive('w', word),
      W: negative('W', word),
      d: positive('d', digit),
      D: negative('D', digit),
      s: positive('s', space),
      S: negative('S', space),
    };
  }
  return shorthandSets[d]!;
}
let boundaryWordSet: CharSet | null = null;
/** .NET's `\b` word characters (`\w`, U+200C, U+200D), as a code-point set. */
function boundaryWord(): CharSet {
  return (boundaryWordSet ??= union(shorthandSet('w').set, charSetOf([[0x200c, 0x200d]])));
}

const BOUNDARY_WORD_UNIT = new RegExp(`^${BOUNDARY_WORD}$`, 'v');
/** Whether one UTF-16 unit is a .NET word character (a lone surrogate is not). */
const isWordUnit = (code: number): boolean => BOUNDARY_WORD_UNIT.test(String.fromCharCode(code));

/** Characters that need a backslash to be literal in a `v`-mode pattern; the second set only inside a class. */
const SYNTAX = new Set('^$\\.*+?()[]{}|/');
const CLASS_PUNCTUATORS = new Set('&-!#%,:;<=>@`~');

/** One UTF-16 unit as a literal in the JS pattern. */
function literal(code: number, inClass: boolean): string {
  if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return `\\x${code.toString(16).padStart(2, '0')}`;
  const ch = String.fromCharCode(code);
  return SYNTAX.has(ch) || (inClass && CLASS_PUNCTUATORS.has(ch)) ? `\\${ch}` : ch;
}

type Unit = { code: number; next: number };

/** .NET's ScanCharEscape: the escape at `i` (just after the backslash) that stands for one character. */
function charEscape(p: string, i: number): Unit | Failure {
  const d = p[i]!;
  if (d >= '0' && d <= '7') return octal(p, i);
  const simple: Record<string, number> = { a: 0x07, b: 0x08, e: 0x1b, f: 0x0c, n: 0x0a, r: 0x0d, t: 0x09, v: 0x0b };
  if (Object.hasOwn(simple, d)) return { code: simple[d]!, next: i + 1 };
  if (d === 'x' || d === 'u') {
    const n = d === 'x' ? 2 : 4;
    const digits = p.slice(i + 1, i + 1 + n);
    if (!/^[0-9A-Fa-f]+$/.test(digits) || digits.length < n) return fail(`\\${d} needs exactly ${n} hex digits`);
    return { code: parseInt(digits, 16), next: i + 1 + n };
  }
  if (d === 'c') {
    const c = p[i + 1];
    if (c === undefined) return fail('\\c needs a control character letter');
    const upper = c >= 'a' && c <= 'z' ? c.charCodeAt(0) - 32 : c.charCodeAt(0);
    if (upper < 0x40 || upper > 0x5f) return fail(`\\c${c} is not a control character`);
    return { code: upper - 0x40, next: i + 2 };
  }
  const code = p.charCodeAt(i);
  if (isWordUnit(code))
    return fail(
      `unrecognized escape sequence \\${d} (.NET allows a backslash only before a symbol, punctuation or space, or in a known escape)`,
    );
  return { code, next: i + 1 };
}

/** Up to three octal digits (.NET's ScanOctal, truncated to 8 bits). */
function octal(p: string, i: number): Unit {
  let code = 0;
  for (let n = 0; n < 3 && p[i]! >= '0' && p[i]! <= '7'; n++, i++) code = code * 8 + (p.charCodeAt(i) - 48);
  return { code: code & 0xff, next: i };
}

/** `\p{name}` / `\P{name}` at `i` (the `p`), as one nested class. */
function property(p: string, i: number): { node: SetNode; next: number } | Failure {
  const m = /\{([^}]*)\}/y;
  m.lastIndex = i + 1;
  const found = m.exec(p);
  if (!found) return fail(`malformed \\${p[i]}{…}: it needs a category name in braces, e.g. \\p{Lu}`);
  const name = found[1]!;
  const negate = p[i] === 'P' ? '^' : '';
  if (!CATEGORIES.has(name)) {
    if (name.startsWith('Is'))
      return fail(`the Unicode block \\p{${name}} is not supported (JS has no block property; use a range of code points instead)`);
    return fail(`unknown Unicode category \\p{${name}} (.NET knows the general categories, e.g. L, Lu, Ll, Nd, P, Zs)`);
  }
  // Only C and Cs hold the surrogates that stand for a supplementary character in .NET.
  const astral = name === 'C' || name === 'Cs';
  const text = astral ? `[${negate}\\p{${name}}${ASTRAL}]` : `[${negate}\\p{${name}}--[${ASTRAL}]]`;
  const positive = astral ? union(bmpCategory(name), ASTRAL_SET) : bmpCategory(name);
  const node = negate
    ? setNode(complement(positive), text, { positive, negated: true })
    : setNode(positive, text, { positive, negated: false });
  return { node, next: m.lastIndex };
}
/** A one-item class member being built: a code-point set and its case-insensitive form. */
interface ClassItem {
  set: CharSet;
  fold: FoldForm | null;
  /** A single literal UTF-16 unit (a surrogate half may pair with the next one). */
  unit: number | null;
  /** Written as a range. */
  range: boolean;
}

const isHighSurrogate = (c: number): boolean => c >= 0xd800 && c <= 0xdbff;
const isLowSurrogate = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff;
const pairCodePoint = (high: number, low: number): number => (high - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;

/**
 * A character class from just after its `[`, parsed as .NET's ScanCharClass does: a leading `]` is literal,
 * `a-` before `]` is two literals, a shorthand class cannot end a range, `\-` never starts one.
 */
function characterClass(p: string, start: number): { node: SetNode; next: number } | Failure {
  let i = start;
  let negate = false;
  if (p[i] === '^') {
    negate = true;
    i++;
  }
  let body = '';
  const items: ClassItem[] = [];
  const single = (code: number): void => {
    // Two literal halves of a surrogate pair are one code point in the JS pattern (its source text pairs them).
    const last = items[items.length - 1];
    if (last?.unit !== undefined && last.unit !== null && isHighSurrogate(last.unit) && isLowSurrogate(code)) {
      const cp = pairCodePoint(last.unit, code);
      items[items.length - 1] = { set: singleton(cp), fold: { positive: singleton(cp), negated: false }, unit: null, range: false };
    } else items.push({ set: singleton(code), fold: { positive: singleton(code), negated: false }, unit: code, range: false });
  };
  const range = (from: number, to: number): Failure | null => {
    const last = items[items.length - 1];
    if (isLowSurrogate(from) && last?.unit !== undefined && last.unit !== null && isHighSurrogate(last.unit))
      return fail('a character range cannot start or end with a character outside the Basic Multilingual Plane');
    items.push({ set: charSetOf([[from, to]]), fold: { positive: charSetOf([[from, to]]), negated: false }, unit: null, range: true });
    return null;
  };
  const nested = (node: SetNode): void => void items.push({ set: node.set, fold: node.fold, unit: null, range: false });
  let inRange = false;
  let rangeStart = 0;
  let closed = false;
  for (let first = true; i < p.length; first = false) {
    let code = p.charCodeAt(i++);
    let escaped = false;
    if (code === 0x5d /* ] */ && !first) {
      closed = true;
      break;
    }
    if (code === 0x5c /* \ */ && i < p.length) {
      const d = p[i]!;
      if (Object.hasOwn(SHORTHAND, d) || d === 'p' || d === 'P') {
        if (inRange) return fail(`a character range cannot end in \\${d}`);
        if (d === 'p' || d === 'P') {
          const prop = property(p, i);
          if ('error' in prop) return prop;
          body += prop.node.jsText;
          nested(prop.node);
          i = prop.next;
        } else {
          body += SHORTHAND[d];
          nested(shorthandSet(d));
          i++;
        }
        continue;
      }
      if (d === '-') {
        i++;
        if (inRange) {
          if (rangeStart > 0x2d) return fail(`the range [${String.fromCharCode(rangeStart)}-\\-] is in reverse order`);
          body += `${literal(rangeStart, true)}-\\-`;
          const problem = range(rangeStart, 0x2d);
          if (problem) return problem;
          inRange = false;
        } else {
          body += '\\-';
          single(0x2d);
        }
        continue;
      }
      const unit = charEscape(p, i);
      if ('error' in unit) return unit;
      code = unit.code;
      i = unit.next;
      escaped = true;
    }
    if (inRange) {
      inRange = false;
      if (code === 0x5b /* [ */ && !escaped) return fail('character-class subtraction ([a-z-[aeiou]]) is not supported');
      if (rangeStart > code) return fail(`the range [${String.fromCharCode(rangeStart)}-${String.fromCharCode(code)}] is in reverse order`);
      if (isHighSurrogate(code) && isLowSurrogate(p.charCodeAt(i)))
        return fail('a character range cannot start or end with a character outside the Basic Multilingual Plane');
      body += `${literal(rangeStart, true)}-${literal(code, true)}`;
      const problem = range(rangeStart, code);
      if (problem) return problem;
    } else if (i + 1 < p.length && p[i] === '-' && p[i + 1] !== ']') {
      rangeStart = code;
      inRange = true;
      i++;
    } else if (code === 0x2d /* - */ && !escaped && p[i] === '[' && !first) {
      return fail('character-class subtraction ([a-z-[aeiou]]) is not supported');
    } else {
      body += literal(code, true);
      single(code);
    }
  }
  if (!closed) return fail('unterminated character class [');
  const set = union(...items.map((item) => item.set));
  // Under (?i) a negated member inside a class has no single-negation form; such a class runs on the backtracking engine.
  const forms = items.map((item) => item.fold);
  let fold: FoldForm | null = null;
  if (forms.every((f) => f !== null && !f.negated)) fold = { positive: set, negated: false };
  else if (forms.length === 1) fold = forms[0]!;
  if (negate && fold) fold = { positive: fold.positive, negated: !fold.negated };
  return { node: setNode(negate ? complement(set) : set, `[${negate ? '^' : ''}${body}]`, fold), next: i };
}

type SetNode = Extract<RegexNode, { kind: 'set' }>;
const setNode = (set: CharSet, jsText: string, fold: FoldForm | null): SetNode => ({ kind: 'set', set, jsText, fold });
const literalNode = (code: number): SetNode =>
  setNode(singleton(code), literal(code, false), { positive: singleton(code), negated: false });
const LINE_TERMINATORS = charSetOf([
  [0x0a, 0x0a],
  [0x0d, 0x0d],
  [0x2028, 0x2029],
]);

interface Frame {
  options: RegexNode[];
  items: RegexNode[];
  close: (body: RegexNode) => RegexNode;
}

/**
 * Builds the syntax tree as the translation writes the JS pattern: atoms, quantifiers on the last atom,
 * alternatives and groups. It only has to be right for patterns the JS engine accepts (it validates the JS text).
 */
class TreeBuilder {
  private readonly frames: Frame[] = [{ options: [], items: [], close: (body) => body }];
  /** The last atom is one literal UTF-16 unit (a high surrogate pairs with a following low one). */
  private lastUnit: number | null = null;
  broken = false;

  private get frame(): Frame {
    return this.frames[this.frames.length - 1]!;
  }

  atom(node: RegexNode): void {
    this.frame.items.push(node);
    this.lastUnit = null;
  }

  literal(code: number): void {
    const items = this.frame.items;
    if (this.lastUnit !== null && isHighSurrogate(this.lastUnit) && isLowSurrogate(code)) {
      // The JS pattern's source text pairs the two halves into one code point; so does the tree.
      const cp = pairCodePoint(this.lastUnit, code);
      items[items.length - 1] = setNode(singleton(cp), String.fromCodePoint(cp), { positive: singleton(cp), negated: false });
      this.lastUnit = null;
      return;
    }
    items.push(literalNode(code));
    this.lastUnit = code;
  }

  quantify(min: number, max: number, greedy: boolean): void {
    const items = this.frame.items;
    const last = items.pop();
    if (!last || last.kind === 'repeat') {
      this.broken = true;
      return;
    }
    items.push({ kind: 'repeat', min, max, greedy, body: last });
    this.lastUnit = null;
  }

  alternate(): void {
    this.frame.options.push(sequence(this.frame.items));
    this.frame.items = [];
    this.lastUnit = null;
  }

  open(close: (body: RegexNode) => RegexNode): void {
    this.frames.push({ options: [], items: [], close });
    this.lastUnit = null;
  }

  close(): void {
    if (this.frames.length === 1) {
      this.broken = true;
      return;
    }
    const frame = this.frames.pop()!;
    this.atom(frame.close(body(frame)));
  }

  finish(): RegexNode | null {
    if (this.broken || this.frames.length !== 1) return null;
    return body(this.frame);
  }
}

const sequence = (items: RegexNode[]): RegexNode => (items.length === 1 ? items[0]! : { kind: 'sequence', items });
const body = (frame: Frame): RegexNode =>
  frame.options.length === 0 ? sequence(frame.items) : { kind: 'alternation', options: [...frame.options, sequence(frame.items)] };

function compile(pattern: string): DotNetRegex | { error: string } {
  const first = translate(pattern, null);
  if ('error' in first) return first;
  // .NET counts the groups before it reads a numbered reference: a second pass resolves them.
  const done = first.references ? translate(pattern, first.numberToJs) : first;
  if ('error' in done) return done;
  let regex: RegExp;
  try {
    regex = new RegExp(done.source, done.flags);
  } catch (e) {
    // Drop the translated source from the engine's message: it is not what the user wrote.
    return { error: e instanceof Error ? e.message.replace(/^Invalid regular expression: \/[\s\S]*\/[a-z]*: /, '') : String(e) };
  }
  if (!done.tree) return { error: 'the pattern could not be read (provsim could not build its syntax tree); simplify it' };
  const jsIndex = new Map<string, number>();
  done.groups.forEach((g, i) => {
    if (g !== null && !jsIndex.has(g)) jsIndex.set(g, i + 1);
  });
  const tree: RegexTree = { root: done.tree, ignoreCase: done.flags.includes('i'), groupCount: done.groups.length };
  const engines = new Engines(tree, jsIndex);
  if (!engines.runnable) return { error: engines.backtrackerError ?? 'the pattern cannot run' };
  return {
    regex,
    numberToJs: done.numberToJs,
    names: new Set(jsIndex.keys()),
    tree,
    nestedQuantifier: nestedQuantifier(tree.root) !== null,
    engines,
  };
}

interface Translation {
  source: string;
  flags: string;
  groups: (string | null)[];
  numberToJs: ReadonlyMap<number, number>;
  /** A numbered backreference was met; without `numbering` it was left unresolved. */
  references: boolean;
  tree: RegexNode | null;
}

/**
 * One pass over the .NET pattern: the JS pattern's text, its flags, its groups and its tree. `numbering`: the
 * .NET group numbers → JS indices of a first pass, to resolve numbered references; null on that first pass.
 */
function translate(pattern: string, numbering: ReadonlyMap<number, number> | null): Translation | Failure {
  let flags = 'gdv';
  let i = 0;
  let multiline = false;
  let dotAll = false;
  // Leading inline options: (?i) (?m) (?s) (?n) and combinations.
  const lead = /^\(\?([imsnx]+)\)/.exec(pattern);
  if (lead) {
    for (const o of lead[1]!) {
      if (o === 'x') return { error: 'the inline option (?x) (ignore pattern whitespace) is not supported' };
      if (o === 'n') continue; // ExplicitCapture: handled below by numbering only named groups.
      if (!flags.includes(o)) flags += o;
      if (o === 'm') multiline = true;
      if (o === 's') dotAll = true;
    }
    i = lead[0].length;
  }
  const explicitCapture = lead?.[1]?.includes('n') ?? false;
  let out = '';
  const tree = new TreeBuilder();
  /** In order of their opening parenthesis: null = unnamed capture. */
  const groups: (string | null)[] = [];
  let references = false;
  /** What closes each open group: `))` for a lookaround, which is wrapped in a group. */
  const closers: string[] = [];
  const quantifier = /\{(\d+)(?:(,)(\d*))?\}/y;
  const lazy = (): boolean => {
    if (pattern[i] !== '?') return false;
    out += '?';
    i++;
    return true;
  };
  const anchor = (text: string, assert: AssertKind): void => {
    out += text;
    tree.atom({ kind: 'assert', assert });
  };

  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === '\\') {
      const d = pattern[i + 1];
      if (d === undefined) return { error: 'the pattern ends with a lone backslash' };
      if (d === 'A') anchor(START, 'start');
      else if (d === 'z') anchor(END, 'end');
      else if (d === 'Z') anchor(END_Z, 'end-or-final-newline');
      else if (d === 'G') return { error: '\\G (contiguous match) is not supported' };
      else if (d === 'b') anchor(BOUNDARY, 'boundary');
      else if (d === 'B') anchor(NON_BOUNDARY, 'non-boundary');
      else if (Object.hasOwn(SHORTHAND, d)) {
        out += SHORTHAND[d];
        tree.atom(shorthandSet(d));
      } else if (d === 'p' || d === 'P') {
        const prop = property(pattern, i + 1);
        if ('error' in prop) return prop;
        out += prop.node.jsText;
        tree.atom(prop.node);
        i = prop.next;
        continue;
      } else if (d === 'k' || d === '<' || d === "'") {
        // \k<name> \k'name' \k<1>, and the older \<name> \'name' (which fall back to a literal < or ').
        const open = d === 'k' ? pattern[i + 2] : d;
        const at = d === 'k' ? i + 3 : i + 2;
        const close = open === '<' ? '>' : "'";
        let end = at;
        while (end < pattern.length && isWordUnit(pattern.charCodeAt(end))) end++;
        const name = pattern.slice(at, end);
        const wellFormed = (open === '<' || open === "'") && name !== '' && pattern[end] === close;
        if (!wellFormed && d === 'k') return { error: "malformed \\k<name> backreference (write \\k<name> or \\k'name')" };
        if (!wellFormed) {
          out += literal(d.charCodeAt(0), false);
          tree.literal(d.charCodeAt(0));
          i += 2;
          continue;
        }
        if (/^\d+$/.test(name)) {
          const problem = reference(name, true);
          if (problem) return problem;
        } else {
          out += `\\k<${name}>`;
          tree.atom({ kind: 'backreference', group: name });
        }
        i = end + 1;
        continue;
      } else if (d >= '1' && d <= '9') {
        let end = i + 1;
        while (end < pattern.length && pattern[end]! >= '0' && pattern[end]! <= '9') end++;
        const problem = reference(pattern.slice(i + 1, end), false);
        if (problem) return problem;
        i = end;
        continue;
      } else {
        const unit = charEscape(pattern, i + 1);
        if ('error' in unit) return unit;
        out += literal(unit.code, false);
        tree.literal(unit.code);
        i = unit.next;
        continue;
      }
      i += 2;
      continue;
    }
    if (c === '[') {
      const cls = characterClass(pattern, i + 1);
      if ('error' in cls) return cls;
      out += cls.node.jsText;
      tree.atom(cls.node);
      i = cls.next;
      continue;
    }
    if (c === '{') {
      // A quantifier when it reads {n}, {n,} or {n,m}; any other { is a literal in .NET.
      quantifier.lastIndex = i;
      const q = quantifier.exec(pattern);
      if (q) {
        out += q[0];
        i += q[0].length;
        const min = Number(q[1]);
        const max = q[2] === undefined ? min : q[3] === '' ? Infinity : Number(q[3]);
        tree.quantify(min, max, !lazy());
      } else {
        out += '\\{';
        tree.literal(0x7b);
        i++;
      }
      continue;
    }
    if (c === '*' || c === '+' || c === '?') {
      out += c;
      i++;
      tree.quantify(c === '+' ? 1 : 0, c === '?' ? 1 : Infinity, !lazy());
      continue;
    }
    if (c === '}' || c === ']') {
      out += `\\${c}`;
      tree.literal(c.charCodeAt(0));
      i++;
      continue;
    }
    if (c === '$') {
      // Outside multiline, $ is also true before a final newline in .NET.
      if (multiline) anchor('$', 'line-end');
      else anchor(END_Z, 'end-or-final-newline');
      i++;
      continue;
    }
    if (c === '^') {
      anchor('^', multiline ? 'line-start' : 'start');
      i++;
      continue;
    }
    if (c === '.') {
      out += '.';
      tree.atom(dotAll ? setNode(ALL_CHARACTERS, '[\\s\\S]', { positive: ALL_CHARACTERS, negated: false }) : dot());
      i++;
      continue;
    }
    if (c === '|') {
      out += '|';
      tree.alternate();
      i++;
      continue;
    }
    if (c === ')') {
      out += closers.pop() ?? ')';
      tree.close();
      i++;
      continue;
    }
    if (c === '(') {
      if (pattern[i + 1] !== '?') {
        if (!explicitCapture) {
          groups.push(null);
          const index = groups.length;
          tree.open((b) => ({ kind: 'group', index, name: null, body: b }));
        } else tree.open((b) => b);
        out += explicitCapture ? '(?:' : '(';
        closers.push(')');
        i++;
        continue;
      }
      const rest = pattern.slice(i + 2);
      if (rest.startsWith(':')) {
        out += '(?:';
        tree.open((b) => b);
        closers.push(')');
        i += 3;
        continue;
      }
      const lookaround = /^(?:=|!|<=|<!)/.exec(rest);
      if (lookaround) {
        // Wrapped, as JS's Unicode mode refuses a quantifier on a lookaround and .NET takes one.
        out += `(?:(?${lookaround[0]}`;
        const behind = lookaround[0].startsWith('<');
        const negate = lookaround[0].endsWith('!');
        tree.open((b) => ({ kind: 'look', behind, negate, body: b }));
        closers.push('))');
        i += 2 + lookaround[0].length;
        continue;
      }
      if (rest.startsWith('#')) {
        const end = pattern.indexOf(')', i);
        if (end === -1) return { error: 'unterminated (?#…) comment' };
        i = end + 1;
        continue;
      }
      if (rest.startsWith('>')) return { error: 'atomic groups (?>…) are not supported' };
      if (rest.startsWith('(')) return { error: 'conditional groups (?(…)…) are not supported' };
      const named = /^(?:<([^>]*)>|'([^']*)')/.exec(rest);
      if (named) {
        const name = named[1] ?? named[2] ?? '';
        if (name.includes('-')) return { error: `balancing group (?<${name}>…) is not supported` };
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
          return { error: `group name "${name}" is not supported (use a name starting with a letter)` };
        groups.push(name);
        const index = groups.length;
        tree.open((b) => ({ kind: 'group', index, name, body: b }));
        out += `(?<${name}>`;
        closers.push(')');
        i += 2 + named[0].length;
        continue;
      }
      if (/^[imsnx-]+[:)]/.test(rest)) return { error: 'inline options are only supported at the very start of the pattern, e.g. (?i)abc' };
      return { error: `unknown group construct "(?${rest.slice(0, 3)}"` };
    }
    // Any other character is a literal (a control character is written as \xhh).
    out += literal(pattern.charCodeAt(i), false);
    tree.literal(pattern.charCodeAt(i));
    i++;
  }

  // .NET numbers unnamed groups first (1..k), then named ones (k+1..); JS numbers all in order of appearance.
  const numberToJs = new Map<number, number>([[0, 0]]);
  let next = 1;
  groups.forEach((g, jsIndex) => {
    if (g === null) numberToJs.set(next++, jsIndex + 1);
  });
  groups.forEach((g, jsIndex) => {
    if (g !== null) numberToJs.set(next++, jsIndex + 1);
  });
  return { source: out, flags, groups, numberToJs, references, tree: tree.finish() };

  /** A numbered backreference (`\1`, `\k<1>`): resolved on the second pass, or an error. */
  function reference(digits: string, angled: boolean): Failure | null {
    references = true;
    if (numbering === null) {
      tree.atom({ kind: 'sequence', items: [] });
      return null;
    }
    const js = numbering.get(Number(digits));
    if (js !== undefined && js > 0) {
      out += `(?:\\${js})`; // grouped, so a digit after it stays a digit
      tree.atom({ kind: 'backreference', group: js });
      return null;
    }
    if (angled || Number(digits) <= 9) return { error: `reference to undefined group number ${Number(digits)}` };
    // \12 with fewer than 12 groups is octal in .NET (then the digits left over are literal).
    if (digits[0]! > '7') return { error: `unrecognized escape sequence \\${digits[0]}` };
    const unit = octal(digits, 0);
    out += literal(unit.code, false);
    tree.literal(unit.code);
    for (const digit of digits.slice(unit.next)) {
      out += digit;
      tree.literal(digit.charCodeAt(0));
    }
    return null;
  }
}

let dotSet: SetNode | null = null;
/** `.` outside single-line mode: anything but a JS line terminator (the JS pattern's `.`). */
function dot(): SetNode {
  return (dotSet ??= setNode(complement(LINE_TERMINATORS), '[^\\n\\r\\u2028\\u2029]', { positive: LINE_TERMINATORS, negated: true }));
}

/** Steps the backtracking engine may take for one operation on a value: enough for any reasonable pattern, bounded for every one. */
export function stepLimitFor(input: string): number {
  return STEP_LIMIT_BASE + STEP_LIMIT_PER_CHARACTER * input.length;
}
/**
 * 1,000,000 steps take the backtracking engine 20–50 ms on the 2-core development machine, so a pattern that hits
 * the limit on every object of a 100,000-user tenant costs about an hour (Entra's timeout costs it as much);
 * legitimate patterns on directory values take a few thousand. Entra's own timeout is not published.
 */
const STEP_LIMIT_BASE = 1_000_000;
const STEP_LIMIT_PER_CHARACTER = 100;

export { RegexStepLimitExceeded };

/** The two engines of one pattern, built when the pattern is compiled (so a pattern neither can run is refused then). */
class Engines {
  /**
   * Built on first use (undefined until then): RE2 compiles the written-out classes in milliseconds, which a
   * pattern that is only checked never needs.
   */
  private linearEngine: { pattern: LinearPattern; re: RE2JS } | null | undefined;
  private readonly backtracker: Backtracker | null;
  /** Why the backtracking engine cannot run the pattern, when it cannot. */
  readonly backtrackerError: string | null;
  private readonly groupCount: number;

  constructor(
    private readonly tree: RegexTree,
    private readonly names: ReadonlyMap<string, number>,
  ) {
    this.groupCount = tree.groupCount;
    const backtracker = compileBacktracker(tree, names, boundaryWord());
    this.backtracker = 'error' in backtracker ? null : backtracker;
    this.backtrackerError = 'error' in backtracker ? backtracker.error : null;
    // Without the backtracking engine, whether the pattern runs at all depends on the linear one.
    if (!this.backtracker) this.linearEngine = linearEngine(tree);
  }

  private get linear(): { pattern: LinearPattern; re: RE2JS } | null {
    if (this.linearEngine === undefined) this.linearEngine = linearEngine(this.tree);
    return this.linearEngine;
  }

  /** Whether every value can be run (the linear engine alone, or the backtracking one). */
  get runnable(): boolean {
    return this.backtracker !== null || (this.linear !== null && !hasGuards(this.linear.pattern));
  }

  /** Which engine runs this value: the linear one whenever it can. */
  engineFor(input: string): RegexEngineName {
    return this.linear && linearPatternFits(this.linear.pattern, input) ? 'linear' : 'backtracking';
  }

  /** The matches (all, or the first only), by span; `engine` forces one (tests compare the two). */
  spans(input: string, first: boolean, budget: StepBudget, engine: RegexEngineName = this.engineFor(input)): number[][] {
    const out: number[][] = [];
    const linear = engine === 'linear' ? this.linear?.re : null;
    if (engine === 'linear' && !linear) throw new Error('the linear engine cannot run this pattern');
    if (engine === 'backtracking' && !this.backtracker) throw new Error(this.backtrackerError ?? 'the pattern cannot run');
    const matcher = linear?.matcher(input) ?? null;
    for (let pos = 0; pos <= input.length;) {
      let spans: number[] | null;
      if (matcher) {
        if (!matcher.find(pos)) break;
        spans = [];
        for (let g = 0; g <= this.groupCount; g++) spans.push(matcher.start(g), matcher.end(g));
      } else spans = this.backtracker!.exec(input, pos, budget);
      if (!spans) break;
      out.push(spans);
      if (first) break;
      const [start, end] = spans as [number, number];
      // An empty match moves on by one character, as .NET does (a surrogate pair whole: see allMatches).
      pos = end > start ? end : start + (isSurrogatePair(input, start) ? 2 : 1);
    }
    return out;
  }

  /** Whether the pattern matches anywhere in the value (the linear engine's fastest path when it fits). */
  test(input: string, budget: StepBudget): boolean {
    if (this.engineFor(input) === 'linear') return this.linear!.re.test(input);
    return this.spans(input, true, budget, 'backtracking').length > 0;
  }

  /** A match as the JS engine's `exec` shapes it (with `d` indices), for the replacement code. */
  execArray(input: string, spans: number[]): RegExpExecArray {
    const values: (string | undefined)[] = [];
    const indices: ([number, number] | undefined)[] = [];
    for (let g = 0; g * 2 < spans.length; g++) {
      const s = spans[g * 2]!;
      const e = spans[g * 2 + 1]!;
      values.push(s < 0 || e < 0 ? undefined : input.slice(s, e));
      indices.push(s < 0 || e < 0 ? undefined : [s, e]);
    }
    let groups: Record<string, string | undefined> | undefined;
    let groupIndices: Record<string, [number, number] | undefined> | undefined;
    if (this.names.size > 0) {
      groups = {};
      groupIndices = {};
      for (const [name, index] of this.names) {
        groups[name] = values[index];
        groupIndices[name] = indices[index];
      }
    }
    return Object.assign(values, {
      index: spans[0]!,
      input,
      groups,
      indices: Object.assign(indices, { groups: groupIndices }),
    }) as unknown as RegExpExecArray;
  }
}

export type RegexEngineName = 'linear' | 'backtracking';

const hasGuards = (p: LinearPattern): boolean => p.needsAscii || p.needsNoFinalNewline || p.needsNoLineSeparators;

function linearEngine(tree: RegexTree): { pattern: LinearPattern; re: RE2JS } | null {
  const pattern = toRe2Pattern(tree);
  if (!pattern) return null;
  try {
    return { pattern, re: RE2JS.compile(pattern.source) };
  } catch {
    // RE2 refuses what it cannot hold (a program over its size limit, for one): the backtracking engine runs it.
    return null;
  }
}

/**
 * All matches, empty ones included, advancing past empty matches as .NET does — by a whole surrogate pair
 * where .NET steps one UTF-16 unit: a Unicode-mode search started inside a pair backs up to its start.
 * Throws RegexStepLimitExceeded when the backtracking engine runs out of steps.
 */
export function allMatches(
  re: DotNetRegex,
  input: string,
  budget: StepBudget = budgetFor(input),
  engine: RegexEngineName = re.engines.engineFor(input),
): RegExpExecArray[] {
  return re.engines.spans(input, false, budget, engine).map((spans) => re.engines.execArray(input, spans));
}

function isSurrogatePair(s: string, i: number): boolean {
  const hi = s.charCodeAt(i);
  const lo = s.charCodeAt(i + 1);
  return hi >= 0xd800 && hi <= 0xdbff && lo >= 0xdc00 && lo <= 0xdfff;
}

/** First match or null. Throws RegexStepLimitExceeded as `allMatches` does. */
export function firstMatch(re: DotNetRegex, input: string, budget: StepBudget = budgetFor(input)): RegExpExecArray | null {
  const [spans] = re.engines.spans(input, true, budget);
  return spans ? re.engines.execArray(input, spans) : null;
}

/** Whether the pattern matches anywhere in the value (.NET's Regex.IsMatch). Throws RegexStepLimitExceeded as `allMatches` does. */
export function isMatch(re: DotNetRegex, input: string, budget: StepBudget = budgetFor(input)): boolean {
  return re.engines.test(input, budget);
}

/** A fresh step budget for one operation on `input`. */
export function budgetFor(input: string): StepBudget {
  const limit = stepLimitFor(input);
  return { left: limit, limit };
}

/**
 * Expands a .NET replacement pattern for one match: `$n`, `${name}`, `${n}`, `$$`, `$&`, `` $` ``, `$'`,
 * `$+`, `$_`. A reference to a group that does not exist stays literal, as in .NET; one that did not
 * participate in the match is empty.
 */
export function expandReplacement(
  re: DotNetRegex,
  replacement: string,
  m: RegExpExecArray,
  input: string,
  /** Stop once the expansion is longer than this (the caller fails the value): `$_` repeated copies the whole input each time. */
  limit = Infinity,
): string {
  const group = (jsIndex: number | undefined): string => (jsIndex === undefined ? '' : (m[jsIndex] ?? ''));
  let out = '';
  let i = 0;
  while (i < replacement.length && out.length <= limit) {
    const c = replacement[i]!;
    if (c !== '$' || i + 1 >= replacement.length) {
      out += c;
      i++;
      continue;
    }
    const d = replacement[i + 1]!;
    if (d === '$') {
      out += '$';
      i += 2;
    } else if (d === '&') {
      out += m[0];
      i += 2;
    } else if (d === '`') {
      out += input.slice(0, m.index);
      i += 2;
    } else if (d === "'") {
      out += input.slice(m.index + m[0].length);
      i += 2;
    } else if (d === '_') {
      out += input;
      i += 2;
    } else if (d === '+') {
      const last = Math.max(...re.numberToJs.keys());
      out += last === 0 ? '' : group(re.numberToJs.get(last));
      i += 2;
    } else if (d === '{') {
      const end = replacement.indexOf('}', i + 2);
      const name = end === -1 ? '' : replacement.slice(i + 2, end);
      if (end !== -1 && re.names.has(name)) {
        out += m.groups?.[name] ?? '';
        i = end + 1;
      } else if (end !== -1 && /^\d+$/.test(name) && re.numberToJs.has(Number(name))) {
        out += group(re.numberToJs.get(Number(name)));
        i = end + 1;
      } else {
        out += c;
        i++;
      }
    } else if (d >= '0' && d <= '9') {
      let j = i + 1;
      while (j < replacement.length && replacement[j]! >= '0' && replacement[j]! <= '9') j++;
      // The longest digit prefix that names an existing group.
      let matched = false;
      for (let k = j; k > i + 1; k--) {
        const n = Number(replacement.slice(i + 1, k));
        if (re.numberToJs.has(n)) {
          out += group(re.numberToJs.get(n));
          i = k;
          matched = true;
          break;
        }
      }
      if (!matched) {
        out += c;
        i++;
      }
    } else {
      out += c;
      i++;
    }
  }
  return out;
}
