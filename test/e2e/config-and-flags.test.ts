/**
 * `provsim init` and provsim.yaml through the real CLI (main() with argv), and the flags that mean one thing
 * everywhere: `--json` (JSON to stdout), `--quiet`, `--verbose`, `--record`, `--timeout`.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CONTOSO, DEFAULT_MAPPING, Harness } from '../helpers/harness.js';

const TOKEN = 'config-token-7d2e';
let h: Harness;
afterEach(async () => {
  await h?.stop();
});

function expectNoCrash(out: { stdout: string; stderr: string }): void {
  expect(`${out.stdout}${out.stderr}`).not.toMatch(/This is a bug|internal error|\n\s+at /);
}

/** `provsim init` in the harness's folder, pointed at its target. */
async function init(harness: Harness, ...extra: string[]): Promise<number> {
  return harness.cli(['init', '--target', harness.target.url, ...extra]);
}

describe('provsim init', () => {
  it('writes provsim.yaml, a starter tenant and the default mapping; every command then runs without its long flags', async () => {
    h = await new Harness().start();
    expect(await init(h)).toBe(0);
    for (const f of ['provsim.yaml', 'provsim/fixtures/users.yaml', 'provsim/fixtures/groups.yaml', 'provsim/fixtures/assignments.yaml'])
      expect(existsSync(join(h.dir, f)), f).toBe(true);
    expect(readFileSync(join(h.dir, 'provsim/mapping.yaml'), 'utf8')).toBe(readFileSync(DEFAULT_MAPPING, 'utf8'));
    const config = readFileSync(join(h.dir, 'provsim.yaml'), 'utf8');
    expect(config).toContain(`target: ${h.target.url}`);
    expect(config).not.toMatch(/^token:/m);
    expect(h.out.stdout).toContain('provsim sync --dry-run');

    h.out.stdout = '';
    expect(await h.cli(['mappings', 'check'])).toBe(0);
    expect(h.out.stdout).toContain('provsim/mapping.yaml');
    expect(await h.cli(['test-connection'])).toBe(0);
    expect(await h.cli(['sync', '--dry-run'])).toBe(0);
    expect(h.target.snapshot().users).toEqual([]);
    expect(await h.cli(['sync'])).toBe(0);
    // The starter tenant: 4 assigned users, of whom Alan Turing is disabled (never created), one group;
    // Edsger Dijkstra is not assigned.
    const names = h.target
      .snapshot()
      .users.map((u) => u['userName'])
      .sort();
    expect(names).toEqual(['ada.lovelace@example.com', 'grace.hopper@example.com', 'jose.muller@example.com']);
    expect(h.target.snapshot().groups.map((g) => g['displayName'])).toEqual(['Sales']);
    // The state went where the file says, relative to the file.
    expect(existsSync(join(h.dir, '.provsim', 'state.db'))).toBe(true);
    h.out.stdout = '';
    expect(await h.cli(['status'])).toBe(0);
    expect(h.out.stdout).toContain('Linked: 3 users, 1 groups');
    expect(await h.cli(['logs', '--status', 'Failure'])).toBe(0);
    expectNoCrash(h.out);
  });

  it('found from a subfolder, and a flag on the command line wins over the file', async () => {
    h = await new Harness().start();
    expect(await init(h)).toBe(0);
    const sub = join(h.dir, 'src', 'deep');
    mkdirSync(sub, { recursive: true });
    expect(await h.cli(['sync', '--dry-run'], { cwd: sub })).toBe(0);
    // --fixtures on the command line: the contoso tenant, not the starter one.
    h.out.stdout = '';
    expect(await h.cli(['sync', '--dry-run', '--fixtures', CONTOSO], { cwd: sub })).toBe(0);
    expect(h.out.stdout).toContain('Laura Chen');
    expect(h.out.stdout).not.toContain('Ada Lovelace');
  });

  it('refuses to overwrite without --force (exit 2, nothing written), and overwrites with it', async () => {
    h = await new Harness().start();
    writeFileSync(join(h.dir, 'provsim.yaml'), '# mine\n');
    expect(await init(h)).toBe(2);
    expect(h.out.stderr).toContain('provsim init would overwrite provsim.yaml');
    expect(h.out.stderr).toContain('--force');
    expect(readFileSync(join(h.dir, 'provsim.yaml'), 'utf8')).toBe('# mine\n');
    expect(existsSync(join(h.dir, 'provsim'))).toBe(false);
    expect(await init(h, '--force')).toBe(0);
    expect(readFileSync(join(h.dir, 'provsim.yaml'), 'utf8')).toContain(`target: ${h.target.url}`);
  });
});

describe('provsim.yaml', () => {
  it('a broken file: exit 2 with file:line:col and a did-you-mean, nothing sent; commands that need none of it still run', async () => {
    h = await new Harness().start();
    writeFileSync(join(h.dir, 'provsim.yaml'), `target: ${h.target.url}\nfixture: provsim/fixtures\n`);
    expect(await h.cli(['sync', '--dry-run'])).toBe(2);
    expect(h.out.stderr).toContain('provsim.yaml:2:1: error CONFIG_UNKNOWN_KEY: unknown key `fixture`');
    expect(h.out.stderr).toContain('did you mean `fixtures`?');
    expect(h.target.requests()).toEqual([]);
    expect(await h.cli(['quirks'])).toBe(0);
    expectNoCrash(h.out);
  });

  it('the token: tokenFile is read relative to the file; PROVSIM_TOKEN wins over it; neither is ever printed', async () => {
    h = await new Harness({ PROVSIM_TOKEN: TOKEN }).start('tolerant', TOKEN);
    writeFileSync(join(h.dir, 'wrong-token'), 'wrong-token-0000\n');
    writeFileSync(
      join(h.dir, 'provsim.yaml'),
      `target: ${h.target.url}\ntokenFile: wrong-token\nfixtures: ${CONTOSO}\nmapping: ${DEFAULT_MAPPING}\nstate: state.db\n`,
    );
    // The environment's token is the right one: it wins over the file's.
    expect(await h.cli(['test-connection'])).toBe(0);
    // Without it, the file's (wrong) token is sent: a 401.
    h.env['PROVSIM_TOKEN'] = undefined;
    expect(await h.cli(['test-connection'])).toBe(1);
    expect(h.out.stdout).toContain('401');
    expect(`${h.out.stdout}${h.out.stderr}`).not.toContain(TOKEN);
    expect(`${h.out.stdout}${h.out.stderr}`).not.toContain('wrong-token-0000');
  });

  it('--config names another file', async () => {
    h = await new Harness().start();
    writeFileSync(join(h.dir, 'other.yaml'), `target: ${h.target.url}\nfixtures: ${CONTOSO}\nmapping: ${DEFAULT_MAPPING}\nstate: s.db\n`);
    expect(await h.cli(['sync', '--dry-run', '--config', 'other.yaml'])).toBe(0);
    expect(h.out.stdout).toContain('plan (initial cycle');
    expect(await h.cli(['sync', '--dry-run', '--config', 'missing.yaml'])).toBe(2);
    expect(h.out.stderr).toContain('--config missing.yaml: no such file');
  });
});

describe('flags that mean one thing everywhere', () => {
  const session = (h: Harness) => h.flags();

  it('--json prints JSON (and only JSON) to stdout: sync, watch, provision, test-connection, conformance, restart, init', async () => {
    h = await new Harness().start();
    const json = async (args: string[], code = 0): Promise<unknown> => {
      h.out.stdout = '';
      expect(await h.cli(args), args.join(' ')).toBe(code);
      return JSON.parse(h.out.stdout) as unknown;
    };
    expect(await json(['test-connection', '--target', h.target.url, '--json'])).toMatchObject({ ok: true });
    expect(await json(['sync', ...session(h), '--json'])).toMatchObject({ kind: 'initial', status: 'succeeded' });
    expect(await json(['provision', ...session(h), '--user', 'jose.muller@contoso.com', '--json'])).toMatchObject({ jobFailure: null });
    // watch: one JSON object per line, one line per cycle.
    h.out.stdout = '';
    expect(await h.cli(['watch', ...session(h), '--max-cycles', '2', '--interval', '1s', '--json'])).toBe(0);
    const lines = h.out.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines.map((l) => (JSON.parse(l) as { kind: string }).kind)).toEqual(['incremental', 'incremental']);
    expect(await json(['restart', '--state', h.state, '--json'])).toMatchObject({ scopes: ['quarantine', 'watermark', 'escrows'] });
    const report = (await json(['conformance', '--target', h.target.url, '--only', 'protocol.paging', '--json'])) as {
      checks: Array<{ id: string; status: string }>;
    };
    expect(report.checks.find((c) => c.id === 'protocol.paging')?.status).toBe('passed');
    // The progress lines of a --json run went to stderr.
    expect(h.out.stderr).toContain('protocol.paging');
    const initDir = join(h.dir, 'fresh');
    expect(await json(['init', '--dir', initDir, '--json'])).toMatchObject({ written: expect.arrayContaining(['provsim.yaml']) });
  });

  it('conformance --json FILE (the old flag) is a usage error that names --json-file', async () => {
    h = await new Harness().start();
    expect(await h.cli(['conformance', '--target', h.target.url, '--json', 'report.json'])).toBe(2);
    expect(h.out.stderr).toContain('use --json-file report.json');
    expect(h.target.requests()).toEqual([]);
    expect(await h.cli(['conformance', '--target', h.target.url, '--only', 'protocol.paging', '--json-file', 'r/report.json'])).toBe(0);
    expect((JSON.parse(readFileSync(join(h.dir, 'r/report.json'), 'utf8')) as { checks: unknown[] }).checks.length).toBeGreaterThan(10);
  });

  it('--quiet prints nothing when all went well, and the failure when not; --quiet with --verbose is a usage error', async () => {
    h = await new Harness().start();
    for (const args of [
      ['test-connection', '--target', h.target.url, '--quiet'],
      ['provision', ...session(h), '--user', 'jose.muller@contoso.com', '-q'],
      ['watch', ...session(h), '--max-cycles', '1', '--quiet'],
      ['conformance', '--target', h.target.url, '--only', 'protocol.paging', '--quiet'],
    ]) {
      h.out.stdout = '';
      h.out.stderr = '';
      expect(await h.cli(args), args.join(' ')).toBe(0);
      expect(`${h.out.stdout}${h.out.stderr}`, args.join(' ')).toBe('');
    }
    // A failing one still says why.
    expect(await h.cli(['test-connection', '--target', 'http://127.0.0.1:1/scim/v2', '--quiet'])).toBe(1);
    expect(h.out.stdout).toContain('could not connect to 127.0.0.1:1');
    expect(await h.cli(['test-connection', '--target', h.target.url, '--quiet', '--verbose'])).toBe(2);
    expect(h.out.stderr).toContain('--quiet and --verbose contradict each other');
  });

  it('--verbose prints each request, --record writes each exchange with the token redacted, in commands that send requests', async () => {
    h = await new Harness({ PROVSIM_TOKEN: TOKEN }).start('tolerant', TOKEN);
    h.out.stderr = '';
    expect(await h.cli(['test-connection', '--target', h.target.url, '--verbose', '--record', 'tc.jsonl'])).toBe(0);
    expect(h.out.stderr).toMatch(/→ GET http:\/\/127\.0\.0\.1:\d+\/scim\/v2\/Users\?filter=userName\+eq\+%22[0-9a-f-]+%22 200 \(\d+ ms\)/);
    const exchanges = readFileSync(join(h.dir, 'tc.jsonl'), 'utf8').trim().split('\n');
    expect(exchanges).toHaveLength(2);
    expect(JSON.parse(exchanges[0]!)).toMatchObject({ request: { method: 'GET', headers: { Authorization: 'Bearer [REDACTED]' } } });

    h.out.stderr = '';
    expect(await h.cli(['provision', ...session(h), '--user', 'jose.muller@contoso.com', '-v', '--record', 'p.jsonl'])).toBe(0);
    expect(h.out.stderr).toMatch(/→ POST http:\/\/127\.0\.0\.1:\d+\/scim\/v2\/Users 201/);
    expect(readFileSync(join(h.dir, 'p.jsonl'), 'utf8')).toContain('"method":"POST"');

    h.out.stderr = '';
    expect(await h.cli(['conformance', '--target', h.target.url, '--only', 'protocol.paging', '-v', '--record', 'c.jsonl'])).toBe(0);
    expect(h.out.stderr).toMatch(/→ POST http:\/\/127\.0\.0\.1:\d+\/scim\/v2\/Users 201/);
    expect(readFileSync(join(h.dir, 'c.jsonl'), 'utf8').trim().split('\n').length).toBeGreaterThan(3);

    h.out.stderr = '';
    expect(await h.cli(['watch', ...session(h), '--max-cycles', '1', '-v', '--record', 'w.jsonl'])).toBe(0);
    expect(h.out.stderr).toMatch(/→ GET http:\/\/127\.0\.0\.1:\d+\/scim\/v2\/Users/);
    for (const f of ['tc.jsonl', 'p.jsonl', 'c.jsonl', 'w.jsonl']) expect(readFileSync(join(h.dir, f), 'utf8')).not.toContain(TOKEN);
    expect(`${h.out.stdout}${h.out.stderr}`).not.toContain(TOKEN);
  });

  it('--timeout exists wherever requests are sent, and is checked', async () => {
    h = await new Harness().start();
    for (const command of [
      ['sync', ...session(h)],
      ['watch', ...session(h)],
      ['provision', ...session(h), '--user', 'x'],
      ['test-connection', '--target', h.target.url],
      ['conformance', '--target', h.target.url],
    ]) {
      h.out.stderr = '';
      expect(await h.cli([...command, '--timeout', '0']), command[0]).toBe(2);
      expect(h.out.stderr).toContain('--timeout must be an integer ≥ 1, got "0"');
    }
    expect(h.target.requests()).toEqual([]);
  });
});
