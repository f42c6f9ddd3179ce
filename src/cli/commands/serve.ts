/** `provsim serve`: the embedded SCIM target, in memory, on 127.0.0.1, until interrupted. */
import { startTarget, type RunningTarget } from '../../scim-server/index.js';
import { UsageError } from '../../shared/errors.js';
import { EXIT_CODES } from '../exit-codes.js';
import type { CliDeps, CommandResult } from '../io.js';

export interface ServeOptions {
  /** 0 = a free port. @default 8080 */
  port?: number;
  token?: string;
  /** @default 'tolerant' */
  profile?: string;
  host?: string;
}

export async function startServe(options: ServeOptions, deps: CliDeps): Promise<RunningTarget> {
  const profile = options.profile ?? 'tolerant';
  if (profile !== 'tolerant' && profile !== 'strict') throw new UsageError(`--profile ${profile} is not one of tolerant, strict`);
  const port = options.port ?? 8080;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port ${String(options.port)} is not a port number (0–65535)`);
  const token = options.token ?? deps.env['PROVSIM_TOKEN'] ?? null;
  const target = await startTarget({ port, profile, token, ...(options.host ? { host: options.host } : {}) });
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
