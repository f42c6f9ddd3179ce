import { describe, expect, it } from 'vitest';
import { ESCROW_SCHEDULES, escalate, isDue } from '../../src/engine/escrow-schedule.js';
import { enterQuarantine, escrowThresholdReason, quarantineBackoff } from '../../src/engine/quarantine.js';

const H = 3_600_000;
const T0 = new Date('2026-03-01T00:00:00Z');
const at = (hours: number) => new Date(T0.getTime() + hours * H);
const fail = { sourceId: 's1', objectType: 'User' as const, errorCode: 'EntryConflict' };

describe('escrow schedule (spec §5.8)', () => {
  it('current: +6 h, +12 h, +24 h after the first failure, then every 24 h, given up after 28 days', () => {
    let e = escalate(undefined, fail, T0, ESCROW_SCHEDULES.current);
    const retries: string[] = [];
    let now = T0;
    for (let i = 0; i < 6 && e.kind === 'retry'; i++) {
      retries.push(e.escrow.nextRetryAt);
      now = new Date(e.escrow.nextRetryAt);
      e = escalate(e.escrow, fail, now, ESCROW_SCHEDULES.current);
    }
    expect(retries).toEqual([at(6), at(12), at(24), at(48), at(72), at(96)].map((d) => d.toISOString()));
    expect(e.escrow).toMatchObject({ attempts: 7, firstFailureAt: T0.toISOString() });
    expect(escalate({ ...e.escrow }, fail, at(28 * 24), ESCROW_SCHEDULES.current).kind).toBe('give-up');
    expect(escalate({ ...e.escrow }, fail, at(28 * 24 - 1), ESCROW_SCHEDULES.current).kind).toBe('retry');
  });

  it('2022: seven retries (2 h … 168 h), then no more', () => {
    let e = escalate(undefined, fail, T0, ESCROW_SCHEDULES['2022']);
    const retries: string[] = [];
    while (e.kind === 'retry') {
      retries.push(e.escrow.nextRetryAt);
      e = escalate(e.escrow, fail, new Date(e.escrow.nextRetryAt), ESCROW_SCHEDULES['2022']);
    }
    expect(retries).toEqual([2, 6, 12, 24, 48, 96, 168].map((h) => at(h).toISOString()));
  });

  it('transient failures (429, 5xx, timeouts, resets) are due in the next cycle', () => {
    for (const errorCode of ['TooManyRequests', 'InternalServerError', 'Timeout', 'WebExceptionProtocolError']) {
      const e = escalate(undefined, { ...fail, errorCode }, T0, ESCROW_SCHEDULES.current);
      expect(e.kind === 'retry' && isDue(e.escrow, T0)).toBe(true);
    }
    const conflict = escalate(undefined, fail, T0, ESCROW_SCHEDULES.current);
    expect(isDue(conflict.escrow, at(5.9))).toBe(false);
    expect(isDue(conflict.escrow, at(6))).toBe(true);
  });
});

describe('quarantine (spec §5.9)', () => {
  it('backs off from the interval towards once a day', () => {
    const forty = 40 * 60_000;
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => quarantineBackoff(n, forty) / 60_000)).toEqual([40, 80, 160, 320, 640, 1280, 1440]);
  });

  it('keeps the series and the current reason apart', () => {
    const q1 = enterQuarantine(null, 'EncounteredQuarantineException', 'bad token', T0, 40 * 60_000);
    const q2 = enterQuarantine(q1, 'EncounteredQuarantineException', 'bad token', at(1), 40 * 60_000);
    const q3 = enterQuarantine(q2, 'TooManyDeletes', 'too many', at(2), 40 * 60_000);
    expect(q2).toMatchObject({
      seriesCount: 2,
      seriesBegan: T0.toISOString(),
      currentBegan: T0.toISOString(),
      nextAttempt: new Date(at(1).getTime() + 80 * 60_000).toISOString(),
    });
    expect(q3).toMatchObject({
      seriesCount: 3,
      seriesBegan: T0.toISOString(),
      currentBegan: at(2).toISOString(),
      reason: 'TooManyDeletes',
    });
  });

  it('escrow thresholds: evaluated from 5,000 escrows; > 40 % failing, > 40,000, or 60,000 in all', () => {
    expect(escrowThresholdReason(4_999, 4_999, 4_999)).toBeNull();
    expect(escrowThresholdReason(5_000, 2_001, 5_000)).toBe('EncounteredEscrowProportionThreshold');
    expect(escrowThresholdReason(5_000, 1_999, 5_000)).toBeNull();
    expect(escrowThresholdReason(40_001, 0, 100_000)).toBe('EncounteredBaseEscrowThreshold');
    expect(escrowThresholdReason(60_000, 0, 100_000)).toBe('EncounteredTotalEscrowThreshold');
  });
});
