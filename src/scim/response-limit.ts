/**
 * The most of a response body provsim reads: 16 MiB. A SCIM answer to what provsim asks is small (a
 * resource, a filter's few matches; groups are read without members), and the largest legitimate one,
 * a group read with its members by `conformance`, is about 6 MB at 100,000 members. Beyond the bound the
 * transport stops reading (a Content-Length over it is refused before the body) and the request fails with
 * `RESPONSE_TOO_LARGE`, so a hostile or broken server cannot make provsim hold gigabytes.
 */
export const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

/** The AxiosError code of a response over the bound (undici transport). */
export const RESPONSE_TOO_LARGE = 'ERR_RESPONSE_TOO_LARGE';

/** Whether an error from the HTTP seam is a response over the bound, from either transport. */
export function isResponseTooLarge(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  // axios's own Node adapter (transport 'node') reports `maxContentLength size of N exceeded`.
  return e.code === RESPONSE_TOO_LARGE || (e.code === 'ERR_BAD_RESPONSE' && /maxContentLength/.test(String(e.message)));
}

/** `16 MiB`, `512 KiB`, `900 bytes`. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KiB`;
  return `${bytes} bytes`;
}
