/**
 * .NET regular expressions on the JS engine, for Replace and scoping REGEX MATCH. Entra runs
 * `System.Text.RegularExpressions` with default options (case-sensitive, not RegexOptions.ECMAScript). This
 * module parses the .NET pattern, writes a JS pattern that means the same, and refuses, with a message, the
 * .NET constructs JS cannot express. Every pattern runs in JS's Unicode-sets mode (flag `v`), so the JS syntax
 * it emits is that mode's strict one, whatever the .NET source wrote; patterns are translated once and cached.
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
 *   the current culture. provsim uses JS simple case folding, culture-free. It agrees for nearly all letters but
 *   also equates ſ with s, µ with μ, ς with σ, the Greek symbol forms ϐ ϑ ϕ ϖ ϰ ϱ ϵ, U+0345 and U+1FBE with ι,
 *   ẛ with ṡ, and U+1C80–U+1C88 with their Cyrillic letters, which .NET does not; and `(?i)i` does not match İ
 *   (it does on .NET under a non-Turkish culture such as en-US; under tr-TR .NET pairs i/İ and ı/I instead).
 * - A supplementary character is one character here and two in .NET for `.`, `[^…]`, `\W`, `\S`, `\D`
 *   (`^.$` matches "😀" here, not on Entra), and an empty match steps over it whole.
 * - Unicode data is the JS engine's, not that of Entra's .NET version; characters assigned in between differ.
 * - `.` also stops at \r, U+2028 and U+2029 in JS (only at \n in .NET), and `(?m)` `^` `$` break lines there too.
 * - A backreference to a group that did not capture fails in .NET and matches empty in JS.
 */

export interface DotNetRegex {
  /** Global, Unicode-sets mode, with match indices (`gdv`); reset `lastIndex` before use. */
  regex: RegExp;
  /** .NET group number → JS group index (0 → 0). */
  numberToJs: ReadonlyMap<number, number>;
  /** Named groups (case-sensitive), for `${name}`. */
  names: ReadonlySet<string>;
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
function property(p: string, i: number): { text: string; next: number } | Failure {
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
  const text = name === 'C' || name === 'Cs' ? `[${negate}\\p{${name}}${ASTRAL}]` : `[${negate}\\p{${name}}--[${ASTRAL}]]`;
  return { text, next: m.lastIndex };
}

/**
 * A character class from just after its `[`, parsed as .NET's ScanCharClass does: a leading `]` is literal,
 * `a-` before `]` is two literals, a shorthand class cannot end a range, `\-` never starts one.
 */
function characterClass(p: string, start: number): { text: string; next: number } | Failure {
  let i = start;
  let negate = false;
  if (p[i] === '^') {
    negate = true;
    i++;
  }
  let body = '';
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
          body += prop.text;
          i = prop.next;
        } else {
          body += SHORTHAND[d];
          i++;
        }
        continue;
      }
      if (d === '-') {
        i++;
        if (inRange) {
          if (rangeStart > 0x2d) return fail(`the range [${String.fromCharCode(rangeStart)}-\\-] is in reverse order`);
          body += `${literal(rangeStart, true)}-\\-`;
          inRange = false;
        } else body += '\\-';
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
      body += `${literal(rangeStart, true)}-${literal(code, true)}`;
    } else if (i + 1 < p.length && p[i] === '-' && p[i + 1] !== ']') {
      rangeStart = code;
      inRange = true;
      i++;
    } else if (code === 0x2d /* - */ && !escaped && p[i] === '[' && !first) {
      return fail('character-class subtraction ([a-z-[aeiou]]) is not supported');
    } else body += literal(code, true);
  }
  if (!closed) return fail('unterminated character class [');
  return { text: `[${negate ? '^' : ''}${body}]`, next: i };
}

/** A numbered backreference, resolved once every group is known (.NET counts groups before it parses). */
interface PendingReference {
  digits: string;
  /** Written `\k<n>` or `\<n>`: never octal. */
  angled: boolean;
}
/** Marks a pending reference in the output; `literal` never emits a raw NUL, so the marker cannot collide. */
const REFERENCE_MARK = /\u0000(\d+)\u0000/g;

function compile(pattern: string): DotNetRegex | { error: string } {
  let flags = 'gdv';
  let i = 0;
  let multiline = false;
  // Leading inline options: (?i) (?m) (?s) (?n) and combinations.
  const lead = /^\(\?([imsnx]+)\)/.exec(pattern);
  if (lead) {
    for (const o of lead[1]!) {
      if (o === 'x') return { error: 'the inline option (?x) (ignore pattern whitespace) is not supported' };
      if (o === 'n') continue; // ExplicitCapture: handled below by numbering only named groups.
      if (!flags.includes(o)) flags += o;
      if (o === 'm') multiline = true;
    }
    i = lead[0].length;
  }
  const explicitCapture = lead?.[1]?.includes('n') ?? false;
  let out = '';
  /** In order of their opening parenthesis: null = unnamed capture. */
  const groups: (string | null)[] = [];
  const references: PendingReference[] = [];
  /** What closes each open group: `))` for a lookaround, which is wrapped in a group. */
  const closers: string[] = [];
  const reference = (digits: string, angled: boolean): string => `\u0000${references.push({ digits, angled }) - 1}\u0000`;
  const quantifier = /\{\d+(?:,\d*)?\}/y;

  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === '\\') {
      const d = pattern[i + 1];
      if (d === undefined) return { error: 'the pattern ends with a lone backslash' };
      if (d === 'A') out += START;
      else if (d === 'z') out += END;
      else if (d === 'Z') out += END_Z;
      else if (d === 'G') return { error: '\\G (contiguous match) is not supported' };
      else if (d === 'b') out += BOUNDARY;
      else if (d === 'B') out += NON_BOUNDARY;
      else if (Object.hasOwn(SHORTHAND, d)) out += SHORTHAND[d];
      else if (d === 'p' || d === 'P') {
        const prop = property(pattern, i + 1);
        if ('error' in prop) return prop;
        out += prop.text;
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
          i += 2;
          continue;
        }
        out += /^\d+$/.test(name) ? reference(name, true) : `\\k<${name}>`;
        i = end + 1;
        continue;
      } else if (d >= '1' && d <= '9') {
        let end = i + 1;
        while (end < pattern.length && pattern[end]! >= '0' && pattern[end]! <= '9') end++;
        out += reference(pattern.slice(i + 1, end), false);
        i = end;
        continue;
      } else {
        const unit = charEscape(pattern, i + 1);
        if ('error' in unit) return unit;
        out += literal(unit.code, false);
        i = unit.next;
        continue;
      }
      i += 2;
      continue;
    }
    if (c === '[') {
      const cls = characterClass(pattern, i + 1);
      if ('error' in cls) return cls;
      out += cls.text;
      i = cls.next;
      continue;
    }
    if (c === '{') {
      // A quantifier when it reads {n}, {n,} or {n,m}; any other { is a literal in .NET.
      quantifier.lastIndex = i;
      const q = quantifier.exec(pattern);
      out += q ? q[0] : '\\{';
      i += q ? q[0].length : 1;
      continue;
    }
    if (c === '}' || c === ']') {
      out += `\\${c}`;
      i++;
      continue;
    }
    if (c === '$' && !multiline) {
      out += END_Z;
      i++;
      continue;
    }
    if (c === ')') {
      out += closers.pop() ?? ')';
      i++;
      continue;
    }
    if (c === '(') {
      if (pattern[i + 1] !== '?') {
        if (!explicitCapture) groups.push(null);
        out += explicitCapture ? '(?:' : '(';
        closers.push(')');
        i++;
        continue;
      }
      const rest = pattern.slice(i + 2);
      if (rest.startsWith(':')) {
        out += '(?:';
        closers.push(')');
        i += 3;
        continue;
      }
      const lookaround = /^(?:=|!|<=|<!)/.exec(rest);
      if (lookaround) {
        // Wrapped, as JS's Unicode mode refuses a quantifier on a lookaround and .NET takes one.
        out += `(?:(?${lookaround[0]}`;
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
        out += `(?<${name}>`;
        closers.push(')');
        i += 2 + named[0].length;
        continue;
      }
      if (/^[imsnx-]+[:)]/.test(rest)) return { error: 'inline options are only supported at the very start of the pattern, e.g. (?i)abc' };
      return { error: `unknown group construct "(?${rest.slice(0, 3)}"` };
    }
    // Operators pass through; any other character is a literal (a control character is written as \xhh).
    out += SYNTAX.has(c) ? c : literal(pattern.charCodeAt(i), false);
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

  const resolved: string[] = [];
  for (const { digits, angled } of references) {
    const js = numberToJs.get(Number(digits));
    if (js !== undefined && js > 0) {
      resolved.push(`(?:\\${js})`); // grouped, so a digit after it stays a digit
      continue;
    }
    if (angled || Number(digits) <= 9) return { error: `reference to undefined group number ${Number(digits)}` };
    // \12 with fewer than 12 groups is octal in .NET (then the digits left over are literal).
    if (digits[0]! > '7') return { error: `unrecognized escape sequence \\${digits[0]}` };
    const unit = octal(digits, 0);
    resolved.push(literal(unit.code, false) + digits.slice(unit.next));
  }
  if (resolved.length) out = out.replace(REFERENCE_MARK, (_, k: string) => resolved[Number(k)]!);

  let regex: RegExp;
  try {
    regex = new RegExp(out, flags);
  } catch (e) {
    // Drop the translated source from the engine's message: it is not what the user wrote.
    return { error: e instanceof Error ? e.message.replace(/^Invalid regular expression: \/[\s\S]*\/[a-z]*: /, '') : String(e) };
  }
  return { regex, numberToJs, names: new Set(groups.filter((g): g is string => g !== null)) };
}

/**
 * All matches, empty ones included, advancing past empty matches as .NET does — by a whole surrogate pair
 * where .NET steps one UTF-16 unit: a Unicode-mode search started inside a pair backs up to its start.
 */
export function allMatches(re: DotNetRegex, input: string): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  re.regex.lastIndex = 0;
  for (;;) {
    const m = re.regex.exec(input);
    if (!m) break;
    out.push(m);
    if (m[0] === '') re.regex.lastIndex = m.index + (isSurrogatePair(input, m.index) ? 2 : 1);
    if (re.regex.lastIndex > input.length) break;
  }
  re.regex.lastIndex = 0;
  return out;
}

function isSurrogatePair(s: string, i: number): boolean {
  const hi = s.charCodeAt(i);
  const lo = s.charCodeAt(i + 1);
  return hi >= 0xd800 && hi <= 0xdbff && lo >= 0xdc00 && lo <= 0xdfff;
}

/** First match or null. */
export function firstMatch(re: DotNetRegex, input: string): RegExpExecArray | null {
  re.regex.lastIndex = 0;
  const m = re.regex.exec(input);
  re.regex.lastIndex = 0;
  return m;
}

/**
 * Expands a .NET replacement pattern for one match: `$n`, `${name}`, `${n}`, `$$`, `$&`, `` $` ``, `$'`,
 * `$+`, `$_`. A reference to a group that does not exist stays literal, as in .NET; one that did not
 * participate in the match is empty.
 */
export function expandReplacement(re: DotNetRegex, replacement: string, m: RegExpExecArray, input: string): string {
  const group = (jsIndex: number | undefined): string => (jsIndex === undefined ? '' : (m[jsIndex] ?? ''));
  let out = '';
  let i = 0;
  while (i < replacement.length) {
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
