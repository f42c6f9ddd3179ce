/**
 * The request queue (p-queue): bounded concurrency and an optional requests-per-second cap.
 * NOTE: p-queue's interval uses real timers, so `rps` is wall-clock rate limiting even under a simulated
 * clock; that is what a rate limit is for. Cycle timing and retries use the injected Clock.
 */
import PQueue from 'p-queue';

export interface QueueOptions {
  /** Requests in flight at once. @default 8 */
  concurrency?: number;
  /** Requests started per second; 0 or absent = unlimited. */
  rps?: number;
}

export function createQueue(options: QueueOptions = {}): PQueue {
  const concurrency = options.concurrency ?? 8;
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new TypeError(`Expected \`concurrency\` to be an integer from 1, got \`${concurrency}\``);
  const rps = options.rps ?? 0;
  if (!(rps >= 0)) throw new TypeError(`Expected \`rps\` to be a number from 0, got \`${rps}\``);
  return rps > 0
    ? new PQueue({ concurrency, intervalCap: Math.max(1, Math.floor(rps)), interval: 1000, carryoverIntervalCount: true })
    : new PQueue({ concurrency });
}

/**
 * `Promise.all(items.map((item) => queue.add(() => task(item))))`, without queueing every item up front:
 * at most `window` of them are in the queue (waiting or running) at once, and the next is added as one
 * settles. The queue still decides how many run (its concurrency) and how fast (its rate cap); with the
 * window at least twice the concurrency, a slot that frees finds a task waiting, as before.
 *
 * Why: a phase queues thousands of tasks (a batch's reads, or its writes). Queued all at once, each one's
 * closure, promise and queue entry outlives several young-generation collections and is promoted to the old
 * generation, which then has to collect them; queued a few at a time they die young.
 *
 * The same contract as the `Promise.all` it replaces: items start in order; every item runs, also after
 * one has failed; the promise rejects with the first failure as soon as it happens, and otherwise resolves
 * once every item has finished.
 */
export function forEachQueued<T>(
  queue: PQueue,
  items: readonly T[],
  task: (item: T) => Promise<void>,
  window = Math.max(16, queue.concurrency * 2),
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let next = 0;
    let settled = 0;
    const add = (): void => {
      const item = items[next++]!;
      queue
        .add(() => task(item))
        .then(done, (error: unknown) => {
          reject(error);
          done();
        });
    };
    const done = (): void => {
      settled++;
      if (next < items.length) add();
      else if (settled === items.length) resolve();
    };
    if (items.length === 0) return resolve();
    while (next < items.length && next < window) add();
  });
}
