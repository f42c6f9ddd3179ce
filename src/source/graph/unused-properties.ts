/**
 * Properties with values that no Entra source attribute provsim models reads (`createdDateTime`,
 * `securityEnabled`, …). Not silently dropped, but not one warning per item either: a `GET /groups` page carries
 * two dozen of them on every group. One warning per file names each property, how many items carry it, and the
 * first of them.
 */
import { GRAPH_CODES as C } from './graph-codes.js';
import type { GraphReport, ItemAt } from './graph-report.js';

export class UnusedProperties {
  private readonly seen = new Map<string, { name: string; count: number; first: ItemAt }>();

  add(name: string, at: ItemAt): void {
    const key = name.toLowerCase();
    const entry = this.seen.get(key);
    if (entry) entry.count++;
    else this.seen.set(key, { name, count: 1, first: at });
  }

  /** Reports what was recorded for `file` (one warning, at the first item concerned) and forgets it. */
  flush(file: string, report: GraphReport): void {
    if (this.seen.size === 0) return;
    const entries = [...this.seen.values()];
    this.seen.clear();
    const first = entries[0]!.first;
    const list = entries
      .map((e) => `${e.name} (${e.first.path ?? 'the object'}${e.count > 1 ? ` and ${e.count - 1} more` : ''})`)
      .join(', ');
    report.warn(
      C.GRAPH_UNUSED_PROPERTY,
      `${entries.length === 1 ? 'a property' : `${entries.length} properties`} that no Entra source attribute provsim models reads ${entries.length === 1 ? 'was' : 'were'} left out: ${list}`,
      { file, ...(first.position ? { position: first.position } : {}) },
      'the README lists the Graph properties provsim reads (Graph exports); $select only those to keep the export small',
    );
  }
}
