/**
 * `Retry-After` (RFC 9110 §10.2.3): delay-seconds or an HTTP date. Pure; `now` is passed in.
 * Returns milliseconds to wait (never negative), or null when absent or unreadable.
 */
export function parseRetryAfter(header: string | undefined | null, now: Date): number | null {
  if (header === undefined || header === null) return null;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now.getTime());
}
