/**
 * A hostile or broken server, through the real CLI (`main()` in-process) against test/helpers/hostile-server.ts
 * on 127.0.0.1: each test asserts the exit code, the message, what reached the wire and what the state file
 * holds. One misbehaviour per test; apart from it the server is a plain SCIM server.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LogEntry } from '../../src/model/records.js';
import { ManualClock } from '../../src/shared/clock.js';
import { StateStore } from '../../src/store/store.js';
import { startHostileServer, type HostileMode, type HostileServer } from '../helpers/hostile-server.js';
import { CONTOSO, CONTOSO_DAY2, DEFAULT_MAPPING, Harness } from '../helpers/harness.js';

const INCOMPATIBLE = 'SystemForCrossDomainIdentityManagementServiceIncompatible';

let h: Harness | undefined;
let server: HostileServer | undefined;
afterEach(async () => {
  await server?.close();
  await h?.stop();
  server = undefined;
  h = undefined;
});

async function start(mode: HostileMode, clock = new ManualClock('2026-03-01T10:00:00Z')): Promise<{ h: Harness; server: HostileServer }> {
  server = await startHostileServer(mode);
  h = new Harness({}, clock);
  return { h, server };
}

const sync = (fixtures: string, ...extra: string[]): string[] => [
  'sync',
  '--fixtures',
  fixtures,
  '--mapping',
  DEFAULT_MAPPING,
  '--target',
  server!.url,
  '--state',
  h!.state,
  ...extra,
];

/** Every failed entry of the state file, as `provsim logs --json --status Failure` prints it. */
async function storedFailures(): Promise<LogEntry[]> {
  h!.out.stdout = '';
  expect(await h!.cli(['logs', '--json', '--status', 'Failure', '--state', h!.state])).toBe(0);
  return JSON.parse(h!.out.stdout) as LogEntry[];
}

/** The target ids the state file links, by source id. */
function storedLinks(): Map<string, string> {
  const store = new StateStore(h!.state, { checkpoint: false });
  try {
    return new Map([...store.links()].map(([sourceId, a]) => [sourceId, a.targetId]));
  } finally {
    store.close();
  }
}

/**
 * Requests that did not address what a SCIM client may address: the collections (POST, filter GET) or one
 * resource by a non-empty, non-dot id segment. A PATCH to `/scim/v2/` or a DELETE of `/scim/v2/Users/` shows here.
 */
function strayRequests(s: HostileServer): string[] {
  const collection = /^\/scim\/v2\/(Users|Groups)(\?.*)?$/;
  const one = /^\/scim\/v2\/(Users|Groups)\/([^/?]+)(\?.*)?$/;
  return s.requests
    .filter((r) => {
      const m = one.exec(r.path);
      if (m) return r.method === 'POST' || /^(\.|%2e){1,2}$/i.test(m[2]!);
      return !(collection.test(r.path) && (r.method === 'GET' || r.method === 'POST'));
    })
    .map((r) => `${r.method} ${r.path}`);
}

const sourceIdOf = (entries: LogEntry[], displayName: string): string | undefined =>
  entries.find((e) => e.sourceIdentity.displayName === displayName)?.sourceIdentity.id;

describe('a server whose ids cannot be used in a URL', () => {
  it('ids "..", "." and "" from POST: the objects fail naming the server, nothing is linked, and no request leaves its resource path', async () => {
    const { h, server } = await start({
      kind: 'unusable-ids',
      // Marcus reports to Laura: his manager PATCH went to /Users/.. (= /scim/v2/); the Sales Team's members
      // PATCH to /Groups/ (the collection); Hannah's day-2 DELETE to /Users/ (the collection).
      ids: { 'marcus.webb@contoso.com': '..', 'hannah.schmidt@contoso.com': '.', 'Sales Team': '' },
    });
    expect(await h.cli(sync(CONTOSO, '-v'))).toBe(1);
    // -v lists every failed object with its message.
    expect(h.out.stdout).toMatch(
      /✗ Create User 'Marcus Webb' .*POST http:\/\/127\.0\.0\.1:\d+\/scim\/v2\/Users → 201 SystemForCrossDomainIdentityManagementServiceIncompatible: the server gave this object the id "\.\.", which cannot be used in a URL: "\." and "\.\." are dot segments/,
    );
    expect(h.out.stdout + h.out.stderr).not.toMatch(/This is a bug|internal error/);

    const failures = await storedFailures();
    const failed = new Map(failures.map((e) => [e.sourceIdentity.displayName, e]));
    for (const [name, id] of [
      ['Marcus Webb', '".."'],
      ['Hannah Schmidt', '"."'],
      ['Sales Team', '""'],
    ] as const) {
      expect(failed.get(name)?.errorCode, name).toBe(INCOMPATIBLE);
      expect(failed.get(name)?.errorReason, name).toContain(`the id ${id}, which cannot be used in a URL`);
      expect(failed.get(name)?.errorDetails?.status, name).toBe(201);
    }
    const links = storedLinks();
    expect([...links.values()].filter((id) => id === '..' || id === '.' || id === '')).toEqual([]);
    for (const name of ['Marcus Webb', 'Hannah Schmidt', 'Sales Team']) expect(links.has(sourceIdOf(failures, name)!)).toBe(false);
    // The others are linked to what the server gave them.
    expect(links.size).toBe(server.resources('Users').size + server.resources('Groups').size - 3);

    // Day 2 deletes Hannah and changes the Sales Team: still nothing outside a resource's own path.
    expect(await h.cli(sync(CONTOSO_DAY2))).toBe(1);
    // A new initial cycle matches every object by filter again, and the filter lists the unusable ids.
    expect(await h.cli(sync(CONTOSO_DAY2, '--full', '-v'))).toBe(1);
    expect(h.out.stdout).toContain('the server listed a resource (Resources[0]) with the id "..", which cannot be used in a URL');
    expect(strayRequests(server)).toEqual([]);
    expect(server.requests.filter((r) => r.method === 'DELETE' || r.method === 'PATCH').length).toBeGreaterThan(0);
  });

  it('a link to an unusable id in an older state file: the request is refused before it is sent, and the URL printed is not a real one', async () => {
    const { h, server } = await start({ kind: 'unusable-ids', ids: {} });
    expect(await h.cli(sync(CONTOSO))).toBe(0);
    // What a state file written before ids were checked can hold: Hannah (deleted on day 2) linked to ".",
    // Noah (disabled on day 2) to "..".
    const store = new StateStore(h.state, { checkpoint: false });
    const hannah = '820c4cdf-8c30-410f-8758-8ece0b9f389a';
    const noah = '49958faf-5919-46de-afaf-1e0089024c23';
    const stale = [store.link(hannah)!.targetId, store.link(noah)!.targetId];
    try {
      store.putLink({ ...store.link(hannah)!, targetId: '.' });
      store.putLink({ ...store.link(noah)!, targetId: '..' });
    } finally {
      store.close();
    }
    const before = server.requests.length;
    h.out.stdout = '';
    expect(await h.cli(sync(CONTOSO_DAY2, '--record', 'day2.jsonl'))).toBe(1);
    // The failure summary quotes the client's reason of a request that got no response.
    expect(h.out.stdout).toMatch(/"not sent: the server gave this object the id "\.\.?", which cannot be used in a URL/);
    expect(h.out.stdout).toMatch(/first: GET http:\/\/127\.0\.0\.1:\d+\/scim\/v2\/Users\/\{id\} → no response/);

    const failures = await storedFailures();
    for (const name of ['Hannah Schmidt', 'Noah Williams']) {
      const entry = failures.find((e) => e.sourceIdentity.displayName === name);
      expect(entry?.errorCode, name).toBe(INCOMPATIBLE);
      expect(entry?.errorDetails?.status, name).toBeNull();
    }
    const day2 = server.requests.slice(before);
    expect(strayRequests(server)).toEqual([]);
    // Nothing at all was sent for the two objects (neither by their ids, old or new, nor by their names);
    // the others' day-2 changes were.
    const theirs = (path: string): boolean =>
      stale.some((id) => path.includes(`/Users/${id}`)) || /hannah\.schmidt|noah\.williams/.test(path);
    expect(day2.filter((r) => theirs(r.path))).toEqual([]);
    expect(day2.some((r) => r.method === 'PATCH')).toBe(true);
    // The transcript holds only requests that were sent.
    const lines = readFileSync(join(h.dir, 'day2.jsonl'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(day2.length);
    expect(lines.join('\n')).not.toContain('{id}');
  });
});

describe('conformance against a server whose ids cannot be used in a URL', () => {
  it('every POST answered with id "..": the checks fail, cleanup sends nothing outside a resource path and lists what it left', async () => {
    const { h, server } = await start({ kind: 'unusable-ids', ids: {}, every: '..' });
    expect(await h.cli(['conformance', '--target', server.url, '--json-file', 'report.json'])).toBe(1);
    const report = JSON.parse(readFileSync(join(h.dir, 'report.json'), 'utf8')) as {
      cleanup: { deleted: unknown[]; leftovers: Array<{ resource: string; id: string | null; reason: string }> };
    };
    expect(strayRequests(server)).toEqual([]);
    // No PATCH or DELETE carried the id; the only ones sent address other (random, never created) ids.
    expect(
      server.requests.filter((r) => (r.method === 'PATCH' || r.method === 'DELETE') && !/\/Users\/[0-9a-f-]{36}$/.test(r.path)),
    ).toEqual([]);
    // What the server still holds under ".." is reported, once per object, with the reason; nothing was deleted.
    expect(report.cleanup.deleted).toEqual([]);
    const held = server.resources('Users').size + server.resources('Groups').size;
    expect(held).toBeGreaterThan(0);
    expect(report.cleanup.leftovers).toHaveLength(held);
    for (const leftover of report.cleanup.leftovers) {
      expect(leftover.id).toBe('..');
      expect(leftover.reason).toContain('the id "..", which cannot be used in a URL');
    }
    expect(h.out.stdout).toMatch(/Cleanup: deleted 0 object\(s\) of run \w+; \d+ left, delete by hand/);
  });
});

describe('a ListResponse whose entries are not resources with ids', () => {
  it('Resources [null], an entry without id, an id that is a number: object failures naming the server, never a crash', async () => {
    const { h, server } = await start({
      kind: 'list-entries',
      entries: {
        'laura.chen@contoso.com': [null],
        'marcus.webb@contoso.com': [{ userName: 'marcus.webb@contoso.com' }],
        'priya.raman@contoso.com': [{ id: 42, userName: 'priya.raman@contoso.com' }],
      },
    });
    expect(await h.cli(sync(CONTOSO))).toBe(1);
    expect(h.out.stdout + h.out.stderr).not.toMatch(/This is a bug|internal error|SQLITE/);
    const failures = await storedFailures();
    const reasons = new Map(failures.map((e) => [e.sourceIdentity.displayName, e]));
    expect(reasons.get('Laura Chen')?.errorReason).toContain('Resources[0] is null, not a SCIM resource');
    expect(reasons.get('Marcus Webb')?.errorReason).toContain('Resources[0] has no "id"');
    expect(reasons.get('Priya Raman')?.errorReason).toContain('an id must be a string (RFC 7643 §3.1), and this one is a number (42)');
    for (const name of ['Laura Chen', 'Marcus Webb', 'Priya Raman']) {
      expect(reasons.get(name)?.errorCode, name).toBe(INCOMPATIBLE);
      expect(reasons.get(name)?.errorDetails?.status, name).toBe(200);
    }
    // Nothing was written for them: no PATCH /Users/undefined, no POST (they were neither matched nor absent).
    expect(server.requests.filter((r) => /undefined|null|\/42\b/.test(r.path))).toEqual([]);
    const posted = [...server.resources('Users').values()].map((u) => u['userName']);
    expect(posted).not.toContain('laura.chen@contoso.com');
    expect(posted).not.toContain('marcus.webb@contoso.com');
    expect(strayRequests(server)).toEqual([]);
    expect([...storedLinks().keys()]).not.toContain(sourceIdOf(failures, 'Laura Chen'));
  });
});

describe('a server that trickles its answer', () => {
  it('one byte every 200 ms: --timeout is a deadline for the whole request, the object fails with ETIMEDOUT, the cycle ends', async () => {
    const { h, server } = await start({ kind: 'trickle', value: 'laura.chen@contoso.com', everyMs: 200 });
    // Without a whole-request deadline this cycle never ends; the test's own timeout is the bound.
    expect(await h.cli(sync(CONTOSO, '--timeout', '1000'))).toBe(1);
    const failures = await storedFailures();
    const laura = failures.find((e) => e.sourceIdentity.displayName === 'Laura Chen');
    expect(laura?.errorCode).toBe('Timeout');
    expect(laura?.errorReason).toContain('ETIMEDOUT: timeout of 1000ms exceeded');
    expect(h.out.stdout).toContain('ETIMEDOUT');
    // A GET that timed out is retried within the cycle (3 retries), then the object is escrowed.
    const lauraFilters = server.requests.filter((r) => r.method === 'GET' && r.path.includes('laura.chen'));
    expect(lauraFilters).toHaveLength(4);
    // Everyone else was provisioned: Laura is the one failure, every POST was answered 201.
    expect(failures.map((e) => e.sourceIdentity.displayName)).toEqual(['Laura Chen']);
    const posts = server.requests.filter((r) => r.method === 'POST');
    expect(posts.length).toBeGreaterThan(0);
    expect(posts.every((r) => r.status === 201)).toBe(true);
    expect(server.resources('Users').size + server.resources('Groups').size).toBe(posts.length);
  }, 30_000);
});

describe('a response body without bound', () => {
  it('17 MiB answering a filter: the request fails naming the size, is not retried, and the rest of the cycle goes on', async () => {
    const bytes = 17 * 1024 * 1024;
    const { h, server } = await start({ kind: 'huge-body', value: 'laura.chen@contoso.com', bytes, status: 200, contentLength: false });
    expect(await h.cli(sync(CONTOSO))).toBe(1);
    const failures = await storedFailures();
    const laura = failures.find((e) => e.sourceIdentity.displayName === 'Laura Chen');
    expect(laura?.errorCode).toBe(INCOMPATIBLE);
    expect(laura?.errorReason).toContain('more than the 16 MiB provsim reads of a response');
    expect(laura?.errorDetails?.status).toBe(200);
    expect(server.requests.filter((r) => r.method === 'GET' && r.path.includes('laura.chen'))).toHaveLength(1);
    expect(server.resources('Users').size).toBeGreaterThan(0);
  }, 30_000);
});

describe('Retry-After that is not RFC 9110', () => {
  it('"-5" is treated as absent: the retry backs off instead of resending at once', async () => {
    const clock = new ManualClock('2026-03-01T10:00:00Z');
    const { h, server } = await start({ kind: 'retry-after', value: '-5', times: 1 }, clock);
    expect(await h.cli(sync(CONTOSO, '--concurrency', '1'))).toBe(0);
    expect(server.requests.filter((r) => r.status === 429)).toHaveLength(1);
    // The back-off of a first retry: full jitter under the 500 ms base (engine/retry.ts), not the 0 ms a
    // header read as a date in 2001 gave.
    const m = /retry 1 of POST after (\d+) ms: TooManyRequests \(429\)/.exec(h.out.stderr);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(0);
    expect(Number(m![1])).toBeLessThanOrEqual(500);
    expect(clock.sleeps).toContain(Number(m![1]));
  });
});
