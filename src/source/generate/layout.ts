/**
 * The text layout of generated fixture files, and where each object lands in it. The writer emits these
 * texts; the in-memory generator only counts their lines, so its `SourceLocation`s equal the loader's for the
 * written files. Contract: a record's first line is `- <first key>: …` (the loader places the object at
 * column 3 of it), every other key is one line, and records are separated by one blank line.
 */
import type { Position } from '../../shared/diagnostics.js';
import type { AppRole } from '../../model/directory.js';
import type { AssignedRole, GenerateTenantOptions, GroupRecord, UserRecord } from './records.js';
import { yamlEntry, yamlString } from './yaml.js';

type Entry = readonly [key: string, value: string | readonly string[] | boolean];

/** Two comment lines and a blank line: the first object is on line 4. */
export function fileHeader(what: string, o: GenerateTenantOptions): string {
  return (
    `# Generated ${what} (provsim generate-tenant): ${o.users} users, ${o.groups} groups, ${o.membersPerGroup} members per group, seed ${o.seed >>> 0}.\n` +
    '# The same options always give these exact bytes; regenerate rather than edit.\n\n'
  );
}
export const FIRST_RECORD_LINE = 4;

/** Where an object whose `- ` line is `line` is located by the loader (the map starts after `- `). */
export const recordPosition = (line: number): Position => ({ line, column: 3 });

/** The user's keys in file order; the manager is referred to by UPN, as people write fixtures by hand. */
export function userEntries(u: UserRecord, managerUpn: string | null): Entry[] {
  const entries: Entry[] = [['id', u.id], ['userPrincipalName', u.userPrincipalName], ...Object.entries(u.attributes)];
  if (managerUpn !== null) entries.push(['manager', managerUpn]);
  if (!u.accountEnabled) entries.push(['accountEnabled', false]);
  if (u.softDeleted) entries.push(['softDeleted', true]);
  return entries;
}

/** Lines a record takes, its separating blank line included. */
export function userLines(u: UserRecord): number {
  let keys = 2 + (u.managerIndex === null ? 0 : 1) + (u.accountEnabled ? 0 : 1) + (u.softDeleted ? 1 : 0);
  for (const _ in u.attributes) keys++;
  return keys + 1;
}

export function recordText(entries: readonly Entry[]): string {
  let text = '';
  entries.forEach(([key, value], i) => (text += yamlEntry(i === 0 ? '- ' : '  ', key, value)));
  return `${text}\n`;
}

/** Members are written one per line, by object id. */
export function groupText(g: GroupRecord, memberIds: readonly string[]): string {
  const head = recordText([['id', g.id], ['displayName', g.displayName], ...Object.entries(g.attributes)]).slice(0, -1);
  if (memberIds.length === 0) return `${head}  members: []\n\n`;
  return `${head}  members:\n${memberIds.map((id) => `    - ${id}\n`).join('')}\n`;
}

export function groupLines(g: GroupRecord): number {
  return 2 + Object.keys(g.attributes).length + 1 + g.memberIndices.length + 1;
}

/** The app block and the `assignments:` line; assignments start on `FIRST_ASSIGNMENT_LINE`, at column 5. */
export function appText(name: string, roles: readonly AppRole[], anyAssignments: boolean): string {
  const roleLines = roles
    .map((r) => `    - {id: ${r.id}, value: ${yamlString(r.value)}, displayName: ${yamlString(r.displayName)}}\n`)
    .join('');
  return `app:\n  name: ${yamlString(name)}\n  appRoles:\n${roleLines}\nassignments:${anyAssignments ? '' : ' []'}\n`;
}
export const firstAssignmentLine = (roleCount: number): number => FIRST_RECORD_LINE + 3 + roleCount + 2;
export const assignmentPosition = (line: number): Position => ({ line, column: 5 });

/** Users are named by UPN, groups by displayName, as in the portal; no role = Default Access. */
export function assignmentText(principal: string, role: AssignedRole): string {
  return `  - {principal: ${yamlString(principal)}${role === null ? '' : `, role: ${role}`}}\n`;
}
