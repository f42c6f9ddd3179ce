/** The counts of a conformance report. Pure. */
import type { CheckResult, ConformanceSummary } from './types.js';

/** Counts; failures that are consequences of another failure are counted apart (ConformanceSummary). */
export function summarise(checks: readonly CheckResult[]): ConformanceSummary {
  const count = (f: (c: CheckResult) => boolean): number => checks.filter(f).length;
  const independent = (c: CheckResult): boolean => c.status === 'failed' && c.consequence === undefined;
  return {
    total: checks.length,
    passed: count((c) => c.status === 'passed'),
    failed: count((c) => c.status === 'failed'),
    skipped: count((c) => c.status === 'skipped'),
    mandatoryFailed: count((c) => independent(c) && c.severity === 'mandatory'),
    optionalFailed: count((c) => independent(c) && c.severity === 'optional'),
    consequences: count((c) => c.status === 'failed' && c.consequence !== undefined),
  };
}
