/**
 * The one HTTP seam: an axios client configured for SCIM. The SCIM client receives it, so tests and
 * benchmarks can pass their own (any `Axios`, an `axios.create()` instance included).
 *
 * Contract: never throws on an HTTP status (`validateStatus` accepts all; the client decides), returns the
 * body as text (so HTML or plain-text error pages can be quoted back to the user), sends string bodies as
 * given (the SCIM client serialises JSON itself), adds no headers of its own (no `Accept`, no
 * `User-Agent`: Entra is reported to send neither reliably, spec §1), follows no redirects, and ignores
 * proxy environment variables (traffic goes exactly where the tenant URL says).
 *
 * It is a bare `new Axios(config)`, not `axios.create()`: axios merges the instance defaults into every
 * request's config, and the library defaults (header tables per method, transitional options…) made that
 * merge the largest single cost of a request on loopback.
 *
 * Bounds: `timeoutMs` is a deadline for the whole request (connection, headers, body: a server trickling
 * its answer cannot hold a request past it); at most `maxResponseBytes` of a response body are read
 * (response-limit.ts), so a huge body fails the request instead of filling memory.
 *
 * Transport: by default the bytes go through undici (`undici-adapter.ts`), keep-alive, `maxSockets`
 * connections per origin. `transport: 'node'` uses axios's own adapter over `node:http`, which is what
 * nock intercepts: the tests that pin wire shapes with nock use it; everything else, the end-to-end tests
 * included, runs on undici. Its timeout is axios's (the socket's idle time, not a deadline): it is for
 * tests against nock, never for a real server.
 */
import http from 'node:http';
import https from 'node:https';
import { Axios } from 'axios';
import { Agent } from 'undici';
import { MAX_RESPONSE_BYTES } from './response-limit.js';
import { DEFAULT_TIMEOUT_MS } from './types.js';
import { undiciAdapter } from './undici-adapter.js';

export interface HttpOptions {
  /** Deadline of each request, from dispatch to the last byte of the body. @default DEFAULT_TIMEOUT_MS */
  timeoutMs?: number;
  /** The most of a response body read; more fails the request. @default MAX_RESPONSE_BYTES (16 MiB) */
  maxResponseBytes?: number;
  /** Connections kept open per origin; roughly the useful concurrency. @default 64 */
  maxSockets?: number;
  /** @default 'undici' */
  transport?: 'undici' | 'node';
}

export function createHttpClient(options: HttpOptions = {}): Axios {
  const maxSockets = options.maxSockets ?? 64;
  const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxContentLength = options.maxResponseBytes ?? MAX_RESPONSE_BYTES;
  const validateStatus = (): boolean => true;
  if (options.transport === 'node') {
    return new Axios({
      adapter: 'http',
      timeout,
      maxContentLength,
      validateStatus,
      responseType: 'text',
      maxRedirects: 0,
      proxy: false,
      httpAgent: new http.Agent({ keepAlive: true, maxSockets }),
      httpsAgent: new https.Agent({ keepAlive: true, maxSockets }),
    });
  }
  return new Axios({
    adapter: undiciAdapter(createUndiciAgent({ maxSockets, timeoutMs: timeout })),
    timeout,
    maxContentLength,
    validateStatus,
  });
}

/**
 * The undici dispatcher of `createHttpClient`'s default transport: `maxSockets` keep-alive connections per
 * origin, no pipelining, idle connections closed after 4 s, connecting bounded by `timeoutMs`. Exported so
 * that a benchmark's reference client carries its bytes exactly as provsim does.
 */
export function createUndiciAgent(options: { maxSockets?: number; timeoutMs?: number } = {}): Agent {
  return new Agent({
    connections: options.maxSockets ?? 64,
    pipelining: 1,
    keepAliveTimeout: 4_000,
    connect: { timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS },
  });
}
