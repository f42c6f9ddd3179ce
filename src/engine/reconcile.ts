/**
 * One provisioning cycle, Entra style (spec §5.1–5.2): probe → import + scope + map (pure) → select work
 * → observe (target reads) → diff (pure) → onPlan → apply (writes) → state (watermarks, escrows, log,
 * quarantine, cycle).
 *
 * Level-based: every cycle re-evaluates the source and never replays an old plan. A cycle is `initial`
 * when no cycle has completed yet, the mapping changed since the last one (Entra restarts on mapping
 * changes) or a restart asked for it; otherwise `incremental`. A dry run stops after the plan and writes
 * nothing, to the target or to the state.
 */
import type PQueue from 'p-queue';
import type { CompiledJob } from '../mapping/compile.js';
import type { ScimClient } from '../scim/client.js';
import type { DialectName } from '../scim/types.js';
import { defaultQuirks, type Quirks } from '../scim/quirks.js';
import type { Clock } from '../shared/clock.js';
import { JobFailure, ScimRequestError } from '../shared/errors.js';
import type { Random } from '../shared/random.js';
import type { Tenant } from '../model/directory.js';
import type { StateStore } from '../store/store.js';
import type { CycleKind, CycleStatus, Escrow, LogEntry, Quarantine } from '../model/records.js';
import { apply } from './apply.js';
import { DEFAULTS } from './defaults.js';
import { applyInBatches, type Applied } from './batches.js';
import type { EngineContext } from './context.js';
import { diff } from './diff.js';
import { ESCROW_SCHEDULES, escalate, isDue, type EscrowSchedule } from './escrow-schedule.js';
import type { EngineHooks } from './hooks.js';
import { buildLogEntries, countEntries } from './log-entries.js';
import type { Observation } from './observation.js';
import { observe } from './observe.js';
import type { ChangeOutcome } from './outcome.js';
import type { Plan } from './plan.js';
import { enterQuarantine, escrowThresholdReason, quarantineBackoff } from './quarantine.js';
import { DEFAULT_RETRY_POLICY, withRetry, type RetryPolicy } from './retry.js';
import { selectWork } from './select-work.js';
import { evaluateSource, type SourceState } from './source-state.js';

/** Entra's schedule: a cycle about every 40 minutes. */
export const DEFAULT_INTERVAL_MS = DEFAULTS.intervalMs;

export interface CycleOptions {
  /** Plan only: no writes to the target, nothing stored. @default false */
  dryRun?: boolean;
  /** Entra's ForceDeletes: let deletions through the accidental-deletion threshold. @default false */
  allowDeletes?: boolean;
  /** @default 'legacy' */
  dialect?: DialectName;
  /** Start a new initial cycle even if the mapping is unchanged. @default false */
  forceInitial?: boolean;
  /**
   * Provision on demand: only these source ids, observed live (linked objects are read by id), recorded
   * as an `on-demand` cycle that neither counts as a completed cycle nor moves the job's mapping hash.
   */
  only?: ReadonlySet<string>;
  /** Members per membership PATCH (Entra's figure is not published). @default 100 */
  membersPerPatch?: number;
  retry?: RetryPolicy;
  /** @default the dialect's defaults (scim/quirks.ts) */
  quirks?: Quirks;
  /** When failed objects are retried. @default ESCROW_SCHEDULES.current */
  escrowSchedule?: EscrowSchedule;
  /** The job's cycle interval: the next cycle's delay, and the base of the quarantine back-off. @default 40 min */
  intervalMs?: number;
  /**
   * Objects per batch in a large cycle. A cycle with more work than this is observed, planned, applied and
   * logged batch by batch, so its memory does not grow with the tenant (see `applyInBatches`). Dry runs
   * and provision on demand are never batched. @default 2000
   */
  batchSize?: number;
}

export interface CycleDeps {
  tenant: Tenant;
  job: CompiledJob;
  client: ScimClient;
  store: StateStore;
  queue: PQueue;
  clock: Clock;
  random: Random;
  hooks?: EngineHooks;
  signal?: AbortSignal;
}

export interface CycleResult {
  cycleId: string;
  kind: CycleKind;
  status: CycleStatus;
  dryRun: boolean;
  plan: Plan | null;
  outcomes: ChangeOutcome[];
  log: LogEntry[];
  /** Log entries by `Action/Status`. */
  counts: Record<string, number>;
  /**
   * True when the cycle ran in batches: `plan` is then null, `outcomes` empty and `log` holds only the
   * failed entries (every entry is in the state store: `provsim logs`).
   */
  batched: boolean;
  /** Set when the whole job could not run (Entra quarantines it). */
  jobFailure: { reason: string; message: string } | null;
  /** The job's quarantine after this cycle (null: not quarantined). */
  quarantine: Quarantine | null;
  /** Escrowed objects after this cycle, and those given up in it (retried no more unless they change). */
  escrows: { pending: number; givenUp: Escrow[] };
  /** When the next cycle should run: the interval, or the quarantine back-off. */
  requeueAfterMs: number;
  /** The evaluated source objects and what was observed of them (for explanations: provision on demand). */
  sources?: SourceState[];
  observations?: Map<string, Observation>;
  startedAt: string;
  finishedAt: string;
}

export async function runCycle(deps: CycleDeps, options: CycleOptions = {}): Promise<CycleResult> {
  const { store, clock, random, job } = deps;
  const hooks = deps.hooks ?? {};
  const dryRun = options.dryRun ?? false;
  const dialect = options.dialect ?? 'legacy';
  const policy = options.retry ?? DEFAULT_RETRY_POLICY;
  const quirks = options.quirks ?? defaultQuirks(dialect);
  const schedule = options.escrowSchedule ?? ESCROW_SCHEDULES.current;
  const intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  const started = clock.now();
  const startedAt = started.toISOString();
  const last = store.lastCompletedCycle();
  const onDemand = options.only !== undefined;
  const kind: CycleKind = onDemand
    ? 'on-demand'
    : options.forceInitial || store.flag('initial') || !last || store.jobHash() !== job.hash
      ? 'initial'
      : 'incremental';
  const allowDeletes = (options.allowDeletes ?? false) || store.flag('force-deletes');
  const cycleId = random.uuid();

  // The cycle stops on the user's signal (Ctrl-C) or on a job-level failure found mid-cycle.
  const stop = new AbortController();
  let stopped: { reason: string; message: string } | null = null;
  const signal = deps.signal ? AbortSignal.any([deps.signal, stop.signal]) : stop.signal;

  const ctx: EngineContext = {
    job,
    client: deps.client,
    queue: deps.queue,
    store,
    clock,
    hooks,
    dialect,
    quirks,
    membersPerPatch: options.membersPerPatch ?? DEFAULTS.membersPerPatch,
    send: async (method, fn) => {
      try {
        return await withRetry(method, fn, {
          policy,
          clock,
          random: random.next,
          onRetry: (e) => hooks.onRetry?.({ ...e, method }),
          signal,
        });
      } catch (error) {
        // 401/403 mid-cycle: the credentials are bad for the whole job (spec §1.13); stop, as Entra does.
        if (error instanceof ScimRequestError && (error.status === 401 || error.status === 403) && !stopped) {
          stopped = {
            reason: 'EncounteredQuarantineException',
            message: `the target refused the credentials mid-cycle (${error.message}); the cycle stopped after the requests in flight`,
          };
          stop.abort(new Error(stopped.message));
        }
        throw error;
      }
    },
    signal,
  };

  let quarantine = store.quarantine();
  let batchedRun = false;
  const finish = (
    status: CycleStatus,
    plan: Plan | null,
    outcomes: ChangeOutcome[],
    log: LogEntry[],
    jobFailure: CycleResult['jobFailure'],
    givenUp: Escrow[] = [],
    counts: Record<string, number> = countEntries(log),
  ): CycleResult => ({
    cycleId,
    kind,
    status,
    dryRun,
    plan,
    outcomes,
    log,
    counts,
    batched: batchedRun,
    jobFailure,
    quarantine,
    escrows: { pending: store.escrowCount(), givenUp },
    requeueAfterMs: quarantine ? quarantineBackoff(quarantine.seriesCount, intervalMs) : intervalMs,
    startedAt,
    finishedAt: clock.now().toISOString(),
  });
  /** Job-level failure: Entra quarantines the job (and backs off); a dry run records nothing. */
  const quarantineFor = (failure: { reason: string; message: string }): void => {
    if (dryRun || onDemand) return;
    quarantine = enterQuarantine(quarantine, failure.reason, failure.message, started, intervalMs);
    store.setQuarantine(quarantine);
  };

  if (!dryRun) store.beginCycle({ id: cycleId, kind, startedAt, dryRun, jobHash: job.hash });

  try {
    await probe(ctx, random);
  } catch (error) {
    const failure =
      error instanceof JobFailure ? { reason: error.reason, message: error.message } : { reason: 'Unknown', message: String(error) };
    quarantineFor(failure);
    if (!dryRun) store.finishCycle(cycleId, 'failed', clock.now().toISOString(), {});
    return finish('failed', null, [], [], failure);
  }

  const batchSize = options.batchSize ?? DEFAULTS.batchSize;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new TypeError(`Expected \`batchSize\` to be an integer from 1, got \`${batchSize}\``);
  const large = !dryRun && !onDemand && deps.tenant.users.length + deps.tenant.groups.length > batchSize;
  // A large tenant keeps no views: each is rebuilt when its object is worked on, and dropped after.
  const sources = evaluateSource(deps.tenant, job, { clock, random }, { retainViews: !large });
  const sourceById = new Map(sources.map((s) => [s.id, s]));
  const anchors = store.anchors();
  const watermarks = store.watermarks();
  const escrows = store.escrows();
  const due = new Map([...escrows].filter(([, e]) => isDue(e, started)));
  const objectTypes = new Set<'User' | 'Group'>(job.groups.enabled ? ['User', 'Group'] : ['User']);
  const readRules = { readBeforeWrite: quirks.readBeforeWrite, job };
  const work = onDemand
    ? selectWork('initial', sources, anchors, new Map(), new Map(), objectTypes, readRules).filter((w) => options.only!.has(w.sourceId))
    : selectWork(kind, sources, anchors, watermarks, due, objectTypes, readRules);
  // The exported memberships, read from the store per group the diff plans (the store is read before apply
  // writes to it, as the whole table was before: a group's members are planned before its PATCHes are sent).
  const memberships = { get: (groupId: string) => store.membersOf(groupId) };
  const diffBase = { cycleId, kind, sources: sourceById, anchors, memberships, job, dialect, allowDeletes, quirks };

  let applied: Applied;
  let observations: Map<string, Observation> | undefined;
  if (large && work.length > batchSize) {
    batchedRun = true;
    applied = await applyInBatches(work, batchSize, diffBase, ctx, deps.tenant, () => random.uuid());
  } else {
    observations = await observe(work, ctx);
    if (signal.aborted) {
      // Stopped while reading the target: nothing was written, nothing to record but the cycle itself.
      const status: CycleStatus = stopped ? 'failed' : 'interrupted';
      if (stopped) quarantineFor(stopped);
      if (!dryRun) store.finishCycle(cycleId, status, clock.now().toISOString(), {});
      return finish(status, null, [], [], stopped);
    }
    const plan = diff({ ...diffBase, work, observations });
    hooks.onPlan?.(plan);
    if (dryRun) return { ...finish('succeeded', plan, [], [], null), sources, observations };

    // apply takes over the anchors read for the diff and keeps them current (no second full read).
    const outcomes = await apply(plan, ctx, anchors);
    const at = clock.now().toISOString();
    const log = buildLogEntries(cycleId, at, outcomes, () => random.uuid());
    applied = {
      plan,
      outcomes,
      log,
      logStored: false,
      counts: countEntries(log),
      entryCount: log.length,
      failed: log
        .filter((e) => e.status === 'Failure')
        .map((e) => ({ sourceId: e.sourceIdentity.id, objectType: e.sourceIdentity.type, errorCode: e.errorCode ?? 'Unknown' })),
      touched: new Set(outcomes.map((o) => o.change.object.sourceId)),
      notReached: new Set(outcomes.filter((o) => o.failure?.code === 'Interrupted').map((o) => o.change.object.sourceId)),
      staged: new Set(plan.deletes.filter((c) => c.action === 'staged-delete').map((c) => c.object.sourceId)),
      deletionThresholdExceeded: plan.deletionThresholdExceeded,
      at,
    };
  }
  const finishedAt = applied.plan ? applied.at : clock.now().toISOString();
  const failedObjects = new Set(applied.failed.map((f) => f.sourceId));
  const interrupted = signal.aborted;
  const { touched } = applied;
  const status: CycleStatus = stopped
    ? 'failed'
    : interrupted
      ? 'interrupted'
      : applied.deletionThresholdExceeded || failedObjects.size > 0
        ? 'entry-level-errors'
        : 'succeeded';
  const givenUp: Escrow[] = [];

  let jobFailure =
    stopped ??
    (applied.deletionThresholdExceeded
      ? {
          reason: 'TooManyDeletes',
          message:
            'the disables and deletes of this cycle reached the accidental-deletion threshold; none was sent (see the StagedDelete entries; rerun with --allow-deletes to let them through)',
        }
      : null);

  store.transaction(() => {
    // Watermarks move for objects whose changes were all carried out, and for failed ones (those come back
    // through their escrow, or when they change); objects an interruption did not reach keep the old one.
    const inWork = new Set(work.map((w) => w.sourceId));
    for (const s of sources) {
      if (!touched.has(s.id) && !inWork.has(s.id)) continue;
      const reachedEnd = !applied.notReached.has(s.id);
      // A staged delete is still pending: the object must come up again next cycle.
      if (applied.staged.has(s.id)) store.deleteWatermark(s.id);
      else if (reachedEnd && (!interrupted || touched.has(s.id))) store.putWatermark(s.id, s.objectType, s.hash);
    }
    // Watermarks of objects gone from Entra and no longer linked (the links are read only if there are any).
    const gone = [...watermarks.keys()].filter((id) => !sourceById.has(id));
    if (gone.length > 0) {
      const linked = store.anchorIds();
      for (const id of gone) if (!linked.has(id)) store.deleteWatermark(id);
    }

    // Escrows: each failed object is scheduled for its retry (or given up); successes cleared theirs in apply.
    for (const f of applied.failed) {
      // Times are the cycle's (its start), so a cycle standing at a simulated time schedules from it exactly.
      const decision = escalate(
        escrows.get(f.sourceId),
        { sourceId: f.sourceId, objectType: f.objectType, errorCode: f.errorCode },
        started,
        schedule,
      );
      if (decision.kind === 'retry') store.putEscrow(decision.escrow);
      else {
        store.clearEscrow(f.sourceId);
        givenUp.push(decision.escrow);
      }
    }

    if (!applied.logStored) store.appendLog(applied.log);
    store.finishCycle(cycleId, status, finishedAt, applied.counts);
    if (!interrupted && !stopped && !onDemand) {
      store.setJobHash(job.hash);
      store.setFlag('initial', false);
      if (!applied.deletionThresholdExceeded) store.setFlag('force-deletes', false);
    }
  });

  if (!interrupted && !onDemand) {
    const escrowed = store.escrowCount();
    const thresholdReason = escrowThresholdReason(escrowed, failedObjects.size, applied.entryCount);
    if (!jobFailure && thresholdReason)
      jobFailure = {
        reason: thresholdReason,
        message: `${escrowed} objects are escrowed and ${failedObjects.size} of this cycle's ${applied.entryCount} failed`,
      };
    if (jobFailure) quarantineFor(jobFailure);
    else if (quarantine) {
      // The first cycle that succeeds leaves quarantine.
      quarantine = null;
      store.setQuarantine(null);
    }
  }
  const result = finish(status, applied.plan, applied.outcomes, applied.log, jobFailure, givenUp, applied.counts);
  return applied.plan ? { ...result, sources, ...(observations ? { observations } : {}) } : result;
}

/**
 * Entra's connection probe (spec §1.2): a filter GET for a random GUID on the first user matching
 * attribute, expecting 200 and an empty ListResponse. 401/403 and a 404 are job-level failures.
 */
async function probe(ctx: EngineContext, random: Random): Promise<void> {
  const attribute = ctx.job.users.matching[0]?.mapping.target ?? 'userName';
  try {
    const found = await ctx.send('GET', () => ctx.client.filter('Users', attribute, random.uuid()));
    if (found.length > 0)
      throw new JobFailure(
        `the connection probe (GET /Users?filter=${attribute} eq "<random GUID>") returned ${found.length} resource(s); a filter must only return matching resources`,
        'SystemForCrossDomainIdentityManagementServiceIncompatible',
      );
  } catch (error) {
    if (error instanceof JobFailure) throw error;
    if (error instanceof ScimRequestError) {
      const reason =
        error.status === 401 || error.status === 403 || error.status === null ? 'EncounteredQuarantineException' : error.entraCode;
      throw new JobFailure(`the connection probe failed: ${error.message}`, reason, { cause: error });
    }
    throw error;
  }
}
