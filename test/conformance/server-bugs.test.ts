/**
 * The checks for what real servers got wrong with what provsim sends, against a fake server that gets it
 * wrong the same way (fake-scim-server.ts); the embedded target passes them all (suite.test.ts).
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startFakeScimServer, type FakeScimServer } from './fake-scim-server.js';
import { failedIds, removeTempDirs, runCli } from './helpers.js';

const env = { PROVSIM_TOKEN: 'server-bugs-token-0c1d' };

let fake: FakeScimServer | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});
afterAll(removeTempDirs);

const check = (run: Awaited<ReturnType<typeof runCli>>, id: string) => run.report.checks.find((c) => c.id === id)!;

describe("checks from real servers' bugs", () => {
  it('the fake, when it gets nothing wrong, passes them all (so each failure below is the bug it simulates)', async () => {
    fake = await startFakeScimServer({ renameToTaken: 'conflict' });
    const run = await runCli(
      fake.url,
      {
        only: ['protocol.rename-to-taken-username', 'protocol.add-existing-member', 'protocol.delete-unknown-id', 'protocol.delete-twice'],
      },
      env,
    );
    expect(failedIds(run.report)).toEqual([]);
    expect(run.exitCode).toBe(0);
  });

  it('rename to a taken userName answered 500 and written anyway (scimgateway): a mandatory failure naming both', async () => {
    fake = await startFakeScimServer({ renameToTaken: 'error-and-write' });
    const run = await runCli(fake.url, { only: ['protocol.rename-to-taken-username'] }, env);
    expect(run.exitCode).toBe(1);
    const rename = check(run, 'protocol.rename-to-taken-username');
    expect(rename).toMatchObject({ status: 'failed', severity: 'mandatory' });
    expect(rename.message).toMatch(
      /^PATCH \/Users\/[0-9a-f-]+ \{"op":"replace","path":"userName","value":"provsim-[0-9a-f]+-p-taken@example\.com"\} \(a userName user [0-9a-f-]+ already has\) answered 500 \("Internal server error"\), expected 409 with "scimType": "uniqueness" and wrote the rename anyway: userName "provsim-[0-9a-f]+-p-taken@example\.com" is now held by \["[0-9a-f-]+","[0-9a-f-]+"\] \(two users, one login\)$/,
    );
    expect(rename.source).toContain('scimgateway');
    // Cleanup deleted both users, the one that took the taken userName too.
    expect(run.report.cleanup.leftovers).toEqual([]);
    expect(fake.users()).toEqual([]);
  });

  it('rename to a taken userName answered 409 without scimType "uniqueness": a failure, though nothing was written', async () => {
    fake = await startFakeScimServer({ renameToTaken: 'conflict-without-scimtype' });
    const run = await runCli(fake.url, { only: ['protocol.rename-to-taken-username'] }, env);
    expect(run.exitCode).toBe(1);
    expect(check(run, 'protocol.rename-to-taken-username').message).toMatch(
      /answered 409 without a scimType \(.*\), expected 409 with "scimType": "uniqueness"$/,
    );
  });

  it('members stored again on every add (SCIMMY): the group reads back with duplicates, a mandatory failure', async () => {
    fake = await startFakeScimServer({ duplicateMembers: true });
    const run = await runCli(fake.url, { only: ['protocol.add-existing-member'] }, env);
    expect(run.exitCode).toBe(1);
    const readd = check(run, 'protocol.add-existing-member');
    expect(readd).toMatchObject({ status: 'failed', severity: 'mandatory' });
    expect(readd.message).toMatch(
      /the group reads back with 5 entries for 3 members: [0-9a-f-]+ ×2, [0-9a-f-]+ ×2\. An add of a member that is already there must change nothing \(RFC 7644 §3\.5\.2\.1\)/,
    );
    expect(run.report.cleanup.leftovers).toEqual([]);
    expect(fake.users()).toEqual([]);
  });

  it('a DELETE of what is not there answered 204: both DELETE checks fail, optional, so the run still passes', async () => {
    fake = await startFakeScimServer({ deleteMissingStatus: 204 });
    const run = await runCli(fake.url, { only: ['protocol.delete-unknown-id', 'protocol.delete-twice'] }, env);
    expect(failedIds(run.report)).toEqual(['protocol.delete-twice', 'protocol.delete-unknown-id']);
    expect(new Set(run.report.checks.filter((c) => c.status === 'failed').map((c) => c.severity))).toEqual(new Set(['optional']));
    expect(check(run, 'protocol.delete-unknown-id').message).toMatch(
      /^DELETE \/Users\/[0-9a-f-]+ \(an id nobody created\) answered 204, expected 404: a DELETE of nothing must not report success$/,
    );
    expect(check(run, 'protocol.delete-twice').message).toMatch(/^the second DELETE \/Users\/[0-9a-f-]+ answered 204, expected 404/);
    expect(run.exitCode).toBe(0);
  });

  it('a DELETE of a deleted user answered 500: the second DELETE says so, and that Entra retries it', async () => {
    fake = await startFakeScimServer({ deleteMissingStatus: 500 });
    const run = await runCli(fake.url, { only: ['protocol.delete-twice'] }, env);
    expect(check(run, 'protocol.delete-twice').message).toMatch(
      /answered 500 \(".*not found"\), expected 404: .*\(Entra retries a DELETE that fails, every cycle\)$/,
    );
  });
});
