/**
 * A deterministic synthetic tenant, for benchmarks and large-scale tests: in memory (`generateTenant`) or as
 * fixture files (`writeTenantFixtures`). Both come from the same per-object generators, so
 * `loadTenant(dir)` after `writeTenantFixtures(o, dir)` deep-equals `generateTenant(o, dir)`, locations
 * included. The same options give byte-identical files.
 *
 * The writer holds one object at a time (files are produced lazily and piped with backpressure), so the
 * file size is bounded by the disk, not the heap (a million users: about 100 MB of memory, 0.8 GB of files);
 * the in-memory tenant takes about 1 KB of heap per user.
 * Three formats, the same tenant: YAML (the default; see `layout.ts`), JSON (`json-layout.ts`, one object per
 * line, which the loader reads through its fast path) and JSON Lines (the same lines without the brackets, in
 * files of `JSON_LINES_OBJECTS_PER_FILE`, streamed by the loader: any size). Locations follow the format, so pass the
 * same format to `generateTenant` as to `writeTenantFixtures`.
 * What the data looks like (names, proportions, the manager tree) is described in `records.ts`.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { APP_NAME } from './data.js';
import {
  FIRST_RECORD_LINE,
  appText,
  assignmentPosition,
  assignmentText,
  fileHeader,
  firstAssignmentLine,
  groupLines,
  groupText,
  recordPosition,
  recordText,
  userEntries,
  userLines,
} from './layout.js';
import {
  JSON_FIRST_RECORD_LINE,
  jsonAppText,
  jsonAssignmentText,
  jsonFirstAssignmentLine,
  jsonGroupText,
  jsonListBody,
  jsonObjectText,
  jsonRecordPosition,
} from './json-layout.js';
import { generateGroup, generateUser, groupHead, userHead } from './records.js';
import type { AssignedRole, GenerateTenantOptions, GroupRecord, UserRecord } from './records.js';
import { MAX_OBJECTS_PER_KIND, objectId } from './streams.js';
import { DEFAULT_ACCESS_ROLE } from '../../model/directory.js';
import type { Position } from '../../shared/diagnostics.js';
import type { AppRole, Assignment, SourceGroup, SourceUser, Tenant } from '../../model/directory.js';

export type { GenerateTenantOptions } from './records.js';

/** `Tenant.dir` of a tenant generated without naming a directory: not a path that exists. */
export const GENERATED_TENANT_DIR = '<generated>';

export type FixtureFormat = 'yaml' | 'json' | 'jsonl';

/**
 * JSON Lines files hold at most this many objects each (`users-1.jsonl`, `users-2.jsonl`, …; one
 * `users.jsonl` up to this size): a million users make four files of about 220 MB.
 */
export const JSON_LINES_OBJECTS_PER_FILE = 250_000;

export interface FixtureFormatOptions {
  /** Default 'yaml'. */
  format?: FixtureFormat;
}

/** Where each object lands in the files of a format (file names and positions), without writing them. */
interface Layout {
  files: { users: string; groups: string; assignments: string };
  firstRecordLine: number;
  recordPosition: (line: number) => Position;
  userLines: (u: UserRecord) => number;
  groupLines: (g: GroupRecord) => number;
  firstAssignmentLine: (roleCount: number) => number;
  assignmentPosition: (line: number) => Position;
}

const LAYOUTS: Record<FixtureFormat, Layout> = {
  // users/groups name the first file; `linesFile` gives each object's (see JSON_LINES_OBJECTS_PER_FILE).
  jsonl: {
    files: { users: 'users.jsonl', groups: 'groups.jsonl', assignments: 'assignments.json' },
    firstRecordLine: 1,
    recordPosition: jsonRecordPosition,
    userLines: () => 1,
    groupLines: () => 1,
    firstAssignmentLine: jsonFirstAssignmentLine,
    assignmentPosition: jsonRecordPosition,
  },
  yaml: {
    files: { users: 'users.yaml', groups: 'groups.yaml', assignments: 'assignments.yaml' },
    firstRecordLine: FIRST_RECORD_LINE,
    recordPosition,
    userLines,
    groupLines,
    firstAssignmentLine,
    assignmentPosition,
  },
  json: {
    files: { users: 'users.json', groups: 'groups.json', assignments: 'assignments.json' },
    firstRecordLine: JSON_FIRST_RECORD_LINE,
    recordPosition: jsonRecordPosition,
    userLines: () => 1,
    groupLines: () => 1,
    firstAssignmentLine: jsonFirstAssignmentLine,
    assignmentPosition: jsonRecordPosition,
  },
};

function layoutOf(format: FixtureFormat | undefined): Layout {
  const layout = LAYOUTS[format ?? 'yaml'];
  if (layout === undefined) throw new RangeError(`format must be 'yaml', 'json' or 'jsonl', got ${String(format)}`);
  return layout;
}

/** The JSON Lines file of object `index` of `count`, and its line there. */
export function linesFile(kind: 'users' | 'groups', index: number, count: number): { name: string; line: number } {
  const line = (index % JSON_LINES_OBJECTS_PER_FILE) + 1;
  if (count <= JSON_LINES_OBJECTS_PER_FILE) return { name: `${kind}.jsonl`, line };
  return { name: `${kind}-${Math.floor(index / JSON_LINES_OBJECTS_PER_FILE) + 1}.jsonl`, line };
}

function checkOptions(o: GenerateTenantOptions): void {
  for (const key of ['users', 'groups', 'membersPerGroup'] as const) {
    const n = o[key];
    if (!Number.isInteger(n) || n < 0 || n >= MAX_OBJECTS_PER_KIND)
      throw new RangeError(`${key} must be an integer in [0, 2^30), got ${n}`);
  }
  if (!Number.isInteger(o.seed)) throw new RangeError(`seed must be an integer, got ${o.seed}`);
}

function appRoles(seed: number): AppRole[] {
  return [
    { id: objectId(seed, 'role', 0), value: 'User', displayName: 'User' },
    { id: objectId(seed, 'role', 1), value: 'Admin', displayName: 'Admin' },
  ];
}

const roleId = (roles: readonly AppRole[], role: AssignedRole): string =>
  role === null ? DEFAULT_ACCESS_ROLE.id : (roles.find((r) => r.value === role)?.id ?? DEFAULT_ACCESS_ROLE.id);

/**
 * The tenant the fixture loader would return for `writeTenantFixtures(options, dir, format)`; `dir` only names
 * the files in locations and `Tenant.dir`. Nothing is read or written.
 */
export function generateTenant(
  options: GenerateTenantOptions,
  dir: string = GENERATED_TENANT_DIR,
  format: FixtureFormatOptions = {},
): Tenant {
  checkOptions(options);
  const layout = layoutOf(format.format);
  const { seed } = options;
  const users: SourceUser[] = [];
  const assignments: Assignment[] = [];
  const roles = appRoles(seed);
  const userAssignments: { id: string; role: AssignedRole }[] = [];

  const lines = format.format === 'jsonl';
  const usersFile = join(dir, layout.files.users);
  let line = layout.firstRecordLine;
  for (let i = 0; i < options.users; i++) {
    const u = generateUser(seed, i);
    const manager = u.managerIndex === null ? null : users[u.managerIndex];
    const at = lines ? linesFile('users', i, options.users) : null;
    users.push({
      id: u.id,
      userPrincipalName: u.userPrincipalName,
      accountEnabled: u.accountEnabled,
      softDeleted: u.softDeleted,
      managerId: manager?.id ?? null,
      attributes: u.attributes,
      location: at
        ? { file: join(dir, at.name), position: layout.recordPosition(at.line) }
        : { file: usersFile, position: layout.recordPosition(line) },
    });
    line += layout.userLines(u);
    if (u.assignment) userAssignments.push({ id: u.id, role: u.assignment.role });
  }

  const groups: SourceGroup[] = [];
  const groupAssignments: { id: string; role: AssignedRole }[] = [];
  const groupsFile = join(dir, layout.files.groups);
  line = layout.firstRecordLine;
  for (let g = 0; g < options.groups; g++) {
    const group = generateGroup(options, g);
    const at = lines ? linesFile('groups', g, options.groups) : null;
    groups.push({
      id: group.id,
      displayName: group.displayName,
      memberIds: group.memberIndices.map((i) => users[i]!.id),
      attributes: group.attributes,
      location: at
        ? { file: join(dir, at.name), position: layout.recordPosition(at.line) }
        : { file: groupsFile, position: layout.recordPosition(line) },
    });
    line += layout.groupLines(group);
    if (group.assignment) groupAssignments.push({ id: group.id, role: group.assignment.role });
  }

  const assignmentsFile = join(dir, layout.files.assignments);
  line = layout.firstAssignmentLine(roles.length);
  for (const [principalKind, list] of [
    ['user', userAssignments],
    ['group', groupAssignments],
  ] as const) {
    for (const a of list) {
      assignments.push({
        principalKind,
        principalId: a.id,
        roleId: roleId(roles, a.role),
        location: { file: assignmentsFile, position: layout.assignmentPosition(line++) },
      });
    }
  }
  return { dir, users, groups, app: { name: APP_NAME, appRoles: roles }, assignments };
}

/**
 * Writes `users`, `groups` and `assignments` files of the format (`.yaml` by default, or `.json`) into `dir`
 * (created if missing; files replaced), or, with `jsonl`, `users*.jsonl`, `groups*.jsonl` and `assignments.json`
 * (earlier `*.jsonl` files it does not write are removed, since the loader would read them too). Files of
 * another format are not removed: the loader would then report both spellings as ambiguous, so write a
 * format into a fresh directory.
 */
export async function writeTenantFixtures(options: GenerateTenantOptions, dir: string, format: FixtureFormatOptions = {}): Promise<void> {
  checkOptions(options);
  const { files } = layoutOf(format.format);
  await mkdir(dir, { recursive: true });
  if (format.format === 'jsonl') {
    // The loader reads every users*.jsonl and groups*.jsonl: earlier ones this tenant does not write would be
    // read with it.
    const writes = new Set<string>();
    for (const [kind, count] of [
      ['users', options.users],
      ['groups', options.groups],
    ] as const)
      for (let from = 0; from < Math.max(count, 1); from += JSON_LINES_OBJECTS_PER_FILE) writes.add(linesFile(kind, from, count).name);
    for (const name of await readdir(dir))
      if (/^(users|groups)(?:[-_.][^/\\]*)?\.jsonl$/.test(name) && !writes.has(name)) await rm(join(dir, name));
    const write = (name: string, chunks: Iterable<string>): Promise<void> =>
      pipeline(Readable.from(chunks, { objectMode: false }), createWriteStream(join(dir, name), { encoding: 'utf8' }));
    for (const [kind, count, record] of [
      ['users', options.users, (i: number) => userJsonText(options, i)],
      ['groups', options.groups, (g: number) => groupJsonText(options, g)],
    ] as const) {
      // An empty kind still gets its file, so the tenant's shape does not depend on its size.
      for (let from = 0; from < Math.max(count, 1); from += JSON_LINES_OBJECTS_PER_FILE) {
        const to = Math.min(count, from + JSON_LINES_OBJECTS_PER_FILE);
        await write(
          linesFile(kind, from, count).name,
          (function* () {
            for (let i = from; i < to; i++) yield record(i) + '\n';
          })(),
        );
      }
    }
    await write(files.assignments, assignmentsJsonChunks(options));
    return;
  }
  const json = format.format === 'json';
  for (const [name, chunks] of [
    [files.users, json ? usersJsonChunks(options) : usersChunks(options)],
    [files.groups, json ? groupsJsonChunks(options) : groupsChunks(options)],
    [files.assignments, json ? assignmentsJsonChunks(options) : assignmentsChunks(options)],
  ] as const) {
    // Readable.from pulls the generator only as fast as the file stream drains: one record in flight.
    await pipeline(Readable.from(chunks, { objectMode: false }), createWriteStream(join(dir, name), { encoding: 'utf8' }));
  }
}

function* usersChunks(o: GenerateTenantOptions): Generator<string> {
  yield fileHeader('users', o);
  if (o.users === 0) yield '[]\n';
  for (let i = 0; i < o.users; i++) {
    const u = generateUser(o.seed, i);
    const managerUpn = u.managerIndex === null ? null : userHead(o.seed, u.managerIndex).userPrincipalName;
    yield recordText(userEntries(u, managerUpn));
  }
}

function* groupsChunks(o: GenerateTenantOptions): Generator<string> {
  yield fileHeader('groups', o);
  if (o.groups === 0) yield '[]\n';
  for (let g = 0; g < o.groups; g++) {
    const group = generateGroup(o, g);
    yield groupText(
      group,
      group.memberIndices.map((i) => objectId(o.seed, 'user', i)),
    );
  }
}

function* assignmentsChunks(o: GenerateTenantOptions): Generator<string> {
  const any = hasAssignments(o);
  yield fileHeader('assignments', o);
  yield appText(APP_NAME, appRoles(o.seed), any);
  for (let i = 0; i < o.users; i++) {
    const u = userHead(o.seed, i);
    if (u.assignment) yield assignmentText(u.userPrincipalName, u.assignment.role);
  }
  for (let g = 0; g < o.groups; g++) {
    const group = groupHead(o.seed, g);
    if (group.assignment) yield assignmentText(group.displayName, group.assignment.role);
  }
}

function userJsonText(o: GenerateTenantOptions, i: number): string {
  const u = generateUser(o.seed, i);
  const managerUpn = u.managerIndex === null ? null : userHead(o.seed, u.managerIndex).userPrincipalName;
  return jsonObjectText(userEntries(u, managerUpn));
}

function groupJsonText(o: GenerateTenantOptions, g: number): string {
  const group = generateGroup(o, g);
  return jsonGroupText(
    group,
    group.memberIndices.map((i) => objectId(o.seed, 'user', i)),
  );
}

function* usersJsonChunks(o: GenerateTenantOptions): Generator<string> {
  yield '[\n';
  yield* jsonListBody(
    (function* () {
      for (let i = 0; i < o.users; i++) yield userJsonText(o, i);
    })(),
  );
  yield ']\n';
}

function* groupsJsonChunks(o: GenerateTenantOptions): Generator<string> {
  yield '[\n';
  yield* jsonListBody(
    (function* () {
      for (let g = 0; g < o.groups; g++) yield groupJsonText(o, g);
    })(),
  );
  yield ']\n';
}

function* assignmentsJsonChunks(o: GenerateTenantOptions): Generator<string> {
  yield jsonAppText(APP_NAME, appRoles(o.seed));
  yield* jsonListBody(
    (function* () {
      for (let i = 0; i < o.users; i++) {
        const u = userHead(o.seed, i);
        if (u.assignment) yield jsonAssignmentText(u.userPrincipalName, u.assignment.role);
      }
      for (let g = 0; g < o.groups; g++) {
        const group = groupHead(o.seed, g);
        if (group.assignment) yield jsonAssignmentText(group.displayName, group.assignment.role);
      }
    })(),
  );
  yield ']}\n';
}

/** Whether the assignments list is non-empty, found without holding it: stops at the first assigned object. */
function hasAssignments(o: GenerateTenantOptions): boolean {
  for (let i = 0; i < o.users; i++) if (userHead(o.seed, i).assignment) return true;
  for (let g = 0; g < o.groups; g++) if (groupHead(o.seed, g).assignment) return true;
  return false;
}
