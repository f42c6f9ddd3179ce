/**
 * Per-object randomness for the tenant generator: object `i` of a kind draws from its own seeded stream, so
 * any object can be produced on its own, in any order, without producing the ones before it. That is what
 * lets the fixture writer stream a million users and still look up a manager's UPN or a member's id.
 *
 * Object ids are GUIDs whose first 32 bits are a bijection of (kind, index) for a given seed, so ids never
 * collide within a tenant, whatever its size; the remaining bits come from the object's stream. The seed is
 * taken as an unsigned 32-bit integer.
 */
import { seededRandom, type Random } from '../../shared/random.js';

export type ObjectKind = 'user' | 'group' | 'role';

const KIND_CODE: Record<ObjectKind, number> = { user: 0, group: 1, role: 2 };

/** Indices must fit in 30 bits, next to the kind, for ids to stay unique. */
export const MAX_OBJECTS_PER_KIND = 2 ** 30;

/** MurmurHash3's 32-bit finaliser: a bijection on uint32 with good avalanche. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function key(seed: number, kind: ObjectKind, index: number): number {
  if (!Number.isInteger(index) || index < 0 || index >= MAX_OBJECTS_PER_KIND) throw new RangeError(`object index ${index} is out of range`);
  return (((KIND_CODE[kind] << 30) | index) ^ fmix32((seed >>> 0) ^ 0x5bd1e995)) >>> 0;
}

/** The stream of object `index` of `kind`: the same (seed, kind, index) always gives the same draws. */
export function objectStream(seed: number, kind: ObjectKind, index: number): Random {
  return seededRandom(fmix32(Math.imul(fmix32(key(seed, kind, index)), 0x9e3779b1) ^ 0x27d4eb2f));
}

const hex = (n: number, digits: number): string => n.toString(16).padStart(digits, '0');
const u32 = (r: Random): number => Math.floor(r.next() * 0x1_0000_0000) >>> 0;

/**
 * A version-4-shaped lowercase GUID for the object; the first draws of `stream`, which must be the object's
 * fresh stream (`objectStream`), so that `objectId` can recompute the id without the rest of the object.
 */
export function drawObjectId(seed: number, kind: ObjectKind, index: number, stream: Random): string {
  const head = fmix32(key(seed, kind, index));
  const a = u32(stream);
  const b = u32(stream);
  const c = u32(stream);
  const variant = (8 | ((b >>> 28) & 3)).toString(16);
  return `${hex(head, 8)}-${hex(a >>> 16, 4)}-4${hex(a & 0xfff, 3)}-${variant}${hex(b & 0xfff, 3)}-${hex((b >>> 12) & 0xffff, 4)}${hex(c, 8)}`;
}

/** The id of object `index` of `kind`, without producing the object. */
export function objectId(seed: number, kind: ObjectKind, index: number): string {
  return drawObjectId(seed, kind, index, objectStream(seed, kind, index));
}

/** A uniformly chosen element of a non-empty list. */
export function pick<T>(r: Random, list: readonly T[]): T {
  const item = list[Math.floor(r.next() * list.length)];
  if (item === undefined) throw new RangeError('pick from an empty list');
  return item;
}

/** An integer in [0, n). */
export function below(r: Random, n: number): number {
  return Math.floor(r.next() * n);
}
