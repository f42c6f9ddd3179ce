/**
 * `provsim restart`: Graph's synchronizationJob restart (spec §5.12). Scopes, comma-separated:
 * `escrows` (forget failures), `watermark` (the next cycle is initial: everything is re-evaluated),
 * `quarantine` (leave it now), `force-deletes` (the next cycle lets deletions through the accidental-deletion
 * threshold), `full` (everything, links too: the next cycle matches every object again).
 * No scope is the portal's "Restart provisioning": quarantine, watermark and escrows; links are kept.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../../shared/errors.js';
import { StateStore } from '../../store/store.js';
import { EXIT_CODES } from '../exit-codes.js';
import type { CliDeps, CommandResult } from '../io.js';
import { DEFAULT_STATE_FILE } from '../session.js';

export const RESTART_SCOPES = ['escrows', 'watermark', 'quarantine', 'force-deletes', 'full'] as const;
export type RestartScope = (typeof RESTART_SCOPES)[number];

export interface RestartOptions {
  state?: string;
  /** Comma-separated scopes; absent = the portal's restart. */
  scope?: string;
  /** Print what was cleared as JSON. */
  json?: boolean;
}

export function parseScopes(text: string | undefined): RestartScope[] {
  if (text === undefined || text.trim() === '') return ['quarantine', 'watermark', 'escrows'];
  const scopes = text.split(',').map((s) => s.trim().toLowerCase());
  for (const s of scopes) {
    if (!(RESTART_SCOPES as readonly string[]).includes(s)) throw new UsageError(`--scope ${s} is not one of ${RESTART_SCOPES.join(', ')}`);
  }
  return scopes as RestartScope[];
}

export function restart(store: StateStore, scopes: readonly RestartScope[]): string[] {
  const done: string[] = [];
  const all = scopes.includes('full');
  store.transaction(() => {
    if (all || scopes.includes('escrows')) (store.clearEscrows(), done.push('escrows cleared'));
    if (all || scopes.includes('quarantine')) (store.setQuarantine(null), done.push('quarantine cleared'));
    if (all || scopes.includes('watermark'))
      (store.clearWatermarks(), store.setFlag('initial', true), done.push('watermark cleared: the next cycle is an initial cycle'));
    if (all) (store.clearLinks(), done.push('links cleared: the next cycle matches every object again'));
    if (scopes.includes('force-deletes'))
      (store.setFlag('force-deletes', true), done.push('the next cycle lets deletions through the threshold'));
  });
  return done;
}

export async function restartCommand(options: RestartOptions, deps: CliDeps): Promise<CommandResult & { done: string[] }> {
  const scopes = parseScopes(options.scope);
  const file = resolve(deps.cwd, options.state ?? DEFAULT_STATE_FILE);
  if (!existsSync(file)) throw new UsageError(`no state file at ${options.state ?? DEFAULT_STATE_FILE}; nothing to restart`);
  const store = new StateStore(file);
  try {
    const done = restart(store, scopes);
    if (options.json) deps.stdout.write(JSON.stringify({ scopes, done }, null, 2) + '\n');
    else for (const d of done) deps.stdout.write(`provsim: ${d}\n`);
    return { exitCode: EXIT_CODES.ok, done };
  } finally {
    store.close();
  }
}
