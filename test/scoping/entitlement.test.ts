/**
 * computeEntitlements (spec §5.4): roles through direct assignments and assigned groups' direct members,
 * de-duplicated and in role-id order whatever order the assignments come in.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_ACCESS_ROLE, type Assignment, type SourceGroup, type SourceUser, type Tenant } from '../../src/model/directory.js';
import type { JobSettings } from '../../src/model/job.js';
import { computeEntitlements } from '../../src/scoping/entitlement.js';

const at = { file: 'test', position: { line: 1, column: 1 } };
const R1 = { id: '10000000-0000-0000-0000-000000000001', value: 'one', displayName: 'One' };
const R2 = { id: '20000000-0000-0000-0000-000000000002', value: 'two', displayName: 'Two' };
const R3 = { id: '30000000-0000-0000-0000-000000000003', value: 'three', displayName: 'Three' };

const user = (id: string): SourceUser => ({
  id,
  userPrincipalName: `${id}@contoso.com`,
  accountEnabled: true,
  softDeleted: false,
  managerId: null,
  attributes: {},
  location: at,
});
const group = (id: string, memberIds: string[]): SourceGroup => ({ id, displayName: id, memberIds, attributes: {}, location: at });
const assign = (principalKind: 'user' | 'group', principalId: string, roleId: string): Assignment => ({
  principalKind,
  principalId,
  roleId,
  location: at,
});

function tenantOf(users: string[], groups: SourceGroup[], assignments: Assignment[]): Tenant {
  return { dir: 'test', users: users.map(user), groups, app: { name: 'App', appRoles: [R1, R2, R3] }, assignments };
}

const settings = { scope: 'assigned', provisionDefaultAccess: true } as JobSettings;

describe('computeEntitlements', () => {
  it('roles from every path, once each, in role-id order whatever order they were assigned in', () => {
    const tenant = tenantOf(
      ['ann', 'bob', 'cy', 'dee'],
      [group('g2', ['ann', 'bob']), group('g1', ['bob', 'cy']), group('g3', ['ann'])],
      [
        assign('group', 'g2', R2.id),
        assign('user', 'ann', R1.id),
        assign('group', 'g1', R1.id),
        assign('user', 'bob', R2.id),
        assign('group', 'g3', R3.id),
        assign('user', 'cy', R1.id),
      ],
    );
    const { users, groups } = computeEntitlements(tenant, settings);
    const roles = (id: string): string[] => users.get(id)!.roles.map((r) => r.value);
    expect(roles('ann')).toEqual(['one', 'two', 'three']);
    expect(roles('bob')).toEqual(['one', 'two']);
    expect(roles('cy')).toEqual(['one']);
    expect(users.get('dee')).toMatchObject({ entitled: false, roles: [] });
    expect(groups.get('g1')).toMatchObject({ entitled: true, roles: [R1] });
  });

  it('a role with an id the app does not have is Default Access; a group member that is a group is not a user', () => {
    const tenant = tenantOf(['ann'], [group('outer', ['ann', 'inner']), group('inner', [])], [assign('group', 'outer', 'nope')]);
    const { users, groups } = computeEntitlements(tenant, settings);
    expect(users.get('ann')!.roles).toEqual([DEFAULT_ACCESS_ROLE]);
    expect(groups.get('inner')).toMatchObject({ entitled: false });
  });

  it('without provisionDefaultAccess, a user with Default Access alone is not entitled; with another role too, they are', () => {
    const tenant = tenantOf(
      ['ann', 'bob'],
      [],
      [assign('user', 'ann', DEFAULT_ACCESS_ROLE.id), assign('user', 'bob', DEFAULT_ACCESS_ROLE.id), assign('user', 'bob', R2.id)],
    );
    const { users } = computeEntitlements(tenant, { ...settings, provisionDefaultAccess: false });
    expect(users.get('ann')).toMatchObject({ entitled: false, reason: expect.stringContaining('Default Access') });
    expect(users.get('bob')!.roles.map((r) => r.id)).toEqual([DEFAULT_ACCESS_ROLE.id, R2.id]);
  });
});
