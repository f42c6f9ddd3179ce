import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { StateStore } from '../../src/store/store.js';
import type { LogEntry } from '../../src/model/records.js';
import { logEntry } from './log-entry.js';

const dirs: string[] = [];
const fresh = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'provsim-state-'));
  dirs.push(d);
  return join(d, 'nested', 'state.db');
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('StateStore', () => {
  it('persists anchors, watermarks, memberships and escrows across reopen', () => {
    const file = fresh();
    const a = new StateStore(file);
    a.putLink({
      objectType: 'User',
      sourceId: 's1',
      targetId: 't1',
      displayName: 'Ann',
      status: 'active',
      exported: { userName: 'ann@x' },
    });
    a.putWatermark('s1', 'User', 'h1');
    a.recordMembership('g1', ['s1', 's2'], []);
    a.recordMembership('g1', [], ['s2']);
    a.putEscrow({
      sourceId: 's3',
      objectType: 'User',
      firstFailureAt: '2026-01-01T00:00:00.000Z',
      lastFailureAt: '2026-01-01T01:00:00.000Z',
      attempts: 2,
      errorCode: 'EntryConflict',
      nextRetryAt: '2026-01-01T06:00:00.000Z',
    });
    a.setQuarantine({ reason: 'TooManyDeletes', error: 'x', currentBegan: 'a', seriesBegan: 'a', seriesCount: 1, nextAttempt: 'b' });
    a.setFlag('force-deletes', true);
    a.close();
    const b = new StateStore(file);
    expect(b.links().get('s1')).toEqual({
      objectType: 'User',
      sourceId: 's1',
      targetId: 't1',
      displayName: 'Ann',
      status: 'active',
      exported: { userName: 'ann@x' },
    });
    expect(b.watermarks().get('s1')).toBe('h1');
    expect([...(b.membersOf('g1') ?? [])]).toEqual(['s1']);
    expect(b.escrows().get('s3')).toMatchObject({
      attempts: 2,
      firstFailureAt: '2026-01-01T00:00:00.000Z',
      lastFailureAt: '2026-01-01T01:00:00.000Z',
      nextRetryAt: '2026-01-01T06:00:00.000Z',
    });
    expect(b.quarantine()).toMatchObject({ reason: 'TooManyDeletes', seriesCount: 1 });
    expect(b.flag('force-deletes')).toBe(true);
    expect(b.flag('initial')).toBe(false);
    b.deleteLink('s1');
    expect(b.links().has('s1')).toBe(false);
    expect(b.membersOf('g1')).toBeUndefined();
    b.close();
  });

  it('only completed, non-dry-run cycles count as the last completed cycle', () => {
    const s = new StateStore(fresh());
    expect(s.lastCompletedCycle()).toBeNull();
    s.beginCycle({ id: 'c1', kind: 'initial', startedAt: '2026-01-01T00:00:00Z', dryRun: false, jobHash: 'h' });
    expect(s.lastCompletedCycle()).toBeNull();
    s.finishCycle('c1', 'entry-level-errors', '2026-01-01T00:01:00Z', { 'Create/Success': 1 });
    s.beginCycle({ id: 'c2', kind: 'incremental', startedAt: '2026-01-01T00:02:00Z', dryRun: false, jobHash: 'h' });
    s.finishCycle('c2', 'interrupted', '2026-01-01T00:03:00Z', {});
    expect(s.lastCompletedCycle()?.id).toBe('c1');
    s.close();
  });
});

/** The schema of state files written by provsim before v3 (v1 lacks escrows.next_retry_at). */
function writeOldStateFile(file: string, version: 1 | 2, entries: LogEntry[], seqOf?: (i: number) => number): void {
  const db = new Database(file);
  db.exec(`
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE anchors (source_id TEXT PRIMARY KEY, object_type TEXT NOT NULL, target_id TEXT NOT NULL, display_name TEXT NOT NULL, status TEXT NOT NULL, exported TEXT NOT NULL);
CREATE TABLE watermarks (source_id TEXT PRIMARY KEY, object_type TEXT NOT NULL, hash TEXT NOT NULL);
CREATE TABLE memberships (group_id TEXT NOT NULL, member_id TEXT NOT NULL, PRIMARY KEY (group_id, member_id));
CREATE TABLE escrows (source_id TEXT PRIMARY KEY, object_type TEXT NOT NULL, first_failure_at TEXT NOT NULL, last_failure_at TEXT NOT NULL, attempts INTEGER NOT NULL, error_code TEXT NOT NULL${version === 2 ? ", next_retry_at TEXT NOT NULL DEFAULT ''" : ''});
CREATE TABLE cycles (id TEXT PRIMARY KEY, seq INTEGER NOT NULL, kind TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT, status TEXT NOT NULL, dry_run INTEGER NOT NULL, job_hash TEXT NOT NULL, counts TEXT NOT NULL);
CREATE TABLE log (id TEXT PRIMARY KEY, seq INTEGER NOT NULL, cycle_id TEXT NOT NULL, activity_at TEXT NOT NULL, action TEXT NOT NULL, status TEXT NOT NULL, source_id TEXT NOT NULL, display_name TEXT NOT NULL, object_type TEXT NOT NULL, entry TEXT NOT NULL);
CREATE INDEX log_cycle ON log (cycle_id);
CREATE INDEX log_seq ON log (seq);`);
  db.prepare("INSERT INTO meta VALUES ('schema_version', ?)").run(String(version));
  db.prepare("INSERT INTO anchors VALUES ('s1', 'User', 't1', 'Ann', 'active', '{\"userName\":\"ann@x\"}')").run();
  db.prepare("INSERT INTO watermarks VALUES ('s1', 'User', 'h1'), ('g1', 'Group', 'h2')").run();
  db.prepare("INSERT INTO memberships VALUES ('g1', 's1'), ('g1', 's2')").run();
  db.prepare(
    `INSERT INTO escrows (source_id, object_type, first_failure_at, last_failure_at, attempts, error_code) VALUES ('s3', 'User', '2026-01-01T00:00:00.000Z', '2026-01-01T01:00:00.000Z', 2, 'EntryConflict')`,
  ).run();
  db.prepare(
    "INSERT INTO cycles VALUES ('c1', 1, 'initial', '2026-01-01T00:00:00Z', '2026-01-01T00:01:00Z', 'success', 0, 'h', '{}')",
  ).run();
  // By default stored out of seq order, to show the copy keeps seq order rather than insertion order.
  const ins = db.prepare('INSERT INTO log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const order = seqOf ? [...entries.keys()] : [...entries.keys()].reverse();
  db.transaction(() => {
    for (const i of order) {
      const e = entries[i]!;
      ins.run(
        e.id,
        seqOf ? seqOf(i) : i + 1,
        e.cycleId,
        e.activityDateTime,
        e.provisioningAction,
        e.status,
        e.sourceIdentity.id,
        e.sourceIdentity.displayName,
        e.sourceIdentity.type,
        JSON.stringify(e),
      );
    }
  })();
  db.close();
}

describe('StateStore schema upgrade', () => {
  it.each([1, 2] as const)('opens a v%i state file as v4 and keeps every record and log entry', (version) => {
    const file = fresh().replace('nested/', '');
    const entries = [
      logEntry(1),
      logEntry(2, {
        status: 'Failure',
        errorCode: 'E',
        errorReason: 'r',
        errorDetails: { method: 'POST', url: 'http://127.0.0.1:1/Users', status: 409, body: { detail: 'taken' } },
      }),
      logEntry(3),
    ];
    writeOldStateFile(file, version, entries);

    const s = new StateStore(file);
    expect(s.links().get('s1')).toEqual({
      objectType: 'User',
      sourceId: 's1',
      targetId: 't1',
      displayName: 'Ann',
      status: 'active',
      exported: { userName: 'ann@x' },
    });
    expect([...s.watermarks()]).toEqual(
      [
        ['g1', 'h2'],
        ['s1', 'h1'],
      ].sort(),
    );
    expect([...(s.membersOf('g1') ?? [])].sort()).toEqual(['s1', 's2']);
    expect(s.escrows().get('s3')).toMatchObject({ attempts: 2, nextRetryAt: '' });
    expect(s.cycles().map((c) => c.id)).toEqual(['c1']);
    expect(s.linkCounts()).toEqual({ users: 1, groups: 0, disabled: 0 });
    expect(s.logs()).toStrictEqual(entries);
    expect(s.logs({ user: 't2' }).map((e) => e.id)).toEqual(['e2']);
    s.appendLog([logEntry(4)]);
    expect(s.logs().map((e) => e.id)).toEqual(['e1', 'e2', 'e3', 'e4']);
    s.close();

    const db = new Database(file, { readonly: true });
    expect(db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").pluck().get()).toBe('4');
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name LIKE '%_v2' OR name = 'log_seq'").all()).toEqual([]);
    db.close();
  });

  it.each([1, 2] as const)('readOnly (a dry run): a v%i file is upgraded in memory only, and left byte for byte as it was', (version) => {
    const file = fresh().replace('nested/', '');
    writeOldStateFile(file, version, [logEntry(1), logEntry(2)]);
    const before = readFileSync(file);
    const dir = dirname(file);
    const siblings = readdirSync(dir).sort();
    const s = new StateStore(file, { readOnly: true });
    expect(s.links().get('s1')).toMatchObject({ targetId: 't1' });
    expect(s.logs().map((e) => e.id)).toEqual(['e1', 'e2']);
    // The copy is writable (a dry run never writes, but nothing fails if it did), and the file does not change.
    s.appendLog([logEntry(3)]);
    expect(s.logs().map((e) => e.id)).toEqual(['e1', 'e2', 'e3']);
    s.close();
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(siblings);
    expect(() => new StateStore(join(dir, 'missing.db'), { readOnly: true })).toThrow(/cannot read state file .*missing\.db/);
  });

  it('copies a log whose seq values repeat (two writers appending at once) whole, in seq then insertion order, across pages', () => {
    const file = fresh().replace('nested/', '');
    const entries = Array.from({ length: 2501 }, (_, i) => logEntry(i));
    // Rows 2k-1 and 2k share a seq, so a pair straddles each page of 1000 rows (rows 999 and 1000, …).
    writeOldStateFile(file, 2, entries, (i) => Math.floor((i + 1) / 2) + 1);
    const s = new StateStore(file, { checkpoint: false });
    expect(s.logs().map((e) => e.id)).toEqual(entries.map((e) => e.id));
    expect(s.logs({ limit: 1 })[0]).toStrictEqual(entries[0]);
    s.close();
  });

  it('leaves a state file it cannot upgrade as it was, and says which file and what to do', () => {
    const file = fresh().replace('nested/', '');
    writeOldStateFile(file, 2, [logEntry(1), logEntry(2)]);
    const db = new Database(file);
    db.prepare("UPDATE log SET entry = '{not json' WHERE id = 'e2'").run();
    db.close();
    expect(() => new StateStore(file)).toThrow(
      new RegExp(`could not upgrade state file ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} from schema version 2 to 4 .*unchanged`),
    );
    const after = new Database(file, { readonly: true });
    expect(after.prepare("SELECT value FROM meta WHERE key = 'schema_version'").pluck().get()).toBe('2');
    expect(after.prepare('SELECT COUNT(*) FROM log').pluck().get()).toBe(2);
    expect(after.prepare("SELECT name FROM sqlite_master WHERE name LIKE '%_v2'").all()).toEqual([]);
    after.close();
  });

  it('refuses a state file from a newer provsim and leaves it as it was', () => {
    const file = fresh().replace('nested/', '');
    writeOldStateFile(file, 2, [logEntry(1)]);
    const db = new Database(file);
    db.prepare("UPDATE meta SET value = '9' WHERE key = 'schema_version'").run();
    db.close();
    expect(() => new StateStore(file)).toThrow(/schema version 9, this provsim expects 4/);
    const after = new Database(file, { readonly: true });
    expect(after.prepare('SELECT COUNT(*) FROM log').pluck().get()).toBe(1);
    after.close();
  });
});

describe('WriteBehind', () => {
  it('commits in batches and on flush; nothing queued is visible before its commit', async () => {
    const { WriteBehind } = await import('../../src/store/write-behind.js');
    const s = new StateStore(fresh());
    const writes = new WriteBehind(s, 3);
    const anchor = (id: string) => ({
      objectType: 'User' as const,
      sourceId: id,
      targetId: `t-${id}`,
      displayName: id,
      status: 'active' as const,
      exported: {},
    });
    writes.push((st) => st.putLink(anchor('a')));
    writes.push((st) => st.putLink(anchor('b')));
    expect(s.links().size).toBe(0);
    writes.push((st) => st.putLink(anchor('c')));
    expect(s.links().size).toBe(3);
    writes.push((st) => st.putLink(anchor('d')));
    expect(s.links().size).toBe(3);
    writes.flush();
    expect([...s.links().keys()].sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(() => new WriteBehind(s, 0)).toThrow(/Expected `batchSize`/);
    s.close();
  });

  it('writes a keyed record once per batch, its last version, in the place of its last write', async () => {
    const { WriteBehind } = await import('../../src/store/write-behind.js');
    const s = new StateStore(fresh());
    const writes = new WriteBehind(s, 100);
    const anchor = (id: string, v: number) => ({
      objectType: 'User' as const,
      sourceId: id,
      targetId: `t-${id}`,
      displayName: id,
      status: 'active' as const,
      exported: { v },
    });
    const written: string[] = [];
    const put = (id: string, v: number) => writes.push((st) => (written.push(`${id}${v}`), st.putLink(anchor(id, v))), `anchor ${id}`);
    const del = (id: string) => writes.push((st) => (written.push(`-${id}`), st.deleteLink(id)));
    put('a', 1);
    put('b', 1);
    put('a', 2); // supersedes a1
    put('c', 1);
    del('c'); // an unkeyed delete after c1: c1 must still be written before it
    put('d', 1);
    del('d');
    put('d', 2); // after the delete: d2 must survive it
    writes.flush();
    expect(written).toEqual(['b1', 'a2', 'c1', '-c', '-d', 'd2']);
    const stored = s.links();
    expect([...stored.keys()].sort()).toEqual(['a', 'b', 'd']);
    expect(stored.get('a')?.exported).toEqual({ v: 2 });
    expect(stored.get('d')?.exported).toEqual({ v: 2 });
    // A new batch starts with no keys: a write after a flush is written again.
    put('a', 3);
    writes.flush();
    expect(written.slice(6)).toEqual(['a3']);
    s.close();
  });
});

describe('StateStore on a file that is not its own', () => {
  it('refuses it with a usage error naming the file, and leaves it untouched', async () => {
    const { writeFileSync, readFileSync } = await import('node:fs');
    const { StateFileError } = await import('../../src/shared/errors.js');
    const file = fresh();
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, 'not a database, just text\n'.repeat(200));
    expect(() => new StateStore(file)).toThrow(StateFileError);
    expect(() => new StateStore(file)).toThrow(/is not a provsim state file .*pass --state with a new file/);
    expect(readFileSync(file, 'utf8')).toBe('not a database, just text\n'.repeat(200));
  });
});
