/**
 * Quarantine (spec §5.9): a job whose calls fail consistently, or that crosses the escrow or deletion
 * thresholds, is quarantined; its cycles then back off towards once a day, and the first cycle that
 * succeeds leaves quarantine. Pure.
 */
import type { Quarantine } from '../model/records.js';

const DAY = 86_400_000;

/** Escrow thresholds ("subject to change" in Microsoft's docs). */
export const ESCROW_THRESHOLDS = {
  /** Evaluation starts at this many escrowed objects. */
  evaluateFrom: 5_000,
  /** More than this share of a cycle's objects failing. */
  proportion: 0.4,
  /** More than this many escrows (reference failures excluded). */
  base: 40_000,
  /** Absolute cap. */
  total: 60_000,
} as const;

/** The delay before the next cycle of a quarantined job: the interval doubling per cycle, capped at a day. */
export function quarantineBackoff(seriesCount: number, intervalMs: number): number {
  return Math.min(DAY, intervalMs * 2 ** Math.max(0, seriesCount - 1));
}

export function enterQuarantine(previous: Quarantine | null, reason: string, error: string, now: Date, intervalMs: number): Quarantine {
  const seriesCount = (previous?.seriesCount ?? 0) + 1;
  return {
    reason,
    error,
    currentBegan: previous && previous.reason === reason ? previous.currentBegan : now.toISOString(),
    seriesBegan: previous?.seriesBegan ?? now.toISOString(),
    seriesCount,
    nextAttempt: new Date(now.getTime() + quarantineBackoff(seriesCount, intervalMs)).toISOString(),
  };
}

/** The escrow-threshold reason, if the job crossed one. */
export function escrowThresholdReason(escrows: number, failedThisCycle: number, objectsThisCycle: number): string | null {
  if (escrows >= ESCROW_THRESHOLDS.total) return 'EncounteredTotalEscrowThreshold';
  if (escrows < ESCROW_THRESHOLDS.evaluateFrom) return null;
  if (escrows > ESCROW_THRESHOLDS.base) return 'EncounteredBaseEscrowThreshold';
  if (objectsThisCycle > 0 && failedThisCycle / objectsThisCycle > ESCROW_THRESHOLDS.proportion)
    return 'EncounteredEscrowProportionThreshold';
  return null;
}
