/**
 * Entra's attribute-mapping expression language (spec §3): parse once, evaluate per object.
 *
 *   const { expression, diagnostics } = parseExpression('Join(" ", [givenName], [surname])');
 *   const result = evaluate(expression!, { attributes, appRoleAssignments, clock, random });
 */
export type { CompiledExpression, EvalContext, EvalError, EvalResult, ExprDiagnostic, RoleList, RoleValue, Value } from './types.js';
export type { ComparisonOperator, ExprNode, Span } from './ast.js';
export { parseExpression, MAX_EXPRESSION_LENGTH } from './parse-expression.js';
export { evaluate } from './evaluate.js';
export { referencedAttributes } from './referenced-attributes.js';
export { printExpression } from './print.js';
export { FUNCTIONS, SUPPORTED_FUNCTIONS, UNSUPPORTED_FUNCTIONS } from './registry.js';
export { EXPR_CODES, type ExprCode } from './codes.js';
// .NET regex semantics, shared with scoping's REGEX MATCH operator.
export { compileDotNetRegex, firstMatch } from './runtime/dotnet-regex.js';
