/**
 * A Tenant → the fixture format's files (`users`, `groups`, `assignments`, as `.yaml` or `.json`), pure: the
 * texts, for the caller to write. Loading the written directory gives back the same Tenant, locations and `dir`
 * aside. References are written by object id (managers, members, assignment principals), roles by value, and
 * Default Access as an assignment without a role.
 *
 * The tenant must be valid as the fixture loader checks it (unique ids, UPNs and role values, resolvable
 * references, no group cycles), as `GraphExportReader` guarantees.
 */
import { DEFAULT_ACCESS_ROLE } from '../../model/directory.js';
import type { SourceValue, Tenant } from '../../model/directory.js';
import { yamlEntry, yamlString } from '../generate/yaml.js';

export type FixtureFormat = 'yaml' | 'json';

export interface FixtureFileText {
  /** `users.yaml`, `groups.json`, … */
  name: string;
  text: string;
}

/** The three files of `format`; `header` lines become a comment at the top of each YAML file (JSON has none). */
export function serializeTenantFixtures(tenant: Tenant, format: FixtureFormat, header: readonly string[] = []): FixtureFileText[] {
  return format === 'json'
    ? [
        { name: 'users.json', text: jsonList(tenant.users.map((u) => jsonUser(u))) },
        {
          name: 'groups.json',
          text: jsonList(
            tenant.groups.map((g) =>
              JSON.stringify({ id: g.id, displayName: g.displayName, ...definedAttributes(g.attributes), members: g.memberIds }),
            ),
          ),
        },
        { name: 'assignments.json', text: jsonAssignments(tenant) },
      ]
    : [
        { name: 'users.yaml', text: comment(header) + yamlUsers(tenant) },
        { name: 'groups.yaml', text: comment(header) + yamlGroups(tenant) },
        { name: 'assignments.yaml', text: comment(header) + yamlAssignments(tenant) },
      ];
}

type Entry = [key: string, value: string | readonly string[] | boolean];

function definedAttributes(attributes: Readonly<Record<string, SourceValue>>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(attributes)) if (v !== null) out[k] = v;
  return out;
}

function userEntries(u: Tenant['users'][number]): Entry[] {
  const entries: Entry[] = [['id', u.id], ['userPrincipalName', u.userPrincipalName], ...Object.entries(definedAttributes(u.attributes))];
  if (u.managerId !== null) entries.push(['manager', u.managerId]);
  if (!u.accountEnabled) entries.push(['accountEnabled', false]);
  if (u.softDeleted) entries.push(['softDeleted', true]);
  return entries;
}

function comment(lines: readonly string[]): string {
  return lines.length === 0 ? '' : `${lines.map((l) => `# ${oneLine(l)}`).join('\n')}\n\n`;
}

/** Text safe in a YAML comment: one line. */
function oneLine(s: string): string {
  return s.replace(/[\p{Cc}\u2028\u2029]+/gu, ' ');
}

function yamlUsers(tenant: Tenant): string {
  if (tenant.users.length === 0) return '[]\n';
  return tenant.users
    .map(
      (u) =>
        userEntries(u)
          .map(([k, v], i) => yamlEntry(i === 0 ? '- ' : '  ', k, v))
          .join('') + '\n',
    )
    .join('');
}

function yamlGroups(tenant: Tenant): string {
  if (tenant.groups.length === 0) return '[]\n';
  const names = principalNames(tenant);
  return tenant.groups
    .map((g) => {
      const head: Entry[] = [['id', g.id], ['displayName', g.displayName], ...Object.entries(definedAttributes(g.attributes))];
      const text = head.map(([k, v], i) => yamlEntry(i === 0 ? '- ' : '  ', k, v)).join('');
      if (g.memberIds.length === 0) return `${text}  members: []\n\n`;
      return `${text}  members:\n${g.memberIds.map((id) => `    - ${id}  # ${oneLine(names.get(id) ?? '')}\n`).join('')}\n`;
    })
    .join('');
}

function yamlAssignments(tenant: Tenant): string {
  const { app } = tenant;
  const roles = app.appRoles
    .map((r) => `    - {id: ${r.id}, value: ${yamlString(r.value)}, displayName: ${yamlString(r.displayName)}}\n`)
    .join('');
  const names = principalNames(tenant);
  const assignments = tenant.assignments
    .map((a) => {
      const role = roleValue(tenant, a.roleId);
      return `  - {principal: ${a.principalId}${role === null ? '' : `, role: ${yamlString(role)}`}}  # ${a.principalKind} ${oneLine(names.get(a.principalId) ?? '')}${role === null ? ', Default Access' : ''}\n`;
    })
    .join('');
  return (
    `app:\n  name: ${yamlString(app.name)}\n  appRoles:${roles === '' ? ' []\n' : `\n${roles}`}\n` +
    `assignments:${assignments === '' ? ' []\n' : `\n${assignments}`}`
  );
}

function jsonUser(u: Tenant['users'][number]): string {
  return JSON.stringify(Object.fromEntries(userEntries(u)));
}

function jsonList(items: readonly string[]): string {
  return items.length === 0 ? '[]\n' : `[\n${items.join(',\n')}\n]\n`;
}

function jsonAssignments(tenant: Tenant): string {
  const roles = tenant.app.appRoles.map((r) => JSON.stringify({ id: r.id, value: r.value, displayName: r.displayName }));
  const assignments = tenant.assignments.map((a) => {
    const role = roleValue(tenant, a.roleId);
    return JSON.stringify(role === null ? { principal: a.principalId } : { principal: a.principalId, role });
  });
  return (
    `{"app": {"name": ${JSON.stringify(tenant.app.name)}, "appRoles": [${roles.length === 0 ? '' : `\n${roles.join(',\n')}\n`}]},\n` +
    `"assignments": [${assignments.length === 0 ? '' : `\n${assignments.join(',\n')}\n`}]}\n`
  );
}

/** The value an assignment names its role by; null for Default Access (an assignment without a role). */
function roleValue(tenant: Tenant, roleId: string): string | null {
  if (roleId === DEFAULT_ACCESS_ROLE.id) return null;
  const role = tenant.app.appRoles.find((r) => r.id === roleId);
  if (role === undefined) throw new RangeError(`assignment role ${roleId} is not a role of the tenant's app`);
  return role.value;
}

function principalNames(tenant: Tenant): Map<string, string> {
  return new Map<string, string>([
    ...tenant.users.map((u): [string, string] => [u.id, u.userPrincipalName]),
    ...tenant.groups.map((g): [string, string] => [g.id, g.displayName]),
  ]);
}
