/**
 * resolveCycleOptions: every default from one table, every value checked before a cycle does any I/O, in
 * p-queue's message shape.
 */
import { describe, expect, it } from 'vitest';
import { resolveCycleOptions } from '../../src/engine/cycle-options.js';
import { DEFAULTS } from '../../src/engine/defaults.js';
import { ESCROW_SCHEDULES } from '../../src/engine/escrow-schedule.js';
import { DEFAULT_RETRY_POLICY } from '../../src/engine/retry.js';
import { defaultQuirks } from '../../src/scim/quirks.js';

describe('resolveCycleOptions', () => {
  it('fills every default from the defaults table', () => {
    expect(resolveCycleOptions()).toEqual({
      dryRun: false,
      allowDeletes: false,
      dialect: 'legacy',
      forceInitial: false,
      only: null,
      membersPerPatch: DEFAULTS.membersPerPatch,
      retry: DEFAULT_RETRY_POLICY,
      quirks: defaultQuirks('legacy'),
      escrowSchedule: ESCROW_SCHEDULES.current,
      intervalMs: DEFAULTS.intervalMs,
      batchSize: DEFAULTS.batchSize,
      oneBatchUpTo: DEFAULTS.batchSize,
    });
  });

  it("the quirks follow the dialect's defaults", () => {
    expect(resolveCycleOptions({ dialect: 'aadOptscim062020' }).quirks).toEqual(defaultQuirks('aadOptscim062020'));
  });

  it('provision on demand is one batch whatever its size; a dry run up to its whole-plan limit, or the batch size if larger', () => {
    const batching = (o: Parameters<typeof resolveCycleOptions>[0]) => {
      const r = resolveCycleOptions(o);
      return [r.batchSize, r.oneBatchUpTo];
    };
    expect(batching({ only: new Set(['a']), batchSize: 10 })).toEqual([10, Number.POSITIVE_INFINITY]);
    expect(batching({ batchSize: 10 })).toEqual([10, 10]);
    expect(batching({ dryRun: true, batchSize: 10 })).toEqual([10, DEFAULTS.wholePlanLimit]);
    expect(batching({ dryRun: true, batchSize: 10, wholePlanLimit: 0 })).toEqual([10, 10]);
    expect(batching({ dryRun: true, batchSize: 100_000 })).toEqual([100_000, 100_000]);
  });

  const bad: Array<[string, Parameters<typeof resolveCycleOptions>[0], RegExp]> = [
    ['an unknown dialect', { dialect: 'v3' as never }, /^Expected `dialect` to be one of legacy, aadOptscim062020, got `v3`$/],
    ['a batch size of 0', { batchSize: 0 }, /^Expected `batchSize` to be an integer from 1, got `0`$/],
    [
      'a fractional batch size (a bad value is refused even for a dry run)',
      { batchSize: 1.5, dryRun: true },
      /^Expected `batchSize` to be an integer from 1, got `1.5`$/,
    ],
    ['a negative whole-plan limit', { wholePlanLimit: -1, dryRun: true }, /^Expected `wholePlanLimit` to be an integer from 0, got `-1`$/],
    ['members per PATCH below 1', { membersPerPatch: 0 }, /^Expected `membersPerPatch` to be an integer from 1/],
    ['an interval of 0', { intervalMs: 0 }, /^Expected `intervalMs` to be a finite number above 0/],
    ['an infinite interval', { intervalMs: Number.POSITIVE_INFINITY }, /^Expected `intervalMs`/],
    ['a negative retry limit', { retry: { ...DEFAULT_RETRY_POLICY, limit: -1 } }, /^Expected `retry.limit` to be an integer from 0/],
    ['a retry status that is not HTTP', { retry: { ...DEFAULT_RETRY_POLICY, statusCodes: [42] } }, /^Expected `retry.statusCodes`/],
    [
      'an unknown quirk',
      { quirks: { ...defaultQuirks('legacy'), fancy: true } as never },
      /^Expected `quirks` to name known quirks .*, got `fancy`$/,
    ],
    [
      'a quirk that is not a boolean',
      { quirks: { ...defaultQuirks('legacy'), managerBareId: 'yes' } as never },
      /^Expected `quirks.managerBareId` to be a boolean/,
    ],
    [
      'an escrow schedule without offsets',
      { escrowSchedule: { name: 'x', offsetsMs: [-1], thenEveryMs: null, giveUpAfterMs: null } },
      /^Expected `escrowSchedule.offsetsMs`/,
    ],
    ['dryRun as a string', { dryRun: 'yes' as never }, /^Expected `dryRun` to be a boolean/],
    ['only as an array', { only: ['a'] as never }, /^Expected `only` to be a Set of source ids/],
  ];
  for (const [name, options, message] of bad) {
    it(`refuses ${name}`, () => {
      expect(() => resolveCycleOptions(options)).toThrow(TypeError);
      expect(() => resolveCycleOptions(options)).toThrow(message);
    });
  }
});
