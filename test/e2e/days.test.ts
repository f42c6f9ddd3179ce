/**
 * Scenarios over several simulated days, named like Microsoft's validation tests (spec §6.2), each cycle
 * standing at its own simulated time (`--at`): lifecycle, escrow retry timing, quarantine, restart.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readStatus } from '../../src/cli/commands/status.js';
import { StateStore } from '../../src/store/store.js';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.js';
import { Harness } from '../helpers/harness.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
let h: Harness;
let proxy: FaultProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
  await h?.stop();
});

interface Person {
  id: string;
  upn: string;
  name: string;
  extra?: string;
}
const ALEX: Person = { id: 'a0000000-0000-4000-8000-000000000001', upn: 'alex@contoso.com', name: 'Alex Kim' };
const BEA: Person = { id: 'b0000000-0000-4000-8000-000000000002', upn: 'bea@contoso.com', name: 'Bea Ruiz' };
const CY: Person = { id: 'c0000000-0000-4000-8000-000000000003', upn: 'cy@contoso.com', name: 'Cy Berg' };
const TEAM = 'd0000000-0000-4000-8000-000000000004';

/** Writes one day's tenant and returns its directory. */
function day(h: Harness, n: number, users: Person[], assigned: string[], group?: { name: string; members: string[] } | null): string {
  const dir = join(h.dir, `day${n}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'users.yaml'),
    users
      .map((u) => `- id: ${u.id}\n  userPrincipalName: ${u.upn}\n  displayName: ${u.name}\n  mail: ${u.upn}\n${u.extra ?? ''}`)
      .join('\n') || '[]\n',
  );
  writeFileSync(
    join(dir, 'groups.yaml'),
    group ? `- id: ${TEAM}\n  displayName: ${group.name}\n  members: [${group.members.join(', ')}]\n` : '[]\n',
  );
  writeFileSync(
    join(dir, 'assignments.yaml'),
    `app: {name: App, appRoles: []}\nassignments:\n${assigned.map((p) => `  - {principal: ${p}}`).join('\n') || '  []'}\n`.replace(
      'assignments:\n  []',
      'assignments: []',
    ),
  );
  return dir;
}
const on = (d: number, hour = 9) => new Date(Date.UTC(2026, 5, d, hour)).toISOString();

describe('user and group lifecycle over a week (Create_User … Delete_Group)', () => {
  it('create, update, manager set/change/remove, disable, restore, unassign, soft and hard delete; group create, rename, members, delete', async () => {
    h = await new Harness().start();
    const sync = async (dir: string, d: number) => {
      const r = await h.sync(dir, { at: on(d) });
      expect(r.cycle?.log.filter((e) => e.status === 'Failure')).toEqual([]);
      return r;
    };
    const user = (upn: string) => h.userByName(upn);
    const managerOf = (upn: string) => (user(upn)?.[ENTERPRISE] as { manager?: { value: string } } | undefined)?.manager?.value;
    const members = () =>
      ((h.groupByName('Team')?.['members'] ?? h.groupByName('Team Renamed')?.['members'] ?? []) as Array<{ value: string }>)
        .map((m) => m.value)
        .sort();

    // Day 1 — Create_User, Create_Group, Group_Update_Add_Member (several in one PATCH), manager set.
    await sync(
      day(h, 1, [ALEX, { ...BEA, extra: `  manager: ${ALEX.upn}\n` }, CY], [ALEX.upn, BEA.upn, CY.upn, TEAM], {
        name: 'Team',
        members: [ALEX.upn, BEA.upn],
      }),
      1,
    );
    expect(user(ALEX.upn)).toMatchObject({ active: true, displayName: 'Alex Kim' });
    expect(managerOf(BEA.upn)).toBe(user(ALEX.upn)!['id']);
    expect(members()).toEqual([user(ALEX.upn)!['id'], user(BEA.upn)!['id']].sort());
    const memberAdds = h.writes().filter((r) => r.method === 'PATCH' && r.url.includes('/Groups/'));
    expect(memberAdds).toHaveLength(1);

    // Day 2 — Update_User (rename), User_Update_Manager (change), Update_Group (rename), Remove_Member.
    await sync(
      day(h, 2, [{ ...ALEX, name: 'Alex Kim-Lee' }, { ...BEA, extra: `  manager: ${CY.upn}\n` }, CY], [ALEX.upn, BEA.upn, CY.upn, TEAM], {
        name: 'Team Renamed',
        members: [ALEX.upn],
      }),
      2,
    );
    expect(user(ALEX.upn)).toMatchObject({ displayName: 'Alex Kim-Lee' });
    expect(managerOf(BEA.upn)).toBe(user(CY.upn)!['id']);
    expect(h.groupByName('Team Renamed')).toBeDefined();
    expect(members()).toEqual([user(ALEX.upn)!['id']]);

    // Day 3 — manager removed; Disable_User (accountEnabled false).
    await sync(
      day(h, 3, [{ ...ALEX, name: 'Alex Kim-Lee', extra: '  accountEnabled: false\n' }, BEA, CY], [ALEX.upn, BEA.upn, CY.upn, TEAM], {
        name: 'Team Renamed',
        members: [ALEX.upn],
      }),
      3,
    );
    expect(managerOf(BEA.upn)).toBeUndefined();
    expect(user(ALEX.upn)).toMatchObject({ active: false });

    // Day 4 — Restore_User: re-enabled; and Cy unassigned (deprovisioned: disabled, not deleted).
    await sync(
      day(h, 4, [{ ...ALEX, name: 'Alex Kim-Lee' }, BEA, CY], [ALEX.upn, BEA.upn, TEAM], { name: 'Team Renamed', members: [ALEX.upn] }),
      4,
    );
    expect(user(ALEX.upn)).toMatchObject({ active: true });
    expect(user(CY.upn)).toMatchObject({ active: false });

    // Day 5 — Cy hard-deleted after unassignment: Entra no longer manages it, no DELETE. Bea soft-deleted.
    await sync(
      day(
        h,
        5,
        [
          { ...ALEX, name: 'Alex Kim-Lee' },
          { ...BEA, extra: '  softDeleted: true\n' },
        ],
        [ALEX.upn, BEA.upn, TEAM],
        { name: 'Team Renamed', members: [ALEX.upn] },
      ),
      5,
    );
    expect(user(CY.upn)).toMatchObject({ active: false });
    expect(user(BEA.upn)).toMatchObject({ active: false });

    // Day 35 — Delete_User: Bea purged 30 days after the soft delete → DELETE. Delete_Group: the group unassigned.
    await sync(day(h, 35, [{ ...ALEX, name: 'Alex Kim-Lee' }], [ALEX.upn], { name: 'Team Renamed', members: [ALEX.upn] }), 35);
    expect(user(BEA.upn)).toBeUndefined();
    expect(h.groupByName('Team Renamed')).toBeUndefined();
    expect(
      h.target
        .snapshot()
        .users.map((u) => u['userName'])
        .sort(),
    ).toEqual([ALEX.upn, CY.upn]);
    expect(h.writes().filter((r) => r.method === 'DELETE')).toHaveLength(2);
    // Every write of the week to an object linked in an earlier cycle was preceded by its read.
    expect(h.writesWithoutRead()).toEqual([]);
  });
});

describe('escrows over days (spec §5.8)', () => {
  it('a conflicting create is retried at +6 h, not before, and a success clears it', async () => {
    h = await new Harness().start();
    let conflict = true;
    proxy = await startFaultProxy(h.target.url, ({ method, url }) =>
      conflict && method === 'POST' && url.endsWith('/Users')
        ? {
            status: 409,
            body: JSON.stringify({
              schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
              status: '409',
              scimType: 'uniqueness',
              detail: 'taken',
            }),
          }
        : null,
    );
    const dir = day(h, 1, [ALEX], [ALEX.upn]);
    const first = await h.sync(dir, { target: proxy.url, at: on(1, 9) });
    expect(first.cycle?.log[0]).toMatchObject({ provisioningAction: 'Create', status: 'Failure', errorCode: 'EntryConflict' });
    // The summary says when the retry comes, and how to retry now.
    expect(first.cycle?.escrows).toMatchObject({ pending: 1, nextRetryAt: on(1, 15) });
    expect(h.out.stdout).toContain(
      `escrows: 1 object(s) waiting for a retry, from ${on(1, 15)}; to retry them now, run an initial cycle (provsim sync --full)`,
    );
    conflict = false;

    const store = () => new StateStore(h.state);
    let s = store();
    expect([...s.escrows().values()]).toMatchObject([{ sourceId: ALEX.id, attempts: 1, nextRetryAt: on(1, 15) }]);
    s.close();

    const early = await h.sync(dir, { target: proxy.url, at: on(1, 14) });
    expect(early.cycle?.log).toEqual([]);
    expect(h.userByName(ALEX.upn)).toBeUndefined();

    const due = await h.sync(dir, { target: proxy.url, at: on(1, 15) });
    expect(due.cycle?.log[0]).toMatchObject({ provisioningAction: 'Create', status: 'Success' });
    s = store();
    expect(s.escrows().size).toBe(0);
    s.close();
  });
});

describe('quarantine and restart (spec §5.9, §5.12)', () => {
  it('bad credentials quarantine the job with back-off; the first good cycle leaves it; restart clears state as asked', async () => {
    h = await new Harness({ PROVSIM_TOKEN: 'wrong-token-000' }).start('tolerant', 'right-token-111');
    const dir = day(h, 1, [ALEX], [ALEX.upn]);
    for (const hour of [9, 10]) {
      const r = await h.sync(dir, { at: on(1, hour) });
      expect(r.exitCode).toBe(1);
      expect(r.cycle?.quarantine).toMatchObject({ reason: 'EncounteredQuarantineException' });
    }
    let s = new StateStore(h.state);
    expect(readStatus(s)).toMatchObject({
      state: 'Quarantine',
      quarantine: { seriesCount: 2, seriesBegan: on(1, 9), nextAttempt: new Date(Date.parse(on(1, 10)) + 80 * 60_000).toISOString() },
    });
    s.close();
    expect(await h.cli(['status', '--state', h.state])).toBe(0);
    expect(h.out.stdout).toContain('Quarantine: EncounteredQuarantineException');

    h.env['PROVSIM_TOKEN'] = 'right-token-111';
    const ok = await h.sync(dir, { at: on(1, 12) });
    expect(ok.exitCode).toBe(0);
    expect(ok.cycle?.quarantine).toBeNull();
    s = new StateStore(h.state);
    expect(readStatus(s).state).toBe('Active');
    s.close();

    // Restart (the portal's): the next cycle is initial, links kept → nothing to write.
    expect(await h.cli(['restart', '--state', h.state])).toBe(0);
    const again = await h.sync(dir, { at: on(1, 13) });
    expect(again.cycle?.kind).toBe('initial');
    expect(again.cycle?.counts).toEqual({ 'Other/Skipped': 1 });
    const next = await h.sync(dir, { at: on(1, 14) });
    expect(next.cycle?.kind).toBe('incremental');
    // Full restart forgets links: the next cycle matches (and links) again without creating duplicates.
    expect(await h.cli(['restart', '--state', h.state, '--scope', 'full'])).toBe(0);
    const full = await h.sync(dir, { at: on(1, 15) });
    expect(full.cycle?.kind).toBe('initial');
    expect(h.target.snapshot().users).toHaveLength(1);
    expect(await h.cli(['restart', '--state', h.state, '--scope', 'nonsense'])).toBe(2);
  });

  it('restart --scope force-deletes lets the next cycle through the deletion threshold, once', async () => {
    h = await new Harness().start();
    const mapping = join(h.dir, 'mapping.yaml');
    const { readFileSync } = await import('node:fs');
    const { DEFAULT_MAPPING } = await import('../helpers/harness.js');
    writeFileSync(
      mapping,
      readFileSync(DEFAULT_MAPPING, 'utf8').replace('accidentalDeletionThreshold: null', 'accidentalDeletionThreshold: 2'),
    );
    await h.sync(day(h, 1, [ALEX, BEA, CY], [ALEX.upn, BEA.upn, CY.upn]), { mapping, at: on(1) });
    const held = await h.sync(day(h, 2, [ALEX, BEA, CY], [ALEX.upn]), { mapping, at: on(2) });
    expect(held.cycle?.quarantine).toMatchObject({ reason: 'TooManyDeletes' });
    expect(h.userByName(BEA.upn)).toMatchObject({ active: true });
    expect(await h.cli(['restart', '--state', h.state, '--scope', 'force-deletes'])).toBe(0);
    const forced = await h.sync(day(h, 2, [ALEX, BEA, CY], [ALEX.upn]), { mapping, at: on(2, 10) });
    expect(forced.exitCode).toBe(0);
    expect(forced.cycle?.quarantine).toBeNull();
    expect(h.userByName(BEA.upn)).toMatchObject({ active: false });
    expect(h.userByName(CY.upn)).toMatchObject({ active: false });
  });
});
