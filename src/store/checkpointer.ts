/**
 * WAL checkpoints on a thread of their own. In WAL mode every commit appends pages to `<file>-wal`, and a
 * checkpoint copies them back into the database file and syncs it. Left to SQLite, the commit that crosses
 * the threshold runs the checkpoint on the event loop (a tenth of a large cycle's state time, measured).
 * A second connection on a worker thread can checkpoint while the engine goes on: SQLite's WAL lets a
 * checkpoint run beside a writer, and a passive checkpoint never blocks one.
 *
 * Contract:
 * - The worker starts only once the WAL has passed `startBytes` after a commit (`afterCommit`), so a store
 *   that writes little never starts a thread. Then it checkpoints at once and every `intervalMs`, on its own
 *   timer; with `onDemand` it has no timer and checkpoints only when asked (`checkpointNow`).
 * - The owner's connection keeps SQLite's own automatic checkpoint as the fallback: if the worker cannot
 *   start or falls behind, the WAL stays bounded as before.
 * - `close()` is synchronous and returns once the worker's connection is closed (or after `closeTimeoutMs`),
 *   so the owner's connection closes last and SQLite folds the WAL into the file and removes it, as it did
 *   with one connection: a state file copied after provsim exits is whole.
 * - A failure of the worker (it cannot load the driver, open the file, or checkpoint) is never an error of
 *   the cycle: it stops, and the fallback takes over.
 */
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export interface CheckpointerOptions {
  /** WAL size from which the worker starts. @default 4 MiB */
  startBytes?: number;
  /** @default 200 */
  intervalMs?: number;
  /** @default 10000 */
  closeTimeoutMs?: number;
  /**
   * Replaces the worker's timer with explicit requests: called once, when the worker starts, with a function
   * that asks it for one passive checkpoint and resolves once that is done (it rejects if the worker failed or
   * was closed). For tests that must know whether a checkpoint has run; production leaves it unset.
   */
  onDemand?: (checkpointNow: () => Promise<void>) => void;
}

/*
 * The worker is CommonJS text (eval), so it runs the same under the compiled CLI, tsx and vitest.
 * Messages to it: `{ type: 'checkpoint', id }` (one checkpoint now; answered `{ checkpointed: id }`, or
 * `{ error, id }`) and `{ type: 'close' }`. A failure it was not asked about is posted as `{ error }`.
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const closed = new Int32Array(workerData.closed);
const done = () => { Atomics.store(closed, 0, 1); Atomics.notify(closed, 0); };
// However the thread ends (an uncaught error included), the owner must not wait for it.
process.on('exit', done);
const reason = (error) => String(error && error.message || error);
let db;
let timer;
let failed = null;
// Returns null once the pages are copied, else why not; after a failure the worker checkpoints no more.
const checkpoint = () => {
  if (failed !== null) return failed;
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
    return null;
  } catch (error) {
    clearInterval(timer);
    return (failed = reason(error));
  }
};
try {
  const Database = require(workerData.driver);
  db = new Database(workerData.file, { fileMustExist: true });
  if (workerData.intervalMs !== null) {
    const onTimer = () => {
      const error = checkpoint();
      if (error !== null) parentPort.postMessage({ error });
    };
    onTimer();
    if (failed === null) timer = setInterval(onTimer, workerData.intervalMs);
  }
} catch (error) {
  failed = reason(error);
  parentPort.postMessage({ error: failed });
  try { db && db.close(); } catch {}
  db = undefined;
  done();
}
parentPort.on('message', (message) => {
  if (message.type === 'checkpoint') {
    const error = checkpoint();
    parentPort.postMessage(error === null ? { checkpointed: message.id } : { error, id: message.id });
    return;
  }
  clearInterval(timer);
  try { db && db.close(); } catch {}
  done();
  parentPort.close();
});
`;

type FromWorker = { checkpointed: number } | { error: string; id?: number };

const driver = createRequire(import.meta.url).resolve('better-sqlite3');

export class Checkpointer {
  readonly #file: string;
  readonly #startBytes: number;
  readonly #intervalMs: number;
  readonly #closeTimeoutMs: number;
  readonly #onDemand: CheckpointerOptions['onDemand'];
  #worker: Worker | undefined;
  #closed: Int32Array | undefined;
  /** Checkpoints asked for and not answered yet, by request id. */
  readonly #requests = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  #nextRequest = 0;
  #stopped = false;
  /** The worker thread has ended: nothing to wait for. */
  #exited = false;
  /** Why the worker stopped, if it failed. */
  failure: string | null = null;

  constructor(file: string, options: CheckpointerOptions = {}) {
    this.#file = file;
    this.#startBytes = options.startBytes ?? 4 * 1024 * 1024;
    this.#intervalMs = options.intervalMs ?? 200;
    this.#closeTimeoutMs = options.closeTimeoutMs ?? 10_000;
    this.#onDemand = options.onDemand;
  }

  get started(): boolean {
    return this.#worker !== undefined;
  }

  /** Call after each commit of the owner's connection. Cheap: one `stat` until the worker runs, then nothing. */
  afterCommit(): void {
    if (this.#worker || this.#stopped) return;
    let size: number;
    try {
      size = statSync(`${this.#file}-wal`).size;
    } catch {
      return;
    }
    if (size >= this.#startBytes) this.#start();
  }

  #start(): void {
    const closed = new SharedArrayBuffer(4);
    this.#closed = new Int32Array(closed);
    const intervalMs = this.#onDemand ? null : this.#intervalMs;
    const worker = new Worker(WORKER, { eval: true, workerData: { file: this.#file, driver, intervalMs, closed } });
    worker.unref();
    worker.on('message', (m: FromWorker) => {
      if ('checkpointed' in m) return this.#answer(m.checkpointed, null);
      this.failure = m.error;
      if (m.id !== undefined) this.#answer(m.id, new Error(`checkpoint failed: ${m.error}`));
    });
    worker.on('error', (error) => {
      this.failure = error.message;
    });
    worker.on('exit', () => {
      this.#exited = true;
      this.#rejectRequests('the checkpointer worker has ended');
    });
    this.#worker = worker;
    this.#onDemand?.(() => this.#checkpointNow());
  }

  #checkpointNow(): Promise<void> {
    const worker = this.#worker;
    if (!worker || this.#exited) return Promise.reject(new Error('the checkpointer worker is not running'));
    const id = this.#nextRequest++;
    return new Promise<void>((resolve, reject) => {
      this.#requests.set(id, { resolve, reject });
      worker.postMessage({ type: 'checkpoint', id });
    });
  }

  #answer(id: number, error: Error | null): void {
    const request = this.#requests.get(id);
    if (!request) return;
    this.#requests.delete(id);
    if (error) request.reject(error);
    else request.resolve();
  }

  #rejectRequests(why: string): void {
    for (const request of this.#requests.values()) request.reject(new Error(why));
    this.#requests.clear();
  }

  /** Stops the worker and waits until its connection is closed. */
  close(): void {
    this.#stopped = true;
    const worker = this.#worker;
    if (!worker || !this.#closed) return;
    this.#worker = undefined;
    this.#rejectRequests('the checkpointer was closed');
    if (!this.#exited) {
      worker.postMessage({ type: 'close' });
      Atomics.wait(this.#closed, 0, 0, this.#closeTimeoutMs);
    }
    void worker.terminate();
  }
}
