/**
 * The links of a state file as a Map that reads on demand: the ids at once (from the primary-key index,
 * without touching the rows), each link when it is first asked for. An incremental cycle asks for the few
 * links its work touches; reading every row of a 10,000-link table (each row holds the exported values)
 * took longer than the rest of such a cycle's state reads together.
 *
 * Contract: behaves as a Map<string, Anchor> of the links as they were when it was made, plus what is set
 * and deleted on it; the store's later writes are not seen (a link read after one returns the stored row).
 * A link is read once and kept. Iterating values or entries reads each link it has not read yet. Reads
 * need the store open: copy it (`new Map(anchors)`) to keep links past `close()`.
 */
import type { Anchor } from '../model/records.js';

export interface AnchorReader {
  ids(): Iterable<string>;
  one(sourceId: string): Anchor | null;
  /** Target ids by source id of every stored link, in one read. */
  targetIds(): Map<string, string>;
}

export class StoredAnchors implements Map<string, Anchor> {
  readonly #ids: Set<string>;
  readonly #loaded = new Map<string, Anchor>();
  readonly #reader: AnchorReader;
  /** Ids set or deleted here: the stored row no longer speaks for them. */
  readonly #changed = new Set<string>();

  constructor(reader: AnchorReader) {
    this.#reader = reader;
    this.#ids = new Set(reader.ids());
  }

  get size(): number {
    return this.#ids.size;
  }

  has(sourceId: string): boolean {
    return this.#ids.has(sourceId);
  }

  get(sourceId: string): Anchor | undefined {
    let anchor = this.#loaded.get(sourceId);
    if (anchor === undefined && this.#ids.has(sourceId)) {
      anchor = this.#reader.one(sourceId) ?? undefined;
      if (anchor) this.#loaded.set(sourceId, anchor);
    }
    return anchor;
  }

  set(sourceId: string, anchor: Anchor): this {
    this.#ids.add(sourceId);
    this.#loaded.set(sourceId, anchor);
    this.#changed.add(sourceId);
    return this;
  }

  delete(sourceId: string): boolean {
    this.#loaded.delete(sourceId);
    this.#changed.add(sourceId);
    return this.#ids.delete(sourceId);
  }

  clear(): void {
    for (const id of this.#ids) this.#changed.add(id);
    this.#ids.clear();
    this.#loaded.clear();
  }

  /**
   * Target ids by source id of every link: one read of the table's id columns (instead of a read per link)
   * when nothing has been set or deleted here, else from the links.
   */
  targetIds(): Map<string, string> {
    if (this.#changed.size === 0) return this.#reader.targetIds();
    const ids = new Map<string, string>();
    for (const [id, a] of this) ids.set(id, a.targetId);
    return ids;
  }

  keys(): MapIterator<string> {
    return this.#ids.values();
  }

  /** A link whose row another process deleted since the ids were read is left out. */
  *entries(): MapIterator<[string, Anchor]> {
    for (const id of this.#ids) {
      const a = this.get(id);
      if (a) yield [id, a];
    }
  }

  *values(): MapIterator<Anchor> {
    for (const [, a] of this.entries()) yield a;
  }

  [Symbol.iterator](): MapIterator<[string, Anchor]> {
    return this.entries();
  }

  forEach(fn: (value: Anchor, key: string, map: Map<string, Anchor>) => void, thisArg?: unknown): void {
    for (const [id, a] of this) fn.call(thisArg, a, id, this);
  }

  get [Symbol.toStringTag](): string {
    return 'StoredAnchors';
  }
}
