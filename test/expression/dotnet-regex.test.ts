/**
 * The .NET → JS regex translation (src/expression/runtime/dotnet-regex.ts) on its own, and through scoping's
 * REGEX MATCH, which uses the same translation. Replace's behaviour is in cases/regex-unicode.json.
 */
import { describe, expect, it } from 'vitest';
import { allMatches, compileDotNetRegex, type DotNetRegex } from '../../src/expression/runtime/dotnet-regex.js';
import { evaluateClause, scopingRegexError } from '../../src/scoping/operators.js';

function compiled(pattern: string): DotNetRegex {
  const re = compileDotNetRegex(pattern);
  if ('error' in re) throw new Error(`${pattern}: ${re.error}`);
  return re;
}
const matches = (pattern: string, input: string): string[] => allMatches(compiled(pattern), input).map((m) => m[0]);
const errorOf = (pattern: string): string | null => {
  const re = compileDotNetRegex(pattern);
  return 'error' in re ? re.error : null;
};

describe('.NET shorthand classes are Unicode-aware', () => {
  it('\\w, \\d and \\s outside a class', () => {
    expect(matches('\\w+', 'Zoë Ångström')).toEqual(['Zoë', 'Ångström']);
    expect(matches('\\d', 'a٣b7')).toEqual(['٣', '7']);
    // NO-BREAK SPACE, EM SPACE, NEXT LINE are white space in .NET; U+FEFF is not.
    expect(matches('\\s', 'a\u00a0b\u2003c\u0085d\ufeffe')).toEqual(['\u00a0', '\u2003', '\u0085']);
  });

  it('the negations do not match non-ASCII letters or digits', () => {
    expect(matches('\\W', 'é')).toEqual([]);
    expect(matches('[^\\w]', 'é')).toEqual([]);
    expect(matches('\\D', '٣')).toEqual([]);
    expect(matches('\\S', '\u0085')).toEqual([]);
  });

  it('inside classes, with other members', () => {
    expect(matches('[\\w.-]+@', 'jöns.ölund@contoso.com')).toEqual(['jöns.ölund@']);
    expect(matches('[\\W_]+', 'é_ ü')).toEqual(['_ ']);
    expect(matches('[^\\d]+', '٣٤x٥')).toEqual(['x']);
    expect(matches('[\\s,]+', 'a,\u2003b')).toEqual([',\u2003']);
  });

  it('\\b and \\B treat Ö as a word character', () => {
    expect(matches('\\bÖ\\w*', 'Öl Kölsch')).toEqual(['Öl']);
    expect(matches('\\w*Ö\\b', 'BJÖ XÖ.')).toEqual(['BJÖ', 'XÖ']);
    expect(matches('\\Bö', 'Björn östlund')).toEqual(['ö']);
    expect(allMatches(compiled('\\bö'), 'Björn östlund').map((m) => m.index)).toEqual([6]);
  });

  it('a supplementary character is not a word character or a digit, as its surrogates are not in .NET', () => {
    expect(matches('\\w+', '𠮷田')).toEqual(['田']);
    expect(matches('\\W', '𠮷a')).toEqual(['𠮷']);
    expect(matches('\\d', '𝟘')).toEqual([]); // MATHEMATICAL DOUBLE-STRUCK DIGIT ZERO, Nd but outside the BMP
    expect(matches('\\p{L}+', '𠮷田')).toEqual(['田']);
  });

  it('every pattern runs in Unicode-sets mode, so (?i) folds non-ASCII case too', () => {
    expect(compiled('abc').regex.flags).toContain('v');
    expect(matches('(?i)\\bångström\\b', 'Anders ÅNGSTRÖM')).toEqual(['ÅNGSTRÖM']);
    expect(matches('(?i)k', '\u212a')).toEqual(['\u212a']); // KELVIN SIGN, whose .NET ToLower() is k
  });

  it('empty matches step over a surrogate pair whole (a Unicode-mode search cannot start inside one)', () => {
    expect(allMatches(compiled('x*'), 'a😀b').map((m) => m.index)).toEqual([0, 1, 3, 4]);
  });
});

describe('syntax JS rejects in Unicode mode keeps its .NET meaning', () => {
  it.each([
    ['\\w\\-\\w', 'ë-x', ['ë-x']],
    ['[\\w\\-]+', 'ë-x y', ['ë-x', 'y']],
    ['\\w{', 'ë{', ['ë{']],
    ['\\d{,2}', '٣{,2}', ['٣{,2}']],
    ['\\w]', 'ë]', ['ë]']],
    ['\\w}', 'ë}', ['ë}']],
    ['[]\\w]+', ']ë]', [']ë]']],
    ['[[\\w]+', '[ë', ['[ë']],
    ['[\\w&&]+', 'ë&&', ['ë&&']],
    ['[\\d-z]+', '٣-z', ['٣-z']],
    ["\\w\\#\\ \\'\\,", "ë# ',", ["ë# ',"]],
    ['\\A?\\w+', 'ë', ['ë']],
    ['(?=\\d)?\\w+', 'ë', ['ë']],
  ] as const)('%s on %j', (pattern, input, expected) => {
    expect(matches(pattern, input)).toEqual(expected);
  });
});

describe('refusals, with .NET-shaped messages', () => {
  it.each([
    ['\\_', /unrecognized escape sequence \\_/],
    ['[\\_]', /unrecognized escape sequence \\_/],
    ['\\q', /unrecognized escape sequence \\q/],
    ['\\p{IsGreek}', /Unicode block \\p\{IsGreek\} is not supported/],
    ['\\p{Letter}', /unknown Unicode category \\p\{Letter\}/],
    ['[a-\\d]', /range cannot end in \\d/],
    ['[z-a]', /reverse order/],
    ['\\x4', /exactly 2 hex digits/],
    ['\\k', /malformed \\k<name>/],
    ['(a)\\2', /undefined group number 2/],
  ])('%s', (pattern, message) => {
    expect(errorOf(pattern)).toMatch(message);
  });

  it("the engine's own message does not show the translated pattern", () => {
    expect(errorOf('(unclosed')).toBe('Unterminated group');
  });
});

describe('scoping REGEX MATCH uses the same translation', () => {
  it('matches non-ASCII values as .NET does', () => {
    expect(evaluateClause('REGEX MATCH', 'Zoë Ångström', '^\\w+ \\w+$')).toBe(true);
    expect(evaluateClause('REGEX MATCH', 'José', '\\W')).toBe(false);
    expect(evaluateClause('NOT REGEX MATCH', 'José', '\\W')).toBe(true);
    expect(evaluateClause('REGEX MATCH', 'Büro ٣', '^\\w+\\s\\d$')).toBe(true);
  });

  it('reports a pattern .NET refuses', () => {
    expect(scopingRegexError('dept\\_a')).toMatch(/unrecognized escape sequence/);
  });
});
