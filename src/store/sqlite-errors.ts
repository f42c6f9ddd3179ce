/**
 * What a failure of the state file means to the person running provsim: the file, what went wrong in words,
 * and what to do. SQLite's result codes (better-sqlite3 raises extended ones, e.g. `SQLITE_IOERR_WRITE`) and
 * the file-system errors of creating its directory map to a StateFileError; anything else is not a state
 * file problem and is left alone (null).
 *
 * Each message ends with what to do; none says "bug": a full disk, a damaged file or a file that cannot be
 * written is the user's to fix.
 */
import { basename } from 'node:path';
import { StateFileError } from '../shared/errors.js';

/**
 * A failure of the state file after it opened, while a cycle may be running (a disk that fills up mid-cycle):
 * unlike a StateFileError raised while opening, requests may have been sent by then.
 */
export class StateFileIoError extends StateFileError {}

/** What the failing file is to the user: the state file, or the lock file beside it. */
export type StateFileRole = 'state file' | 'lock file';

/**
 * The StateFileError for `error` on `file`, or null when `error` is not about the file (then rethrow it as
 * it is). A StateFileError is returned unchanged.
 */
export function stateFileErrorOf(
  error: unknown,
  file: string,
  role: StateFileRole = 'state file',
  /** The file was open and in use (not being opened): a StateFileIoError, saying what became of requests sent. */
  inUse = false,
): StateFileError | null {
  if (error instanceof StateFileError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  const message = String((error as Error).message);
  // Node's own messages start with the code (`EACCES: permission denied, mkdir …`), SQLite's do not.
  const reason = message.startsWith(`${code}:`) ? message : `${code}: ${message}`;
  const kind = kindOf(code);
  if (kind === null) return null;
  const text = messageFor(kind, file, role, reason);
  if (!inUse) return new StateFileError(text, { cause: error });
  const sent = 'Requests sent before it reached the target; the next run links those objects again by matching';
  return new StateFileIoError(`${text}. ${sent}`, { cause: error });
}

type Kind = 'full' | 'damaged' | 'not-a-database' | 'unwritable' | 'cannot-open' | 'io' | 'busy';

function kindOf(code: string): Kind | null {
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT') return 'full';
  if (code.startsWith('SQLITE_CORRUPT')) return 'damaged';
  if (code === 'SQLITE_NOTADB') return 'not-a-database';
  if (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_PERM' || code === 'EACCES' || code === 'EPERM' || code === 'EROFS')
    return 'unwritable';
  if (code.startsWith('SQLITE_CANTOPEN') || ['ENOTDIR', 'EISDIR', 'ENOENT', 'EEXIST', 'ELOOP', 'ENAMETOOLONG'].includes(code))
    return 'cannot-open';
  if (code.startsWith('SQLITE_IOERR') || code === 'EIO') return 'io';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'busy';
  return null;
}

function messageFor(kind: Kind, file: string, role: StateFileRole, reason: string): string {
  const name = basename(file);
  switch (kind) {
    case 'full':
      return `cannot write ${role} ${file}: the disk is full (${reason}); free space on that disk, or pass --state with a file on another disk. The state keeps what was committed before this error`;
    case 'damaged':
      return role === 'lock file'
        ? `lock file ${file} is damaged (${reason}); delete it, then run again`
        : `state file ${file} is damaged (${reason}); restore it from a copy, or move it away and pass --state with a new file (the next cycle is then an initial cycle, which links existing objects again by matching)`;
    case 'not-a-database':
      return role === 'lock file'
        ? `lock file ${file} is not provsim's (${reason}); delete it, then run again`
        : `${file} is not a provsim state file (${reason}); pass --state with a new file, or delete this one`;
    case 'unwritable':
      return role === 'lock file'
        ? `cannot write lock file ${file} (${reason}); provsim creates it beside the state file: check the owner and permissions of the lock file and of that directory, or pass --state with a writable path`
        : `cannot write state file ${file} (${reason}); provsim writes the file, ${name}-wal and ${name}-shm beside it, and ${name}.lock: check the owner and permissions of the file and its directory, or pass --state with a writable path`;
    case 'cannot-open':
      return `cannot open ${role} ${file} (${reason}); check that its directory exists or can be created, that it can be written, and that the path is not a directory, or pass --state with another path`;
    case 'io':
      return `reading or writing ${role} ${file} failed (${reason}); check the disk (free space, the kernel log), then run again, or pass --state with a file on another disk`;
    case 'busy':
      return `${role} ${file} is locked by another program (${reason}); close whatever else has it open (a database browser, a backup), then run again`;
  }
}
