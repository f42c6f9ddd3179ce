/**
 * `--record FILE`: every exchange as one JSON line (request, response, timing), for a bug report.
 * The Authorization header is recorded as `Bearer [REDACTED]`, and every form of the token anywhere in the
 * line (a server echoing it back raw, JSON-escaped, URL-encoded or base64-encoded; shared/redact-secret.ts)
 * is redacted too: in each string of the line before it is serialised, so the line stays valid JSON, and
 * once more in the serialised text. Lines are appended synchronously, so a crash loses nothing already sent.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { RequestEvent } from '../scim/client.js';
import { redactSecretsDeep } from '../shared/redact-secret.js';
import { redact } from './token.js';

export interface Transcript {
  record(event: RequestEvent): void;
}

export function openTranscript(file: string, token: string | null): Transcript {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, '');
  return {
    record(event) {
      const line = {
        startedAt: event.startedAt,
        durationMs: event.durationMs,
        request: { method: event.method, url: event.url, headers: event.requestHeaders, body: event.body ?? null },
        response:
          event.status === null
            ? null
            : { status: event.status, headers: event.responseHeaders ?? {}, body: parseBody(event.responseBody) },
        ...(event.error ? { error: event.error } : {}),
      };
      appendFileSync(file, redact(JSON.stringify(redactSecretsDeep(line, [token])), token) + '\n');
    },
  };
}

function parseBody(text: string | undefined): unknown {
  if (text === undefined || text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
