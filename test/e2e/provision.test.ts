/** Provision on demand (spec §5.7) against the embedded target. */
import { afterEach, describe, expect, it } from 'vitest';
import { provisionCommand } from '../../src/cli/commands/provision.js';
import { CONTOSO, DEFAULT_MAPPING, Harness } from '../helpers/harness.js';

let h: Harness;
afterEach(async () => {
  await h?.stop();
});

const provision = (who: { user?: string; group?: string }, json = false) =>
  provisionCommand({ fixtures: CONTOSO, mapping: DEFAULT_MAPPING, target: h.target.url, state: h.state, json, ...who }, h.deps());

describe('provsim provision', () => {
  it('creates one user with the portal steps, and a second run finds it linked and unchanged', async () => {
    h = await new Harness().start();
    const first = await provision({ user: 'jose.muller@contoso.com' });
    expect(first.exitCode).toBe(0);
    expect(h.target.snapshot().users.map((u) => u['userName'])).toEqual(['jose.muller@contoso.com']);
    const steps = first.reports[0]!.steps;
    expect(steps.map((s) => s.step)).toEqual(['Import', 'Determine if in scope', 'Match', 'Perform action']);
    expect(steps[0]!.details).toMatchObject({
      objectId: '4bdf0811-4fbf-4c96-8327-133b70676e71',
      department: 'Finance',
      IsSoftDeleted: 'False',
    });
    expect(steps[2]!.details).toMatchObject({ queries: ['userName eq "jose.muller@contoso.com" → 0 results'] });
    expect(steps[3]!.details).toMatchObject({ action: 'Create', status: 'Success' });
    // The manager (Laura Chen) is not provisioned: left out, and said so.
    expect(h.out.stdout).toContain('manager: the manager Laura Chen is not provisioned in the target');
    expect(h.writes().filter((r) => r.method === 'PATCH')).toEqual([]);

    const again = await provision({ user: '4bdf0811-4fbf-4c96-8327-133b70676e71' });
    expect(again.reports[0]!.steps[2]!.details).toMatchObject({ result: expect.stringMatching(/^linked to target .+ \(read by id\)$/) });
    expect(again.reports[0]!.steps[3]!.details).toMatchObject({ action: 'Other', status: 'Skipped' });
    expect(h.target.snapshot().users).toHaveLength(1);
  });

  it('explains a scoping miss clause by clause and sends no write', async () => {
    h = await new Harness().start();
    const result = await provision({ user: 'samuel.lee@contoso.com' }, true);
    expect(result.exitCode).toBe(0);
    const out = JSON.parse(h.out.stdout) as {
      reports: Array<{ steps: Array<{ step: string; status: string; details: Record<string, unknown> }> }>;
    };
    const scope = out.reports[0]!.steps[1]!;
    expect(scope).toMatchObject({ status: 'skipped', details: { Assigned: 'False', IsSoftDeleted: 'True' } });
    expect(String(scope.details['ScopeEvaluationResult'])).toContain('NotEffectivelyEntitled');
    expect(h.writes()).toEqual([]);
  });

  it('a group brings up to 5 of its members; the on-demand run does not count as a completed cycle', async () => {
    h = await new Harness().start();
    const result = await provision({ group: 'sales team' });
    expect(result.exitCode).toBe(0);
    const sales = h.groupByName('Sales Team')!;
    // Five members in the fixture; Peter Novak is disabled and never provisioned, so four are added.
    expect((sales['members'] as unknown[]).length).toBe(4);
    expect(h.target.snapshot().users).toHaveLength(4);
    const sync = await h.sync(CONTOSO);
    expect(sync.cycle?.kind).toBe('initial');
    // 23 users and 2 groups in scope, 4 users and 1 group already there: 20 creates.
    expect(sync.cycle?.log.filter((e) => e.provisioningAction === 'Create').length).toBe(25 - 5);
  });

  it('an unknown user is a usage error with a did-you-mean, and nothing is sent', async () => {
    h = await new Harness().start();
    expect(
      await h.cli([
        'provision',
        '--fixtures',
        CONTOSO,
        '--mapping',
        DEFAULT_MAPPING,
        '--target',
        h.target.url,
        '--state',
        h.state,
        '--user',
        'jose.mueller@contoso.com',
      ]),
    ).toBe(2);
    expect(h.out.stderr).toContain('did you mean jose.muller@contoso.com?');
    expect(h.target.requests()).toEqual([]);
  });
});

describe('provision on demand and the flag dialect', () => {
  it('ignores ?aadOptscim062020 as Entra does (legacy shapes), unless --dialect says otherwise', async () => {
    h = await new Harness().start();
    await provisionCommand(
      { fixtures: CONTOSO, mapping: DEFAULT_MAPPING, target: `${h.target.url}?aadOptscim062020`, state: h.state, group: 'IT Admins' },
      h.deps(),
    );
    expect(h.out.stderr).toContain('ignores ?aadOptscim062020');
    const memberAdd = h.writes().find((r) => r.method === 'PATCH' && r.url.includes('/Groups/'));
    expect(memberAdd?.body).toMatchObject({ Operations: [{ op: 'Add', path: 'members' }] });
  });
});
