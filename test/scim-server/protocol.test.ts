import { request as httpRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import { STRICT_RULES, TARGET_RULE_NAMES, TOLERANT_RULES, startTarget, type RunningTarget } from '../../src/scim-server/index.js';
import {
  ENTERPRISE,
  ERROR_SCHEMA,
  GROUP_SCHEMA,
  LIST_RESPONSE,
  USER_SCHEMA,
  createUser,
  entraUser,
  patchBody,
  scim,
  useTarget,
} from './helpers.js';

/** A request with exactly the given headers (node:http adds only Host, Connection and Content-Length). */
function bareRequest(target: RunningTarget, method: string, path: string, headers: Record<string, string>, body?: string) {
  const url = new URL(`${target.url}${path}`);
  return new Promise<{ status: number; contentType: string | undefined; body: string; sentHeaders: string[] }>((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'], body: text, sentHeaders: req.getHeaderNames() }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('authentication', () => {
  const target = useTarget({ token: 's3cret' });

  it('answers 401 with a SCIM error without a token or with a wrong one, 200 with the right one', async () => {
    const none = await scim(target(), 'GET', '/Users');
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({ schemas: [ERROR_SCHEMA], status: '401' });
    expect(none.headers.get('content-type')).toMatch(/^application\/scim\+json/);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    for (const authorization of ['Bearer wrong', 'Bearer s3cret-and-more', 'Basic czNjcmV0', 's3cret']) {
      const wrong = await scim(target(), 'GET', '/Users', { headers: { Authorization: authorization } });
      expect(wrong.status, authorization).toBe(401);
    }
    const right = await scim(target(), 'GET', '/Users', { headers: { Authorization: 'Bearer s3cret' } });
    expect(right.status).toBe(200);
    expect(right.body.schemas).toEqual([LIST_RESPONSE]);
  });

  it('protects every endpoint, writes included, and stores nothing on 401', async () => {
    for (const path of ['/ServiceProviderConfig', '/Schemas', '/Groups', '/nowhere']) {
      expect((await scim(target(), 'GET', path)).status, path).toBe(401);
    }
    const post = await scim(target(), 'POST', '/Users', { body: entraUser('intruder') });
    expect(post.status).toBe(401);
    expect(target().snapshot().users).toEqual([]);
    const config = await scim(target(), 'GET', '/ServiceProviderConfig', { headers: { Authorization: 'Bearer s3cret' } });
    expect(config.body.authenticationSchemes).toEqual([expect.objectContaining({ type: 'oauthbearertoken' })]);
  });
});

describe('HTTP conventions', () => {
  const target = useTarget();

  it('accepts requests without Accept or User-Agent, with Content-Type application/json or application/scim+json', async () => {
    const probe = await bareRequest(target(), 'GET', '/Users?filter=userName+eq+%22nobody%22', {});
    expect(probe.sentHeaders).not.toContain('accept');
    expect(probe.sentHeaders).not.toContain('user-agent');
    expect(probe.status).toBe(200);
    expect(JSON.parse(probe.body)).toMatchObject({ totalResults: 0, Resources: [] });
    for (const [userName, type] of [
      ['json.user', 'application/json'],
      ['scim.user', 'application/scim+json; charset=utf-8'],
    ]) {
      const created = await bareRequest(target(), 'POST', '/Users', { 'Content-Type': type! }, JSON.stringify(entraUser(userName!)));
      expect(created.status, type).toBe(201);
      expect(JSON.parse(created.body).userName).toBe(userName);
    }
  });

  it('sends Content-Type application/scim+json on every response: 200, 201, 204, 400, 404', async () => {
    const created = await scim(target(), 'POST', '/Users', { body: entraUser('ct.user') });
    const responses = [
      created,
      await scim(target(), 'GET', `/Users/${created.body.id}`),
      await scim(target(), 'GET', '/Users'),
      await scim(target(), 'PATCH', `/Users/${created.body.id}`, { body: patchBody({ op: 'replace', path: 'active', value: false }) }),
      await scim(target(), 'POST', '/Users', { rawBody: '{"userName": ' }),
      await scim(target(), 'GET', '/Users/missing'),
      await scim(target(), 'DELETE', `/Users/${created.body.id}`),
    ];
    expect(responses.map((r) => r.status)).toEqual([201, 200, 200, 200, 400, 404, 204]);
    for (const response of responses)
      expect(response.headers.get('content-type'), String(response.status)).toMatch(/^application\/scim\+json/);
  });

  it('answers malformed JSON and a non-JSON Content-Type with 400 invalidSyntax', async () => {
    const malformed = await scim(target(), 'POST', '/Users', { rawBody: '{"userName": ' });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ schemas: [ERROR_SCHEMA], status: '400', scimType: 'invalidSyntax' });
    const text = await scim(target(), 'POST', '/Users', { rawBody: 'userName=x', headers: { 'Content-Type': 'text/plain' } });
    expect(text.status).toBe(400);
    expect(text.body.detail).toContain('text/plain');
    const array = await scim(target(), 'POST', '/Users', { body: [entraUser('in.array')] });
    expect(array.status).toBe(400);
    expect(target().snapshot().users).toEqual([]);
  });

  it('answers unknown endpoints and methods with a 404 SCIM error', async () => {
    for (const [method, path] of [
      ['GET', '/Nope'],
      ['DELETE', '/Users'],
      ['GET', '/../outside'],
    ] as const) {
      const response = await scim(target(), method, path);
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(response.body).toMatchObject({ schemas: [ERROR_SCHEMA], status: '404' });
    }
  });

  it('serves ServiceProviderConfig, Schemas and ResourceTypes', async () => {
    const config = await scim(target(), 'GET', '/ServiceProviderConfig');
    expect(config.status).toBe(200);
    expect(config.body).toMatchObject({
      patch: { supported: true },
      filter: { supported: true },
      bulk: { supported: false },
      authenticationSchemes: [],
    });
    const schemas = await scim(target(), 'GET', '/Schemas');
    expect(schemas.body.Resources.map((s: { id: string }) => s.id)).toEqual([USER_SCHEMA, ENTERPRISE, GROUP_SCHEMA]);
    const userSchema = await scim(target(), 'GET', `/Schemas/${USER_SCHEMA}`);
    const userName = userSchema.body.attributes.find((a: { name: string }) => a.name === 'userName');
    expect(userName).toMatchObject({ type: 'string', caseExact: false, required: true });
    const types = await scim(target(), 'GET', '/ResourceTypes');
    expect(types.body.Resources).toEqual([
      expect.objectContaining({
        id: 'User',
        endpoint: '/Users',
        schema: USER_SCHEMA,
        schemaExtensions: [{ schema: ENTERPRISE, required: false }],
      }),
      expect.objectContaining({ id: 'Group', endpoint: '/Groups', schema: GROUP_SCHEMA }),
    ]);
    expect(types.body.Resources[0].meta.location).toBe(`${target().url}/ResourceTypes/User`);
    expect((await scim(target(), 'GET', '/ResourceTypes/Group')).body.id).toBe('Group');
    expect((await scim(target(), 'GET', '/Schemas/urn:nope')).status).toBe(404);
  });

  it('logs every request (method, path+query, status, parsed body) and reset() empties log and store', async () => {
    const body = entraUser('logged');
    const created = await scim(target(), 'POST', '/Users', { body });
    await scim(target(), 'GET', '/Users?filter=userName+eq+%22logged%22');
    await scim(target(), 'GET', '/missing');
    const path = new URL(target().url).pathname;
    expect(target().requests()).toEqual([
      { method: 'POST', url: `${path}/Users`, status: 201, body },
      { method: 'GET', url: `${path}/Users?filter=userName+eq+%22logged%22`, status: 200, body: undefined },
      { method: 'GET', url: `${path}/missing`, status: 404, body: undefined },
    ]);
    expect(
      target()
        .snapshot()
        .users.map((u) => u.id),
    ).toEqual([created.body.id]);
    target().reset();
    expect(target().requests()).toEqual([]);
    expect(target().snapshot()).toEqual({ users: [], groups: [] });
    expect((await scim(target(), 'GET', `/Users/${created.body.id}`)).status).toBe(404);
  });

  it('snapshot() returns deep copies as the server would return them', async () => {
    const user = await createUser(target(), 'snap');
    const snapshot = target().snapshot();
    expect(snapshot.users).toEqual([(await scim(target(), 'GET', `/Users/${user.id}`)).body]);
    snapshot.users[0]!['userName'] = 'mutated';
    expect(target().snapshot().users[0]?.userName).toBe('snap');
  });
});

describe('instances, addresses and options', () => {
  it('runs several targets at once without sharing state, each on 127.0.0.1 with its own port', async () => {
    const [a, b] = await Promise.all([startTarget(), startTarget({ profile: 'strict' })]);
    try {
      expect(a.port).not.toBe(b.port);
      expect(a.url).toBe(`http://127.0.0.1:${a.port}/scim/v2`);
      const [ua, ub] = await Promise.all([createUser(a, 'same.name'), createUser(b, 'same.name')]);
      expect(ua.meta.location.startsWith(a.url)).toBe(true);
      expect(ub.meta.location.startsWith(b.url)).toBe(true);
      expect(a.snapshot().users.map((u) => u.id)).toEqual([ua.id]);
      expect(b.snapshot().users.map((u) => u.id)).toEqual([ub.id]);
      expect((await scim(a, 'GET', `/Users/${ub.id}`)).status).toBe(404);
      expect([a.profile, b.profile]).toEqual(['tolerant', 'strict']);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('mounts at a custom basePath (or the root) and pages by defaultPageSize', async () => {
    const root = await startTarget({ basePath: '/', defaultPageSize: 2 });
    const custom = await startTarget({ basePath: 'api/scim/' });
    try {
      expect(root.url).toBe(`http://127.0.0.1:${root.port}`);
      expect(custom.url).toBe(`http://127.0.0.1:${custom.port}/api/scim`);
      for (const name of ['r1', 'r2', 'r3']) await createUser(root, name);
      const page = await scim(root, 'GET', '/Users');
      expect(page.body).toMatchObject({ totalResults: 3, itemsPerPage: 2 });
      expect((await scim(custom, 'GET', '/Users')).status).toBe(200);
      const outside = await fetch(`http://127.0.0.1:${custom.port}/scim/v2/Users`);
      expect(outside.status).toBe(404);
    } finally {
      await Promise.all([root.close(), custom.close()]);
    }
  });

  it('close() stops the server and can be called twice', async () => {
    const target = await startTarget();
    await createUser(target, 'before.close');
    await target.close();
    await target.close();
    await expect(fetch(`${target.url}/Users`)).rejects.toThrow();
  });

  it('rejects invalid options before listening', async () => {
    await expect(startTarget({ profile: 'lenient' as never })).rejects.toThrow(/profile 'lenient'/);
    await expect(startTarget({ defaultPageSize: 0 })).rejects.toThrow(/defaultPageSize/);
    await expect(startTarget({ token: '' })).rejects.toThrow(/token/);
    await expect(startTarget({ rules: { rejectEverything: true } as never })).rejects.toThrow(/unknown rule 'rejectEverything'/);
  });

  it('exposes the rule presets: strict all on, tolerant all off', () => {
    expect(TARGET_RULE_NAMES).toEqual([
      'rejectCapitalisedOps',
      'rejectStringBooleans',
      'noTargetOnMissingFilteredPath',
      'rejectBareManager',
      'removeMembersIgnoresValue',
    ]);
    for (const name of TARGET_RULE_NAMES) {
      expect(STRICT_RULES[name], name).toBe(true);
      expect(TOLERANT_RULES[name], name).toBe(false);
    }
  });
});
