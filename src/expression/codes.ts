/**
 * Stable diagnostic and evaluation-error codes of the expression language. Tests, docs and the CLI match on
 * these strings; never rename one, add new ones instead.
 */
export const EXPR_CODES = {
  // ── Parse time (ExprDiagnostic) ──────────────────────────────────────────────────────────────
  /** The expression is empty or only whitespace. */
  EMPTY: 'EXPR_EMPTY',
  /** Longer than Entra's 10,000-character limit. */
  TOO_LONG: 'EXPR_TOO_LONG',
  /** Any other grammar violation: unexpected token, missing comma, stray character, indexing syntax… */
  SYNTAX: 'EXPR_SYNTAX',
  UNCLOSED_STRING: 'EXPR_UNCLOSED_STRING',
  UNCLOSED_ATTRIBUTE: 'EXPR_UNCLOSED_ATTRIBUTE',
  MISSING_PAREN: 'EXPR_MISSING_PAREN',
  /** A bare word that is neither a function call nor vbTextCompare/vbBinaryCompare. */
  UNKNOWN_IDENTIFIER: 'EXPR_UNKNOWN_IDENTIFIER',
  UNKNOWN_FUNCTION: 'EXPR_UNKNOWN_FUNCTION',
  /** A real Entra function the simulator refuses (SelectUniqueValue); the message says why. */
  UNSUPPORTED_FUNCTION: 'EXPR_UNSUPPORTED_FUNCTION',
  WRONG_ARITY: 'EXPR_WRONG_ARITY',
  /** A required argument position left empty (`Mid([x], , 3)`). */
  MISSING_ARGUMENT: 'EXPR_MISSING_ARGUMENT',
  /** An argument that can never work in that position (bad interval, role function on a non-role input…). */
  INVALID_ARGUMENT: 'EXPR_INVALID_ARGUMENT',
  /** A regex literal that does not compile (or uses .NET-only constructs the simulator cannot run). */
  BAD_REGEX: 'EXPR_BAD_REGEX',
  /** `[name]` not among `knownAttributes` (only checked when that option is given). */
  UNKNOWN_ATTRIBUTE: 'EXPR_UNKNOWN_ATTRIBUTE',
  /**
   * A warning, not an error: a regex that repeats a repetition (`(a+)+`), on which .NET's backtracking engine can
   * take exponential time, so Entra's match timeout fails the object. Reported by the mapping loader.
   */
  REGEX_CATASTROPHIC: 'EXPR_REGEX_CATASTROPHIC',

  // ── Evaluation time (EvalError) ──────────────────────────────────────────────────────────────
  EVAL_NOT_A_NUMBER: 'EXPR_EVAL_NOT_A_NUMBER',
  EVAL_NOT_BOOLEAN: 'EXPR_EVAL_NOT_BOOLEAN',
  /** A multi-valued input where a single string is needed. */
  EVAL_MULTIVALUED: 'EXPR_EVAL_MULTIVALUED',
  /** A role list where a string is needed. */
  EVAL_TYPE: 'EXPR_EVAL_TYPE',
  EVAL_BAD_REGEX: 'EXPR_EVAL_BAD_REGEX',
  /** A regex needed more backtracking steps than provsim allows on this value (Entra: its match timeout fails the object). */
  EVAL_REGEX_TIMEOUT: 'EXPR_EVAL_REGEX_TIMEOUT',
  /** A function's result is longer than MAX_VALUE_LENGTH characters. */
  EVAL_TOO_LONG: 'EXPR_EVAL_TOO_LONG',
  EVAL_BAD_DATE: 'EXPR_EVAL_BAD_DATE',
  EVAL_BAD_INTERVAL: 'EXPR_EVAL_BAD_INTERVAL',
  EVAL_BAD_FORMAT: 'EXPR_EVAL_BAD_FORMAT',
  EVAL_BAD_CULTURE: 'EXPR_EVAL_BAD_CULTURE',
  EVAL_OUT_OF_RANGE: 'EXPR_EVAL_OUT_OF_RANGE',
  EVAL_BAD_ARGUMENT: 'EXPR_EVAL_BAD_ARGUMENT',
  /** IIF whose condition uses an attribute that is null or empty: Entra fails the condition check (doc, "Known limitations"). */
  EVAL_IIF_NULL_CONDITION: 'EXPR_EVAL_IIF_NULL_CONDITION',
  /** A bug in the simulator, never a data problem; reported instead of thrown. */
  EVAL_INTERNAL: 'EXPR_EVAL_INTERNAL',
} as const;

export type ExprCode = (typeof EXPR_CODES)[keyof typeof EXPR_CODES];
