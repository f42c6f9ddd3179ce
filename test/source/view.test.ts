import { describe, expect, it } from 'vitest';
import { userView, userViewAttribute } from '../../src/source/view.js';
import { generateTenant } from '../../src/source/generate/generate-tenant.js';
import type { AppRole } from '../../src/model/directory.js';

describe('userViewAttribute', () => {
  it('agrees with userView on every attribute of every generated user (guests, disabled, soft-deleted, managers), and on absent ones', () => {
    const tenant = generateTenant({ users: 400, groups: 5, membersPerGroup: 10, seed: 7 });
    const roles: AppRole[][] = [[], [{ id: 'r1', value: 'Admin', displayName: 'Admin' } as AppRole]];
    let checked = 0;
    for (const [i, user] of tenant.users.entries()) {
      const softDeleted = i % 3 === 0;
      const r = roles[i % 2]!;
      const view = userView(user, softDeleted, r);
      for (const key of [...Object.keys(view.attributes), 'noSuchAttribute', 'toString', 'constructor']) {
        expect(userViewAttribute(user, key, softDeleted, r), `${user.userPrincipalName}: ${key}`).toBe(view.attributes[key]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(400 * 10);
    expect(tenant.users.some((u) => u.userPrincipalName.includes('#EXT#'))).toBe(true);
  });
});
