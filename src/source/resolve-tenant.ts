/**
 * Cross-file checks and reference resolution: duplicate ids (users and groups share one id space) and UPNs,
 * managers, group members, assignment principals, group cycles, duplicate assignments. Produces the Tenant;
 * the caller discards it when any error was reported.
 *
 * Ids are compared and returned in lower case (Graph's spelling of object ids); UPNs and group displayNames
 * are compared case-insensitively, as Entra does.
 */
import { compactCopy } from '../shared/compact-record.js';
import { upnKey } from './upn.js';
import type { ParsedNode } from 'yaml';
import { didYouMean } from '../shared/diagnostics.js';
import type { YamlReader } from '../shared/yaml-file.js';
import { FIXTURE_CODES as C } from './fixture-codes.js';
import type { AssignmentsDraft } from './read-assignments.js';
import type { GroupDraft } from './read-groups.js';
import type { UserDraft } from './read-users.js';
import type { Assignment, SourceGroup, SourceUser, Tenant } from '../model/directory.js';

export interface TenantDrafts {
  dir: string;
  users: { reader: YamlReader; drafts: UserDraft[] };
  groups: { reader: YamlReader; drafts: GroupDraft[] } | null;
  assignments: { reader: YamlReader; draft: AssignmentsDraft };
}

type Entry = { kind: 'user'; draft: UserDraft; reader: YamlReader } | { kind: 'group'; draft: GroupDraft; reader: YamlReader };

export function resolveTenant(input: TenantDrafts): Tenant {
  const { users, assignments } = input;
  const groups = input.groups ?? { reader: users.reader, drafts: [] };

  // One id space for users and groups, first definition wins.
  const byId = new Map<string, Entry>();
  const addId = (entry: Entry): void => {
    const { id, idNode } = entry.draft;
    if (id === null || idNode === null) return;
    const first = byId.get(id.toLowerCase());
    if (first) {
      entry.reader.error(
        C.FIXTURE_DUPLICATE_ID,
        `id ${id} is already the id of ${first.kind === 'user' ? 'user' : 'group'} ${describe(first)}`,
        idNode,
        `first defined at ${first.reader.locate(first.draft.idNode ?? first.draft.node)}; every user and group needs its own id`,
      );
      return;
    }
    byId.set(id.toLowerCase(), entry);
  };
  for (const draft of users.drafts) addId({ kind: 'user', draft, reader: users.reader });
  for (const draft of groups.drafts) addId({ kind: 'group', draft, reader: groups.reader });

  const byUpn = new Map<string, UserDraft>();
  for (const u of users.drafts) {
    if (u.userPrincipalName === null || u.upnNode === null) continue;
    const key = upnKey(u.userPrincipalName);
    const first = byUpn.get(key);
    if (first) {
      users.reader.error(
        C.FIXTURE_DUPLICATE_UPN,
        `userPrincipalName ${u.userPrincipalName} is already used by another user`,
        u.upnNode,
        `first used at ${users.reader.locate(first.upnNode ?? first.node)}; UPNs are unique, ignoring case`,
      );
      continue;
    }
    byUpn.set(key, u);
  }
  const upns = [...byUpn.values()].map((u) => u.userPrincipalName!);

  const lookup = (ref: string): Entry | undefined => {
    const hit = byId.get(ref.toLowerCase());
    if (hit) return hit;
    const user = byUpn.get(upnKey(ref));
    return user ? { kind: 'user', draft: user, reader: users.reader } : undefined;
  };

  const resolvedUsers: SourceUser[] = [];
  for (const u of users.drafts) {
    let managerId: string | null = null;
    if (u.manager) {
      const target = lookup(u.manager.ref);
      if (!target) {
        unresolved(
          users.reader,
          `manager ${JSON.stringify(u.manager.ref)} is not a user of this tenant`,
          u.manager.node,
          u.manager.ref,
          upns,
        );
      } else if (target.kind === 'group') {
        users.reader.error(
          C.FIXTURE_UNRESOLVED_REFERENCE,
          `manager ${JSON.stringify(u.manager.ref)} is a group; a manager must be a user`,
          u.manager.node,
          "give the manager user's id or userPrincipalName",
        );
      } else if (target.draft === u) {
        users.reader.error(
          C.FIXTURE_SELF_MANAGER,
          `user ${describeUser(u)} is their own manager`,
          u.manager.node,
          'remove `manager` or name another user',
        );
      } else if (target.draft.id !== null) {
        managerId = target.draft.id.toLowerCase();
      }
    }
    if (u.id === null || u.userPrincipalName === null) continue;
    resolvedUsers.push({
      id: u.id.toLowerCase(),
      userPrincipalName: u.userPrincipalName,
      accountEnabled: u.accountEnabled,
      softDeleted: u.softDeleted,
      managerId,
      attributes: compactCopy(u.attributes),
      location: { file: users.reader.file, position: users.reader.position(u.node) },
    });
  }

  const groupNames = new Map<string, GroupDraft[]>();
  for (const g of groups.drafts) {
    if (g.displayName === null) continue;
    const key = g.displayName.toLowerCase();
    groupNames.set(key, [...(groupNames.get(key) ?? []), g]);
  }

  // Members: resolved ids plus, for the cycle check, the node that lists each nested group.
  const memberEdges = new Map<GroupDraft, { id: string; node: ParsedNode }[]>();
  const resolvedGroups: SourceGroup[] = [];
  for (const g of groups.drafts) {
    const memberIds: string[] = [];
    const edges: { id: string; node: ParsedNode }[] = [];
    const seen = new Map<string, ParsedNode>();
    for (const m of g.members) {
      const target = lookup(m.ref);
      if (!target) {
        const named = groupNames.get(m.ref.toLowerCase());
        if (named && named[0]?.id) {
          groups.reader.error(
            C.FIXTURE_UNRESOLVED_REFERENCE,
            `member ${JSON.stringify(m.ref)} is a group name; members are ids or UPNs`,
            m.node,
            `refer to the group by its id: ${named[0].id}`,
          );
        } else {
          unresolved(groups.reader, `member ${JSON.stringify(m.ref)} is not a user or group of this tenant`, m.node, m.ref, upns);
        }
        continue;
      }
      if (target.draft.id === null) continue; // reported where the object is defined
      const id = target.draft.id.toLowerCase();
      const first = seen.get(id);
      if (first) {
        groups.reader.warn(
          C.FIXTURE_DUPLICATE_MEMBER,
          `member ${JSON.stringify(m.ref)} is listed twice in group ${describe({ kind: 'group', draft: g, reader: groups.reader })}`,
          m.node,
          `first listed at ${groups.reader.locate(first)}; it is kept once`,
        );
        continue;
      }
      seen.set(id, m.node);
      memberIds.push(id);
      if (target.kind === 'group') edges.push({ id, node: m.node });
    }
    memberEdges.set(g, edges);
    if (g.id === null || g.displayName === null) continue;
    resolvedGroups.push({
      id: g.id.toLowerCase(),
      displayName: g.displayName,
      memberIds,
      attributes: compactCopy(g.attributes),
      location: { file: groups.reader.file, position: groups.reader.position(g.node) },
    });
  }
  reportGroupCycles(groups.reader, groups.drafts, memberEdges, byId);

  const resolvedAssignments: Assignment[] = [];
  const seenAssignments = new Map<string, ParsedNode>();
  const { reader: aReader, draft: aDraft } = assignments;
  for (const a of aDraft.assignments) {
    if (a.principal === null) continue;
    const { ref, node } = a.principal;
    let target: Entry | undefined = lookup(ref);
    if (!target) {
      const named = groupNames.get(ref.toLowerCase()) ?? [];
      const exact = named.filter((g) => g.displayName === ref);
      const candidates = named.length > 1 && exact.length === 1 ? exact : named;
      if (candidates.length > 1) {
        aReader.error(
          C.FIXTURE_AMBIGUOUS_REFERENCE,
          `principal ${JSON.stringify(ref)} is the displayName of ${candidates.length} groups`,
          node,
          `name the group by id: ${candidates.map((g) => g.id ?? '?').join(' or ')}`,
        );
        continue;
      }
      if (candidates[0]) target = { kind: 'group', draft: candidates[0], reader: groups.reader };
    }
    if (!target) {
      const names = [...upns, ...groups.drafts.flatMap((g) => (g.displayName === null ? [] : [g.displayName]))];
      unresolved(
        aReader,
        `principal ${JSON.stringify(ref)} is not a user (id or UPN) or group (id or displayName) of this tenant`,
        node,
        ref,
        names,
      );
      continue;
    }
    if (target.draft.id === null || a.roleId === null) continue;
    const principalId = target.draft.id.toLowerCase();
    const key = `${principalId}/${a.roleId}`;
    const first = seenAssignments.get(key);
    if (first) {
      aReader.error(
        C.FIXTURE_DUPLICATE_ASSIGNMENT,
        `principal ${JSON.stringify(ref)} is already assigned this role`,
        a.node,
        `first assigned at ${aReader.locate(first)}; Entra refuses a second identical assignment`,
      );
      continue;
    }
    seenAssignments.set(key, a.node);
    resolvedAssignments.push({
      principalKind: target.kind,
      principalId,
      roleId: a.roleId,
      location: { file: aReader.file, position: aReader.position(a.node) },
    });
  }

  return {
    dir: input.dir,
    users: resolvedUsers,
    groups: resolvedGroups,
    app: aDraft.app ?? { name: '', appRoles: [] },
    assignments: resolvedAssignments,
  };
}

function unresolved(reader: YamlReader, message: string, node: ParsedNode, ref: string, candidates: readonly string[]): void {
  const suggestion = didYouMean(ref, candidates);
  reader.error(
    C.FIXTURE_UNRESOLVED_REFERENCE,
    message,
    node,
    suggestion ? `did you mean ${suggestion}?` : 'refer to users by id or userPrincipalName, to groups by id',
  );
}

/**
 * Reports each cycle of nested groups once, at the member entry that closes it (depth-first, in file order).
 */
function reportGroupCycles(
  reader: YamlReader,
  drafts: readonly GroupDraft[],
  edges: ReadonlyMap<GroupDraft, { id: string; node: ParsedNode }[]>,
  byId: ReadonlyMap<string, Entry>,
): void {
  const state = new Map<GroupDraft, 'active' | 'done'>();
  const stack: GroupDraft[] = [];
  const name = (g: GroupDraft): string => g.displayName ?? g.id ?? '?';
  const visit = (g: GroupDraft): void => {
    state.set(g, 'active');
    stack.push(g);
    for (const edge of edges.get(g) ?? []) {
      const entry = byId.get(edge.id);
      if (entry?.kind !== 'group') continue;
      const next = entry.draft;
      const s = state.get(next);
      if (s === 'active') {
        const path = [...stack.slice(stack.indexOf(next)), next].map(name);
        const message =
          next === g
            ? `group ${JSON.stringify(name(g))} contains itself`
            : `group ${JSON.stringify(name(next))} contains itself through nested groups: ${path.join(' → ')}`;
        reader.error(C.FIXTURE_GROUP_CYCLE, message, edge.node, 'remove this member; Entra group nesting cannot loop');
      } else if (s === undefined) {
        visit(next);
      }
    }
    stack.pop();
    state.set(g, 'done');
  };
  for (const g of drafts) if (!state.has(g)) visit(g);
}

function describe(entry: Entry): string {
  return entry.kind === 'user' ? describeUser(entry.draft) : JSON.stringify(entry.draft.displayName ?? entry.draft.id ?? '?');
}

function describeUser(u: UserDraft): string {
  return JSON.stringify(u.userPrincipalName ?? u.id ?? '?');
}
