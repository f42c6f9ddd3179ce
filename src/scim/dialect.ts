/**
 * The two PATCH dialects Entra speaks (spec §1.14).
 *
 * - `legacy` (Entra's default today): capitalised ops (`Add`, `Replace`, `Remove`), booleans as the strings
 *   "True"/"False", one op per changed attribute, member removal as `path: "members"` + a value array.
 * - `aadOptscim062020` (opt-in with `?aadOptscim062020` on the tenant URL): lowercase ops, JSON booleans,
 *   simple attributes merged into one path-less op whose value keys are flat paths, member removal as
 *   `path: members[value eq "<id>"]` with no value.
 *
 * Shapes the spec marks UNCONFIRMED are quirks (scim/quirks.ts) that can be switched one by one.
 */
import { isBooleanPath, toJsonBoolean, type AttributePath } from './attribute-path.js';
import { defaultQuirks, type Quirks } from './quirks.js';
import type { DialectName, PatchOperation } from './types.js';

export const DIALECTS: readonly DialectName[] = ['legacy', 'aadOptscim062020'];

/** One attribute change decided by the diff. */
export interface AttributeChange {
  path: AttributePath;
  op: 'add' | 'replace';
  /** A string, or a structured value (roles) that is sent as-is. */
  value: unknown;
  /** For changes to `roles`: the full app roles, for the JSON-string role shape (quirk rolesAsJsonString). */
  roles?: ReadonlyArray<{ id: string; value: string; displayName: string }>;
}

/**
 * Entra chooses the dialect from the tenant URL's query string: `aadOptscim062020` opts in,
 * `AzureAdScimPatch2017` forces legacy. An explicit choice wins over the URL.
 */
export function dialectFromUrl(tenantUrl: string): DialectName {
  const query = tenantUrl.includes('?') ? tenantUrl.slice(tenantUrl.indexOf('?') + 1) : '';
  const flags = query.split('&').map((f) => f.split('=')[0]!.toLowerCase());
  if (flags.includes('azureadscimpatch2017')) return 'legacy';
  if (flags.includes('aadoptscim062020')) return 'aadOptscim062020';
  return 'legacy';
}

function opName(dialect: DialectName, op: 'add' | 'replace' | 'remove'): string {
  if (dialect === 'aadOptscim062020') return op;
  return op === 'add' ? 'Add' : op === 'replace' ? 'Replace' : 'Remove';
}

function wireValue(dialect: DialectName, change: AttributeChange): unknown {
  if (typeof change.value !== 'string') return change.value;
  if (dialect === 'aadOptscim062020' && isBooleanPath(change.path)) return toJsonBoolean(change.value);
  return change.value;
}

/** The operations of one object's attribute PATCH, in the dialect's shape. */
export function attributeOperations(
  dialect: DialectName,
  changes: readonly AttributeChange[],
  quirks: Pick<Quirks, 'pathlessAdd' | 'rolesAsJsonString'> & Partial<Pick<Quirks, 'filteredOpsFirst'>> = defaultQuirks(dialect),
): PatchOperation[] {
  const separate: PatchOperation[] = [];
  const merged: Record<'add' | 'replace', Record<string, unknown>> = { add: {}, replace: {} };
  for (const c of changes) {
    if (c.roles && quirks.rolesAsJsonString) {
      // spec §1.7: `{"op":"Add","path":"roles","value":[{"value":"{\"id\":…,\"value\":…,\"displayName\":…}"}]}`
      separate.push({
        op: opName(dialect, c.op),
        path: 'roles',
        value: c.roles.map((r) => ({ value: JSON.stringify({ id: r.id, value: r.value, displayName: r.displayName }) })),
      });
    } else if (dialect === 'legacy' || c.path.filter || typeof c.value !== 'string' || (c.op === 'add' && !quirks.pathlessAdd)) {
      separate.push({ op: opName(dialect, c.op), path: c.path.raw, value: wireValue(dialect, c) });
    } else {
      merged[c.op][c.path.raw] = wireValue(dialect, c);
    }
  }
  // spec §1.14: several simple attributes merge into one path-less op; a single one keeps its path
  // (`{"op":"replace","path":"active","value":false}`, `{"op":"add","path":"nickName","value":"Babs"}`).
  const out: PatchOperation[] = [];
  for (const op of ['add', 'replace'] as const) {
    const entries = Object.entries(merged[op]);
    if (entries.length === 1) out.push({ op, path: entries[0]![0], value: entries[0]![1] });
    else if (entries.length > 1) out.push({ op, value: merged[op] });
  }
  // Microsoft's flag sample puts the filtered-path op before the merged one (quirk filteredOpsFirst).
  return (quirks.filteredOpsFirst ?? true) ? [...separate, ...out] : [...out, ...separate];
}

/**
 * Manager set/change/removal (spec §1.7, evidence in scim/quirks.ts): set and change send the manager's
 * target id as a bare string (quirk managerBareId; off: `{"value": id}`). Removal (`managerTargetId` "")
 * is `Replace` with `""` in legacy (Microsoft's SCIM_Update_Manager_Test) and `remove` with the path in the
 * flag dialect; quirk managerRemoveFilter sends `remove` on `…:manager[value eq "<previous id>"]` instead.
 */
export function managerOperation(
  dialect: DialectName,
  path: AttributePath,
  op: 'add' | 'replace',
  managerTargetId: string,
  quirks: Pick<Quirks, 'managerBareId'> & Partial<Pick<Quirks, 'managerRemoveFilter'>> = defaultQuirks(dialect),
  previousTargetId: string | null = null,
): PatchOperation {
  if (managerTargetId === '') {
    if (quirks.managerRemoveFilter && previousTargetId !== null)
      return { op: opName(dialect, 'remove'), path: `${path.raw}[value eq "${previousTargetId.replace(/["\\]/g, '\\$&')}"]` };
    return dialect === 'legacy' ? { op: opName(dialect, 'replace'), path: path.raw, value: '' } : { op: 'remove', path: path.raw };
  }
  if (quirks.managerBareId) return { op: opName(dialect, op), path: path.raw, value: managerTargetId };
  return { op: opName(dialect, op), path: path.raw, value: { value: managerTargetId } };
}

export function memberAddOperation(dialect: DialectName, memberTargetIds: readonly string[]): PatchOperation {
  return { op: opName(dialect, 'add'), path: 'members', value: memberTargetIds.map((value) => ({ $ref: null, value })) };
}

export function memberRemoveOperations(dialect: DialectName, memberTargetIds: readonly string[]): PatchOperation[] {
  if (dialect === 'legacy') {
    return [{ op: 'Remove', path: 'members', value: memberTargetIds.map((value) => ({ value })) }];
  }
  return memberTargetIds.map((id) => ({ op: 'remove', path: `members[value eq "${id.replace(/["\\]/g, '\\$&')}"]` }));
}
