/**
 * What a built-in function is: its signature (for arity checks and hints), optional parse-time checks,
 * and its evaluation. Arguments are evaluated eagerly, left to right, before the function runs — including
 * both branches of IIF and every Switch value, as Entra does (an error in an untaken IIF branch still fails
 * the expression; third-party observation of FormatDateTime inside IIF).
 */
import type { CallNode, ExprNode, Span } from './ast.js';
import type { EvalContext, Value } from './types.js';

export interface ParamSpec {
  name: string;
  /** An omitted (empty) argument in a required position is a parse-time error. */
  required: boolean;
}

/** Reports a parse-time problem; see `EXPR_CODES` for codes. */
export type Report = (code: string, message: string, span: Span, hint?: string) => void;

export interface CheckContext {
  report: Report;
  /** The call's parent node, null at the top level. */
  parent: ExprNode | null;
}

/** Mutable per-evaluation flags that functions may raise. */
export interface EvalState {
  redacted: boolean;
  ignoreFlow: boolean;
}

export interface CallContext {
  node: CallNode;
  ctx: EvalContext;
  state: EvalState;
  /** Ends the evaluation with an error whose span is this call. */
  fail(code: string, message: string): never;
  /** Whether argument `index` was written (not an empty position, not beyond the end). */
  given(index: number): boolean;
  /** The value of `[name]` as the evaluator reads it (for IIF's null-condition rule and Replace). */
  attribute(name: string): Value;
}

export interface FunctionDef {
  name: string;
  /** Fixed parameters, in order. */
  params: readonly ParamSpec[];
  /** A repeating tail (Join's sources, Coalesce's sources, Switch's key/value pairs). */
  rest?: ParamSpec;
  minArgs: number;
  /** `Infinity` when `rest` is set. */
  maxArgs: number;
  /** One line for docs and hints. */
  summary: string;
  /** Further parse-time checks beyond arity and required positions. */
  check?(node: CallNode, context: CheckContext): void;
  evaluate(args: readonly Value[], call: CallContext): Value;
}

/** `Mid(source, start, length)`, with optional parameters in brackets. */
export function signatureOf(def: FunctionDef): string {
  const parts = def.params.map((p) => (p.required ? p.name : `[${p.name}]`));
  if (def.rest) parts.push(`${def.rest.name}…`);
  return `${def.name}(${parts.join(', ')})`;
}

/** A function with fixed parameters; min = number of required leading parameters. */
export function defineFunction(
  name: string,
  summary: string,
  params: readonly (string | ParamSpec)[],
  evaluate: FunctionDef['evaluate'],
  extra: { rest?: ParamSpec; minArgs?: number; check?: FunctionDef['check'] } = {},
): FunctionDef {
  const specs = params.map((p) => (typeof p === 'string' ? { name: p, required: true } : p));
  const lastRequired = specs.map((p) => p.required).lastIndexOf(true);
  return {
    name,
    summary,
    params: specs,
    ...(extra.rest ? { rest: extra.rest } : {}),
    minArgs: extra.minArgs ?? lastRequired + 1,
    maxArgs: extra.rest ? Infinity : specs.length,
    ...(extra.check ? { check: extra.check } : {}),
    evaluate,
  };
}

export const optional = (name: string): ParamSpec => ({ name, required: false });
