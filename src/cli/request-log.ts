/**
 * What a command remembers of the requests it sent: how many, in total and by method (the figure `sync` and
 * `watch` print), and, only when an output lists them (`--json`, `provision`), each one's method, URL and
 * status. Bodies and headers stay in the transcript.
 *
 * Contract: memory does not grow with the requests unless the list is asked for. A million-user initial
 * cycle sends about 2.7 million requests; an event kept for each was about 280 bytes, 0.75 GB in all, and a
 * `watch` kept every cycle's for as long as it ran. `watch` calls `reset()` before each cycle.
 */
import type { RequestEvent } from '../scim/client.js';

export interface RequestCounts {
  total: number;
  byMethod: Record<string, number>;
}

/** A request as the JSON outputs list it. */
export type RequestSummary = Pick<RequestEvent, 'method' | 'url' | 'status'>;

export class RequestLog {
  #total = 0;
  #byMethod: Record<string, number> = {};
  readonly #keep: boolean;
  #list: RequestSummary[] = [];

  /** `keep`: also keep each request's method, URL and status, for `list()`. */
  constructor(keep: boolean) {
    this.#keep = keep;
  }

  add(e: RequestSummary): void {
    this.#total++;
    this.#byMethod[e.method] = (this.#byMethod[e.method] ?? 0) + 1;
    if (this.#keep) this.#list.push({ method: e.method, url: e.url, status: e.status });
  }

  counts(): RequestCounts {
    return { total: this.#total, byMethod: { ...this.#byMethod } };
  }

  /** The requests since the last `reset()`, in order; a log made with `keep: false` throws (a caller's bug). */
  list(): readonly RequestSummary[] {
    if (!this.#keep) throw new Error('RequestLog.list(): this log keeps counts only (make it with keep: true)');
    return this.#list;
  }

  /** Starts counting again (a new cycle). */
  reset(): void {
    this.#total = 0;
    this.#byMethod = {};
    this.#list = [];
  }
}
