/**
 * WAL checkpoints on a thread of their own. In WAL mode every commit appends pages to `<file>-wal`, and a
 * checkpoint copies them back into the database file and syncs it. Left to SQLite, the commit that crosses
 * the threshold runs the checkpoint on the event loop (a tenth of a large cycle's state time, measured).
 * A second connection on a worker thread can checkpoint while the engine goes on: SQLite's WAL lets a
 * checkpoint run beside a writer, and a passive checkpoint never blocks one.
 *
 * Contract:
 * - The worker starts only once the WAL has passed `startBytes` after a commit (`afterCommit`), so a store
 *   that writes little never starts a thread. Then it checkpoints every `intervalMs`.
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
}

/* The worker is CommonJS text (eval), so it runs the same under the compiled CLI, tsx and vitest. */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const closed = new Int32Array(workerData.closed);
const done = () => { Atomics.store(closed, 0, 1); Atomics.notify(closed, 0); };
// However the thread ends (an uncaught error included), the owner must not wait for it.
process.on('exit', done);
let db;
let timer;
try {
  const Database = require(workerData.driver);
  db = new Database(workerData.file, { fileMustExist: true });
  const checkpoint = () => {
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
    } catch (error) {
      clearInterval(timer);
      parentPort.postMessage({ error: String(error && error.message || error) });
    }
  };
  checkpoint();
  timer = setInterval(checkpoint, workerData.intervalMs);
} catch (error) {
  parentPort.postMessage({ error: String(error && error.message || error) });
  try { db && db.close(); } catch {}
  db = undefined;
  done();
}
parentPort.on('message', () => {
  clearInterval(timer);
  try { db && db.close(); } catch {}
  done();
  parentPort.close();
});
`;

const driver = createRequire(import.meta.url).resolve('better-sqlite3');

export class Checkpointer {
  readonly #file: string;
  readonly #startBytes: number;
  readonly #intervalMs: number;
  readonly #closeTimeoutMs: number;
  #worker: Worker | undefined;
  #closed: Int32Array | undefined;
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
    const worker = new Worker(WORKER, { eval: true, workerData: { file: this.#file, driver, intervalMs: this.#intervalMs, closed } });
    worker.unref();
    worker.on('message', (m: { error?: string }) => {
      if (m.error !== undefined) this.failure = m.error;
    });
    worker.on('error', (error) => {
      this.failure = error.message;
    });
    worker.on('exit', () => {
      this.#exited = true;
    });
    this.#worker = worker;
  }

  /** Stops the worker and waits until its connection is closed. */
  close(): void {
    this.#stopped = true;
    const worker = this.#worker;
    if (!worker || !this.#closed) return;
    this.#worker = undefined;
    if (!this.#exited) {
      worker.postMessage('close');
      Atomics.wait(this.#closed, 0, 0, this.#closeTimeoutMs);
    }
    void worker.terminate();
  }
}
