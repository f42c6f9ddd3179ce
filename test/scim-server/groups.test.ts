import { describe, expect, it } from 'vitest';
import {
  ERROR_SCHEMA,
  GROUP_SCHEMA,
  PROFILES,
  createGroup,
  createUser,
  entraGroup,
  getResource,
  memberIds,
  patchBody,
  scim,
  useTarget,
} from './helpers.js';

describe.each(PROFILES)('Groups (%s profile)', (profile) => {
  const target = useTarget({ profile });
  // Entra's capitalised op names where the profile accepts them (rule rejectCapitalisedOps is tested elsewhere).
  const opCase = (op: 'Add' | 'Remove'): string => (profile === 'strict' ? op.toLowerCase() : op);

  it('creates a group from Entra’s body: 201, only the core schema kept, empty members', async () => {
    const response = await scim(target(), 'POST', '/Groups', { body: entraGroup('Sales') });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ schemas: [GROUP_SCHEMA], displayName: 'Sales', externalId: 'ext-Sales', members: [] });
    expect(response.body.meta).toMatchObject({ resourceType: 'Group', location: `${target().url}/Groups/${response.body.id}` });
    expect(response.headers.get('location')).toBe(response.body.meta.location);
  });

  it('adds several members in one op ($ref: null accepted), answers 204, and GET shows display/$ref/type', async () => {
    const group = await createGroup(target(), 'Team');
    const alice = await createUser(target(), 'alice', { displayName: 'Alice A' });
    const bob = await createUser(target(), 'bob');
    const nested = await createGroup(target(), 'Nested');
    const response = await scim(target(), 'PATCH', `/Groups/${group.id}`, {
      body: patchBody({
        op: opCase('Add'),
        path: 'members',
        value: [{ $ref: null, value: alice.id }, { value: bob.id }, { value: nested.id }],
      }),
    });
    expect(response.status).toBe(204);
    expect(response.body).toBeUndefined();
    const stored = await getResource(target(), `/Groups/${group.id}`);
    expect(memberIds(stored)).toEqual([alice.id, bob.id, nested.id].sort());
    const byId = Object.fromEntries(stored.members.map((m: { value: string }) => [m.value, m]));
    expect(byId[alice.id]).toEqual({ value: alice.id, display: 'Alice A', $ref: `${target().url}/Users/${alice.id}`, type: 'User' });
    expect(byId[bob.id]).toMatchObject({ display: 'bob', type: 'User' });
    expect(byId[nested.id]).toEqual({ value: nested.id, display: 'Nested', $ref: `${target().url}/Groups/${nested.id}`, type: 'Group' });
  });

  it('de-duplicates members by value', async () => {
    const group = await createGroup(target(), 'Dups');
    const user = await createUser(target(), 'dup.user');
    await scim(target(), 'PATCH', `/Groups/${group.id}`, {
      body: patchBody({ op: 'add', path: 'members', value: [{ value: user.id }, { value: user.id }] }),
    });
    await scim(target(), 'PATCH', `/Groups/${group.id}`, { body: patchBody({ op: 'add', path: 'members', value: [{ value: user.id }] }) });
    expect((await getResource(target(), `/Groups/${group.id}`)).members).toHaveLength(1);
  });

  it('a PATCH that changes nothing (member already there) keeps meta.version', async () => {
    const group = await createGroup(target(), 'Stable');
    const user = await createUser(target(), 'stable.member');
    await scim(target(), 'PATCH', `/Groups/${group.id}`, { body: patchBody({ op: 'add', path: 'members', value: [{ value: user.id }] }) });
    const before = await getResource(target(), `/Groups/${group.id}`);
    expect(before.meta.version).not.toBe(group.meta.version);
    await scim(target(), 'PATCH', `/Groups/${group.id}`, {
      body: patchBody({ op: 'add', path: 'members', value: [{ value: user.id }] }, { op: 'replace', path: 'displayName', value: 'Stable' }),
    });
    expect((await getResource(target(), `/Groups/${group.id}`)).meta).toEqual(before.meta);
  });

  it('rejects a member id that is no user or group with 400 naming the id, and stores nothing', async () => {
    const group = await createGroup(target(), 'Strict members');
    const user = await createUser(target(), 'real.user');
    const response = await scim(target(), 'PATCH', `/Groups/${group.id}`, {
      body: patchBody({ op: 'add', path: 'members', value: [{ value: user.id }, { value: 'ghost-id-123' }] }),
    });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ schemas: [ERROR_SCHEMA], status: '400', scimType: 'invalidValue' });
    expect(response.body.detail).toContain('ghost-id-123');
    expect((await getResource(target(), `/Groups/${group.id}`)).members).toEqual([]);
    const noValue = await scim(target(), 'PATCH', `/Groups/${group.id}`, {
      body: patchBody({ op: 'add', path: 'members', value: [{ display: 'who?' }] }),
    });
    expect(noValue.status).toBe(400);
    expect(noValue.body.detail).toMatch(/Member 1 .*'value'/);
    const post = await scim(target(), 'POST', '/Groups', { body: { ...entraGroup('With ghost'), members: [{ value: 'ghost-2' }] } });
    expect(post.status).toBe(400);
    expect(post.body.detail).toContain('ghost-2');
  });

  it('removes one member by members[value eq "id"]', async () => {
    const group = await createGroup(target(), 'Filter removal');
    const [a, b] = [await createUser(target(), 'fa'), await createUser(target(), 'fb')];
    await scim(target(), 'PATCH', `/Groups/${group.id}`, {
      body: patchBody({ op: 'add', path: 'members', value: [{ value: a.id }, { value: b.id }] }),
    });
    const response = await scim(target(), 'PATCH', `/Groups/${group.id}`, {
      body: patchBody({ op: 'remove', path: `members[value eq "${a.id}"]` }),
    });
    expect(response.status).toBe(204);
    expect(memberIds(await getResource(target(), `/Groups/${group.id}`))).toEqual([b.id]);
  });

  it(`"Remove" with path members and a value list: ${profile === 'strict' ? 'removes ALL members (RFC read literally)' : 'removes only the listed members'}`, async () => {
    const group = await createGroup(target(), 'Value removal');
    const users = [await createUser(target(), 'va'), await createUser(target(), 'vb'), await createUser(target(), 'vc')];
    await scim(target(), 'PATCH', `/Groups/${group.id}`, {
      body: patchBody({ op: opCase('Add'), path: 'members', value: users.map((u) => ({ value: u.id })) }),
    });
    const removal = patchBody({
      op: opCase('Remove'),
      path: 'members',
      value: [{ $ref: null, value: users[0].id }, { value: users[2].id }],
    });
    const response = await scim(target(), 'PATCH', `/Groups/${group.id}`, { body: removal });
    expect(response.status).toBe(204);
    const left = memberIds(await getResource(target(), `/Groups/${group.id}`));
    expect(left).toEqual(profile === 'strict' ? [] : [users[1].id]);
  });

  it('deleting a user or a group takes it out of every group’s members', async () => {
    const [g1, g2, child] = [await createGroup(target(), 'G1'), await createGroup(target(), 'G2'), await createGroup(target(), 'Child')];
    const [keep, gone] = [await createUser(target(), 'keep'), await createUser(target(), 'gone')];
    for (const g of [g1, g2]) {
      await scim(target(), 'PATCH', `/Groups/${g.id}`, {
        body: patchBody({ op: 'add', path: 'members', value: [{ value: keep.id }, { value: gone.id }, { value: child.id }] }),
      });
    }
    expect((await scim(target(), 'DELETE', `/Users/${gone.id}`)).status).toBe(204);
    expect((await scim(target(), 'DELETE', `/Groups/${child.id}`)).status).toBe(204);
    for (const g of [g1, g2]) expect(memberIds(await getResource(target(), `/Groups/${g.id}`))).toEqual([keep.id]);
    expect(
      target()
        .snapshot()
        .groups.map((g) => g.displayName)
        .sort(),
    ).toEqual(['G1', 'G2']);
  });

  it('answers a duplicate displayName (other case) with 409 on POST and PATCH', async () => {
    await createGroup(target(), 'Engineering');
    const post = await scim(target(), 'POST', '/Groups', { body: entraGroup('ENGINEERING') });
    expect(post.status).toBe(409);
    expect(post.body).toMatchObject({ schemas: [ERROR_SCHEMA], status: '409', scimType: 'uniqueness' });
    const other = await createGroup(target(), 'Marketing');
    const patch = await scim(target(), 'PATCH', `/Groups/${other.id}`, {
      body: patchBody({ op: 'replace', path: 'displayName', value: 'engineering' }),
    });
    expect(patch.status).toBe(409);
    expect((await getResource(target(), `/Groups/${other.id}`)).displayName).toBe('Marketing');
  });

  it('finds a group by displayName in another case, honouring excludedAttributes=members (Entra’s query)', async () => {
    const group = await createGroup(target(), 'Finance Team');
    const user = await createUser(target(), 'fin.user');
    await scim(target(), 'PATCH', `/Groups/${group.id}`, { body: patchBody({ op: 'add', path: 'members', value: [{ value: user.id }] }) });
    const response = await scim(target(), 'GET', '/Groups?excludedAttributes=members&filter=displayName+eq+%22finance+team%22');
    expect(response.status).toBe(200);
    expect(response.body.totalResults).toBe(1);
    expect(response.body.Resources[0]).toMatchObject({ id: group.id, displayName: 'Finance Team' });
    expect(response.body.Resources[0].members).toBeUndefined();
    const byId = await getResource(target(), `/Groups/${group.id}?excludedAttributes=members`);
    expect(byId.members).toBeUndefined();
    expect(memberIds(await getResource(target(), `/Groups/${group.id}`))).toEqual([user.id]);
  });

  it('updates displayName with a path-less replace and with PUT (members from the PUT body)', async () => {
    const group = await createGroup(target(), 'Old name');
    const user = await createUser(target(), 'put.member');
    const patch = await scim(target(), 'PATCH', `/Groups/${group.id}`, {
      body: patchBody({ op: 'replace', value: { displayName: 'New name', externalId: 'new-ext' } }),
    });
    expect(patch.status).toBe(204);
    expect(await getResource(target(), `/Groups/${group.id}`)).toMatchObject({ displayName: 'New name', externalId: 'new-ext' });
    const put = await scim(target(), 'PUT', `/Groups/${group.id}`, {
      body: { schemas: [GROUP_SCHEMA], displayName: 'Put name', members: [{ value: user.id, type: 'User' }] },
    });
    expect(put.status).toBe(200);
    const stored = await getResource(target(), `/Groups/${group.id}`);
    expect(stored.displayName).toBe('Put name');
    expect(stored.externalId).toBeUndefined();
    expect(memberIds(stored)).toEqual([user.id]);
  });

  it('replaces the member list with replace path members', async () => {
    const group = await createGroup(target(), 'Replace members');
    const [a, b] = [await createUser(target(), 'ra'), await createUser(target(), 'rb')];
    await scim(target(), 'PATCH', `/Groups/${group.id}`, { body: patchBody({ op: 'add', path: 'members', value: [{ value: a.id }] }) });
    await scim(target(), 'PATCH', `/Groups/${group.id}`, { body: patchBody({ op: 'replace', path: 'members', value: [{ value: b.id }] }) });
    expect(memberIds(await getResource(target(), `/Groups/${group.id}`))).toEqual([b.id]);
  });
});
