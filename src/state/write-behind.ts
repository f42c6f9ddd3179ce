/**
 * Write-behind for the state store: apply records each success as it happens, and the records are
 * committed in batches (one SQLite transaction per `batchSize` writes, and at the end of each phase).
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
  #pending: Array<() => void> = [];

  constructor(store: StateStore, batchSize = 4096) {
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new TypeError(`Expected \`batchSize\` to be an integer from 1, got \`${batchSize}\``);
    this.#store = store;
    this.#batchSize = batchSize;
  }

  /** Queues one write; commits the batch when it is full. */
  push(write: (store: StateStore) => void): void {
    this.#pending.push(() => write(this.#store));
    if (this.#pending.length >= this.#batchSize) this.flush();
  }

  /** Commits every queued write in one transaction. */
  flush(): void {
    if (this.#pending.length === 0) return;
    const batch = this.#pending;
    this.#pending = [];
    this.#store.transaction(() => {
      for (const write of batch) write();
    });
  }
}
