import { timingSafeEqual } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import { resourceTypeById, resourceTypesList, schemaById, schemasList, serviceProviderConfig } from './discovery.js';
import { parseScimQuery } from './query-params.js';
import { forbiddenKeyIn } from './prototype-keys.js';
import type { RequestLog } from './request-log.js';
import { RESOURCE_TYPES, type ResourceKind } from './resource-schemas.js';
import type { ResourceService, ServiceResponse } from './resource-service.js';
import { errorBody, scimError, toErrorResponse } from './scim-error.js';
import type { JsonObject, RequestLogEntry } from './types.js';

export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';
/** Entra's largest requests (a group PATCH of 100 members, a user create) are a few KB. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export interface HttpAppOptions {
  service: ResourceService;
  log: RequestLog;
  /** Required bearer token, or null for no authentication. */
  token: string | null;
  /** Larger request bodies get 413, unread. */
  maxBodyBytes: number;
  /** Normalised mount path: '' or '/segment[/segment…]', no trailing slash. */
  basePath: string;
  baseUrl: () => string;
}

/**
 * NOTE (why own routes instead of scimmy-routers): `SCIMMYRouters` keeps its state in SCIMMY's process-wide
 * singletons — it calls `SCIMMY.Config.set()`, serves whatever `SCIMMY.Resources.declare()` registered, and
 * rewrites every resource's global `basepath` on each request before awaiting the handler. Two targets in one
 * process (parallel tests) would share resources and could stamp each other's port into `meta.location`.
 * So routing, auth, body parsing and status codes are here, one express app per target, and SCIMMY does what
 * it does well and statelessly: schema coercion/validation, Filter parsing and matching, PatchOp, error bodies
 * and discovery documents. Nothing here depends on express's query parsing (query-params.ts reads the raw
 * URL), so the pinned express 4 is used only for routing and the body reader.
 */
export function createHttpApp(options: HttpAppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // The SCIM query is read from the raw URL (query-params.ts); express's own parsing is not wanted.
  app.set('query parser', false);

  app.use((req, res, next) => {
    const entry = options.log.start(req.method, req.originalUrl);
    res.locals['logEntry'] = entry;
    const settle = (): void => {
      entry.status = res.statusCode;
    };
    res.on('finish', settle);
    res.on('close', settle);
    next();
  });
  // Authentication comes before the body is read: a refused request's body is never buffered (Node reads
  // and drops what is left of it after the response). Then the size cap: a declared Content-Length over it
  // is answered at once, unread; a chunked body is read up to the cap (express.raw then drops the rest).
  app.use(authenticate(options.token));
  app.use(refuseDeclaredOversize(options.maxBodyBytes));
  app.use(express.raw({ type: () => true, limit: options.maxBodyBytes }));
  app.use(parseJsonBody(options.log));

  const router = express.Router({ caseSensitive: false, strict: false });
  mountDiscovery(router, options);
  for (const kind of Object.keys(RESOURCE_TYPES) as ResourceKind[]) mountResource(router, kind, options.service);
  app.use(options.basePath === '' ? '/' : options.basePath, router);

  app.use((req: Request, res: Response) => {
    const body = errorBody(
      404,
      undefined,
      `No SCIM endpoint for ${req.method} ${req.originalUrl.split('?')[0] ?? ''}; the API is mounted at ${options.baseUrl()}`,
    );
    send(res, { status: 404, body });
  });
  app.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    const { status, body } = toErrorResponse(bodyReadError(error, options.maxBodyBytes) ?? error);
    send(res, { status, body });
  });
  return app;
}

function send(res: Response, response: ServiceResponse): void {
  res.status(response.status);
  // Set on every response, bodiless 204s included: Entra expects application/scim+json throughout.
  res.setHeader('Content-Type', SCIM_CONTENT_TYPE);
  if (response.location) res.setHeader('Location', response.location);
  if (response.body === undefined) {
    res.end();
    return;
  }
  res.end(JSON.stringify(response.body));
}

type Handler = (req: Request) => ServiceResponse | Promise<ServiceResponse>;

/** Express 4 does not catch rejected promises from handlers; route errors to the error middleware. */
function handle(handler: Handler) {
  return (req: Request, res: Response, next: NextFunction): void => {
    Promise.resolve()
      .then(() => handler(req))
      .then((response) => send(res, response), next);
  };
}

function mountDiscovery(router: express.Router, options: HttpAppOptions): void {
  const ok = (body: JsonObject): ServiceResponse => ({ status: 200, body });
  const discovery = () => ({ baseUrl: options.baseUrl(), bearerAuth: options.token !== null, maxResults: options.service.maxResults });
  router.get(
    '/ServiceProviderConfig',
    handle(() => ok(serviceProviderConfig(discovery()))),
  );
  router.get(
    '/Schemas',
    handle(() => ok(schemasList(options.baseUrl()))),
  );
  router.get(
    '/Schemas/:id',
    handle((req) => ok(schemaById(options.baseUrl(), param(req, 'id')))),
  );
  router.get(
    '/ResourceTypes',
    handle(() => ok(resourceTypesList(options.baseUrl()))),
  );
  router.get(
    '/ResourceTypes/:id',
    handle((req) => ok(resourceTypeById(options.baseUrl(), param(req, 'id')))),
  );
}

function mountResource(router: express.Router, kind: ResourceKind, service: ResourceService): void {
  const { endpoint } = RESOURCE_TYPES[kind];
  const query = (req: Request) => parseScimQuery(req.originalUrl);
  router
    .route(endpoint)
    .get(handle((req) => service.list(kind, query(req))))
    .post(handle((req) => service.create(kind, req.body, query(req))));
  router
    .route(`${endpoint}/:id`)
    .get(handle((req) => service.get(kind, param(req, 'id'), query(req))))
    .put(handle((req) => service.replace(kind, param(req, 'id'), req.body, query(req))))
    .patch(handle((req) => service.patch(kind, param(req, 'id'), req.body, query(req))))
    .delete(handle((req) => service.remove(kind, param(req, 'id'))));
}

function param(req: Request, name: string): string {
  return String(req.params[name] ?? '');
}

/**
 * After `express.raw`, `req.body` is a Buffer when the request had a body. Parse it as JSON when the
 * Content-Type is `application/scim+json`, `application/json` (or absent); leave `req.body` undefined when
 * there was no body. A key anywhere in it that names a JavaScript object internal (`__proto__`,
 * `constructor`, `prototype`: prototype-keys.ts) is refused before any handler or SCIMMY sees the body. The
 * parsed body also goes to the request log.
 */
function parseJsonBody(log: RequestLog) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const raw: unknown = req.body;
    req.body = undefined;
    if (!Buffer.isBuffer(raw) || raw.length === 0) return next();
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (type !== '' && type !== 'application/scim+json' && type !== 'application/json') {
      return next(
        scimError(
          400,
          'invalidSyntax',
          `Content-Type '${type}' is not accepted; send the body as application/scim+json or application/json`,
        ),
      );
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8')) as unknown;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return next(scimError(400, 'invalidSyntax', `Request body is not valid JSON (${reason})`));
    }
    const entry = res.locals['logEntry'] as RequestLogEntry | undefined;
    if (entry) log.attachBody(entry, body, raw.length);
    const internal = forbiddenKeyIn(body);
    if (internal !== null) {
      return next(
        scimError(
          400,
          'invalidSyntax',
          `Request body has the key ${internal}, which is not a SCIM attribute; this target refuses JavaScript object internals (__proto__, constructor, prototype) as names`,
        ),
      );
    }
    req.body = body;
    next();
  };
}

function authenticate(token: string | null) {
  const expected = token === null ? null : Buffer.from(token, 'utf8');
  return (req: Request, res: Response, next: NextFunction): void => {
    if (expected === null) return next();
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header.trim());
    const given = match?.[1] ? Buffer.from(match[1], 'utf8') : null;
    if (given && given.length === expected.length && timingSafeEqual(given, expected)) return next();
    res.setHeader('WWW-Authenticate', 'Bearer realm="provsim-target"');
    const detail =
      header === ''
        ? 'No Authorization header; send Authorization: Bearer <token>'
        : 'Authorization header does not carry the bearer token this target was started with';
    send(res, { status: 401, body: errorBody(401, undefined, detail) });
  };
}

/** 413 before reading, when Content-Length says the body is over the cap (express.raw would read it all first). */
function refuseDeclaredOversize(maxBodyBytes: number) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const declared = Number(req.headers['content-length'] ?? 0);
    next(declared > maxBodyBytes ? tooLarge(maxBodyBytes) : undefined);
  };
}

function tooLarge(maxBodyBytes: number): Error {
  return scimError(
    413,
    'tooMany',
    `Request body is larger than the ${maxBodyBytes} bytes this target accepts (option maxBodyBytes); send fewer members or attributes per request`,
  );
}

/** Errors from express.raw (body too large, aborted upload) carry an HTTP status and a `type`. */
function bodyReadError(error: unknown, maxBodyBytes: number): Error | undefined {
  if (typeof error !== 'object' || error === null || !('type' in error)) return undefined;
  const { type, message } = error as { type: unknown; message?: unknown };
  if (type === 'entity.too.large') return tooLarge(maxBodyBytes);
  if (typeof type === 'string') return scimError(400, 'invalidSyntax', `Request body could not be read: ${String(message ?? type)}`);
  return undefined;
}
