/**
 * `--record FILE`: every exchange as one JSON line (request, response, timing), for a bug report.
 * The Authorization header is recorded as `Bearer [REDACTED]`, and every form of the token anywhere in the
 * line (a server echoing it back raw, JSON-escaped, URL-encoded or base64-encoded; shared/redact-secret.ts)
 * is redacted too: in each string of the line before it is serialised, so the line stays valid JSON, and
 * once more in the serialised text. Lines are appended synchronously, so a crash loses nothing already sent.
 */
import { appendFileSync, closeSync, mkdirSync, openSync, readSync, statSync, writeFileSync } from 'node:fs';
import { UsageError } from '../shared/errors.js';
import { dirname } from 'node:path';
import type { RequestEvent } from '../scim/client.js';
import { redactSecretsDeep } from '../shared/redact-secret.js';
import { redact } from './token.js';

export interface Transcript {
  record(event: RequestEvent): void;
}

/**
 * Opens FILE for a new transcript. It replaces an earlier transcript, never anything else: a directory, or an
 * existing file whose first line is not a transcript line (a fixture, the mapping, a state file given by
 * mistake), is a usage error before anything is sent.
 */
export function openTranscript(file: string, token: string | null, shownAs = file): Transcript {
  const existing = statSync(file, { throwIfNoEntry: false });
  if (existing?.isDirectory()) throw new UsageError(`--record ${shownAs} is a directory; give the path of a file to write`);
  if (existing && existing.size > 0 && !isTranscript(file))
    throw new UsageError(
      `--record ${shownAs} exists and is not a provsim transcript, so it is not overwritten; choose another file, or delete it first`,
    );
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, '', { mode: 0o600 });
  } catch (error) {
    throw new UsageError(`--record ${shownAs} cannot be written: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
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

/** Whether the file starts with a transcript line (`{"startedAt":…,"request":…}`); reads at most 64 KiB. */
function isTranscript(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const n = readSync(fd, buffer, 0, buffer.length, 0);
    const first = buffer.subarray(0, n).toString('utf8').split('\n', 1)[0] ?? '';
    const line = JSON.parse(first) as Record<string, unknown>;
    return typeof line === 'object' && line !== null && 'startedAt' in line && 'request' in line;
  } catch {
    return false;
  } finally {
    closeSync(fd);
  }
}

function parseBody(text: string | undefined): unknown {
  if (text === undefined || text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
