/**
 * Sets of source ids. `IdSet` is read only through `has`: often a view over collections the cycle already
 * keeps (the desired objects by id, the target ids), so that a whole-tenant set is not built again for each
 * question. `DesiredIdSet` is a cycle's own whole-tenant set (the objects of later batches, those that will
 * exist, those worked on), kept small.
 */
import type { DesiredLookup } from './desired-index.js';

export interface IdSet {
  has(id: string): boolean;
}

/** The ids of `objects`, as a set of their own (for callers that have no view to pass). */
export function idsOf(objects: Iterable<{ id: string }>): IdSet {
  const ids = new Set<string>();
  for (const o of objects) ids.add(o.id);
  return ids;
}

/**
 * A set of source ids with one bit per desired object, found by its `position` through the cycle's map of
 * desired objects by id, and a Set for any other id (a linked object gone from Entra). A cycle of a million
 * objects keeps several such sets to its end: as Sets of their id strings they took about 32 bytes an id
 * each; as bits, an eighth of a byte.
 *
 * Contract: the positions of the objects in `desired` are distinct (they come from one `evaluateSource`).
 */
export class DesiredIdSet implements IdSet {
  readonly #desired: DesiredLookup<{ readonly position: number }>;
  #bits: Uint8Array;
  readonly #others = new Set<string>();
  #size = 0;

  constructor(desired: DesiredLookup<{ readonly position: number }>, ids: Iterable<string> = []) {
    this.#desired = desired;
    this.#bits = new Uint8Array((desired.size >> 3) + 1);
    for (const id of ids) this.add(id);
  }

  /** How many ids the set holds. */
  get size(): number {
    return this.#size;
  }

  has(id: string): boolean {
    const at = this.#desired.get(id)?.position;
    if (at === undefined) return this.#others.has(id);
    return at >> 3 < this.#bits.length && (this.#bits[at >> 3]! & (1 << (at & 7))) !== 0;
  }

  add(id: string): this {
    const at = this.#desired.get(id)?.position;
    if (at === undefined) {
      if (!this.#others.has(id)) (this.#others.add(id), this.#size++);
      return this;
    }
    if (at >> 3 >= this.#bits.length) {
      const grown = new Uint8Array(Math.max(this.#bits.length * 2, (at >> 3) + 1));
      grown.set(this.#bits);
      this.#bits = grown;
    }
    const bit = 1 << (at & 7);
    if ((this.#bits[at >> 3]! & bit) === 0) {
      this.#bits[at >> 3]! |= bit;
      this.#size++;
    }
    return this;
  }

  delete(id: string): boolean {
    const at = this.#desired.get(id)?.position;
    if (at === undefined) {
      const had = this.#others.delete(id);
      if (had) this.#size--;
      return had;
    }
    const bit = 1 << (at & 7);
    if (at >> 3 >= this.#bits.length || (this.#bits[at >> 3]! & bit) === 0) return false;
    this.#bits[at >> 3]! &= ~bit;
    this.#size--;
    return true;
  }
}
