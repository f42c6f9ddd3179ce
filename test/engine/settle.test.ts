/**
 * settleCycle, table-driven: what a cycle leaves behind (spec §5.2 watermarks, §5.8 escrows, §5.9
 * quarantine, §5.11 TooManyDeletes), decided from what it applied. Pure: no store, no clock.
 */
import { describe, expect, it } from 'vitest';
import { ESCROW_SCHEDULES } from '../../src/engine/escrow-schedule.js';
import { DesiredIndex } from '../../src/engine/desired-index.js';
import { settleCycle, type AppliedWork, type SettleInput } from '../../src/engine/settle.js';
import { StoredWatermarks } from '../../src/engine/stored-watermarks.js';
import type { Escrow, Quarantine } from '../../src/model/records.js';

const START = new Date('2026-05-01T08:00:00Z');
const HOUR = 3_600_000;
const INTERVAL = 40 * 60_000;

const desired = (...ids: string[]): SettleInput['desired'] => ids.map((id) => ({ id, objectType: 'User' as const, hash: `h-${id}` }));
const applied = (over: Partial<AppliedWork> = {}): AppliedWork => ({
  failed: [],
  touched: new Set(),
  notReached: new Set(),
  staged: new Set(),
  deletionThresholdExceeded: false,
  counts: {},
  entryCount: 0,
  ...over,
});
const escrow = (sourceId: string, over: Partial<Escrow> = {}): Escrow => ({
  sourceId,
  objectType: 'User',
  firstFailureAt: START.toISOString(),
  lastFailureAt: START.toISOString(),
  attempts: 1,
  errorCode: 'UnprocessableEntity',
  nextRetryAt: START.toISOString(),
  ...over,
});
const quarantined = (reason = 'EncounteredQuarantineException', seriesCount = 1): Quarantine => ({
  reason,
  error: 'earlier',
  currentBegan: '2026-04-30T08:00:00Z',
  seriesBegan: '2026-04-30T08:00:00Z',
  seriesCount,
  nextAttempt: '2026-05-01T08:00:00Z',
});

/** `stored`: the watermarks as the store holds them (id → hash), compared with `desired` as a cycle compares them. */
function settle({
  stored = new Map<string, string>(),
  ...over
}: Partial<SettleInput> & { applied?: AppliedWork | null; stored?: Map<string, string> } = {}) {
  const objects = (over.desired ?? desired()).map((d, position) => ({ ...d, position }));
  return settleCycle({
    cycle: { id: 'c1', kind: 'incremental', startedAt: START, finishedAt: '2026-05-01T08:01:00Z', jobHash: 'job-2' },
    stop: { interrupted: false, jobFailure: null },
    applied: applied(),
    desired: desired(),
    workIds: new Set(),
    records: { escrows: new Map(), quarantine: null },
    watermarks: new StoredWatermarks((visit) => stored.forEach((hash, id) => visit(id, hash)), new DesiredIndex(objects)),
    linkedAfter: new Set(),
    schedule: ESCROW_SCHEDULES.current,
    intervalMs: INTERVAL,
    ...over,
  });
}

describe('settleCycle: status', () => {
  const cases: Array<[string, Partial<SettleInput>, string]> = [
    ['every object done', { applied: applied({ touched: new Set(['a']) }) }, 'succeeded'],
    [
      'an object failed',
      { applied: applied({ touched: new Set(['a']), failed: [{ sourceId: 'a', objectType: 'User', errorCode: 'EntryConflict' }] }) },
      'entry-level-errors',
    ],
    ['deletions held back', { applied: applied({ deletionThresholdExceeded: true }) }, 'entry-level-errors'],
    ['stopped by the user (Ctrl-C)', { stop: { interrupted: true, jobFailure: null } }, 'interrupted'],
    [
      'a 401 mid-cycle',
      { stop: { interrupted: false, jobFailure: { reason: 'EncounteredQuarantineException', message: 'refused' } } },
      'failed',
    ],
    [
      'the probe failed before any work',
      { applied: null, stop: { interrupted: false, jobFailure: { reason: 'EncounteredQuarantineException', message: 'probe' } } },
      'failed',
    ],
  ];
  for (const [name, input, status] of cases) it(`${name}: ${status}`, () => expect(settle(input).cycle.status).toBe(status));
});

describe('settleCycle: watermarks (spec §5.2)', () => {
  it('move for the objects worked on whose hash changed; an unchanged hash is not rewritten', () => {
    const delta = settle({
      desired: desired('a', 'b', 'c'),
      workIds: new Set(['a', 'b']),
      applied: applied({ touched: new Set(['a', 'b']) }),
      stored: new Map([['b', 'h-b']]),
      records: { escrows: new Map(), quarantine: null },
    });
    expect(delta.watermarks.put).toEqual([{ id: 'a', objectType: 'User', hash: 'h-a' }]);
    expect(delta.watermarks.delete).toEqual([]);
  });

  it('move for a failed object too (it comes back through its escrow)', () => {
    const delta = settle({
      desired: desired('a'),
      workIds: new Set(['a']),
      applied: applied({ touched: new Set(['a']), failed: [{ sourceId: 'a', objectType: 'User', errorCode: 'EntryConflict' }] }),
    });
    expect(delta.watermarks.put.map((w) => w.id)).toEqual(['a']);
  });

  it('a staged delete drops the watermark, so the object comes up again next cycle', () => {
    const delta = settle({
      desired: desired('a'),
      workIds: new Set(['a']),
      applied: applied({ touched: new Set(['a']), staged: new Set(['a']), deletionThresholdExceeded: true }),
      stored: new Map([['a', 'old']]),
      records: { escrows: new Map(), quarantine: null },
    });
    expect(delta.watermarks).toEqual({ put: [], delete: ['a'] });
  });

  it('a staged delete of an object that has no watermark deletes none', () => {
    const delta = settle({
      desired: desired('a', 'b'),
      workIds: new Set(['a', 'b']),
      applied: applied({ touched: new Set(['a', 'b']), staged: new Set(['a', 'b']), deletionThresholdExceeded: true }),
      stored: new Map([['b', 'old']]),
      records: { escrows: new Map(), quarantine: null },
    });
    expect(delta.watermarks).toEqual({ put: [], delete: ['b'] });
  });

  it('a stop keeps the old watermark of objects it kept from being reached, and of objects not yet touched', () => {
    const delta = settle({
      desired: desired('sent', 'cut', 'untouched'),
      workIds: new Set(['sent', 'cut', 'untouched']),
      stop: { interrupted: true, jobFailure: null },
      applied: applied({ touched: new Set(['sent', 'cut']), notReached: new Set(['cut']) }),
    });
    expect(delta.watermarks.put.map((w) => w.id)).toEqual(['sent']);
  });

  it('watermarks of objects gone from Entra are dropped once they are no longer linked', () => {
    const delta = settle({
      desired: desired('a'),
      stored: new Map([
        ['a', 'h-a'],
        ['gone', 'x'],
        ['still-linked', 'y'],
      ]),
      linkedAfter: new Set(['still-linked']),
    });
    expect(delta.watermarks.delete).toEqual(['gone']);
  });

  it('nothing moves when the cycle stopped before it selected work', () => {
    const delta = settle({
      applied: null,
      desired: desired('a'),
      stop: { interrupted: false, jobFailure: { reason: 'EncounteredQuarantineException', message: 'probe' } },
      stored: new Map([['gone', 'x']]),
      records: { escrows: new Map([['a', escrow('a')]]), quarantine: null },
    });
    expect(delta.watermarks).toEqual({ put: [], delete: [] });
    expect(delta.escrows).toEqual({ put: [], clear: [] });
    expect(delta.pendingEscrows).toBe(1);
    expect(delta.nextEscrowRetry).toBe(START.toISOString());
  });
});

describe('settleCycle: escrows (spec §5.8)', () => {
  const failedA = (errorCode: string) => applied({ touched: new Set(['a']), failed: [{ sourceId: 'a', objectType: 'User', errorCode }] });

  it('a first failure is retried on the schedule (+6 h)', () => {
    const delta = settle({ desired: desired('a'), workIds: new Set(['a']), applied: failedA('EntryConflict') });
    expect(delta.escrows.put).toMatchObject([
      { sourceId: 'a', attempts: 1, errorCode: 'EntryConflict', nextRetryAt: new Date(START.getTime() + 6 * HOUR).toISOString() },
    ]);
    expect(delta.pendingEscrows).toBe(1);
    expect(delta.nextEscrowRetry).toBe(new Date(START.getTime() + 6 * HOUR).toISOString());
  });

  it('a transient failure (429, 5xx, timeout) is due in the next cycle', () => {
    const delta = settle({ desired: desired('a'), workIds: new Set(['a']), applied: failedA('TooManyRequests') });
    expect(delta.escrows.put[0]!.nextRetryAt).toBe(START.toISOString());
  });

  it('after 28 days of failures the escrow is given up', () => {
    const old = escrow('a', { firstFailureAt: new Date(START.getTime() - 28 * 24 * HOUR).toISOString(), attempts: 30 });
    const delta = settle({
      desired: desired('a'),
      workIds: new Set(['a']),
      applied: failedA('EntryConflict'),
      records: { escrows: new Map([['a', old]]), quarantine: null },
    });
    expect(delta.escrows).toEqual({ put: [], clear: ['a'] });
    expect(delta.givenUp).toMatchObject([{ sourceId: 'a', attempts: 31 }]);
    expect(delta.pendingEscrows).toBe(0);
  });

  it('an escrowed object worked on without failing is cleared; one held back, cut off or not worked on keeps its escrow', () => {
    const escrows = new Map(['ok', 'staged', 'cut', 'idle'].map((id) => [id, escrow(id)]));
    const delta = settle({
      desired: desired('ok', 'staged', 'cut', 'idle'),
      workIds: new Set(['ok', 'staged', 'cut']),
      applied: applied({ touched: new Set(['ok', 'staged', 'cut']), staged: new Set(['staged']), notReached: new Set(['cut']) }),
      records: { escrows, quarantine: null },
    });
    expect(delta.escrows.clear).toEqual(['ok']);
    expect(delta.pendingEscrows).toBe(3);
  });
});

describe('settleCycle: the job (mapping hash, restart flags) and quarantine (spec §5.9)', () => {
  it('a completed cycle records its mapping and clears the restart flags', () => {
    expect(settle().job).toEqual({ hash: 'job-2', clearInitial: true, clearForceDeletes: true });
  });

  it('a stopped cycle or one on demand records nothing of the job', () => {
    expect(settle({ stop: { interrupted: true, jobFailure: null } }).job).toBeNull();
    expect(settle({ cycle: { id: 'c', kind: 'on-demand', startedAt: START, finishedAt: 'x', jobHash: 'j' } }).job).toBeNull();
  });

  it('TooManyDeletes: quarantined, and ForceDeletes stays set for the rerun', () => {
    const delta = settle({ applied: applied({ deletionThresholdExceeded: true, staged: new Set(['a']), touched: new Set(['a']) }) });
    expect(delta.jobFailure).toMatchObject({ reason: 'TooManyDeletes' });
    expect(delta.quarantine).toMatchObject({ reason: 'TooManyDeletes', seriesCount: 1 });
    expect(delta.job).toEqual({ hash: 'job-2', clearInitial: true, clearForceDeletes: false });
    expect(delta.requeueAfterMs).toBe(INTERVAL);
  });

  it('a job failure quarantines and backs off; a second one in a row doubles the delay', () => {
    const stop = { interrupted: false, jobFailure: { reason: 'EncounteredQuarantineException', message: 'refused' } };
    const first = settle({ stop });
    expect(first.quarantine).toMatchObject({ reason: 'EncounteredQuarantineException', seriesCount: 1 });
    const second = settle({ stop, records: { escrows: new Map(), quarantine: first.quarantine! } });
    expect(second.quarantine).toMatchObject({ seriesCount: 2 });
    expect(second.requeueAfterMs).toBe(2 * INTERVAL);
  });

  it('the first completed cycle without a failure leaves quarantine', () => {
    const delta = settle({ records: { escrows: new Map(), quarantine: quarantined() } });
    expect(delta.quarantine).toBeNull();
    expect(delta.requeueAfterMs).toBe(INTERVAL);
  });

  it('a user’s stop and provision on demand leave quarantine as it was', () => {
    const records = { escrows: new Map(), quarantine: quarantined('TooManyDeletes', 3) };
    const interrupted = settle({ stop: { interrupted: true, jobFailure: null }, records });
    expect(interrupted.quarantine).toBeUndefined();
    expect(interrupted.requeueAfterMs).toBe(4 * INTERVAL);
    const onDemand = settle({
      cycle: { id: 'c', kind: 'on-demand', startedAt: START, finishedAt: 'x', jobHash: 'j' },
      stop: { interrupted: false, jobFailure: { reason: 'EncounteredQuarantineException', message: 'x' } },
      records,
    });
    expect(onDemand.quarantine).toBeUndefined();
  });

  it('the escrow proportion threshold: from 5,000 escrows, more than 40 % of the cycle failing quarantines the job', () => {
    const escrows = new Map(Array.from({ length: 5000 }, (_, i) => [`e${i}`, escrow(`e${i}`)]));
    const failed = Array.from({ length: 50 }, (_, i) => ({ sourceId: `f${i}`, objectType: 'User' as const, errorCode: 'EntryConflict' }));
    const delta = settle({ applied: applied({ failed, entryCount: 100 }), records: { escrows, quarantine: null } });
    expect(delta.pendingEscrows).toBe(5050);
    expect(delta.quarantine).toMatchObject({ reason: 'EncounteredEscrowProportionThreshold' });
    const fewer = settle({
      applied: applied({ failed: failed.slice(0, 40), entryCount: 100 }),
      records: { escrows, quarantine: null },
    });
    expect(fewer.quarantine).toBeUndefined();
  });
});
