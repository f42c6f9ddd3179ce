/**
 * Every request example of spec §1, reproduced by the real engine and pinned on the wire with nock:
 * method, path and query (form-encoded, as Entra sends it), headers and a body deep-equal to the documented
 * one; per dialect where they differ (§1.14).
 */
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultQuirks } from '../../src/scim/quirks.js';
import { emptyFilters, fakeTarget, job, list, tenant, TOKEN, WireRun, writes, LIST_EMPTY } from './scenario.js';

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
let run: WireRun;

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  nock.cleanAll();
  run?.close();
});

const assigned = (...principals: string[]) =>
  `app: {name: App, appRoles: []}\nassignments:\n${principals.map((p) => `  - {principal: ${p}}`).join('\n')}\n`;

/** The doc examples' user: userName is mapped from mailNickname so it can be the documented Test_User_… */
const DOC_USER = `- id: 0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef
  userPrincipalName: test.user@testuser.com
  mailNickname: Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee
  mail: Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com
  givenName: givenName
  surname: familyName
`;
const USER_MAPPING = (extra = '', dialectRows = '') => `users:
  attributes:
    - {target: externalId, source: objectId}
    - {target: userName, source: mailNickname, match: 1}
    - {target: active, expression: 'Switch([IsSoftDeleted], , "False", "True", "True", "False")'}
    - {target: 'emails[type eq "work"].value', source: mail}
    - {target: name.formatted, expression: 'Join(" ", [givenName], [surname])'}
    - {target: name.familyName, source: surname}
    - {target: name.givenName, source: givenName}
${extra}${dialectRows}groups:
  attributes:
    - {target: externalId, source: objectId}
    - {target: displayName, source: displayName, match: 1}
    - {target: members, source: members}
`;

describe('§1.2 connection probe and §1.3 match by filter', () => {
  it('GET /Users?filter=userName eq "<random GUID>" then the matching filter, form-encoded, with the bearer token', async () => {
    run = new WireRun();
    const captured = fakeTarget([
      emptyFilters,
      (r) => (r.method === 'POST' ? [201, { ...(r.body as object), id: '2441309d85324e7793ae' }] : undefined),
    ]);
    await run.cycle(tenant(DOC_USER, assigned('test.user@testuser.com')), job(USER_MAPPING()));
    expect(captured[0]!.method).toBe('GET');
    expect(captured[0]!.path).toMatch(
      /^\/scim\/Users\?filter=userName\+eq\+%22[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}%22$/,
    );
    expect(captured[1]!.path).toBe('/scim/Users?filter=userName+eq+%22Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee%22');
    for (const c of captured) expect(c.headers['authorization']).toBe(`Bearer ${TOKEN}`);
  });
});

describe('§1.5 create user', () => {
  it('POST /Users with the documented body', async () => {
    run = new WireRun();
    const captured = fakeTarget([
      emptyFilters,
      (r) => (r.method === 'POST' ? [201, { ...(r.body as object), id: '2441309d85324e7793ae' }] : undefined),
    ]);
    // The documented sample carries `"roles": []`, which captured traffic does not (quirk emptyRolesOnCreate).
    const result = await run.cycle(tenant(DOC_USER, assigned('test.user@testuser.com')), job(USER_MAPPING()), {
      quirks: { ...defaultQuirks('legacy'), emptyRolesOnCreate: true },
    });
    expect(result.status).toBe('succeeded');
    const [post] = writes(captured);
    expect(post!.path).toBe('/scim/Users');
    expect(post!.headers['content-type']).toBe('application/scim+json; charset=utf-8');
    expect(post!.body).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'],
      externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
      userName: 'Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee',
      active: true,
      emails: [{ primary: true, type: 'work', value: 'Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com' }],
      meta: { resourceType: 'User' },
      name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
      roles: [],
    });
  });
});

/** A target user as a server returns it, for the update examples. */
const targetUser = (over: Record<string, unknown> = {}) => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  id: '6764549bef60420686bc',
  externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
  userName: 'Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee',
  active: true,
  emails: [{ type: 'work', value: 'old@testuser.com', primary: true }],
  name: { formatted: 'givenName familyName', familyName: 'oldFamilyName', givenName: 'givenName' },
  ...over,
});

describe('§1.6 update user (legacy dialect)', () => {
  it('PATCH with one capitalised Replace per changed attribute, in mapping order', async () => {
    run = new WireRun();
    const user = DOC_USER.replace(
      'mail: Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com',
      'mail: updatedEmail@microsoft.com',
    ).replace('surname: familyName', 'surname: updatedFamilyName');
    const mapping = USER_MAPPING().replace(`    - {target: name.formatted, expression: 'Join(" ", [givenName], [surname])'}\n`, '');
    const captured = fakeTarget([
      (r) => (r.method === 'GET' && r.path.includes('Test_User_00aa') ? [200, list([targetUser()])] : undefined),
      emptyFilters,
      (r) => (r.method === 'PATCH' ? [200, {}] : undefined),
    ]);
    await run.cycle(tenant(user, assigned('test.user@testuser.com')), job(mapping));
    const [patch] = writes(captured);
    expect(patch!.path).toBe('/scim/Users/6764549bef60420686bc');
    expect(patch!.body).toEqual({
      schemas: [PATCH_OP],
      Operations: [
        { op: 'Replace', path: 'emails[type eq "work"].value', value: 'updatedEmail@microsoft.com' },
        { op: 'Replace', path: 'name.familyName', value: 'updatedFamilyName' },
      ],
    });
  });

  it('a changed userName of a linked user: {"op":"Replace","path":"userName",…} (incremental cycle, by cached id)', async () => {
    run = new WireRun();
    const captured = fakeTarget([
      emptyFilters,
      (r) => (r.method === 'POST' ? [201, { ...(r.body as object), id: '6764549bef60420686bc' }] : undefined),
      (r) => (r.method === 'PATCH' ? [204] : undefined),
    ]);
    await run.cycle(tenant(DOC_USER, assigned('test.user@testuser.com')), job(USER_MAPPING()));
    const renamed = DOC_USER.replace(
      'mailNickname: Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee',
      'mailNickname: 5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com',
    );
    const second = await run.cycle(tenant(renamed, assigned('test.user@testuser.com')), job(USER_MAPPING()));
    expect(second.kind).toBe('incremental');
    const patch = writes(captured).at(-1)!;
    expect(patch.path).toBe('/scim/Users/6764549bef60420686bc');
    expect(patch.body).toEqual({
      schemas: [PATCH_OP],
      Operations: [{ op: 'Replace', path: 'userName', value: '5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com' }],
    });
  });

  it('Add where the target has no value, Replace where it differs (the laravel-scim-server trace)', async () => {
    run = new WireRun();
    const user = DOC_USER.replace(
      'mail: Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com',
      'mail: AdeleV2@contoso.onmicrosoft.com\n  physicalDeliveryOfficeName: "18/2111"\n  department: Retail',
    );
    const extra = `    - {target: 'addresses[type eq "work"].formatted', source: physicalDeliveryOfficeName}\n    - {target: '${ENTERPRISE}:department', source: department}\n`;
    const mapping = USER_MAPPING(extra)
      .replace(`    - {target: name.formatted, expression: 'Join(" ", [givenName], [surname])'}\n`, '')
      .replace('    - {target: name.familyName, source: surname}\n', '');
    const existing = targetUser({ name: { givenName: 'givenName' }, addresses: [{ type: 'work', formatted: '18/2110' }] });
    const captured = fakeTarget([
      (r) => (r.method === 'GET' && r.path.includes('Test_User_00aa') ? [200, list([existing])] : undefined),
      emptyFilters,
      (r) => (r.method === 'PATCH' ? [200, {}] : undefined),
    ]);
    await run.cycle(tenant(user, assigned('test.user@testuser.com')), job(mapping));
    expect(writes(captured)[0]!.body).toEqual({
      schemas: [PATCH_OP],
      Operations: [
        { op: 'Replace', path: 'emails[type eq "work"].value', value: 'AdeleV2@contoso.onmicrosoft.com' },
        { op: 'Replace', path: 'addresses[type eq "work"].formatted', value: '18/2111' },
        { op: 'Add', path: `${ENTERPRISE}:department`, value: 'Retail' },
      ],
    });
  });

  it('nothing is sent when values differ only in case (caseExact false), and is when caseExact is set', async () => {
    run = new WireRun();
    const upper = targetUser({
      emails: [{ type: 'work', value: 'TEST_USER_11BB11BB-CC22-DD33-EE44-55FF55FF55FF@TESTUSER.COM', primary: true }],
      name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
    });
    const captured = fakeTarget([
      (r) => (r.method === 'GET' && r.path.includes('Test_User_00aa') ? [200, list([upper])] : undefined),
      (r) => (r.method === 'GET' && r.path === '/scim/Users/6764549bef60420686bc' ? [200, upper] : undefined),
      emptyFilters,
      (r) => (r.method === 'PATCH' ? [204] : undefined),
    ]);
    const first = await run.cycle(tenant(DOC_USER, assigned('test.user@testuser.com')), job(USER_MAPPING()));
    expect(writes(captured)).toEqual([]);
    expect(first.log[0]).toMatchObject({ provisioningAction: 'Other', status: 'Skipped' });
    await run.cycle(
      tenant(DOC_USER, assigned('test.user@testuser.com')),
      job(USER_MAPPING().replace('source: mail}', 'source: mail, caseExact: true}')),
      { forceInitial: true },
    );
    expect(writes(captured)[0]!.body).toEqual({
      schemas: [PATCH_OP],
      Operations: [
        { op: 'Replace', path: 'emails[type eq "work"].value', value: 'Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com' },
      ],
    });
  });
});

describe('§1.7 manager', () => {
  const MANAGER = `- id: 11111111-1111-4111-8111-111111111111
  userPrincipalName: boss@testuser.com
  mailNickname: boss
`;
  const withManager = (manager: string) => `${DOC_USER}  manager: ${manager}\n${MANAGER}`;
  const mapping = USER_MAPPING(`    - {target: '${ENTERPRISE}:manager', source: manager}\n`);
  const ids: Record<string, string> = { Test_User_00aa00aa: 'u-1', boss: 'm-1', newboss: 'm-2' };
  const routes = () => [
    emptyFilters,
    (r: { method: string; body: unknown }) =>
      r.method === 'POST'
        ? ([201, { ...(r.body as object), id: ids[String((r.body as { userName: string }).userName).split('-')[0]!] ?? 'x' }] as [
            number,
            unknown,
          ])
        : undefined,
    (r: { method: string }) => (r.method === 'PATCH' ? ([204] as [number]) : undefined),
  ];

  it('legacy: Add with the bare target id after the creates, Replace on change, Replace "" on removal', async () => {
    run = new WireRun();
    const captured = fakeTarget(routes());
    await run.cycle(tenant(withManager('boss@testuser.com'), assigned('test.user@testuser.com', 'boss@testuser.com')), job(mapping));
    const managerPatch = writes(captured).find((w) => w.method === 'PATCH')!;
    expect(writes(captured).map((w) => w.method)).toEqual(['POST', 'POST', 'PATCH']);
    expect(managerPatch.path).toBe('/scim/Users/u-1');
    expect(managerPatch.body).toEqual({ schemas: [PATCH_OP], Operations: [{ op: 'Add', path: `${ENTERPRISE}:manager`, value: 'm-1' }] });

    const newBoss = `${DOC_USER}  manager: newboss@testuser.com\n${MANAGER}- id: 22222222-2222-4222-8222-222222222222\n  userPrincipalName: newboss@testuser.com\n  mailNickname: newboss\n`;
    await run.cycle(tenant(newBoss, assigned('test.user@testuser.com', 'boss@testuser.com', 'newboss@testuser.com')), job(mapping));
    expect(writes(captured).at(-1)!.body).toEqual({
      schemas: [PATCH_OP],
      Operations: [{ op: 'Replace', path: `${ENTERPRISE}:manager`, value: 'm-2' }],
    });

    const none = `${DOC_USER}${MANAGER}- id: 22222222-2222-4222-8222-222222222222\n  userPrincipalName: newboss@testuser.com\n  mailNickname: newboss\n`;
    await run.cycle(tenant(none, assigned('test.user@testuser.com', 'boss@testuser.com', 'newboss@testuser.com')), job(mapping));
    expect(writes(captured).at(-1)!.body).toEqual({
      schemas: [PATCH_OP],
      Operations: [{ op: 'Replace', path: `${ENTERPRISE}:manager`, value: '' }],
    });
  });

  it('a manager that is not provisioned is left out and logged', async () => {
    run = new WireRun();
    const captured = fakeTarget(routes());
    const result = await run.cycle(tenant(withManager('boss@testuser.com'), assigned('test.user@testuser.com')), job(mapping));
    expect(writes(captured).map((w) => w.method)).toEqual(['POST']);
    const entry = result.log.find((e) => e.sourceIdentity.id === '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef')!;
    expect(entry.provisioningSteps.find((s) => s.provisioningStepType === 'referenceResolution')).toMatchObject({
      status: 'warning',
      description: expect.stringContaining('is not provisioned'),
    });
  });
});

describe('§1.8 disable and re-enable, §1.9 delete', () => {
  const cycleThrough = async (dialect: 'legacy' | 'aadOptscim062020') => {
    run = new WireRun();
    const captured = fakeTarget([
      emptyFilters,
      (r) => (r.method === 'POST' ? [201, { ...(r.body as object), id: '5171a35d82074e068ce2' }] : undefined),
      (r) => (r.method === 'PATCH' || r.method === 'DELETE' ? [204] : undefined),
    ]);
    const t = (extra: string) => tenant(DOC_USER + extra, assigned('test.user@testuser.com'));
    await run.cycle(t(''), job(USER_MAPPING()), { dialect });
    await run.cycle(t('  accountEnabled: false\n'), job(USER_MAPPING()), { dialect });
    await run.cycle(t(''), job(USER_MAPPING()), { dialect });
    await run.cycle(t('  softDeleted: true\n'), job(USER_MAPPING()), { dialect });
    await run.cycle(
      tenant(
        '- {id: 99999999-9999-4999-8999-999999999999, userPrincipalName: other@testuser.com, mailNickname: other}\n',
        assigned('other@testuser.com'),
      ),
      job(USER_MAPPING()),
      { dialect },
    );
    return writes(captured).slice(1);
  };

  it('legacy: Replace active "False" / "True" as strings; DELETE on hard delete after a soft delete', async () => {
    const [disable, enable, softDelete, ...rest] = await cycleThrough('legacy');
    const del = rest.find((w) => w.method === 'DELETE');
    expect(disable!.body).toEqual({ schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] });
    expect(enable!.body).toEqual({ schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'active', value: 'True' }] });
    expect(softDelete!.body).toEqual(disable!.body);
    expect(del).toMatchObject({ method: 'DELETE', path: '/scim/Users/5171a35d82074e068ce2', body: undefined });
  });

  it('aadOptscim062020: replace active false / true as JSON booleans', async () => {
    const [disable, enable] = await cycleThrough('aadOptscim062020');
    expect(disable!.body).toEqual({ schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: false }] });
    expect(enable!.body).toEqual({ schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: true }] });
  });
});

describe('§1.14 the flag dialect', () => {
  it('several simple attributes merge into one path-less replace with flat (dotted, URN) keys; filtered paths stay separate', async () => {
    run = new WireRun();
    const extra = `    - {target: displayName, source: displayName}\n    - {target: '${ENTERPRISE}:employeeNumber', source: employeeId}\n`;
    const captured = fakeTarget([
      emptyFilters,
      (r) => (r.method === 'POST' ? [201, { ...(r.body as object), id: 'u1091' }] : undefined),
      (r) => (r.method === 'PATCH' ? [204] : undefined),
    ]);
    const mapping = job(
      USER_MAPPING(extra).replace(`    - {target: name.formatted, expression: 'Join(" ", [givenName], [surname])'}\n`, ''),
    );
    const before = `${DOC_USER}  displayName: Old\n  employeeId: "0"\n`;
    await run.cycle(tenant(before, assigned('test.user@testuser.com')), mapping, { dialect: 'aadOptscim062020' });
    const after =
      DOC_USER.replace('givenName: givenName', 'givenName: Kkom')
        .replace('surname: familyName', 'surname: Unua')
        .replace('mail: Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com', 'mail: new@testuser.com') +
      '  displayName: Bjfe\n  employeeId: Aklq\n';
    await run.cycle(tenant(after, assigned('test.user@testuser.com')), mapping, { dialect: 'aadOptscim062020' });
    // Filtered op first, as in Microsoft's sample (quirk filteredOpsFirst).
    expect(writes(captured).at(-1)!.body).toEqual({
      schemas: [PATCH_OP],
      Operations: [
        { op: 'replace', path: 'emails[type eq "work"].value', value: 'new@testuser.com' },
        {
          op: 'replace',
          value: { 'name.familyName': 'Unua', 'name.givenName': 'Kkom', displayName: 'Bjfe', [`${ENTERPRISE}:employeeNumber`]: 'Aklq' },
        },
      ],
    });
  });

  it('a single newly set attribute: {"op":"add","path":"nickName","value":"Babs"} (legacy: "Add")', async () => {
    for (const [dialect, op] of [
      ['aadOptscim062020', 'add'],
      ['legacy', 'Add'],
    ] as const) {
      run?.close();
      run = new WireRun();
      nock.cleanAll();
      const captured = fakeTarget([
        emptyFilters,
        (r) => (r.method === 'POST' ? [201, { ...(r.body as object), id: 'u1' }] : undefined),
        (r) => (r.method === 'PATCH' ? [204] : undefined),
      ]);
      const mapping = USER_MAPPING(`    - {target: nickName, source: jobTitle}\n`);
      await run.cycle(tenant(DOC_USER, assigned('test.user@testuser.com')), job(mapping), { dialect });
      await run.cycle(tenant(`${DOC_USER}  jobTitle: Babs\n`, assigned('test.user@testuser.com')), job(mapping), { dialect });
      expect(writes(captured).at(-1)!.body).toEqual({ schemas: [PATCH_OP], Operations: [{ op, path: 'nickName', value: 'Babs' }] });
    }
  });
});

describe('§1.10 groups', () => {
  const USERS = `- {id: 0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef, userPrincipalName: a@testuser.com, mailNickname: a}
- {id: 1a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef, userPrincipalName: b@testuser.com, mailNickname: b}
`;
  const GROUP = (members: string[], name = 'displayName') =>
    `- id: 8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159\n  displayName: ${name}\n  members: [${members.join(', ')}]\n`;
  const byName: Record<string, string> = { a: 'f648f8d5ea4e4cd38e9c', b: '7f4bc1a3-285e-48ae-8202-5accb43efb0e' };
  const routes = () => [
    emptyFilters,
    (r: { method: string; path: string; body: unknown }) => {
      if (r.method !== 'POST') return undefined;
      const body = r.body as { userName?: string };
      return [201, { ...(r.body as object), id: r.path.endsWith('/Groups') ? '40734ae655284ad3abcc' : byName[body.userName ?? ''] }] as [
        number,
        unknown,
      ];
    },
    (r: { method: string }) => (r.method === 'PATCH' || r.method === 'DELETE' ? ([204] as [number]) : undefined),
  ];
  const t = (group: string) => tenant(USERS, assigned('a@testuser.com', 'b@testuser.com', '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159'), group);

  it('match by displayName excluding members; the documented POST (quirks adscimGroupSchema on, emptyMembersOnCreate off); then one Add with {"$ref": null, value}', async () => {
    run = new WireRun();
    const captured = fakeTarget(routes());
    await run.cycle(t(GROUP(['a@testuser.com', 'b@testuser.com'])), job(USER_MAPPING()), {
      quirks: { ...defaultQuirks('legacy'), adscimGroupSchema: true, emptyMembersOnCreate: false },
    });
    expect(captured.find((c) => c.path.startsWith('/scim/Groups?'))!.path).toBe(
      '/scim/Groups?excludedAttributes=members&filter=displayName+eq+%22displayName%22',
    );
    const post = writes(captured).find((w) => w.path === '/scim/Groups')!;
    expect(post.body).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group', 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group'],
      externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
      displayName: 'displayName',
      meta: { resourceType: 'Group' },
    });
    expect(writes(captured).at(-1)).toMatchObject({
      method: 'PATCH',
      path: '/scim/Groups/40734ae655284ad3abcc',
      body: {
        schemas: [PATCH_OP],
        Operations: [
          {
            op: 'Add',
            path: 'members',
            value: [
              { $ref: null, value: 'f648f8d5ea4e4cd38e9c' },
              { $ref: null, value: '7f4bc1a3-285e-48ae-8202-5accb43efb0e' },
            ],
          },
        ],
      },
    });
  });

  it('--members-per-patch splits large additions', async () => {
    run = new WireRun();
    const captured = fakeTarget(routes());
    await run.cycle(t(GROUP(['a@testuser.com', 'b@testuser.com'])), job(USER_MAPPING()), { membersPerPatch: 1 });
    expect(
      writes(captured)
        .filter((w) => w.path === '/scim/Groups/40734ae655284ad3abcc')
        .map((w) => (w.body as { Operations: Array<{ value: unknown[] }> }).Operations[0]!.value.length),
    ).toEqual([1, 1]);
  });

  it('rename: Replace displayName; member removal per dialect; DELETE when unassigned', async () => {
    for (const dialect of ['legacy', 'aadOptscim062020'] as const) {
      run?.close();
      run = new WireRun();
      nock.cleanAll();
      const captured = fakeTarget(routes());
      await run.cycle(t(GROUP(['a@testuser.com', 'b@testuser.com'])), job(USER_MAPPING()), { dialect });
      await run.cycle(t(GROUP(['a@testuser.com'], '1879db59-updatedDisplayName')), job(USER_MAPPING()), { dialect });
      const [rename, remove] = writes(captured).slice(-2);
      expect(rename!.body).toEqual({
        schemas: [PATCH_OP],
        Operations: [{ op: dialect === 'legacy' ? 'Replace' : 'replace', path: 'displayName', value: '1879db59-updatedDisplayName' }],
      });
      expect(remove!.body).toEqual(
        dialect === 'legacy'
          ? {
              schemas: [PATCH_OP],
              Operations: [{ op: 'Remove', path: 'members', value: [{ value: '7f4bc1a3-285e-48ae-8202-5accb43efb0e' }] }],
            }
          : { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: 'members[value eq "7f4bc1a3-285e-48ae-8202-5accb43efb0e"]' }] },
      );
      await run.cycle(
        tenant(USERS, assigned('a@testuser.com', 'b@testuser.com'), GROUP(['a@testuser.com'], '1879db59-updatedDisplayName')),
        job(USER_MAPPING()),
        { dialect },
      );
      expect(writes(captured).at(-1)).toMatchObject({ method: 'DELETE', path: '/scim/Groups/40734ae655284ad3abcc' });
    }
  });
});

describe('§1.4 GET by id', () => {
  it('a forced initial cycle reads linked objects by id (groups excluding members)', async () => {
    run = new WireRun();
    const created = targetUser({ id: '5d48a0a8e9f04aa38008' });
    const captured = fakeTarget([
      (r) => (r.method === 'GET' && r.path === '/scim/Users/5d48a0a8e9f04aa38008' ? [200, created] : undefined),
      emptyFilters,
      (r) => (r.method === 'POST' ? [201, { ...(r.body as object), id: '5d48a0a8e9f04aa38008' }] : undefined),
      () => [200, LIST_EMPTY],
    ]);
    await run.cycle(tenant(DOC_USER, assigned('test.user@testuser.com')), job(USER_MAPPING()));
    await run.cycle(tenant(DOC_USER, assigned('test.user@testuser.com')), job(USER_MAPPING()), { forceInitial: true });
    expect(captured.some((c) => c.method === 'GET' && c.path === '/scim/Users/5d48a0a8e9f04aa38008')).toBe(true);
  });
});

describe('§1.7 roles', () => {
  const ROLES = `app:
  name: App
  appRoles:
    - {id: 06b07648-ecfe-589f-9d2f-6f1d8a8ef5ce, value: "25", displayName: Role1234}
    - {id: 16b07648-ecfe-589f-9d2f-6f1d8a8ef5ce, value: Admin, displayName: Administrator}
assignments:
  - {principal: test.user@testuser.com, role: ROLE}
`;
  const routes = () => [
    emptyFilters,
    (r: { method: string; body: unknown }) =>
      r.method === 'POST' ? ([201, { ...(r.body as object), id: 'u-roles' }] as [number, unknown]) : undefined,
    (r: { method: string }) => (r.method === 'PATCH' ? ([204] as [number]) : undefined),
  ];

  it('SingleAppRoleAssignment: POST roles [{primary: true, type, value}]; legacy PATCH sends the role as a JSON string', async () => {
    run = new WireRun();
    const captured = fakeTarget(routes());
    const mapping = job(
      USER_MAPPING(`    - {target: 'roles[primary eq "True"].value', expression: 'SingleAppRoleAssignment([appRoleAssignments])'}\n`),
    );
    await run.cycle(tenant(DOC_USER, ROLES.replace('ROLE', 'Admin')), mapping);
    expect((writes(captured)[0]!.body as { roles: unknown }).roles).toEqual([
      { primary: true, type: 'WindowsAzureActiveDirectoryRole', value: 'Admin' },
    ]);
    await run.cycle(tenant(DOC_USER, ROLES.replace('ROLE', '"25"')), mapping);
    expect(writes(captured).at(-1)!.body).toEqual({
      schemas: [PATCH_OP],
      Operations: [
        {
          op: 'Replace',
          path: 'roles',
          value: [{ value: '{"id":"06b07648-ecfe-589f-9d2f-6f1d8a8ef5ce","value":"25","displayName":"Role1234"}' }],
        },
      ],
    });
  });

  it('AppRoleAssignmentsComplex: POST every role with primary false, type and display', async () => {
    run = new WireRun();
    const captured = fakeTarget(routes());
    const assignments = ROLES.replace(
      '  - {principal: test.user@testuser.com, role: ROLE}',
      '  - {principal: test.user@testuser.com, role: Admin}\n  - {principal: test.user@testuser.com, role: "25"}',
    );
    await run.cycle(
      tenant(DOC_USER, assignments),
      job(USER_MAPPING(`    - {target: roles, expression: 'AppRoleAssignmentsComplex([appRoleAssignments])'}\n`)),
    );
    const roles = (writes(captured)[0]!.body as { roles: unknown[] }).roles;
    expect(roles).toHaveLength(2);
    expect(roles).toEqual(
      expect.arrayContaining([
        { primary: false, type: 'WindowsAzureActiveDirectoryRole', display: 'Administrator', value: 'Admin' },
        { primary: false, type: 'WindowsAzureActiveDirectoryRole', display: 'Role1234', value: '25' },
      ]),
    );
  });
});

describe('§1.5 flow types', () => {
  it('"Only during creation" and "Default value if null" flow in the POST and never in a PATCH', async () => {
    run = new WireRun();
    const captured = fakeTarget([
      emptyFilters,
      (r) => (r.method === 'POST' ? [201, { ...(r.body as object), id: 'u-flow' }] : undefined),
      (r) => (r.method === 'PATCH' ? [204] : undefined),
    ]);
    const mapping = job(
      USER_MAPPING(
        `    - {target: title, source: jobTitle, apply: on-create}\n    - {target: preferredLanguage, source: preferredLanguage, default: en-US}\n`,
      ),
    );
    await run.cycle(tenant(`${DOC_USER}  jobTitle: Intern\n`, assigned('test.user@testuser.com')), mapping);
    expect(writes(captured)[0]!.body).toMatchObject({ title: 'Intern', preferredLanguage: 'en-US' });
    const second = await run.cycle(tenant(`${DOC_USER}  jobTitle: Engineer\n`, assigned('test.user@testuser.com')), mapping);
    expect(writes(captured)).toHaveLength(1);
    expect(second.log[0]).toMatchObject({ provisioningAction: 'Other', status: 'Skipped' });
  });
});
