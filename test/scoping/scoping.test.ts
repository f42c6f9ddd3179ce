import { describe, expect, it } from 'vitest';
import { evaluateClause } from '../../src/scoping/operators.js';
import { evaluateScope } from '../../src/scoping/evaluate-scope.js';

describe('scoping operators (spec §4.2)', () => {
  it.each([
    ['EQUALS', 'Sales', 'Sales', true],
    ['EQUALS', 'sales', 'Sales', false],
    ['NOT EQUALS', 'HR', 'Sales', true],
    ['IS TRUE', 'True', undefined, true],
    ['IS FALSE', 'True', undefined, false],
    ['REGEX MATCH', 'ann@contoso.com', '.*@contoso\\.com', true],
    ['REGEX MATCH', 'ann@Contoso.com', '.*@contoso\\.com', false],
    ['NOT REGEX MATCH', 'ann@fabrikam.com', '.*@contoso\\.com', true],
    ['Greater_Than', '10', '9', true],
    ['Greater_Than', '10.5', '9', false],
    ['Greater_Than_OR_EQUALS', '9', '9', true],
    ['Includes', 'Sales EMEA', 'EMEA', true],
    ['Includes', 'Sales EMEA', 'emea', false],
    ['ENDS_WITH', 'ann@contoso.com', '@contoso.com', true],
    ['&', '6', '2', true],
    ['!&', '4', '2', true],
  ] as const)('%s %j %j → %s', (op, value, operand, expected) => {
    expect(evaluateClause(op, value, operand)).toBe(expected);
  });

  it('every operator but the NULL tests is false on an empty value', () => {
    for (const op of ['EQUALS', 'NOT EQUALS', 'NOT REGEX MATCH', 'Includes', 'IS FALSE'] as const) {
      expect(evaluateClause(op, null, 'x')).toBe(false);
      expect(evaluateClause(op, '', 'x')).toBe(false);
    }
    expect(evaluateClause('IS NULL', null, undefined)).toBe(true);
    expect(evaluateClause('IS NOT NULL', '', undefined)).toBe(false);
  });

  it('ANDs clauses within a group and ORs groups', () => {
    const pos = { line: 1, column: 1 };
    const groups = [
      [
        { attribute: 'department', operator: 'EQUALS' as const, value: 'Sales', position: pos },
        { attribute: 'userType', operator: 'NOT EQUALS' as const, value: 'Guest', position: pos },
      ],
      [{ attribute: 'jobTitle', operator: 'EQUALS' as const, value: 'CEO', position: pos }],
    ];
    expect(evaluateScope(groups, { department: 'Sales', userType: 'Member' }).inScope).toBe(true);
    expect(evaluateScope(groups, { department: 'Sales', userType: 'Guest' }).inScope).toBe(false);
    expect(evaluateScope(groups, { department: 'HR', jobTitle: 'CEO' }).inScope).toBe(true);
    expect(evaluateScope([], {}).inScope).toBe(true);
  });
});

describe('REGEX MATCH uses .NET regular expressions', () => {
  it('matches .NET-only syntax (\\A, \\Z, named groups with quotes)', () => {
    expect(evaluateClause('REGEX MATCH', 'ann@contoso.com', "\\A(?'alias'[a-z]+)@contoso\\.com\\Z")).toBe(true);
    expect(evaluateClause('REGEX MATCH', 'x-ann@contoso.com', '\\Aann')).toBe(false);
  });
  it('a pattern .NET-only constructs JS cannot run never matches, and is reported at compile time', async () => {
    const { scopingRegexError } = await import('../../src/scoping/operators.js');
    expect(scopingRegexError('(?>a+)b')).toMatch(/atomic/i);
    expect(scopingRegexError('.*@contoso\\.com')).toBeNull();
    expect(evaluateClause('REGEX MATCH', 'aab', '(?>a+)b')).toBe(false);
    expect(evaluateClause('NOT REGEX MATCH', 'aab', '(?>a+)b')).toBe(false);
  });
});
