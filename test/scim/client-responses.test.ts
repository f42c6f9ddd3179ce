/**
 * The SCIM client against answers it must not trust, over real HTTP on 127.0.0.1 (undici transport): ids
 * that cannot be put in a URL, ListResponse entries without ids, Retry-After that is not RFC 9110, bodies
 * over the size provsim reads. What reaches the server is asserted from the server's side.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RawClient } from '../../src/conformance/raw-client.js';
import { ScimClient, type RequestEvent } from '../../src/scim/client.js';
import { createHttpClient } from '../../src/scim/http.js';
import { ServiceIncompatibleError } from '../../src/scim/service-incompatible.js';
import { ManualClock } from '../../src/shared/clock.js';
import { ScimRequestError } from '../../src/shared/errors.js';

const TOKEN = 'client-responses-token-5f1c';
const INCOMPATIBLE = 'SystemForCrossDomainIdentityManagementServiceIncompatible';

let server: Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

interface Setup {
  client: ScimClient;
  seen: Array<{ method: string; path: string }>;
  events: RequestEvent[];
}

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void, maxResponseBytes?: number): Promise<Setup> {
  const seen: Setup['seen'] = [];
  server = createServer((req, res) => {
    seen.push({ method: req.method ?? '', path: req.url ?? '' });
    req.resume();
    req.on('end', () => handler(req, res));
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  const events: RequestEvent[] = [];
  const client = new ScimClient({
    baseUrl: `http://127.0.0.1:${(server!.address() as AddressInfo).port}/scim/v2`,
    http: createHttpClient(maxResponseBytes === undefined ? {} : { maxResponseBytes }),
    token: TOKEN,
    clock: new ManualClock(),
    onRequest: (e) => events.push(e),
  });
  return { client, seen, events };
}

const answer =
  (status: number, body: unknown, headers: Record<string, string> = {}) =>
  (_req: IncomingMessage, res: ServerResponse): void => {
    res.writeHead(status, { 'content-type': 'application/scim+json', ...headers });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };

const list = (resources: unknown[]) => ({
  schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
  totalResults: resources.length,
  Resources: resources,
});

async function failure(p: Promise<unknown>): Promise<ScimRequestError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(ScimRequestError);
  expect((e as Error).message).not.toContain(TOKEN);
  return e as ScimRequestError;
}

describe('ids that cannot be used in a URL', () => {
  it.each([
    ['..', /the id "\.\.", which cannot be used in a URL: "\." and "\.\." are dot segments/],
    ['.', /the id "\.", which cannot be used in a URL/],
    ['', /the id "", which cannot be used in a URL: it is empty/],
    ['../Groups/g1', /path separator/],
    ['%2e%2e', /percent-escape/],
  ])('PATCH, DELETE and GET of id %j are refused before any request, naming the server as the cause', async (id, reason) => {
    const { client, seen, events } = await serve(answer(204, ''));
    for (const [method, call] of [
      ['PATCH', () => client.patch('Users', id, [{ op: 'replace', path: 'active', value: false }])],
      ['DELETE', () => client.delete('Groups', id)],
      ['GET', () => client.get('Groups', id)],
    ] as const) {
      const e = await failure(call());
      expect(e).toBeInstanceOf(ServiceIncompatibleError);
      expect(e).toMatchObject({ method, status: null, entraCode: INCOMPATIBLE, network: null });
      expect(e.message).toMatch(
        /→ no response SystemForCrossDomainIdentityManagementServiceIncompatible: not sent: the server gave this object/,
      );
      expect(e.message).toMatch(reason);
      // The URL named is not one that was (or could be) sent: the id is a placeholder.
      expect(e.url).toMatch(/\/scim\/v2\/(Users|Groups)\/\{id\}(\?excludedAttributes=members)?$/);
    }
    expect(seen).toEqual([]);
    expect(events).toEqual([]);
  });

  it('an id with characters to encode is sent as exactly one segment, and the URL reported is the URL sent', async () => {
    const { client, seen, events } = await serve(answer(204, ''));
    await client.patch('Users', 'a b?c#d', []);
    expect(seen).toEqual([{ method: 'PATCH', path: '/scim/v2/Users/a%20b%3Fc%23d' }]);
    expect(events.map((e) => new URL(e.url).pathname)).toEqual(['/scim/v2/Users/a%20b%3Fc%23d']);
  });

  it.each([
    [{ id: '..', userName: 'a' }, /the server gave this object the id "\.\.", which cannot be used in a URL/],
    [{ id: '', userName: 'a' }, /the id "", which cannot be used in a URL: it is empty/],
    [{ id: 7, userName: 'a' }, /an id must be a string \(RFC 7643 §3\.1\), and this one is a number \(7\)/],
    [{ userName: 'a' }, /the created resource has no "id"/],
    [[{ id: 'x' }], /the created resource is an array, not a SCIM resource/],
  ])('a POST answered 201 with %j fails with the answer status, and is not linked', async (body, reason) => {
    const { client } = await serve(answer(201, body));
    const e = await failure(client.create('Users', { userName: 'a' }));
    expect(e).toBeInstanceOf(ServiceIncompatibleError);
    expect(e).toMatchObject({ method: 'POST', status: 201, entraCode: INCOMPATIBLE });
    expect(e.message).toMatch(reason);
    expect(e.message).toContain('provsim cannot address it and does not link it');
  });

  it('a GET by id answered with an unusable id fails', async () => {
    const { client } = await serve(answer(200, { id: '..' }));
    const e = await failure(client.get('Users', 'u1'));
    expect(e).toMatchObject({ method: 'GET', status: 200, entraCode: INCOMPATIBLE });
    expect(e.message).toContain('the server gave this object the id "..", which cannot be used in a URL');
  });
});

describe('ListResponse entries', () => {
  it.each([
    [[null], /Resources\[0\] is null, not a SCIM resource/],
    [[{ userName: 'a' }], /Resources\[0\] has no "id"/],
    [[{ id: 5 }], /an id must be a string .* a number \(5\)/],
    [[{ id: null }], /an id must be a string .* null/],
    [['u1'], /Resources\[0\] is a string, not a SCIM resource/],
    [[{ id: 'u1' }, { id: '..' }], /the server listed a resource \(Resources\[1\]\) with the id "\.\.", which cannot be used in a URL/],
  ])('a filter answered with Resources %j fails naming the entry; nothing is returned to link', async (resources, reason) => {
    const { client } = await serve(answer(200, list(resources)));
    const e = await failure(client.filter('Users', 'userName', 'a'));
    expect(e).toBeInstanceOf(ServiceIncompatibleError);
    expect(e).toMatchObject({ method: 'GET', status: 200, entraCode: INCOMPATIBLE });
    expect(e.message).toMatch(reason);
    expect(e.message).toContain('every resource needs a non-empty id usable as one URL path segment');
  });

  it('a well-formed list is returned as it came', async () => {
    const { client } = await serve(answer(200, list([{ id: 'u1', userName: 'a' }])));
    expect(await client.filter('Users', 'userName', 'a')).toEqual([{ id: 'u1', userName: 'a' }]);
  });
});

describe('Retry-After', () => {
  it.each([
    ['7', 7000],
    ['-5', null],
    ['1.5', null],
    ['Thu, 01 Jan 2026 00:00:09 GMT', 9000],
  ])('429 with Retry-After %j: retryAfterMs %j', async (value, expected) => {
    const { client } = await serve(answer(429, { status: '429' }, { 'retry-after': value }));
    const e = await failure(client.patch('Users', 'u1', []));
    expect(e.status).toBe(429);
    expect(e.retryAfterMs).toBe(expected);
  });
});

describe('response bodies over the bound', () => {
  it.each([
    ['with Content-Length', true],
    ['chunked', false],
  ])(
    '%s: the request fails as ServiceIncompatible with the status, naming the size; the event keeps no body',
    async (_what, withLength) => {
      const body = JSON.stringify(list([{ id: 'u1', pad: 'x'.repeat(4096) }]));
      const { client, events } = await serve((_req, res) => {
        res.writeHead(200, {
          'content-type': 'application/scim+json',
          ...(withLength ? { 'content-length': Buffer.byteLength(body) } : {}),
        });
        // Two writes, so a chunked body arrives in more than one piece.
        res.write(body.slice(0, 2000));
        res.end(body.slice(2000));
      }, 1024);
      const e = await failure(client.filter('Users', 'userName', 'a'));
      expect(e).toBeInstanceOf(ServiceIncompatibleError);
      expect(e).toMatchObject({ method: 'GET', status: 200, entraCode: INCOMPATIBLE, network: null });
      expect(e.message).toContain('more than the 1 KiB provsim reads of a response');
      expect(e.message).toMatch(withLength ? /is \d+ bytes \(Content-Length\)/ : /was still coming after \d+ bytes/);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ method: 'GET', status: 200 });
      expect(events[0]!.error).toMatch(/^ERR_RESPONSE_TOO_LARGE: /);
      expect(events[0]!.responseBody).toBeUndefined();
    },
  );

  it('a body at the bound is read', async () => {
    const body = JSON.stringify(list([{ id: 'u1' }]));
    const { client } = await serve(answer(200, body), Buffer.byteLength(body));
    expect(await client.filter('Users', 'userName', 'a')).toEqual([{ id: 'u1' }]);
  });
});

// The conformance run's raw requests build URLs from ids too (src/conformance/raw-client.ts); its guard is
// tested here, beside the client's, as the same rule from the other side.
describe('the conformance raw client', () => {
  it('does not send a URL the parser would resolve elsewhere, and says why', async () => {
    const { seen } = await serve(answer(200, { id: 'g1' }));
    const events: RequestEvent[] = [];
    const origin = `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
    const raw = new RawClient({
      baseUrl: `${origin}/scim/v2`,
      http: createHttpClient(),
      token: TOKEN,
      clock: new ManualClock(),
      onRequest: (e) => events.push(e),
    });
    for (const path of ['/Groups/..', '/Groups/%2e', '/Users/a\\b']) {
      const response = await raw.get(path);
      expect(response.status).toBeNull();
      expect(response.error).toMatch(/^not sent: GET .* cannot be sent as written: its path has (the dot segment|a backslash)/);
    }
    expect((await raw.delete('/Users/.')).status).toBeNull();
    expect(seen).toEqual([]);
    expect(events).toEqual([]);
    expect((await raw.get('/Groups/g1')).status).toBe(200);
    expect(seen).toEqual([{ method: 'GET', path: '/scim/v2/Groups/g1' }]);
  });
});
