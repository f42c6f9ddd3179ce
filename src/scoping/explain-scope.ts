/**
 * Scoping, clause by clause, for humans (provision on demand shows why each clause passed or failed).
 * Pure; agrees with evaluateScope by construction (same evaluateClause).
 */
import type { ScopingGroup } from '../model/job.js';
import type { SourceValue } from '../model/directory.js';
import { evaluateClause, ScopingClauseError } from './operators.js';

export interface ClauseResult {
  attribute: string;
  operator: string;
  value: string | null;
  /** The object's value of the attribute. */
  actual: SourceValue;
  passed: boolean;
  /** Why the clause could not be decided (a REGEX MATCH out of backtracking steps); `passed` is then false. */
  error?: string;
}

export interface ScopeExplanation {
  inScope: boolean;
  /** Set when a clause could not be decided: the object fails (see ScopeResult.failure). */
  failure?: string;
  /** One entry per filter group (ORed), each with its clauses (ANDed). Empty: no scoping filter. */
  groups: Array<{ passed: boolean; clauses: ClauseResult[] }>;
}

export function explainScope(groups: readonly ScopingGroup[], attributes: Readonly<Record<string, SourceValue>>): ScopeExplanation {
  let failure: string | undefined;
  const explained = groups.map((group) => {
    const clauses = group.map((c): ClauseResult => {
      const clause: ClauseResult = {
        attribute: c.attribute,
        operator: c.operator,
        value: c.value ?? null,
        actual: attributes[c.attribute] ?? null,
        passed: false,
      };
      try {
        clause.passed = evaluateClause(c.operator, attributes[c.attribute], c.value);
      } catch (e) {
        if (!(e instanceof ScopingClauseError)) throw e;
        clause.error = e.message;
        failure ??= `the scoping clause on ${c.attribute} could not be evaluated: ${e.message}`;
      }
      return clause;
    });
    return { passed: clauses.every((c) => c.passed), clauses };
  });
  // An undecidable clause fails the object, as in evaluateScope: it is not in scope whatever the other groups say.
  if (failure !== undefined) return { inScope: false, groups: explained, failure };
  return { inScope: explained.length === 0 || explained.some((g) => g.passed), groups: explained };
}
