/**
 * The Microsoft Graph export reader (src/source/graph/): Graph v1.0 responses → a Tenant under Entra's
 * attribute names, every item it cannot use reported with its file and index, pages in natural order.
 */
import { mkdtemp, mkdir, readFile, rm, writeFile, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/shared/diagnostics.js';
import type { Diagnostic } from '../../src/shared/diagnostics.js';
import { GRAPH_CODES as C } from '../../src/source/graph/graph-codes.js';
import { compareSuffixes } from '../../src/source/graph/natural-order.js';
import { classifyGraphFile, isGraphExportListing, listGraphExport, mixedListingDiagnostic } from '../../src/source/graph/export-listing.js';
import { decodeText } from '../../src/source/graph/decode-text.js';
import { firstSyntaxErrorOffset } from '../../src/source/graph/json-syntax.js';
import { seededRandom } from '../../src/shared/random.js';
import { readGraphExport } from '../../src/source/graph/read-graph-export.js';
import { GraphExportReader } from '../../src/source/graph/graph-export-reader.js';
import type { GraphExportResult } from '../../src/source/graph/graph-export-reader.js';
import { USER_TRANSLATIONS } from '../../src/source/graph/user-translations.js';
import { serializeTenantFixtures } from '../../src/source/graph/serialize-tenant.js';
import { loadGraphExport } from '../../src/source/load-graph-export.js';
import { loadTenant, MAX_FIXTURE_FILE_BYTES } from '../../src/source/load-tenant.js';
import { parseTenant } from '../../src/source/parse-tenant.js';
import { readJsonTenant } from '../../src/source/json/read-json-tenant.js';
import { isSourceAttribute } from '../../src/mapping-file/source-attributes.js';
import { DEFAULT_ACCESS_ROLE } from '../../src/model/directory.js';
import type { Tenant } from '../../src/model/directory.js';
import { lines, tenantOf } from './helpers.js';

const DIR = 'export';
const ADA = '11111111-1111-4111-8111-111111111111';
const BOB = '22222222-2222-4222-8222-222222222222';
const CY = '33333333-3333-4333-8333-333333333333';
const TEAM = '44444444-4444-4444-8444-444444444444';
const INNER = '55555555-5555-4555-8555-555555555555';
const SP = '66666666-6666-4666-8666-666666666666';
const ROLE_USER = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const ROLE_ADMIN = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
const ROLE_MSIAM = 'cccccccc-cccc-4ccc-8ccc-cccccccccccc';
const DEVICE = '77777777-7777-4777-8777-777777777777';
const OTHER = '88888888-8888-4888-8888-888888888888';
const ZERO = '00000000-0000-0000-0000-000000000000';
const EXT = 'extension_0123456789abcdef0123456789abcdef_badge';

type Json = Record<string, unknown>;
const page = (value: unknown[], nextLink?: string): Json => ({
  '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#directoryObjects',
  value,
  ...(nextLink === undefined ? {} : { '@odata.nextLink': nextLink }),
});
const user = (id: string, upn: string, extra: Json = {}): Json => ({
  id,
  userPrincipalName: upn,
  displayName: upn.split('@')[0],
  accountEnabled: true,
  ...extra,
});
const group = (id: string, displayName: string, extra: Json = {}): Json => ({
  id,
  displayName,
  mailNickname: displayName.toLowerCase(),
  ...extra,
});
const member = (type: string, id: string, extra: Json = {}): Json => ({ '@odata.type': `#microsoft.graph.${type}`, id, ...extra });
const assignment = (principalId: string, principalType: string, appRoleId: string, extra: Json = {}): Json => ({
  id: `a-${principalId.slice(0, 8)}`,
  appRoleId,
  principalDisplayName: 'someone',
  principalId,
  principalType,
  resourceDisplayName: 'App',
  resourceId: SP,
  ...extra,
});
const servicePrincipal = (roles: unknown[] = ROLES): Json => ({
  id: SP,
  appId: '9e9e9e9e-9e9e-4e9e-8e9e-9e9e9e9e9e9e',
  displayName: 'Contoso SCIM App',
  appRoles: roles,
});
const ROLES = [
  {
    allowedMemberTypes: ['User'],
    description: 'User',
    displayName: 'User',
    id: ROLE_USER,
    isEnabled: true,
    origin: 'Application',
    value: 'User',
  },
  {
    allowedMemberTypes: ['User'],
    description: 'Admins',
    displayName: 'Administrator',
    id: ROLE_ADMIN,
    isEnabled: true,
    origin: 'Application',
    value: 'Admin',
  },
];

/** A small valid export: two users (Bob reports to Ada), Ada assigned, no groups. */
function baseExport(): Record<string, unknown> {
  return {
    'users.json': page([user(ADA, 'ada@contoso.com'), user(BOB, 'bob@contoso.com', { manager: member('user', ADA) })]),
    'servicePrincipal.json': servicePrincipal(),
    'appRoleAssignedTo.json': page([assignment(ADA, 'User', ROLE_USER)]),
  };
}

function read(files: Record<string, unknown>): GraphExportResult {
  return readGraphExport(
    DIR,
    Object.entries(files).map(([name, v]) => ({ name, text: typeof v === 'string' ? v : JSON.stringify(v, null, 2) })),
  );
}

/** `file: message` of each diagnostic with the code (file without the directory). */
function said(result: GraphExportResult, code: string): string[] {
  return result.diagnostics.filter((d) => d.code === code).map((d) => `${d.file?.slice(DIR.length + 1)}: ${d.message}`);
}

function only(result: GraphExportResult, code: string): Diagnostic {
  const found = result.diagnostics.filter((d) => d.code === code);
  expect(found, result.diagnostics.map(formatDiagnostic).join('\n')).toHaveLength(1);
  return found[0]!;
}

const userOf = (t: Tenant | null, id: string) => t!.users.find((u) => u.id === id)!;

describe('the export directory', () => {
  it('classifies each file by name, case-insensitively, with the group id of members files', () => {
    expect(classifyGraphFile('users.json')).toEqual({ name: 'users.json', collection: 'users', suffix: '' });
    expect(classifyGraphFile('Users-2.JSON')).toMatchObject({ collection: 'users', suffix: '-2' });
    expect(classifyGraphFile('users.page3.json')).toMatchObject({ collection: 'users', suffix: '.page3' });
    expect(classifyGraphFile(`members-${TEAM.toUpperCase()}-2.json`)).toMatchObject({ collection: 'members', groupId: TEAM, suffix: '-2' });
    expect(classifyGraphFile('servicePrincipal.json')).toMatchObject({ collection: 'servicePrincipal' });
    expect(classifyGraphFile('appRoleAssignedTo_002.json')).toMatchObject({ collection: 'appRoleAssignedTo', suffix: '_002' });
    for (const name of ['usersExtra.json', 'users.yaml', 'members-notaguid.json', 'devices.json', 'README.md'])
      expect(classifyGraphFile(name)).toBeNull();
  });

  it('orders pages naturally (the bare name first, numbers by value), whatever the listing order', () => {
    const listing = listGraphExport(['users-10.json', 'users.page3.json', 'users-2.json', 'users.json', 'users-9.json', 'users-02.json']);
    expect(listing.users).toEqual(['users.json', 'users-02.json', 'users-2.json', 'users-9.json', 'users-10.json', 'users.page3.json']);
    expect(compareSuffixes('-2', '-10')).toBeLessThan(0);
    expect(compareSuffixes('', '-1')).toBeLessThan(0);
    expect(compareSuffixes('-page2', '-Page2')).not.toBe(0);
  });

  it('is a Graph export when it has servicePrincipal.json or appRoleAssignedTo pages and no fixture tenant', () => {
    expect(isGraphExportListing(['users.json', 'servicePrincipal.json', 'appRoleAssignedTo.json'])).toBe(true);
    expect(isGraphExportListing(['servicePrincipal.json'])).toBe(true);
    expect(isGraphExportListing(['users.json', 'assignments.yaml'])).toBe(false);
    expect(isGraphExportListing(['users.yaml', 'groups.yaml', 'assignments.yaml'])).toBe(false);
    expect(isGraphExportListing(['groups.json', 'README.md'])).toBe(false);
  });

  it('refuses a directory with both a fixture tenant and Graph export files, naming both and what to do', () => {
    const d = mixedListingDiagnostic('t', ['users.yaml', 'assignments.yaml', 'servicePrincipal.json', `members-${TEAM}.json`]);
    expect(d).toMatchObject({ severity: 'error', code: C.GRAPH_MIXED_DIRECTORY, file: 't' });
    expect(d!.message).toContain('users.yaml');
    expect(d!.message).toContain('servicePrincipal.json');
    expect(d!.hint).toContain('import-graph');
    expect(mixedListingDiagnostic('t', ['users.json', 'groups.json', 'assignments.json'])).toBeNull();
  });
});

describe('Graph v1.0 names → Entra source attributes', () => {
  it('translates every row of the table (nested, first-of-list and list properties included)', () => {
    const graphUser: Json = user(ADA, 'ada@contoso.com');
    const expected: Record<string, unknown> = {};
    for (const row of USER_TRANSLATIONS) {
      if (row.shape !== 'string' && row.shape !== 'first' && row.shape !== 'list') continue;
      const value = `${row.entra} value`;
      expected[row.entra] = row.shape === 'list' ? [value, `${value} 2`] : value;
      if (row.shape === 'first') graphUser[row.graph.replace('[0]', '')] = [value];
      else if (row.shape === 'list') graphUser[row.graph] = [value, `${value} 2`];
      else if (row.graph.includes('.')) {
        const [top, sub] = row.graph.split('.') as [string, string];
        graphUser[top] = { ...(graphUser[top] as Json | undefined), [sub]: value };
      } else graphUser[row.graph] = value;
    }
    graphUser['userType'] = 'Guest';
    expected['userType'] = 'Guest';
    graphUser[EXT] = 'B-7';
    expected[EXT] = 'B-7';
    const r = read({ ...baseExport(), 'users.json': page([graphUser]) });
    expect(r.diagnostics).toEqual([]);
    expect(userOf(r.tenant, ADA).attributes).toEqual({ ...expected, displayName: 'displayName value' });
    // The table's Entra names are the names the fixture format and mappings accept.
    for (const name of Object.keys(expected)) expect(isSourceAttribute('user', name), name).toBe(true);
  });

  it('translates the examples of the brief: businessPhones[0], mobilePhone, officeLocation, faxNumber, nested objects', () => {
    const r = read({
      ...baseExport(),
      'users.json': page([
        user(ADA, 'ada@contoso.com', {
          businessPhones: ['+1 425 555 0100'],
          mobilePhone: '+1 425 555 0101',
          officeLocation: 'Building 7',
          faxNumber: '+1 425 555 0199',
          otherMails: ['ada@home.example'],
          proxyAddresses: ['SMTP:ada@contoso.com', 'smtp:ada@contoso.onmicrosoft.com'],
          onPremisesExtensionAttributes: { extensionAttribute1: 'E1', extensionAttribute15: 'E15', extensionAttribute2: null },
          employeeOrgData: { division: 'Research', costCenter: 'CC-7' },
          employeeHireDate: '2020-01-06T00:00:00Z',
        }),
      ]),
    });
    expect(userOf(r.tenant, ADA).attributes).toMatchObject({
      telephoneNumber: '+1 425 555 0100',
      mobile: '+1 425 555 0101',
      physicalDeliveryOfficeName: 'Building 7',
      facsimileTelephoneNumber: '+1 425 555 0199',
      otherMails: ['ada@home.example'],
      proxyAddresses: ['SMTP:ada@contoso.com', 'smtp:ada@contoso.onmicrosoft.com'],
      extensionAttribute1: 'E1',
      extensionAttribute15: 'E15',
      'employeeOrgData.division': 'Research',
      'employeeOrgData.costCenter': 'CC-7',
      employeeHireDate: '2020-01-06T00:00:00Z',
    });
    expect(userOf(r.tenant, ADA).attributes).not.toHaveProperty('extensionAttribute2');
    expect(userOf(r.tenant, ADA).attributes).not.toHaveProperty('businessPhones');
  });

  it('reads identity, flags and the manager: accountEnabled, deletedDateTime, manager from $expand; ids in lower case', () => {
    const r = read({
      ...baseExport(),
      'users.json': page([
        user(ADA.toUpperCase(), 'ada@contoso.com', { accountEnabled: false }),
        user(BOB, 'bob@contoso.com', { manager: member('user', ADA.toUpperCase()), deletedDateTime: '2025-01-02T03:04:05Z' }),
        user(CY, 'cy_fabrikam.com#EXT#@contoso.onmicrosoft.com', { userType: 'Guest', manager: null }),
      ]),
    });
    expect(r.diagnostics).toEqual([]);
    expect(userOf(r.tenant, ADA)).toMatchObject({ accountEnabled: false, softDeleted: false, managerId: null });
    expect(userOf(r.tenant, BOB)).toMatchObject({ accountEnabled: true, softDeleted: true, managerId: ADA });
    expect(userOf(r.tenant, CY)).toMatchObject({ userPrincipalName: 'cy_fabrikam.com#EXT#@contoso.onmicrosoft.com', managerId: null });
  });

  it('keeps directory extensions as named; numbers become text, booleans True/False, lists stay lists', () => {
    const r = read({
      ...baseExport(),
      'users.json': page([
        user(ADA, 'ada@contoso.com', {
          extension_0123456789abcdef0123456789abcdef_level: 3,
          extension_0123456789abcdef0123456789abcdef_remote: true,
          extension_0123456789abcdef0123456789abcdef_skills: ['TS', 'SCIM'],
        }),
      ]),
    });
    expect(userOf(r.tenant, ADA).attributes).toMatchObject({
      extension_0123456789abcdef0123456789abcdef_level: '3',
      extension_0123456789abcdef0123456789abcdef_remote: 'True',
      extension_0123456789abcdef0123456789abcdef_skills: ['TS', 'SCIM'],
    });
  });

  it('reads the PowerShell SDK shape too: a plain array, PascalCase names, AdditionalProperties', () => {
    const sdkUser = (id: string, upn: string, extra: Json = {}): Json => ({
      Id: id,
      UserPrincipalName: upn,
      DisplayName: 'Ada Lovelace',
      AccountEnabled: true,
      BusinessPhones: ['+1 1'],
      MobilePhone: null,
      OfficeLocation: 'B7',
      OnPremisesExtensionAttributes: { ExtensionAttribute3: 'E3', ExtensionAttribute4: null },
      EmployeeOrgData: { CostCenter: 'CC-1', Division: null },
      Calendar: { Id: null },
      AdditionalProperties: { [EXT]: 'B-1', '@odata.type': '#microsoft.graph.user' },
      ...extra,
    });
    const r = read({ ...baseExport(), 'users.json': [sdkUser(ADA, 'ada@contoso.com'), sdkUser(BOB, 'bob@contoso.com')] });
    expect(r.diagnostics).toEqual([]);
    expect(userOf(r.tenant, ADA).attributes).toEqual({
      displayName: 'Ada Lovelace',
      telephoneNumber: '+1 1',
      physicalDeliveryOfficeName: 'B7',
      extensionAttribute3: 'E3',
      'employeeOrgData.costCenter': 'CC-1',
      [EXT]: 'B-1',
    });
  });

  it('reads groups: id, displayName, mailNickname, description, mail, extensions; members from the members files', () => {
    const r = read({
      ...baseExport(),
      'groups.json': page([group(TEAM, 'Team', { description: 'The team', mail: 'team@contoso.com', [EXT]: 'G', securityEnabled: null })]),
      [`members-${TEAM}.json`]: page([member('user', BOB), member('user', ADA)]),
    });
    expect(r.diagnostics).toEqual([]);
    expect(r.tenant!.groups).toEqual([
      {
        id: TEAM,
        displayName: 'Team',
        memberIds: [BOB, ADA],
        attributes: { mailNickname: 'team', description: 'The team', mail: 'team@contoso.com', [EXT]: 'G' },
        location: { file: join(DIR, 'groups.json'), position: { line: 4, column: 5 } },
      },
    ]);
  });

  it('reads the app: displayName, roles; the all-zero appRoleId and a valueless msiam_access role are Default Access', () => {
    const r = read({
      ...baseExport(),
      'servicePrincipal.json': servicePrincipal([
        ...ROLES,
        {
          allowedMemberTypes: ['User'],
          description: 'msiam_access',
          displayName: 'msiam_access',
          id: ROLE_MSIAM,
          isEnabled: true,
          value: null,
        },
      ]),
      'appRoleAssignedTo.json': page([
        assignment(ADA, 'User', ROLE_ADMIN),
        assignment(BOB, 'User', ZERO),
        assignment(CY, 'User', ROLE_MSIAM),
      ]),
      'users.json': page([user(ADA, 'ada@contoso.com'), user(BOB, 'bob@contoso.com'), user(CY, 'cy@contoso.com')]),
    });
    expect(r.diagnostics).toEqual([]);
    expect(r.tenant!.app).toEqual({
      name: 'Contoso SCIM App',
      appRoles: [
        { id: ROLE_USER, value: 'User', displayName: 'User' },
        { id: ROLE_ADMIN, value: 'Admin', displayName: 'Administrator' },
      ],
    });
    expect(r.tenant!.assignments.map((a) => [a.principalKind, a.principalId, a.roleId])).toEqual([
      ['user', ADA, ROLE_ADMIN],
      ['user', BOB, DEFAULT_ACCESS_ROLE.id],
      ['user', CY, DEFAULT_ACCESS_ROLE.id],
    ]);
  });

  it('accepts GET /servicePrincipals?$filter=… (a page of one) for servicePrincipal.json', () => {
    const r = read({ ...baseExport(), 'servicePrincipal.json': page([servicePrincipal()]) });
    expect(r.diagnostics).toEqual([]);
    expect(r.tenant!.app.name).toBe('Contoso SCIM App');
  });
});

describe('pages', () => {
  it('reads nextLink pages in natural order, and a plain array page the same way', () => {
    const link = 'https://graph.microsoft.com/v1.0/users?$skiptoken=abc';
    const users = [ADA, BOB, CY].map((id, i) => user(id, `u${i}@contoso.com`));
    const r = read({
      ...baseExport(),
      'users-10.json': page([users[2]]),
      'users-2.json': page([users[1]], link),
      'users.json': page([users[0]], link),
    });
    expect(r.diagnostics).toEqual([]);
    expect(r.tenant!.users.map((u) => u.id)).toEqual([ADA, BOB, CY]);
    const plain = read({ ...baseExport(), 'users.json': users, 'appRoleAssignedTo.json': [assignment(ADA, 'User', ROLE_USER)] });
    expect(plain.diagnostics).toEqual([]);
    expect(plain.tenant!.users.map((u) => u.id)).toEqual([ADA, BOB, CY]);
    expect(plain.tenant!.users[1]!.location).toEqual({ file: join(DIR, 'users.json'), position: { line: 8, column: 3 } });
  });

  it('locates every item by line and column, and names it value[i] (or [i] in a plain array)', () => {
    const r = read({ ...baseExport(), 'users.json': page([user(ADA, 'ada@contoso.com'), 42, user(BOB, 'bob@contoso.com')]) });
    const d = only(r, C.GRAPH_NOT_AN_OBJECT);
    expect(formatDiagnostic(d)).toMatch(
      /^export\/users\.json: warning GRAPH_NOT_AN_OBJECT: value\[1\]: the item is a number \(42\), not a user/,
    );
    expect(userOf(r.tenant, BOB).location.position).toEqual({ line: 11, column: 5 });
    const plain = read({ ...baseExport(), 'users.json': [user(ADA, 'ada@contoso.com'), 'x'] });
    expect(only(plain, C.GRAPH_NOT_AN_OBJECT).message).toMatch(/^\[1\]: /);
  });

  it('errors when the last page still has @odata.nextLink: the users on the missing page would look deleted', () => {
    const r = read({
      ...baseExport(),
      'users.json': page([user(ADA, 'ada@contoso.com')], 'https://graph.microsoft.com/v1.0/users?$skiptoken=x'),
    });
    expect(r.tenant).toBeNull();
    const d = only(r, C.GRAPH_MISSING_PAGE);
    expect(d).toMatchObject({ severity: 'error', file: join(DIR, 'users.json') });
    expect(d.hint).toContain('users-2.json');
  });

  it('warns when a page without @odata.nextLink (Graph’s last) is followed by another page', () => {
    const r = read({
      ...baseExport(),
      'users.json': page([user(ADA, 'ada@contoso.com')]),
      'users-2.json': page([user(BOB, 'bob@contoso.com')]),
    });
    expect(said(r, C.GRAPH_PAGE_ORDER)).toEqual([
      "users.json: the page has no @odata.nextLink (Graph's last page), yet users-2.json follows it",
    ]);
    expect(r.tenant!.users).toHaveLength(2);
  });

  it('errors on a file that is not JSON (with line and column), an empty file, a saved Graph error, a non-page', () => {
    const r = read({
      ...baseExport(),
      'users.json': '{\n  "value": [\n    {"id": 1,}\n  ]\n}\n',
      'users-2.json': '  \n',
      'users-3.json': { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' } },
      'users-4.json': { id: ADA },
    });
    expect(r.tenant).toBeNull();
    expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.file, d.position])).toEqual([
      [C.GRAPH_SYNTAX, join(DIR, 'users.json'), { line: 3, column: 14 }],
      [C.GRAPH_NOT_A_PAGE, join(DIR, 'users-2.json'), undefined],
      [C.GRAPH_NOT_A_PAGE, join(DIR, 'users-3.json'), undefined],
      [C.GRAPH_NOT_A_PAGE, join(DIR, 'users-4.json'), undefined],
    ]);
    expect(said(r, C.GRAPH_NOT_A_PAGE)[1]).toContain('Authorization_RequestDenied: Insufficient privileges');
  });

  it('errors when the users, the service principal or the assignments are missing, or the app has no name', () => {
    const r = read({ 'groups.json': page([]) });
    expect(r.tenant).toBeNull();
    expect(said(r, C.GRAPH_MISSING_FILE).map((m) => m.slice(m.indexOf(': ') + 2))).toEqual([
      'the Graph export has no users pages (users.json, users-2.json, …)',
      'the Graph export has no servicePrincipal.json (the app and its roles)',
      'the Graph export has no appRoleAssignedTo pages (appRoleAssignedTo.json, …: who is assigned to the app)',
    ]);
    const noName = read({ ...baseExport(), 'servicePrincipal.json': { id: SP, appRoles: [] } });
    expect(noName.tenant).toBeNull();
    expect(only(noName, C.GRAPH_BAD_SERVICE_PRINCIPAL).severity).toBe('error');
  });

  it('reports a .json file that is not part of an export, and warns about a duplicate key', () => {
    const r = read({ ...baseExport(), 'devices.json': page([]), 'groups.json': '{"value": [], "value": []}' });
    expect(said(r, C.GRAPH_UNKNOWN_FILE)).toEqual(['devices.json: the file is not part of a Graph export and was not read']);
    expect(said(r, C.GRAPH_DUPLICATE_KEY)).toHaveLength(1);
    expect(r.tenant).not.toBeNull();
  });
});

describe('nothing is dropped silently: each item left out is reported with its file and index', () => {
  it('users that cannot be users: no id, a malformed id, no UPN, a malformed UPN, another kind of object', () => {
    const r = read({
      ...baseExport(),
      'users.json': page(
        [user(ADA, 'ada@contoso.com'), user(BOB, 'bob@contoso.com')],
        'https://graph.microsoft.com/v1.0/users?$skiptoken=x',
      ),
      'users-2.json': page([
        { userPrincipalName: 'noid@contoso.com' },
        user('not-a-guid', 'badid@contoso.com'),
        { id: CY, displayName: 'No UPN' },
        user(TEAM, 'two@signs@contoso.com'),
        member('device', DEVICE, { displayName: 'Kiosk' }),
      ]),
    });
    expect(r.diagnostics.map((d) => `${d.code} ${d.file}:${d.position?.line} ${d.message.split(':')[0]}`)).toEqual([
      `GRAPH_MISSING_KEY ${join(DIR, 'users-2.json')}:4 value[0]`,
      `GRAPH_INVALID_ID ${join(DIR, 'users-2.json')}:7 value[1].id`,
      `GRAPH_MISSING_KEY ${join(DIR, 'users-2.json')}:13 value[2]`,
      `GRAPH_INVALID_VALUE ${join(DIR, 'users-2.json')}:17 value[3].userPrincipalName`,
      `GRAPH_NOT_AN_OBJECT ${join(DIR, 'users-2.json')}:23 value[4]`,
    ]);
    expect(r.tenant!.users.map((u) => u.id)).toEqual([ADA, BOB]);
  });

  it('values that are not usable: wrong types, extra phones, a bad userType, a bad extension name, a truncated object', () => {
    const r = read({
      ...baseExport(),
      'users.json': page([
        user(ADA, 'ada@contoso.com', {
          mobilePhone: 42,
          businessPhones: ['+1 1', '+1 2'],
          otherMails: ['a@b.example', 7],
          userType: 'Contractor',
          extension_badname: 'x',
          employeeOrgData: 'Microsoft.Graph.PowerShell.Models.MicrosoftGraphEmployeeOrgData',
          accountEnabled: 'false',
          manager: 'bob@contoso.com',
        }),
        user(BOB, 'bob@contoso.com'),
      ]),
    });
    const byCode = (code: string): string[] => said(r, code);
    expect(byCode(C.GRAPH_UNUSABLE_VALUE)).toEqual([
      'users.json: value[0].accountEnabled: user "ada@contoso.com": `accountEnabled` is the string "false", not true or false; the user counts as enabled',
      'users.json: value[0].manager: user "ada@contoso.com": `manager` is the string "bob@contoso.com", not the manager object; the user was read without a manager',
      'users.json: value[0].mobilePhone: `mobilePhone` is a number (42), not a string; mobile was left out',
      'users.json: value[0].otherMails: `otherMails[1]` is a number (7), not a string; that entry was left out of otherMails',
      'users.json: value[0].employeeOrgData: `employeeOrgData` is the string "Microsoft.Graph.PowerShell.Models.MicrosoftGraphEmployeeO…", not an object; employeeOrgData.costCenter, employeeOrgData.division were left out',
    ]);
    expect(r.diagnostics.find((d) => d.message.includes('employeeOrgData` is'))!.hint).toContain('-Depth');
    expect(byCode(C.GRAPH_EXTRA_VALUES)).toEqual([
      `users.json: value[0].businessPhones: \`businessPhones\` has 2 values; Entra's telephoneNumber holds one, the first ("+1 1"), so "+1 2" was left out`,
    ]);
    expect(byCode(C.GRAPH_INVALID_VALUE)).toEqual([
      'users.json: value[0].userType: user "ada@contoso.com": userType "Contractor" is neither Member nor Guest; it was left out',
    ]);
    expect(byCode(C.GRAPH_BAD_EXTENSION_NAME)).toHaveLength(1);
    expect(userOf(r.tenant, ADA).attributes).toEqual({ displayName: 'ada', telephoneNumber: '+1 1', otherMails: ['a@b.example'] });
    expect(userOf(r.tenant, ADA).accountEnabled).toBe(true);
  });

  it('properties no source attribute reads: one warning per file naming each, with counts and the first item', () => {
    const r = read({
      ...baseExport(),
      'users.json': page([
        user(ADA, 'ada@contoso.com', { createdDateTime: '2020-01-01T00:00:00Z', ageGroup: null, imAddresses: [] }),
        user(BOB, 'bob@contoso.com', { createdDateTime: '2021-01-01T00:00:00Z', usageLocation: 'NO' }),
      ]),
    });
    expect(said(r, C.GRAPH_UNUSED_PROPERTY)).toEqual([
      'users.json: 2 properties that no Entra source attribute provsim models reads were left out: createdDateTime (value[0] and 1 more), usageLocation (value[1])',
    ]);
  });

  it('duplicates across pages: a repeated id, a repeated UPN (ignoring case), a group with a user’s id', () => {
    const r = read({
      ...baseExport(),
      'users.json': page([user(ADA, 'ada@contoso.com'), user(BOB, 'bob@contoso.com')], 'next'),
      'users-2.json': page([user(ADA, 'ada2@contoso.com'), user(CY, 'BOB@Contoso.com')]),
      'groups.json': page([group(BOB, 'Clash'), group(TEAM, 'Team')]),
    });
    expect(said(r, C.GRAPH_DUPLICATE_ID)).toEqual([
      'users-2.json: value[0]: user "ada2@contoso.com" has the id 11111111-1111-4111-8111-111111111111 of the user at users.json value[0]; this one was left out',
      'groups.json: value[0]: group "Clash" has the id 22222222-2222-4222-8222-222222222222 of the user at users.json value[1]; this one was left out',
    ]);
    expect(said(r, C.GRAPH_DUPLICATE_UPN)).toEqual([
      'users-2.json: value[1]: userPrincipalName BOB@Contoso.com is already the UPN of the user at users.json value[1]; this one was left out',
    ]);
    expect(r.tenant!.users.map((u) => u.userPrincipalName)).toEqual(['ada@contoso.com', 'bob@contoso.com']);
    expect(r.tenant!.groups.map((g) => g.displayName)).toEqual(['Team']);
  });

  it('managers that are not users of the export: not exported, a contact, the user themself, a group', () => {
    const r = read({
      ...baseExport(),
      'users.json': page([
        user(ADA, 'ada@contoso.com', { manager: member('user', OTHER) }),
        user(BOB, 'bob@contoso.com', { manager: member('orgContact', OTHER, { displayName: 'Supplier' }) }),
        user(CY, 'cy@contoso.com', { manager: member('user', CY) }),
        user(INNER, 'in@contoso.com', { manager: { id: TEAM } }),
      ]),
      'groups.json': page([group(TEAM, 'Team')]),
    });
    expect(said(r, C.GRAPH_UNRESOLVED_MANAGER)).toEqual([
      `users.json: value[0].manager: the manager of "ada@contoso.com", ${OTHER}, is not a user of the export (users*.json); the user was read without a manager`,
      `users.json: value[1].manager: user "bob@contoso.com": the manager ${OTHER} ("Supplier") is an organizational contact, not a user; the user was read without a manager`,
      `users.json: value[2].manager: the manager of "cy@contoso.com", ${CY}, is the user themself; the user was read without a manager`,
      `users.json: value[3].manager: the manager of "in@contoso.com", ${TEAM}, is a group; the user was read without a manager`,
    ]);
    expect(r.tenant!.users.every((u) => u.managerId === null)).toBe(true);
  });

  it('members: devices, service principals, contacts, unknown ids, untyped strangers, duplicates, self and cycles', () => {
    const r = read({
      ...baseExport(),
      'groups.json': page([group(TEAM, 'Team'), group(INNER, 'Inner')]),
      [`members-${TEAM}.json`]: page(
        [
          member('user', ADA),
          member('device', DEVICE, { displayName: 'KIOSK-01' }),
          member('servicePrincipal', SP, { displayName: 'Connector' }),
          member('group', INNER),
        ],
        'next',
      ),
      [`members-${TEAM}-2.json`]: page([
        member('orgContact', OTHER, { displayName: 'Supplier' }),
        member('user', CY, { userPrincipalName: 'cy@contoso.com' }),
        { id: OTHER },
        member('user', ADA),
        member('group', TEAM),
        { id: BOB },
      ]),
      [`members-${INNER}.json`]: page([member('group', TEAM)]),
    });
    const team = join(DIR, `members-${TEAM}.json`);
    const team2 = join(DIR, `members-${TEAM}-2.json`);
    const summary = r.diagnostics.map(
      (d) => `${d.code} ${d.file === team ? 'p1' : d.file === team2 ? 'p2' : 'inner'} ${d.message.split(':')[0]}`,
    );
    expect(summary).toEqual([
      'GRAPH_UNSUPPORTED_MEMBER p1 value[1]',
      'GRAPH_UNSUPPORTED_MEMBER p1 value[2]',
      'GRAPH_UNSUPPORTED_MEMBER p2 value[0]',
      'GRAPH_UNRESOLVED_MEMBER p2 value[1]',
      'GRAPH_UNRESOLVED_MEMBER p2 value[2]',
      'GRAPH_DUPLICATE_MEMBER p2 value[3]',
      'GRAPH_GROUP_CYCLE p2 value[4]',
      'GRAPH_GROUP_CYCLE inner value[0]',
    ]);
    expect(said(r, C.GRAPH_UNSUPPORTED_MEMBER)[0]).toContain('is a device; Entra provisions only users and groups as members');
    expect(said(r, C.GRAPH_GROUP_CYCLE)[1]).toContain('"Team" → "Inner" → "Team"');
    const groups = Object.fromEntries(r.tenant!.groups.map((g) => [g.displayName, g.memberIds]));
    // An untyped member that is a user of the export (BOB) is kept; the cycle's closing edge is removed.
    expect(groups).toEqual({ Team: [ADA, INNER, BOB], Inner: [] });
  });

  it('a members file for a group that is not exported, and an assigned group without a members file', () => {
    const r = read({
      ...baseExport(),
      'groups.json': page([group(TEAM, 'Team')]),
      [`members-${INNER}.json`]: page([member('user', ADA), member('user', BOB)]),
      'appRoleAssignedTo.json': page([assignment(TEAM, 'Group', ROLE_USER)]),
    });
    expect(said(r, C.GRAPH_UNKNOWN_GROUP)).toEqual([
      `members-${INNER}.json: the members of group ${INNER} were not read: the group is not in the groups pages (groups*.json) (2 members in this file)`,
    ]);
    expect(said(r, C.GRAPH_NO_MEMBERS_FILE)[0]).toContain(
      `value[0]: group "Team" is assigned to the app, but the export has no members-${TEAM}.json`,
    );
  });

  it('assignments: to a service principal, of an unknown principal, role or type, to another app, twice', () => {
    const r = read({
      ...baseExport(),
      'servicePrincipal.json': servicePrincipal([...ROLES, { id: ROLE_MSIAM, displayName: 'Reader', value: null }]),
      'appRoleAssignedTo.json': page(
        [assignment(ADA, 'User', ROLE_USER), assignment(SP, 'ServicePrincipal', ROLE_ADMIN), assignment(OTHER, 'User', ROLE_USER)],
        'next',
      ),
      'appRoleAssignedTo-2.json': page([
        assignment(BOB, 'User', ROLE_MSIAM),
        assignment(BOB, 'User', ROLE_USER, { resourceId: OTHER }),
        assignment(ADA, 'User', ROLE_USER),
        assignment(BOB, 'Device', ROLE_USER),
        assignment(TEAM, 'Group', ROLE_USER),
      ]),
    });
    expect(r.diagnostics.map((d) => `${d.code} ${d.file?.slice(DIR.length + 1)} ${d.message.split(':')[0]}`)).toEqual([
      'GRAPH_BAD_ROLE servicePrincipal.json appRoles[2]',
      'GRAPH_SERVICE_PRINCIPAL_ASSIGNMENT appRoleAssignedTo.json value[1]',
      'GRAPH_UNRESOLVED_ASSIGNMENT appRoleAssignedTo.json value[2]',
      'GRAPH_UNKNOWN_ROLE appRoleAssignedTo-2.json value[0]',
      'GRAPH_OTHER_RESOURCE appRoleAssignedTo-2.json value[1]',
      'GRAPH_DUPLICATE_ASSIGNMENT appRoleAssignedTo-2.json value[2]',
      'GRAPH_UNRESOLVED_ASSIGNMENT appRoleAssignedTo-2.json value[3]',
      'GRAPH_UNRESOLVED_ASSIGNMENT appRoleAssignedTo-2.json value[4]',
    ]);
    expect(said(r, C.GRAPH_SERVICE_PRINCIPAL_ASSIGNMENT)[0]).toContain('not service principals');
    expect(r.tenant!.assignments.map((a) => a.principalId)).toEqual([ADA]);
  });

  it('warns when no user has accountEnabled (every user would count as enabled)', () => {
    const r = read({ ...baseExport(), 'users.json': page([{ id: ADA, userPrincipalName: 'ada@contoso.com' }]) });
    expect(only(r, C.GRAPH_NO_ACCOUNT_ENABLED).message).toContain('every user counts as enabled');
  });
});

describe('the fixture files written from the tenant', () => {
  const exported = (): Tenant => {
    const r = read({
      ...baseExport(),
      'users.json': page([
        user(ADA, 'ada@contoso.com', {
          displayName: 'Ada "Countess" Lovelace #1',
          businessPhones: ['+1 425 555 0100'],
          onPremisesExtensionAttributes: { extensionAttribute7: 'yes' },
          employeeOrgData: { costCenter: '0042' },
          otherMails: ['true', 'null'],
          [EXT]: 12,
        }),
        user(BOB, 'bob_fabrikam.com#EXT#@contoso.onmicrosoft.com', {
          accountEnabled: false,
          manager: member('user', ADA),
          userType: 'Guest',
        }),
        user(CY, 'zoë@contoso.com', { deletedDateTime: '2025-01-01T00:00:00Z', displayName: '  padded  ' }),
      ]),
      'groups.json': page([group(TEAM, 'Sales – EMEA: all'), group(INNER, 'Inner')]),
      [`members-${TEAM}.json`]: page([member('user', ADA), member('group', INNER)]),
      [`members-${INNER}.json`]: page([member('user', BOB)]),
      'servicePrincipal.json': servicePrincipal([...ROLES, { id: ROLE_MSIAM, displayName: 'Reader, limited', value: 'Reader: limited' }]),
      'appRoleAssignedTo.json': page([
        assignment(ADA, 'User', ROLE_ADMIN),
        assignment(BOB, 'User', ZERO),
        assignment(TEAM, 'Group', ROLE_MSIAM),
        assignment(CY, 'User', ROLE_USER),
      ]),
    });
    expect(r.diagnostics).toEqual([]);
    return r.tenant!;
  };
  const strip = (t: Tenant | null): unknown =>
    JSON.parse(JSON.stringify({ ...t, dir: undefined }, (key: string, value: unknown) => (key === 'location' ? undefined : value)));

  for (const format of ['yaml', 'json'] as const) {
    it(`${format}: the fixture loader reads back the same tenant (the JSON fast path too)`, () => {
      const tenant = exported();
      const files = serializeTenantFixtures(tenant, format, ['a header']);
      expect(files.map((f) => f.name)).toEqual([`users.${format}`, `groups.${format}`, `assignments.${format}`]);
      const text = (n: string) => ({ file: `t/${n}.${format}`, text: files.find((f) => f.name === `${n}.${format}`)!.text });
      const input = { dir: 't', users: text('users'), groups: text('groups'), assignments: text('assignments') };
      const parsed = parseTenant(input, { jsonFastPath: false });
      expect(parsed.diagnostics).toEqual([]);
      expect(strip(parsed.tenant)).toEqual(strip(tenant));
      if (format === 'json') expect(strip(readJsonTenant(input))).toEqual(strip(tenant));
      else expect(input.users.text.startsWith('# a header\n')).toBe(true);
    });
  }
});

describe('the fixture format accepts the attributes Graph exports add', () => {
  it('extensionAttribute1..15, employeeOrgData.*, employeeHireDate and employeeLeaveDateTime, in YAML and JSON', () => {
    const r = tenantOf({
      users: lines(
        '- id: 11111111-1111-4111-8111-111111111111',
        '  userPrincipalName: ada@contoso.com',
        '  extensionAttribute15: E15',
        '  employeeOrgData.costCenter: CC-1',
        '  employeeOrgData.division: Research',
        '  employeeHireDate: "2020-01-06T00:00:00Z"',
        '  employeeLeaveDateTime: "2030-01-06T00:00:00Z"',
      ),
    });
    expect(r.diagnostics).toEqual([]);
    expect(r.tenant!.users[0]!.attributes).toEqual({
      extensionAttribute15: 'E15',
      'employeeOrgData.costCenter': 'CC-1',
      'employeeOrgData.division': 'Research',
      employeeHireDate: '2020-01-06T00:00:00Z',
      employeeLeaveDateTime: '2030-01-06T00:00:00Z',
    });
    for (const name of ['extensionAttribute1', 'extensionAttribute15', 'employeeOrgData.division', 'employeeLeaveDateTime'])
      expect(isSourceAttribute('user', name), name).toBe(true);
    expect(isSourceAttribute('user', 'extensionAttribute16')).toBe(false);
  });
});

describe('on disk', () => {
  const EXPORT = resolve(import.meta.dirname, '..', 'fixtures', 'graph-export');
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'provsim-graph-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loadTenant reads the committed export as a Graph export, with its drops reported', async () => {
    const { tenant, diagnostics } = await loadTenant(EXPORT);
    expect(diagnostics.every((d) => d.severity === 'warning')).toBe(true);
    expect(tenant!.users).toHaveLength(11);
    expect(tenant!.groups.map((g) => g.displayName)).toEqual(['Sales – EMEA', 'Sales Interns', 'Finance Systems', 'All Staff']);
    expect(tenant!.assignments).toHaveLength(7);
    expect(diagnostics.map((d) => `${d.code} ${d.file!.slice(EXPORT.length + 1)}:${d.position?.line} ${d.message.split(':')[0]}`)).toEqual([
      'GRAPH_UNUSED_PROPERTY users.json:4 a property that no Entra source attribute provsim models reads was left out',
      'GRAPH_UNUSED_PROPERTY users-2.json:4 a property that no Entra source attribute provsim models reads was left out',
      'GRAPH_UNUSED_PROPERTY users-3.json:4 a property that no Entra source attribute provsim models reads was left out',
      'GRAPH_UNRESOLVED_MANAGER users-3.json:4 value[0].manager',
      'GRAPH_UNUSED_PROPERTY groups.json:4 8 properties that no Entra source attribute provsim models reads were left out',
      'GRAPH_SERVICE_PRINCIPAL_ASSIGNMENT appRoleAssignedTo-2.json:37 value[3]',
      'GRAPH_UNSUPPORTED_MEMBER members-26712809-1793-4e95-9af7-c276ace92a7f.json:36 value[2]',
      'GRAPH_UNSUPPORTED_MEMBER members-26712809-1793-4e95-9af7-c276ace92a7f-2.json:20 value[1]',
      'GRAPH_UNSUPPORTED_MEMBER members-693576cc-e527-4aec-9261-359b5d0186b3.json:52 value[3]',
      'GRAPH_UNRESOLVED_MEMBER members-693576cc-e527-4aec-9261-359b5d0186b3.json:63 value[4]',
    ]);
  });

  it('reads a UTF-16 LE file (Windows PowerShell 5.1 Out-File) and a UTF-8 file with a BOM', async () => {
    await cp(EXPORT, dir, { recursive: true });
    const users = await readFile(join(dir, 'users.json'), 'utf8');
    await writeFile(join(dir, 'users.json'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(users, 'utf16le')]));
    const groups = await readFile(join(dir, 'groups.json'), 'utf8');
    await writeFile(join(dir, 'groups.json'), '\uFEFF' + groups);
    const a = await loadGraphExport(dir, { maxFileBytes: MAX_FIXTURE_FILE_BYTES });
    const b = await loadGraphExport(EXPORT, { maxFileBytes: MAX_FIXTURE_FILE_BYTES });
    expect(a.tenant!.users.map((u) => u.attributes)).toEqual(b.tenant!.users.map((u) => u.attributes));
    expect(a.tenant!.groups).toHaveLength(4);
    expect(decodeText(Buffer.from([0xfe, 0xff, 0x00, 0x41, 0x00, 0xe9]))).toBe('Aé');
  });

  it('reports a file over the size cap and an unreadable page as errors, naming the file', async () => {
    await cp(EXPORT, dir, { recursive: true });
    await mkdir(join(dir, 'users-4.json'));
    const r = await loadGraphExport(dir, { maxFileBytes: 4000 });
    expect(r.tenant).toBeNull();
    const failed = r.diagnostics.filter((d) => d.code === C.GRAPH_READ_FAILED).map((d) => `${d.file!.slice(dir.length + 1)}: ${d.message}`);
    expect(failed).toContain('users-4.json: cannot read users-4.json: it is a directory; the items of this file are missing');
    expect(failed.some((m) => m.startsWith('users.json: cannot read users.json: it is ') && m.includes('more than the'))).toBe(true);
  });

  it('loadTenant refuses a directory holding both a fixture tenant and a Graph export', async () => {
    await cp(EXPORT, dir, { recursive: true });
    await writeFile(join(dir, 'users.yaml'), '[]\n');
    await writeFile(join(dir, 'assignments.yaml'), 'app: {name: A}\nassignments: []\n');
    const { tenant, diagnostics } = await loadTenant(dir);
    expect(tenant).toBeNull();
    expect(diagnostics.map((d) => d.code)).toEqual([C.GRAPH_MIXED_DIRECTORY]);
    expect(diagnostics[0]!.message).toMatch(
      /\(assignments\.yaml, groups\.json, users\.json, users\.yaml\) and files of a Microsoft Graph export \(appRoleAssignedTo-2\.json, .*, and 5 more\)/,
    );
  });

  it('loadTenant still reads a fixture tenant written as users.json and assignments.json', async () => {
    const files = serializeTenantFixtures((await loadTenant(EXPORT)).tenant!, 'json');
    for (const f of files) await writeFile(join(dir, f.name), f.text);
    const { tenant, diagnostics } = await loadTenant(dir);
    expect(diagnostics).toEqual([]);
    expect(tenant!.users).toHaveLength(11);
    expect(tenant!.users[0]!.location.file).toBe(join(dir, 'users.json'));
  });
});

describe('an export that would make an empty tenant is an error, not a tenant to sync', () => {
  it('errors when no user can be used: every user lacks userPrincipalName (the $select forgot it)', () => {
    const r = read({
      ...baseExport(),
      'users.json': page([
        { id: ADA, displayName: 'Ada', accountEnabled: true },
        { id: BOB, displayName: 'Bob', accountEnabled: true },
      ]),
    });
    expect(r.tenant).toBeNull();
    const d = only(r, C.GRAPH_NO_USERS);
    expect(d).toMatchObject({ severity: 'error', file: join(DIR, 'users.json') });
    expect(d.message).toContain('none of the 2 users in the users pages can be used');
    expect(d.message).toContain('deprovision');
    expect(d.hint).toContain("check the export's $select includes id and userPrincipalName");
    expect(d.message).not.toContain('Ada');
    // Each user is still reported on its own; the assignments are not reported a second time as an error.
    expect(r.diagnostics.filter((x) => x.code === C.GRAPH_MISSING_KEY)).toHaveLength(2);
    expect(r.diagnostics.filter((x) => x.code === C.GRAPH_NO_ASSIGNMENTS)).toEqual([]);
  });

  it('errors when the users pages hold no users at all ({"value": []})', () => {
    const r = read({ ...baseExport(), 'users.json': page([]), 'users-2.json': [] });
    expect(r.tenant).toBeNull();
    const d = only(r, C.GRAPH_NO_USERS);
    expect(d.message).toContain('the users pages (users.json, users-2.json) hold no users');
    expect(d.hint).toContain('$filter');
  });

  it('errors when the appRoleAssignedTo pages had assignments but every one was left out', () => {
    const r = read({
      ...baseExport(),
      'appRoleAssignedTo.json': page([assignment(ADA, 'User', OTHER), assignment(CY, 'User', ROLE_USER)]),
      'appRoleAssignedTo-2.json': page([assignment(SP, 'ServicePrincipal', ROLE_USER)]),
    });
    expect(r.tenant).toBeNull();
    const d = only(r, C.GRAPH_NO_ASSIGNMENTS);
    expect(d).toMatchObject({ severity: 'error', file: join(DIR, 'appRoleAssignedTo.json') });
    expect(d.message).toContain('none of the 2 assignments of users and groups');
    expect(d.hint).toContain('servicePrincipal.json');
    expect(r.diagnostics.filter((x) => x.code === C.GRAPH_UNKNOWN_ROLE || x.code === C.GRAPH_UNRESOLVED_ASSIGNMENT)).toHaveLength(2);
  });

  it('still reads an app nobody is assigned to, or only service principals are', () => {
    expect(read({ ...baseExport(), 'appRoleAssignedTo.json': page([]) }).tenant!.assignments).toEqual([]);
    const sp = read({ ...baseExport(), 'appRoleAssignedTo.json': page([assignment(SP, 'ServicePrincipal', ROLE_USER)]) });
    expect(sp.tenant!.assignments).toEqual([]);
    expect(sp.diagnostics.map((d) => d.code)).toEqual([C.GRAPH_SERVICE_PRINCIPAL_ASSIGNMENT]);
  });
});

describe('directory extension numbers', () => {
  const BIG = 'extension_0123456789abcdef0123456789abcdef_badge';
  const LIST = 'extension_0123456789abcdef0123456789abcdef_codes';
  const PI = 'extension_0123456789abcdef0123456789abcdef_ratio';
  it('warns, without the value, when a number may have lost digits in JSON, and keeps the user and the value', () => {
    const r = read({
      ...baseExport(),
      'users.json': [
        `{"value": [{"id": "${ADA}", "userPrincipalName": "ada@contoso.com", "accountEnabled": true,`,
        `  "${BIG}": 9007199254740993, "${LIST}": [7, 12345678901234567890, 1e21],`,
        `  "${PI}": 0.30000000000000004, "extension_0123456789abcdef0123456789abcdef_fine": 3.25,`,
        `  "extension_0123456789abcdef0123456789abcdef_level": 9007199254740991}]}`,
      ].join('\n'),
    });
    const found = r.diagnostics.filter((d) => d.code === C.GRAPH_IMPRECISE_NUMBER);
    expect(found.map((d) => [d.severity, d.file, d.position, d.message.slice(0, d.message.indexOf(': '))])).toEqual([
      ['warning', join(DIR, 'users.json'), { line: 1, column: 12 }, `value[0].${BIG}`],
      ['warning', join(DIR, 'users.json'), { line: 1, column: 12 }, `value[0].${LIST}[1]`],
      ['warning', join(DIR, 'users.json'), { line: 1, column: 12 }, `value[0].${LIST}[2]`],
      ['warning', join(DIR, 'users.json'), { line: 1, column: 12 }, `value[0].${PI}`],
    ]);
    expect(found[0]!.message).toContain('may have lost digits');
    expect(found[0]!.hint).toContain('as a string');
    for (const d of found) expect(d.message).not.toMatch(/9007199|12345678901|e\+21|0\.30/);
    expect(userOf(r.tenant, ADA).attributes).toMatchObject({
      [BIG]: '9007199254740992',
      [LIST]: ['7', '12345678901234567000', '1e+21'],
      extension_0123456789abcdef0123456789abcdef_fine: '3.25',
      extension_0123456789abcdef0123456789abcdef_level: '9007199254740991',
    });
  });
});

describe('a file that is not JSON: the message never quotes the file', () => {
  it('cuts V8’s “Unexpected token” message after the token, and locates it', () => {
    const line2 = `  {"id": "${ADA}", "userPrincipalName": "ada@contoso.com", "mobilePhone":+47 915 00 101}`;
    const r = read({ ...baseExport(), 'users.json': `{"value": [\n${line2}\n]}\n` });
    const d = only(r, C.GRAPH_SYNTAX);
    expect(d.message).toMatch(/^the file is not JSON \(Unexpected token '\+'\); it should hold the response of /);
    expect(d.message).not.toMatch(/915|ilePhone|ada@|is not valid JSON/);
    expect(d.position).toEqual({ line: 2, column: line2.indexOf('+') + 1 });
  });

  it('an astral character (an emoji) as the token is cut as well, named by its code point', () => {
    const text = `{"value": [{"displayName": "Åsa Lindqvist", "mood": 😀, "note": "private"}]}`;
    const r = read({ ...baseExport(), 'users.json': text });
    const d = only(r, C.GRAPH_SYNTAX);
    expect(d.message).toMatch(/^the file is not JSON \(Unexpected token U\+1F600\); /);
    expect(d.message).not.toMatch(/Åsa|private|is not valid JSON|"/);
    expect(d.position).toEqual({ line: 1, column: text.indexOf('😀') + 1 });
  });

  it('keeps V8’s positioned messages, without the position text, at line and column', () => {
    const r = read({ ...baseExport(), 'users.json': '{"value": [\n  {"id": "x" "secret"}\n]}' });
    const d = only(r, C.GRAPH_SYNTAX);
    expect(d.message).toMatch(/^the file is not JSON \(Expected ',' or '}' after property value\); /);
    expect(d.position).toEqual({ line: 2, column: 14 });
  });
});

describe('firstSyntaxErrorOffset (where V8 gives no position)', () => {
  it('agrees with JSON.parse on what is JSON, points at V8’s unexpected token, and needs no stack for deep nesting', () => {
    const random = seededRandom(7);
    const base = JSON.stringify(
      { value: [{ id: 'a\u00e9"b', n: -1.5e3, t: true, f: false, z: null, l: [1, [2, {}], []], e: '\\u00e9\n' }] },
      null,
      1,
    );
    const pieces = ['{', '}', '[', ']', ',', ':', '"', '\\', 'x', '1', '-', '.', 'e', ' ', 't', 'n', '\u0001', '😀', '+', "'"];
    const pick = (n: number): number => Math.floor(random.next() * n);
    for (let k = 0; k < 3000; k++) {
      let text = base;
      for (let j = 0; j <= k % 3; j++) {
        const at = pick(text.length + 1);
        const c = pieces[pick(pieces.length)]!;
        const op = pick(3);
        text = text.slice(0, at) + (op === 1 ? '' : c) + text.slice(op === 0 ? at : at + 1);
      }
      let message: string | null = null;
      try {
        JSON.parse(text);
      } catch (e) {
        message = (e as Error).message;
      }
      const offset = firstSyntaxErrorOffset(text);
      expect(offset === undefined, JSON.stringify(text)).toBe(message === null);
      const token = message === null ? null : /^Unexpected token '([\s\S]{1,2}?)'/u.exec(message);
      if (token) expect(text[offset!], JSON.stringify(text)).toBe(token[1]![0]);
    }
    expect(firstSyntaxErrorOffset('['.repeat(200_000) + ']'.repeat(200_000))).toBeUndefined();
    expect(firstSyntaxErrorOffset('{"a": [1, 2')).toBe(11);
  });
});

describe('what is a Graph export: only the files only an export has', () => {
  it('is a Graph export with servicePrincipal.json or appRoleAssignedTo pages, and not for users*.json alone', () => {
    expect(isGraphExportListing(['users.json', 'groups.json'])).toBe(false);
    expect(isGraphExportListing(['users.json', 'users-2.json'])).toBe(false);
    expect(isGraphExportListing(['users.json', 'appRoleAssignedTo.json'])).toBe(true);
    expect(isGraphExportListing(['users.json', 'groups.json', 'assignments.json', 'users.backup.json', 'groups-old.json'])).toBe(false);
    expect(
      mixedListingDiagnostic('t', ['users.json', 'groups.json', 'assignments.json', 'users.backup.json', 'groups-old.json']),
    ).toBeNull();
    expect(mixedListingDiagnostic('t', ['users.yaml', 'assignments.yaml', `members-${TEAM}.json`, 'users-2.json'])).toBeNull();
    expect(mixedListingDiagnostic('t', ['users.json', 'assignments.json', 'appRoleAssignedTo.json'])).toMatchObject({
      code: C.GRAPH_MIXED_DIRECTORY,
    });
  });

  describe('on disk', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'provsim-graph-'));
    });
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('a .json fixture directory without assignments.json is reported by the fixture loader, not as a broken export', async () => {
      await writeFile(join(dir, 'users.json'), JSON.stringify([{ id: ADA, userPrincipalName: 'ada@contoso.com' }]));
      await writeFile(join(dir, 'groups.json'), '[]');
      const { tenant, diagnostics } = await loadTenant(dir);
      expect(tenant).toBeNull();
      expect(diagnostics.map((d) => d.code)).toEqual(['FIXTURE_MISSING_FILE']);
      expect(diagnostics[0]!.message).toContain('assignments');
    });

    it('a fixture directory with stray users.backup.json and groups-old.json loads as before', async () => {
      const files = serializeTenantFixtures(read(baseExport()).tenant!, 'json');
      for (const f of files) await writeFile(join(dir, f.name), f.text);
      await writeFile(join(dir, 'users.backup.json'), '[]');
      await writeFile(join(dir, 'groups-old.json'), '[]');
      const { tenant, diagnostics } = await loadTenant(dir);
      expect(diagnostics).toEqual([]);
      expect(tenant!.users.map((u) => u.id)).toEqual([ADA, BOB]);
    });
  });
});
