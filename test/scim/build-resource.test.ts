import { describe, expect, it } from 'vitest';
import { parseTargetPath } from '../../src/mapping/target-path.js';
import { buildCreateBody } from '../../src/scim/build-resource.js';

const entry = (path: string, value: string) => ({ path: parseTargetPath(path)!, value });

describe('buildCreateBody', () => {
  it('reproduces the documented user POST (spec §1.5)', () => {
    const body = buildCreateBody('User', [
      entry('externalId', '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef'),
      entry('userName', 'Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee'),
      entry('active', 'True'),
      entry('emails[type eq "work"].value', 'Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com'),
      entry('name.formatted', 'givenName familyName'),
      entry('name.familyName', 'familyName'),
      entry('name.givenName', 'givenName'),
    ]);
    expect(body).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'],
      externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
      userName: 'Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee',
      active: true,
      emails: [{ primary: true, type: 'work', value: 'Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com' }],
      meta: { resourceType: 'User' },
      name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
      roles: [],
    });
  });

  it('reproduces the documented group POST (spec §1.10)', () => {
    const body = buildCreateBody('Group', [entry('externalId', '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159'), entry('displayName', 'displayName')]);
    expect(body).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group', 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group'],
      externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
      displayName: 'displayName',
      meta: { resourceType: 'Group' },
    });
  });

  it('nests extension attributes under their schema and groups filtered elements', () => {
    const body = buildCreateBody('User', [
      entry('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department', 'Sales'),
      entry('addresses[type eq "work"].locality', 'Oslo'),
      entry('addresses[type eq "work"].country', 'NO'),
      entry('phoneNumbers[type eq "mobile"].value', '+47 1'),
      entry('urn:ietf:params:scim:schemas:extension:Custom:2.0:User:costCenter', 'CC1'),
    ], { emptyRolesOnCreate: false, adscimGroupSchema: false, primaryOnWorkElements: true });
    expect(body['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User']).toEqual({ department: 'Sales' });
    expect(body['addresses']).toEqual([{ type: 'work', primary: true, locality: 'Oslo', country: 'NO' }]);
    expect(body['phoneNumbers']).toEqual([{ type: 'mobile', value: '+47 1' }]);
    expect(body['urn:ietf:params:scim:schemas:extension:Custom:2.0:User']).toEqual({ costCenter: 'CC1' });
    // Custom extension URNs are not listed in schemas (Entra's client omits them).
    expect(body['schemas']).not.toContain('urn:ietf:params:scim:schemas:extension:Custom:2.0:User');
    expect(body['roles']).toBeUndefined();
  });
});
