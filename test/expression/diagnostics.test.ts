import { describe, expect, it } from 'vitest';
import { MAX_EXPRESSION_LENGTH, parseExpression, type ExprDiagnostic } from '../../src/expression/index.js';

const diagnose = (text: string, knownAttributes?: string[]): ExprDiagnostic[] => {
  const { expression, diagnostics } = parseExpression(text, knownAttributes ? { knownAttributes } : {});
  expect(expression).toBeNull();
  return diagnostics;
};
const at = (text: string, d: ExprDiagnostic | undefined): string => text.slice(d!.offset, d!.offset + d!.length);

describe('parse diagnostics', () => {
  it('points an unknown function at its name and suggests the right spelling', () => {
    const text = 'Join(" ", join(" ", [a]))';
    const [d] = diagnose(text);
    expect(d).toMatchObject({ code: 'EXPR_UNKNOWN_FUNCTION', hint: 'did you mean `Join`? Function names are case-sensitive' });
    expect(at(text, d)).toBe('join');
  });

  it('suggests by edit distance too', () => {
    expect(diagnose('Coalese([a], [b])')[0]).toMatchObject({ hint: 'did you mean `Coalesce`?' });
    expect(diagnose('NormaliseDiacritics([a])')[0]?.hint).toBe('did you mean `NormalizeDiacritics`?');
    expect(diagnose('Frobnicate([a])')[0]?.hint).toMatch(/case-sensitive/);
  });

  it('suggests a known attribute', () => {
    const text = 'Join(" ", [givenName], [surName])';
    const [d] = diagnose(text, ['givenName', 'surname']);
    expect(d).toMatchObject({
      code: 'EXPR_UNKNOWN_ATTRIBUTE',
      message: 'unknown source attribute [surName]',
      hint: 'did you mean [surname]? Attribute names are case-sensitive',
    });
    expect(at(text, d)).toBe('[surName]');
  });

  it('points a missing ) at the ( it should close', () => {
    const text = 'Join(" ", ToLower([a])';
    const [d] = diagnose(text);
    expect(d).toMatchObject({ code: 'EXPR_MISSING_PAREN', message: 'missing `)` to close `Join(`' });
    expect(d?.offset).toBe(4);
  });

  it('gives the signature with a wrong arity', () => {
    const [d] = diagnose('Mid([a], 1)');
    expect(d).toMatchObject({ code: 'EXPR_WRONG_ARITY', message: 'Mid takes 3 arguments, got 2', hint: 'Mid(source, start, length)' });
  });

  it('describes open-ended and ranged arities', () => {
    expect(diagnose('Join(" ")')[0]?.message).toBe('Join takes at least 2 arguments, got 1');
    expect(diagnose('InStr("a")')[0]?.message).toBe('InStr takes 2 to 4 arguments, got 1');
    expect(diagnose('InStr("a")')[0]?.hint).toBe('InStr(value1, value2, [start], [compareType])');
  });

  it('points a missing required argument at the empty position', () => {
    const text = 'Mid([a], , 3)';
    const [d] = diagnose(text);
    expect(d).toMatchObject({ code: 'EXPR_MISSING_ARGUMENT', message: 'Mid: start is required', offset: 9, length: 0 });
  });

  it('explains SelectUniqueValue', () => {
    const [d] = diagnose('SelectUniqueValue([a], [b])');
    expect(d?.code).toBe('EXPR_UNSUPPORTED_FUNCTION');
    expect(d?.message).toMatch(/Workday.*SuccessFactors.*SCIM/);
  });

  it('hints at brackets for a bare attribute name', () => {
    expect(diagnose('Join(" ", givenName)')[0]).toMatchObject({
      code: 'EXPR_UNKNOWN_IDENTIFIER',
      hint: 'attribute references need brackets: [givenName]; string constants need quotes: "givenName"',
    });
  });

  it('hints at nesting IIF for AND/OR', () => {
    expect(diagnose('IIF([a] = "x" AND [b] = "y", "1", "0")')[0]?.hint).toMatch(/nest IIF/);
  });

  it('hints at Item for indexing', () => {
    expect(diagnose('Split([mail], "@")[1]')[0]?.hint).toBe('use Item(…, 2) instead (Item is 1-based)');
  });

  it('hints at a missing comma', () => {
    expect(diagnose('Join(" " [a])')[0]).toMatchObject({ code: 'EXPR_SYNTAX', hint: 'missing `,` between arguments?' });
  });

  it('collects several errors in text order', () => {
    const d = diagnose('Jion(Mid([a]), [b]) ');
    expect(d.map((x) => x.code)).toEqual(['EXPR_UNKNOWN_FUNCTION', 'EXPR_WRONG_ARITY']);
  });

  it(`refuses expressions over ${MAX_EXPRESSION_LENGTH} characters`, () => {
    const text = `Join(",", ${Array.from({ length: 2100 }, () => '"x"').join(', ')})`;
    expect(text.length).toBeGreaterThan(MAX_EXPRESSION_LENGTH);
    const d = diagnose(text);
    expect(d).toEqual([
      expect.objectContaining({ code: 'EXPR_TOO_LONG', offset: MAX_EXPRESSION_LENGTH, length: text.length - MAX_EXPRESSION_LENGTH }),
    ]);
  });

  it('accepts exactly the limit', () => {
    const filler = 'x'.repeat(MAX_EXPRESSION_LENGTH - 2);
    expect(parseExpression(`"${filler}"`).diagnostics).toEqual([]);
  });

  it('validates regex literals in Replace at parse time', () => {
    const text = 'Replace([s], , "(?<a>x", , "y", , )';
    const [d] = diagnose(text);
    expect(d?.code).toBe('EXPR_BAD_REGEX');
    expect(at(text, d)).toBe('"(?<a>x"');
  });

  it('names the groups when regexGroupName is wrong', () => {
    expect(diagnose('Replace([s], , "(?<first>a)(?<second>b)", "third", "x", , )')[0]?.hint).toBe(
      'its named groups are: first, second (names are case-sensitive)',
    );
  });

  it('never throws, whatever the text', () => {
    const pieces = ['Join', 'IIF', '(', ')', ',', '"', '[', ']', '=', '<>', '&H', '-', '1', 'x', ' ', '\\', '\n', 'vbTextCompare', "'"];
    let seed = 7;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let i = 0; i < 2000; i++) {
      const text = Array.from({ length: rnd(14) }, () => pieces[rnd(pieces.length)]).join('');
      const result = parseExpression(text);
      expect(result.expression === null).toBe(result.diagnostics.length > 0);
      for (const d of result.diagnostics) {
        expect(d.offset).toBeGreaterThanOrEqual(0);
        expect(d.offset + d.length).toBeLessThanOrEqual(text.length);
      }
    }
  });
});
