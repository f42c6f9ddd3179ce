/**
 * Removes secrets (the bearer token) from text and data bound for output or storage, in the forms a server
 * or an encoder turns them into. Pure: the only state is a small cache of compiled matchers.
 *
 * Forms covered, each character of the secret on its own (so mixed encodings match too):
 * - as given;
 * - JSON- or JS-escaped at any depth: `"` `\` `/` `'` behind any run of backslashes (`\"`, `\\\"`, `\\`,
 *   `\/`), and `\uXXXX` escapes (.NET's System.Text.Json writes `+` `<` `>` `&` `'` that way);
 * - percent-encoded, once or twice (`%22`, `%2522`), hex digits in either case;
 * - HTML entities (`&quot;`, `&#34;`, `&#x22;`);
 * - base64 and base64url of the secret, and of any text that contains it (a server that echoes the
 *   Authorization header base64-encoded encodes `Bearer <token>`, where the token starts at an offset that is
 *   not a multiple of 3): for each of the three offsets, the characters that depend on the secret's bytes
 *   alone. The one to three characters at each end that mix it with its neighbours stay (at most 12 bits).
 *
 * Trade-offs:
 * - Letters, digits and `-` `.` `_` are matched only as themselves: no JSON, URL (encodeURIComponent,
 *   URLSearchParams, .NET's Uri.EscapeDataString) or HTML encoder changes them. This is what keeps redaction
 *   cheap: a text that lacks the longest such run of every form is returned untouched after one `indexOf`
 *   per form, and the pattern stays close to the secret's own length. A server that percent-encodes every
 *   letter is not covered.
 * - A base64 fragment shorter than MIN_FRAGMENT characters (secrets under about 7 bytes) is not masked: it
 *   would match unrelated text by chance. The secret as given is always masked, however short.
 * - Masking a run of backslashes before the secret takes the whole run, which keeps JSON text valid.
 */

export const SECRET_MASK = '[REDACTED]';

/** Base64 fragments shorter than this are left alone (they would match ordinary text by chance). */
const MIN_FRAGMENT = 8;
/** Runs of characters that every encoder leaves as they are. */
const PLAIN_RUN = /[A-Za-z0-9._-]+/g;
const CACHE_LIMIT = 16;

/** A compiled redactor: one pattern for every form, and literal anchors that any match contains. */
interface Matcher {
  pattern: RegExp;
  /** Each form's longest plain run; null when some form has none (then every text goes to the pattern). */
  anchors: readonly string[] | null;
  /** No match is shorter than this (the shortest anchor, or 1). */
  shortest: number;
}

const cache = new Map<string, Matcher>();

/** `text` with every form of `secret` replaced by SECRET_MASK; null, undefined or '' leave it as it is. */
export function redactSecret(text: string, secret: string | null | undefined): string {
  return redactSecrets(text, secret ? [secret] : []);
}

/** `text` with every form of each secret replaced by SECRET_MASK. Empty secrets are ignored. */
export function redactSecrets(text: string, secrets: readonly (string | null | undefined)[]): string {
  const matcher = matcherFor(secrets);
  return matcher ? replaceIn(text, matcher) : text;
}

/**
 * `value` with every string inside it (object keys included) redacted, for data that is stored or
 * serialised later (log entries, report data). Arrays and plain objects are copied only where something
 * changed; other objects (Date, Map, class instances) are returned as they are.
 */
export function redactSecretsDeep<T>(value: T, secrets: readonly (string | null | undefined)[]): T {
  const matcher = matcherFor(secrets);
  return matcher ? (walk(value, matcher) as T) : value;
}

/**
 * False when `text` certainly holds no form of any of the secrets; true when it may (it holds a literal
 * part that every match contains). Cheaper than `containsSecret`: a few `includes`, no pattern.
 */
export function mayContainSecret(text: string, secrets: readonly (string | null | undefined)[]): boolean {
  const matcher = matcherFor(secrets);
  return matcher !== null && mayContain(text, matcher);
}

/** Whether `text` holds any form of any of the secrets. */
export function containsSecret(text: string, secrets: readonly (string | null | undefined)[]): boolean {
  const matcher = matcherFor(secrets);
  return matcher !== null && mayContain(text, matcher) && testIn(text, matcher.pattern);
}

// Called for every string of every value redacted (a cycle's log entries): no closure, no iterator.
function mayContain(text: string, matcher: Matcher): boolean {
  if (text.length < matcher.shortest) return false;
  const anchors = matcher.anchors;
  if (anchors === null) return true;
  for (let i = 0; i < anchors.length; i++) if (text.includes(anchors[i]!)) return true;
  return false;
}

function testIn(text: string, pattern: RegExp): boolean {
  pattern.lastIndex = 0;
  const found = pattern.test(text);
  pattern.lastIndex = 0;
  return found;
}

function replaceIn(text: string, matcher: Matcher): string {
  if (!mayContain(text, matcher)) return text;
  matcher.pattern.lastIndex = 0;
  return text.replace(matcher.pattern, SECRET_MASK);
}

function walk(value: unknown, matcher: Matcher): unknown {
  if (typeof value === 'string') return replaceIn(value, matcher);
  if (Array.isArray(value)) {
    let out: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const next = walk(value[i], matcher);
      if (next !== value[i]) (out ??= value.slice())[i] = next;
    }
    return out ?? value;
  }
  if (value !== null && typeof value === 'object' && isPlain(value)) {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    let out: Array<[string, unknown]> | null = null;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      const key = replaceIn(k, matcher);
      const next = walk(record[k], matcher);
      if (out === null && (key !== k || next !== record[k])) out = keys.slice(0, i).map((p): [string, unknown] => [p, record[p]]);
      out?.push([key, next]);
    }
    return out ? Object.fromEntries(out) : value;
  }
  return value;
}

function isPlain(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function matcherFor(secrets: readonly (string | null | undefined)[]): Matcher | null {
  // The common case, one secret (the token) redacted from value after value: its matcher without a copy.
  if (secrets.length === 1) {
    const only = secrets[0];
    if (typeof only !== 'string' || only === '') return null;
    const known = cache.get(only);
    if (known !== undefined) return known;
  }
  const given = [...new Set(secrets.filter((s): s is string => typeof s === 'string' && s !== ''))];
  if (given.length === 0) return null;
  const key = given.join('\u0000');
  const known = cache.get(key);
  if (known !== undefined) return known;
  const forms = new Set<string>();
  for (const secret of given) {
    forms.add(secret);
    for (const fragment of base64Fragments(secret)) forms.add(fragment);
  }
  // Longest first: where two forms start at the same place, the longer one is masked whole.
  const ordered = [...forms].sort((a, b) => b.length - a.length);
  const anchors = ordered.map(longestPlainRun);
  const complete = anchors.every((a): a is string => a !== null);
  const matcher: Matcher = {
    pattern: new RegExp(ordered.map(formPattern).join('|'), 'g'),
    anchors: complete ? [...new Set(anchors)] : null,
    shortest: complete ? Math.min(...anchors.map((a) => a.length)) : 1,
  };
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(key, matcher);
  return matcher;
}

function longestPlainRun(form: string): string | null {
  const runs = form.match(PLAIN_RUN) ?? [];
  const longest = runs.reduce((a, b) => (b.length > a.length ? b : a), '');
  return longest === '' ? null : longest;
}

/**
 * The secret's whole base64 and base64url encodings (padding included: the common case masks cleanly), and
 * the characters that encode `secret` alone when it starts at byte offset 0, 1 or 2 of a 3-byte group,
 * whatever surrounds it.
 */
function base64Fragments(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const out = [bytes.toString('base64'), bytes.toString('base64url')];
  for (const offset of [0, 1, 2]) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    const total = offset + bytes.length;
    // Offset 1 leaves the group's first two characters mixed, offset 2 its first three.
    const start = offset === 0 ? 0 : offset + 1;
    // A last group of 1 or 2 secret bytes: only its first 1 or 2 characters are the secret's alone.
    const end = Math.floor(total / 3) * 4 + (total % 3);
    const fragment = encoded.slice(start, end);
    out.push(fragment, fragment.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return out.filter((form) => form.length >= MIN_FRAGMENT);
}

/** A form as a regular expression source: plain runs literally, every other character in each of its encodings. */
function formPattern(form: string): string {
  let out = '';
  let at = 0;
  for (const run of form.matchAll(PLAIN_RUN)) {
    out += [...form.slice(at, run.index)].map(characterPattern).join('') + escapeRegExp(run[0]);
    at = run.index + run[0].length;
  }
  return out + [...form.slice(at)].map(characterPattern).join('');
}

const HTML_NAMES: Readonly<Record<string, string>> = { '"': 'quot', '&': 'amp', '<': 'lt', '>': 'gt', "'": 'apos' };

/** One character that an encoder may change, in each of its forms. */
function characterPattern(c: string): string {
  const code = c.codePointAt(0)!;
  const forms: string[] = [];
  if (c === '\\') forms.push('\\\\+');
  else if (c === '"' || c === '/' || c === "'") forms.push(`\\\\*${escapeRegExp(c)}`);
  else forms.push(escapeRegExp(c));
  forms.push([...Buffer.from(c, 'utf8')].map((b) => `%(?:25)?${hex(b, 2)}`).join(''));
  const units: string[] = [];
  for (let i = 0; i < c.length; i++) units.push(`\\\\+u${hex(c.charCodeAt(i), 4)}`);
  forms.push(units.join(''));
  forms.push(`&#0*${code};`, `&#[xX]0*${hex(code, 1)};`);
  const name = HTML_NAMES[c];
  if (name) forms.push(`&${name};`);
  return `(?:${forms.join('|')})`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** `n` in hexadecimal, at least `width` digits, each letter matching either case. */
function hex(n: number, width: number): string {
  return [...n.toString(16).padStart(width, '0')].map((d) => (/[a-f]/.test(d) ? `[${d}${d.toUpperCase()}]` : d)).join('');
}
