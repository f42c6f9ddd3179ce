/**
 * BitAnd(value1, value2): bitwise AND of two whole numbers of any size (`BitAnd(&HF, &HF7)` = 7).
 * A null operand yields null.
 */
import { defineFunction, type FunctionDef } from '../function-def.js';
import { bigint } from '../runtime/coerce.js';

const bitAnd = defineFunction('BitAnd', 'bitwise AND of two numbers', ['value1', 'value2'], ([a, b], call) => {
  const x = bigint(a ?? null, call, 'value1');
  const y = bigint(b ?? null, call, 'value2');
  return x === null || y === null ? null : (x & y).toString();
});

export const NUMBER_FUNCTIONS: readonly FunctionDef[] = [bitAnd];
