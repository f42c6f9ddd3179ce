/**
 * GuidIndex (`json/guid-index.ts`): positions by GUID, without regard to case, as a Map of the lower-cased
 * GUIDs would give them; any text that is not an 8-4-4-4-12 GUID is absent, never an error.
 */
import { describe, expect, it } from 'vitest';
import { GuidIndex } from '../../src/source/json/guid-index.js';
import { seededRandom } from '../../src/shared/random.js';
import { isGuid } from '../../src/source/guid.js';

const A = '0c1f4e5a-9b2d-4c3e-8f7a-1b2c3d4e5f60';
const B = 'ffffffff-ffff-4fff-bfff-ffffffffffff';

describe('GuidIndex', () => {
  it('finds what was added, in any case, and nothing else', () => {
    const index = new GuidIndex();
    expect(index.add(A, 0)).toBe(true);
    expect(index.add(B, 7)).toBe(true);
    expect(index.get(A)).toBe(0);
    expect(index.get(A.toUpperCase())).toBe(0);
    expect(index.get(B)).toBe(7);
    expect(index.get('00000000-0000-0000-0000-000000000000')).toBe(-1);
    expect(index.size).toBe(2);
  });

  it('answers -1 for text that is not a GUID, however close', () => {
    const index = new GuidIndex();
    index.add(A, 1);
    for (const text of [
      '',
      'ada@contoso.com',
      `{${A}}`,
      A.slice(1),
      `${A}0`,
      A.replace(/-/g, '_'),
      A.replace('0c1f4e5a-', '0c1f4e5a9'),
      A.replace('c', 'g'),
      // Full-width digits and letters: not the ASCII hex digits they look like.
      A.replace('0', '\uff10'),
      A.replace('a', '\uff41'),
      // The Kelvin sign lower-cases to an ASCII "k", which is no hex digit either.
      A.replace('c', '\u212a'),
    ])
      expect(index.get(text), text).toBe(-1);
  });

  it('reads every character: a non-hex one anywhere, or anything but a dash at a dash, is no GUID', () => {
    const index = new GuidIndex();
    index.add(A, 1);
    for (let i = 0; i < A.length; i++) {
      const dash = A[i] === '-';
      for (const c of dash ? ['@', '0', 'a'] : ['g', '-', '@', ' ', 'G']) {
        const text = A.slice(0, i) + c + A.slice(i + 1);
        expect(index.get(text), text).toBe(-1);
        expect(isGuid(text), text).toBe(false);
      }
    }
  });

  it('tells apart GUIDs that differ in any one digit (every digit is part of the key)', () => {
    const index = new GuidIndex();
    const variants = new Set<string>([A]);
    for (let i = 0; i < A.length; i++) if (A[i] !== '-') variants.add(A.slice(0, i) + (A[i] === 'e' ? 'd' : 'e') + A.slice(i + 1));
    expect(variants.size).toBe(33);
    let position = 0;
    for (const v of variants) expect(index.add(v, position++), v).toBe(true);
    position = 0;
    for (const v of variants) expect(index.get(v.toUpperCase()), v).toBe(position++);
  });

  it('holds patterned ids (equal words, counters in one group) as it holds random ones', () => {
    const index = new GuidIndex();
    const hex8 = (n: number): string => n.toString(16).padStart(8, '0');
    const ids: string[] = [];
    for (let i = 0; i < 3_000; i++) {
      ids.push(`${hex8(i)}-0000-4000-8000-0000${hex8(i)}`);
      ids.push(`00000000-${hex8(i).slice(4)}-4001-8000-${hex8(i).slice(4)}00000000`);
      ids.push(`00000000-0000-4002-8000-${hex8(i).padStart(12, '0')}`);
    }
    ids.forEach((id, i) => expect(index.add(id, i), id).toBe(true));
    ids.forEach((id, i) => expect(index.get(id), id).toBe(i));
  });

  it('keeps the first position of a GUID added twice, in either case', () => {
    const index = new GuidIndex();
    expect(index.add(A, 3)).toBe(true);
    expect(index.add(A.toUpperCase(), 4)).toBe(false);
    expect(index.get(A)).toBe(3);
    expect(index.size).toBe(1);
  });

  it('refuses to add what is not a GUID, or a position out of range', () => {
    const index = new GuidIndex();
    expect(() => index.add('ada@contoso.com', 0)).toThrow(/GUID/);
    expect(() => index.add(A, -1)).toThrow(/position/);
    expect(() => index.add(A, 2 ** 31)).toThrow(/position/);
    expect(() => index.add(A, 1.5)).toThrow(/position/);
    expect(index.size).toBe(0);
  });

  it('agrees with a Map of the lower-cased GUIDs, growing well past the size it was given', () => {
    const random = seededRandom(16);
    const int = (n: number): number => Math.floor(random.next() * n);
    // Mixed case, as a tenant's references may be written.
    const guid = (): string => (int(2) === 0 ? random.uuid() : random.uuid().toUpperCase());
    const index = new GuidIndex(4);
    const map = new Map<string, number>();
    const added: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      // Every tenth one repeats an earlier GUID, in upper case.
      const g = i % 10 === 9 ? added[int(added.length)]!.toUpperCase() : guid();
      const fresh = !map.has(g.toLowerCase());
      expect(index.add(g, i)).toBe(fresh);
      if (fresh) {
        map.set(g.toLowerCase(), i);
        added.push(g.toLowerCase());
      }
    }
    expect(index.size).toBe(map.size);
    for (const [g, at] of map) expect(index.get(g.toUpperCase())).toBe(at);
    for (const [g, at] of map) expect(index.get(g)).toBe(at);
    for (let i = 0; i < 2_000; i++) {
      const g = guid();
      expect(index.get(g)).toBe(map.get(g.toLowerCase()) ?? -1);
    }
  });
});
