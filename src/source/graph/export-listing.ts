/**
 * Which files of a directory make a Microsoft Graph export, and in what order they are read. Pure: works on a
 * directory listing (file names).
 *
 * A Graph export holds Graph v1.0 responses saved as returned, one file per page:
 * - `users*.json`: `GET /users?$select=…&$expand=manager($select=id)`;
 * - `groups*.json`: `GET /groups`;
 * - `members-<group id>*.json`: `GET /groups/{id}/members`;
 * - `servicePrincipal.json`: `GET /servicePrincipals/{id}` (the app and its roles);
 * - `appRoleAssignedTo*.json`: `GET /servicePrincipals/{id}/appRoleAssignedTo`.
 * Several pages of one collection are told apart by anything after the prefix (`users.json`, `users-2.json`,
 * `users.page3.json`), read in `compareSuffixes` order: the bare name first, then numbers by value.
 */
import { error } from '../../shared/diagnostics.js';
import type { Diagnostic } from '../../shared/diagnostics.js';
import { GRAPH_CODES as C } from './graph-codes.js';
import { compareSuffixes } from './natural-order.js';

export type GraphCollection = 'users' | 'groups' | 'members' | 'servicePrincipal' | 'appRoleAssignedTo';

/** The Graph request each kind of file holds, for messages. */
export const GRAPH_REQUESTS: Readonly<Record<GraphCollection, string>> = {
  users: 'GET /v1.0/users?$select=…&$expand=manager($select=id)',
  groups: 'GET /v1.0/groups',
  members: 'GET /v1.0/groups/{id}/members',
  servicePrincipal: 'GET /v1.0/servicePrincipals/{id}',
  appRoleAssignedTo: 'GET /v1.0/servicePrincipals/{id}/appRoleAssignedTo',
};

export interface GraphFile {
  name: string;
  collection: GraphCollection;
  /** What follows the collection's prefix, without `.json`: orders pages. */
  suffix: string;
  /** The group a members file belongs to (lower case), from its name. */
  groupId?: string;
}

export interface GraphExportListing {
  users: string[];
  groups: string[];
  servicePrincipal: string | null;
  appRoleAssignedTo: string[];
  /** Members pages per group, groups by id. */
  members: Array<{ groupId: string; files: string[] }>;
  /** `.json` files that are not part of a Graph export (not read). */
  unknown: string[];
}

const GUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const PAGED: ReadonlyArray<[Exclude<GraphCollection, 'members' | 'servicePrincipal'>, RegExp]> = [
  ['users', /^users(?![a-z])(.*)\.json$/i],
  ['groups', /^groups(?![a-z])(.*)\.json$/i],
  ['appRoleAssignedTo', /^appRoleAssignedTo(?![a-z])(.*)\.json$/i],
];
const MEMBERS = new RegExp(`^members-(${GUID})(?![0-9a-z])(.*)\\.json$`, 'i');
const SERVICE_PRINCIPAL = /^servicePrincipal\.json$/i;

/** The fixture format's files, spelled exactly as `loadTenant` looks them up. */
const FIXTURE_USERS = ['users.yaml', 'users.yml', 'users.json'];
const FIXTURE_ASSIGNMENTS = ['assignments.yaml', 'assignments.yml', 'assignments.json'];

/** The file's role in a Graph export, or null when it has none. */
export function classifyGraphFile(name: string): GraphFile | null {
  if (SERVICE_PRINCIPAL.test(name)) return { name, collection: 'servicePrincipal', suffix: '' };
  const members = MEMBERS.exec(name);
  if (members) return { name, collection: 'members', suffix: members[2]!, groupId: members[1]!.toLowerCase() };
  for (const [collection, pattern] of PAGED) {
    const m = pattern.exec(name);
    if (m) return { name, collection, suffix: m[1]! };
  }
  return null;
}

export function listGraphExport(names: Iterable<string>): GraphExportListing {
  const byCollection = new Map<GraphCollection, GraphFile[]>();
  const unknown: string[] = [];
  for (const name of names) {
    const f = classifyGraphFile(name);
    if (f === null) {
      if (name.toLowerCase().endsWith('.json')) unknown.push(name);
      continue;
    }
    byCollection.set(f.collection, [...(byCollection.get(f.collection) ?? []), f]);
  }
  const ordered = (c: GraphCollection): GraphFile[] =>
    (byCollection.get(c) ?? []).sort((a, b) => compareSuffixes(a.suffix, b.suffix) || (a.name < b.name ? -1 : 1));
  const servicePrincipals = ordered('servicePrincipal');
  // Two spellings of servicePrincipal.json (a case-sensitive file system): the first is read, the others reported.
  unknown.push(...servicePrincipals.slice(1).map((f) => f.name));
  const members = new Map<string, string[]>();
  for (const f of ordered('members')) members.set(f.groupId!, [...(members.get(f.groupId!) ?? []), f.name]);
  return {
    users: ordered('users').map((f) => f.name),
    groups: ordered('groups').map((f) => f.name),
    servicePrincipal: servicePrincipals[0]?.name ?? null,
    appRoleAssignedTo: ordered('appRoleAssignedTo').map((f) => f.name),
    members: [...members.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([groupId, files]) => ({ groupId, files })),
    unknown: unknown.sort(),
  };
}

/** The files in the order they are read: users, groups, the app, its assignments, then group members. */
export function readingOrder(listing: GraphExportListing): string[] {
  return [
    ...listing.users,
    ...listing.groups,
    ...(listing.servicePrincipal === null ? [] : [listing.servicePrincipal]),
    ...listing.appRoleAssignedTo,
    ...listing.members.flatMap((m) => m.files),
  ];
}

function hasFixtureTenant(names: ReadonlySet<string>): boolean {
  return FIXTURE_USERS.some((n) => names.has(n)) && FIXTURE_ASSIGNMENTS.some((n) => names.has(n));
}

/**
 * Whether the listing has a file only a Graph export has: servicePrincipal.json or appRoleAssignedTo pages.
 * `users*.json`, `groups*.json` and `members-*.json` say nothing: a fixture tenant may be written as users.json
 * and groups.json, and keep stray files beside them (users.backup.json) that the fixture loader ignores.
 */
function hasGraphOnlyFile(names: Iterable<string>): boolean {
  for (const name of names) {
    const collection = classifyGraphFile(name)?.collection;
    if (collection === 'servicePrincipal' || collection === 'appRoleAssignedTo') return true;
  }
  return false;
}

/**
 * Whether the listing holds fixture files: a fixture tenant (a users file and an assignments file), or a file only
 * the fixture format has (`assignments.*`, `users.yaml`, `groups.yml`…; `users.json` and `groups.json` could be
 * Graph pages).
 */
function hasFixtureFiles(names: ReadonlySet<string>): boolean {
  if (hasFixtureTenant(names)) return true;
  for (const name of names) if (/^(users|groups)\.(yaml|yml)$/.test(name) || FIXTURE_ASSIGNMENTS.includes(name)) return true;
  return false;
}

/**
 * Whether `loadTenant` should read the directory as a Graph export: it has servicePrincipal.json or
 * appRoleAssignedTo pages, and no fixture files (both at once is `mixedListingDiagnostic`'s error).
 */
export function isGraphExportListing(names: Iterable<string>): boolean {
  const set = new Set(names);
  return hasGraphOnlyFile(set) && !hasFixtureFiles(set);
}

/**
 * An error when the directory holds fixture files and files only a Graph export has (servicePrincipal.json,
 * appRoleAssignedTo pages): provsim would not know which to read. Other Graph-like names (users-2.json,
 * members-….json) beside a fixture tenant are not read by the fixture loader, and are named only in the message.
 */
export function mixedListingDiagnostic(dir: string, names: Iterable<string>): Diagnostic | null {
  const set = new Set(names);
  if (!hasGraphOnlyFile(set) || !hasFixtureFiles(set)) return null;
  const graphOnly = [...set]
    .filter((name) => {
      const f = classifyGraphFile(name);
      if (f === null) return false;
      return !((f.collection === 'users' || f.collection === 'groups') && f.suffix === '');
    })
    .sort();
  const fixture = [...set].filter((n) => /^(users|groups|assignments)\.(yaml|yml|json)$/.test(n)).sort();
  const shown = graphOnly.length > 4 ? [...graphOnly.slice(0, 4), `and ${graphOnly.length - 4} more`] : graphOnly;
  return error(
    C.GRAPH_MIXED_DIRECTORY,
    `the directory holds both a fixture tenant (${fixture.join(', ')}) and files of a Microsoft Graph export (${shown.join(', ')}), so provsim cannot tell which to read`,
    {
      file: dir,
      hint: 'keep the Graph export in a directory of its own and pass that one (provsim fixtures import-graph EXPORT_DIR --out DIR turns it into fixture files), or remove the fixture files to read the export directly',
    },
  );
}
