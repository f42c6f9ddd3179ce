/**
 * What `sync` and `provision` share: the tenant URL and dialect, the token, the loaded inputs, the state
 * store (checked to belong to this target), the SCIM client and the queue. Output writers redact the token.
 */
import { resolve } from 'node:path';
import type PQueue from 'p-queue';
import { createQueue } from '../engine/queue.js';
import { contentTypeFor, ScimClient, type RequestEvent } from '../scim/client.js';
import { dialectFromUrl, DIALECTS } from '../scim/dialect.js';
import type { DialectName } from '../scim/types.js';
import { createHttpClient } from '../scim/http.js';
import { resolveQuirks, type Quirks } from '../scim/quirks.js';
import { offsetClock, parseInstant, type Clock } from '../shared/clock.js';
import { formatDiagnostic } from '../shared/diagnostics.js';
import { parseDuration } from '../shared/duration.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../engine/retry.js';
import { UsageError } from '../shared/errors.js';
import { StateStore } from '../store/store.js';
import type { CliDeps } from './io.js';
import { loadInputs, type Inputs } from './load-inputs.js';
import { parseTenantUrl, type TenantUrl } from './target-url.js';
import { redact, resolveToken } from './token.js';
import { openTranscript } from './transcript.js';

export const DEFAULT_STATE_FILE = '.provsim/state.db';

export interface SessionOptions {
  fixtures: string;
  mapping: string;
  target: string;
  tokenFile?: string;
  /** @default '.provsim/state.db' */
  state?: string;
  /** @default 8 */
  concurrency?: number;
  rps?: number;
  allowHttp?: boolean;
  dialect?: string;
  timeoutMs?: number;
  /** Write every exchange to this file as JSON lines (token redacted). */
  record?: string;
  /** Quirk settings, `name=on|off` (scim/quirks.ts), on top of the dialect's defaults. */
  quirk?: string[];
  /** The longest Retry-After honoured within a cycle (`60s`, `5m`); longer waits leave the object to a later cycle. @default 60s */
  maxRetryAfter?: string;
  /** Stand the cycle at this simulated time (ISO-8601); it runs at real speed from there. */
  at?: string;
  /** Do not record the target in the state (dry runs write nothing). */
  readOnly?: boolean;
}

export interface Session {
  tenantUrl: TenantUrl;
  dialect: DialectName;
  quirks: Quirks;
  inputs: Inputs;
  store: StateStore;
  client: ScimClient;
  queue: PQueue;
  /** Every request sent, in order (no headers). */
  requests: RequestEvent[];
  /** The retry ladder (429/5xx/timeouts) for this session's cycles. */
  retry: RetryPolicy;
  /**
   * The clock a cycle runs on: the command's, or (with `--at`) a new one whose first reading, the cycle's
   * start, is exactly the simulated time (call it once per cycle).
   */
  cycleClock(): Clock;
  out(text: string): void;
  err(text: string): void;
  close(): void;
}

export async function openSession(options: SessionOptions, deps: CliDeps): Promise<Session> {
  const tenantUrl = parseTenantUrl(options.target, options.allowHttp ?? false);
  const at = options.at === undefined ? null : parseInstant(options.at);
  if (options.at !== undefined && !at)
    throw new UsageError(`--at ${JSON.stringify(options.at)} is not an ISO-8601 time; e.g. --at 2026-06-01T09:00:00Z`);
  let clock = deps.clock;
  const cycleClock = (): Clock => (clock = at ? offsetClock(at, deps.clock) : deps.clock);
  const dialect = chooseDialect(options.dialect, options.target);
  const quirks = resolveQuirks(dialect, options.quirk);
  let retry = DEFAULT_RETRY_POLICY;
  if (options.maxRetryAfter !== undefined) {
    const ms = parseDuration(options.maxRetryAfter);
    if (ms === null) throw new UsageError(`--max-retry-after ${JSON.stringify(options.maxRetryAfter)} is not a duration; e.g. 60s, 5m`);
    retry = { ...DEFAULT_RETRY_POLICY, maxRetryAfterMs: ms };
  }
  const token = resolveToken(deps.env, options.tokenFile);
  const out = (text: string): void => void deps.stdout.write(redact(text, token) + '\n');
  const err = (text: string): void => void deps.stderr.write(redact(text, token) + '\n');

  const inputs = await loadInputs(resolve(deps.cwd, options.fixtures), resolve(deps.cwd, options.mapping));
  for (const w of inputs.warnings) err(formatDiagnostic(w));

  const stateFile = options.state ?? DEFAULT_STATE_FILE;
  const store = new StateStore(resolve(deps.cwd, stateFile));
  try {
    const knownTarget = store.target();
    if (knownTarget !== null && knownTarget !== tenantUrl.base) {
      throw new UsageError(
        `the state file ${stateFile} belongs to ${knownTarget}, not ${tenantUrl.base}; its links would be wrong there. Use --state with another file for this target`,
      );
    }
    if (!options.readOnly) store.setTarget(tenantUrl.base);
  } catch (error) {
    store.close();
    throw error;
  }

  const requests: RequestEvent[] = [];
  const concurrency = options.concurrency ?? 8;
  const http = deps.http ?? createHttpClient({ ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}), maxSockets: concurrency });
  const transcript = options.record ? openTranscript(resolve(deps.cwd, options.record), token) : null;
  const client = new ScimClient({
    baseUrl: tenantUrl.base,
    http,
    token,
    // Request timings follow whichever clock the current cycle runs on.
    clock: { now: () => clock.now(), sleep: (ms, signal) => clock.sleep(ms, signal) },
    contentType: contentTypeFor(quirks),
    onRequest: (e) => {
      // Keep what summaries need; bodies stay only in the transcript.
      requests.push({
        method: e.method,
        url: e.url,
        status: e.status,
        durationMs: e.durationMs,
        startedAt: e.startedAt,
        requestHeaders: {},
      });
      transcript?.record(e);
    },
  });
  const queue = createQueue({ concurrency, ...(options.rps ? { rps: options.rps } : {}) });
  return { tenantUrl, dialect, quirks, retry, inputs, store, client, queue, requests, cycleClock, out, err, close: () => store.close() };
}

export function chooseDialect(explicit: string | undefined, target: string): DialectName {
  if (explicit === undefined) return dialectFromUrl(target);
  if (!(DIALECTS as readonly string[]).includes(explicit))
    throw new UsageError(`--dialect ${explicit} is not one of ${DIALECTS.join(', ')}`);
  return explicit as DialectName;
}
