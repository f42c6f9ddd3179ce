/**
 * provsim's exit codes, and the rules that turn a command's result into one. A command returns the code of
 * its result (`CommandResult.exitCode`), chosen here; `main` maps what is thrown to the same table and is the
 * only module that hands a code to the process.
 */
import type { ConformanceReport } from '../conformance/types.js';
import type { CycleResult } from '../engine/reconcile.js';

export const EXIT_CODES = {
  /** Everything the command set out to do was done. */
  ok: 0,
  /**
   * The command ran and something failed: an object or the job in a cycle, a mandatory conformance check,
   * the connection test; also an internal error.
   */
  failed: 1,
  /** Bad input or usage: nothing was sent. */
  usage: 2,
  /** Interrupted (SIGINT or SIGTERM). */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/**
 * One cycle (`sync`, `provision`): ok only when it succeeded without a job failure. A cycle stopped because a
 * fixture file changed under it (`fixtureChanged`) is interrupted but not by the user: a failure.
 */
export function cycleExitCode(cycle: CycleResult): ExitCode {
  if (cycle.fixtureChanged !== undefined) return EXIT_CODES.failed;
  if (cycle.status === 'interrupted') return EXIT_CODES.interrupted;
  return cycle.status === 'succeeded' && !cycle.jobFailure ? EXIT_CODES.ok : EXIT_CODES.failed;
}

/**
 * A run of cycles (`watch`): the last cycle's verdict, failed when it failed, had entry-level errors or was
 * stopped by a fixture file changing under it. An interrupted last cycle is ok here; `main` reports any
 * interrupted run as 130.
 */
export function lastCycleExitCode(last: CycleResult | undefined): ExitCode {
  if (last?.fixtureChanged !== undefined) return EXIT_CODES.failed;
  return last && (last.status === 'failed' || last.status === 'entry-level-errors') ? EXIT_CODES.failed : EXIT_CODES.ok;
}

/** `conformance`: ok when every mandatory check passed. */
export function conformanceExitCode(report: ConformanceReport): ExitCode {
  if (report.interrupted) return EXIT_CODES.interrupted;
  return report.ok ? EXIT_CODES.ok : EXIT_CODES.failed;
}

/** A check that passes or fails (`test-connection`). */
export function passFailExitCode(passed: boolean): ExitCode {
  return passed ? EXIT_CODES.ok : EXIT_CODES.failed;
}

/** Several results in one run (`demo`): the most severe code. */
export function worstExitCode(codes: Iterable<ExitCode>): ExitCode {
  let worst: ExitCode = EXIT_CODES.ok;
  for (const code of codes) if (code > worst) worst = code;
  return worst;
}
