/**
 * One writer per state file, across processes and within one: the lock a StateStore holds for as long as it
 * is open for writing. Two `sync` runs (or `watch` and `sync`) on one state file would otherwise both run
 * full cycles against the same target and create every object twice.
 *
 * How: `<state>.lock` beside the state file is an empty SQLite database, and holding the lock is holding an
 * EXCLUSIVE transaction on it (journal in memory, so no journal file appears). SQLite takes that as an
 * operating-system lock on the file (POSIX advisory locks; LockFileEx on Windows), and SQLite arbitrates it
 * between connections of one process too.
 *
 * Why not a lock file created with O_EXCL holding the holder's pid: the operating system drops the lock of a
 * process that ends however it ends (SIGKILL, a crash, a container stopped), so a lock is never stale, and
 * nothing has to decide from a pid whether its holder is alive. A pid file cannot tell a dead holder from a
 * reused pid, nor from a holder on another host or in another container (a killed `docker run` would lock
 * its volume's state for good), and taking over a stale one atomically needs a second lock of its own. Two
 * processes racing for a lock whose holder was killed race for an OS lock, which exactly one gets.
 *
 * Contract:
 * - `lockStateFile` takes the lock or throws `StateFileInUseError` naming the holder (lock-holder.ts); it
 *   never waits beyond LOCK_BUSY_MS (which rides over `probeStateLock`'s momentary read lock).
 * - `acquireStateLock` with `wait` polls until the lock is free, the bound passes (then the same error,
 *   saying how long it waited) or the signal aborts (then it rejects with the signal's reason).
 * - `StateLock.release()` is idempotent. The lock file is never deleted: a process waiting on it would lock
 *   a file no longer in the directory while a third locks a new one.
 * - Nothing in this process may open `<state>.lock` except through SQLite: closing any other descriptor of
 *   it would drop this process's POSIX locks on it.
 * - The state file's directory is created (mode 0700) if need be; a new lock file gets mode 0600.
 */
import { existsSync, mkdirSync, realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { systemClock, type Clock } from '../shared/clock.js';
import { StateFileError } from '../shared/errors.js';
import { restrictMode } from './file-mode.js';
import { describeHolder, readLockHolder, thisHolder, type StateLockHolder } from './lock-holder.js';
import { stateFileErrorOf } from './sqlite-errors.js';

/** How long one attempt waits out a lock held for a moment (a probe's read), in ms. */
const LOCK_BUSY_MS = 100;
/** Between two attempts while waiting, in ms. */
const DEFAULT_POLL_MS = 500;

/** The state file is held by another StateStore, in this process or another (exit 2: nothing was done). */
export class StateFileInUseError extends StateFileError {
  constructor(
    message: string,
    readonly file: string,
    /** The recorded holder, when one could be read. */
    readonly holder: StateLockHolder | null,
    /** The holder in words, as the message names it: `provsim sync … (pid 1234 on build-7, since …)`. */
    readonly who: string,
  ) {
    super(message);
  }
}

export interface StateLockOptions {
  /** The clock of the holder's `since`, and of waiting. @default the system clock */
  clock?: Clock;
  /** The command line recorded for others to read. @default this process's, secrets masked */
  command?: string;
}

export interface WaitOptions {
  /** The longest wait in ms; `Infinity` waits until the lock is free or the signal aborts. */
  timeoutMs: number;
  /** @default 500 */
  pollMs?: number;
  /** Called once, when the first attempt finds the lock held (to say what is being waited for). */
  onWait?: (busy: StateFileInUseError) => void;
}

/** A held lock. The store that is given it records `holder` in the state file and releases it on close. */
export class StateLock {
  readonly #db: Database.Database;
  #held = true;

  /** @internal Built by lockStateFile. */
  constructor(
    /** The state file, as given. */
    readonly file: string,
    /** `<state>.lock`, beside the state file's real path. */
    readonly lockFile: string,
    /** This process, as recorded for others. */
    readonly holder: StateLockHolder,
    db: Database.Database,
  ) {
    this.#db = db;
  }

  get held(): boolean {
    return this.#held;
  }

  release(): void {
    if (!this.#held) return;
    this.#held = false;
    try {
      this.#db.exec('ROLLBACK');
    } finally {
      this.#db.close();
    }
  }
}

/**
 * The lock file of a state file: beside its real path, so two spellings of one file (relative, absolute,
 * through a symbolic link) share one lock.
 */
export function lockFileOf(stateFile: string): string {
  const real = existsSync(stateFile) ? realpathSync(stateFile) : join(realpathSync(dirname(stateFile)), basename(stateFile));
  return `${real}.lock`;
}

/** Takes the lock now, or throws StateFileInUseError naming the holder. */
export function lockStateFile(stateFile: string, options: StateLockOptions = {}): StateLock {
  let lockFile: string;
  try {
    mkdirSync(dirname(stateFile), { recursive: true, mode: 0o700 });
    lockFile = lockFileOf(stateFile);
  } catch (error) {
    throw stateFileErrorOf(error, stateFile) ?? error;
  }
  const created = !existsSync(lockFile);
  let db: Database.Database;
  try {
    db = new Database(lockFile, { timeout: LOCK_BUSY_MS });
  } catch (error) {
    throw stateFileErrorOf(error, lockFile, 'lock file') ?? error;
  }
  try {
    if (created) restrictMode(lockFile);
    db.pragma('journal_mode = MEMORY');
    db.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    db.close();
    if ((error as { code?: unknown }).code === 'SQLITE_BUSY') throw inUse(stateFile);
    throw stateFileErrorOf(error, lockFile, 'lock file') ?? error;
  }
  return new StateLock(stateFile, lockFile, thisHolder(options.clock ?? systemClock, options.command), db);
}

/**
 * Takes the lock; with `wait`, polls until it is free, `wait.timeoutMs` has passed on the clock (then
 * StateFileInUseError, saying how long it waited), or `signal` aborts (then rejects with its reason).
 */
export async function acquireStateLock(
  stateFile: string,
  options: StateLockOptions & { wait?: WaitOptions; signal?: AbortSignal } = {},
): Promise<StateLock> {
  const { wait, signal } = options;
  if (!wait) return lockStateFile(stateFile, options);
  if (!(wait.timeoutMs >= 0)) throw new TypeError(`Expected \`wait.timeoutMs\` to be a number from 0, got \`${String(wait.timeoutMs)}\``);
  const pollMs = wait.pollMs ?? DEFAULT_POLL_MS;
  if (!Number.isFinite(pollMs) || pollMs <= 0)
    throw new TypeError(`Expected \`wait.pollMs\` to be a positive number, got \`${String(pollMs)}\``);
  const clock = options.clock ?? systemClock;
  const start = clock.now().getTime();
  let told = false;
  for (;;) {
    if (signal?.aborted) throw signal.reason;
    try {
      return lockStateFile(stateFile, options);
    } catch (error) {
      if (!(error instanceof StateFileInUseError)) throw error;
      const waited = clock.now().getTime() - start;
      if (!told && waited < wait.timeoutMs) wait.onWait?.(error);
      told = true;
      if (waited >= wait.timeoutMs) throw inUse(stateFile, waited);
      await clock.sleep(Math.min(pollMs, wait.timeoutMs - waited), signal);
    }
  }
}

/**
 * Whether a live process holds the lock, and who (when recorded), without taking it: a read-only look at
 * the lock file that holds a shared lock for a moment. A missing lock file is free (it is not created).
 */
export function probeStateLock(stateFile: string): { held: false } | { held: true; holder: StateLockHolder | null } {
  let lockFile: string;
  try {
    lockFile = lockFileOf(stateFile);
  } catch {
    return { held: false };
  }
  if (!existsSync(lockFile)) return { held: false };
  let db: Database.Database | undefined;
  try {
    db = new Database(lockFile, { readonly: true, fileMustExist: true, timeout: 0 });
    db.prepare('SELECT COUNT(*) FROM sqlite_master').get();
    return { held: false };
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'SQLITE_BUSY') return { held: false };
    const recorded = readLockHolder(stateFile);
    return { held: true, holder: recorded.recorded ? recorded.holder : null };
  } finally {
    db?.close();
  }
}

function inUse(stateFile: string, waitedMs?: number): StateFileInUseError {
  const recorded = readLockHolder(stateFile);
  const who = describeHolder(recorded);
  const holder = recorded.recorded ? recorded.holder : null;
  if (waitedMs === undefined)
    return new StateFileInUseError(`${stateFile} is in use by ${who}; wait for it to finish, or pass --wait`, stateFile, holder, who);
  return new StateFileInUseError(
    `${stateFile} is still in use by ${who} after waiting ${formatWait(waitedMs)}; wait for it to finish, or pass a longer --wait`,
    stateFile,
    holder,
    who,
  );
}

function formatWait(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
}
