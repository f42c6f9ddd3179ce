/** A scoping REGEX MATCH that runs out of backtracking steps fails the object: neither in nor out of scope. */
import { describe, expect, it } from 'vitest';
import { evaluateScope } from '../../src/scoping/evaluate-scope.js';
import { explainScope } from '../../src/scoping/explain-scope.js';
import { evaluateClause, ScopingClauseError } from '../../src/scoping/operators.js';
import type { ScopingGroup } from '../../src/model/job.js';

const AT = { line: 1, column: 1 };
const NEAR_MISS = 'a'.repeat(35) + '!';
/** Catastrophic, and with a lookahead, so it runs on the step-limited backtracking engine. */
const HOSTILE = '^(?=a)(a+)+$';

const groups = (operator: 'REGEX MATCH' | 'NOT REGEX MATCH', pattern: string): ScopingGroup[] => [
  [{ attribute: 'jobTitle', operator, value: pattern, position: AT }],
  [{ attribute: 'department', operator: 'EQUALS', value: 'Sales', position: AT }],
];

describe('scoping REGEX MATCH in bounded time', () => {
  it('^(a+)+$ on a near miss is decided at once (the linear engine): out of scope, no failure', () => {
    expect(evaluateClause('REGEX MATCH', NEAR_MISS, '^(a+)+$')).toBe(false);
    expect(evaluateClause('NOT REGEX MATCH', NEAR_MISS, '^(a+)+$')).toBe(true);
    expect(evaluateScope(groups('REGEX MATCH', '^(a+)+$'), { jobTitle: NEAR_MISS, department: 'HR' })).toEqual({
      inScope: false,
      reason: 'scoping filter not satisfied: jobTitle REGEX MATCH "^(a+)+$" / department EQUALS "Sales"',
    });
  });

  it.each(['REGEX MATCH', 'NOT REGEX MATCH'] as const)(
    '%s out of steps: a failure that names the attribute and the pattern, whatever the other groups say',
    (operator) => {
      const result = evaluateScope(groups(operator, HOSTILE), { jobTitle: NEAR_MISS, department: 'Sales' });
      expect(result.inScope).toBe(false);
      expect(result.failure).toMatch(
        new RegExp(`^the scoping clause on jobTitle could not be evaluated: ${operator} "\\^\\(\\?=a\\)\\(a\\+\\)\\+\\$" needed more than`),
      );
      expect(result.failure).toContain('on a value of 36 characters');
      expect(result.failure).toContain("Entra's .NET engine times out on it and fails the object");
      expect(result.reason).toBe(result.failure);
    },
  );

  it('the clause on its own throws ScopingClauseError', () => {
    expect(() => evaluateClause('REGEX MATCH', NEAR_MISS, HOSTILE)).toThrow(ScopingClauseError);
    expect(evaluateClause('REGEX MATCH', 'aaaa', HOSTILE)).toBe(true);
  });

  it('provision on demand shows the clause that could not be decided', () => {
    const explained = explainScope(groups('REGEX MATCH', HOSTILE), { jobTitle: NEAR_MISS, department: 'Sales' });
    expect(explained.inScope).toBe(false);
    expect(explained.failure).toMatch(/^the scoping clause on jobTitle could not be evaluated/);
    expect(explained.groups[0]!.clauses[0]).toMatchObject({
      attribute: 'jobTitle',
      passed: false,
      error: expect.stringContaining(HOSTILE),
    });
    expect(explained.groups[1]!.clauses[0]).toMatchObject({ passed: true });
  });
});
