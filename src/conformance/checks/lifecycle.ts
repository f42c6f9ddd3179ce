/**
 * The lifecycle (part 1): the real engine (runCycle, Entra's default mapping) syncs successive snapshots
 * of the scenario tenant (scenario.ts); after each cycle a step verifies the target by its own GETs.
 * Steps run in this order, each on the state the previous ones left; a step without `change` verifies the
 * cycle of the step before it. Severities follow Microsoft's Logic App (spec §6.2): Delete_User and
 * Delete_Group are optional there, the rest mandatory.
 *
 * A step verifies the state it claims: where its end state could also be read back when the step before
 * it never took effect (re-enabled reads back active true whether or not the disable happened), it first
 * reads the state it starts from (`precondition`), and fails as not verifiable when that is not there.
 * Each step declares what it depends on: the step whose state it starts from, the steps that create its
 * objects, and the quirks its requests carry (consequences.ts decides, from the evidence, whether one of
 * their failures explains the step's).
 */
import type { ChangeOutcome } from '../../engine/outcome.js';
import type { Change } from '../../engine/plan.js';
import type { DialectName, ScimResource } from '../../scim/types.js';
import type { Scenario, ScenarioState, ScenarioUser, SubjectAttributes } from '../scenario.js';
import type { Evidence, Severity } from '../types.js';
import type { CheckInfo } from './definition.js';
import { createdObject, leftState, patchWith, sameRefusal, sameWrongResult, type Dependency } from './dependencies.js';
import {
  CheckFailure,
  element,
  ENTERPRISE,
  expect,
  findOne,
  managerOf,
  memberIdsOf,
  prop,
  read,
  sameSet,
  show,
  type CheckContext,
  type CheckOutcome,
} from './kit.js';
import { MANAGER_READ_BACK_BARE, MEMBERS_KEPT, MEMBERS_LOST, probeOf } from './quirks.js';
import { activeSetTo, type RequestShape } from './request-shapes.js';

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
  /**
   * Read before this step's cycle: the state the step `after` was to leave, which this step's verify
   * could otherwise not tell from "nothing happened". Throws CheckFailure (expect) when it is not there;
   * the runner then fails the step as not verifiable (a consequence of `after` when that failed).
   */
  precondition?: { after: string; check(ctx: LifecycleContext): Promise<void> };
  /** The scenario objects the step reads (created by lifecycle.user.create and lifecycle.group.create). */
  needs: ReadonlyArray<ScenarioUser | 'group'>;
  /** The quirk rows (quirks.ts) whose shapes the engine's requests in this step carry, in either dialect. */
  shapes: readonly string[];
  /** An earlier step that sends the same request (`shape`): accepted and read back wrong alike, this step is its consequence. */
  alike?: { step: string; shape: RequestShape };
}

type StepFields = Omit<LifecycleStep, 'part' | 'dependsOn'>;

function step(fields: StepFields): LifecycleStep {
  return { part: 'lifecycle', ...fields, dependsOn: (dialect) => stepDependencies(fields, dialect) };
}

/**
 * In the order they are tried: the state it starts from, the objects it needs, then each quirk's probe in
 * the run's dialect, refused alike or read back wrong alike.
 */
function stepDependencies(fields: StepFields, dialect: DialectName): Dependency[] {
  const deps: Dependency[] = [];
  if (fields.precondition) deps.push(leftState(fields.precondition.after));
  for (const object of fields.needs) {
    const creator = object === 'group' ? 'lifecycle.group.create' : 'lifecycle.user.create';
    if (creator !== fields.id) deps.push(createdObject(creator, object));
  }
  for (const quirk of fields.shapes) {
    const probe = probeOf(quirk, dialect);
    if (!probe?.shape) continue;
    deps.push(sameRefusal(probe.id, patchWith(probe.shape)), sameWrongResult(probe.id, patchWith(probe.shape)));
  }
  if (fields.alike) deps.push(sameWrongResult(fields.alike.step, patchWith(fields.alike.shape)));
  return deps;
}

/** Every PATCH of a user attribute: the legacy op names, and the shapes each dialect gives attributes. */
const ATTRIBUTE_SHAPES = ['capitalised-ops', 'add-missing-filtered-path', 'pathless-replace', 'pathless-add'];
const ACTIVE_SHAPES = ['capitalised-ops', 'string-booleans'];
const MANAGER_SHAPES = ['capitalised-ops', 'manager-bare-id', 'manager-object-form'];
const ALL_USERS = ['user', 'manager1', 'manager2', 'member'] as const;

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
  const wrong = checks
    .filter(([, got, wanted]) => got !== wanted)
    .map(([name, got, wanted]) => `${name} is ${show(got)}, expected "${wanted}"`);
  expect(wrong.length === 0, `the user reads back with ${wrong.join('; ')}`);
  return checks.map(([name]) => name).join(', ');
}

/** The symptom of an `active` change that was accepted but not stored. */
const activeNotStored = (wanted: boolean): string => `active-${wanted}-not-stored`;

function expectActive(user: ScimResource, wanted: boolean, why: string): string {
  const active = prop(user, 'active');
  if (active !== wanted)
    throw new CheckFailure(`${why}: the user reads back with active ${show(active)}, expected the JSON boolean ${wanted}`, undefined, {
      symptom: activeNotStored(wanted),
    });
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
  if (!got.complex)
    throw new CheckFailure(
      `the manager reads back as the bare string "${got.id}", not {"value": "${got.id}"}; Entra then sees no manager and re-sends the PATCH every cycle (spec §1.7)`,
      undefined,
      { symptom: MANAGER_READ_BACK_BARE },
    );
  return { message: `the user's manager is ${ctx.scenario.userNames[wanted]} (${id})` };
}

/** Precondition: the user's manager is `wanted` before the step's cycle (by id, whatever its form). */
async function expectManagerBefore(ctx: LifecycleContext, wanted: 'manager1' | 'manager2', step: string): Promise<void> {
  const got = managerOf(await subject(ctx));
  const id = await ctx.targetId(wanted);
  expect(
    got.id === id,
    `before ${step} the user reads back with manager ${show(got.id)}, expected ${id} (${ctx.scenario.userNames[wanted]})`,
  );
}

async function expectMembers(ctx: LifecycleContext, wanted: ScenarioUser[]): Promise<string[]> {
  const groupId = await ctx.targetId('group');
  const ids = await Promise.all(wanted.map((m) => ctx.targetId(m)));
  const got = await memberIdsOf(ctx, groupId);
  if (!sameSet(got, ids)) {
    const lost = ids.some((id) => !got.some((g) => g.toLowerCase() === id.toLowerCase()));
    throw new CheckFailure(
      `the group reads back with members ${show(got)}, expected ${show(ids)} (${wanted.map((m) => ctx.scenario.userNames[m]).join(', ')})`,
      undefined,
      { symptom: lost ? MEMBERS_LOST : MEMBERS_KEPT },
    );
  }
  return ids;
}

/** Precondition: the object is still there (a delete of an object that is already gone shows nothing). */
async function expectPresent(
  ctx: LifecycleContext,
  resource: 'Users' | 'Groups',
  key: ScenarioUser | 'group',
  what: string,
): Promise<void> {
  await read(ctx, resource, await ctx.targetId(key), `${what}, which this step deletes,`);
}

async function expectGone(
  ctx: LifecycleContext,
  resource: 'Users' | 'Groups',
  key: ScenarioUser | 'group',
  names: string[],
): Promise<CheckOutcome> {
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
    needs: ALL_USERS,
    shapes: [],
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
    needs: ['user'],
    shapes: ATTRIBUTE_SHAPES,
    verify: async (ctx) => ({
      message: `the user reads back with the new ${expectAttributes(await subject(ctx), ctx.scenario.subject.updated)}`,
    }),
  }),
  step({
    id: 'lifecycle.user.disable',
    title: 'disable (accountEnabled false → active false)',
    severity: 'mandatory',
    engine: { object: 'user', action: 'disable' },
    source: 'spec §1.8, §5.5, §6.2 Disable_User (mandatory)',
    change: (s) => ({ ...s, accountEnabled: false }),
    needs: ['user'],
    shapes: ACTIVE_SHAPES,
    precondition: {
      after: 'lifecycle.user.create',
      check: async (ctx) => void expectActive(await subject(ctx), true, 'before the disable'),
    },
    verify: async (ctx) => ({ message: expectActive(await subject(ctx), false, 'accountEnabled was set to false in Entra') }),
  }),
  step({
    id: 'lifecycle.user.enable',
    title: 're-enable (accountEnabled true → active true)',
    severity: 'mandatory',
    engine: { object: 'user', action: 'update' },
    source: 'spec §1.8, §5.5',
    change: (s) => ({ ...s, accountEnabled: true }),
    needs: ['user'],
    shapes: ACTIVE_SHAPES,
    precondition: {
      after: 'lifecycle.user.disable',
      check: async (ctx) => void expectActive(await subject(ctx), false, 'before the re-enable'),
    },
    verify: async (ctx) => ({ message: expectActive(await subject(ctx), true, 'accountEnabled was set back to true in Entra') }),
  }),
  step({
    id: 'lifecycle.manager.set',
    title: 'set the manager',
    severity: 'mandatory',
    engine: { object: 'user', action: 'set-manager' },
    source: 'spec §1.7, §6.2 User_Update_Manager',
    change: (s) => ({ ...s, manager: 'manager1' }),
    needs: ['user', 'manager1'],
    shapes: MANAGER_SHAPES,
    verify: (ctx) => expectManager(ctx, 'manager1'),
  }),
  step({
    id: 'lifecycle.manager.change',
    title: 'change the manager',
    severity: 'mandatory',
    engine: { object: 'user', action: 'set-manager' },
    source: 'spec §1.7, §6.2 User_Update_Manager',
    change: (s) => ({ ...s, manager: 'manager2' }),
    needs: ['user', 'manager2'],
    shapes: MANAGER_SHAPES,
    precondition: { after: 'lifecycle.manager.set', check: (ctx) => expectManagerBefore(ctx, 'manager1', 'the change') },
    verify: (ctx) => expectManager(ctx, 'manager2'),
  }),
  step({
    id: 'lifecycle.manager.remove',
    title: 'remove the manager',
    severity: 'mandatory',
    engine: { object: 'user', action: 'set-manager' },
    source: 'spec §1.7, §6.2 User_Update_Manager',
    change: (s) => ({ ...s, manager: null }),
    needs: ['user'],
    shapes: MANAGER_SHAPES,
    precondition: { after: 'lifecycle.manager.change', check: (ctx) => expectManagerBefore(ctx, 'manager2', 'the removal') },
    verify: (ctx) => expectManager(ctx, null),
  }),
  step({
    id: 'lifecycle.group.create',
    title: 'create a group',
    severity: 'mandatory',
    engine: { object: 'group', action: 'create' },
    source: 'spec §1.10, §6.2 Create_Group',
    change: (s) => ({ ...s, group: { renamed: false, members: ['manager1', 'manager2', 'member'] } }),
    needs: ['group'],
    shapes: [],
    verify: async (ctx) => {
      const group = await findOne(ctx, 'Groups', 'displayName', ctx.scenario.groupName);
      expect(
        prop(group, 'externalId') === ctx.scenario.ids.group,
        `the group reads back with externalId ${show(prop(group, 'externalId'))}, expected the Entra object id ${ctx.scenario.ids.group}`,
      );
      return { message: `the group "${ctx.scenario.groupName}" exists with externalId = its Entra object id` };
    },
  }),
  step({
    id: 'lifecycle.group.add-members',
    title: 'add several members in one PATCH',
    severity: 'mandatory',
    engine: { object: 'group', action: 'add-members' },
    source: 'spec §1.10, §6.2 Group_Update_Add_Member; gallery checklist (multi-member PATCH)',
    needs: ['group', 'manager1', 'manager2', 'member'],
    shapes: ['capitalised-ops'],
    verify: async (ctx) => {
      const ids = await expectMembers(ctx, ['manager1', 'manager2', 'member']);
      const groupId = await ctx.targetId('group');
      const patches = ctx.cycleEvidence.filter((e) => e.method === 'PATCH' && e.url.includes(`/Groups/${encodeURIComponent(groupId)}`));
      const multi = patches.find((e) => memberValuesIn(e.requestBody) >= ids.length);
      expect(
        multi !== undefined,
        `the engine added the members in ${patches.length} PATCH(es), none with all ${ids.length}; this step cannot show that one PATCH with several members works`,
      );
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
    needs: ['group'],
    shapes: ['capitalised-ops', 'pathless-replace'],
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
    needs: ['group', 'manager1', 'manager2', 'member'],
    shapes: ['capitalised-ops', 'member-remove'],
    precondition: {
      after: 'lifecycle.group.add-members',
      check: async (ctx) => void (await expectMembers(ctx, ['manager1', 'manager2', 'member'])),
    },
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
    needs: ['group'],
    shapes: [],
    precondition: { after: 'lifecycle.group.create', check: (ctx) => expectPresent(ctx, 'Groups', 'group', 'the group') },
    verify: (ctx) => expectGone(ctx, 'Groups', 'group', [ctx.scenario.groupName, ctx.scenario.groupRenamed]),
  }),
  step({
    id: 'lifecycle.user.unassign',
    title: 'unassign the user (disabled, not deleted)',
    severity: 'mandatory',
    engine: { object: 'user', action: 'disable' },
    source: 'spec §5.5, §6.2 Restore_User',
    change: (s) => ({ ...s, userAssigned: false }),
    needs: ['user'],
    shapes: ACTIVE_SHAPES,
    precondition: {
      after: 'lifecycle.user.enable',
      check: async (ctx) => void expectActive(await subject(ctx), true, 'before the unassignment'),
    },
    alike: { step: 'lifecycle.user.disable', shape: activeSetTo(false) },
    verify: async (ctx) => ({
      message: `the user still exists; ${expectActive(await subject(ctx), false, 'the user was unassigned in Entra')}`,
    }),
  }),
  step({
    id: 'lifecycle.user.restore',
    title: 'assign the user again (re-enabled)',
    severity: 'mandatory',
    engine: { object: 'user', action: 'update' },
    source: 'spec §5.5, §6.2 Restore_User',
    change: (s) => ({ ...s, userAssigned: true }),
    needs: ['user'],
    shapes: ACTIVE_SHAPES,
    precondition: {
      after: 'lifecycle.user.unassign',
      check: async (ctx) => void expectActive(await subject(ctx), false, 'before the new assignment'),
    },
    alike: { step: 'lifecycle.user.enable', shape: activeSetTo(true) },
    verify: async (ctx) => ({ message: expectActive(await subject(ctx), true, 'the user was assigned again in Entra') }),
  }),
  step({
    id: 'lifecycle.user.soft-delete',
    title: 'soft delete (recycle bin → active false)',
    severity: 'optional',
    engine: { object: 'user', action: 'disable' },
    source: 'spec §5.5, §6.2 Delete_User (optional)',
    change: (s) => ({ ...s, softDeleted: true }),
    needs: ['user'],
    shapes: ACTIVE_SHAPES,
    precondition: {
      after: 'lifecycle.user.restore',
      check: async (ctx) => void expectActive(await subject(ctx), true, 'before the soft delete'),
    },
    alike: { step: 'lifecycle.user.disable', shape: activeSetTo(false) },
    verify: async (ctx) => ({
      message: `the user still exists; ${expectActive(await subject(ctx), false, 'the user was soft-deleted in Entra')}`,
    }),
  }),
  step({
    id: 'lifecycle.user.hard-delete',
    title: 'hard delete (DELETE)',
    severity: 'optional',
    engine: { object: 'user', action: 'delete' },
    source: 'spec §1.9, §5.5, §6.2 Delete_User (optional)',
    change: (s) => ({ ...s, userPresent: false }),
    needs: ['user'],
    shapes: [],
    precondition: { after: 'lifecycle.user.create', check: (ctx) => expectPresent(ctx, 'Users', 'user', 'the user') },
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
  if (refused)
    throw new CheckFailure(
      `the target reads back as expected, but the engine's ${step.engine.action} of ${name} in this step was refused: ${refused.failure?.code}: ${refused.failure?.message}`,
    );
  if (sent.length === 0) {
    const why = mine
      .map(
        (o) =>
          `${o.change.action}${o.status !== 'success' ? ` (${o.status}${o.failure ? `: ${o.failure.code}` : ''})` : ''}: ${o.change.reason}`,
      )
      .join('; ');
    throw new CheckFailure(
      `the target reads back as expected, but the engine sent no ${step.engine.action} for ${name} in this step, so it does not show that this step works${why ? ` (the engine did: ${why})` : ''}; see the steps before`,
    );
  }
}

/** The engine's failures on the step's object in the step's cycle, for failure messages. */
export function engineFailures(step: LifecycleStep, ctx: LifecycleContext): string[] {
  const sourceId = ctx.scenario.ids[step.engine.object];
  return ctx.outcomes
    .filter((o) => o.change.object.sourceId === sourceId && o.status === 'failure')
    .map((o) => `${o.change.action}: ${o.failure?.code}: ${o.failure?.message}`);
}

/** How many member values the largest op of a PATCH body carries. */
function memberValuesIn(body: unknown): number {
  const operations = prop(body, 'Operations');
  if (!Array.isArray(operations)) return 0;
  return Math.max(
    0,
    ...operations.map((o) =>
      String(prop(o, 'path') ?? '').toLowerCase() === 'members' && Array.isArray(prop(o, 'value'))
        ? (prop(o, 'value') as unknown[]).length
        : 0,
    ),
  );
}
