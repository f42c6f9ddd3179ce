import type { RequestLogEntry } from './types.js';

export interface RequestLogLimits {
  /** Entries kept; older ones are dropped first. */
  maxEntries: number;
  /** Approximate bytes kept (each entry's URL and raw body); older entries are dropped first. */
  maxBytes: number;
}

export const DEFAULT_REQUEST_LOG_LIMITS: Readonly<RequestLogLimits> = Object.freeze({ maxEntries: 10_000, maxBytes: 64 * 1024 * 1024 });

interface Slot {
  entry: RequestLogEntry;
  bytes: number;
}

/**
 * The most recent requests in arrival order, bounded in entries and bytes so that a long-running target's
 * memory does not grow with its traffic: when either limit is passed, the oldest entries go (the newest is
 * always kept, however large). An entry is recorded when the request arrives (status 0) and completed when
 * its response is sent, so a client that has its response in hand always finds the final status; an entry
 * dropped while its request runs is still completed, and simply no longer listed.
 */
export class RequestLog {
  /** A queue: `slots[head..]` are kept; the dropped prefix is cut off now and then (amortised O(1)). */
  private slots: Array<Slot | undefined> = [];
  private head = 0;
  private bytes = 0;

  constructor(private readonly limits: Readonly<RequestLogLimits> = DEFAULT_REQUEST_LOG_LIMITS) {}

  start(method: string, url: string): RequestLogEntry {
    const entry: RequestLogEntry = { method, url, status: 0, body: undefined };
    this.slots.push({ entry, bytes: url.length });
    this.bytes += url.length;
    this.trim();
    return entry;
  }

  /** Records the parsed body of `entry`; `rawBytes`, the body's size on the wire, counts towards maxBytes. */
  attachBody(entry: RequestLogEntry, body: unknown, rawBytes: number): void {
    entry.body = body;
    for (let i = this.slots.length - 1; i >= this.head; i--) {
      const slot = this.slots[i];
      if (slot?.entry !== entry) continue;
      slot.bytes += rawBytes;
      this.bytes += rawBytes;
      this.trim();
      return;
    }
  }

  /** Copies: callers cannot change the log, and later updates do not reach what they hold. */
  entries(): RequestLogEntry[] {
    const out: RequestLogEntry[] = [];
    for (let i = this.head; i < this.slots.length; i++) {
      const e = this.slots[i]!.entry;
      out.push({ ...e, body: e.body === undefined ? undefined : structuredClone(e.body) });
    }
    return out;
  }

  clear(): void {
    this.slots = [];
    this.head = 0;
    this.bytes = 0;
  }

  private get size(): number {
    return this.slots.length - this.head;
  }

  private trim(): void {
    while (this.size > 1 && (this.size > this.limits.maxEntries || this.bytes > this.limits.maxBytes)) {
      this.bytes -= this.slots[this.head]!.bytes;
      this.slots[this.head] = undefined;
      this.head++;
    }
    if (this.head >= 1024 && this.head * 2 >= this.slots.length) {
      this.slots = this.slots.slice(this.head);
      this.head = 0;
    }
  }
}
