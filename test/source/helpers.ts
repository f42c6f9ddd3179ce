import { expect } from 'vitest';
import { parseDocument } from 'yaml';
import type { Diagnostic } from '../../src/shared/diagnostics.js';
import { parseTenant } from '../../src/source/parse-tenant.js';
import type { TenantFiles } from '../../src/source/parse-tenant.js';
import { JsonLinesTenantReader, type UnresolvedReference } from '../../src/source/json/read-json-tenant.js';
import { scanJsonStructure } from '../../src/source/json/structure.js';
import type { Tenant } from '../../src/model/directory.js';

export const ADA = '11111111-1111-4111-8111-111111111111';
export const BOB = '22222222-2222-4222-8222-222222222222';
export const GROUP = '33333333-3333-4333-8333-333333333333';
export const ROLE_USER = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
export const ROLE_ADMIN = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';

export const lines = (...l: string[]): string => l.join('\n') + '\n';

export const VALID_USERS = lines(
  `- id: ${ADA}`,
  '  userPrincipalName: ada@contoso.com',
  '  displayName: Ada Lovelace',
  `- id: ${BOB}`,
  '  userPrincipalName: bob@contoso.com',
  '  displayName: Bob',
);

export const VALID_ASSIGNMENTS = lines(
  'app:',
  '  name: App',
  '  appRoles:',
  `    - {id: ${ROLE_USER}, value: User, displayName: Regular user}`,
  `    - {id: ${ROLE_ADMIN}, value: Admin, displayName: Administrator}`,
  'assignments:',
  '  - {principal: ada@contoso.com}',
);

/** Parses a tenant from inline texts; users and assignments default to small valid files, groups to none. */
export function tenantOf(files: { users?: string | null; groups?: string; assignments?: string | null; ext?: string }) {
  const ext = files.ext ?? 'yaml';
  const file = (name: string, text: string | null | undefined, fallback?: string) => {
    const t = text === undefined ? fallback : text;
    return t === null || t === undefined ? undefined : { file: `t/${name}.${ext}`, text: t };
  };
  const input: TenantFiles = {
    dir: 't',
    users: file('users', files.users, VALID_USERS),
    groups: file('groups', files.groups),
    assignments: file('assignments', files.assignments, VALID_ASSIGNMENTS),
  };
  expectJsonPathsAgree(input);
  if (ext !== 'json') for (const indent of [2, 0]) expectJsonPathsAgree(asJson(input, indent));
  return parseTenant(input);
}

/**
 * Every parse test doubles as a test of the JSON fast path: the same tenant, as `.json` files, must give the
 * same result (tenant, or diagnostics with their positions) with and without the fast path. The fast path
 * only answers for valid tenants, so for bad inputs this checks that it never accepts what the node path reports.
 */
export function expectJsonPathsAgree(input: TenantFiles): void {
  const explained = parseTenant(input, { jsonFastPath: false });
  expect(parseTenant(input)).toEqual(explained);
  // The JSON Lines reader, given the same objects one at a time, as it reads small tenants and as it reads
  // large ones (members resolved as read, assignments compact): null whenever the node path reports anything;
  // otherwise null (it declines what it cannot be sure of) or the same tenant, its locations aside (the
  // reader is handed none here); and the same either way.
  const [read, readResolving] = [false, true].map((large) => readAsJsonLines(input, large));
  if (read === undefined) return;
  const plain = read.tenant;
  expect(withoutLocations(readResolving!.tenant)).toEqual(withoutLocations(plain));
  // A large tenant's assignments are compact records, at the same places in the assignments file.
  expect(readResolving!.tenant?.assignments.map((a) => a.location)).toEqual(plain?.assignments.map((a) => a.location));
  // A reference the reader names as unresolved (reported so above the explain limit) is one the careful path
  // reports too, in the same words.
  expect(readResolving!.unresolved?.message).toBe(read.unresolved?.message);
  if (read.unresolved !== null)
    expect(explained.diagnostics.filter((d) => d.code === 'FIXTURE_UNRESOLVED_REFERENCE').map((d) => d.message)).toContain(
      read.unresolved.message,
    );
  if (explained.diagnostics.length > 0) expect(plain).toBeNull();
  else if (plain !== null) expect(withoutLocations(plain)).toEqual(withoutLocations(explained.tenant));
}

const NOWHERE = { file: '', position: { line: 0, column: 0 } };

/**
 * The tenant `JsonLinesTenantReader` builds from the users and groups of `.json` files (each a list),
 * handed over one object at a time; undefined when the files are not JSON lists. An object of a file that
 * repeats a key somewhere is handed over as not plain, as the loader does for its line.
 */
function readAsJsonLines(
  input: TenantFiles,
  /** Read as the loader reads a large tenant: members resolved as read, assignments compact. */
  large: boolean,
): { tenant: Tenant | null; unresolved: UnresolvedReference | null } | undefined {
  const list = (f: TenantFiles['users']): { items: unknown[]; plain: boolean } | undefined => {
    if (f === undefined) return { items: [], plain: true };
    if (!f.file.endsWith('.json')) return undefined;
    let value: unknown;
    try {
      value = JSON.parse(f.text);
    } catch {
      return undefined;
    }
    if (!Array.isArray(value)) return undefined;
    return { items: value, plain: scanJsonStructure(f.text).pairs === keyCount(value) };
  };
  const users = list(input.users);
  const groups = list(input.groups);
  if (users === undefined || groups === undefined || input.users === undefined || input.assignments === undefined) return undefined;
  const reader = new JsonLinesTenantReader({ resolveMembersAsRead: large, compactAssignments: large });
  for (const u of users.items) reader.addUser(u, NOWHERE, users.plain);
  for (const g of groups.items) reader.addGroup(g, NOWHERE, groups.plain);
  const tenant = reader.finish(input.dir, input.assignments);
  return { tenant, unresolved: reader.unresolved };
}

function keyCount(v: unknown): number {
  if (typeof v !== 'object' || v === null) return 0;
  if (Array.isArray(v)) return v.reduce((n: number, item) => n + keyCount(item), 0);
  return Object.entries(v).reduce((n, [, item]) => n + 1 + keyCount(item), 0);
}

function withoutLocations(tenant: Tenant | null): unknown {
  if (tenant === null) return null;
  const strip = <T extends object>(o: T): Omit<T, 'location'> => {
    const { location: _, ...rest } = o as T & { location?: unknown };
    return rest;
  };
  return {
    ...tenant,
    users: tenant.users.map((u) => strip({ ...u })),
    groups: tenant.groups.map(strip),
    assignments: tenant.assignments.map(strip),
  };
}

/** The tenant with each YAML file that parses without errors rewritten as JSON (`JSON.stringify` with `indent`). */
export function asJson(input: TenantFiles, indent: number): TenantFiles {
  const convert = (f: TenantFiles['users']): TenantFiles['users'] => {
    if (f === undefined) return undefined;
    const name = f.file.replace(/\.ya?ml$/, '.json');
    const doc = parseDocument(f.text);
    if (doc.errors.length > 0) return { file: name, text: f.text };
    return { file: name, text: JSON.stringify(doc.toJS(), null, indent) ?? '' };
  };
  return { dir: input.dir, users: convert(input.users), groups: convert(input.groups), assignments: convert(input.assignments) };
}

/** `file:line:col` of each diagnostic with this code (so a test also fails when the code is reported twice). */
export function where(diagnostics: readonly Diagnostic[], code: string): string[] {
  return diagnostics.filter((d) => d.code === code).map((d) => `${d.file}:${d.position?.line}:${d.position?.column}`);
}

export function codes(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => d.code);
}
