/**
 * One provisioning cycle, Entra style (spec §5.1–5.2), as its steps:
 * resolve options → read records → probe → evaluate the source (pure) → select work (pure) → plan and
 * apply in batches (observe, diff, apply, log) → settle (pure) → commit (one transaction).
 *
 * Level-based: every cycle re-evaluates the source and never replays an old plan. A dry run stops after
 * each plan and writes nothing, to the target or to the state. The cycle stops early on the user's signal
 * (`interrupted`) or on a job-level failure (`failed`: the probe, or a 401/403 mid-cycle, which the retry
 * ladder reports as its `job-failure` verdict); what was done until then is settled and committed.
 */
import type PQueue from 'p-queue';
import type { CompiledJob } from '../mapping/compile.js';
import type { Tenant } from '../model/directory.js';
import type { Anchor, Escrow, ObjectType } from '../model/records.js';
import type { ScimClient } from '../scim/client.js';
import type { Clock } from '../shared/clock.js';
import { FixtureChangedError, JobFailure, ScimRequestError } from '../shared/errors.js';
import type { Random } from '../shared/random.js';
import { redactSecretsDeep } from '../shared/redact-secret.js';
import type { StateStore } from '../store/store.js';
import { commitCycle } from './commit-cycle.js';
import type { EngineContext } from './context.js';
import { resolveCycleOptions, type CycleOptions, type ResolvedCycleOptions } from './cycle-options.js';
import type { CycleResult } from './cycle-result.js';
import { evaluateSource, type DesiredObject } from './desired.js';
import { isDue } from './escrow-schedule.js';
import { DesiredIndex, type DesiredLookup } from './desired-index.js';
import { DesiredIdSet } from './id-set.js';
import { TargetClaims } from './target-claims.js';
import type { EngineHooks } from './hooks.js';
import { planAndApply, type Applied } from './plan-and-apply.js';
import { probe } from './probe.js';
import { quarantineBackoff } from './quarantine.js';
import { readCycleRecords, readLinks, readTargetIds, readWatermarks, type CycleRecords } from './read-records.js';
import { NO_WATERMARKS, type WatermarkLookup } from './stored-watermarks.js';
import { LinkedTargets, type TargetIdMap } from './linked-targets.js';
import { failedRequest, withRetry } from './retry.js';
import { chooseCycleKind, linksToRead, selectWork, sourceIdsOf, type WorkItem } from './select-work.js';
import { firstRetry, settleCycle, type CycleDelta, type JobFailureInfo } from './settle.js';

export type { CycleOptions } from './cycle-options.js';
export type { CycleResult } from './cycle-result.js';

export interface CycleDeps {
  tenant: Tenant;
  job: CompiledJob;
  client: ScimClient;
  store: StateStore;
  queue: PQueue;
  clock: Clock;
  random: Random;
  hooks?: EngineHooks;
  /** The user's stop (Ctrl-C): requests in flight finish, nothing new starts, the cycle is committed. */
  signal?: AbortSignal;
  /** Strings nothing stored may hold (the bearer token): masked in log entries and the job failure. */
  secrets?: readonly string[];
}

export async function runCycle(deps: CycleDeps, options: CycleOptions = {}): Promise<CycleResult> {
  const opts = resolveCycleOptions(options);
  const { store, clock, random, job, tenant } = deps;
  const records = readCycleRecords(store);
  const kind = chooseCycleKind(records, job.hash, { onDemand: opts.only !== null, forceInitial: opts.forceInitial });
  const cycle: CycleFacts = { id: random.uuid(), kind, startedAt: clock.now(), jobHash: job.hash };
  const halt = haltSwitch(deps.signal, deps.secrets ?? []);
  const ctx = engineContext(deps, opts, halt);
  if (!opts.dryRun) store.beginCycle({ id: cycle.id, kind, startedAt: cycle.startedAt.toISOString(), dryRun: false, jobHash: job.hash });

  deps.hooks?.onPhase?.({ phase: 'probe' });
  await probe(ctx, random).catch((error: unknown) => halt.fail(jobFailureOf(error), true));
  const retainViews = opts.oneBatchUpTo >= tenant.users.length + tenant.groups.length;
  // A dry run evaluates the source even when the target cannot be read: it shows what it can.
  if (!halt.jobFailure || opts.dryRun)
    deps.hooks?.onPhase?.({ phase: 'evaluate', users: tenant.users.length, groups: tenant.groups.length });
  const evaluated = halt.jobFailure && !opts.dryRun ? { desired: [], changed: null } : evaluate(deps, retainViews);
  const desired = evaluated.desired;
  // The desired objects by id, for every whole-tenant question of the cycle. It, the whole-cycle sets of
  // ids (id-set.ts) and lookups (tenant-places.ts) rely on each position being its place.
  for (const [i, d] of desired.entries())
    if (d.position !== i) throw new Error(`evaluateSource gave desired object ${d.id} position ${d.position} at place ${i}`);
  const desiredById = new DesiredIndex(desired);
  ctx.claimedTargets = new TargetClaims(desired, desiredById);
  const selecting = !halt.jobFailure && !evaluated.changed;
  // The watermarks the cycle starts from, compared with its desired objects (only a cycle that selects work asks).
  const watermarks = selecting ? readWatermarks(store, desiredById) : NO_WATERMARKS;
  // The cycle's links as it goes: read as the cycle starts, then kept current by apply.
  const targetIds = readTargetIds(store, new LinkedTargets(desired, desiredById));
  const work = selecting ? selectCycleWork(cycle, desired, desiredById, records, watermarks, targetIds, opts, deps) : null;
  const base = {
    cycleId: cycle.id,
    kind,
    desired: desiredById,
    job,
    dialect: opts.dialect,
    quirks: opts.quirks,
  };
  // The ids the cycle works on, before planAndApply takes the work over (it lets go of it as it goes).
  const workIds = new DesiredIdSet(desiredById, sourceIdsOf([work?.items ?? []]));
  const applied = work
    ? await planAndApply(
        {
          work: work.items,
          base: { ...base, links: work.links, allowDeletes: opts.allowDeletes || records.flags.forceDeletes },
          targetIds,
          tenant,
          batchSize: opts.batchSize,
          oneBatchUpTo: opts.oneBatchUpTo,
          dryRun: opts.dryRun,
          newId: () => random.uuid(),
        },
        ctx,
      )
    : null;
  // A fixture file that changed mid-cycle stops it as Ctrl-C does (what was done is committed); the result says which.
  const changedFile = evaluated.changed ?? applied?.fixtureChanged?.file ?? null;
  const changed = changedFile !== null ? { fixtureChanged: changedFile } : {};
  const stop = { interrupted: (deps.signal?.aborted ?? false) || changedFile !== null, jobFailure: halt.jobFailure };
  if (opts.dryRun) return { ...dryRunResult(cycle, stop, applied, desired, records, opts, clock.now().toISOString()), ...changed };

  const finishedAt = clock.now().toISOString();
  const delta = settleCycle({
    cycle: { ...cycle, finishedAt },
    stop,
    applied,
    desired,
    workIds,
    records,
    watermarks,
    linkedAfter: targetIds,
    schedule: opts.escrowSchedule,
    intervalMs: opts.intervalMs,
  });
  commitCycle(store, delta);
  return { ...cycleResult(cycle, applied, desired, records, delta), ...changed };
}

/** The cycle's identity, fixed at its start. */
interface CycleFacts {
  id: string;
  kind: CycleResult['kind'];
  startedAt: Date;
  jobHash: string;
}

/**
 * The cycle's work (select-work.ts) and the links it needs, read up front. Provision on demand works on
 * the objects asked for, as an initial cycle would (no watermark or escrow can skip them).
 */
function selectCycleWork(
  cycle: CycleFacts,
  desired: readonly DesiredObject[],
  desiredById: DesiredLookup<DesiredObject>,
  records: CycleRecords,
  /** The watermarks the cycle starts from (settle reads them too). */
  stored: WatermarkLookup,
  /** The links' target ids as the cycle starts (nothing has been linked yet). */
  targetIds: TargetIdMap,
  opts: ResolvedCycleOptions,
  deps: CycleDeps,
): { items: WorkItem[]; links: Map<string, Anchor> } {
  const kind = cycle.kind === 'on-demand' ? 'initial' : cycle.kind;
  const watermarks = opts.only ? NO_WATERMARKS : stored;
  const escrows = opts.only ? new Map<string, Escrow>() : new Map([...records.escrows].filter(([, e]) => isDue(e, cycle.startedAt)));
  const links = readLinks(deps.store, linksToRead(kind, desired, targetIds, watermarks, escrows, opts.only, desiredById), targetIds.size);
  const objectTypes = new Set<ObjectType>(deps.job.groups.enabled ? ['User', 'Group'] : ['User']);
  const selected = selectWork(
    kind,
    desired,
    links,
    watermarks,
    escrows,
    objectTypes,
    { readBeforeWrite: opts.quirks.readBeforeWrite, job: deps.job },
    desiredById,
  );
  return { items: opts.only ? selected.filter((w) => opts.only!.has(w.sourceId)) : selected, links };
}

/**
 * The desired side of the cycle, or the fixture file that changed under a tenant read back from its files
 * (`FixtureChangedError`: the cycle then stops before any work, as interrupted, and says which file).
 */
function evaluate(deps: CycleDeps, retainViews: boolean): { desired: DesiredObject[]; changed: string | null } {
  try {
    const { tenant, hooks } = deps;
    const total = tenant.users.length + (deps.job.groups.enabled ? tenant.groups.length : 0);
    const onEvaluated = hooks?.onEvaluated;
    const options = { retainViews, ...(onEvaluated ? { onProgress: (done: number) => onEvaluated({ done, total }) } : {}) };
    return { desired: evaluateSource(tenant, deps.job, { clock: deps.clock, random: deps.random }, options), changed: null };
  } catch (error) {
    if (error instanceof FixtureChangedError) return { desired: [], changed: error.file };
    throw error;
  }
}

function jobFailureOf(error: unknown): JobFailureInfo {
  if (!(error instanceof JobFailure)) return { reason: 'Unknown', message: String(error) };
  return {
    reason: error.reason,
    message: error.message,
    ...(error.cause instanceof ScimRequestError ? { request: failedRequest(error.cause) } : {}),
  };
}

/** The result of a cycle that ran (not a dry run): what it did, from its delta. */
function cycleResult(
  cycle: CycleFacts,
  applied: Applied | null,
  desired: DesiredObject[],
  records: CycleRecords,
  delta: CycleDelta,
): CycleResult {
  return {
    cycleId: cycle.id,
    kind: cycle.kind,
    status: delta.cycle.status,
    dryRun: false,
    plan: applied?.plan ?? null,
    outcomes: applied?.outcomes ?? [],
    log: applied?.log ?? [],
    counts: delta.cycle.counts,
    batched: (applied?.batches ?? 1) > 1,
    jobFailure: delta.jobFailure,
    quarantine: delta.quarantine === undefined ? records.quarantine : delta.quarantine,
    escrows: { pending: delta.pendingEscrows, nextRetryAt: delta.nextEscrowRetry, givenUp: delta.givenUp },
    requeueAfterMs: delta.requeueAfterMs,
    ...explanations(applied, desired),
    startedAt: cycle.startedAt.toISOString(),
    finishedAt: delta.cycle.finishedAt,
  };
}

/** The desired objects and reads of a one-batch cycle, for explanations (provision on demand). */
function explanations(applied: Applied | null, desired: DesiredObject[]): Pick<CycleResult, 'sources' | 'observations'> {
  if (!applied?.plan) return {};
  return { sources: desired, ...(applied.observations ? { observations: applied.observations } : {}) };
}

/** The cycle's own stop: a job-level failure aborts it, on top of the user's signal. */
interface HaltSwitch {
  signal: AbortSignal;
  jobFailure: JobFailureInfo | null;
  /** Stops the cycle for a job-level failure; the first one is kept unless `overrides` (the probe's own). */
  fail(failure: JobFailureInfo, overrides?: boolean): void;
}

function haltSwitch(user: AbortSignal | undefined, secrets: readonly string[]): HaltSwitch {
  const controller = new AbortController();
  const halt: HaltSwitch = {
    signal: user ? AbortSignal.any([user, controller.signal]) : controller.signal,
    jobFailure: null,
    fail(failure, overrides = false) {
      if (halt.jobFailure && !overrides) return;
      // Stored as the quarantine's error; its message and request quote the server, which may echo the token.
      halt.jobFailure = redactSecretsDeep(failure, secrets);
      controller.abort(new Error(halt.jobFailure.message));
    },
  };
  return halt;
}

/** What observe and apply run with: the I/O seams, and every request through the retry ladder. */
function engineContext(deps: CycleDeps, opts: ResolvedCycleOptions, halt: HaltSwitch): EngineContext {
  const hooks = deps.hooks ?? {};
  const { clock, random } = deps;
  return {
    job: deps.job,
    client: deps.client,
    queue: deps.queue,
    store: deps.store,
    clock,
    hooks,
    dialect: opts.dialect,
    quirks: opts.quirks,
    membersPerPatch: opts.membersPerPatch,
    secrets: deps.secrets ?? [],
    signal: halt.signal,
    send: (method, fn) =>
      withRetry(method, fn, {
        policy: opts.retry,
        clock,
        random: random.next,
        onRetry: (e) => hooks.onRetry?.({ ...e, method }),
        onJobFailure: (f) => halt.fail(f),
        signal: halt.signal,
      }),
  };
}

/** A dry run's result: the plan (null when it was planned in batches), nothing stored, nothing counted. */
function dryRunResult(
  cycle: CycleFacts,
  stop: { interrupted: boolean; jobFailure: JobFailureInfo | null },
  applied: Applied | null,
  desired: DesiredObject[],
  records: CycleRecords,
  opts: ResolvedCycleOptions,
  finishedAt: string,
): CycleResult {
  return {
    cycleId: cycle.id,
    kind: cycle.kind,
    status: stop.jobFailure ? 'failed' : stop.interrupted ? 'interrupted' : 'succeeded',
    dryRun: true,
    plan: applied?.plan ?? null,
    outcomes: [],
    log: [],
    counts: {},
    batched: (applied?.batches ?? 1) > 1,
    jobFailure: stop.jobFailure,
    quarantine: records.quarantine,
    escrows: { pending: records.escrows.size, nextRetryAt: firstRetry(records.escrows.values()), givenUp: [] },
    requeueAfterMs: records.quarantine ? quarantineBackoff(records.quarantine.seriesCount, opts.intervalMs) : opts.intervalMs,
    // The desired objects even without a plan: what a dry run can show when the target could not be read.
    sources: desired,
    ...(applied?.observations ? { observations: applied.observations } : {}),
    startedAt: cycle.startedAt.toISOString(),
    finishedAt,
  };
}
