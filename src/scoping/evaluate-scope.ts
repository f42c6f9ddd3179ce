import type { ScopingClause, ScopingGroup } from '../job/types.js';
import type { SourceValue } from '../source/types.js';
import { evaluateClause } from './operators.js';

export interface ScopeResult {
  inScope: boolean;
  /** For humans (logs): the first failing clause of each group when out of scope. */
  reason?: string;
}

/** OR across filter groups, AND within a group (spec §4.1). No groups: everything is in scope. */
export function evaluateScope(groups: readonly ScopingGroup[], attributes: Readonly<Record<string, SourceValue>>): ScopeResult {
  if (groups.length === 0) return { inScope: true };
  const failures: string[] = [];
  for (const group of groups) {
    const failing = group.find((c) => !evaluateClause(c.operator, attributes[c.attribute], c.value));
    if (!failing) return { inScope: true };
    failures.push(describeClause(failing));
  }
  return { inScope: false, reason: `scoping filter not satisfied: ${failures.join(' / ')}` };
}

function describeClause(c: ScopingClause): string {
  return c.value === undefined ? `${c.attribute} ${c.operator}` : `${c.attribute} ${c.operator} "${c.value}"`;
}
