/**
 * App roles: SingleAppRoleAssignment, AppRoleAssignmentsComplex, AssertiveAppRoleAssignmentsComplex.
 * Their one argument is always the special attribute `[appRoleAssignments]`; they read the context's
 * role assignments directly.
 *
 * NOTE — SingleAppRoleAssignment "isn't supported in scenarios where users have multiple app role
 * assignments" and Entra does not say which one it picks; we pick the role with the lowest id (ordinal),
 * so runs are reproducible. No assignment → null.
 * The complex forms return a role list (all roles `primary: false`, type WindowsAzureActiveDirectoryRole),
 * de-duplicated by role id in assignment order. A role list can only be the whole expression (or be
 * wrapped in Redact/IgnoreFlowIfNullOrEmpty); the engine turns it into SCIM `roles` (PATCH Add for the
 * plain form, replace for the assertive one).
 * Which assignments count (e.g. whether "Default Access" / msiam_access is included) is the caller's
 * decision: every role in `appRoleAssignments` is used.
 */
import type { CallNode } from '../ast.js';
import { EXPR_CODES } from '../codes.js';
import { defineFunction, type CheckContext, type FunctionDef } from '../function-def.js';
import type { RoleList, RoleValue } from '../types.js';

export const APP_ROLE_ASSIGNMENTS = 'appRoleAssignments';
/** Functions that may wrap a role list without consuming it as a string. */
const ROLE_LIST_WRAPPERS = new Set(['Redact', 'IgnoreFlowIfNullOrEmpty']);

function checkArgument(node: CallNode, { report }: CheckContext): void {
  const arg = node.args[0];
  if (arg && !(arg.kind === 'attribute' && arg.name === APP_ROLE_ASSIGNMENTS)) {
    report(
      EXPR_CODES.INVALID_ARGUMENT,
      `${node.name} takes [${APP_ROLE_ASSIGNMENTS}] as its argument`,
      arg,
      `write ${node.name}([${APP_ROLE_ASSIGNMENTS}])`,
    );
  }
}

function checkRoleList(node: CallNode, context: CheckContext): void {
  checkArgument(node, context);
  const parent = context.parent;
  if (parent !== null && !(parent.kind === 'call' && ROLE_LIST_WRAPPERS.has(parent.name))) {
    context.report(
      EXPR_CODES.INVALID_ARGUMENT,
      `${node.name} produces a list of roles, which can only be the whole expression`,
      node.nameSpan,
      'map it on its own to the target attribute `roles`; use SingleAppRoleAssignment for a role name string',
    );
  }
}

const single = defineFunction(
  'SingleAppRoleAssignment',
  "one assigned role's value (the lowest role id when several); null when none",
  [APP_ROLE_ASSIGNMENTS],
  (_args, call) => {
    const roles = [...call.ctx.appRoleAssignments].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return roles[0]?.value ?? null;
  },
  { check: checkArgument },
);

function roleList(assertive: boolean): FunctionDef['evaluate'] {
  return (_args, call): RoleList => {
    const seen = new Set<string>();
    const roles: RoleValue[] = [];
    for (const r of call.ctx.appRoleAssignments) {
      if (seen.has(r.id)) continue;
      seen.add(r.id);
      roles.push({ id: r.id, value: r.value, displayName: r.displayName, primary: false, type: 'WindowsAzureActiveDirectoryRole' });
    }
    return { kind: 'roles', roles, assertive };
  };
}

const complex = defineFunction(
  'AppRoleAssignmentsComplex',
  'all assigned roles (SCIM roles, added)',
  [APP_ROLE_ASSIGNMENTS],
  roleList(false),
  { check: checkRoleList },
);

const assertive = defineFunction(
  'AssertiveAppRoleAssignmentsComplex',
  'all assigned roles (SCIM roles, replaced)',
  [APP_ROLE_ASSIGNMENTS],
  roleList(true),
  { check: checkRoleList },
);

export const ROLE_FUNCTIONS: readonly FunctionDef[] = [single, complex, assertive];
