import type { ScopingClause, ScopingGroup } from '../model/job.js';
import type { SourceValue } from '../model/directory.js';
import { evaluateClause } from './operators.js';

export interface ScopeResult {
  inScope: boolean;
  /** For humans (logs): the first failing clause of each group when out of scope. */
  reason?: string;
}

export const IN_SCOPE: ScopeResult = { inScope: true };
const described = new WeakMap<ScopingClause, string>();

/** OR across filter groups, AND within a group (spec §4.1). No groups: everything is in scope. */
export function evaluateScope(groups: readonly ScopingGroup[], attributes: Readonly<Record<string, SourceValue>>): ScopeResult {
  return evaluateScopeWith(groups, (key) => attributes[key]);
}

/** `evaluateScope` over an attribute reader (the engine scopes users without building their view). */
export function evaluateScopeWith(groups: readonly ScopingGroup[], read: (attribute: string) => SourceValue | undefined): ScopeResult {
  if (groups.length === 0) return IN_SCOPE;
  let reason = '';
  for (const group of groups) {
    let failing: ScopingClause | null = null;
    for (const clause of group) {
      if (!evaluateClause(clause.operator, read(clause.attribute), clause.value)) {
        failing = clause;
        break;
      }
    }
    if (failing === null) return IN_SCOPE;
    reason += (reason === '' ? 'scoping filter not satisfied: ' : ' / ') + describeClause(failing);
  }
  return { inScope: false, reason };
}

function describeClause(c: ScopingClause): string {
  let text = described.get(c);
  if (text === undefined) {
    text = c.value === undefined ? `${c.attribute} ${c.operator}` : `${c.attribute} ${c.operator} "${c.value}"`;
    described.set(c, text);
  }
  return text;
}
