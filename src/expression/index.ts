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
// .NET regex semantics, shared with scoping's REGEX MATCH operator, run in bounded time.
export { compileDotNetRegex, firstMatch, isMatch, RegexStepLimitExceeded } from './runtime/dotnet-regex.js';
export { MAX_VALUE_LENGTH } from './runtime/value-limit.js';
// Warnings (not errors) about patterns Entra's backtracking engine may not finish; the mapping loader reports them.
export { REGEX_WARNING_HINT, regexPatternWarning, regexWarnings } from './regex-warnings.js';
