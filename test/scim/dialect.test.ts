import { describe, expect, it } from 'vitest';
import { attributePathOrNull } from '../../src/scim/attribute-path.js';
import { attributeOperations, dialectFromUrl, memberAddOperation, memberRemoveOperations } from '../../src/scim/dialect.js';

const change = (path: string, op: 'add' | 'replace', value: string) => ({ path: attributePathOrNull(path)!, op, value });

describe('dialects (spec §1.14)', () => {
  it('chooses the dialect from the tenant URL flags', () => {
    expect(dialectFromUrl('https://api.contoso.com/scim/')).toBe('legacy');
    expect(dialectFromUrl('https://api.contoso.com/scim/?aadOptscim062020')).toBe('aadOptscim062020');
    expect(dialectFromUrl('https://api.contoso.com/scim/?aadOptscim062020&AzureAdScimPatch2017')).toBe('legacy');
  });

  it('legacy: capitalised ops, string booleans, one op per attribute', () => {
    expect(attributeOperations('legacy', [change('active', 'replace', 'False')])).toEqual([
      { op: 'Replace', path: 'active', value: 'False' },
    ]);
    expect(
      attributeOperations('legacy', [
        change('emails[type eq "work"].value', 'replace', 'updatedEmail@microsoft.com'),
        change('name.familyName', 'replace', 'updatedFamilyName'),
        change('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department', 'add', 'Retail'),
      ]),
    ).toEqual([
      { op: 'Replace', path: 'emails[type eq "work"].value', value: 'updatedEmail@microsoft.com' },
      { op: 'Replace', path: 'name.familyName', value: 'updatedFamilyName' },
      { op: 'Add', path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department', value: 'Retail' },
    ]);
  });

  it('aadOptscim062020: lowercase, JSON booleans, merged path-less replace, filtered paths separate', () => {
    expect(attributeOperations('aadOptscim062020', [change('active', 'replace', 'False')])).toEqual([
      { op: 'replace', path: 'active', value: false },
    ]);
    expect(
      attributeOperations('aadOptscim062020', [
        change('displayName', 'replace', 'Bjfe'),
        change('name.givenName', 'replace', 'Kkom'),
        change('emails[type eq "work"].value', 'replace', 'x@y.z'),
        change('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber', 'replace', 'Aklq'),
      ]),
    ).toEqual([
      // Filtered op first, as in Microsoft's sample (quirk filteredOpsFirst).
      { op: 'replace', path: 'emails[type eq "work"].value', value: 'x@y.z' },
      {
        op: 'replace',
        value: {
          displayName: 'Bjfe',
          'name.givenName': 'Kkom',
          'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber': 'Aklq',
        },
      },
    ]);
  });

  it('member add and remove shapes', () => {
    expect(memberAddOperation('legacy', ['f648f8d5ea4e4cd38e9c'])).toEqual({
      op: 'Add',
      path: 'members',
      value: [{ $ref: null, value: 'f648f8d5ea4e4cd38e9c' }],
    });
    expect(memberRemoveOperations('legacy', ['u1091'])).toEqual([{ op: 'Remove', path: 'members', value: [{ value: 'u1091' }] }]);
    expect(memberRemoveOperations('aadOptscim062020', ['7f4bc1a3-285e-48ae-8202-5accb43efb0e'])).toEqual([
      { op: 'remove', path: 'members[value eq "7f4bc1a3-285e-48ae-8202-5accb43efb0e"]' },
    ]);
  });
});

describe('quirks (UNCONFIRMED shapes, switchable)', () => {
  const managerPath = attributePathOrNull('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager')!;

  it('defaults per dialect, and --quirk settings on top', async () => {
    const { defaultQuirks, resolveQuirks } = await import('../../src/scim/quirks.js');
    expect(defaultQuirks('legacy')).toMatchObject({
      managerBareId: true,
      rolesAsJsonString: true,
      pathlessAdd: false,
      readBeforeWrite: true,
      emptyRolesOnCreate: false,
      adscimGroupSchema: false,
      emptyMembersOnCreate: true,
      charsetInContentType: true,
      filteredOpsFirst: true,
      captureKeyOrder: true,
      managerRemoveFilter: false,
    });
    // The flag dialect sends the manager bare too (SCIM-SDK #686); the complex form is the quirk.
    expect(defaultQuirks('aadOptscim062020')).toMatchObject({
      managerBareId: true,
      rolesAsJsonString: false,
      pathlessAdd: true,
      readBeforeWrite: true,
    });
    expect(resolveQuirks('legacy', ['managerBareId=off', 'adscimGroupSchema=on'])).toMatchObject({
      managerBareId: false,
      adscimGroupSchema: true,
      emptyRolesOnCreate: false,
    });
    expect(() => resolveQuirks('legacy', ['managerBareID=off'])).toThrow(
      /not a quirk \(did you mean managerBareId\?\); known: .*managerBareId/,
    );
    expect(() => resolveQuirks('legacy', ['managerBareId'])).toThrow(/name=on or name=off/);
  });

  it('manager: bare id (spec §1.7) or the complex form; removal', async () => {
    const { managerOperation } = await import('../../src/scim/dialect.js');
    expect(managerOperation('legacy', managerPath, 'add', 'm1', { managerBareId: true })).toEqual({
      op: 'Add',
      path: managerPath.raw,
      value: 'm1',
    });
    expect(managerOperation('legacy', managerPath, 'replace', '', { managerBareId: true })).toEqual({
      op: 'Replace',
      path: managerPath.raw,
      value: '',
    });
    expect(managerOperation('aadOptscim062020', managerPath, 'replace', 'm2', { managerBareId: false })).toEqual({
      op: 'replace',
      path: managerPath.raw,
      value: { value: 'm2' },
    });
    expect(managerOperation('aadOptscim062020', managerPath, 'replace', '', { managerBareId: false })).toEqual({
      op: 'remove',
      path: managerPath.raw,
    });
    // The captured flag-dialect shape (SCIM-SDK #686): lowercase op, bare string.
    expect(
      managerOperation('aadOptscim062020', managerPath, 'add', '2c2f6fb8-254f-492e-b7fe-c09c5a61c8a2', { managerBareId: true }),
    ).toEqual({ op: 'add', path: managerPath.raw, value: '2c2f6fb8-254f-492e-b7fe-c09c5a61c8a2' });
    expect(managerOperation('aadOptscim062020', managerPath, 'replace', '', { managerBareId: true })).toEqual({
      op: 'remove',
      path: managerPath.raw,
    });
  });

  it('quirk managerRemoveFilter: removal names the old manager in a value filter (scim-patch #453)', async () => {
    const { managerOperation } = await import('../../src/scim/dialect.js');
    const quirks = { managerBareId: true, managerRemoveFilter: true };
    expect(managerOperation('aadOptscim062020', managerPath, 'replace', '', quirks, 'm-1')).toEqual({
      op: 'remove',
      path: `${managerPath.raw}[value eq "m-1"]`,
    });
    expect(managerOperation('legacy', managerPath, 'replace', '', quirks, 'm"1')).toEqual({
      op: 'Remove',
      path: `${managerPath.raw}[value eq "m\\"1"]`,
    });
    // Without a known previous id there is nothing to filter on: the plain removal.
    expect(managerOperation('legacy', managerPath, 'replace', '', quirks, null)).toEqual({
      op: 'Replace',
      path: managerPath.raw,
      value: '',
    });
  });

  it("flag dialect: filtered-path ops before the merged path-less op (Microsoft's sample); the old order is a quirk", () => {
    const changes = [
      change('displayName', 'replace', 'Bjfe'),
      change('emails[type eq "work"].value', 'replace', 'e@x'),
      change('name.givenName', 'replace', 'Kkom'),
    ];
    const merged = { op: 'replace', value: { displayName: 'Bjfe', 'name.givenName': 'Kkom' } };
    const filtered = { op: 'replace', path: 'emails[type eq "work"].value', value: 'e@x' };
    expect(attributeOperations('aadOptscim062020', changes)).toEqual([filtered, merged]);
    expect(
      attributeOperations('aadOptscim062020', changes, { pathlessAdd: true, rolesAsJsonString: false, filteredOpsFirst: false }),
    ).toEqual([merged, filtered]);
  });

  it('roles as a JSON string inside value (legacy, spec §1.7)', () => {
    const role = { id: '06b07648-ecfe-589f-9d2f-6f1d8a8ef5ce', value: '25', displayName: 'Role1234' };
    const c = { path: attributePathOrNull('roles[primary eq "True"].value')!, op: 'add' as const, value: '25', roles: [role] };
    expect(attributeOperations('legacy', [c], { pathlessAdd: false, rolesAsJsonString: true })).toEqual([
      {
        op: 'Add',
        path: 'roles',
        value: [{ value: '{"id":"06b07648-ecfe-589f-9d2f-6f1d8a8ef5ce","value":"25","displayName":"Role1234"}' }],
      },
    ]);
    expect(attributeOperations('aadOptscim062020', [c], { pathlessAdd: true, rolesAsJsonString: false })).toEqual([
      { op: 'add', path: 'roles[primary eq "True"].value', value: '25' },
    ]);
  });

  it('pathlessAdd off keeps new attributes as separate path ops in the flag dialect', () => {
    expect(
      attributeOperations('aadOptscim062020', [change('nickName', 'add', 'Babs')], { pathlessAdd: false, rolesAsJsonString: false }),
    ).toEqual([{ op: 'add', path: 'nickName', value: 'Babs' }]);
    expect(
      attributeOperations('aadOptscim062020', [change('nickName', 'add', 'Babs')], { pathlessAdd: true, rolesAsJsonString: false }),
    ).toEqual([{ op: 'add', path: 'nickName', value: 'Babs' }]);
    expect(
      attributeOperations('aadOptscim062020', [change('nickName', 'add', 'Babs'), change('title', 'add', 'Boss')], {
        pathlessAdd: true,
        rolesAsJsonString: false,
      }),
    ).toEqual([{ op: 'add', value: { nickName: 'Babs', title: 'Boss' } }]);
    expect(
      attributeOperations('aadOptscim062020', [change('nickName', 'add', 'Babs'), change('title', 'add', 'Boss')], {
        pathlessAdd: false,
        rolesAsJsonString: false,
      }),
    ).toEqual([
      { op: 'add', path: 'nickName', value: 'Babs' },
      { op: 'add', path: 'title', value: 'Boss' },
    ]);
  });
});
