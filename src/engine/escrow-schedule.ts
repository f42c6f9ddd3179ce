/**
 * When a failed object is retried (Entra's escrows, spec §5.8). Pure.
 *
 * - Transient failures (429, 5xx, timeouts, connection errors) are "retried in 40 minutes": in the next cycle.
 * - Other failures follow the documented schedule: the `current` one retries at +6 h, +12 h and +24 h after
 *   the first failure, then every 24 h, and gives up after 28 days; the `2022` one retried at +2 h, 6 h,
 *   12 h, 24 h, 48 h, 96 h and 168 h and gave up after the 7th failure.
 * - An object is also retried in any cycle in which it changes (select-work), and a success clears it.
 */
import type { Escrow } from '../model/records.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface EscrowSchedule {
  name: string;
  /** Retry times after the first failure, in order. */
  offsetsMs: readonly number[];
  /** After the offsets: retry this often; null = no more retries after the offsets. */
  thenEveryMs: number | null;
  /** Give up (drop the escrow) this long after the first failure; null = only when the offsets run out. */
  giveUpAfterMs: number | null;
}

export const ESCROW_SCHEDULES: Readonly<Record<'current' | '2022', EscrowSchedule>> = {
  current: { name: 'current', offsetsMs: [6 * HOUR, 12 * HOUR, 24 * HOUR], thenEveryMs: 24 * HOUR, giveUpAfterMs: 28 * DAY },
  '2022': {
    name: '2022',
    offsetsMs: [2 * HOUR, 6 * HOUR, 12 * HOUR, 24 * HOUR, 48 * HOUR, 96 * HOUR, 168 * HOUR],
    thenEveryMs: null,
    giveUpAfterMs: null,
  },
};

/** Entra's codes for failures that are retried in the next cycle rather than on the escrow schedule. */
export const TRANSIENT_ERROR_CODES: ReadonlySet<string> = new Set([
  'TooManyRequests',
  'InternalServerError',
  'Timeout',
  'WebExceptionProtocolError',
  'Interrupted',
]);

export type EscrowDecision = { kind: 'retry'; escrow: Escrow } | { kind: 'give-up'; escrow: Escrow };

/** The escrow after one more failure at `now`. */
export function escalate(
  previous: Escrow | undefined,
  failure: { sourceId: string; objectType: Escrow['objectType']; errorCode: string },
  now: Date,
  schedule: EscrowSchedule,
): EscrowDecision {
  const first = previous ? new Date(previous.firstFailureAt) : now;
  const attempts = (previous?.attempts ?? 0) + 1;
  const base: Omit<Escrow, 'nextRetryAt'> = {
    sourceId: failure.sourceId,
    objectType: failure.objectType,
    firstFailureAt: first.toISOString(),
    lastFailureAt: now.toISOString(),
    attempts,
    errorCode: failure.errorCode,
  };
  if (TRANSIENT_ERROR_CODES.has(failure.errorCode)) return { kind: 'retry', escrow: { ...base, nextRetryAt: now.toISOString() } };
  const elapsed = now.getTime() - first.getTime();
  if (schedule.giveUpAfterMs !== null && elapsed >= schedule.giveUpAfterMs)
    return { kind: 'give-up', escrow: { ...base, nextRetryAt: '' } };
  const next = nextOffset(schedule, elapsed);
  if (next === null) return { kind: 'give-up', escrow: { ...base, nextRetryAt: '' } };
  return { kind: 'retry', escrow: { ...base, nextRetryAt: new Date(first.getTime() + next).toISOString() } };
}

/** The first scheduled retry offset strictly after `elapsed`, or null when the schedule is exhausted. */
function nextOffset(schedule: EscrowSchedule, elapsed: number): number | null {
  for (const offset of schedule.offsetsMs) if (offset > elapsed) return offset;
  if (schedule.thenEveryMs === null) return null;
  const last = schedule.offsetsMs[schedule.offsetsMs.length - 1] ?? 0;
  const steps = Math.floor((elapsed - last) / schedule.thenEveryMs) + 1;
  return last + steps * schedule.thenEveryMs;
}

/** Whether an escrowed object is due in a cycle standing at `now`. */
export function isDue(escrow: Escrow, now: Date): boolean {
  return escrow.nextRetryAt === '' || Date.parse(escrow.nextRetryAt) <= now.getTime();
}
