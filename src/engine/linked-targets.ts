/**
 * Every link's target id by source id, as a cycle keeps it current: read from the store once the desired
 * objects are known, then set and deleted as the cycle links and unlinks. No I/O.
 *
 * Why not a `Map<string, string>`: a Map keeps a table of three slots per entry at a capacity of the next
 * power of two, so the links of 1.1 million objects took 56 MB, and growing to them allocated each table
 * twice as large beside the last. Here a desired object's target id sits at its position in an array
 * (8 bytes a slot, allocated once); only links of objects gone from Entra are kept in a Map.
 *
 * Contract: `desired[i].position === i` and `index` holds exactly `desired` (one cycle's objects).
 * `keys()` gives the desired objects' ids in their order, then the others' in the order they were set.
 */
import type { DesiredLookup } from './desired-index.js';

/** What the cycle does with its links' target ids (a `Map` does it too). */
export interface TargetIdMap {
  readonly size: number;
  get(sourceId: string): string | undefined;
  has(sourceId: string): boolean;
  set(sourceId: string, targetId: string): this;
  delete(sourceId: string): boolean;
  keys(): IterableIterator<string>;
}

export class LinkedTargets implements TargetIdMap {
  readonly #desired: readonly { readonly id: string }[];
  readonly #index: DesiredLookup<{ readonly position: number }>;
  readonly #byPosition: (string | undefined)[];
  readonly #others = new Map<string, string>();
  #size = 0;

  constructor(desired: readonly { readonly id: string }[], index: DesiredLookup<{ readonly position: number }>) {
    this.#desired = desired;
    this.#index = index;
    this.#byPosition = new Array<string | undefined>(desired.length).fill(undefined);
  }

  get size(): number {
    return this.#size;
  }

  get(sourceId: string): string | undefined {
    const at = this.#index.get(sourceId)?.position;
    return at === undefined ? this.#others.get(sourceId) : this.#byPosition[at];
  }

  has(sourceId: string): boolean {
    return this.get(sourceId) !== undefined;
  }

  set(sourceId: string, targetId: string): this {
    const at = this.#index.get(sourceId)?.position;
    if (at === undefined) {
      const size = this.#others.size;
      if (this.#others.set(sourceId, targetId).size !== size) this.#size++;
    } else {
      if (this.#byPosition[at] === undefined) this.#size++;
      this.#byPosition[at] = targetId;
    }
    return this;
  }

  delete(sourceId: string): boolean {
    const at = this.#index.get(sourceId)?.position;
    let had: boolean;
    if (at === undefined) had = this.#others.delete(sourceId);
    else {
      had = this.#byPosition[at] !== undefined;
      this.#byPosition[at] = undefined;
    }
    if (had) this.#size--;
    return had;
  }

  *keys(): IterableIterator<string> {
    const byPosition = this.#byPosition;
    for (let i = 0; i < byPosition.length; i++) if (byPosition[i] !== undefined) yield this.#desired[i]!.id;
    yield* this.#others.keys();
  }
}
