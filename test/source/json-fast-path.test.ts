import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateTenant, writeTenantFixtures } from '../../src/source/generate/generate-tenant.js';
import { loadTenant } from '../../src/source/load-tenant.js';
import { parseTenant } from '../../src/source/parse-tenant.js';
import type { TenantFiles } from '../../src/source/parse-tenant.js';
import { readJsonTenant } from '../../src/source/json/read-json-tenant.js';
import { seededRandom } from '../../src/shared/random.js';
import { ADA, BOB, GROUP, ROLE_ADMIN, ROLE_USER, asJson, expectJsonPathsAgree, lines } from './helpers.js';

const G2 = '44444444-4444-4444-8444-444444444444';

/** A valid tenant using every rule the fast path mirrors: references by id/UPN/name, nesting, roles, extensions. */
const RICH: TenantFiles = {
  dir: 't',
  users: {
    file: 't/users.yaml',
    text: lines(
      `- id: ${ADA.toUpperCase()}`,
      '  userPrincipalName: ada@contoso.com',
      '  displayName: Ada Lovelace',
      '  companyName: true',
      '  mobile: null',
      '  userType: Guest',
      '  otherMails: [ada@home.example]',
      '  extension_0123456789abcdef0123456789ABCDEF_costCenter: [CC-1, CC-2]',
      '  extension_0123456789abcdef0123456789ABCDEF_level: L3',
      '  softDeleted: true',
      `- id: ${BOB}`,
      '  userPrincipalName: bob@contoso.com',
      '  accountEnabled: false',
      '  manager: ADA@contoso.com',
    ),
  },
  groups: {
    file: 't/groups.yaml',
    text: lines(
      `- id: ${GROUP}`,
      '  displayName: Team',
      '  description: The team',
      `  members: [bob@contoso.com, ${ADA}, ${G2}]`,
      `- id: ${G2}`,
      '  displayName: Inner',
      '  members: []',
      '  mail: null',
    ),
  },
  assignments: {
    file: 't/assignments.yaml',
    text: lines(
      'app:',
      '  name: App',
      '  appRoles:',
      `    - {id: ${ROLE_USER.toUpperCase()}, value: User, displayName: Regular user}`,
      `    - {id: ${ROLE_ADMIN}, value: Admin, displayName: Administrator}`,
      'assignments:',
      '  - {principal: ada@contoso.com}',
      '  - {principal: team, role: Administrator}',
      '  - {principal: inner, role: User}',
      `  - {principal: ${BOB}, role: User}`,
      '  - {principal: bob@contoso.com, role: Default Access}',
    ),
  },
};

const slow = (input: TenantFiles) => parseTenant(input, { jsonFastPath: false });

/** The fast path answers (it is not merely falling back) and equals the node path, locations included. */
function expectFastPathTaken(input: TenantFiles): void {
  const reference = slow(input);
  expect(reference.diagnostics).toEqual([]);
  expect(reference.tenant).not.toBeNull();
  expect(readJsonTenant(input)).toEqual(reference.tenant);
}

const mapTexts = (input: TenantFiles, f: (text: string) => string): TenantFiles => {
  const m = (x: TenantFiles['users']) => (x === undefined ? undefined : { file: x.file, text: f(x.text) });
  return { dir: input.dir, users: m(input.users), groups: m(input.groups), assignments: m(input.assignments) };
};

describe('readJsonTenant (the JSON fast path)', () => {
  it('reads a valid tenant exactly as the node path does, indented, compact, with CRLF or a byte-order mark', () => {
    for (const indent of [0, 2, 4]) expectFastPathTaken(asJson(RICH, indent));
    expectFastPathTaken(mapTexts(asJson(RICH, 2), (t) => t.replaceAll('\n', '\r\n')));
    expectFastPathTaken(mapTexts(asJson(RICH, 2), (t) => `\uFEFF${t}`));
    expectFastPathTaken(mapTexts(asJson(RICH, 2), (t) => `\t \n${t.replaceAll('  ', '\t')}\n\n`));
  });

  it('reads an empty or absent groups file as no groups', () => {
    const base = asJson(
      {
        dir: 't',
        users: RICH.users,
        assignments: { file: 't/assignments.yaml', text: 'app: {name: App}\nassignments: [{principal: ada@contoso.com}]\n' },
      },
      2,
    );
    expectFastPathTaken(base);
    expectFastPathTaken({ ...base, groups: { file: 't/groups.json', text: ' \n' } });
  });

  it('declines what it cannot be sure of, and the node path then decides', () => {
    const json = asJson(RICH, 2);
    const variants: TenantFiles[] = [
      // JSON.parse keeps the last of duplicate keys; the node path reports them.
      mapTexts(json, (t) => t.replace('"displayName": "Ada Lovelace"', '"displayName": "Ada", "displayName": "Ada Lovelace"')),
      mapTexts(json, (t) => t.replace('"displayName": "Ada Lovelace"', '"displayName": "Ada", "displ\\u0061yName": "Ada Lovelace"')),
      // Numbers: the node path keeps the source digits ("1.50"), JSON.parse cannot.
      mapTexts(json, (t) => t.replace('"displayName": "Ada Lovelace"', '"postalCode": 1.50')),
      // Comments and trailing commas: the YAML parser accepts them in .json files, JSON.parse does not.
      mapTexts(json, (t) => t.replace('"displayName": "Ada Lovelace"', '"displayName": "Ada Lovelace", // the first\n')),
      // A member listed twice: a warning, so not a silent success.
      mapTexts(json, (t) => t.replace(`"${G2}"`, `"${G2}", "${G2.toUpperCase()}"`)),
      // Null list items: "must be a map" / "must be a string" there.
      mapTexts(json, (t) => t.replace(`"${G2}"`, `"${G2}", null`)),
      mapTexts(json, (t) => t.replace('"principal": "ada@contoso.com"', '"principal": "ada@contoso.com"}, null, {"principal": "x"')),
      // The assignments file is read item by item (json-root-list.ts): repeated keys at each level, a
      // trailing comma, a list that is not one, text after the root.
      mapTexts(json, (t) => t.replace('"principal": "ada@contoso.com"', '"principal": "x", "principal": "ada@contoso.com"')),
      mapTexts(json, (t) => t.replace('"name": "App"', '"name": "A", "n\\u0061me": "App"')),
      mapTexts(json, (t) => t.replace('"assignments": [', '"assignments": [], "assignments": [')),
      mapTexts(json, (t) => t.replace(/\}\s*\]\s*\}\s*$/, '},]}')),
      mapTexts(json, (t) => t.replace('"assignments": [', '"assignments": {"a": [').replace(/\]\s*\}\s*$/, ']}}')),
      mapTexts(json, (t) => (t.includes('"assignments"') ? `${t}{}` : t)),
      // Mixed formats.
      { ...json, groups: RICH.groups },
    ];
    for (const input of variants) {
      expect(readJsonTenant(input)).toBeNull();
      expectJsonPathsAgree(input);
    }
    expect(parseTenant(variants[2]!).tenant!.users[0]!.attributes['postalCode']).toBe('1.50');
  });
});

/** `value` as JSON with `ws()` between all tokens. */
function spaced(value: unknown, ws: () => string): string {
  if (Array.isArray(value)) return `[${ws()}${value.map((v) => spaced(v, ws)).join(`${ws()},${ws()}`)}${ws()}]`;
  if (value !== null && typeof value === 'object') {
    const pairs = Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}${ws()}:${ws()}${spaced(v, ws)}`);
    return `{${ws()}${pairs.join(`${ws()},${ws()}`)}${ws()}}`;
  }
  return JSON.stringify(value);
}

describe('readJsonTenant: any JSON formatting', () => {
  it('agrees with the node path on randomly formatted texts (all JSON whitespace, lone CRs included)', () => {
    const json = asJson(RICH, 0);
    const values = [json.users, json.groups, json.assignments].map((f) => JSON.parse(f!.text) as unknown);
    const WHITESPACE = ['', ' ', '  ', '\t', '\n', '\r\n', '\n\t  ', '\r'];
    let taken = 0;
    for (let seed = 0; seed < 300; seed++) {
      const r = seededRandom(seed);
      const crs = seed % 2 === 0;
      const ws = (): string => (r.next() < 0.6 ? '' : WHITESPACE[Math.floor(r.next() * (WHITESPACE.length - (crs ? 0 : 1)))]!);
      const [users, groups, assignments] = values.map((v, i) => ({
        file: ['t/users.json', 't/groups.json', 't/assignments.json'][i]!,
        text: ws() + spaced(v, ws) + ws(),
      }));
      const input: TenantFiles = { dir: 't', users, groups, assignments };
      const reference = slow(input);
      const fast = readJsonTenant(input);
      expect(fast).toEqual(reference.diagnostics.length === 0 ? reference.tenant : null);
      if (fast) taken++;
    }
    // Without lone CRs every text is valid: the fast path must have answered for those.
    expect(taken).toBeGreaterThanOrEqual(150);
  });
});

describe('writeTenantFixtures: JSON', () => {
  const SMALL = { users: 300, groups: 12, membersPerGroup: 20, seed: 7 };
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'provsim-json-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes JSON that loads through the fast path and equals the in-memory tenant, locations included', async () => {
    await writeTenantFixtures(SMALL, dir, { format: 'json' });
    expect((await readdir(dir)).sort()).toEqual(['assignments.json', 'groups.json', 'users.json']);
    const files: TenantFiles = { dir };
    for (const name of ['users', 'groups', 'assignments'] as const) {
      const file = join(dir, `${name}.json`);
      files[name] = { file, text: await readFile(file, 'utf8') };
      expect(() => JSON.parse(files[name]!.text) as unknown).not.toThrow();
    }
    const expected = generateTenant(SMALL, dir, { format: 'json' });
    expectFastPathTaken(files);
    expect(readJsonTenant(files)).toEqual(expected);
    expect(await loadTenant(dir)).toEqual({ tenant: expected, diagnostics: [] });
  });

  it('is byte-for-byte deterministic, and empty tenants are valid JSON too', async () => {
    await writeTenantFixtures(SMALL, join(dir, 'a'), { format: 'json' });
    await writeTenantFixtures(SMALL, join(dir, 'b'), { format: 'json' });
    for (const name of ['users.json', 'groups.json', 'assignments.json']) {
      expect(await readFile(join(dir, 'b', name), 'utf8')).toBe(await readFile(join(dir, 'a', name), 'utf8'));
    }
    const empty = { users: 0, groups: 0, membersPerGroup: 0, seed: 1 };
    await writeTenantFixtures(empty, join(dir, 'e'), { format: 'json' });
    expect(await loadTenant(join(dir, 'e'))).toEqual({
      tenant: generateTenant(empty, join(dir, 'e'), { format: 'json' }),
      diagnostics: [],
    });
  });

  it('still writes YAML by default', async () => {
    await writeTenantFixtures(SMALL, dir);
    expect((await readdir(dir)).sort()).toEqual(['assignments.yaml', 'groups.yaml', 'users.yaml']);
  });
});
