/**
 * The users of one `users*.json` page, each on its own: identity, flags, the manager reference and the
 * attributes under Entra's names (`user-translations.ts`). Cross-page checks (duplicate ids and UPNs, managers)
 * happen in `graph-export-reader.ts` once every page is read. Items that cannot be users are reported and left out.
 */
import { USER_TYPES } from '../fixture-attributes.js';
import { isGuid } from '../guid.js';
import { UPN_FORMAT } from '../upn.js';
import type { SourceValue } from '../../model/directory.js';
import { GRAPH_CODES as C } from './graph-codes.js';
import { child } from './graph-report.js';
import type { GraphReport, ItemAt } from './graph-report.js';
import { describeKind, describeValue, hasData, isJsonObject, odataTypeOf, propertiesOf, stringOf } from './json-values.js';
import type { Property } from './json-values.js';
import type { GraphPage } from './read-page.js';
import { itemId, itemProperties, readItems } from './read-graph-item.js';
import { SPECIAL_USER_PROPERTIES, readAttributes } from './user-translations.js';
import type { UnusedProperties } from './unused-properties.js';

export interface GraphUserDraft {
  /** Lower case. */
  id: string;
  userPrincipalName: string;
  accountEnabled: boolean;
  /** Whether the item had `accountEnabled` at all (an export without it makes everyone enabled). */
  hasAccountEnabled: boolean;
  softDeleted: boolean;
  /** The manager's id (lower case) as the item names it; resolved later. */
  manager: { id: string; at: ItemAt } | null;
  attributes: Record<string, SourceValue>;
  at: ItemAt;
}

export function readGraphUsers(page: GraphPage, report: GraphReport, unused: UnusedProperties): GraphUserDraft[] {
  return readItems(page, (value, at) => readUser(value, at, report, unused));
}

function readUser(value: unknown, at: ItemAt, report: GraphReport, unused: UnusedProperties): GraphUserDraft | null {
  const properties = itemProperties(value, at, report, 'user');
  if (properties === null) return null;
  const label = stringOf(properties, 'userPrincipalName') ?? stringOf(properties, 'displayName') ?? stringOf(properties, 'id');
  const who = label === null ? 'the user' : `user ${JSON.stringify(label)}`;

  const id = itemId(
    properties,
    at,
    report,
    who,
    'user',
    'Graph returns id by default; keep it in $select (…&$select=id,userPrincipalName,…)',
  );
  if (id === null) return null;
  const upn = stringOf(properties, 'userPrincipalName');
  if (upn === null) {
    report.warn(
      C.GRAPH_MISSING_KEY,
      `${who} has no userPrincipalName; the user was left out`,
      at,
      'add userPrincipalName to $select: Entra matches users by it in the default mapping',
    );
    return null;
  }
  if (!UPN_FORMAT.test(upn)) {
    report.warn(
      C.GRAPH_INVALID_VALUE,
      `${who}: userPrincipalName ${JSON.stringify(upn)} is not of the form alias@domain; the user was left out`,
      child(at, 'userPrincipalName'),
      'a UPN has exactly one @ and no spaces or control characters',
    );
    return null;
  }

  const enabled = properties.get('accountenabled');
  let accountEnabled = true;
  if (enabled !== undefined && enabled.value !== null) {
    if (typeof enabled.value === 'boolean') accountEnabled = enabled.value;
    else
      report.warn(
        C.GRAPH_UNUSABLE_VALUE,
        `${who}: \`${enabled.name}\` is ${describeValue(enabled.value)}, not true or false; the user counts as enabled`,
        child(at, enabled.name),
        'Graph returns accountEnabled as a JSON boolean',
      );
  }

  const deleted = properties.get('deleteddatetime');
  let softDeleted = false;
  if (deleted !== undefined && hasData(deleted.value)) {
    if (typeof deleted.value === 'string') softDeleted = true;
    else
      report.warn(
        C.GRAPH_UNUSABLE_VALUE,
        `${who}: \`${deleted.name}\` is ${describeValue(deleted.value)}, not a date; the user counts as not deleted`,
        child(at, deleted.name),
        'Graph returns deletedDateTime as an ISO 8601 string, or null',
      );
  }

  const manager = readManager(properties.get('manager'), who, at, report);
  const attributes = readAttributes(properties, at, report, unused, SPECIAL_USER_PROPERTIES);
  const userType = attributes['userType'];
  if (userType !== undefined && !(USER_TYPES as readonly (SourceValue | undefined)[]).includes(userType)) {
    report.warn(
      C.GRAPH_INVALID_VALUE,
      `${who}: userType ${JSON.stringify(userType)} is neither Member nor Guest; it was left out`,
      child(at, 'userType'),
      'Entra user types are Member and Guest',
    );
    delete attributes['userType'];
  }
  return {
    id: id.toLowerCase(),
    userPrincipalName: upn,
    accountEnabled,
    hasAccountEnabled: enabled !== undefined && typeof enabled.value === 'boolean',
    softDeleted,
    manager,
    attributes,
    at,
  };
}

/** `manager` from `$expand=manager($select=id)`: `{"@odata.type": "#microsoft.graph.user", "id": …}` or null. */
function readManager(manager: Property | undefined, who: string, at: ItemAt, report: GraphReport): GraphUserDraft['manager'] {
  if (manager === undefined || !hasData(manager.value)) return null;
  const where = child(at, manager.name);
  if (!isJsonObject(manager.value)) {
    report.warn(
      C.GRAPH_UNUSABLE_VALUE,
      `${who}: \`${manager.name}\` is ${describeValue(manager.value)}, not the manager object; the user was read without a manager`,
      where,
      'export users with $expand=manager($select=id): Graph then returns "manager": {"@odata.type": "#microsoft.graph.user", "id": "…"}',
    );
    return null;
  }
  const { properties } = propertiesOf(manager.value);
  const type = odataTypeOf(manager.value);
  const id = stringOf(properties, 'id');
  if (type !== null && type !== 'user') {
    const name = stringOf(properties, 'displayName');
    report.warn(
      C.GRAPH_UNRESOLVED_MANAGER,
      `${who}: the manager${id === null ? '' : ` ${id}`}${name === null ? '' : ` (${JSON.stringify(name)})`} is ${describeKind(type)}, not a user; the user was read without a manager`,
      where,
      "Entra's manager attribute refers to users; a contact as manager does not reach the target",
    );
    return null;
  }
  if (id === null || !isGuid(id)) {
    report.warn(
      C.GRAPH_UNUSABLE_VALUE,
      `${who}: the manager has ${id === null ? 'no id' : `the id ${JSON.stringify(id)}, which is not a GUID`}; the user was read without a manager`,
      where,
      'export users with $expand=manager($select=id)',
    );
    return null;
  }
  return { id: id.toLowerCase(), at: where };
}

/** Two spellings of one property in one object (`mail` and `Mail`): the first was read. */
