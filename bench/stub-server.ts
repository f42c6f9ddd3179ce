/**
 * A minimal, fast SCIM stub for the benchmarks: bare `node:http`, in-memory maps, no validation beyond what
 * the engine needs. Meant to run in a child process (`startStub()` forks this file), so the engine and the
 * stub do not share an event loop; the benchmark talks to it only over HTTP on 127.0.0.1.
 *
 *   GET    /…/Users?filter=userName eq "x"                        ListResponse (exact match, case-insensitive)
 *   GET    /…/Groups?excludedAttributes=members&filter=displayName eq "x"
 *   GET    /…/Users/{id}, /…/Groups/{id}                          the resource (groups without members), or 404
 *   POST   /…/Users, /…/Groups                                    201 + the body with an `id`
 *   PATCH  /…/Users/{id}, /…/Groups/{id}                          204 (the operations applied, forgivingly), 404 if unknown
 *   DELETE /…/Users/{id}, /…/Groups/{id}                          204, or 404
 *   POST   /__reset                                               204: forget everything
 *   POST   /__snapshot, /__restore                                204: keep a copy of everything; go back to it
 *
 * PATCHes are applied (test/helpers/forgiving-patch.ts) because provsim reads each linked object before it
 * writes it and diffs against what it reads: a stub that forgot its PATCHes would be sent them again.
 *
 * Run directly: `node --import tsx bench/stub-server.ts [port]` (prints `listening <port>`).
 */
import { fork, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { applyOperations } from '../test/helpers/forgiving-patch.js';

const SCIM_JSON = 'application/scim+json';
const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const EMPTY_LIST = JSON.stringify({ schemas: [LIST], totalResults: 0, Resources: [], startIndex: 1, itemsPerPage: 0 });
const MATCHING: Record<string, string> = { Users: 'userName', Groups: 'displayName' };

interface Kind {
  byId: Map<string, Record<string, unknown>>;
  /** lowercased matching attribute (userName / displayName) → id */
  index: Map<string, string>;
}

function serve(port: number, onListening: (port: number) => void): http.Server {
  let kinds: Record<string, Kind> = {};
  let nextId = 1;
  let saved: { kinds: Record<string, Kind>; nextId: number } | null = null;
  const reset = (): void => {
    kinds = { Users: { byId: new Map(), index: new Map() }, Groups: { byId: new Map(), index: new Map() } };
  };
  reset();

  const send = (res: http.ServerResponse, status: number, body?: string): void => {
    if (body === undefined) {
      res.writeHead(status, { 'content-length': '0' });
      res.end();
    } else {
      res.writeHead(status, { 'content-type': SCIM_JSON, 'content-length': Buffer.byteLength(body) });
      res.end(body);
    }
  };
  const notFound = (res: http.ServerResponse): void =>
    send(res, 404, JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '404', detail: 'not found' }));

  const handle = (req: http.IncomingMessage, res: http.ServerResponse, body: string): void => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const method = req.method ?? 'GET';
    if (method === 'POST' && path === '/__reset') {
      reset();
      return send(res, 204);
    }
    // Resources are never changed in place (a PATCH stores a patched copy), so copies of the maps suffice.
    if (method === 'POST' && path === '/__snapshot') {
      saved = { kinds: copyKinds(kinds), nextId };
      return send(res, 204);
    }
    if (method === 'POST' && path === '/__restore') {
      if (!saved) return send(res, 409);
      kinds = copyKinds(saved.kinds);
      nextId = saved.nextId;
      return send(res, 204);
    }
    const m = /\/(Users|Groups)(?:\/([^/]+))?\/?$/.exec(path);
    const kind = m ? kinds[m[1]!] : undefined;
    if (!m || !kind) return notFound(res);
    const resource = m[1]!;
    const id = m[2] === undefined ? undefined : decodeURIComponent(m[2]);

    if (id === undefined) {
      if (method === 'GET') {
        const filter = q < 0 ? null : new URLSearchParams(url.slice(q + 1)).get('filter');
        const f = filter === null ? null : /^(\S+) eq "((?:[^"\\]|\\.)*)"$/.exec(filter);
        if (!f || f[1]!.toLowerCase() !== MATCHING[resource]!.toLowerCase()) {
          return send(
            res,
            400,
            JSON.stringify({
              schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
              status: '400',
              scimType: 'invalidFilter',
              detail: 'the stub only answers eq filters on the matching attribute',
            }),
          );
        }
        const value = f[2]!.replace(/\\(.)/g, '$1').toLowerCase();
        const found = kind.index.get(value);
        const r = found === undefined ? undefined : kind.byId.get(found);
        if (!r) return send(res, 200, EMPTY_LIST);
        return send(
          res,
          200,
          JSON.stringify({ schemas: [LIST], totalResults: 1, Resources: [withoutMembers(r)], startIndex: 1, itemsPerPage: 1 }),
        );
      }
      if (method === 'POST') {
        const r = JSON.parse(body) as Record<string, unknown>;
        const newId = `${resource === 'Users' ? 'u' : 'g'}${(nextId++).toString(36)}`;
        r['id'] = newId;
        kind.byId.set(newId, r);
        const key = r[MATCHING[resource]!];
        if (typeof key === 'string') kind.index.set(key.toLowerCase(), newId);
        return send(res, 201, JSON.stringify(r));
      }
      return send(res, 405);
    }

    const r = kind.byId.get(id);
    if (!r) return notFound(res);
    if (method === 'GET') return send(res, 200, JSON.stringify(withoutMembers(r)));
    if (method === 'PATCH') {
      kind.byId.set(id, applyOperations(r, JSON.parse(body)));
      return send(res, 204);
    }
    if (method === 'DELETE') {
      kind.byId.delete(id);
      const key = r[MATCHING[resource]!];
      if (typeof key === 'string' && kind.index.get(key.toLowerCase()) === id) kind.index.delete(key.toLowerCase());
      return send(res, 204);
    }
    return send(res, 405);
  };

  const server = http.createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
    if (req.method === 'POST' || req.method === 'PATCH' || req.method === 'PUT') {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
    } else {
      req.resume();
      handle(req, res, '');
    }
  });
  server.listen(port, '127.0.0.1', () => onListening((server.address() as AddressInfo).port));
  return server;
}

function copyKinds(kinds: Record<string, Kind>): Record<string, Kind> {
  return Object.fromEntries(Object.entries(kinds).map(([name, k]) => [name, { byId: new Map(k.byId), index: new Map(k.index) }]));
}

function withoutMembers(r: Record<string, unknown>): Record<string, unknown> {
  if (!('members' in r)) return r;
  const { members: _members, ...rest } = r;
  return rest;
}

export interface Stub {
  /** e.g. `http://127.0.0.1:41234/scim/v2` */
  baseUrl: string;
  origin: string;
  port: number;
  child: ChildProcess;
  /** Forgets every resource (over HTTP). */
  reset(): Promise<void>;
  /** Keeps a copy of every resource, to go back to with `restore()`. */
  snapshot(): Promise<void>;
  restore(): Promise<void>;
  stop(): Promise<void>;
}

const SELF = fileURLToPath(import.meta.url);

async function control(origin: string, verb: 'reset' | 'snapshot' | 'restore'): Promise<void> {
  const res = await fetch(`${origin}/__${verb}`, { method: 'POST' });
  if (res.status !== 204) throw new Error(`stub ${verb} answered ${res.status}`);
}

/** Forks this file in a child process (with tsx), listening on a free port of 127.0.0.1. */
export function startStub(): Promise<Stub> {
  return new Promise((resolve, reject) => {
    const child = fork(SELF, ['0'], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    const kill = (): void => void child.kill();
    process.once('exit', kill);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the SCIM stub exited (${code}) before listening`)));
    child.once('message', (msg: unknown) => {
      const port = (msg as { port?: number }).port;
      if (typeof port !== 'number') return reject(new Error(`unexpected message from the stub: ${JSON.stringify(msg)}`));
      const origin = `http://127.0.0.1:${port}`;
      child.removeAllListeners('exit');
      // Let this process exit while a (memoised) stub still runs: the exit hook above stops it, and the
      // stub exits by itself when the IPC channel closes.
      child.unref();
      child.channel?.unref();
      resolve({
        baseUrl: `${origin}/scim/v2`,
        origin,
        port,
        child,
        reset: () => control(origin, 'reset'),
        snapshot: () => control(origin, 'snapshot'),
        restore: () => control(origin, 'restore'),
        stop: () =>
          new Promise<void>((done) => {
            process.removeListener('exit', kill);
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once('exit', () => done());
            child.ref(); // keep this process alive until the stub is gone
            child.kill();
          }),
      });
    });
  });
}

if (process.argv[1] === SELF) {
  const port = Number(process.argv[2] ?? 0);
  serve(Number.isInteger(port) ? port : 0, (p) => {
    if (process.send) process.send({ port: p });
    else process.stdout.write(`listening ${p}\n`);
  });
  if (process.send) process.on('disconnect', () => process.exit(0));
}
