/**
 * A small SCIM server on 127.0.0.1 with one misbehaviour per mode, for the end-to-end tests of what provsim
 * does with a hostile or broken server. Apart from its one misbehaviour it is a plain in-memory SCIM
 * server: POST stores and answers 201 with an id (`u1`, `g1`, …), `filter=attr eq "value"` matches
 * case-insensitively, GET by id, PATCH (204; the operations are not applied) and DELETE work. It records
 * every request as the socket delivered it (method, raw path, status), so tests can assert on the wire.
 *
 * The connection probe (a filter on a random GUID) is always answered correctly, so a misbehaviour reaches
 * the object it is aimed at instead of quarantining the job.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type HostileMode =
  /** POST answers give these ids to the objects with these userNames / displayNames, and `every` to all others. */
  | { kind: 'unusable-ids'; ids: Record<string, string>; every?: string }
  /** Filter GETs for these values answer a ListResponse with these entries (totalResults: their count). */
  | { kind: 'list-entries'; entries: Record<string, unknown[]> }
  /** Filter GETs for this value answer 200 and a body that never ends: one byte every `everyMs`. */
  | { kind: 'trickle'; value: string; everyMs: number }
  /** Filter GETs for this value answer `status` and a body of `bytes` bytes, streamed in 64 KiB chunks. */
  | { kind: 'huge-body'; value: string; bytes: number; status: number; contentLength: boolean }
  /** The first `times` POSTs answer 429 with this Retry-After. */
  | { kind: 'retry-after'; value: string; times: number };

export interface HostileServer {
  /** The SCIM base URL (`http://127.0.0.1:<port>/scim/v2`). */
  url: string;
  /** Every request, in arrival order; `path` is the request target exactly as received. */
  requests: Array<{ method: string; path: string; status: number }>;
  /** Stored resources by id. */
  resources(kind: 'Users' | 'Groups'): Map<string, Record<string, unknown>>;
  close(): Promise<void>;
}

const BASE = '/scim/v2';
const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function startHostileServer(mode: HostileMode): Promise<HostileServer> {
  const store = { Users: new Map<string, Record<string, unknown>>(), Groups: new Map<string, Record<string, unknown>>() };
  const requests: HostileServer['requests'] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let nextId = 1;
  let posts = 0;

  const json = (res: ServerResponse, status: number, body?: unknown): void => {
    const text = body === undefined ? '' : JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/scim+json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
  const error = (res: ServerResponse, status: number, detail: string): void =>
    json(res, status, { schemas: [ERROR], status: String(status), detail });

  const trickle = (res: ServerResponse, everyMs: number): void => {
    res.writeHead(200, { 'content-type': 'application/scim+json' });
    const timer = setInterval(() => res.write(' '), everyMs);
    timers.add(timer);
    res.on('close', () => {
      clearInterval(timer);
      timers.delete(timer);
    });
  };

  const huge = (res: ServerResponse, status: number, bytes: number, contentLength: boolean): void => {
    res.writeHead(status, { 'content-type': 'application/scim+json', ...(contentLength ? { 'content-length': bytes } : {}) });
    const chunk = Buffer.alloc(64 * 1024, 'x');
    let sent = 0;
    const pump = (): void => {
      while (sent < bytes && !res.destroyed) {
        const n = Math.min(chunk.length, bytes - sent);
        sent += n;
        if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void res.once('drain', pump);
      }
      if (!res.destroyed) res.end();
    };
    res.on('error', () => {});
    pump();
  };

  const handle = (req: IncomingMessage, res: ServerResponse, text: string): void => {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const m = new RegExp(`^${BASE}/(Users|Groups)(?:/([^/]+))?$`).exec(url.pathname);
    if (!m) return error(res, 404, `no endpoint ${method} ${url.pathname}`);
    const kind = m[1] as 'Users' | 'Groups';
    const id = m[2] === undefined ? null : decodeURIComponent(m[2]);
    const resources = store[kind];

    if (id === null && method === 'GET') {
      const filter = /^(\S+) eq "(.*)"$/.exec(url.searchParams.get('filter') ?? '');
      const value = filter?.[2] ?? '';
      if (filter && !GUID.test(value)) {
        if (mode.kind === 'list-entries' && mode.entries[value])
          return json(res, 200, { schemas: [LIST], totalResults: mode.entries[value].length, Resources: mode.entries[value] });
        if (mode.kind === 'trickle' && value === mode.value) return trickle(res, mode.everyMs);
        if (mode.kind === 'huge-body' && value === mode.value) return huge(res, mode.status, mode.bytes, mode.contentLength);
      }
      const found = filter
        ? [...resources.values()].filter((r) => String(r[filter[1]!] ?? '').toLowerCase() === value.toLowerCase())
        : [...resources.values()];
      return json(res, 200, { schemas: [LIST], totalResults: found.length, Resources: found, startIndex: 1, itemsPerPage: found.length });
    }
    if (id === null && method === 'POST') {
      posts++;
      if (mode.kind === 'retry-after' && posts <= mode.times) {
        res.setHeader('retry-after', mode.value);
        return error(res, 429, 'slow down');
      }
      const body = JSON.parse(text) as Record<string, unknown>;
      const name = String(body[kind === 'Users' ? 'userName' : 'displayName']);
      const given = mode.kind === 'unusable-ids' ? (mode.ids[name] ?? mode.every) : undefined;
      const newId = given ?? `${kind === 'Users' ? 'u' : 'g'}${nextId++}`;
      const created = { ...body, id: newId };
      resources.set(newId, created);
      return json(res, 201, created);
    }
    if (id === null) return error(res, 405, `${method} on the collection ${url.pathname}`);
    const existing = resources.get(id);
    if (!existing) return error(res, 404, `no ${kind} ${id}`);
    if (method === 'GET') return json(res, 200, existing);
    if (method === 'PATCH') return json(res, 204);
    if (method === 'DELETE') {
      resources.delete(id);
      return json(res, 204);
    }
    return error(res, 405, `${method} not supported`);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const entry = { method: req.method ?? 'GET', path: req.url ?? '', status: 0 };
      requests.push(entry);
      res.on('finish', () => (entry.status = res.statusCode));
      res.on('close', () => (entry.status ||= res.statusCode));
      handle(req, res, Buffer.concat(chunks).toString('utf8'));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}${BASE}`,
    requests,
    resources: (kind) => store[kind],
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearInterval(t);
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
