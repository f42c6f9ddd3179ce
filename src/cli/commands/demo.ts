/**
 * `provsim demo` (`npm start`): the embedded target on a free port, an initial cycle of fixtures/contoso
 * with Entra's default mapping, then an incremental cycle of the same tenant one "day" later
 * (fixtures/contoso-day2: a new hire, a rename, a department move, an unassignment, a disabled account,
 * a soft delete, a hard delete, a membership change), then a third cycle with nothing changed.
 * State lives in a temporary directory, so the demo can be run again and again.
 * Each cycle is a `provsim sync` run; the caller (program.ts) passes the sync command in, so commands do not
 * import one another.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTarget } from '../../scim-server/index.js';
import { worstExitCode } from '../exit-codes.js';
import type { CliDeps, CommandResult } from '../io.js';
import { packageRoot } from '../../shared/bundled.js';

export interface DemoOptions {
  /** @default 'tolerant' */
  profile?: 'tolerant' | 'strict';
}

/** One `provsim sync` run with these options (`syncCommand`). */
export type DemoSync = (
  options: { fixtures: string; mapping: string; target: string; state: string; verbose: boolean },
  deps: CliDeps,
) => Promise<CommandResult>;

export async function demoCommand(
  options: DemoOptions,
  deps: CliDeps,
  sync: DemoSync,
): Promise<CommandResult & { cycles: CommandResult[] }> {
  const root = packageRoot();
  const dir = mkdtempSync(join(tmpdir(), 'provsim-demo-'));
  const token = `demo-${deps.random.uuid()}`;
  const target = await startTarget({ port: 0, profile: options.profile ?? 'tolerant', token });
  const say = (s: string): void => void deps.stdout.write(s + '\n');
  const cycles: CommandResult[] = [];
  try {
    say(`provsim demo: embedded SCIM target (${target.profile} profile) at ${target.url}, bearer token required`);
    const env = { ...deps.env, PROVSIM_TOKEN: token };
    const steps: Array<[string, string]> = [
      ['Day 1: initial cycle of fixtures/contoso with mappings/customappsso.yaml', 'contoso'],
      ['Day 2: incremental cycle after the changes in fixtures/contoso-day2/CHANGES.md', 'contoso-day2'],
      ['Day 2, 40 minutes later: nothing changed in Entra', 'contoso-day2'],
    ];
    for (const [title, fixtures] of steps) {
      say(`\n== ${title}`);
      const result = await sync(
        {
          fixtures: join(root, 'fixtures', fixtures),
          mapping: join(root, 'mappings', 'customappsso.yaml'),
          target: target.url,
          state: join(dir, 'state.db'),
          verbose: true,
        },
        { ...deps, env, isTTY: false, cwd: root },
      );
      cycles.push(result);
      if (result.exitCode !== 0) break;
    }
    const snap = target.snapshot();
    const active = snap.users.filter((u) => u['active'] === true).length;
    say(
      `\n== The target now holds ${snap.users.length} users (${active} active, ${snap.users.length - active} disabled) and ${snap.groups.length} groups:`,
    );
    for (const g of snap.groups) {
      const members = Array.isArray(g['members']) ? g['members'].length : 0;
      say(`  ${String(g['displayName'])}: ${members} member(s)`);
    }
    say(
      `\nNext, against your own SCIM server: provsim init --target <its SCIM base URL>, then provsim test-connection and provsim sync --dry-run.\nOr against the embedded one: provsim serve, then provsim sync --fixtures fixtures/contoso --mapping mappings/customappsso.yaml --target <url> --dry-run`,
    );
    return { exitCode: worstExitCode(cycles.map((c) => c.exitCode)), cycles };
  } finally {
    await target.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
