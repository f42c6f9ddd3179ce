/** What observe and apply are given: the I/O they may do, and nothing else. */
import type PQueue from 'p-queue';
import type { CompiledJob } from '../mapping/compile.js';
import type { ScimClient } from '../scim/client.js';
import type { DialectName } from '../scim/types.js';
import type { Quirks } from '../scim/quirks.js';
import type { Clock } from '../shared/clock.js';
import type { StateStore } from '../store/store.js';
import type { EngineHooks } from './hooks.js';
import type { TargetClaims } from './target-claims.js';

export interface EngineContext {
  job: CompiledJob;
  client: ScimClient;
  queue: PQueue;
  store: StateStore;
  clock: Clock;
  hooks: EngineHooks;
  dialect: DialectName;
  quirks: Quirks;
  /** Members per membership PATCH. */
  membersPerPatch: number;
  /**
   * Strings no stored record may hold (the bearer token): every form of them (shared/redact-secret.ts) is
   * masked in log entries before they reach the store. Absent or empty: nothing is masked.
   */
  secrets?: readonly string[];
  /**
   * Target objects matched or created in this cycle: a server that answers two objects' queries with one
   * object (a filter it ignores) or gives two POSTs one id must not get both linked to it. Absent: not
   * checked (a context built by a test).
   */
  claimedTargets?: TargetClaims;
  /** Runs one request with the retry policy (method decides what is safe to resend). */
  send<T>(method: string, fn: () => Promise<T>): Promise<T>;
  signal?: AbortSignal;
}
