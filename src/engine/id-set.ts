/**
 * A set of source ids, read only through `has`: often a view over collections the cycle already keeps (the
 * desired objects by id, the target ids), so that a whole-tenant set is not built again for each question.
 */
export interface IdSet {
  has(id: string): boolean;
}

/** The ids of `objects`, as a set of their own (for callers that have no view to pass). */
export function idsOf(objects: Iterable<{ id: string }>): IdSet {
  const ids = new Set<string>();
  for (const o of objects) ids.add(o.id);
  return ids;
}
