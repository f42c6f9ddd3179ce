import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { contentTypeFor, ScimClient } from '../../src/scim/client.js';
import { createHttpClient } from '../../src/scim/http.js';
import { ManualClock } from '../../src/shared/clock.js';
import { ScimRequestError } from '../../src/shared/errors.js';

const BASE = 'http://127.0.0.1:9/scim';
const TOKEN = 'secret-token-value-123';
const client = (): ScimClient =>
  new ScimClient({ baseUrl: BASE, http: createHttpClient({ transport: 'node' }), token: TOKEN, clock: new ManualClock() });
const list = (resources: unknown[]) => ({
  schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
  totalResults: resources.length,
  Resources: resources,
  startIndex: 1,
  itemsPerPage: 20,
});

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  expect(nock.isDone()).toBe(true);
  nock.cleanAll();
});

async function failure(p: Promise<unknown>): Promise<ScimRequestError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(ScimRequestError);
  return e as ScimRequestError;
}

describe('ScimClient wire shapes (spec §1)', () => {
  it('filters users with a form-encoded eq filter and a bearer token', async () => {
    nock('http://127.0.0.1:9', { reqheaders: { authorization: `Bearer ${TOKEN}` } })
      .get('/scim/Users?filter=userName+eq+%22Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee%22')
      .reply(200, list([]));
    expect(await client().filter('Users', 'userName', 'Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee')).toEqual([]);
  });

  it('filters groups with excludedAttributes=members first, as documented', async () => {
    nock('http://127.0.0.1:9')
      .get('/scim/Groups?excludedAttributes=members&filter=displayName+eq+%22displayName%22')
      .reply(200, list([{ id: 'g1', displayName: 'displayName' }]));
    expect(await client().filter('Groups', 'displayName', 'displayName')).toEqual([{ id: 'g1', displayName: 'displayName' }]);
  });

  it('escapes quotes in filter values', async () => {
    nock('http://127.0.0.1:9')
      .get('/scim/Groups?excludedAttributes=members&filter=displayName+eq+%22The+%5C%22A%5C%22+Team%22')
      .reply(200, list([]));
    expect(await client().filter('Groups', 'displayName', 'The "A" Team')).toEqual([]);
  });

  it('sends PATCH as a PatchOp with application/scim+json; charset=utf-8 (the azd #12728 capture)', async () => {
    nock('http://127.0.0.1:9', { reqheaders: { 'content-type': 'application/scim+json; charset=utf-8' } })
      .patch('/scim/Users/6764549bef60420686bc', {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [{ op: 'Replace', path: 'userName', value: 'new@testuser.com' }],
      })
      .reply(204);
    await client().patch('Users', '6764549bef60420686bc', [{ op: 'Replace', path: 'userName', value: 'new@testuser.com' }]);
  });

  it('quirk charsetInContentType off: the Content-Type without charset', async () => {
    nock('http://127.0.0.1:9', { reqheaders: { 'content-type': (v: string) => v === 'application/scim+json' } })
      .post('/scim/Users')
      .reply(201, { id: 'u1' });
    const c = new ScimClient({
      baseUrl: BASE,
      http: createHttpClient({ transport: 'node' }),
      token: TOKEN,
      clock: new ManualClock(),
      contentType: contentTypeFor({ charsetInContentType: false }),
    });
    await c.create('Users', { userName: 'a' });
  });

  it('GETs a group by id without members', async () => {
    nock('http://127.0.0.1:9')
      .get('/scim/Groups/40734ae655284ad3abcc?excludedAttributes=members')
      .reply(200, { id: '40734ae655284ad3abcc', displayName: 'g' });
    expect(await client().get('Groups', '40734ae655284ad3abcc')).toMatchObject({ id: '40734ae655284ad3abcc' });
  });
});

describe('ScimClient reading responses (spec §1.13)', () => {
  it('404 on a filter GET is the SCIM-compliance error', async () => {
    nock('http://127.0.0.1:9')
      .get(/\/scim\/Users\?filter=.*/)
      .reply(404, { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '404' });
    const e = await failure(client().filter('Users', 'userName', 'x'));
    expect(e.entraCode).toBe('SystemForCrossDomainIdentityManagementServiceIncompatible');
    expect(e.message).toContain('empty ListResponse');
  });

  it('an HTML page instead of a ListResponse is ServiceIncompatible, quoting the body', async () => {
    nock('http://127.0.0.1:9')
      .get(/\/scim\/Users\?filter=.*/)
      .reply(200, '<html>login</html>', { 'content-type': 'text/html' });
    const e = await failure(client().filter('Users', 'userName', 'x'));
    expect(e.entraCode).toBe('SystemForCrossDomainIdentityManagementServiceIncompatible');
    expect(e.bodyText).toBe('<html>login</html>');
  });

  it('totalResults > 0 without Resources is ServiceIncompatible', async () => {
    nock('http://127.0.0.1:9')
      .get(/\/scim\/Users\?filter=.*/)
      .reply(200, { totalResults: 1 });
    expect((await failure(client().filter('Users', 'userName', 'x'))).entraCode).toBe(
      'SystemForCrossDomainIdentityManagementServiceIncompatible',
    );
  });

  it('a group returned with members although excluded is flagged', async () => {
    nock('http://127.0.0.1:9')
      .get(/\/scim\/Groups\?.*/)
      .reply(200, list([{ id: 'g1', members: [{ value: 'u1' }] }]));
    expect((await failure(client().filter('Groups', 'displayName', 'g'))).entraCode).toBe(
      'SystemForCrossDomainIdentityManagementMultipleEntriesInResponse',
    );
  });

  it('409 on POST is EntryConflict with the SCIM error body, method, URL and status', async () => {
    const body = {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '409',
      scimType: 'uniqueness',
      detail: 'userName taken',
    };
    nock('http://127.0.0.1:9').post('/scim/Users').reply(409, body);
    const e = await failure(client().create('Users', { userName: 'a' }));
    expect(e).toMatchObject({ entraCode: 'EntryConflict', method: 'POST', url: `${BASE}/Users`, status: 409, scimError: body });
    expect(e.message).toContain('userName taken');
    expect(e.message).not.toContain(TOKEN);
  });

  it('429 carries Retry-After; 401 is Unauthorized; 404 on a linked PATCH is InvalidAnchor', async () => {
    nock('http://127.0.0.1:9').patch('/scim/Users/1').reply(429, '', { 'Retry-After': '7' });
    expect(await failure(client().patch('Users', '1', []))).toMatchObject({ entraCode: 'TooManyRequests', retryAfterMs: 7000 });
    nock('http://127.0.0.1:9').patch('/scim/Users/1').reply(401, { detail: 'bad token' });
    expect((await failure(client().patch('Users', '1', []))).entraCode).toBe('Unauthorized');
    nock('http://127.0.0.1:9').patch('/scim/Users/1').reply(404, { status: '404' });
    expect((await failure(client().patch('Users', '1', []))).entraCode).toBe('InvalidAnchor');
  });

  it('no answer within the timeout is Timeout', async () => {
    nock('http://127.0.0.1:9').get('/scim/Users/1').delay(300).reply(200, { id: '1' });
    const c = new ScimClient({
      baseUrl: BASE,
      http: createHttpClient({ timeoutMs: 50, transport: 'node' }),
      token: TOKEN,
      clock: new ManualClock(),
    });
    const e = await failure(c.get('Users', '1'));
    expect(e).toMatchObject({ status: null, entraCode: 'Timeout', method: 'GET', url: `${BASE}/Users/1` });
  });

  it('5xx is InternalServerError; 501 is NotImplemented', async () => {
    nock('http://127.0.0.1:9').delete('/scim/Users/1').reply(502, 'bad gateway');
    expect(await failure(client().delete('Users', '1'))).toMatchObject({
      entraCode: 'InternalServerError',
      status: 502,
      bodyText: 'bad gateway',
    });
    nock('http://127.0.0.1:9').delete('/scim/Users/1').reply(501, { detail: 'no deletes here' });
    expect((await failure(client().delete('Users', '1'))).entraCode).toBe('NotImplemented');
  });

  it('a dropped connection (real socket reset on loopback) never exposes request headers', async () => {
    nock.enableNetConnect('127.0.0.1');
    const server = createServer((req) => req.socket.destroy());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as AddressInfo).port;
      const c = new ScimClient({
        baseUrl: `http://127.0.0.1:${port}/scim`,
        http: createHttpClient(),
        token: TOKEN,
        clock: new ManualClock(),
      });
      const e = await failure(c.get('Users', '1'));
      expect(e.status).toBeNull();
      expect(e.entraCode).toBe('WebExceptionProtocolError');
      expect(e.cause).toBeUndefined();
      expect(JSON.stringify({ ...e, message: e.message, stack: e.stack })).not.toContain(TOKEN);
    } finally {
      server.close();
      nock.disableNetConnect();
    }
  });

  it('the default transport sends the headers Entra sends: no User-Agent, no Accept; a body with application/scim+json; charset=utf-8', async () => {
    nock.enableNetConnect('127.0.0.1');
    const seen: Array<Record<string, string | string[] | undefined>> = [];
    const server = createServer((req, res) => {
      seen.push(req.headers);
      req.resume();
      req.on('end', () => {
        res.writeHead(req.method === 'POST' ? 201 : 200, { 'content-type': 'application/scim+json' });
        res.end(
          JSON.stringify(
            req.method === 'POST'
              ? { id: 'u1' }
              : { schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 0, Resources: [] },
          ),
        );
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as AddressInfo).port;
      const c = new ScimClient({
        baseUrl: `http://127.0.0.1:${port}/scim`,
        http: createHttpClient(),
        token: TOKEN,
        clock: new ManualClock(),
      });
      await c.filter('Users', 'userName', 'x');
      await c.create('Users', { userName: 'x' });
      expect(seen).toHaveLength(2);
      for (const headers of seen) {
        expect(headers['user-agent']).toBeUndefined();
        expect(headers['accept']).toBeUndefined();
        expect(headers['authorization']).toBe(`Bearer ${TOKEN}`);
      }
      expect(seen[0]!['content-type']).toBeUndefined();
      expect(seen[1]!['content-type']).toBe('application/scim+json; charset=utf-8');
    } finally {
      server.close();
      nock.disableNetConnect();
    }
  });
});
