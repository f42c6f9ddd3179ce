/**
 * Which objects a cycle looks at (spec §5.1–5.2). Pure.
 * - initial: every source object, and every anchor whose source object is gone.
 * - incremental: objects whose watermark hash changed (or that have none), escrowed objects, and anchors
 *   whose source object is gone (hard deletes). Linked objects are not read back: the diff base is what
 *   provsim last exported, as Entra does not detect changes made directly in the target.
 */
import type { Anchor, CycleKind, Escrow } from '../state/types.js';
import type { SourceState } from './source-state.js';

export interface WorkItem {
  sourceId: string;
  source: SourceState | null;
  anchor: Anchor | null;
  /** `match`: filter GETs by matching attribute; `read`: GET by id; `none`: plan from state alone. */
  observe: 'match' | 'read' | 'none';
}

export function selectWork(
  kind: CycleKind,
  sources: readonly SourceState[],
  anchors: ReadonlyMap<string, Anchor>,
  watermarks: ReadonlyMap<string, string>,
  escrows: ReadonlyMap<string, Escrow>,
  /** Object types the job provisions; anchors of other types (a switched-off group mapping) are left alone. */
  objectTypes: ReadonlySet<'User' | 'Group'>,
): WorkItem[] {
  const items: WorkItem[] = [];
  const present = new Set<string>();
  for (const source of sources) {
    present.add(source.id);
    // Checked before the link is read: links may be read from the store on demand (state/stored-anchors.ts).
    if (kind === 'incremental' && watermarks.get(source.id) === source.hash && !escrows.has(source.id)) continue;
    const anchor = anchors.get(source.id) ?? null;
    let observe: WorkItem['observe'] = 'none';
    if (anchor) observe = kind === 'initial' ? 'read' : 'none';
    else if (source.provision) observe = 'match';
    items.push({ sourceId: source.id, source, anchor, observe });
  }
  for (const sourceId of anchors.keys()) {
    if (present.has(sourceId)) continue;
    const anchor = anchors.get(sourceId)!;
    if (objectTypes.has(anchor.objectType)) items.push({ sourceId, source: null, anchor, observe: 'none' });
  }
  return items;
}
