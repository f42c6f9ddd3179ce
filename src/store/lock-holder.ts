/**
 * Who holds a state file's lock, as a person needs it to decide whether to wait: the process id, the host,
 * the command line and since when. The record only describes the holder; whether the lock is held is the
 * operating system's answer (store/state-lock.ts), never this record's.
 *
 * The holder's record is the `lock_holder` row of the state file's `meta` table, written by the store once it
 * has checked the file is provsim's (store.ts) and deleted when it closes. A process killed while holding the
 * lock leaves its row behind; the next holder overwrites it. So a row may name a process that no longer
 * exists: `readLockHolder` then says so (`recorded: false`) rather than name the dead process.
 *
 * The command line never carries a secret: `--token`'s value (`serve` takes one) and the password of any
 * URL (`--smtp smtp://user:password@host`) are replaced by `***`.
 */
import { hostname } from 'node:os';
import { basename } from 'node:path';
import Database from 'better-sqlite3';
import type { Clock } from '../shared/clock.js';

export interface StateLockHolder {
  pid: number;
  host: string;
  /** The command line, secrets masked, e.g. `provsim sync --fixtures tenant --state .provsim/state.db`. */
  command: string;
  /** When the lock was taken (ISO-8601, the holder's clock). */
  since: string;
}

/** The meta key of the holder's row. */
export const LOCK_HOLDER_KEY = 'lock_holder';

/** The longest command line recorded; longer ones end in `…`. */
const MAX_COMMAND = 300;

/** This process as a holder: its id, host and command line (from `argv` unless given), at the clock's now. */
export function thisHolder(clock: Clock, command?: string): StateLockHolder {
  return { pid: process.pid, host: hostname(), command: command ?? describeCommand(process.argv), since: clock.now().toISOString() };
}

/**
 * A command line from `argv` (`[node, script, ...args]`), as a person would type it: provsim's entry point
 * (`dist/cli/main.js`, `src/cli/main.ts`, a `provsim` bin link) reads `provsim`, any other script its file name.
 * Secrets are masked, and the text is cut at MAX_COMMAND characters.
 */
export function describeCommand(argv: readonly string[]): string {
  const script = argv[1] === undefined ? basename(argv[0] ?? 'node') : basename(argv[1]);
  const program = /^(provsim|main\.[cm]?[jt]s)$/.test(script) ? 'provsim' : script;
  const args: string[] = [];
  for (let i = 2; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--token' && i + 1 < argv.length) {
      args.push(arg, '***');
      i++;
    } else if (arg.startsWith('--token=')) args.push('--token=***');
    else args.push(maskUrlPassword(arg));
  }
  const text = [program, ...args].map(quoted).join(' ');
  return text.length > MAX_COMMAND ? `${text.slice(0, MAX_COMMAND - 1)}…` : text;
}

/** `scheme://user:password@host` → `scheme://user:***@host`, anywhere in the text. */
function maskUrlPassword(text: string): string {
  return text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:)[^\s/@]*@/gi, '$1***@');
}

function quoted(arg: string): string {
  return arg === '' || /[\s"'\\$`]/.test(arg) ? JSON.stringify(arg) : arg;
}

export type RecordedHolder =
  /** The row names a process that may be running: on another host, or alive on this one. */
  | { recorded: true; holder: StateLockHolder }
  /** No row, an unreadable one, or one naming a process that no longer exists on this host. */
  | { recorded: false };

/**
 * The holder recorded in `stateFile`, read through a read-only connection (nothing is written, no lock is
 * taken). Any failure to read it (no file yet: the holder may be creating it) is `recorded: false`.
 */
export function readLockHolder(stateFile: string): RecordedHolder {
  let db: Database.Database | undefined;
  try {
    db = new Database(stateFile, { readonly: true, fileMustExist: true, timeout: 100 });
    const value = db.prepare('SELECT value FROM meta WHERE key = ?').pluck(true).get(LOCK_HOLDER_KEY);
    const holder = typeof value === 'string' ? parseHolder(value) : null;
    if (!holder) return { recorded: false };
    return holder.host !== hostname() || processExists(holder.pid) ? { recorded: true, holder } : { recorded: false };
  } catch {
    return { recorded: false };
  } finally {
    db?.close();
  }
}

function parseHolder(text: string): StateLockHolder | null {
  try {
    const v = JSON.parse(text) as Partial<StateLockHolder>;
    if (typeof v.pid !== 'number' || typeof v.host !== 'string' || typeof v.command !== 'string' || typeof v.since !== 'string')
      return null;
    return { pid: v.pid, host: v.host, command: v.command, since: v.since };
  } catch {
    return null;
  }
}

/** Whether a process with this id exists on this host (signal 0 checks without sending; EPERM: it exists). */
function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** `provsim sync … (pid 1234 on build-7, since 2026-…)`, or what is known when nothing is recorded. */
export function describeHolder(recorded: RecordedHolder): string {
  if (!recorded.recorded) return 'another provsim process (it has not recorded itself yet: it may be opening the file right now)';
  const h = recorded.holder;
  const self = h.pid === process.pid && h.host === hostname() ? ', this process' : '';
  return `${h.command} (pid ${h.pid} on ${h.host}${self}, since ${h.since})`;
}
