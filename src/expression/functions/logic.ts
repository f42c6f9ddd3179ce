/**
 * Conditions and null tests: Switch, IIF, Coalesce, Not, CBool, IsNull, IsNullOrEmpty, IsPresent, IsString.
 * Booleans are the strings "True"/"False".
 *
 * NOTE — choices where Microsoft's reference is silent or ambiguous:
 * - Switch compares source and keys ordinally, case-sensitively; a null source (or key) compares as "",
 *   so `Switch([x], [x], "", "N/A")` catches absent values as the doc recommends. No match → defaultValue,
 *   and an omitted defaultValue is null (the attribute does not flow): the default `active` mapping
 *   `Switch([IsSoftDeleted], , "False", "True", "True", "False")` yields null for any other value.
 * - IIF: "If the source attribute used within the IIF function is empty or null, the condition check
 *   fails." We model the failure as an evaluation error (EXPR_EVAL_IIF_NULL_CONDITION) whenever an
 *   attribute referenced anywhere in the condition is null or empty, so all three of the doc's
 *   "unsupported" examples fail visibly instead of silently picking a branch. Both branches are evaluated
 *   eagerly (an error in the untaken branch still fails), as observed in Entra.
 * - Coalesce returns the first argument that is not null, as documented ("first source value that isn't
 *   NULL"); an empty string counts as a value. The trailing defaultValue is just the last candidate.
 * - Not: "True" (any case) → "False", anything else (null included) → "True", as documented.
 * - CBool: "True"/"False" (any case) or a number (non-zero → True); null/"" → False; other text fails.
 * - IsString: True for a single string (empty included), False for null, lists and role lists.
 */
import { walk, type CallNode } from '../ast.js';
import { EXPR_CODES } from '../codes.js';
import { defineFunction, optional, type CheckContext, type FunctionDef } from '../function-def.js';
import { bool, fromBool, isNullOrEmpty, str, TRUE, FALSE } from '../runtime/coerce.js';

const switchFn = defineFunction(
  'Switch',
  'the value of the first key equal to source, else defaultValue',
  ['source', optional('defaultValue')],
  (args, call) => {
    const source = str(args[0] ?? null, call, 'source') ?? '';
    for (let i = 2; i + 1 < args.length; i += 2) {
      const key = str(args[i] ?? null, call, `key${i / 2}`) ?? '';
      if (key === source) return args[i + 1] ?? null;
    }
    return args[1] ?? null;
  },
  { rest: optional('key, value'), minArgs: 4, check: checkSwitchPairs },
);

function checkSwitchPairs(node: CallNode, { report }: CheckContext): void {
  if (node.args.length >= 4 && node.args.length % 2 === 1) {
    report(
      EXPR_CODES.WRONG_ARITY,
      `Switch takes source, defaultValue and key/value pairs (an even number of arguments), got ${node.args.length}`,
      node.nameSpan,
      'every key needs a value; leave defaultValue empty, not out: Switch([x], , "key", "value")',
    );
  }
}

const iif = defineFunction(
  'IIF',
  'valueIfTrue when condition is "True", else valueIfFalse',
  ['condition', 'valueIfTrue', 'valueIfFalse'],
  ([condition, ifTrue, ifFalse], call) => {
    const conditionNode = call.node.args[0];
    if (conditionNode) {
      const names: string[] = [];
      walk(conditionNode, (n) => {
        if (n.kind === 'attribute' && !names.includes(n.name)) names.push(n.name);
      });
      const empty = names.find((name) => isNullOrEmpty(call.attribute(name)));
      if (empty !== undefined) {
        return call.fail(
          EXPR_CODES.EVAL_IIF_NULL_CONDITION,
          `IIF: the condition uses [${empty}], which is null or empty, and Entra fails the condition check in that case; test for empty values with Switch([${empty}], …, "", …) instead`,
        );
      }
    }
    return bool(condition ?? null, call, 'condition') ? (ifTrue ?? null) : (ifFalse ?? null);
  },
);

const coalesce = defineFunction(
  'Coalesce',
  'the first argument that is not null',
  [],
  (args) => {
    for (const v of args) if (v !== null && !(Array.isArray(v) && v.length === 0)) return v;
    return null;
  },
  { rest: optional('source'), minArgs: 1 },
);

const not = defineFunction('Not', '"True" → "False", anything else → "True"', ['source'], ([source], call) => {
  const s = str(source ?? null, call, 'source');
  return s !== null && s.trim().toLowerCase() === 'true' ? FALSE : TRUE;
});

const cBool = defineFunction('CBool', '"True" when the expression is true or non-zero', ['expression'], ([v], call) =>
  fromBool(bool(v ?? null, call, 'expression')),
);

const isNull = defineFunction('IsNull', '"True" when null (attribute absent)', ['expression'], ([v]) =>
  fromBool(v === null || v === undefined || (Array.isArray(v) && v.length === 0)),
);

const isNullOrEmptyFn = defineFunction('IsNullOrEmpty', '"True" when null or ""', ['expression'], ([v]) =>
  fromBool(isNullOrEmpty(v ?? null)),
);

const isPresent = defineFunction('IsPresent', '"True" when neither null nor ""', ['expression'], ([v]) =>
  fromBool(!isNullOrEmpty(v ?? null)),
);

const isString = defineFunction('IsString', '"True" when the value is a single string', ['expression'], ([v]) =>
  fromBool(typeof v === 'string'),
);

export const LOGIC_FUNCTIONS: readonly FunctionDef[] = [switchFn, iif, coalesce, not, cBool, isNull, isNullOrEmptyFn, isPresent, isString];
