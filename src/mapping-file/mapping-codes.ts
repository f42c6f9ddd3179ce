/**
 * Diagnostic codes of the mapping (job) loader. Stable: tests and users match on them. All but
 * `MAPPING_READ_FAILED` come with file, line and column.
 */
export const MAPPING_CODES = {
  /** The mapping file could not be read. */
  MAPPING_READ_FAILED: 'MAPPING_READ_FAILED',
  /** Malformed YAML/JSON, at the parser's position (also used, as a warning, for parser warnings). */
  MAPPING_SYNTAX: 'MAPPING_SYNTAX',
  /** The file's top level is not a map of `settings`, `users`, `groups`. */
  MAPPING_WRONG_SHAPE: 'MAPPING_WRONG_SHAPE',
  /** A value has the wrong type (a string where a list belongs, a number where true/false belongs…). */
  MAPPING_WRONG_TYPE: 'MAPPING_WRONG_TYPE',
  /** A key the format does not know, with a did-you-mean. */
  MAPPING_UNKNOWN_KEY: 'MAPPING_UNKNOWN_KEY',
  /** A required key is absent (`users`, `attributes`, a row's `target`, a clause's `attribute`/`operator`). */
  MAPPING_MISSING_KEY: 'MAPPING_MISSING_KEY',
  /** A value of the right type that is not accepted (enum values, numbers out of range, an empty expression…). */
  MAPPING_INVALID_VALUE: 'MAPPING_INVALID_VALUE',
  /** A row has none, or more than one, of `source`, `expression`, `constant`. */
  MAPPING_SOURCE_KIND: 'MAPPING_SOURCE_KIND',
  /** A Direct row or scoping clause names a source attribute Entra does not have for this object type. */
  MAPPING_UNKNOWN_SOURCE_ATTRIBUTE: 'MAPPING_UNKNOWN_SOURCE_ATTRIBUTE',
  /** A target path that is not `attr`, `attr.sub`, `attr[type eq "x"].sub` or `urn:…:attr[.sub]`. */
  MAPPING_INVALID_TARGET: 'MAPPING_INVALID_TARGET',
  /** A core or enterprise target that names an attribute (or sub-attribute) the schema does not have. */
  MAPPING_UNKNOWN_TARGET: 'MAPPING_UNKNOWN_TARGET',
  /** `id` as a target: the SCIM primary key is assigned by the app, Entra forbids mapping it. */
  MAPPING_ID_TARGET: 'MAPPING_ID_TARGET',
  /** Two rows of one object mapping write the same target attribute. */
  MAPPING_DUPLICATE_TARGET: 'MAPPING_DUPLICATE_TARGET',
  /** An enabled object mapping has no row with `match`, so Entra could not find existing target objects. */
  MAPPING_NO_MATCHING_ATTRIBUTE: 'MAPPING_NO_MATCHING_ATTRIBUTE',
  /** Two rows of one object mapping have the same matching precedence. */
  MAPPING_DUPLICATE_MATCH_PRECEDENCE: 'MAPPING_DUPLICATE_MATCH_PRECEDENCE',
  /** `match` on a reference attribute (members, manager), which cannot be used to find objects. */
  MAPPING_MATCH_ON_REFERENCE: 'MAPPING_MATCH_ON_REFERENCE',
  /** A scoping operator that is not one of the 14 of SCOPING_OPERATORS. */
  MAPPING_UNKNOWN_OPERATOR: 'MAPPING_UNKNOWN_OPERATOR',
  /** A binary scoping operator without `value`. */
  MAPPING_MISSING_SCOPING_VALUE: 'MAPPING_MISSING_SCOPING_VALUE',
  /** A unary scoping operator (IS TRUE, IS FALSE, IS NULL, IS NOT NULL) with a `value`. */
  MAPPING_UNEXPECTED_SCOPING_VALUE: 'MAPPING_UNEXPECTED_SCOPING_VALUE',
  /** A scoping clause on an attribute Entra refuses in scoping filters (references, multi-valued…). */
  MAPPING_UNSUPPORTED_SCOPING_ATTRIBUTE: 'MAPPING_UNSUPPORTED_SCOPING_ATTRIBUTE',
} as const;

export type MappingCode = keyof typeof MAPPING_CODES;
