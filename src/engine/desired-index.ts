/**
 * A cycle's desired objects by source id, for every whole-tenant question of the cycle. No I/O.
 *
 * Why not a `Map<string, DesiredObject>`: a Map keeps a table of three slots per entry at a capacity of the
 * next power of two, so 1.1 million objects (a million users and a hundred thousand groups) took 56 MB, held
 * to the cycle's end. Here one open-addressing table holds each object's position (4 bytes a slot, at most
 * two thirds full), and a lookup compares the id with the one the object at that position holds: 8 MB for
 * the same objects.
 *
 * Contract: an id given twice is found at its last place, as a Map's `set` would keep it. The objects are
 * not copied: the array must not change. (The index does not read positions; the cycle's users of it,
 * `DesiredIdSet` and `LinkedTargets`, rely on `objects[i].position === i`, which `runCycle` checks.)
 */
import { hashOf } from './text-hash.js';

/** What the cycle asks of its desired objects by id (a `ReadonlyMap` answers it too). */
export interface DesiredLookup<T> {
  /** How many distinct ids. */
  readonly size: number;
  get(id: string): T | undefined;
  has(id: string): boolean;
}

export class DesiredIndex<T extends { readonly id: string }> implements DesiredLookup<T> {
  readonly #objects: readonly T[];
  /** Position + 1 of the object whose id hashes here (0: empty). */
  readonly #slots: Int32Array;
  readonly #mask: number;
  #size = 0;

  constructor(objects: readonly T[]) {
    this.#objects = objects;
    let slots = 16;
    while (slots * 2 < objects.length * 3) slots *= 2;
    this.#slots = new Int32Array(slots);
    this.#mask = slots - 1;
    for (let i = 0; i < objects.length; i++) {
      const slot = this.#find(objects[i]!.id);
      if (this.#slots[slot] === 0) this.#size++;
      this.#slots[slot] = i + 1;
    }
  }

  get size(): number {
    return this.#size;
  }

  get(id: string): T | undefined {
    const at = this.#slots[this.#find(id)]!;
    return at === 0 ? undefined : this.#objects[at - 1];
  }

  has(id: string): boolean {
    return this.#slots[this.#find(id)] !== 0;
  }

  /** The slot holding `id`'s object, or the empty slot where it would go (the table is never full). */
  #find(id: string): number {
    const slots = this.#slots;
    const mask = this.#mask;
    for (let slot = hashOf(id) & mask; ; slot = (slot + 1) & mask) {
      const at = slots[slot]!;
      if (at === 0 || this.#objects[at - 1]!.id === id) return slot;
    }
  }
}
