/**
 * The SCIM client: exactly the requests Entra sends (spec §1), over an injected axios instance.
 *
 * Every failure becomes a ScimRequestError carrying method, URL, status, the SCIM error body and Entra's
 * error code. The bearer token lives only in the request headers built here; it is never part of an
 * error, a log line or a hook event. Retries are not done here (see engine/retry.ts): one call, one request.
 *
 * Nothing a server answers is trusted: every resource it returns (a POST's, a GET's, each entry of a
 * filter's ListResponse) must be an object with an id usable as one URL path segment (resource-id.ts), or
 * the call fails with a ServiceIncompatibleError naming the server as the cause, before the id can be
 * linked or put in a URL. An id that breaks the rule anyway (a link stored by an earlier version) is
 * refused before any request, so the URL in a request event or an error is always the URL sent; a refused
 * request's error names the URL with `{id}` in place of the id, and says it was not sent.
 */
import { AxiosHeaders, type Axios, type AxiosRequestConfig, type AxiosResponse } from 'axios';
import { ScimRequestError, type ScimErrorBody } from '../shared/errors.js';
import type { Clock } from '../shared/clock.js';
import { entraCodeForStatus } from './error-codes.js';
import { eqFilter, formEncode } from './filter.js';
import { describeValue, idSegment, unusableIdReason } from './resource-id.js';
import { formatBytes, isResponseTooLarge, MAX_RESPONSE_BYTES, RESPONSE_TOO_LARGE } from './response-limit.js';
import { parseRetryAfter } from './retry-after.js';
import { SERVICE_INCOMPATIBLE, ServiceIncompatibleError } from './service-incompatible.js';
import type { ListResponse, PatchOperation, ResourceType, ScimResource } from './types.js';
import { PATCH_OP_SCHEMA } from './types.js';
import { parseJsonBody, plainHeaders } from './response-body.js';

export interface RequestEvent {
  method: string;
  url: string;
  status: number | null;
  durationMs: number;
  /** When the request was sent (the injected clock). */
  startedAt: string;
  /** Request headers as sent, with the Authorization value replaced by `Bearer [REDACTED]`. */
  requestHeaders: Record<string, string>;
  /** Request body as sent. */
  body?: unknown;
  /** Response headers and body text (absent when no response arrived). */
  responseHeaders?: Record<string, string>;
  responseBody?: string;
  /** Why no response arrived (timeout, reset…). */
  error?: string;
}

export interface ScimClientOptions {
  /** The tenant URL without its query string, e.g. `http://127.0.0.1:8080/scim/v2`. */
  baseUrl: string;
  http: Axios;
  /** Sent as `Authorization: Bearer <token>`; null sends no Authorization header. */
  token: string | null;
  clock: Clock;
  /** Called after every request (for counters and transcripts). Never receives headers. */
  onRequest?: (event: RequestEvent) => void;
  /**
   * Aborts every request in flight, and fails the ones after it at once (SIGTERM: stop now). The server may
   * or may not have acted on an aborted request: the engine checks the target again in the next cycle.
   */
  signal?: AbortSignal;
  /** The Content-Type of requests with a body. @default contentTypeFor(the default quirks): with charset */
  contentType?: string;
}

/** The Content-Type of requests with a body (quirk charsetInContentType; evidence in scim/quirks.ts). */
export function contentTypeFor(quirks: { charsetInContentType: boolean }): string {
  return quirks.charsetInContentType ? 'application/scim+json; charset=utf-8' : 'application/scim+json';
}
const USABLE_ID = 'every resource needs a non-empty id usable as one URL path segment (RFC 7643 §3.1)';

export class ScimClient {
  readonly baseUrl: string;
  readonly #http: Axios;
  readonly #token: string | null;
  readonly #clock: Clock;
  readonly #onRequest: ((event: RequestEvent) => void) | undefined;
  readonly #signal: AbortSignal | undefined;
  /**
   * The request headers, without and with a body, built once: axios copies a request's headers before it
   * changes anything (it merges them into headers of its own), so these are never written to. The redacted
   * copies are what request events report (each event gets its own copy).
   */
  readonly #headers: { bare: Record<string, string>; withBody: Record<string, string> };
  readonly #redacted: { bare: Record<string, string>; withBody: Record<string, string> };
  /** The last request's start and its ISO form: requests started in the same millisecond share the text. */
  #startedAt = { ms: Number.NaN, iso: '' };

  constructor(options: ScimClientOptions) {
    if (typeof options.baseUrl !== 'string' || !/^https?:\/\//.test(options.baseUrl)) {
      throw new TypeError(`Expected \`baseUrl\` to be an http(s) URL, got \`${String(options.baseUrl)}\``);
    }
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#http = options.http;
    this.#token = options.token;
    this.#clock = options.clock;
    this.#onRequest = options.onRequest;
    this.#signal = options.signal;
    const contentType = options.contentType ?? contentTypeFor({ charsetInContentType: true });
    const bare: Record<string, string> = {};
    if (this.#token !== null) bare['Authorization'] = `Bearer ${this.#token}`;
    this.#headers = { bare, withBody: { ...bare, 'Content-Type': contentType } };
    this.#redacted = { bare: redactedHeaders(bare), withBody: redactedHeaders(this.#headers.withBody) };
  }

  /** `GET /Users?filter=attr eq "value"` (groups: `?excludedAttributes=members&filter=…`). Returns the matches. */
  async filter(resource: ResourceType, attribute: string, value: string): Promise<Array<ScimResource & { id: string }>> {
    const query =
      resource === 'Groups'
        ? `excludedAttributes=members&filter=${formEncode(eqFilter(attribute, value))}`
        : `filter=${formEncode(eqFilter(attribute, value))}`;
    const url = `${this.baseUrl}/${resource}?${query}`;
    const response = await this.#send('GET', url, undefined, false);
    if (response.status === 404) {
      throw new ServiceIncompatibleError({
        method: 'GET',
        url,
        status: 404,
        scimError: readScimError(response.data),
        bodyText: readScimError(response.data) ? null : truncate(response.data),
        reason: 'a filter that matches nothing must answer 200 with an empty ListResponse, not 404 (Entra quarantines the job for this)',
      });
    }
    this.#throwUnlessOk(response, 'GET', url, false);
    const list = parseJsonBody(response.data);
    const incompatible = (reason: string): ServiceIncompatibleError =>
      new ServiceIncompatibleError({ method: 'GET', url, status: response.status, bodyText: truncate(response.data), reason });
    if (!isListResponse(list)) throw incompatible('the response is not a SCIM ListResponse');
    const resources: unknown[] = list.Resources ?? [];
    if (list.totalResults > 0 && resources.length === 0)
      throw incompatible(`totalResults is ${list.totalResults} but Resources is missing or empty`);
    resources.forEach((r, i) => {
      const problem = resourceProblem(r, `Resources[${i}]`, `the server listed a resource (Resources[${i}]) with`);
      if (problem) throw incompatible(`${problem}; ${USABLE_ID}`);
    });
    const found = resources as Array<ScimResource & { id: string }>;
    if (resource === 'Groups') for (const r of found) this.#rejectMembers(r, 'GET', url, response.status);
    return found;
  }

  /** `GET /Users/{id}` (groups with `?excludedAttributes=members`). Null on 404. */
  async get(resource: ResourceType, id: string): Promise<(ScimResource & { id: string }) | null> {
    const url = this.#resourceUrl('GET', resource, id, resource === 'Groups' ? '?excludedAttributes=members' : '');
    const response = await this.#send('GET', url, undefined, true);
    if (response.status === 404) return null;
    this.#throwUnlessOk(response, 'GET', url, true);
    const body = parseJsonBody(response.data);
    const problem = resourceProblem(body, 'the response');
    if (problem)
      throw new ServiceIncompatibleError({
        method: 'GET',
        url,
        status: response.status,
        bodyText: truncate(response.data),
        reason: `${problem}; ${USABLE_ID}`,
      });
    const found = body as ScimResource & { id: string };
    if (resource === 'Groups') this.#rejectMembers(found, 'GET', url, response.status);
    return found;
  }

  /** `POST /Users` → the created resource (must carry `id`). */
  async create(resource: ResourceType, body: ScimResource): Promise<ScimResource & { id: string }> {
    const url = `${this.baseUrl}/${resource}`;
    const response = await this.#send('POST', url, body, false);
    this.#throwUnlessOk(response, 'POST', url, false);
    const created = parseJsonBody(response.data);
    const problem = resourceProblem(created, 'the created resource');
    if (problem)
      throw new ServiceIncompatibleError({
        method: 'POST',
        url,
        status: response.status,
        bodyText: truncate(response.data),
        // The server did create something: the next cycle's filter finds it, and refuses its id again.
        reason: `${problem}; the object may exist on the server, but provsim cannot address it and does not link it; ${USABLE_ID}`,
      });
    return created as ScimResource & { id: string };
  }

  /** `PATCH /Users/{id}` with a PatchOp body. 200 and 204 are both success. */
  async patch(resource: ResourceType, id: string, operations: PatchOperation[]): Promise<void> {
    const url = this.#resourceUrl('PATCH', resource, id);
    const response = await this.#send('PATCH', url, { schemas: [PATCH_OP_SCHEMA], Operations: operations }, true);
    this.#throwUnlessOk(response, 'PATCH', url, true);
  }

  /** `DELETE /Users/{id}`. A 404 is reported as `'not-found'` (the object is gone either way). */
  async delete(resource: ResourceType, id: string): Promise<'deleted' | 'not-found'> {
    const url = this.#resourceUrl('DELETE', resource, id);
    const response = await this.#send('DELETE', url, undefined, true);
    if (response.status === 404) return 'not-found';
    this.#throwUnlessOk(response, 'DELETE', url, true);
    return 'deleted';
  }

  /** `{base}/{resource}/{id}{query}`; an id that cannot be one path segment is refused, and nothing is sent. */
  #resourceUrl(method: string, resource: ResourceType, id: string, query = ''): string {
    const why = unusableIdReason(id);
    if (why === null) return `${this.baseUrl}/${resource}/${idSegment(id)}${query}`;
    throw new ServiceIncompatibleError({
      method,
      url: `${this.baseUrl}/${resource}/{id}${query}`,
      status: null,
      reason: `not sent: the server gave this object the id ${describeValue(id)}, which cannot be used in a URL: ${why}; ${USABLE_ID}`,
    });
  }

  async #send(method: string, url: string, body: unknown, linked: boolean): Promise<AxiosResponse<string>> {
    const hasBody = body !== undefined;
    const config: AxiosRequestConfig = {
      method,
      url,
      headers: hasBody ? this.#headers.withBody : this.#headers.bare,
      data: hasBody ? JSON.stringify(body) : undefined,
    };
    if (this.#signal) config.signal = this.#signal;
    const started = this.#clock.now().getTime();
    let response: AxiosResponse<string>;
    try {
      response = await this.#http.request<string>(config);
    } catch (err) {
      const code = (err as { code?: string }).code;
      const timedOut = code === 'ECONNABORTED' || code === 'ETIMEDOUT';
      const tooLarge = isResponseTooLarge(err);
      // The status of an answer whose body was too large; null for every other failure (no answer).
      const status = tooLarge ? responseStatus(err) : null;
      this.#onRequest?.({
        method,
        url,
        status,
        durationMs: this.#clock.now().getTime() - started,
        startedAt: this.#iso(started),
        requestHeaders: { ...(hasBody ? this.#redacted.withBody : this.#redacted.bare) },
        body,
        error: `${code ?? 'network error'}: ${(err as Error).message}`,
      });
      // The axios error holds the request config (headers, token): keep only its code and message.
      if (tooLarge)
        throw new ServiceIncompatibleError({
          method,
          url,
          status,
          reason:
            `${code === RESPONSE_TOO_LARGE ? (err as Error).message : `the response body is over the ${formatBytes(MAX_RESPONSE_BYTES)} provsim reads of a response (${(err as Error).message})`}; ` +
            'a SCIM answer to this request is a few kilobytes: check what the server sends here',
        });
      throw new ScimRequestError({
        method,
        url,
        status: null,
        entraCode: timedOut ? 'Timeout' : 'WebExceptionProtocolError',
        network: code ?? 'network error',
        reason: `${code ?? 'network error'}: ${(err as Error).message}`,
      });
    }
    this.#onRequest?.({
      method,
      url,
      status: response.status,
      durationMs: this.#clock.now().getTime() - started,
      startedAt: this.#iso(started),
      requestHeaders: { ...(hasBody ? this.#redacted.withBody : this.#redacted.bare) },
      body,
      responseHeaders: responseHeaders(response.headers),
      responseBody: typeof response.data === 'string' ? response.data : '',
    });
    return response;
  }

  #iso(ms: number): string {
    if (ms !== this.#startedAt.ms) this.#startedAt = { ms, iso: new Date(ms).toISOString() };
    return this.#startedAt.iso;
  }

  #throwUnlessOk(response: AxiosResponse<string>, method: string, url: string, linked: boolean): void {
    if (response.status >= 200 && response.status < 300) return;
    const scimError = readScimError(response.data);
    const retryAfter = headerValue(response.headers, 'retry-after');
    throw new ScimRequestError({
      method,
      url,
      status: response.status,
      scimError,
      bodyText: scimError ? null : truncate(response.data),
      entraCode: entraCodeForStatus(response.status, scimError, { linked, method }),
      retryAfterMs: parseRetryAfter(retryAfter, this.#clock.now()),
    });
  }

  #rejectMembers(resource: ScimResource, method: string, url: string, status: number): void {
    const members = resource['members'];
    if (Array.isArray(members) && members.length > 0) {
      throw new ScimRequestError({
        method,
        url,
        status,
        entraCode: 'SystemForCrossDomainIdentityManagementMultipleEntriesInResponse',
        reason: `the group came back with ${members.length} members although the request said excludedAttributes=members`,
      });
    }
  }
}

function redactedHeaders(headers: Record<string, string>): Record<string, string> {
  return 'Authorization' in headers ? { ...headers, Authorization: 'Bearer [REDACTED]' } : { ...headers };
}

/**
 * A response's headers as plain strings (plainHeaders), read straight from an AxiosHeaders: it holds each
 * header as an own enumerable property, which is what its `toJSON` copies (leaving out null, undefined and
 * false), so the copy and the entries array plainHeaders goes through are not needed.
 */
function responseHeaders(headers: unknown): Record<string, string> {
  if (!(headers instanceof AxiosHeaders)) return plainHeaders(headers);
  const own = headers as unknown as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const k of Object.keys(own)) {
    const v = own[k];
    if (v !== undefined && v !== null && v !== false) out[k] = Array.isArray(v) ? v.join(', ') : String(v);
  }
  return out;
}

function headerValue(headers: unknown, name: string): string | undefined {
  if (!headers || typeof headers !== 'object') return undefined;
  const getter = (headers as { get?: (n: string) => unknown }).get;
  const value = typeof getter === 'function' ? getter.call(headers, name) : (headers as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : Array.isArray(value) ? String(value[0]) : undefined;
}

function readScimError(text: unknown): ScimErrorBody | null {
  const body = parseJsonBody(text);
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const b = body as Record<string, unknown>;
    if (Array.isArray(b['schemas']) || 'detail' in b || 'status' in b || 'scimType' in b) return b as ScimErrorBody;
  }
  return null;
}

function truncate(text: unknown, max = 500): string | null {
  if (typeof text !== 'string' || text === '') return null;
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function isListResponse(v: unknown): v is ListResponse {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  return typeof o['totalResults'] === 'number' && (o['Resources'] === undefined || Array.isArray(o['Resources']));
}

/**
 * Why `value` is not a resource provsim can use (an object with a usable id), or null when it is one. `what`
 * names it in the message; `given` says how the server handed out its id.
 */
function resourceProblem(value: unknown, what: string, given = 'the server gave this object'): string | null {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    const kind =
      value === null ? 'null' : Array.isArray(value) ? 'an array' : value === undefined ? 'missing or not JSON' : `a ${typeof value}`;
    return `${what} is ${kind}, not a SCIM resource`;
  }
  const id = (value as Record<string, unknown>)['id'];
  if (id === undefined) return `${what} has no "id"`;
  const why = unusableIdReason(id);
  return why === null ? null : `${given} the id ${describeValue(id)}, which cannot be used in a URL: ${why}`;
}

function responseStatus(err: unknown): number | null {
  const status = (err as { response?: { status?: unknown } }).response?.status;
  return typeof status === 'number' && status > 0 ? status : null;
}
