/**
 * Cleanup holds whatever happens: an interrupt (Ctrl-C) in the middle of the lifecycle, and a POST whose
 * response was lost (the id is unknown; the object is found again by its run-unique name).
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../src/scim/http.js';
import { startTarget, type RunningTarget } from '../../src/scim-server/index.js';
import { removeTempDirs, runCli, startProxy, type TestProxy } from './helpers.js';

const TOKEN = 'cleanup-token-99aa88bb';
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

describe('cleanup', () => {
  it('Ctrl-C during the lifecycle: the cycle stops, the rest is skipped, everything created is deleted, exit 130', async () => {
    target = await startTarget({ port: 0, profile: 'tolerant', token: TOKEN });
    const controller = new AbortController();
    const http = createHttpClient();
    // "Ctrl-C" as soon as the engine's first group PATCH (the members) has been answered.
    http.interceptors.response.use((response) => {
      if (response.config.method === 'patch' && String(response.config.url).includes('/Groups/'))
        controller.abort(new Error('interrupted'));
      return response;
    });
    const run = await runCli(target.url, {}, env, { http, signal: controller.signal });
    expect(run.exitCode).toBe(130);
    expect(run.report.interrupted).toBe(true);
    expect(run.report.ok).toBe(false);
    const status = Object.fromEntries(run.report.checks.map((c) => [c.id, c.status]));
    expect(status['lifecycle.manager.remove']).toBe('passed');
    expect(status['lifecycle.group.create']).not.toBe('passed'); // its cycle was cut short
    expect(status['lifecycle.user.hard-delete']).toBe('skipped');
    expect(status['protocol.paging']).toBe('skipped');
    expect(run.report.checks.find((c) => c.id === 'protocol.paging')!.message).toBe('not run: the run was interrupted');
    expect(run.stdout).toContain('Conformance INTERRUPTED');
    expect(run.html).toContain('INTERRUPTED');
    // Users and the group were created before the interrupt; none is left.
    expect(run.report.cleanup.deleted.map((d) => d.resource)).toContain('Groups');
    expect(run.report.cleanup.leftovers).toEqual([]);
    expect(target.snapshot()).toEqual({ users: [], groups: [] });
  });

  it('a POST whose response was lost: the probe is inconclusive, and cleanup finds the object by its name', async () => {
    target = await startTarget({ port: 0, profile: 'tolerant', token: TOKEN });
    proxy = await startProxy(target.url, { loseResponse: (method, _url, body) => method === 'POST' && body.includes('-q-bool-legacy@') });
    const run = await runCli(proxy.url, { only: ['quirk.string-booleans', 'protocol.create-user'] }, env);
    expect(proxy.lost).toHaveLength(1);
    const probe = run.report.checks.find((c) => c.id === 'quirk.string-booleans.legacy')!;
    expect(probe).toMatchObject({ status: 'failed', verdict: 'inconclusive' });
    expect(probe.message).toMatch(/^inconclusive: setting the probe up failed/);
    expect(run.exitCode).toBe(1);
    // The target did create it; only the name sweep could know its id.
    const swept = run.report.cleanup.deleted.filter((d) => d.name?.includes('-q-bool-legacy@'));
    expect(swept).toHaveLength(1);
    expect(run.report.cleanup.leftovers).toEqual([]);
    expect(target.snapshot()).toEqual({ users: [], groups: [] });
  });
});
