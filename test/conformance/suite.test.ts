/**
 * `provsim conformance` against the embedded target: the tolerant profile passes every mandatory check,
 * the strict one fails exactly the legacy quirks (and the lifecycle steps that need them), single rules
 * fail exactly their rows, and every run leaves the target without its objects.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startTarget, type RunningTarget } from '../../src/target/index.js';
import { seededRandom } from '../../src/shared/random.js';
import { failedIds, removeTempDirs, runCli } from './helpers.js';

const TOKEN = 'conformance-suite-token-7f3a9c';
const env = { PROVSIM_TOKEN: TOKEN };

let target: RunningTarget | undefined;
afterEach(async () => {
  await target?.close();
  target = undefined;
});
afterAll(removeTempDirs);

/** The objects of one run in the target: every name carries the run id. */
function objectsOf(t: RunningTarget, runId: string): string[] {
  const { users, groups } = t.snapshot();
  return [...users.map((u) => String(u['userName'])), ...groups.map((g) => String(g['displayName']))].filter((n) => n.includes(runId));
}

/** The legacy quirks, each tripping one strict rule (src/target/rules.ts). */
const STRICT_LEGACY_FAILING_QUIRKS = [
  'quirk.add-missing-filtered-path',
  'quirk.capitalised-ops.legacy',
  'quirk.manager-bare-id.legacy',
  'quirk.member-remove.legacy',
  'quirk.roles-json-string.legacy',
  'quirk.string-booleans.legacy',
];

describe('provsim conformance against the embedded target', () => {
  it('tolerant: every mandatory check passes, twice against the same server, and only the run\'s objects are deleted', async () => {
    target = await startTarget({ port: 0, profile: 'tolerant', token: TOKEN });
    // An object that is not the run's: cleanup must leave it alone.
    const bystander = await fetch(`${target.url}/Users`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/scim+json' },
      body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'bystander@example.com', active: true }),
    });
    expect(bystander.status).toBe(201);

    const first = await runCli(target.url, {}, env);
    expect(first.exitCode).toBe(0);
    expect(first.report.ok).toBe(true);
    expect(first.report.summary.mandatoryFailed).toBe(0);
    // The one optional failure: the tolerant target stores a legacy role as its JSON text.
    expect(failedIds(first.report)).toEqual(['quirk.roles-json-string.legacy']);
    expect(first.report.checks.find((c) => c.id === 'quirk.roles-json-string.legacy')).toMatchObject({ severity: 'optional', verdict: 'wrong-result' });
    expect(first.report.checks.filter((c) => c.status === 'skipped')).toEqual([]);
    expect(first.stdout).toContain('Conformance PASSED');

    // As the CLI's random source would, a new run gets a new suffix.
    const second = await runCli(target.url, {}, env, { random: seededRandom(99) });
    expect(second.exitCode).toBe(0);
    expect(second.report.runId).not.toBe(first.report.runId);
    for (const run of [first, second]) {
      expect(objectsOf(target, run.report.runId)).toEqual([]);
      expect(run.report.cleanup.leftovers).toEqual([]);
      expect(run.report.cleanup.deleted.length).toBeGreaterThan(20);
    }
    expect(target.snapshot().users.map((u) => u['userName'])).toEqual(['bystander@example.com']);
    expect(target.snapshot().groups).toEqual([]);
  });

  it('strict, legacy dialect: fails exactly the legacy quirks, and the lifecycle steps whose PATCHes they break', async () => {
    target = await startTarget({ port: 0, profile: 'strict', token: TOKEN });
    const run = await runCli(target.url, { dialect: 'legacy' }, env);
    expect(run.exitCode).toBe(1);
    expect(run.report.ok).toBe(false);

    expect(failedIds(run.report, 'quirks')).toEqual(STRICT_LEGACY_FAILING_QUIRKS);
    const verdict = (id: string) => run.report.checks.find((c) => c.id === id)!;
    // Each rejection names the strict rule that caused it; the member removal is the silent kind.
    expect(verdict('quirk.string-booleans.legacy')).toMatchObject({ verdict: 'rejected', severity: 'mandatory' });
    expect(verdict('quirk.string-booleans.legacy').message).toContain('rejectStringBooleans');
    expect(verdict('quirk.capitalised-ops.legacy').message).toContain('rejectCapitalisedOps');
    expect(verdict('quirk.add-missing-filtered-path').message).toContain('noTargetOnMissingFilteredPath');
    expect(verdict('quirk.manager-bare-id.legacy').message).toContain('rejectBareManager');
    expect(verdict('quirk.member-remove.legacy')).toMatchObject({ verdict: 'wrong-result', severity: 'mandatory' });
    expect(verdict('quirk.member-remove.legacy').message).toContain('the other members did not survive');
    expect(verdict('quirk.roles-json-string.legacy')).toMatchObject({ verdict: 'wrong-result', severity: 'optional' });

    // Every legacy PATCH the engine sends is capitalised: the lifecycle passes only where it POSTs or DELETEs.
    expect(failedIds(run.report, 'lifecycle')).toEqual(
      [
        'lifecycle.group.add-members',
        'lifecycle.group.remove-member',
        'lifecycle.group.rename',
        'lifecycle.manager.change',
        'lifecycle.manager.remove',
        'lifecycle.manager.set',
        'lifecycle.user.disable',
        'lifecycle.user.enable',
        'lifecycle.user.restore',
        'lifecycle.user.soft-delete',
        'lifecycle.user.unassign',
        'lifecycle.user.update',
      ].sort(),
    );
    // A step whose end state is right by coincidence still fails: its own request was refused.
    expect(verdict('lifecycle.user.enable').message).toMatch(/reads back as expected, but the engine's update .* was refused/);
    expect(failedIds(run.report, 'protocol')).toEqual([]);
    expect(objectsOf(target, run.report.runId)).toEqual([]);
    expect(target.snapshot()).toEqual({ users: [], groups: [] });
  });

  it('strict, aadOptscim062020 from the URL: the add on a missing filtered path and the manager steps (a bare id in this dialect too) fail among the mandatory checks', async () => {
    target = await startTarget({ port: 0, profile: 'strict', token: TOKEN });
    const run = await runCli(`${target.url}?aadOptscim062020`, {}, env);
    expect(run.report.dialect).toBe('aadOptscim062020');
    expect(run.exitCode).toBe(1);
    expect(run.report.checks.filter((c) => c.status === 'failed' && c.severity === 'mandatory').map((c) => c.id)).toEqual(['lifecycle.manager.set', 'lifecycle.manager.change', 'lifecycle.manager.remove', 'quirk.add-missing-filtered-path']);
    expect(failedIds(run.report, 'lifecycle')).toEqual(['lifecycle.manager.change', 'lifecycle.manager.remove', 'lifecycle.manager.set']);
    // The legacy column still shows what the legacy dialect would do, as optional for this run.
    expect(run.report.checks.filter((c) => c.status === 'failed' && c.severity === 'optional').map((c) => c.id).sort()).toEqual(STRICT_LEGACY_FAILING_QUIRKS.filter((id) => id !== 'quirk.add-missing-filtered-path'));
    const matrix = Object.fromEntries(run.report.quirkMatrix.map((r) => [r.quirk, [r.cells.legacy?.verdict ?? 'not sent', r.cells.aadOptscim062020?.verdict ?? 'not sent']]));
    expect(matrix).toEqual({
      'string-booleans': ['rejected', 'accepted'],
      'capitalised-ops': ['rejected', 'accepted'],
      'member-remove': ['wrong-result', 'accepted'],
      'add-missing-filtered-path': ['rejected', 'rejected'],
      'manager-bare-id': ['rejected', 'accepted'],
      'pathless-replace': ['not sent', 'accepted'],
      'pathless-add': ['not sent', 'accepted'],
      'roles-json-string': ['wrong-result', 'accepted'],
      'excluded-attributes-members': ['accepted', 'accepted'],
      'random-guid-probe': ['accepted', 'accepted'],
    });
    expect(target.snapshot()).toEqual({ users: [], groups: [] });
  });

  it('one strict rule on a tolerant target fails exactly its quirk and the lifecycle step that meets it', async () => {
    target = await startTarget({ port: 0, profile: 'tolerant', token: TOKEN, rules: { removeMembersIgnoresValue: true } });
    const run = await runCli(target.url, { only: ['quirk.member-remove', 'lifecycle.group.remove-member'] }, env);
    expect(run.exitCode).toBe(1);
    expect(failedIds(run.report)).toEqual(['lifecycle.group.remove-member', 'quirk.member-remove.legacy']);
    expect(run.report.checks.find((c) => c.id === 'quirk.member-remove.aadOptscim062020')?.status).toBe('passed');
    const step = run.report.checks.find((c) => c.id === 'lifecycle.group.remove-member')!;
    expect(step.message).toContain('the group reads back with members []');
    // The evidence holds the engine's accepted removal, then the verifier's own read of the group.
    const removal = step.evidence.find((e) => e.method === 'PATCH' && JSON.stringify(e.requestBody).includes('"op":"Remove"'));
    expect(removal?.status).toBe(204);
    expect(step.evidence.at(-1)).toMatchObject({ method: 'GET', status: 200 });
    expect(step.evidence.at(-1)!.url).toMatch(/\/Groups\/[0-9a-f-]+$/);
    expect(target.snapshot()).toEqual({ users: [], groups: [] });
  });

  it('every lifecycle step is verified by GETs of its own after the engine\'s writes', async () => {
    target = await startTarget({ port: 0, profile: 'tolerant', token: TOKEN });
    const run = await runCli(target.url, { only: ['lifecycle'] }, env);
    expect(run.exitCode).toBe(0);
    const steps = run.report.checks.filter((c) => c.part === 'lifecycle');
    expect(steps).toHaveLength(16);
    for (const step of steps) {
      expect(step.status, step.id).toBe('passed');
      const lastWrite = step.evidence.findLastIndex((e) => e.method !== 'GET');
      expect(lastWrite, step.id).toBeGreaterThanOrEqual(0);
      expect(step.evidence.slice(lastWrite + 1).some((e) => e.method === 'GET'), step.id).toBe(true);
    }
    // One PATCH carried all three members.
    const add = run.report.checks.find((c) => c.id === 'lifecycle.group.add-members')!;
    const memberPatch = add.evidence.find((e) => e.method === 'PATCH' && e.url.includes('/Groups/'));
    expect((memberPatch?.requestBody as { Operations: Array<{ value: unknown[] }> }).Operations[0]!.value).toHaveLength(3);
    expect(target.snapshot()).toEqual({ users: [], groups: [] });
  });
});
