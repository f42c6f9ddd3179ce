import SCIMMY from 'scimmy';

type SchemaDefinition = SCIMMY.Types.SchemaDefinition;
type Attribute = SCIMMY.Types.Attribute;
type Filter = SCIMMY.Types.Filter;

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const LIST_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

export type ResourceKind = 'User' | 'Group';

/** `in`: a request body (server-assigned attributes dropped); `out`: a response; `both`: internal copies (PatchOp). */
export type CoercionDirection = 'in' | 'out' | 'both';

/** A SCIMMY schema class: constructing one validates and coerces `data` against the definition. */
export interface ResourceSchemaClass {
  readonly id: string;
  readonly definition: SchemaDefinition;
  new (data: object, direction?: CoercionDirection, basepath?: string, filter?: Filter): SCIMMY.Types.Schema;
}

/**
 * NOTE (why private schema classes): `SCIMMY.Schemas.User` is a process-wide singleton, and the usual
 * `SCIMMY.Resources.declare(User.extend(EnterpriseUser))` mutates it for every SCIMMY user in the process
 * (other provsim modules, other targets, tests). Here each resource type gets its own SchemaDefinition built
 * from SCIMMY's bundled attribute definitions (RFC 7643 §4.1-4.3 as SCIMMY encodes them: types, caseExact,
 * required, mutability), so validation/coercion is SCIMMY's while nothing global is touched. The definitions
 * are immutable after module load and hold no per-target state, so any number of targets can share them.
 * Caveat: the Attribute objects themselves are SCIMMY's; code elsewhere that truncates SCIMMY's bundled
 * schemas would still be seen here.
 */
function privateSchemaClass(
  core: SchemaDefinition,
  extensions: readonly SchemaDefinition[],
  adapt: (attribute: Attribute) => Attribute = (a) => a,
): ResourceSchemaClass {
  const ownAttributes = core.attributes
    .filter((a): a is Attribute => a instanceof SCIMMY.Types.Attribute && a.config.shadow !== true)
    .map(adapt);
  const definition = new SCIMMY.Types.SchemaDefinition(core.name, core.id, core.description, ownAttributes);
  for (const extension of extensions) definition.extend(extension, false);

  class PrivateSchema extends SCIMMY.Types.Schema {
    static override readonly id: string = definition.id;
    static override readonly definition: SchemaDefinition = definition;

    constructor(data: object, direction: CoercionDirection = 'both', basepath?: string, filter?: Filter) {
      super(data, direction);
      Object.assign(this, definition.coerce(data, direction, basepath, filter));
    }
  }
  return PrivateSchema;
}

/**
 * A copy of `attribute` (sub-attributes included) whose `canonicalValues` are suggestions, not a whitelist.
 * SCIMMY rejects any value outside `canonicalValues`, and declares `roles.type`/`entitlements.type` with an
 * empty list, so Entra's `roles: [{type: "WindowsAzureActiveDirectoryRole", …}]` would be refused. RFC 7643
 * §2.3 calls canonical values ones that "MAY be used"; the copy leaves SCIMMY's shared Attribute untouched.
 */
function withAdvisoryCanonicalValues(attribute: Attribute): Attribute {
  const subAttributes = attribute.subAttributes?.map(withAdvisoryCanonicalValues) ?? [];
  const config = { ...attribute.config, canonicalValues: false };
  return new SCIMMY.Types.Attribute(attribute.type, attribute.name, config, subAttributes);
}

export const UserSchema: ResourceSchemaClass = privateSchemaClass(
  SCIMMY.Schemas.User.definition,
  [SCIMMY.Schemas.EnterpriseUser.definition],
  withAdvisoryCanonicalValues,
);
export const GroupSchema: ResourceSchemaClass = privateSchemaClass(SCIMMY.Schemas.Group.definition, []);

/** SCIMMY's Attribute for the enterprise `manager`; compared by identity to spot the manager in any path form. */
export const MANAGER_ATTRIBUTE: Attribute = SCIMMY.Schemas.EnterpriseUser.definition.attribute('manager');

export interface ResourceTypeInfo {
  kind: ResourceKind;
  /** Collection path below the base URL, e.g. `/Users`. */
  endpoint: string;
  schema: ResourceSchemaClass;
  /** Schema URNs a stored resource of this type may list in `schemas`. */
  knownSchemas: readonly string[];
  description: string;
}

export const RESOURCE_TYPES: Readonly<Record<ResourceKind, ResourceTypeInfo>> = Object.freeze({
  User: {
    kind: 'User',
    endpoint: '/Users',
    schema: UserSchema,
    knownSchemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
    description: 'User Account',
  },
  Group: {
    kind: 'Group',
    endpoint: '/Groups',
    schema: GroupSchema,
    knownSchemas: [GROUP_SCHEMA],
    description: 'Group',
  },
});

/** Extension definitions of a resource definition (for User: the enterprise extension). */
export function extensionsOf(definition: SchemaDefinition): SchemaDefinition[] {
  return (definition.attributes as unknown[]).filter((a): a is SchemaDefinition => a instanceof SCIMMY.Types.SchemaDefinition);
}

/**
 * The attribute (or extension definition) a dotted / URN-qualified name denotes, or undefined.
 * Case-insensitive, as RFC 7643 §2.1 wants attribute names to be.
 */
export function findAttribute(definition: SchemaDefinition, name: string): Attribute | SchemaDefinition | undefined {
  try {
    return definition.attribute<Attribute | SchemaDefinition>(name);
  } catch {
    return undefined;
  }
}

export function isSchemaDefinition(node: unknown): node is SchemaDefinition {
  return node instanceof SCIMMY.Types.SchemaDefinition;
}
