/**
 * settleCycle: what a cycle leaves behind, decided from what it planned and applied. PURE: it returns the
 * cycle's delta (watermarks, escrows, the cycle record, the job's mapping hash and flags, quarantine), which
 * `commitCycle` writes in one transaction without deciding anything.
 *
 * - Status: `failed` on a job-level failure (the probe, or a 401/403 mid-cycle), `interrupted` on the
 *   user's stop, `entry-level-errors` when an object failed or deletions were held back, else `succeeded`.
 * - Watermarks (spec §5.2) move for objects whose changes were all carried out, and for failed ones (those
 *   come back through their escrow, or when they change); objects a stop kept from being reached keep the
 *   old one; a staged delete drops it, so the object comes up again next cycle. Watermarks of objects gone
 *   from Entra and no longer linked are dropped.
 * - Escrows (spec §5.8): each failed object is scheduled for its retry, or given up; an escrowed object
 *   that was worked on without failing (and was not held back or cut off) has its escrow cleared.
 * - A cycle that ran to its end (not on demand) records the mapping it ran with and clears the restart
 *   flags it consumed (`force-deletes` only once deletions went through).
 * - Quarantine (spec §5.9, §5.11): a job-level failure, TooManyDeletes or an escrow threshold puts the job
 *   in quarantine (or keeps it there, backing off); the first completed cycle without one leaves it. A
 *   user's stop and provision on demand leave it as it was.
 */
import type { CycleKind, CycleStatus, Escrow, ObjectType, Quarantine } from '../model/records.js';
import type { DesiredObject } from './desired.js';
import type { IdSet } from './id-set.js';
import type { WatermarkLookup } from './stored-watermarks.js';
import { escalate, type EscrowSchedule } from './escrow-schedule.js';
import { enterQuarantine, escrowThresholdReason, quarantineBackoff } from './quarantine.js';

export interface JobFailureInfo {
  /** Entra's quarantine reason (EncounteredQuarantineException, TooManyDeletes, …). */
  reason: string;
  message: string;
  /** The request that failed the job, when one did (the probe's, or a 401/403 mid-cycle). */
  request?: FailedRequest;
}

/** A request as a person debugging it needs it: what was sent where, and what came back (never headers). */
export interface FailedRequest {
  method: string;
  url: string;
  /** Null when no response arrived. */
  status: number | null;
  /** Why no response arrived (`ECONNREFUSED`, `ENOTFOUND`, `ETIMEDOUT`, a TLS code…), else null. */
  network: string | null;
  /** The SCIM error's `detail`, or the start of a body that was not a SCIM error. */
  detail: string | null;
}

/** What settle reads of a cycle's planning and applying (engine/plan-and-apply.ts returns more). */
export interface AppliedWork {
  /** Objects whose entry failed, with Entra's error code. */
  failed: Array<{ sourceId: string; objectType: ObjectType; errorCode: string }>;
  /** Objects with at least one outcome. */
  touched: IdSet;
  /** Objects with a change a stop kept from being sent. */
  notReached: ReadonlySet<string>;
  /** Objects held back by accidental-deletion prevention. */
  staged: ReadonlySet<string>;
  deletionThresholdExceeded: boolean;
  /** Log entries by `Action/Status`, over the whole cycle. */
  counts: Record<string, number>;
  entryCount: number;
}

export interface SettleInput {
  cycle: { id: string; kind: CycleKind; startedAt: Date; finishedAt: string; jobHash: string };
  /** A user's stop (Ctrl-C), and a job-level failure that stopped the cycle (the probe's, or one mid-cycle). */
  stop: { interrupted: boolean; jobFailure: JobFailureInfo | null };
  /** What was planned and applied; null when the cycle stopped before it selected any work. */
  applied: AppliedWork | null;
  /** Every desired object of the cycle. */
  desired: readonly Pick<DesiredObject, 'id' | 'objectType' | 'hash'>[];
  /** The source ids the cycle worked on. */
  workIds: IdSet;
  /** The records the cycle started from. */
  records: { escrows: ReadonlyMap<string, Escrow>; quarantine: Quarantine | null };
  /** The watermarks the cycle started from, compared with `desired`. */
  watermarks: WatermarkLookup;
  /** The links after apply. */
  linkedAfter: { has(sourceId: string): boolean };
  schedule: EscrowSchedule;
  intervalMs: number;
}

export interface CycleDelta {
  cycle: { id: string; status: CycleStatus; finishedAt: string; counts: Record<string, number> };
  /** `put`: the desired objects whose watermark moves (their id, type and hash; no copy of a million of them). */
  watermarks: { put: Array<Pick<DesiredObject, 'id' | 'objectType' | 'hash'>>; delete: string[] };
  escrows: { put: Escrow[]; clear: string[] };
  /** Set when the cycle ran to its end (not on demand): the mapping hash to record, and which flags to clear. */
  job: { hash: string; clearInitial: true; clearForceDeletes: boolean } | null;
  /** The job's quarantine after the cycle; `undefined` leaves the stored one as it is. */
  quarantine: Quarantine | null | undefined;
  /** Why the whole job failed in this cycle, if it did. */
  jobFailure: JobFailureInfo | null;
  /** Escrows given up in this cycle (retried no more unless their object changes). */
  givenUp: Escrow[];
  /** Escrowed objects after the cycle. */
  pendingEscrows: number;
  /** When the first of them is retried (ISO time), or null when none is escrowed. */
  nextEscrowRetry: string | null;
  /** When the next cycle should run: the interval, or the quarantine back-off. */
  requeueAfterMs: number;
}

export function settleCycle(input: SettleInput): CycleDelta {
  const { cycle, stop, applied, records } = input;
  const onDemand = cycle.kind === 'on-demand';
  const halted = stop.interrupted || stop.jobFailure !== null;
  const failedIds = new Set(applied?.failed.map((f) => f.sourceId) ?? []);
  const thresholdHit = applied?.deletionThresholdExceeded ?? false;
  const status: CycleStatus = stop.jobFailure
    ? 'failed'
    : stop.interrupted
      ? 'interrupted'
      : thresholdHit || failedIds.size > 0
        ? 'entry-level-errors'
        : 'succeeded';

  const watermarks: CycleDelta['watermarks'] = { put: [], delete: [] };
  const escrows: CycleDelta['escrows'] = { put: [], clear: [] };
  const givenUp: Escrow[] = [];
  if (applied) {
    for (const d of input.desired) {
      if (!applied.touched.has(d.id) && !input.workIds.has(d.id)) continue;
      if (applied.staged.has(d.id)) {
        if (input.watermarks.has(d.id)) watermarks.delete.push(d.id);
      } else if (!applied.notReached.has(d.id) && (!halted || applied.touched.has(d.id)) && !input.watermarks.unchanged(d.id)) {
        watermarks.put.push(d);
      }
    }
    for (const id of input.watermarks.gone) if (!input.linkedAfter.has(id)) watermarks.delete.push(id);

    // Times are the cycle's (its start), so a cycle standing at a simulated time schedules from it exactly.
    for (const f of applied.failed) {
      const decision = escalate(records.escrows.get(f.sourceId), f, cycle.startedAt, input.schedule);
      if (decision.kind === 'retry') escrows.put.push(decision.escrow);
      else {
        escrows.clear.push(f.sourceId);
        givenUp.push(decision.escrow);
      }
    }
    for (const id of records.escrows.keys()) {
      if (applied.touched.has(id) && !failedIds.has(id) && !applied.staged.has(id) && !applied.notReached.has(id)) escrows.clear.push(id);
    }
  }
  const pendingEscrows = new Map(records.escrows);
  for (const id of escrows.clear) pendingEscrows.delete(id);
  for (const e of escrows.put) pendingEscrows.set(e.sourceId, e);
  const pending = new Set(pendingEscrows.keys());
  const nextEscrowRetry = firstRetry(pendingEscrows.values());

  const completed = applied !== null && !halted && !onDemand;
  let jobFailure =
    stop.jobFailure ??
    (thresholdHit
      ? {
          reason: 'TooManyDeletes',
          message:
            'the disables and deletes of this cycle reached the accidental-deletion threshold; none was sent (see the StagedDelete entries; rerun with --allow-deletes to let them through)',
        }
      : null);
  if (!jobFailure && completed) {
    const reason = escrowThresholdReason(pending.size, failedIds.size, applied.entryCount);
    if (reason)
      jobFailure = {
        reason,
        message: `${pending.size} objects are escrowed and ${failedIds.size} of this cycle's ${applied.entryCount} failed`,
      };
  }

  let quarantine: Quarantine | null | undefined;
  if (onDemand) quarantine = undefined;
  else if (jobFailure && (completed || stop.jobFailure))
    quarantine = enterQuarantine(records.quarantine, jobFailure.reason, jobFailure.message, cycle.startedAt, input.intervalMs);
  else if (completed && records.quarantine) quarantine = null;
  const after = quarantine === undefined ? records.quarantine : quarantine;

  return {
    cycle: { id: cycle.id, status, finishedAt: cycle.finishedAt, counts: applied?.counts ?? {} },
    watermarks,
    escrows,
    job: completed ? { hash: cycle.jobHash, clearInitial: true, clearForceDeletes: !thresholdHit } : null,
    quarantine,
    jobFailure,
    givenUp,
    pendingEscrows: pending.size,
    nextEscrowRetry,
    requeueAfterMs: after ? quarantineBackoff(after.seriesCount, input.intervalMs) : input.intervalMs,
  };
}

/** When the first of these escrows is retried (ISO time; `''` is the next cycle), or null when there are none. */
export function firstRetry(escrows: Iterable<Escrow>): string | null {
  let first: string | null = null;
  for (const e of escrows) if (first === null || e.nextRetryAt < first) first = e.nextRetryAt;
  return first;
}
