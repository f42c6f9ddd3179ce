/**
 * Evidence: every exchange of a conformance run (the engine's, the verifier's and the raw probes'), in
 * arrival order, so a check can take the exchanges made while it ran.
 *
 * Contract: nothing recorded here can hold the token, in any form a server may echo it in (raw, JSON-escaped,
 * URL-encoded, base64: shared/redact-secret.ts). Request headers arrive with Authorization already redacted
 * (scim/client.ts); URLs, headers, bodies and error texts are redacted again here, because a server may echo
 * the token back; parsed bodies string by string, so they stay the values they were. Response bodies longer
 * than MAX_BODY_CHARS are cut after redaction (a paging response of a large tenant would otherwise swell
 * every report).
 */
import type { RequestEvent } from '../scim/client.js';
import { redactSecret, redactSecretsDeep } from '../shared/redact-secret.js';
import type { Evidence } from './types.js';

export const MAX_BODY_CHARS = 8_000;

export class EvidenceRecorder {
  readonly #events: Evidence[] = [];
  readonly #listeners: Array<(event: Evidence) => void> = [];

  constructor(private readonly token: string | null) {}

  /** The hook to give every ScimClient (`onRequest`) and the raw prober. */
  readonly record = (event: RequestEvent): void => {
    const evidence = this.#toEvidence(event);
    this.#events.push(evidence);
    for (const listener of this.#listeners) listener(evidence);
  };

  onEvidence(listener: (event: Evidence) => void): void {
    this.#listeners.push(listener);
  }

  /** A position to take `since(mark)` from. */
  mark(): number {
    return this.#events.length;
  }

  since(mark: number): Evidence[] {
    return this.#events.slice(mark);
  }

  #toEvidence(event: RequestEvent): Evidence {
    const redact = (text: string): string => redactSecret(text, this.token);
    const out: Evidence = {
      method: event.method,
      url: redact(event.url),
      status: event.status,
      startedAt: event.startedAt,
      durationMs: event.durationMs,
      requestHeaders: redactHeaders(event.requestHeaders, redact),
    };
    if (event.body !== undefined) out.requestBody = redactSecretsDeep(event.body, [this.token]);
    if (event.responseHeaders) out.responseHeaders = redactHeaders(event.responseHeaders, redact);
    if (event.responseBody !== undefined && event.responseBody !== '')
      out.responseBody = redactSecretsDeep(readBody(redact(event.responseBody)), [this.token]);
    if (event.error) out.error = redact(event.error);
    return out;
  }
}

/** A server may echo the Authorization header back, in a header of its own. */
function redactHeaders(headers: Record<string, string>, redact: (text: string) => string): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, redact(value)]));
}

/** JSON bodies are kept parsed (the reports pretty-print them); others as text, cut at MAX_BODY_CHARS. */
function readBody(text: string): unknown {
  if (text.length > MAX_BODY_CHARS) return `${text.slice(0, MAX_BODY_CHARS)}… [${text.length - MAX_BODY_CHARS} more characters cut]`;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Every string inside `value` (keys too) with each form of the token replaced (for report data built from server answers). */
export function redactDeep<T>(value: T, token: string | null): T {
  return redactSecretsDeep(value, [token]);
}
