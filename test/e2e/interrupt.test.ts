/**
 * Ctrl-C mid-cycle: requests in flight finish, nothing new starts, the state is saved, exit 130; the next
 * run converges to the same target state as an uninterrupted one, with no duplicate object.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { syncCommand } from '../../src/cli/commands/sync.js';
import { createHttpClient } from '../../src/scim/http.js';
import { CONTOSO, CONTOSO_DAY2, DEFAULT_MAPPING, Harness } from '../helpers/harness.js';

let h: Harness;
let reference: Harness;
afterEach(async () => {
  await h?.stop();
  await reference?.stop();
});

describe('interrupted cycle', () => {
  it.each([5, 20, 40])('stopping after %i responses exits 130, and the next run converges without duplicates', async (after) => {
    reference = await new Harness().start();
    await reference.sync(CONTOSO);

    h = await new Harness().start();
    const controller = new AbortController();
    const http = createHttpClient();
    let responses = 0;
    http.interceptors.response.use((r) => {
      if (++responses === after) controller.abort(new Error('SIGINT'));
      return r;
    });
    const interrupted = await syncCommand(
      { fixtures: CONTOSO, mapping: DEFAULT_MAPPING, target: h.target.url, state: h.state },
      h.deps({ signal: controller.signal, http }),
    );
    expect(interrupted.exitCode).toBe(130);
    expect(interrupted.cycle?.status).toBe('interrupted');
    // Nothing started after the signal: at most the requests already in flight (concurrency 8) completed.
    expect(h.target.requests().length).toBeLessThanOrEqual(after + 8);

    const resumed = await h.sync(CONTOSO);
    expect(resumed.exitCode).toBe(0);
    expect(h.shape()).toEqual(reference.shape());
    const names = h.target.snapshot().users.map((u) => String(u['userName']).toLowerCase());
    expect(new Set(names).size).toBe(names.length);
    // And it has settled: one more run writes nothing.
    const writes = h.writes().length;
    await h.sync(CONTOSO);
    expect(h.writes().length).toBe(writes);
  });

  it.each([2, 5, 9])('an incremental cycle stopped after %i responses is completed by the next run', async (after) => {
    reference = await new Harness().start();
    await reference.sync(CONTOSO);
    await reference.sync(CONTOSO_DAY2);

    h = await new Harness().start();
    await h.sync(CONTOSO);
    const controller = new AbortController();
    const http = createHttpClient({ maxSockets: 1 });
    let responses = 0;
    http.interceptors.response.use((r) => {
      if (++responses === after) controller.abort(new Error('SIGINT'));
      return r;
    });
    const interrupted = await syncCommand(
      { fixtures: CONTOSO_DAY2, mapping: DEFAULT_MAPPING, target: h.target.url, state: h.state, concurrency: 1 },
      h.deps({ signal: controller.signal, http }),
    );
    expect(interrupted.exitCode).toBe(130);
    const resumed = await h.sync(CONTOSO_DAY2);
    expect(resumed.exitCode).toBe(0);
    expect(h.shape()).toEqual(reference.shape());
  });
});
