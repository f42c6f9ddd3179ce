import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadTenant } from '../../src/source/load-tenant.js';
import type { SourceUser, Tenant } from '../../src/model/directory.js';
import { DEFAULT_ACCESS_ROLE } from '../../src/model/directory.js';
import { VALID_ASSIGNMENTS, VALID_USERS } from './helpers.js';

async function load(dir: string): Promise<Tenant> {
  const { tenant, diagnostics } = await loadTenant(dir);
  expect(diagnostics).toEqual([]);
  expect(tenant).not.toBeNull();
  return tenant!;
}

const byUpn = (t: Tenant, upn: string): SourceUser => {
  const u = t.users.find((x) => x.userPrincipalName === upn);
  if (!u) throw new Error(`no user ${upn}`);
  return u;
};

/** Ids of users assigned directly or through an assigned group (direct members only, as in Entra). */
function assignedUserIds(t: Tenant): Set<string> {
  const ids = new Set<string>();
  for (const a of t.assignments) {
    if (a.principalKind === 'user') ids.add(a.principalId);
    else for (const m of t.groups.find((g) => g.id === a.principalId)?.memberIds ?? []) if (t.users.some((u) => u.id === m)) ids.add(m);
  }
  return ids;
}

describe('the contoso fixture tenant', () => {
  it('loads with zero diagnostics and has the advertised cases', async () => {
    const t = await load('fixtures/contoso');
    expect(t.dir).toBe('fixtures/contoso');
    expect(t.users).toHaveLength(26);
    expect(t.groups).toHaveLength(5);
    expect(t.app.name).toBe('Contoso SCIM App');
    expect(t.app.appRoles.map((r) => r.value)).toEqual(['User', 'Admin']);

    const guests = t.users.filter((u) => u.attributes.userType === 'Guest');
    expect(guests.map((u) => u.userPrincipalName)).toEqual(['alex.rivera_fabrikam.com#EXT#@contoso.onmicrosoft.com']);
    expect(t.users.filter((u) => !u.accountEnabled).map((u) => u.userPrincipalName)).toEqual(['peter.novak@contoso.com']);
    expect(t.users.filter((u) => u.softDeleted).map((u) => u.userPrincipalName)).toEqual(['mia.johansson@contoso.com']);
    expect(byUpn(t, 'jose.muller@contoso.com').attributes.displayName).toBe('José Müller');

    const assigned = assignedUserIds(t);
    expect(t.users.filter((u) => !assigned.has(u.id)).map((u) => u.userPrincipalName)).toEqual(['samuel.lee@contoso.com']);
    const assignedGroups = new Set(t.assignments.filter((a) => a.principalKind === 'group').map((a) => a.principalId));
    expect(t.groups.filter((g) => assignedGroups.has(g.id)).map((g) => g.displayName)).toEqual(['Sales Team', 'IT Admins']);
    expect(t.assignments.some((a) => a.roleId === DEFAULT_ACCESS_ROLE.id)).toBe(true);

    // A manager tree: one root, every chain ends at it.
    const roots = t.users.filter((u) => u.managerId === null && u.attributes.userType === 'Member');
    expect(roots.map((u) => u.userPrincipalName)).toEqual(['laura.chen@contoso.com']);
    for (const u of t.users.filter((x) => x.managerId !== null)) {
      let cursor: SourceUser | undefined = u;
      for (let hops = 0; cursor?.managerId && hops < 10; hops++) cursor = t.users.find((x) => x.id === cursor!.managerId);
      expect(cursor?.userPrincipalName).toBe('laura.chen@contoso.com');
    }
  });
});

describe('the contoso-day2 fixture tenant', () => {
  it('loads with zero diagnostics and differs from day 1 by exactly the changes in CHANGES.md', async () => {
    const [d1, d2] = await Promise.all([load('fixtures/contoso'), load('fixtures/contoso-day2')]);
    const upn = (t: Tenant, id: string): string => t.users.find((u) => u.id === id)?.userPrincipalName ?? id;

    const ids1 = new Set(d1.users.map((u) => u.id));
    const ids2 = new Set(d2.users.map((u) => u.id));
    expect(d2.users.filter((u) => !ids1.has(u.id)).map((u) => u.userPrincipalName)).toEqual(['fatima.elamrani@contoso.com']);
    expect(d1.users.filter((u) => !ids2.has(u.id)).map((u) => u.userPrincipalName)).toEqual(['hannah.schmidt@contoso.com']);

    const changes: Record<string, string[]> = {};
    for (const before of d1.users) {
      const after = d2.users.find((u) => u.id === before.id);
      if (!after) continue;
      const keys = new Set([...Object.keys(before.attributes), ...Object.keys(after.attributes)]);
      const changed = [...keys].filter((k) => JSON.stringify(before.attributes[k]) !== JSON.stringify(after.attributes[k]));
      for (const f of ['accountEnabled', 'softDeleted', 'managerId', 'userPrincipalName'] as const)
        if (before[f] !== after[f]) changed.push(f);
      if (changed.length > 0) changes[before.userPrincipalName] = changed.sort();
    }
    expect(changes).toEqual({
      'sofia.rossi@contoso.com': ['displayName', 'surname'],
      'ahmed.hassan@contoso.com': ['department'],
      'tom.fischer@contoso.com': ['accountEnabled'],
      'emily.carter@contoso.com': ['softDeleted'],
    });
    expect(byUpn(d2, 'sofia.rossi@contoso.com').attributes).toMatchObject({ displayName: 'Sofia Bianchi', surname: 'Bianchi' });

    const key = (t: Tenant) => t.assignments.map((a) => `${upn(t, a.principalId)}/${a.roleId}`);
    const a1 = key(d1);
    const a2 = key(d2);
    expect(a1.filter((a) => !a2.includes(a)).map((a) => a.split('/')[0])).toEqual([
      'hannah.schmidt@contoso.com',
      'noah.williams@contoso.com',
    ]);
    expect(a2.filter((a) => !a1.includes(a)).map((a) => a.split('/')[0])).toEqual(['fatima.elamrani@contoso.com']);

    const memberDiff = d1.groups.map((g1) => {
      const g2 = d2.groups.find((g) => g.id === g1.id)!;
      return {
        group: g1.displayName,
        added: g2.memberIds.filter((m) => !g1.memberIds.includes(m)).map((m) => upn(d2, m)),
        removed: g1.memberIds.filter((m) => !g2.memberIds.includes(m)).map((m) => upn(d1, m)),
      };
    });
    expect(memberDiff.filter((d) => d.added.length + d.removed.length > 0)).toEqual([
      { group: 'Sales Team', added: ['marcus.webb@contoso.com'], removed: ['kenji.watanabe@contoso.com'] },
      { group: 'Finance', added: [], removed: ['hannah.schmidt@contoso.com'] },
    ]);
    // The membership change keeps both users in scope, and the unassigned user is out.
    const assigned = assignedUserIds(d2);
    expect(assigned.has(byUpn(d2, 'kenji.watanabe@contoso.com').id)).toBe(true);
    expect(assigned.has(byUpn(d2, 'noah.williams@contoso.com').id)).toBe(false);
  });
});

describe('loadTenant on disk', () => {
  let dir = '';
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = '';
  });

  it('reports a directory that does not exist', async () => {
    const { tenant, diagnostics } = await loadTenant('fixtures/no-such-tenant');
    expect(tenant).toBeNull();
    expect(diagnostics.map((d) => [d.code, d.file])).toEqual([['FIXTURE_READ_FAILED', 'fixtures/no-such-tenant']]);
  });

  it('reports a missing users file by name, and finds .yml and .json files', async () => {
    dir = await mkdtemp(join(tmpdir(), 'provsim-tenant-'));
    await writeFile(join(dir, 'assignments.yml'), VALID_ASSIGNMENTS);
    const { diagnostics } = await loadTenant(dir);
    expect(diagnostics.map((d) => [d.code, d.file, d.position])).toEqual([['FIXTURE_MISSING_FILE', join(dir, 'users.yaml'), undefined]]);

    await writeFile(join(dir, 'users.json'), '[{"id": "11111111-1111-4111-8111-111111111111", "userPrincipalName": "ada@contoso.com"}]');
    expect((await loadTenant(dir)).diagnostics).toEqual([]);
  });

  it('refuses two spellings of the same file', async () => {
    dir = await mkdtemp(join(tmpdir(), 'provsim-tenant-'));
    await writeFile(join(dir, 'users.yaml'), VALID_USERS);
    await writeFile(join(dir, 'users.json'), '[]');
    await writeFile(join(dir, 'assignments.yaml'), VALID_ASSIGNMENTS);
    await mkdir(join(dir, 'groups.yaml'));
    const { tenant, diagnostics } = await loadTenant(dir);
    expect(tenant).toBeNull();
    expect(diagnostics.map((d) => [d.code, d.file])).toEqual([
      ['FIXTURE_AMBIGUOUS_FILE', join(dir, 'users.yaml')],
      ['FIXTURE_READ_FAILED', join(dir, 'groups.yaml')],
    ]);
  });
});

describe('loadTenant on a bad fixture directory', () => {
  it('reports every problem with file, line and column', async () => {
    const { tenant, diagnostics } = await loadTenant('test/fixtures/tenant-bad');
    expect(tenant).toBeNull();
    expect(diagnostics.map((d) => `${d.code} ${d.file}:${d.position?.line}:${d.position?.column}`)).toEqual([
      `FIXTURE_UNKNOWN_KEY ${join('test/fixtures/tenant-bad', 'users.yaml')}:4:3`,
      `FIXTURE_INVALID_ID ${join('test/fixtures/tenant-bad', 'users.yaml')}:5:7`,
      `FIXTURE_UNRESOLVED_REFERENCE ${join('test/fixtures/tenant-bad', 'users.yaml')}:7:12`,
      `FIXTURE_UNKNOWN_ROLE ${join('test/fixtures/tenant-bad', 'assignments.yaml')}:6:40`,
    ]);
  });
});
