/** `provsim fixtures generate`: a realistic, deterministic tenant in the fixture format, streamed to disk. */
import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../../shared/errors.js';
import { writeTenantFixtures } from '../../source/generate/generate-tenant.js';
import { EXIT_CODES } from '../exit-codes.js';
import type { CliDeps, CommandResult } from '../io.js';

export interface FixturesGenerateOptions {
  users: number;
  groups: number;
  /** @default 10 */
  membersPerGroup?: number;
  /** @default 1 */
  seed?: number;
  out: string;
  /** Write into a non-empty directory. */
  force?: boolean;
  /**
   * `yaml` (the default), `json` (loads far faster for large tenants) or `jsonl` (JSON Lines, streamed:
   * any size, a million users and more; `users.jsonl` or `users-1.jsonl`…, `groups…`, `assignments.json`).
   */
  format?: string;
  /** Print what was written as JSON on stdout. */
  json?: boolean;
}

export async function fixturesGenerateCommand(options: FixturesGenerateOptions, deps: CliDeps): Promise<CommandResult> {
  const dir = resolve(deps.cwd, options.out);
  if (existsSync(dir) && readdirSync(dir).length > 0 && !options.force) {
    throw new UsageError(`--out ${options.out} is not empty; choose an empty directory, or pass --force to overwrite its fixture files`);
  }
  const format = options.format ?? 'yaml';
  if (format !== 'yaml' && format !== 'json' && format !== 'jsonl')
    throw new UsageError(`--format ${format} is not one of yaml, json, jsonl`);
  const started = deps.clock.now().getTime();
  try {
    await writeTenantFixtures(
      { users: options.users, groups: options.groups, membersPerGroup: options.membersPerGroup ?? 10, seed: options.seed ?? 1 },
      dir,
      { format },
    );
  } catch (error) {
    if (error instanceof RangeError) throw new UsageError(error.message);
    throw error;
  }
  const seconds = ((deps.clock.now().getTime() - started) / 1000).toFixed(1);
  if (options.json)
    deps.stdout.write(
      JSON.stringify({
        out: dir,
        users: options.users,
        groups: options.groups,
        seed: options.seed ?? 1,
        format,
        seconds: Number(seconds),
      }) + '\n',
    );
  else
    deps.stderr.write(
      `provsim: wrote ${options.users} users and ${options.groups} groups (seed ${options.seed ?? 1}) to ${options.out} in ${seconds}s\n`,
    );
  return { exitCode: EXIT_CODES.ok };
}
