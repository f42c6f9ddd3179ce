/**
 * buildLogEntries: one provisioning-log entry per object per cycle (spec §5.13), Graph-shaped, from the
 * outcomes apply returned. Pure; the changes come from a real diff of an in-memory scenario.
 */
import { describe, expect, it } from 'vitest';
import { diff } from '../../src/engine/diff.js';
import { buildLogEntries, countEntries, sourceIdentifiers } from '../../src/engine/log-entries.js';
import type { ChangeOutcome } from '../../src/engine/outcome.js';
import type { Change } from '../../src/engine/plan.js';
import type { LogEntry } from '../../src/model/records.js';
import type { DesiredObject } from '../../src/engine/desired.js';
import { FixtureChangedError } from '../../src/shared/errors.js';
import { aGroup, aJob, anAnchor, aTenant, aUser, diffInputOf, id, notFound, readBack, upn, type Scenario } from '../helpers/builders.js';

let n = 0;
const newId = (): string => `id-${++n}`;
const AT = '2026-05-01T08:00:00.000Z';

function changesOf(s: Scenario): Change[] {
  const plan = diff(diffInputOf(s));
  return [...plan.objects, ...plan.references, ...plan.deletes];
}

const ok = (change: Change, targetId: string | null = null): ChangeOutcome => ({
  change,
  status: 'success',
  targetId,
  failure: null,
  unresolved: [],
  durationMs: 5,
});
const skipped = (change: Change): ChangeOutcome => ({
  change,
  status: 'skipped',
  targetId: null,
  failure: null,
  unresolved: [],
  durationMs: 0,
});
const refused = (change: Change, code = 'EntryConflict'): ChangeOutcome => ({
  change,
  status: 'failure',
  targetId: null,
  failure: {
    code,
    message: `${code}: 409 uniqueness`,
    details: { method: 'POST', url: 'http://127.0.0.1/scim/Users', status: 409, body: { detail: 'taken' } },
  },
  unresolved: [],
  durationMs: 7,
});
const interrupted = (change: Change): ChangeOutcome => ({
  change,
  status: 'skipped',
  targetId: null,
  failure: { code: 'Interrupted', message: 'the cycle was interrupted before this change was sent', details: null },
  unresolved: [],
  durationMs: 0,
});

const one = (outcomes: ChangeOutcome[]): LogEntry => {
  const entries = buildLogEntries('c1', AT, outcomes, newId);
  expect(entries).toHaveLength(1);
  return entries[0]!;
};
const steps = (e: LogEntry): string[] => e.provisioningSteps.map((s) => `${s.name}:${s.status}`);

describe('buildLogEntries', () => {
  const created = changesOf({ tenant: aTenant([aUser('ann')]), observed: { ann: notFound('ann') } });

  it('a create that succeeded: Create/Success, import → add → export, the values sent', () => {
    const e = one([ok(created[0]!, 't-ann')]);
    expect(e).toMatchObject({
      cycleId: 'c1',
      activityDateTime: AT,
      provisioningAction: 'Create',
      status: 'Success',
      errorCode: null,
      sourceIdentity: { id: id('ann'), type: 'User', displayName: 'Ann' },
      targetIdentity: { id: 't-ann', type: 'User' },
      durationInMilliseconds: 5,
    });
    expect(steps(e)).toEqual(['EntryImport:success', 'EntrySynchronizationAdd:success', 'EntryExportAdd:success']);
    expect(e.modifiedProperties).toContainEqual({ displayName: 'userName', oldValue: null, newValue: 'ann@contoso.com' });
  });

  it('a create the target refused: Create/Failure with the error code, the request and the SCIM error body', () => {
    const e = one([refused(created[0]!)]);
    expect(e).toMatchObject({
      provisioningAction: 'Create',
      status: 'Failure',
      errorCode: 'EntryConflict',
      errorDetails: { method: 'POST', status: 409, body: { detail: 'taken' } },
    });
    expect(steps(e)).toContain('EntryExportAdd:failure');
  });

  it('a skip: Other/Skipped with its SkipReason', () => {
    const [skip] = changesOf({ tenant: aTenant([aUser('ann')], [], []) });
    const e = one([skipped(skip!)]);
    expect(e).toMatchObject({ provisioningAction: 'Other', status: 'Skipped' });
    expect(e.provisioningSteps[1]).toMatchObject({ name: 'EntrySynchronizationSkip', details: { SkipReason: 'NotEffectivelyEntitled' } });
  });

  it('a failure decided without a request (duplicate, expression): Other/Failure', () => {
    const [fail] = changesOf({
      tenant: aTenant([aUser('ann')]),
      observed: { ann: { kind: 'duplicate', attribute: 'userName', value: 'ann@contoso.com', count: 2 } },
    });
    const e = one([
      { ...skipped(fail!), status: 'failure', failure: { code: 'DuplicateTargetEntries', message: '2 target objects', details: null } },
    ]);
    expect(e).toMatchObject({ provisioningAction: 'Other', status: 'Failure', errorCode: 'DuplicateTargetEntries' });
  });

  it('a disable: Disable/Success through EntryExportUpdateSoftDelete', () => {
    const [disable] = changesOf({ tenant: aTenant([aUser('ann')], [], []), links: [anAnchor('ann')] });
    const e = one([ok(disable!, 't-ann')]);
    expect(e).toMatchObject({ provisioningAction: 'Disable', status: 'Success' });
    expect(steps(e)).toContain('EntryExportUpdateSoftDelete:success');
  });

  it('a staged delete: StagedDelete/Skipped, nothing exported', () => {
    const [staged] = changesOf({
      tenant: aTenant([]),
      links: [anAnchor('ann')],
      job: aJob({ settings: { accidentalDeletionThreshold: 1 } }),
    });
    expect(staged!.action).toBe('staged-delete');
    const e = one([skipped(staged!)]);
    expect(e).toMatchObject({ provisioningAction: 'StagedDelete', status: 'Skipped' });
    expect(steps(e)).toEqual(['EntryImport:success', 'EntryExportStaged:skipped']);
  });

  it('a user whose only change is its manager: one Update entry, the manager in its modified properties', () => {
    const scenario: Scenario = {
      tenant: aTenant([aUser('boss'), aUser('ann', { manager: 'boss' })]),
      links: [anAnchor('boss'), anAnchor('ann')],
      observed: { ann: readBack('ann') },
      work: ['ann'],
    };
    const changes = changesOf(scenario);
    expect(changes.map((c) => c.action)).toEqual(['skip', 'set-manager']);
    const e = one([skipped(changes[0]!), ok(changes[1]!, 't-ann')]);
    expect(e).toMatchObject({ provisioningAction: 'Update', status: 'Success', targetIdentity: { id: 't-ann' } });
    expect(e.modifiedProperties).toEqual([{ displayName: 'manager', oldValue: null, newValue: 'Boss' }]);
    expect(steps(e)).toContain('EntryReferenceResolution:success');
  });

  it('members left out because they are not provisioned: the reference step warns and names them', () => {
    const tenant = aTenant([aUser('ann'), aUser('bob')], [aGroup('Sales', ['ann', 'bob'])], ['ann', 'bob', 'Sales']);
    const sales = anAnchor('Sales', {
      objectType: 'Group',
      sourceId: id('Sales'),
      targetId: 't-sales',
      exported: { displayName: 'Sales' },
    });
    const changes = changesOf({ tenant, links: [anAnchor('ann'), anAnchor('bob'), sales], work: ['Sales'] });
    const add = changes.find((c) => c.action === 'add-members')!;
    const e = one([skipped(changes[0]!), { ...ok(add, 't-sales'), unresolved: [id('bob')] }]);
    expect(e).toMatchObject({ provisioningAction: 'Update', status: 'Success' });
    expect(e.modifiedProperties).toEqual([{ displayName: 'members', oldValue: null, newValue: 'Ann' }]);
    expect(e.provisioningSteps.at(-1)).toMatchObject({
      name: 'EntryReferenceResolution',
      status: 'warning',
      description: expect.stringContaining(`left out, not provisioned: ${id('bob')}`),
    });
  });

  it('a reference the target refused makes the whole entry a failure', () => {
    const changes = changesOf({
      tenant: aTenant([aUser('boss'), aUser('ann', { manager: 'boss' })]),
      links: [anAnchor('boss')],
      observed: { ann: notFound('ann') },
      work: ['ann'],
    });
    const e = one([ok(changes[0]!, 't-ann'), refused(changes[1]!, 'InvalidValue')]);
    expect(e).toMatchObject({ provisioningAction: 'Create', status: 'Failure', errorCode: 'InvalidValue' });
  });

  it('changes a stop kept from being sent are not events of the cycle: no entry', () => {
    expect(buildLogEntries('c1', AT, [interrupted(created[0]!)], newId)).toEqual([]);
  });

  it('countEntries counts by Action/Status, as the portal summary does', () => {
    const a = one([ok(created[0]!, 't-ann')]);
    const b = one([refused(created[0]!)]);
    expect(countEntries([a, b, a])).toEqual({ 'Create/Success': 2, 'Create/Failure': 1 });
  });
});

describe("the source identity's details: the identifiers `provsim logs --user` finds an object by", () => {
  it('a user carries its UPN and mail nickname, from the tenant the cycle read', () => {
    const tenant = aTenant([aUser('ann'), aUser('bob')]);
    const [ann] = changesOf({ tenant, observed: { ann: notFound('ann'), bob: notFound('bob') }, work: ['ann'] });
    const [e] = buildLogEntries('c1', AT, [ok(ann!, 't-ann')], newId, sourceIdentifiers(tenant));
    expect(e!.sourceIdentity).toStrictEqual({
      id: id('ann'),
      type: 'User',
      displayName: 'Ann',
      details: { userPrincipalName: upn('ann'), mailNickname: 'ann' },
    });
  });

  it('a user without a mail nickname carries its UPN alone', () => {
    const tenant = aTenant([aUser('ann')]);
    delete tenant.users[0]!.attributes['mailNickname'];
    const [e] = buildLogEntries('c1', AT, [ok(created(tenant), 't-ann')], newId, sourceIdentifiers(tenant));
    expect(e!.sourceIdentity.details).toStrictEqual({ userPrincipalName: upn('ann') });
  });

  it('a group carries its mail nickname when it has one, and no details when it has none', () => {
    const tenant = aTenant([aUser('ann')], [aGroup('Sales', ['ann']), aGroup('Ops', ['ann'])], ['ann', 'Sales', 'Ops']);
    tenant.groups[0]!.attributes['mailNickname'] = 'sales-team';
    const changes = changesOf({ tenant, work: ['Sales', 'Ops'], observed: { Sales: notFound('Sales'), Ops: notFound('Ops') } });
    const creates = changes.filter((c) => c.action === 'create');
    expect(creates.map((c) => c.object.displayName)).toEqual(['Sales', 'Ops']);
    const [sales, ops] = buildLogEntries(
      'c1',
      AT,
      creates.map((c) => ok(c, `t-${c.object.displayName}`)),
      newId,
      sourceIdentifiers(tenant),
    );
    expect(sales!.sourceIdentity.details).toStrictEqual({ mailNickname: 'sales-team' });
    expect(ops!.sourceIdentity).not.toHaveProperty('details');
  });

  it('an object the source no longer has (a hard delete) has no details', () => {
    const tenant = aTenant([]);
    const [staged] = changesOf({ tenant, links: [anAnchor('ann')], job: aJob({ settings: { accidentalDeletionThreshold: 1 } }) });
    const [e] = buildLogEntries('c1', AT, [skipped(staged!)], newId, sourceIdentifiers(tenant));
    expect(e!.sourceIdentity).toStrictEqual({ id: id('ann'), type: 'User', displayName: anAnchor('ann').displayName });
  });

  it('without a way to identify sources, entries have no details (the shape entries had before)', () => {
    const tenant = aTenant([aUser('ann')]);
    const [e] = buildLogEntries('c1', AT, [ok(created(tenant), 't-ann')], newId);
    expect(e!.sourceIdentity).not.toHaveProperty('details');
  });

  it("takes the identifiers from the cycle's kept view when it has one, without reading the user's UPN or attributes", () => {
    const tenant = aTenant([aUser('ann')]);
    const reads = { attributes: 0, upn: 0 };
    const user = tenant.users[0]!;
    const { attributes, userPrincipalName } = user;
    const change = created(tenant);
    // A user read back from its file: each read of `attributes` or `userPrincipalName` would read the file again.
    Object.defineProperty(user, 'attributes', {
      get: () => {
        reads.attributes++;
        return attributes;
      },
    });
    Object.defineProperty(user, 'userPrincipalName', {
      get: () => {
        reads.upn++;
        return userPrincipalName;
      },
    });
    const view = {
      attributes: { ...attributes, mailNickname: 'ann-from-view', originalUserPrincipalName: 'Ann.From.View@contoso.com' },
      appRoleAssignments: [],
    };
    const desired = new Map([[user.id, { keptView: () => view } as unknown as DesiredObject]]);
    const [e] = buildLogEntries('c1', AT, [ok(change, 't-ann')], newId, sourceIdentifiers(tenant, desired));
    expect(e!.sourceIdentity.details).toStrictEqual({ userPrincipalName: 'Ann.From.View@contoso.com', mailNickname: 'ann-from-view' });
    expect(reads).toStrictEqual({ attributes: 0, upn: 0 });
    // Without a kept view, the tenant's user answers.
    const none = new Map([[user.id, { keptView: () => null } as unknown as DesiredObject]]);
    const [f] = buildLogEntries('c1', AT, [ok(change, 't-ann')], newId, sourceIdentifiers(tenant, none));
    expect(f!.sourceIdentity.details).toStrictEqual({ userPrincipalName: upn('ann'), mailNickname: 'ann' });
    expect(reads).toStrictEqual({ attributes: 1, upn: 1 });
  });

  it('writes the entry of a change already sent when the fixture file changed since: identified by UPN alone', () => {
    const tenant = aTenant([aUser('ann')]);
    // Planned and sent while the file was as loaded; the entry is written after it changed.
    const createdBefore = created(tenant);
    Object.defineProperty(tenant.users[0]!, 'attributes', {
      get: () => {
        throw new FixtureChangedError('users.jsonl');
      },
    });
    const [e] = buildLogEntries('c1', AT, [ok(createdBefore, 't-ann')], newId, sourceIdentifiers(tenant));
    expect(e!.sourceIdentity.details).toStrictEqual({ userPrincipalName: upn('ann') });
    // A user that reads its UPN back too: the entry is written, identified by its id alone.
    Object.defineProperty(tenant.users[0]!, 'userPrincipalName', {
      get: () => {
        throw new FixtureChangedError('users.jsonl');
      },
    });
    const [f] = buildLogEntries('c1', AT, [ok(createdBefore, 't-ann')], newId, sourceIdentifiers(tenant));
    expect(f!.sourceIdentity.id).toBe(e!.sourceIdentity.id);
    expect(f!.sourceIdentity).not.toHaveProperty('details');
  });

  it("each entry gets its own copy of the details: editing one entry leaves the next cycle's alone", () => {
    const tenant = aTenant([aUser('ann')]);
    const identify = sourceIdentifiers(tenant);
    const [a] = buildLogEntries('c1', AT, [ok(created(tenant), 't-ann')], newId, identify);
    a!.sourceIdentity.details!.mailNickname = 'changed';
    const [b] = buildLogEntries('c2', AT, [ok(created(tenant), 't-ann')], newId, identify);
    expect(b!.sourceIdentity.details).toStrictEqual({ userPrincipalName: upn('ann'), mailNickname: 'ann' });
  });
});

/** The create of the tenant's first user, `ann`, against an empty target. */
function created(tenant: ReturnType<typeof aTenant>): Change {
  return changesOf({ tenant, observed: { ann: notFound('ann') } })[0]!;
}
