/**
 * End to end: the real engine and CLI command against the embedded SCIMMY target over HTTP on 127.0.0.1.
 * Assertions are on the target's final state (read back from the server), not only on counts.
 */
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { loadTenant } from '../../src/source/index.js';
import { CONTOSO, CONTOSO_DAY2, Harness } from '../helpers/harness.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
let h: Harness;
afterEach(async () => {
  await h?.stop();
});

describe('initial cycle (tolerant target)', () => {
  it('creates every assigned, in-scope, active user and assigned group, with attributes, manager and members', async () => {
    h = await new Harness().start('tolerant');
    const result = await h.sync(CONTOSO);
    expect(result.exitCode).toBe(0);
    expect(result.cycle?.kind).toBe('initial');

    const { tenant } = await loadTenant(CONTOSO);
    const snap = h.target.snapshot();
    // Who should be there: assigned directly or through an assigned group, enabled, not soft-deleted.
    const byUpn = new Map(tenant!.users.map((u) => [u.userPrincipalName.toLowerCase(), u]));
    const samuel = byUpn.get('samuel.lee@contoso.com')!; // not assigned
    const peter = byUpn.get('peter.novak@contoso.com')!; // disabled, never provisioned
    const mia = byUpn.get('mia.johansson@contoso.com')!; // soft-deleted
    for (const absent of [samuel, peter, mia]) expect(h.userByName(absent.userPrincipalName)).toBeUndefined();
    expect(snap.users).toHaveLength(tenant!.users.length - 3);

    const jose = h.userByName('jose.muller@contoso.com')!;
    expect(jose).toMatchObject({
      active: true,
      displayName: 'José Müller',
      externalId: 'jose.muller',
      name: { givenName: 'José', familyName: 'Müller', formatted: 'José Müller' },
      emails: [expect.objectContaining({ type: 'work', value: 'jose.muller@contoso.com', primary: true })],
    });
    expect((jose[ENTERPRISE] as Record<string, unknown>)['department']).toBe('Finance');
    // The manager is the manager's *target* id.
    const laura = h.userByName('laura.chen@contoso.com')!;
    expect((jose[ENTERPRISE] as Record<string, { value: string }>)['manager']?.value).toBe(laura['id']);

    // B2B guest: userPrincipalName flows with #EXT# stripped.
    expect(h.userByName('alex.rivera@fabrikam.com')).toBeDefined();

    // Only assigned groups; members are the target ids of provisioned members (Peter Novak is left out).
    expect(snap.groups.map((g) => g['displayName']).sort()).toEqual(['IT Admins', 'Sales Team']);
    const sales = h.groupByName('Sales Team')!;
    const memberIds = (sales['members'] as Array<{ value: string }>).map((m) => m.value).sort();
    const expected = ['tom.fischer@contoso.com', 'aisha.bello@contoso.com', 'kenji.watanabe@contoso.com', 'siobhan.oconnor@contoso.com']
      .map((u) => h.userByName(u)!['id'] as string)
      .sort();
    expect(memberIds).toEqual(expected);

    // Entra's request shapes: members added with {"$ref": null, value}, manager as a bare id, legacy ops.
    const memberPatch = h.writes().find((r) => r.method === 'PATCH' && r.url.includes('/Groups/'));
    expect(memberPatch?.body).toMatchObject({
      Operations: [{ op: 'Add', path: 'members', value: expect.arrayContaining([{ $ref: null, value: expected[0] }]) }],
    });
    const managerPatch = h.writes().find((r) => r.method === 'PATCH' && r.url.endsWith(`/Users/${jose['id'] as string}`));
    expect(managerPatch?.body).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'Add', path: `${ENTERPRISE}:manager`, value: laura['id'] }],
    });
    // Groups are created with an empty members list (the captured POST, Q&A 637791), the members follow by
    // PATCH, and groups are read with excludedAttributes=members.
    const groupPost = h.writes().find((r) => r.method === 'POST' && r.url.endsWith('/Groups'));
    expect((groupPost?.body as { members?: unknown }).members).toEqual([]);
    expect(
      h.target
        .requests()
        .filter((r) => r.method === 'GET' && r.url.includes('/Groups'))
        .every((r) => r.url.includes('excludedAttributes=members')),
    ).toBe(true);
  });

  it('a second sync of unchanged input sends no write (only the connection probe)', async () => {
    h = await new Harness().start('tolerant');
    await h.sync(CONTOSO);
    const before = h.target.requests().length;
    const second = await h.sync(CONTOSO);
    expect(second.exitCode).toBe(0);
    expect(second.cycle?.kind).toBe('incremental');
    const requests = h.target.requests().slice(before);
    expect(requests).toHaveLength(1);
    expect(requests[0]!.method).toBe('GET');
    expect(decodeURIComponent(requests[0]!.url.replace(/\+/g, ' '))).toMatch(/\/Users\?filter=userName eq "[0-9a-f-]{36}"$/);
  });

  it('a forced initial cycle over an unchanged, linked target plans zero writes', async () => {
    h = await new Harness().start('tolerant');
    await h.sync(CONTOSO);
    const before = h.writes().length;
    const again = await h.sync(CONTOSO, { full: true });
    expect(again.cycle?.kind).toBe('initial');
    expect(h.writes().length).toBe(before);
    expect(again.cycle?.counts).toEqual({ 'Other/Skipped': expect.any(Number) });
  });

  it('losing the state (a crash before it was written) never duplicates objects: the next run matches and links', async () => {
    h = await new Harness().start('tolerant');
    await h.sync(CONTOSO);
    const users = h.target.snapshot().users.length;
    rmSync(h.state);
    const rerun = await h.sync(CONTOSO);
    expect(rerun.exitCode).toBe(0);
    expect(h.target.snapshot().users).toHaveLength(users);
    expect(rerun.cycle?.log.filter((e) => e.provisioningAction === 'Create')).toEqual([]);
  });
});

describe('objects provsim never created or matched', () => {
  it('are never touched, through initial and incremental cycles', async () => {
    h = await new Harness().start('tolerant');
    const foreign = await fetch(`${h.target.url}/Users`, {
      method: 'POST',
      headers: { 'content-type': 'application/scim+json' },
      body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'local.admin@saas.example', active: true }),
    }).then((r) => r.json() as Promise<{ id: string }>);
    await h.sync(CONTOSO);
    await h.sync(CONTOSO_DAY2);
    await h.sync(CONTOSO_DAY2, { full: true });
    expect(h.userByName('local.admin@saas.example')).toMatchObject({ id: foreign.id, active: true });
    expect(h.target.requests().filter((r) => r.url.includes(foreign.id))).toEqual([]);
  });
});

describe('incremental cycle (tolerant target)', () => {
  it('applies exactly the day-2 changes: create, rename, move, unassign, disable, soft delete, hard delete, membership', async () => {
    h = await new Harness().start('tolerant');
    await h.sync(CONTOSO);
    const hannahId = h.userByName('hannah.schmidt@contoso.com')!['id'] as string;
    const before = h.target.requests().length;
    const day2 = await h.sync(CONTOSO_DAY2);
    expect(day2.exitCode).toBe(0);
    expect(day2.cycle?.kind).toBe('incremental');

    const fatima = h.userByName('fatima.elamrani@contoso.com');
    expect(fatima).toMatchObject({ active: true, displayName: 'Fatima El Amrani' });
    expect((fatima![ENTERPRISE] as Record<string, { value: string }>)['manager']?.value).toBe(
      h.userByName('daniel.kim@contoso.com')!['id'],
    );
    expect(h.userByName('sofia.rossi@contoso.com')).toMatchObject({
      displayName: 'Sofia Bianchi',
      name: { familyName: 'Bianchi', formatted: 'Sofia Bianchi' },
    });
    expect((h.userByName('ahmed.hassan@contoso.com')![ENTERPRISE] as Record<string, unknown>)['department']).toBe('IT');
    for (const upn of ['noah.williams@contoso.com', 'tom.fischer@contoso.com', 'emily.carter@contoso.com']) {
      expect(h.userByName(upn)).toMatchObject({ active: false });
    }
    expect(h.userByName('hannah.schmidt@contoso.com')).toBeUndefined();
    const sales = (h.groupByName('Sales Team')!['members'] as Array<{ value: string }>).map((m) => m.value);
    expect(sales).toContain(h.userByName('marcus.webb@contoso.com')!['id']);
    expect(sales).not.toContain(h.userByName('kenji.watanabe@contoso.com')!['id']);
    // Disabled users stay members; only the change of CHANGES.md #8 touches the group.
    expect(sales).toContain(h.userByName('tom.fischer@contoso.com')!['id']);

    // Only what changed was touched: one request per change, plus the probe (and one filter GET for the new hire).
    const requests = h.target.requests().slice(before);
    const writes = requests.filter((r) => r.method !== 'GET');
    expect(writes.map((r) => r.method).sort()).toEqual([
      'DELETE',
      'PATCH',
      'PATCH',
      'PATCH',
      'PATCH',
      'PATCH',
      'PATCH',
      'PATCH',
      'PATCH',
      'POST',
    ]);
    expect(writes.find((r) => r.method === 'DELETE')?.url).toMatch(new RegExp(`/Users/${hannahId}$`));
    const disable = writes.find((r) => JSON.stringify(r.body).includes('"path":"active"'));
    expect(disable?.body).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
    });

    const actions = Object.fromEntries(day2.cycle!.log.map((e) => [e.sourceIdentity.displayName, e.provisioningAction]));
    expect(actions).toMatchObject({
      'Fatima El Amrani': 'Create',
      'Sofia Bianchi': 'Update',
      'Ahmed Hassan': 'Update',
      'Noah Williams': 'Disable',
      'Tom Fischer': 'Disable',
      'Emily Carter': 'Disable',
      'Hannah Schmidt': 'Delete',
      'Sales Team': 'Update',
    });
  });
});

describe('tolerant target, both dialects', () => {
  it('ends in the same target state whichever dialect Entra speaks', async () => {
    const states: unknown[] = [];
    for (const suffix of ['', '?aadOptscim062020']) {
      h = await new Harness().start('tolerant');
      expect((await h.sync(CONTOSO, { target: h.target.url + suffix })).exitCode).toBe(0);
      expect((await h.sync(CONTOSO_DAY2, { target: h.target.url + suffix })).exitCode).toBe(0);
      states.push(h.shape());
      await h.stop();
    }
    expect(states[1]).toEqual(states[0]);
  });
});

describe('strict target (RFC 7643/7644 to the letter)', () => {
  it('creates succeed, legacy-dialect PATCHes fail, and each failure names method, URL, status and the SCIM error body', async () => {
    h = await new Harness().start('strict');
    const result = await h.sync(CONTOSO);
    expect(result.exitCode).toBe(1);
    expect(result.cycle?.status).toBe('entry-level-errors');
    // Users and groups exist (POST bodies are valid SCIM) …
    expect(h.userByName('jose.muller@contoso.com')).toBeDefined();
    expect(h.groupByName('Sales Team')).toBeDefined();
    // … but the capitalised "Add" of members and manager was refused, so no group has members.
    expect(h.target.snapshot().groups.every((g) => !Array.isArray(g['members']) || g['members'].length === 0)).toBe(true);
    const failures = result.cycle!.log.filter((e) => e.status === 'Failure');
    expect(failures.length).toBeGreaterThan(0);
    const f = failures.find((e) => e.sourceIdentity.displayName === 'Sales Team')!;
    expect(f.errorDetails).toMatchObject({ method: 'PATCH', status: 400, body: expect.objectContaining({ status: '400' }) });
    expect(f.errorDetails!.url).toMatch(/\/Groups\/[^/]+$/);
    expect(h.out.stdout).toContain('PATCH http://127.0.0.1:');
    expect(h.out.stdout).toMatch(/→ 400 /);
  });

  it('the aadOptscim062020 dialect (from the tenant URL) with the manager in the complex form passes the strict target, both days', async () => {
    h = await new Harness().start('strict');
    const result = await h.sync(CONTOSO, { target: `${h.target.url}?aadOptscim062020`, quirk: ['managerBareId=off'] });
    expect(result.cycle?.log.filter((e) => e.status === 'Failure')).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect((h.groupByName('Sales Team')!['members'] as unknown[]).length).toBe(4);
    const jose = h.userByName('jose.muller@contoso.com')!;
    expect((jose[ENTERPRISE] as Record<string, { value: string }>)['manager']?.value).toBe(h.userByName('laura.chen@contoso.com')!['id']);
    const day2 = await h.sync(CONTOSO_DAY2, { target: `${h.target.url}?aadOptscim062020`, quirk: ['managerBareId=off'] });
    expect(day2.exitCode).toBe(0);
    expect(h.userByName('tom.fischer@contoso.com')).toMatchObject({ active: false });
    expect((h.groupByName('Sales Team')!['members'] as unknown[]).length).toBe(4);
  });

  it('the flag dialect sends the manager as a bare id by default (SCIM-SDK #686), and only the manager PATCHes fail on the strict target', async () => {
    h = await new Harness().start('strict');
    const result = await h.sync(CONTOSO, { target: `${h.target.url}?aadOptscim062020` });
    const failures = result.cycle!.log.filter((e) => e.status === 'Failure');
    expect(failures.length).toBeGreaterThan(0);
    for (const f of failures) {
      expect(f.errorDetails?.body).toMatchObject({ scimType: 'invalidValue' });
      expect(JSON.stringify(f.errorDetails?.body)).toContain('manager');
    }
    expect(result.exitCode).toBe(1);
  });
});

describe('dry run', () => {
  it('prints the plan, reads the target, writes nothing and stores nothing', async () => {
    h = await new Harness().start('tolerant');
    const result = await h.sync(CONTOSO, { dryRun: true });
    expect(result.exitCode).toBe(0);
    expect(h.writes()).toEqual([]);
    expect(h.target.requests().length).toBeGreaterThan(1);
    expect(h.out.stdout).toMatch(/plan \(initial cycle, legacy dialect\): 25 to create/);
    expect(h.out.stdout).toContain("+ User 'José Müller' (create)");
    // Nothing was stored: the next real sync is still an initial cycle that creates everything.
    const real = await h.sync(CONTOSO);
    expect(real.cycle?.kind).toBe('initial');
    expect(real.cycle?.counts['Create/Success']).toBe(25);
  });
});
