/**
 * Warnings about regular expressions that compile but that Entra may not finish: a repetition that holds a
 * repetition (`(a+)+`, `(\w+\s?)*`). .NET's engine backtracks, and on a value that almost matches it can try
 * exponentially many ways before Entra's match timeout fails the object; provsim runs such patterns in linear
 * time (runtime/dotnet-regex.ts), so only this warning shows that Entra would not. A heuristic: it names the
 * common shape of catastrophic backtracking, and warns too about some nested repetitions that cannot be ambiguous.
 */
import { walk } from './ast.js';
import { EXPR_CODES } from './codes.js';
import { compileDotNetRegex } from './runtime/dotnet-regex.js';
import type { CompiledExpression, ExprDiagnostic } from './types.js';

const REGEX_ARGUMENT = 2;

const HINT =
  'write it so that no repetition holds another (^(a+)+$ matches what ^a+$ matches); provsim runs it in linear time, Entra does not';

/** Why the pattern can backtrack catastrophically on Entra, or null (also for a pattern that does not compile). */
export function regexPatternWarning(pattern: string): string | null {
  const re = compileDotNetRegex(pattern);
  if ('error' in re || !re.nestedQuantifier) return null;
  return `the pattern ${JSON.stringify(pattern)} repeats a repetition: .NET's backtracking engine, which Entra runs, can take exponential time on a value that almost matches it, and Entra's match timeout then fails the object`;
}

/** The hint that goes with `regexPatternWarning`. */
export const REGEX_WARNING_HINT = HINT;

/** One warning per Replace whose regexPattern literal can backtrack catastrophically, at that literal. */
export function regexWarnings(expression: CompiledExpression): ExprDiagnostic[] {
  const out: ExprDiagnostic[] = [];
  walk(expression.root, (node) => {
    if (node.kind !== 'call' || node.name !== 'Replace') return;
    const pattern = node.args[REGEX_ARGUMENT];
    if (pattern?.kind !== 'string') return;
    const message = regexPatternWarning(pattern.value);
    if (message)
      out.push({
        code: EXPR_CODES.REGEX_CATASTROPHIC,
        message: `Replace: ${message}`,
        offset: pattern.offset,
        length: pattern.length,
        hint: HINT,
      });
  });
  return out;
}
