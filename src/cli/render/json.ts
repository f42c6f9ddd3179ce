/**
 * The JSON view (`--json`): the same result objects as the human view, as data. Never includes the token:
 * request headers are left out, and with `secrets` every string (server text in the plan's old values, the
 * log's errors) has each form of them masked before it is serialised (shared/redact-secret.ts). The session's
 * writer masks the serialised text once more.
 */
import type { CycleResult } from '../../engine/reconcile.js';
import { redactSecretsDeep } from '../../shared/redact-secret.js';
import type { RequestSummary } from '../request-log.js';

export function cycleJson(
  cycle: CycleResult,
  requests: readonly RequestSummary[],
  target: string,
  secrets: readonly string[] = [],
): Record<string, unknown> {
  return redactSecretsDeep(
    {
      target,
      cycleId: cycle.cycleId,
      kind: cycle.kind,
      status: cycle.status,
      dryRun: cycle.dryRun,
      startedAt: cycle.startedAt,
      finishedAt: cycle.finishedAt,
      jobFailure: cycle.jobFailure,
      // A large tenant's fixture file written in place mid-cycle: the cycle stopped before its next batch.
      ...(cycle.fixtureChanged !== undefined ? { fixtureChanged: cycle.fixtureChanged } : {}),
      counts: cycle.counts,
      // Batched cycles (more work than one batch) carry no plan and only the failed log entries.
      batched: cycle.batched,
      requests: requests.map((r) => ({ method: r.method, url: r.url, status: r.status })),
      plan: cycle.plan,
      log: cycle.log,
    },
    secrets,
  );
}

/**
 * `JSON.stringify(doc, null, 2)` in pieces of whole lines, each to be written with a line break after it:
 * the array under `key` goes `perPiece` elements at a time, one element per line, so a document listing
 * millions of requests is never built as one string (V8 caps a string at about 536 million characters; a
 * million-user cycle's 2.7 million requests come near it). The pieces parse to the same value as the whole.
 */
export function* jsonPieces(doc: Readonly<Record<string, unknown>>, key: string, perPiece = 1000): Generator<string> {
  const list = doc[key];
  if (!Array.isArray(list) || list.length === 0) {
    yield JSON.stringify(doc, null, 2);
    return;
  }
  // A top-level key's line, which no value inside the document can produce.
  const slot = `\n  ${JSON.stringify(key)}: ${JSON.stringify(PIECES_SLOT)}`;
  const text = JSON.stringify({ ...doc, [key]: PIECES_SLOT }, null, 2);
  const at = text.indexOf(slot);
  yield `${text.slice(0, at)}\n  ${JSON.stringify(key)}: [`;
  for (let i = 0; i < list.length; i += perPiece) {
    const piece = list.slice(i, i + perPiece);
    const last = i + perPiece >= list.length;
    yield piece.map((e, j) => `    ${JSON.stringify(e)}${last && j === piece.length - 1 ? '' : ','}`).join('\n');
  }
  yield `  ]${text.slice(at + slot.length)}`;
}

const PIECES_SLOT = '\u0000provsim: pieces\u0000';
