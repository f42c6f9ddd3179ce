/**
 * Server-given ids as URL path segments. Every id a server hands out goes into `{base}/Users/{id}`
 * percent-encoded (`encodeURIComponent`), and that URL must address exactly the one resource: as provsim's
 * URL parser reads it, on the wire, and through the proxies and servers between provsim and the resource.
 * Pure.
 *
 * The rule. An id is usable when it is:
 * - a string (RFC 7643 §3.1) of 1 to 1024 characters: `""` would address the collection (`/Users/`); the
 *   bound is far above real ids (GUIDs are 36) and keeps even a fully percent-encoded URL within what
 *   servers accept (at most 9 KB), where a megabyte id would be sent, logged and stored;
 * - not `.` or `..`: dot segments, which URL resolution removes (`/Users/..` is the base URL itself);
 * - without `/` or `\`: encoded (`%2F`, `%5C`) they stay in one segment for provsim, but proxies and servers
 *   that decode before routing split them (`../Groups/x` would reach another resource);
 * - without a percent-escape (`%` and two hex digits): provsim encodes the `%` again (`%252e`), so a server
 *   or proxy that decodes twice reads another id (`%2e%2e` is `..`), and IIS refuses double-escaped URLs
 *   by default;
 * - without control characters (U+0000–U+001F, U+007F–U+009F) or an unpaired surrogate: ids are printed
 *   in messages and logs (a control character can drive the terminal), and an unpaired surrogate cannot be
 *   percent-encoded at all;
 * - without leading or trailing whitespace: servers and proxies trim path segments (`" "` becomes the
 *   collection), and in a message `"x "` reads as `"x"`.
 *
 * Trade-off: a lenient chain of servers could address some ids the last four points refuse. provsim
 * refuses them anyway: nothing is known of how Entra sends them, the failure names the id and the point it
 * breaks, and no server that answers RFC-shaped ids (GUIDs, numbers, opaque tokens) is affected.
 */

/** The longest id provsim puts in a URL, in UTF-16 code units (JavaScript string length). */
export const MAX_ID_LENGTH = 1024;

const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Ids of letters, digits and `-` `_` `.` `~` only (GUIDs, numbers, most opaque tokens): none of the rules
 * below can refuse one but the length and the dot segments, so they skip the other tests.
 */
const PLAIN_ID = /^[A-Za-z0-9._~-]+$/;

/** Why `id` cannot be one URL path segment, or null when it can. */
export function unusableIdReason(id: unknown): string | null {
  if (typeof id !== 'string') return `an id must be a string (RFC 7643 §3.1), and this one is ${kindOf(id)}`;
  if (id.length <= MAX_ID_LENGTH && id !== '.' && id !== '..' && PLAIN_ID.test(id)) return null;
  if (id === '') return 'it is empty, and an empty id addresses the collection (/Users/) (RFC 7643 §3.1 requires a non-empty id)';
  if (id.length > MAX_ID_LENGTH) return `it is ${id.length} characters long, and provsim puts at most ${MAX_ID_LENGTH} in a URL`;
  if (id === '.' || id === '..')
    return `"." and ".." are dot segments, which URL resolution removes: the request would reach the URL above the resource`;
  if (/[/\\]/.test(id))
    return 'it contains a path separator ("/" or "\\"), which servers and proxies that decode the URL before routing would split into several segments';
  if (/%[0-9A-Fa-f]{2}/.test(id))
    return 'it contains a percent-escape ("%" and two hex digits), which a server or proxy that decodes twice would read as another id';
  if (/[\u0000-\u001f\u007f-\u009f]/.test(id)) return 'it contains a control character';
  if (UNPAIRED_SURROGATE.test(id)) return 'it contains an unpaired surrogate, which cannot be percent-encoded';
  if (/^\s|\s$/.test(id)) return 'it starts or ends with whitespace, which servers and proxies trim from a path segment';
  return null;
}

/** The id as one path segment; call only for an id `unusableIdReason` accepts. */
export function idSegment(id: string): string {
  return encodeURIComponent(id);
}

/** A value as it can be printed safely: JSON-quoted (control characters escaped), long ones shortened. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return value.length > 64 ? `${quote(value.slice(0, 48))}… (${value.length} characters)` : quote(value);
  if (value === undefined) return 'undefined';
  const text = escapeInvisible(JSON.stringify(value) ?? String(value));
  return text.length > 64 ? `${text.slice(0, 48)}…` : text;
}

/** JSON.stringify escapes C0 controls and unpaired surrogates; this adds C1 controls, DEL and bidi controls. */
function quote(text: string): string {
  return escapeInvisible(JSON.stringify(text));
}

function escapeInvisible(text: string): string {
  return text.replace(
    /[\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function kindOf(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array (${describeValue(value)})`;
  return `${typeof value === 'object' ? 'an object' : `a ${typeof value}`} (${describeValue(value)})`;
}

/**
 * Why the URL parser would send `url` to another path than the one written, or null when it would not: a
 * dot segment (`.`, `..`, also as `%2e`), which URL resolution removes, or a backslash, which it reads as
 * `/`. For URLs built from parts (a path with an id in it) that must be sent as written.
 */
export function rewrittenPathReason(url: string): string | null {
  const path = url.replace(/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*/, '').split(/[?#]/, 1)[0] ?? '';
  if (path.includes('\\')) return 'its path has a backslash, which the URL parser reads as "/"';
  const dot = path.split('/').find((segment) => /^(?:\.|%2e){1,2}$/i.test(segment));
  return dot === undefined ? null : `its path has the dot segment ${describeValue(dot)}, which URL resolution removes`;
}
