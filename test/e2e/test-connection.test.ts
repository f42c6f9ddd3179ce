/** `provsim test-connection` against the embedded target and a misbehaving proxy. */
import { afterEach, describe, expect, it } from 'vitest';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.js';
import { Harness } from '../helpers/harness.js';

let h: Harness;
let proxy: FaultProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
  await h?.stop();
});

describe('provsim test-connection', () => {
  it('succeeds against a compliant target with the right token, probing users and groups with a random GUID', async () => {
    h = await new Harness({ PROVSIM_TOKEN: 'tc-token-123456' }).start('strict', 'tc-token-123456');
    expect(await h.cli(['test-connection', '--target', h.target.url])).toBe(0);
    expect(h.out.stdout).toContain('Test connection succeeded');
    const urls = h.target.requests().map((r) => decodeURIComponent(r.url.replace(/\+/g, ' ')));
    expect(urls[0]).toMatch(/\/Users\?filter=userName eq "[0-9a-f-]{36}"$/);
    expect(urls[1]).toMatch(/\/Groups\?excludedAttributes=members&filter=displayName eq "[0-9a-f-]{36}"$/);
  });

  it('reports bad credentials as the portal would, and stops there', async () => {
    h = await new Harness({ PROVSIM_TOKEN: 'wrong' }).start('tolerant', 'right-token-abcdef');
    expect(await h.cli(['test-connection', '--target', h.target.url])).toBe(1);
    expect(h.out.stdout).toMatch(/✗ GET \/Users\?filter=userName eq "[^"]+" → 401: the target refused the credentials/);
    expect(h.target.requests()).toHaveLength(1);
  });

  it('reports a 404 for an empty filter as the SCIM compliance issue, and an ignored filter as incompatible', async () => {
    h = await new Harness().start();
    proxy = await startFaultProxy(h.target.url, ({ url }) => (url.includes('/Users?') ? { status: 404, body: '{"status":"404"}' } : null));
    expect(await h.cli(['test-connection', '--target', proxy.url, '--json'])).toBe(1);
    const report = JSON.parse(h.out.stdout) as {
      ok: boolean;
      results: Array<{ ok: boolean; status: number; errorCode?: string; verdict: string }>;
    };
    expect(report.ok).toBe(false);
    expect(report.results[0]).toMatchObject({
      ok: false,
      status: 404,
      errorCode: 'SystemForCrossDomainIdentityManagementServiceIncompatible',
    });
    expect(report.results[0]!.verdict).toContain('must return 200 with an empty ListResponse');
    expect(report.results[1]).toMatchObject({ ok: true });
  });
});
