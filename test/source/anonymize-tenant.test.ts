/**
 * anonymizeTenant on the bundled contoso tenant (and on synthetic ones for uniqueness): deterministic, keyed
 * by the seed, no original personal value left anywhere in the output, the structure the engine decides with
 * intact (counts, manager tree, memberships, assignments, roles, flags), `keep` honoured, distinct values kept
 * distinct; and the result still loads as a fixture tenant and scopes exactly as the original did.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateSource } from '../../src/engine/desired.js';
import { loadMapping } from '../../src/engine/load-inputs.js';
import { evaluate, parseExpression, type CompiledExpression, type EvalContext } from '../../src/expression/index.js';
import { ManualClock } from '../../src/shared/clock.js';
import { seededRandom } from '../../src/shared/random.js';
import { FIRST_NAMES, LAST_NAMES } from '../../src/source/generate/data.js';
import { generateTenant } from '../../src/source/generate/generate-tenant.js';
import { DEFAULT_ACCESS_ROLE, anonymizeTenant, loadTenant, parseTenant, type SourceValue, type Tenant } from '../../src/source/index.js';
import { PSEUDO_GIVEN_NAMES, PSEUDO_SURNAMES, PSEUDO_WORDS } from '../../src/source/anonymize/words.js';
import { upnKey } from '../../src/source/upn.js';
import { effectiveUserPrincipalName } from '../../src/source/view.js';

const ROOT = join(import.meta.dirname, '..', '..');
const EXTENSION = 'extension_b7e3f2a1c4d54e6f8a1b2c3d4e5f6071_costCenter';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let contoso: Tenant;
beforeAll(async () => {
  const loaded = await loadTenant(join(ROOT, 'fixtures', 'contoso'));
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  contoso = loaded.tenant!;
});

const compile = (text: string): CompiledExpression => {
  const { expression, diagnostics } = parseExpression(text);
  expect(diagnostics).toEqual([]);
  return expression!;
};
const evalContext = (attributes: EvalContext['attributes']): EvalContext => ({
  attributes,
  appRoleAssignments: [],
  clock: new ManualClock('2026-01-01T00:00:00Z'),
  random: seededRandom(1),
});

const values = (v: SourceValue | undefined): string[] => (v === null || v === undefined ? [] : typeof v === 'string' ? [v] : v);

/** Every string in a JSON-like value. */
function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) strings(v, out);
  return out;
}

/** The personal values of a tenant: none may survive anonymization. */
function personalValues(t: Tenant): string[] {
  const out: string[] = [];
  for (const u of t.users) {
    out.push(u.id, u.userPrincipalName);
    for (const name of [
      'displayName',
      'givenName',
      'surname',
      'mail',
      'mailNickname',
      'otherMails',
      'telephoneNumber',
      'mobile',
      'facsimileTelephoneNumber',
      'streetAddress',
      'city',
      'postalCode',
      'employeeId',
      'jobTitle',
      'companyName',
      'physicalDeliveryOfficeName',
      EXTENSION,
    ])
      out.push(...values(u.attributes[name]));
    for (const p of values(u.attributes['proxyAddresses'])) out.push(p, p.replace(/^[a-z0-9]+:/i, ''));
  }
  for (const g of t.groups) out.push(g.id, g.displayName, ...values(g.attributes['mailNickname']), ...values(g.attributes['description']));
  out.push(t.app.name);
  return [...new Set(out)];
}

describe('anonymizeTenant', () => {
  it('is deterministic: the same seed and tenant give the same JSON, byte for byte', () => {
    const a = JSON.stringify(anonymizeTenant(contoso, { seed: 'seed-1' }));
    const b = JSON.stringify(anonymizeTenant(structuredClone(contoso), { seed: 'seed-1' }));
    expect(b).toBe(a);
    expect(JSON.stringify(contoso)).not.toContain('seed-1'); // the input is not touched…
    expect(JSON.stringify(anonymizeTenant(contoso, { seed: 'seed-1' }))).toBe(a); // …nor changed by a run
  });

  it('depends on the seed: another seed gives other ids, UPNs and names', () => {
    const a = anonymizeTenant(contoso, { seed: 'seed-1' });
    const b = anonymizeTenant(contoso, { seed: 'seed-2' });
    for (let i = 0; i < a.users.length; i++) {
      expect(b.users[i]!.id).not.toBe(a.users[i]!.id);
      expect(b.users[i]!.userPrincipalName).not.toBe(a.users[i]!.userPrincipalName);
    }
    expect(b.groups.map((g) => g.id)).not.toEqual(a.groups.map((g) => g.id));
    expect(b.users.map((u) => u.attributes['displayName'])).not.toEqual(a.users.map((u) => u.attributes['displayName']));
  });

  it('leaves no original name, mail, UPN, id, phone or address anywhere in the output', () => {
    const out = anonymizeTenant(contoso, { seed: 'seed-1' });
    const { dir: _dir, ...data } = out;
    const withoutLocations = JSON.parse(JSON.stringify(data, (k, v: unknown) => (k === 'location' ? undefined : v))) as unknown;
    const outputStrings = new Set(strings(withoutLocations).map((s) => s.toLowerCase()));
    const text = JSON.stringify(withoutLocations).toLowerCase();
    const originals = personalValues(contoso);
    expect(originals.length).toBeGreaterThan(300);
    expect(originals.filter((o) => outputStrings.has(o.toLowerCase()))).toEqual([]);
    // Longer values must not appear even inside another string (a name inside a mail, an id inside a reference).
    expect(originals.filter((o) => o.length >= 8 && text.includes(o.toLowerCase()))).toEqual([]);
    // Names and domains, word by word.
    const words = new Set(contoso.users.flatMap((u) => [...values(u.attributes['givenName']), ...values(u.attributes['surname'])]));
    for (const w of ['contoso', 'fabrikam', ...[...words].filter((x) => x.length >= 5)]) expect(text, w).not.toContain(w.toLowerCase());
  });

  it('keeps the structure: counts, order, the manager tree, memberships, assignments, roles and flags', () => {
    const out = anonymizeTenant(contoso, { seed: 'seed-1' });
    expect(out.users).toHaveLength(contoso.users.length);
    expect(out.groups).toHaveLength(contoso.groups.length);
    expect(out.assignments).toHaveLength(contoso.assignments.length);
    const newId = new Map<string, string>();
    contoso.users.forEach((u, i) => newId.set(u.id, out.users[i]!.id));
    contoso.groups.forEach((g, i) => newId.set(g.id, out.groups[i]!.id));
    const ids = [...newId.values()];
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(GUID);
    for (const [i, u] of contoso.users.entries()) {
      const a = out.users[i]!;
      expect(a.managerId).toBe(u.managerId === null ? null : newId.get(u.managerId));
      expect([a.accountEnabled, a.softDeleted]).toEqual([u.accountEnabled, u.softDeleted]);
      expect([a.attributes['userType'], a.attributes['preferredLanguage']]).toEqual([
        u.attributes['userType'],
        u.attributes['preferredLanguage'],
      ]);
      expect(Object.keys(a.attributes)).toEqual(Object.keys(u.attributes));
      for (const [name, value] of Object.entries(u.attributes)) {
        expect(a.attributes[name] === null, name).toBe(value === null);
        expect(Array.isArray(a.attributes[name]), name).toBe(Array.isArray(value));
        if (Array.isArray(value)) expect((a.attributes[name] as string[]).length).toBe(value.length);
      }
    }
    for (const [i, g] of contoso.groups.entries()) expect(out.groups[i]!.memberIds).toEqual(g.memberIds.map((m) => newId.get(m)));
    for (const [i, a] of contoso.assignments.entries()) {
      expect(out.assignments[i]).toMatchObject({ principalKind: a.principalKind, principalId: newId.get(a.principalId), roleId: a.roleId });
    }
    expect(out.app.appRoles).toEqual(contoso.app.appRoles);
    expect(contoso.users.some((u) => u.managerId !== null)).toBe(true);
    expect(contoso.groups.some((g) => g.memberIds.some((m) => contoso.groups.some((n) => n.id === m)))).toBe(true); // a nested group
  });

  it('guests stay guests with a valid #EXT# UPN, and a UPN equal to the mail stays equal to it', () => {
    const out = anonymizeTenant(contoso, { seed: 'seed-1' });
    let guests = 0;
    for (const [i, u] of contoso.users.entries()) {
      const a = out.users[i]!;
      if (u.userPrincipalName.includes('#EXT#')) {
        guests++;
        expect(a.userPrincipalName).toMatch(/^[a-z0-9.-]+_[a-z0-9.-]+#EXT#@[a-z0-9-]+\.onmicrosoft\.com$/);
        // What Entra makes of the guest's UPN is the guest's anonymized home mail, as it was before.
        expect(effectiveUserPrincipalName(u.userPrincipalName)).toBe(u.attributes['mail']);
        expect(effectiveUserPrincipalName(a.userPrincipalName)).toBe(a.attributes['mail']);
        expect(a.attributes['mailNickname']).toBe(a.userPrincipalName.slice(0, a.userPrincipalName.indexOf('@')));
      }
      if (typeof u.attributes['mail'] === 'string' && upnKey(u.attributes['mail']) === upnKey(u.userPrincipalName))
        expect(a.attributes['mail']).toBe(a.userPrincipalName);
      // The primary proxy address (SMTP:) is the mail, as before.
      const primary = values(u.attributes['proxyAddresses']).find((p) => p.startsWith('SMTP:'));
      if (primary && primary.slice(5) === u.attributes['mail'])
        expect(values(a.attributes['proxyAddresses']).find((p) => p.startsWith('SMTP:'))).toBe(`SMTP:${a.attributes['mail'] as string}`);
      // The name the mail is spelt from is the user's new name.
      const name = a.attributes['displayName'] as string;
      expect(name).toBe(`${a.attributes['givenName'] as string} ${a.attributes['surname'] as string}`);
    }
    expect(guests).toBeGreaterThan(0);
  });

  it('keeps the attributes named in keep verbatim, and replaces them otherwise', () => {
    const kept = anonymizeTenant(contoso, { seed: 'seed-1', keep: ['department', 'country', EXTENSION] });
    const replaced = anonymizeTenant(contoso, { seed: 'seed-1' });
    for (const [i, u] of contoso.users.entries()) {
      for (const name of ['department', 'country', EXTENSION]) {
        expect(kept.users[i]!.attributes[name]).toEqual(u.attributes[name]);
        if (u.attributes[name] != null) expect(replaced.users[i]!.attributes[name]).not.toEqual(u.attributes[name]);
      }
    }
    // Equal values stay equal, distinct ones distinct.
    const departments = (t: Tenant): string[] => t.users.map((u) => String(u.attributes['department']));
    const partition = (xs: string[]): number[] => xs.map((x) => xs.indexOf(x));
    expect(partition(departments(replaced))).toEqual(partition(departments(contoso)));
  });

  it('refuses an empty seed and keep entries it cannot honour, saying why', () => {
    expect(() => anonymizeTenant(contoso, { seed: '' })).toThrow(/seed is empty/);
    expect(() => anonymizeTenant(contoso, { seed: 's', keep: ['id'] })).toThrow(/id cannot be kept: object ids .* are always replaced/);
    expect(() => anonymizeTenant(contoso, { seed: 's', keep: ['manager'] })).toThrow(/manager cannot be kept/);
    expect(() => anonymizeTenant(contoso, { seed: 's', keep: ['departmnet'] })).toThrow(/keep: "departmnet" is not an attribute/);
  });

  it('keeps distinct UPNs, ids, employee ids and group names distinct on a tenant larger than its word lists', () => {
    const tenant = generateTenant({ users: 3000, groups: 300, membersPerGroup: 5, seed: 3 });
    // More users than the persona lists have name pairs (32 × 32), and local parts that differ only in case.
    tenant.users[1]!.userPrincipalName = tenant.users[0]!.userPrincipalName.replace(/^./, (c) => c.toUpperCase()) + '.x';
    const out = anonymizeTenant(tenant, { seed: 'seed-1' });
    const unique = (xs: string[]): number => new Set(xs).size;
    expect(unique(out.users.map((u) => upnKey(u.userPrincipalName)))).toBe(unique(tenant.users.map((u) => upnKey(u.userPrincipalName))));
    expect(unique([...out.users, ...out.groups].map((o) => o.id))).toBe(tenant.users.length + tenant.groups.length);
    const employeeIds = (t: Tenant): string[] => t.users.flatMap((u) => values(u.attributes['employeeId']));
    expect(unique(employeeIds(out))).toBe(unique(employeeIds(tenant)));
    expect(unique(out.groups.map((g) => g.displayName.toLowerCase()))).toBe(unique(tenant.groups.map((g) => g.displayName.toLowerCase())));
    expect(unique(out.users.flatMap((u) => values(u.attributes['mail'])))).toBe(
      unique(tenant.users.flatMap((u) => values(u.attributes['mail']))),
    );
  });

  it("its words are its own: none is a name of the generator's or of the bundled tenants", () => {
    const taken = new Set([
      ...FIRST_NAMES,
      ...LAST_NAMES,
      ...contoso.users.flatMap((u) => [...values(u.attributes['givenName']), ...values(u.attributes['surname'])]),
    ]);
    for (const w of [...PSEUDO_GIVEN_NAMES, ...PSEUDO_SURNAMES, ...PSEUDO_WORDS]) expect(taken.has(w), w).toBe(false);
  });
});

describe('dates and exact values', () => {
  /** contoso with the given attributes on its first users (one object per user). */
  function withAttributes(perUser: Array<Record<string, SourceValue>>): Tenant {
    const t = structuredClone(contoso);
    perUser.forEach((a, i) => Object.assign(t.users[i]!.attributes, a));
    return t;
  }
  const DAY = 86_400_000;

  it('gives ISO dates a date: shifted by a keyed 1–730 days, in the same format, so date functions read it the same', () => {
    const originals: Array<Record<string, SourceValue>> = [
      { employeeHireDate: '2021-03-01T00:00:00Z', employeeLeaveDateTime: '2024-06-30T17:45:10Z' },
      { employeeHireDate: '2019-12-31', employeeLeaveDateTime: '2023-02-28T08:30:00.1234567Z' },
      { employeeHireDate: '2020-02-29T00:00Z', [EXTENSION]: '2022-10-01T12:00:00+02:00' },
      { employeeHireDate: '9999-12-31T23:59:59Z' },
    ];
    const tenant = withAttributes(originals);
    const out = anonymizeTenant(tenant, { seed: 'seed-1' });
    const formatOf = (s: string): string => s.replace(/\d/g, '9');
    const hire = compile('FormatDateTime([employeeHireDate], , "yyyy-MM-ddTHH:mm:ssK", "yyyyMMdd")');
    originals.forEach((attrs, i) => {
      for (const [name, value] of Object.entries(attrs)) {
        const a = out.users[i]!.attributes[name] as string;
        const v = value as string;
        expect(formatOf(a), `${name} ${v} → ${a}`).toBe(formatOf(v));
        expect(a).not.toBe(v);
        const days =
          Math.abs(Date.parse(a.length === 10 ? `${a}T00:00:00Z` : a) - Date.parse(v.length === 10 ? `${v}T00:00:00Z` : v)) / DAY;
        expect(Number.isInteger(days) && days >= 1 && days <= 730, `${v} → ${a}`).toBe(true);
        expect(a.slice(10), 'the time of day stays').toBe(v.slice(10));
      }
    });
    // A mapping's FormatDateTime gives a date for the pseudonym as it did for the original.
    const before = evaluate(hire, evalContext({ employeeHireDate: originals[0]!['employeeHireDate']! }));
    const after = evaluate(hire, evalContext({ employeeHireDate: out.users[0]!.attributes['employeeHireDate']! }));
    expect(before).toMatchObject({ ok: true, value: '20210301' });
    expect(after).toMatchObject({ ok: true, value: expect.stringMatching(/^20(21|22|23)\d{4}$/) });
    // Keyed: the same date gives the same pseudonym; another seed another one.
    expect(anonymizeTenant(tenant, { seed: 'seed-1' }).users[0]!.attributes['employeeHireDate']).toBe(
      out.users[0]!.attributes['employeeHireDate'],
    );
  });

  it('treats a value that is not a date like any other code', () => {
    const out = anonymizeTenant(withAttributes([{ employeeHireDate: '2021-13-45T00:00:00Z' }, { employeeHireDate: 'since 2020' }]), {
      seed: 'seed-1',
    });
    const shape = (s: SourceValue | undefined): string => String(s).replace(/[A-Z]/g, 'A').replace(/[a-z]/g, 'a').replace(/\d/g, '9');
    expect(shape(out.users[0]!.attributes['employeeHireDate'])).toBe('9999-99-99A99:99:99A');
    expect(out.users[0]!.attributes['employeeHireDate']).not.toBe('2021-13-45T00:00:00Z');
    expect(shape(out.users[1]!.attributes['employeeHireDate'])).toBe('aaaaa 9999');
  });

  it('keys word, street and phone pseudonyms on the exact value: values equal ignoring case or format stay distinct', () => {
    const tenant = withAttributes([
      { department: 'Sales', city: 'Oslo', streetAddress: '1 Main Street', mobile: '+47 915 00 101' },
      { department: 'SALES', city: 'OSLO', streetAddress: '1 MAIN STREET', mobile: '+4791500101' },
      { department: 'Sales', city: 'Oslo', streetAddress: '1 Main Street', mobile: '+47 915 00 101' },
    ]);
    tenant.groups[1]!.displayName = tenant.groups[0]!.displayName.toUpperCase();
    const out = anonymizeTenant(tenant, { seed: 'seed-1' });
    const [a, b, c] = out.users.map((u) => u.attributes);
    for (const name of ['department', 'city', 'streetAddress', 'mobile']) {
      expect(b![name], name).not.toBe(a![name]);
      expect(String(b![name]).toLowerCase(), `${name}: distinct ignoring case too`).not.toBe(String(a![name]).toLowerCase());
      expect(c![name], name).toBe(a![name]);
    }
    expect(b!['mobile']).toMatch(/^\+\d{10}$/); // its own shape, not that of the other spelling
    expect(out.groups[1]!.displayName.toLowerCase()).not.toBe(out.groups[0]!.displayName.toLowerCase());
  });
});

/** The tenant as fixture JSON files, the way a user would write it. */
function asFixtureFiles(t: Tenant): { users: string; groups: string; assignments: string } {
  const users = t.users.map((u) => ({
    id: u.id,
    userPrincipalName: u.userPrincipalName,
    accountEnabled: u.accountEnabled,
    softDeleted: u.softDeleted,
    ...(u.managerId ? { manager: u.managerId } : {}),
    ...Object.fromEntries(Object.entries(u.attributes).filter(([, v]) => v !== null)),
  }));
  const groups = t.groups.map((g) => ({
    id: g.id,
    displayName: g.displayName,
    members: g.memberIds,
    ...Object.fromEntries(Object.entries(g.attributes).filter(([, v]) => v !== null)),
  }));
  const roleValue = new Map(t.app.appRoles.map((r) => [r.id, r.value]));
  const assignments = {
    app: t.app,
    assignments: t.assignments.map((a) => ({
      principal: a.principalId,
      ...(a.roleId === DEFAULT_ACCESS_ROLE.id ? {} : { role: roleValue.get(a.roleId) }),
    })),
  };
  return { users: JSON.stringify(users), groups: JSON.stringify(groups), assignments: JSON.stringify(assignments) };
}

describe('an anonymized contoso is still a tenant the engine treats the same', () => {
  it('loads as fixture files without a problem, with the same counts', () => {
    const files = asFixtureFiles(anonymizeTenant(contoso, { seed: 'seed-1' }));
    for (const jsonFastPath of [true, false]) {
      const parsed = parseTenant(
        {
          dir: 'anon',
          users: { file: 'anon/users.json', text: files.users },
          groups: { file: 'anon/groups.json', text: files.groups },
          assignments: { file: 'anon/assignments.json', text: files.assignments },
        },
        { jsonFastPath },
      );
      expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect([parsed.tenant!.users.length, parsed.tenant!.groups.length, parsed.tenant!.assignments.length]).toEqual([
        contoso.users.length,
        contoso.groups.length,
        contoso.assignments.length,
      ]);
    }
  });

  for (const [mapping, keep] of [
    ['mappings/customappsso.yaml', []],
    ['test/fixtures/export-script/scoping.yaml', ['department', 'country', EXTENSION]],
  ] as const) {
    it(`provisions, skips and deprovisions the same objects for the same reasons (${mapping})`, async () => {
      const { job } = await loadMapping(join(ROOT, mapping));
      const deps = { clock: new ManualClock(new Date('2026-01-01T00:00:00Z')), random: seededRandom(1) };
      const decisions = (t: Tenant) =>
        evaluateSource(t, job, deps).map((o) => ({
          objectType: o.objectType,
          provision: o.provision,
          cause: o.cause,
          failed: o.scopeFailure !== null,
        }));
      const before = decisions(contoso);
      const after = decisions(anonymizeTenant(contoso, { seed: 'seed-1', keep: [...keep] }));
      expect(after).toEqual(before);
      expect(before.filter((d) => d.provision).length).toBeGreaterThan(0);
      expect(before.filter((d) => !d.provision).length).toBeGreaterThan(0);
    });
  }
});
