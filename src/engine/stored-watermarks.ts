/**
 * The stored watermarks as a cycle asks about them, compared once with its desired objects. No I/O.
 *
 * A cycle asks three things of the watermarks it starts from: whether a desired object has one, whether it
 * equals the object's hash now (unchanged: an incremental cycle skips it), and which stored ones belong to
 * no desired object (settle drops them once they are unlinked). So each stored row is compared as it is
 * read, and what is kept is one byte per desired object, by `position`, plus the ids of the rows that match
 * no desired object.
 *
 * Why not the `Map` of id to hash a cycle used to keep: at a million users and a hundred thousand groups it
 * held 165 MB of heap (1.1 million id and hash strings and the map's table) from the start of the cycle to
 * its end, which put the incremental cycle's peak RSS 30 to 100 MB above the initial one's.
 *
 * Contract: `desired` answers by id with the object at its position, its `hash` as this cycle evaluated it
 * (`DesiredIndex` over `evaluateSource`'s objects; `runCycle` checks the positions). A row whose id is
 * stored twice counts once (the store's primary key forbids it).
 */
import type { DesiredLookup } from './desired-index.js';

/** What a cycle asks of the watermarks it started from. */
export interface WatermarkLookup {
  /** A watermark is stored for `id`. */
  has(id: string): boolean;
  /** The desired object `id` has a stored watermark equal to its hash in this cycle (false for other ids). */
  unchanged(id: string): boolean;
  /** The ids of stored watermarks that belong to no desired object, in the order they were read. */
  readonly gone: readonly string[];
}

const NONE = 0;
const CHANGED = 1;
const UNCHANGED = 2;

export class StoredWatermarks implements WatermarkLookup {
  readonly #desired: DesiredLookup<{ readonly position: number }>;
  /** By desired position: NONE, CHANGED or UNCHANGED. */
  readonly #states: Uint8Array;
  readonly #gone: string[];
  readonly #goneIds: ReadonlySet<string>;

  /**
   * @param rows the stored watermarks as `[sourceId, hash]` (a store's rows as it reads them, or a Map)
   * @param desired the cycle's desired objects by id
   */
  constructor(rows: Iterable<readonly [string, string]>, desired: DesiredLookup<{ readonly position: number; readonly hash: string }>) {
    this.#desired = desired;
    // One byte per distinct desired id; grown only when ids repeat (a repeated id keeps its last position).
    let states = new Uint8Array(desired.size);
    const gone: string[] = [];
    for (const [id, hash] of rows) {
      const d = desired.get(id);
      if (d === undefined) {
        gone.push(id);
        continue;
      }
      if (d.position >= states.length) {
        const grown = new Uint8Array(Math.max(states.length * 2, d.position + 1));
        grown.set(states);
        states = grown;
      }
      states[d.position] = hash === d.hash ? UNCHANGED : CHANGED;
    }
    this.#states = states;
    this.#gone = gone;
    this.#goneIds = new Set(gone);
  }

  has(id: string): boolean {
    return this.#state(id) !== NONE || this.#goneIds.has(id);
  }

  unchanged(id: string): boolean {
    return this.#state(id) === UNCHANGED;
  }

  get gone(): readonly string[] {
    return this.#gone;
  }

  #state(id: string): number {
    const at = this.#desired.get(id)?.position;
    return at === undefined || at >= this.#states.length ? NONE : this.#states[at]!;
  }
}

/** No stored watermark: a cycle on demand selects as if none were stored, and a cycle that selects no work needs none. */
export const NO_WATERMARKS: WatermarkLookup = { has: () => false, unchanged: () => false, gone: [] };
