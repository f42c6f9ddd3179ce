import { describe, expect, it } from 'vitest';
import { scan } from '../../src/expression/scanner.js';

const kinds = (text: string): string[] => scan(text).tokens.map((t) => t.kind);

describe('scanner', () => {
  it('produces tokens with offsets and lengths', () => {
    const { tokens, diagnostics } = scan('Join(" ", [givenName])');
    expect(diagnostics).toEqual([]);
    expect(tokens.map((t) => [t.kind, t.offset, t.length, t.value])).toEqual([
      ['ident', 0, 4, 'Join'],
      ['lparen', 4, 1, '('],
      ['string', 5, 3, ' '],
      ['comma', 8, 1, ','],
      ['attribute', 10, 11, 'givenName'],
      ['rparen', 21, 1, ')'],
      ['eof', 22, 0, ''],
    ]);
  });

  it('resolves \\" and \\\\ and keeps other backslash pairs', () => {
    const [t] = scan(String.raw`"a\"b\\c\d"`).tokens;
    expect(t).toMatchObject({ kind: 'string', value: 'a"b\\c\\d', text: String.raw`"a\"b\\c\d"` });
  });

  it("turns Microsoft's doubled-backslash regex into the regex it means", () => {
    const [t] = scan(String.raw`"\\+(?<isdCode>\\d* )(?<phoneNumber>\\d{10})"`).tokens;
    expect(t?.value).toBe(String.raw`\+(?<isdCode>\d* )(?<phoneNumber>\d{10})`);
  });

  it('reads numbers: negative, decimal, hex, leading zeros', () => {
    const values = scan('-10 1.50 &HF7 &h0f 007')
      .tokens.filter((t) => t.kind === 'number')
      .map((t) => [t.text, t.value]);
    expect(values).toEqual([
      ['-10', '-10'],
      ['1.50', '1.50'],
      ['&HF7', '247'],
      ['&h0f', '15'],
      ['007', '7'],
    ]);
  });

  it('reads comparison operators', () => {
    expect(
      scan('= <> > >= < <=')
        .tokens.filter((t) => t.kind === 'operator')
        .map((t) => t.value),
    ).toEqual(['=', '<>', '>', '>=', '<', '<=']);
  });

  it('reports an unclosed string once, from its opening quote to the end', () => {
    const { tokens, diagnostics } = scan('Join(" ", "abc)');
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'EXPR_UNCLOSED_STRING', offset: 10, length: 5 })]);
    expect(tokens.at(-2)).toMatchObject({ kind: 'invalid', runsToEnd: true });
  });

  it('stops an unclosed attribute at a character that cannot be in a name', () => {
    const { diagnostics } = scan('Join(" ", [givenName, [surname])');
    expect(diagnostics).toEqual([
      expect.objectContaining({ code: 'EXPR_UNCLOSED_ATTRIBUTE', offset: 10, length: 10, hint: 'write it as `[givenName]`' }),
    ]);
  });

  it('groups a run of stray characters into one diagnostic', () => {
    const { diagnostics } = scan('Append([a], #$%)');
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: 'EXPR_SYNTAX', offset: 12, length: 3 });
  });

  it('explains single and typographic quotes', () => {
    expect(scan("'x'").diagnostics[0]).toMatchObject({
      code: 'EXPR_SYNTAX',
      offset: 0,
      length: 3,
      hint: expect.stringContaining('double quotes'),
    });
    expect(scan('“x”').diagnostics[0]).toMatchObject({
      code: 'EXPR_SYNTAX',
      offset: 0,
      length: 3,
      hint: expect.stringContaining('typographic'),
    });
  });

  it('skips all kinds of white space', () => {
    expect(kinds(' \t\r\n\u00a0Guid( )')).toEqual(['ident', 'lparen', 'rparen', 'eof']);
  });
});
