/**
 * The state file itself: another program's SQLite database refused before anything is written to it; new
 * files readable by their owner only; a damaged, unwritable or full file reported as a StateFileError that
 * names the file and what to do; cycles left running by a process that ended shown and stored as abandoned.
 * A full disk on a real file system (tmpfs, root only) and the CLI's exit codes: test/e2e/state-lock.test.ts.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { StateFileError } from '../../src/shared/errors.js';
import { StateFileIoError, stateFileErrorOf } from '../../src/store/sqlite-errors.js';
import { lockStateFile } from '../../src/store/state-lock.js';
import { StateStore } from '../../src/store/store.js';
import { logEntry } from './log-entry.js';

const dirs: string[] = [];
const fresh = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'provsim-statefile-'));
  dirs.push(d);
  return join(d, 'state.db');
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** chmod does not stop root from reading or writing: those cases cannot be shown as root. */
const asRoot = process.getuid?.() === 0;
const modeOf = (path: string): number => statSync(path).mode & 0o777;

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error, got none');
}

/** The raw SqliteError that `fn` makes better-sqlite3 raise. */
function sqliteError(fn: () => unknown): Error & { code: string } {
  const error = thrown(fn);
  expect(error).toBeInstanceOf(Database.SqliteError);
  return error as Error & { code: string };
}

describe("another program's SQLite database", () => {
  it.each([
    [
      'tables provsim never creates',
      'CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); CREATE TABLE orders (id INTEGER)',
      /it has table orders, table users, which provsim never creates/,
    ],
    [
      "a meta table of its own (provsim's table names, not its keys)",
      "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL); INSERT INTO meta VALUES ('app_version', '3')",
      /its meta table has key app_version, which provsim never writes/,
    ],
    ['a view', 'CREATE TABLE log (x); CREATE VIEW recent AS SELECT * FROM log', /it has view recent, which provsim never creates/],
  ])('with %s is refused, writable or read-only, and left byte for byte as it was (journal mode included)', (_, sql, why) => {
    const file = fresh();
    mkdirSync(join(file, '..'), { recursive: true });
    const db = new Database(file);
    db.exec(sql);
    db.close();
    const before = readFileSync(file);
    for (const options of [{}, { readOnly: true }, { readOnly: true, snapshot: false }]) {
      const error = thrown(() => new StateStore(file, options));
      expect(error).toBeInstanceOf(StateFileError);
      expect(error.message).toMatch(why);
      expect(error.message).toContain(`${file} is an SQLite database but not a provsim state file (`);
      expect(error.message).toContain('nothing was written to it. Pass --state with a new file');
    }
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(existsSync(`${file}-wal`)).toBe(false);
    // Still a rollback-journal database: provsim did not switch it to WAL.
    expect([before[18], before[19]]).toEqual([1, 1]);
    // The refusal released the lock.
    lockStateFile(file).release();
  });

  it('an empty database is a new state file; one whose first open ended before its version was written is still provsim’s', () => {
    const empty = fresh();
    mkdirSync(join(empty, '..'), { recursive: true });
    new Database(empty).close();
    const a = new StateStore(empty);
    a.setTarget('http://127.0.0.1:1/scim');
    a.close();
    const half = fresh();
    const s = new StateStore(half);
    s.close();
    const db = new Database(half);
    db.exec("DELETE FROM meta WHERE key = 'schema_version'");
    db.close();
    new StateStore(half).close();
    const after = new Database(half, { readonly: true });
    expect(after.prepare("SELECT value FROM meta WHERE key = 'schema_version'").pluck().get()).toBe('4');
    after.close();
  });
});

describe('file modes', () => {
  it('a new state file, its -wal and -shm files and its lock file are 0600, a new directory 0700', () => {
    const file = join(fresh(), '..', 'nested', 'deeper', 'state.db');
    const s = new StateStore(file);
    s.appendLog([logEntry(1)]);
    expect(modeOf(join(file, '..'))).toBe(0o700);
    expect(modeOf(file)).toBe(0o600);
    expect(modeOf(`${file}-wal`)).toBe(0o600);
    expect(modeOf(`${file}-shm`)).toBe(0o600);
    expect(modeOf(`${file}.lock`)).toBe(0o600);
    s.close();
  });

  it('an existing file keeps its mode', () => {
    const file = fresh();
    new StateStore(file).close();
    chmodSync(file, 0o640);
    new StateStore(file).close();
    expect(modeOf(file)).toBe(0o640);
  });
});

describe('a damaged state file', () => {
  /** A state file with one link, then `bytes` written at `offset` (the file is otherwise as provsim left it). */
  function damaged(offset: (file: string) => number, bytes: Buffer): string {
    const file = fresh();
    const s = new StateStore(file);
    s.putLink({ objectType: 'User', sourceId: 's1', targetId: 't1', displayName: 'Ann', status: 'active', exported: {} });
    s.close();
    const at = offset(file);
    const fd = openSync(file, 'r+');
    writeSync(fd, bytes, 0, bytes.length, at);
    closeSync(fd);
    return file;
  }

  it('is reported when opened: which file, that it is damaged, and what to do; never a stack or "bug"', () => {
    // The schema page's B-tree header, after the 100-byte file header.
    const file = damaged(() => 100, Buffer.alloc(64, 0xff));
    const error = thrown(() => new StateStore(file));
    expect(error).toBeInstanceOf(StateFileError);
    expect(error).not.toBeInstanceOf(StateFileIoError);
    expect(error.message).toBe(
      `state file ${file} is damaged (SQLITE_CORRUPT: database disk image is malformed); restore it from a copy, or move it away and pass --state with a new file (the next cycle is then an initial cycle, which links existing objects again by matching)`,
    );
    expect(error.message).not.toMatch(/bug|\n\s+at /);
    // Not left locked by the refusal.
    lockStateFile(file).release();
  });

  it('is reported by the method that reads the damaged page, as a StateFileError', () => {
    const file = damaged(
      (f) => {
        const db = new Database(f, { readonly: true });
        const root = db.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'anchors'").pluck().get() as number;
        const pageSize = db.pragma('page_size', { simple: true }) as number;
        db.close();
        return (root - 1) * pageSize;
      },
      Buffer.alloc(64, 0xff),
    );
    const s = new StateStore(file);
    const error = thrown(() => s.links());
    // Raised while in use, not while opening: requests may have been sent, and the message says what of them.
    expect(error).toBeInstanceOf(StateFileIoError);
    expect(error.message).toMatch(/\. Requests sent before it reached the target; the next run links those objects again by matching$/);
    expect(error.message).toMatch(new RegExp(`^state file ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is damaged \\(SQLITE_CORRUPT`));
    s.close();
  });

  it('that is not a database at all keeps its message: not a provsim state file', () => {
    const file = fresh();
    mkdirSync(join(file, '..'), { recursive: true });
    const fd = openSync(file, 'w');
    writeSync(fd, 'SQLite format 3\0'.padEnd(4096, 'x'));
    closeSync(fd);
    expect(() => new StateStore(file)).toThrow(
      /is not a provsim state file \(SQLITE_NOTADB.*pass --state with a new file, or delete this one/,
    );
  });
});

describe('a state file that cannot be written', () => {
  it.skipIf(asRoot)('(a read-only file) fails when opened for writing, naming the file and the permissions to check', () => {
    const file = fresh();
    new StateStore(file).close();
    chmodSync(file, 0o400);
    const error = thrown(() => new StateStore(file));
    expect(error).toBeInstanceOf(StateFileError);
    expect(error.message).toMatch(/^cannot write state file .*state\.db \(SQLITE_READONLY/);
    expect(error.message).toContain('check the owner and permissions of the file and its directory, or pass --state with a writable path');
    // A dry run still reads it.
    new StateStore(file, { readOnly: true }).close();
  });

  it.skipIf(asRoot)('(a directory that cannot be written) fails before anything is created, naming what to check', () => {
    const file = fresh();
    const dir = join(file, '..');
    mkdirSync(dir, { recursive: true });
    chmodSync(dir, 0o500);
    try {
      const error = thrown(() => new StateStore(file));
      expect(error).toBeInstanceOf(StateFileError);
      expect(error.message).toMatch(/^cannot (write|open) (lock|state) file .*state\.db(\.lock)? \(/);
      expect(error.message).toMatch(/pass --state with (a writable|another) path/);
    } finally {
      chmodSync(dir, 0o700);
    }
  });

  it('(a path under a file) fails naming the path, as a StateFileError', () => {
    const file = fresh();
    mkdirSync(join(file, '..'), { recursive: true });
    closeSync(openSync(file, 'w'));
    const error = thrown(() => new StateStore(join(file, 'state.db')));
    expect(error).toBeInstanceOf(StateFileError);
    expect(error.message).toMatch(
      /^cannot open state file .*state\.db\/state\.db \(EEXIST: .*\); check that its directory exists or can be created/,
    );
    const dirAsFile = thrown(() => new StateStore(join(file, '..'), { readOnly: true }));
    expect(dirAsFile.message).toMatch(/^cannot read state file .* \(it is not a file\); check the path given with --state$/);
    const inDir = fresh();
    mkdirSync(inDir, { recursive: true });
    expect(thrown(() => new StateStore(inDir)).message).toMatch(
      /^cannot open state file .*state\.db \(SQLITE_CANTOPEN: unable to open database file\); .*the path is not a directory/,
    );
  });
});

describe('SQLite failures, as better-sqlite3 raises them', () => {
  const file = '/var/lib/provsim/state.db';

  it('a full disk (SQLITE_FULL): free space or move the state; what was committed is kept', () => {
    const db = new Database(':memory:');
    db.pragma('max_page_count = 2');
    const full = sqliteError(() => db.exec('CREATE TABLE t (x); INSERT INTO t VALUES (zeroblob(100000))'));
    db.close();
    expect(full.code).toBe('SQLITE_FULL');
    const error = stateFileErrorOf(full, file)!;
    expect(error).toBeInstanceOf(StateFileError);
    expect(error.cause).toBe(full);
    expect(error.message).toBe(
      `cannot write state file ${file}: the disk is full (SQLITE_FULL: database or disk is full); free space on that disk, or pass --state with a file on another disk. The state keeps what was committed before this error`,
    );
  });

  it('a read-only file (SQLITE_READONLY), one that cannot be opened (SQLITE_CANTOPEN), not a database (SQLITE_NOTADB)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'provsim-statefile-'));
    dirs.push(dir);
    const path = join(dir, 'x.db');
    new Database(path).exec('CREATE TABLE t (x)');
    const ro = new Database(path, { readonly: true });
    const readonly = sqliteError(() => ro.exec('INSERT INTO t VALUES (1)'));
    ro.close();
    expect(stateFileErrorOf(readonly, file)?.message).toMatch(
      /^cannot write state file \/var\/lib\/provsim\/state\.db \(SQLITE_READONLY: attempt to write a readonly database\); provsim writes the file, state\.db-wal and state\.db-shm beside it, and state\.db\.lock: check the owner/,
    );
    const cantopen = sqliteError(() => new Database(dir));
    expect(stateFileErrorOf(cantopen, file)?.message).toMatch(
      /^cannot open state file \/var\/lib\/provsim\/state\.db \(SQLITE_CANTOPEN: unable to open database file\); check that its directory exists/,
    );
    const text = join(dir, 'text.db');
    closeSync(openSync(text, 'w'));
    writeSync(openSync(text, 'w'), 'x'.repeat(4096));
    const notadb = sqliteError(() => new Database(text).exec('CREATE TABLE t (x)'));
    expect(stateFileErrorOf(notadb, file)?.message).toBe(
      `${file} is not a provsim state file (SQLITE_NOTADB: file is not a database); pass --state with a new file, or delete this one`,
    );
    expect(stateFileErrorOf(notadb, `${file}.lock`, 'lock file')?.message).toMatch(
      /^lock file .*\.lock is not provsim's .*delete it, then run again$/,
    );
  });

  it('I/O errors, locks held by another program, and the file-system errors of creating the directory', () => {
    const as = (code: string, message = 'x') => Object.assign(new Error(message), { code });
    expect(stateFileErrorOf(as('SQLITE_IOERR_WRITE', 'disk I/O error'), file)?.message).toMatch(
      /^reading or writing state file .* failed \(SQLITE_IOERR_WRITE: disk I\/O error\); check the disk/,
    );
    expect(stateFileErrorOf(as('SQLITE_BUSY', 'database is locked'), file)?.message).toMatch(
      /is locked by another program .*close whatever else/,
    );
    expect(stateFileErrorOf(as('ENOSPC'), file)?.message).toMatch(/the disk is full/);
    expect(stateFileErrorOf(as('EACCES'), file)?.message).toMatch(/^cannot write state file/);
    expect(stateFileErrorOf(as('EROFS'), file)?.message).toMatch(/^cannot write state file/);
    expect(stateFileErrorOf(as('ENOTDIR'), file)?.message).toMatch(/^cannot open state file/);
  });

  it('leaves errors that are not about the file alone, and a StateFileError as it is', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE t (x PRIMARY KEY); INSERT INTO t VALUES (1)');
    const constraint = sqliteError(() => db.exec('INSERT INTO t VALUES (1)'));
    db.close();
    expect(stateFileErrorOf(constraint, file)).toBeNull();
    expect(stateFileErrorOf(new TypeError('no'), file)).toBeNull();
    expect(stateFileErrorOf(null, file)).toBeNull();
    const own = new StateFileError('as it was');
    expect(stateFileErrorOf(own, file)).toBe(own);
  });
});

describe('cycles whose process ended before they finished', () => {
  /** A state file whose cycle c1 was begun, logged two entries, and never finished (as a killed run leaves it). */
  function leftRunning(): string {
    const file = fresh();
    const s = new StateStore(file);
    s.beginCycle({ id: 'c0', kind: 'initial', startedAt: '2026-01-01T00:00:00.000Z', dryRun: false, jobHash: 'h' });
    s.finishCycle('c0', 'succeeded', '2026-01-01T00:00:30.000Z', { 'Create/Success': 1 });
    s.beginCycle({ id: 'c1', kind: 'incremental', startedAt: '2026-01-01T00:01:00.000Z', dryRun: false, jobHash: 'h' });
    s.appendLog([logEntry(61), logEntry(62, { status: 'Failure' }), logEntry(75, { provisioningAction: 'Update' })]);
    // Closing releases the lock as a killed process's end would; the cycle stays running in the file.
    s.close();
    return file;
  }

  it('a store opened for writing marks them abandoned: when its log last wrote, and its log counts', () => {
    const file = leftRunning();
    const s = new StateStore(file);
    expect(s.cycles().map((c) => [c.id, c.status])).toEqual([
      ['c0', 'succeeded'],
      ['c1', 'abandoned'],
    ]);
    expect(s.cycles()[1]).toMatchObject({
      finishedAt: '2026-01-01T00:01:15.000Z',
      counts: { 'Create/Success': 1, 'Create/Failure': 1, 'Update/Success': 1 },
    });
    // Not a completed cycle: the next one is incremental from c0.
    expect(s.lastCompletedCycle()?.id).toBe('c0');
    s.close();
    const raw = new Database(file, { readonly: true });
    expect(raw.prepare("SELECT status FROM cycles WHERE id = 'c1'").pluck().get()).toBe('abandoned');
    raw.close();
  });

  it('a read-only store shows them abandoned without writing; while a live process holds the lock, they are running', () => {
    const file = leftRunning();
    const before = readFileSync(file);
    for (const options of [{ readOnly: true }, { readOnly: true, snapshot: false }]) {
      const s = new StateStore(file, options);
      expect(s.cycles()[1]).toMatchObject({ id: 'c1', status: 'abandoned', finishedAt: '2026-01-01T00:01:15.000Z' });
      s.close();
    }
    expect(readFileSync(file).equals(before)).toBe(true);
    const lock = lockStateFile(file);
    try {
      for (const options of [{ readOnly: true }, { readOnly: true, snapshot: false }]) {
        const s = new StateStore(file, options);
        expect(s.cycles()[1]).toMatchObject({ id: 'c1', status: 'running', finishedAt: null });
        s.close();
      }
    } finally {
      lock.release();
    }
  });
});
