/**
 * The embedded SCIM 2.0 target: a real in-memory SCIM server on 127.0.0.1 for provsim's demo, end-to-end
 * tests and conformance suite. This file is the area's contract; everything else in the folder is internal.
 */
export { startTarget, type StartTargetOptions } from './start-target.js';
export { STRICT_RULES, TOLERANT_RULES, TARGET_RULE_NAMES, rulesForProfile, type TargetRules, type TargetRuleName } from './rules.js';
export type {
  JsonObject,
  JsonPrimitive,
  JsonValue,
  RequestLogEntry,
  RunningTarget,
  ScimMeta,
  ScimResource,
  TargetOptions,
  TargetProfile,
} from './types.js';
