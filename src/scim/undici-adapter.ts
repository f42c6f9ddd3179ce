/**
 * An axios adapter over an undici dispatcher: axios stays the HTTP API (config, interceptors, AxiosError,
 * AxiosResponse), undici carries the bytes. axios's own Node adapter builds a `http.ClientRequest`, a
 * follow-redirects wrapper and several streams per request; on loopback that costs about five times the
 * CPU of the request itself, which is what `npm run bench` (client-efficiency) measures.
 *
 * Contract, as the parts of axios's http adapter that provsim relies on:
 * - the response body is returned as text (`responseType` other than `text`/`json` is not supported and
 *   rejected up front); axios's `transformResponse` then runs as usual;
 * - `validateStatus` is honoured (a status it refuses rejects with an AxiosError carrying the response);
 * - `timeout` is a deadline for the whole request, from dispatch to the body's last byte (waiting for a
 *   connection, connecting, the headers, the body): a server that trickles its answer cannot hold a request
 *   past it. On expiry the request is aborted and fails with code `ETIMEDOUT`. The deadline runs on a
 *   real-time clock (`systemClock` unless one is passed): it bounds a wait for a real socket, so it must
 *   never be a cycle's simulated clock. The deadlines of an adapter's requests in flight share one timer
 *   (`Deadlines`, below); none is left set once no request is in flight. undici's own header, body and
 *   connect timeouts stay set to the same value as a second net (they are checked on a coarse timer, so
 *   they fire later);
 * - `maxContentLength` (when positive) bounds the body bytes read: a `Content-Length` over it fails at the
 *   headers, a body that grows past it is aborted; the request fails with code `RESPONSE_TOO_LARGE` and the
 *   response's status and headers (its `data` empty);
 * - `signal` (AbortSignal) cancels the request (`ERR_CANCELED`), at once, even before it has a connection;
 * - no redirect is followed and no proxy environment variable is read (undici does neither by default);
 * - a network failure rejects with an AxiosError whose `code` is the socket's (`ECONNRESET`,
 *   `ECONNREFUSED`…) when there is one. A request is never retried here, so a POST whose response was
 *   lost is not sent twice.
 * Every request settles exactly once; what undici reports after that (the error of an abort) is ignored.
 */
import axios, { AxiosError, AxiosHeaders, type AxiosAdapter, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';
import type { Dispatcher } from 'undici';
import { systemClock, type Clock } from '../shared/clock.js';
import { formatBytes, RESPONSE_TOO_LARGE } from './response-limit.js';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

export interface UndiciAdapterOptions {
  /** The clock of the request deadline; a real-time one. @default systemClock */
  clock?: Clock;
}

export function undiciAdapter(dispatcher: Dispatcher, options: UndiciAdapterOptions = {}): AxiosAdapter {
  const deadlines = new Deadlines(options.clock ?? systemClock);
  return (config: InternalAxiosRequestConfig): Promise<AxiosResponse> => {
    if (config.responseType && config.responseType !== 'text' && config.responseType !== 'json') {
      return Promise.reject(
        new AxiosError(
          `the undici adapter returns text; responseType ${config.responseType} is not supported`,
          AxiosError.ERR_BAD_OPTION_VALUE,
          config,
        ),
      );
    }
    const url = new URL(config.baseURL || config.params ? axios.getUri(config) : (config.url ?? ''));
    const method = (config.method ?? 'get').toUpperCase();
    if (!METHODS.has(method))
      return Promise.reject(new AxiosError(`unsupported method ${method}`, AxiosError.ERR_BAD_OPTION_VALUE, config));
    const headers: string[] = [];
    for (const [k, v] of Object.entries(config.headers.toJSON(true) as Record<string, unknown>))
      if (v !== undefined && v !== null && v !== false) headers.push(k, String(v));
    let body: string | Buffer | Uint8Array | undefined;
    try {
      body = requestBody(config.data, config);
    } catch (err) {
      return Promise.reject(err as Error);
    }
    const timeout = config.timeout && config.timeout > 0 ? config.timeout : undefined;
    const limit = config.maxContentLength && config.maxContentLength > 0 ? config.maxContentLength : undefined;
    const path = `${url.pathname}${url.search}`;
    const request = { method, path };

    return new Promise<AxiosResponse>((resolve, reject) => {
      const signal = config.signal as AbortSignal | undefined;
      if (signal?.aborted) return reject(canceledError(config));
      // undici hands out the abort function when the request is dispatched on a connection; an abort that
      // comes earlier (queued, connecting) settles the request at once and is applied then.
      let abortRequest: ((err?: Error) => void) | undefined;
      let pendingAbort: Error | undefined;
      let settled = false;
      let deadline: Deadline | undefined;
      const onAbort = (): void => abortWith(canceledError(config));
      const settle = (outcome: () => void): boolean => {
        if (settled) return false;
        settled = true;
        if (deadline) deadlines.remove(deadline);
        signal?.removeEventListener('abort', onAbort);
        outcome();
        return true;
      };
      const abortWith = (err: AxiosError): void => {
        if (!settle(() => reject(err))) return;
        if (abortRequest) abortRequest(err);
        else pendingAbort = err;
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      if (timeout)
        deadline = deadlines.add(timeout, () =>
          abortWith(new AxiosError(`timeout of ${timeout}ms exceeded`, AxiosError.ETIMEDOUT, config, request)),
        );

      let status = 0;
      let statusText = '';
      let rawHeaders: Buffer[] = [];
      let received = 0;
      const chunks: Buffer[] = [];
      const tooLarge = (what: string): AxiosError =>
        new AxiosError(
          `the response body ${what}, more than the ${formatBytes(limit ?? 0)} provsim reads of a response`,
          RESPONSE_TOO_LARGE,
          config,
          request,
          { data: '', status, statusText, headers: new AxiosHeaders(headerRecord(rawHeaders)), config, request },
        );
      dispatcher.dispatch(
        {
          origin: url.origin,
          path,
          method: method as Dispatcher.HttpMethod,
          headers,
          body: body ?? null,
          ...(timeout ? { headersTimeout: timeout, bodyTimeout: timeout } : {}),
        },
        {
          onConnect(abort) {
            if (settled) return abort(pendingAbort ?? canceledError(config));
            abortRequest = abort;
          },
          onHeaders(statusCode, headerList, _resume, text) {
            if (settled) return false;
            // 1xx informational answers come before the real one.
            if (statusCode < 200) return true;
            status = statusCode;
            statusText = text;
            rawHeaders = headerList;
            const announced = limit === undefined ? undefined : contentLength(headerList);
            if (announced !== undefined && announced > limit!) {
              abortWith(tooLarge(`is ${announced} bytes (Content-Length)`));
              return false;
            }
            return true;
          },
          onData(chunk) {
            if (settled) return false;
            received += chunk.length;
            if (limit !== undefined && received > limit) {
              abortWith(tooLarge(`was still coming after ${received} bytes`));
              return false;
            }
            chunks.push(chunk);
            return true;
          },
          onComplete() {
            const response: AxiosResponse = {
              data: chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8'),
              status,
              statusText,
              headers: new AxiosHeaders(headerRecord(rawHeaders)),
              config,
              request,
            };
            const validate = config.validateStatus;
            if (!validate || validate(status)) return void settle(() => resolve(response));
            settle(() =>
              reject(
                new AxiosError(
                  `Request failed with status code ${status}`,
                  status >= 500 ? AxiosError.ERR_BAD_RESPONSE : AxiosError.ERR_BAD_REQUEST,
                  config,
                  request,
                  response,
                ),
              ),
            );
          },
          onError(err) {
            settle(() => reject(err instanceof AxiosError ? err : toAxiosError(err, config, timeout)));
          },
        },
      );
    });
  };
}

interface Deadline {
  /** When it expires, in ms of the clock. */
  at: number;
  expire: () => void;
  prev: Deadline | null;
  next: Deadline | null;
}

/** The reason a deadline timer is cancelled with: a constant, so no DOMException (and stack) is made per cancel. */
const NO_LONGER_NEEDED = Object.freeze({ reason: 'no deadline left to wait for' });

/**
 * The deadlines of one adapter's requests in flight, under one timer instead of a timer, an AbortController
 * and an abort listener per request: cancelling those (`abort()` makes a DOMException with its stack) took
 * about a tenth of a 10,000-user cycle's CPU (client-efficiency benchmark, CPU profile).
 *
 * Invariants: the list is ordered by `at` (requests of one timeout are added in deadline order, so an
 * insertion is O(1); another timeout walks back from the end) and a removal is O(1). While the list is not
 * empty, one timer is set, for no later than its first deadline: when it fires, every deadline that has come
 * expires (in order), and it is set again for the next one. When the list empties the timer is cancelled,
 * so an idle adapter holds no timer (nothing keeps the process alive, as with a timer per request). A
 * deadline expires once, never before its instant on the clock, and never after its request has settled
 * (settling removes it).
 */
class Deadlines {
  readonly #clock: Clock;
  #first: Deadline | null = null;
  #last: Deadline | null = null;
  /** The timer set, and the instant it fires at. */
  #timer: AbortController | null = null;
  #timerAt = Infinity;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  add(timeoutMs: number, expire: () => void): Deadline {
    const d: Deadline = { at: this.#clock.now().getTime() + timeoutMs, expire, prev: null, next: null };
    let before = this.#last;
    while (before !== null && before.at > d.at) before = before.prev;
    d.prev = before;
    d.next = before === null ? this.#first : before.next;
    if (d.next === null) this.#last = d;
    else d.next.prev = d;
    if (before === null) this.#first = d;
    else before.next = d;
    if (d.at < this.#timerAt) this.#arm(d.at);
    return d;
  }

  /** Forgets a deadline whose request settled; removing one twice is harmless. */
  remove(d: Deadline): void {
    if (d.prev === null && this.#first !== d) return;
    if (d.prev === null) this.#first = d.next;
    else d.prev.next = d.next;
    if (d.next === null) this.#last = d.prev;
    else d.next.prev = d.prev;
    d.prev = d.next = null;
    if (this.#first === null) this.#disarm();
  }

  #arm(at: number): void {
    this.#disarm();
    const timer = new AbortController();
    this.#timer = timer;
    this.#timerAt = at;
    void this.#clock.sleep(at - this.#clock.now().getTime(), timer.signal).then(
      () => {
        if (this.#timer !== timer) return;
        this.#timer = null;
        this.#timerAt = Infinity;
        this.#fire();
      },
      () => {
        // Cancelled: the list emptied, or an earlier deadline came.
      },
    );
  }

  #disarm(): void {
    const timer = this.#timer;
    if (timer === null) return;
    this.#timer = null;
    this.#timerAt = Infinity;
    timer.abort(NO_LONGER_NEEDED);
  }

  #fire(): void {
    const now = this.#clock.now().getTime();
    let d = this.#first;
    while (d !== null && d.at <= now) {
      this.remove(d);
      d.expire();
      d = this.#first;
    }
    // Expiring settles the request, which removes nothing more (its deadline is gone already); a timer set
    // meanwhile (by a request started in `expire`) is kept when it is early enough.
    if (d !== null && d.at < this.#timerAt) this.#arm(d.at);
  }
}

function canceledError(config: InternalAxiosRequestConfig): AxiosError {
  return new AxiosError('canceled', AxiosError.ERR_CANCELED, config);
}

const CONTENT_LENGTH = Buffer.from('content-length', 'latin1');

/** The Content-Length of raw response headers, when there is one readable number. */
function contentLength(raw: readonly Buffer[]): number | undefined {
  for (let i = 0; i + 1 < raw.length; i += 2)
    if (isContentLength(raw[i]!)) {
      const value = raw[i + 1]!.toString('latin1').trim();
      return /^[0-9]+$/.test(value) ? Number(value) : undefined;
    }
  return undefined;
}

/** Whether a raw header name is `Content-Length`, in any case, without making a string of every name. */
function isContentLength(name: Buffer): boolean {
  if (name.length !== CONTENT_LENGTH.length) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name[i]!;
    // ASCII upper case to lower case; other bytes as they are.
    if ((c >= 0x41 && c <= 0x5a ? c | 0x20 : c) !== CONTENT_LENGTH[i]) return false;
  }
  return true;
}

/** Raw `[name, value, name, value…]` header buffers as a record: names lower-cased, repeated names joined. */
function headerRecord(raw: readonly Buffer[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toString('latin1').toLowerCase();
    const value = raw[i + 1]!.toString('latin1');
    const prev = out[name];
    out[name] = prev === undefined ? value : name === 'set-cookie' ? `${prev}\n${value}` : `${prev}, ${value}`;
  }
  return out;
}

function requestBody(data: unknown, config: InternalAxiosRequestConfig): string | Buffer | Uint8Array | undefined {
  if (data === undefined || data === null) return undefined;
  if (typeof data === 'string' || Buffer.isBuffer(data) || data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  throw new AxiosError(
    `the undici adapter sends strings and buffers; got ${typeof data === 'object' ? (data.constructor?.name ?? 'object') : typeof data}`,
    AxiosError.ERR_BAD_OPTION_VALUE,
    config,
  );
}

function toAxiosError(err: unknown, config: InternalAxiosRequestConfig, timeout: number | undefined): AxiosError {
  const e = err as { code?: string; name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.code === 'UND_ERR_HEADERS_TIMEOUT' || e.code === 'UND_ERR_BODY_TIMEOUT' || e.code === 'UND_ERR_CONNECT_TIMEOUT') {
    return new AxiosError(`timeout of ${timeout ?? 0}ms exceeded`, AxiosError.ETIMEDOUT, config);
  }
  if (e.name === 'AbortError' || e.code === 'UND_ERR_ABORTED') return new AxiosError('canceled', AxiosError.ERR_CANCELED, config);
  // undici wraps socket failures (UND_ERR_SOCKET) around the socket's own error.
  const code = e.cause?.code ?? e.code ?? 'ERR_NETWORK';
  const message =
    e.cause?.message && e.cause.message !== e.message
      ? `${e.message ?? 'network error'} (${e.cause.message})`
      : (e.message ?? 'network error');
  return new AxiosError(message, code, config);
}
