/**
 * `StateStore.logs({ user })` on a real SQLite file: a user is found by a part of the display name, the
 * UPN or its part before '@', the mail nickname, the source id or the target id, whatever the case and
 * accents; and a state file of schema v3 (before the log had its search column) is upgraded with its
 * rows back-filled.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { LogEntry } from '../../src/model/records.js';
import { columnsOf, decodeLogEntry, encodeLogEntry } from '../../src/store/log-codec.js';
import { StateStore } from '../../src/store/store.js';
import { logEntry } from './log-entry.js';

const dirs: string[] = [];
const fresh = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'provsim-log-user-'));
  dirs.push(d);
  return join(d, 'state.db');
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const person = (
  n: number,
  displayName: string,
  details: { userPrincipalName?: string; mailNickname?: string } | undefined,
  over: Partial<LogEntry> = {},
): LogEntry =>
  logEntry(n, {
    sourceIdentity: { id: `src-${n}`, type: 'User', displayName, ...(details ? { details } : {}) },
    targetIdentity: { id: `tgt-${n}`, type: 'User', displayName },
    ...over,
  });

const JOSE = person(1, 'José Müller', { userPrincipalName: 'josé.müller@contoso.com', mailNickname: 'jmuller' });
const SOREN = person(2, 'Søren Øst', { userPrincipalName: 'soren.ost@contoso.com', mailNickname: 'soren.ost' });
const LUKASZ = person(3, 'Łukasz Nowak', { userPrincipalName: 'lukasz.nowak@contoso.com', mailNickname: 'lnowak' });
const GROUP = logEntry(4, {
  sourceIdentity: { id: 'src-4', type: 'Group', displayName: 'Équipe Ventes', details: { mailNickname: 'ventes' } },
  targetIdentity: { id: 'tgt-4', type: 'Group', displayName: 'Équipe Ventes' },
});
/** A hard delete: the source no longer has the user, so its entry has no details. */
const GONE = person(5, 'Günther Straßer', undefined, { provisioningAction: 'Delete' });
const JOSE_FAILED = person(6, 'José Müller', JOSE.sourceIdentity.details, {
  sourceIdentity: JOSE.sourceIdentity,
  status: 'Failure',
  errorCode: 'EntryConflict',
});
const ALL = [JOSE, SOREN, LUKASZ, GROUP, GONE, JOSE_FAILED];

function storeWith(entries: readonly LogEntry[]): StateStore {
  const s = new StateStore(fresh(), { checkpoint: false });
  s.appendLog(entries);
  return s;
}

const ids = (entries: readonly LogEntry[]): string[] => entries.map((e) => e.id);

describe('logs({ user }): a user the way a person remembers them', () => {
  it.each([
    // display name, with and without accents, any case
    ['jose muller', ['e1', 'e6']],
    ['JOSÉ', ['e1', 'e6']],
    ['müller', ['e1', 'e6']],
    ['Muller', ['e1', 'e6']],
    ['soren', ['e2']],
    ['SØREN ØST', ['e2']],
    ['lukasz', ['e3']],
    ['équipe', ['e4']],
    ['equipe ventes', ['e4']],
    ['strasser', ['e5']],
    ['STRAßER', ['e5']],
    // the UPN, its part before '@' (accent-free for an accented UPN), and its domain
    ['jose.muller', ['e1', 'e6']],
    ['josé.müller@contoso.com', ['e1', 'e6']],
    ['JOSE.MULLER@CONTOSO.COM', ['e1', 'e6']],
    ['lukasz.nowak@', ['e3']],
    ['@contoso.com', ['e1', 'e2', 'e3', 'e6']],
    // the mail nickname (a user's, a group's)
    ['jmuller', ['e1', 'e6']],
    ['LNOWAK', ['e3']],
    ['ventes', ['e4']],
    // the source and target ids
    ['SRC-2', ['e2']],
    ['tgt-3', ['e3']],
  ])('%j finds %j', (query, expected) => {
    const s = storeWith(ALL);
    expect(ids(s.logs({ user: query }))).toEqual(expected);
    expect(s.logCount({ user: query })).toBe(expected.length);
    s.close();
  });

  it('finds nobody for a name nobody has, and takes % and _ literally', () => {
    const s = storeWith([...ALL, person(7, 'Ann_Lee 100%', { userPrincipalName: 'ann_lee@contoso.com' })]);
    expect(s.logs({ user: 'josé mülller' })).toEqual([]);
    expect(ids(s.logs({ user: 'n_l' }))).toEqual(['e7']);
    expect(s.logs({ user: 'n%l' })).toEqual([]);
    expect(ids(s.logs({ user: '100%' }))).toEqual(['e7']);
    // A match never spans two identifiers: the display name's end and the UPN's start are on two lines.
    expect(s.logs({ user: 'muller jose' })).toEqual([]);
    expect(s.logs({ user: 'mullerjose' })).toEqual([]);
    s.close();
  });

  it('combines with the other filters, and a query that folds to nothing filters nothing', () => {
    const s = storeWith(ALL);
    expect(ids(s.logs({ user: 'jose', status: 'failure' }))).toEqual(['e6']);
    expect(s.logCount({ user: 'jose', status: 'Skipped' })).toBe(0);
    expect(ids(s.logs({ user: '  ' }))).toEqual(ids(ALL));
    s.close();
  });

  it('returns entries with their details, as they were appended', () => {
    const s = storeWith(ALL);
    expect(s.logs()).toStrictEqual(ALL);
    expect(s.logs({ user: 'soren' })[0]!.sourceIdentity).toStrictEqual({
      id: 'src-2',
      type: 'User',
      displayName: 'Søren Øst',
      details: { userPrincipalName: 'soren.ost@contoso.com', mailNickname: 'soren.ost' },
    });
    s.close();
  });

  it('matches without a JS function in SQL: another connection to the same file gets the same answer', () => {
    const file = fresh();
    const s = new StateStore(file, { checkpoint: false });
    s.appendLog(ALL);
    s.close();
    const db = new Database(file, { readonly: true });
    const rows = db.prepare('SELECT id FROM log WHERE instr(search, ?) > 0 ORDER BY seq').pluck().all('jose.muller');
    db.close();
    expect(rows).toEqual(['e1', 'e6']);
  });

  it('nearestLogIdentities: the closest objects by their latest entry, with the names as logged', () => {
    const renamed = person(8, 'José Müller-Ruiz', JOSE.sourceIdentity.details, {
      sourceIdentity: { ...JOSE.sourceIdentity, displayName: 'José Müller-Ruiz' },
    });
    const s = storeWith([...ALL, renamed]);
    expect(s.nearestLogIdentities('jose mueller')).toStrictEqual([
      {
        identity: {
          sourceId: 'src-1',
          type: 'User',
          displayName: 'José Müller-Ruiz',
          userPrincipalName: 'josé.müller@contoso.com',
          mailNickname: 'jmuller',
        },
        name: 'José Müller-Ruiz',
        distance: 1,
      },
    ]);
    expect(s.nearestLogIdentities('ventess')).toStrictEqual([
      {
        identity: { sourceId: 'src-4', type: 'Group', displayName: 'Équipe Ventes', mailNickname: 'ventes' },
        name: 'Équipe Ventes',
        distance: 1,
      },
    ]);
    expect(s.nearestLogIdentities('gunter strasser')).toStrictEqual([
      { identity: { sourceId: 'src-5', type: 'User', displayName: 'Günther Straßer' }, name: 'Günther Straßer', distance: 1 },
    ]);
    expect(s.nearestLogIdentities('lnowack')[0]).toMatchObject({ name: 'lnowak', distance: 1 });
    expect(s.nearestLogIdentities('qqqq')).toEqual([]);
    s.close();
  });
});

describe('the stored form keeps the details', () => {
  it('round-trips an entry with details exactly, keys in LogEntry order, and one without unchanged', () => {
    for (const e of [JOSE, GROUP, GONE]) {
      const decoded = decodeLogEntry(columnsOf(e), encodeLogEntry(e));
      expect(decoded).toStrictEqual(e);
      expect(JSON.stringify(decoded)).toBe(JSON.stringify(e));
    }
    expect(encodeLogEntry(GONE)).not.toContain('sourceDetails');
  });
});

/** The schema provsim wrote at v3, before the log had its search column. */
const V3_SCHEMA = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE anchors (source_id TEXT PRIMARY KEY, object_type TEXT NOT NULL, target_id TEXT NOT NULL, display_name TEXT NOT NULL, status TEXT NOT NULL, exported TEXT NOT NULL);
CREATE TABLE watermarks (source_id TEXT PRIMARY KEY, object_type TEXT NOT NULL, hash TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE memberships (group_id TEXT NOT NULL, member_id TEXT NOT NULL, PRIMARY KEY (group_id, member_id)) WITHOUT ROWID;
CREATE TABLE escrows (source_id TEXT PRIMARY KEY, object_type TEXT NOT NULL, first_failure_at TEXT NOT NULL, last_failure_at TEXT NOT NULL, attempts INTEGER NOT NULL, error_code TEXT NOT NULL, next_retry_at TEXT NOT NULL DEFAULT '');
CREATE TABLE cycles (id TEXT PRIMARY KEY, seq INTEGER NOT NULL, kind TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT, status TEXT NOT NULL, dry_run INTEGER NOT NULL, job_hash TEXT NOT NULL, counts TEXT NOT NULL);
CREATE TABLE log (seq INTEGER PRIMARY KEY, id TEXT NOT NULL, cycle_id TEXT NOT NULL, activity_at TEXT NOT NULL, action TEXT NOT NULL, status TEXT NOT NULL, source_id TEXT NOT NULL, display_name TEXT NOT NULL, object_type TEXT NOT NULL, entry TEXT NOT NULL);
CREATE INDEX log_cycle ON log (cycle_id);
INSERT INTO meta VALUES ('schema_version', '3');
INSERT INTO anchors VALUES ('src-1', 'User', 'tgt-1', 'José Müller', 'active', '{"userName":"jose.muller@contoso.com"}');
INSERT INTO watermarks VALUES ('src-1', 'User', 'h1');
INSERT INTO cycles VALUES ('c1', 1, 'initial', '2026-01-01T00:00:00Z', '2026-01-01T00:01:00Z', 'succeeded', 0, 'h', '{}');
`;

/** A v3 state file holding these entries, stored as v3 stored them (its codec wrote no details). */
function writeV3StateFile(file: string, entries: readonly LogEntry[]): void {
  const db = new Database(file);
  db.exec(V3_SCHEMA);
  const ins = db.prepare(
    'INSERT INTO log (id, cycle_id, activity_at, action, status, source_id, display_name, object_type, entry) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  for (const e of entries) {
    const c = columnsOf(e);
    ins.run(c.id, c.cycle_id, c.activity_at, c.action, c.status, c.source_id, c.display_name, c.object_type, encodeLogEntry(e));
  }
  db.close();
}

/** The entry without the details a v3 file could not hold. */
const asV3 = (e: LogEntry): LogEntry => ({
  ...e,
  sourceIdentity: { id: e.sourceIdentity.id, type: e.sourceIdentity.type, displayName: e.sourceIdentity.displayName },
});

describe('upgrading a v3 state file', () => {
  it('adds the search column, back-fills it from each row (source id, target id, display name), keeps everything else', () => {
    const file = fresh();
    const v3 = [JOSE, SOREN, GROUP].map(asV3);
    writeV3StateFile(file, v3);

    const s = new StateStore(file, { checkpoint: false });
    expect(s.logs()).toStrictEqual(v3);
    expect(ids(s.logs({ user: 'jose muller' }))).toEqual(['e1']);
    expect(ids(s.logs({ user: 'søren' }))).toEqual(['e2']);
    expect(ids(s.logs({ user: 'EQUIPE' }))).toEqual(['e4']);
    expect(ids(s.logs({ user: 'TGT-2' }))).toEqual(['e2']);
    expect(ids(s.logs({ user: 'src-4' }))).toEqual(['e4']);
    // v3 rows never held a UPN or mail nickname: those queries find only what is written from now on.
    expect(s.logs({ user: 'jmuller' })).toEqual([]);
    s.appendLog([JOSE_FAILED]);
    expect(ids(s.logs({ user: 'jmuller' }))).toEqual(['e6']);
    expect(ids(s.logs({ user: 'jose.muller' }))).toEqual(['e6']);
    expect(s.link('src-1')).toMatchObject({ targetId: 'tgt-1', displayName: 'José Müller' });
    expect(s.watermarks().get('src-1')).toBe('h1');
    expect(s.cycles().map((c) => c.id)).toEqual(['c1']);
    s.close();

    const db = new Database(file, { readonly: true });
    expect(db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").pluck().get()).toBe('4');
    expect(db.prepare('SELECT search FROM log ORDER BY seq').pluck().all()).toEqual([
      'src-1\ntgt-1\njose muller\n\n',
      'src-2\ntgt-2\nsoren ost\n\n',
      'src-4\ntgt-4\nequipe ventes\n\n',
      'src-1\ntgt-6\njose muller\njose.muller@contoso.com\njmuller',
    ]);
    db.close();
  });

  it('back-fills a row whose stored entry is not JSON from its columns, instead of refusing the file', () => {
    const file = fresh();
    writeV3StateFile(file, [asV3(JOSE), asV3(SOREN)]);
    const db = new Database(file);
    db.prepare("UPDATE log SET entry = '{not json' WHERE id = 'e2'").run();
    db.close();

    const s = new StateStore(file, { checkpoint: false });
    s.close();
    const after = new Database(file, { readonly: true });
    expect(after.prepare('SELECT search FROM log ORDER BY seq').pluck().all()).toEqual([
      'src-1\ntgt-1\njose muller\n\n',
      'src-2\n\nsoren ost\n\n',
    ]);
    after.close();
  });

  it('opens the upgraded file again without upgrading it twice', () => {
    const file = fresh();
    writeV3StateFile(file, [asV3(JOSE)]);
    new StateStore(file, { checkpoint: false }).close();
    const s = new StateStore(file, { checkpoint: false });
    expect(ids(s.logs({ user: 'müller' }))).toEqual(['e1']);
    s.close();
  });

  it('a v2 file (the log as full JSON) goes straight to v4, its entries searchable by their folded names', () => {
    const file = fresh();
    const db = new Database(file);
    db.exec(`
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE anchors (source_id TEXT PRIMARY KEY, object_type TEXT NOT NULL, target_id TEXT NOT NULL, display_name TEXT NOT NULL, status TEXT NOT NULL, exported TEXT NOT NULL);
CREATE TABLE watermarks (source_id TEXT PRIMARY KEY, object_type TEXT NOT NULL, hash TEXT NOT NULL);
CREATE TABLE memberships (group_id TEXT NOT NULL, member_id TEXT NOT NULL, PRIMARY KEY (group_id, member_id));
CREATE TABLE escrows (source_id TEXT PRIMARY KEY, object_type TEXT NOT NULL, first_failure_at TEXT NOT NULL, last_failure_at TEXT NOT NULL, attempts INTEGER NOT NULL, error_code TEXT NOT NULL, next_retry_at TEXT NOT NULL DEFAULT '');
CREATE TABLE cycles (id TEXT PRIMARY KEY, seq INTEGER NOT NULL, kind TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT, status TEXT NOT NULL, dry_run INTEGER NOT NULL, job_hash TEXT NOT NULL, counts TEXT NOT NULL);
CREATE TABLE log (id TEXT PRIMARY KEY, seq INTEGER NOT NULL, cycle_id TEXT NOT NULL, activity_at TEXT NOT NULL, action TEXT NOT NULL, status TEXT NOT NULL, source_id TEXT NOT NULL, display_name TEXT NOT NULL, object_type TEXT NOT NULL, entry TEXT NOT NULL);
CREATE INDEX log_cycle ON log (cycle_id);
CREATE INDEX log_seq ON log (seq);
INSERT INTO meta VALUES ('schema_version', '2');`);
    const ins = db.prepare('INSERT INTO log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    [asV3(JOSE), asV3(LUKASZ)].forEach((e, i) =>
      ins.run(
        e.id,
        i + 1,
        e.cycleId,
        e.activityDateTime,
        e.provisioningAction,
        e.status,
        e.sourceIdentity.id,
        e.sourceIdentity.displayName,
        e.sourceIdentity.type,
        JSON.stringify(e),
      ),
    );
    db.close();

    const s = new StateStore(file, { checkpoint: false });
    expect(ids(s.logs({ user: 'JOSÉ' }))).toEqual(['e1']);
    expect(ids(s.logs({ user: 'lukasz' }))).toEqual(['e3']);
    expect(ids(s.logs({ user: 'tgt-3' }))).toEqual(['e3']);
    s.close();
    const after = new Database(file, { readonly: true });
    expect(after.prepare("SELECT value FROM meta WHERE key = 'schema_version'").pluck().get()).toBe('4');
    after.close();
  });

  it('a new state file is v4 with the search column', () => {
    const file = fresh();
    new StateStore(file, { checkpoint: false }).close();
    const db = new Database(file, { readonly: true });
    expect(db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").pluck().get()).toBe('4');
    expect(db.prepare("SELECT name FROM pragma_table_info('log')").pluck().all()).toContain('search');
    db.close();
  });
});
