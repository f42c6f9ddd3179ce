import { describe, expect, it } from 'vitest';
import {
  ENTERPRISE,
  ERROR_SCHEMA,
  LIST_RESPONSE,
  PROFILES,
  USER_SCHEMA,
  createUser,
  entraUser,
  getResource,
  patchBody,
  scim,
  useTarget,
} from './helpers.js';

describe.each(PROFILES)('Users (%s profile)', (profile) => {
  const target = useTarget({ profile });

  it('creates a user: 201, server id, meta, Location, and GET by id returns the same resource', async () => {
    const created = await scim(target(), 'POST', '/Users', { body: entraUser('Adele.Vance', { [ENTERPRISE]: { department: 'Retail' } }) });
    expect(created.status).toBe(201);
    const user = created.body;
    expect(typeof user.id).toBe('string');
    expect(user.id.length).toBeGreaterThan(0);
    expect(user.schemas).toEqual([USER_SCHEMA, ENTERPRISE]);
    expect(user.meta).toMatchObject({ resourceType: 'User', location: `${target().url}/Users/${user.id}` });
    expect(Date.parse(user.meta.created)).not.toBeNaN();
    expect(user.meta.lastModified).toBe(user.meta.created);
    expect(created.headers.get('location')).toBe(user.meta.location);
    expect(user).toMatchObject({
      userName: 'Adele.Vance',
      externalId: 'ext-Adele.Vance',
      active: true,
      name: { givenName: 'Given', familyName: 'Family' },
      emails: [{ type: 'work', value: 'Adele.Vance@example.com', primary: true }],
      [ENTERPRISE]: { department: 'Retail' },
    });
    expect(await getResource(target(), `/Users/${user.id}`)).toEqual(user);
  });

  it('assigns distinct ids and ignores a client-sent id', async () => {
    const a = await createUser(target(), 'a.user', { id: 'client-chosen' });
    const b = await createUser(target(), 'b.user');
    expect(a.id).not.toBe('client-chosen');
    expect(a.id).not.toBe(b.id);
  });

  it('rejects a user without userName with a 400 SCIM error', async () => {
    const response = await scim(target(), 'POST', '/Users', { body: { schemas: [USER_SCHEMA], displayName: 'no user name' } });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ schemas: [ERROR_SCHEMA], status: '400', scimType: 'invalidValue' });
    expect(response.body.detail).toContain('userName');
    expect(target().snapshot().users).toEqual([]);
  });

  describe('filters', () => {
    const list = async (query: string) => {
      const response = await scim(target(), 'GET', `/Users?${query}`);
      expect(response.status).toBe(200);
      expect(response.body.schemas).toEqual([LIST_RESPONSE]);
      return response.body;
    };
    const ids = (body: { Resources: Array<{ id: string }> }) => body.Resources.map((r) => r.id).sort();

    it('matches userName case-insensitively, form-encoded with + for spaces (the Entra probe shape)', async () => {
      const user = await createUser(target(), 'Test_User_00aa');
      await createUser(target(), 'someone.else');
      for (const query of [
        'filter=userName+eq+%22test_user_00AA%22',
        'filter=userName%20eq%20%22Test_User_00aa%22',
        'filter=UserName+EQ+%22TEST_USER_00AA%22',
      ]) {
        const body = await list(query);
        expect(body.totalResults, query).toBe(1);
        expect(body.Resources[0].id, query).toBe(user.id);
      }
    });

    it('returns 200 with an empty ListResponse when nothing matches (never 404)', async () => {
      await createUser(target(), 'present');
      const response = await scim(target(), 'GET', '/Users?filter=userName+eq+%227d420df3-9995-4831-a406-ecf8166f5f6a%22');
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ schemas: [LIST_RESPONSE], totalResults: 0, Resources: [], startIndex: 1, itemsPerPage: 0 });
    });

    it('treats externalId as caseExact (RFC 7643), id exactly', async () => {
      const user = await createUser(target(), 'ext.case', { externalId: 'AbC-123' });
      expect(ids(await list('filter=externalId+eq+%22AbC-123%22'))).toEqual([user.id]);
      expect((await list('filter=externalId+eq+%22abc-123%22')).totalResults).toBe(0);
      expect(ids(await list(`filter=id+eq+%22${user.id}%22`))).toEqual([user.id]);
    });

    it('matches emails[type eq "work"].value, displayName, an "and" of two terms, and a URN-qualified extension attribute', async () => {
      const user = await createUser(target(), 'mail.user', {
        displayName: 'Mail User',
        emails: [
          { type: 'home', value: 'home@example.com' },
          { type: 'work', value: 'Work@Example.com', primary: true },
        ],
        [ENTERPRISE]: { employeeNumber: 'E-42' },
      });
      await createUser(target(), 'other.user', { displayName: 'Other', emails: [{ type: 'work', value: 'home@example.com' }] });
      expect(ids(await list(`filter=${encodeURIComponent('emails[type eq "work"].value eq "work@example.com"')}`))).toEqual([user.id]);
      // The home address of mail.user must not satisfy a filter on the work address.
      expect(ids(await list(`filter=${encodeURIComponent('emails[type eq "work"].value eq "home@example.com"')}`))).not.toContain(user.id);
      expect(ids(await list('filter=displayName+eq+%22mail+user%22'))).toEqual([user.id]);
      expect(ids(await list(`filter=${encodeURIComponent('userName eq "mail.user" and displayName eq "Mail User"')}`))).toEqual([user.id]);
      expect((await list(`filter=${encodeURIComponent('userName eq "mail.user" and displayName eq "Other"')}`)).totalResults).toBe(0);
      expect(ids(await list(`filter=${encodeURIComponent(`${ENTERPRISE}:employeeNumber eq "E-42"`)}`))).toEqual([user.id]);
    });

    it('finds a user by its new userName after a rename, and not after delete', async () => {
      const user = await createUser(target(), 'before.rename');
      await scim(target(), 'PATCH', `/Users/${user.id}`, { body: patchBody({ op: 'replace', path: 'userName', value: 'after.rename' }) });
      expect((await list('filter=userName+eq+%22before.rename%22')).totalResults).toBe(0);
      expect(ids(await list('filter=userName+eq+%22AFTER.rename%22'))).toEqual([user.id]);
      // The old name is free again.
      expect((await scim(target(), 'POST', '/Users', { body: entraUser('Before.Rename') })).status).toBe(201);
      await scim(target(), 'DELETE', `/Users/${user.id}`);
      expect((await list('filter=userName+eq+%22after.rename%22')).totalResults).toBe(0);
    });

    it('answers an unparseable filter with 400 invalidFilter', async () => {
      const response = await scim(target(), 'GET', `/Users?filter=${encodeURIComponent('(userName eq "x"')}`);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ schemas: [ERROR_SCHEMA], status: '400', scimType: 'invalidFilter' });
    });
  });

  describe('uniqueness', () => {
    it('answers a POST with a taken userName (other case) with 409 uniqueness', async () => {
      await createUser(target(), 'Unique.Name');
      const response = await scim(target(), 'POST', '/Users', { body: entraUser('unique.NAME') });
      expect(response.status).toBe(409);
      expect(response.body).toMatchObject({ schemas: [ERROR_SCHEMA], status: '409', scimType: 'uniqueness' });
      expect(response.body.detail).toContain('unique.NAME');
      expect(target().snapshot().users).toHaveLength(1);
    });

    it('answers PUT and PATCH that would take another user’s userName with 409, leaving the user unchanged', async () => {
      await createUser(target(), 'first');
      const second = await createUser(target(), 'second');
      const put = await scim(target(), 'PUT', `/Users/${second.id}`, { body: entraUser('FIRST') });
      expect(put.status).toBe(409);
      expect(put.body.scimType).toBe('uniqueness');
      const patch = await scim(target(), 'PATCH', `/Users/${second.id}`, {
        body: patchBody({ op: 'replace', path: 'userName', value: 'First' }),
      });
      expect(patch.status).toBe(409);
      expect(patch.body.scimType).toBe('uniqueness');
      expect((await getResource(target(), `/Users/${second.id}`)).userName).toBe('second');
    });

    it('lets a user keep (or re-case) its own userName', async () => {
      const user = await createUser(target(), 'self.name');
      const patch = await scim(target(), 'PATCH', `/Users/${user.id}`, {
        body: patchBody({ op: 'replace', path: 'userName', value: 'Self.Name' }),
      });
      expect(patch.status).toBe(200);
      expect((await getResource(target(), `/Users/${user.id}`)).userName).toBe('Self.Name');
    });
  });

  describe('paging', () => {
    const names = ['p1', 'p2', 'p3', 'p4', 'p5'];
    const page = async (query: string) => (await scim(target(), 'GET', `/Users?${query}`)).body;

    it('pages with 1-based startIndex and count, in creation order', async () => {
      for (const name of names) await createUser(target(), name);
      const body = await page('startIndex=2&count=2');
      expect(body).toMatchObject({ totalResults: 5, startIndex: 2, itemsPerPage: 2 });
      expect(body.Resources.map((r: { userName: string }) => r.userName)).toEqual(['p2', 'p3']);
      const last = await page('startIndex=5&count=2');
      expect(last.Resources.map((r: { userName: string }) => r.userName)).toEqual(['p5']);
      expect(last.itemsPerPage).toBe(1);
    });

    it('returns no resources past the end, none for count=0, and reads startIndex<1 as 1', async () => {
      for (const name of names.slice(0, 3)) await createUser(target(), name);
      expect(await page('startIndex=7&count=2')).toMatchObject({ totalResults: 3, Resources: [], startIndex: 7, itemsPerPage: 0 });
      expect(await page('count=0')).toMatchObject({ totalResults: 3, Resources: [], itemsPerPage: 0 });
      const fromZero = await page('startIndex=0&count=1');
      expect(fromZero.startIndex).toBe(1);
      expect(fromZero.Resources[0].userName).toBe('p1');
    });

    it('pages a filtered result and rejects a non-numeric count', async () => {
      for (const name of names) await createUser(target(), name);
      const body = await page(`filter=${encodeURIComponent('userName eq "p4"')}&startIndex=1&count=10`);
      expect(body.totalResults).toBe(1);
      const bad = await scim(target(), 'GET', '/Users?count=lots');
      expect(bad.status).toBe(400);
      expect(bad.body.scimType).toBe('invalidValue');
    });
  });

  describe('attributes and excludedAttributes', () => {
    it('honours excludedAttributes on lists and GET by id', async () => {
      const user = await createUser(target(), 'proj.user', { [ENTERPRISE]: { department: 'D' } });
      const byId = await getResource(target(), `/Users/${user.id}?excludedAttributes=emails,${ENTERPRISE}`);
      expect(byId.emails).toBeUndefined();
      expect(byId[ENTERPRISE]).toBeUndefined();
      expect(byId.schemas).toEqual([USER_SCHEMA]);
      expect(byId).toMatchObject({ id: user.id, userName: 'proj.user' });
      const listed = await getResource(target(), '/Users?excludedAttributes=name');
      expect(listed.Resources[0].name).toBeUndefined();
      expect(listed.Resources[0].emails).toHaveLength(1);
    });

    it('honours attributes: id and schemas always, the rest only when asked', async () => {
      const user = await createUser(target(), 'attr.user', { [ENTERPRISE]: { department: 'D', costCenter: 'C' } });
      const onlyId = await getResource(target(), `/Users/${user.id}?attributes=id`);
      expect(onlyId).toEqual({ schemas: [USER_SCHEMA], id: user.id });
      const some = await getResource(target(), `/Users/${user.id}?attributes=userName,name.givenName`);
      expect(some).toEqual({ schemas: [USER_SCHEMA], id: user.id, userName: 'attr.user', name: { givenName: 'Given' } });
      const ext = await getResource(target(), `/Users?attributes=${ENTERPRISE}:department`);
      expect(ext.Resources[0]).toEqual({ schemas: [USER_SCHEMA, ENTERPRISE], id: user.id, [ENTERPRISE]: { department: 'D' } });
    });
  });

  describe('PUT, DELETE and unknown ids', () => {
    it('PUT replaces the resource, keeping id and created', async () => {
      const user = await createUser(target(), 'put.user', { title: 'Engineer' });
      const response = await scim(target(), 'PUT', `/Users/${user.id}`, {
        body: { schemas: [USER_SCHEMA], userName: 'put.user', active: false },
      });
      expect(response.status).toBe(200);
      const stored = await getResource(target(), `/Users/${user.id}`);
      expect(stored).toMatchObject({ id: user.id, userName: 'put.user', active: false });
      expect(stored.title).toBeUndefined();
      expect(stored.emails).toBeUndefined();
      expect(stored.meta.created).toBe(user.meta.created);
      expect(stored.meta.version).not.toBe(user.meta.version);
    });

    it('DELETE answers 204, then 404 for GET and a second DELETE', async () => {
      const user = await createUser(target(), 'delete.me');
      const first = await scim(target(), 'DELETE', `/Users/${user.id}`);
      expect(first.status).toBe(204);
      expect(first.body).toBeUndefined();
      for (const method of ['GET', 'DELETE']) {
        const again = await scim(target(), method, `/Users/${user.id}`);
        expect(again.status, method).toBe(404);
        expect(again.body).toMatchObject({ schemas: [ERROR_SCHEMA], status: '404' });
        expect(again.body.detail).toContain(user.id);
      }
    });

    it('answers GET, PUT and PATCH of an unknown id with a 404 SCIM error', async () => {
      for (const [method, body] of [
        ['GET', undefined],
        ['PUT', entraUser('nobody')],
        ['PATCH', patchBody({ op: 'replace', path: 'active', value: false })],
      ] as const) {
        const response = await scim(target(), method, '/Users/does-not-exist', body === undefined ? {} : { body });
        expect(response.status, method).toBe(404);
        expect(response.body).toMatchObject({ schemas: [ERROR_SCHEMA], status: '404' });
      }
    });
  });
});
