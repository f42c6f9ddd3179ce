/** `provsim serve`: the embedded SCIM target, in memory, on 127.0.0.1, until interrupted. */
import { startTarget, type RunningTarget } from '../../scim-server/index.js';
import { resolve } from 'node:path';
import { UsageError } from '../../shared/errors.js';
import { checkToken, resolveToken } from '../token.js';
import { EXIT_CODES } from '../exit-codes.js';
import type { CliDeps, CommandResult } from '../io.js';

export interface ServeOptions {
  /** 0 = a free port. @default 8080 */
  port?: number;
  /** On the command line: visible in process listings, so `tokenFile` or PROVSIM_TOKEN are preferred. */
  token?: string;
  /** Read the required token from this file. */
  tokenFile?: string;
  /** @default 'tolerant' */
  profile?: string;
  host?: string;
  /** Print one JSON line on stdout when listening (`{"url":…}`), e.g. for a script that took --port 0. */
  json?: boolean;
}

export async function startServe(options: ServeOptions, deps: CliDeps): Promise<RunningTarget> {
  const profile = options.profile ?? 'tolerant';
  if (profile !== 'tolerant' && profile !== 'strict') throw new UsageError(`--profile ${profile} is not one of tolerant, strict`);
  const port = options.port ?? 8080;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port ${String(options.port)} is not a port number (0–65535)`);
  if (options.token !== undefined && options.tokenFile !== undefined)
    throw new UsageError('give one of --token and --token-file, not both');
  if (options.token !== undefined && options.token.trim() === '')
    throw new UsageError('--token is empty, which would start a server that requires no token; omit --token for that, or give the token');
  if (options.token !== undefined) checkToken(options.token, '--token');
  const token =
    options.token ??
    (options.tokenFile !== undefined ? resolveToken({}, resolve(deps.cwd, options.tokenFile)) : null) ??
    (deps.env['PROVSIM_TOKEN'] === undefined ? null : resolveToken(deps.env, undefined));
  if (options.token !== undefined)
    deps.stderr.write('provsim: note: --token is visible in process listings (ps); --token-file or PROVSIM_TOKEN keep it out\n');
  const host = options.host ?? '127.0.0.1';
  let target: RunningTarget;
  try {
    target = await startTarget({ port, profile, token, host });
  } catch (error) {
    throw listenError(error, host, port);
  }
  if (options.json)
    deps.stdout.write(JSON.stringify({ url: target.url, profile, tokenRequired: token !== null, port: target.port }) + '\n');
  deps.stderr.write(
    `provsim: SCIM target (${profile} profile) listening on ${target.url}${token ? ' (bearer token required)' : ' (no token required)'}\n`,
  );
  deps.stderr.write(`  try: provsim sync --fixtures fixtures/contoso --mapping mappings/customappsso.yaml --target ${target.url}\n`);
  return target;
}

export async function serveCommand(options: ServeOptions, deps: CliDeps): Promise<CommandResult> {
  const target = await startServe(options, deps);
  await new Promise<void>((resolveDone) => {
    if (deps.signal?.aborted) return resolveDone();
    deps.signal?.addEventListener('abort', () => resolveDone(), { once: true });
  });
  await target.close();
  return { exitCode: EXIT_CODES.ok };
}

/** Why the target could not listen, as a usage error with what to do; anything else is passed on. */
function listenError(error: unknown, host: string, port: number): unknown {
  const code = error instanceof Error ? (error.cause as NodeJS.ErrnoException | undefined)?.code : undefined;
  if (code === 'EADDRINUSE')
    return new UsageError(
      `port ${port} is in use on ${host}: stop what listens there, or pick another with --port (--port 0 picks a free one)`,
    );
  if (code === 'EACCES')
    return new UsageError(`port ${port} on ${host} needs privileges this process does not have: pick a port above 1023 with --port`);
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
    return new UsageError(`--host ${host} is not an address of this machine: use 127.0.0.1 (the default) or localhost`);
  return error;
}
