/**
 * A server that gives two objects one target object: a filter it ignores (every matching query answers the
 * same user), or one id for every POST. Only the first object of a cycle is linked to it; every other one
 * fails (TargetObjectAlreadyLinked, naming the first), and no request is sent on its behalf to that object.
 */
import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/shared/clock.js';
import { StateStore } from '../../src/store/store.js';
import { Harness, sessionFlags } from '../helpers/harness.js';

let h: Harness;
let server: Server | undefined;
afterEach(async () => {
  await h?.stop();
  await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
  server = undefined;
});

const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

/** `ignoreFilter`: every user query answers user "same-1"; `oneId`: every POST answers id "dup-1". */
async function start(mode: 'ignoreFilter' | 'oneId'): Promise<{ url: string; sent: string[] }> {
  const sent: string[] = [];
  let groups = 0;
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      sent.push(`${req.method} ${req.url}`);
      res.setHeader('Content-Type', 'application/scim+json');
      const path = (req.url ?? '').replace(/\?.*$/, '');
      if (req.method === 'GET') {
        // Entra's connection probe (a random GUID) still gets an empty list, so the job runs.
        const probe = /%22[0-9a-f]{8}-[0-9a-f]{4}-/.test(req.url ?? '');
        const resources =
          mode === 'ignoreFilter' && path.endsWith('/Users') && !probe
            ? [{ id: 'same-1', userName: 'someone@contoso.com', active: true }]
            : [];
        res.end(JSON.stringify({ schemas: [LIST], totalResults: resources.length, Resources: resources }));
        return;
      }
      if (req.method === 'POST') {
        res.statusCode = 201;
        const id = path.endsWith('/Groups') ? `g-${++groups}` : mode === 'oneId' ? 'dup-1' : `u-${sent.length}`;
        res.end(JSON.stringify({ ...(JSON.parse(body) as object), id }));
        return;
      }
      res.statusCode = 204;
      res.end();
    });
  });
  await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/scim/v2`, sent };
}

function linkedTo(state: string, targetId: string): string[] {
  const store = new StateStore(state);
  try {
    return [...store.links().values()].filter((a) => a.targetId === targetId).map((a) => a.displayName);
  } finally {
    store.close();
  }
}

describe('one target object for two source objects', () => {
  it.each([
    ['a filter the server ignores', 'ignoreFilter', 'same-1', 'answered the matching query'],
    ['one id for every POST', 'oneId', 'dup-1', 'answered the POST'],
  ] as const)('%s: one link, the others fail by name, exit 1', async (_what, mode, id, how) => {
    h = new Harness({}, new ManualClock('2026-05-01T08:00:00Z'));
    const { url, sent } = await start(mode);
    const code = await h.cli(['sync', ...sessionFlags({ target: url, state: h.state })]);
    expect(code).toBe(1);
    const linked = linkedTo(h.state, id);
    expect(linked).toHaveLength(1);
    expect(h.out.stdout).toContain('TargetObjectAlreadyLinked');
    h.out.stdout = '';
    expect(await h.cli(['logs', '--state', h.state, '--status', 'Failure', '--json'])).toBe(0);
    const failures = JSON.parse(h.out.stdout) as Array<{ errorCode: string; errorReason: string }>;
    const shared = failures.filter((f) => f.errorCode === 'TargetObjectAlreadyLinked');
    expect(shared.length).toBeGreaterThan(5);
    // Each names the object that holds the target object, by its display name.
    for (const f of shared) expect(f.errorReason).toContain(`${how} with User "${id}", which ${linked[0]} was already linked to`);
    // Nothing was sent to that object on behalf of the objects that failed: at most the first's own PATCHes
    // (its attributes, its manager) reach it.
    const toIt = sent.filter((s) => s.startsWith(`PATCH /scim/v2/Users/${id}`));
    expect(toIt.length).toBeLessThanOrEqual(2);
  });
});
