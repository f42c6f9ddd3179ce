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
