/**
 * The state store on SQLite (better-sqlite3, synchronous): anchors, watermark hashes, exported group
 * memberships, escrows, cycles and the provisioning log.
 *
 * Crash safety: every successful write to the target is recorded as soon as its response arrives and
 * committed in batches (store/write-behind.ts), so a kill loses at most the knowledge of the last batch's
 * requests. Those are recovered by matching: an object without an anchor is looked up by its matching
 * attribute before any POST, so a re-run links instead of duplicating.
 * Never stores the bearer token.
 *
 * One writer: a store open for writing holds the state file's lock (store/state-lock.ts) from its
 * constructor to `close()`, so a second writer, in this process or another, fails at once naming this one.
 * Read-only stores take no lock: they neither wait for a writer nor make one wait.
 *
 * Nothing is written to a file before it is known to be provsim's (store/schema-check.ts). New state files
 * (and their -wal and -shm files, which SQLite creates with the database's mode) and lock files are
 * created with mode 0600, new directories 0700: the state holds the exported attributes of every user.
 *
 * Every failure of the file itself (a full disk, a damaged file, one that cannot be written or opened) is a
 * StateFileError saying which file and what to do (store/sqlite-errors.ts), from the constructor and from
 * every public method.
 *
 * Cycles left `running` by a process that ended without finishing them are `abandoned`: a writable store
 * marks them so when it opens (it holds the lock, so no live process is running them), a read-only one
 * shows them so when no process holds the lock. An abandoned cycle's `finishedAt` is the time of its last
 * log entry (null when it wrote none), about when its process ended, and its counts those of its log.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Clock } from '../shared/clock.js';
import { StateFileError } from '../shared/errors.js';
import type { ObjectType } from '../model/records.js';
import { Checkpointer, type CheckpointerOptions } from './checkpointer.js';
import { LOCK_HOLDER_KEY } from './lock-holder.js';
import { columnsOf, decodeLogEntry, encodeLogEntry, IMPLIED_NAMES, type LogColumns } from './log-codec.js';
import { foldText, nearQuery, rankNear, searchText, searchTextOf, type LogIdentity, type NearIdentity } from './log-search.js';
import { restrictMode } from './file-mode.js';
import { checkProvsimDatabase } from './schema-check.js';
import { StateFileIoError, stateFileErrorOf } from './sqlite-errors.js';
import { acquireStateLock, lockStateFile, probeStateLock, StateLock, type WaitOptions } from './state-lock.js';
import type { Anchor, CycleRecord, CycleStatus, Escrow, LogEntry, Quarantine } from '../model/records.js';

const SCHEMA_VERSION = 4;

/*
 * Watermarks and memberships are WITHOUT ROWID: small rows, written once per object per cycle, in one B-tree
 * instead of a rowid table plus the index of its key. Links stay a rowid table: their rows (about 1 KB of
 * exported values) made each commit about ten times dearer as WITHOUT ROWID (measured). The log is
 * append-only: its `seq` is the rowid, so each insert appends to the end of one B-tree; entries are looked
 * up by cycle (`log_cycle`), never by id. `upn` and `mail_nickname` are the source identity's details
 * (null when absent, and in rows written before v4). Its `search` column is the entry's identifiers folded for
 * `logs({ user })` (store/log-search.ts); it has no index: a substring match cannot use one, and scanning
 * that short column costs less than the LOWER(entry) scan it replaced, while an index would make every
 * append dearer.
 */
const TABLES = {
  meta: 'CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)',
  anchors: `CREATE TABLE IF NOT EXISTS anchors (
  source_id TEXT PRIMARY KEY, object_type TEXT NOT NULL, target_id TEXT NOT NULL, display_name TEXT NOT NULL,
  status TEXT NOT NULL, exported TEXT NOT NULL)`,
  watermarks:
    'CREATE TABLE IF NOT EXISTS watermarks (source_id TEXT PRIMARY KEY, object_type TEXT NOT NULL, hash TEXT NOT NULL) WITHOUT ROWID',
  memberships:
    'CREATE TABLE IF NOT EXISTS memberships (group_id TEXT NOT NULL, member_id TEXT NOT NULL, PRIMARY KEY (group_id, member_id)) WITHOUT ROWID',
  escrows: `CREATE TABLE IF NOT EXISTS escrows (
  source_id TEXT PRIMARY KEY, object_type TEXT NOT NULL, first_failure_at TEXT NOT NULL, last_failure_at TEXT NOT NULL,
  attempts INTEGER NOT NULL, error_code TEXT NOT NULL, next_retry_at TEXT NOT NULL DEFAULT '')`,
  cycles: `CREATE TABLE IF NOT EXISTS cycles (
  id TEXT PRIMARY KEY, seq INTEGER NOT NULL, kind TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT,
  status TEXT NOT NULL, dry_run INTEGER NOT NULL, job_hash TEXT NOT NULL, counts TEXT NOT NULL)`,
  log: `CREATE TABLE IF NOT EXISTS log (
  seq INTEGER PRIMARY KEY, id TEXT NOT NULL, cycle_id TEXT NOT NULL, activity_at TEXT NOT NULL, action TEXT NOT NULL,
  status TEXT NOT NULL, source_id TEXT NOT NULL, display_name TEXT NOT NULL, object_type TEXT NOT NULL, entry TEXT NOT NULL,
  upn TEXT, mail_nickname TEXT, search TEXT NOT NULL DEFAULT '')`,
} as const;

const MIGRATION = `${Object.values(TABLES).join(';\n')};
CREATE INDEX IF NOT EXISTS log_cycle ON log (cycle_id);
`;

/**
 * v2 → v3: watermarks and memberships become WITHOUT ROWID, the log's `seq` its rowid and its entries take
 * the compact stored form (log-codec.ts). SQLite cannot change a table's kind in place, so each is copied
 * into a new one of the v3 shape (the log row by row, re-encoded), in one transaction with the version bump.
 * The new log table has the current shape, so a v1 or v2 file goes straight to the current version.
 */
const V2_TO_V3 = `
${['watermarks', 'memberships', 'log'].map((t) => `ALTER TABLE ${t} RENAME TO ${t}_v2;`).join('\n')}
DROP INDEX IF EXISTS log_cycle;
CREATE INDEX IF NOT EXISTS log_seq ON log_v2 (seq);
${TABLES.watermarks};
${TABLES.memberships};
${TABLES.log};
INSERT INTO watermarks SELECT source_id, object_type, hash FROM watermarks_v2;
INSERT INTO memberships SELECT group_id, member_id FROM memberships_v2;
DROP TABLE watermarks_v2;
DROP TABLE memberships_v2;
`;

/**
 * v3 → v4: the log gains the source identity's details (`upn`, `mail_nickname`; null in the rows v3 wrote,
 * which never had them) and its `search` column, back-filled from each row's columns and stored entry:
 * source id, target id and display name. A row whose entry is not valid JSON gets what its columns hold.
 * `provsim_search_text` is registered on the connection for this statement (one JS call per row, once).
 */
const V3_TO_V4 = `
ALTER TABLE log ADD COLUMN upn TEXT;
ALTER TABLE log ADD COLUMN mail_nickname TEXT;
ALTER TABLE log ADD COLUMN search TEXT NOT NULL DEFAULT '';
UPDATE log SET search = provsim_search_text(source_id,
  CASE WHEN json_valid(entry) THEN json_extract(entry, '$.targetIdentity.id') END, display_name, NULL, NULL);
`;

const INSERT_LOG = `INSERT INTO log (id, cycle_id, activity_at, action, status, source_id, display_name, object_type, upn, mail_nickname, entry, search)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/** The values of INSERT_LOG for an entry, in its column order. */
function logRow(e: LogEntry): unknown[] {
  const c = columnsOf(e);
  return [
    c.id,
    c.cycle_id,
    c.activity_at,
    c.action,
    c.status,
    c.source_id,
    c.display_name,
    c.object_type,
    c.upn,
    c.mail_nickname,
    encodeLogEntry(e),
    searchTextOf(e),
  ];
}

function rowMayHold(row: readonly unknown[], mask: LogMask): boolean {
  for (const v of row) if (typeof v === 'string' && mask.mayHold(v)) return true;
  return false;
}

/** How `appendLog` keeps secrets out of the log. */
export interface LogMask {
  /** False only when `text` certainly holds no secret. */
  mayHold(text: string): boolean;
  /** The entry with every secret masked (the same object when there was none). */
  redact(entry: LogEntry): LogEntry;
}

export interface LogQuery {
  cycleId?: string;
  status?: string;
  action?: string;
  /**
   * Matches a part of the source id, target id, display name, UPN (so also the part before its '@') or
   * mail nickname, ignoring case and accents ("jose muller" and "JOSÉ" find "José Müller"; see
   * store/log-search.ts). Entries written before schema v4 carry no UPN or mail nickname.
   */
  user?: string;
  /** ISO time: entries at or after it. */
  since?: string;
  limit?: number;
}

/**
 * Above this size a read-only store reads its file in place instead of copying it into memory: the state
 * of a million users, with its provisioning log, is gigabytes, and SQLite copies at most about 2 GB.
 */
export const SNAPSHOT_MAX_BYTES = 256 * 2 ** 20;

/** A writable in-memory database holding what `file` holds; the file is opened read-only and closed again. */
function inMemoryCopy(file: string): Database.Database {
  const source = openReadOnly(file);
  try {
    // Its own kind of file first, so that a copy that fails is not taken for a foreign file.
    checkProvsimDatabase(source, file);
    let image: Buffer;
    try {
      image = source.serialize();
    } catch (error) {
      throw new StateFileError(
        `cannot copy state file ${file} (${megabytes(statSync(file).size)}) into memory to read it (${(error as Error).message}); the file is intact. A file this large is read in place when it is of this provsim's schema: run a sync (not a dry run) once with this provsim to upgrade it, then read it`,
        { cause: error },
      );
    }
    // Bytes 18 and 19 of the header say "WAL" (2) for a file in WAL mode; a database in memory cannot be one,
    // so the copy says "rollback journal" (1). Nothing else in the image depends on it.
    if (image.length >= 20 && image[18] === 2 && image[19] === 2) image[18] = image[19] = 1;
    return new Database(image);
  } catch (error) {
    throw (
      stateFileErrorOf(error, file) ??
      new StateFileError(`cannot read state file ${file} into memory (${(error as Error).message}); the file is left as it was`, {
        cause: error,
      })
    );
  } finally {
    source.close();
  }
}

/** The file's size, or 0 when it cannot be read (opening it then says why). */
function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

const megabytes = (bytes: number): string => `${Math.round(bytes / 2 ** 20).toLocaleString('en-US')} MB`;

/** `file` opened read-only, in place; a missing file or a directory says to check --state. */
function openReadOnly(file: string): Database.Database {
  const cannotRead = (why: string): StateFileError =>
    new StateFileError(`cannot read state file ${file} (${why}); check the path given with --state`);
  let isFile: boolean;
  try {
    isFile = statSync(file).isFile();
  } catch (error) {
    throw cannotRead(`${(error as NodeJS.ErrnoException).code ?? 'unable to open database file'}: ${(error as Error).message}`);
  }
  if (!isFile) throw cannotRead('it is not a file');
  try {
    return new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('SQLITE_CANTOPEN')) throw cannotRead((error as Error).message);
    throw stateFileErrorOf(error, file) ?? error;
  }
}

/** The schema version `db` records, or null (a new file, or one whose first open ended early). */
function schemaVersionOf(db: Database.Database): string | null {
  const hasMeta = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").get() !== undefined;
  if (!hasMeta) return null;
  const value = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").pluck(true).get();
  return typeof value === 'string' ? value : null;
}

/**
 * A state file opened for writing, with its lock: the directory is created (0700) if need be, the lock taken
 * (or the one given used), then the file opened, and made 0600 if this created it, before SQLite creates its
 * -wal and -shm files with the same mode. On failure the lock is released.
 */
function openForWriting(file: string, options: StateStoreOptions): { db: Database.Database; lock: StateLock } {
  let lock = options.lock;
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    lock ??= lockStateFile(file, {
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.command ? { command: options.command } : {}),
    });
    const created = !existsSync(file);
    const db = new Database(file);
    if (created) restrictMode(file);
    return { db, lock };
  } catch (error) {
    lock?.release();
    throw stateFileErrorOf(error, file) ?? error;
  }
}

export interface StateStoreOptions {
  /** The background checkpointer's settings (store/checkpointer.ts); false: none. */
  checkpoint?: CheckpointerOptions | false;
  /**
   * Never write the file, and take no lock. By default a file up to `snapshotMaxBytes` is read once into
   * memory (a snapshot), not even its schema upgraded there (the copy is upgraded instead): a dry run leaves
   * an existing state file byte for byte as it was. Trade-off: the whole file is held in memory for the run.
   */
  readOnly?: boolean;
  /**
   * With `readOnly`, false reads the file in place instead (`status`, `logs`): no copy in memory, and each
   * read sees what writers have committed by then. SQLite may leave empty -wal and -shm files beside a file
   * that had none. A file of an older schema is still read from a snapshot (it must be upgraded to be read).
   * @default true up to `snapshotMaxBytes`, false above
   */
  snapshot?: boolean;
  /** Tests lower it. @default SNAPSHOT_MAX_BYTES */
  snapshotMaxBytes?: number;
  /**
   * The lock, already taken (`acquireStateLock`, e.g. after waiting for it). The store owns it from here: it
   * releases it on close, or at once when the constructor throws. Without it, a writable store takes the
   * lock itself, or throws StateFileInUseError.
   */
  lock?: StateLock;
  /** For the lock's `since` when the store takes the lock itself. @default the system clock */
  clock?: Clock;
  /** The command line the lock records, when the store takes it itself. @default this process's */
  command?: string;
}

/**
 * A store, as `new StateStore(file, options)` builds it; with `wait`, a writable store first waits for the
 * lock (`acquireStateLock`: until it is free, `wait.timeoutMs` passes, or `signal` aborts).
 */
export async function openStateStore(
  file: string,
  options: StateStoreOptions & { wait?: WaitOptions; signal?: AbortSignal } = {},
): Promise<StateStore> {
  const { wait, signal, ...rest } = options;
  if (!wait || rest.readOnly || rest.lock || file === ':memory:') return new StateStore(file, rest);
  const lock = await acquireStateLock(file, {
    wait,
    ...(signal ? { signal } : {}),
    ...(rest.clock ? { clock: rest.clock } : {}),
    ...(rest.command ? { command: rest.command } : {}),
  });
  return new StateStore(file, { ...rest, lock });
}

export class StateStore {
  readonly file: string;
  readonly #db: Database.Database;
  readonly #checkpointer: Checkpointer | undefined;
  /** Held while open for writing a file; undefined for read-only stores and `:memory:`. */
  readonly #lock: StateLock | undefined;
  /** A read-only store reading in place: `running` cycles read as abandoned (no process holds the lock). */
  #showAbandoned = false;
  #closed = false;

  constructor(file: string, options: StateStoreOptions = {}) {
    this.file = file;
    const memory = file === ':memory:';
    const readOnly = (options.readOnly ?? false) && !memory;
    if (options.lock && (readOnly || memory || !options.lock.held)) {
      options.lock.release();
      throw new TypeError(
        `Expected \`lock\` only for a store open for writing a file, and held; got one for ${readOnly ? 'a readOnly store' : memory ? ':memory:' : 'a released lock'}`,
      );
    }
    const live =
      readOnly && (options.snapshot === undefined ? sizeOf(file) > (options.snapshotMaxBytes ?? SNAPSHOT_MAX_BYTES) : !options.snapshot);
    let db: Database.Database;
    if (memory) db = new Database(file);
    else if (readOnly) db = live ? openReadOnly(file) : inMemoryCopy(file);
    else {
      ({ db, lock: this.#lock } = openForWriting(file, options));
    }
    try {
      checkProvsimDatabase(db, file);
      const version = schemaVersionOf(db);
      if (live && version !== String(SCHEMA_VERSION)) {
        // An older file must be upgraded to be read, a newer one is refused: both as a snapshot would be.
        db.close();
        db = inMemoryCopy(file);
      }
      this.#db = db;
      if (!live || version !== String(SCHEMA_VERSION)) this.#prepare(file);
      if (this.#lock) {
        const lock = this.#lock;
        this.transaction(() => {
          this.#markAbandoned();
          this.#setMeta(LOCK_HOLDER_KEY, JSON.stringify(lock.holder));
        });
      } else if (readOnly && this.#hasRunningCycle() && !probeStateLock(file).held) {
        if (live && version === String(SCHEMA_VERSION)) this.#showAbandoned = true;
        else this.#markAbandoned();
      }
    } catch (error) {
      db.close();
      this.#lock?.release();
      // A method called from here reports as if the store were in use; while opening, nothing has been sent.
      const cause = error instanceof StateFileIoError ? error.cause : error;
      throw stateFileErrorOf(cause, file) ?? cause;
    }
    this.#checkpointer = memory || readOnly || options.checkpoint === false ? undefined : new Checkpointer(file, options.checkpoint || {});
  }

  /** The journal, the tables and the schema version: a new file gets them, an older one is upgraded. */
  #prepare(file: string): void {
    try {
      // 16 KB pages for new files (no effect on an existing one): links and log entries are 1–2 KB each, and
      // with SQLite's default 4 KB pages the log's inserts cost about twice as much (measured at schema v2).
      this.#db.pragma('page_size = 16384');
      this.#db.pragma('journal_mode = WAL');
      this.#db.pragma('synchronous = NORMAL');
      this.#db.exec(MIGRATION);
    } catch (error) {
      throw (
        stateFileErrorOf(error, file) ??
        new StateFileError(
          `${file} is not a provsim state file (${(error as Error).message}); pass --state with a new file, or delete this one`,
        )
      );
    }
    const version = this.#getMeta('schema_version');
    if (version === null) this.#setMeta('schema_version', String(SCHEMA_VERSION));
    else if (Number(version) >= 1 && Number(version) < SCHEMA_VERSION && Number.isInteger(Number(version))) {
      try {
        this.transaction(() => {
          if (Number(version) <= 2) {
            // v1 → v2: escrows gained their retry time (due at once: the next cycle retries them).
            if (Number(version) === 1) this.#db.exec("ALTER TABLE escrows ADD COLUMN next_retry_at TEXT NOT NULL DEFAULT ''");
            this.#db.exec(V2_TO_V3);
            this.#copyLogFromV2();
          } else {
            this.#db.function('provsim_search_text', { deterministic: true, varargs: true }, (...fields: unknown[]) =>
              searchText(fields.map((f) => (typeof f === 'string' ? f : null))),
            );
            this.#db.exec(V3_TO_V4);
          }
          this.#setMeta('schema_version', String(SCHEMA_VERSION));
        });
      } catch (error) {
        // The transaction rolled back: the file is as it was. A full disk or a damaged file says so itself.
        throw (
          stateFileErrorOf(error, file) ??
          new StateFileError(
            `could not upgrade state file ${file} from schema version ${version} to ${SCHEMA_VERSION} (${(error as Error).message}); it is unchanged: keep it for an older provsim, or pass --state with a new file`,
            { cause: error },
          )
        );
      }
    } else if (Number(version) !== SCHEMA_VERSION) {
      throw new StateFileError(
        `state file ${file} has schema version ${version}, this provsim expects ${SCHEMA_VERSION}; use another --state file or delete this one`,
      );
    }
  }

  #hasRunningCycle(): boolean {
    return this.#stmt("SELECT 1 FROM cycles WHERE status = 'running' LIMIT 1").get() !== undefined;
  }

  /** Marks every cycle still `running` abandoned (see the module comment). */
  #markAbandoned(): void {
    const running = this.#stmt("SELECT id FROM cycles WHERE status = 'running'").pluck(true).all() as string[];
    const update = this.#stmt("UPDATE cycles SET status = 'abandoned', finished_at = ?, counts = ? WHERE id = ?");
    for (const id of running) {
      const { finishedAt, counts } = this.#abandonedFacts(id);
      update.run(finishedAt, JSON.stringify(counts), id);
    }
  }

  /** What an abandoned cycle's log says: when it last wrote, and its counts by `Action/Status`. */
  #abandonedFacts(cycleId: string): { finishedAt: string | null; counts: Record<string, number> } {
    const rows = this.#stmt(
      'SELECT action, status, COUNT(*) AS n, MAX(activity_at) AS last FROM log WHERE cycle_id = ? GROUP BY action, status ORDER BY action, status',
    ).all(cycleId) as Array<{ action: string; status: string; n: number; last: string }>;
    const counts: Record<string, number> = {};
    let finishedAt: string | null = null;
    for (const r of rows) {
      counts[`${r.action}/${r.status}`] = r.n;
      if (finishedAt === null || r.last > finishedAt) finishedAt = r.last;
    }
    return { finishedAt, counts };
  }

  /**
   * Copies the v2 log in its order (seq, then insertion, since v2 could store a seq twice: two processes
   * appending at once both read the same MAX(seq)), each entry re-encoded and given a new, unique seq.
   * In pages along the seq index (a connection cannot write while it iterates), so a large log is never all
   * in memory and each page is an index range, not a scan.
   */
  #copyLogFromV2(): void {
    const ins = this.#db.prepare(INSERT_LOG);
    const first = this.#db.prepare('SELECT seq, rowid AS r, entry FROM log_v2 ORDER BY seq, rowid LIMIT 1000');
    const next = this.#db.prepare('SELECT seq, rowid AS r, entry FROM log_v2 WHERE (seq, rowid) > (?, ?) ORDER BY seq, rowid LIMIT 1000');
    type Row = { seq: number; r: number; entry: string };
    for (let rows = first.all() as Row[]; rows.length > 0; rows = next.all(rows[rows.length - 1]!.seq, rows[rows.length - 1]!.r) as Row[]) {
      for (const row of rows) {
        ins.run(logRow(JSON.parse(row.entry) as LogEntry));
      }
    }
    this.#db.exec('DROP TABLE log_v2; CREATE INDEX log_cycle ON log (cycle_id);');
  }

  readonly #statements = new Map<string, Database.Statement>();

  /** Prepared statements are compiled once per store (preparing costs more than most executions). */
  #stmt(sql: string): Database.Statement {
    let statement = this.#statements.get(sql);
    if (!statement) this.#statements.set(sql, (statement = this.#db.prepare(sql)));
    return statement;
  }

  /** Closes the file and releases the lock; idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      // Best effort: a row left behind names a process that has ended, which readers tell (lock-holder.ts).
      if (this.#lock) this.#tryRun('DELETE FROM meta WHERE key = ?', LOCK_HOLDER_KEY);
      // The worker's connection first: the last connection to close folds the WAL into the file.
      this.#checkpointer?.close();
      this.#db.close();
    } finally {
      this.#lock?.release();
    }
  }

  #tryRun(sql: string, ...args: unknown[]): void {
    try {
      this.#stmt(sql).run(...args);
    } catch {
      // See the caller.
    }
  }

  /** One wrapper for every transaction: better-sqlite3 builds four functions per `db.transaction()` call. */
  #transaction: ((fn: () => unknown) => unknown) | undefined;

  transaction<T>(fn: () => T): T {
    this.#transaction ??= this.#db.transaction((body: () => unknown) => body());
    const result = this.#transaction(fn) as T;
    if (!this.#db.inTransaction) this.#checkpointer?.afterCommit();
    return result;
  }

  #getMeta(key: string): string | null {
    const row = this.#stmt('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value ?? null;
  }

  #setMeta(key: string, value: string): void {
    this.#stmt('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  /** The target (tenant URL without query) this state belongs to; anchors are only valid for it. */
  target(): string | null {
    return this.#getMeta('target');
  }

  setTarget(url: string): void {
    this.#setMeta('target', url);
  }

  quarantine(): Quarantine | null {
    const q = this.#getMeta('quarantine');
    return q === null ? null : (JSON.parse(q) as Quarantine);
  }

  setQuarantine(q: Quarantine | null): void {
    if (q === null) this.#stmt("DELETE FROM meta WHERE key = 'quarantine'").run();
    else this.#setMeta('quarantine', JSON.stringify(q));
  }

  /** A one-shot flag for the next cycle (Entra's restart scopes): `force-deletes`, `initial`. */
  flag(name: 'force-deletes' | 'initial'): boolean {
    return this.#getMeta(`flag:${name}`) === '1';
  }

  setFlag(name: 'force-deletes' | 'initial', on: boolean): void {
    if (on) this.#setMeta(`flag:${name}`, '1');
    else this.#stmt('DELETE FROM meta WHERE key = ?').run(`flag:${name}`);
  }

  clearWatermarks(): void {
    this.#db.exec('DELETE FROM watermarks');
  }

  /** Entra's Full restart: forget every link (the next cycle matches everything again). */
  clearLinks(): void {
    this.#db.exec('DELETE FROM anchors; DELETE FROM memberships;');
  }

  /** The hash of the mapping the last completed cycle ran with. */
  jobHash(): string | null {
    return this.#getMeta('job_hash');
  }

  setJobHash(hash: string): void {
    this.#setMeta('job_hash', hash);
  }

  /**
   * Links as plain values: of the given source ids (those without a link are left out), or every link. A
   * link's exported values are parsed when first read.
   */
  links(sourceIds?: Iterable<string>): Map<string, Anchor> {
    const out = new Map<string, Anchor>();
    if (sourceIds === undefined) {
      for (const r of this.#stmt('SELECT * FROM anchors').all() as Array<Record<string, string>>)
        out.set(
          r['source_id']!,
          anchorFromRow(r, () => r['exported']!),
        );
      return out;
    }
    for (const id of sourceIds) {
      const a = this.link(id);
      if (a) out.set(id, a);
    }
    return out;
  }

  /** The target id of every link by its source id, from the id columns alone (no exported values are read). */
  forEachTargetId(visit: (sourceId: string, targetId: string) => void): void {
    // Row by row: a large tenant has one per object, and an array of all rows first doubled the peak.
    for (const [sourceId, targetId] of this.#stmt('SELECT source_id, target_id FROM anchors').raw(true).iterate() as IterableIterator<
      [string, string]
    >)
      visit(sourceId, targetId);
  }

  /** One link, or null. */
  link(sourceId: string): Anchor | null {
    const r = this.#stmt('SELECT * FROM anchors WHERE source_id = ?').get(sourceId) as Record<string, string> | undefined;
    return r ? anchorFromRow(r, () => r['exported']!) : null;
  }

  /** How many links there are by object type, and how many are not active, in one read. */
  linkCounts(): { users: number; groups: number; disabled: number } {
    const r = this.#stmt(
      "SELECT COALESCE(SUM(object_type = 'User'), 0) AS users, COALESCE(SUM(object_type = 'Group'), 0) AS groups, COALESCE(SUM(status <> 'active'), 0) AS disabled FROM anchors",
    ).get() as { users: number; groups: number; disabled: number };
    return { users: r.users, groups: r.groups, disabled: r.disabled };
  }

  putLink(a: Anchor): void {
    this.#stmt(
      `INSERT INTO anchors (source_id, object_type, target_id, display_name, status, exported) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(source_id) DO UPDATE SET object_type = excluded.object_type, target_id = excluded.target_id,
         display_name = excluded.display_name, status = excluded.status, exported = excluded.exported`,
    ).run(a.sourceId, a.objectType, a.targetId, a.displayName, a.status, JSON.stringify(a.exported));
  }

  deleteLink(sourceId: string): void {
    this.#stmt('DELETE FROM anchors WHERE source_id = ?').run(sourceId);
    this.#stmt('DELETE FROM memberships WHERE group_id = ? OR member_id = ?').run(sourceId, sourceId);
  }

  watermarks(): Map<string, string> {
    const out = new Map<string, string>();
    this.forEachWatermark((sourceId, hash) => out.set(sourceId, hash));
    return out;
  }

  /**
   * Every watermark, a row at a time (a large tenant has one per object; a cycle compares them as it reads
   * them: engine/stored-watermarks.ts). The loop is the store's, so the connection is free again when this
   * returns or throws.
   */
  forEachWatermark(visit: (sourceId: string, hash: string) => void): void {
    for (const [sourceId, hash] of this.#stmt('SELECT source_id, hash FROM watermarks').raw(true).iterate() as IterableIterator<
      [string, string]
    >)
      visit(sourceId, hash);
  }

  putWatermark(sourceId: string, objectType: ObjectType, hash: string): void {
    this.#stmt(
      'INSERT INTO watermarks (source_id, object_type, hash) VALUES (?, ?, ?) ON CONFLICT(source_id) DO UPDATE SET hash = excluded.hash',
    ).run(sourceId, objectType, hash);
  }

  deleteWatermark(sourceId: string): void {
    this.#stmt('DELETE FROM watermarks WHERE source_id = ?').run(sourceId);
  }

  /** The members provsim has added to one group (source ids), i.e. what Entra believes it holds; undefined when none. */
  membersOf(groupId: string): Set<string> | undefined {
    const ids = this.#stmt('SELECT member_id FROM memberships WHERE group_id = ?').pluck(true).all(groupId) as string[];
    return ids.length > 0 ? new Set(ids) : undefined;
  }

  /** The members provsim has added, by group, for the given groups (groups with none are left out). */
  memberships(groupIds: Iterable<string>): Map<string, Set<string>> {
    const out = new Map<string, Set<string>>();
    for (const id of groupIds) {
      const members = this.membersOf(id);
      if (members) out.set(id, members);
    }
    return out;
  }

  recordMembership(groupId: string, added: readonly string[], removed: readonly string[]): void {
    const ins = this.#stmt('INSERT OR IGNORE INTO memberships (group_id, member_id) VALUES (?, ?)');
    const del = this.#stmt('DELETE FROM memberships WHERE group_id = ? AND member_id = ?');
    this.transaction(() => {
      for (const m of added) ins.run(groupId, m);
      for (const m of removed) del.run(groupId, m);
    });
  }

  escrows(): Map<string, Escrow> {
    const rows = this.#stmt('SELECT * FROM escrows').all() as Array<Record<string, string | number>>;
    return new Map(
      rows.map((r) => [
        String(r['source_id']),
        {
          sourceId: String(r['source_id']),
          objectType: r['object_type'] as ObjectType,
          firstFailureAt: String(r['first_failure_at']),
          lastFailureAt: String(r['last_failure_at']),
          attempts: Number(r['attempts']),
          errorCode: String(r['error_code']),
          nextRetryAt: String(r['next_retry_at'] ?? ''),
        },
      ]),
    );
  }

  escrowCount(): number {
    return (this.#stmt('SELECT COUNT(*) AS n FROM escrows').get() as { n: number }).n;
  }

  putEscrow(e: Escrow): void {
    this.#stmt(
      `INSERT INTO escrows (source_id, object_type, first_failure_at, last_failure_at, attempts, error_code, next_retry_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(source_id) DO UPDATE SET object_type = excluded.object_type, first_failure_at = excluded.first_failure_at,
         last_failure_at = excluded.last_failure_at, attempts = excluded.attempts, error_code = excluded.error_code, next_retry_at = excluded.next_retry_at`,
    ).run(e.sourceId, e.objectType, e.firstFailureAt, e.lastFailureAt, e.attempts, e.errorCode, e.nextRetryAt);
  }

  clearEscrows(): void {
    this.#db.exec('DELETE FROM escrows');
  }

  clearEscrow(sourceId: string): void {
    this.#stmt('DELETE FROM escrows WHERE source_id = ?').run(sourceId);
  }

  beginCycle(c: Omit<CycleRecord, 'finishedAt' | 'status' | 'counts'>): void {
    const seq = (this.#stmt('SELECT COALESCE(MAX(seq), 0) + 1 AS n FROM cycles').get() as { n: number }).n;
    this.#stmt(
      'INSERT INTO cycles (id, seq, kind, started_at, finished_at, status, dry_run, job_hash, counts) VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?)',
    ).run(c.id, seq, c.kind, c.startedAt, 'running', c.dryRun ? 1 : 0, c.jobHash, '{}');
  }

  finishCycle(id: string, status: CycleStatus, finishedAt: string, counts: Record<string, number>): void {
    this.#stmt('UPDATE cycles SET status = ?, finished_at = ?, counts = ? WHERE id = ?').run(
      status,
      finishedAt,
      JSON.stringify(counts),
      id,
    );
  }

  cycles(): CycleRecord[] {
    const rows = this.#stmt('SELECT * FROM cycles ORDER BY seq').all() as Array<Record<string, string | number | null>>;
    return rows.map((r) => {
      const cycle: CycleRecord = {
        id: String(r['id']),
        kind: r['kind'] as CycleRecord['kind'],
        startedAt: String(r['started_at']),
        finishedAt: r['finished_at'] === null ? null : String(r['finished_at']),
        status: r['status'] as CycleStatus,
        dryRun: r['dry_run'] === 1,
        jobHash: String(r['job_hash']),
        counts: JSON.parse(String(r['counts'])) as Record<string, number>,
      };
      if (!this.#showAbandoned || r['status'] !== 'running') return cycle;
      const facts = this.#abandonedFacts(cycle.id);
      return { ...cycle, status: 'abandoned', finishedAt: facts.finishedAt, counts: facts.counts };
    });
  }

  /**
   * The last cycle that ran to its end and wrote: succeeded, or finished with entry-level errors (dry runs,
   * on-demand runs, and failed, interrupted, running or abandoned cycles do not count).
   */
  lastCompletedCycle(): CycleRecord | null {
    const done = this.cycles().filter(
      (c) => !c.dryRun && c.kind !== 'on-demand' && (c.status === 'succeeded' || c.status === 'entry-level-errors'),
    );
    return done[done.length - 1] ?? null;
  }

  /**
   * Appends entries to the log, in order, and returns them as stored. With a `mask`, an entry that may hold
   * a secret is stored as `mask.redact(entry)`: the check is `mask.mayHold` on the entry's stored form (its
   * columns and encoded JSON, which are made anyway) and on the field names that form implies
   * (log-codec.ts IMPLIED_NAMES), so an entry that holds no secret is neither walked nor copied. A `mayHold`
   * that never says no where the secret is (an over-approximation, such as redact-secret's
   * `mayContainSecret`) makes this store exactly the entries `redact` would give.
   */
  appendLog(entries: readonly LogEntry[], mask?: LogMask): LogEntry[] {
    if (entries.length === 0) return [];
    // `seq` is the rowid: SQLite gives each row the next one, so entries keep the order they are appended in.
    const ins = this.#stmt(INSERT_LOG);
    const stored = entries.slice();
    const maskAll = mask !== undefined && mask.mayHold(IMPLIED_NAMES);
    this.transaction(() => {
      for (let i = 0; i < stored.length; i++) {
        let row = logRow(stored[i]!);
        if (mask !== undefined && (maskAll || rowMayHold(row, mask))) {
          const masked = mask.redact(stored[i]!);
          if (masked !== stored[i]) row = logRow((stored[i] = masked));
        }
        ins.run(row);
      }
    });
    return stored;
  }

  logs(query: LogQuery = {}): LogEntry[] {
    const { where, args } = logFilter(query);
    const sql = `SELECT id, cycle_id, activity_at, action, status, source_id, display_name, object_type, upn, mail_nickname, entry FROM log ${where} ORDER BY seq ${query.limit ? `LIMIT ${Math.floor(query.limit)}` : ''}`;
    const rows = this.#stmt(sql).all(...args) as Array<LogColumns & { entry: string }>;
    return rows.map((r) => decodeLogEntry(r, r.entry));
  }

  /** How many entries `logs(query)` would return (`limit` ignored), without reading them. */
  logCount(query: LogQuery = {}): number {
    const { where, args } = logFilter(query);
    return this.#stmt(`SELECT COUNT(*) FROM log ${where}`)
      .pluck(true)
      .get(...args) as number;
  }

  /**
   * Suggestions for a `user` query that matched nothing: the objects (each by its latest entry that could
   * be near) whose display name, UPN or mail nickname comes closest by the same folding (see `rankNear`).
   * SQL narrows the rows to those holding one of the query's pieces, so only they reach JS.
   */
  nearestLogIdentities(query: string, limit = 3): NearIdentity[] {
    const near = nearQuery(query);
    if (!near) return [];
    const rows = this.#db
      .prepare(`SELECT MAX(seq), search FROM log WHERE ${near.pieces.map(() => 'instr(search, ?) > 0').join(' OR ')} GROUP BY source_id`)
      .raw(true)
      .all(...near.pieces) as Array<[number, string]>;
    const ranked = rankNear(
      near,
      rows.map(([seq, search]) => ({ item: seq, search })),
      limit,
    );
    const read = this.#stmt('SELECT source_id, object_type, display_name, upn, mail_nickname FROM log WHERE seq = ?');
    return ranked.map((m) => {
      const r = read.get(m.item) as {
        source_id: string;
        object_type: string;
        display_name: string;
        upn: string | null;
        mail_nickname: string | null;
      };
      const identity: LogIdentity = { sourceId: r.source_id, type: r.object_type as LogIdentity['type'], displayName: r.display_name };
      if (r.upn !== null) identity.userPrincipalName = r.upn;
      if (r.mail_nickname !== null) identity.mailNickname = r.mail_nickname;
      return { identity, name: identity[m.field] ?? m.folded, distance: m.distance };
    });
  }
}

/*
 * Every public method maps a failure of the file itself (SQLite's codes for a full disk, a damaged file, one
 * that cannot be written, an I/O error) to a StateFileIoError naming the file and what to do
 * (store/sqlite-errors.ts); other errors pass unchanged. Wrapping the prototype covers methods added later too.
 */
for (const name of Object.getOwnPropertyNames(StateStore.prototype)) {
  const descriptor = Object.getOwnPropertyDescriptor(StateStore.prototype, name);
  if (name === 'constructor' || typeof descriptor?.value !== 'function') continue;
  const method = descriptor.value as (this: StateStore, ...args: unknown[]) => unknown;
  Object.defineProperty(StateStore.prototype, name, {
    ...descriptor,
    value: function (this: StateStore, ...args: unknown[]): unknown {
      try {
        return method.apply(this, args);
      } catch (error) {
        throw (error instanceof Database.SqliteError && stateFileErrorOf(error, this.file, 'state file', true)) || error;
      }
    },
  });
}

/** The WHERE clause of a log query and its arguments. */
function logFilter(query: LogQuery): { where: string; args: unknown[] } {
  const where: string[] = [];
  const args: unknown[] = [];
  if (query.cycleId) (where.push('cycle_id = ?'), args.push(query.cycleId));
  if (query.status) (where.push('LOWER(status) = LOWER(?)'), args.push(query.status));
  if (query.action) (where.push('LOWER(action) = LOWER(?)'), args.push(query.action));
  if (query.since) (where.push('activity_at >= ?'), args.push(query.since));
  const user = query.user === undefined ? '' : foldText(query.user);
  // instr, not LIKE: the folded query is matched as it is ('%' and '_' are not wildcards), with no JS per row.
  if (user !== '') (where.push('instr(search, ?) > 0'), args.push(user));
  return { where: where.length ? `WHERE ${where.join(' AND ')}` : '', args };
}

/** A link as stored; `exported` is parsed on first read, from the text `readExported` returns. */
function anchorFromRow(r: Record<string, string>, readExported: () => string): Anchor {
  let exported: Record<string, unknown> | undefined;
  return {
    sourceId: r['source_id']!,
    objectType: r['object_type'] as ObjectType,
    targetId: r['target_id']!,
    displayName: r['display_name']!,
    status: r['status'] as Anchor['status'],
    get exported(): Record<string, unknown> {
      return (exported ??= JSON.parse(readExported()) as Record<string, unknown>);
    },
  };
}
