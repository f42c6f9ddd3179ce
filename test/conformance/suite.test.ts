/**
 * `provsim conformance` against the embedded target: the tolerant profile passes every mandatory check,
 * the strict one fails exactly the quirks it rejects (the root causes) and the lifecycle steps that meet
 * them (their consequences, asserted apart), single rules fail exactly their rows, a failure for another
 * reason stays independent, and every run leaves the target without its objects.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { runConformance } from '../../src/conformance/run.js';
import { defaultQuirks } from '../../src/scim/quirks.js';
import { systemClock } from '../../src/shared/clock.js';
import { seededRandom } from '../../src/shared/random.js';
import { startTarget, type RunningTarget } from '../../src/scim-server/index.js';
import { consequencesOf, failedIds, removeTempDirs, rootCauses, runCli, startProxy, type TestProxy } from './helpers.js';

const TOKEN = 'conformance-suite-token-7f3a9c';
const env = { PROVSIM_TOKEN: TOKEN };

let target: RunningTarget | undefined;
let proxy: TestProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  await target?.close();
  proxy = undefined;
  target = undefined;
});
afterAll(removeTempDirs);

/** The objects of one run in the target: every name carries the run id. */
function objectsOf(t: RunningTarget, runId: string): string[] {
  const { users, groups } = t.snapshot();
  return [...users.map((u) => String(u['userName'])), ...groups.map((g) => String(g['displayName']))].filter((n) => n.includes(runId));
}

/** The quirk probes that fail against the strict target (src/scim-server/rules.ts), each a root cause. */
const STRICT_FAILING_QUIRKS = {
  // Sent by both dialects: mandatory in either run.
  both: ['quirk.add-missing-filtered-path', 'quirk.manager-bare-id'],
  // The legacy column: mandatory in a legacy run, optional in a flag-dialect run.
  legacy: ['quirk.capitalised-ops.legacy', 'quirk.member-remove.legacy', 'quirk.string-booleans.legacy'],
  // Optional in every run: roles only with a role mapping; the object-form manager only with --quirk managerBareId=off ("" removal refused).
  optional: ['quirk.manager-object-form.legacy', 'quirk.roles-json-string.legacy'],
};

/**
 * Every lifecycle step of a strict legacy run fails for one cause, the capitalised ops: each PATCH is
 * refused with 400 invalidSyntax. Directly where the step's own PATCH was refused; through the step
 * whose state it starts from where that state was never stored.
 */
const STRICT_LEGACY_CONSEQUENCES: Record<string, string[]> = {
  'lifecycle.user.update': ['quirk.capitalised-ops.legacy'],
  'lifecycle.user.disable': ['quirk.capitalised-ops.legacy'],
  'lifecycle.user.enable': ['quirk.capitalised-ops.legacy', 'lifecycle.user.disable'],
  'lifecycle.manager.set': ['quirk.capitalised-ops.legacy'],
  'lifecycle.manager.change': ['quirk.capitalised-ops.legacy', 'lifecycle.manager.set'],
  'lifecycle.manager.remove': ['quirk.capitalised-ops.legacy', 'lifecycle.manager.change', 'lifecycle.manager.set'],
  'lifecycle.group.add-members': ['quirk.capitalised-ops.legacy'],
  'lifecycle.group.rename': ['quirk.capitalised-ops.legacy'],
  'lifecycle.group.remove-member': ['quirk.capitalised-ops.legacy', 'lifecycle.group.add-members'],
  'lifecycle.user.unassign': ['quirk.capitalised-ops.legacy'],
  'lifecycle.user.restore': ['quirk.capitalised-ops.legacy', 'lifecycle.user.unassign'],
  'lifecycle.user.soft-delete': ['quirk.capitalised-ops.legacy'],
};

/** With the manager sent as a bare id (flag dialect), the strict target refuses every manager PATCH. */
const BARE_MANAGER_CONSEQUENCES: Record<string, string[]> = {
  'lifecycle.manager.set': ['quirk.manager-bare-id'],
  'lifecycle.manager.change': ['quirk.manager-bare-id', 'lifecycle.manager.set'],
  'lifecycle.manager.remove': ['quirk.manager-bare-id', 'lifecycle.manager.change', 'lifecycle.manager.set'],
};

describe('provsim conformance against the embedded target', () => {
  it("tolerant: every mandatory check passes, twice against the same server, and only the run's objects are deleted", async () => {
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
    expect(first.report.checks.find((c) => c.id === 'quirk.roles-json-string.legacy')).toMatchObject({
      severity: 'optional',
      verdict: 'wrong-result',
    });
    expect(first.report.checks.filter((c) => c.status === 'skipped')).toEqual([]);
    // An RFC-correct server passes what real servers got wrong: re-added members, a rename to a taken userName, DELETEs of nothing.
    for (const id of [
      'protocol.connection',
      'protocol.add-existing-member',
      'protocol.rename-to-taken-username',
      'protocol.delete-unknown-id',
      'protocol.delete-twice',
    ]) {
      expect(first.report.checks.find((c) => c.id === id)?.status, id).toBe('passed');
    }
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

  it('strict, legacy dialect: the failing quirks are the root causes, and every lifecycle step is a consequence of the capitalised ops', async () => {
    target = await startTarget({ port: 0, profile: 'strict', token: TOKEN });
    const run = await runCli(target.url, { dialect: 'legacy' }, env);
    expect(run.exitCode).toBe(1);
    expect(run.report.ok).toBe(false);

    expect(rootCauses(run.report, 'mandatory')).toEqual([...STRICT_FAILING_QUIRKS.both, ...STRICT_FAILING_QUIRKS.legacy].sort());
    expect(rootCauses(run.report, 'optional')).toEqual(STRICT_FAILING_QUIRKS.optional);
    expect(consequencesOf(run.report)).toEqual(STRICT_LEGACY_CONSEQUENCES);
    expect(run.report.summary).toMatchObject({ failed: 19, mandatoryFailed: 5, optionalFailed: 2, consequences: 12 });

    const check = (id: string) => run.report.checks.find((c) => c.id === id)!;
    // Each rejection names the strict rule that caused it; the member removal is the silent kind.
    expect(check('quirk.string-booleans.legacy')).toMatchObject({ verdict: 'rejected', severity: 'mandatory' });
    expect(check('quirk.string-booleans.legacy').message).toContain('rejectStringBooleans');
    expect(check('quirk.capitalised-ops.legacy').message).toContain('rejectCapitalisedOps');
    expect(check('quirk.add-missing-filtered-path').message).toContain('noTargetOnMissingFilteredPath');
    expect(check('quirk.manager-bare-id').message).toContain('rejectBareManager');
    expect(check('quirk.member-remove.legacy')).toMatchObject({ verdict: 'wrong-result', severity: 'mandatory' });
    expect(check('quirk.member-remove.legacy').message).toContain('the other members did not survive');
    expect(check('quirk.roles-json-string.legacy')).toMatchObject({ verdict: 'wrong-result', severity: 'optional' });

    // The evidence that ties a step to its cause: its own PATCH, refused like the probe's.
    expect(check('lifecycle.user.disable').consequence!.reason).toMatch(
      /^PATCH \/scim\/v2\/Users\/[0-9a-f-]+ with a capitalised op \(\{"op":"Replace","path":"active","value":"False"\}\) was refused with 400 \(scimType invalidSyntax\)/,
    );
    // A step whose end state would read back right by coincidence is not verifiable: the manager was never stored.
    expect(check('lifecycle.manager.remove').message).toMatch(
      /^not verifiable: before the removal the user reads back with manager null, expected [0-9a-f-]+ \(provsim-[0-9a-f]+-manager2@example\.com\)\. That is the state lifecycle\.manager\.change was to leave/,
    );
    expect(check('lifecycle.user.enable').message).toMatch(/^not verifiable: before the re-enable: the user reads back with active true/);

    // The text summary lists the consequences under their cause, and counts causes only.
    expect(run.stdout).toContain('Failures by root cause (7; 12 more failure(s) are consequences, listed under their cause):');
    expect(run.stdout).toMatch(
      /✗ quirk\.capitalised-ops\.legacy \(mandatory\): rejected[^\n]*\n(\s+↳ consequence: lifecycle\.[^\n]+\n){12}/,
    );
    expect(run.stdout).toContain('Conformance FAILED: 5 mandatory check(s) failed (not counting 12 consequence(s)).');
    expect(failedIds(run.report, 'protocol')).toEqual([]);
    expect(objectsOf(target, run.report.runId)).toEqual([]);
    expect(target.snapshot()).toEqual({ users: [], groups: [] });
  });

  it('strict, aadOptscim062020 from the URL: the quirks both dialects send are the mandatory root causes', async () => {
    target = await startTarget({ port: 0, profile: 'strict', token: TOKEN });
    const run = await runCli(`${target.url}?aadOptscim062020`, {}, env);
    expect(run.report.dialect).toBe('aadOptscim062020');
    expect(run.exitCode).toBe(1);
    expect(rootCauses(run.report, 'mandatory')).toEqual(STRICT_FAILING_QUIRKS.both);
    // The legacy column still shows what the legacy dialect would do, as optional for this run.
    expect(rootCauses(run.report, 'optional')).toEqual([...STRICT_FAILING_QUIRKS.legacy, ...STRICT_FAILING_QUIRKS.optional].sort());
    // The engine sends the manager as a bare id in this dialect too (SCIM-SDK #686): the manager steps fail,
    // as consequences of the bare-id quirk.
    expect(defaultQuirks('aadOptscim062020').managerBareId).toBe(true);
    expect(consequencesOf(run.report)).toEqual(BARE_MANAGER_CONSEQUENCES);
    expect(failedIds(run.report, 'lifecycle')).toEqual(Object.keys(BARE_MANAGER_CONSEQUENCES).sort());
    const matrix = Object.fromEntries(
      run.report.quirkMatrix.map((r) => [
        r.quirk,
        [r.cells.legacy?.verdict ?? 'not sent', r.cells.aadOptscim062020?.verdict ?? 'not sent'],
      ]),
    );
    expect(matrix).toEqual({
      'string-booleans': ['rejected', 'accepted'],
      'capitalised-ops': ['rejected', 'accepted'],
      'member-remove': ['wrong-result', 'accepted'],
      'add-missing-filtered-path': ['rejected', 'rejected'],
      'manager-bare-id': ['rejected', 'rejected'],
      'manager-object-form': ['rejected', 'accepted'],
      'pathless-replace': ['not sent', 'accepted'],
      'pathless-add': ['not sent', 'accepted'],
      'roles-json-string': ['wrong-result', 'accepted'],
      'excluded-attributes-members': ['accepted', 'accepted'],
      'random-guid-probe': ['accepted', 'accepted'],
    });
    // One probe fills both columns with the bare id, `add` and a string value.
    const bareProbe = run.report.checks.find((c) => c.id === 'quirk.manager-bare-id')!;
    expect(bareProbe.dialect).toBe('both');
    expect(bareProbe.evidence.find((e) => e.method === 'PATCH')?.requestBody).toMatchObject({
      Operations: [
        {
          op: 'add',
          path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager',
          value: expect.stringMatching(/^[0-9a-f-]{36}$/),
        },
      ],
    });
    expect(target.snapshot()).toEqual({ users: [], groups: [] });
  });

  it('strict, flag dialect with the manager sent as a bare id: the manager steps are consequences of quirk.manager-bare-id', async () => {
    target = await startTarget({ port: 0, profile: 'strict', token: TOKEN });
    const report = await runConformance(
      {
        target: target.url,
        dialect: 'aadOptscim062020',
        token: TOKEN,
        quirks: { ...defaultQuirks('aadOptscim062020'), managerBareId: true },
        only: ['lifecycle', 'quirk.manager-bare-id', 'quirk.capitalised-ops'],
      },
      { clock: systemClock, random: seededRandom(2026) },
    );
    expect(report.ok).toBe(false);
    expect(rootCauses(report)).toEqual(['quirk.capitalised-ops.legacy', 'quirk.manager-bare-id']);
    expect(consequencesOf(report)).toEqual(BARE_MANAGER_CONSEQUENCES);
    expect(report.checks.find((c) => c.id === 'lifecycle.manager.set')!.consequence!.reason).toContain(
      'with the manager as a bare id string ({"op":"add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":"',
    );
    expect(report.summary).toMatchObject({ mandatoryFailed: 1, optionalFailed: 1, consequences: 3 });
    expect(target.snapshot()).toEqual({ users: [], groups: [] });
  });

  it('strict, flag dialect with --quirk managerBareId=off passed to the engine: the object form is accepted and the whole lifecycle passes', async () => {
    target = await startTarget({ port: 0, profile: 'strict', token: TOKEN });
    const report = await runConformance(
      {
        target: target.url,
        dialect: 'aadOptscim062020',
        token: TOKEN,
        quirks: { ...defaultQuirks('aadOptscim062020'), managerBareId: false },
        only: ['lifecycle'],
      },
      { clock: systemClock, random: seededRandom(2027) },
    );
    const lifecycle = report.checks.filter((c) => c.part === 'lifecycle');
    expect(lifecycle).toHaveLength(16);
    expect(lifecycle.filter((c) => c.status !== 'passed').map((c) => c.id)).toEqual([]);
    expect(report.checks.filter((c) => c.status === 'failed')).toEqual([]);
    expect(report.ok).toBe(true);
    const set = report.checks.find((c) => c.id === 'lifecycle.manager.set')!;
    expect(set.evidence.find((e) => e.method === 'PATCH' && JSON.stringify(e.requestBody).includes(':manager'))?.requestBody).toMatchObject(
      { Operations: [{ op: 'add', value: { value: expect.any(String) } }] },
    );
    expect(target.snapshot()).toEqual({ users: [], groups: [] });
  });

  it('a step verifies the state it claims: on a server that accepts but never stores the manager or active false, removal and re-enable are not verifiable', async () => {
    target = await startTarget({ port: 0, profile: 'tolerant', token: TOKEN });
    // 204 for the PATCH, nothing stored: the server bugs behind "manager.remove passed" and "enable passed".
    const swallowed = (body: string): boolean => body.includes(':manager"') || /"path":"active","value":("False"|false)/.test(body);
    proxy = await startProxy(target.url, {
      answer: (method, url, body) => (method === 'PATCH' && url.includes('/Users/') && swallowed(body) ? { status: 204 } : null),
    });
    const run = await runCli(proxy.url, { dialect: 'legacy', only: ['lifecycle.user', 'lifecycle.manager'] }, env);
    expect(run.exitCode).toBe(1);
    const check = (id: string) => run.report.checks.find((c) => c.id === id)!;
    expect(check('lifecycle.manager.remove').message).toMatch(
      /^not verifiable: before the removal the user reads back with manager null, expected [0-9a-f-]+ \(provsim-[0-9a-f]+-manager2@example\.com\)/,
    );
    expect(check('lifecycle.user.enable').message).toMatch(
      /^not verifiable: before the re-enable: the user reads back with active true, expected the JSON boolean false/,
    );
    // One cause each: the disable that was not stored (its repeats are read back wrong alike), the manager that was not stored.
    expect(rootCauses(run.report)).toEqual(['lifecycle.manager.set', 'lifecycle.user.disable']);
    expect(consequencesOf(run.report)).toEqual({
      'lifecycle.user.enable': ['lifecycle.user.disable'],
      'lifecycle.manager.change': ['lifecycle.manager.set'],
      'lifecycle.manager.remove': ['lifecycle.manager.set', 'lifecycle.manager.change'],
      'lifecycle.user.unassign': ['lifecycle.user.disable'],
      'lifecycle.user.restore': ['lifecycle.user.disable', 'lifecycle.user.unassign'],
      'lifecycle.user.soft-delete': ['lifecycle.user.disable'],
    });
    expect(check('lifecycle.user.unassign').consequence!.reason).toMatch(
      /^the target accepted PATCH \/scim\/v2\/Users\/[0-9a-f-]+ with active set to false \(\{"op":"Replace","path":"active","value":"False"\}\) \(204\) and then read back wrong \(active-false-not-stored\), as in lifecycle\.user\.disable$/,
    );
    for (const id of ['lifecycle.user.create', 'lifecycle.user.update', 'lifecycle.user.hard-delete'])
      expect(check(id).status, id).toBe('passed');
  });

  it('a step that fails for another reason than its declared cause counts as its own failure', async () => {
    target = await startTarget({ port: 0, profile: 'strict', token: TOKEN });
    // The group rename answered 500 before it reaches the target: a different answer to a PATCH that also has capitalised ops.
    proxy = await startProxy(target.url, {
      answer: (method, url, body) =>
        method === 'PATCH' && url.includes('/Groups/') && body.includes('"displayName"')
          ? { status: 500, body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '500', detail: 'rename crashed' } }
          : null,
    });
    const run = await runCli(proxy.url, { dialect: 'legacy', only: ['lifecycle', 'quirk.capitalised-ops'] }, env);
    expect(run.exitCode).toBe(1);
    expect(rootCauses(run.report, 'mandatory')).toEqual(['lifecycle.group.rename', 'quirk.capitalised-ops.legacy']);
    const { 'lifecycle.group.rename': _rename, ...others } = STRICT_LEGACY_CONSEQUENCES;
    expect(consequencesOf(run.report)).toEqual(others);
    expect(run.report.checks.find((c) => c.id === 'lifecycle.group.rename')!.message).toContain('rename crashed');
    expect(run.report.summary).toMatchObject({ mandatoryFailed: 2, consequences: 11 });
  });

  it('one strict rule on a tolerant target fails exactly its quirk and the lifecycle step that meets it', async () => {
    target = await startTarget({ port: 0, profile: 'tolerant', token: TOKEN, rules: { removeMembersIgnoresValue: true } });
    const run = await runCli(target.url, { only: ['quirk.member-remove', 'lifecycle.group.remove-member'] }, env);
    expect(run.exitCode).toBe(1);
    expect(failedIds(run.report)).toEqual(['lifecycle.group.remove-member', 'quirk.member-remove.legacy']);
    // The same wrong result after the same accepted shape: one cause.
    expect(rootCauses(run.report)).toEqual(['quirk.member-remove.legacy']);
    expect(consequencesOf(run.report)).toEqual({ 'lifecycle.group.remove-member': ['quirk.member-remove.legacy'] });
    expect(run.report.checks.find((c) => c.id === 'lifecycle.group.remove-member')!.consequence!.reason).toMatch(
      /^the target accepted PATCH \/scim\/v2\/Groups\/[0-9a-f-]+ with a member removal with path "members" and a value array .* \(204\) and then read back wrong \(members-lost\), as in quirk\.member-remove\.legacy$/,
    );
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

  it("every lifecycle step is verified by GETs of its own after the engine's writes", async () => {
    target = await startTarget({ port: 0, profile: 'tolerant', token: TOKEN });
    const run = await runCli(target.url, { only: ['lifecycle'] }, env);
    expect(run.exitCode).toBe(0);
    const steps = run.report.checks.filter((c) => c.part === 'lifecycle');
    expect(steps).toHaveLength(16);
    for (const step of steps) {
      expect(step.status, step.id).toBe('passed');
      const lastWrite = step.evidence.findLastIndex((e) => e.method !== 'GET');
      expect(lastWrite, step.id).toBeGreaterThanOrEqual(0);
      expect(
        step.evidence.slice(lastWrite + 1).some((e) => e.method === 'GET'),
        step.id,
      ).toBe(true);
    }
    // One PATCH carried all three members.
    const add = run.report.checks.find((c) => c.id === 'lifecycle.group.add-members')!;
    const memberPatch = add.evidence.find((e) => e.method === 'PATCH' && e.url.includes('/Groups/'));
    expect((memberPatch?.requestBody as { Operations: Array<{ value: unknown[] }> }).Operations[0]!.value).toHaveLength(3);
    expect(target.snapshot()).toEqual({ users: [], groups: [] });
  });
});
