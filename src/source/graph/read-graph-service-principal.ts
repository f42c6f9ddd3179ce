/**
 * `servicePrincipal.json` (`GET /servicePrincipals/{id}`): the app whose provisioning is simulated — its name
 * (`displayName`) and its app roles (`appRoles`: id, value, displayName, …).
 *
 * A role without a value named `msiam_access` is the default-access role Entra gives non-gallery apps; an
 * assignment to it is Entra's Default Access, as is one with the all-zero appRoleId. Other roles without a
 * GUID id or a value cannot be assigned in the fixture format and are reported.
 */
import { isGuid } from '../guid.js';
import { DEFAULT_ACCESS_ROLE } from '../../model/directory.js';
import type { AppRole } from '../../model/directory.js';
import { GRAPH_CODES as C } from './graph-codes.js';
import { child } from './graph-report.js';
import type { GraphReport, ItemAt } from './graph-report.js';
import { describeValue, hasData, isJsonObject, propertiesOf, stringOf } from './json-values.js';
import type { PageItem } from './read-page.js';

export interface GraphApp {
  /** The service principal's object id (lower case), when the file has it. */
  id: string | null;
  name: string;
  appRoles: AppRole[];
  /** Role ids (lower case) that stand for Default Access: the all-zero id and `msiam_access` roles without a value. */
  defaultAccessRoleIds: Set<string>;
  at: ItemAt;
}

export function readGraphServicePrincipal(item: PageItem, report: GraphReport): GraphApp | null {
  const { value, at } = item;
  if (!isJsonObject(value)) {
    report.error(
      C.GRAPH_BAD_SERVICE_PRINCIPAL,
      `the service principal is ${describeValue(value)}, not an object`,
      at,
      'save the response of GET /v1.0/servicePrincipals/{id} for the app',
    );
    return null;
  }
  const { properties } = propertiesOf(value);
  const name = stringOf(properties, 'displayName') ?? stringOf(properties, 'appDisplayName');
  if (name === null) {
    report.error(
      C.GRAPH_BAD_SERVICE_PRINCIPAL,
      'the service principal has no displayName, so the app has no name',
      at,
      'save GET /v1.0/servicePrincipals/{id} without $select, or with $select=id,displayName,appRoles',
    );
    return null;
  }
  const spId = stringOf(properties, 'id');
  const app: GraphApp = {
    id: spId !== null && isGuid(spId) ? spId.toLowerCase() : null,
    name,
    appRoles: [],
    defaultAccessRoleIds: new Set([DEFAULT_ACCESS_ROLE.id]),
    at,
  };
  const roles = properties.get('approles');
  if (roles === undefined || !hasData(roles.value)) return app;
  if (!Array.isArray(roles.value)) {
    report.warn(
      C.GRAPH_BAD_ROLE,
      `\`${roles.name}\` is ${describeValue(roles.value)}, not a list; the app was read without roles`,
      child(at, roles.name),
      'Graph returns appRoles as a list of {id, value, displayName, …}',
    );
    return app;
  }
  const seenValues = new Map<string, string>();
  roles.value.forEach((role: unknown, i) => {
    const where = child(at, `${roles.name}[${i}]`);
    if (!isJsonObject(role)) {
      report.warn(
        C.GRAPH_BAD_ROLE,
        `the role is ${describeValue(role)}, not an object; it was left out`,
        where,
        'an app role is {id, value, displayName, …}',
      );
      return;
    }
    const p = propertiesOf(role).properties;
    const id = stringOf(p, 'id');
    const roleValue = stringOf(p, 'value');
    const displayName = stringOf(p, 'displayName');
    const label = JSON.stringify(roleValue ?? displayName ?? id ?? '?');
    if (id === null || !isGuid(id)) {
      report.warn(
        C.GRAPH_BAD_ROLE,
        `role ${label} has ${id === null ? 'no id' : `the id ${JSON.stringify(id)}, which is not a GUID`}; it was left out`,
        where,
        'app role ids are GUIDs',
      );
      return;
    }
    const roleId = id.toLowerCase();
    if (app.defaultAccessRoleIds.has(roleId) || app.appRoles.some((r) => r.id === roleId)) {
      report.warn(
        C.GRAPH_BAD_ROLE,
        `role ${label} repeats the id ${roleId} of an earlier role; it was left out`,
        where,
        'each app role has its own id',
      );
      return;
    }
    if (roleValue === null || roleValue === '') {
      if ([displayName, stringOf(p, 'description')].some((s) => s?.toLowerCase() === DEFAULT_ACCESS_ROLE.value)) {
        app.defaultAccessRoleIds.add(roleId);
        return;
      }
      report.warn(
        C.GRAPH_BAD_ROLE,
        `role ${label} has no value; it was left out, and assignments to it are reported`,
        where,
        'the fixture format names roles by value; give the role a value in the app registration',
      );
      return;
    }
    const first = seenValues.get(roleValue);
    if (first !== undefined) {
      report.warn(
        C.GRAPH_BAD_ROLE,
        `role ${label} repeats the value of role ${first}; it was left out`,
        where,
        'app role values are unique within an app',
      );
      return;
    }
    seenValues.set(roleValue, roleId);
    app.appRoles.push({ id: roleId, value: roleValue, displayName: displayName ?? roleValue });
  });
  return app;
}
