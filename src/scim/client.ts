/**
 * The SCIM client: exactly the requests Entra sends (spec §1), over an injected axios instance.
 *
 * Every failure becomes a ScimRequestError carrying method, URL, status, the SCIM error body and Entra's
 * error code. The bearer token lives only in the request headers built here; it is never part of an
 * error, a log line or a hook event. Retries are not done here (see engine/retry.ts): one call, one request.
 */
import type { Axios, AxiosResponse } from 'axios';
import { ScimRequestError, type ScimErrorBody } from '../shared/errors.js';
import type { Clock } from '../shared/clock.js';
import { entraCodeForStatus } from './error-codes.js';
import { eqFilter, formEncode } from './filter.js';
import { parseRetryAfter } from './retry-after.js';
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
  /** The Content-Type of requests with a body. @default contentTypeFor(the default quirks): with charset */
  contentType?: string;
}

/** The Content-Type of requests with a body (quirk charsetInContentType; evidence in scim/quirks.ts). */
export function contentTypeFor(quirks: { charsetInContentType: boolean }): string {
  return quirks.charsetInContentType ? 'application/scim+json; charset=utf-8' : 'application/scim+json';
}
const SERVICE_INCOMPATIBLE = 'SystemForCrossDomainIdentityManagementServiceIncompatible';

export class ScimClient {
  readonly baseUrl: string;
  readonly #http: Axios;
  readonly #token: string | null;
  readonly #clock: Clock;
  readonly #onRequest: ((event: RequestEvent) => void) | undefined;
  readonly #contentType: string;

  constructor(options: ScimClientOptions) {
    if (typeof options.baseUrl !== 'string' || !/^https?:\/\//.test(options.baseUrl)) {
      throw new TypeError(`Expected \`baseUrl\` to be an http(s) URL, got \`${String(options.baseUrl)}\``);
    }
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#http = options.http;
    this.#token = options.token;
    this.#clock = options.clock;
    this.#onRequest = options.onRequest;
    this.#contentType = options.contentType ?? contentTypeFor({ charsetInContentType: true });
  }

  /** `GET /Users?filter=attr eq "value"` (groups: `?excludedAttributes=members&filter=…`). Returns the matches. */
  async filter(resource: ResourceType, attribute: string, value: string): Promise<ScimResource[]> {
    const query =
      resource === 'Groups'
        ? `excludedAttributes=members&filter=${formEncode(eqFilter(attribute, value))}`
        : `filter=${formEncode(eqFilter(attribute, value))}`;
    const url = `${this.baseUrl}/${resource}?${query}`;
    const response = await this.#send('GET', url, undefined, false);
    if (response.status === 404) {
      throw new ScimRequestError({
        method: 'GET',
        url,
        status: 404,
        scimError: readScimError(response.data),
        bodyText: readScimError(response.data) ? null : truncate(response.data),
        entraCode: SERVICE_INCOMPATIBLE,
        reason: 'a filter that matches nothing must answer 200 with an empty ListResponse, not 404 (Entra quarantines the job for this)',
      });
    }
    this.#throwUnlessOk(response, 'GET', url, false);
    const list = parseJsonBody(response.data);
    if (!isListResponse(list)) {
      throw new ScimRequestError({
        method: 'GET',
        url,
        status: response.status,
        bodyText: truncate(response.data),
        entraCode: SERVICE_INCOMPATIBLE,
        reason: 'the response is not a SCIM ListResponse',
      });
    }
    const resources = list.Resources ?? [];
    if (list.totalResults > 0 && resources.length === 0) {
      throw new ScimRequestError({
        method: 'GET',
        url,
        status: response.status,
        bodyText: truncate(response.data),
        entraCode: SERVICE_INCOMPATIBLE,
        reason: `totalResults is ${list.totalResults} but Resources is missing or empty`,
      });
    }
    if (resource === 'Groups') for (const r of resources) this.#rejectMembers(r, 'GET', url, response.status);
    return resources;
  }

  /** `GET /Users/{id}` (groups with `?excludedAttributes=members`). Null on 404. */
  async get(resource: ResourceType, id: string): Promise<ScimResource | null> {
    const url = `${this.baseUrl}/${resource}/${encodeURIComponent(id)}${resource === 'Groups' ? '?excludedAttributes=members' : ''}`;
    const response = await this.#send('GET', url, undefined, true);
    if (response.status === 404) return null;
    this.#throwUnlessOk(response, 'GET', url, true);
    const body = parseJsonBody(response.data);
    if (!isResource(body)) {
      throw new ScimRequestError({
        method: 'GET',
        url,
        status: response.status,
        bodyText: truncate(response.data),
        entraCode: SERVICE_INCOMPATIBLE,
        reason: 'the response is not a SCIM resource with an id',
      });
    }
    if (resource === 'Groups') this.#rejectMembers(body, 'GET', url, response.status);
    return body;
  }

  /** `POST /Users` → the created resource (must carry `id`). */
  async create(resource: ResourceType, body: ScimResource): Promise<ScimResource> {
    const url = `${this.baseUrl}/${resource}`;
    const response = await this.#send('POST', url, body, false);
    this.#throwUnlessOk(response, 'POST', url, false);
    const created = parseJsonBody(response.data);
    if (!isResource(created)) {
      throw new ScimRequestError({
        method: 'POST',
        url,
        status: response.status,
        bodyText: truncate(response.data),
        entraCode: SERVICE_INCOMPATIBLE,
        reason: 'the created resource was not returned with an id',
      });
    }
    return created;
  }

  /** `PATCH /Users/{id}` with a PatchOp body. 200 and 204 are both success. */
  async patch(resource: ResourceType, id: string, operations: PatchOperation[]): Promise<void> {
    const url = `${this.baseUrl}/${resource}/${encodeURIComponent(id)}`;
    const response = await this.#send('PATCH', url, { schemas: [PATCH_OP_SCHEMA], Operations: operations }, true);
    this.#throwUnlessOk(response, 'PATCH', url, true);
  }

  /** `DELETE /Users/{id}`. A 404 is reported as `'not-found'` (the object is gone either way). */
  async delete(resource: ResourceType, id: string): Promise<'deleted' | 'not-found'> {
    const url = `${this.baseUrl}/${resource}/${encodeURIComponent(id)}`;
    const response = await this.#send('DELETE', url, undefined, true);
    if (response.status === 404) return 'not-found';
    this.#throwUnlessOk(response, 'DELETE', url, true);
    return 'deleted';
  }

  async #send(method: string, url: string, body: unknown, linked: boolean): Promise<AxiosResponse<string>> {
    const headers: Record<string, string> = {};
    if (this.#token !== null) headers['Authorization'] = `Bearer ${this.#token}`;
    if (body !== undefined) headers['Content-Type'] = this.#contentType;
    const started = this.#clock.now().getTime();
    let response: AxiosResponse<string>;
    try {
      response = await this.#http.request<string>({ method, url, headers, data: body === undefined ? undefined : JSON.stringify(body) });
    } catch (err) {
      const code = (err as { code?: string }).code;
      const timedOut = code === 'ECONNABORTED' || code === 'ETIMEDOUT';
      this.#onRequest?.({
        method,
        url,
        status: null,
        durationMs: this.#clock.now().getTime() - started,
        startedAt: new Date(started).toISOString(),
        requestHeaders: redactedHeaders(headers),
        body,
        error: `${code ?? 'network error'}: ${(err as Error).message}`,
      });
      // The axios error holds the request config (headers, token): keep only its code and message.
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
      startedAt: new Date(started).toISOString(),
      requestHeaders: redactedHeaders(headers),
      body,
      responseHeaders: plainHeaders(response.headers),
      responseBody: typeof response.data === 'string' ? response.data : '',
    });
    return response;
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

function isResource(v: unknown): v is ScimResource {
  return !!v && typeof v === 'object' && !Array.isArray(v) && typeof (v as Record<string, unknown>)['id'] === 'string';
}
