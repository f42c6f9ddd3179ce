/**
 * Every default of a provisioning run, in one table. The CLI's help, the library API and the engine read
 * them from here; nowhere else writes the numbers. Where Entra publishes a figure it is Entra's; where it
 * does not, the comment says why the number was chosen.
 */
import { DEFAULT_TIMEOUT_MS } from '../scim/types.js';

export const DEFAULTS = {
  /** Requests in flight at once. Entra's own figure is not published; 8 keeps a laptop server responsive. */
  concurrency: 8,
  /** Whole request timeout in ms (the SCIM client's). */
  timeoutMs: DEFAULT_TIMEOUT_MS,
  /** Members per membership PATCH. Entra's figure is not published (spec §2.6). */
  membersPerPatch: 100,
  /** Objects per batch when a cycle has more work than that: bounds memory on large tenants. */
  batchSize: 2000,
  /**
   * Objects of work a dry run plans in one batch (one plan, shown whole); a larger one is planned in
   * batches. A dry run holds every read and every change of its batch: about 2.6 KB per object, measured at
   * a million users, so 50,000 objects hold about 130 MB.
   */
  wholePlanLimit: 50_000,
  /** Entra's schedule: a cycle about every 40 minutes (spec §5.1). */
  interval: '40m',
  intervalMs: 40 * 60_000,
  /** Where the CLI keeps its state, relative to the working directory. */
  stateFile: '.provsim/state.db',
  /** The dialect a tenant URL without `?aadOptscim062020` gets. */
  dialect: 'legacy',
} as const;
