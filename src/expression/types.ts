/**
 * The public data shapes of the expression language: values, evaluation context, diagnostics and results.
 * Other modules (mapping, engine, CLI) are written against exactly these; keep names and shapes stable.
 */
import type { Clock } from '../shared/clock.js';
import type { Random } from '../shared/random.js';
import type { AppRole, SourceValue } from '../model/directory.js';
import type { ExprNode } from './ast.js';

/** A role as produced by the role functions. */
export interface RoleValue {
  id: string;
  value: string;
  displayName: string;
  primary: boolean;
  type: 'WindowsAzureActiveDirectoryRole';
}

/** Result of AppRoleAssignmentsComplex / AssertiveAppRoleAssignmentsComplex. */
export interface RoleList {
  kind: 'roles';
  roles: RoleValue[];
  /** true for AssertiveAppRoleAssignmentsComplex: the target's roles are replaced, not added to. */
  assertive: boolean;
}

/**
 * What an expression evaluates to. Booleans are the strings "True"/"False", as in Entra.
 * Numbers are carried as their decimal strings throughout (AD FILETIMEs exceed 2^53, so no JS numbers).
 */
export type Value = null | string | string[] | RoleList;

export interface EvalContext {
  /** Source attributes by Entra name: objectId, userPrincipalName, IsSoftDeleted ("True"/"False"), accountEnabled ("True"/"False"), members, extension_<appId>_<name>, … */
  attributes: Readonly<Record<string, SourceValue>>;
  /** The object's app role assignments (for [appRoleAssignments] and the role functions). */
  appRoleAssignments: readonly AppRole[];
  /** Now() */
  clock: Clock;
  /** Guid(), RandomString() */
  random: Random;
}

/** A problem found at parse time. All expression diagnostics are errors: an expression with any is not compiled. */
export interface ExprDiagnostic {
  /** Stable code from `EXPR_CODES`. */
  code: string;
  message: string;
  /** 0-based offset in the expression text (UTF-16 code units). */
  offset: number;
  length: number;
  hint?: string;
}

/** A problem found while evaluating against data. The span is the failing function call. */
export interface EvalError {
  code: string;
  message: string;
  offset: number;
  length: number;
}

export type EvalResult =
  | {
      ok: true;
      value: Value;
      /** true when Redact() touched the value: it flows, but logs must show "[Redact]". */
      redacted: boolean;
      /** IgnoreFlowIfNullOrEmpty said: drop this attribute from the flow. */
      ignoreFlow: boolean;
    }
  | { ok: false; error: EvalError };

/** A parsed, checked expression: parse once at job-load time, evaluate many times. Treat as opaque. */
export interface CompiledExpression {
  readonly text: string;
  /** The syntax tree; exposed read-only for printers and tooling, not for evaluation by other modules. */
  readonly root: ExprNode;
}
