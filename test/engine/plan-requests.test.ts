/**
 * plan-requests: the requests a change sends (apply sends them, the dry run prints them). In memory, over
 * plans the real diff makes: paths and bodies per action, the manager PATCH in both dialects, membership
 * PATCHes chunked by membersPerPatch, unresolved references, and the target ids a dry run can name.
 */
import { describe, expect, it } from 'vitest';
import { diff } from '../../src/engine/diff.js';
import type { ManagerChange, MembersChange, Plan } from '../../src/engine/plan.js';
import { plannedTargetIds, requestBody, requestPath, requestsFor, type RequestOptions } from '../../src/engine/plan-requests.js';
import { defaultQuirks } from '../../src/scim/quirks.js';
import type { DialectName } from '../../src/scim/types.js';
import { aGroup, aGroupAnchor, anAnchor, aTenant, aUser, diffInputOf, id, notFound, readBack, type Scenario } from '../helpers/builders.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

const planOf = (s: Scenario): Plan => diff(diffInputOf(s));

function options(dialect: DialectName, ids: Record<string, string>, over: Partial<RequestOptions> = {}): RequestOptions {
  const byId = new Map(Object.entries(ids).map(([name, t]) => [id(name), t]));
  return { dialect, quirks: defaultQuirks(dialect), membersPerPatch: 100, targetIdOf: (s) => byId.get(s) ?? null, ...over };
}

/** A group with these members, all linked, none added before: one add-members change. */
function addMembers(names: string[], dialect: DialectName = 'legacy'): MembersChange {
  const plan = planOf({
    tenant: aTenant(
      names.map((n) => aUser(n)),
      [aGroup('Sales', names)],
      [...names, 'Sales'],
    ),
    links: [...names.map((n) => anAnchor(n)), aGroupAnchor('Sales')],
    work: ['Sales'],
    dialect,
  });
  const change = plan.references.find((c) => c.action === 'add-members');
  if (!change || change.action !== 'add-members') throw new Error('no add-members change');
  return change;
}

describe('requestsFor: objects', () => {
  it('create → POST /Users with the body; update → PATCH /Users/{id}; delete → DELETE /Users/{id}', () => {
    const plan = planOf({
      tenant: aTenant([aUser('ann', { displayName: 'Annie' }), aUser('bob')], [], ['ann', 'bob']),
      links: [anAnchor('ann'), anAnchor('cy')],
      observed: { ann: readBack('ann'), bob: notFound('bob') },
    });
    const opts = options('legacy', {});
    const create = plan.objects.find((c) => c.action === 'create')!;
    const update = plan.objects.find((c) => c.action === 'update')!;
    const del = plan.deletes.find((c) => c.action === 'delete')!;
    const created = requestsFor(create, opts);
    expect(created).toMatchObject({ kind: 'send', targetId: null });
    const [post] = created.kind === 'send' ? created.requests : [];
    expect(post).toMatchObject({ method: 'POST', resource: 'Users' });
    expect(requestPath(post!)).toBe('/Users');
    expect(requestBody(post!)).toBe(create.action === 'create' ? create.body : null);

    const patched = requestsFor(update, opts);
    expect(patched).toMatchObject({ kind: 'send', targetId: 't-ann' });
    const [patch] = patched.kind === 'send' ? patched.requests : [];
    expect(requestPath(patch!)).toBe('/Users/t-ann');
    expect(requestBody(patch!)).toEqual({ schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'displayName', value: 'Annie' }] });

    const deleted = requestsFor(del, opts);
    const [gone] = deleted.kind === 'send' ? deleted.requests : [];
    expect(gone).toEqual({ method: 'DELETE', resource: 'Users', targetId: 't-cy' });
    expect(requestBody(gone!)).toBeUndefined();
  });

  it('skips and failures send nothing', () => {
    const plan = planOf({ tenant: aTenant([aUser('ann')]), links: [anAnchor('ann')], observed: { ann: readBack('ann') } });
    expect(requestsFor(plan.objects[0]!, options('legacy', {}))).toEqual({
      kind: 'none',
      why: 'no-request',
      targetId: 't-ann',
      unresolved: [],
    });
  });

  it('paths encode the id as the SCIM client does, unless told otherwise', () => {
    const request = { method: 'DELETE', resource: 'Groups', targetId: 'a b/c' } as const;
    expect(requestPath(request)).toBe('/Groups/a%20b%2Fc');
    expect(requestPath(request, (i) => i)).toBe('/Groups/a b/c');
  });
});

describe('requestsFor: members', () => {
  const names = ['ann', 'bob', 'cy', 'dan', 'eve'];
  const ids = Object.fromEntries([...names.map((n) => [n, `t-${n}`]), ['Sales', 't-Sales']]);

  it('chunks of membersPerPatch, in the plan’s order, each a legacy Add with {$ref: null, value}', () => {
    const change = addMembers(names);
    const planned = requestsFor(change, options('legacy', ids, { membersPerPatch: 2 }));
    if (planned.kind !== 'send') throw new Error('expected requests');
    const order = change.memberSourceIds;
    const chunks = [order.slice(0, 2), order.slice(2, 4), order.slice(4)];
    const tOf = new Map(names.map((n) => [id(n), `t-${n}`]));
    expect(planned.requests).toEqual(
      chunks.map((chunk) => ({
        method: 'PATCH',
        resource: 'Groups',
        targetId: 't-Sales',
        operations: [{ op: 'Add', path: 'members', value: chunk.map((s) => ({ $ref: null, value: tOf.get(s) })) }],
        memberSourceIds: chunk,
      })),
    );
    expect(planned.unresolved).toEqual([]);
  });

  it('removal: legacy sends one Remove with a value array, the flag dialect one filtered remove per member', () => {
    const tenant = aTenant([aUser('ann'), aUser('bob'), aUser('cy')], [aGroup('Sales', ['ann'])], ['ann', 'bob', 'cy', 'Sales']);
    const scenario = (dialect: DialectName): Scenario => ({
      tenant,
      dialect,
      links: [anAnchor('ann'), anAnchor('bob'), anAnchor('cy'), aGroupAnchor('Sales')],
      memberships: { Sales: ['ann', 'bob', 'cy'] },
      work: ['Sales'],
    });
    const removalIn = (dialect: DialectName): unknown => {
      const change = planOf(scenario(dialect)).references.find((c) => c.action === 'remove-members')!;
      const planned = requestsFor(change, options(dialect, ids));
      return planned.kind === 'send' ? planned.requests.map(requestBody) : null;
    };
    expect(removalIn('legacy')).toEqual([
      { schemas: [PATCH_OP], Operations: [{ op: 'Remove', path: 'members', value: [{ value: 't-bob' }, { value: 't-cy' }] }] },
    ]);
    expect(removalIn('aadOptscim062020')).toEqual([
      {
        schemas: [PATCH_OP],
        Operations: [
          { op: 'remove', path: 'members[value eq "t-bob"]' },
          { op: 'remove', path: 'members[value eq "t-cy"]' },
        ],
      },
    ]);
  });

  it('members without a target id are left out and reported; a group without one sends nothing', () => {
    const change = addMembers(names);
    const some = requestsFor(change, options('legacy', { ann: 't-ann', cy: 't-cy', Sales: 't-Sales' }));
    expect(some).toMatchObject({ kind: 'send', targetId: 't-Sales', unresolved: [id('bob'), id('dan'), id('eve')] });
    expect(some.kind === 'send' ? some.requests.map((r) => r.method === 'PATCH' && r.memberSourceIds) : null).toEqual([
      [id('ann'), id('cy')],
    ]);
    const none = requestsFor(change, options('legacy', { ann: 't-ann' }));
    expect(none).toEqual({ kind: 'none', why: 'source-missing', targetId: null, unresolved: [] });
    const noMember = requestsFor(change, options('legacy', { Sales: 't-Sales' }));
    expect(noMember).toMatchObject({ kind: 'send', requests: [], unresolved: change.memberSourceIds });
  });
});

describe('requestsFor: the manager', () => {
  const managerChange = (scenario: Scenario): ManagerChange => {
    const change = planOf(scenario).references.find((c) => c.action === 'set-manager');
    if (!change || change.action !== 'set-manager') throw new Error('no set-manager change');
    return change;
  };
  const setManager = managerChange({
    tenant: aTenant([aUser('boss'), aUser('ann', { manager: 'boss' })]),
    links: [anAnchor('boss')],
    observed: { ann: notFound('ann') },
    work: ['ann'],
  });

  it('the manager’s target id, resolved when sent, as a bare id (both dialects’ default) or {value} with managerBareId off', () => {
    const ids = { ann: 't-ann', boss: 't-boss' };
    const body = (o: RequestOptions): unknown => {
      const planned = requestsFor(setManager, o);
      return planned.kind === 'send' ? planned.requests.map((r) => [requestPath(r), requestBody(r)]) : planned;
    };
    expect(body(options('legacy', ids))).toEqual([
      ['/Users/t-ann', { schemas: [PATCH_OP], Operations: [{ op: 'Add', path: `${ENTERPRISE}:manager`, value: 't-boss' }] }],
    ]);
    expect(body(options('aadOptscim062020', ids))).toEqual([
      ['/Users/t-ann', { schemas: [PATCH_OP], Operations: [{ op: 'add', path: `${ENTERPRISE}:manager`, value: 't-boss' }] }],
    ]);
    expect(body(options('legacy', ids, { quirks: { ...defaultQuirks('legacy'), managerBareId: false } }))).toEqual([
      ['/Users/t-ann', { schemas: [PATCH_OP], Operations: [{ op: 'Add', path: `${ENTERPRISE}:manager`, value: { value: 't-boss' } }] }],
    ]);
  });

  it('nothing is sent when the user or the manager has no target id', () => {
    expect(requestsFor(setManager, options('legacy', { boss: 't-boss' }))).toEqual({
      kind: 'none',
      why: 'source-missing',
      targetId: null,
      unresolved: [],
    });
    expect(requestsFor(setManager, options('legacy', { ann: 't-ann' }))).toEqual({
      kind: 'none',
      why: 'manager-unresolved',
      targetId: 't-ann',
      unresolved: [id('boss')],
    });
  });

  it('a manager who is not provisioned is left out', () => {
    const change = managerChange({
      tenant: aTenant([aUser('boss'), aUser('ann', { manager: 'boss' })], [], ['ann']),
      observed: { ann: notFound('ann') },
    });
    expect(change.managerProvisioned).toBe(false);
    expect(requestsFor(change, options('legacy', { ann: 't-ann', boss: 't-boss' }))).toMatchObject({
      kind: 'none',
      why: 'manager-not-provisioned',
      unresolved: [id('boss')],
    });
  });
});

describe('plannedTargetIds: the ids apply knows when the references are sent', () => {
  it('creates are pending, updates and links keep their id, forgotten links have none, the rest come from the state', () => {
    const plan = planOf({
      tenant: aTenant([aUser('ann', { displayName: 'Annie' }), aUser('bob'), aUser('cy'), aUser('dan')], [], ['ann', 'bob', 'cy', 'dan']),
      links: [anAnchor('ann'), anAnchor('dan')],
      observed: {
        ann: readBack('ann'),
        bob: notFound('bob'),
        cy: {
          kind: 'matched',
          targetId: 't-cy',
          resource: { id: 't-cy', userName: 'cy@contoso.com', displayName: 'Cy', active: true },
          attribute: 'userName',
          value: 'cy@contoso.com',
        },
        dan: readBack('dan'),
      },
    });
    const linked = new Map([
      [id('ann'), 't-ann-old'],
      [id('dan'), 't-dan'],
      [id('eve'), 't-eve'],
    ]);
    const targetIdOf = plannedTargetIds(
      plan,
      (s) => linked.get(s) ?? null,
      (o) => `<${o.displayName}>`,
    );
    expect(targetIdOf(id('ann'))).toBe('t-ann');
    expect(targetIdOf(id('bob'))).toBe('<Bob>');
    expect(targetIdOf(id('cy'))).toBe('t-cy');
    expect(targetIdOf(id('dan'))).toBe('t-dan');
    expect(targetIdOf(id('eve'))).toBe('t-eve');
    expect(targetIdOf(id('nobody'))).toBeNull();
  });

  it('a skip that forgets a link leaves no id', () => {
    const plan: Plan = {
      formatVersion: 1,
      cycleId: 'c',
      kind: 'incremental',
      dialect: 'legacy',
      objects: [
        {
          action: 'skip',
          id: 'x/skip',
          object: { objectType: 'User', sourceId: id('ann'), displayName: 'Ann' },
          reason: 'r',
          targetId: 't-ann',
          skipReason: 'NotManaged',
          link: null,
          forget: true,
        },
      ],
      references: [],
      deletes: [],
      deletionThresholdExceeded: false,
    };
    expect(
      plannedTargetIds(
        plan,
        () => 't-ann',
        () => 'pending',
      )(id('ann')),
    ).toBeNull();
  });
});
