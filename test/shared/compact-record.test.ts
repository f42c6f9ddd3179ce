import { describe, expect, it } from 'vitest';
import { compactCopy, compactRecord } from '../../src/shared/compact-record.js';

describe('compactRecord', () => {
  it('builds the record in key order from the first `length` keys, for repeated and new key lists alike', () => {
    const a = compactRecord(['b', 'a', 'c'], [1, 2, 3]);
    expect(Object.entries(a)).toEqual([
      ['b', 1],
      ['a', 2],
      ['c', 3],
    ]);
    expect(compactRecord(['b', 'a', 'c'], [4, 5, 6])).toEqual({ b: 4, a: 5, c: 6 });
    expect(compactRecord(['b', 'a', 'c', 'stale'], [7, 8, 9, 0], 3)).toEqual({ b: 7, a: 8, c: 9 });
    expect(compactRecord(['b', 'a'], [1, 2])).toEqual({ b: 1, a: 2 });
    expect(compactRecord([], [])).toEqual({});
  });

  it('keeps any key inert: quotes, backslashes, line breaks, and __proto__ as an own property', () => {
    const keys = ['x"y', 'a\\b', 'line\nbreak', '}; throw 1; ({', '__proto__'];
    const r = compactRecord(keys, [1, 2, 3, 4, 5]);
    expect(Object.keys(r)).toEqual(keys);
    expect(Object.getPrototypeOf(r)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(r, '__proto__')?.value).toBe(5);
  });

  it('still builds records past the number of kept shapes', () => {
    for (let i = 0; i < 1500; i++) expect(compactRecord([`k${i}`, 'v'], [i, 'x'])).toEqual({ [`k${i}`]: i, v: 'x' });
  });

  it('copies a record', () => {
    expect(compactCopy({ z: [1], y: null })).toEqual({ z: [1], y: null });
  });
});
