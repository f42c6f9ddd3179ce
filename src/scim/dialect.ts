/**
 * The two PATCH dialects Entra speaks (spec §1.14).
 *
 * - `legacy` (Entra's default today): capitalised ops (`Add`, `Replace`, `Remove`), booleans as the strings
 *   "True"/"False", one op per changed attribute, member removal as `path: "members"` + a value array.
 * - `aadOptscim062020` (opt-in with `?aadOptscim062020` on the tenant URL): lowercase ops, JSON booleans,
 *   simple attributes merged into one path-less op whose value keys are flat paths, member removal as
 *   `path: members[value eq "<id>"]` with no value.
 *
 * NOTE (UNCONFIRMED in the spec): whether newly-set attributes are merged into a path-less `add` in the flag
 * dialect. We merge them, as third-party traces suggest; value-filtered paths always stay separate ops.
 */
import type { TargetPath } from '../mapping/target-path.js';
import { isBooleanPath, toJsonBoolean } from '../mapping/target-path.js';
import type { PatchOperation } from './types.js';

export type DialectName = 'legacy' | 'aadOptscim062020';
export const DIALECTS: readonly DialectName[] = ['legacy', 'aadOptscim062020'];

/** One attribute change decided by the diff. */
export interface AttributeChange {
  path: TargetPath;
  op: 'add' | 'replace';
  /** A string, or a structured value (roles) that is sent as-is. */
  value: unknown;
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
export function attributeOperations(dialect: DialectName, changes: readonly AttributeChange[]): PatchOperation[] {
  if (dialect === 'legacy') {
    return changes.map((c) => ({ op: opName(dialect, c.op), path: c.path.raw, value: wireValue(dialect, c) }));
  }
  const merged: Record<'add' | 'replace', Record<string, unknown>> = { add: {}, replace: {} };
  const separate: PatchOperation[] = [];
  for (const c of changes) {
    if (c.path.filter || typeof c.value !== 'string') {
      separate.push({ op: c.op, path: c.path.raw, value: wireValue(dialect, c) });
    } else {
      merged[c.op][c.path.raw] = wireValue(dialect, c);
    }
  }
  const out: PatchOperation[] = [];
  for (const op of ['add', 'replace'] as const) {
    if (Object.keys(merged[op]).length > 0) out.push({ op, value: merged[op] });
  }
  return [...out, ...separate];
}

/** Manager set/change/removal: the manager's target id as a bare string; "" removes it (spec §1.7). */
export function managerOperation(dialect: DialectName, path: TargetPath, op: 'add' | 'replace', managerTargetId: string): PatchOperation {
  return { op: opName(dialect, op), path: path.raw, value: managerTargetId };
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
