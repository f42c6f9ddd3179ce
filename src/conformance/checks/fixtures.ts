/**
 * The objects quirk probes and protocol checks set up for themselves, created the way Entra creates them
 * (spec §1.5, §1.10): a user POST with JSON booleans and the work email as primary; a group POST without
 * members, then the members added by PATCH (lowercase `add`, so setting up never depends on a quirk).
 * Every name comes from RunObjects, so cleanup finds it.
 */
import { memberAddOperation } from '../../scim/dialect.js';
import { postTo, sameRefusal, type Dependency } from './dependencies.js';
import { CORE_GROUP, CORE_USER, ENTERPRISE, type CheckContext } from './kit.js';

export interface CreatedUser {
  id: string;
  userName: string;
}

export interface CreatedGroup {
  id: string;
  displayName: string;
}

/**
 * POST /Users. `extra` adds or overrides attributes; a key set to `undefined` is left out of the body
 * (e.g. `{emails: undefined}` for a user with no email yet).
 */
export async function createUser(ctx: CheckContext, label: string, extra: Record<string, unknown> = {}): Promise<CreatedUser> {
  const userName = ctx.objects.userName(label);
  const body: Record<string, unknown> = {
    schemas: [CORE_USER, ENTERPRISE],
    externalId: `provsim-${ctx.objects.runId}-${label}`,
    userName,
    active: true,
    displayName: `provsim ${label} ${ctx.objects.runId}`,
    name: { givenName: 'Probe', familyName: label },
    emails: [{ primary: true, type: 'work', value: userName }],
    meta: { resourceType: 'User' },
    ...extra,
  };
  for (const key of Object.keys(body)) if (body[key] === undefined) delete body[key];
  const created = await ctx.client.create('Users', body);
  return { id: created.id!, userName };
}

/** POST /Groups, then one PATCH adding `memberIds` (if any). */
export async function createGroup(ctx: CheckContext, label: string, memberIds: readonly string[] = []): Promise<CreatedGroup> {
  const displayName = ctx.objects.groupName(label);
  const created = await ctx.client.create('Groups', {
    schemas: [CORE_GROUP],
    externalId: `provsim-${ctx.objects.runId}-${label}`,
    displayName,
    meta: { resourceType: 'Group' },
  });
  if (memberIds.length > 0) await ctx.client.patch('Groups', created.id!, [memberAddOperation('aadOptscim062020', memberIds)]);
  return { id: created.id!, displayName };
}

/**
 * What every check that sets up its own objects depends on: a setup POST refused the way the checks that
 * test that POST saw it refused is their failure, not a new one.
 */
export function setupDependencies(): readonly Dependency[] {
  return [sameRefusal('protocol.create-user', postTo('Users')), sameRefusal('protocol.filter-group', postTo('Groups'))];
}
