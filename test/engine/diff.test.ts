/**
 * diff, table-driven and in memory: one row per line of Entra's tables — matching (spec §1.3), the
 * deprovisioning table (spec §5.5), the skip reasons of the provisioning log, accidental-deletion
 * prevention (spec §5.11) and references (manager, members). No HTTP, no store: every input is a value.
 */
import { describe, expect, it } from 'vitest';
import { diff, diffBatch, willExistAfter } from '../../src/engine/diff.js';
import type { Change, Plan } from '../../src/engine/plan.js';
import {
  aGroup,
  aJob,
  anAnchor,
  anchorMissing,
  aTenant,
  aUser,
  diffInputOf,
  duplicate,
  id,
  matched,
  notFound,
  readBack,
  readFailed,
  type Scenario,
} from '../helpers/builders.js';

/** Every change of a plan, by object name, as `action` or `skip:<SkipReason>` or `fail:<errorCode>`. */
function decisions(plan: Plan, names: string[]): Record<string, string[]> {
  const byId = new Map(names.map((n) => [id(n), n]));
  const out: Record<string, string[]> = {};
  const label = (c: Change): string =>
    c.action === 'skip' ? `skip:${c.skipReason}` : c.action === 'fail' ? `fail:${c.errorCode}` : c.action;
  for (const c of [...plan.objects, ...plan.references, ...plan.deletes])
    (out[byId.get(c.object.sourceId) ?? c.object.sourceId] ??= []).push(label(c));
  return out;
}

const ann = aUser('ann');
const ASSIGNED_NONE: string[] = [];

interface Row {
  name: string;
  scenario: Scenario;
  /** The decisions for `ann` (or the named objects). */
  expected: Record<string, string[]>;
}

/** Matching and export of an object to be provisioned (spec §1.3, §5.1). */
const PROVISION: Row[] = [
  {
    name: 'no target object matches: Create',
    scenario: { tenant: aTenant([ann]), observed: { ann: notFound('ann') } },
    expected: { ann: ['create'] },
  },
  {
    name: 'no match and the Create action is off: CreateActionDisabled',
    scenario: { tenant: aTenant([ann]), job: aJob({ userActions: ['update', 'delete'] }), observed: { ann: notFound('ann') } },
    expected: { ann: ['skip:CreateActionDisabled'] },
  },
  {
    name: 'matched with the same values: RedundantExport (and linked)',
    scenario: { tenant: aTenant([ann]), observed: { ann: matched('ann') } },
    expected: { ann: ['skip:RedundantExport'] },
  },
  {
    name: 'matched with other values: Update (and linked)',
    scenario: { tenant: aTenant([ann]), observed: { ann: matched('ann', { displayName: 'Annie' }) } },
    expected: { ann: ['update'] },
  },
  {
    name: 'two target objects match: DuplicateTargetEntries, nothing sent',
    scenario: { tenant: aTenant([ann]), observed: { ann: duplicate('ann') } },
    expected: { ann: ['fail:DuplicateTargetEntries'] },
  },
  {
    name: 'the matching read failed: the object fails with the read’s error code',
    scenario: { tenant: aTenant([ann]), observed: { ann: readFailed('InternalServerError') } },
    expected: { ann: ['fail:InternalServerError'] },
  },
  {
    name: 'linked, read, the same values: RedundantExport',
    scenario: { tenant: aTenant([ann]), links: [anAnchor('ann')], observed: { ann: readBack('ann') } },
    expected: { ann: ['skip:RedundantExport'] },
  },
  {
    name: 'linked, changed in Entra: Update',
    scenario: { tenant: aTenant([aUser('ann', { displayName: 'Annie' })]), links: [anAnchor('ann')], observed: { ann: readBack('ann') } },
    expected: { ann: ['update'] },
  },
  {
    name: 'linked, not read (readBeforeWrite off): planned from what provsim exported',
    scenario: { tenant: aTenant([aUser('ann', { displayName: 'Annie' })]), links: [anAnchor('ann')] },
    expected: { ann: ['update'] },
  },
  {
    name: 'linked, but the target no longer has it (404 on the read): InvalidAnchor',
    scenario: { tenant: aTenant([ann]), links: [anAnchor('ann')], observed: { ann: anchorMissing('ann') } },
    expected: { ann: ['fail:InvalidAnchor'] },
  },
  {
    name: 'linked, the Update action is off: UpdateActionDisabled',
    scenario: {
      tenant: aTenant([aUser('ann', { displayName: 'Annie' })]),
      job: aJob({ userActions: ['create', 'delete'] }),
      links: [anAnchor('ann')],
    },
    expected: { ann: ['skip:UpdateActionDisabled'] },
  },
  {
    name: 'a mapping expression fails on this object: ExpressionEvaluationFailed, nothing sent',
    scenario: {
      tenant: aTenant([ann]),
      job: aJob({ displayNameExpression: 'Mid([displayName], [displayName], 2)' }),
      observed: { ann: notFound('ann') },
    },
    expected: { ann: ['fail:ExpressionEvaluationFailed'] },
  },
  {
    name: 'back in scope after a disable: Update (re-enabled)',
    scenario: {
      tenant: aTenant([ann]),
      links: [anAnchor('ann', { status: 'disabled', exported: { userName: upnOf('ann'), displayName: 'Ann', active: 'False' } })],
    },
    expected: { ann: ['update'] },
  },
];

/** Skipped at scoping, before any mapping row is evaluated or any request is sent. */
const NEVER_PROVISIONED: Row[] = [
  {
    name: 'not assigned: NotEffectivelyEntitled',
    scenario: { tenant: aTenant([ann], [], ASSIGNED_NONE) },
    expected: { ann: ['skip:NotEffectivelyEntitled'] },
  },
  {
    name: 'assigned, outside the scoping filter: ScopeFilterNotSatisfied',
    scenario: { tenant: aTenant([aUser('ann', { department: 'Sales' })]), job: aJob({ scopeDepartment: 'Engineering' }) },
    expected: { ann: ['skip:ScopeFilterNotSatisfied'] },
  },
  {
    name: 'assigned but disabled in Entra: NotActive (never created while inactive)',
    scenario: { tenant: aTenant([aUser('ann', { enabled: false })]) },
    expected: { ann: ['skip:NotActive'] },
  },
  {
    name: 'assigned but soft-deleted: NotActive',
    scenario: { tenant: aTenant([aUser('ann', { softDeleted: true })]) },
    expected: { ann: ['skip:NotActive'] },
  },
  {
    name: 'not assigned, with a mapping expression that would fail: skipped, the expression is not evaluated',
    scenario: { tenant: aTenant([ann], [], ASSIGNED_NONE), job: aJob({ displayNameExpression: 'Mid([displayName], [displayName], 2)' }) },
    expected: { ann: ['skip:NotEffectivelyEntitled'] },
  },
];

/** Entra's deprovisioning table (spec §5.5), for an object provisioned earlier. */
const DEPROVISION: Row[] = [
  {
    name: 'unassigned: Disable (PATCH active false)',
    scenario: { tenant: aTenant([ann], [], ASSIGNED_NONE), links: [anAnchor('ann')] },
    expected: { ann: ['disable'] },
  },
  {
    name: 'out of the scoping filter: Disable',
    scenario: {
      tenant: aTenant([aUser('ann', { department: 'Sales' })]),
      job: aJob({ scopeDepartment: 'Engineering' }),
      links: [anAnchor('ann')],
    },
    expected: { ann: ['disable'] },
  },
  {
    name: 'accountEnabled false: Disable',
    scenario: { tenant: aTenant([aUser('ann', { enabled: false })]), links: [anAnchor('ann')] },
    expected: { ann: ['disable'] },
  },
  {
    name: 'soft-deleted: Disable',
    scenario: { tenant: aTenant([aUser('ann', { softDeleted: true })]), links: [anAnchor('ann')] },
    expected: { ann: ['disable'] },
  },
  {
    name: 'unassigned with SkipOutOfScopeDeletions: SkipOutOfScopeDeletions, left as it is',
    scenario: {
      tenant: aTenant([ann], [], ASSIGNED_NONE),
      job: aJob({ settings: { skipOutOfScopeDeletions: true } }),
      links: [anAnchor('ann')],
    },
    expected: { ann: ['skip:SkipOutOfScopeDeletions'] },
  },
  {
    name: 'disabled in Entra with SkipOutOfScopeDeletions: still disabled (the setting covers scope only)',
    scenario: {
      tenant: aTenant([aUser('ann', { enabled: false })]),
      job: aJob({ settings: { skipOutOfScopeDeletions: true } }),
      links: [anAnchor('ann')],
    },
    expected: { ann: ['disable'] },
  },
  {
    name: 'unassigned, the target account already inactive: RedundantExport',
    scenario: {
      tenant: aTenant([ann], [], ASSIGNED_NONE),
      links: [anAnchor('ann')],
      observed: { ann: readBack('ann', { active: false }) },
    },
    expected: { ann: ['skip:RedundantExport'] },
  },
  {
    name: 'unassigned, the Update action is off: UpdateActionDisabled, no disable',
    scenario: { tenant: aTenant([ann], [], ASSIGNED_NONE), job: aJob({ userActions: ['create', 'delete'] }), links: [anAnchor('ann')] },
    expected: { ann: ['skip:UpdateActionDisabled'] },
  },
  { name: 'hard-deleted in Entra: Delete', scenario: { tenant: aTenant([]), links: [anAnchor('ann')] }, expected: { ann: ['delete'] } },
  {
    name: 'hard-deleted after a disable by unassignment: NotManaged, no DELETE, the link is dropped',
    scenario: { tenant: aTenant([]), links: [anAnchor('ann', { status: 'disabled-out-of-scope' })] },
    expected: { ann: ['skip:NotManaged'] },
  },
  {
    name: 'hard-deleted, the Delete action is off: DeleteActionDisabled, the link is dropped',
    scenario: { tenant: aTenant([]), job: aJob({ userActions: ['create', 'update'] }), links: [anAnchor('ann')] },
    expected: { ann: ['skip:DeleteActionDisabled'] },
  },
  {
    name: 'hard-deleted, already gone from the target (404 on the read): TargetObjectMissing, nothing sent',
    scenario: { tenant: aTenant([]), links: [anAnchor('ann')], observed: { ann: anchorMissing('ann') } },
    expected: { ann: ['skip:TargetObjectMissing'] },
  },
  {
    name: 'a group unassigned: Delete (groups have no soft delete)',
    scenario: {
      tenant: aTenant([], [aGroup('Sales')], ASSIGNED_NONE),
      links: [anAnchor('Sales', { objectType: 'Group', sourceId: id('Sales'), exported: { displayName: 'Sales' } })],
    },
    expected: { Sales: ['delete'] },
  },
];

function upnOf(name: string): string {
  return `${name}@contoso.com`;
}

describe('diff: matching and export', () => {
  for (const row of PROVISION) {
    it(row.name, () => {
      expect(decisions(diff(diffInputOf(row.scenario)), Object.keys(row.expected))).toEqual(row.expected);
    });
  }
});

describe('diff: skipped at scoping', () => {
  for (const row of NEVER_PROVISIONED) {
    it(row.name, () => {
      expect(decisions(diff(diffInputOf(row.scenario)), Object.keys(row.expected))).toEqual(row.expected);
    });
  }
});

describe("diff: Entra's deprovisioning table", () => {
  for (const row of DEPROVISION) {
    it(row.name, () => {
      expect(decisions(diff(diffInputOf(row.scenario)), Object.keys(row.expected))).toEqual(row.expected);
    });
  }
});

describe('diff: what the changes carry', () => {
  it('a create carries the POST body and what the target will hold', () => {
    const plan = diff(diffInputOf({ tenant: aTenant([ann]), observed: { ann: notFound('ann') } }));
    const create = plan.objects[0]!;
    expect(create).toMatchObject({
      action: 'create',
      body: { userName: 'ann@contoso.com', displayName: 'Ann', active: true },
      exported: { userName: 'ann@contoso.com', displayName: 'Ann', active: 'True' },
      modified: expect.arrayContaining([{ displayName: 'displayName', oldValue: null, newValue: 'Ann' }]),
    });
  });

  it('an update sends only what differs, in the dialect’s shape (legacy: "Replace")', () => {
    const plan = diff(
      diffInputOf({
        tenant: aTenant([aUser('ann', { displayName: 'Annie' })]),
        links: [anAnchor('ann')],
        observed: { ann: readBack('ann') },
      }),
    );
    expect(plan.objects[0]).toMatchObject({
      action: 'update',
      targetId: 't-ann',
      operations: [{ op: 'Replace', path: 'displayName', value: 'Annie' }],
      modified: [{ displayName: 'displayName', oldValue: 'Ann', newValue: 'Annie' }],
    });
  });

  it('a disable sends only the rows that follow IsSoftDeleted, and records how the user was left', () => {
    const plan = diff(diffInputOf({ tenant: aTenant([ann], [], ASSIGNED_NONE), links: [anAnchor('ann')] }));
    expect(plan.objects[0]).toMatchObject({
      action: 'disable',
      operations: [{ op: 'Replace', path: 'active', value: 'False' }],
      anchorStatus: 'disabled-out-of-scope',
    });
    const disabled = diff(diffInputOf({ tenant: aTenant([aUser('ann', { enabled: false })]), links: [anAnchor('ann')] }));
    expect(disabled.objects[0]).toMatchObject({ action: 'disable', anchorStatus: 'disabled' });
  });

  it('a match links the object; a RedundantExport of a linked object links nothing new', () => {
    const first = diff(diffInputOf({ tenant: aTenant([ann]), observed: { ann: matched('ann') } }));
    expect(first.objects[0]).toMatchObject({ action: 'skip', link: { targetId: 't-ann', anchorStatus: 'active' }, forget: false });
    const again = diff(diffInputOf({ tenant: aTenant([ann]), links: [anAnchor('ann')], observed: { ann: readBack('ann') } }));
    expect(again.objects[0]).toMatchObject({ action: 'skip', link: null });
  });

  it('deletes and dropped links go to the last phase; disables stay with the objects', () => {
    const plan = diff(diffInputOf({ tenant: aTenant([aUser('bob')], [], ASSIGNED_NONE), links: [anAnchor('ann'), anAnchor('bob')] }));
    expect(plan.objects.map((c) => c.action)).toEqual(['disable']);
    expect(plan.deletes.map((c) => c.action)).toEqual(['delete']);
  });
});

describe('diff: accidental-deletion prevention (spec §5.11)', () => {
  const job = aJob({ settings: { accidentalDeletionThreshold: 2 } });
  const scenario: Scenario = { tenant: aTenant([aUser('bob')], [], ASSIGNED_NONE), job, links: [anAnchor('ann'), anAnchor('bob')] };

  it('disables and deletes together reach the threshold: none is sent, each is a StagedDelete', () => {
    const plan = diff(diffInputOf(scenario));
    expect(plan.deletionThresholdExceeded).toBe(true);
    expect(decisions(plan, ['ann', 'bob'])).toEqual({ ann: ['staged-delete'], bob: ['staged-delete'] });
    expect(plan.deletes.map((c) => (c.action === 'staged-delete' ? c.held.action : c.action)).sort()).toEqual(['delete', 'disable']);
  });

  it('below the threshold, and with ForceDeletes (allowDeletes), they are sent', () => {
    expect(diff(diffInputOf({ ...scenario, links: [anAnchor('ann')] })).deletionThresholdExceeded).toBe(false);
    const forced = diff(diffInputOf({ ...scenario, allowDeletes: true }));
    expect(forced.deletionThresholdExceeded).toBe(false);
    expect(decisions(forced, ['ann', 'bob'])).toEqual({ ann: ['delete'], bob: ['disable'] });
  });
});

describe('diff: references', () => {
  const boss = aUser('boss');
  const ann2 = aUser('ann', { manager: 'boss' });

  it('a manager who is linked: set-manager with the manager’s source id, resolved when applied', () => {
    const plan = diff(
      diffInputOf({ tenant: aTenant([boss, ann2]), links: [anAnchor('boss')], observed: { ann: notFound('ann') }, work: ['ann'] }),
    );
    expect(plan.references).toMatchObject([
      { action: 'set-manager', object: { sourceId: id('ann') }, op: 'add', managerSourceId: id('boss'), managerProvisioned: true },
    ]);
  });

  it('a manager who is being created in the same cycle is set too', () => {
    const plan = diff(diffInputOf({ tenant: aTenant([boss, ann2]), observed: { ann: notFound('ann'), boss: notFound('boss') } }));
    expect(plan.references).toMatchObject([{ action: 'set-manager', managerSourceId: id('boss'), managerProvisioned: true }]);
  });

  it('a manager who is not provisioned is left out, and the plan says so (Entra: "Manager isn’t provisioned")', () => {
    const plan = diff(diffInputOf({ tenant: aTenant([boss, ann2], [], ['ann']), observed: { ann: notFound('ann') } }));
    expect(plan.references).toMatchObject([
      { action: 'set-manager', managerProvisioned: false, reason: expect.stringContaining('not provisioned') },
    ]);
  });

  it('the manager the target already holds is not sent again', () => {
    const linkedAnn = anAnchor('ann', {
      exported: {
        userName: 'ann@contoso.com',
        displayName: 'Ann',
        active: 'True',
        'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager': 't-boss',
      },
    });
    const plan = diff(
      diffInputOf({
        tenant: aTenant([boss, aUser('ann', { manager: 'boss', displayName: 'Annie' })]),
        links: [anAnchor('boss'), linkedAnn],
        work: ['ann'],
      }),
    );
    expect(plan.objects.map((c) => c.action)).toEqual(['update']);
    expect(plan.references).toEqual([]);
  });

  it('group members: added against what provsim added before, removed when gone from the group', () => {
    const tenant = aTenant([ann, aUser('bob'), aUser('cy')], [aGroup('Sales', ['ann', 'bob'])], ['ann', 'bob', 'cy', 'Sales']);
    const sales = anAnchor('Sales', {
      objectType: 'Group',
      sourceId: id('Sales'),
      targetId: 't-sales',
      exported: { displayName: 'Sales' },
    });
    const plan = diff(
      diffInputOf({
        tenant,
        links: [anAnchor('ann'), anAnchor('bob'), anAnchor('cy'), sales],
        memberships: { Sales: ['ann', 'cy'] },
        work: ['Sales'],
      }),
    );
    expect(plan.references).toMatchObject([
      { action: 'add-members', memberSourceIds: [id('bob')], memberDisplayNames: ['Bob'] },
      { action: 'remove-members', memberSourceIds: [id('cy')], memberDisplayNames: ['Cy'] },
    ]);
  });

  it('in a split cycle, an object whose manager is in a later batch has its references deferred', () => {
    const input = diffInputOf({ tenant: aTenant([boss, ann2]), observed: { ann: notFound('ann') }, work: ['ann'] });
    const batch = diffBatch({ ...input, existing: new Set(), pending: new Set([id('boss')]) });
    expect(batch.plan.references).toEqual([]);
    expect(batch.deferred.map((d) => d.source.id)).toEqual([id('ann')]);
    expect(batch.exists).toEqual([id('ann')]);
  });

  it('in a split cycle, a manager an earlier batch created is set; one no batch provisions is not', () => {
    const input = diffInputOf({ tenant: aTenant([boss, ann2]), observed: { ann: notFound('ann') }, work: ['ann'] });
    const earlier = diffBatch({ ...input, existing: new Set([id('boss')]), pending: new Set() });
    expect(earlier.plan.references).toMatchObject([{ action: 'set-manager', managerSourceId: id('boss'), managerProvisioned: true }]);
    const none = diffBatch({ ...input, existing: new Set(), pending: new Set() });
    expect(none.plan.references).toMatchObject([{ action: 'set-manager', managerProvisioned: false }]);
  });
});

describe('willExistAfter: what can be referenced after the objects phase', () => {
  it('objects of the planned sets, and linked objects still in Entra; not linked objects gone from Entra', () => {
    const input = diffInputOf({ tenant: aTenant([aUser('ann'), aUser('bob')]), links: [anAnchor('ann'), anAnchor('gone')] });
    const willExist = willExistAfter(input, new Set([id('bob')]), undefined, new Set([id('new')]));
    expect([id('ann'), id('bob'), id('new')].map((x) => willExist.has(x))).toEqual([true, true, true]);
    expect([id('gone'), id('cy')].map((x) => willExist.has(x))).toEqual([false, false]);
  });

  it('reads the target ids as they are when asked (the diff asks before apply adds to them)', () => {
    const input = diffInputOf({ tenant: aTenant([aUser('ann')]) });
    const targetIds = new Map<string, string>();
    const willExist = willExistAfter({ targetIds, desired: input.desired });
    expect(willExist.has(id('ann'))).toBe(false);
    targetIds.set(id('ann'), 't-ann');
    expect(willExist.has(id('ann'))).toBe(true);
  });
});
