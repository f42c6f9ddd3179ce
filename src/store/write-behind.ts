/**
 * Write-behind for the state store: apply records each success as it happens, and the records are
 * committed in batches (one SQLite transaction per `batchSize` writes, and at the end of apply's reference
 * phase and of its delete phase).
 *
 * Crash safety: a kill loses at most the last uncommitted batch, and each kind of lost record is
 * recovered by the next run without a duplicate: a lost link is re-made by matching (objects without a
 * link are always looked up by their matching attribute before any POST); a lost disable, delete or
 * membership record only means the same idempotent request is sent again (a DELETE that finds nothing is
 * success), since the object's watermark, written at the end of the cycle, did not move either.
 */
import type { StateStore } from './store.js';

export class WriteBehind {
  readonly #store: StateStore;
  readonly #batchSize: number;
  #pending: Array<((store: StateStore) => void) | null> = [];
  /** Index in `#pending` of the last queued write of each key. */
  #byKey = new Map<string, number>();

  constructor(store: StateStore, batchSize = 4096) {
    if (!Number.isInteger(batchSize) || batchSize < 1)
      throw new TypeError(`Expected \`batchSize\` to be an integer from 1, got \`${batchSize}\``);
    this.#store = store;
    this.#batchSize = batchSize;
  }

  /**
   * Queues one write; commits the batch when it is full.
   * `key`: the write replaces the whole record of that key (an upsert). A queued write of the same key is
   * then dropped, and this one goes to the end of the queue, so writes of other kinds queued in between (a
   * delete of the same record) keep their order relative to it. A user created and then given a manager in
   * the same cycle is written once instead of twice.
   */
  push(write: (store: StateStore) => void, key?: string): void {
    if (key !== undefined) {
      const earlier = this.#byKey.get(key);
      if (earlier !== undefined) this.#pending[earlier] = null;
      this.#byKey.set(key, this.#pending.length);
    }
    this.#pending.push(write);
    if (this.#pending.length >= this.#batchSize) this.flush();
  }

  /** Commits every queued write in one transaction. */
  flush(): void {
    if (this.#pending.length === 0) return;
    const batch = this.#pending;
    this.#pending = [];
    this.#byKey = new Map();
    const store = this.#store;
    store.transaction(() => {
      for (const write of batch) write?.(store);
    });
  }
}
