/**
 * A Microsoft Graph export → a Tenant, pure and incremental: the caller hands over one file's text at a time
 * (`add`, in `files` order), so only one page is held as text, and `finish` resolves what spans files — duplicate
 * ids and UPNs, managers, group members, nesting cycles, app roles and assignments — and builds the Tenant.
 *
 * Nothing is dropped silently: every item that cannot be used is reported with its file, its index in the file
 * (`value[17]`) and its line and column. An item problem is a warning and the rest of the export is used. An
 * error withholds the tenant: a file that cannot be read or is not a Graph page, a collection whose last page
 * still has `@odata.nextLink`, no users, no app, no assignments pages, no user that can be used, assignments of
 * which none can be used — each means part of the tenant is missing, and a user missing from the source is a
 * user Entra deletes from the target.
 *
 * Ids are compared and returned in lower case; UPNs are compared as the fixture loader compares them (`upnKey`).
 */
import { join } from 'node:path';
import type { Diagnostic } from '../../shared/diagnostics.js';
import { hasErrors } from '../../shared/diagnostics.js';
import { upnKey } from '../upn.js';
import { DEFAULT_ACCESS_ROLE } from '../../model/directory.js';
import type { Assignment, SourceGroup, SourceLocation, SourceUser, Tenant } from '../../model/directory.js';
import { GRAPH_REQUESTS, listGraphExport, readingOrder } from './export-listing.js';
import type { GraphCollection, GraphExportListing } from './export-listing.js';
import { GRAPH_CODES as C } from './graph-codes.js';
import { GraphReport } from './graph-report.js';
import type { ItemAt } from './graph-report.js';
import { readGraphAssignments } from './read-graph-assignments.js';
import type { GraphAssignmentDraft } from './read-graph-assignments.js';
import { readGraphGroups } from './read-graph-groups.js';
import type { GraphGroupDraft } from './read-graph-groups.js';
import { readGraphMembers } from './read-graph-members.js';
import type { GraphMemberDraft } from './read-graph-members.js';
import { readGraphServicePrincipal } from './read-graph-service-principal.js';
import type { GraphApp } from './read-graph-service-principal.js';
import { readGraphUsers } from './read-graph-users.js';
import type { GraphUserDraft } from './read-graph-users.js';
import { readPage, readSingleObject } from './read-page.js';
import { UnusedProperties } from './unused-properties.js';
import { describeKind } from './json-values.js';

export interface GraphExportResult {
  /** Null when any error was reported. */
  tenant: Tenant | null;
  /** In reading order: by file, then by position in the file. */
  diagnostics: Diagnostic[];
}

interface PageMeta {
  wrapped: boolean;
  nextLink: string | null;
}

export class GraphExportReader {
  /** The files to `add`, in this order (names within the directory). */
  readonly files: readonly string[];
  private readonly listing: GraphExportListing;
  private readonly collectionOf = new Map<string, { collection: GraphCollection; groupId?: string }>();
  private readonly report = new GraphReport();
  private readonly unused = new UnusedProperties();
  private readonly pages = new Map<string, PageMeta>();
  private readonly users: GraphUserDraft[] = [];
  private readonly groups: GraphGroupDraft[] = [];
  private readonly members = new Map<string, GraphMemberDraft[]>();
  private readonly assignments: GraphAssignmentDraft[] = [];
  private app: GraphApp | null = null;
  /** Items in the users pages and in the appRoleAssignedTo pages read, usable or not. */
  private userItems = 0;
  private assignmentItems = 0;
  private finished = false;

  /** `names`: the directory's listing (every file name; those that are not part of an export are reported). */
  constructor(
    readonly dir: string,
    names: Iterable<string>,
  ) {
    this.listing = listGraphExport(names);
    this.files = readingOrder(this.listing);
    for (const name of this.listing.users) this.collectionOf.set(name, { collection: 'users' });
    for (const name of this.listing.groups) this.collectionOf.set(name, { collection: 'groups' });
    if (this.listing.servicePrincipal !== null) this.collectionOf.set(this.listing.servicePrincipal, { collection: 'servicePrincipal' });
    for (const name of this.listing.appRoleAssignedTo) this.collectionOf.set(name, { collection: 'appRoleAssignedTo' });
    for (const { groupId, files } of this.listing.members)
      for (const name of files) this.collectionOf.set(name, { collection: 'members', groupId });
    for (const name of this.listing.unknown)
      this.report.warn(
        C.GRAPH_UNKNOWN_FILE,
        'the file is not part of a Graph export and was not read',
        { file: this.path(name) },
        'a Graph export holds users*.json, groups*.json, members-<group id>*.json, servicePrincipal.json and appRoleAssignedTo*.json',
      );
  }

  /** Reads one file of `files`. Each file once, in `files` order. */
  add(name: string, text: string): void {
    const role = this.role(name);
    const file = this.path(name);
    if (role.collection === 'servicePrincipal') {
      const item = readSingleObject(file, text, 'servicePrincipal', this.report);
      if (item !== null) this.app = readGraphServicePrincipal(item, this.report);
      return;
    }
    const page = readPage(file, text, role.collection, this.report);
    if (page === null) return;
    this.pages.set(name, { wrapped: page.wrapped, nextLink: page.nextLink });
    if (role.collection === 'users') {
      this.userItems += page.items.length;
      this.users.push(...readGraphUsers(page, this.report, this.unused));
    } else if (role.collection === 'groups') this.groups.push(...readGraphGroups(page, this.report, this.unused));
    else if (role.collection === 'appRoleAssignedTo') {
      this.assignmentItems += page.items.length;
      this.assignments.push(...readGraphAssignments(page, this.report));
    } else this.members.set(role.groupId!, [...(this.members.get(role.groupId!) ?? []), ...readGraphMembers(page, this.report)]);
    this.unused.flush(file, this.report);
  }

  /** Records that a file of `files` could not be read (`reason`: why, as a clause). */
  fail(name: string, reason: string): void {
    const role = this.role(name);
    this.report.error(
      C.GRAPH_READ_FAILED,
      `cannot read ${name}: ${reason}; the items of this file are missing`,
      { file: this.path(name) },
      `the file should hold the response of ${GRAPH_REQUESTS[role.collection]} as Graph returned it`,
    );
  }

  finish(): GraphExportResult {
    if (this.finished) throw new Error('GraphExportReader.finish() was called twice');
    this.finished = true;
    this.checkFiles();
    this.checkPageChains();
    const users = this.resolveUsers();
    const groups = this.resolveGroups(users);
    const withMembers = this.resolveMembers(users, groups);
    const assignments = this.resolveAssignments(users, groups, withMembers);
    this.checkUsable(users.size, assignments.length);
    const diagnostics = this.sortedDiagnostics();
    if (hasErrors(diagnostics) || this.app === null) return { tenant: null, diagnostics };
    return {
      tenant: {
        dir: this.dir,
        users: [...users.values()].map((u) => u.user),
        groups: [...groups.values()].map((g) => g.group),
        app: { name: this.app.name, appRoles: this.app.appRoles },
        assignments,
      },
      diagnostics,
    };
  }

  private role(name: string): { collection: GraphCollection; groupId?: string } {
    const role = this.collectionOf.get(name);
    if (role === undefined) throw new Error(`${name} is not one of the export's files (GraphExportReader.files)`);
    return role;
  }

  private path(name: string): string {
    return join(this.dir, name);
  }

  private checkFiles(): void {
    const at = { file: this.dir };
    const missing = (what: string, request: string): void =>
      this.report.error(
        C.GRAPH_MISSING_FILE,
        `the Graph export has no ${what}`,
        at,
        `save the response of ${request} in the export directory`,
      );
    if (this.listing.users.length === 0) missing('users pages (users.json, users-2.json, …)', GRAPH_REQUESTS.users);
    if (this.listing.servicePrincipal === null) missing('servicePrincipal.json (the app and its roles)', GRAPH_REQUESTS.servicePrincipal);
    if (this.listing.appRoleAssignedTo.length === 0)
      missing('appRoleAssignedTo pages (appRoleAssignedTo.json, …: who is assigned to the app)', GRAPH_REQUESTS.appRoleAssignedTo);
  }

  /**
   * An export of which no user, or no assignment, can be used would make a tenant that deprovisions everyone: an
   * error, once the pages concerned were all read (a page that could not be read is an error of its own).
   */
  private checkUsable(users: number, assignments: number): void {
    const allRead = (files: readonly string[]): boolean => files.length > 0 && files.every((f) => this.pages.has(f));
    const deprovision = 'a sync would deprovision every user it provisioned before';
    if (allRead(this.listing.users) && users === 0) {
      const at = { file: this.path(this.listing.users[0]!) };
      if (this.userItems === 0)
        this.report.error(
          C.GRAPH_NO_USERS,
          `the users pages (${listNames(this.listing.users)}) hold no users, so the tenant would have none: ${deprovision}`,
          at,
          'save GET /v1.0/users again, signed in with permission to read users (User.Read.All), without $filter, following every @odata.nextLink',
        );
      else
        this.report.error(
          C.GRAPH_NO_USERS,
          `none of the ${plural(this.userItems, 'user')} in the users pages can be used (each is reported with why it was left out), so the tenant would have none: ${deprovision}`,
          at,
          "check the export's $select includes id and userPrincipalName (GET /v1.0/users?$select=id,userPrincipalName,accountEnabled,…) and save the users pages again",
        );
      return;
    }
    const candidates = this.assignmentItems - this.assignments.filter((a) => a.principalType === 'serviceprincipal').length;
    // With no user (reported above, or a users page that could not be read), assignments cannot resolve: not a second error.
    if (users > 0 && this.app !== null && allRead(this.listing.appRoleAssignedTo) && candidates > 0 && assignments === 0)
      this.report.error(
        C.GRAPH_NO_ASSIGNMENTS,
        `none of the ${plural(candidates, 'assignment')} of users and groups in the appRoleAssignedTo pages can be used (each is reported with why it was left out), so nobody would be in scope: ${deprovision}`,
        { file: this.path(this.listing.appRoleAssignedTo[0]!) },
        'check that servicePrincipal.json and the appRoleAssignedTo pages are of the same app (GET /v1.0/servicePrincipals/{id} and /v1.0/servicePrincipals/{id}/appRoleAssignedTo with one id), and that users and groups were exported at the same time, without $filter',
      );
  }

  /** Graph's `@odata.nextLink` says whether a later page exists: the last file of a collection must not have one. */
  private checkPageChains(): void {
    const chains: Array<{ files: string[]; what: string }> = [
      { files: this.listing.users, what: 'users' },
      { files: this.listing.groups, what: 'groups' },
      { files: this.listing.appRoleAssignedTo, what: 'appRoleAssignedTo' },
      ...this.listing.members.map((m) => ({ files: m.files, what: `members-${m.groupId}` })),
    ];
    for (const { files, what } of chains) {
      files.forEach((name, i) => {
        const meta = this.pages.get(name);
        if (meta === undefined || !meta.wrapped) return;
        const last = i === files.length - 1;
        if (last && meta.nextLink !== null)
          this.report.error(
            C.GRAPH_MISSING_PAGE,
            `the page has @odata.nextLink, so Graph had more ${what} pages, but no later ${what} file follows; what those pages hold would be missing (a user missing from the source is deleted from the target)`,
            { file: this.path(name) },
            `request ${meta.nextLink} (and each nextLink after it) and save each page as a further ${what} file, e.g. ${nextName(name, files.length + 1)}`,
          );
        else if (!last && meta.nextLink === null)
          this.report.warn(
            C.GRAPH_PAGE_ORDER,
            `the page has no @odata.nextLink (Graph's last page), yet ${files[i + 1]} follows it`,
            { file: this.path(name) },
            'pages of one collection are read in name order (users.json, users-2.json, …); check that the files come from one export and are named in page order',
          );
      });
    }
  }

  private resolveUsers(): Map<string, { draft: GraphUserDraft; user: SourceUser }> {
    const byId = new Map<string, { draft: GraphUserDraft; user: SourceUser }>();
    const byUpn = new Map<string, GraphUserDraft>();
    for (const draft of this.users) {
      const first = byId.get(draft.id);
      if (first) {
        this.report.warn(
          C.GRAPH_DUPLICATE_ID,
          `user ${JSON.stringify(draft.userPrincipalName)} has the id ${draft.id} of the user at ${describeAt(first.draft.at)}; this one was left out`,
          draft.at,
          'pages of one export do not repeat users: check that the files come from one export',
        );
        continue;
      }
      const key = upnKey(draft.userPrincipalName);
      const sameUpn = byUpn.get(key);
      if (sameUpn) {
        this.report.warn(
          C.GRAPH_DUPLICATE_UPN,
          `userPrincipalName ${draft.userPrincipalName} is already the UPN of the user at ${describeAt(sameUpn.at)}; this one was left out`,
          draft.at,
          'UPNs are unique in a tenant, ignoring case: check that the files come from one export',
        );
        continue;
      }
      byUpn.set(key, draft);
      byId.set(draft.id, {
        draft,
        user: {
          id: draft.id,
          userPrincipalName: draft.userPrincipalName,
          accountEnabled: draft.accountEnabled,
          softDeleted: draft.softDeleted,
          managerId: null,
          attributes: draft.attributes,
          location: locationOf(draft.at),
        },
      });
    }
    const groupIds = new Set(this.groups.map((g) => g.id));
    for (const { draft, user } of byId.values()) {
      const m = draft.manager;
      if (m === null) continue;
      const problem =
        m.id === draft.id
          ? 'is the user themself'
          : groupIds.has(m.id)
            ? 'is a group'
            : byId.has(m.id)
              ? null
              : 'is not a user of the export (users*.json)';
      if (problem === null) user.managerId = m.id;
      else
        this.report.warn(
          C.GRAPH_UNRESOLVED_MANAGER,
          `the manager of ${JSON.stringify(draft.userPrincipalName)}, ${m.id}, ${problem}; the user was read without a manager`,
          m.at,
          'export every user (no $filter) so managers resolve; a manager who is not exported is not in the tenant',
        );
    }
    if (byId.size > 0 && ![...byId.values()].some(({ draft }) => draft.hasAccountEnabled))
      this.report.warn(
        C.GRAPH_NO_ACCOUNT_ENABLED,
        'no user in the export has accountEnabled, so every user counts as enabled (disabled users would be provisioned as active)',
        { file: this.path(this.listing.users[0]!) },
        'GET /users returns accountEnabled only when selected: add it to $select',
      );
    return byId;
  }

  private resolveGroups(
    users: ReadonlyMap<string, { draft: GraphUserDraft }>,
  ): Map<string, { draft: GraphGroupDraft; group: SourceGroup }> {
    const byId = new Map<string, { draft: GraphGroupDraft; group: SourceGroup }>();
    for (const draft of this.groups) {
      const firstUser = users.get(draft.id);
      const firstGroup = byId.get(draft.id);
      if (firstUser || firstGroup) {
        this.report.warn(
          C.GRAPH_DUPLICATE_ID,
          `group ${JSON.stringify(draft.displayName)} has the id ${draft.id} of the ${firstUser ? 'user' : 'group'} at ${describeAt((firstUser ?? firstGroup)!.draft.at)}; this one was left out`,
          draft.at,
          'users and groups share one id space, and pages of one export do not repeat objects: check that the files come from one export',
        );
        continue;
      }
      byId.set(draft.id, {
        draft,
        group: {
          id: draft.id,
          displayName: draft.displayName,
          memberIds: [],
          attributes: draft.attributes,
          location: locationOf(draft.at),
        },
      });
    }
    return byId;
  }

  /** Fills each group's memberIds; returns the ids of the groups that had a members file. */
  private resolveMembers(
    users: ReadonlyMap<string, unknown>,
    groups: ReadonlyMap<string, { draft: GraphGroupDraft; group: SourceGroup }>,
  ): Set<string> {
    const withFile = new Set<string>();
    const nested = new Map<string, Array<{ id: string; at: ItemAt }>>();
    for (const { groupId, files } of this.listing.members) {
      const owner = groups.get(groupId);
      const drafts = this.members.get(groupId) ?? [];
      if (owner === undefined) {
        for (const name of files.filter((f) => this.pages.has(f)))
          this.report.warn(
            C.GRAPH_UNKNOWN_GROUP,
            `the members of group ${groupId} were not read: ${users.has(groupId) ? 'that id is a user' : 'the group is not in the groups pages (groups*.json)'} (${drafts.filter((d) => d.at.file === this.path(name)).length} members in this file)`,
            { file: this.path(name) },
            'export every group (GET /v1.0/groups, no $filter), or remove members files of groups that are not exported',
          );
        continue;
      }
      withFile.add(groupId);
      const seen = new Map<string, ItemAt>();
      const edges: Array<{ id: string; at: ItemAt }> = [];
      const groupName = JSON.stringify(owner.group.displayName);
      for (const m of drafts) {
        const name = `member ${m.id}${m.label === null ? '' : ` (${JSON.stringify(m.label)})`}`;
        const kind = m.type ?? (users.has(m.id) ? 'user' : groups.has(m.id) ? 'group' : null);
        if (kind !== 'user' && kind !== 'group') {
          if (kind === null)
            this.report.warn(
              C.GRAPH_UNRESOLVED_MEMBER,
              `${name} of group ${groupName} has no @odata.type and is not a user or group of the export; it was left out`,
              m.at,
              'save GET /groups/{id}/members as Graph returns it: each member carries @odata.type',
            );
          else
            this.report.warn(
              C.GRAPH_UNSUPPORTED_MEMBER,
              `${name} of group ${groupName} is ${describeKind(kind)}; Entra provisions only users and groups as members, so it was left out`,
              m.at,
              'nothing to fix: real Entra leaves it out too',
            );
          continue;
        }
        const known = kind === 'user' ? users.has(m.id) : groups.has(m.id);
        if (!known) {
          this.report.warn(
            C.GRAPH_UNRESOLVED_MEMBER,
            `${name} of group ${groupName} is a ${kind} that is not in the export's ${kind}s pages; it was left out`,
            m.at,
            `export every ${kind} (GET /v1.0/${kind}s, no $filter), from the same moment as the members`,
          );
          continue;
        }
        if (m.id === groupId) {
          this.report.warn(
            C.GRAPH_GROUP_CYCLE,
            `group ${groupName} lists itself as a member; that membership was left out`,
            m.at,
            'Entra group nesting cannot loop',
          );
          continue;
        }
        const first = seen.get(m.id);
        if (first) {
          this.report.warn(
            C.GRAPH_DUPLICATE_MEMBER,
            `${name} is listed twice in group ${groupName} (first at ${describeAt(first)}); it is kept once`,
            m.at,
            'check that the members pages of the group come from one export',
          );
          continue;
        }
        seen.set(m.id, m.at);
        owner.group.memberIds.push(m.id);
        if (kind === 'group') edges.push({ id: m.id, at: m.at });
      }
      nested.set(groupId, edges);
    }
    this.breakCycles(groups, nested);
    return withFile;
  }

  /** Removes, with a warning, each nested-group membership that closes a cycle (depth-first, in reading order). */
  private breakCycles(
    groups: ReadonlyMap<string, { group: SourceGroup }>,
    nested: ReadonlyMap<string, Array<{ id: string; at: ItemAt }>>,
  ): void {
    const state = new Map<string, 'active' | 'done'>();
    const stack: string[] = [];
    const name = (id: string): string => JSON.stringify(groups.get(id)?.group.displayName ?? id);
    const visit = (id: string): void => {
      state.set(id, 'active');
      stack.push(id);
      for (const edge of nested.get(id) ?? []) {
        const s = state.get(edge.id);
        if (s === 'active') {
          const path = [...stack.slice(stack.indexOf(edge.id)), edge.id].map(name).join(' → ');
          this.report.warn(
            C.GRAPH_GROUP_CYCLE,
            `group ${name(edge.id)} would contain itself through nested groups (${path}); this membership was left out`,
            edge.at,
            'Entra group nesting cannot loop: check that the members pages come from one export',
          );
          const group = groups.get(id)!.group;
          group.memberIds = group.memberIds.filter((m) => m !== edge.id);
        } else if (s === undefined) visit(edge.id);
      }
      stack.pop();
      state.set(id, 'done');
    };
    for (const id of groups.keys()) if (!state.has(id)) visit(id);
  }

  private resolveAssignments(
    users: ReadonlyMap<string, unknown>,
    groups: ReadonlyMap<string, { group: SourceGroup }>,
    withMembers: ReadonlySet<string>,
  ): Assignment[] {
    const app = this.app;
    if (app === null) return [];
    const out: Assignment[] = [];
    const seen = new Map<string, ItemAt>();
    const noMembersReported = new Set<string>();
    for (const a of this.assignments) {
      const who = a.label === null ? `principal ${a.principalId}` : `${JSON.stringify(a.label)} (${a.principalId})`;
      if (a.principalType === 'serviceprincipal') {
        this.report.warn(
          C.GRAPH_SERVICE_PRINCIPAL_ASSIGNMENT,
          `the assignment of service principal ${who} was left out: Entra provisions assigned users and groups, not service principals`,
          a.at,
          'nothing to fix: real Entra skips it too',
        );
        continue;
      }
      if (a.resourceId !== null && app.id !== null && a.resourceId !== app.id) {
        this.report.warn(
          C.GRAPH_OTHER_RESOURCE,
          `the assignment of ${who} is to the service principal ${a.resourceId}, not to ${JSON.stringify(app.name)} (${app.id}); it was left out`,
          a.at,
          'save GET /servicePrincipals/{id}/appRoleAssignedTo of the same service principal as servicePrincipal.json',
        );
        continue;
      }
      const role = app.defaultAccessRoleIds.has(a.appRoleId) ? DEFAULT_ACCESS_ROLE : app.appRoles.find((r) => r.id === a.appRoleId);
      if (role === undefined) {
        this.report.warn(
          C.GRAPH_UNKNOWN_ROLE,
          `the assignment of ${who} names appRoleId ${a.appRoleId}, which is not a role of ${JSON.stringify(app.name)} in servicePrincipal.json; it was left out`,
          a.at,
          `the app's roles: ${app.appRoles.map((r) => `${r.value} (${r.id})`).join(', ') || 'none'}; ${DEFAULT_ACCESS_ROLE.id} is Default Access`,
        );
        continue;
      }
      const declared = a.principalType;
      if (declared !== null && declared !== 'user' && declared !== 'group') {
        this.report.warn(
          C.GRAPH_UNRESOLVED_ASSIGNMENT,
          `the assignment of ${who} has principalType ${JSON.stringify(declared)}; only User and Group assignments are provisioned, so it was left out`,
          a.at,
          'Graph names the principal type User, Group or ServicePrincipal',
        );
        continue;
      }
      const isUser = declared !== 'group' && users.has(a.principalId);
      const isGroup = declared !== 'user' && groups.has(a.principalId);
      if (!isUser && !isGroup) {
        const expected = declared ?? 'user or group';
        this.report.warn(
          C.GRAPH_UNRESOLVED_ASSIGNMENT,
          `the assignment of ${who} is to a ${expected} that is not in the export; it was left out`,
          a.at,
          `export every ${declared === null ? 'user and group' : declared} (no $filter), from the same moment as the assignments`,
        );
        continue;
      }
      const key = `${a.principalId}/${role.id}`;
      const first = seen.get(key);
      if (first) {
        this.report.warn(
          C.GRAPH_DUPLICATE_ASSIGNMENT,
          `${who} is assigned the role ${JSON.stringify(role.value)} again (first at ${describeAt(first)}); it is kept once`,
          a.at,
          'check that the appRoleAssignedTo pages come from one export',
        );
        continue;
      }
      seen.set(key, a.at);
      const principalKind = isUser ? 'user' : 'group';
      if (principalKind === 'group' && !withMembers.has(a.principalId) && !noMembersReported.has(a.principalId)) {
        noMembersReported.add(a.principalId);
        this.report.warn(
          C.GRAPH_NO_MEMBERS_FILE,
          `group ${JSON.stringify(groups.get(a.principalId)!.group.displayName)} is assigned to the app, but the export has no members-${a.principalId}.json: it is read with no members, so none of its members are in scope through it`,
          a.at,
          `save GET /v1.0/groups/${a.principalId}/members (every page) as members-${a.principalId}.json`,
        );
      }
      out.push({ principalKind, principalId: a.principalId, roleId: role.id, location: locationOf(a.at) });
    }
    return out;
  }

  /** By file in reading order (the directory and unknown files first), then by line and column; stable. */
  private sortedDiagnostics(): Diagnostic[] {
    const rank = new Map<string, number>(this.files.map((name, i) => [this.path(name), i + 1]));
    const key = (d: Diagnostic): number => rank.get(d.file ?? '') ?? 0;
    return this.report.diagnostics
      .map((d, i) => ({ d, i }))
      .sort(
        (x, y) =>
          key(x.d) - key(y.d) ||
          (x.d.position?.line ?? 0) - (y.d.position?.line ?? 0) ||
          (x.d.position?.column ?? 0) - (y.d.position?.column ?? 0) ||
          x.i - y.i,
      )
      .map(({ d }) => d);
  }
}

function locationOf(at: ItemAt): SourceLocation {
  return { file: at.file, position: at.position ?? { line: 1, column: 1 } };
}

/** `users.json value[3]`, for messages that point at another item. */
function describeAt(at: ItemAt): string {
  const name = at.file.split(/[\\/]/).pop() ?? at.file;
  return `${name} ${at.path ?? ''}`.trim();
}

/** `users.json, users-2.json, users-3.json and 4 more`. */
function listNames(names: readonly string[]): string {
  return names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** A name for the next page file of a collection: `users-3.json` after `users-2.json`. */
function nextName(name: string, n: number): string {
  const stem = /^([A-Za-z]+(?:-[0-9a-fA-F-]{36})?)/.exec(name)?.[1] ?? name.replace(/\.json$/i, '');
  return `${stem}-${n}.json`;
}
