/**
 * Flow control for the provisioning engine, not for the value: Redact and IgnoreFlowIfNullOrEmpty.
 *
 * Both raise a flag on the evaluation rather than changing the value:
 * - Redact(x) returns x and marks the result redacted (logs show "[Redact]"). The mark is sticky: a value
 *   built from a redacted piece (`Join("", Redact([a]), [b])`) is redacted as a whole, and because
 *   arguments are evaluated eagerly a Redact in an untaken IIF branch also marks it — over-redacting a log
 *   line is the safe side.
 * - IgnoreFlowIfNullOrEmpty(x) returns x and, when x is null, "" or an empty list, tells the engine to drop
 *   the attribute from the flow. Meant for the top level; nested, it still raises the flag.
 */
import { defineFunction, type FunctionDef } from '../function-def.js';
import { isNullOrEmpty } from '../runtime/coerce.js';

const redact = defineFunction('Redact', 'the value, shown as "[Redact]" in provisioning logs', ['value'], ([v], call) => {
  call.state.redacted = true;
  return v ?? null;
});

const ignoreFlow = defineFunction(
  'IgnoreFlowIfNullOrEmpty',
  'the value; null or "" drops the attribute from the flow',
  ['expression'],
  ([v], call) => {
    if (isNullOrEmpty(v ?? null)) call.state.ignoreFlow = true;
    return v ?? null;
  },
);

export const FLOW_FUNCTIONS: readonly FunctionDef[] = [redact, ignoreFlow];
