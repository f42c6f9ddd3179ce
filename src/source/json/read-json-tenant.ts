/**
 * The fast path for `.json` tenants: `JSON.parse`, then the format's rules checked on the plain values, with
 * no YAML nodes and no messages (but for `UnresolvedReference`, which the JSON Lines loader reports above its
 * explain limit). It answers only "this is a valid tenant, here it is" or "not sure" (null);
 * on null the caller reads the files again through the positioned YAML-node path, which finds and explains
 * the problems. So diagnostics have one source of truth, and the fast path never needs to be precise about
 * failures, only strict: it must reject everything that path reports, warnings included, and build the same
 * Tenant (locations included) for everything else.
 *
 * It mirrors `read-users.ts`, `read-groups.ts`, `read-assignments.ts` and `resolve-tenant.ts`; a rule added
 * there must be added here (the differential tests in `test/source/json-fast-path.test.ts` run every
 * bad-input case of the parse tests through both paths). Deliberately conservative, trading speed on rare
 * inputs for simplicity:
 * - a number anywhere a text is expected rejects (the node path keeps the source digits, `1.50`, which
 *   `JSON.parse` has lost);
 * - duplicate keys reject (counted by `scanJsonStructure`, and for the assignments file by `json-root-list.ts`);
 * - a lone CR line break rejects (the YAML parser's one disagreement with JSON about whitespace, found by
 *   the randomly formatted texts of the tests);
 * - the fast path is taken only when every file of the tenant is `.json`.
 */
import { UPN_FORMAT, upnKey } from '../upn.js';
import type { TextFile } from '../../shared/yaml-file.js';
import {
  GROUP_FIXTURE_KEYS,
  GROUP_STRING_ATTRIBUTES,
  USER_FIXTURE_KEYS,
  USER_MULTI_VALUED_ATTRIBUTES,
  USER_STRING_ATTRIBUTES,
  USER_TYPES,
  isExtensionAttribute,
} from '../fixture-attributes.js';
import { isGuid } from '../guid.js';
import { CompactAssignment } from './compact-assignment.js';
import { GuidIndex } from './guid-index.js';
import { compactCopy, compactRecord } from '../../shared/compact-record.js';
import { scanJsonStructure } from './structure.js';
import { JsonRootList } from './json-root-list.js';
import { LinePositions } from './line-positions.js';
import { DEFAULT_ACCESS_ROLE } from '../../model/directory.js';
import { LineUser, type LineUserSource, type ReadAttributes } from './line-user.js';
import type { AppRole, Assignment, SourceGroup, SourceLocation, SourceUser, SourceValue, Tenant } from '../../model/directory.js';

export interface JsonTenantFiles {
  dir: string;
  users?: TextFile;
  groups?: TextFile;
  assignments?: TextFile;
}

/** Thrown (and caught below) as soon as anything is not plainly valid. */
const REJECT = Symbol('not a plainly valid JSON tenant');
function reject(): never {
  throw REJECT;
}

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A parsed file and where its objects start: `locate(obj)` is the position the node path gives its map. */
interface JsonFile {
  file: string;
  root: unknown;
  locate: (obj: Obj) => { file: string; position: { line: number; column: number } };
}

/** The Tenant, or null when the files are not all `.json` or anything would be reported by `parseTenant`. */
export function readJsonTenant(input: JsonTenantFiles): Tenant | null {
  const { users, groups, assignments } = input;
  if (users === undefined || assignments === undefined) return null;
  for (const f of [users, groups, assignments]) if (f !== undefined && !f.file.toLowerCase().endsWith('.json')) return null;
  try {
    const usersFile = openJson(users);
    const groupsFile = groups === undefined ? null : openJson(groups);
    return readTenant(
      input.dir,
      readUsers(usersFile.root),
      (obj) => usersFile.locate(obj ?? reject()),
      groupsFile === null ? [] : readGroups(groupsFile.root),
      (d) => (groupsFile ?? reject()).locate(d.obj ?? reject()),
      () => openAssignments(assignments),
    );
  } catch {
    // REJECT, or anything unexpected (a stack overflow walking absurdly deep nesting): the node path decides.
    return null;
  }
}

/** A file's text without its byte order mark; rejects a line break of a lone CR (JSON whitespace, but the YAML parser rejects it). */
function jsonText(input: TextFile): string {
  const text = input.text.startsWith('\uFEFF') ? input.text.slice(1) : input.text;
  for (let cr = text.indexOf('\r'); cr !== -1; cr = text.indexOf('\r', cr + 1)) if (text.charCodeAt(cr + 1) !== 0x0a) reject();
  return text;
}

function openJson(input: TextFile): JsonFile {
  const text = jsonText(input);
  let root: unknown;
  // An empty document is YAML null (no error); JSON.parse would throw.
  if (/^[ \t\r\n]*$/.test(text)) root = null;
  else {
    try {
      root = JSON.parse(text);
    } catch {
      reject();
    }
  }
  const { objectStarts, pairs } = scanJsonStructure(text);
  // Objects in document order: JSON.parse keeps key order except for integer-like keys, which no valid
  // fixture object has (they are unknown keys), so by the time `locate` is called the orders agree.
  const order = new Map<Obj, number>();
  let keys = 0;
  // Only containers are visited (a call per string value cost more than the rest of the walk).
  const walk = (v: object): void => {
    if (Array.isArray(v)) {
      for (const item of v) if (typeof item === 'object' && item !== null) walk(item);
    } else {
      order.set(v as Obj, order.size);
      for (const k in v) {
        keys++;
        const value = (v as Obj)[k];
        if (typeof value === 'object' && value !== null) walk(value);
      }
    }
  };
  if (typeof root === 'object' && root !== null) walk(root);
  // Fewer keys than pairs: some object repeated a key, which the node path reports.
  if (keys !== pairs || order.size !== objectStarts.length) reject();
  let lines: LinePositions | null = null;
  return {
    file: input.file,
    root,
    locate: (obj) => {
      lines ??= new LinePositions(text);
      const offset = objectStarts[order.get(obj) ?? reject()] ?? reject();
      return { file: input.file, position: lines.position(offset) };
    },
  };
}

/** The assignments file, its list read item by item (see `json-root-list.ts`). */
interface AssignmentsFile {
  file: string;
  root: JsonRootList;
}

function openAssignments(input: TextFile): AssignmentsFile {
  // An empty document (YAML null) is no root object, which `readAssignments` rejects.
  return { file: input.file, root: new JsonRootList(jsonText(input), 'assignments') };
}

/** A scalar as Entra's attribute language sees it (`scalarText`), numbers excepted (see the header). */
function text(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  return reject();
}

function string(v: unknown): string {
  return typeof v === 'string' ? v : reject();
}

function guid(v: unknown): string {
  const s = string(v);
  return isGuid(s) ? s : reject();
}

function attributeValue(v: unknown, shape: 'single' | 'multi' | 'either'): SourceValue {
  if (Array.isArray(v)) {
    if (shape === 'single') reject();
    return v.map((item) => (item === null ? reject() : text(item)));
  }
  if (shape === 'multi') reject();
  return text(v);
}

/** The items of a list of maps (a null item is reported by the node path: "must be a map"). */
function objects(list: unknown): Obj[] {
  if (!Array.isArray(list)) reject();
  return list.map((item: unknown) => (isObject(item) ? item : reject()));
}

/** The keys of a map, unknown keys rejected. Callers skip null values: the node path treats them as absent. */
function keysOf(obj: Obj, known: ReadonlySet<string>, extensions: boolean): string[] {
  const keys = Object.keys(obj);
  for (const key of keys) if (!known.has(key) && !(extensions && isExtension(key))) reject();
  return keys;
}

/** Non-null values by key, unknown keys rejected. For the small maps of the assignments file. */
function entries(obj: Obj, known: ReadonlySet<string>): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const key of keysOf(obj, known, false)) if (obj[key] !== null) out.set(key, obj[key]);
  return out;
}

/** `isExtensionAttribute`, memoised: a tenant has few distinct keys and every user repeats them. */
const extensionNames = new Map<string, boolean>();
function isExtension(key: string): boolean {
  let ok = extensionNames.get(key);
  if (ok === undefined) {
    ok = isExtensionAttribute(key);
    if (extensionNames.size < 10_000) extensionNames.set(key, ok);
  }
  return ok;
}

const USER_KEYS = new Set(USER_FIXTURE_KEYS);
const USER_SINGLE = new Set<string>(USER_STRING_ATTRIBUTES);
const USER_MULTI = new Set<string>(USER_MULTI_VALUED_ATTRIBUTES);
const GROUP_KEYS = new Set(GROUP_FIXTURE_KEYS);
const GROUP_SINGLE = new Set<string>(GROUP_STRING_ATTRIBUTES);
const UPN = UPN_FORMAT;

/**
 * Users as the Tenant will hold them (id in lower case, `managerId` null until `readTenant` resolves it),
 * with what is resolved later kept beside them, index for index: the manager as written and, for a `.json`
 * file, the parsed object (to locate; JSON Lines users are located as they are read). Parallel lists rather
 * than a draft object per user: a tenant's users are kept by the hundred thousand, and a second object per
 * user was a tenth of the load's time (allocation, then promotion by the garbage collector).
 */
interface UsersRead {
  users: SourceUser[];
  managers: (string | null)[];
  objs: Obj[];
  /** Each user's UPN, until `readTenant` has resolved the references (a `LineUser` reads its own back). */
  upns: string[];
  /**
   * The users' positions by id, kept as they are read when the JSON Lines reader is asked to
   * (`resolveMembersAsRead`), so that the members of a group read after them resolve as they are read; a
   * reference it does not hold yet stays text and is resolved by `readTenant`, so this is a saving, never a
   * rule. It keeps the first of an id given twice, and then holds fewer ids than there are users (which
   * `readTenant` rejects). Null otherwise: `readTenant` then looks users up in a Map of its own.
   */
  index: GuidIndex | null;
}

const newUsersRead = (index: GuidIndex | null = null): UsersRead => ({ users: [], managers: [], objs: [], upns: [], index });

/** A `.json` user's location until `readTenant` locates it (never seen outside this file). */
const UNLOCATED: SourceLocation = { file: '', position: { line: 0, column: 0 } };

/** What a key of a user map is, decided once per distinct key (every user repeats the same few). */
const enum UserKey {
  Unknown,
  Id,
  Upn,
  AccountEnabled,
  SoftDeleted,
  Manager,
  Single,
  Multi,
  Either,
}
const userKeyKinds = new Map<string, UserKey>();
function userKeyKind(key: string): UserKey {
  let kind = userKeyKinds.get(key);
  if (kind === undefined) {
    if (key === 'id') kind = UserKey.Id;
    else if (key === 'userPrincipalName') kind = UserKey.Upn;
    else if (key === 'accountEnabled') kind = UserKey.AccountEnabled;
    else if (key === 'softDeleted') kind = UserKey.SoftDeleted;
    else if (key === 'manager') kind = UserKey.Manager;
    else if (USER_SINGLE.has(key)) kind = UserKey.Single;
    else if (USER_MULTI.has(key)) kind = UserKey.Multi;
    else if (USER_KEYS.has(key) || isExtension(key)) kind = UserKey.Either;
    else kind = UserKey.Unknown;
    if (userKeyKinds.size < 10_000) userKeyKinds.set(key, kind);
  }
  return kind;
}

function readUsers(root: unknown): UsersRead {
  const userKeys = new UserKeys();
  const read = newUsersRead();
  for (const obj of objects(root)) {
    readUser(obj, UNLOCATED, userKeys, read);
    read.objs.push(obj);
  }
  return read;
}

/**
 * A user key as the reader meets it: what it is (`userKeyKind`) and its values so far. Equal attribute values
 * are shared between users: most attributes (department, city, companyName, userType…) take few distinct
 * values across a tenant, and `JSON.parse` gives each occurrence a string of its own. A key that shows more
 * than `INTERN_LIMIT` distinct values (names, mails, phone numbers) stops being interned and its table is
 * dropped, so the tables stay small. Values are unchanged; only their sharing is. One lookup per key of a
 * user finds both (a tenant's users repeat the same few keys).
 */
interface UserKeyInfo {
  kind: UserKey;
  values: Map<string, string> | null;
}
const INTERN_LIMIT = 1024;

class UserKeys {
  readonly #byName = new Map<string, UserKeyInfo>();

  get(key: string): UserKeyInfo {
    let info = this.#byName.get(key);
    if (info === undefined) {
      info = { kind: userKeyKind(key), values: new Map() };
      if (this.#byName.size < 10_000) this.#byName.set(key, info);
    }
    return info;
  }
}

function intern(info: UserKeyInfo, value: string): string {
  const table = info.values;
  if (table === null) return value;
  const hit = table.get(value);
  if (hit !== undefined) return hit;
  if (table.size >= INTERN_LIMIT) info.values = null;
  else table.set(value, value);
  return value;
}

/** The attributes of a user whose attributes are not kept (never read: a `LineUser` reads its own). */
const NO_ATTRIBUTES: Readonly<Record<string, SourceValue>> = Object.freeze({});

const scratchKeys: string[] = [];
const scratchValues: SourceValue[] = [];

/**
 * One user object checked and added to `into`; REJECT (nothing added) when anything is not plainly valid.
 * Without `keepAttributes` (a user read back from its file, whose attributes are read again when asked for)
 * the attributes are checked but not built: the user gets `NO_ATTRIBUTES`.
 */
function readUser(obj: Obj, location: SourceLocation, userKeys: UserKeys, into: UsersRead, keepAttributes = true): void {
  {
    let id: string | null = null;
    let upn: string | null = null;
    let manager: string | null = null;
    let accountEnabled = true;
    let softDeleted = false;
    // Scratch lists, reused: compactRecord copies what it needs.
    const keys = scratchKeys;
    const values = scratchValues;
    let n = 0;
    for (const key in obj) {
      const info = userKeys.get(key);
      const kind = info.kind;
      if (kind === UserKey.Unknown) reject();
      const value = obj[key];
      if (value === null) continue;
      switch (kind) {
        case UserKey.Id:
          id = guid(value);
          break;
        case UserKey.Upn:
          upn = string(value);
          if (!UPN.test(upn)) reject();
          break;
        case UserKey.AccountEnabled:
          accountEnabled = typeof value === 'boolean' ? value : reject();
          break;
        case UserKey.SoftDeleted:
          softDeleted = typeof value === 'boolean' ? value : reject();
          break;
        case UserKey.Manager:
          manager = string(value);
          break;
        default: {
          const v = attributeValue(value, kind === UserKey.Single ? 'single' : kind === UserKey.Multi ? 'multi' : 'either');
          if (key === 'userType' && !(USER_TYPES as readonly unknown[]).includes(v)) reject();
          if (!keepAttributes) continue;
          keys[n] = key;
          values[n++] = typeof v === 'string' ? intern(info, v) : v;
        }
      }
    }
    if (id === null || upn === null) reject();
    const attributes = keepAttributes ? compactRecord(keys, values, n) : NO_ATTRIBUTES;
    const lower = id.toLowerCase();
    into.users.push({ id: lower, userPrincipalName: upn, accountEnabled, softDeleted, managerId: null, attributes, location });
    into.managers.push(manager);
    into.upns.push(upn);
    into.index?.add(lower, into.users.length - 1);
  }
}

interface GroupDraft {
  obj: Obj | null;
  at: SourceLocation | null;
  id: string;
  displayName: string;
  /**
   * As written, or the position in the users of a member the reader resolved by id as it read the group
   * (a GUID string it would otherwise keep until the end of the load, for each of millions of members).
   */
  members: (string | number)[];
  attributes: Record<string, SourceValue>;
}

function readGroups(root: unknown): GroupDraft[] {
  // An empty groups file is a tenant without groups.
  if (root === null) return [];
  return objects(root).map((obj) => groupDraft(obj, null));
}

/** `userIndex`: the users' positions by id, to resolve the members by as they are read (see `UsersRead.index`). */
function groupDraft(obj: Obj, at: SourceLocation | null, userIndex: UserPositions | null = null): GroupDraft {
  {
    let id: string | null = null;
    let displayName: string | null = null;
    const members: (string | number)[] = [];
    const attributes: Record<string, SourceValue> = {};
    for (const key of keysOf(obj, GROUP_KEYS, true)) {
      const value = obj[key];
      if (value === null) continue;
      if (key === 'id') id = guid(value);
      else if (key === 'displayName') displayName = text(value);
      else if (key === 'members') {
        if (!Array.isArray(value)) reject();
        for (const m of value as unknown[]) {
          const ref = string(m);
          const position = userIndex === null ? -1 : userIndex.get(ref);
          members.push(position === -1 ? ref : position);
        }
      } else attributes[key] = attributeValue(value, GROUP_SINGLE.has(key) ? 'single' : 'either');
    }
    if (id === null || displayName === null) reject();
    return { obj: at === null ? obj : null, at, id, displayName, members, attributes: compactCopy(attributes) };
  }
}

const ASSIGNMENTS_KEYS = new Set(['app', 'assignments']);
const APP_KEYS = new Set(['name', 'appRoles']);
const ROLE_KEYS = new Set(['id', 'value', 'displayName']);
const ASSIGNMENT_KEYS = new Set(['principal', 'role']);

/**
 * The app, then each assignment in turn: its principal as written (an id, a UPN or a group's name), its
 * role's id, and the line and column of its map. As `entries` does for the other maps: unknown keys reject,
 * null values are absent (a null list is no list). Nothing is allocated per assignment here but what
 * parsing it makes: there are hundreds of thousands.
 */
function readAssignments(
  root: JsonRootList,
  visit: (principal: string, roleId: string, line: number, column: number) => void,
): { name: string; appRoles: AppRole[] } {
  for (const key of root.values.keys()) if (!ASSIGNMENTS_KEYS.has(key)) reject();
  const app = readApp(root.values.get('app') ?? reject());
  // Present and not null, but not a list (a list is not among the values).
  if ((root.values.get('assignments') ?? null) !== null) reject();
  /** Role ids by the role as written (a tenant has few). */
  const roleIds = new Map<string, string>();
  root.forEachItem((item, line, column) => {
    const obj = isObject(item) ? item : reject();
    for (const key in obj) if (!ASSIGNMENT_KEYS.has(key)) reject();
    const principal = text(obj['principal'] ?? reject());
    const role = obj['role'] ?? null;
    let roleId = DEFAULT_ACCESS_ROLE.id;
    if (role !== null) {
      const ref = text(role);
      roleId = roleIds.get(ref) ?? resolveRole(ref, app.appRoles);
      roleIds.set(ref, roleId);
    }
    visit(principal, roleId, line, column);
  });
  return app;
}

function readApp(node: unknown): { name: string; appRoles: AppRole[] } {
  if (!isObject(node)) reject();
  const e = entries(node, APP_KEYS);
  const name = text(e.get('name') ?? reject());
  const rolesNode = e.get('appRoles');
  const appRoles: AppRole[] = [];
  const ids = new Set<string>();
  const values = new Set<string>();
  for (const obj of rolesNode === undefined ? [] : objects(rolesNode)) {
    const r = entries(obj, ROLE_KEYS);
    const id = guid(r.get('id') ?? reject()).toLowerCase();
    const value = text(r.get('value') ?? reject());
    const displayName = text(r.get('displayName') ?? reject());
    if (ids.has(id) || values.has(value)) reject();
    ids.add(id);
    values.add(value);
    appRoles.push({ id, value, displayName });
  }
  return { name, appRoles };
}

function resolveRole(ref: string, roles: readonly AppRole[]): string {
  const role =
    roles.find((r) => r.value === ref) ??
    roles.find((r) => r.displayName === ref) ??
    (ref === DEFAULT_ACCESS_ROLE.value || ref === DEFAULT_ACCESS_ROLE.displayName ? DEFAULT_ACCESS_ROLE : undefined);
  return role ? role.id : reject();
}

/**
 * A manager or member reference the streaming reader could not resolve, and the line of the user or group
 * that holds it: for tenants too large for the careful reader to explain, so that the loader can point at
 * the problem instead of describing every kind it may be. `message` and `hint` are the careful path's
 * (`resolve-tenant.ts`) for the same reference, which the parse tests check for every such case.
 */
export interface UnresolvedReference {
  location: SourceLocation;
  kind: 'manager' | 'member';
  ref: string;
  message: string;
  hint: string;
}

/**
 * `resolve-tenant.ts` without messages: any duplicate, unresolved reference, cycle or duplicate member
 * rejects. Resolves the users' managers in place; `locateUser` is called for each user read from a `.json`
 * file (`read.objs`: JSON Lines users were located as they were read).
 * `onUnresolved` hears of a manager or member reference that names nothing, with where it is, just before
 * the rejection (only where the object's location is known as it is read: JSON Lines).
 */
function readTenant(
  dir: string,
  read: UsersRead,
  locateUser: (obj: Obj | undefined) => SourceLocation,
  groups: GroupDraft[],
  locateGroup: (d: GroupDraft) => SourceLocation,
  /** Opened when the users and groups are resolved (and what only they needed let go). */
  openAssignments: () => AssignmentsFile,
  onUnresolved?: (reference: UnresolvedReference) => void,
  /** Assignments as `CompactAssignment`s (a large tenant's). */
  compact = false,
): Tenant {
  const { users, managers, objs, upns } = read;

  // Ids are GUIDs in lower case already (readUser); a user and a group never share one.
  // References resolve to a user's position in `users` (by id: the reader's GuidIndex for a large tenant,
  // else a Map; by UPN: a Map), and a group's members are checked for repeats by those positions: with
  // millions of member references, reading each user object (or its id's characters) again was most of
  // resolving them, as the objects and strings are spread over the heap. `ids` holds the id strings side
  // by side, to share them with `memberIds`.
  const ids = users.map((u) => u.id);
  const userAt = read.index ?? positionsById(ids);
  if (userAt.size !== users.length) reject();
  const groupsById = new Map<string, GroupDraft>();
  const byUpn = new Map<string, number>();
  // A key already present leaves the size unchanged: one hash lookup per insertion instead of two.
  for (let i = 0; i < users.length; i++) {
    const size = byUpn.size;
    if (byUpn.set(upnKey(upns[i]!), i).size === size) reject();
  }
  for (const draft of groups) {
    const id = draft.id.toLowerCase();
    if (groupsById.has(id) || userAt.get(id) !== -1) reject();
    groupsById.set(id, draft);
  }
  /** The position of the user a reference (an id or a UPN) names, or -1. */
  const userNamed = (ref: string): number => {
    const at = userAt.get(ref);
    return at !== -1 ? at : (byUpn.get(upnKey(ref)) ?? -1);
  };
  const groupNamed = (ref: string): GroupDraft | undefined => (ref.length === 36 ? groupsById.get(ref.toLowerCase()) : undefined);

  for (let i = 0; i < users.length; i++) {
    const user = users[i]!;
    const manager = managers[i]!;
    if (manager !== null) {
      const at = userNamed(manager);
      // A group as manager, an unknown reference or the user itself.
      if (at === -1 && groupNamed(manager) === undefined && user.location !== UNLOCATED)
        onUnresolved?.({
          location: user.location,
          kind: 'manager',
          ref: manager,
          message: `manager ${JSON.stringify(manager)} is not a user of this tenant`,
          hint: 'refer to users by id or userPrincipalName',
        });
      if (at === -1 || at === i) reject();
      user.managerId = ids[at]!;
    }
    // A `.json` user is located from its parsed object; a JSON Lines user was located as it was read (and a
    // read-back user's location is built on each read: not read here).
    const obj = objs[i];
    if (obj !== undefined) user.location = locateUser(obj);
  }

  const nested = new Map<string, string[]>();
  // A group's users are checked for repeats by position: `memberOf[at]` is the number (from 1) of the last
  // group that listed the user (a Set per group was most of the allocation of this step, at a million users
  // and a hundred thousand groups of 50). Group members, few, by id.
  const memberOf = new Uint32Array(users.length);
  let groupNumber = 0;
  const sourceGroups: SourceGroup[] = groups.map((g) => {
    // Its final length from the start: grown by pushes, five million members left as much again behind.
    const memberIds = new Array<string>(g.members.length);
    let filled = 0;
    const number = ++groupNumber;
    const groupMembers: string[] = [];
    let seenGroups: Set<string> | null = null;
    for (const ref of g.members) {
      const at = typeof ref === 'number' ? ref : userNamed(ref);
      let id: string;
      if (at !== -1) {
        id = ids[at]!;
        // A member listed twice is a warning there; warnings are diagnostics too.
        if (memberOf[at] === number) reject();
        memberOf[at] = number;
      } else {
        // A position is never -1: only text gets here.
        const group = typeof ref === 'string' ? groupNamed(ref) : undefined;
        if (group === undefined) {
          if (typeof ref === 'string' && g.at !== null) onUnresolved?.(unresolvedMember(ref, g.at, groups));
          reject();
        }
        id = group.id.toLowerCase();
        seenGroups ??= new Set();
        if (seenGroups.has(id)) reject();
        seenGroups.add(id);
        groupMembers.push(id);
      }
      memberIds[filled++] = id;
    }
    nested.set(g.id.toLowerCase(), groupMembers);
    return { id: g.id.toLowerCase(), displayName: g.displayName, memberIds, attributes: g.attributes, location: g.at ?? locateGroup(g) };
  });
  if (hasCycle(nested)) reject();
  // What only the users and groups needed goes before the assignments are parsed, the load's largest step:
  // a million managers as written, and five million member positions.
  managers.length = 0;
  for (const g of groups) g.members = [];

  const groupsByName = new Map<string, GroupDraft[]>();
  for (const g of groups) {
    const key = g.displayName.toLowerCase();
    const list = groupsByName.get(key);
    if (list) list.push(g);
    else groupsByName.set(key, [g]);
  }
  /**
   * Principals assigned so far, by role id (a tenant has few roles; no key string built per assignment):
   * users as bits by position, groups by id.
   */
  const assignedByRole = new Map<string, { users: Uint8Array; groups: Set<string> }>();
  const sourceAssignments: Assignment[] = [];
  const assignmentsFile = openAssignments();
  const file = assignmentsFile.file;
  const app = readAssignments(assignmentsFile.root, (principal, roleId, line, column) => {
    const at = userNamed(principal);
    let group = at === -1 ? groupNamed(principal) : undefined;
    if (at === -1 && group === undefined) {
      const named = groupsByName.get(principal.toLowerCase()) ?? [];
      const exact = named.filter((g) => g.displayName === principal);
      const candidates = named.length > 1 && exact.length === 1 ? exact : named;
      if (candidates.length !== 1) reject();
      group = candidates[0]!;
    }
    const principalId = at !== -1 ? ids[at]! : group!.id.toLowerCase();
    let assigned = assignedByRole.get(roleId);
    if (assigned === undefined)
      assignedByRole.set(roleId, (assigned = { users: new Uint8Array((users.length >> 3) + 1), groups: new Set() }));
    if (at !== -1) {
      const bit = 1 << (at & 7);
      if (assigned.users[at >> 3]! & bit) reject();
      assigned.users[at >> 3]! |= bit;
    } else {
      const size = assigned.groups.size;
      if (assigned.groups.add(principalId).size === size) reject();
    }
    const principalKind = at !== -1 ? 'user' : 'group';
    sourceAssignments.push(
      compact
        ? new CompactAssignment(principalKind, principalId, roleId, file, line, column)
        : { principalKind, principalId, roleId, location: { file, position: { line, column } } },
    );
  });
  // The last reference by UPN is resolved: the tenant's users hold their own (a LineUser reads it back).
  upns.length = 0;

  return { dir, users, groups: sourceGroups, app, assignments: sourceAssignments };
}

/** Users' positions by id: how many ids it holds, and the position of a reference, -1 when none. */
interface UserPositions {
  readonly size: number;
  get(ref: string): number;
}

/**
 * Users' positions by id for a tenant whose reader built no GuidIndex (a small one): a Map, which on a
 * hundred thousand users took less CPU than a GuidIndex, whose typed arrays cost V8's helper threads more
 * than its lookups saved at that size. Keeps the first of an id given twice, as a GuidIndex does.
 */
function positionsById(ids: readonly string[]): UserPositions {
  const byId = new Map<string, number>();
  for (let i = 0; i < ids.length; i++) if (!byId.has(ids[i]!)) byId.set(ids[i]!, i);
  return {
    size: byId.size,
    // Every id is a GUID (36 characters): UPNs are not hashed into a map they cannot be in.
    get: (ref) => (ref.length === 36 ? (byId.get(ref.toLowerCase()) ?? -1) : -1),
  };
}

/** A member that names no user and no group by id: perhaps a group by its name, as the careful path says. */
function unresolvedMember(ref: string, location: SourceLocation, groups: readonly GroupDraft[]): UnresolvedReference {
  const named = groups.find((g) => g.displayName.toLowerCase() === ref.toLowerCase());
  if (named !== undefined)
    return {
      location,
      kind: 'member',
      ref,
      message: `member ${JSON.stringify(ref)} is a group name; members are ids or UPNs`,
      hint: `refer to the group by its id: ${named.id}`,
    };
  return {
    location,
    kind: 'member',
    ref,
    message: `member ${JSON.stringify(ref)} is not a user or group of this tenant`,
    hint: 'refer to users by id or userPrincipalName, to groups by id',
  };
}

/** Whether nested group membership loops (iterative depth-first search, so deep nesting cannot overflow). */
function hasCycle(edges: ReadonlyMap<string, readonly string[]>): boolean {
  const state = new Map<string, 'active' | 'done'>();
  for (const start of edges.keys()) {
    if (state.has(start)) continue;
    state.set(start, 'active');
    const stack: { id: string; next: number }[] = [{ id: start, next: 0 }];
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const child = edges.get(top.id)?.[top.next++];
      if (child === undefined) {
        state.set(top.id, 'done');
        stack.pop();
        continue;
      }
      const s = state.get(child);
      if (s === 'active') return true;
      if (s === undefined) {
        state.set(child, 'active');
        stack.push({ id: child, next: 0 });
      }
    }
  }
  return false;
}

/** `lineAttributes`, holding only the key tables (not the reader, whose drafts the tenant does not keep). */
function lineAttributesReader(userKeys: UserKeys): ReadAttributes {
  return (text, id) => {
    const into = newUsersRead();
    try {
      const value: unknown = JSON.parse(text);
      readUser(isObject(value) ? value : reject(), UNLOCATED, userKeys, into);
    } catch {
      return null;
    }
    const user = into.users[0]!;
    return user.id === id ? { userPrincipalName: user.userPrincipalName, attributes: user.attributes } : null;
  };
}

/** Where a user's line is, for a `LineUser`. */
export interface LinePlace {
  source: LineUserSource;
  line: number;
  /** The line's bytes in the source's file. */
  offset: number;
  length: number;
}

/**
 * The JSON Lines fast path: users and groups come one object at a time (streamed from `users*.jsonl` and
 * `groups*.jsonl`, one object per line, located at that line, column 1), then `finish` resolves them with the
 * assignments file, as `readJsonTenant` does. The same contract: a Tenant, or null as soon as anything is not
 * plainly valid; `rejectedAt` then names the object the reader stopped at, when it was one object's fault
 * (null for a problem between objects: a duplicate, a reference, a cycle), so that a tenant too large for the
 * YAML-node path can still be pointed at the right line.
 */
export class JsonLinesTenantReader {
  readonly #users: UsersRead;
  readonly #groups: GroupDraft[] = [];
  readonly #userKeys = new UserKeys();
  readonly #compactAssignments: boolean;
  #rejected = false;
  rejectedAt: SourceLocation | null = null;
  /** When `finish` gave up on a manager or member reference that names nothing: which, and where. */
  unresolved: UnresolvedReference | null = null;

  /**
   * `resolveMembersAsRead`: index the users by id as they are read, and resolve each group's members by id
   * as the group is read, while the strings are fresh, instead of keeping them to the end of the load.
   * Measured on a million users and a hundred thousand groups of 50, in alternating runs: the load took
   * 14.0–15.1 s of CPU instead of 19.2 s, and its peak RSS was 1,201 MB instead of 1,450 MB. On a hundred
   * thousand users (5,000 member references) it cost about 8 % more CPU, on V8's helper threads, for
   * nothing to gain: the loader asks for it for tenants large enough to be read back from their files.
   * `compactAssignments`: the tenant's assignments are `CompactAssignment`s (less than half the memory; the
   * loader asks for them for the same tenants).
   */
  constructor(options: { resolveMembersAsRead?: boolean; compactAssignments?: boolean } = {}) {
    this.#users = newUsersRead(options.resolveMembersAsRead ? new GuidIndex(1024) : null);
    this.#compactAssignments = options.compactAssignments ?? false;
  }

  /** Whether the reader has given up (further objects are ignored). */
  get rejected(): boolean {
    return this.#rejected;
  }

  get userCount(): number {
    return this.#users.users.length;
  }

  /**
   * `plain`: the line's keys are certainly distinct (see `json-lines.ts`). With `back`, the user is kept as a
   * `LineUser` that reads its attributes back from that place in the file (`lineAttributes` reads them).
   */
  addUser(value: unknown, at: SourceLocation, plain: boolean, back?: LinePlace): void {
    // Inline rather than through #add: a closure per user, for a hundred thousand users, shows in the load.
    if (this.#rejected) return;
    try {
      const users = this.#users.users;
      readUser(plain && isObject(value) ? value : reject(), at, this.#userKeys, this.#users, back === undefined);
      if (back !== undefined)
        users[users.length - 1] = new LineUser(users[users.length - 1]!, back.source, back.line, back.offset, back.length);
    } catch {
      this.#rejected = true;
      this.rejectedAt = at;
    }
  }

  /**
   * How a `LineUser` of this reader reads its attributes back: the line parsed and checked as `addUser`
   * checked it, so the attributes are the ones the eager reader keeps; null when the line is not a valid user
   * with that id (the file changed).
   */
  readonly lineAttributes: ReadAttributes = lineAttributesReader(this.#userKeys);

  addGroup(value: unknown, at: SourceLocation, plain: boolean): void {
    this.#add(at, () => this.#groups.push(groupDraft(plain && isObject(value) ? value : reject(), at, this.#users.index)));
  }

  /**
   * The tenant, or null (a JSON `assignments` file is required: anything else is the node path's). Once: it
   * lets go of what the reader kept as it resolves it.
   */
  finish(dir: string, assignments: TextFile): Tenant | null {
    if (this.#rejected || !assignments.file.toLowerCase().endsWith('.json')) return null;
    try {
      const never = (): SourceLocation => reject();
      return readTenant(
        dir,
        this.#users,
        never,
        this.#groups,
        never,
        () => openAssignments(assignments),
        (reference) => {
          this.unresolved = reference;
        },
        this.#compactAssignments,
      );
    } catch {
      this.#rejected = true;
      return null;
    }
  }

  #add(at: SourceLocation, read: () => void): void {
    if (this.#rejected) return;
    try {
      read();
    } catch {
      this.#rejected = true;
      this.rejectedAt = at;
    }
  }
}
