/**
 * A cycle's options, and `resolveCycleOptions`: every default applied and every value checked once, before
 * the cycle does any I/O (ky's NormalizedOptions). A bad value throws a TypeError in p-queue's message shape
 * ("Expected `x` to be …, got `y`"), so nothing is begun, probed or stored for it. Pure.
 */
import { DIALECTS } from '../scim/dialect.js';
import { defaultQuirks, QUIRK_NAMES, type Quirks } from '../scim/quirks.js';
import type { DialectName } from '../scim/types.js';
import { DEFAULTS } from './defaults.js';
import { ESCROW_SCHEDULES, type EscrowSchedule } from './escrow-schedule.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry.js';

export interface CycleOptions {
  /** Plan only: no writes to the target, nothing stored. @default false */
  dryRun?: boolean;
  /** Entra's ForceDeletes: let deletions through the accidental-deletion threshold. @default false */
  allowDeletes?: boolean;
  /** The PATCH dialect (scim/dialect.ts). @default 'legacy' */
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
  /** The retry ladder within the cycle. @default DEFAULT_RETRY_POLICY (engine/retry.ts) */
  retry?: RetryPolicy;
  /** Request shapes where the evidence is thin (scim/quirks.ts). @default the dialect's defaults */
  quirks?: Quirks;
  /** When failed objects are retried. @default ESCROW_SCHEDULES.current */
  escrowSchedule?: EscrowSchedule;
  /** The job's cycle interval: the next cycle's delay, and the base of the quarantine back-off. @default 40 min */
  intervalMs?: number;
  /**
   * Objects per batch in a large cycle. A cycle with more work than this is observed, planned, applied and
   * logged batch by batch, so its memory does not grow with the tenant (engine/plan-and-apply.ts). Provision
   * on demand is one batch whatever its size; a dry run up to `wholePlanLimit`. @default 2000
   */
  batchSize?: number;
  /**
   * A dry run with up to this many objects of work (or up to `batchSize`, if larger) is planned as one
   * batch: one plan, passed once to `hooks.onPlan` and returned as `result.plan`. A larger dry run is planned
   * in batches of `batchSize`, in the order the cycle would send them (object batches, then deferred
   * references, then deprovisioning): each batch's plan goes to `hooks.onPlan` as it is made, `result.plan`
   * is null and `result.batched` true, and its memory is bounded by the batch instead of the tenant.
   * @default 50000
   */
  wholePlanLimit?: number;
}

/** CycleOptions with every default applied. */
export interface ResolvedCycleOptions {
  dryRun: boolean;
  allowDeletes: boolean;
  dialect: DialectName;
  forceInitial: boolean;
  /** Null: every object (a scheduled cycle). */
  only: ReadonlySet<string> | null;
  membersPerPatch: number;
  retry: RetryPolicy;
  quirks: Quirks;
  escrowSchedule: EscrowSchedule;
  intervalMs: number;
  batchSize: number;
  /** Work up to this size is one batch: `batchSize`, more for a dry run, Infinity on demand. */
  oneBatchUpTo: number;
}

export function resolveCycleOptions(options: CycleOptions = {}): ResolvedCycleOptions {
  const dialect = options.dialect ?? (DEFAULTS.dialect as DialectName);
  if (!DIALECTS.includes(dialect))
    throw new TypeError(`Expected \`dialect\` to be one of ${DIALECTS.join(', ')}, got \`${String(dialect)}\``);
  const dryRun = flag('dryRun', options.dryRun);
  const only = options.only ?? null;
  if (only !== null && !(only instanceof Set)) throw new TypeError(`Expected \`only\` to be a Set of source ids, got \`${typeof only}\``);
  const batchSize = integerFrom('batchSize', options.batchSize ?? DEFAULTS.batchSize, 1);
  const wholePlanLimit = integerFrom('wholePlanLimit', options.wholePlanLimit ?? DEFAULTS.wholePlanLimit, 0);
  return {
    dryRun,
    allowDeletes: flag('allowDeletes', options.allowDeletes),
    dialect,
    forceInitial: flag('forceInitial', options.forceInitial),
    only,
    membersPerPatch: integerFrom('membersPerPatch', options.membersPerPatch ?? DEFAULTS.membersPerPatch, 1),
    retry: checkRetry(options.retry ?? DEFAULT_RETRY_POLICY),
    quirks: checkQuirks(options.quirks ?? defaultQuirks(dialect)),
    escrowSchedule: checkSchedule(options.escrowSchedule ?? ESCROW_SCHEDULES.current),
    intervalMs: positive('intervalMs', options.intervalMs ?? DEFAULTS.intervalMs),
    batchSize,
    // Provision on demand works on a handful of objects; a dry run shows one whole plan while it fits.
    oneBatchUpTo: only !== null ? Number.POSITIVE_INFINITY : dryRun ? Math.max(wholePlanLimit, batchSize) : batchSize,
  };
}

function flag(name: string, value: boolean | undefined): boolean {
  if (value !== undefined && typeof value !== 'boolean')
    throw new TypeError(`Expected \`${name}\` to be a boolean, got \`${String(value)}\` (${typeof value})`);
  return value ?? false;
}

function integerFrom(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min)
    throw new TypeError(`Expected \`${name}\` to be an integer from ${min}, got \`${String(value)}\``);
  return value;
}

function positive(name: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)
    throw new TypeError(`Expected \`${name}\` to be a finite number above 0, got \`${String(value)}\``);
  return value;
}

function atLeastZero(name: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    throw new TypeError(`Expected \`${name}\` to be a finite number from 0, got \`${String(value)}\``);
  return value;
}

function checkRetry(policy: RetryPolicy): RetryPolicy {
  integerFrom('retry.limit', policy.limit, 0);
  atLeastZero('retry.maxRetryAfterMs', policy.maxRetryAfterMs);
  atLeastZero('retry.backoffBaseMs', policy.backoffBaseMs);
  atLeastZero('retry.backoffMaxMs', policy.backoffMaxMs);
  if (!Array.isArray(policy.statusCodes) || !policy.statusCodes.every((s) => Number.isInteger(s) && s >= 100 && s <= 599)) {
    throw new TypeError(`Expected \`retry.statusCodes\` to be an array of HTTP statuses, got \`${JSON.stringify(policy.statusCodes)}\``);
  }
  return policy;
}

function checkQuirks(quirks: Quirks): Quirks {
  for (const name of Object.keys(quirks)) {
    if (!(QUIRK_NAMES as readonly string[]).includes(name))
      throw new TypeError(`Expected \`quirks\` to name known quirks (${QUIRK_NAMES.join(', ')}), got \`${name}\``);
  }
  for (const name of QUIRK_NAMES) {
    if (typeof quirks[name] !== 'boolean')
      throw new TypeError(`Expected \`quirks.${name}\` to be a boolean, got \`${String(quirks[name])}\``);
  }
  return quirks;
}

function checkSchedule(schedule: EscrowSchedule): EscrowSchedule {
  if (!Array.isArray(schedule.offsetsMs) || !schedule.offsetsMs.every((o) => Number.isFinite(o) && o > 0)) {
    throw new TypeError(
      `Expected \`escrowSchedule.offsetsMs\` to be an array of positive numbers, got \`${JSON.stringify(schedule.offsetsMs)}\``,
    );
  }
  if (schedule.thenEveryMs !== null) positive('escrowSchedule.thenEveryMs', schedule.thenEveryMs);
  if (schedule.giveUpAfterMs !== null) positive('escrowSchedule.giveUpAfterMs', schedule.giveUpAfterMs);
  return schedule;
}
