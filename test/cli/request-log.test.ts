import { describe, expect, it } from 'vitest';
import { RequestLog } from '../../src/cli/request-log.js';

const get = { method: 'GET', url: 'http://127.0.0.1:1/scim/v2/Users?filter=x', status: 200 };
const post = { method: 'POST', url: 'http://127.0.0.1:1/scim/v2/Users', status: 201 };

describe('RequestLog', () => {
  it('counts requests by method, and keeps each one only when asked to', () => {
    const counted = new RequestLog(false);
    const kept = new RequestLog(true);
    for (const e of [get, post, get]) {
      counted.add(e);
      kept.add({ ...e, durationMs: 3, startedAt: '2026-06-01T09:00:00Z', requestHeaders: {} } as typeof e);
    }
    expect(counted.counts()).toEqual({ total: 3, byMethod: { GET: 2, POST: 1 } });
    expect(kept.counts()).toEqual(counted.counts());
    // Method, URL and status only: the rest of an event is not kept.
    expect(kept.list()).toEqual([get, post, get]);
    expect(() => counted.list()).toThrow(/keeps counts only/);
  });

  it('reset() starts a new cycle: counts and list from zero', () => {
    const log = new RequestLog(true);
    log.add(get);
    const before = log.counts();
    log.reset();
    log.add(post);
    expect(before).toEqual({ total: 1, byMethod: { GET: 1 } });
    expect(log.counts()).toEqual({ total: 1, byMethod: { POST: 1 } });
    expect(log.list()).toEqual([post]);
  });
});
