import { describe, expect, it } from 'vitest';
import { FIXTURE_CODES } from '../../src/source/fixture-codes.js';
import { DEFAULT_ACCESS_ROLE } from '../../src/model/directory.js';
import { ADA, BOB, GROUP, ROLE_ADMIN, ROLE_USER, VALID_ASSIGNMENTS, codes, lines, tenantOf, where } from './helpers.js';

const G2 = '44444444-4444-4444-8444-444444444444';

describe('parseTenant: a valid tenant', () => {
  it('converts values the way Entra sees them', () => {
    const { tenant, diagnostics } = tenantOf({
      users: lines(
        `- id: ${ADA.toUpperCase()}`,
        '  userPrincipalName: ada@contoso.com',
        '  displayName: Ada Lovelace',
        '  postalCode: 02134',
        '  employeeId: 42',
        '  companyName: true',
        '  mobile: null',
        '  otherMails: [ada@home.example, 7]',
        '  extension_0123456789abcdef0123456789ABCDEF_costCenter: [CC-1, CC-2]',
        '  softDeleted: true',
        `- id: ${BOB}`,
        '  userPrincipalName: bob@contoso.com',
        '  accountEnabled: false',
        '  manager: ADA@contoso.com',
      ),
    });
    expect(diagnostics).toEqual([]);
    const [ada, bob] = tenant!.users;
    expect(ada).toMatchObject({ id: ADA, accountEnabled: true, softDeleted: true, managerId: null });
    expect(ada!.attributes).toEqual({
      displayName: 'Ada Lovelace',
      postalCode: '02134',
      employeeId: '42',
      companyName: 'True',
      otherMails: ['ada@home.example', '7'],
      extension_0123456789abcdef0123456789ABCDEF_costCenter: ['CC-1', 'CC-2'],
    });
    expect(ada!.location).toEqual({ file: 't/users.yaml', position: { line: 1, column: 3 } });
    expect(bob).toMatchObject({ id: BOB, accountEnabled: false, managerId: ADA, attributes: {} });
  });

  it('resolves members, principals and roles by id, UPN, displayName or role displayName', () => {
    const { tenant, diagnostics } = tenantOf({
      groups: lines(
        `- id: ${GROUP}`,
        '  displayName: Team',
        '  description: The team',
        `  members: [bob@contoso.com, ${ADA}, ${G2}]`,
        `- id: ${G2}`,
        '  displayName: Inner',
      ),
      assignments: lines(
        'app:',
        '  name: App',
        '  appRoles:',
        `    - {id: ${ROLE_USER}, value: User, displayName: Regular user}`,
        `    - {id: ${ROLE_ADMIN}, value: Admin, displayName: Administrator}`,
        'assignments:',
        '  - {principal: ada@contoso.com}',
        '  - {principal: team, role: Administrator}',
        `  - {principal: ${BOB}, role: User}`,
        '  - {principal: bob@contoso.com, role: Default Access}',
      ),
    });
    expect(diagnostics).toEqual([]);
    expect(tenant!.groups[0]).toMatchObject({
      id: GROUP,
      displayName: 'Team',
      memberIds: [BOB, ADA, G2],
      attributes: { description: 'The team' },
    });
    expect(tenant!.app).toEqual({
      name: 'App',
      appRoles: [
        { id: ROLE_USER, value: 'User', displayName: 'Regular user' },
        { id: ROLE_ADMIN, value: 'Admin', displayName: 'Administrator' },
      ],
    });
    expect(tenant!.assignments.map((a) => [a.principalKind, a.principalId, a.roleId])).toEqual([
      ['user', ADA, DEFAULT_ACCESS_ROLE.id],
      ['group', GROUP, ROLE_ADMIN],
      ['user', BOB, ROLE_USER],
      ['user', BOB, DEFAULT_ACCESS_ROLE.id],
    ]);
    expect(tenant!.assignments[1]!.location).toEqual({ file: 't/assignments.yaml', position: { line: 8, column: 5 } });
  });

  it('accepts JSON files', () => {
    const { tenant, diagnostics } = tenantOf({
      ext: 'json',
      users: `[{"id": "${ADA}", "userPrincipalName": "ada@contoso.com", "accountEnabled": false}]`,
      assignments: '{"app": {"name": "App"}, "assignments": [{"principal": "ada@contoso.com"}]}',
    });
    expect(diagnostics).toEqual([]);
    expect(tenant!.users[0]).toMatchObject({ id: ADA, accountEnabled: false });
    expect(tenant!.app).toEqual({ name: 'App', appRoles: [] });
  });

  it('keeps the tenant when there are only warnings (a member listed twice)', () => {
    const { tenant, diagnostics } = tenantOf({
      groups: lines(`- id: ${GROUP}`, '  displayName: Team', '  members:', '    - ada@contoso.com', `    - ${ADA}`),
    });
    expect(where(diagnostics, FIXTURE_CODES.FIXTURE_DUPLICATE_MEMBER)).toEqual(['t/groups.yaml:5:7']);
    expect(diagnostics[0]!.severity).toBe('warning');
    expect(tenant!.groups[0]!.memberIds).toEqual([ADA]);
  });
});

describe('parseTenant: files and shapes', () => {
  it('reports a missing required file by name, without a position', () => {
    const { tenant, diagnostics } = tenantOf({ users: null, assignments: null });
    expect(tenant).toBeNull();
    expect(diagnostics.map((d) => [d.code, d.file, d.position])).toEqual([
      ['FIXTURE_MISSING_FILE', 't/users.yaml', undefined],
      ['FIXTURE_MISSING_FILE', 't/assignments.yaml', undefined],
    ]);
  });

  it('does not require a groups file', () => {
    expect(tenantOf({}).diagnostics).toEqual([]);
  });

  it('reports malformed YAML at the parser position', () => {
    const { tenant, diagnostics } = tenantOf({ users: lines('- id: [1, 2', '  userPrincipalName: a@b') });
    expect(tenant).toBeNull();
    expect(where(diagnostics, 'FIXTURE_SYNTAX')).toEqual(['t/users.yaml:2:3']);
  });

  it('reports malformed JSON at the parser position', () => {
    const { diagnostics } = tenantOf({
      ext: 'json',
      users: `[{"id": "${ADA}", "userPrincipalName": ada}]`,
      assignments: '{"app": {"name": "App"}',
    });
    expect(where(diagnostics, 'FIXTURE_SYNTAX')).toEqual(['t/users.json:1:70', 't/assignments.json:1:24']);
  });

  it('reports a wrong top-level shape', () => {
    const { diagnostics } = tenantOf({ users: lines('users:', `  - id: ${ADA}`), assignments: lines('- principal: ada@contoso.com') });
    expect(where(diagnostics, 'FIXTURE_WRONG_SHAPE')).toEqual(['t/users.yaml:1:1', 't/assignments.yaml:1:1']);
  });

  it('reports an empty users file', () => {
    const { diagnostics } = tenantOf({ users: '# nobody\n' });
    expect(where(diagnostics, 'FIXTURE_WRONG_SHAPE')).toEqual(['t/users.yaml:1:1']);
  });
});

describe('parseTenant: entries', () => {
  it('reports unknown keys with a did-you-mean', () => {
    const { diagnostics } = tenantOf({
      users: lines(`- id: ${ADA}`, '  userPrincipalName: ada@contoso.com', '  surName: Lovelace', '  favouriteColour: blue'),
    });
    expect(where(diagnostics, 'FIXTURE_UNKNOWN_KEY')).toEqual(['t/users.yaml:3:3', 't/users.yaml:4:3']);
    expect(diagnostics[0]!.hint).toBe('did you mean `surname`?');
    expect(diagnostics[1]!.hint).toMatch(/^known keys: id, userPrincipalName/);
  });

  it('reports unknown keys in groups and assignments', () => {
    const { diagnostics } = tenantOf({
      groups: lines(`- id: ${GROUP}`, '  displayName: Team', '  member: [ada@contoso.com]'),
      assignments: lines('app: {name: App, roles: []}', 'assignments:', '  - {principal: ada@contoso.com, rol: User}'),
    });
    expect(where(diagnostics, 'FIXTURE_UNKNOWN_KEY')).toEqual(['t/groups.yaml:3:3', 't/assignments.yaml:1:18', 't/assignments.yaml:3:34']);
    expect(diagnostics.map((d) => d.hint)).toEqual(['did you mean `members`?', 'known keys: name, appRoles', 'did you mean `role`?']);
  });

  it('reports malformed extension attribute names', () => {
    const { diagnostics } = tenantOf({
      users: lines(`- id: ${ADA}`, '  userPrincipalName: ada@contoso.com', '  extension_1234_costCenter: CC-1'),
    });
    expect(where(diagnostics, 'FIXTURE_BAD_EXTENSION_NAME')).toEqual(['t/users.yaml:3:3']);
    expect(codes(diagnostics)).toEqual(['FIXTURE_BAD_EXTENSION_NAME']);
  });

  it('reports values of the wrong type', () => {
    const { diagnostics } = tenantOf({
      users: lines(
        `- id: ${ADA}`,
        '  userPrincipalName: ada@contoso.com',
        '  displayName: [Ada, Lovelace]',
        '  accountEnabled: "yes"',
        '  otherMails: ada@home.example',
        '  department: {name: R&D}',
        '  proxyAddresses: [[a]]',
      ),
    });
    expect(where(diagnostics, 'FIXTURE_WRONG_TYPE')).toEqual([
      't/users.yaml:3:16',
      't/users.yaml:4:19',
      't/users.yaml:5:15',
      't/users.yaml:6:15',
      't/users.yaml:7:20',
    ]);
    expect(diagnostics.find((d) => d.position?.line === 4)!.message).toBe(
      'users[0].accountEnabled must be true or false, found the string "yes"',
    );
    expect(diagnostics.find((d) => d.position?.line === 5)!.hint).toBe('write `otherMails: ["ada@home.example"]`');
  });

  it('reports missing id, userPrincipalName and group displayName at the entry', () => {
    const { diagnostics } = tenantOf({
      users: lines('- userPrincipalName: ada@contoso.com', '  displayName: Ada', `- id: ${BOB}`, '  displayName: Bob'),
      groups: lines(`- id: ${GROUP}`, '  members: [ada@contoso.com]'),
    });
    expect(where(diagnostics, 'FIXTURE_MISSING_KEY')).toEqual(['t/users.yaml:1:3', 't/users.yaml:3:3', 't/groups.yaml:1:3']);
    expect(diagnostics.map((d) => d.message)).toEqual([
      'users[0] has no `id`',
      'users[1] has no `userPrincipalName`',
      'groups[0] has no `displayName`',
    ]);
  });

  it('reports ids that are not GUIDs', () => {
    const { diagnostics } = tenantOf({
      users: lines('- id: not-a-guid', '  userPrincipalName: ada@contoso.com'),
      groups: lines('- id: 1234', '  displayName: Team'),
    });
    expect(where(diagnostics, 'FIXTURE_INVALID_ID')).toEqual(['t/users.yaml:1:7']);
    // A number is not even a string.
    expect(where(diagnostics, 'FIXTURE_WRONG_TYPE')).toEqual(['t/groups.yaml:1:7']);
  });

  it('reports an invalid UPN and userType', () => {
    const { diagnostics } = tenantOf({
      users: lines(`- id: ${ADA}`, '  userPrincipalName: ada', '  userType: member'),
      assignments: lines('app: {name: App}'),
    });
    expect(where(diagnostics, 'FIXTURE_INVALID_VALUE')).toEqual(['t/users.yaml:2:22', 't/users.yaml:3:13']);
  });

  it('collects every error instead of stopping at the first', () => {
    const { tenant, diagnostics } = tenantOf({
      users: lines('- id: nope', '  userPrincipalName: ada@contoso.com', '  surName: L', '  manager: nobody@contoso.com'),
    });
    expect(tenant).toBeNull();
    expect(codes(diagnostics)).toEqual(['FIXTURE_INVALID_ID', 'FIXTURE_UNKNOWN_KEY', 'FIXTURE_UNRESOLVED_REFERENCE']);
  });
});

describe('parseTenant: duplicates', () => {
  it('reports a duplicate id across users and groups, ignoring case', () => {
    const { diagnostics } = tenantOf({ groups: lines(`- id: ${ADA.toUpperCase()}`, '  displayName: Team') });
    expect(where(diagnostics, 'FIXTURE_DUPLICATE_ID')).toEqual(['t/groups.yaml:1:7']);
    expect(diagnostics[0]!.hint).toContain('first defined at t/users.yaml:1:7');
  });

  it('reports a duplicate UPN, ignoring case', () => {
    const { diagnostics } = tenantOf({
      users: lines(`- id: ${ADA}`, '  userPrincipalName: ada@contoso.com', `- id: ${BOB}`, '  userPrincipalName: ADA@Contoso.com'),
    });
    expect(where(diagnostics, 'FIXTURE_DUPLICATE_UPN')).toEqual(['t/users.yaml:4:22']);
  });

  it('reports a duplicate UPN that differs only in Unicode normalisation (é as one code point, or e + accent)', () => {
    const nfc = 'jos\u00e9@contoso.com';
    const nfd = 'jose\u0301@contoso.com';
    expect(nfc).not.toBe(nfd);
    const { diagnostics } = tenantOf({
      users: lines(`- id: ${ADA}`, `  userPrincipalName: ${nfc}`, `- id: ${BOB}`, `  userPrincipalName: ${nfd}`),
    });
    expect(where(diagnostics, 'FIXTURE_DUPLICATE_UPN')).toEqual(['t/users.yaml:4:22']);
  });

  it.each([
    ['a NUL', '\\0'],
    ['an escape code', '\\e[2J'],
    ['a carriage return', '\\r'],
  ])('refuses a UPN with %s in it', (_what, escaped) => {
    const { tenant, diagnostics } = tenantOf({ users: lines(`- id: ${ADA}`, `  userPrincipalName: "ada${escaped}@contoso.com"`) });
    expect(tenant).toBeNull();
    const d = diagnostics.find((x) => x.code === 'FIXTURE_INVALID_VALUE');
    expect(d?.position).toEqual({ line: 2, column: 22 });
    expect(d?.hint).toContain('no spaces or control characters');
  });

  it('reports duplicate app role ids and values', () => {
    const { diagnostics } = tenantOf({
      assignments: lines(
        'app:',
        '  name: App',
        '  appRoles:',
        `    - {id: ${ROLE_USER}, value: User, displayName: User}`,
        `    - {id: ${ROLE_USER}, value: Admin, displayName: Admin}`,
        `    - {id: ${ROLE_ADMIN}, value: User, displayName: User 2}`,
      ),
    });
    expect(where(diagnostics, 'FIXTURE_DUPLICATE_ID')).toEqual(['t/assignments.yaml:5:12']);
    expect(where(diagnostics, 'FIXTURE_DUPLICATE_ROLE')).toEqual(['t/assignments.yaml:6:57']);
  });

  it('reports a duplicate assignment', () => {
    const { diagnostics } = tenantOf({
      assignments: VALID_ASSIGNMENTS + lines(`  - {principal: ${ADA}}`),
    });
    expect(where(diagnostics, 'FIXTURE_DUPLICATE_ASSIGNMENT')).toEqual(['t/assignments.yaml:8:5']);
  });
});

describe('parseTenant: references', () => {
  it('reports a manager that resolves to nothing, with a did-you-mean', () => {
    const { diagnostics } = tenantOf({
      users: lines(
        `- id: ${ADA}`,
        '  userPrincipalName: ada@contoso.com',
        '  manager: bobb@contoso.com',
        `- id: ${BOB}`,
        '  userPrincipalName: bob@contoso.com',
      ),
    });
    expect(where(diagnostics, 'FIXTURE_UNRESOLVED_REFERENCE')).toEqual(['t/users.yaml:3:12']);
    expect(diagnostics[0]!.hint).toBe('did you mean bob@contoso.com?');
  });

  it('reports a manager that is a group', () => {
    const { diagnostics } = tenantOf({
      users: lines(`- id: ${ADA}`, '  userPrincipalName: ada@contoso.com', `  manager: ${GROUP}`),
      groups: lines(`- id: ${GROUP}`, '  displayName: Team'),
    });
    expect(where(diagnostics, 'FIXTURE_UNRESOLVED_REFERENCE')).toEqual(['t/users.yaml:3:12']);
    expect(diagnostics[0]!.message).toContain('is a group');
  });

  it('reports a user who is their own manager (by id or UPN)', () => {
    const { diagnostics } = tenantOf({
      users: lines(
        `- id: ${ADA}`,
        '  userPrincipalName: ada@contoso.com',
        `  manager: ${ADA}`,
        `- id: ${BOB}`,
        '  userPrincipalName: bob@contoso.com',
        '  manager: BOB@contoso.com',
      ),
    });
    expect(where(diagnostics, 'FIXTURE_SELF_MANAGER')).toEqual(['t/users.yaml:3:12', 't/users.yaml:6:12']);
  });

  it('reports a group member that resolves to nothing, and one given by group name', () => {
    const { diagnostics } = tenantOf({
      groups: lines(
        `- id: ${GROUP}`,
        '  displayName: Team',
        '  members:',
        '    - ada@contoso.com',
        '    - carol@contoso.com',
        '    - Inner',
        `- id: ${G2}`,
        '  displayName: Inner',
      ),
    });
    expect(where(diagnostics, 'FIXTURE_UNRESOLVED_REFERENCE')).toEqual(['t/groups.yaml:5:7', 't/groups.yaml:6:7']);
    expect(diagnostics[1]!.hint).toBe(`refer to the group by its id: ${G2}`);
  });

  it('reports a group that contains itself', () => {
    const { diagnostics } = tenantOf({ groups: lines(`- id: ${GROUP}`, '  displayName: Team', `  members: [ada@contoso.com, ${GROUP}]`) });
    expect(where(diagnostics, 'FIXTURE_GROUP_CYCLE')).toEqual(['t/groups.yaml:3:30']);
    expect(diagnostics[0]!.message).toBe('group "Team" contains itself');
  });

  it('reports a group that contains itself through a nested group, once', () => {
    const { diagnostics } = tenantOf({
      groups: lines(
        `- id: ${GROUP}`,
        '  displayName: Outer',
        `  members: [${G2}]`,
        `- id: ${G2}`,
        '  displayName: Inner',
        `  members: [${GROUP}]`,
      ),
    });
    expect(where(diagnostics, 'FIXTURE_GROUP_CYCLE')).toEqual(['t/groups.yaml:6:13']);
    expect(diagnostics[0]!.message).toBe('group "Outer" contains itself through nested groups: Outer → Inner → Outer');
  });

  it('reports a principal that resolves to nothing', () => {
    const { diagnostics } = tenantOf({ assignments: VALID_ASSIGNMENTS + lines('  - {principal: carol@contoso.com}') });
    expect(where(diagnostics, 'FIXTURE_UNRESOLVED_REFERENCE')).toEqual(['t/assignments.yaml:8:17']);
  });

  it('reports a principal naming several groups', () => {
    const { diagnostics } = tenantOf({
      groups: lines(`- id: ${GROUP}`, '  displayName: Team', `- id: ${G2}`, '  displayName: Team'),
      assignments: VALID_ASSIGNMENTS + lines('  - {principal: Team}'),
    });
    expect(where(diagnostics, 'FIXTURE_AMBIGUOUS_REFERENCE')).toEqual(['t/assignments.yaml:8:17']);
  });

  it('reports a role the app does not define, with a did-you-mean over role values', () => {
    const { diagnostics } = tenantOf({ assignments: VALID_ASSIGNMENTS + lines('  - {principal: bob@contoso.com, role: Usr}') });
    expect(where(diagnostics, 'FIXTURE_UNKNOWN_ROLE')).toEqual(['t/assignments.yaml:8:40']);
    expect(diagnostics[0]!.hint).toBe('did you mean `User`?');
  });
});
