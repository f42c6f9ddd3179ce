/**
 * Large cycles run in batches (engine/plan-and-apply.ts): with a batch size far below the tenant's size, the
 * target ends in the same state, the log has the same entries, and the same requests are sent as in a
 * one-shot cycle; a manager loop (references to a later batch) is resolved after the last batch; a cycle
 * interrupted between batches resumes without duplicates.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { syncCommand } from '../../src/cli/commands/sync.js';
import { openProvisioner } from '../../src/engine/open.js';
import type { Plan } from '../../src/engine/plan.js';
import { createHttpClient } from '../../src/scim/http.js';
import { StateStore } from '../../src/store/store.js';
import { CONTOSO, CONTOSO_DAY2, DEFAULT_MAPPING, Harness } from '../helpers/harness.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const harnesses: Harness[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.stop();
});
const start = async (): Promise<Harness> => {
  const h = await new Harness().start();
  harnesses.push(h);
  return h;
};

/** Requests by method and resource kind, e.g. `PATCH Users`, sorted. */
function requestKinds(h: Harness): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of h.target.requests()) {
    const k = `${r.method} ${/\/(Users|Groups)/.exec(r.url)?.[1] ?? '?'}${r.method === 'GET' && r.url.includes('filter=') ? ' filter' : ''}`;
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

function storedLog(h: Harness): Array<{ action: string; status: string; object: string; modified: string[] }> {
  const store = new StateStore(h.state);
  try {
    return store
      .logs()
      .map((e) => ({
        action: e.provisioningAction,
        status: e.status,
        object: e.sourceIdentity.displayName,
        modified: e.modifiedProperties.map((p) => `${p.displayName}=${p.newValue ?? ''}`).sort(),
      }))
      .sort((a, b) => `${a.object}/${a.action}`.localeCompare(`${b.object}/${b.action}`));
  } finally {
    store.close();
  }
}

describe('batched cycles', () => {
  it.each([1, 3, 7])('batches of %i: same target state, log entries and requests as one-shot cycles, over two days', async (batchSize) => {
    const oneShot = await start();
    const batched = await start();
    for (const dir of [CONTOSO, CONTOSO_DAY2]) {
      const a = await oneShot.sync(dir);
      const b = await batched.sync(dir, { batchSize });
      expect(a.cycle?.batched).toBe(false);
      expect(b.cycle?.batched).toBe(true);
      expect(b.cycle?.plan).toBeNull();
      expect(b.exitCode).toBe(a.exitCode);
      expect(b.cycle?.status).toBe(a.cycle?.status);
      expect(b.cycle?.counts).toEqual(a.cycle?.counts);
      expect(b.cycle?.log).toEqual(a.cycle?.log.filter((e) => e.status === 'Failure'));
    }
    expect(batched.shape()).toEqual(oneShot.shape());
    expect(requestKinds(batched)).toEqual(requestKinds(oneShot));
    expect(storedLog(batched)).toEqual(storedLog(oneShot));
    // Every manager was set: the manager tree was walked top-down, or deferred to the end.
    const managed = batched.target.snapshot().users.filter((u) => (u[ENTERPRISE] as { manager?: unknown } | undefined)?.manager);
    expect(managed.length).toBeGreaterThan(5);
  });

  it("a manager loop across batches: both references are set after the last batch, in the objects' own log entries", async () => {
    const h = await start();
    const dir = join(h.dir, 'loop');
    mkdirSync(dir, { recursive: true });
    const users = ['ann', 'bob', 'cat', 'dan'].map((n, i) => ({
      id: `a000000${i}-0000-4000-8000-00000000000${i}`,
      upn: `${n}@contoso.com`,
      name: n,
    }));
    // ann → bob → cat → ann (a loop), dan → ann.
    const managerOf: Record<string, string> = { ann: 'bob', bob: 'cat', cat: 'ann', dan: 'ann' };
    writeFileSync(
      join(dir, 'users.yaml'),
      users
        .map(
          (u) =>
            `- id: ${u.id}\n  userPrincipalName: ${u.upn}\n  displayName: ${u.name}\n  mail: ${u.upn}\n  manager: ${managerOf[u.name]}@contoso.com\n`,
        )
        .join(''),
    );
    writeFileSync(join(dir, 'groups.yaml'), '[]\n');
    writeFileSync(
      join(dir, 'assignments.yaml'),
      `app: {name: App, appRoles: []}\nassignments:\n${users.map((u) => `  - {principal: ${u.upn}}`).join('\n')}\n`,
    );
    const r = await h.sync(dir, { batchSize: 1 });
    expect(r.exitCode).toBe(0);
    expect(r.cycle?.batched).toBe(true);
    expect(r.cycle?.counts).toEqual({ 'Create/Success': 4 });
    const byName = new Map(h.target.snapshot().users.map((u) => [String(u['displayName']), u]));
    for (const [user, manager] of Object.entries(managerOf)) {
      expect((byName.get(user)![ENTERPRISE] as { manager?: { value: string } }).manager?.value).toBe(byName.get(manager)!['id']);
    }
    // One entry per object, the manager folded in.
    const log = storedLog(h);
    expect(log).toHaveLength(4);
    for (const e of log) expect(e.modified).toContain(`manager=${managerOf[e.object]}`);
  });

  it('a manager loop, stopped before the deferred references: the next cycle sets them', async () => {
    const h = await start();
    const users = ['ann', 'bob', 'cat', 'dan'];
    const ids = users.map((_, i) => `a000000${i}-0000-4000-8000-00000000000${i}`);
    const write = (dir: string, managers: Record<string, string>): string => {
      const path = join(h.dir, dir);
      mkdirSync(path, { recursive: true });
      writeFileSync(
        join(path, 'users.yaml'),
        users
          .map(
            (n, i) =>
              `- id: ${ids[i]}\n  userPrincipalName: ${n}@contoso.com\n  displayName: ${n}\n  mail: ${n}@contoso.com\n${managers[n] ? `  manager: ${managers[n]}@contoso.com\n` : ''}`,
          )
          .join(''),
      );
      writeFileSync(join(path, 'groups.yaml'), '[]\n');
      writeFileSync(
        join(path, 'assignments.yaml'),
        `app: {name: App, appRoles: []}\nassignments:\n${users.map((n) => `  - {principal: ${n}@contoso.com}`).join('\n')}\n`,
      );
      return path;
    };
    expect((await h.sync(write('day1', {}), { batchSize: 1 })).exitCode).toBe(0);
    const managerOf: Record<string, string> = { ann: 'bob', bob: 'cat', cat: 'ann', dan: 'ann' };
    const day2 = write('day2', managerOf);

    // Stop once three of the four manager PATCHes are answered: the loop's deferred one is not sent yet.
    const controller = new AbortController();
    const http = createHttpClient();
    let patches = 0;
    http.interceptors.response.use((r) => {
      if (r.config.method?.toUpperCase() === 'PATCH' && ++patches === 3) controller.abort(new Error('SIGINT'));
      return r;
    });
    const stopped = await syncCommand(
      { fixtures: day2, mapping: DEFAULT_MAPPING, target: h.target.url, state: h.state, batchSize: 1 },
      h.deps({ signal: controller.signal, http }),
    );
    expect(stopped.cycle?.status).toBe('interrupted');
    expect(patches).toBe(3);

    const next = await h.sync(day2, { batchSize: 1 });
    expect(next.exitCode).toBe(0);
    expect(next.cycle?.kind).toBe('incremental');
    const byName = new Map(h.target.snapshot().users.map((u) => [String(u['displayName']), u]));
    for (const [user, manager] of Object.entries(managerOf)) {
      expect({ user, manager: (byName.get(user)![ENTERPRISE] as { manager?: { value: string } } | undefined)?.manager?.value }).toEqual({
        user,
        manager: byName.get(manager)!['id'],
      });
    }
  });

  it('a group deferred behind a nested group still removes a member the same cycle deletes, as a one-shot cycle does', async () => {
    const write = (h: Harness, dir: string, day: 1 | 2): string => {
      const path = join(h.dir, dir);
      mkdirSync(path, { recursive: true });
      const people = day === 1 ? ['u1', 'u2'] : ['u1'];
      writeFileSync(
        join(path, 'users.yaml'),
        people
          .map(
            (n) =>
              `- id: ${n === 'u1' ? 'c0000000-0000-4000-8000-000000000001' : 'c0000000-0000-4000-8000-000000000002'}\n  userPrincipalName: ${n}@contoso.com\n  displayName: ${n}\n  mail: ${n}@contoso.com\n`,
          )
          .join(''),
      );
      const g1 = `- id: d0000000-0000-4000-8000-000000000001\n  displayName: G1\n  members: [${[...people.map((n) => `${n}@contoso.com`), 'd0000000-0000-4000-8000-000000000002'].join(', ')}]\n`;
      const g2 = `- id: d0000000-0000-4000-8000-000000000002\n  displayName: ${day === 1 ? 'G2' : 'G2 renamed'}\n  members: [u1@contoso.com]\n`;
      writeFileSync(join(path, 'groups.yaml'), g1 + g2);
      const principals = [
        ...people.map((n) => `${n}@contoso.com`),
        'd0000000-0000-4000-8000-000000000001',
        'd0000000-0000-4000-8000-000000000002',
      ];
      writeFileSync(
        join(path, 'assignments.yaml'),
        `app: {name: App, appRoles: []}\nassignments:\n${principals.map((p) => `  - {principal: ${p}}`).join('\n')}\n`,
      );
      return path;
    };
    const oneShot = await start();
    const batched = await start();
    for (const day of [1, 2] as const) {
      const a = await oneShot.sync(write(oneShot, `day${day}`, day));
      const b = await batched.sync(write(batched, `day${day}`, day), { batchSize: 1 });
      expect(b.cycle?.batched).toBe(true);
      expect(b.cycle?.counts).toEqual(a.cycle?.counts);
    }
    expect(batched.shape()).toEqual(oneShot.shape());
    expect(requestKinds(batched)).toEqual(requestKinds(oneShot));
    expect(storedLog(batched)).toEqual(storedLog(oneShot));
    // u2 was removed from G1 before it was deleted.
    expect(
      batched
        .writes()
        .some((r) => r.method === 'PATCH' && r.url.includes('/Groups/') && JSON.stringify(r.body).toLowerCase().includes('remove')),
    ).toBe(true);
  });

  it('interrupted between batches: the next run converges to the one-shot state without duplicates', async () => {
    const reference = await start();
    await reference.sync(CONTOSO);
    const h = await start();
    const controller = new AbortController();
    const http = createHttpClient();
    let responses = 0;
    http.interceptors.response.use((r) => {
      if (++responses === 12) controller.abort(new Error('SIGINT'));
      return r;
    });
    const interrupted = await syncCommand(
      { fixtures: CONTOSO, mapping: DEFAULT_MAPPING, target: h.target.url, state: h.state, batchSize: 4 },
      h.deps({ signal: controller.signal, http }),
    );
    expect(interrupted.exitCode).toBe(130);
    expect(interrupted.cycle?.status).toBe('interrupted');
    const resumed = await h.sync(CONTOSO, { batchSize: 4 });
    expect(resumed.exitCode).toBe(0);
    expect(h.shape()).toEqual(reference.shape());
    const names = h.target.snapshot().users.map((u) => String(u['userName']).toLowerCase());
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('dry runs in batches', () => {
  /** A plan without its cycle id (each cycle has its own), with the batch it came in. */
  type Planned = { batch: { index: number; count: number } | undefined; plan: Omit<Plan, 'cycleId'> };
  const collect = (into: Planned[]) => ({
    onPlan: (plan: Plan, batch?: { index: number; count: number }) => {
      const { cycleId: _cycleId, ...rest } = plan;
      into.push({ batch, plan: structuredClone(rest) });
    },
  });
  /** Every change of a list of plans, as a sorted list (to compare plans that order them differently). */
  const changes = (plans: readonly Planned[]): string[] =>
    plans.flatMap(({ plan }) => [...plan.objects, ...plan.references, ...plan.deletes].map((c) => JSON.stringify(c))).sort();

  it('above the whole-plan limit: the plans of the batched sync, batch for batch, and nothing sent but reads (two days)', async () => {
    const h = await start();
    for (const fixtures of [CONTOSO, CONTOSO_DAY2]) {
      const provisioner = await openProvisioner({
        fixtures,
        mapping: DEFAULT_MAPPING,
        target: h.target.url,
        token: null,
        state: h.state,
        batchSize: 3,
        wholePlanLimit: 0,
      });
      try {
        const before = h.target.requests().length;
        const dry: Planned[] = [];
        const dryRun = await provisioner.sync({ dryRun: true, hooks: collect(dry) });
        expect(dryRun.status).toBe('succeeded');
        expect([dryRun.batched, dryRun.plan]).toEqual([true, null]);
        expect(h.writes(before)).toEqual([]);

        const sent: Planned[] = [];
        const cycle = await provisioner.sync({ hooks: collect(sent) });
        expect(cycle.batched).toBe(true);
        expect(sent.length).toBeGreaterThan(1);
        expect(dry).toEqual(sent);
      } finally {
        await provisioner.close();
      }
    }
  });

  it('against a target that holds the objects and no state (every object matched): the plans of the batched sync', async () => {
    const h = await start();
    expect((await h.sync(CONTOSO)).exitCode).toBe(0);
    const provisioner = await openProvisioner({
      fixtures: CONTOSO,
      mapping: DEFAULT_MAPPING,
      target: h.target.url,
      token: null,
      state: join(h.dir, 'fresh.db'),
      batchSize: 3,
      wholePlanLimit: 0,
    });
    try {
      const dry: Planned[] = [];
      await provisioner.sync({ dryRun: true, hooks: collect(dry) });
      const sent: Planned[] = [];
      await provisioner.sync({ hooks: collect(sent) });
      // A manager matched in an earlier batch is linked, so a report whose manager is already right is
      // left alone: the dry run carries the earlier batches' links as apply does.
      expect(changes(sent).filter((c) => c.includes('"set-manager"'))).toEqual([]);
      expect(dry).toEqual(sent);
    } finally {
      await provisioner.close();
    }
  });

  it('up to the whole-plan limit: one plan, with the same changes as the batches', async () => {
    const h = await start();
    const open = (wholePlanLimit: number) =>
      openProvisioner({
        fixtures: CONTOSO,
        mapping: DEFAULT_MAPPING,
        target: h.target.url,
        token: null,
        state: h.state,
        batchSize: 3,
        wholePlanLimit,
      });
    const whole: Planned[] = [];
    const batched: Planned[] = [];
    const one = await open(10_000);
    const result = await one.sync({ dryRun: true, hooks: collect(whole) });
    await one.close();
    expect(whole.map((p) => p.batch)).toEqual([undefined]);
    expect([result.batched, result.plan?.objects.length]).toEqual([false, 31]);
    const split = await open(0);
    await split.sync({ dryRun: true, hooks: collect(batched) });
    await split.close();
    expect(batched.length).toBeGreaterThan(1);
    expect(changes(batched)).toEqual(changes(whole));
  });
});
