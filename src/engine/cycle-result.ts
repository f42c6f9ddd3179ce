/** What one cycle returns: its kind and status, its plan and outcomes, its log, and what it left behind. */
import type { CycleKind, CycleStatus, Escrow, LogEntry, Quarantine } from '../model/records.js';
import type { DesiredObject } from './desired.js';
import type { Observation } from './observation.js';
import type { ChangeOutcome } from './outcome.js';
import type { Plan } from './plan.js';
import type { JobFailureInfo } from './settle.js';

export interface CycleResult {
  cycleId: string;
  kind: CycleKind;
  status: CycleStatus;
  dryRun: boolean;
  /** The plan; null when the cycle ran in several batches (each went to `onPlan`) or stopped before planning. */
  plan: Plan | null;
  /** One outcome per change sent or skipped (empty for a cycle run in several batches). */
  outcomes: ChangeOutcome[];
  /** The provisioning-log entries of the cycle (only the failed ones when it ran in several batches). */
  log: LogEntry[];
  /** Log entries by `Action/Status`, e.g. `{ "Create/Success": 12 }`. */
  counts: Record<string, number>;
  /**
   * True when the cycle ran in batches: `plan` is then null, `outcomes` empty and `log` holds only the
   * failed entries (every entry is in the state store: `provsim logs`).
   */
  batched: boolean;
  /** Set when the whole job could not run (Entra quarantines it). */
  jobFailure: JobFailureInfo | null;
  /** The job's quarantine after this cycle (null: not quarantined). */
  quarantine: Quarantine | null;
  /**
   * Escrowed objects after this cycle, when the first of them is retried (ISO time; `''` means the next
   * cycle), and those given up in it (retried no more unless they change).
   */
  escrows: { pending: number; nextRetryAt: string | null; givenUp: Escrow[] };
  /** When the next cycle should run: the interval, or the quarantine back-off. */
  requeueAfterMs: number;
  /**
   * The desired objects and what was read of them, when the cycle planned in one batch (explanations); a dry
   * run has its desired objects even when the target could not be read. Their facts (`id`, `position`,
   * `hash`…) are accessors: `{...d}` does not copy them, `toJSON` does.
   */
  sources?: DesiredObject[];
  observations?: Map<string, Observation>;
  /**
   * The fixture file that changed while the tenant was read back from it (a large JSON Lines tenant): the
   * cycle stopped before its next batch (status `interrupted`, what was done committed). Absent otherwise.
   */
  fixtureChanged?: string;
  startedAt: string;
  finishedAt: string;
}
