/**
 * The raw requests the SCIM client does not offer, because Entra never sends them: a group read WITH its
 * members (ScimClient always asks `excludedAttributes=members`), list pages (`startIndex`/`count`), a
 * DELETE whose exact status matters, a GET outside the base URL (the connection check's hint).
 * One request per call, no retries, any status returned as is; the exchange goes to the evidence hook in
 * the ScimClient's event shape, with the Authorization header redacted. A URL the parser would send to
 * another path than the one written (a dot segment, a backslash: an id that escaped its segment) is not
 * sent: it answers no status and an error saying why, and reaches no hook.
 */
import type { Axios } from 'axios';
import type { RequestEvent } from '../scim/client.js';
import type { Clock } from '../shared/clock.js';
import { rewrittenPathReason } from '../scim/resource-id.js';
import { parseJsonBody, plainHeaders } from '../scim/response-body.js';

export interface RawResponse {
  status: number | null;
  /** Lower-case header names. */
  headers: Record<string, string>;
  /** The parsed JSON body, or undefined when there was none or it was not JSON. */
  json: unknown;
  text: string;
  /** Why no response arrived. */
  error?: string;
}

export class RawClient {
  constructor(
    private readonly options: {
      baseUrl: string;
      http: Axios;
      token: string | null;
      clock: Clock;
      onRequest: (event: RequestEvent) => void;
    },
  ) {}

  /** GET; `pathAndQuery` is appended to the base URL verbatim (it starts with `/`). */
  get(pathAndQuery: string): Promise<RawResponse> {
    return this.send('GET', `${this.options.baseUrl}${pathAndQuery}`);
  }

  /** DELETE, with the status as the target answered it (ScimClient.delete folds 404 into a result). */
  delete(pathAndQuery: string): Promise<RawResponse> {
    return this.send('DELETE', `${this.options.baseUrl}${pathAndQuery}`);
  }

  /** GET of a full URL on the target's origin, e.g. another base path on its host; never another origin (the token goes with it). */
  getUrl(url: string): Promise<RawResponse> {
    if (new URL(url).origin !== new URL(this.options.baseUrl).origin)
      throw new Error(
        `RawClient.getUrl: ${url} is not on the target's origin ${new URL(this.options.baseUrl).origin}; the bearer token is only sent there`,
      );
    return this.send('GET', url);
  }

  private async send(method: 'GET' | 'DELETE', url: string): Promise<RawResponse> {
    const rewritten = rewrittenPathReason(url);
    if (rewritten !== null)
      return {
        status: null,
        headers: {},
        json: undefined,
        text: '',
        error: `not sent: ${method} ${url} cannot be sent as written: ${rewritten}`,
      };
    const headers: Record<string, string> = {};
    if (this.options.token !== null) headers['Authorization'] = `Bearer ${this.options.token}`;
    const redactedHeaders: Record<string, string> = this.options.token !== null ? { Authorization: 'Bearer [REDACTED]' } : {};
    const started = this.options.clock.now().getTime();
    const base = { method, url, startedAt: new Date(started).toISOString(), requestHeaders: redactedHeaders };
    try {
      const response = await this.options.http.request<string>({ method, url, headers });
      const text = typeof response.data === 'string' ? response.data : '';
      const plain = plainHeaders(response.headers);
      this.options.onRequest({
        ...base,
        status: response.status,
        durationMs: this.options.clock.now().getTime() - started,
        responseHeaders: plain,
        responseBody: text,
      });
      return { status: response.status, headers: lowerKeys(plain), json: parseJsonBody(text), text };
    } catch (err) {
      // Keep only code and message: the axios error holds the request config, token included.
      const error = `${(err as { code?: string }).code ?? 'network error'}: ${(err as Error).message}`;
      this.options.onRequest({ ...base, status: null, durationMs: this.options.clock.now().getTime() - started, error });
      return { status: null, headers: {}, json: undefined, text: '', error };
    }
  }
}

function lowerKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}
