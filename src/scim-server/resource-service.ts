import type { Clock } from '../shared/clock.js';
import type { Random } from '../shared/random.js';
import { applyPatch } from './apply-patch.js';
import { NO_PROJECTION, parseProjection, render, type Projection } from './attribute-projection.js';
import { compileListFilter } from './list-filter.js';
import { memberIds } from './member-values.js';
import type { ScimQuery } from './query-params.js';
import { LIST_RESPONSE_SCHEMA, RESOURCE_TYPES, type ResourceKind } from './resource-schemas.js';
import { INDEXED_ATTRIBUTES, type ResourceStore } from './resource-store.js';
import type { TargetRules } from './rules.js';
import { scimError } from './scim-error.js';
import type { JsonObject, JsonValue, ScimResource } from './types.js';
import { applyValueShapes, isPlainObject } from './value-shapes.js';

export interface ServiceOptions {
  rules: Readonly<TargetRules>;
  clock: Clock;
  random: Random;
  /** The target's base URL (known only once the server listens); used for meta.location and members' $ref. */
  baseUrl: () => string;
  /** Page size when a list request has no `count`. */
  defaultPageSize: number;
}

/** What the HTTP layer sends: a status, an optional JSON body and, for creates, a Location header. */
export interface ServiceResponse {
  status: number;
  body?: JsonObject;
  location?: string;
}

/**
 * The SCIM operations of one target over its store, independent of HTTP. All writes go through `prepare`
 * (SCIMMY inbound coercion, Entra value shapes per the rules, members, uniqueness), so POST, PUT and PATCH
 * enforce the same invariants (see ResourceStore). Writes are serialised per target: PATCH awaits SCIMMY's
 * PatchOp, and the uniqueness check and the store write of one request must not interleave with another's.
 */
export class ResourceService {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: ResourceStore,
    private readonly options: ServiceOptions,
  ) {}

  /** Largest page served, whatever `count` asks for (RFC 7644 §3.4.2.4 lets the server cap it). */
  get maxResults(): number {
    return Math.max(1000, this.options.defaultPageSize);
  }

  list(kind: ResourceKind, query: ScimQuery): ServiceResponse {
    const projection = parseProjection(query.attributes, query.excludedAttributes);
    const filter = query.filter === undefined ? undefined : compileListFilter(RESOURCE_TYPES[kind].schema.definition, query.filter);
    const indexed = filter?.candidates && INDEXED_ATTRIBUTES.includes(filter.candidates.attribute) ? filter.candidates : undefined;
    const pool = indexed ? this.store.findByValue(kind, indexed.attribute, indexed.value) : this.store.all(kind);
    let matched = pool.map((r) => this.withDerived(kind, r));
    if (filter) matched = filter.match(matched);
    const startIndex = query.startIndex ?? 1;
    const count = Math.min(query.count ?? this.options.defaultPageSize, this.maxResults);
    const page = matched.slice(startIndex - 1, startIndex - 1 + count);
    return {
      status: 200,
      body: {
        schemas: [LIST_RESPONSE_SCHEMA],
        totalResults: matched.length,
        Resources: page.map((r) => this.render(kind, r, projection)),
        startIndex,
        // RFC 7644 §3.4.2: the number of resources returned in this page.
        itemsPerPage: page.length,
      },
    };
  }

  get(kind: ResourceKind, id: string, query: ScimQuery): ServiceResponse {
    const projection = parseProjection(query.attributes, query.excludedAttributes);
    const stored = this.require(kind, id);
    return { status: 200, body: this.render(kind, this.withDerived(kind, stored), projection) };
  }

  create(kind: ResourceKind, body: unknown, query: ScimQuery): Promise<ServiceResponse> {
    return this.exclusive(() => {
      const projection = parseProjection(query.attributes, query.excludedAttributes);
      const resource = this.prepare(kind, body, `POST ${RESOURCE_TYPES[kind].endpoint} body`, undefined);
      this.store.put(kind, resource['id'] as string, resource);
      const rendered = this.render(kind, this.withDerived(kind, resource), projection);
      return { status: 201, body: rendered, location: this.locationOf(kind, resource['id'] as string) };
    });
  }

  replace(kind: ResourceKind, id: string, body: unknown, query: ScimQuery): Promise<ServiceResponse> {
    return this.exclusive(() => {
      const projection = parseProjection(query.attributes, query.excludedAttributes);
      const existing = this.require(kind, id);
      const resource = this.prepare(kind, body, `PUT ${RESOURCE_TYPES[kind].endpoint}/${id} body`, existing);
      this.store.put(kind, id, resource);
      return { status: 200, body: this.render(kind, this.withDerived(kind, resource), projection) };
    });
  }

  /** 200 with the resource for Users; 204 for Groups (Entra prefers it, and it spares listing members). */
  patch(kind: ResourceKind, id: string, body: unknown, query: ScimQuery): Promise<ServiceResponse> {
    return this.exclusive(async () => {
      const projection = parseProjection(query.attributes, query.excludedAttributes);
      const existing = this.require(kind, id);
      const patched = await applyPatch(kind, structuredClone(existing), body, this.options.rules);
      const resource = this.prepare(kind, patched, `PATCH ${RESOURCE_TYPES[kind].endpoint}/${id} result`, existing);
      this.store.put(kind, id, resource);
      if (kind === 'Group') return { status: 204 };
      return { status: 200, body: this.render(kind, this.withDerived(kind, resource), projection) };
    });
  }

  /** Deleting a User or Group also takes it out of every group's members. */
  remove(kind: ResourceKind, id: string): Promise<ServiceResponse> {
    return this.exclusive(() => {
      this.require(kind, id);
      this.store.delete(kind, id);
      for (const group of this.store.all('Group')) {
        const members = Array.isArray(group['members']) ? group['members'] : [];
        const kept = members.filter((m) => !(isPlainObject(m) && m['value'] === id));
        if (kept.length === members.length) continue;
        this.store.put('Group', group['id'] as string, this.touched({ ...group, members: kept }, group));
      }
      return { status: 204 };
    });
  }

  snapshot(): { users: ScimResource[]; groups: ScimResource[] } {
    const all = (kind: ResourceKind): ScimResource[] =>
      this.store.all(kind).map((r) => this.render(kind, this.withDerived(kind, r), NO_PROJECTION) as ScimResource);
    return { users: all('User'), groups: all('Group') };
  }

  private exclusive<T>(work: () => T | Promise<T>): Promise<T> {
    const run = this.tail.then(work);
    this.tail = run.catch(() => undefined);
    return run;
  }

  private require(kind: ResourceKind, id: string): JsonObject {
    const stored = this.store.get(kind, id);
    if (!stored) throw scimError(404, null, `${kind} ${id} not found at ${RESOURCE_TYPES[kind].endpoint}/${id}`);
    return stored;
  }

  private locationOf(kind: ResourceKind, id: string): string {
    return `${this.options.baseUrl()}${RESOURCE_TYPES[kind].endpoint}/${id}`;
  }

  private render(kind: ResourceKind, resource: JsonObject, projection: Projection): JsonObject {
    const info = RESOURCE_TYPES[kind];
    return render(info.schema, resource, `${this.options.baseUrl()}${info.endpoint}`, projection);
  }

  /** Members with the `type`, `display` and `$ref` of what they point at, as a client expects to read them. */
  private withDerived(kind: ResourceKind, resource: JsonObject): JsonObject {
    if (kind !== 'Group' || !Array.isArray(resource['members'])) return resource;
    const members = resource['members'].map((member) => {
      const id = isPlainObject(member) ? member['value'] : undefined;
      if (typeof id !== 'string') return member;
      const memberKind = this.store.kindOf(id);
      if (!memberKind) return { value: id };
      const target = this.store.get(memberKind, id);
      const display = memberKind === 'User' ? (target?.['displayName'] ?? target?.['userName']) : target?.['displayName'];
      return {
        value: id,
        ...(typeof display === 'string' ? { display } : {}),
        $ref: this.locationOf(memberKind, id),
        type: memberKind,
      };
    });
    return { ...resource, members };
  }

  /**
   * Validate `body` as a complete resource and return its stored form. `existing` is the resource being
   * replaced (PUT, PATCH): its id and `meta.created` are kept, and `lastModified`/`version` move only when
   * the content changed.
   */
  private prepare(kind: ResourceKind, body: unknown, where: string, existing: JsonObject | undefined): JsonObject {
    const { schema, knownSchemas } = RESOURCE_TYPES[kind];
    if (!isPlainObject(body)) throw scimError(400, 'invalidSyntax', `${where} must be a JSON object (a SCIM ${kind})`);
    const shaped = applyValueShapes(schema.definition, body, this.options.rules, `the ${where}`, '').value;
    let input = isPlainObject(shaped) ? shaped : body;
    if (kind === 'Group') input = withMemberValues(input, where);

    let coerced: JsonObject;
    try {
      coerced = JSON.parse(JSON.stringify(new schema(input, 'in'))) as JsonObject;
    } catch (error) {
      // SCIMMY's coercion reports a value that does not fit the schema as a TypeError.
      if (error instanceof TypeError) throw scimError(400, 'invalidValue', `${where}: ${error.message}`);
      throw error;
    }
    delete coerced['meta'];
    delete coerced['id'];
    const id = typeof existing?.['id'] === 'string' ? existing['id'] : this.options.random.uuid();
    // Only URNs this target implements; SCIMMY would echo back whatever the client listed (Entra's group
    // create lists a Microsoft "ADSCIM" URI).
    const schemas = knownSchemas.filter((s, i) => i === 0 || coerced[s] !== undefined);
    const resource: JsonObject = { ...coerced, schemas, id };
    // Groups always carry `members` (possibly []): Entra's docs show `"members": []` in the create response.
    if (kind === 'Group') resource['members'] = this.checkedMembers(resource['members'], id, where);
    this.checkUnique(kind, resource, id);
    if (existing) return this.touched(resource, existing);
    const now = this.options.clock.now().toISOString();
    return { ...resource, meta: { resourceType: kind, created: now, lastModified: now, version: 'W/"1"' } };
  }

  /** `next` with the meta of `previous`, advanced when anything but meta changed. */
  private touched(next: JsonObject, previous: JsonObject): JsonObject {
    const previousMeta = isPlainObject(previous['meta']) ? previous['meta'] : {};
    const { meta: _ignoredNext, ...nextContent } = next;
    const { meta: _ignoredPrevious, ...previousContent } = previous;
    if (sameJson(nextContent, previousContent)) return { ...nextContent, meta: previousMeta };
    const version = Number(/\d+/.exec(String(previousMeta['version'] ?? ''))?.[0] ?? 0) + 1;
    return {
      ...nextContent,
      meta: { ...previousMeta, lastModified: this.options.clock.now().toISOString(), version: `W/"${version}"` },
    };
  }

  private checkedMembers(members: JsonValue | undefined, groupId: string, where: string): JsonObject[] {
    const seen = new Set<string>();
    const out: JsonObject[] = [];
    for (const member of Array.isArray(members) ? members : []) {
      const id = isPlainObject(member) ? member['value'] : undefined;
      if (typeof id !== 'string' || seen.has(id)) continue;
      if (id === groupId) throw scimError(400, 'invalidValue', `${where}: group ${groupId} cannot be a member of itself`);
      if (!this.store.kindOf(id)) {
        throw scimError(
          400,
          'invalidValue',
          `${where}: member "${id}" is not the id of an existing User or Group in this target; create it first and use the id from its POST response`,
        );
      }
      seen.add(id);
      out.push({ value: id });
    }
    return out;
  }

  private checkUnique(kind: ResourceKind, resource: JsonObject, id: string): void {
    const attribute = kind === 'User' ? 'userName' : 'displayName';
    const value = resource[attribute];
    if (typeof value !== 'string') return;
    const clash = this.store.findByValue(kind, attribute, value).find((r) => r['id'] !== id);
    if (clash) {
      throw scimError(
        409,
        'uniqueness',
        `${attribute} "${value}" is already used by ${kind} ${String(clash['id'])} (${attribute} is unique, compared case-insensitively)`,
      );
    }
  }
}

/** Reduce client-sent members to `{value}`: `$ref` (Entra sends `null`), `display` and `type` are derived. */
function withMemberValues(input: JsonObject, where: string): JsonObject {
  const key = Object.keys(input).find((k) => k.toLowerCase() === 'members');
  if (key === undefined || input[key] === null || input[key] === undefined) return input;
  const list = input[key];
  if (!Array.isArray(list)) throw scimError(400, 'invalidValue', `${where}: members must be an array of {"value": "<id>"}`);
  const members = memberIds(list, `the ${where}`).map((id) => ({ value: id }));
  const { [key]: _ignored, ...rest } = input;
  return { ...rest, members };
}

/** Deep equality of JSON values; object key order does not matter, array order does. */
function sameJson(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => sameJson(v, b[i]));
  }
  if (!isPlainObject(a) || !isPlainObject(b)) return false;
  const keys = Object.keys(a).filter((k) => a[k] !== undefined);
  return keys.length === Object.keys(b).filter((k) => b[k] !== undefined).length && keys.every((k) => sameJson(a[k], b[k]));
}
