/**
 * Crashes: the real CLI in a child process, killed with SIGKILL at random moments (measured in requests the
 * target has seen), each kill followed by a normal run. Zero duplicates, and the final state equals that of
 * a run that was never killed. Also SIGTERM: requests in flight finish, the state is saved, exit 130.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/shared/random.js';
import { CONTOSO, CONTOSO_DAY2, DEFAULT_MAPPING, Harness, ROOT } from '../helpers/harness.js';

const CLI = ['--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts')];

function runCli(h: Harness, fixtures: string): ChildProcess {
  return spawn(
    process.execPath,
    [...CLI, 'sync', '--fixtures', fixtures, '--mapping', DEFAULT_MAPPING, '--target', h.target.url, '--state', h.state],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }> {
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, output })));
}

/** Resolves when the target has seen `n` more requests than `from`, or the child ended. */
async function afterRequests(h: Harness, from: number, n: number, done: Promise<unknown>): Promise<void> {
  let finished = false;
  void done.then(() => (finished = true));
  while (!finished && h.target.requests().length < from + n) await new Promise((r) => setTimeout(r, 2));
}

let h: Harness;
let reference: Harness;
beforeAll(async () => {
  h = await new Harness().start();
  reference = await new Harness().start();
});
afterAll(async () => {
  await h?.stop();
  await reference?.stop();
});

describe('killed at random moments', () => {
  it('20 SIGKILLs, each followed by a normal run: no duplicates, the same state as a run never killed', async () => {
    const random = seededRandom(4242);
    let kills = 0;
    for (let trial = 0; trial < 20; trial++) {
      const fixtures = trial % 2 === 0 ? CONTOSO : CONTOSO_DAY2;
      const referenceBefore = reference.target.requests().length;
      await reference.sync(fixtures);
      // How many requests this run sends when nothing goes wrong: the kill lands somewhere inside it.
      const span = reference.target.requests().length - referenceBefore;

      const before = h.target.requests().length;
      const child = runCli(h, fixtures);
      const done = exited(child);
      // A random moment inside the run: after 1 to span-1 of its requests.
      await afterRequests(h, before, 1 + Math.floor(random.next() * Math.max(1, span - 1)), done);
      if (child.exitCode === null) {
        child.kill('SIGKILL');
        kills++;
      }
      const killed = await done;
      expect(killed.code === null || killed.code === 0 || killed.code === 1).toBe(true);

      const normal = await h.sync(fixtures);
      expect(
        normal.exitCode,
        normal.cycle?.log
          .filter((e) => e.status === 'Failure')
          .map((e) => e.errorReason)
          .join('\n'),
      ).toBe(0);
      const userNames = h.target.snapshot().users.map((u) => String(u['userName']).toLowerCase());
      expect(new Set(userNames).size).toBe(userNames.length);
      const groupNames = h.target.snapshot().groups.map((g) => String(g['displayName']).toLowerCase());
      expect(new Set(groupNames).size).toBe(groupNames.length);
      expect(h.shape()).toEqual(reference.shape());
    }
    // Most trials must really have been killed mid-run, or the test proves nothing.
    expect(kills).toBeGreaterThanOrEqual(15);
  }, 180_000);
});

// SIGTERM aborts the requests in flight instead (test/e2e/sigterm.test.ts): issue 15 asks for a prompt stop.
describe('SIGINT (Ctrl-C)', () => {
  it('lets the requests in flight finish, saves the state and exits 130; the next run converges', async () => {
    const fresh = await new Harness().start();
    const ref = await new Harness().start();
    try {
      await ref.sync(CONTOSO);
      const child = runCli(fresh, CONTOSO);
      const done = exited(child);
      await afterRequests(fresh, 0, 20, done);
      child.kill('SIGINT');
      const result = await done;
      expect(result.code).toBe(130);
      expect(result.output).toContain('stopping after the requests in flight');
      const next = await fresh.sync(CONTOSO);
      expect(next.exitCode).toBe(0);
      expect(fresh.shape()).toEqual(ref.shape());
    } finally {
      await fresh.stop();
      await ref.stop();
    }
  }, 60_000);
});
