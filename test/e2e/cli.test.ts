/**
 * The CLI as a user runs it (main() with argv): exit codes, diagnostics before any request, and the
 * bearer token never leaking into output, logs, JSON or the state file.
 */
import { cpSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CONTOSO, DEFAULT_MAPPING, Harness, ROOT as ROOT_DIR } from '../helpers/harness.js';

let h: Harness;
afterEach(async () => {
  await h?.stop();
});

/** A copy of a fixture tenant with one file edited; returns the dir and the 1-based line of `needle`. */
function editedCopy(h: Harness, file: string, from: string, to: string): { dir: string; line: number } {
  const dir = join(h.dir, 'tenant');
  cpSync(CONTOSO, dir, { recursive: true });
  const path = join(dir, file);
  const text = readFileSync(path, 'utf8');
  expect(text).toContain(from);
  const edited = text.replace(from, to);
  writeFileSync(path, edited);
  return { dir, line: edited.slice(0, edited.indexOf(to)).split('\n').length };
}

describe('bad input: exit 2 with file:line:col, before any request', () => {
  it('an unknown key in users.yaml, with a did-you-mean', async () => {
    h = await new Harness().start();
    const { dir, line } = editedCopy(h, 'users.yaml', '  surname: Chen', '  surName: Chen');
    const code = await h.cli(['sync', '--fixtures', dir, '--mapping', DEFAULT_MAPPING, '--target', h.target.url, '--state', h.state]);
    expect(code).toBe(2);
    expect(h.out.stderr).toContain(`users.yaml:${line}:3: error FIXTURE_UNKNOWN_KEY`);
    expect(h.out.stderr).toMatch(/surname/);
    expect(h.out.stderr).toContain('nothing was sent');
    expect(h.target.requests()).toEqual([]);
  });

  it('a manager that resolves to nothing', async () => {
    h = await new Harness().start();
    const { dir, line } = editedCopy(h, 'users.yaml', 'manager: laura.chen@contoso.com', 'manager: nobody@contoso.com');
    expect(await h.cli(['sync', '--fixtures', dir, '--mapping', DEFAULT_MAPPING, '--target', h.target.url, '--state', h.state])).toBe(2);
    expect(h.out.stderr).toMatch(new RegExp(`users\\.yaml:${line}:\\d+: error FIXTURE_UNRESOLVED_REFERENCE`));
    expect(h.target.requests()).toEqual([]);
  });

  it('an expression with a misspelt function points at the column inside the mapping file', async () => {
    h = await new Harness().start();
    const mapping = join(h.dir, 'mapping.yaml');
    const text = readFileSync(DEFAULT_MAPPING, 'utf8');
    const edited = text.replace('Join(" ", [givenName], [surname])', 'Jion(" ", [givenName], [surname])');
    expect(edited).not.toBe(text);
    writeFileSync(mapping, edited);
    const lineText = edited.split('\n').findIndex((l) => l.includes('Jion(')) + 1;
    const column = edited.split('\n')[lineText - 1]!.indexOf('Jion(') + 1;
    expect(await h.cli(['sync', '--fixtures', CONTOSO, '--mapping', mapping, '--target', h.target.url, '--state', h.state])).toBe(2);
    expect(h.out.stderr).toContain(`mapping.yaml:${lineText}:${column}: error EXPR_UNKNOWN_FUNCTION`);
    expect(h.out.stderr).toContain('Join');
    expect(h.target.requests()).toEqual([]);
  });

  it('usage errors: missing option, plain http to a remote host, unknown dialect', async () => {
    h = await new Harness().start();
    expect(await h.cli(['sync', '--fixtures', CONTOSO, '--mapping', DEFAULT_MAPPING])).toBe(2);
    // Required unless provsim.yaml sets it: the message names both places, and `provsim init`.
    expect(h.out.stderr).toContain('missing --target');
    expect(h.out.stderr).toContain('`target: http://127.0.0.1:8080/scim/v2` in provsim.yaml; `provsim init` writes a starter provsim.yaml');
    expect(
      await h.cli([
        'sync',
        '--fixtures',
        CONTOSO,
        '--mapping',
        DEFAULT_MAPPING,
        '--target',
        'http://scim.example.com/scim',
        '--state',
        h.state,
      ]),
    ).toBe(2);
    expect(h.out.stderr).toContain('Entra only talks HTTPS');
    expect(await h.cli(['sync', '--fixtures', CONTOSO, '--mapping', DEFAULT_MAPPING, '--target', h.target.url, '--dialect', 'v3'])).toBe(2);
    expect(await h.cli(['nonsense'])).toBe(2);
    expect(h.target.requests()).toEqual([]);
  });
});

describe('secrets', () => {
  const TOKEN = 'tok-8f2c1e0b9d7a4c3e5f6a7b8c9d0e1f2a';

  it('the token reaches the server but never the output, JSON, logs or state', async () => {
    h = await new Harness({ PROVSIM_TOKEN: TOKEN }).start('strict', TOKEN);
    // strict: some requests fail, so error paths (with SCIM error bodies) are exercised too.
    const code = await h.cli([
      'sync',
      '--fixtures',
      CONTOSO,
      '--mapping',
      DEFAULT_MAPPING,
      '--target',
      h.target.url,
      '--state',
      h.state,
      '--json',
    ]);
    expect(code).toBe(1);
    expect(h.target.requests().length).toBeGreaterThan(10);
    // --full: the failed objects are escrowed for +6 h; a new initial cycle retries them now (error paths again, verbose).
    expect(
      await h.cli([
        'sync',
        '--fixtures',
        CONTOSO,
        '--mapping',
        DEFAULT_MAPPING,
        '--target',
        h.target.url,
        '--state',
        h.state,
        '--verbose',
        '--full',
      ]),
    ).toBe(1);
    expect(await h.cli(['logs', '--state', h.state, '--json'])).toBe(0);
    expect(await h.cli(['logs', '--state', h.state])).toBe(0);
    const everything = h.out.stdout + h.out.stderr;
    expect(everything.length).toBeGreaterThan(1000);
    expect(everything).not.toContain(TOKEN);
    for (const f of readdirSync(h.dir).filter((f) => f.startsWith('state.db'))) {
      expect(readFileSync(join(h.dir, f)).includes(TOKEN)).toBe(false);
    }
  });

  it('--record writes every exchange as JSON lines, with the token redacted', async () => {
    h = await new Harness({ PROVSIM_TOKEN: TOKEN }).start('strict', TOKEN);
    const file = join(h.dir, 'out', 'transcript.jsonl');
    expect(
      await h.cli([
        'sync',
        '--fixtures',
        CONTOSO,
        '--mapping',
        DEFAULT_MAPPING,
        '--target',
        h.target.url,
        '--state',
        h.state,
        '--record',
        file,
      ]),
    ).toBe(1);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(TOKEN);
    const lines = text
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as {
            request: { method: string; url: string; headers: Record<string, string>; body: unknown };
            response: { status: number; body: unknown } | null;
            durationMs: number;
          },
      );
    expect(lines).toHaveLength(h.target.requests().length);
    expect(lines[0]!.request).toMatchObject({ method: 'GET', headers: { Authorization: 'Bearer [REDACTED]' } });
    const failed = lines.find((l) => l.response?.status === 400)!;
    expect(failed.request.method).toBe('PATCH');
    expect(failed.request.body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'] });
    expect(failed.response!.body).toMatchObject({ status: '400', scimType: expect.any(String) });
  });

  it('a wrong token is a job-level failure (exit 1, quarantine reason), without echoing either token', async () => {
    h = await new Harness({ PROVSIM_TOKEN: 'wrong-token-123456789' }).start('tolerant', TOKEN);
    const code = await h.cli(['sync', '--fixtures', CONTOSO, '--mapping', DEFAULT_MAPPING, '--target', h.target.url, '--state', h.state]);
    expect(code).toBe(1);
    expect(h.out.stdout).toContain('EncounteredQuarantineException');
    expect(h.out.stdout).toContain('401');
    expect(h.out.stdout + h.out.stderr).not.toContain('wrong-token-123456789');
    expect(h.target.requests()).toHaveLength(1);
  });

  it('--token-file is read and trimmed', async () => {
    h = await new Harness({}).start('tolerant', TOKEN);
    const file = join(h.dir, 'token');
    writeFileSync(file, `${TOKEN}\n`);
    expect(
      await h.cli([
        'sync',
        '--fixtures',
        CONTOSO,
        '--mapping',
        DEFAULT_MAPPING,
        '--target',
        h.target.url,
        '--state',
        h.state,
        '--token-file',
        file,
      ]),
    ).toBe(0);
    expect(h.out.stdout + h.out.stderr).not.toContain(TOKEN);
  });
});

describe('provsim logs', () => {
  it('filters the stored log by status, action, user and cycle', async () => {
    h = await new Harness().start();
    expect(await h.cli(['sync', '--fixtures', CONTOSO, '--mapping', DEFAULT_MAPPING, '--target', h.target.url, '--state', h.state])).toBe(
      0,
    );
    h.out.stdout = '';
    expect(await h.cli(['logs', '--state', h.state, '--cycle', 'last', '--action', 'Create', '--user', 'müller', '--json'])).toBe(0);
    const entries = JSON.parse(h.out.stdout) as Array<{
      provisioningAction: string;
      sourceIdentity: { displayName: string };
      targetIdentity: { id: string };
    }>;
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ provisioningAction: 'Create', sourceIdentity: { displayName: 'José Müller' } });
    expect(entries[0]!.targetIdentity.id).toBe(h.userByName('jose.muller@contoso.com')!['id']);
    h.out.stdout = '';
    expect(await h.cli(['logs', '--state', h.state, '--status', 'Skipped'])).toBe(0);
    expect(h.out.stdout).toContain('Samuel Lee');
    expect(h.out.stdout).toMatch(/Samuel Lee.*NotEffectivelyEntitled/);
    expect(await h.cli(['logs', '--state', h.state, '--status', 'Broken'])).toBe(2);
    h.out.stdout = '';
    expect(
      await h.cli([
        'logs',
        '--state',
        h.state,
        '--jsonpath',
        '$[?(@.provisioningAction=="Create" && @.sourceIdentity.type=="Group")].sourceIdentity.displayName',
      ]),
    ).toBe(0);
    expect((JSON.parse(h.out.stdout) as string[]).sort()).toEqual(['IT Admins', 'Sales Team']);
    expect(await h.cli(['logs', '--state', h.state, '--jsonpath', '$[?(@.x =='])).toBe(2);
    h.out.stdout = '';
    expect(await h.cli(['logs', '--state', h.state, '--csv', '--action', 'Create', '--user', "O'Connor"])).toBe(0);
    const rows = h.out.stdout.trim().split('\r\n');
    expect(rows[0]).toBe(
      'activityDateTime,cycleId,changeId,action,status,sourceType,sourceId,displayName,targetId,errorCode,errorReason,modifiedProperties',
    );
    expect(rows).toHaveLength(2);
    expect(rows[1]).toContain(",Create,Success,User,a2171ac5-de2c-4775-91c3-412bf52b3135,Siobhán O'Connor,");
    h.out.stdout = '';
    expect(await h.cli(['logs', '--state', h.state, '--since', '2999-01-01', '--json'])).toBe(0);
    expect(JSON.parse(h.out.stdout)).toEqual([]);
    expect(await h.cli(['logs', '--state', h.state, '--since', 'yesterday'])).toBe(2);
  });
});

describe('provsim serve', () => {
  it('serves the embedded target until interrupted, and sync works against it with a token', async () => {
    h = new Harness({ PROVSIM_TOKEN: 'serve-token-0123456789' });
    const controller = new AbortController();
    const serving = h.cli(['serve', '--port', '0', '--profile', 'strict'], { signal: controller.signal });
    // main() runs serve with the harness deps; wait for its "listening on" line.
    let url = '';
    for (let i = 0; i < 100 && !url; i++) {
      await new Promise((r) => setTimeout(r, 20));
      url = /listening on (\S+)/.exec(h.out.stderr)?.[1] ?? '';
    }
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/scim\/v2$/);
    expect(h.out.stderr).toContain('strict profile');
    expect(h.out.stderr).toContain('bearer token required');
    expect(h.out.stderr).not.toContain('serve-token-0123456789');
    const probe = await fetch(`${url}/Users?filter=userName+eq+%22x%22`, { headers: { Authorization: 'Bearer serve-token-0123456789' } });
    expect(probe.status).toBe(200);
    expect((await fetch(`${url}/Users`)).status).toBe(401);
    controller.abort();
    expect(await serving).toBe(0);
    await expect(fetch(`${url}/Users`)).rejects.toThrow();
  });
});

describe('provsim mappings', () => {
  it('import writes a mapping that sync accepts; check prints the table, and exits 2 on a broken file', async () => {
    h = await new Harness().start();
    const out = join(h.dir, 'imported.yaml');
    expect(await h.cli(['mappings', 'import', join(ROOT_DIR, 'test/fixtures/schema/entra-scim-schema.json'), '--output', out])).toBe(0);
    expect(await h.cli(['mappings', 'check', out])).toBe(0);
    expect(h.out.stdout).toMatch(/Switch\(\[IsSoftDeleted\], , "False", "True", "True", "False"\)\s+active\s+Expression\s+Always/);
    expect(await h.cli(['sync', '--fixtures', CONTOSO, '--mapping', out, '--target', h.target.url, '--state', h.state])).toBe(0);
    const broken = join(h.dir, 'broken.yaml');
    writeFileSync(broken, readFileSync(DEFAULT_MAPPING, 'utf8').replace('source: surname', 'source: surName'));
    expect(await h.cli(['mappings', 'check', broken])).toBe(2);
    expect(h.out.stderr).toMatch(/broken\.yaml:\d+:\d+: error MAPPING_UNKNOWN_SOURCE_ATTRIBUTE/);
  });
});
