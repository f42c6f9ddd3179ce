/**
 * parseExpression: text → compiled expression, or every diagnostic found (syntax first, then meaning).
 * An expression with any diagnostic is not compiled; all expression diagnostics are errors.
 */
import type { Span } from './ast.js';
import { checkTree, type CheckOptions } from './check.js';
import { EXPR_CODES } from './codes.js';
import { parseTokens } from './parser.js';
import { scan } from './scanner.js';
import type { CompiledExpression, ExprDiagnostic } from './types.js';

/** Entra's documented limit on an expression's length (known-issues.md). */
export const MAX_EXPRESSION_LENGTH = 10_000;

export function parseExpression(
  text: string,
  options: CheckOptions = {},
): { expression: CompiledExpression | null; diagnostics: ExprDiagnostic[] } {
  if (text.length > MAX_EXPRESSION_LENGTH) {
    return {
      expression: null,
      diagnostics: [
        {
          code: EXPR_CODES.TOO_LONG,
          message: `the expression is ${text.length} characters long; Entra's limit is ${MAX_EXPRESSION_LENGTH.toLocaleString('en-US')}`,
          offset: MAX_EXPRESSION_LENGTH,
          length: text.length - MAX_EXPRESSION_LENGTH,
          hint: 'shorten it, e.g. by moving logic into several mappings',
        },
      ],
    };
  }
  const scanned = scan(text);
  const tree = parseTokens(scanned.tokens, text);
  const diagnostics = [...scanned.diagnostics, ...tree.diagnostics];
  if (tree.root) {
    checkTree(tree.root, options, (code: string, message: string, span: Span, hint?: string) => {
      diagnostics.push({ code, message, offset: span.offset, length: span.length, ...(hint ? { hint } : {}) });
    });
  }
  diagnostics.sort((a, b) => a.offset - b.offset);
  if (diagnostics.length > 0 || !tree.root) return { expression: null, diagnostics };
  return { expression: Object.freeze({ text, root: tree.root }), diagnostics };
}
