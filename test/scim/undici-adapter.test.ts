/**
 * The undici transport behind axios (src/scim/undici-adapter.ts), against a real server on loopback: what
 * goes on the wire, what comes back, and how failures surface as AxiosErrors.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Axios, AxiosError } from 'axios';
import { Agent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../src/scim/http.js';
import { undiciAdapter } from '../../src/scim/undici-adapter.js';

let server: Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

async function serve(
  handler: (req: IncomingMessage, res: ServerResponse, body: string) => void,
): Promise<{ origin: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handler(req, res, body);
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return { origin: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, seen };
}

describe('undici adapter', () => {
  it('sends method, path with query, headers and a string body exactly; nothing of its own but Host, Connection and Content-Length', async () => {
    const { origin, seen } = await serve((_req, res) => {
      res.writeHead(201, { 'Content-Type': 'application/scim+json', 'X-Multi': ['a', 'b'] });
      res.end('{"id":"1","displayName":"Zoë"}');
    });
    const http = createHttpClient();
    const body = JSON.stringify({ displayName: 'Zoë' });
    const r = await http.request<string>({
      method: 'PATCH',
      url: `${origin}/scim/Users/1?x=%22y%22`,
      headers: { Authorization: 'Bearer t', 'Content-Type': 'application/scim+json' },
      data: body,
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'PATCH', url: '/scim/Users/1?x=%22y%22', body });
    expect(seen[0]!.headers).toMatchObject({
      authorization: 'Bearer t',
      'content-type': 'application/scim+json',
      'content-length': String(Buffer.byteLength(body)),
    });
    expect(Object.keys(seen[0]!.headers).sort()).toEqual(['authorization', 'connection', 'content-length', 'content-type', 'host']);
    expect(r.status).toBe(201);
    expect(r.data).toBe('{"id":"1","displayName":"Zoë"}');
    expect(r.headers['content-type']).toBe('application/scim+json');
    expect(r.headers['x-multi']).toBe('a, b');
  });

  it('returns any status when validateStatus accepts it, and rejects with the response when it does not', async () => {
    const { origin } = await serve((_req, res) => {
      res.writeHead(409, { 'Content-Type': 'application/scim+json' });
      res.end('{"status":"409","scimType":"uniqueness"}');
    });
    const r = await createHttpClient().request<string>({ method: 'POST', url: `${origin}/Users`, data: '{}' });
    expect(r.status).toBe(409);
    expect(r.data).toContain('uniqueness');
    const strict = new Axios({ adapter: undiciAdapter(new Agent()), validateStatus: (s) => s < 400 });
    const e = (await strict.request({ method: 'POST', url: `${origin}/Users`, data: '{}' }).catch((x: unknown) => x)) as AxiosError;
    expect(e).toBeInstanceOf(AxiosError);
    expect(e.code).toBe(AxiosError.ERR_BAD_REQUEST);
    expect(e.response?.status).toBe(409);
  });

  it('keeps connections alive: many requests, few sockets', async () => {
    const sockets = new Set<unknown>();
    const { origin } = await serve((req, res) => {
      sockets.add(req.socket);
      res.end('ok');
    });
    const http = createHttpClient({ maxSockets: 2 });
    for (let i = 0; i < 20; i++)
      await Promise.all([http.request({ method: 'GET', url: `${origin}/a` }), http.request({ method: 'GET', url: `${origin}/b` })]);
    expect(sockets.size).toBeLessThanOrEqual(2);
  });

  it('a server that does not answer in time fails with ETIMEDOUT', async () => {
    const { origin } = await serve(() => {
      /* never answers */
    });
    const e = (await createHttpClient({ timeoutMs: 100 })
      .request({ method: 'GET', url: `${origin}/slow` })
      .catch((x: unknown) => x)) as AxiosError;
    expect(e).toBeInstanceOf(AxiosError);
    expect(e.code).toBe('ETIMEDOUT');
    expect(e.message).toBe('timeout of 100ms exceeded');
  });

  it("a server that does not accept connections (its accept queue full) fails with ETIMEDOUT within the timeout, not undici's 10 s", async () => {
    // A listener in a child process whose event loop is blocked: the kernel completes at most a backlog's
    // worth of connections, later ones hang in connect.
    const script =
      "const s=require('net').createServer();s.listen({port:0,host:'127.0.0.1',backlog:1},()=>{process.send(s.address().port);setTimeout(()=>{const t=Date.now();while(Date.now()-t<8000){}},50);});";
    const dir = mkdtempSync(join(tmpdir(), 'provsim-blocked-'));
    writeFileSync(join(dir, 'blocked.cjs'), script);
    const child = fork(join(dir, 'blocked.cjs'), [], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
    const fillers: Socket[] = [];
    try {
      const port = await new Promise<number>((resolve) => child.once('message', (m) => resolve(m as number)));
      await new Promise((r) => setTimeout(r, 200));
      for (let i = 0; i < 4; i++) fillers.push(connect(port, '127.0.0.1').on('error', () => {}));
      await new Promise((r) => setTimeout(r, 300));
      const started = Date.now();
      const e = (await createHttpClient({ timeoutMs: 1000 })
        .request({ method: 'GET', url: `http://127.0.0.1:${port}/x` })
        .catch((x: unknown) => x)) as AxiosError;
      expect(e.code).toBe('ETIMEDOUT');
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      for (const f of fillers) f.destroy();
      child.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a connection closed before the answer fails with the socket error; a POST is not resent', async () => {
    const { origin, seen } = await serve((req) => req.socket.destroy());
    const e = (await createHttpClient()
      .request({ method: 'POST', url: `${origin}/Users`, data: '{"userName":"a"}' })
      .catch((x: unknown) => x)) as AxiosError;
    expect(e).toBeInstanceOf(AxiosError);
    expect(e.response).toBeUndefined();
    expect(e.code).toMatch(/^(ECONNRESET|UND_ERR_SOCKET)$/);
    expect(seen).toHaveLength(1);
  });

  it('a refused connection fails with ECONNREFUSED', async () => {
    const { origin } = await serve(() => {});
    await new Promise<void>((r) => server!.close(() => r()));
    server = undefined;
    const e = (await createHttpClient()
      .request({ method: 'GET', url: `${origin}/x` })
      .catch((x: unknown) => x)) as AxiosError;
    expect(e.code).toBe('ECONNREFUSED');
  });

  it('an AbortSignal cancels the request', async () => {
    const { origin } = await serve(() => {});
    const controller = new AbortController();
    const pending = createHttpClient()
      .request({ method: 'GET', url: `${origin}/hang`, signal: controller.signal })
      .catch((x: unknown) => x);
    setTimeout(() => controller.abort(), 20);
    const e = (await pending) as AxiosError;
    expect(e.code).toBe(AxiosError.ERR_CANCELED);
  });

  it('an abort before the request reaches a connection cancels it, and nothing is sent', async () => {
    const { origin, seen } = await serve((_req, res) => res.end('ok'));
    const controller = new AbortController();
    const pending = createHttpClient()
      .request({ method: 'POST', url: `${origin}/Users`, data: '{}', signal: controller.signal })
      .catch((x: unknown) => x);
    controller.abort();
    const e = (await pending) as AxiosError;
    expect(e.code).toBe(AxiosError.ERR_CANCELED);
    await new Promise((r) => setTimeout(r, 100));
    expect(seen).toEqual([]);
  });

  it('a server that trickles its answer (headers at once, then one byte every 50 ms) fails with ETIMEDOUT: the timeout is a deadline for the whole request', async () => {
    let bytesSent = 0;
    let closed!: Promise<void>;
    const { origin } = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/scim+json' });
      const timer = setInterval(() => {
        bytesSent++;
        res.write(' ');
      }, 50);
      closed = new Promise((r) => res.on('close', () => (clearInterval(timer), r())));
    });
    const e = (await createHttpClient({ timeoutMs: 400 })
      .request({ method: 'GET', url: `${origin}/trickle` })
      .catch((x: unknown) => x)) as AxiosError;
    expect(e).toBeInstanceOf(AxiosError);
    expect(e.code).toBe('ETIMEDOUT');
    expect(e.message).toBe('timeout of 400ms exceeded');
    // Every gap between bytes was far below the timeout: only a whole-request deadline ends this.
    expect(bytesSent).toBeGreaterThan(0);
    // The connection is closed, not left trickling.
    await closed;
  });

  it('the deadline counts the wait for the headers and the body together', async () => {
    const { origin } = await serve((_req, res) => {
      // Headers after 250 ms, the body 250 ms later: each wait under the 400 ms timeout, the sum over it.
      setTimeout(() => {
        res.writeHead(200);
        res.write('{');
        setTimeout(() => res.end('}'), 250);
      }, 250);
    });
    const e = (await createHttpClient({ timeoutMs: 400 })
      .request({ method: 'GET', url: `${origin}/slow-both` })
      .catch((x: unknown) => x)) as AxiosError;
    expect(e.code).toBe('ETIMEDOUT');
  });

  it('a request that completes in time leaves no deadline behind to fire later', async () => {
    const { origin } = await serve((_req, res) => res.end('ok'));
    const http = createHttpClient({ timeoutMs: 100 });
    const r = await http.request<string>({ method: 'GET', url: `${origin}/fast` });
    expect(r.data).toBe('ok');
    // Past the deadline, a second request on the same connection is unaffected.
    await new Promise((done) => setTimeout(done, 200));
    expect((await http.request<string>({ method: 'GET', url: `${origin}/fast` })).data).toBe('ok');
  });

  it('requests in flight together each keep their own deadline, whatever their timeouts and order', async () => {
    // /slow never answers; /fast answers at once; /late answers after 150 ms.
    const { origin } = await serve((req, res) => {
      if (req.url === '/fast') res.end('fast');
      else if (req.url === '/late') setTimeout(() => res.end('late'), 150);
    });
    const http = new Axios({ adapter: undiciAdapter(new Agent({ connections: 8 })), validateStatus: () => true });
    const get = (path: string, timeout: number): Promise<unknown> =>
      http.request<string>({ method: 'GET', url: `${origin}${path}`, timeout }).then(
        (r) => r.data,
        (e: AxiosError) => e.code,
      );
    const started = Date.now();
    // A long deadline first, then a shorter one: the shorter must fire on its own time, not the first's.
    const long = get('/slow', 1500);
    const short = get('/slow', 200);
    const fast = get('/fast', 100);
    const late = get('/late', 1000);
    expect(await fast).toBe('fast');
    expect(await short).toBe('ETIMEDOUT');
    expect(Date.now() - started).toBeLessThan(1200);
    expect(await late).toBe('late');
    expect(await long).toBe('ETIMEDOUT');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
  });

  it.each([
    ['a Content-Length over maxContentLength fails at the headers', true],
    ['a chunked body growing past maxContentLength is aborted', false],
  ])('%s: RESPONSE_TOO_LARGE with the status and headers, and the connection is closed', async (_what, withLength) => {
    let closed!: Promise<void>;
    const { origin } = await serve((_req, res) => {
      const body = Buffer.alloc(256 * 1024, 'x');
      res.writeHead(500, { 'Content-Type': 'text/plain', ...(withLength ? { 'Content-Length': body.length * 64 } : {}) });
      closed = new Promise((r) => res.on('close', () => r()));
      res.on('error', () => {});
      // 16 MiB offered, at most 64 KiB read.
      const pump = (n: number): void => {
        while (n-- > 0) if (!res.write(body)) return void res.once('drain', () => pump(n));
        res.end();
      };
      pump(64);
    });
    const http = createHttpClient({ maxResponseBytes: 64 * 1024 });
    const e = (await http.request({ method: 'GET', url: `${origin}/huge` }).catch((x: unknown) => x)) as AxiosError;
    expect(e).toBeInstanceOf(AxiosError);
    expect(e.code).toBe('ERR_RESPONSE_TOO_LARGE');
    expect(e.message).toContain('more than the 64 KiB provsim reads of a response');
    expect(e.response?.status).toBe(500);
    expect(e.response?.headers['content-type']).toBe('text/plain');
    expect(e.response?.data).toBe('');
    await closed;
    // The socket is gone; node's server still counts it for a few seconds after a reset mid-write.
    server!.closeAllConnections();
  });

  it('refuses bodies it cannot send as they are', async () => {
    const e = (await createHttpClient()
      .request({ method: 'POST', url: 'http://127.0.0.1:9/x', data: { not: 'serialised' } })
      .catch((x: unknown) => x)) as AxiosError;
    expect(e.code).toBe(AxiosError.ERR_BAD_OPTION_VALUE);
    expect(e.message).toContain('strings and buffers');
  });
});
