/**
 * The cap on the strings an expression produces. Nested amplifying calls (a Replace whose replacement repeats
 * its match, a Join of a long value with itself…) grow a value geometrically; uncapped, a ten-level nesting
 * exhausts the heap after minutes. Every function result is checked (evaluate.ts), and the functions that
 * build a long string from short inputs (Replace, Join) check the length before they build it.
 * 1,048,576 UTF-16 code units (2 MiB in memory): far above any directory attribute (Entra's longest string
 * attributes hold a few thousand characters) or anything a SCIM server accepts in one value.
 */
import { EXPR_CODES } from '../codes.js';
import type { CallContext } from '../function-def.js';

export const MAX_VALUE_LENGTH = 1_048_576;

/** Ends the evaluation when `length` characters would exceed the cap; `what` names the value for the message. */
export function ensureLength(call: CallContext, length: number, what: string): void {
  if (length > MAX_VALUE_LENGTH) call.fail(EXPR_CODES.EVAL_TOO_LONG, tooLongMessage(call.node.name, length, what));
}

export function tooLongMessage(functionName: string, length: number, what = 'its result'): string {
  const size = Number.isFinite(length) ? `${length.toLocaleString('en-US')} characters` : 'more characters than a string can hold';
  return `${functionName}: ${what} would be ${size}, more than the ${MAX_VALUE_LENGTH.toLocaleString('en-US')} provsim allows for a value; a nested Replace or Join multiplies a value's length at each level`;
}
