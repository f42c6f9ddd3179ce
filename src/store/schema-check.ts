/**
 * Whether an SQLite database is a provsim state file, asked before anything is written to it: a database of
 * another program (one with tables provsim never creates) is refused rather than given provsim's tables, and
 * its journal mode is not changed.
 *
 * A provsim state file holds only the tables and indexes some provsim version created (older versions'
 * included: they are upgraded), and its `meta` rows only provsim's keys. An empty database is a new state
 * file. A file whose first open was killed after its tables were created and before its schema version was
 * written passes too (it is provsim's; the version is written next).
 */
import type Database from 'better-sqlite3';
import { StateFileError } from '../shared/errors.js';

/** Every table and index any provsim version has created (v1 to v4; `log_seq` before v3). */
const PROVSIM_OBJECTS = new Set(['meta', 'anchors', 'watermarks', 'memberships', 'escrows', 'cycles', 'log', 'log_cycle', 'log_seq']);

/** The `meta` keys provsim writes; `flag:` keys are one per restart scope. */
const META_KEYS = new Set(['schema_version', 'target', 'quarantine', 'job_hash', 'lock_holder']);

/** Throws a StateFileError when `db` is another program's database; `file` names it in the message. */
export function checkProvsimDatabase(db: Database.Database, file: string): void {
  const objects = db.prepare("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name").all() as Array<{
    type: string;
    name: string;
  }>;
  const foreign = objects.filter((o) => !(o.type === 'table' || o.type === 'index') || !PROVSIM_OBJECTS.has(o.name));
  if (foreign.length > 0)
    throw notProvsim(file, `it has ${listed(foreign.map((o) => `${o.type} ${o.name}`))}, which provsim never creates`);
  if (!objects.some((o) => o.name === 'meta')) return;
  const keys = db.prepare('SELECT key FROM meta').pluck(true).all() as unknown[];
  const unknown = keys.filter((k) => typeof k !== 'string' || !(META_KEYS.has(k) || k.startsWith('flag:')));
  if (unknown.length > 0)
    throw notProvsim(file, `its meta table has ${listed(unknown.map((k) => `key ${String(k)}`))}, which provsim never writes`);
}

function listed(items: string[]): string {
  return items.length <= 3 ? items.join(', ') : `${items.slice(0, 3).join(', ')} and ${items.length - 3} more`;
}

function notProvsim(file: string, why: string): StateFileError {
  return new StateFileError(
    `${file} is an SQLite database but not a provsim state file (${why}); nothing was written to it. Pass --state with a new file`,
  );
}
