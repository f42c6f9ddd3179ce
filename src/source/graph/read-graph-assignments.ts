/**
 * The app role assignments of one `appRoleAssignedTo*.json` page (`GET /servicePrincipals/{id}/appRoleAssignedTo`):
 * who (principalType, principalId) holds which role (appRoleId) of which app (resourceId). Resolution against
 * the users, groups and roles of the export happens in `graph-export-reader.ts`.
 */
import { isGuid } from '../guid.js';
import { GRAPH_CODES as C } from './graph-codes.js';
import { child } from './graph-report.js';
import type { GraphReport, ItemAt } from './graph-report.js';
import { describeValue, isJsonObject, propertiesOf, stringOf } from './json-values.js';
import type { GraphPage } from './read-page.js';

export interface GraphAssignmentDraft {
  /** `user`, `group`, `serviceprincipal` (lower case), or null when absent. */
  principalType: string | null;
  /** Lower case. */
  principalId: string;
  /** Lower case. */
  appRoleId: string;
  /** The app the assignment is to (lower case), when given. */
  resourceId: string | null;
  /** principalDisplayName, for messages. */
  label: string | null;
  at: ItemAt;
}

export function readGraphAssignments(page: GraphPage, report: GraphReport): GraphAssignmentDraft[] {
  const out: GraphAssignmentDraft[] = [];
  for (const { value, at } of page.items) {
    if (!isJsonObject(value)) {
      report.warn(
        C.GRAPH_NOT_AN_OBJECT,
        `the item is ${describeValue(value)}, not an app role assignment; it was left out`,
        at,
        'an appRoleAssignedTo page lists appRoleAssignment objects',
      );
      continue;
    }
    const { properties } = propertiesOf(value);
    const label = stringOf(properties, 'principalDisplayName');
    const who = `the assignment${label === null ? '' : ` of ${JSON.stringify(label)}`}`;
    const ids: Record<'principalId' | 'appRoleId', string | null> = { principalId: null, appRoleId: null };
    for (const key of ['principalId', 'appRoleId'] as const) {
      const v = stringOf(properties, key);
      if (v === null || !isGuid(v)) {
        report.warn(
          v === null ? C.GRAPH_MISSING_KEY : C.GRAPH_INVALID_ID,
          `${who} has ${v === null ? `no ${key}` : `the ${key} ${JSON.stringify(v)}, which is not a GUID`}; it was left out`,
          v === null ? at : child(at, key),
          'Graph returns principalId and appRoleId on every appRoleAssignment; save the response as it is',
        );
        break;
      }
      ids[key] = v.toLowerCase();
    }
    if (ids.principalId === null || ids.appRoleId === null) continue;
    const resourceId = stringOf(properties, 'resourceId');
    out.push({
      principalType: stringOf(properties, 'principalType')?.toLowerCase() ?? null,
      principalId: ids.principalId,
      appRoleId: ids.appRoleId,
      resourceId: resourceId === null ? null : resourceId.toLowerCase(),
      label,
      at,
    });
  }
  return out;
}
