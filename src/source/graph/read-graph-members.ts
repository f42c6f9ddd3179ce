/**
 * The members of one `members-<group id>*.json` page (`GET /groups/{id}/members`): directoryObjects of mixed
 * kinds, told apart by `@odata.type`. Which of them a group keeps (users and groups of the export) is decided in
 * `graph-export-reader.ts`.
 */
import { isGuid } from '../guid.js';
import { GRAPH_CODES as C } from './graph-codes.js';
import type { GraphReport, ItemAt } from './graph-report.js';
import { describeValue, isJsonObject, odataTypeOf, propertiesOf, stringOf } from './json-values.js';
import type { GraphPage } from './read-page.js';

export interface GraphMemberDraft {
  /** Lower case. */
  id: string;
  /** `user`, `group`, `device`, `serviceprincipal`, `orgcontact`… (lower case), or null when the item has no @odata.type. */
  type: string | null;
  /** The member's UPN or displayName, for messages. */
  label: string | null;
  at: ItemAt;
}

export function readGraphMembers(page: GraphPage, report: GraphReport): GraphMemberDraft[] {
  const members: GraphMemberDraft[] = [];
  for (const { value, at } of page.items) {
    if (!isJsonObject(value)) {
      report.warn(
        C.GRAPH_NOT_AN_OBJECT,
        `the item is ${describeValue(value)}, not a directory object; it was left out`,
        at,
        'a members page lists directory objects',
      );
      continue;
    }
    const { properties } = propertiesOf(value);
    const id = stringOf(properties, 'id');
    const label = stringOf(properties, 'userPrincipalName') ?? stringOf(properties, 'displayName');
    if (id === null || !isGuid(id)) {
      report.warn(
        id === null ? C.GRAPH_MISSING_KEY : C.GRAPH_INVALID_ID,
        `member ${label === null ? '' : `${JSON.stringify(label)} `}has ${id === null ? 'no id' : `the id ${JSON.stringify(id)}, which is not a GUID`}; it was left out`,
        at,
        'Graph returns each member with its id; save the response as it is',
      );
      continue;
    }
    members.push({ id: id.toLowerCase(), type: odataTypeOf(value), label, at });
  }
  return members;
}
