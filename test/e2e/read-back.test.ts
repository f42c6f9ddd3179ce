/**
 * A JSON Lines tenant whose users are read back from their files (a large tenant's memory:
 * `source/json/line-user.ts`), end to end through the CLI over loopback against the embedded target. The size
 * limit and the attributes kept are lowered through `CliDeps.fixtureOptions`, so a few hundred users take the
 * path a quarter of a million would, with most attributes read again from the file in each batch.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../src/scim/http.js';
import { writeTenantFixtures } from '../../src/source/generate/generate-tenant.js';
import { watchCommand } from '../../src/cli/commands/watch.js';
import { DEFAULT_MAPPING, Harness } from '../helpers/harness.js';

const READ_BACK = { readBackAboveBytes: 0, keepAttributes: 10 };
let tenantDir: string;
let h: Harness;
let reference: Harness;

beforeAll(async () => {
  tenantDir = mkdtempSync(join(tmpdir(), 'provsim-read-back-e2e-'));
  await writeTenantFixtures({ users: 300, groups: 12, membersPerGroup: 15, seed: 11 }, tenantDir, { format: 'jsonl' });
});
afterAll(() => rmSync(tenantDir, { recursive: true, force: true }));
afterEach(async () => {
  await h?.stop();
  await reference?.stop();
});

const sync = (x: Harness, extra: string[] = []): string[] => ['sync', ...x.flags({ fixtures: tenantDir }), '--batch-size', '40', ...extra];

/** What the target was asked to write, without the ids it chose: the same tenant gives the same list. */
function writesOf(x: Harness): string[] {
  return x
    .writes()
    .map((w) => `${w.method} ${w.url.replace(/[0-9a-f-]{36}/g, '<id>')} ${JSON.stringify(w.body).replace(/[0-9a-f-]{36}/g, '<id>')}`)
    .sort();
}

describe('a tenant read back from its JSON Lines files', () => {
  it('sends what the same tenant held in memory sends, in batches, and then has nothing to do', async () => {
    reference = await new Harness().start();
    expect(await reference.cli(sync(reference))).toBe(0);

    h = await new Harness().start();
    expect(await h.cli(sync(h), { fixtureOptions: READ_BACK })).toBe(0);
    expect(h.out.stderr).toBe(reference.out.stderr);
    expect(writesOf(h).length).toBeGreaterThan(300);
    expect(writesOf(h)).toEqual(writesOf(reference));
    expect(h.shape()).toEqual(reference.shape());

    const before = h.target.requests().length;
    expect(await h.cli(sync(h), { fixtureOptions: READ_BACK })).toBe(0);
    expect(h.writes(before)).toEqual([]);
  });

  it('a users file written in place mid-cycle: the cycle stops between batches and is saved, exit 1 naming the file; the next run converges', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'provsim-read-back-edit-'));
    try {
      await writeTenantFixtures({ users: 300, groups: 12, membersPerGroup: 15, seed: 11 }, dir, { format: 'jsonl' });
      const file = join(dir, 'users.jsonl');
      const original = readFileSync(file, 'utf8');
      const edited = original.replaceAll('"jobTitle": "', '"jobTitle": "Senior ');
      expect(edited).not.toBe(original);

      h = await new Harness().start();
      // The file is written over (same inode, as an editor saving in place) after the 60th response.
      const http = createHttpClient();
      let responses = 0;
      http.interceptors.response.use((r) => {
        if (++responses === 60) writeFileSync(file, edited);
        return r;
      });
      const code = await h.cli(['sync', ...h.flags({ fixtures: dir }), '--batch-size', '40'], { fixtureOptions: READ_BACK, http });
      expect(code).toBe(1);
      expect(h.out.stderr).toContain(`${file} changed while provsim was still reading it`);
      expect(h.out.stderr).toContain('The cycle stopped before its next batch and what it did is in the state; run the command again');
      // The cycle's own summary still follows, as after Ctrl-C.
      expect(h.out.stdout).toContain('interrupted');
      expect(h.out.stderr).not.toMatch(/internal error|This is a bug/);
      const created = h.target.snapshot().users.length;
      expect(created).toBeGreaterThan(0);
      // Stopped between batches as Ctrl-C stops a cycle: what it did is committed, its links kept.
      h.out.stdout = '';
      expect(await h.cli(['status', '--state', h.state, '--json'])).toBe(0);
      const status = JSON.parse(h.out.stdout) as { lastCycles: Array<{ status: string }>; linked: { users: number } };
      expect(status.lastCycles.map((c) => c.status)).toEqual(['interrupted']);
      expect(status.linked.users).toBe(created);

      h.out.stderr = '';
      expect(await h.cli(['sync', ...h.flags({ fixtures: dir }), '--batch-size', '40'], { fixtureOptions: READ_BACK })).toBe(0);
      const users = h.target.snapshot().users;
      const names = users.map((u) => String(u['userName']).toLowerCase());
      expect(new Set(names).size).toBe(names.length);
      expect(names.length).toBeGreaterThan(created);
      // The edit reached the target: every job title is the edited one.
      const titles = users.map((u) => u['title']).filter((t) => typeof t === 'string');
      expect(titles.length).toBeGreaterThan(0);
      expect(titles.every((t) => String(t).startsWith('Senior '))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('provision --user finds a user by UPN or by id in a tenant read back from its files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'provsim-read-back-provision-'));
    try {
      await writeTenantFixtures({ users: 300, groups: 12, membersPerGroup: 15, seed: 11 }, dir, { format: 'jsonl' });
      const lines = readFileSync(join(dir, 'users.jsonl'), 'utf8').split('\n');
      const field = (line: string, key: string): string => new RegExp(`"${key}": "([^"]+)"`).exec(line)![1]!;
      for (const [line, by] of [
        [lines[250]!, 'userPrincipalName'],
        [lines[250]!, 'id'],
      ] as const) {
        const x = await new Harness().start();
        try {
          // The UPN as a user types it: in capitals.
          const key = by === 'id' ? field(line, 'id') : field(line, by).toUpperCase();
          expect(await x.cli(['provision', ...x.flags({ fixtures: dir }), '--user', key], { fixtureOptions: READ_BACK })).toBe(0);
          const posted = x.writes().filter((r) => r.method === 'POST' && r.url.endsWith('/Users'));
          expect(posted.map((r) => (r.body as { userName: string }).userName)).toEqual([field(line, 'userPrincipalName')]);
        } finally {
          await x.stop();
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('provision: a users file written in place before the cycle reads it: exit 1 naming the file, nothing created', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'provsim-read-back-provision-'));
    try {
      await writeTenantFixtures({ users: 300, groups: 12, membersPerGroup: 15, seed: 11 }, dir, { format: 'jsonl' });
      const file = join(dir, 'users.jsonl');
      const text = readFileSync(file, 'utf8');
      const upn = /"userPrincipalName": "([^"]+)"/.exec(text)![1]!;
      h = await new Harness().start();
      // Written over after the first response (the connection probe), before the evaluation reads the users.
      const http = createHttpClient();
      let responses = 0;
      http.interceptors.response.use((r) => {
        if (++responses === 1) writeFileSync(file, text.replaceAll('"jobTitle": "', '"jobTitle": "Senior '));
        return r;
      });
      const code = await h.cli(['provision', ...h.flags({ fixtures: dir }), '--user', upn], { fixtureOptions: READ_BACK, http });
      expect(code).toBe(1);
      expect(h.out.stderr).toContain(`${file} changed while provsim was still reading it`);
      expect(h.out.stderr).toContain('run the command again');
      expect(h.out.stderr).not.toMatch(/internal error|This is a bug/);
      // Said once, by the command, with its report after it.
      expect(h.out.stderr.split('changed while provsim was still reading it').length).toBe(2);
      expect(h.out.stdout).toContain(`FixtureChanged`);
      expect(h.writes()).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('watch: a users file written in place between cycles: the next cycle stops at once, and the one after reads the files as they are now', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'provsim-read-back-watch-'));
    try {
      await writeTenantFixtures({ users: 300, groups: 12, membersPerGroup: 15, seed: 11 }, dir, { format: 'jsonl' });
      const file = join(dir, 'users.jsonl');
      const edited = readFileSync(file, 'utf8').replaceAll('"jobTitle": "', '"jobTitle": "Senior ');
      h = await new Harness().start();
      // The file is written over (same inode) when the first cycle's line is printed: between cycles 1 and 2.
      let cyclesPrinted = 0;
      const stdout = {
        write: (text: string) => {
          h.out.stdout += text;
          if (/ cycle [0-9a-f]{8}: /.test(text) && ++cyclesPrinted === 1) writeFileSync(file, edited);
        },
      };
      const result = await watchCommand(
        { fixtures: dir, mapping: DEFAULT_MAPPING, target: h.target.url, state: h.state, interval: '1s', maxCycles: 3 },
        h.deps({ fixtureOptions: READ_BACK, stdout }),
      );
      expect(result.cycles.map((c) => c.status)).toEqual(['succeeded', 'interrupted', 'succeeded']);
      expect(result.cycles.map((c) => c.fixtureChanged)).toEqual([undefined, file, undefined]);
      expect(result.cycles[1]!.counts).toEqual({});
      expect(result.exitCode).toBe(0);
      expect(h.out.stderr).toContain(`provsim watch: ${file} changed while provsim was still reading it`);
      expect(h.out.stderr).toContain('reading the files again');
      const users = h.target.snapshot().users;
      const names = users.map((u) => String(u['userName']).toLowerCase());
      expect(new Set(names).size).toBe(names.length);
      const titles = users.map((u) => u['title']).filter((t) => typeof t === 'string');
      expect(titles.length).toBeGreaterThan(0);
      expect(titles.every((t) => String(t).startsWith('Senior '))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
