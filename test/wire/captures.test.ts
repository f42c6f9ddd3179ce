/**
 * The requests of captured Entra traffic (the evidence table of the fidelity issue: server logs in public
 * issues and Microsoft Q&A threads, Microsoft staff statements), reproduced by the real engine and pinned
 * on the wire with nock, in both dialects: the read-then-write sequences of an incremental cycle (user
 * update, user delete, group rename, member change), the captured POST bodies byte for byte, the manager
 * as a bare id, the Content-Type, and the two manager bugs found on real servers.
 */
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultQuirks } from '../../src/scim/quirks.js';
import type { DialectName } from '../../src/scim/types.js';
import { emptyFilters, fakeTarget, job, list, sequence, tenant, WireRun, writes, type Captured, type Route } from './scenario.js';

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const CUSTOM = 'urn:ietf:params:scim:schemas:extension:custom:2.0:User';
const DIALECTS: readonly DialectName[] = ['legacy', 'aadOptscim062020'];
const op = (dialect: DialectName, name: 'add' | 'replace' | 'remove'): string =>
  dialect === 'legacy' ? name[0]!.toUpperCase() + name.slice(1) : name;

let run: WireRun;
beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  nock.cleanAll();
  run?.close();
});

const JOE_ID = '2819c223-7f76-453a-919d-413861904646';
const BOSS_ID = '11111111-1111-4111-8111-111111111111';
const joe = (extra = '') => `- id: ${JOE_ID}
  userPrincipalName: joe@testaccount.onmicrosoft.com
  mailNickname: joe
  givenName: joe
  surname: TestLastName1
  mail: joe@joe.com
  jobTitle: scim tester
  employeeId: "99887766"
  extension_b7e3f2a1c4d54e6f8a1b2c3d4e5f6071_worksiteId: "180"
${extra}`;
const boss = `- id: ${BOSS_ID}
  userPrincipalName: boss@testaccount.onmicrosoft.com
  mailNickname: boss
`;
const GROUP_ID = '0899060a-370e-46a0-bc5f-3aa5207ed41d';
const group = (members: string[], name = 'Org Admin') => `- id: ${GROUP_ID}\n  displayName: ${name}\n  members: [${members.join(', ')}]\n`;
const assigned = (...principals: string[]) =>
  `app: {name: App, appRoles: []}\nassignments:\n${principals.map((p) => `  - {principal: ${p}}`).join('\n')}\n`;

/** The Q&A 1684621 mapping: the default-style rows the captured POST shows, a custom extension, the manager. */
const MAPPING = job(`users:
  attributes:
    - {target: userName, source: userPrincipalName, match: 1}
    - {target: active, expression: 'Switch([IsSoftDeleted], , "False", "True", "True", "False")'}
    - {target: title, source: jobTitle}
    - {target: 'emails[type eq "work"].value', source: mail}
    - {target: name.givenName, source: givenName}
    - {target: name.familyName, source: surname}
    - {target: '${CUSTOM}:employeeNumber', source: employeeId}
    - {target: '${CUSTOM}:worksiteId', source: extension_b7e3f2a1c4d54e6f8a1b2c3d4e5f6071_worksiteId}
    - {target: '${ENTERPRISE}:manager', source: manager}
groups:
  attributes:
    - {target: displayName, source: displayName, match: 1}
    - {target: externalId, source: objectId}
    - {target: members, source: members}
`);

const TARGET_IDS: Record<string, string> = { 'joe@testaccount.onmicrosoft.com': 'u-joe', 'boss@testaccount.onmicrosoft.com': 'u-boss' };
/** Creates answer 201 with the body and a fixed id; PATCHes and DELETEs 204 (the fake applies them, scenario.ts). */
const created: Route = (r) => {
  if (r.method !== 'POST') return undefined;
  const body = r.body as { userName?: string };
  return [201, { ...(r.body as object), id: r.path.endsWith('/Groups') ? 'g-1' : (TARGET_IDS[body.userName ?? ''] ?? 'u-x') }];
};
const accepted: Route = (r) => (r.method === 'PATCH' || r.method === 'DELETE' ? [204] : undefined);

describe('captured POST bodies, byte for byte (both dialects send the same POST)', () => {
  for (const dialect of DIALECTS) {
    it(`${dialect}: the user POST of Q&A 1684621 (2024-05-21): no "roles", both schema URIs, custom URN nested, captured key order`, async () => {
      run = new WireRun();
      const captured = fakeTarget([emptyFilters, created, accepted]);
      await run.cycle(tenant(joe(), assigned('joe@testaccount.onmicrosoft.com')), MAPPING, { dialect });
      const post = writes(captured)[0]!;
      expect(post.path).toBe('/scim/Users');
      expect(post.headers['content-type']).toBe('application/scim+json; charset=utf-8');
      expect(JSON.stringify(post.body)).toBe(
        `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","${ENTERPRISE}"],"userName":"joe@testaccount.onmicrosoft.com","active":true,"emails":[{"primary":true,"type":"work","value":"joe@joe.com"}],"meta":{"resourceType":"User"},"name":{"familyName":"TestLastName1","givenName":"joe"},"title":"scim tester","${CUSTOM}":{"employeeNumber":"99887766","worksiteId":"180"}}`,
      );
    });

    it(`${dialect}: the group POST of Q&A 637791 (2021-11-18): core URI only, "members": [], then the members by PATCH`, async () => {
      run = new WireRun();
      const captured = fakeTarget([emptyFilters, created, accepted]);
      await run.cycle(
        tenant(joe(), assigned('joe@testaccount.onmicrosoft.com', GROUP_ID), group(['joe@testaccount.onmicrosoft.com'])),
        MAPPING,
        { dialect },
      );
      const post = writes(captured).find((w) => w.path === '/scim/Groups')!;
      expect(JSON.stringify(post.body)).toBe(
        `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"externalId":"${GROUP_ID}","displayName":"Org Admin","members":[],"meta":{"resourceType":"Group"}}`,
      );
      expect(writes(captured).at(-1)).toMatchObject({
        method: 'PATCH',
        path: '/scim/Groups/g-1',
        body: { Operations: [{ op: op(dialect, 'add'), path: 'members', value: [{ $ref: null, value: 'u-joe' }] }] },
      });
    });
  }
});

describe('read before write in incremental cycles (Q&A 1195656: "GET calls will always precede other actions")', () => {
  for (const dialect of DIALECTS) {
    it(`${dialect}: user update: GET /Users/{id}, then one PATCH computed against what the target returned`, async () => {
      run = new WireRun();
      const captured = fakeTarget([emptyFilters, created, accepted]);
      await run.cycle(tenant(joe(), assigned('joe@testaccount.onmicrosoft.com')), MAPPING, { dialect });
      const from = captured.length;
      const second = await run.cycle(
        tenant(joe().replace('jobTitle: scim tester', 'jobTitle: tester'), assigned('joe@testaccount.onmicrosoft.com')),
        MAPPING,
        { dialect },
      );
      expect(second.kind).toBe('incremental');
      expect(sequence(captured, from)).toEqual(['GET /scim/Users/u-joe', 'PATCH /scim/Users/u-joe']);
      expect(captured.at(-1)!.body).toEqual({
        schemas: [PATCH_OP],
        Operations: [{ op: op(dialect, 'replace'), path: 'title', value: 'tester' }],
      });
    });

    it(`${dialect}: user delete: GET /Users/{id}, then DELETE /Users/{id}`, async () => {
      run = new WireRun();
      const captured = fakeTarget([emptyFilters, created, accepted]);
      await run.cycle(tenant(joe() + boss, assigned('joe@testaccount.onmicrosoft.com', 'boss@testaccount.onmicrosoft.com')), MAPPING, {
        dialect,
      });
      const from = captured.length;
      const second = await run.cycle(tenant(boss, assigned('boss@testaccount.onmicrosoft.com')), MAPPING, { dialect });
      expect(sequence(captured, from)).toEqual(['GET /scim/Users/u-joe', 'DELETE /scim/Users/u-joe']);
      expect(second.counts).toEqual({ 'Delete/Success': 1 });
    });

    it(`${dialect}: group rename: GET /Groups/{id}?excludedAttributes=members, then the PATCH`, async () => {
      run = new WireRun();
      const captured = fakeTarget([emptyFilters, created, accepted]);
      const users = assigned('joe@testaccount.onmicrosoft.com', GROUP_ID);
      await run.cycle(tenant(joe(), users, group(['joe@testaccount.onmicrosoft.com'])), MAPPING, { dialect });
      const from = captured.length;
      await run.cycle(tenant(joe(), users, group(['joe@testaccount.onmicrosoft.com'], 'Org Admins')), MAPPING, { dialect });
      expect(sequence(captured, from)).toEqual(['GET /scim/Groups/g-1?excludedAttributes=members', 'PATCH /scim/Groups/g-1']);
      expect(captured.at(-1)!.body).toEqual({
        schemas: [PATCH_OP],
        Operations: [{ op: op(dialect, 'replace'), path: 'displayName', value: 'Org Admins' }],
      });
    });

    it(`${dialect}: member change: GET /Groups/{id}?excludedAttributes=members, then the member PATCHes (the membership diff is against what provsim exported)`, async () => {
      run = new WireRun();
      const captured = fakeTarget([emptyFilters, created, accepted]);
      const users = assigned('joe@testaccount.onmicrosoft.com', 'boss@testaccount.onmicrosoft.com', GROUP_ID);
      await run.cycle(tenant(joe() + boss, users, group(['joe@testaccount.onmicrosoft.com'])), MAPPING, { dialect });
      const from = captured.length;
      await run.cycle(tenant(joe() + boss, users, group(['boss@testaccount.onmicrosoft.com'])), MAPPING, { dialect });
      // Two PATCHes: an add and a remove are separate requests (provsim's choice, listed by `provsim quirks`).
      expect(sequence(captured, from)).toEqual([
        'GET /scim/Groups/g-1?excludedAttributes=members',
        'PATCH /scim/Groups/g-1',
        'PATCH /scim/Groups/g-1',
      ]);
      const [add, remove] = captured.slice(-2).map((c) => (c.body as { Operations: unknown[] }).Operations);
      expect(add).toEqual([{ op: op(dialect, 'add'), path: 'members', value: [{ $ref: null, value: 'u-boss' }] }]);
      expect(remove).toEqual(
        dialect === 'legacy'
          ? [{ op: 'Remove', path: 'members', value: [{ value: 'u-joe' }] }]
          : [{ op: 'remove', path: 'members[value eq "u-joe"]' }],
      );
    });

    it(`${dialect}: a value the target does not echo is sent again with Add (Q&A 1684621: Replace title, Add the typed email)`, async () => {
      run = new WireRun();
      // The server stores the email but returns it without its type, as in the Q&A thread.
      const untyped: Route = (r) =>
        r.method === 'GET' && r.path === '/scim/Users/u-joe'
          ? [
              200,
              {
                id: 'u-joe',
                userName: 'joe@testaccount.onmicrosoft.com',
                active: true,
                title: 'scim tester',
                emails: [{ value: 'joe@joe.com' }],
                name: { givenName: 'joe', familyName: 'TestLastName1' },
                [CUSTOM]: { employeeNumber: '99887766', worksiteId: '180' },
              },
            ]
          : undefined;
      const captured = fakeTarget([untyped, emptyFilters, created, accepted]);
      await run.cycle(tenant(joe(), assigned('joe@testaccount.onmicrosoft.com')), MAPPING, { dialect });
      await run.cycle(
        tenant(
          joe().replace('jobTitle: scim tester', 'jobTitle: tester').replace('mail: joe@joe.com', 'mail: joe2@joe.com'),
          assigned('joe@testaccount.onmicrosoft.com'),
        ),
        MAPPING,
        { dialect },
      );
      const ops = (captured.at(-1)!.body as { Operations: unknown[] }).Operations;
      // Legacy: one op per attribute in mapping order, as captured. Flag: the filtered-path op first (Microsoft's sample).
      expect(ops).toEqual(
        dialect === 'legacy'
          ? [
              { op: 'Replace', path: 'title', value: 'tester' },
              { op: 'Add', path: 'emails[type eq "work"].value', value: 'joe2@joe.com' },
            ]
          : [
              { op: 'add', path: 'emails[type eq "work"].value', value: 'joe2@joe.com' },
              { op: 'replace', path: 'title', value: 'tester' },
            ],
      );
    });
  }

  it('a 404 on the read before an update is InvalidAnchor, and nothing is written', async () => {
    run = new WireRun();
    const captured = fakeTarget([emptyFilters, created, accepted]);
    await run.cycle(tenant(joe(), assigned('joe@testaccount.onmicrosoft.com')), MAPPING);
    nock.cleanAll();
    const gone = fakeTarget([emptyFilters, created, accepted]); // a fresh target: it no longer knows u-joe
    const second = await run.cycle(
      tenant(joe().replace('jobTitle: scim tester', 'jobTitle: tester'), assigned('joe@testaccount.onmicrosoft.com')),
      MAPPING,
    );
    expect(captured.length).toBeGreaterThan(0);
    expect(sequence(gone)).toEqual(['GET /scim/Users/u-joe']);
    expect(second.log[0]).toMatchObject({ status: 'Failure', errorCode: 'InvalidAnchor' });
  });

  it('a 404 on the read before a DELETE: no DELETE is sent, the link is dropped, the entry says why', async () => {
    run = new WireRun();
    fakeTarget([emptyFilters, created, accepted]);
    await run.cycle(tenant(joe() + boss, assigned('joe@testaccount.onmicrosoft.com', 'boss@testaccount.onmicrosoft.com')), MAPPING);
    nock.cleanAll();
    const gone = fakeTarget([
      (r) =>
        r.method === 'GET' && r.path === '/scim/Users/u-boss'
          ? [200, { id: 'u-boss', userName: 'boss@testaccount.onmicrosoft.com', active: true }]
          : undefined,
      emptyFilters,
      accepted,
    ]);
    const second = await run.cycle(tenant(boss, assigned('boss@testaccount.onmicrosoft.com')), MAPPING);
    expect(sequence(gone)).toEqual(['GET /scim/Users/u-joe']);
    const entry = second.log.find((e) => e.sourceIdentity.id === JOE_ID)!;
    expect(entry).toMatchObject({ provisioningAction: 'Other', status: 'Skipped' });
    expect(JSON.stringify(entry)).toContain('404 on the read before the DELETE');
    expect(run.links().get(JOE_ID) ?? null).toBeNull();
  });

  it('a failed read before a DELETE fails the object and keeps its link: the next cycle tries again', async () => {
    run = new WireRun();
    fakeTarget([emptyFilters, created, accepted]);
    await run.cycle(tenant(joe(), assigned('joe@testaccount.onmicrosoft.com')), MAPPING);
    nock.cleanAll();
    const broken = fakeTarget([
      (r) =>
        r.method === 'GET' && r.path === '/scim/Users/u-joe'
          ? [400, { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '400', detail: 'boom' }]
          : undefined,
      emptyFilters,
    ]);
    const second = await run.cycle(tenant(boss, assigned('boss@testaccount.onmicrosoft.com')), MAPPING, {
      quirks: { ...defaultQuirks('legacy') },
    });
    expect(writes(broken).filter((w) => w.method === 'DELETE')).toEqual([]);
    expect(second.log.find((e) => e.sourceIdentity.id === JOE_ID)).toMatchObject({ status: 'Failure' });
    expect(run.links().get(JOE_ID) ?? null).not.toBeNull();
  });

  it("quirk readBeforeWrite off: provsim 0.1's incremental cycle, PATCH and DELETE with no read, diffed against the last export", async () => {
    run = new WireRun();
    const quirks = { ...defaultQuirks('legacy'), readBeforeWrite: false };
    const captured = fakeTarget([emptyFilters, created, accepted]);
    await run.cycle(tenant(joe() + boss, assigned('joe@testaccount.onmicrosoft.com', 'boss@testaccount.onmicrosoft.com')), MAPPING, {
      quirks,
    });
    let from = captured.length;
    await run.cycle(
      tenant(
        joe().replace('jobTitle: scim tester', 'jobTitle: tester') + boss,
        assigned('joe@testaccount.onmicrosoft.com', 'boss@testaccount.onmicrosoft.com'),
      ),
      MAPPING,
      { quirks },
    );
    expect(sequence(captured, from)).toEqual(['PATCH /scim/Users/u-joe']);
    from = captured.length;
    await run.cycle(tenant(boss, assigned('boss@testaccount.onmicrosoft.com')), MAPPING, { quirks });
    expect(sequence(captured, from)).toEqual(['DELETE /scim/Users/u-joe']);
  });
});

describe('the manager', () => {
  const managed = (title: string) =>
    tenant(
      joe(`  manager: ${BOSS_ID}\n`).replace('jobTitle: scim tester', `jobTitle: ${title}`) + boss,
      assigned('joe@testaccount.onmicrosoft.com', 'boss@testaccount.onmicrosoft.com'),
    );

  for (const dialect of DIALECTS) {
    it(`${dialect}: set as a bare id string (SCIM-SDK #686, 2024-07-09: lowercase op, bare string, in the flag dialect too)`, async () => {
      run = new WireRun();
      const captured = fakeTarget([emptyFilters, created, accepted]);
      await run.cycle(managed('scim tester'), MAPPING, { dialect });
      expect(writes(captured).at(-1)!.body).toEqual({
        schemas: [PATCH_OP],
        Operations: [{ op: op(dialect, 'add'), path: `${ENTERPRISE}:manager`, value: 'u-boss' }],
      });
    });

    for (const readBeforeWrite of [true, false]) {
      it(`${dialect}, readBeforeWrite ${readBeforeWrite ? 'on' : 'off'}: a title-only change sends exactly one PATCH with one op, every time (the manager is not sent again)`, async () => {
        run = new WireRun();
        const quirks = { ...defaultQuirks(dialect), readBeforeWrite };
        const captured = fakeTarget([emptyFilters, created, accepted]);
        await run.cycle(managed('scim tester'), MAPPING, { dialect, quirks });
        for (const title of ['tester', 'lead tester']) {
          const from = captured.length;
          const result = await run.cycle(managed(title), MAPPING, { dialect, quirks });
          const sent = writes(captured.slice(from));
          expect(sent.map((w) => `${w.method} ${w.path}`)).toEqual(['PATCH /scim/Users/u-joe']);
          expect(sent[0]!.body).toEqual({ schemas: [PATCH_OP], Operations: [{ op: op(dialect, 'replace'), path: 'title', value: title }] });
          const entry = result.log.find((e) => e.sourceIdentity.id === JOE_ID)!;
          expect(entry.modifiedProperties.map((p) => p.displayName)).toEqual(['title']);
        }
      });
    }
  }

  it('an initial cycle that matches users whose manager the target already holds sends no manager PATCH (21 of 21 were re-sent on @better-auth/scim)', async () => {
    run = new WireRun();
    const existing: Record<string, Record<string, unknown>> = {
      'joe@testaccount.onmicrosoft.com': {
        id: 'u-joe',
        userName: 'joe@testaccount.onmicrosoft.com',
        active: true,
        title: 'scim tester',
        emails: [{ type: 'work', value: 'joe@joe.com', primary: true }],
        name: { givenName: 'joe', familyName: 'TestLastName1' },
        [CUSTOM]: { employeeNumber: '99887766', worksiteId: '180' },
        [ENTERPRISE]: { manager: { value: 'u-boss' } },
      },
      'boss@testaccount.onmicrosoft.com': { id: 'u-boss', userName: 'boss@testaccount.onmicrosoft.com', active: true },
    };
    const matching: Route = (r: Captured) => {
      const m = /filter=userName\+eq\+%22(.+)%22$/.exec(r.path);
      const found = m ? existing[decodeURIComponent(m[1]!)] : undefined;
      return found ? [200, list([found])] : undefined;
    };
    const captured = fakeTarget([matching, emptyFilters, accepted]);
    const result = await run.cycle(managed('scim tester'), MAPPING);
    expect(result.kind).toBe('initial');
    expect(writes(captured)).toEqual([]);
    expect(result.counts).toEqual({ 'Other/Skipped': 2 });
  });
});
