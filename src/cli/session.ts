/**
 * What `sync`, `watch` and `provision` share: the flags checked and turned into the library's provisioner
 * (engine/open.ts: the inputs, the state store checked to belong to this target, the SCIM client, the queue),
 * the token read from the environment or a file, the request list and the transcript. Output writers redact
 * the token.
 */
import { resolve } from 'node:path';
import { DEFAULTS } from '../engine/defaults.js';
import { openProvisioner, type Provisioner } from '../engine/open.js';
import { dialectFromUrl, DIALECTS } from '../scim/dialect.js';
import { parseQuirkSettings } from '../scim/quirks.js';
import { parseTenantUrl, type TenantUrl } from '../scim/tenant-url.js';
import type { DialectName } from '../scim/types.js';
import { offsetClock, parseInstant, type Clock } from '../shared/clock.js';
import { formatDiagnostic } from '../shared/diagnostics.js';
import { durationProblem, parseDuration } from '../shared/duration.js';
import { UsageError } from '../shared/errors.js';
import { chooseEscrowSchedule } from './escrow-schedule-flag.js';
import type { CliDeps } from './io.js';
import { redact, resolveToken } from './token.js';
import { requestEcho } from './request-echo.js';
import { RequestLog } from './request-log.js';
import type { StateFileInUseError } from '../store/state-lock.js';

export const DEFAULT_STATE_FILE = DEFAULTS.stateFile;

export interface SessionOptions {
  /** Keep each request's method, URL and status (an output lists them: `--json`); counts are always kept. */
  keepRequests?: boolean;
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
  /** Print one line per request on stderr (`--verbose` of watch and provision). */
  echoRequests?: boolean;
  /** Quirk settings, `name=on|off` (scim/quirks.ts), on top of the dialect's defaults. */
  quirk?: string[];
  /** The longest Retry-After honoured within a cycle (`60s`, `5m`); longer waits leave the object to a later cycle. @default 60s */
  maxRetryAfter?: string;
  /** Stand the cycle at this simulated time (ISO-8601); it runs at real speed from there. */
  at?: string;
  /** Members per membership PATCH. @default 100 */
  membersPerPatch?: number;
  /** Objects per batch in a large cycle (engine/plan-and-apply.ts). @default 2000 */
  batchSize?: number;
  /** A dry run with more work than this is planned in batches (engine/cycle-options.ts). @default 50000 */
  wholePlanLimit?: number;
  /** When failed objects are retried: `current` (+6 h, +12 h, +24 h, then daily for 28 days) or `2022`. */
  escrowSchedule?: string;
  /** The job's cycle interval in ms (watch). @default 40 min */
  intervalMs?: number;
  /** Dry runs only: a missing state file is not created. */
  readOnly?: boolean;
  /** `--wait[=DURATION]`: wait for another run that has the state file open (true: as long as it takes). */
  wait?: string | true;
}

export interface Session {
  tenantUrl: TenantUrl;
  /** The engine, built by the library's composition root. */
  provisioner: Provisioner;
  /** The requests sent: counts, and each request only with `keepRequests`. */
  requests: RequestLog;
  /** Whether requests carry an Authorization header (a token was set); the token itself stays inside. */
  tokenSent: boolean;
  /** What other outputs (a notification) must mask: the token, if any. Never printed. */
  secrets: readonly string[];
  /**
   * Starts the clock a cycle runs on: with `--at`, a new one whose first reading, the cycle's start, is
   * exactly the simulated time (call it once per cycle, before the cycle).
   */
  startCycleClock(): void;
  /** The clock of the current cycle. */
  clock(): Clock;
  out(text: string): void;
  err(text: string): void;
  close(): Promise<void>;
}

export async function openSession(options: SessionOptions, deps: CliDeps): Promise<Session> {
  // Flags first, with their names in the messages; nothing is loaded or opened for a bad one.
  const tenantUrl = parseTenantUrl(options.target, options.allowHttp ?? false, '--target');
  const at = options.at === undefined ? null : parseInstant(options.at);
  if (options.at !== undefined && !at)
    throw new UsageError(`--at ${JSON.stringify(options.at)} is not an ISO-8601 time; e.g. --at 2026-06-01T09:00:00Z`);
  const dialect = chooseDialect(options.dialect, options.target);
  const quirks = parseQuirkSettings(options.quirk);
  let maxRetryAfterMs: number | undefined;
  if (options.maxRetryAfter !== undefined) {
    const ms = parseDuration(options.maxRetryAfter);
    if (ms === null) throw new UsageError(`--max-retry-after ${durationProblem(options.maxRetryAfter)}`);
    maxRetryAfterMs = ms;
  }
  const escrowSchedule = chooseEscrowSchedule(options.escrowSchedule);
  const waitMs = options.wait === undefined ? undefined : options.wait === true ? Infinity : parseDuration(options.wait);
  if (waitMs === null)
    throw new UsageError(`--wait ${durationProblem(options.wait as string)}; or --wait alone to wait until the state file is free`);
  const token = resolveToken(deps.env, options.tokenFile);
  const out = (text: string): void => void deps.stdout.write(redact(text, token) + '\n');
  const err = (text: string): void => void deps.stderr.write(redact(text, token) + '\n');

  // Request timings and cycles follow whichever clock the current cycle runs on.
  let clock = deps.clock;
  const cycleClock: Clock = { now: () => clock.now(), sleep: (ms, signal) => clock.sleep(ms, signal) };
  const requests = new RequestLog(options.keepRequests ?? false);
  const echo = requestEcho(
    { ...(options.record ? { record: options.record } : {}), verbose: options.echoRequests ?? false },
    {
      cwd: deps.cwd,
      token,
      stderr: deps.stderr,
    },
  );
  const provisioner = await openProvisioner(
    {
      fixtures: resolve(deps.cwd, options.fixtures),
      mapping: resolve(deps.cwd, options.mapping),
      target: options.target,
      token,
      state: resolve(deps.cwd, options.state ?? DEFAULT_STATE_FILE),
      allowHttp: options.allowHttp ?? false,
      readOnly: options.readOnly ?? false,
      ...(waitMs !== undefined
        ? {
            waitForState: {
              timeoutMs: waitMs,
              onWait: (busy: StateFileInUseError) =>
                err(
                  `provsim: ${busy.file} is in use by ${busy.who}; waiting for it${options.wait === true ? '' : ` (at most ${options.wait})`}`,
                ),
            },
          }
        : {}),
      dialect,
      quirks,
      escrowSchedule,
      ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
      ...(options.rps ? { rps: options.rps } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
      ...(maxRetryAfterMs !== undefined ? { retry: { maxRetryAfterMs } } : {}),
      ...(options.membersPerPatch !== undefined ? { membersPerPatch: options.membersPerPatch } : {}),
      ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
      ...(options.wholePlanLimit !== undefined ? { wholePlanLimit: options.wholePlanLimit } : {}),
      ...(options.intervalMs !== undefined ? { intervalMs: options.intervalMs } : {}),
    },
    {
      clock: cycleClock,
      random: deps.random,
      ...(deps.signal ? { signal: deps.signal } : {}),
      ...(deps.abortRequests ? { abortRequests: deps.abortRequests } : {}),
      ...(deps.http ? { http: deps.http } : {}),
      ...(deps.fixtureOptions ? { fixtureOptions: deps.fixtureOptions } : {}),
      onRequest: (e) => {
        requests.add(e);
        echo?.(e);
      },
    },
  );
  for (const w of provisioner.warnings) err(formatDiagnostic(w));
  return {
    tenantUrl,
    provisioner,
    requests,
    tokenSent: token !== null,
    secrets: token === null ? [] : [token],
    startCycleClock: () => void (clock = at ? offsetClock(at, deps.clock) : deps.clock),
    clock: () => clock,
    out,
    err,
    close: () => provisioner.close(),
  };
}

export function chooseDialect(explicit: string | undefined, target: string): DialectName {
  if (explicit === undefined) return dialectFromUrl(target);
  if (!(DIALECTS as readonly string[]).includes(explicit))
    throw new UsageError(`--dialect ${explicit} is not one of ${DIALECTS.join(', ')}`);
  return explicit as DialectName;
}
