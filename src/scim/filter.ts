/**
 * Entra's filter GETs (spec §1.3): only `eq`, values double-quoted, the query form-encoded
 * (`filter=userName+eq+%22abc%22`). Pure.
 *
 * NOTE (UNCONFIRMED): how Entra escapes `"` inside a value. We escape `"` and `\` with a backslash, as a
 * JSON string would be (RFC 7644 §3.4.2.2 compares against JSON string values).
 */
export function eqFilter(attribute: string, value: string): string {
  const escaped = value.includes('"') || value.includes('\\') ? value.replace(/["\\]/g, '\\$&') : value;
  return `${attribute} eq "${escaped}"`;
}

/** application/x-www-form-urlencoded encoding of one query value: spaces become `+`. */
export function formEncode(value: string): string {
  const encoded = encodeURIComponent(value);
  return encoded.includes('%20') ? encoded.replace(/%20/g, '+') : encoded;
}
