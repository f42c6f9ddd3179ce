/**
 * Wire-contract scenarios: the real engine (built by openProvisioner, as the CLI builds it) against a
 * nock-pinned target on 127.0.0.1, with a tenant and a mapping written inline. Every request is captured (method, path+query, headers, body) so a
 * test can assert the exact wire shape with a readable diff; the fake target answers by a small router.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { compileJob } from '../../src/mapping/compile.js';
import { GROUP_SOURCE_ATTRIBUTES, parseJob, USER_SOURCE_ATTRIBUTES } from '../../src/mapping-file/index.js';
import type { CycleOptions } from '../../src/engine/cycle-options.js';
import type { CycleResult } from '../../src/engine/cycle-result.js';
import { openProvisioner } from '../../src/engine/open.js';
import type { Anchor } from '../../src/model/records.js';
import { createHttpClient } from '../../src/scim/http.js';
import { ManualClock } from '../../src/shared/clock.js';
import { seededRandom } from '../../src/shared/random.js';
import { parseTenant } from '../../src/source/index.js';
import type { Tenant } from '../../src/model/directory.js';
import { StateStore } from '../../src/store/store.js';
import { applyOperations } from '../helpers/forgiving-patch.js';

export const ORIGIN = 'http://127.0.0.1:9';
export const BASE = `${ORIGIN}/scim`;
export const TOKEN = 'wire-test-token';
export const LIST_EMPTY = {
  schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
  totalResults: 0,
  Resources: [],
  startIndex: 1,
  itemsPerPage: 20,
};
export const list = (resources: unknown[]) => ({ ...LIST_EMPTY, totalResults: resources.length, Resources: resources });

export interface Captured {
  method: string;
  /** Path and query exactly as sent (the query still form-encoded). */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export type Route = (req: Captured) => [number, unknown?] | undefined;

export function tenant(users: string, assignments: string, groups?: string): Tenant {
  const { tenant, diagnostics } = parseTenant({
    dir: 't',
    users: { file: 'users.yaml', text: users },
    assignments: { file: 'assignments.yaml', text: assignments },
    ...(groups ? { groups: { file: 'groups.yaml', text: groups } } : {}),
  });
  if (!tenant) throw new Error(diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  return tenant;
}

export function job(yaml: string) {
  const parsed = parseJob({ file: 'mapping.yaml', text: yaml });
  if (!parsed.job) throw new Error(parsed.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  const { compiled, diagnostics } = compileJob(parsed.job, { users: USER_SOURCE_ATTRIBUTES, groups: GROUP_SOURCE_ATTRIBUTES });
  if (!compiled) throw new Error(diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  return compiled;
}

/**
 * A fake SCIM target: answers each request with the first route that returns a response, and remembers
 * what it was sent, so that it reads back the way a real server does: a 201 to a POST stores the returned
 * resource, a 2xx to a PATCH applies the operations to it (helpers/forgiving-patch.ts, the way a forgiving server
 * would), a 2xx to a DELETE forgets it. A `GET /Users/{id}` or `/Groups/{id}` that no
 * route answers returns the stored resource (groups without members when asked to exclude them), or 404.
 */
export function fakeTarget(routes: Route[]): Captured[] {
  const captured: Captured[] = [];
  const stored = new Map<string, Record<string, unknown>>();
  const resourceOf = (uri: string): { collection: string; id: string | null } | null => {
    const m = /\/(Users|Groups)(?:\/([^/?]+))?(?:\?|$)/.exec(uri);
    return m ? { collection: m[1]!, id: m[2] === undefined ? null : decodeURIComponent(m[2]) } : null;
  };
  const remember = (req: Captured, status: number, body: unknown): void => {
    const at = resourceOf(req.path);
    if (!at || status < 200 || status > 299) return;
    if (req.method === 'POST' && at.id === null && body && typeof body === 'object' && typeof (body as { id?: unknown }).id === 'string') {
      stored.set(`${at.collection}/${(body as { id: string }).id}`, structuredClone(body as Record<string, unknown>));
    } else if (req.method === 'PATCH' && at.id !== null) {
      const key = `${at.collection}/${at.id}`;
      const current = stored.get(key);
      if (current) stored.set(key, applyOperations(current, req.body));
    } else if (req.method === 'DELETE' && at.id !== null) stored.delete(`${at.collection}/${at.id}`);
  };
  const readBack = (req: Captured): [number, unknown] | undefined => {
    const at = resourceOf(req.path);
    if (req.method !== 'GET' || !at || at.id === null) return undefined;
    const resource = stored.get(`${at.collection}/${at.id}`);
    if (!resource)
      return [
        404,
        { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '404', detail: `${at.collection}/${at.id} not found` },
      ];
    if (at.collection === 'Groups' && req.path.includes('excludedAttributes=members')) {
      const { members: _members, ...rest } = resource;
      return [200, rest];
    }
    return [200, resource];
  };
  const handle = (method: string) =>
    function (this: { req: { headers: Record<string, string> } }, uri: string, body: unknown): [number, unknown] {
      // nock hands over application/scim+json bodies as text (it only parses application/json).
      const parsed = typeof body === 'string' && body !== '' ? (JSON.parse(body) as unknown) : body === '' ? undefined : body;
      const req: Captured = { method, path: uri, headers: this.req.headers, body: parsed };
      captured.push(req);
      for (const r of routes) {
        const res = r(req);
        if (res) {
          remember(req, res[0], res[1]);
          return [res[0], res[1] ?? ''];
        }
      }
      return readBack(req) ?? [500, { detail: `no route for ${method} ${uri}` }];
    };
  const scope = nock(ORIGIN).persist();
  scope.get(() => true).reply(handle('GET'));
  scope.post(() => true).reply(handle('POST'));
  scope.patch(() => true).reply(handle('PATCH'));
  scope.delete(() => true).reply(handle('DELETE'));
  return captured;
}

/** The probe and empty filter answers: every filter GET finds nothing unless a later route says otherwise. */
export const emptyFilters: Route = (r) => (r.method === 'GET' && r.path.includes('filter=') ? [200, LIST_EMPTY] : undefined);

/**
 * Cycles against one state file, each through a provisioner opened for it and closed after (as each CLI
 * run opens the state file anew), on one simulated clock and one seeded random source.
 */
export class WireRun {
  readonly dir = mkdtempSync(join(tmpdir(), 'provsim-wire-'));
  readonly state = join(this.dir, 'state.db');
  readonly clock = new ManualClock('2026-05-01T08:00:00Z');
  readonly random = seededRandom(7);

  /** One cycle; `options.only` runs it as provision on demand. */
  async cycle(t: Tenant, mapping: ReturnType<typeof job>, options: CycleOptions = {}): Promise<CycleResult> {
    const { dryRun, allowDeletes, forceInitial, only, dialect, quirks, ...engine } = options;
    const p = await openProvisioner(
      {
        fixtures: t,
        mapping,
        target: BASE,
        token: TOKEN,
        state: this.state,
        concurrency: 1,
        ...(dialect ? { dialect } : {}),
        ...(quirks ? { quirks } : {}),
        ...engine,
      },
      { clock: this.clock, random: this.random, http: createHttpClient({ transport: 'node' }) },
    );
    try {
      if (only) return await p.provision(only);
      return await p.sync({
        ...(dryRun !== undefined ? { dryRun } : {}),
        ...(allowDeletes !== undefined ? { allowDeletes } : {}),
        ...(forceInitial !== undefined ? { forceInitial } : {}),
      });
    } finally {
      await p.close();
    }
  }

  /** The stored links, read from the state file. */
  links(): Map<string, Anchor> {
    const store = new StateStore(this.state, { checkpoint: false });
    try {
      return store.links();
    } finally {
      store.close();
    }
  }

  close(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Requests other than GETs (the probe, filters and reads by id). */
export function writes(captured: Captured[]): Captured[] {
  return captured.filter((c) => c.method !== 'GET');
}

/** Method and path of every request but the connection probe (the first request of each cycle). */
export function sequence(captured: Captured[], from = 0): string[] {
  return captured
    .slice(from)
    .filter((c) => !/\?filter=userName\+eq\+%22[0-9a-f]{8}-[0-9a-f]{4}-4/.test(c.path))
    .map((c) => `${c.method} ${c.path}`);
}
