import type { ResourceKind } from './resource-schemas.js';
import type { JsonObject } from './types.js';

/** Top-level string attributes looked up by value (Entra's matching queries, uniqueness checks). */
export const INDEXED_ATTRIBUTES: readonly string[] = ['id', 'userName', 'externalId', 'displayName'];

/**
 * The in-memory resources of one target. Invariants, kept by the service that writes here:
 * - stored resources are plain JSON in SCIMMY's canonical attribute names, without `meta.location`, and are
 *   replaced on write, never mutated in place (so caches may key on object identity);
 * - every Group has `members` (possibly empty) holding only `{value}`, each value the id of a stored User or
 *   Group, no duplicates (`display`, `$ref` and `type` are derived when rendering);
 * - ids are unique across Users and Groups, so an id alone says what it refers to.
 * Maps keep insertion order, which is the order lists are returned in. The value index is lower-cased, so a
 * lookup may return more than a case-exact comparison would; callers re-check what case means for them.
 */
export class ResourceStore {
  private readonly byKind: Record<ResourceKind, Map<string, JsonObject>> = { User: new Map(), Group: new Map() };
  private readonly index: Record<ResourceKind, Map<string, Map<string, Set<string>>>> = { User: new Map(), Group: new Map() };

  get(kind: ResourceKind, id: string): JsonObject | undefined {
    return this.byKind[kind].get(id);
  }

  all(kind: ResourceKind): JsonObject[] {
    return [...this.byKind[kind].values()];
  }

  /** Resources whose `attribute` (one of INDEXED_ATTRIBUTES) equals `value` ignoring case, in list order. */
  findByValue(kind: ResourceKind, attribute: string, value: string): JsonObject[] {
    const ids = this.index[kind].get(attribute)?.get(value.toLowerCase());
    if (!ids) return [];
    const found = [...ids].map((id) => this.byKind[kind].get(id)).filter((r): r is JsonObject => r !== undefined);
    return ids.size > 1 ? this.inListOrder(kind, found) : found;
  }

  /** Insert or replace. A replaced resource keeps its place in list order. */
  put(kind: ResourceKind, id: string, resource: JsonObject): void {
    this.unindex(kind, id);
    this.byKind[kind].set(id, resource);
    for (const attribute of INDEXED_ATTRIBUTES) {
      const value = resource[attribute];
      if (typeof value !== 'string') continue;
      let byValue = this.index[kind].get(attribute);
      if (!byValue) this.index[kind].set(attribute, (byValue = new Map()));
      const key = value.toLowerCase();
      let ids = byValue.get(key);
      if (!ids) byValue.set(key, (ids = new Set()));
      ids.add(id);
    }
  }

  delete(kind: ResourceKind, id: string): boolean {
    this.unindex(kind, id);
    return this.byKind[kind].delete(id);
  }

  kindOf(id: string): ResourceKind | undefined {
    if (this.byKind.User.has(id)) return 'User';
    if (this.byKind.Group.has(id)) return 'Group';
    return undefined;
  }

  clear(): void {
    for (const kind of ['User', 'Group'] as const) {
      this.byKind[kind].clear();
      this.index[kind].clear();
    }
  }

  private unindex(kind: ResourceKind, id: string): void {
    const previous = this.byKind[kind].get(id);
    if (!previous) return;
    for (const attribute of INDEXED_ATTRIBUTES) {
      const value = previous[attribute];
      if (typeof value !== 'string') continue;
      const byValue = this.index[kind].get(attribute);
      const ids = byValue?.get(value.toLowerCase());
      ids?.delete(id);
      if (ids?.size === 0) byValue?.delete(value.toLowerCase());
    }
  }

  private inListOrder(kind: ResourceKind, found: JsonObject[]): JsonObject[] {
    const wanted = new Set(found);
    return [...this.byKind[kind].values()].filter((r) => wanted.has(r));
  }
}
