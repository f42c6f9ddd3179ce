/**
 * Scoping, clause by clause, for humans (provision on demand shows why each clause passed or failed).
 * Pure; agrees with evaluateScope by construction (same evaluateClause).
 */
import type { ScopingGroup } from '../model/job.js';
import type { SourceValue } from '../model/directory.js';
import { evaluateClause } from './operators.js';

export interface ClauseResult {
  attribute: string;
  operator: string;
  value: string | null;
  /** The object's value of the attribute. */
  actual: SourceValue;
  passed: boolean;
}

export interface ScopeExplanation {
  inScope: boolean;
  /** One entry per filter group (ORed), each with its clauses (ANDed). Empty: no scoping filter. */
  groups: Array<{ passed: boolean; clauses: ClauseResult[] }>;
}

export function explainScope(groups: readonly ScopingGroup[], attributes: Readonly<Record<string, SourceValue>>): ScopeExplanation {
  const explained = groups.map((group) => {
    const clauses = group.map((c) => ({
      attribute: c.attribute,
      operator: c.operator,
      value: c.value ?? null,
      actual: attributes[c.attribute] ?? null,
      passed: evaluateClause(c.operator, attributes[c.attribute], c.value),
    }));
    return { passed: clauses.every((c) => c.passed), clauses };
  });
  return { inScope: explained.length === 0 || explained.some((g) => g.passed), groups: explained };
}
