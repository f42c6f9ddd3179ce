/**
 * `provsim sync`: one provisioning cycle (initial or incremental) of a fixture tenant into a SCIM target.
 */
import { resolve } from 'node:path';
import { SingleBar } from 'cli-progress';
import { isWrite, type Plan } from '../../engine/plan.js';
import { createQueue } from '../../engine/queue.js';
import { runCycle, type CycleResult } from '../../engine/reconcile.js';
import { ScimClient, type RequestEvent } from '../../scim/client.js';
import { dialectFromUrl, DIALECTS, type DialectName } from '../../scim/dialect.js';
import { createHttpClient } from '../../scim/http.js';
import { formatDiagnostic } from '../../shared/diagnostics.js';
import { UsageError } from '../../shared/errors.js';
import { StateStore } from '../../state/store.js';
import { loadInputs } from '../load-inputs.js';
import type { CliDeps, CommandResult } from '../io.js';
import { renderCycle, renderEntry, renderPlan } from '../render/human.js';
import { cycleJson } from '../render/json.js';
import { parseTenantUrl } from '../target-url.js';
import { redact, resolveToken } from '../token.js';

export interface SyncOptions {
  fixtures: string;
  mapping: string;
  target: string;
  tokenFile?: string;
  /** @default '.provsim/state.db' */
  state?: string;
  dryRun?: boolean;
  json?: boolean;
  /** @default 8 */
  concurrency?: number;
  rps?: number;
  allowHttp?: boolean;
  allowDeletes?: boolean;
  dialect?: string;
  /** Start a new initial cycle (links are kept). */
  full?: boolean;
  /** Print one line per object that changed. */
  verbose?: boolean;
  membersPerPatch?: number;
  timeoutMs?: number;
}

export interface SyncResult extends CommandResult {
  cycle: CycleResult | null;
  requests: RequestEvent[];
}

export const DEFAULT_STATE_FILE = '.provsim/state.db';

export async function syncCommand(options: SyncOptions, deps: CliDeps): Promise<SyncResult> {
  const tenantUrl = parseTenantUrl(options.target, options.allowHttp ?? false);
  const dialect = chooseDialect(options.dialect, options.target);
  const token = resolveToken(deps.env, options.tokenFile);
  const out = (text: string): void => void deps.stdout.write(redact(text, token) + '\n');
  const err = (text: string): void => void deps.stderr.write(redact(text, token) + '\n');

  const inputs = await loadInputs(resolve(deps.cwd, options.fixtures), resolve(deps.cwd, options.mapping));
  for (const w of inputs.warnings) err(formatDiagnostic(w));

  const store = new StateStore(resolve(deps.cwd, options.state ?? DEFAULT_STATE_FILE));
  try {
    const knownTarget = store.target();
    if (knownTarget !== null && knownTarget !== tenantUrl.base) {
      throw new UsageError(`the state file ${options.state ?? DEFAULT_STATE_FILE} belongs to ${knownTarget}, not ${tenantUrl.base}; its links would be wrong there. Use --state with another file for this target`);
    }
    if (!options.dryRun) store.setTarget(tenantUrl.base);

    const requests: RequestEvent[] = [];
    const http = deps.http ?? createHttpClient({ ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}), maxSockets: options.concurrency ?? 8 });
    const client = new ScimClient({ baseUrl: tenantUrl.base, http, token, clock: deps.clock, onRequest: (e) => requests.push(e) });
    const queue = createQueue({ concurrency: options.concurrency ?? 8, ...(options.rps ? { rps: options.rps } : {}) });

    let bar: SingleBar | null = null;
    const cycle = await runCycle(
      { tenant: inputs.tenant, job: inputs.job, client, store, queue, clock: deps.clock, random: deps.random, ...(deps.signal ? { signal: deps.signal } : {}),
        hooks: {
          onPlan: (plan: Plan) => {
            if (options.json) return;
            if (options.dryRun) out(renderPlan(plan, options.verbose ?? false));
            else err(renderPlanHeadline(plan));
            const writes = [...plan.objects, ...plan.references, ...plan.deletes].filter(isWrite).length;
            if (!options.dryRun && deps.isTTY && writes > 0) {
              bar = new SingleBar({ format: '  {bar} {value}/{total} changes | {eta}s left', stream: process.stderr, hideCursor: true, clearOnComplete: true });
              bar.start(writes, 0);
            }
          },
          onChangeDone: (o) => {
            if (bar && isWrite(o.change)) bar.increment();
          },
          onRetry: (e) => {
            if (!options.json) err(`  retry ${e.attempt} of ${e.method} after ${e.delayMs} ms: ${e.error.entraCode} (${e.error.status ?? 'no response'})`);
          },
        } },
      { dryRun: options.dryRun ?? false, allowDeletes: options.allowDeletes ?? false, dialect, forceInitial: options.full ?? false, ...(options.membersPerPatch ? { membersPerPatch: options.membersPerPatch } : {}) },
    );
    (bar as SingleBar | null)?.stop();

    if (options.json) {
      out(JSON.stringify(cycleJson(cycle, requests, tenantUrl.base), null, 2));
    } else if (!options.dryRun) {
      if (options.verbose) for (const e of cycle.log) if (e.provisioningAction !== 'Other' || e.status === 'Failure') out(renderEntry(e));
      out(renderCycle(cycle, countRequests(requests)));
    }
    return { exitCode: exitCodeFor(cycle), cycle, requests };
  } finally {
    store.close();
  }
}

function renderPlanHeadline(plan: Plan): string {
  return renderPlan(plan).split('\n')[0]!;
}

export function chooseDialect(explicit: string | undefined, target: string): DialectName {
  if (explicit === undefined) return dialectFromUrl(target);
  if (!(DIALECTS as readonly string[]).includes(explicit)) throw new UsageError(`--dialect ${explicit} is not one of ${DIALECTS.join(', ')}`);
  return explicit as DialectName;
}

export function countRequests(requests: readonly RequestEvent[]): { total: number; byMethod: Record<string, number> } {
  const byMethod: Record<string, number> = {};
  for (const r of requests) byMethod[r.method] = (byMethod[r.method] ?? 0) + 1;
  return { total: requests.length, byMethod };
}

export function exitCodeFor(cycle: CycleResult): 0 | 1 | 130 {
  if (cycle.status === 'interrupted') return 130;
  return cycle.status === 'succeeded' && !cycle.jobFailure ? 0 : 1;
}
