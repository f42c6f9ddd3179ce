/**
 * The stored watermarks as a cycle asks about them, compared once with its desired objects. No I/O of its
 * own: the rows are visited by the caller's `forEach` (the store's, in a cycle).
 *
 * A cycle asks three things of the watermarks it starts from: whether a desired object has one, whether it
 * equals the object's hash now (unchanged: an incremental cycle skips it), and which stored ones belong to
 * no desired object (settle drops them once they are unlinked). So each stored row is compared as it is
 * read, and what is kept is one byte per desired object, by `position`, plus the ids of the rows that match
 * no desired object.
 *
 * Why not the `Map` of id to hash a cycle used to keep: at a million users and a hundred thousand groups it
 * held 165 MB of heap (1.1 million id and hash strings and the map's table) from the start of the cycle to
 * its end, which put the incremental cycle's peak RSS 30 to 140 MB above the initial one's (measured on two
 * nights: 994–998 against 940–965 MB, and 990–1,068 against 926–942 MB).
 *
 * Contract: `desired` answers by id with the object at its position, its `hash` as this cycle evaluated it
 * (`DesiredIndex` over `evaluateSource`'s objects; `runCycle` checks the positions). Each stored id is
 * visited once (the store's primary key). An id the desired objects hold twice is compared with its last
 * object, the one `desired` finds (a tenant with a repeated id does not load).
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
  /** `gone` as a set, made when `has` is first asked about an id that is not desired (settle never is). */
  #goneIds: ReadonlySet<string> | undefined;

  /**
   * @param forEach visits every stored watermark once (`StateStore.forEachWatermark`, or a Map's entries)
   * @param desired the cycle's desired objects by id
   */
  constructor(
    forEach: (visit: (sourceId: string, hash: string) => void) => void,
    desired: DesiredLookup<{ readonly position: number; readonly hash: string }>,
  ) {
    this.#desired = desired;
    // One byte per distinct desired id; grown only when ids repeat (a repeated id keeps its last position).
    let states = new Uint8Array(desired.size);
    const gone: string[] = [];
    forEach((id, hash) => {
      const d = desired.get(id);
      if (d === undefined) {
        gone.push(id);
        return;
      }
      if (d.position >= states.length) {
        const grown = new Uint8Array(Math.max(states.length * 2, d.position + 1));
        grown.set(states);
        states = grown;
      }
      states[d.position] = hash === d.hash ? UNCHANGED : CHANGED;
    });
    this.#states = states;
    this.#gone = gone;
  }

  has(id: string): boolean {
    if (this.#state(id) !== NONE) return true;
    this.#goneIds ??= new Set(this.#gone);
    return this.#goneIds.has(id);
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
