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
 * - `timeout` bounds the wait for the response headers and, separately, for each body chunk (the connection
 *   itself is bounded by the dispatcher's connect timeout: `createHttpClient` sets it to the same); on expiry the
 *   request fails with code `ETIMEDOUT` (undici checks timeouts on a coarse timer, so expiry can be noticed
 *   up to about a second late);
 * - `signal` (AbortSignal) cancels the request (`ERR_CANCELED`);
 * - no redirect is followed and no proxy environment variable is read (undici does neither by default);
 * - a network failure rejects with an AxiosError whose `code` is the socket's (`ECONNRESET`,
 *   `ECONNREFUSED`…) when there is one. A request is never retried here, so a POST whose response was
 *   lost is not sent twice.
 */
import axios, { AxiosError, AxiosHeaders, type AxiosAdapter, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';
import type { Dispatcher } from 'undici';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

export function undiciAdapter(dispatcher: Dispatcher): AxiosAdapter {
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
    const path = `${url.pathname}${url.search}`;

    return new Promise<AxiosResponse>((resolve, reject) => {
      const signal = config.signal as AbortSignal | undefined;
      // undici hands out the abort function when the request is dispatched on a connection; an abort that
      // comes earlier (queued, connecting) is kept and applied then.
      let abortRequest: ((err?: Error) => void) | undefined;
      let abortedEarly = false;
      const canceled = (): AxiosError => new AxiosError('canceled', AxiosError.ERR_CANCELED, config);
      const onAbort = (): void => {
        if (abortRequest) abortRequest(canceled());
        else abortedEarly = true;
      };
      if (signal?.aborted) return reject(canceled());
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = (): void => signal?.removeEventListener('abort', onAbort);

      let status = 0;
      let statusText = '';
      let rawHeaders: Buffer[] = [];
      const chunks: Buffer[] = [];
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
            abortRequest = abort;
            if (abortedEarly) abort(canceled());
          },
          onHeaders(statusCode, headerList, _resume, text) {
            // 1xx informational answers come before the real one.
            if (statusCode < 200) return true;
            status = statusCode;
            statusText = text;
            rawHeaders = headerList;
            return true;
          },
          onData(chunk) {
            chunks.push(chunk);
            return true;
          },
          onComplete() {
            done();
            const response: AxiosResponse = {
              data: chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8'),
              status,
              statusText,
              headers: new AxiosHeaders(headerRecord(rawHeaders)),
              config,
              request: { method, path },
            };
            const validate = config.validateStatus;
            if (!validate || validate(status)) return resolve(response);
            reject(
              new AxiosError(
                `Request failed with status code ${status}`,
                status >= 500 ? AxiosError.ERR_BAD_RESPONSE : AxiosError.ERR_BAD_REQUEST,
                config,
                response.request,
                response,
              ),
            );
          },
          onError(err) {
            done();
            reject(err instanceof AxiosError ? err : toAxiosError(err, config, timeout));
          },
        },
      );
    });
  };
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
