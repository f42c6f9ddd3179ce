/**
 * Failures grouped by cause on real traffic: the CLI syncs the contoso tenant against the strict embedded
 * target over HTTP on 127.0.0.1, then the stored provisioning log (`provsim logs --json --status Failure`) is
 * grouped and rendered. Expected counts come from the requests the target refused, not from constants.
 *
 * In the legacy dialect the strict target refuses every PATCH for its capitalised op before it reads any
 * value, so the string booleans of the day-2 disables surface only when that rule is switched off: the
 * second test does that.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { groupFailures, renderFailureGroups } from '../../src/cli/render/failure-groups.js';
import { plainStyle } from '../../src/cli/render/style.js';
import type { LogEntry } from '../../src/model/records.js';
import { startTarget } from '../../src/scim-server/index.js';
import { CONTOSO, CONTOSO_DAY2, DEFAULT_MAPPING, Harness } from '../helpers/harness.js';

const TOKEN = 'failure-groups-token-3e9a';
let h: Harness;
afterEach(async () => {
  await h?.stop();
});

const sync = (fixtures: string): string[] => [
  'sync',
  '--fixtures',
  fixtures,
  '--mapping',
  DEFAULT_MAPPING,
  '--target',
  h.target.url,
  '--state',
  h.state,
];

/** Every failed entry of the state file, as `provsim logs --json --status Failure` prints it. */
async function storedFailures(): Promise<LogEntry[]> {
  h.out.stdout = '';
  expect(await h.cli(['logs', '--json', '--status', 'Failure', '--state', h.state])).toBe(0);
  return JSON.parse(h.out.stdout) as LogEntry[];
}

/** The ids of the users whose PATCH the target refused with 400, where the PATCH's operations pass `test`. */
function refusedUserPatches(test: (ops: Array<Record<string, unknown>>) => boolean): Set<string> {
  const ids = new Set<string>();
  for (const r of h.target.requests()) {
    const m = /\/Users\/([^/?]+)$/.exec(r.url);
    const ops = (r.body as { Operations?: Array<Record<string, unknown>> } | undefined)?.Operations ?? [];
    if (r.method === 'PATCH' && r.status === 400 && m && test(ops)) ids.add(m[1]!);
  }
  return ids;
}

describe('failures grouped by cause, from a real cycle against the strict target', () => {
  it('strict profile: the manager PATCHes refused for their capitalised op are one cause of many users, with its hint', async () => {
    h = await new Harness({ PROVSIM_TOKEN: TOKEN }).start('strict', TOKEN);
    expect(await h.cli(sync(CONTOSO))).toBe(1);
    const entries = await storedFailures();
    const groups = groupFailures(entries);

    // Every failure is in exactly one group, the largest first.
    expect(groups.reduce((n, g) => n + g.entries.length, 0)).toBe(entries.length);
    expect(groups.map((g) => g.count)).toEqual(groups.map((g) => g.count).sort((a, b) => b - a));

    const managerPatches = refusedUserPatches((ops) => ops.some((o) => String(o['path']).endsWith(':manager')));
    const manager = groups.find((g) => g.objectType === 'User' && g.signature.part === 'manager');
    expect(managerPatches.size).toBeGreaterThan(1);
    expect(manager?.count).toBe(managerPatches.size);
    expect(new Set(manager!.entries.map((e) => e.targetIdentity.id))).toEqual(managerPatches);
    expect(manager?.hint?.rule).toBe('capitalised-ops');

    const text = renderFailureGroups(groups, plainStyle, { token: TOKEN });
    expect(text).toContain(
      `  ✗ ${managerPatches.size} users: PATCH /Users/{id} (manager) → 400 invalidSyntax "Operation 1 of the PATCH body has op 'Add'`,
    );
    expect(text).toMatch(/hint: your server rejects the legacy dialect's capitalised PATCH ops .*\?aadOptscim062020/);
    expect(text).toContain('every entry: provsim logs --status Failure');
    expect(text).not.toContain(TOKEN);
  });

  it('strict with capitalised ops let through: the day-2 disables are one cause, with the string-boolean hint', async () => {
    h = new Harness({ PROVSIM_TOKEN: TOKEN });
    h.target = await startTarget({ port: 0, profile: 'strict', token: TOKEN, rules: { rejectCapitalisedOps: false } });
    expect(await h.cli(sync(CONTOSO))).toBe(1); // the bare manager ids are refused on day 1
    expect(await h.cli(sync(CONTOSO_DAY2))).toBe(1);
    const groups = groupFailures(await storedFailures());

    const disables = refusedUserPatches((ops) => ops.some((o) => o['path'] === 'active' && o['value'] === 'False'));
    const booleans = groups.filter((g) => g.hint?.rule === 'string-booleans');
    expect(disables.size).toBeGreaterThan(1);
    expect(booleans).toHaveLength(1);
    expect(booleans[0]!.count).toBe(disables.size);
    expect(new Set(booleans[0]!.entries.map((e) => e.targetIdentity.id))).toEqual(disables);
    expect(booleans[0]!.entries.every((e) => e.provisioningAction === 'Disable')).toBe(true);

    const text = renderFailureGroups(groups, plainStyle, { token: TOKEN });
    expect(text).toContain(
      `  ✗ ${disables.size} users: PATCH /Users/{id} → 400 invalidValue "'active' in operation 1 of the PATCH body is the string "False" but the schema says boolean`,
    );
    expect(text).toMatch(/hint: your server rejects the legacy dialect's string booleans .*\?aadOptscim062020/);
    expect(text).toContain('on its own: provsim conformance --only quirk.string-booleans');
    // The bare manager ids of both days are one cause too.
    expect(groups.find((g) => g.hint?.rule === 'manager-bare-id')?.count).toBeGreaterThan(1);
    expect(text).not.toContain(TOKEN);
  });
});
