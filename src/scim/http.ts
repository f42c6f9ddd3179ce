/**
 * The one HTTP seam: an axios instance configured for SCIM. The SCIM client receives it, so tests and
 * benchmarks can pass their own.
 *
 * Contract: never throws on an HTTP status (`validateStatus` accepts all; the client decides), returns the
 * body as text (so HTML or plain-text error pages can be quoted back to the user), follows no redirects,
 * and ignores proxy environment variables (traffic goes exactly where the tenant URL says).
 */
import http from 'node:http';
import https from 'node:https';
import axios, { type AxiosInstance } from 'axios';

export interface HttpOptions {
  /** Per-request timeout. @default 30000 */
  timeoutMs?: number;
  /** Sockets kept open per host; roughly the useful concurrency. @default 64 */
  maxSockets?: number;
}

export function createHttpClient(options: HttpOptions = {}): AxiosInstance {
  const maxSockets = options.maxSockets ?? 64;
  return axios.create({
    timeout: options.timeoutMs ?? 30_000,
    validateStatus: () => true,
    responseType: 'text',
    transformResponse: [(data: unknown) => data],
    maxRedirects: 0,
    proxy: false,
    httpAgent: new http.Agent({ keepAlive: true, maxSockets }),
    httpsAgent: new https.Agent({ keepAlive: true, maxSockets }),
  });
}
