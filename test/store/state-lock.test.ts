/**
 * The state file's lock within one process: one writable store per file, the holder named in the refusal,
 * read-only stores outside the lock, waiting for it on an injected clock, and the command line it records.
 * Across processes (a second CLI run, a killed holder, a race): test/e2e/state-lock.test.ts.
 */
import { existsSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/shared/clock.js';
import { StateFileError, UsageError } from '../../src/shared/errors.js';
import { describeCommand } from '../../src/store/lock-holder.js';
import { acquireStateLock, lockStateFile, probeStateLock, StateFileInUseError, type StateLock } from '../../src/store/state-lock.js';
import { openStateStore, StateStore } from '../../src/store/store.js';

const dirs: string[] = [];
const open: Array<{ close(): void } | StateLock> = [];
const fresh = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'provsim-lock-'));
  dirs.push(d);
  return join(d, 'state.db');
};
/** Closed after each test, whatever it asserted. */
const keep = <T extends { close(): void } | StateLock>(x: T): T => (open.push(x), x);
afterEach(() => {
  for (const x of open.splice(0)) 'release' in x ? x.release() : x.close();
  dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
});

const AT = '2026-03-01T09:00:00.000Z';
const holderText = (command: string, since = AT): string =>
  `${command} (pid ${process.pid} on ${hostname()}, this process, since ${since})`;

/** The error a thunk throws (fails the test when it throws none). */
function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error, got none');
}

describe('one writable store per state file', () => {
  it('a second writable store fails at once, naming the holder: command, pid, host, since; a usage error (exit 2)', () => {
    const file = fresh();
    const first = keep(new StateStore(file, { clock: new ManualClock(AT), command: 'provsim sync --state .provsim/state.db' }));
    first.setTarget('http://127.0.0.1:1/scim');
    const error = thrown(() => new StateStore(file, { command: 'provsim watch' }));
    expect(error).toBeInstanceOf(StateFileInUseError);
    expect(error).toBeInstanceOf(StateFileError);
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toBe(
      `${file} is in use by ${holderText('provsim sync --state .provsim/state.db')}; wait for it to finish, or pass --wait`,
    );
    expect((error as StateFileInUseError).who).toBe(holderText('provsim sync --state .provsim/state.db'));
    expect((error as StateFileInUseError).holder).toEqual({
      pid: process.pid,
      host: hostname(),
      command: 'provsim sync --state .provsim/state.db',
      since: AT,
    });
    // The refused store wrote nothing, and the holder goes on.
    first.setQuarantine(null);
    expect(first.target()).toBe('http://127.0.0.1:1/scim');
    first.close();
    const next = keep(new StateStore(file));
    expect(next.target()).toBe('http://127.0.0.1:1/scim');
  });

  it('one lock whatever the spelling of the path: relative, or through a symbolic link', () => {
    const file = fresh();
    keep(new StateStore(file, { clock: new ManualClock(AT), command: 'provsim sync' }));
    const link = join(file, '..', 'link.db');
    symlinkSync(file, link);
    expect(() => new StateStore(link)).toThrow(StateFileInUseError);
    expect(() => new StateStore(relative(process.cwd(), file))).toThrow(StateFileInUseError);
  });

  it('close() releases the lock (twice is harmless); a released lock can be taken again', () => {
    const file = fresh();
    const a = new StateStore(file);
    a.close();
    a.close();
    const lock = lockStateFile(file);
    expect(lock.held).toBe(true);
    expect(() => new StateStore(file)).toThrow(StateFileInUseError);
    lock.release();
    lock.release();
    expect(lock.held).toBe(false);
    keep(new StateStore(file)).close();
  });

  it('read-only stores are neither refused by a writer nor refuse one, snapshot or in place', () => {
    const file = fresh();
    const writer = keep(new StateStore(file));
    writer.setTarget('http://127.0.0.1:1/scim');
    const snapshot = keep(new StateStore(file, { readOnly: true }));
    const live = keep(new StateStore(file, { readOnly: true, snapshot: false }));
    expect(snapshot.target()).toBe('http://127.0.0.1:1/scim');
    writer.setTarget('http://127.0.0.1:2/scim');
    // In place sees the writer's commits; a snapshot is the file as it was.
    expect(live.target()).toBe('http://127.0.0.1:2/scim');
    expect(snapshot.target()).toBe('http://127.0.0.1:1/scim');
    writer.close();
    // Read-only stores open: a writer still gets the lock.
    const again = keep(new StateStore(file));
    expect(again.target()).toBe('http://127.0.0.1:2/scim');
  });

  it('a read-only store of a file above the snapshot size reads it in place (a large state cannot be copied into memory)', () => {
    const file = fresh();
    const writer = keep(new StateStore(file));
    writer.setTarget('http://127.0.0.1:1/scim');
    const size = statSync(file).size;
    const small = keep(new StateStore(file, { readOnly: true, snapshotMaxBytes: size }));
    const large = keep(new StateStore(file, { readOnly: true, snapshotMaxBytes: size - 1 }));
    writer.setTarget('http://127.0.0.1:2/scim');
    expect(small.target()).toBe('http://127.0.0.1:1/scim');
    expect(large.target()).toBe('http://127.0.0.1:2/scim');
    // Asked for explicitly, a snapshot is a snapshot whatever the size.
    const asked = keep(new StateStore(file, { readOnly: true, snapshot: true, snapshotMaxBytes: 0 }));
    writer.setTarget('http://127.0.0.1:3/scim');
    expect(asked.target()).toBe('http://127.0.0.1:2/scim');
  });

  it('":memory:" takes no lock', () => {
    keep(new StateStore(':memory:'));
    keep(new StateStore(':memory:'));
  });

  it('a lock handed to the store records its holder and is released on close, or when the store refuses the file', async () => {
    const file = fresh();
    const lock = await acquireStateLock(file, { clock: new ManualClock(AT), command: 'provsim sync --wait' });
    const store = new StateStore(file, { lock });
    const error = thrown(() => new StateStore(file));
    expect(error.message).toContain(`is in use by ${holderText('provsim sync --wait')}`);
    store.close();
    expect(lock.held).toBe(false);

    const foreign = fresh();
    const db = new Database(foreign);
    db.exec('CREATE TABLE orders (id INTEGER)');
    db.close();
    const given = lockStateFile(foreign);
    expect(() => new StateStore(foreign, { lock: given })).toThrow(/not a provsim state file/);
    expect(given.held).toBe(false);
    expect(() => new StateStore(file, { readOnly: true, lock: lockStateFile(file) })).toThrow(
      /Expected `lock` only for a store open for writing/,
    );
    keep(new StateStore(file)).close();
  });

  it('a holder that has not recorded itself (the row names a process that has ended) is described as such', () => {
    const file = fresh();
    new StateStore(file).close();
    const db = new Database(file);
    // No process has this id (Linux's pid_max is at most 2^22).
    const dead = { pid: 2 ** 30, host: hostname(), command: 'provsim sync', since: AT };
    db.prepare("INSERT INTO meta (key, value) VALUES ('lock_holder', ?)").run(JSON.stringify(dead));
    db.close();
    keep(lockStateFile(file));
    const error = thrown(() => new StateStore(file)) as StateFileInUseError;
    expect(error.message).toBe(
      `${file} is in use by another provsim process (it has not recorded itself yet: it may be opening the file right now); wait for it to finish, or pass --wait`,
    );
    expect(error.holder).toBeNull();
  });

  it('probeStateLock tells a held lock and its holder without taking it, and creates no lock file', () => {
    const file = fresh();
    expect(probeStateLock(file)).toEqual({ held: false });
    expect(existsSync(`${file}.lock`)).toBe(false);
    const store = keep(new StateStore(file, { clock: new ManualClock(AT), command: 'provsim watch' }));
    expect(probeStateLock(file)).toEqual({
      held: true,
      holder: { pid: process.pid, host: hostname(), command: 'provsim watch', since: AT },
    });
    // The probe did not take it: the holder still writes, and releasing frees it.
    store.setTarget('http://127.0.0.1:1/scim');
    store.close();
    expect(probeStateLock(file)).toEqual({ held: false });
  });
});

/** A manual clock that runs `onSleep` with the number of each sleep (1, 2, …) before advancing. */
class SteppedClock extends ManualClock {
  constructor(private readonly onSleep: (n: number) => void) {
    super(AT);
  }

  override async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.onSleep(this.sleeps.length + 1);
    return super.sleep(ms, signal);
  }
}

describe('waiting for the lock', () => {
  it('polls until the holder closes, then holds it, with its own since', async () => {
    const file = fresh();
    const holder = new StateStore(file);
    const clock = new SteppedClock((n) => n === 3 && holder.close());
    const told: string[] = [];
    const store = keep(
      await openStateStore(file, {
        wait: { timeoutMs: 60_000, pollMs: 1_000, onWait: (busy) => told.push(busy.message) },
        clock,
        command: 'provsim sync --wait',
      }),
    );
    expect(clock.sleeps).toEqual([1_000, 1_000, 1_000]);
    // Told once, at the first attempt, who holds it.
    expect(told).toEqual([
      expect.stringMatching(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is in use by .*\\(pid ${process.pid} on `)),
    ]);
    expect(probeStateLock(file)).toEqual({
      held: true,
      holder: { pid: process.pid, host: hostname(), command: 'provsim sync --wait', since: '2026-03-01T09:00:03.000Z' },
    });
    store.setTarget('http://127.0.0.1:1/scim');
  });

  it('gives up once the bound has passed on the clock, saying how long it waited', async () => {
    const file = fresh();
    keep(new StateStore(file, { clock: new ManualClock(AT), command: 'provsim watch' }));
    const clock = new ManualClock(AT);
    const error = (await acquireStateLock(file, { wait: { timeoutMs: 120_000, pollMs: 50_000 }, clock }).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(StateFileInUseError);
    expect(error.message).toBe(
      `${file} is still in use by ${holderText('provsim watch')} after waiting 2m; wait for it to finish, or pass a longer --wait`,
    );
    // The last sleep is cut to the bound.
    expect(clock.sleeps).toEqual([50_000, 50_000, 20_000]);
  });

  it('stops waiting when the signal aborts, with its reason; without wait, fails at once', async () => {
    const file = fresh();
    keep(new StateStore(file));
    const controller = new AbortController();
    const clock = new SteppedClock((n) => n === 2 && controller.abort(new Error('interrupted')));
    await expect(acquireStateLock(file, { wait: { timeoutMs: Infinity }, clock, signal: controller.signal })).rejects.toThrow(
      'interrupted',
    );
    expect(clock.sleeps).toHaveLength(1);
    const once = new ManualClock(AT);
    await expect(openStateStore(file, { clock: once })).rejects.toThrow(StateFileInUseError);
    expect(once.sleeps).toEqual([]);
    await expect(acquireStateLock(file, { wait: { timeoutMs: -1 } })).rejects.toThrow(/Expected `wait.timeoutMs`/);
  });
});

describe('the command line a holder records', () => {
  it("reads provsim for provsim's entry points, the script's name otherwise, and quotes what a shell would split", () => {
    expect(describeCommand(['/usr/bin/node', '/x/dist/cli/main.js', 'sync', '--state', 'a b.db'])).toBe('provsim sync --state "a b.db"');
    expect(describeCommand(['node', '/x/src/cli/main.ts', 'watch'])).toBe('provsim watch');
    expect(describeCommand(['node', '/x/node_modules/.bin/provsim', 'status'])).toBe('provsim status');
    expect(describeCommand(['node', '/x/node_modules/vitest/vitest.mjs', 'run'])).toBe('vitest.mjs run');
  });

  it("masks --token's value and URL passwords, and cuts a long command line", () => {
    expect(describeCommand(['node', 'main.js', 'serve', '--token', 's3cret', '--port', '0'])).toBe('provsim serve --token *** --port 0');
    expect(describeCommand(['node', 'main.js', 'serve', '--token=s3cret'])).toBe('provsim serve --token=***');
    expect(describeCommand(['node', 'main.js', 'sync', '--smtp', 'smtp://me:pa55@mail.example:25'])).toBe(
      'provsim sync --smtp smtp://me:***@mail.example:25',
    );
    const long = describeCommand(['node', 'main.js', 'sync', '--fixtures', 'x'.repeat(400)]);
    expect(long).toHaveLength(300);
    expect(long.endsWith('…')).toBe(true);
  });
});
