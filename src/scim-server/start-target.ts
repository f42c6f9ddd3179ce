import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { systemClock } from '../shared/clock.js';
import { systemRandom } from '../shared/random.js';
import { createHttpApp, DEFAULT_MAX_BODY_BYTES } from './http-app.js';
import { DEFAULT_REQUEST_LOG_LIMITS, RequestLog } from './request-log.js';
import { ResourceService } from './resource-service.js';
import { ResourceStore } from './resource-store.js';
import { TARGET_RULE_NAMES, rulesForProfile, type TargetRules } from './rules.js';
import type { RunningTarget, TargetOptions, TargetProfile } from './types.js';

/** Options of `startTarget`: the contract's TargetOptions plus per-rule overrides on top of the profile. */
export interface StartTargetOptions extends TargetOptions {
  /** Switch single rules on or off on top of the profile's preset (see rules.ts). */
  rules?: Partial<TargetRules>;
}

/**
 * Start an in-memory SCIM 2.0 server. Every call has its own store, request log and express app; targets
 * share nothing, so tests may run several at once. Invalid options throw before anything listens.
 *
 * Memory is bounded by what authenticated clients store: a request is authenticated before its body is read,
 * bodies over `maxBodyBytes` are refused unread, and the request log keeps only the most recent requests.
 */
export async function startTarget(options: StartTargetOptions = {}): Promise<RunningTarget> {
  const profile = checkProfile(options.profile ?? 'tolerant');
  const rules = withOverrides(rulesForProfile(profile), options.rules);
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`startTarget: port ${String(port)} is not an integer in 0..65535 (0 picks a free port)`);
  }
  const basePath = normaliseBasePath(options.basePath ?? '/scim/v2');
  const defaultPageSize = options.defaultPageSize ?? 100;
  if (!Number.isInteger(defaultPageSize) || defaultPageSize < 1) {
    throw new RangeError(`startTarget: defaultPageSize ${String(defaultPageSize)} must be a positive integer`);
  }
  const maxBodyBytes = positiveInteger('maxBodyBytes', options.maxBodyBytes, DEFAULT_MAX_BODY_BYTES);
  const maxEntries = positiveInteger('requestLogSize', options.requestLogSize, DEFAULT_REQUEST_LOG_LIMITS.maxEntries);
  const maxBytes = positiveInteger('requestLogBytes', options.requestLogBytes, DEFAULT_REQUEST_LOG_LIMITS.maxBytes);
  const token = options.token ?? null;
  if (token !== null && token.length === 0) {
    throw new RangeError('startTarget: token is an empty string; pass a non-empty token, or null for no authentication');
  }

  let url = '';
  const store = new ResourceStore();
  const log = new RequestLog({ maxEntries, maxBytes });
  const service = new ResourceService(store, { rules, clock: systemClock, random: systemRandom, baseUrl: () => url, defaultPageSize });
  const server = createServer(createHttpApp({ service, log, token, basePath, baseUrl: () => url, maxBodyBytes }));
  await listen(server, port, host);
  const actualPort = (server.address() as AddressInfo).port;
  url = `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}${basePath}`;

  let closing: Promise<void> | undefined;
  return {
    url,
    port: actualPort,
    profile,
    snapshot: () => service.snapshot(),
    requests: () => log.entries(),
    reset: () => {
      store.clear();
      log.clear();
    },
    close: () => (closing ??= closeServer(server)),
  };
}

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`startTarget: ${name} ${String(value)} must be a positive integer`);
  return value;
}

function checkProfile(profile: string): TargetProfile {
  if (profile === 'tolerant' || profile === 'strict') return profile;
  throw new RangeError(`startTarget: unknown profile '${profile}'; use 'tolerant' or 'strict'`);
}

function withOverrides(base: Readonly<TargetRules>, overrides: Partial<TargetRules> | undefined): Readonly<TargetRules> {
  if (!overrides) return base;
  for (const name of Object.keys(overrides)) {
    if (!(TARGET_RULE_NAMES as readonly string[]).includes(name)) {
      throw new RangeError(`startTarget: unknown rule '${name}'; known rules: ${TARGET_RULE_NAMES.join(', ')}`);
    }
  }
  return Object.freeze({ ...base, ...overrides });
}

/** '' for the root, else '/a/b' (leading slash added, trailing slashes removed). */
export function normaliseBasePath(basePath: string): string {
  const trimmed = basePath.trim().replace(/\/+$/, '');
  if (trimmed === '') return '';
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    // The cause keeps Node's code (EADDRINUSE, EACCES, EADDRNOTAVAIL) for callers that explain it.
    const onError = (error: Error): void =>
      reject(new Error(`startTarget: cannot listen on ${host}:${port}: ${error.message}`, { cause: error }));
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/** Stop accepting, then drop open connections (clients keep sockets alive; close() would wait for them). */
function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
