/**
 * The lifecycle (part 1): the real engine (runCycle, Entra's default mapping) syncs successive snapshots
 * of the scenario tenant (scenario.ts); after each cycle a step verifies the target by its own GETs.
 * Steps run in this order, each on the state the previous ones left; a step without `change` verifies the
 * cycle of the step before it. Severities follow Microsoft's Logic App (spec §6.2): Delete_User and
 * Delete_Group are optional there, the rest mandatory.
 */
import type { ChangeOutcome } from '../../engine/outcome.js';
import type { Change } from '../../engine/plan.js';
import type { ScimResource } from '../../scim/types.js';
import type { Scenario, ScenarioState, ScenarioUser, SubjectAttributes } from '../scenario.js';
import type { Evidence, Severity } from '../types.js';
import type { CheckInfo } from './definition.js';
import { CheckFailure, element, ENTERPRISE, expect, findOne, managerOf, memberIdsOf, prop, read, sameSet, show, type CheckContext, type CheckOutcome } from './kit.js';

export interface LifecycleContext extends CheckContext {
  scenario: Scenario;
  /** The target id of a scenario object, as the verifier found it by name (never from the engine). */
  targetId(key: ScenarioUser | 'group'): Promise<string>;
  /** The exchanges of the cycle this step verifies. */
  cycleEvidence: Evidence[];
  /** What the engine did in that cycle, per change. */
  outcomes: ChangeOutcome[];
}

export interface LifecycleStep extends CheckInfo {
  severity: Severity;
  /** The tenant change synced before verifying; absent: this step verifies the previous step's cycle. */
  change?: (state: ScenarioState) => ScenarioState;
  /**
   * The engine change this step is about, which must have been sent and accepted. Without it a step could
   * pass by coincidence: "re-enabled" reads back active true also when the disable before it never
   * happened. The GET verifies the target's state; this verifies that the step's request caused it.
   */
  engine: { object: 'user' | 'group'; action: Change['action'] };
  verify(ctx: LifecycleContext): Promise<CheckOutcome>;
}

function step(fields: Omit<LifecycleStep, 'part'>): LifecycleStep {
  return { part: 'lifecycle', ...fields };
}

async function subject(ctx: LifecycleContext): Promise<ScimResource> {
  return read(ctx, 'Users', await ctx.targetId('user'), `the user ${ctx.scenario.userNames.user}`);
}

function expectAttributes(user: ScimResource, a: SubjectAttributes): string {
  const checks: Array<[string, unknown, string]> = [
    ['displayName', prop(user, 'displayName'), a.displayName],
    ['title', prop(user, 'title'), a.jobTitle],
    ['name.givenName', prop(prop(user, 'name'), 'givenName'), a.givenName],
    ['name.familyName', prop(prop(user, 'name'), 'familyName'), a.surname],
    ['emails[type eq "work"].value', prop(element(user, 'emails', 'type', 'work'), 'value'), a.mail],
    [`${ENTERPRISE}:department`, prop(prop(user, ENTERPRISE), 'department'), a.department],
  ];
  const wrong = checks.filter(([, got, wanted]) => got !== wanted).map(([name, got, wanted]) => `${name} is ${show(got)}, expected "${wanted}"`);
  expect(wrong.length === 0, `the user reads back with ${wrong.join('; ')}`);
  return checks.map(([name]) => name).join(', ');
}

function expectActive(user: ScimResource, wanted: boolean, why: string): string {
  const active = prop(user, 'active');
  expect(active === wanted, `${why}: the user reads back with active ${show(active)}, expected the JSON boolean ${wanted}`);
  return `active is ${wanted}`;
}

async function expectManager(ctx: LifecycleContext, wanted: 'manager1' | 'manager2' | null): Promise<CheckOutcome> {
  const got = managerOf(await subject(ctx));
  if (wanted === null) {
    expect(got.id === null, `the manager was removed in Entra, but the user still reads back with manager ${show(got.id)}`);
    return { message: 'the user reads back without a manager' };
  }
  const id = await ctx.targetId(wanted);
  expect(got.id === id, `the user reads back with manager ${show(got.id)}, expected ${id} (${ctx.scenario.userNames[wanted]})`);
  expect(got.complex, `the manager reads back as the bare string "${got.id}", not {"value": "${got.id}"}; Entra then sees no manager and re-sends the PATCH every cycle (spec §1.7)`);
  return { message: `the user's manager is ${ctx.scenario.userNames[wanted]} (${id})` };
}

async function expectMembers(ctx: LifecycleContext, wanted: ScenarioUser[]): Promise<string[]> {
  const groupId = await ctx.targetId('group');
  const ids = await Promise.all(wanted.map((m) => ctx.targetId(m)));
  const got = await memberIdsOf(ctx, groupId);
  expect(sameSet(got, ids), `the group reads back with members ${show(got)}, expected ${show(ids)} (${wanted.map((m) => ctx.scenario.userNames[m]).join(', ')})`);
  return ids;
}

async function expectGone(ctx: LifecycleContext, resource: 'Users' | 'Groups', key: ScenarioUser | 'group', names: string[]): Promise<CheckOutcome> {
  const id = await ctx.targetId(key);
  expect((await ctx.client.get(resource, id)) === null, `GET /${resource}/${id} still finds the object after Entra deleted it`);
  for (const name of names) {
    const found = await ctx.client.filter(resource, resource === 'Users' ? 'userName' : 'displayName', name);
    expect(found.length === 0, `a filter for "${name}" still finds ${show(found.map((f) => f.id))}`);
  }
  return { message: `GET /${resource}/${id} answers 404 and no filter finds it` };
}

export const LIFECYCLE_STEPS: readonly LifecycleStep[] = [
  step({
    id: 'lifecycle.user.create',
    title: 'create a user (and the users it will need)',
    severity: 'mandatory',
    engine: { object: 'user', action: 'create' },
    source: 'spec §1.5, §6.2 Create_User',
    change: (s) => s,
    verify: async (ctx) => {
      const user = await findOne(ctx, 'Users', 'userName', ctx.scenario.userNames.user);
      const verified = expectAttributes(user, ctx.scenario.subject.initial);
      expectActive(user, true, 'after the create');
      for (const key of ['manager1', 'manager2', 'member'] as const) await findOne(ctx, 'Users', 'userName', ctx.scenario.userNames[key]);
      return { message: `the user exists with ${verified} and active true; the three other users exist` };
    },
  }),
  step({
    id: 'lifecycle.user.update',
    title: 'update attributes (display name, title, given name, department, work email)',
    severity: 'mandatory',
    engine: { object: 'user', action: 'update' },
    source: 'spec §1.6, §6.2 Update_User',
    change: (s) => ({ ...s, userUpdated: true }),
    verify: async (ctx) => ({ message: `the user reads back with the new ${expectAttributes(await subject(ctx), ctx.scenario.subject.updated)}` }),
  }),
  step({
    id: 'lifecycle.user.disable',
    title: 'disable (accountEnabled false → active false)',
    severity: 'mandatory',
    engine: { object: 'user', action: 'disable' },
    source: 'spec §1.8, §5.5, §6.2 Disable_User (mandatory)',
    change: (s) => ({ ...s, accountEnabled: false }),
    verify: async (ctx) => ({ message: expectActive(await subject(ctx), false, 'accountEnabled was set to false in Entra') }),
  }),
  step({
    id: 'lifecycle.user.enable',
    title: 're-enable (accountEnabled true → active true)',
    severity: 'mandatory',
    engine: { object: 'user', action: 'update' },
    source: 'spec §1.8, §5.5',
    change: (s) => ({ ...s, accountEnabled: true }),
    verify: async (ctx) => ({ message: expectActive(await subject(ctx), true, 'accountEnabled was set back to true in Entra') }),
  }),
  step({
    id: 'lifecycle.manager.set',
    title: 'set the manager',
    severity: 'mandatory',
    engine: { object: 'user', action: 'set-manager' },
    source: 'spec §1.7, §6.2 User_Update_Manager',
    change: (s) => ({ ...s, manager: 'manager1' }),
    verify: (ctx) => expectManager(ctx, 'manager1'),
  }),
  step({
    id: 'lifecycle.manager.change',
    title: 'change the manager',
    severity: 'mandatory',
    engine: { object: 'user', action: 'set-manager' },
    source: 'spec §1.7, §6.2 User_Update_Manager',
    change: (s) => ({ ...s, manager: 'manager2' }),
    verify: (ctx) => expectManager(ctx, 'manager2'),
  }),
  step({
    id: 'lifecycle.manager.remove',
    title: 'remove the manager',
    severity: 'mandatory',
    engine: { object: 'user', action: 'set-manager' },
    source: 'spec §1.7, §6.2 User_Update_Manager',
    change: (s) => ({ ...s, manager: null }),
    verify: (ctx) => expectManager(ctx, null),
  }),
  step({
    id: 'lifecycle.group.create',
    title: 'create a group',
    severity: 'mandatory',
    engine: { object: 'group', action: 'create' },
    source: 'spec §1.10, §6.2 Create_Group',
    change: (s) => ({ ...s, group: { renamed: false, members: ['manager1', 'manager2', 'member'] } }),
    verify: async (ctx) => {
      const group = await findOne(ctx, 'Groups', 'displayName', ctx.scenario.groupName);
      expect(prop(group, 'externalId') === ctx.scenario.ids.group, `the group reads back with externalId ${show(prop(group, 'externalId'))}, expected the Entra object id ${ctx.scenario.ids.group}`);
      return { message: `the group "${ctx.scenario.groupName}" exists with externalId = its Entra object id` };
    },
  }),
  step({
    id: 'lifecycle.group.add-members',
    title: 'add several members in one PATCH',
    severity: 'mandatory',
    engine: { object: 'group', action: 'add-members' },
    source: 'spec §1.10, §6.2 Group_Update_Add_Member; gallery checklist (multi-member PATCH)',
    verify: async (ctx) => {
      const ids = await expectMembers(ctx, ['manager1', 'manager2', 'member']);
      const groupId = await ctx.targetId('group');
      const patches = ctx.cycleEvidence.filter((e) => e.method === 'PATCH' && e.url.includes(`/Groups/${encodeURIComponent(groupId)}`));
      const multi = patches.find((e) => memberValuesIn(e.requestBody) >= ids.length);
      expect(multi !== undefined, `the engine added the members in ${patches.length} PATCH(es), none with all ${ids.length}; this step cannot show that one PATCH with several members works`);
      return { message: `one PATCH added ${ids.length} members (answered ${multi.status}); the group reads back with exactly them` };
    },
  }),
  step({
    id: 'lifecycle.group.rename',
    title: 'rename the group',
    severity: 'mandatory',
    engine: { object: 'group', action: 'update' },
    source: 'spec §1.10, §6.2 Update_Group',
    change: (s) => ({ ...s, group: s.group && { ...s.group, renamed: true } }),
    verify: async (ctx) => {
      const id = await ctx.targetId('group');
      const renamed = await findOne(ctx, 'Groups', 'displayName', ctx.scenario.groupRenamed);
      expect(renamed.id === id, `the filter for the new name found ${renamed.id}, expected the same group ${id}`);
      const old = await ctx.client.filter('Groups', 'displayName', ctx.scenario.groupName);
      expect(old.length === 0, `the old name "${ctx.scenario.groupName}" still finds ${show(old.map((g) => g.id))}`);
      return { message: `the group is found by its new name "${ctx.scenario.groupRenamed}" and no longer by the old one` };
    },
  }),
  step({
    id: 'lifecycle.group.remove-member',
    title: 'remove one member (the others must survive)',
    severity: 'mandatory',
    engine: { object: 'group', action: 'remove-members' },
    source: 'spec §1.10, §1.14, §6.2 Group_Update_Remove_Member',
    change: (s) => ({ ...s, group: s.group && { ...s.group, members: ['manager1', 'manager2'] } }),
    verify: async (ctx) => {
      await expectMembers(ctx, ['manager1', 'manager2']);
      return { message: 'the removed member is gone and the other two survived' };
    },
  }),
  step({
    id: 'lifecycle.group.delete',
    title: 'delete the group',
    severity: 'optional',
    engine: { object: 'group', action: 'delete' },
    source: 'spec §1.10, §6.2 Delete_Group (optional)',
    change: (s) => ({ ...s, group: null }),
    verify: (ctx) => expectGone(ctx, 'Groups', 'group', [ctx.scenario.groupName, ctx.scenario.groupRenamed]),
  }),
  step({
    id: 'lifecycle.user.unassign',
    title: 'unassign the user (disabled, not deleted)',
    severity: 'mandatory',
    engine: { object: 'user', action: 'disable' },
    source: 'spec §5.5, §6.2 Restore_User',
    change: (s) => ({ ...s, userAssigned: false }),
    verify: async (ctx) => ({ message: `the user still exists; ${expectActive(await subject(ctx), false, 'the user was unassigned in Entra')}` }),
  }),
  step({
    id: 'lifecycle.user.restore',
    title: 'assign the user again (re-enabled)',
    severity: 'mandatory',
    engine: { object: 'user', action: 'update' },
    source: 'spec §5.5, §6.2 Restore_User',
    change: (s) => ({ ...s, userAssigned: true }),
    verify: async (ctx) => ({ message: expectActive(await subject(ctx), true, 'the user was assigned again in Entra') }),
  }),
  step({
    id: 'lifecycle.user.soft-delete',
    title: 'soft delete (recycle bin → active false)',
    severity: 'optional',
    engine: { object: 'user', action: 'disable' },
    source: 'spec §5.5, §6.2 Delete_User (optional)',
    change: (s) => ({ ...s, softDeleted: true }),
    verify: async (ctx) => ({ message: `the user still exists; ${expectActive(await subject(ctx), false, 'the user was soft-deleted in Entra')}` }),
  }),
  step({
    id: 'lifecycle.user.hard-delete',
    title: 'hard delete (DELETE)',
    severity: 'optional',
    engine: { object: 'user', action: 'delete' },
    source: 'spec §1.9, §5.5, §6.2 Delete_User (optional)',
    change: (s) => ({ ...s, userPresent: false }),
    verify: (ctx) => expectGone(ctx, 'Users', 'user', [ctx.scenario.userNames.user]),
  }),
];

/**
 * Throws when the step's engine change was not sent, or was refused: the target's state then does not
 * show that the step works, whatever the GET says.
 */
export function expectEngineChange(step: LifecycleStep, ctx: LifecycleContext): void {
  const sourceId = ctx.scenario.ids[step.engine.object];
  const name = step.engine.object === 'group' ? 'the group' : `the user ${ctx.scenario.userNames.user}`;
  const mine = ctx.outcomes.filter((o) => o.change.object.sourceId === sourceId);
  const sent = mine.filter((o) => o.change.action === step.engine.action);
  const refused = sent.find((o) => o.status === 'failure');
  if (refused) throw new CheckFailure(`the target reads back as expected, but the engine's ${step.engine.action} of ${name} in this step was refused: ${refused.failure?.code}: ${refused.failure?.message}`);
  if (sent.length === 0) {
    const why = mine.map((o) => `${o.change.action}${o.status !== 'success' ? ` (${o.status}${o.failure ? `: ${o.failure.code}` : ''})` : ''}: ${o.change.reason}`).join('; ');
    throw new CheckFailure(`the target reads back as expected, but the engine sent no ${step.engine.action} for ${name} in this step, so it does not show that this step works${why ? ` (the engine did: ${why})` : ''}; see the steps before`);
  }
}

/** The engine's failures on the step's object in the step's cycle, for failure messages. */
export function engineFailures(step: LifecycleStep, ctx: LifecycleContext): string[] {
  const sourceId = ctx.scenario.ids[step.engine.object];
  return ctx.outcomes.filter((o) => o.change.object.sourceId === sourceId && o.status === 'failure').map((o) => `${o.change.action}: ${o.failure?.code}: ${o.failure?.message}`);
}

/** How many member values the largest op of a PATCH body carries. */
function memberValuesIn(body: unknown): number {
  const operations = prop(body, 'Operations');
  if (!Array.isArray(operations)) return 0;
  return Math.max(0, ...operations.map((o) => (String(prop(o, 'path') ?? '').toLowerCase() === 'members' && Array.isArray(prop(o, 'value')) ? (prop(o, 'value') as unknown[]).length : 0)));
}
