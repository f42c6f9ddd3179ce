/**
 * `provsim sync --dry-run -v` through the built CLI (`npm run build` first) against the embedded target on
 * 127.0.0.1: the requests the dry run prints are the requests the real sync then sends. Each printed request
 * (method, URL, JSON body) is compared with the `--record` transcript of a real sync from the same state:
 * as printed where every id was known before the cycle, and with each `<id of … once created>` replaced by
 * the id the target gave that object where it was not. Initial cycle on fixtures/contoso, then an
 * incremental one on an edited copy (an attribute, a manager, a membership).
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTarget, type RunningTarget } from '../../src/scim-server/index.js';
import { CONTOSO, DEFAULT_MAPPING, ROOT } from '../helpers/harness.js';

const run = promisify(execFile);
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

interface WireRequest {
  method: string;
  url: string;
  body: unknown;
}

/** The CLI as a shell runs it: no token, no colour forced on, exit code and output captured. */
async function cli(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env['FORCE_COLOR'];
  delete env['PROVSIM_TOKEN'];
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { cwd, env, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** The requests a dry run printed: `→ METHOD URL`, then the JSON body on the next line (none for a DELETE). */
function printedRequests(stdout: string): WireRequest[] {
  const lines = stdout.split('\n');
  const out: WireRequest[] = [];
  lines.forEach((line, i) => {
    const m = /^ {6}→ (POST|PATCH|DELETE) (.+)$/.exec(line);
    if (!m) return;
    const next = lines[i + 1] ?? '';
    const body = /^ {8}\{/.test(next) ? (JSON.parse(next.trim()) as unknown) : undefined;
    out.push({ method: m[1]!, url: m[2]!, body });
  });
  return out;
}

/** The writes a `--record` transcript holds (JSON lines), with the created resources' responses. */
function recorded(file: string): Array<WireRequest & { response: unknown }> {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as { request: { method: string; url: string; body: unknown }; response: { body: unknown } | null })
    .filter((e) => e.request.method !== 'GET')
    .map((e) => ({ method: e.request.method, url: e.request.url, body: e.request.body ?? undefined, response: e.response?.body }));
}

/** A stable key for a request, to compare lists of requests as multisets. */
const key = (r: WireRequest): string => JSON.stringify([r.method, r.url, r.body ?? null]);
const sortedKeys = (rs: readonly WireRequest[]): string[] => rs.map(key).sort();
const countByMethod = (rs: readonly WireRequest[]): Record<string, number> =>
  rs.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.method]: (acc[r.method] ?? 0) + 1 }), {});

const PLACEHOLDER = /<id of (User|Group) '(.*?)' once created>/g;

/** `text` with every placeholder replaced by the id the target gave the object of that type and name. */
function resolvePlaceholders(text: string, ids: ReadonlyMap<string, string>): string {
  return text.replace(PLACEHOLDER, (whole, type: string, name: string) => {
    const id = ids.get(`${type}/${name}`);
    expect(id, `no object created for ${whole}`).toBeDefined();
    return id!;
  });
}

let target: RunningTarget;
let dir: string;
let state: string;

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` before this test`);
  target = await startTarget({ port: 0, profile: 'tolerant', token: null });
  dir = mkdtempSync(join(tmpdir(), 'provsim-dry-run-'));
  state = join(dir, 'state.db');
});

afterAll(async () => {
  await target?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const syncArgs = (fixtures: string): string[] => [
  'sync',
  '--fixtures',
  fixtures,
  '--mapping',
  DEFAULT_MAPPING,
  '--target',
  target.url,
  '--state',
  state,
];

describe('sync --dry-run -v prints the requests the sync then sends', () => {
  it('initial cycle: every printed request is sent as printed (created ids filled in), and nothing else is sent', async () => {
    const dry = await cli([...syncArgs(CONTOSO), '--dry-run', '-v'], dir);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).not.toMatch(/\u001b\[/);
    expect(target.requests().filter((r) => r.method !== 'GET')).toEqual([]);
    expect(dry.stdout.split('\n')[0]).toMatch(/^plan \(initial cycle, legacy dialect\): 25 to create, /);
    expect(dry.stdout).toContain("  + User 'José Müller' (create)");
    expect(dry.stdout).toMatch(/^ {6}userName: +"jose\.muller@contoso\.com"$/m);
    expect(dry.stdout).toMatch(/^ {6}urn:…:enterprise:2\.0:User:department: "Finance"$/m);
    expect(dry.stdout).toMatch(/^Plan: 25 to create, 0 to update, 0 to disable, 0 to delete, \d+ reference updates\.$/m);
    const printed = printedRequests(dry.stdout);
    expect(printed.length).toBeGreaterThan(25);

    const record = join(dir, 'initial.jsonl');
    const real = await cli([...syncArgs(CONTOSO), '--record', record], dir);
    expect(real.code, real.stderr).toBe(0);
    const sent = recorded(record);

    // Requests whose ids were all known before the cycle (here: the POSTs) are sent exactly as printed.
    const known = printed.filter((r) => !JSON.stringify(r).includes('<id of '));
    expect(known.length).toBeGreaterThanOrEqual(25);
    const sentKeys = sent.map(key);
    for (const r of known) expect(sentKeys, `not sent: ${key(r)}`).toContain(key(r));

    // The others once the ids the target gave are filled in: then the two lists are the same multiset.
    const ids = new Map<string, string>();
    for (const s of sent.filter((s) => s.method === 'POST')) {
      const created = s.response as { id: string; displayName: string };
      ids.set(`${s.url.endsWith('/Groups') ? 'Group' : 'User'}/${created.displayName}`, created.id);
    }
    const resolved = printed.map((r) => JSON.parse(resolvePlaceholders(JSON.stringify(r), ids)) as WireRequest);
    expect(resolved.some((r) => r.method === 'PATCH' && r.url.includes('/Groups/'))).toBe(true);
    expect(sortedKeys(resolved)).toEqual(sortedKeys(sent));
    expect(countByMethod(printed)).toEqual(countByMethod(sent));
  });

  it('incremental cycle: a changed attribute shows old → new, and the sync sends exactly the printed PATCHes', async () => {
    const tenant = join(dir, 'tenant');
    cpSync(CONTOSO, tenant, { recursive: true });
    const edit = (file: string, from: string, to: string): void => {
      const path = join(tenant, file);
      const text = readFileSync(path, 'utf8');
      expect(text).toContain(from);
      writeFileSync(path, text.replace(from, to));
    };
    edit('users.yaml', 'jobTitle: Chief Executive Officer', 'jobTitle: Chief Executive Officer and Chair');
    edit(
      'users.yaml',
      '  manager: laura.chen@contoso.com\n  proxyAddresses: ["SMTP:jose.muller',
      '  manager: marcus.webb@contoso.com\n  proxyAddresses: ["SMTP:jose.muller',
    );
    edit(
      'groups.yaml',
      '  members:\n    - bjorn.sondergaard@contoso.com',
      '  members:\n    - laura.chen@contoso.com\n    - bjorn.sondergaard@contoso.com',
    );

    const byName = (userName: string): string => target.snapshot().users.find((u) => u['userName'] === userName)!['id'] as string;
    const laura = byName('laura.chen@contoso.com');
    const marcus = byName('marcus.webb@contoso.com');
    const jose = byName('jose.muller@contoso.com');
    const itAdmins = target.snapshot().groups.find((g) => g['displayName'] === 'IT Admins')!['id'] as string;

    const dry = await cli([...syncArgs(tenant), '--dry-run', '-v'], dir);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout.split('\n')[0]).toMatch(/^plan \(incremental cycle, legacy dialect\): 0 to create, 1 to update, /);
    const block = (header: string): string => {
      const at = dry.stdout.indexOf(header);
      expect(at, `no block ${header}\n${dry.stdout}`).toBeGreaterThanOrEqual(0);
      const end = dry.stdout.indexOf('\n\n', at);
      return dry.stdout.slice(at, end === -1 ? undefined : end);
    };
    expect(block(`  ~ User 'Laura Chen' [target id ${laura}] (update)`)).toContain(
      'title: "Chief Executive Officer" → "Chief Executive Officer and Chair"',
    );
    expect(block(`  ~ User 'José Müller' [target id ${jose}] (manager)`)).toContain(
      "urn:…:enterprise:2.0:User:manager: 'Laura Chen' → 'Marcus Webb'",
    );
    expect(block(`  ~ Group 'IT Admins' [target id ${itAdmins}] (members)`)).toContain("+ member 'Laura Chen'");
    expect(dry.stdout).not.toContain('<id of ');

    const printed = printedRequests(dry.stdout);
    expect(printed).toContainEqual({
      method: 'PATCH',
      url: `${target.url}/Users/${laura}`,
      body: {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [{ op: 'Replace', path: 'title', value: 'Chief Executive Officer and Chair' }],
      },
    });
    expect(printed).toContainEqual({
      method: 'PATCH',
      url: `${target.url}/Users/${jose}`,
      body: {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [{ op: 'Replace', path: `${ENTERPRISE}:manager`, value: marcus }],
      },
    });

    const record = join(dir, 'incremental.jsonl');
    const real = await cli([...syncArgs(tenant), '--record', record], dir);
    expect(real.code, real.stderr).toBe(0);
    const sent = recorded(record);
    expect(sortedKeys(printed)).toEqual(sortedKeys(sent));
    expect(countByMethod(printed)).toEqual(countByMethod(sent));
    // And the target holds what the plan said.
    expect(target.snapshot().users.find((u) => u['id'] === laura)!['title']).toBe('Chief Executive Officer and Chair');
  });
});

describe('sync --dry-run -v --batch-size N prints, batch by batch, the requests `sync --batch-size N` sends', () => {
  let own: RunningTarget;
  let ownDir: string;
  beforeAll(async () => {
    own = await startTarget({ port: 0, profile: 'tolerant', token: null });
    ownDir = mkdtempSync(join(tmpdir(), 'provsim-dry-run-batches-'));
  });
  afterAll(async () => {
    await own?.close();
    if (ownDir) rmSync(ownDir, { recursive: true, force: true });
  });

  it('initial cycle in batches of 4: each batch named, the totals of the one-plan dry run, and the same requests', async () => {
    const args = ['sync', '--fixtures', CONTOSO, '--mapping', DEFAULT_MAPPING, '--target', own.url, '--state', join(ownDir, 'state.db')];
    const whole = await cli([...args, '--dry-run'], ownDir);
    expect(whole.code, whole.stderr).toBe(0);
    const closing = /^Plan: (.*)$/m.exec(whole.stdout)![1]!;
    expect(closing).toMatch(/^25 to create, 0 to update, 0 to disable, 0 to delete, \d+ reference updates\.$/);

    const dry = await cli([...args, '--dry-run', '-v', '--batch-size', '4'], ownDir);
    expect(dry.code, dry.stderr).toBe(0);
    expect(own.requests().filter((r) => r.method !== 'GET')).toEqual([]);
    const headers = dry.stdout.split('\n').filter((l) => /^batch \d+\/\d+: plan \(initial cycle, legacy dialect\): /.test(l));
    expect(headers.length).toBeGreaterThan(7);
    expect(headers[0]).toMatch(/^batch 1\/(\d+): plan \(initial cycle, legacy dialect\): 4 to create, /);
    // The last line adds up the batches: the one-plan dry run's closing line.
    expect(dry.stdout.trimEnd().split('\n').at(-1)).toBe(`Plan, all ${headers.length} batches: ${closing}`);

    // Without -v too, members and managers created or matched in an earlier batch are resolved by what that
    // batch planned: none is shown as left out, as in the one-plan dry run.
    const plain = await cli([...args, '--dry-run', '--batch-size', '4'], ownDir);
    expect(plain.code, plain.stderr).toBe(0);
    expect(whole.stdout).not.toContain('left out');
    expect(plain.stdout).toMatch(/^ {6}\+ member '/m);
    expect(plain.stdout).not.toContain('left out');

    // --json: no one plan to show; the changes of the batches, counted.
    const json = await cli([...args, '--dry-run', '--json', '--batch-size', '4'], ownDir);
    expect(json.code, json.stderr).toBe(0);
    const doc = JSON.parse(json.stdout) as { plan: unknown; batched: boolean; planTotals: Record<string, number> };
    const [, references] = /(\d+) reference updates/.exec(closing)!;
    expect([doc.plan, doc.batched]).toEqual([null, true]);
    expect(doc.planTotals).toEqual({
      batches: headers.length,
      planned: headers.length,
      create: 25,
      update: 0,
      disable: 0,
      delete: 0,
      references: Number(references),
      fail: 0,
      held: 0,
    });

    const record = join(ownDir, 'batched.jsonl');
    const real = await cli([...args, '--batch-size', '4', '--record', record], ownDir);
    expect(real.code, real.stderr).toBe(0);
    const sent = recorded(record);
    const ids = new Map<string, string>();
    for (const s of sent.filter((s) => s.method === 'POST')) {
      const created = s.response as { id: string; displayName: string };
      ids.set(`${s.url.endsWith('/Groups') ? 'Group' : 'User'}/${created.displayName}`, created.id);
    }
    const printed = printedRequests(dry.stdout);
    // A manager created in an earlier batch is named by the same stand-in as one created in the same batch.
    expect(printed.some((r) => r.method === 'PATCH' && JSON.stringify(r.body).includes('<id of User '))).toBe(true);
    const resolved = printed.map((r) => JSON.parse(resolvePlaceholders(JSON.stringify(r), ids)) as WireRequest);
    expect(sortedKeys(resolved)).toEqual(sortedKeys(sent));
  });
});
