import { describe, expect, it } from 'vitest';
import { cycleExitCode, lastCycleExitCode, worstExitCode } from '../../src/cli/exit-codes.js';
import type { CycleResult } from '../../src/engine/reconcile.js';
import type { CycleStatus } from '../../src/model/records.js';

const cycle = (status: CycleStatus, jobFailure: CycleResult['jobFailure'] = null): CycleResult => ({ status, jobFailure }) as CycleResult;
const failure = { reason: 'TooManyDeletes', message: 'threshold' };

describe('exit codes', () => {
  it.each([
    ['succeeded', null, 0],
    ['succeeded', failure, 1],
    ['entry-level-errors', null, 1],
    ['failed', failure, 1],
    ['interrupted', null, 130],
  ] as const)('one cycle that %s (job failure %j) exits %d', (status, jobFailure, code) => {
    expect(cycleExitCode(cycle(status, jobFailure))).toBe(code);
  });

  it('a cycle stopped by a fixture file changing under it is a failure (1), not an interruption (130)', () => {
    const changed = { ...cycle('interrupted'), fixtureChanged: 'users.jsonl' } as CycleResult;
    expect(cycleExitCode(changed)).toBe(1);
    expect(lastCycleExitCode(changed)).toBe(1);
  });

  it('a run of cycles takes the last verdict; an interrupted last cycle is left to main', () => {
    expect(lastCycleExitCode(undefined)).toBe(0);
    expect(lastCycleExitCode(cycle('entry-level-errors'))).toBe(1);
    expect(lastCycleExitCode(cycle('failed', failure))).toBe(1);
    expect(lastCycleExitCode(cycle('interrupted'))).toBe(0);
  });

  it('several results exit with the most severe code', () => {
    expect(worstExitCode([])).toBe(0);
    expect(worstExitCode([0, 1, 0])).toBe(1);
    expect(worstExitCode([1, 130, 2])).toBe(130);
  });
});
