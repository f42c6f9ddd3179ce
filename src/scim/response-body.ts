/** Reading HTTP responses without trusting them: headers as plain strings, bodies as JSON when they are. */

/** Response headers (an AxiosHeaders or a plain object) as a plain record of strings; multi-values joined. */
export function plainHeaders(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers || typeof headers !== 'object') return out;
  const json =
    typeof (headers as { toJSON?: () => unknown }).toJSON === 'function' ? (headers as { toJSON: () => unknown }).toJSON() : headers;
  for (const [k, v] of Object.entries(json as Record<string, unknown>))
    if (v !== undefined && v !== null) out[k] = Array.isArray(v) ? v.join(', ') : String(v);
  return out;
}

/** The body parsed as JSON, or undefined when it is empty, not text, or not JSON (HTML error pages…). */
export function parseJsonBody(text: unknown): unknown {
  // Only whitespace is not JSON either (JSON.parse throws, below): no trimmed copy of every body is made.
  if (typeof text !== 'string' || text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
