/**
 * Sets of code points as sorted, disjoint, non-adjacent inclusive ranges `[lo0, hi0, lo1, hi1, …]`: the one
 * representation of a character class that both regex engines behind `dotnet-regex.ts` read (the linear engine
 * gets them written out as ranges, the backtracking one searches them). Unicode properties come from the JS
 * engine's own tables (the same data the `v`-mode translation uses), so the engines agree on every character.
 *
 * Invariant: every set returned here is normalised (sorted, merged); callers never build one by hand.
 */

export type CharSet = readonly number[];

export const MAX_CODE_POINT = 0x10ffff;
export const EMPTY_SET: CharSet = Object.freeze([]);
export const ALL_CHARACTERS: CharSet = Object.freeze([0, MAX_CODE_POINT]);
/** The Basic Multilingual Plane: what .NET's UTF-16 categories can hold (a supplementary character is two Cs units there). */
export const BMP: CharSet = Object.freeze([0, 0xffff]);
export const ASTRAL: CharSet = Object.freeze([0x10000, MAX_CODE_POINT]);

/** A set from inclusive ranges in any order, overlapping or not. */
export function charSetOf(ranges: ReadonlyArray<readonly [number, number]>): CharSet {
  const sorted = ranges.filter(([lo, hi]) => lo <= hi).sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  for (const [lo, hi] of sorted) {
    const last = out.length - 1;
    if (last > 0 && lo <= out[last]! + 1) out[last] = Math.max(out[last]!, hi);
    else out.push(lo, hi);
  }
  return out;
}

export const singleton = (cp: number): CharSet => [cp, cp];

export function union(...sets: CharSet[]): CharSet {
  const ranges: Array<[number, number]> = [];
  for (const s of sets) for (let i = 0; i < s.length; i += 2) ranges.push([s[i]!, s[i + 1]!]);
  return charSetOf(ranges);
}

export function complement(set: CharSet): CharSet {
  const out: number[] = [];
  let next = 0;
  for (let i = 0; i < set.length; i += 2) {
    if (set[i]! > next) out.push(next, set[i]! - 1);
    next = set[i + 1]! + 1;
  }
  if (next <= MAX_CODE_POINT) out.push(next, MAX_CODE_POINT);
  return out;
}

export function intersect(a: CharSet, b: CharSet): CharSet {
  return complement(union(complement(a), complement(b)));
}

export function contains(set: CharSet, cp: number): boolean {
  let lo = 0;
  let hi = set.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cp < set[mid * 2]!) hi = mid - 1;
    else if (cp > set[mid * 2 + 1]!) lo = mid + 1;
    else return true;
  }
  return false;
}

const propertyCache = new Map<string, CharSet>();

/**
 * The BMP members of a Unicode general category (`L`, `Lu`, `Nd`, `Cs`…), read from the JS engine's tables by
 * testing every BMP unit once (about 3 ms per category, cached for the process).
 */
export function bmpCategory(name: string): CharSet {
  const hit = propertyCache.get(name);
  if (hit) return hit;
  const test = new RegExp(`^\\p{${name}}$`, 'v');
  const ranges: Array<[number, number]> = [];
  let start = -1;
  for (let cp = 0; cp <= 0x10000; cp++) {
    const member = cp <= 0xffff && test.test(String.fromCharCode(cp));
    if (member && start < 0) start = cp;
    else if (!member && start >= 0) {
      ranges.push([start, cp - 1]);
      start = -1;
    }
  }
  const set = charSetOf(ranges);
  propertyCache.set(name, set);
  return set;
}

/** One code point as RE2 syntax. */
const re2CodePoint = (cp: number): string => `\\x{${cp.toString(16)}}`;

/**
 * The set, or its complement when `negate`, as an RE2 character class (`[\x{41}-\x{5a}…]`, `[^…]`); the empty
 * set as a class that matches nothing. RE2 has no set operations, so every range is written out.
 */
export function toRe2Class(set: CharSet, negate = false): string {
  const all = `[\\x{0}-\\x{${MAX_CODE_POINT.toString(16)}}]`;
  if (set.length === 0) return negate ? all : `[^${all.slice(1)}`;
  if (set.length === 2 && set[0] === set[1] && !negate) return re2CodePoint(set[0]!);
  let out = negate ? '[^' : '[';
  for (let i = 0; i < set.length; i += 2) {
    out += re2CodePoint(set[i]!);
    if (set[i + 1] !== set[i]) out += `-${re2CodePoint(set[i + 1]!)}`;
  }
  return `${out}]`;
}
