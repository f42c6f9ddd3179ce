/**
 * A large JSON Lines tenant's users read back from their files (`json/line-user.ts`, `line-file.ts`): the same
 * tenant as the eager loader builds, byte offsets right across multi-byte characters, CR LF, blank lines and
 * a byte order mark; a file written in place afterwards is refused with the file named, a file replaced by a
 * rename keeps its loaded content. Small tenants are read back by lowering the size limit, as the 256 MiB
 * default would take a quarter of a million users.
 */
import { mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeTenantFixtures } from '../../src/source/generate/generate-tenant.js';
import { anonymizeTenant } from '../../src/source/anonymize/anonymize-tenant.js';
import { CompactAssignment } from '../../src/source/json/compact-assignment.js';
import { LineUser, plainUser } from '../../src/source/json/line-user.js';
import { LineFile } from '../../src/source/line-file.js';
import { loadTenant } from '../../src/source/load-tenant.js';
import { FixtureChangedError } from '../../src/shared/errors.js';
import type { Assignment, SourceUser, Tenant } from '../../src/model/directory.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'provsim-read-back-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const READ_BACK = { readBackAboveBytes: 0 };

async function load(options = {}): Promise<Tenant> {
  const { tenant, diagnostics } = await loadTenant(dir, options);
  expect(diagnostics).toEqual([]);
  return tenant!;
}

const plain = (users: readonly SourceUser[]): SourceUser[] => users.map(plainUser);
const plainAssignment = (a: Assignment): Assignment => ({
  principalKind: a.principalKind,
  principalId: a.principalId,
  roleId: a.roleId,
  location: a.location,
});

const ASSIGNMENTS = JSON.stringify({
  app: { name: 'App', appRoles: [] },
  assignments: [{ principal: 'a@contoso.com' }, { principal: 'b@contoso.com' }, { principal: 'c@contoso.com' }],
});

describe('a JSON Lines tenant read back from its files', () => {
  it('is the tenant the eager loader builds, users whose attributes were let go read again included', async () => {
    const options = { users: 700, groups: 30, membersPerGroup: 20, seed: 7 };
    await writeTenantFixtures(options, dir, { format: 'jsonl' });
    const eager = await load();
    // Fewer kept than users: most users' attributes are read again from the file on the second pass.
    const back = await load({ ...READ_BACK, keepAttributes: 50 });
    expect(eager.users.every((u) => !(u instanceof LineUser))).toBe(true);
    expect(back.users.every((u) => u instanceof LineUser)).toBe(true);
    const expected = plain(eager.users);
    expect(plain(back.users)).toEqual(expected);
    expect(plain(back.users)).toEqual(expected);
    expect(JSON.parse(JSON.stringify(back))).toEqual(JSON.parse(JSON.stringify(eager)));
    expect(back.groups).toEqual(eager.groups);
    // Compact records in a tenant read back, the same values and places.
    expect(back.assignments.every((a) => a instanceof CompactAssignment)).toBe(true);
    expect(back.assignments.map(plainAssignment)).toEqual(eager.assignments);
  });

  it("keeps a user's flags writable, apart from its line, and refuses a line that does not fit beside them", async () => {
    await writeTenantFixtures({ users: 40, groups: 2, membersPerGroup: 5, seed: 3 }, dir, { format: 'jsonl' });
    const user = (await load(READ_BACK)).users[7]! as LineUser;
    const { line } = user.location.position;
    const enabled = user.accountEnabled;
    user.softDeleted = true;
    expect([user.accountEnabled, user.softDeleted, user.location.position.line]).toEqual([enabled, true, line]);
    user.accountEnabled = !enabled;
    user.softDeleted = false;
    expect([user.accountEnabled, user.softDeleted, user.location.position.line]).toEqual([!enabled, false, line]);
    const source = (user as unknown as { constructor: typeof LineUser }).constructor;
    for (const bad of [0, 2 ** 29]) expect(() => new source(plainUser(user), undefined as never, bad, 0, 1)).toThrow(RangeError);
  });

  it('anonymizes to the same tenant as the eager one (its users copied field by field, location included)', async () => {
    await writeTenantFixtures({ users: 120, groups: 6, membersPerGroup: 10, seed: 5 }, dir, { format: 'jsonl' });
    const eager = anonymizeTenant(await load(), { seed: 'k', keep: ['department'] });
    const back = anonymizeTenant(await load({ ...READ_BACK, keepAttributes: 5 }), { seed: 'k', keep: ['department'] });
    expect(back.users[0]!.location.position.line).toBe(1);
    expect(back).toEqual(eager);
  });

  it('finds each line by its bytes: multi-byte characters, CR LF, blank lines and a byte order mark before it', async () => {
    const lines = [
      '\uFEFF{"id":"00000000-0000-4000-8000-00000000000a","userPrincipalName":"a@contoso.com","displayName":"Zoë 🚀 Ångström","city":"Zürich"}\r',
      '',
      '   ',
      '{"id":"00000000-0000-4000-8000-00000000000b","userPrincipalName":"b@contoso.com","displayName":"Łukasz","otherMails":["ł@x.pl","b@y.de"],"manager":"a@contoso.com"}\r',
      '{"id":"00000000-0000-4000-8000-00000000000c","userPrincipalName":"c@contoso.com","displayName":"日本語の名前","accountEnabled":false}',
    ];
    await writeFile(join(dir, 'users.jsonl'), lines.join('\n'));
    await writeFile(join(dir, 'assignments.json'), ASSIGNMENTS);
    const eager = await load();
    const back = await load({ ...READ_BACK, keepAttributes: 1 });
    expect(back.users.map((u) => u.attributes['displayName'])).toEqual(['Zoë 🚀 Ångström', 'Łukasz', '日本語の名前']);
    expect(back.users[1]!.attributes['otherMails']).toEqual(['ł@x.pl', 'b@y.de']);
    expect(back.users[1]!.managerId).toBe('00000000-0000-4000-8000-00000000000a');
    expect(back.users.map((u) => u.location.position.line)).toEqual([1, 4, 5]);
    expect(plain(back.users)).toEqual(plain(eager.users));
  });

  it("reads a user's UPN back from its line with its attributes, keeping neither beyond the last few users", async () => {
    await writeTenantFixtures({ users: 120, groups: 4, membersPerGroup: 10, seed: 9 }, dir, { format: 'jsonl' });
    const eager = await load();
    const back = await load({ ...READ_BACK, keepAttributes: 2 });
    // Not a field of its own (the string would be held to the cycle's end), yet the same value.
    expect(Object.keys(back.users[0]!)).not.toContain('userPrincipalName');
    expect(back.users.map((u) => u.userPrincipalName)).toEqual(eager.users.map((u) => u.userPrincipalName));
    // Out of order, far apart: each is read from its own line.
    for (const i of [119, 0, 64, 3, 118]) expect(back.users[i]!.userPrincipalName).toBe(eager.users[i]!.userPrincipalName);
    // Written in place after the load: the UPN of a user not kept is refused as the attributes are.
    const file = join(dir, 'users.jsonl');
    writeFileSync(file, readFileSync(file, 'utf8').replaceAll('@', '@x'));
    expect(() => back.users[50]!.userPrincipalName).toThrow(FixtureChangedError);
  });

  it('is used above the size limit only: below it users keep their attributes', async () => {
    await writeTenantFixtures({ users: 50, groups: 2, membersPerGroup: 5, seed: 1 }, dir, { format: 'jsonl' });
    const size = readFileSync(join(dir, 'users.jsonl')).length;
    expect((await load({ readBackAboveBytes: size })).users[0]).not.toBeInstanceOf(LineUser);
    expect((await load({ readBackAboveBytes: size - 1 })).users[0]).toBeInstanceOf(LineUser);
  });

  it('refuses a file written in place after the load, naming it, rather than read another user', async () => {
    // 200 users: about 180 KB, more than the 64 KiB window read with the first user.
    await writeTenantFixtures({ users: 200, groups: 0, membersPerGroup: 0, seed: 3 }, dir, { format: 'jsonl' });
    const file = join(dir, 'users.jsonl');
    const back = await load({ ...READ_BACK, keepAttributes: 1 });
    const first = back.users[0]!.attributes['displayName'];
    // The same users with other names, written over the file (same inode, as an editor saving in place does).
    const text = readFileSync(file, 'utf8');
    const renamed = text.replaceAll('"displayName": "', '"displayName": "Renamed ');
    expect(renamed.length).toBeGreaterThan(text.length);
    writeFileSync(file, renamed);
    let thrown: unknown;
    try {
      void back.users[150]!.attributes;
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(FixtureChangedError);
    expect((thrown as FixtureChangedError).file).toBe(file);
    expect((thrown as Error).message).toContain(`${file} changed while provsim was still reading it`);
    expect((thrown as Error).message).toContain('run the command again: it reads the files as they are now');
    // What was read before the change is kept as it was read.
    expect(back.users[0]!.attributes['displayName']).toBe(first);
  });

  it('refuses a file written in place with the same size too (its modification time changed)', async () => {
    await writeTenantFixtures({ users: 200, groups: 0, membersPerGroup: 0, seed: 3 }, dir, { format: 'jsonl' });
    const file = join(dir, 'users.jsonl');
    const back = await load({ ...READ_BACK, keepAttributes: 1 });
    const text = readFileSync(file, 'utf8');
    await new Promise((r) => setImmediate(r));
    // One character more in the first user's city, one less in its postal code: every line stays where it was.
    const edited = text.replace('"city": "', '"city": "X').replace(/"postalCode": "./, '"postalCode": "');
    expect(edited).not.toBe(text);
    writeFileSync(file, edited);
    expect(readFileSync(file).length).toBe(Buffer.byteLength(text));
    expect(() => back.users[150]!.attributes).toThrow(FixtureChangedError);
  });

  it('a LineFile knows when its file grew since it was opened (the load then reports the file as changed while read)', async () => {
    const file = join(dir, 'users.jsonl');
    writeFileSync(file, '{"a": "é"}\n{"b": 2}\n');
    const lines = LineFile.open(file);
    expect(lines.unchanged()).toBe(true);
    expect(lines.text(0, 11)).toBe('{"a": "é"}');
    appendFileSync(file, '{"c": 3}\n');
    expect(lines.unchanged()).toBe(false);
    // What the window holds was read before the change: the loaded bytes. Past them, the file is refused.
    expect(lines.text(12, 8)).toBe('{"b": 2}');
    expect(() => lines.text(21, 8)).toThrow(FixtureChangedError);
  });

  it('keeps reading the loaded content of a file replaced by a rename (how many editors save)', async () => {
    await writeTenantFixtures({ users: 200, groups: 0, membersPerGroup: 0, seed: 3 }, dir, { format: 'jsonl' });
    const file = join(dir, 'users.jsonl');
    const eager = await load();
    const back = await load({ ...READ_BACK, keepAttributes: 1 });
    const replacement = join(dir, 'users.next');
    const text = readFileSync(file, 'utf8');
    const renamed = text.replaceAll('"displayName": "', '"displayName": "Renamed ');
    expect(renamed).not.toBe(text);
    await writeFile(replacement, renamed);
    await rename(replacement, file);
    expect(await readdir(dir)).toContain('users.jsonl');
    expect(plain(back.users)).toEqual(plain(eager.users));
  });
});

// The loader resolves a read-back tenant's member references as it reads each group (a saving that the
// tenant does not show): these cases check that the result is the eager loader's, errors and warnings
// included. test/source/helpers.ts checks both ways of the reader against every parse test.
describe("a read-back tenant's references", () => {
  const U1 = '11111111-1111-4111-8111-111111111111';
  const U2 = '22222222-2222-4222-8222-222222222222';
  const G1 = '33333333-3333-4333-8333-333333333333';
  const G2 = '44444444-4444-4444-8444-444444444444';
  const user = (id: string, upn: string, extra: object = {}): object => ({ id, userPrincipalName: upn, displayName: upn, ...extra });
  const lines = (...objects: object[]): string => objects.map((o) => JSON.stringify(o)).join('\n') + '\n';
  const cases: Record<string, { users: object[]; groups: object[] }> = {
    'members by id in upper case, by UPN, and a nested group named before it is read': {
      users: [user(U1, 'a@contoso.com'), user(U2, 'b@contoso.com', { manager: U1.toUpperCase() })],
      groups: [
        { id: G1, displayName: 'Outer', members: [U1.toUpperCase(), 'b@contoso.com', G2] },
        { id: G2, displayName: 'Inner', members: [U2] },
      ],
    },
    'a member listed twice, once by id and once by UPN': {
      users: [user(U1, 'a@contoso.com'), user(U2, 'b@contoso.com')],
      groups: [{ id: G1, displayName: 'Team', members: [U1, 'A@contoso.com'] }],
    },
    'a user id given twice': {
      users: [user(U1, 'a@contoso.com'), user(U1.toUpperCase(), 'b@contoso.com')],
      groups: [{ id: G1, displayName: 'Team', members: [U1] }],
    },
    'a member that names nothing': {
      users: [user(U1, 'a@contoso.com')],
      groups: [{ id: G1, displayName: 'Team', members: [U2] }],
    },
    'a group whose id is a user id': {
      users: [user(U1, 'a@contoso.com')],
      groups: [{ id: U1, displayName: 'Team', members: [] }],
    },
  };
  const writeTenant = async (users: object[], groups: object[]): Promise<void> => {
    await writeFile(join(dir, 'users.jsonl'), lines(...users));
    await writeFile(join(dir, 'groups.jsonl'), lines(...groups));
    const assignments = { app: { name: 'App', appRoles: [] }, assignments: [{ principal: 'a@contoso.com' }] };
    await writeFile(join(dir, 'assignments.json'), JSON.stringify(assignments));
  };
  for (const [name, { users, groups }] of Object.entries(cases))
    it(`loads as the eager loader does: ${name}`, async () => {
      await writeTenant(users, groups);
      const eager = await loadTenant(dir);
      const back = await loadTenant(dir, READ_BACK);
      expect(back.diagnostics).toEqual(eager.diagnostics);
      expect(back.tenant === null).toBe(eager.tenant === null);
      if (eager.tenant === null) return;
      // With a warning the tenant comes from the explaining (YAML-node) path, which reads every user eagerly.
      if (eager.diagnostics.length === 0) expect(back.tenant!.users.every((u) => u instanceof LineUser)).toBe(true);
      expect(plain(back.tenant!.users)).toEqual(plain(eager.tenant.users));
      expect(back.tenant!.groups).toEqual(eager.tenant.groups);
      expect(back.tenant!.assignments.map(plainAssignment)).toEqual(eager.tenant.assignments);
    });

  it('the first case resolves every reference (so the comparison above is not between two failures)', async () => {
    const { users, groups } = cases['members by id in upper case, by UPN, and a nested group named before it is read']!;
    await writeTenant(users, groups);
    const tenant = await load(READ_BACK);
    expect(tenant.users[1]!.managerId).toBe(U1);
    expect(tenant.groups.map((g) => g.memberIds)).toEqual([[U1, U2, G2], [U2]]);
  });
});
