import { describe, expect, it } from 'vitest';
import { ENTERPRISE, ERROR_SCHEMA, PROFILES, createUser, getResource, patchBody, scim, useTarget, type Json } from './helpers.js';
import type { RunningTarget } from '../../src/scim-server/index.js';

const MANAGER = `${ENTERPRISE}:manager`;

async function patchUser(target: RunningTarget, id: string, ...operations: unknown[]) {
  return scim(target, 'PATCH', `/Users/${id}`, { body: patchBody(...operations) });
}

function expectScimError(response: { status: number; body: Json }, status: number, scimType: string): void {
  expect(response.status).toBe(status);
  expect(response.body).toMatchObject({ schemas: [ERROR_SCHEMA], status: String(status), scimType });
}

describe('Entra legacy PATCH shapes, per profile', () => {
  describe('tolerant profile: accepts what Entra sends', () => {
    const target = useTarget({ profile: 'tolerant' });

    it('rule rejectCapitalisedOps off: "Replace"/"Add" work', async () => {
      const user = await createUser(target(), 'caps');
      const response = await patchUser(
        target(),
        user.id,
        { op: 'Replace', path: 'name.familyName', value: 'Updated' },
        { op: 'Add', path: 'nickName', value: 'Babs' },
      );
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ name: { familyName: 'Updated' }, nickName: 'Babs' });
      expect(await getResource(target(), `/Users/${user.id}`)).toMatchObject({
        name: { familyName: 'Updated', givenName: 'Given' },
        nickName: 'Babs',
      });
    });

    it('rule rejectStringBooleans off: "False"/"True" (any case) become booleans, also roles[].primary', async () => {
      const user = await createUser(target(), 'strbool');
      expect((await patchUser(target(), user.id, { op: 'Replace', path: 'active', value: 'False' })).status).toBe(200);
      expect((await getResource(target(), `/Users/${user.id}`)).active).toBe(false);
      expect((await patchUser(target(), user.id, { op: 'Replace', path: 'active', value: 'TRUE' })).status).toBe(200);
      expect((await getResource(target(), `/Users/${user.id}`)).active).toBe(true);
      const roles = await patchUser(target(), user.id, {
        op: 'Add',
        path: 'roles',
        value: [{ primary: 'True', type: 'WindowsAzureActiveDirectoryRole', value: 'Admin' }],
      });
      expect(roles.status).toBe(200);
      expect((await getResource(target(), `/Users/${user.id}`)).roles).toEqual([
        { primary: true, type: 'WindowsAzureActiveDirectoryRole', value: 'Admin' },
      ]);
    });

    it('rule noTargetOnMissingFilteredPath off: a filtered path with no match creates {type, value, primary: true}', async () => {
      const user = await createUser(target(), 'filtered', { emails: [] });
      const response = await patchUser(
        target(),
        user.id,
        { op: 'Replace', path: 'emails[type eq "work"].value', value: 'new@example.com' },
        { op: 'Replace', path: 'addresses[type eq "work"].formatted', value: '18/2111' },
        { op: 'Add', path: 'phoneNumbers[type eq "mobile"].value', value: '+1 555' },
      );
      expect(response.status).toBe(200);
      const stored = await getResource(target(), `/Users/${user.id}`);
      expect(stored.emails).toEqual([{ type: 'work', value: 'new@example.com', primary: true }]);
      expect(stored.addresses).toEqual([{ type: 'work', formatted: '18/2111', primary: true }]);
      expect(stored.phoneNumbers).toEqual([{ type: 'mobile', value: '+1 555', primary: true }]);
    });

    it('a filtered path that does not match creates the element without a second primary', async () => {
      const user = await createUser(target(), 'filtered2');
      await patchUser(target(), user.id, { op: 'Add', path: 'emails[type eq "home"].value', value: 'home@example.com' });
      const stored = await getResource(target(), `/Users/${user.id}`);
      expect(stored.emails).toEqual([
        { type: 'work', value: 'filtered2@example.com', primary: true },
        { type: 'home', value: 'home@example.com' },
      ]);
    });

    it('rule rejectBareManager off: a bare id is stored as {value}, "" removes the manager', async () => {
      const manager = await createUser(target(), 'the.manager');
      const user = await createUser(target(), 'the.report');
      expect((await patchUser(target(), user.id, { op: 'Add', path: MANAGER, value: manager.id })).status).toBe(200);
      expect((await getResource(target(), `/Users/${user.id}`))[ENTERPRISE]).toEqual({ manager: { value: manager.id } });
      expect((await patchUser(target(), user.id, { op: 'Replace', path: MANAGER, value: '' })).status).toBe(200);
      expect((await getResource(target(), `/Users/${user.id}`))[ENTERPRISE]).toBeUndefined();
      // Path-less form with a flat key: also tolerated.
      expect(
        (await patchUser(target(), user.id, { op: 'replace', value: { [MANAGER]: manager.id, [`${ENTERPRISE}:department`]: 'Ops' } }))
          .status,
      ).toBe(200);
      expect((await getResource(target(), `/Users/${user.id}`))[ENTERPRISE]).toEqual({ department: 'Ops', manager: { value: manager.id } });
      expect((await patchUser(target(), user.id, { op: 'replace', value: { [MANAGER]: '' } })).status).toBe(200);
      expect((await getResource(target(), `/Users/${user.id}`))[ENTERPRISE]).toEqual({ department: 'Ops' });
    });
  });

  describe('strict profile: RFC 7644 read literally', () => {
    const target = useTarget({ profile: 'strict' });

    it('rule rejectCapitalisedOps: "Replace" is 400 invalidSyntax and nothing changes', async () => {
      const user = await createUser(target(), 'caps');
      const response = await patchUser(target(), user.id, { op: 'Replace', path: 'name.familyName', value: 'Updated' });
      expectScimError(response, 400, 'invalidSyntax');
      expect(response.body.detail).toContain('Replace');
      expect((await getResource(target(), `/Users/${user.id}`)).name.familyName).toBe('Family');
    });

    it('rule rejectStringBooleans: "False" and roles[].primary "True" are 400 invalidValue', async () => {
      const user = await createUser(target(), 'strbool');
      const active = await patchUser(target(), user.id, { op: 'replace', path: 'active', value: 'False' });
      expectScimError(active, 400, 'invalidValue');
      expect(active.body.detail).toContain('active');
      const roles = await patchUser(target(), user.id, { op: 'add', path: 'roles', value: [{ primary: 'True', value: 'Admin' }] });
      expectScimError(roles, 400, 'invalidValue');
      const stored = await getResource(target(), `/Users/${user.id}`);
      expect(stored.active).toBe(true);
      expect(stored.roles).toEqual([]);
    });

    it('rule noTargetOnMissingFilteredPath: add/replace on a filtered path with no match is 400 noTarget', async () => {
      const user = await createUser(target(), 'filtered');
      for (const op of ['add', 'replace']) {
        const response = await patchUser(target(), user.id, { op, path: 'addresses[type eq "work"].formatted', value: '18/2111' });
        expectScimError(response, 400, 'noTarget');
      }
      expect((await getResource(target(), `/Users/${user.id}`)).addresses).toBeUndefined();
    });

    it('rule rejectBareManager: a bare id and "" are 400 invalidValue', async () => {
      const manager = await createUser(target(), 'the.manager');
      const user = await createUser(target(), 'the.report');
      expectScimError(await patchUser(target(), user.id, { op: 'add', path: MANAGER, value: manager.id }), 400, 'invalidValue');
      expectScimError(await patchUser(target(), user.id, { op: 'replace', path: MANAGER, value: '' }), 400, 'invalidValue');
      expect((await getResource(target(), `/Users/${user.id}`))[ENTERPRISE]).toBeUndefined();
    });
  });

  describe.each(PROFILES)('shapes both profiles accept (%s)', (profile) => {
    const target = useTarget({ profile });

    it('JSON booleans for active', async () => {
      const user = await createUser(target(), 'jsonbool');
      expect((await patchUser(target(), user.id, { op: 'replace', path: 'active', value: false })).status).toBe(200);
      expect((await getResource(target(), `/Users/${user.id}`)).active).toBe(false);
    });

    it('a filtered path that matches replaces the element’s sub-attribute in place', async () => {
      const user = await createUser(target(), 'match');
      expect(
        (await patchUser(target(), user.id, { op: 'replace', path: 'emails[type eq "work"].value', value: 'changed@example.com' })).status,
      ).toBe(200);
      expect((await getResource(target(), `/Users/${user.id}`)).emails).toEqual([
        { type: 'work', value: 'changed@example.com', primary: true },
      ]);
    });

    it('manager as {"value": id}: add, then remove', async () => {
      const manager = await createUser(target(), 'obj.manager');
      const user = await createUser(target(), 'obj.report');
      expect((await patchUser(target(), user.id, { op: 'add', path: MANAGER, value: { value: manager.id } })).status).toBe(200);
      expect((await getResource(target(), `/Users/${user.id}`))[ENTERPRISE]).toEqual({ manager: { value: manager.id } });
      expect((await patchUser(target(), user.id, { op: 'remove', path: MANAGER })).status).toBe(200);
      expect((await getResource(target(), `/Users/${user.id}`))[ENTERPRISE]).toBeUndefined();
    });

    it('path-less replace whose keys are flat paths (the aadOptscim062020 shape)', async () => {
      const user = await createUser(target(), 'flat');
      const response = await patchUser(target(), user.id, {
        op: 'replace',
        value: { displayName: 'Bjfe', 'name.givenName': 'Kkom', 'name.familyName': 'Unua', [`${ENTERPRISE}:employeeNumber`]: 'Aklq' },
      });
      expect(response.status).toBe(200);
      const stored = await getResource(target(), `/Users/${user.id}`);
      expect(stored).toMatchObject({ displayName: 'Bjfe', name: { givenName: 'Kkom', familyName: 'Unua', formatted: 'Given Family' } });
      expect(stored[ENTERPRISE]).toEqual({ employeeNumber: 'Aklq' });
    });

    it('path-less add/replace with nested objects merges sub-attributes', async () => {
      const user = await createUser(target(), 'nested', { [ENTERPRISE]: { costCenter: 'CC1' } });
      const response = await patchUser(target(), user.id, {
        op: 'add',
        value: { name: { familyName: 'Nested' }, [ENTERPRISE]: { department: 'Dept' } },
      });
      expect(response.status).toBe(200);
      const stored = await getResource(target(), `/Users/${user.id}`);
      expect(stored.name).toEqual({ formatted: 'Given Family', givenName: 'Given', familyName: 'Nested' });
      expect(stored[ENTERPRISE]).toEqual({ costCenter: 'CC1', department: 'Dept' });
    });

    it('replace on a complex attribute keeps sub-attributes not named (RFC 7644 §3.5.2.3)', async () => {
      const user = await createUser(target(), 'complex');
      expect((await patchUser(target(), user.id, { op: 'replace', path: 'name', value: { familyName: 'Only' } })).status).toBe(200);
      expect((await getResource(target(), `/Users/${user.id}`)).name).toEqual({
        formatted: 'Given Family',
        givenName: 'Given',
        familyName: 'Only',
      });
    });

    it('path-less replace of a multi-valued attribute replaces the list (does not append)', async () => {
      const user = await createUser(target(), 'multi');
      await patchUser(target(), user.id, { op: 'replace', value: { emails: [{ type: 'home', value: 'only@example.com' }] } });
      expect((await getResource(target(), `/Users/${user.id}`)).emails).toEqual([{ type: 'home', value: 'only@example.com' }]);
    });

    it('dotted, URN-qualified and differently-cased paths', async () => {
      const user = await createUser(target(), 'paths');
      const response = await patchUser(
        target(),
        user.id,
        { op: 'replace', path: 'name.givenName', value: 'Dotted' },
        { op: 'add', path: `${ENTERPRISE}:department`, value: 'Retail' },
        { op: 'replace', path: 'DisplayName', value: 'Cased' },
        { op: 'replace', path: 'urn:ietf:params:scim:schemas:core:2.0:User:title', value: 'Core URN' },
      );
      expect(response.status).toBe(200);
      const stored = await getResource(target(), `/Users/${user.id}`);
      expect(stored).toMatchObject({ name: { givenName: 'Dotted' }, displayName: 'Cased', title: 'Core URN' });
      expect(stored[ENTERPRISE]).toEqual({ department: 'Retail' });
    });

    it('is atomic: when a later operation fails, earlier ones are not stored', async () => {
      const user = await createUser(target(), 'atomic');
      const response = await patchUser(
        target(),
        user.id,
        { op: 'replace', path: 'title', value: 'Changed' },
        { op: 'add', path: 'noSuchAttribute', value: 'x' },
      );
      expectScimError(response, 400, 'invalidPath');
      expect(response.body.detail).toContain('operation 2');
      expect((await getResource(target(), `/Users/${user.id}`)).title).toBeUndefined();
    });

    it('rejects a body that is not a PatchOp', async () => {
      const user = await createUser(target(), 'notpatch');
      const noSchema = await scim(target(), 'PATCH', `/Users/${user.id}`, {
        body: { Operations: [{ op: 'replace', path: 'title', value: 'x' }] },
      });
      expectScimError(noSchema, 400, 'invalidSyntax');
      const badOp = await patchUser(target(), user.id, { op: 'move', path: 'title', value: 'x' });
      expectScimError(badOp, 400, 'invalidSyntax');
    });

    it('a PATCH that changes nothing keeps meta.version and lastModified', async () => {
      const user = await createUser(target(), 'noop');
      await patchUser(target(), user.id, { op: 'replace', path: 'userName', value: 'noop' });
      const stored = await getResource(target(), `/Users/${user.id}`);
      expect(stored.meta.version).toBe(user.meta.version);
      expect(stored.meta.lastModified).toBe(user.meta.lastModified);
    });
  });

  describe('single rules can be switched on top of a profile', () => {
    const target = useTarget({ profile: 'tolerant', rules: { rejectCapitalisedOps: true } });

    it('tolerant + rejectCapitalisedOps: capitalised ops fail, string booleans still convert', async () => {
      const user = await createUser(target(), 'mixed');
      expectScimError(await patchUser(target(), user.id, { op: 'Replace', path: 'active', value: false }), 400, 'invalidSyntax');
      expect((await patchUser(target(), user.id, { op: 'replace', path: 'active', value: 'False' })).status).toBe(200);
      expect((await getResource(target(), `/Users/${user.id}`)).active).toBe(false);
    });
  });
});
