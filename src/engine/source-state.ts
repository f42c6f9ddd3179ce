/**
 * The desired side of a cycle: each source object with its entitlement, scope, Entra's IsSoftDeleted,
 * its mapped values and its watermark hash. Pure (clock and random are injected for Now()/Guid()).
 */
import { createHash } from 'node:crypto';
import type { CompiledJob } from '../mapping/compile.js';
import { mapObject, type MappedObject } from '../mapping/map-object.js';
import { groupView, userView, type SourceView } from '../mapping/source-view.js';
import { computeEntitlements } from '../scoping/entitlement.js';
import { evaluateScope } from '../scoping/evaluate-scope.js';
import type { ObjectType } from '../scim/types.js';
import type { Clock } from '../shared/clock.js';
import type { Random } from '../shared/random.js';
import type { Tenant } from '../source/types.js';

/** Why a linked object should no longer be active in the target (spec §5.5). */
export type DeprovisionCause = 'unassigned' | 'out-of-scope' | 'disabled' | 'soft-deleted';

export interface SourceState {
  objectType: ObjectType;
  id: string;
  displayName: string;
  /** In the target and active: entitled, in scope, and (users) enabled and not soft-deleted. */
  provision: boolean;
  /** Why not, when `provision` is false. */
  cause: DeprovisionCause | null;
  /** For humans: the skip/deprovision explanation. */
  causeDetail: string | null;
  view: SourceView;
  mapped: MappedObject;
  /** Hash of everything the mapping can see; unchanged hash = nothing to do in an incremental cycle. */
  hash: string;
}

export function evaluateSource(tenant: Tenant, job: CompiledJob, deps: { clock: Clock; random: Random }): SourceState[] {
  const settings = job.job.settings;
  const entitlements = computeEntitlements(tenant, settings);
  const out: SourceState[] = [];

  for (const user of tenant.users) {
    const ent = entitlements.users.get(user.id)!;
    // Scope is evaluated on the raw attributes (IsSoftDeleted is what scope produces, not an input).
    const scope = evaluateScope(job.users.scoping, userView(user, false, ent.roles).attributes);
    let cause: DeprovisionCause | null = null;
    let causeDetail: string | null = null;
    if (!ent.entitled) [cause, causeDetail] = ['unassigned', ent.reason ?? 'not assigned'];
    else if (!scope.inScope) [cause, causeDetail] = ['out-of-scope', scope.reason ?? 'out of scope'];
    else if (user.softDeleted) [cause, causeDetail] = ['soft-deleted', 'the user is soft-deleted in Entra (recycle bin)'];
    else if (!user.accountEnabled) [cause, causeDetail] = ['disabled', 'accountEnabled is false in Entra'];
    const view = userView(user, cause !== null, ent.roles);
    out.push({
      objectType: 'User',
      id: user.id,
      displayName: typeof view.attributes['displayName'] === 'string' ? view.attributes['displayName'] : user.userPrincipalName,
      provision: cause === null,
      cause,
      causeDetail,
      view,
      mapped: mapObject(job.users, view, deps),
      hash: hashView(view),
    });
  }

  if (job.groups.enabled) {
    for (const group of tenant.groups) {
      const ent = entitlements.groups.get(group.id)!;
      const view = groupView(group, ent.roles);
      const scope = evaluateScope(job.groups.scoping, view.attributes);
      let cause: DeprovisionCause | null = null;
      let causeDetail: string | null = null;
      if (!ent.entitled) [cause, causeDetail] = ['unassigned', ent.reason ?? 'not assigned'];
      else if (!scope.inScope) [cause, causeDetail] = ['out-of-scope', scope.reason ?? 'out of scope'];
      out.push({
        objectType: 'Group',
        id: group.id,
        displayName: group.displayName,
        provision: cause === null,
        cause,
        causeDetail,
        view,
        mapped: mapObject(job.groups, view, deps),
        hash: hashView(view),
      });
    }
  }
  return out;
}

function hashView(view: SourceView): string {
  const keys = Object.keys(view.attributes).sort();
  const h = createHash('sha1');
  for (const k of keys) h.update(k).update('\u0000').update(JSON.stringify(view.attributes[k])).update('\u0001');
  for (const r of view.appRoleAssignments) h.update(r.id);
  return h.digest('hex');
}
