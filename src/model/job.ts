/**
 * A provisioning job as loaded from a mapping YAML file: settings plus one object mapping each for users
 * and groups. Plain data; expressions are kept as text with their position and compiled by `mapping/compile`.
 */
import type { Position } from '../shared/diagnostics.js';

export interface JobSettings {
  /** Entra's "Sync only assigned users and groups" (`assigned`) or "Sync all users and groups" (`all`). @default 'assigned' */
  scope: 'assigned' | 'all';
  /** Entra's SkipOutOfScopeDeletions: objects that leave scope are not disabled. @default false */
  skipOutOfScopeDeletions: boolean;
  /** A number turns accidental-deletion prevention on (disables + deletes per cycle). @default null */
  accidentalDeletionThreshold: number | null;
  /** false: users whose only role is "Default Access" are skipped. @default true */
  provisionDefaultAccess: boolean;
}

/** The 14 scoping operators, named as in the portal and in Graph's filterOperators (spec §4.2). */
export const SCOPING_OPERATORS = [
  'EQUALS',
  'NOT EQUALS',
  'IS TRUE',
  'IS FALSE',
  'IS NULL',
  'IS NOT NULL',
  'REGEX MATCH',
  'NOT REGEX MATCH',
  'Greater_Than',
  'Greater_Than_OR_EQUALS',
  'Includes',
  'ENDS_WITH',
  '&',
  '!&',
] as const;
export type ScopingOperator = (typeof SCOPING_OPERATORS)[number];

/** Operators that take no value. */
export const UNARY_SCOPING_OPERATORS: readonly ScopingOperator[] = ['IS TRUE', 'IS FALSE', 'IS NULL', 'IS NOT NULL'];

export interface ScopingClause {
  /** Source attribute name (Entra's name, e.g. `department`, `extension_<appId>_costCenter`). */
  attribute: string;
  operator: ScopingOperator;
  /** Absent for the unary operators. */
  value?: string;
  position: Position;
}

/** Clauses in a group are ANDed; groups are ORed. An empty list of groups means "everything in scope". */
export type ScopingGroup = ScopingClause[];

export type AttributeSource =
  | { kind: 'direct'; attribute: string; position: Position }
  | { kind: 'constant'; value: string; position: Position }
  /**
   * `position` is where the expression's first character sits in the file (inside the quotes, for a quoted
   * scalar), so a column inside the expression can be turned into a file column by adding it.
   */
  | { kind: 'expression'; text: string; position: Position };

export interface AttributeMapping {
  /** Target path: `userName`, `name.givenName`, `emails[type eq "work"].value`, or `<schema URN>:<attr>`. */
  target: string;
  source: AttributeSource;
  /** Matching precedence (1 = first); null when the attribute is not used for matching. */
  match: number | null;
  /** Entra's "Apply this mapping": `always`, or `on-create` (Only during creation / ObjectAddOnly). @default 'always' */
  apply: 'always' | 'on-create';
  /** Entra's "Default value if null": used only when creating. @default null */
  default: string | null;
  /** Compare values case-sensitively when deciding whether to update. @default false */
  caseExact: boolean;
  position: Position;
}

export type ObjectAction = 'create' | 'update' | 'delete';

export interface ObjectMapping {
  /** false only for a group mapping that is switched off. @default true */
  enabled: boolean;
  /** Entra's "Target object actions". @default ['create', 'update', 'delete'] */
  actions: ObjectAction[];
  scoping: ScopingGroup[];
  attributes: AttributeMapping[];
  /**
   * Attributes the app has beyond SCIM's core and enterprise schemas (Entra: the app's attribute list),
   * which targets may name without a schema URN. Absent when the mapping declares none.
   */
  appAttributes?: string[];
  position: Position;
}

export interface Job {
  /** The mapping file, as the user named it. */
  file: string;
  settings: JobSettings;
  users: ObjectMapping;
  groups: ObjectMapping;
}
