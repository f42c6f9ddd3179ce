/**
 * Reads a JSON Lines tenant: `users*.jsonl` and `groups*.jsonl` (one object per line, as many files as wanted,
 * read in natural name order: `users-2.jsonl` before `users-10.jsonl`), with the app and its assignments in
 * `assignments.json` (or `.yaml`). The files are streamed a chunk at a time, so neither a file's size nor the
 * tenant's is bounded by what one JavaScript string can hold (V8: about 512 M characters): a million users
 * load in one process. Each object is checked and kept as it is read; the parsed lines are not held. Above
 * `READ_BACK_ABOVE_BYTES` of users, a user keeps its place in its file instead of its attributes
 * (json/line-user.ts): the files are then read through a `LineFile` each, which stays open after the load.
 *
 * Problems are explained as everywhere else (file, line, column; `parseTenant`'s messages), by handing the
 * lines to the YAML-node path as a YAML list (`- {…}` per line) when the fast reader is not sure. That path
 * holds the whole text and its nodes, so it runs only up to `EXPLAIN_LIMIT_BYTES`; above it, the object the
 * fast reader stopped at is explained on its own; a manager or member that names nothing is reported at the
 * line of the user or group that holds it (the first in reading order); for any other problem between
 * objects, the message says so.
 */
import { read as readCallback, statSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import { join } from 'node:path';
import type { Diagnostic } from '../shared/diagnostics.js';
import { error } from '../shared/diagnostics.js';
import { readInputFile } from '../shared/read-input-file.js';
import { YamlReader, parseYamlFile } from '../shared/yaml-file.js';
import type { TextFile } from '../shared/yaml-file.js';
import { FIXTURE_CODES as C } from './fixture-codes.js';
import { countLineBreaks, parseJsonLines } from './json/json-lines.js';
import { LineFile } from './line-file.js';
import { LineUserSource } from './json/line-user.js';
import { JsonLinesTenantReader, type UnresolvedReference } from './json/read-json-tenant.js';
import { parseTenant } from './parse-tenant.js';
import { readGroups } from './read-groups.js';
import { readUsers } from './read-users.js';
import type { SourceLocation, Tenant } from '../model/directory.js';

/** `users.jsonl`, `users-0001.jsonl`, `users.part2.jsonl`…; likewise for groups. */
const JSON_LINES_FILE = /^(users|groups)(?:[-_.][^/\\]*)?\.jsonl$/;
/** Chunk size of the streamed read; also the longest line accepted (one object per line). */
const CHUNK_BYTES = 16 * 2 ** 20;
/** Up to this many bytes of JSON Lines, problems are explained through the YAML-node path (it holds them all). */
export const EXPLAIN_LIMIT_BYTES = 64 * 2 ** 20;
/** Syntax errors reported per file before the rest of that file is skipped. */
const MAX_SYNTAX_ERRORS = 50;
const MAX_ASSIGNMENTS_BYTES = 512 * 2 ** 20;
/**
 * Above this many bytes of users*.jsonl, the users keep their place in the files instead of their attributes,
 * which are read back when a stage asks for them (`json/line-user.ts`): about 290,000 generated users. Below
 * it a tenant costs little memory either way, and its files may change while a command runs.
 */
export const READ_BACK_ABOVE_BYTES = 256 * 2 ** 20;
const readFd = promisify(readCallback);

/** The JSON Lines files of a directory listing, by kind, in reading order. */
export function jsonLinesFiles(names: Iterable<string>): { users: string[]; groups: string[] } {
  const out = { users: [] as string[], groups: [] as string[] };
  for (const name of names) {
    const m = JSON_LINES_FILE.exec(name);
    if (m) out[m[1] as 'users' | 'groups'].push(name);
  }
  const natural = new Intl.Collator('en', { numeric: true }).compare;
  out.users.sort(natural);
  out.groups.sort(natural);
  return out;
}

type Loaded = { tenant: Tenant | null; diagnostics: Diagnostic[] };

export interface JsonLinesOptions {
  /** @default EXPLAIN_LIMIT_BYTES (tests lower it to reach the large-tenant messages with small files) */
  explainLimitBytes?: number;
  /** @default READ_BACK_ABOVE_BYTES (tests lower it to read small tenants back from their files) */
  readBackAboveBytes?: number;
  /** Users read back whose attributes stay parsed, per file. @default KEPT_PER_FILE (tests lower it) */
  keepAttributes?: number;
  /**
   * Called once the users and groups of a JSON Lines tenant are streamed (other formats are read whole),
   * before their references are resolved and the assignments parsed: a moment the CLI's heap guard looks
   * at the heap. At a million users the heap then held about 440 MB, half of it garbage, and the rest of the
   * load grew it past 700 MB without a collection; the guard acts there (its one collection).
   */
  onStreamed?: () => void;
}

/** The assignments file's text, or why it cannot be read (its bytes are let go as soon as they are decoded). */
async function readAssignmentsText(file: string): Promise<TextFile | string> {
  const read = await readInputFile(file, MAX_ASSIGNMENTS_BYTES);
  return read.ok ? { file, text: read.bytes.toString('utf8') } : read.reason;
}

export async function loadJsonLinesTenant(dir: string, names: ReadonlySet<string>, options: JsonLinesOptions = {}): Promise<Loaded> {
  const explainLimit = options.explainLimitBytes ?? EXPLAIN_LIMIT_BYTES;
  const files = jsonLinesFiles(names);
  const diagnostics: Diagnostic[] = [];
  for (const kind of ['users', 'groups'] as const) {
    const other = ['.yaml', '.yml', '.json'].map((ext) => kind + ext).filter((n) => names.has(n));
    if (files[kind].length > 0 && other.length > 0)
      diagnostics.push(
        error(C.FIXTURE_AMBIGUOUS_FILE, `${[...other, ...files[kind]].join(' and ')} all hold ${kind}`, {
          file: join(dir, other[0]!),
          hint: `keep either ${other.join('/')} or the ${kind}*.jsonl files`,
        }),
      );
  }
  for (const kind of ['users', 'groups'] as const) {
    const other = ['.yaml', '.yml', '.json'].map((ext) => kind + ext).filter((n) => names.has(n));
    if (files[kind].length === 0 && other.length > 0)
      diagnostics.push(
        error(C.FIXTURE_AMBIGUOUS_FILE, `${other.join(' and ')} is not read beside ${[...files.users, ...files.groups].join(', ')}`, {
          file: join(dir, other[0]!),
          hint: `a JSON Lines tenant holds its users and groups as JSON Lines: write the ${kind} as ${kind}.jsonl (one object per line)`,
        }),
      );
  }
  if (files.users.length === 0)
    diagnostics.push(
      error(C.FIXTURE_MISSING_FILE, 'the tenant has groups*.jsonl but no users file', {
        file: join(dir, 'users.jsonl'),
        hint: `write the users as JSON Lines too: users.jsonl (or users-1.jsonl, users-2.jsonl, …) in ${dir}`,
      }),
    );
  const assignmentNames = ['assignments.json', 'assignments.yaml', 'assignments.yml'].filter((n) => names.has(n));
  if (assignmentNames.length === 0)
    diagnostics.push(
      error(C.FIXTURE_MISSING_FILE, 'the tenant has no assignments file', {
        file: join(dir, 'assignments.json'),
        hint: `create assignments.json (or .yaml) in ${dir}: the app, its roles and who is assigned`,
      }),
    );
  else if (assignmentNames.length > 1)
    diagnostics.push(
      error(C.FIXTURE_AMBIGUOUS_FILE, `${assignmentNames.join(' and ')} both exist`, {
        file: join(dir, assignmentNames[0]!),
        hint: 'keep only one assignments file',
      }),
    );
  if (diagnostics.length > 0) return { tenant: null, diagnostics };

  const assignmentsFile = join(dir, assignmentNames[0]!);
  const assignments = await readAssignmentsText(assignmentsFile);
  if (typeof assignments === 'string')
    return {
      tenant: null,
      diagnostics: [error(C.FIXTURE_READ_FAILED, `cannot read ${assignmentNames[0]}: ${assignments}`, { file: assignmentsFile })],
    };

  const readBack = (await usersBytes(dir, files.users)) > (options.readBackAboveBytes ?? READ_BACK_ABOVE_BYTES);
  const reader = new JsonLinesTenantReader({ resolveMembersAsRead: readBack, compactAssignments: readBack });
  let rejectedLine: { file: string; line: number; text: string; kind: 'users' | 'groups' } | null = null;
  let totalBytes = 0;
  for (const kind of ['users', 'groups'] as const) {
    for (const name of files[kind]) {
      const file = join(dir, name);
      const lines = readBack && kind === 'users' ? openLineFile(file, diagnostics) : null;
      if (lines === undefined) continue;
      const source = lines === null ? null : new LineUserSource(lines, reader.lineAttributes, options.keepAttributes);
      const streamed = await streamLines(
        file,
        (value, line, plain, text, offset, length) => {
          if (reader.rejected) return;
          const at: SourceLocation = { file, position: { line, column: 1 } };
          if (kind === 'groups') reader.addGroup(value, at, plain);
          else if (source === null) reader.addUser(value, at, plain);
          else reader.addUser(value, at, plain, { source, line, offset, length });
          if (reader.rejected && reader.rejectedAt !== null) rejectedLine = { file, line, text, kind };
        },
        lines?.fd,
      );
      totalBytes += streamed.bytes;
      diagnostics.push(...streamed.diagnostics);
      if (lines !== null && streamed.diagnostics.length === 0 && !lines.unchanged())
        diagnostics.push(
          error(C.FIXTURE_READ_FAILED, `${file} changed while it was read`, {
            file,
            hint: 'let whatever writes it finish, then run the command again',
          }),
        );
    }
  }
  if (diagnostics.length > 0) return { tenant: null, diagnostics };

  options.onStreamed?.();
  const tenant = reader.finish(dir, assignments);
  if (tenant !== null) return { tenant, diagnostics: [] };
  if (totalBytes <= explainLimit) return explainWhole(dir, files, assignments, explainLimit);
  if (!assignmentsFile.toLowerCase().endsWith('.json'))
    return {
      tenant: null,
      diagnostics: [
        error(
          C.FIXTURE_WRONG_SHAPE,
          `a JSON Lines tenant this large (${mebibytes(totalBytes)}) is read by the streaming reader, which reads the assignments from assignments.json only`,
          {
            file: assignmentsFile,
            hint: `write ${assignmentNames[0]} as assignments.json (the same app, roles and assignments, in JSON)`,
          },
        ),
      ],
    };
  if (rejectedLine === null && reader.unresolved !== null)
    return { tenant: null, diagnostics: [unresolvedReference(reader.unresolved, totalBytes, explainLimit)] };
  return { tenant: null, diagnostics: explainOne(rejectedLine, totalBytes, explainLimit) };
}

interface Streamed {
  bytes: number;
  diagnostics: Diagnostic[];
}

/** The bytes of the users files (those that cannot be read count nothing: their load reports them). */
async function usersBytes(dir: string, names: readonly string[]): Promise<number> {
  let total = 0;
  for (const name of names)
    total += await stat(join(dir, name)).then(
      (s) => (s.isFile() ? s.size : 0),
      () => 0,
    );
  return total;
}

/** A users file opened to be read back (`LineFile`); undefined, with the problem reported, when it cannot be. */
function openLineFile(file: string, diagnostics: Diagnostic[]): LineFile | undefined {
  try {
    // Checked before opening: opening a named pipe would wait for a writer.
    if (!statSync(file).isFile()) throw Object.assign(new Error('not a regular file'), { code: 'ENOTREG' });
    return LineFile.open(file);
  } catch (e) {
    diagnostics.push(error(C.FIXTURE_READ_FAILED, `cannot read ${file}: ${readReason(e)}`, { file }));
    return undefined;
  }
}

interface ChunkReader {
  read(buffer: Buffer, offset: number, length: number): Promise<{ bytesRead: number }>;
  close(): Promise<void>;
}

/**
 * Reads `file` a chunk at a time and hands each line's value to `visit`, with the line's place in the file
 * (its first byte and its length). Through `fd` when given (a `LineFile`'s: read from its start, left open).
 */
async function streamLines(
  file: string,
  visit: (value: unknown, line: number, plain: boolean, text: string, offset: number, length: number) => void,
  fd?: number,
): Promise<Streamed> {
  const diagnostics: Diagnostic[] = [];
  let handle: ChunkReader;
  try {
    if (fd !== undefined) handle = { read: (b, o, l) => readFd(fd, b, o, l, null), close: async () => {} };
    else {
      // Checked before opening: opening a named pipe would wait for a writer.
      if (!(await stat(file)).isFile()) throw Object.assign(new Error('not a regular file'), { code: 'ENOTREG' });
      const opened = await open(file, 'r');
      handle = { read: (b, o, l) => opened.read(b, o, l, null), close: () => opened.close() };
    }
  } catch (e) {
    return { bytes: 0, diagnostics: [error(C.FIXTURE_READ_FAILED, `cannot read ${file}: ${readReason(e)}`, { file })] };
  }
  try {
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    let filled = 0;
    let line = 1;
    let bytes = 0;
    /** The file offset of `buffer[0]`. */
    let base = 0;
    let first = true;
    let syntaxErrors = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, filled, CHUNK_BYTES - filled);
      bytes += bytesRead;
      filled += bytesRead;
      const atEnd = bytesRead === 0;
      let end = atEnd ? filled : buffer.lastIndexOf(0x0a, filled - 1) + 1;
      if (end === 0 && !atEnd) {
        if (filled < CHUNK_BYTES) continue;
        diagnostics.push(
          error(C.FIXTURE_SYNTAX, `line ${line} is ${CHUNK_BYTES / 2 ** 20} MiB or longer`, {
            file,
            position: { line, column: 1 },
            hint: 'a JSON Lines file holds one object per line; split the line',
          }),
        );
        return { bytes, diagnostics };
      }
      if (end > 0) {
        // A byte order mark is skipped, as editors do (columns on line 1 count from after it).
        const bom = first && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf ? 3 : 0;
        first = false;
        const errors = parseJsonLines(buffer, end, line, (l) => visit(l.value, l.line, l.plain, l.text, base + l.offset, l.length), bom);
        for (const e of errors) {
          if (syntaxErrors++ < MAX_SYNTAX_ERRORS)
            diagnostics.push(
              error(C.FIXTURE_SYNTAX, `JSON syntax: ${e.message}`, {
                file,
                position: e.position,
                hint: 'each line must be one JSON object',
              }),
            );
        }
        line += countLineBreaks(buffer, end);
        buffer.copy(buffer, 0, end, filled);
        filled -= end;
        base += end;
      }
      if (atEnd) break;
    }
    if (syntaxErrors > MAX_SYNTAX_ERRORS)
      diagnostics.push(error(C.FIXTURE_SYNTAX, `${syntaxErrors - MAX_SYNTAX_ERRORS} more lines are not valid JSON`, { file }));
    return { bytes, diagnostics };
  } catch (e) {
    return { bytes: 0, diagnostics: [error(C.FIXTURE_READ_FAILED, `cannot read ${file}: ${readReason(e)}`, { file })] };
  } finally {
    await handle.close();
  }
}

/**
 * The YAML-node path over the whole tenant: each kind's files as one YAML list (`- ` before every line, so a
 * line keeps its number within its file's stretch and its columns move by 2), the diagnostics and locations
 * mapped back to the JSON Lines files.
 */
async function explainWhole(
  dir: string,
  files: { users: string[]; groups: string[] },
  assignments: TextFile,
  explainLimit: number,
): Promise<Loaded> {
  const stretches: { pseudo: string; file: string; from: number; to: number }[] = [];
  const asYaml = async (kind: 'users' | 'groups'): Promise<TextFile | undefined> => {
    if (files[kind].length === 0) return undefined;
    // Ends in `.json` so the node path reads scalars with the JSON schema, as it does for `.json` fixtures.
    const pseudo = join(dir, `${kind}.jsonl-as-list.json`);
    let text = '';
    let offset = 0;
    for (const name of files[kind]) {
      const file = join(dir, name);
      const read = await readInputFile(file, explainLimit);
      let lines = read.ok ? read.bytes.toString('utf8').split('\n') : [];
      if (lines[0]?.startsWith('\uFEFF')) lines[0] = lines[0].slice(1);
      if (lines.length > 0 && lines[lines.length - 1] === '') lines = lines.slice(0, -1);
      text += lines.map((l) => (/^[ \t\r]*$/.test(l) ? '' : `- ${l}`)).join('\n') + (lines.length > 0 ? '\n' : '');
      stretches.push({ pseudo, file, from: offset + 1, to: offset + lines.length });
      offset += lines.length;
    }
    // No objects at all (only blank lines) is an empty list, as an empty JSON Lines file is.
    return { file: pseudo, text: /^\s*$/.test(text) ? '[]\n' : text };
  };
  const users = await asYaml('users');
  const groups = await asYaml('groups');
  const back = (file: string, position: { line: number; column: number }): { file: string; position: { line: number; column: number } } => {
    const s = stretches.find((st) => st.pseudo === file && position.line >= st.from && position.line <= st.to);
    if (!s) return { file: stretches.find((st) => st.pseudo === file)?.file ?? file, position };
    return { file: s.file, position: { line: position.line - s.from + 1, column: Math.max(1, position.column - 2) } };
  };
  const parsed = parseTenant({ dir, users, groups, assignments }, { jsonFastPath: false });
  // Hints point at first occurrences as `file:line:col`: those are mapped back too.
  const pseudos = [...new Set(stretches.map((st) => st.pseudo))];
  const refs = (text: string): string => {
    for (const pseudo of pseudos) {
      if (!text.includes(pseudo + ':')) continue;
      text = text.replace(new RegExp(`${escapeRegExp(pseudo)}:(\\d+):(\\d+)`, 'g'), (_, line: string, column: string) => {
        const at = back(pseudo, { line: Number(line), column: Number(column) });
        return `${at.file}:${at.position.line}:${at.position.column}`;
      });
    }
    return text;
  };
  const diagnostics = parsed.diagnostics.map((d) => {
    const moved =
      d.file !== undefined && d.position !== undefined && pseudos.includes(d.file) ? { ...d, ...back(d.file, d.position) } : { ...d };
    moved.message = refs(moved.message);
    if (moved.hint !== undefined) moved.hint = refs(moved.hint);
    return moved;
  });
  const tenant = parsed.tenant && {
    ...parsed.tenant,
    users: parsed.tenant.users.map((u) => ({ ...u, location: back(u.location.file, u.location.position) })),
    groups: parsed.tenant.groups.map((g) => ({ ...g, location: back(g.location.file, g.location.position) })),
  };
  return { tenant, diagnostics };
}

/** Above the explain limit: the one object the fast reader stopped at, checked on its own by the node path. */
function explainOne(
  rejected: { file: string; line: number; text: string; kind: 'users' | 'groups' } | null,
  totalBytes: number,
  explainLimit: number,
): Diagnostic[] {
  const size = mebibytes(totalBytes);
  if (rejected !== null) {
    const out: Diagnostic[] = [];
    const parsed = parseYamlFile({ file: `${rejected.file}.json`, text: `- ${rejected.text}\n` }, C.FIXTURE_SYNTAX);
    if (parsed.ok) {
      const r = new YamlReader(
        parsed.yaml,
        { wrongType: C.FIXTURE_WRONG_TYPE, unknownKey: C.FIXTURE_UNKNOWN_KEY, missingKey: C.FIXTURE_MISSING_KEY },
        out,
      );
      if (rejected.kind === 'users') readUsers(r);
      else readGroups(r);
    }
    const mapped = out.map((d) => ({
      ...d,
      file: rejected.file,
      position: { line: rejected.line, column: Math.max(1, (d.position?.column ?? 3) - 2) },
    }));
    if (mapped.length > 0) return mapped;
    // Valid on its own for the careful path: the fast reader refuses what it cannot confirm cheaply.
    return [
      error(
        C.FIXTURE_WRONG_TYPE,
        `provsim's streaming reader cannot confirm this ${rejected.kind === 'users' ? 'user' : 'group'}, and the tenant (${size}) is too large for the careful reader`,
        {
          file: rejected.file,
          position: { line: rejected.line, column: 1 },
          hint:
            'write numbers as strings ("7", not 7); a value containing the two characters ": also needs the careful reader, which runs for tenants up to ' +
            mebibytes(explainLimit),
        },
      ),
    ];
  }
  return [
    error(
      C.FIXTURE_WRONG_SHAPE,
      `the tenant breaks a rule between objects (a duplicate id or userPrincipalName, a user as their own manager, a group as a manager, an assignment's principal that names nothing, a group nesting loop, a duplicate assignment), or has something provsim would warn about (a member listed twice), which the streaming reader refuses; provsim explains these in detail for JSON Lines tenants up to ${mebibytes(explainLimit)}, and this one is ${size}`,
      {
        hint: 'check the references and ids, or load a part of the tenant (fewer users*.jsonl files, with the groups and assignments that name only their users) to have the problem pointed at',
      },
    ),
  ];
}

/**
 * Above the explain limit: the first manager or member reference the streaming reader found to name nothing,
 * at the line of the user or group that holds it. It stops at the first: there may be more.
 */
function unresolvedReference(u: UnresolvedReference, totalBytes: number, explainLimit: number): Diagnostic {
  return error(C.FIXTURE_UNRESOLVED_REFERENCE, u.message, {
    file: u.location.file,
    position: u.location.position,
    hint: `${u.hint}; above ${mebibytes(explainLimit)} of JSON Lines (this tenant is ${mebibytes(totalBytes)}) provsim stops at the first reference it cannot resolve, in reading order (users files, then groups files): there may be more, of this or another kind, so fix this one and run again`,
  });
}

function readReason(e: unknown): string {
  const code = (e as { code?: unknown }).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'ENOTREG') return 'it is not a regular file';
  if (code === 'EACCES') return 'permission denied';
  return e instanceof Error ? e.message : String(e);
}

function mebibytes(n: number): string {
  return `${(n / 2 ** 20).toFixed(n < 2 ** 20 ? 2 : 0)} MiB`;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
