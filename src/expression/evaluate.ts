/**
 * evaluate: a compiled expression + one object's data → a value, or an error pointing at the failing call.
 * Arguments are evaluated eagerly, left to right. Never throws: data problems come back as `{ ok: false }`,
 * and an unexpected exception inside a function becomes EXPR_EVAL_INTERNAL rather than escaping. No call
 * returns a value longer than MAX_VALUE_LENGTH (runtime/value-limit.ts): EXPR_EVAL_TOO_LONG instead.
 */
import type { CallNode, ExprNode, Span } from './ast.js';
import { EXPR_CODES } from './codes.js';
import type { CallContext, EvalState } from './function-def.js';
import { APP_ROLE_ASSIGNMENTS } from './functions/roles.js';
import { FUNCTIONS } from './registry.js';
import { isRoleList } from './runtime/coerce.js';
import { compareValues } from './runtime/compare.js';
import { EvalFailure } from './runtime/eval-failure.js';
import { MAX_VALUE_LENGTH, tooLongMessage } from './runtime/value-limit.js';
import type { CompiledExpression, EvalContext, EvalResult, Value } from './types.js';

export function evaluate(expression: CompiledExpression, context: EvalContext): EvalResult {
  const state: EvalState = { redacted: false, ignoreFlow: false };
  try {
    const value = evalNode(expression.root, context, state);
    return { ok: true, value, redacted: state.redacted, ignoreFlow: state.ignoreFlow };
  } catch (e) {
    if (e instanceof EvalFailure)
      return { ok: false, error: { code: e.code, message: e.message, offset: e.span.offset, length: e.span.length } };
    const message = e instanceof Error ? e.message : String(e);
    return {
      ok: false,
      error: {
        code: EXPR_CODES.EVAL_INTERNAL,
        message: `internal error in the expression evaluator: ${message}`,
        offset: expression.root.offset,
        length: expression.root.length,
      },
    };
  }
}

/**
 * `[name]` as the evaluator sees it: the attribute's value, with an empty list read as null (absent);
 * `[appRoleAssignments]`, when not given as an attribute, is the list of assigned role values.
 */
export function readAttribute(context: EvalContext, name: string): Value {
  if (Object.hasOwn(context.attributes, name)) {
    const v: unknown = context.attributes[name];
    if (v === null || v === undefined) return null;
    if (Array.isArray(v)) return v.length === 0 ? null : v.map(String);
    if (typeof v === 'boolean') return v ? 'True' : 'False';
    return String(v);
  }
  if (name === APP_ROLE_ASSIGNMENTS && context.appRoleAssignments.length > 0) return context.appRoleAssignments.map((r) => r.value);
  return null;
}

function evalNode(node: ExprNode, context: EvalContext, state: EvalState): Value {
  switch (node.kind) {
    case 'string':
    case 'number':
      return node.value;
    case 'enum':
      return node.name;
    case 'omitted':
      return null;
    case 'attribute':
      return readAttribute(context, node.name);
    case 'comparison': {
      const left = comparable(evalNode(node.left, context, state), node);
      const right = comparable(evalNode(node.right, context, state), node);
      return compareValues(left, right, node.operator) ? 'True' : 'False';
    }
    case 'error':
      throw new EvalFailure(EXPR_CODES.EVAL_INTERNAL, 'the expression contains a syntax error and should not have been compiled', node);
    case 'call': {
      const def = FUNCTIONS.get(node.name);
      if (!def) throw new EvalFailure(EXPR_CODES.EVAL_INTERNAL, `unknown function ${node.name} reached the evaluator`, node);
      const args: Value[] = new Array<Value>(node.args.length);
      for (let i = 0; i < node.args.length; i++) args[i] = evalNode(node.args[i]!, context, state);
      const value = def.evaluate(args, new Call(node, context, state));
      const length = typeof value === 'string' ? value.length : Array.isArray(value) ? totalLength(value) : 0;
      if (length > MAX_VALUE_LENGTH) throw new EvalFailure(EXPR_CODES.EVAL_TOO_LONG, tooLongMessage(node.name, length), node);
      return value;
    }
  }
}

/** The call context as a class: one allocation per call, methods on the prototype (this is the hot path). */
class Call implements CallContext {
  constructor(
    readonly node: CallNode,
    readonly ctx: EvalContext,
    readonly state: EvalState,
  ) {}

  fail(code: string, message: string): never {
    throw new EvalFailure(code, message, this.node);
  }

  given(index: number): boolean {
    const arg = this.node.args[index];
    return arg !== undefined && arg.kind !== 'omitted';
  }

  attribute(name: string): Value {
    return readAttribute(this.ctx, name);
  }
}

function totalLength(values: readonly string[]): number {
  let n = 0;
  for (const v of values) n += v.length;
  return n;
}

/** One side of a comparison: a single string or null. */
function comparable(v: Value, span: Span): string | null {
  if (v === null || typeof v === 'string') return v;
  if (isRoleList(v)) throw new EvalFailure(EXPR_CODES.EVAL_TYPE, 'a role list cannot be compared', span);
  if (v.length === 0) return null;
  if (v.length === 1) return v[0]!;
  throw new EvalFailure(EXPR_CODES.EVAL_MULTIVALUED, `cannot compare a value with ${v.length} values`, span);
}
