/**
 * The comparison operators of IIF conditions and CBool (`=`, `<>`, `>`, `>=`, `<`, `<=`).
 * When both sides read as numbers they are compared as numbers (`DateDiff(…) > 5`, `Len([x])="10"`);
 * otherwise as strings, ordinally and case-sensitively, like the rest of the language (Switch keys,
 * Replace). null compares as "".
 */
import type { ComparisonOperator } from '../ast.js';
import { parseNumber } from './coerce.js';

export function compareValues(left: string | null, right: string | null, operator: ComparisonOperator): boolean {
  const a = left ?? '';
  const b = right ?? '';
  const na = parseNumber(a);
  const nb = parseNumber(b);
  const order = na !== null && nb !== null ? Math.sign(na - nb) : a === b ? 0 : a < b ? -1 : 1;
  switch (operator) {
    case '=':
      return order === 0;
    case '<>':
      return order !== 0;
    case '>':
      return order > 0;
    case '>=':
      return order >= 0;
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
  }
}
