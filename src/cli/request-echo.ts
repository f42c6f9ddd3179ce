/**
 * What the CLI does with each request a command sends, the same in every command: `--record FILE` appends it
 * to the transcript, `--verbose` prints one line for it on stderr. The token is redacted from both, in every
 * form a server may echo it in (token.ts `redact`).
 */
import { resolve } from 'node:path';
import type { RequestEvent } from '../scim/client.js';
import type { Writer } from './io.js';
import { redact } from './token.js';
import { openTranscript } from './transcript.js';

export interface RequestEchoOptions {
  record?: string;
  verbose?: boolean;
}

/** The `onRequest` hook for a command's clients, or undefined when neither flag asks for one. */
export function requestEcho(
  options: RequestEchoOptions,
  context: { cwd: string; token: string | null; stderr: Writer },
): ((event: RequestEvent) => void) | undefined {
  const transcript = options.record ? openTranscript(resolve(context.cwd, options.record), context.token, options.record) : null;
  if (!transcript && !options.verbose) return undefined;
  return (event) => {
    transcript?.record(event);
    if (options.verbose) context.stderr.write(redact(requestLine(event), context.token) + '\n');
  };
}

/** `  → GET http://…/Users?filter=… 200 (12 ms)`; no response: the network error instead of a status. */
export function requestLine(event: RequestEvent): string {
  const outcome = event.status === null ? `no response: ${event.error ?? 'network error'}` : String(event.status);
  return `  → ${event.method} ${event.url} ${outcome} (${event.durationMs} ms)`;
}
