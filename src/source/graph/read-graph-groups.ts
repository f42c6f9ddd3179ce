/**
 * The groups of one `groups*.json` page (`GET /groups`), each on its own: id, displayName and the attributes of
 * `group-translations.ts`. Members are read from the members files; duplicates across pages are checked in
 * `graph-export-reader.ts`.
 */
import { isGuid } from '../guid.js';
import type { SourceValue } from '../../model/directory.js';
import { GRAPH_CODES as C } from './graph-codes.js';
import { child } from './graph-report.js';
import type { GraphReport, ItemAt } from './graph-report.js';
import { GROUP_TRANSLATIONS } from './group-translations.js';
import { describeKind, describeValue, hasData, isJsonObject, odataTypeOf, propertiesOf, stringOf } from './json-values.js';
import type { GraphPage } from './read-page.js';
import { reportRepeated } from './read-graph-users.js';
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
  const groups: GraphGroupDraft[] = [];
  for (const { value, at } of page.items) {
    const group = readGroup(value, at, report, unused);
    if (group !== null) groups.push(group);
  }
  return groups;
}

function readGroup(value: unknown, at: ItemAt, report: GraphReport, unused: UnusedProperties): GraphGroupDraft | null {
  if (!isJsonObject(value)) {
    report.warn(
      C.GRAPH_NOT_AN_OBJECT,
      `the item is ${describeValue(value)}, not a group; it was left out`,
      at,
      'a groups page lists group objects',
    );
    return null;
  }
  const type = odataTypeOf(value);
  if (type !== null && type !== 'group') {
    report.warn(
      C.GRAPH_NOT_AN_OBJECT,
      `the item is ${describeKind(type)} (@odata.type), not a group; it was left out`,
      at,
      'save GET /v1.0/groups pages in groups*.json; other directory objects do not belong there',
    );
    return null;
  }
  const { properties, repeated } = propertiesOf(value);
  reportRepeated(repeated, at, report);
  const name = stringOf(properties, 'displayName');
  const who = `group ${JSON.stringify(name ?? stringOf(properties, 'id') ?? '?')}`;
  const id = stringOf(properties, 'id');
  if (id === null) {
    report.warn(C.GRAPH_MISSING_KEY, `${who} has no id; the group was left out`, at, 'Graph returns id by default; keep it in $select');
    return null;
  }
  if (!isGuid(id)) {
    report.warn(
      C.GRAPH_INVALID_ID,
      `${who} has the id ${JSON.stringify(id)}, which is not a GUID; the group was left out`,
      child(at, 'id'),
      'Entra object ids look like 6f1c0f1e-2b9a-4c55-8a3e-0d6a1b2c3d4e',
    );
    return null;
  }
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
