import { describe, expect, it } from 'vitest';
import { attributePathOrNull } from '../../src/scim/attribute-path.js';
import { buildCreateBody } from '../../src/scim/build-resource.js';
import { defaultQuirks } from '../../src/scim/quirks.js';

const entry = (path: string, value: string) => ({ path: attributePathOrNull(path)!, value });
/** provsim 0.1's shapes: the documented samples' `roles: []` and ADSCIM URI, no `members: []`, mapping row order. */
const DOCUMENTED = {
  ...defaultQuirks('legacy'),
  emptyRolesOnCreate: true,
  adscimGroupSchema: true,
  emptyMembersOnCreate: false,
  captureKeyOrder: false,
};

describe('buildCreateBody', () => {
  it('reproduces the captured user POST byte for byte, key order included (Q&A 1684621, 2024-05-21)', () => {
    const custom = 'urn:ietf:params:scim:schemas:extension:custom:2.0:User';
    // Entries in the order a mapping would list them; the captured order is not the mapping's.
    const body = buildCreateBody('User', [
      entry('userName', 'joe@testaccount.onmicrosoft.com'),
      entry('active', 'True'),
      entry('title', 'scim tester'),
      entry('emails[type eq "work"].value', 'joe@joe.com'),
      entry('name.givenName', 'joe'),
      entry('name.familyName', 'TestLastName1'),
      entry(`${custom}:worksiteId`, '180'),
      entry(`${custom}:employeeNumber`, '99887766'),
    ]);
    expect(JSON.stringify(body)).toBe(
      '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],"userName":"joe@testaccount.onmicrosoft.com","active":true,"emails":[{"primary":true,"type":"work","value":"joe@joe.com"}],"meta":{"resourceType":"User"},"name":{"familyName":"TestLastName1","givenName":"joe"},"title":"scim tester","urn:ietf:params:scim:schemas:extension:custom:2.0:User":{"employeeNumber":"99887766","worksiteId":"180"}}',
    );
  });

  it('reproduces the captured group POST byte for byte: core URI only, "members": [] (Q&A 637791, 2021-11-18)', () => {
    const body = buildCreateBody('Group', [entry('displayName', 'Org Admin'), entry('externalId', '0899060-370e-46a-bc5f-3aas207ed41d')]);
    expect(JSON.stringify(body)).toBe(
      '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"externalId":"0899060-370e-46a-bc5f-3aas207ed41d","displayName":"Org Admin","members":[],"meta":{"resourceType":"Group"}}',
    );
  });

  it('the old shapes stay available as quirks: mapping row order, no members key', () => {
    const body = buildCreateBody('Group', [entry('displayName', 'Org Admin'), entry('externalId', 'x')], {
      ...defaultQuirks('legacy'),
      emptyMembersOnCreate: false,
      captureKeyOrder: false,
    });
    expect(JSON.stringify(body)).toBe(
      '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Org Admin","externalId":"x","meta":{"resourceType":"Group"}}',
    );
  });

  it('reproduces the documented user POST (spec §1.5) with the documented quirks', () => {
    const body = buildCreateBody(
      'User',
      [
        entry('externalId', '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef'),
        entry('userName', 'Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee'),
        entry('active', 'True'),
        entry('emails[type eq "work"].value', 'Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com'),
        entry('name.formatted', 'givenName familyName'),
        entry('name.familyName', 'familyName'),
        entry('name.givenName', 'givenName'),
      ],
      DOCUMENTED,
    );
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

  it('reproduces the documented group POST (spec §1.10) with the documented quirks', () => {
    const body = buildCreateBody(
      'Group',
      [entry('externalId', '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159'), entry('displayName', 'displayName')],
      DOCUMENTED,
    );
    expect(body).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group', 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group'],
      externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
      displayName: 'displayName',
      meta: { resourceType: 'Group' },
    });
  });

  it('nests extension attributes under their schema and groups filtered elements', () => {
    const body = buildCreateBody(
      'User',
      [
        entry('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department', 'Sales'),
        entry('addresses[type eq "work"].locality', 'Oslo'),
        entry('addresses[type eq "work"].country', 'NO'),
        entry('phoneNumbers[type eq "mobile"].value', '+47 1'),
        entry('urn:ietf:params:scim:schemas:extension:Custom:2.0:User:costCenter', 'CC1'),
      ],
      { ...defaultQuirks('legacy'), emptyRolesOnCreate: false, adscimGroupSchema: false, primaryOnWorkElements: true },
    );
    expect(body['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User']).toEqual({ department: 'Sales' });
    expect(body['addresses']).toEqual([{ type: 'work', primary: true, locality: 'Oslo', country: 'NO' }]);
    expect(body['phoneNumbers']).toEqual([{ type: 'mobile', value: '+47 1' }]);
    expect(body['urn:ietf:params:scim:schemas:extension:Custom:2.0:User']).toEqual({ costCenter: 'CC1' });
    // Custom extension URNs are not listed in schemas (Entra's client omits them).
    expect(body['schemas']).not.toContain('urn:ietf:params:scim:schemas:extension:Custom:2.0:User');
    expect(body['roles']).toBeUndefined();
  });
});
