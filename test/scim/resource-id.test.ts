/** The rule for server-given ids in URLs (src/scim/resource-id.ts). */
import { describe, expect, it } from 'vitest';
import { describeValue, idSegment, MAX_ID_LENGTH, rewrittenPathReason, unusableIdReason } from '../../src/scim/resource-id.js';

describe('unusableIdReason', () => {
  it.each([
    ['a GUID', '2819c223-7f76-453a-919d-413861904646'],
    ['a number as a string', '42'],
    ['dots that are not a dot segment', '...'],
    ['a leading dot', '.hidden'],
    ['inner whitespace', 'a b'],
    ['non-ASCII letters', 'Zoë-ünïcödé-名前'],
    ['an astral character (a surrogate pair)', 'user-😀'],
    ['a bare percent sign', '50%off'],
    ['characters encodeURIComponent escapes', 'a?b#c&d=e;f'],
    ['the longest accepted', 'x'.repeat(MAX_ID_LENGTH)],
  ])('accepts %s', (_what, id) => {
    expect(unusableIdReason(id)).toBeNull();
    // Accepted ids stay one segment that the URL parser leaves alone.
    const url = new URL(`http://h/scim/v2/Users/${idSegment(id)}`);
    expect(url.pathname).toBe(`/scim/v2/Users/${idSegment(id)}`);
    expect(decodeURIComponent(url.pathname.split('/')[4]!)).toBe(id);
  });

  it.each([
    ['""', '', /empty/],
    ['"."', '.', /dot segments/],
    ['".."', '..', /dot segments/],
    ['a slash', '../Groups/g1', /path separator/],
    ['a backslash', '..\\x', /path separator/],
    ['a percent-escaped dot', '%2e%2e', /percent-escape/],
    ['a percent-escaped slash', 'a%2Fb', /percent-escape/],
    ['a newline', 'a\nb', /control character/],
    ['an escape sequence', '\u001b[31mred', /control character/],
    ['a C1 control', 'a\u0085b', /control character/],
    ['DEL', 'a\u007f', /control character/],
    ['an unpaired high surrogate', 'a\uD800b', /unpaired surrogate/],
    ['an unpaired low surrogate', '\uDC00', /unpaired surrogate/],
    ['leading whitespace', ' x', /whitespace/],
    ['trailing whitespace', 'x\t', /control character|whitespace/],
    ['a no-break space at the end', 'x\u00a0', /whitespace/],
    ['only spaces', '   ', /whitespace/],
    ['one character too long', 'x'.repeat(MAX_ID_LENGTH + 1), /1025 characters long/],
  ])('refuses %s', (_what, id, reason) => {
    expect(unusableIdReason(id)).toMatch(reason);
  });

  it.each([
    [undefined, /missing/],
    [null, /null/],
    [42, /a number \(42\)/],
    [{ value: 'x' }, /an object/],
    [['x'], /an array/],
    [true, /a boolean/],
  ])('refuses a non-string id (%s)', (id, reason) => {
    expect(unusableIdReason(id)).toMatch(/must be a string/);
    expect(unusableIdReason(id)).toMatch(reason);
  });
});

describe('describeValue', () => {
  it('quotes, escapes what could drive a terminal or reorder text, and shortens long values', () => {
    expect(describeValue('..')).toBe('".."');
    expect(describeValue('a\u001b[2Jb')).toBe('"a\\u001b[2Jb"');
    expect(describeValue('a\u009bb\u202ec')).toBe('"a\\u009bb\\u202ec"');
    const long = describeValue('y'.repeat(5000));
    expect(long).toMatch(/^"y{48}"… \(5000 characters\)$/);
    expect(describeValue(42)).toBe('42');
  });
});

describe('rewrittenPathReason', () => {
  it('finds what the URL parser would resolve away, and nothing else', () => {
    expect(rewrittenPathReason('http://h/scim/v2/Users/abc?x=..')).toBeNull();
    expect(rewrittenPathReason('http://h/scim/v2/Users/%252e')).toBeNull();
    expect(rewrittenPathReason('http://h/scim/v2/Users/..')).toMatch(/dot segment "\.\."/);
    expect(rewrittenPathReason('http://h/scim/v2/Users/.')).toMatch(/dot segment/);
    expect(rewrittenPathReason('http://h/scim/v2/Groups/%2E%2e?excludedAttributes=members')).toMatch(/dot segment/);
    expect(rewrittenPathReason('http://h/scim/v2/Users/a\\b')).toMatch(/backslash/);
    // What each flagged URL would really address:
    expect(new URL('http://h/scim/v2/Groups/%2E%2e').pathname).toBe('/scim/v2/');
  });
});
