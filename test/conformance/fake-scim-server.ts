/**
 * A small in-memory SCIM server on 127.0.0.1 that gets wrong, on request, what real servers got wrong and
 * the embedded target (RFC-correct) does not: a rename to a taken userName answered 500 and written
 * anyway (scimgateway), members stored again on every add (SCIMMY), a DELETE of a missing id answered
 * 2xx. It serves just what the connection check, the protocol checks that create users and groups, and
 * cleanup send; anything else is a 404 naming the request.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeScimOptions {
  /** A PATCH giving a user the userName another user has: 409 uniqueness (RFC), 409 without scimType, or 500 after storing it. */
  renameToTaken?: 'conflict' | 'conflict-without-scimtype' | 'error-and-write';
  /** Members that are already in a group are stored again by an add. */
  duplicateMembers?: boolean;
  /** The status of a DELETE of an id that is not (or no longer) there. @default 404 */
  deleteMissingStatus?: number;
  /** Answer every request with 404 (a wrong base path). */
  notFoundEverywhere?: boolean;
}

export interface FakeScimServer {
  /** The SCIM base URL (`…/scim/v2`). */
  url: string;
  requests: Array<{ method: string; url: string; status: number }>;
  users(): Array<Record<string, unknown>>;
  close(): Promise<void>;
}

type Resource = Record<string, unknown> & { id: string };

const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

export async function startFakeScimServer(options: FakeScimOptions = {}): Promise<FakeScimServer> {
  const store = { Users: new Map<string, Resource>(), Groups: new Map<string, Resource>() };
  const requests: FakeScimServer['requests'] = [];

  const handle = (method: string, url: URL, body: unknown): { status: number; body?: unknown } => {
    if (options.notFoundEverywhere) return error(404, `nothing at ${url.pathname}`);
    const m = /^\/scim\/v2\/(Users|Groups)(?:\/([^/]+))?$/.exec(url.pathname);
    if (!m) return error(404, `no endpoint ${method} ${url.pathname}`);
    const kind = m[1] as 'Users' | 'Groups';
    const id = m[2] === undefined ? null : decodeURIComponent(m[2]);
    const resources = store[kind];
    const unique = kind === 'Users' ? 'userName' : 'displayName';
    const holders = (value: unknown, except?: string): Resource[] =>
      [...resources.values()].filter((r) => r.id !== except && String(r[unique]).toLowerCase() === String(value).toLowerCase());

    if (id === null && method === 'GET') {
      const filter = /^(\w+) eq "(.*)"$/.exec(url.searchParams.get('filter') ?? '');
      const found = filter
        ? [...resources.values()].filter((r) => String(r[filter[1]!] ?? '').toLowerCase() === filter[2]!.toLowerCase())
        : [...resources.values()];
      return {
        status: 200,
        body: {
          schemas: [LIST],
          totalResults: found.length,
          startIndex: 1,
          itemsPerPage: found.length,
          Resources: found.map((r) => view(r, url)),
        },
      };
    }
    if (id === null && method === 'POST') {
      const input = body as Record<string, unknown>;
      if (holders(input[unique]).length > 0) return error(409, `${unique} taken`, 'uniqueness');
      const created: Resource = { ...input, id: randomUUID(), ...(kind === 'Groups' ? { members: [] } : {}) };
      resources.set(created.id, created);
      return { status: 201, body: created };
    }
    const existing = id === null ? undefined : resources.get(id);
    if (method === 'DELETE') {
      if (!existing) {
        const status = options.deleteMissingStatus ?? 404;
        return status >= 400 ? error(status, `${kind} ${id} not found`) : { status };
      }
      resources.delete(existing.id);
      return { status: 204 };
    }
    if (!existing) return error(404, `${kind} ${id} not found`);
    if (method === 'GET') return { status: 200, body: view(existing, url) };
    if (method === 'PATCH') {
      const operations = (body as { Operations?: Array<Record<string, unknown>> }).Operations ?? [];
      for (const op of operations) {
        if (String(op['op']).toLowerCase() === 'add' && op['path'] === 'members') {
          const current = existing['members'] as Array<{ value: string }>;
          for (const member of op['value'] as Array<{ value: string }>) {
            if (options.duplicateMembers || !current.some((c) => c.value === member.value)) current.push({ value: member.value });
          }
        } else if (String(op['op']).toLowerCase() === 'replace' && typeof op['path'] === 'string') {
          if (op['path'] === unique && holders(op['value'], existing.id).length > 0) {
            if (options.renameToTaken === 'error-and-write') {
              existing[unique] = op['value'];
              return error(500, 'Internal server error');
            }
            return options.renameToTaken === 'conflict-without-scimtype'
              ? error(409, `${unique} taken`)
              : error(409, `${unique} taken`, 'uniqueness');
          }
          existing[op['path']] = op['value'];
        } else {
          return error(400, `this fake does not handle ${JSON.stringify(op)}`, 'invalidSyntax');
        }
      }
      return kind === 'Groups' ? { status: 204 } : { status: 200, body: existing };
    }
    return error(405, `${method} not handled`);
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const method = req.method ?? 'GET';
      const answer = handle(method, url, text === '' ? undefined : (JSON.parse(text) as unknown));
      requests.push({ method, url: req.url ?? '/', status: answer.status });
      res.writeHead(answer.status, { 'Content-Type': 'application/scim+json' });
      res.end(answer.body === undefined ? undefined : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/scim/v2`,
    requests,
    users: () => [...store.Users.values()],
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A group is listed without its members when asked `excludedAttributes=members`, as Entra asks. */
function view(resource: Resource, url: URL): Resource {
  if (!('members' in resource) || url.searchParams.get('excludedAttributes') !== 'members') return resource;
  const { members: _members, ...rest } = resource;
  return rest as Resource;
}

function error(status: number, detail: string, scimType?: string): { status: number; body: unknown } {
  return { status, body: { schemas: [ERROR], status: String(status), detail, ...(scimType ? { scimType } : {}) } };
}
