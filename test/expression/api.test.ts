import { describe, expect, it } from 'vitest';
import {
  evaluate,
  parseExpression,
  printExpression,
  referencedAttributes,
  SUPPORTED_FUNCTIONS,
  UNSUPPORTED_FUNCTIONS,
  type CompiledExpression,
  type EvalContext,
} from '../../src/expression/index.js';
import { ManualClock } from '../../src/shared/clock.js';
import { seededRandom } from '../../src/shared/random.js';

const compile = (text: string): CompiledExpression => {
  const { expression, diagnostics } = parseExpression(text);
  expect(diagnostics).toEqual([]);
  return expression!;
};
const context = (attributes: EvalContext['attributes'] = {}): EvalContext => ({
  attributes,
  appRoleAssignments: [],
  clock: new ManualClock('2026-01-01T00:00:00Z'),
  random: seededRandom(1),
});

describe('public API', () => {
  it('lists every documented function but SelectUniqueValue as supported', () => {
    const documented = [
      'Append',
      'AppRoleAssignmentsComplex',
      'AssertiveAppRoleAssignmentsComplex',
      'BitAnd',
      'CBool',
      'CDate',
      'Coalesce',
      'ConvertToBase64',
      'ConvertToUTF8Hex',
      'Count',
      'CStr',
      'DateAdd',
      'DateDiff',
      'DateFromNum',
      'FormatDateTime',
      'Guid',
      'IgnoreFlowIfNullOrEmpty',
      'IIF',
      'InStr',
      'IsNull',
      'IsNullOrEmpty',
      'IsPresent',
      'IsString',
      'Item',
      'Join',
      'Left',
      'Mid',
      'NormalizeDiacritics',
      'Not',
      'Now',
      'NumFromDate',
      'PCase',
      'RandomString',
      'Redact',
      'RemoveDuplicates',
      'Replace',
      'SingleAppRoleAssignment',
      'Split',
      'StripSpaces',
      'Switch',
      'ToLower',
      'ToUpper',
      'Word',
    ];
    expect([...SUPPORTED_FUNCTIONS].sort()).toEqual([...documented].sort());
    expect(Object.keys(UNSUPPORTED_FUNCTIONS)).toEqual(['SelectUniqueValue']);
  });

  it('keeps the text and prints a canonical form', () => {
    const text = 'Switch( [IsSoftDeleted] ,, "False","True" , "True","False" )';
    const e = compile(text);
    expect(e.text).toBe(text);
    expect(printExpression(e)).toBe('Switch([IsSoftDeleted], , "False", "True", "True", "False")');
    expect(printExpression(compile('Replace([mail], "@contoso.com", , ,"", ,)'))).toBe('Replace([mail], "@contoso.com", , , "", , )');
    expect(printExpression(compile('IIF([a]>=&HF,"x\\"y","\\\\")'))).toBe('IIF([a] >= &HF, "x\\"y", "\\\\")');
  });

  it('lists referenced attributes once, in order', () => {
    expect(referencedAttributes(compile('Join(" ", [givenName], [surname], Left([givenName], 1))'))).toEqual(['givenName', 'surname']);
    expect(referencedAttributes(compile('AppRoleAssignmentsComplex([appRoleAssignments])'))).toEqual(['appRoleAssignments']);
    expect(referencedAttributes(compile('Guid()'))).toEqual([]);
  });

  it('evaluates a compiled expression many times against different data', () => {
    const e = compile('Join(" ", [givenName], [surname])');
    expect(evaluate(e, context({ givenName: 'Ann', surname: 'Lee' }))).toEqual({
      ok: true,
      value: 'Ann Lee',
      redacted: false,
      ignoreFlow: false,
    });
    expect(evaluate(e, context({ givenName: 'Bo' }))).toEqual({ ok: true, value: 'Bo', redacted: false, ignoreFlow: false });
  });

  it('reports a failing call with its span, without throwing', () => {
    const text = 'Join("-", [a], Mid([b], "x", 1))';
    const result = evaluate(compile(text), context({ a: '1', b: '2' }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('EXPR_EVAL_NOT_A_NUMBER');
    expect(text.slice(result.error.offset, result.error.offset + result.error.length)).toBe('Mid([b], "x", 1)');
  });

  it('turns an exception inside a function into EXPR_EVAL_INTERNAL', () => {
    const exploding: EvalContext = {
      ...context(),
      random: {
        uuid: () => {
          throw new Error('boom');
        },
        next: () => 0,
      },
    };
    const result = evaluate(compile('Guid()'), exploding);
    expect(result).toMatchObject({ ok: false, error: { code: 'EXPR_EVAL_INTERNAL', message: expect.stringContaining('boom') } });
  });

  it('uses the injected clock for Now()', () => {
    const clock = new ManualClock('2024-02-29T23:59:59Z');
    const e = compile('Now()');
    expect(evaluate(e, { ...context(), clock })).toMatchObject({ value: '2/29/2024 11:59:59 PM' });
    clock.advance(1000);
    expect(evaluate(e, { ...context(), clock })).toMatchObject({ value: '3/1/2024 12:00:00 AM' });
  });

  it('reads defensive inputs: numbers and booleans in attributes become strings', () => {
    const attributes = { n: 5, b: true } as unknown as EvalContext['attributes'];
    expect(evaluate(compile('Join(",", [n], [b])'), context(attributes))).toMatchObject({ value: '5,True' });
  });

  it('freezes the compiled expression', () => {
    expect(Object.isFrozen(compile('[a]'))).toBe(true);
  });
});
