import type { ScopingClause, ScopingGroup } from '../model/job.js';
import type { SourceValue } from '../model/directory.js';
import { evaluateClause, ScopingClauseError } from './operators.js';

export interface ScopeResult {
  inScope: boolean;
  /** For humans (logs): the first failing clause of each group when out of scope. */
  reason?: string;
  /**
   * Set when a clause could not be decided (a REGEX MATCH pattern that ran out of backtracking steps on this
   * object's value; Entra's .NET match timeout fails the object): the object is neither in nor out of scope, and
   * the caller fails it, sending nothing for it and changing no link. `inScope` is then false and `reason` says
   * the same, so that a caller that does not read this field at least creates nothing.
   */
  failure?: string;
}

export const IN_SCOPE: ScopeResult = { inScope: true };
const described = new WeakMap<ScopingClause, string>();

/**
 * OR across filter groups, AND within a group (spec §4.1). No groups: everything is in scope. A clause that
 * cannot be decided fails the whole evaluation (`failure`), wherever it stands: Entra's timeout is an exception
 * that ends the object's scoping.
 */
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
      let holds: boolean;
      try {
        holds = evaluateClause(clause.operator, read(clause.attribute), clause.value);
      } catch (e) {
        if (!(e instanceof ScopingClauseError)) throw e;
        const failure = `the scoping clause on ${clause.attribute} could not be evaluated: ${e.message}`;
        return { inScope: false, reason: failure, failure };
      }
      if (!holds) {
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
