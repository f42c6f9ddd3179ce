/**
 * What the diff compares: the target's current values of an object (read in this cycle, or as provsim last
 * exported them) against its mapped values, attribute by attribute. Pure.
 */
import type { RoleList } from '../expression/index.js';
import type { CompiledAttribute, CompiledObjectMapping } from '../mapping/compile.js';
import type { MappedAttribute } from '../mapping/map-object.js';
import type { AppRole } from '../model/directory.js';
import type { Anchor, ModifiedProperty } from '../model/records.js';
import { readAttributePath, type AttributePath } from '../scim/attribute-path.js';
import type { RoleEntry } from '../scim/build-resource.js';
import type { AttributeChange } from '../scim/dialect.js';
import type { ScimResource } from '../scim/types.js';

/** Shown instead of a value whose mapping row is marked `redacted` (secrets, passwords). */
export const REDACTED = '[Redact]';

/** The target's current values: from a resource read in this cycle, or from what provsim last exported. */
export interface CurrentValues {
  targetId: string;
  get(path: AttributePath): unknown;
  resource: ScimResource | null;
}

export function fromResource(targetId: string, resource: ScimResource): CurrentValues {
  return { targetId, resource, get: (p) => readAttributePath(resource, p) };
}

export function fromExported(anchor: Anchor): CurrentValues {
  return { targetId: anchor.targetId, resource: null, get: (p) => anchor.exported[p.raw] ?? null };
}

/**
 * The attribute changes that bring `current` to the mapped `values`, and their log form. Rows applied on
 * create only are left out unless `includeCreateOnly`; null values never flow outbound (spec §1.6).
 */
export function attributeChanges(
  values: readonly MappedAttribute[],
  current: CurrentValues,
  includeCreateOnly: boolean,
  assigned: readonly AppRole[] = [],
): { changes: AttributeChange[]; modified: ModifiedProperty[] } {
  const changes: AttributeChange[] = [];
  const modified: ModifiedProperty[] = [];
  for (const v of values) {
    const row = v.attribute.mapping;
    if (row.apply === 'on-create' && !includeCreateOnly) continue;
    if (v.value === null) continue;
    const before = current.get(v.attribute.path);
    if (typeof v.value === 'string') {
      if (sameValue(v.value, before, row.caseExact)) continue;
      const change: AttributeChange = {
        path: v.attribute.path,
        op: before === null || before === undefined ? 'add' : 'replace',
        value: v.value,
      };
      // SingleAppRoleAssignment into roles[primary eq "True"].value: the full role, for the legacy JSON-string shape.
      if (v.attribute.path.attribute.toLowerCase() === 'roles') {
        const role = assigned.find((r) => r.value === v.value);
        if (role) change.roles = [role];
      }
      changes.push(change);
    } else {
      const wanted = roleEntries(v.value);
      if (sameRoles(wanted, before)) continue;
      // AppRoleAssignmentsComplex only adds (never removes); the Assertive form replaces the whole list (spec §1.7).
      const have = new Set(Array.isArray(before) ? before.map((r) => String((r as { value?: unknown }).value ?? '').toLowerCase()) : []);
      const sent = v.value.assertive ? v.value.roles : v.value.roles.filter((r) => !have.has(r.value.toLowerCase()));
      if (sent.length === 0) continue;
      changes.push({
        path: { ...v.attribute.path, filter: null, subAttribute: null, raw: 'roles' },
        op: v.value.assertive ? 'replace' : 'add',
        value: roleEntries({ ...v.value, roles: sent }),
        roles: sent.map((r) => ({ id: r.id, value: r.value, displayName: r.displayName })),
      });
    }
    modified.push({
      displayName: row.target,
      oldValue: before === null || before === undefined ? null : display(before),
      newValue: v.redacted ? REDACTED : display(v.value),
    });
  }
  return { changes, modified };
}

/**
 * What the target holds after the planned writes succeed, by path: the mapped values, and the manager as
 * the target holds it now (a reference is written by its own PATCH, which updates this record when it is
 * sent; without it here, the next cycle would take the manager for unset and send it again).
 */
export function exportedFrom(
  current: CurrentValues,
  values: readonly MappedAttribute[],
  withDesired: boolean,
  mapping: CompiledObjectMapping,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const v of values) {
    const before = current.get(v.attribute.path);
    const after =
      withDesired && v.value !== null && v.attribute.mapping.apply !== 'on-create'
        ? typeof v.value === 'string'
          ? v.value
          : roleEntries(v.value)
        : before;
    if (after !== null && after !== undefined) out[v.attribute.path.raw] = after;
  }
  const manager = managerAttribute(mapping);
  if (manager) {
    const held = current.get(manager.path);
    if (typeof held === 'string') out[manager.path.raw] = held;
  }
  return out;
}

/** The user mapping's manager row, if it maps one. */
export function managerAttribute(mapping: CompiledObjectMapping): CompiledAttribute | undefined {
  return mapping.objectType === 'User' ? mapping.attributes.find((a) => a.reference === 'manager') : undefined;
}

/** Rows that follow IsSoftDeleted: the only ones Entra sends on a deprovisioning update (EntryExportUpdateSoftDelete). */
export function dependsOnSoftDelete(a: CompiledAttribute): boolean {
  const s = a.mapping.source;
  if (s.kind === 'direct') return s.attribute === 'IsSoftDeleted' || s.attribute === 'accountEnabled';
  if (s.kind === 'expression') return /\[(IsSoftDeleted|accountEnabled)\]/.test(s.text);
  return false;
}

export function roleEntries(list: RoleList): RoleEntry[] {
  return list.roles.map((r) => ({ primary: r.primary, type: r.type, display: r.displayName, value: r.value }));
}

/** A value as the provisioning log shows it. */
export function display(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && (v as RoleList).kind === 'roles') return (v as RoleList).roles.map((r) => r.value).join(', ');
  return JSON.stringify(v);
}

function sameValue(desired: string, current: unknown, caseExact: boolean): boolean {
  if (typeof current !== 'string') return false;
  return caseExact ? desired === current : desired.toLowerCase() === current.toLowerCase();
}

function sameRoles(wanted: RoleEntry[], current: unknown): boolean {
  if (!Array.isArray(current)) return wanted.length === 0;
  const have = new Set(current.map((r) => String((r as { value?: unknown }).value ?? '').toLowerCase()));
  return wanted.length === have.size && wanted.every((r) => have.has(r.value.toLowerCase()));
}
