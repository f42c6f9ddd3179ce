/**
 * The connection check: a base URL where every request gets 404 (--target at the host instead of its
 * SCIM path) is one clear failure naming what was tried and where SCIM usually lives, and nothing else is
 * sent; a 404 to the filter alone is not a wrong URL, and the checks that follow report it.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startTarget, type RunningTarget } from '../../src/scim-server/index.js';
import { startFakeScimServer, type FakeScimServer } from './fake-scim-server.js';
import { failedIds, removeTempDirs, runCli, startProxy, xmlElements, xmlProblems, type TestProxy } from './helpers.js';

const TOKEN = 'connection-token-5e6f7a';
const env = { PROVSIM_TOKEN: TOKEN };

let target: RunningTarget | undefined;
let fake: FakeScimServer | undefined;
let proxy: TestProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  await fake?.close();
  await target?.close();
  proxy = undefined;
  fake = undefined;
  target = undefined;
});
afterAll(removeTempDirs);

describe('the connection check', () => {
  it('a server that answers 404 to everything: one failure saying the base URL is wrong, what was tried, where SCIM usually lives; exit 1', async () => {
    fake = await startFakeScimServer({ notFoundEverywhere: true });
    const base = fake.url.replace(/\/scim\/v2$/, '/api');
    const run = await runCli(base, {}, env);
    expect(run.exitCode).toBe(1);
    expect(failedIds(run.report)).toEqual(['protocol.connection']);
    const message = run.report.checks.find((c) => c.id === 'protocol.connection')!.message;
    expect(message).toMatch(
      new RegExp(
        `^wrong base URL: every request under ${escape(base)} got 404 \\(GET ${escape(base)}/Users\\?filter=userName\\+eq\\+%22[0-9a-f-]+%22 → 404; GET ${escape(base)}/ServiceProviderConfig → 404; GET ${escape(base)}/Users → 404\\)`,
      ),
    );
    expect(message).toContain('Check the base path of --target: SCIM servers usually live under /scim/v2');
    expect(message).not.toContain('a filter that matches nothing');
    expect(run.report.aborted).toBe(message);
    expect(
      new Set(
        run.report.checks
          .filter((c) => c.id !== 'protocol.connection')
          .map((c) => [c.status, c.message.startsWith('not run: wrong base URL')].join()),
      ),
    ).toEqual(new Set(['skipped,true']));
    // The three probes and the two places SCIM usually lives, nothing more.
    expect(fake.requests.map((r) => `${r.method} ${r.url.split('?')[0]}`)).toEqual([
      'GET /api/Users',
      'GET /api/ServiceProviderConfig',
      'GET /api/Users',
      'GET /api/scim/v2/ServiceProviderConfig',
      'GET /scim/v2/ServiceProviderConfig',
    ]);
    expect(run.stdout).toContain('Conformance NOT RUN: wrong base URL');
    expect(xmlProblems(run.junit)).toEqual([]);
    expect(xmlElements(run.junit, 'failure')).toEqual([]);
    expect(
      xmlElements(run.junit, 'error')
        .filter((e) => e['type'] === 'connection')
        .map((e) => e['message']),
    ).toEqual([message]);
    expect(xmlElements(run.junit, 'testsuites')[0]).toMatchObject({ failures: '0', errors: String(run.report.checks.length) });
  });

  it('the embedded target with its base path left off: the hint names the URL that answers', async () => {
    target = await startTarget({ port: 0, profile: 'tolerant', token: TOKEN });
    const host = target.url.replace(/\/scim\/v2$/, '');
    const run = await runCli(host, {}, env);
    expect(run.exitCode).toBe(1);
    expect(run.report.aborted).toMatch(/^wrong base URL: every request under http:\/\/127\.0\.0\.1:\d+ got 404/);
    expect(run.report.aborted).toContain(`; GET ${target.url}/ServiceProviderConfig answers 200, so try --target ${target.url}`);
    expect(target.requests().every((r) => r.method === 'GET')).toBe(true);
    expect(target.requests()).toHaveLength(4);
    expect(target.snapshot()).toEqual({ users: [], groups: [] });
  });

  it('a 404 to the filter alone is not a wrong URL: the run goes on and the filter check reports it', async () => {
    target = await startTarget({ port: 0, profile: 'tolerant', token: TOKEN });
    const notFound = {
      status: 404,
      body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '404', detail: 'no such user' },
    };
    proxy = await startProxy(target.url, {
      answer: (method, url) => (method === 'GET' && url.includes('/Users?filter=') ? notFound : null),
    });
    const run = await runCli(proxy.url, { only: ['protocol.filter-non-existing'] }, env);
    expect(run.report.aborted).toBeNull();
    expect(run.report.checks.find((c) => c.id === 'protocol.connection')).toMatchObject({
      status: 'passed',
      message: expect.stringContaining('GET /ServiceProviderConfig answered 200'),
    });
    expect(failedIds(run.report)).toEqual(['protocol.filter-non-existing']);
    expect(run.report.checks.find((c) => c.id === 'protocol.filter-non-existing')!.message).toContain(
      'answered 404, expected 200 with an empty ListResponse',
    );
    expect(run.exitCode).toBe(1);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
