import type { Span } from '../ast.js';

/**
 * Thrown inside the evaluator only, caught by `evaluate()` and turned into `{ ok: false }`. Never escapes
 * the module: the public contract is that evaluation does not throw on data.
 */
export class EvalFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly span: Span,
  ) {
    super(message);
    this.name = 'EvalFailure';
  }
}
