/**
 * The function table: every function the evaluator runs, and the Entra functions it refuses (with why).
 * Names are case-sensitive, as in Entra.
 */
import type { FunctionDef } from './function-def.js';
import { CASING_FUNCTIONS } from './functions/casing.js';
import { DATE_FUNCTIONS } from './functions/dates.js';
import { ENCODING_FUNCTIONS } from './functions/encoding.js';
import { FLOW_FUNCTIONS } from './functions/flow.js';
import { GENERATOR_FUNCTIONS } from './functions/generators.js';
import { LOGIC_FUNCTIONS } from './functions/logic.js';
import { MULTI_VALUE_FUNCTIONS } from './functions/multi-value.js';
import { NUMBER_FUNCTIONS } from './functions/numbers.js';
import { REPLACE_FUNCTIONS } from './functions/replace.js';
import { ROLE_FUNCTIONS } from './functions/roles.js';
import { TEXT_FUNCTIONS } from './functions/text.js';

const ALL: readonly FunctionDef[] = [
  ...TEXT_FUNCTIONS,
  ...CASING_FUNCTIONS,
  ...REPLACE_FUNCTIONS,
  ...MULTI_VALUE_FUNCTIONS,
  ...ENCODING_FUNCTIONS,
  ...LOGIC_FUNCTIONS,
  ...NUMBER_FUNCTIONS,
  ...DATE_FUNCTIONS,
  ...GENERATOR_FUNCTIONS,
  ...FLOW_FUNCTIONS,
  ...ROLE_FUNCTIONS,
];

export const FUNCTIONS: ReadonlyMap<string, FunctionDef> = new Map(ALL.map((f) => [f.name, f]));

/** Function names the evaluator supports, alphabetically. */
export const SUPPORTED_FUNCTIONS: readonly string[] = Object.freeze([...FUNCTIONS.keys()].sort());

/** Real Entra functions the simulator refuses at parse time, with the reason shown to the user. */
export const UNSUPPORTED_FUNCTIONS: Readonly<Record<string, string>> = Object.freeze({
  SelectUniqueValue:
    'SelectUniqueValue is only supported by Workday/SuccessFactors → Active Directory and API-driven inbound provisioning to on-premises AD, not by SCIM apps; Entra rejects it here',
});
