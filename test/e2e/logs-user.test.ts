/**
 * `provsim logs --user` through the CLI (main() with argv) after a real `provsim sync` of fixtures/contoso
 * against the embedded target: a user is found the way a person remembers them (UPN or its part before
 * '@', mail nickname, display name without its accents), the JSON shows the identifiers, and a query that
 * finds nothing exits 0 and says on stderr what came closest.
 */
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import type { LogEntry } from '../../src/model/records.js';
import { CONTOSO, DEFAULT_MAPPING, Harness } from '../helpers/harness.js';

let h: Harness;

/** Runs `provsim logs` on the synced state with these arguments; the exit code and what it printed. */
async function logs(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  h.out.stdout = '';
  h.out.stderr = '';
  const code = await h.cli(['logs', '--state', h.state, ...args]);
  return { code, stdout: h.out.stdout, stderr: h.out.stderr };
}

async function json(...args: string[]): Promise<LogEntry[]> {
  const r = await logs(...args, '--json');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as LogEntry[];
}

const names = (entries: readonly LogEntry[]): string[] => [...new Set(entries.map((e) => e.sourceIdentity.displayName))].sort();

beforeAll(async () => {
  h = await new Harness().start('tolerant');
  const code = await h.cli(['sync', '--fixtures', CONTOSO, '--mapping', DEFAULT_MAPPING, '--target', h.target.url, '--state', h.state]);
  expect(code).toBe(0);
});
afterAll(async () => {
  await h?.stop();
});
afterEach(() => {
  h.out.stdout = '';
  h.out.stderr = '';
});

describe('provsim logs --user after a sync of fixtures/contoso', () => {
  it('finds José Müller by the accent-free part of his UPN before the @, and the JSON carries his identifiers', async () => {
    const r = await logs('--user', 'jose.muller', '--json');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const entries = JSON.parse(r.stdout) as LogEntry[];
    expect(entries.length).toBeGreaterThan(0);
    for (const e of entries)
      expect(e.sourceIdentity).toMatchObject({
        type: 'User',
        displayName: 'José Müller',
        details: { userPrincipalName: 'jose.muller@contoso.com', mailNickname: 'jose.muller' },
      });
    expect(entries.map((e) => `${e.provisioningAction}/${e.status}`)).toContain('Create/Success');
    // The entry links to what was created in the target.
    expect(entries.find((e) => e.provisioningAction === 'Create')?.targetIdentity.id).toBe(h.userByName('jose.muller@contoso.com')!['id']);
  });

  it.each([
    ['jose muller', ['José Müller']],
    ['JOSÉ', ['José Müller']],
    ['müller', ['José Müller']],
    ['JOSE.MULLER@CONTOSO.COM', ['José Müller']],
    ['lukasz', ['Łukasz Nowak']],
    ['søndergaard', ['Björn Søndergaard']],
    ['renee', ['Renée Dubois']],
    ['siobhan o', ["Siobhán O'Connor"]],
    ['sales-team', ['Sales Team']],
  ])('--user %j finds %j', async (query, expected) => {
    expect(names(await json('--user', query))).toEqual(expected);
  });

  it('a match shows in the table, with nothing on stderr', async () => {
    const r = await logs('--user', 'LUKASZ.NOWAK');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Łukasz Nowak');
    expect(r.stdout).not.toContain('José Müller');
    expect(r.stderr).toBe('');
  });

  it('a name with a typo: exit 0, an empty table, and the closest names on stderr', async () => {
    const r = await logs('--user', 'jose mueller');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('(no log entries match)\n');
    expect(r.stderr).toContain('no log entry matches --user "jose mueller"');
    expect(r.stderr).toContain('closest: José Müller (jose.muller@contoso.com)');
  });

  it('with --json, stdout stays valid JSON (an empty list) and the hint goes to stderr', async () => {
    const r = await logs('--user', 'lukas nowack', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
    expect(r.stderr).toContain('closest: Łukasz Nowak (lukasz.nowak@contoso.com)');
  });

  it('when the user has entries but another filter leaves none, it names the filter instead', async () => {
    const r = await logs('--user', 'jose', '--status', 'Failure');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /no log entry matches --user "jose" together with --status; \d+ entr(y matches|ies match) --user "jose" alone/,
    );
  });

  it('a query nothing resembles says so', async () => {
    const r = await logs('--user', 'zzqx');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('no name in the log is close to it');
  });

  it('a query with nothing to search for is a usage error (exit 2)', async () => {
    const r = await logs('--user', ' \u0301 ');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('has nothing to search for');
  });
});
