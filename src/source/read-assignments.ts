/**
 * The assignments file: the app (name and roles) and who is assigned to it.
 *
 * ```yaml
 * app: {name: Contoso SCIM App, appRoles: [{id: <GUID>, value: User, displayName: User}]}
 * assignments:
 *   - {principal: <user id or UPN | group id or displayName>, role: <role value or displayName; optional>}
 * ```
 * Roles are resolved here (they only depend on this file); principals in `resolve-tenant.ts`.
 * An assignment without `role` gets Entra's "Default Access" role, and so does one naming it explicitly
 * (`Default Access` / `msiam_access`) unless the app defines a role of that name itself.
 */
import { isMap } from 'yaml';
import type { ParsedNode } from 'yaml';
import { didYouMean } from '../shared/diagnostics.js';
import { describeNode, rootNode } from '../shared/yaml-file.js';
import type { YamlReader } from '../shared/yaml-file.js';
import { FIXTURE_CODES as C } from './fixture-codes.js';
import { isGuid } from './guid.js';
import { DEFAULT_ACCESS_ROLE } from '../model/directory.js';
import type { AppRole } from '../model/directory.js';

export interface AssignmentDraft {
  node: ParsedNode;
  principal: { ref: string; node: ParsedNode } | null;
  /** Null when the role could not be resolved (reported). */
  roleId: string | null;
}

export interface AssignmentsDraft {
  app: { name: string; appRoles: AppRole[] } | null;
  assignments: AssignmentDraft[];
}

export function readAssignments(reader: YamlReader): AssignmentsDraft | null {
  const root = rootNode(reader.yaml);
  const shapeHint = 'the assignments file is a map with `app: {name, appRoles}` and `assignments: [{principal, role}]`';
  if (root === null || !isMap(root)) {
    const found = root === null ? 'the file is empty' : `found ${describeNode(root)}`;
    reader.error(
      C.FIXTURE_WRONG_SHAPE,
      `the assignments file must be a map with \`app\` and \`assignments\`; ${found}`,
      root ?? { line: 1, column: 1 },
      shapeHint,
    );
    return null;
  }
  const entries = reader.entries(root, 'the assignments file', ['app', 'assignments']);
  const appNode = reader.required(entries, 'app', root, 'the assignments file', 'add `app: {name: …, appRoles: […]}`');
  const app = appNode === null ? null : readApp(reader, appNode);

  const assignments: AssignmentDraft[] = [];
  const listNode = entries.get('assignments')?.value ?? null;
  const items = listNode === null ? [] : (reader.list(listNode, 'assignments', 'assignments is a list of `{principal, role}`') ?? []);
  items.forEach((item, i) => {
    const what = `assignments[${i}]`;
    if (item === null) return;
    const map = reader.map(item, what, 'each assignment is a map: `- principal: …`');
    if (map === null) return;
    const e = reader.entries(map, what, ['principal', 'role']);
    const draft: AssignmentDraft = { node: map, principal: null, roleId: null };
    const principalNode = reader.required(e, 'principal', map, what, 'name the assigned user (id or UPN) or group (id or displayName)');
    if (principalNode !== null) {
      const ref = reader.text(principalNode, `${what}.principal`);
      if (ref !== null) draft.principal = { ref, node: principalNode };
    }
    const roleNode = e.get('role')?.value ?? null;
    if (roleNode === null) draft.roleId = DEFAULT_ACCESS_ROLE.id;
    else if (app !== null) draft.roleId = resolveRole(reader, roleNode, `${what}.role`, app.appRoles);
    assignments.push(draft);
  });
  return { app, assignments };
}

function readApp(reader: YamlReader, node: ParsedNode): { name: string; appRoles: AppRole[] } | null {
  const map = reader.map(node, 'app', 'app is a map: `{name: …, appRoles: […]}`');
  if (map === null) return null;
  const e = reader.entries(map, 'app', ['name', 'appRoles']);
  const nameNode = reader.required(e, 'name', map, 'app', "give the app's display name");
  const name = nameNode === null ? null : reader.text(nameNode, 'app.name');

  const appRoles: AppRole[] = [];
  const seenIds = new Map<string, ParsedNode>();
  const seenValues = new Map<string, ParsedNode>();
  const rolesNode = e.get('appRoles')?.value ?? null;
  const items =
    rolesNode === null ? [] : (reader.list(rolesNode, 'app.appRoles', 'appRoles is a list of `{id, value, displayName}`') ?? []);
  items.forEach((item, i) => {
    const what = `app.appRoles[${i}]`;
    if (item === null) return;
    const roleMap = reader.map(item, what, 'each role is a map: `{id, value, displayName}`');
    if (roleMap === null) return;
    const r = reader.entries(roleMap, what, ['id', 'value', 'displayName']);
    const idNode = reader.required(r, 'id', roleMap, what, 'give the role a GUID id');
    const valueNode = reader.required(r, 'value', roleMap, what, 'give the role a value (what the app receives)');
    const displayNode = reader.required(r, 'displayName', roleMap, what, 'give the role a displayName');
    const id = idNode === null ? null : reader.string(idNode, `${what}.id`);
    const value = valueNode === null ? null : reader.text(valueNode, `${what}.value`);
    const displayName = displayNode === null ? null : reader.text(displayNode, `${what}.displayName`);
    if (id !== null && idNode !== null) {
      if (!isGuid(id)) {
        reader.error(
          C.FIXTURE_INVALID_ID,
          `${what}.id ${JSON.stringify(id)} is not a GUID`,
          idNode,
          'app role ids look like 6f1c0f1e-2b9a-4c55-8a3e-0d6a1b2c3d4e',
        );
      }
      const first = seenIds.get(id.toLowerCase());
      if (first) {
        reader.error(
          C.FIXTURE_DUPLICATE_ID,
          `${what}.id ${id} is already the id of another role`,
          idNode,
          `first used at ${reader.locate(first)}; role ids must be unique`,
        );
      } else seenIds.set(id.toLowerCase(), idNode);
    }
    if (value !== null && valueNode !== null) {
      const first = seenValues.get(value);
      if (first) {
        reader.error(
          C.FIXTURE_DUPLICATE_ROLE,
          `${what}.value ${JSON.stringify(value)} is already the value of another role`,
          valueNode,
          `first used at ${reader.locate(first)}; role values must be unique`,
        );
      } else seenValues.set(value, valueNode);
    }
    // Kept even when reported, so assignments naming it do not cascade into unknown-role errors.
    if (id !== null && value !== null && displayName !== null) appRoles.push({ id: id.toLowerCase(), value, displayName });
  });
  return name === null ? null : { name, appRoles };
}

/** A role named by value, else by displayName; Entra's Default Access when named and not shadowed by the app. */
function resolveRole(reader: YamlReader, node: ParsedNode, what: string, roles: readonly AppRole[]): string | null {
  const ref = reader.text(node, what);
  if (ref === null) return null;
  const role =
    roles.find((r) => r.value === ref) ??
    roles.find((r) => r.displayName === ref) ??
    (ref === DEFAULT_ACCESS_ROLE.value || ref === DEFAULT_ACCESS_ROLE.displayName ? DEFAULT_ACCESS_ROLE : undefined);
  if (role) return role.id;
  const suggestion = didYouMean(
    ref,
    roles.map((r) => r.value),
  );
  const defined = roles.length > 0 ? roles.map((r) => r.value).join(', ') : 'none';
  reader.error(
    C.FIXTURE_UNKNOWN_ROLE,
    `${what} ${JSON.stringify(ref)} is not a role of the app`,
    node,
    suggestion ? `did you mean \`${suggestion}\`?` : `the app's role values: ${defined}; omit \`role\` for Default Access`,
  );
  return null;
}
