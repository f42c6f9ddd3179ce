/**
 * .NET regular expressions on the JS engine, for Replace. Entra runs `System.Text.RegularExpressions` with
 * default options (case-sensitive); most patterns mean the same in JS. This module translates the
 * differences that matter and refuses, with a message, the .NET constructs JS cannot express.
 *
 * Translated: `(?'name'…)` → `(?<name>…)`; `\A` `\Z` `\z`; `$` outside multiline (in .NET it also matches
 * before a final newline); `(?imsn)` at the very start → flags; `(?#…)` comments dropped; `[]…]` (a leading
 * `]` is literal in .NET); `\k'name'`; `\p{…}` switches the JS engine to Unicode mode.
 * Refused: atomic groups `(?>…)`, balancing groups `(?<a-b>…)`, conditionals `(?(…)…)`, scoped inline
 * options `(?i:…)`, options after the start, character-class subtraction `[a-z-[aeiou]]`, `\G`, numeric
 * group names.
 * Group numbering follows .NET (unnamed groups first, then named ones), so `$1` in a replacement means
 * what it means in .NET even when named and unnamed groups are mixed.
 * Not modelled: `\d` and `\w` match Unicode digits/letters in .NET but ASCII in JS.
 */

export interface DotNetRegex {
  /** Global, with match indices (`gd`); reset `lastIndex` before use. */
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

function compile(pattern: string): DotNetRegex | { error: string } {
  let flags = 'gd';
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
  let inClass = false;
  let classStart = false;
  let unicode = false;
  /** In order of their opening parenthesis: null = unnamed capture. */
  const groups: (string | null)[] = [];

  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === '\\') {
      const d = pattern[i + 1];
      if (d === undefined) return { error: 'the pattern ends with a lone backslash' };
      if (!inClass && d === 'A') out += '(?<![\\s\\S])';
      else if (!inClass && d === 'z') out += '(?![\\s\\S])';
      else if (!inClass && d === 'Z') out += '(?=\\n?(?![\\s\\S]))';
      else if (d === 'G') return { error: '\\G (contiguous match) is not supported' };
      else if (d === 'p' || d === 'P') {
        unicode = true;
        out += c + d;
      } else if (d === 'k' && pattern[i + 2] === "'") {
        const end = pattern.indexOf("'", i + 3);
        if (end === -1) return { error: "unterminated \\k'name'" };
        out += `\\k<${pattern.slice(i + 3, end)}>`;
        i = end + 1;
        continue;
      } else out += c + d;
      i += 2;
      classStart = false;
      continue;
    }
    if (inClass) {
      if (c === ']' && !classStart) inClass = false;
      else if (c === ']' && classStart) {
        out += '\\]';
        i++;
        classStart = false;
        continue;
      } else if (c === '-' && pattern[i + 1] === '[') return { error: 'character-class subtraction ([a-z-[aeiou]]) is not supported' };
      else if (c === '^' && classStart && out.endsWith('[')) {
        out += c;
        i++;
        continue; // `[^]…]`: the `]` after `^` is still literal.
      }
      out += c;
      i++;
      classStart = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
      classStart = true;
      out += c;
      i++;
      continue;
    }
    if (c === '$' && !multiline) {
      out += '(?=\\n?(?![\\s\\S]))';
      i++;
      continue;
    }
    if (c === '(') {
      if (pattern[i + 1] !== '?') {
        if (!explicitCapture) groups.push(null);
        out += explicitCapture ? '(?:' : '(';
        i++;
        continue;
      }
      const rest = pattern.slice(i + 2);
      if (rest.startsWith(':') || rest.startsWith('=') || rest.startsWith('!') || rest.startsWith('<=') || rest.startsWith('<!')) {
        out += '(?';
        i += 2;
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
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return { error: `group name "${name}" is not supported (use a name starting with a letter)` };
        groups.push(name);
        out += `(?<${name}>`;
        i += 2 + named[0].length;
        continue;
      }
      if (/^[imsnx-]+[:)]/.test(rest)) return { error: 'inline options are only supported at the very start of the pattern, e.g. (?i)abc' };
      return { error: `unknown group construct "(?${rest.slice(0, 3)}"` };
    }
    out += c;
    i++;
  }
  if (inClass) return { error: 'unterminated character class [' };
  if (unicode) flags += 'u';

  let regex: RegExp;
  try {
    regex = new RegExp(out, flags);
  } catch (e) {
    return { error: e instanceof Error ? e.message.replace(/^Invalid regular expression: /, '') : String(e) };
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
  return { regex, numberToJs, names: new Set(groups.filter((g): g is string => g !== null)) };
}

/** All matches, empty ones included, advancing past empty matches as .NET does. */
export function allMatches(re: DotNetRegex, input: string): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  re.regex.lastIndex = 0;
  for (;;) {
    const m = re.regex.exec(input);
    if (!m) break;
    out.push(m);
    if (m[0] === '') re.regex.lastIndex = m.index + 1;
    if (re.regex.lastIndex > input.length) break;
  }
  re.regex.lastIndex = 0;
  return out;
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
