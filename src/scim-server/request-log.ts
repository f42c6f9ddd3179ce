import type { RequestLogEntry } from './types.js';

/**
 * Requests in arrival order. An entry is recorded when the request arrives (status 0) and completed when
 * its response is sent, so a client that has its response in hand always finds the final status.
 */
export class RequestLog {
  private list: RequestLogEntry[] = [];

  start(method: string, url: string): RequestLogEntry {
    const entry: RequestLogEntry = { method, url, status: 0, body: undefined };
    this.list.push(entry);
    return entry;
  }

  /** Copies: callers cannot change the log, and later updates do not reach what they hold. */
  entries(): RequestLogEntry[] {
    return this.list.map((e) => ({ ...e, body: e.body === undefined ? undefined : structuredClone(e.body) }));
  }

  clear(): void {
    this.list = [];
  }
}
