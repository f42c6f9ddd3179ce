import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GENERATED_TENANT_DIR, generateTenant, writeTenantFixtures } from '../../src/source/generate/generate-tenant.js';
import { loadTenant } from '../../src/source/load-tenant.js';
import { DEFAULT_ACCESS_ROLE, type Tenant } from '../../src/model/directory.js';

const SMALL = { users: 500, groups: 20, membersPerGroup: 25, seed: 42 };

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'provsim-generate-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function filesOf(d: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of (await readdir(d)).sort()) out[name] = await readFile(join(d, name), 'utf8');
  return out;
}

const share = (n: number, of: number): number => n / of;

describe('generateTenant', () => {
  it('is deterministic: the same seed gives the same tenant, another seed another one', () => {
    const a = generateTenant(SMALL);
    expect(generateTenant(SMALL)).toEqual(a);
    const b = generateTenant({ ...SMALL, seed: 43 });
    expect(b.users.map((u) => u.id)).not.toEqual(a.users.map((u) => u.id));
    expect(b.users.map((u) => u.attributes['displayName'])).not.toEqual(a.users.map((u) => u.attributes['displayName']));
    expect(a.dir).toBe(GENERATED_TENANT_DIR);
  });

  it('gives each object an id of its own and users UPNs of the form first.last<i>@contoso.com, ASCII-folded', () => {
    const t = generateTenant(SMALL);
    const ids = [...t.users.map((u) => u.id), ...t.groups.map((g) => g.id), ...t.app.appRoles.map((r) => r.id)];
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    t.users.forEach((u, i) => {
      if (u.attributes['userType'] === 'Guest')
        expect(u.userPrincipalName).toMatch(new RegExp(`^[a-z0-9-]+\\.[a-z0-9-]+${i}_[a-z.-]+#EXT#@contoso\\.onmicrosoft\\.com$`));
      else expect(u.userPrincipalName).toMatch(new RegExp(`^[a-z0-9-]+\\.[a-z0-9-]+${i}@contoso\\.com$`));
    });
    // The name lists' diacritics reach display names, and are folded in UPNs (Łukasz → lukasz, Søndergaard → sondergaard).
    const names = t.users.map((u) => String(u.attributes['displayName']));
    expect(names.some((n) => /[^\x00-\x7f]/.test(n))).toBe(true);
    const lukasz = t.users.find((u) => u.attributes['givenName'] === 'Łukasz');
    expect(lukasz?.userPrincipalName).toMatch(/^lukasz\./);
  });

  it('has roughly the specified proportions, a cycle-free manager tree and deterministic group members', () => {
    const users = 20_000;
    const t = generateTenant({ users, groups: 300, membersPerGroup: 40, seed: 7 });
    const count = (p: (u: Tenant['users'][number]) => boolean): number => t.users.filter(p).length;
    expect(
      share(
        count((u) => u.attributes['userType'] === 'Guest'),
        users,
      ),
    ).toBeCloseTo(0.03, 2);
    expect(
      share(
        count((u) => !u.accountEnabled),
        users,
      ),
    ).toBeCloseTo(0.02, 2);
    expect(
      share(
        count((u) => u.softDeleted),
        users,
      ),
    ).toBeCloseTo(0.01, 2);
    const direct = new Set(t.assignments.filter((a) => a.principalKind === 'user').map((a) => a.principalId));
    expect(share(direct.size, users)).toBeGreaterThan(0.58);
    expect(share(direct.size, users)).toBeLessThan(0.62);
    const assignedGroups = t.assignments.filter((a) => a.principalKind === 'group').length;
    expect(share(assignedGroups, 300)).toBeGreaterThan(0.25);
    expect(share(assignedGroups, 300)).toBeLessThan(0.42);
    const roleValues = new Set(t.app.appRoles.map((r) => r.value));
    expect(roleValues).toEqual(new Set(['User', 'Admin']));
    const roleIds = new Set([...t.app.appRoles.map((r) => r.id), DEFAULT_ACCESS_ROLE.id]);
    for (const a of t.assignments) expect(roleIds.has(a.roleId)).toBe(true);

    const index = new Map(t.users.map((u, i) => [u.id, i]));
    expect(t.users.slice(0, 3).every((u) => u.managerId === null)).toBe(true);
    const badManagers = t.users.filter(
      (u, i) => u.managerId !== null && !((index.get(u.managerId) ?? i) < i && u.attributes['userType'] === 'Member'),
    );
    expect(badManagers).toEqual([]);
    expect(
      share(
        count((u) => u.managerId !== null),
        users,
      ),
    ).toBeGreaterThan(0.95);

    const departments = new Set(t.users.map((u) => u.attributes['department']).filter((d) => d !== undefined));
    expect(departments.size).toBe(10);
    expect(
      t.groups.filter((g) => new Set(g.memberIds).size !== 40 || g.memberIds.length !== 40 || !g.memberIds.every((m) => index.has(m))),
    ).toEqual([]);
    expect(new Set(t.groups.map((g) => g.displayName.toLowerCase())).size).toBe(300);
  });

  it('caps members at the number of users and rejects sizes that are not non-negative integers', () => {
    const t = generateTenant({ users: 5, groups: 2, membersPerGroup: 50, seed: 1 });
    for (const g of t.groups) expect([...g.memberIds].sort()).toEqual(t.users.map((u) => u.id).sort());
    expect(() => generateTenant({ users: -1, groups: 0, membersPerGroup: 0, seed: 1 })).toThrow(RangeError);
    expect(() => generateTenant({ users: 1.5, groups: 0, membersPerGroup: 0, seed: 1 })).toThrow(RangeError);
    expect(() => generateTenant({ users: 1, groups: 0, membersPerGroup: 0, seed: 0.5 })).toThrow(RangeError);
  });
});

describe('writeTenantFixtures', () => {
  it('writes fixtures that load without diagnostics and equal the in-memory tenant, locations included', async () => {
    await writeTenantFixtures(SMALL, dir);
    const { tenant, diagnostics } = await loadTenant(dir);
    expect(diagnostics).toEqual([]);
    expect(tenant).not.toBeNull();
    const loaded = tenant!;
    const generated = generateTenant(SMALL, dir);

    expect(loaded.users.map((u) => u.id)).toEqual(generated.users.map((u) => u.id));
    expect(loaded.users.map((u) => u.userPrincipalName)).toEqual(generated.users.map((u) => u.userPrincipalName));
    expect(loaded.users.map((u) => u.managerId)).toEqual(generated.users.map((u) => u.managerId));
    expect(loaded.groups.map((g) => g.memberIds)).toEqual(generated.groups.map((g) => g.memberIds));
    expect(loaded.assignments.length).toBeGreaterThan(0);
    expect(loaded).toEqual(generated);
  });

  it('writes byte-identical files for the same options, and different files for another seed', async () => {
    const again = join(dir, 'again');
    const other = join(dir, 'other');
    await writeTenantFixtures(SMALL, join(dir, 'first'));
    await writeTenantFixtures(SMALL, again);
    await writeTenantFixtures({ ...SMALL, seed: 1 }, other);
    const first = await filesOf(join(dir, 'first'));
    expect(Object.keys(first)).toEqual(['assignments.yaml', 'groups.yaml', 'users.yaml']);
    expect(await filesOf(again)).toEqual(first);
    const third = await filesOf(other);
    for (const name of Object.keys(first)) expect(third[name]).not.toBe(first[name]);
  });

  it('writes a loadable tenant with no users and no groups', async () => {
    const options = { users: 0, groups: 0, membersPerGroup: 10, seed: 3 };
    await writeTenantFixtures(options, dir);
    const { tenant, diagnostics } = await loadTenant(dir);
    expect(diagnostics).toEqual([]);
    expect(tenant).toEqual(generateTenant(options, dir));
  });

  it('quotes what YAML would otherwise retype or cut: postal codes, phone numbers, #EXT# UPNs', async () => {
    await writeTenantFixtures({ users: 200, groups: 1, membersPerGroup: 1, seed: 42 }, dir);
    const users = await readFile(join(dir, 'users.yaml'), 'utf8');
    expect(users).toMatch(/^ {2}postalCode: "\d/m);
    expect(users).toMatch(/^ {2}telephoneNumber: "\+/m);
    expect(users).toMatch(/^ {2}mailNickname: "[^"]+#EXT#"$/m);
    expect(users).not.toMatch(/\r/);
  });
});
