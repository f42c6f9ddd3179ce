/**
 * Diagnostic codes of `provsim mappings import` (a Graph synchronizationSchema → mapping YAML). Stable: tests
 * and users match on them. Errors stop the import; warnings ("notes") say what could not be carried over and
 * what was done instead. Only SCHEMA_SYNTAX comes with a line and column (the JSON parser's); the others name
 * the place in the schema as a JSON path in the message.
 */
export const IMPORT_CODES = {
  /** The schema file could not be read. */
  SCHEMA_READ_FAILED: 'SCHEMA_READ_FAILED',
  /** The file is not JSON. */
  SCHEMA_SYNTAX: 'SCHEMA_SYNTAX',
  /** JSON, but not a synchronizationSchema (no `synchronizationRules` list). */
  SCHEMA_NOT_A_SCHEMA: 'SCHEMA_NOT_A_SCHEMA',
  /** No object mapping reads Entra's `User` objects. */
  SCHEMA_NO_USER_MAPPING: 'SCHEMA_NO_USER_MAPPING',
  /** A part of the schema that has the wrong shape (a row that is not an object, a missing targetAttributeName…): skipped. */
  SCHEMA_MALFORMED_ENTRY: 'SCHEMA_MALFORMED_ENTRY',
  /** An object mapping that is not imported: not `User`/`Group`, or a second one for the same source object. */
  SCHEMA_OBJECT_MAPPING_SKIPPED: 'SCHEMA_OBJECT_MAPPING_SKIPPED',
  /** The user object mapping is disabled in the schema; provsim always provisions users. */
  SCHEMA_USER_MAPPING_DISABLED: 'SCHEMA_USER_MAPPING_DISABLED',
  /** `flowTypes` with a value other than Add, Update, Delete, None. */
  SCHEMA_UNKNOWN_OBJECT_FLOW_TYPE: 'SCHEMA_UNKNOWN_OBJECT_FLOW_TYPE',
  /** An attribute flowType other than Always and ObjectAddOnly (MultiValueAddOnly, ValueAddOnly, AttributeAddOnly…). */
  SCHEMA_UNSUPPORTED_FLOW_TYPE: 'SCHEMA_UNSUPPORTED_FLOW_TYPE',
  /** flowBehavior FlowAlways: provsim, like Entra's default FlowWhenChanged, only sends changes. */
  SCHEMA_UNSUPPORTED_FLOW_BEHAVIOR: 'SCHEMA_UNSUPPORTED_FLOW_BEHAVIOR',
  /** Mapping type None (no source) with a default value: imported as a constant applied only during creation. */
  SCHEMA_NONE_MAPPING: 'SCHEMA_NONE_MAPPING',
  /** A Function source without `expression` text: the expression was rebuilt from `name` and `parameters`. */
  SCHEMA_EXPRESSION_REBUILT: 'SCHEMA_EXPRESSION_REBUILT',
  /** An attribute row provsim cannot load (unknown source attribute, bad target, expression that does not parse…): left out, as a comment. */
  SCHEMA_ROW_SKIPPED: 'SCHEMA_ROW_SKIPPED',
  /** A matching priority on a row that cannot be matched on (a reference attribute): dropped. */
  SCHEMA_MATCH_DROPPED: 'SCHEMA_MATCH_DROPPED',
  /** A scoping filter group with a clause provsim cannot evaluate: the whole group is left out. */
  SCHEMA_SCOPING_GROUP_SKIPPED: 'SCHEMA_SCOPING_GROUP_SKIPPED',
  /** A scoping clause with several values: only the first is kept. */
  SCHEMA_SCOPING_VALUES: 'SCHEMA_SCOPING_VALUES',
  /** `inputFilterGroups` / `categoryFilterGroups` (experimental filters) are not imported. */
  SCHEMA_EXPERIMENTAL_FILTER: 'SCHEMA_EXPERIMENTAL_FILTER',
} as const;
