/**
 * The embedded target against a hostile client on 127.0.0.1: JavaScript object internals in attribute paths
 * (SCIMMY 1.3.5's filter parser wrote `__proto__.id eq "x"` onto Object.prototype, and every later list,
 * create and PATCH failed until restart), and memory: authentication before the body is read, a body cap,
 * a bounded request log.
 */
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startTarget, type RunningTarget } from '../../src/scim-server/index.js';
import { ERROR_SCHEMA, createUser, entraUser, patchBody, scim, useTarget, USER_SCHEMA } from './helpers.js';

const BUILT_IN = new Set(Object.getOwnPropertyNames(Object.prototype));
const OBJECT_STATICS = new Set(Object.getOwnPropertyNames(Object));

/** What a hostile request left on Object.prototype or the Object function (and removes it, so one failure stays one). */
function pollution(): string[] {
  const found: string[] = [];
  for (const name of Object.getOwnPropertyNames(Object.prototype)) {
    if (BUILT_IN.has(name)) continue;
    found.push(`Object.prototype.${name}`);
    delete (Object.prototype as Record<string, unknown>)[name];
  }
  for (const name of Object.getOwnPropertyNames(Object)) {
    if (OBJECT_STATICS.has(name)) continue;
    found.push(`Object.${name}`);
    delete (Object as unknown as Record<string, unknown>)[name];
  }
  return found;
}

afterEach(() => {
  pollution();
});

const q = (text: string): string => encodeURIComponent(text);

describe('attribute paths that name JavaScript object internals are refused before SCIMMY', () => {
  const target = useTarget();

  /** After a refusal: nothing leaked into the process, and lists, creates, filters and PATCHes still work. */
  async function expectStillServing(t: RunningTarget): Promise<void> {
    expect(pollution()).toEqual([]);
    expect(({} as Record<string, unknown>)['id']).toBeUndefined();
    const created = await scim(t, 'POST', '/Users', { body: entraUser(`after.${Math.random().toString(36).slice(2)}`) });
    expect(created.status).toBe(201);
    const found = await scim(t, 'GET', `/Users?filter=${q(`userName eq "${created.body.userName}"`)}`);
    expect(found.status).toBe(200);
    expect(found.body.totalResults).toBe(1);
    const patched = await scim(t, 'PATCH', `/Users/${created.body.id}`, {
      body: patchBody({ op: 'replace', path: 'displayName', value: 'Still Fine' }),
    });
    expect(patched.status).toBe(200);
    expect((await scim(t, 'GET', '/Users')).status).toBe(200);
  }

  const queries: Array<[string, string, string]> = [
    ['filter on __proto__ (the reported request)', `/Users?filter=${q('__proto__.id eq "x"')}`, '__proto__'],
    ['filter on constructor.prototype', `/Users?filter=${q('constructor.prototype.id eq "x"')}`, 'constructor'],
    ['filter on Constructor (SCIMMY lower-cases the first letter)', `/Users?filter=${q('Constructor.id eq "x"')}`, 'Constructor'],
    ['filter on a sub-attribute __proto__', `/Users?filter=${q('name.__proto__.x eq "y"')}`, '__proto__'],
    ['filter inside a value filter', `/Users?filter=${q('emails[__proto__.x eq "y"]')}`, '__proto__'],
    [
      'filter on an extension URN',
      `/Users?filter=${q('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:__proto__ eq "y"')}`,
      '__proto__',
    ],
    ['attributes', '/Users?attributes=__proto__.id', '__proto__'],
    ['excludedAttributes', '/Users?excludedAttributes=userName,__proto__.id', '__proto__'],
    ['attributes of a GET by id', '/Users/none?attributes=prototype', 'prototype'],
  ];
  for (const [name, path, internal] of queries) {
    it(`${name}: 400 invalidFilter naming it`, async () => {
      const answer = await scim(target(), 'GET', path);
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ schemas: [ERROR_SCHEMA], status: '400', scimType: 'invalidFilter' });
      expect(answer.body.detail).toContain(`names '${internal}', which is not a SCIM attribute`);
      await expectStillServing(target());
    });
  }

  const paths: Array<[string, string]> = [
    ['emails[__proto__.x eq "y"].value', '__proto__'],
    ['__proto__.polluted', '__proto__'],
    ['constructor.prototype.polluted', 'constructor'],
    ['name.__proto__.polluted', '__proto__'],
  ];
  for (const [path, internal] of paths) {
    it(`PATCH path ${path}: 400 invalidPath naming it, the user unchanged`, async () => {
      const user = await createUser(target(), 'patched.user');
      const answer = await scim(target(), 'PATCH', `/Users/${user.id}`, {
        body: patchBody({ op: 'replace', path: 'displayName', value: 'First' }, { op: 'replace', path, value: 'yes' }),
      });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ status: '400', scimType: 'invalidPath' });
      expect(answer.body.detail).toContain(`Operation 2 of the PATCH body has path ${JSON.stringify(path)}, which names '${internal}'`);
      expect((await scim(target(), 'GET', `/Users/${user.id}`)).body.displayName).toBe(user.displayName);
      await expectStillServing(target());
    });
  }

  const bodies: Array<[string, string, string, string]> = [
    ['a top-level __proto__ key', 'POST', `{"schemas":["${USER_SCHEMA}"],"userName":"p1","__proto__":{"polluted":"yes"}}`, '__proto__'],
    [
      'a nested constructor key',
      'POST',
      `{"schemas":["${USER_SCHEMA}"],"userName":"p2","name":{"constructor":{"prototype":{"polluted":"yes"}}}}`,
      'name.constructor',
    ],
    [
      'a PATCH value with a __proto__ key',
      'PATCH',
      `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","value":{"__proto__":{"polluted":"yes"}}}]}`,
      'Operations[0].value.__proto__',
    ],
  ];
  for (const [name, method, rawBody, where] of bodies) {
    it(`${name}: 400 invalidSyntax saying where, nothing stored`, async () => {
      const user = await createUser(target(), 'body.user');
      const answer = await scim(target(), method, method === 'POST' ? '/Users' : `/Users/${user.id}`, { rawBody });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ status: '400', scimType: 'invalidSyntax' });
      expect(answer.body.detail).toContain(`Request body has the key ${where}, which is not a SCIM attribute`);
      expect(
        target()
          .snapshot()
          .users.map((u) => u.userName),
      ).toEqual(['body.user']);
      await expectStillServing(target());
    });
  }

  it('names that only contain the words, and values that are the words, are ordinary', async () => {
    const user = await createUser(target(), 'constructor');
    const byValue = await scim(target(), 'GET', `/Users?filter=${q('userName eq "constructor" or displayName eq "__proto__.id"')}`);
    expect(byValue.status).toBe(200);
    expect(byValue.body.Resources.map((r: { id: string }) => r.id)).toEqual([user.id]);
    const patched = await scim(target(), 'PATCH', `/Users/${user.id}`, {
      body: patchBody({ op: 'replace', path: 'displayName', value: 'prototype' }),
    });
    expect(patched.status).toBe(200);
    expect(patched.body.displayName).toBe('prototype');
    expect(pollution()).toEqual([]);
  });
});

/** Sends only a request head (no body), and resolves with the status line and the body of the answer. */
function headOnly(t: RunningTarget, head: string[]): Promise<{ statusLine: string; body: string }> {
  const url = new URL(t.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), '127.0.0.1');
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      text += chunk;
      const end = text.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(text.slice(0, end))?.[1] ?? 0);
      if (text.length < end + 4 + length) return;
      socket.destroy();
      resolve({ statusLine: text.slice(0, text.indexOf('\r\n')), body: text.slice(end + 4, end + 4 + length) });
    });
    socket.on('error', reject);
    socket.write([...head, `Host: 127.0.0.1:${url.port}`, '', ''].join('\r\n'));
  });
}

describe('memory: authentication before the body, a body cap, a bounded request log', () => {
  const started: RunningTarget[] = [];
  afterEach(async () => {
    for (const t of started.splice(0)) await t.close();
  });
  const start = async (options: Parameters<typeof startTarget>[0]): Promise<RunningTarget> => {
    const t = await startTarget(options);
    started.push(t);
    return t;
  };
  const big = `{"schemas":["${USER_SCHEMA}"],"userName":"big","title":"${'x'.repeat(4_500_000)}"}`;

  it('an unauthenticated request gets 401 before its body is sent: the body is never waited for or kept', async () => {
    const t = await start({ token: 's3cret' });
    const path = new URL(t.url).pathname;
    const answer = await headOnly(t, [`POST ${path}/Users HTTP/1.1`, 'Content-Type: application/scim+json', 'Content-Length: 4718592']);
    expect(answer.statusLine).toBe('HTTP/1.1 401 Unauthorized');
    expect(JSON.parse(answer.body)).toMatchObject({ schemas: [ERROR_SCHEMA], status: '401' });

    // With the body sent: still 401, the body not in the log, the target still serving.
    for (let i = 0; i < 3; i++) {
      const sent = await fetch(`${t.url}/Users`, { method: 'POST', headers: { 'Content-Type': 'application/scim+json' }, body: big });
      expect(sent.status).toBe(401);
      await sent.text();
    }
    expect(t.requests().map((r) => [r.method, r.status, r.body])).toEqual(Array(4).fill(['POST', 401, undefined]));
    const right = await scim(t, 'POST', '/Users', { body: entraUser('allowed'), headers: { Authorization: 'Bearer s3cret' } });
    expect(right.status).toBe(201);
    expect(t.snapshot().users.map((u) => u.userName)).toEqual(['allowed']);
  });

  it('a body over the cap (1 MiB by default) gets 413 with a SCIM error, unread; one under it is served', async () => {
    const t = await start({ token: 's3cret' });
    const path = new URL(t.url).pathname;
    const answer = await headOnly(t, [
      `POST ${path}/Users HTTP/1.1`,
      'Authorization: Bearer s3cret',
      'Content-Type: application/scim+json',
      `Content-Length: ${1024 * 1024 + 1}`,
    ]);
    expect(answer.statusLine).toBe('HTTP/1.1 413 Payload Too Large');
    const body = JSON.parse(answer.body) as { schemas: string[]; status: string; detail: string };
    expect(body).toMatchObject({ schemas: [ERROR_SCHEMA], status: '413' });
    expect(body.detail).toContain('Request body is larger than the 1048576 bytes this target accepts (option maxBodyBytes)');

    const small = await start({ maxBodyBytes: 2000 });
    const user = entraUser('sized');
    const padded = (n: number) => JSON.stringify({ ...user, title: 'x'.repeat(n) });
    expect((await scim(small, 'POST', '/Users', { rawBody: padded(2000) })).status).toBe(413);
    expect((await scim(small, 'POST', '/Users', { rawBody: padded(1000) })).status).toBe(201);
    expect(small.snapshot().users).toHaveLength(1);
  });

  it('the request log keeps the most recent requestLogSize entries, in order', async () => {
    const t = await start({ requestLogSize: 5 });
    for (let i = 1; i <= 8; i++) await scim(t, 'GET', `/Users?count=${i}`);
    const path = new URL(t.url).pathname;
    expect(t.requests().map((r) => r.url)).toEqual([4, 5, 6, 7, 8].map((i) => `${path}/Users?count=${i}`));
    t.reset();
    expect(t.requests()).toEqual([]);
  });

  it('and about requestLogBytes of URLs and bodies: older entries go first, the newest stays however large', async () => {
    const t = await start({ requestLogBytes: 5_000 });
    for (let i = 0; i < 6; i++) {
      const sent = await scim(t, 'POST', '/Users', { body: entraUser(`user${i}`, { title: 'x'.repeat(1_000) }) });
      expect(sent.status).toBe(201);
    }
    const kept = t.requests();
    expect(kept.length).toBeGreaterThan(1);
    expect(kept.length).toBeLessThan(6);
    expect(kept.map((r) => (r.body as { userName: string }).userName)).toEqual(
      Array.from({ length: kept.length }, (_, i) => `user${6 - kept.length + i}`),
    );
    expect(kept.reduce((n, r) => n + r.url.length + JSON.stringify(r.body).length, 0)).toBeLessThanOrEqual(5_000);

    const huge = await scim(t, 'POST', '/Users', { body: entraUser('huge', { title: 'x'.repeat(8_000) }) });
    expect(huge.status).toBe(201);
    expect(t.requests().map((r) => (r.body as { userName: string }).userName)).toEqual(['huge']);
  });

  it('refuses limits that are not positive integers, before listening', async () => {
    await expect(startTarget({ requestLogSize: 0 })).rejects.toThrow('startTarget: requestLogSize 0 must be a positive integer');
    await expect(startTarget({ requestLogBytes: 1.5 })).rejects.toThrow('startTarget: requestLogBytes 1.5 must be a positive integer');
    await expect(startTarget({ maxBodyBytes: -1 })).rejects.toThrow('startTarget: maxBodyBytes -1 must be a positive integer');
  });
});
