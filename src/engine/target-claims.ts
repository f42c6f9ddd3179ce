/**
 * The target objects matched or created in one cycle, by object type and target id: a server that answers
 * two objects' queries with one object (a filter it ignores) or gives two POSTs one id must not get both
 * linked to it. No I/O.
 *
 * A cycle of a million objects keeps a million claims to its end. As a `Map` of target id to source id they
 * took 28 MB (three slots an entry at a capacity of the next power of two, and twice that while its table
 * doubled); as key strings and records before that, about 150 bytes a claim. Here a desired object's
 * claimed target id sits at its position in an array (the same string its link keeps), and one
 * open-addressing table per object type holds the claimer's position by target id (4 bytes a slot, at most
 * two thirds full): 18 MB for the same claims. A claim by an object the cycle does not hold, or an object's
 * second target id, is kept in a Map.
 *
 * Contract: `desired[i].position === i` and `index` holds exactly `desired` (one cycle's objects).
 */
import type { ObjectType } from '../model/records.js';
import type { DesiredLookup } from './desired-index.js';
import { hashOf } from './text-hash.js';

export interface Claimer {
  readonly id: string;
  readonly position: number;
  readonly displayName: string;
}

export class TargetClaims {
  readonly #desired: readonly Claimer[];
  readonly #index: DesiredLookup<Claimer>;
  /** Made on the first claim (most incremental cycles make none). */
  #tables: Tables | null = null;
  /** Claims that have no place in the tables: target id → source id, by object type. */
  readonly #others = { User: new Map<string, string>(), Group: new Map<string, string>() };

  constructor(desired: readonly Claimer[] = [], index: DesiredLookup<Claimer> = new Map()) {
    this.#desired = desired;
    this.#index = index;
  }

  /**
   * Claims `targetId` for `sourceId`. Null when it is that object's (now, or already); else the display
   * name of the other source object that holds it, which keeps it (its id when the cycle does not hold it).
   */
  claim(objectType: ObjectType, targetId: string, sourceId: string): string | null {
    const tables = (this.#tables ??= newTables(this.#desired.length));
    const table = objectType === 'User' ? tables.users : tables.groups;
    const others = this.#others[objectType];
    const at = table.find(targetId);
    const holder = at !== -1 ? this.#desired[at]!.id : others.get(targetId);
    if (holder !== undefined) return holder === sourceId ? null : this.#nameOf(holder);
    const position = this.#index.get(sourceId)?.position;
    if (position !== undefined && tables.claimed[position] === undefined) {
      tables.claimed[position] = targetId;
      table.add(targetId, position);
    } else others.set(targetId, sourceId);
    return null;
  }

  #nameOf(sourceId: string): string {
    return this.#index.get(sourceId)?.displayName ?? sourceId;
  }
}

interface Tables {
  /** The target id claimed by the desired object at each position. */
  claimed: (string | undefined)[];
  users: ClaimTable;
  groups: ClaimTable;
}

function newTables(count: number): Tables {
  const claimed = new Array<string | undefined>(count).fill(undefined);
  return { claimed, users: new ClaimTable(claimed), groups: new ClaimTable(claimed) };
}

/** Positions by the target id `claimed` holds at them; grows by doubling at two thirds full. */
class ClaimTable {
  readonly #claimed: readonly (string | undefined)[];
  /** Position + 1 of the object whose claimed id hashes here (0: empty). */
  #slots = new Int32Array(64);
  #size = 0;

  constructor(claimed: readonly (string | undefined)[]) {
    this.#claimed = claimed;
  }

  /** The position that claimed `targetId`, or -1. */
  find(targetId: string): number {
    return this.#slots[this.#slotOf(targetId)]! - 1;
  }

  /** `claimed[position]` must already be `targetId`, which the table must not hold. */
  add(targetId: string, position: number): void {
    if ((this.#size + 1) * 3 > this.#slots.length * 2) this.#grow();
    this.#slots[this.#slotOf(targetId)] = position + 1;
    this.#size++;
  }

  /** The slot holding `targetId`'s position, or the empty slot where it would go (the table is never full). */
  #slotOf(targetId: string): number {
    const slots = this.#slots;
    const mask = slots.length - 1;
    for (let slot = hashOf(targetId) & mask; ; slot = (slot + 1) & mask) {
      const at = slots[slot]!;
      if (at === 0 || this.#claimed[at - 1] === targetId) return slot;
    }
  }

  #grow(): void {
    const old = this.#slots;
    this.#slots = new Int32Array(old.length * 2);
    for (const at of old) if (at !== 0) this.#slots[this.#slotOf(this.#claimed[at - 1]!)] = at;
  }
}
