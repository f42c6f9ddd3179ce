/**
 * Where a source object is in its tenant, by id, without a map per cycle: an object's place is its index in
 * `tenant.users` followed by `tenant.groups`, which is the `position` evaluateSource gives its desired object
 * (users first, then groups). When every object of the tenant has a desired object, an id without one is
 * not the tenant's; when every user has one (a job without groups), it can only be a group's, found in a
 * map of the groups. Otherwise, and when a position does not lead to an object of that id (desired objects
 * built otherwise), the lookup falls back to one map of the tenant by id, built on first need. A cycle of a
 * million users looks objects up all along; a map of them took about 40 MB.
 */
import type { SourceGroup, SourceUser, Tenant } from '../model/directory.js';
import type { DesiredLookup } from './desired-index.js';

export interface TenantPlaces {
  /** The object's place (users, then groups), or -1 when the tenant has no object of that id. */
  placeOf(id: string): number;
  /** The object of an id, or undefined. */
  objectOf(id: string): SourceUser | SourceGroup | undefined;
}

export function tenantPlaces(
  tenant: Pick<Tenant, 'users' | 'groups'>,
  desired: DesiredLookup<{ readonly position: number }> = new Map(),
): TenantPlaces {
  const { users, groups } = tenant;
  const at = (place: number): SourceUser | SourceGroup | undefined => (place < users.length ? users[place] : groups[place - users.length]);
  // Every object of the tenant has a desired object: an id without one is not the tenant's. Every user has
  // one (a job that does not provision groups): an id without one can only be a group's.
  const complete = desired.size === users.length + groups.length;
  const usersOnly = !complete && desired.size === users.length;
  let own: Map<string, number> | null = null;
  let groupPlaces: Map<string, number> | null = null;
  const placeOf = (id: string): number => {
    const d = desired.get(id);
    if (d === undefined) {
      if (complete) return -1;
      if (usersOnly) {
        groupPlaces ??= new Map(groups.map((g, i) => [g.id, users.length + i]));
        return groupPlaces.get(id) ?? -1;
      }
    } else if (at(d.position)?.id === id) return d.position;
    if (own === null) {
      own = new Map();
      users.forEach((u, i) => own!.set(u.id, i));
      groups.forEach((g, i) => own!.set(g.id, users.length + i));
    }
    return own.get(id) ?? -1;
  };
  return {
    placeOf,
    objectOf: (id) => {
      const place = placeOf(id);
      return place === -1 ? undefined : at(place);
    },
  };
}
