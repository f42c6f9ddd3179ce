import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateTenant, linesFile, writeTenantFixtures } from '../../src/source/generate/generate-tenant.js';
import { parseJsonLines } from '../../src/source/json/json-lines.js';
import { jsonLinesFiles, loadJsonLinesTenant } from '../../src/source/load-json-lines-tenant.js';
import { loadTenant } from '../../src/source/load-tenant.js';
import type { Diagnostic } from '../../src/shared/diagnostics.js';
import type { Tenant } from '../../src/model/directory.js';
import { ADA, BOB, GROUP, ROLE_USER } from './helpers.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'provsim-jsonl-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const USERS_ONLY = JSON.stringify({
  app: { name: 'App', appRoles: [{ id: ROLE_USER, value: 'User', displayName: 'User' }] },
  assignments: [{ principal: 'ada@contoso.com', role: 'User' }],
});
const ASSIGNMENTS = JSON.stringify({
  app: { name: 'App', appRoles: [{ id: ROLE_USER, value: 'User', displayName: 'User' }] },
  assignments: [{ principal: 'ada@contoso.com', role: 'User' }, { principal: 'Team' }],
});
const ada = { id: ADA, userPrincipalName: 'ada@contoso.com', displayName: 'Ada Lovelace', department: 'Sales' };
const bob = {
  id: BOB,
  userPrincipalName: 'bob@contoso.com',
  displayName: 'Bob Ödegaard',
  manager: 'ada@contoso.com',
  accountEnabled: false,
};
const team = { id: GROUP, displayName: 'Team', members: [BOB, 'ada@contoso.com'] };

async function write(files: Record<string, string>): Promise<void> {
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
}
const jsonl = (...objects: unknown[]): string => objects.map((o) => (typeof o === 'string' ? o : JSON.stringify(o))).join('\n') + '\n';
const brief = (ds: Diagnostic[]) =>
  ds.map((d) => `${d.severity} ${d.code} ${d.file?.slice(dir.length + 1)}:${d.position?.line}:${d.position?.column}`);

describe('JSON Lines tenants', () => {
  it('call onStreamed once, when the users and groups are read, whether users are read back or not', async () => {
    await write({ 'users.jsonl': jsonl(ada, bob), 'groups.jsonl': jsonl(team), 'assignments.json': ASSIGNMENTS });
    for (const readBackAboveBytes of [1, 2 ** 30]) {
      let calls = 0;
      const { tenant, diagnostics } = await loadTenant(dir, { readBackAboveBytes, onStreamed: () => calls++ });
      expect(diagnostics).toEqual([]);
      expect(calls).toBe(1);
      expect(tenant!.users.map((u) => [u.id, u.accountEnabled])).toEqual([
        [ADA, true],
        [BOB, false],
      ]);
    }
    // Called before the assignments are parsed: a broken assignments file is found after it.
    await write({ 'assignments.json': '{"app": {"name": "App"}, "assignments": [' });
    let calls = 0;
    const broken = await loadTenant(dir, { onStreamed: () => calls++ });
    expect([broken.tenant, calls, broken.diagnostics.length > 0]).toEqual([null, 1, true]);
    // Not called when a file could not be streamed (nothing is resolved).
    await write({ 'assignments.json': ASSIGNMENTS, 'users.jsonl': jsonl(ada, '{"id": ') });
    calls = 0;
    const bad = await loadTenant(dir, { onStreamed: () => calls++ });
    expect([bad.tenant, calls, bad.diagnostics.length > 0]).toEqual([null, 0, true]);
  });

  it('load users and groups from .jsonl files with each object located at its line, column 1', async () => {
    await write({ 'users.jsonl': jsonl(ada, bob), 'groups.jsonl': jsonl(team), 'assignments.json': ASSIGNMENTS });
    const { tenant, diagnostics } = await loadTenant(dir);
    expect(diagnostics).toEqual([]);
    expect(tenant!.users.map((u) => [u.userPrincipalName, u.managerId, u.accountEnabled, u.location.position.line])).toEqual([
      ['ada@contoso.com', null, true, 1],
      ['bob@contoso.com', ADA, false, 2],
    ]);
    expect(tenant!.users[1]!.attributes).toEqual({ displayName: 'Bob Ödegaard' });
    expect(tenant!.groups[0]!.memberIds).toEqual([BOB, ADA]);
    expect(tenant!.groups[0]!.location).toEqual({ file: join(dir, 'groups.jsonl'), position: { line: 1, column: 1 } });
    expect(tenant!.assignments.map((a) => a.principalKind)).toEqual(['user', 'group']);
  });

  it('give the same tenant as the same objects in YAML, locations aside', async () => {
    const yamlDir = join(dir, 'yaml');
    const linesDir = join(dir, 'lines');
    for (const d of [yamlDir, linesDir]) await import('node:fs/promises').then((fs) => fs.mkdir(d));
    const contoso = (name: string) => readFile(join('fixtures/contoso', `${name}.yaml`), 'utf8');
    const users = parse(await contoso('users')) as unknown[];
    const groups = parse(await contoso('groups')) as unknown[];
    await writeFile(join(linesDir, 'users.jsonl'), jsonl(...users));
    await writeFile(join(linesDir, 'groups.jsonl'), jsonl(...groups));
    await writeFile(join(linesDir, 'assignments.yaml'), await contoso('assignments'));
    const fromLines = await loadTenant(linesDir);
    const fromYaml = await loadTenant('fixtures/contoso');
    expect(fromLines.diagnostics).toEqual([]);
    const strip = (t: Tenant | null) => ({
      users: t!.users.map(({ location: _, ...u }) => u),
      groups: t!.groups.map(({ location: _, ...g }) => g),
      app: t!.app,
      assignments: t!.assignments.map(({ location: _, ...a }) => a),
    });
    expect(strip(fromLines.tenant)).toEqual(strip(fromYaml.tenant));
    expect(fromLines.tenant!.users[3]!.location).toEqual({ file: join(linesDir, 'users.jsonl'), position: { line: 4, column: 1 } });
  });

  it('read several files per kind in natural name order, lines counted per file', async () => {
    const carol = { id: '44444444-4444-4444-8444-444444444444', userPrincipalName: 'carol@contoso.com' };
    await write({
      'users-10.jsonl': jsonl(carol),
      'users-2.jsonl': jsonl(bob),
      'users-1.jsonl': '\n' + jsonl(ada),
      'assignments.json': JSON.stringify({ app: { name: 'App' }, assignments: [] }),
    });
    expect(jsonLinesFiles(['users-10.jsonl', 'users-2.jsonl', 'users-1.jsonl', 'notes.jsonl', 'users.json']).users).toEqual([
      'users-1.jsonl',
      'users-2.jsonl',
      'users-10.jsonl',
    ]);
    const { tenant, diagnostics } = await loadTenant(dir);
    expect(diagnostics).toEqual([]);
    expect(tenant!.users.map((u) => `${u.userPrincipalName} ${u.location.file.slice(dir.length + 1)}:${u.location.position.line}`)).toEqual(
      ['ada@contoso.com users-1.jsonl:2', 'bob@contoso.com users-2.jsonl:1', 'carol@contoso.com users-10.jsonl:1'],
    );
  });

  it('equal the generated tenant, byte for byte deterministic, when written by fixtures generate --format jsonl', async () => {
    const o = { users: 300, groups: 12, membersPerGroup: 7, seed: 11 };
    await writeTenantFixtures(o, dir, { format: 'jsonl' });
    const first = await readFile(join(dir, 'users.jsonl'));
    const { tenant, diagnostics } = await loadTenant(dir);
    expect(diagnostics).toEqual([]);
    expect(tenant).toEqual(generateTenant(o, dir, { format: 'jsonl' }));
    await writeTenantFixtures(o, dir, { format: 'jsonl' });
    expect((await readFile(join(dir, 'users.jsonl'))).equals(first)).toBe(true);
    expect(first.toString('utf8').split('\n')).toHaveLength(301);
  });

  it('name the file of each object when a kind is split over files', () => {
    expect(linesFile('users', 0, 10)).toEqual({ name: 'users.jsonl', line: 1 });
    expect(linesFile('users', 249_999, 1_000_000)).toEqual({ name: 'users-1.jsonl', line: 250_000 });
    expect(linesFile('users', 250_000, 1_000_000)).toEqual({ name: 'users-2.jsonl', line: 1 });
    expect(linesFile('groups', 999_999, 1_000_000)).toEqual({ name: 'groups-4.jsonl', line: 250_000 });
  });

  it('report every line that is not JSON at its line and column, and keep reading', async () => {
    await write({ 'users.jsonl': jsonl(ada, '{"id": "x",', bob, '{"id": 1} trailing'), 'assignments.json': ASSIGNMENTS });
    const { tenant, diagnostics } = await loadTenant(dir);
    expect(tenant).toBeNull();
    expect(brief(diagnostics)).toEqual(['error FIXTURE_SYNTAX users.jsonl:2:12', 'error FIXTURE_SYNTAX users.jsonl:4:11']);
    expect(diagnostics[0]!.message).toMatch(/^JSON syntax: /);
    // V8's message repeats the line; the diagnostic must not (it may hold personal data).
    expect(diagnostics.map((d) => d.message).join()).not.toContain('"id"');
  });

  it('explain a rule broken by one object with the fixture messages, at its JSON Lines file, line and column', async () => {
    await write({
      'users-1.jsonl': jsonl(ada),
      'users-2.jsonl': jsonl(bob, { id: '55555555-5555-4555-8555-555555555555', userPrincipalName: 'eve@contoso.com', departmnt: 'x' }),
      'assignments.json': ASSIGNMENTS,
      'groups.jsonl': jsonl(team),
    });
    const { tenant, diagnostics } = await loadTenant(dir);
    expect(tenant).toBeNull();
    expect(brief(diagnostics)).toEqual(['error FIXTURE_UNKNOWN_KEY users-2.jsonl:2:84']);
    expect(diagnostics[0]!.hint).toContain('department');
    const line = (await readFile(join(dir, 'users-2.jsonl'), 'utf8')).split('\n')[1]!;
    expect(line.indexOf('"departmnt"') + 1).toBe(84);
  });

  it('explain rules between objects across files (a duplicate id, a manager that names nothing)', async () => {
    await write({
      'users-1.jsonl': jsonl(ada),
      'users-2.jsonl': jsonl({ ...bob, manager: 'nobody@contoso.com' }, { ...ada, userPrincipalName: 'ada2@contoso.com' }),
      'assignments.json': ASSIGNMENTS,
      'groups.jsonl': jsonl(team),
    });
    const { tenant, diagnostics } = await loadTenant(dir);
    expect(tenant).toBeNull();
    const [first, second] = (await readFile(join(dir, 'users-2.jsonl'), 'utf8')).split('\n');
    expect(brief(diagnostics)).toEqual([
      `error FIXTURE_UNRESOLVED_REFERENCE users-2.jsonl:1:${first!.indexOf('"nobody@') + 1}`,
      `error FIXTURE_DUPLICATE_ID users-2.jsonl:2:${second!.indexOf(`"${ADA}"`) + 1}`,
    ]);
    expect(diagnostics[1]!.hint).toContain(`${join(dir, 'users-1.jsonl')}:1:`);
  });

  it('report a key given twice on one line (JSON.parse would keep the last silently)', async () => {
    await write({
      'users.jsonl': jsonl(ada, `{"id": "${BOB}", "userPrincipalName": "bob@contoso.com", "displayName": "a", "displayName": "b"}`),
      'assignments.json': USERS_ONLY,
    });
    const { tenant, diagnostics } = await loadTenant(dir);
    expect(tenant).toBeNull();
    // As for YAML and JSON fixtures, the YAML parser reports a repeated key as a syntax error, at the second key.
    const line = (await readFile(join(dir, 'users.jsonl'), 'utf8')).split('\n')[1]!;
    expect(brief(diagnostics)).toEqual([`error FIXTURE_SYNTAX users.jsonl:2:${line.lastIndexOf('"displayName"') + 1}`]);
    expect(diagnostics[0]!.message).toMatch(/unique/);
  });

  it('accept a string value that contains ": (not a key) through the careful path', async () => {
    await write({
      'users.jsonl': jsonl({ ...ada, displayName: 'Ada "the first": Lovelace' }),
      'assignments.json': USERS_ONLY,
    });
    const { tenant, diagnostics } = await loadTenant(dir);
    expect(diagnostics).toEqual([]);
    expect(tenant!.users[0]!.attributes['displayName']).toBe('Ada "the first": Lovelace');
  });

  it('above the explain limit, point at the object the fast reader stopped at, or say the problem lies between objects', async () => {
    await write({
      'users.jsonl': jsonl(ada, { ...bob, companyName: 7 }),
      'assignments.json': USERS_ONLY,
    });
    const names = new Set(['users.jsonl', 'assignments.json']);
    const one = await loadJsonLinesTenant(dir, names, { explainLimitBytes: 10 });
    expect(one.tenant).toBeNull();
    // A number where text is expected: valid for the careful path (it keeps the digits), which the fast
    // reader cannot confirm; above the limit the message says what to write instead.
    expect(brief(one.diagnostics)).toEqual(['error FIXTURE_WRONG_TYPE users.jsonl:2:1']);
    expect(one.diagnostics[0]!.hint).toMatch(/write numbers as strings/);
    await write({ 'users.jsonl': jsonl(ada, { ...bob, compnyName: 'x' }) });
    const unknown = await loadJsonLinesTenant(dir, names, { explainLimitBytes: 10 });
    const line = jsonl({ ...bob, compnyName: 'x' });
    expect(brief(unknown.diagnostics)).toEqual([`error FIXTURE_UNKNOWN_KEY users.jsonl:2:${line.indexOf('"compnyName"') + 1}`]);
    // A problem between objects that the streaming reader does not pin down: described, not located.
    await write({ 'users.jsonl': jsonl(ada, { ...bob, userPrincipalName: 'ADA@contoso.com' }) });
    const between = await loadJsonLinesTenant(dir, names, { explainLimitBytes: 10 });
    expect(between.tenant).toBeNull();
    expect(between.diagnostics).toHaveLength(1);
    expect(between.diagnostics[0]!.message).toMatch(/a rule between objects .* up to 0\.00 MiB/);
  });

  it('above the explain limit, point at the first manager or member that names nothing, at its line', async () => {
    const names = new Set(['users.jsonl', 'groups.jsonl', 'assignments.json']);
    await write({
      'users.jsonl': jsonl(ada, { ...bob, manager: 'nobody@contoso.com' }),
      'groups.jsonl': jsonl(team),
      'assignments.json': USERS_ONLY,
    });
    const manager = await loadJsonLinesTenant(dir, names, { explainLimitBytes: 10 });
    expect(manager.tenant).toBeNull();
    expect(brief(manager.diagnostics)).toEqual(['error FIXTURE_UNRESOLVED_REFERENCE users.jsonl:2:1']);
    expect(manager.diagnostics[0]!.message).toBe('manager "nobody@contoso.com" is not a user of this tenant');
    expect(manager.diagnostics[0]!.hint).toMatch(/stops at the first reference it cannot resolve, in reading order/);
    // In a second users file, read back from it: the line of that file.
    await write({ 'users.jsonl': '', 'users-2.jsonl': jsonl(ada, { ...bob, manager: 'nobody@contoso.com' }) });
    await rm(join(dir, 'users.jsonl'));
    const names2 = new Set(['users-2.jsonl', 'groups.jsonl', 'assignments.json']);
    const second = await loadJsonLinesTenant(dir, names2, { explainLimitBytes: 10, readBackAboveBytes: 0 });
    expect(brief(second.diagnostics)).toEqual(['error FIXTURE_UNRESOLVED_REFERENCE users-2.jsonl:2:1']);
    const carefulSecond = await loadJsonLinesTenant(dir, names2);
    expect(carefulSecond.diagnostics.map((d) => [d.code, d.file, d.position?.line, d.message])).toEqual([
      ['FIXTURE_UNRESOLVED_REFERENCE', join(dir, 'users-2.jsonl'), 2, second.diagnostics[0]!.message],
    ]);
    await rm(join(dir, 'users-2.jsonl'));
    const ghost = '99999999-9999-4999-8999-999999999999';
    for (const readBackAboveBytes of [undefined, 0]) {
      await write({
        'users.jsonl': jsonl(ada, bob),
        'groups.jsonl': jsonl(team, { id: '44444444-4444-4444-8444-444444444444', displayName: 'Other', members: [ADA, ghost] }),
      });
      const member = await loadJsonLinesTenant(dir, names, { explainLimitBytes: 10, readBackAboveBytes });
      expect(member.tenant).toBeNull();
      expect(brief(member.diagnostics)).toEqual(['error FIXTURE_UNRESOLVED_REFERENCE groups.jsonl:2:1']);
      expect(member.diagnostics[0]!.message).toBe(`member "${ghost}" is not a user or group of this tenant`);
    }
    // Below the limit the careful reader explains it, at the reference itself, in the same words.
    const careful = await loadJsonLinesTenant(dir, names);
    expect(careful.diagnostics.map((d) => [d.code, d.position?.line, d.message])).toEqual([
      ['FIXTURE_UNRESOLVED_REFERENCE', 2, `member "${ghost}" is not a user or group of this tenant`],
    ]);
    expect(careful.diagnostics[0]!.position!.column).toBeGreaterThan(1);
    // A group named by its display name: said so, with its id, as the careful reader says it.
    await write({ 'groups.jsonl': jsonl(team, { id: '44444444-4444-4444-8444-444444444444', displayName: 'Other', members: ['team'] }) });
    const byName = await loadJsonLinesTenant(dir, names, { explainLimitBytes: 10 });
    expect(brief(byName.diagnostics)).toEqual(['error FIXTURE_UNRESOLVED_REFERENCE groups.jsonl:2:1']);
    expect(byName.diagnostics[0]!.message).toBe('member "team" is a group name; members are ids or UPNs');
    expect(byName.diagnostics[0]!.hint).toContain(`refer to the group by its id: ${GROUP}`);
    const carefulByName = await loadJsonLinesTenant(dir, names);
    expect(carefulByName.diagnostics.map((d) => d.message)).toEqual([byName.diagnostics[0]!.message]);
  });

  it('refuse users in two formats, groups without users, and a missing assignments file', async () => {
    await write({ 'users.jsonl': jsonl(ada), 'users.yaml': '[]\n', 'assignments.json': ASSIGNMENTS });
    expect(brief((await loadTenant(dir)).diagnostics)).toEqual(['error FIXTURE_AMBIGUOUS_FILE users.yaml:undefined:undefined']);
    await rm(join(dir, 'users.yaml'));
    await rm(join(dir, 'users.jsonl'));
    await write({ 'groups.jsonl': jsonl(team) });
    expect((await loadTenant(dir)).diagnostics.map((d) => d.code)).toEqual(['FIXTURE_MISSING_FILE']);
    await rm(join(dir, 'assignments.json'));
    await write({ 'users.jsonl': jsonl(ada) });
    expect((await loadTenant(dir)).diagnostics.map((d) => d.message)).toEqual(['the tenant has no assignments file']);
  });

  it('skip a byte order mark and CR LF line ends', async () => {
    await write({
      'users.jsonl': '\uFEFF' + jsonl(ada, bob).replaceAll('\n', '\r\n'),
      'assignments.json': USERS_ONLY,
    });
    const { tenant, diagnostics } = await loadTenant(dir);
    expect(diagnostics).toEqual([]);
    expect(tenant!.users.map((u) => u.location.position.line)).toEqual([1, 2]);
  });
});

describe('JSON Lines tenants: what the review found', () => {
  it('report a key repeated with a space before its colon, as the YAML-node path does', async () => {
    const line = `{"id": "${ADA}", "userPrincipalName": "ada@contoso.com", "department": "Sales", "department" : "Finance"}`;
    await write({ 'users.jsonl': line + '\n', 'assignments.json': USERS_ONLY });
    const { tenant, diagnostics } = await loadTenant(dir);
    expect(tenant).toBeNull();
    expect(brief(diagnostics)).toEqual([`error FIXTURE_SYNTAX users.jsonl:1:${line.lastIndexOf('"department"') + 1}`]);
  });

  it('point at the unexpected token of a long line without repeating the line', async () => {
    const bad = `{"id": "${BOB}", "userPrincipalName": "bob@contoso.com", "mobilePhone": +47 915 00 101}`;
    await write({ 'users.jsonl': jsonl(ada, bad), 'assignments.json': USERS_ONLY });
    const { diagnostics } = await loadTenant(dir);
    expect(brief(diagnostics)).toEqual([`error FIXTURE_SYNTAX users.jsonl:2:${bad.indexOf('+') + 1}`]);
    expect(diagnostics[0]!.message).toBe("JSON syntax: unexpected '+'");
  });

  it('count columns on line 1 from after a byte order mark, in both readers', async () => {
    const bad = `{"id": "${ADA}", "userPrincipalName": "ada@contoso.com",}`;
    await write({ 'users.jsonl': '\uFEFF' + bad + '\n', 'assignments.json': USERS_ONLY });
    expect(brief((await loadTenant(dir)).diagnostics)).toEqual([`error FIXTURE_SYNTAX users.jsonl:1:${bad.length}`]);
    await write({ 'users.jsonl': '\uFEFF' + JSON.stringify({ ...ada, departmnt: 'x' }) + '\n' });
    const unknown = (await loadTenant(dir)).diagnostics;
    expect(brief(unknown)).toEqual([
      `error FIXTURE_UNKNOWN_KEY users.jsonl:1:${JSON.stringify({ ...ada, departmnt: 'x' }).indexOf('"departmnt"') + 1}`,
    ]);
  });

  it('refuse groups in YAML or JSON beside users in JSON Lines (they would not be read)', async () => {
    await write({ 'users.jsonl': jsonl(ada), 'groups.yaml': '[]\n', 'assignments.json': USERS_ONLY });
    const { tenant, diagnostics } = await loadTenant(dir);
    expect(tenant).toBeNull();
    expect(diagnostics.map((d) => [d.code, d.message])).toEqual([['FIXTURE_AMBIGUOUS_FILE', 'groups.yaml is not read beside users.jsonl']]);
    expect(diagnostics[0]!.hint).toContain('groups.jsonl');
  });

  it('treat a file of blank lines as no objects, and report what is really wrong', async () => {
    await write({ 'users.jsonl': '\n  \n', 'assignments.json': USERS_ONLY });
    const { diagnostics } = await loadTenant(dir);
    expect(diagnostics.map((d) => d.code)).toEqual(['FIXTURE_UNRESOLVED_REFERENCE']);
    expect(diagnostics[0]!.file).toBe(join(dir, 'assignments.json'));
  });

  it('load or refuse a line holding a lone CR the same way at any size', async () => {
    const line = `{"id": "${ADA}",\r"userPrincipalName": "ada@contoso.com"}`;
    await write({ 'users.jsonl': line + '\n', 'assignments.json': USERS_ONLY });
    const names = new Set(['users.jsonl', 'assignments.json']);
    const small = await loadJsonLinesTenant(dir, names);
    const large = await loadJsonLinesTenant(dir, names, { explainLimitBytes: 10 });
    expect(small.tenant).toBeNull();
    expect(large.tenant).toBeNull();
    expect(small.diagnostics.map((d) => d.position?.line)).toEqual([1]);
  });

  it('above the explain limit, say that assignments must be JSON rather than blame the objects', async () => {
    await write({ 'users.jsonl': jsonl(ada), 'assignments.yaml': `app: {name: App}\nassignments:\n  - {principal: ada@contoso.com}\n` });
    const names = new Set(['users.jsonl', 'assignments.yaml']);
    expect((await loadJsonLinesTenant(dir, names)).diagnostics).toEqual([]);
    const large = await loadJsonLinesTenant(dir, names, { explainLimitBytes: 10 });
    expect(large.tenant).toBeNull();
    expect(large.diagnostics[0]!.message).toMatch(/reads the assignments from assignments\.json only/);
  });

  it('fixtures generate --format jsonl removes earlier users*.jsonl files it does not write, which the loader would read too', async () => {
    await write({ 'users-9.jsonl': jsonl({ ...ada, id: '66666666-6666-4666-8666-666666666666' }), 'notes.txt': 'kept' });
    await writeTenantFixtures({ users: 20, groups: 2, membersPerGroup: 3, seed: 5 }, dir, { format: 'jsonl' });
    expect((await import('node:fs/promises').then((fs) => fs.readdir(dir))).sort()).toEqual([
      'assignments.json',
      'groups.jsonl',
      'notes.txt',
      'users.jsonl',
    ]);
    expect((await loadTenant(dir)).diagnostics).toEqual([]);
  });
});

describe('parseJsonLines', () => {
  const run = (text: string) => {
    const seen: [number, boolean][] = [];
    const bytes = Buffer.from(text, 'utf8');
    const errors = parseJsonLines(bytes, bytes.length, 5, (l) => seen.push([l.line, l.plain]));
    return { seen, errors };
  };
  it('numbers lines from the chunk start, skips blank lines and decodes UTF-8 lines exactly', () => {
    const bytes = Buffer.from('{"a":"é"}\n\n  \n{"b":"ü", "c":"x"}\n', 'utf8');
    const values: unknown[] = [];
    parseJsonLines(bytes, bytes.length, 5, (l) => values.push([l.line, l.value]));
    expect(values).toEqual([
      [5, { a: 'é' }],
      [8, { b: 'ü', c: 'x' }],
    ]);
  });
  it('marks a line not plain when it may repeat a key', () => {
    expect(run('{"a":1,"a":2}\n{"a" : 1, "b": [{"c": 2}]}\n{"a":"x\\":"}\n{"a":1, "a" :2, "b":3}\n').seen).toEqual([
      [5, false],
      [6, true],
      [7, false],
      [8, false],
    ]);
  });
});
