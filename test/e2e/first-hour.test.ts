/**
 * A newcomer's first hour, through the real CLI (main() with argv): a dead server, a wrong or missing token,
 * the README's token placeholder pasted as is, a busy port for `serve`, a dry run that must leave no file.
 * Each failure says what failed and what to try, exits with its code, prints no stack trace and never the
 * token.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/shared/clock.js';
import { startFaultProxy } from '../helpers/fault-proxy.js';
import { CONTOSO, DEFAULT_MAPPING, Harness, sessionFlags } from '../helpers/harness.js';

const TOKEN = 'right-token-5f1c';
let h: Harness;
let blocker: Server | undefined;
afterEach(async () => {
  await h?.stop();
  await new Promise<void>((done) => (blocker ? blocker.close(() => done()) : done()));
  blocker = undefined;
});

/** A loopback port nothing listens on (taken, then freed). */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

/** Simulated time: retry back-offs pass at once. */
const harness = (env: Record<string, string> = {}) => new Harness(env, new ManualClock('2026-05-01T08:00:00Z'));
const sync = (target: string, state: string, ...extra: string[]) => ['sync', ...sessionFlags({ target, state }), ...extra];

function expectNoCrash(out: { stdout: string; stderr: string }): void {
  expect(`${out.stdout}${out.stderr}`).not.toMatch(/This is a bug|internal error|\n\s+at /);
}

describe('a target that cannot be reached', () => {
  it('sync --dry-run: says it could not connect, what to try, what the fixtures alone show; exit 1 and no state file', async () => {
    h = await harness().start();
    const port = await deadPort();
    const code = await h.cli(sync(`http://127.0.0.1:${port}/scim/v2`, h.state, '--dry-run'));
    expect(code).toBe(1);
    expect(h.out.stdout).toContain(`could not connect to 127.0.0.1:${port}: connection refused`);
    expect(h.out.stdout).toContain(
      `try: is the SCIM server running and listening there? Check --target (http://127.0.0.1:${port}/scim/v2)`,
    );
    expect(h.out.stdout).toMatch(/From the fixtures alone .*\n {2}\d+ user\(s\) and \d+ group\(s\); in scope: \d+ user\(s\)/);
    expect(h.out.stdout).toContain('not assigned (NotEffectivelyEntitled)');
    expect(existsSync(h.state)).toBe(false);
    expectNoCrash(h.out);
  });

  it('sync: the cycle summary says what failed and what to try', async () => {
    h = await harness().start();
    const port = await deadPort();
    expect(await h.cli(sync(`http://127.0.0.1:${port}/scim/v2`, h.state))).toBe(1);
    expect(h.out.stdout).toMatch(/initial cycle [0-9a-f]{8}: failed/);
    expect(h.out.stdout).toContain(`✗ could not connect to 127.0.0.1:${port}: connection refused`);
    expectNoCrash(h.out);
  });

  it('provision: the Test connection step fails with the cause, not an internal error', async () => {
    h = await harness().start();
    const port = await deadPort();
    const code = await h.cli([
      'provision',
      '--user',
      'jose.muller@contoso.com',
      '--fixtures',
      CONTOSO,
      '--mapping',
      DEFAULT_MAPPING,
      '--target',
      `http://127.0.0.1:${port}/scim/v2`,
      '--state',
      h.state,
    ]);
    expect(code).toBe(1);
    expect(h.out.stdout).toContain('✗ Test connection: EncounteredQuarantineException');
    expect(h.out.stdout).toContain(`could not connect to 127.0.0.1:${port}: connection refused`);
    expect(h.out.stdout).toContain("Provision on demand: User 'José Müller'");
    expectNoCrash(h.out);
  });

  it('test-connection: names the cause and what to try', async () => {
    h = await harness().start();
    const port = await deadPort();
    expect(await h.cli(['test-connection', '--target', `http://127.0.0.1:${port}/scim/v2`])).toBe(1);
    expect(h.out.stdout).toContain(`could not connect to 127.0.0.1:${port}: connection refused. Try: is the SCIM server running`);
    expectNoCrash(h.out);
  });
});

describe('credentials the target refuses', () => {
  it('sync --dry-run with a wrong token: the refusal, the hint to check the token, never the token', async () => {
    h = await harness({ PROVSIM_TOKEN: 'wrong-token-77aa' }).start('tolerant', TOKEN);
    expect(await h.cli(sync(h.target.url, h.state, '--dry-run'))).toBe(1);
    expect(h.out.stdout).toMatch(/the target refused the credentials: GET \S+\/Users\?filter=\S+ → 401/);
    expect(h.out.stdout).toContain('try: check that PROVSIM_TOKEN (or the --token-file) holds the bearer token this server expects');
    expect(`${h.out.stdout}${h.out.stderr}`).not.toContain('wrong-token-77aa');
    expect(existsSync(h.state)).toBe(false);
    expectNoCrash(h.out);
  });

  it('a server that echoes the token in its 401 body: the explanation quotes the body with the token redacted, in text and in --json', async () => {
    h = await harness({ PROVSIM_TOKEN: 'wrong-token-77aa' }).start('tolerant', TOKEN);
    const proxy = await startFaultProxy(h.target.url, () => ({
      status: 401,
      body: JSON.stringify({
        schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
        status: '401',
        detail: 'bad token: Bearer wrong-token-77aa',
      }),
    }));
    try {
      expect(await h.cli(sync(proxy.url, h.state, '--dry-run'))).toBe(1);
      expect(await h.cli(sync(proxy.url, h.state, '--json'))).toBe(1);
    } finally {
      await proxy.close();
    }
    expect(h.out.stdout).toContain('→ 401: "bad token: Bearer [REDACTED]"');
    expect(JSON.parse(h.out.stdout.slice(h.out.stdout.indexOf('\n{') + 1)).jobFailure.request).toMatchObject({
      status: 401,
      detail: 'bad token: Bearer [REDACTED]',
    });
    expect(`${h.out.stdout}${h.out.stderr}`).not.toContain('wrong-token-77aa');
  });

  it('sync with no token at all: says none was sent and how to set one', async () => {
    h = await harness().start('tolerant', TOKEN);
    expect(await h.cli(sync(h.target.url, h.state))).toBe(1);
    expect(h.out.stdout).toContain('try: no token was sent: set PROVSIM_TOKEN, or pass --token-file FILE');
    expectNoCrash(h.out);
  });

  it('provision with a wrong token: exit 1 with the cause, not an internal error', async () => {
    h = await harness({ PROVSIM_TOKEN: 'wrong-token-77aa' }).start('tolerant', TOKEN);
    const code = await h.cli([
      'provision',
      '--user',
      'jose.muller@contoso.com',
      '--fixtures',
      CONTOSO,
      '--mapping',
      DEFAULT_MAPPING,
      '--target',
      h.target.url,
      '--state',
      h.state,
    ]);
    expect(code).toBe(1);
    expect(h.out.stdout).toContain('the target refused the credentials');
    expect(`${h.out.stdout}${h.out.stderr}`).not.toContain('wrong-token-77aa');
    expectNoCrash(h.out);
  });

  it('watch: each failed cycle says why', async () => {
    h = await harness({ PROVSIM_TOKEN: 'wrong-token-77aa' }).start('tolerant', TOKEN);
    const code = await h.cli([
      'watch',
      '--fixtures',
      CONTOSO,
      '--mapping',
      DEFAULT_MAPPING,
      '--target',
      h.target.url,
      '--state',
      h.state,
      '--max-cycles',
      '1',
    ]);
    expect(code).toBe(1);
    expect(h.out.stdout).toMatch(/initial cycle [0-9a-f]{8}: failed/);
    expect(h.out.stdout).toContain('✗ the target refused the credentials');
    expectNoCrash(h.out);
  });
});

describe('a token that cannot be a bearer token', () => {
  it("the README's placeholder pasted as is: exit 2, nothing sent, says to set the real token", async () => {
    h = await harness({ PROVSIM_TOKEN: '…' }).start();
    expect(await h.cli(sync(h.target.url, h.state))).toBe(2);
    expect(h.out.stderr).toContain(
      "PROVSIM_TOKEN holds the README's placeholder, not a token; set it to the bearer token your SCIM server expects",
    );
    expect(h.target.requests()).toEqual([]);
  });

  it('a token with a space in it: exit 2, where it is, and never the token', async () => {
    h = await harness({ PROVSIM_TOKEN: 'abc def-secret' }).start();
    expect(await h.cli(sync(h.target.url, h.state))).toBe(2);
    expect(h.out.stderr).toContain('PROVSIM_TOKEN holds a space at character 4');
    expect(h.out.stderr).not.toContain('def-secret');
    expect(h.target.requests()).toEqual([]);
  });
});

describe('serve', () => {
  it('on a busy port: exit 2, the port is in use, and what to do', async () => {
    h = await harness().start();
    blocker = createServer();
    await new Promise<void>((done) => blocker!.listen(0, '127.0.0.1', done));
    const { port } = blocker.address() as { port: number };
    expect(await h.cli(['serve', '--port', String(port)])).toBe(2);
    expect(h.out.stderr).toContain(
      `provsim: port ${port} is in use on 127.0.0.1: stop what listens there, or pick another with --port (--port 0 picks a free one)`,
    );
    expectNoCrash(h.out);
  });

  it("--token '' would start an open server: exit 2; --token-file sets the token without showing it in ps", async () => {
    h = await harness().start();
    expect(await h.cli(['serve', '--port', '0', '--token-file', 'no-such-file'])).toBe(2);
    expect(h.out.stderr).toMatch(
      /cannot read --token-file .*no-such-file: no such file; give the file that holds the bearer token, or set PROVSIM_TOKEN/,
    );
    expect(await h.cli(['serve', '--port', '0', '--token', ''])).toBe(2);
    expect(h.out.stderr).toContain('--token is empty, which would start a server that requires no token');
    writeFileSync(join(h.dir, 'serve-token'), 'file-token-8d1e\n');
    const controller = new AbortController();
    const serving = h.cli(['serve', '--port', '0', '--token-file', 'serve-token', '--json'], { signal: controller.signal });
    let url = '';
    for (let i = 0; i < 200 && !url; i++) {
      await new Promise((r) => setTimeout(r, 20));
      url = (/"url":"([^"]+)"/.exec(h.out.stdout) ?? [])[1] ?? '';
    }
    const probe = (token: string) => fetch(`${url}/Users?filter=userName+eq+%22x%22`, { headers: { Authorization: `Bearer ${token}` } });
    expect((await probe('file-token-8d1e')).status).toBe(200);
    expect((await probe('other')).status).toBe(401);
    controller.abort();
    expect(await serving).toBe(0);
    expect(`${h.out.stdout}${h.out.stderr}`).not.toContain('file-token-8d1e');
  });
});

describe('--dry-run writes nothing', () => {
  it('an existing state file is read and left byte for byte as it was', async () => {
    h = await harness().start();
    expect(await h.cli(sync(h.target.url, h.state))).toBe(0);
    const before = readFileSync(h.state);
    const mtime = statSync(h.state).mtimeMs;
    h.out.stdout = '';
    expect(await h.cli(sync(h.target.url, h.state, '--dry-run', '--state', h.state))).toBe(0);
    expect(h.out.stdout).toMatch(/plan \(incremental cycle/);
    expect(readFileSync(h.state).equals(before)).toBe(true);
    expect(statSync(h.state).mtimeMs).toBe(mtime);
    expect(existsSync(join(h.dir, '.provsim'))).toBe(false);
  });
});

describe('a typo in a mapping target', () => {
  it('mappings check and sync: exit 2 with the line, the column and a did-you-mean; nothing sent', async () => {
    h = await harness().start();
    const mapping = join(h.dir, 'mapping.yaml');
    const text = readFileSync(DEFAULT_MAPPING, 'utf8');
    const edited = text.replace('{target: name.givenName, source: givenName}', '{target: name.givnName, source: givenName}');
    expect(edited).not.toBe(text);
    writeFileSync(mapping, edited);
    const line = edited.split('\n').findIndex((l) => l.includes('name.givnName')) + 1;
    const column = edited.split('\n')[line - 1]!.indexOf('givnName') + 1;
    expect(await h.cli(['mappings', 'check', mapping])).toBe(2);
    expect(h.out.stdout + h.out.stderr).toContain(`mapping.yaml:${line}:${column}: error MAPPING_UNKNOWN_TARGET`);
    expect(h.out.stdout + h.out.stderr).toContain('did you mean "givenName"?');
    h.out.stderr = '';
    expect(await h.cli(sync(h.target.url, h.state).map((a) => (a === DEFAULT_MAPPING ? mapping : a)))).toBe(2);
    expect(h.out.stderr).toContain(`mapping.yaml:${line}:${column}: error MAPPING_UNKNOWN_TARGET`);
    expect(h.target.requests()).toEqual([]);
  });
});
