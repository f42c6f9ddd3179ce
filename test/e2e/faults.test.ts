/**
 * Faults within a cycle, through a real proxy on loopback: 429 with Retry-After (seconds and HTTP date),
 * 503, connection resets; the cycle still converges, waits happen on the injected clock.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/shared/clock.js';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.js';
import { seededRandom } from '../../src/shared/random.js';
import { CONTOSO, CONTOSO_DAY2, DEFAULT_MAPPING, Harness } from '../helpers/harness.js';

let h: Harness;
let proxy: FaultProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
  await h?.stop();
});

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const SCIM_ERROR = (status: number, detail: string): string =>
  JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: String(status), detail });

describe('retries within a cycle', () => {
  it('honours Retry-After on 429, backs off on 503 and resets, and still provisions everything', async () => {
    const clock = new ManualClock('2026-03-01T10:00:00Z');
    h = await new Harness({}, clock).start();
    proxy = await startFaultProxy(h.target.url, ({ method, nth }) => {
      if (method === 'POST' && nth <= 2) return { status: 429, headers: { 'Retry-After': '7' }, body: SCIM_ERROR(429, 'slow down') };
      if (method === 'POST' && nth === 3)
        return { status: 429, headers: { 'Retry-After': new Date(clock.now().getTime() + 12_000).toUTCString() } };
      if (method === 'PATCH' && nth === 1) return { status: 503, body: SCIM_ERROR(503, 'busy') };
      if (method === 'PATCH' && nth === 2) return 'reset';
      return null;
    });
    // One request at a time, so the injected clock's reading between the 429 and its parse is exact.
    const result = await h.sync(CONTOSO, { target: proxy.url, concurrency: 1 });
    expect(result.exitCode).toBe(0);
    expect(result.cycle?.counts['Create/Success']).toBe(25);
    expect(proxy.injected).toHaveLength(5);
    // Retry-After was waited for exactly (7 s twice, then the HTTP date's 12 s), on the injected clock.
    expect(clock.sleeps.filter((ms) => ms === 7000)).toHaveLength(2);
    expect(clock.sleeps).toContain(12_000);
    expect(h.out.stderr).toMatch(/retry 1 of POST after 7000 ms: TooManyRequests \(429\)/);
    // Every Sales Team member made it, despite the faulted membership PATCHes.
    const members = h.groupByName('Sales Team')!['members'] as unknown[];
    expect(members).toHaveLength(4);
  });

  it('gives up after the retry limit: the object fails with the SCIM error body, and the next cycle retries it', async () => {
    const clock = new ManualClock();
    h = await new Harness({}, clock).start();
    let failing = true;
    proxy = await startFaultProxy(h.target.url, ({ method, url }) =>
      failing && method === 'POST' && url.endsWith('/Groups') ? { status: 500, body: SCIM_ERROR(500, 'database down') } : null,
    );
    const first = await h.sync(CONTOSO, { target: proxy.url });
    expect(first.exitCode).toBe(1);
    const failures = first.cycle!.log.filter((e) => e.status === 'Failure');
    expect(failures.map((e) => e.sourceIdentity.displayName).sort()).toEqual(['IT Admins', 'Sales Team']);
    expect(failures[0]).toMatchObject({
      errorCode: 'InternalServerError',
      errorDetails: { method: 'POST', status: 500, body: { detail: 'database down' } },
    });
    // A 500 on POST is not resent blindly (the server may have acted): one attempt per group.
    expect(proxy.injected).toHaveLength(2);

    failing = false;
    const second = await h.sync(CONTOSO, { target: proxy.url });
    expect(second.exitCode).toBe(0);
    expect(second.cycle?.kind).toBe('incremental');
    expect(
      h.target
        .snapshot()
        .groups.map((g) => g['displayName'])
        .sort(),
    ).toEqual(['IT Admins', 'Sales Team']);
    expect((h.groupByName('Sales Team')!['members'] as unknown[]).length).toBe(4);
  });
});

describe('--max-retry-after', () => {
  it('a Retry-After longer than the cap is not waited for: the object is left to the next cycle', async () => {
    const clock = new ManualClock();
    h = await new Harness({}, clock).start();
    proxy = await startFaultProxy(h.target.url, ({ method, nth }) =>
      method === 'POST' && nth === 1 ? { status: 429, headers: { 'Retry-After': '120' } } : null,
    );
    const result = await h.sync(CONTOSO, { target: proxy.url, concurrency: 1, maxRetryAfter: '60s' });
    expect(clock.sleeps).not.toContain(120_000);
    expect(result.cycle?.log.filter((e) => e.errorCode === 'TooManyRequests')).toHaveLength(1);
    expect(
      await h.cli([
        'sync',
        '--fixtures',
        CONTOSO,
        '--mapping',
        DEFAULT_MAPPING,
        '--target',
        proxy.url,
        '--state',
        h.state,
        '--max-retry-after',
        'soon',
      ]),
    ).toBe(2);
    const next = await h.sync(CONTOSO, { target: proxy.url, maxRetryAfter: '60s' });
    expect(next.exitCode).toBe(0);
    expect(h.target.snapshot().users).toHaveLength(23);
  });
});

describe('job-level failures mid-cycle', () => {
  it('a 401 stops the cycle after the requests in flight (EncounteredQuarantineException, exit 1); the next run completes', async () => {
    h = await new Harness().start();
    let refusing = true;
    proxy = await startFaultProxy(h.target.url, ({ method, nth }) =>
      refusing && method === 'POST' && nth === 3 ? { status: 401, body: SCIM_ERROR(401, 'token expired') } : null,
    );
    const result = await h.sync(CONTOSO, { target: proxy.url, concurrency: 2 });
    expect(result.exitCode).toBe(1);
    expect(result.cycle?.status).toBe('failed');
    expect(result.cycle?.jobFailure?.reason).toBe('EncounteredQuarantineException');
    expect(h.out.stdout).toContain('token expired');
    // At most the one other request in flight went out after the 401.
    expect(h.writes().length).toBeLessThanOrEqual(3);
    expect(result.cycle!.log.length).toBeLessThanOrEqual(4);

    refusing = false;
    const next = await h.sync(CONTOSO, { target: proxy.url });
    expect(next.exitCode).toBe(0);
    expect(next.cycle?.kind).toBe('initial');
    expect(h.target.snapshot().users).toHaveLength(23);
  });
});

describe('a 401 in the middle of a dry run planned in batches', () => {
  it('the batches planned before it are printed and counted, then the job failure; exit 1, nothing written', async () => {
    h = await new Harness().start();
    // The probe is GET 1; each batch of 3 users reads 3: the 11th GET is in the fourth batch.
    proxy = await startFaultProxy(h.target.url, ({ method, nth }) =>
      method === 'GET' && nth === 11 ? { status: 401, body: SCIM_ERROR(401, 'token expired') } : null,
    );
    const result = await h.sync(CONTOSO, { target: proxy.url, concurrency: 1, dryRun: true, batchSize: 3, wholePlanLimit: 0 });
    expect(result.exitCode).toBe(1);
    expect(result.cycle?.status).toBe('failed');
    expect(result.cycle?.batched).toBe(true);
    const out = h.out.stdout;
    expect(out).toMatch(/^batch 3\/\d+: plan \(initial cycle/m);
    expect(out).not.toMatch(/^batch 4\//m);
    expect(out).toMatch(/^Plan so far, 3 of \d+ batches \(the dry run stopped\): 9 to create, /m);
    expect(out).toContain('dry run failed: only the batches above were planned, and nothing but reads was sent');
    expect(out).toContain('token expired');
    expect(h.writes()).toEqual([]);
  });
});

describe('a flaky target over several cycles (spec §5.10)', () => {
  // A manager whose own create failed in a cycle leaves its reports without a manager: per spec §1.7
  // ("Manager isn't provisioned") the reference is not fixed by later incremental cycles, only by a
  // restart. So the faulty run must equal the fault-free one except for exactly those managers, and a
  // restart must then restore the rest.
  it('20 % 429 with Retry-After, 5 % 500, 2 % dropped connections (half after the target acted): same final state, no duplicates', async () => {
    const reference = await new Harness().start();
    await reference.sync(CONTOSO);
    await reference.sync(CONTOSO_DAY2);
    const expected = reference.shape() as Shape;
    await reference.stop();

    const clock = new ManualClock('2026-04-01T08:00:00Z');
    h = await new Harness({}, clock).start();
    const random = seededRandom(20261127);
    let faulty = true;
    proxy = await startFaultProxy(h.target.url, () => {
      if (!faulty) return null;
      const r = random.next();
      if (r < 0.2) return { status: 429, headers: { 'Retry-After': '2' }, body: SCIM_ERROR(429, 'slow down') };
      if (r < 0.25) return { status: 500, body: SCIM_ERROR(500, 'oops') };
      if (r < 0.26) return 'reset';
      if (r < 0.27) return 'lost-response';
      return null;
    });
    /** Display names of objects whose own change failed in some cycle. */
    const failedObjects = new Set<string>();
    const cyclesUntilClean = async (dir: string): Promise<number> => {
      for (let n = 1; n <= 10; n++) {
        clock.advance(40 * 60_000);
        const result = await h.sync(dir, { target: proxy!.url, timeoutMs: 2000 });
        for (const e of result.cycle?.log ?? []) if (e.status.toLowerCase() === 'failure') failedObjects.add(e.sourceIdentity.displayName);
        if (result.cycle?.status === 'succeeded') return n;
      }
      return Infinity;
    };
    expect(await cyclesUntilClean(CONTOSO)).toBeLessThan(10);
    expect(await cyclesUntilClean(CONTOSO_DAY2)).toBeLessThan(10);
    expect(proxy.injected.filter((i) => i.fault === 'lost-response' || i.fault === 'reset').length).toBeGreaterThan(0);
    expect(proxy.injected.length).toBeGreaterThan(20);
    const userNames = h.target.snapshot().users.map((u) => String(u['userName']).toLowerCase());
    expect(new Set(userNames).size).toBe(userNames.length);

    const actual = h.shape() as Shape;
    expect(withoutManagers(actual)).toEqual(withoutManagers(expected));
    const displayNameOf = new Map(expected.users.map((u) => [u['userName'], u['displayName']]));
    for (const [i, u] of actual.users.entries()) {
      const want = managerOf(expected.users[i]!);
      const got = managerOf(u);
      if (got === want) continue;
      // Only a missing manager is allowed, and only one whose own object failed at some point.
      expect({ user: u['userName'], manager: got }).toEqual({ user: u['userName'], manager: undefined });
      expect(failedObjects).toContain(displayNameOf.get(want));
    }

    // The documented remedy: a restart re-evaluates everything and sets the missing managers.
    faulty = false;
    expect(await h.cli(['restart', '--state', h.state])).toBe(0);
    clock.advance(40 * 60_000);
    expect((await h.sync(CONTOSO_DAY2, { target: proxy.url })).exitCode).toBe(0);
    expect(h.shape()).toEqual(expected);
  });
});

interface Shape {
  users: Array<Record<string, unknown>>;
  groups: Array<Record<string, unknown>>;
}

function managerOf(user: Record<string, unknown>): unknown {
  return (user[ENTERPRISE] as Record<string, unknown> | undefined)?.['manager'];
}

function withoutManagers(shape: Shape): Shape {
  return {
    ...shape,
    users: shape.users.map((u) => (u[ENTERPRISE] ? { ...u, [ENTERPRISE]: { ...(u[ENTERPRISE] as object), manager: undefined } } : u)),
  };
}
