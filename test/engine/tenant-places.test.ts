import { describe, expect, it } from 'vitest';
import { tenantPlaces } from '../../src/engine/tenant-places.js';
import type { SourceGroup, SourceUser } from '../../src/model/directory.js';

const users = ['u0', 'u1', 'u2'].map((id) => ({ id }) as SourceUser);
const groups = ['g0', 'g1'].map((id) => ({ id }) as SourceGroup);
const tenant = { users, groups };
/** Desired objects as evaluateSource places them: users, then groups. */
const evaluated = new Map([...users, ...groups].map((o, i) => [o.id, { position: i }]));

describe('tenantPlaces', () => {
  it('finds users and groups by the positions of their desired objects', () => {
    const places = tenantPlaces(tenant, evaluated);
    expect(['u0', 'u2', 'g0', 'g1', 'gone'].map((id) => places.placeOf(id))).toEqual([0, 2, 3, 4, -1]);
    expect(places.objectOf('g1')).toBe(groups[1]);
    expect(places.objectOf('u1')).toBe(users[1]);
    expect(places.objectOf('gone')).toBeUndefined();
  });

  it('finds objects whose positions do not lead to them, or that have no desired object', () => {
    const shuffled = new Map([
      ['u0', { position: 4 }],
      ['g1', { position: 0 }],
    ]);
    const places = tenantPlaces(tenant, shuffled);
    expect(['u0', 'g1', 'u2', 'g0', 'gone'].map((id) => places.placeOf(id))).toEqual([0, 4, 2, 3, -1]);
    expect(tenantPlaces(tenant).objectOf('g0')).toBe(groups[0]);
  });

  it('answers from the desired objects, without a map of the users, when every object, or every user, has one', () => {
    // A tenant whose arrays cannot be walked whole: a map of it would have to.
    const guarded = (list: Array<{ id: string }>) =>
      new Proxy(list, {
        get: (t, k, r) => {
          if (k === 'forEach' || k === Symbol.iterator) throw new Error('walked the whole tenant');
          return Reflect.get(t, k, r) as unknown;
        },
      });
    const places = tenantPlaces({ users: guarded(users) as SourceUser[], groups: guarded(groups) as SourceGroup[] }, evaluated);
    expect(['u1', 'g0', 'gone'].map((id) => places.placeOf(id))).toEqual([1, 3, -1]);
    // A job without groups: every user has a desired object, and only the groups are looked through.
    const usersOnly = new Map([...evaluated].filter(([id]) => id.startsWith('u')));
    const withoutGroups = tenantPlaces({ users: guarded(users) as SourceUser[], groups }, usersOnly);
    expect(['u2', 'g1', 'gone'].map((id) => withoutGroups.placeOf(id))).toEqual([2, 4, -1]);
  });
});
