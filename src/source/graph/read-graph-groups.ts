/**
 * The groups of one `groups*.json` page (`GET /groups`), each on its own: id, displayName and the attributes of
 * `group-translations.ts`. Members are read from the members files; duplicates across pages are checked in
 * `graph-export-reader.ts`.
 */
import type { SourceValue } from '../../model/directory.js';
import { GRAPH_CODES as C } from './graph-codes.js';
import { child } from './graph-report.js';
import type { GraphReport, ItemAt } from './graph-report.js';
import { GROUP_TRANSLATIONS } from './group-translations.js';
import { hasData, stringOf } from './json-values.js';
import type { GraphPage } from './read-page.js';
import { itemId, itemProperties, readItems } from './read-graph-item.js';
import { attributeRows, readAttributes } from './user-translations.js';
import type { UnusedProperties } from './unused-properties.js';

export interface GraphGroupDraft {
  /** Lower case. */
  id: string;
  displayName: string;
  attributes: Record<string, SourceValue>;
  at: ItemAt;
}

const ROWS = attributeRows(GROUP_TRANSLATIONS);
const SPECIAL = new Set(['id', 'displayname', 'members']);

export function readGraphGroups(page: GraphPage, report: GraphReport, unused: UnusedProperties): GraphGroupDraft[] {
  return readItems(page, (value, at) => readGroup(value, at, report, unused));
}

function readGroup(value: unknown, at: ItemAt, report: GraphReport, unused: UnusedProperties): GraphGroupDraft | null {
  const properties = itemProperties(value, at, report, 'group');
  if (properties === null) return null;
  const name = stringOf(properties, 'displayName');
  const who = `group ${JSON.stringify(name ?? stringOf(properties, 'id') ?? '?')}`;
  const id = itemId(properties, at, report, who, 'group', 'Graph returns id by default; keep it in $select');
  if (id === null) return null;
  if (name === null) {
    report.warn(
      C.GRAPH_MISSING_KEY,
      `${who} has no displayName; the group was left out`,
      at,
      'Entra matches groups by displayName in the default mapping; keep displayName in $select',
    );
    return null;
  }
  const expanded = properties.get('members');
  if (expanded !== undefined && hasData(expanded.value))
    report.warn(
      C.GRAPH_UNUSED_PROPERTY,
      `${who}: \`${expanded.name}\` (from $expand) was not read: Graph returns at most 20 expanded members`,
      child(at, expanded.name),
      `save GET /v1.0/groups/${id}/members (every page) as members-${id.toLowerCase()}.json`,
    );
  return { id: id.toLowerCase(), displayName: name, attributes: readAttributes(properties, at, report, unused, SPECIAL, ROWS), at };
}
