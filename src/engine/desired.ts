/**
 * The desired side of a cycle: each source object with its entitlement, scope, Entra's IsSoftDeleted,
 * its mapped values and its watermark hash. Pure (clock and random are injected for Now()/Guid()).
 */
import { hash } from 'node:crypto';
import type { CompiledJob } from '../mapping/compile.js';
import { mapObject, type MappedObject } from '../mapping/map-object.js';
import { groupView, userView, userViewAttribute, type SourceView } from '../source/view.js';
import type { AppRole, SourceGroup, SourceUser, SourceValue } from '../model/directory.js';
import { computeEntitlements } from '../scoping/entitlement.js';
import { evaluateScope, evaluateScopeWith, IN_SCOPE } from '../scoping/evaluate-scope.js';
import type { ObjectType } from '../model/records.js';
import type { Clock } from '../shared/clock.js';
import type { Random } from '../shared/random.js';
import type { Tenant } from '../model/directory.js';

/** Why a linked object should no longer be active in the target (spec §5.5). */
export type DeprovisionCause = 'unassigned' | 'out-of-scope' | 'disabled' | 'soft-deleted';

export interface DesiredObject {
  readonly objectType: ObjectType;
  readonly id: string;
  /**
   * Its index in the list `evaluateSource` returned: the cycle's whole-tenant sets of objects (id-set.ts)
   * keep a bit per position instead of an entry per id.
   */
  readonly position: number;
  readonly displayName: string;
  /** In the target and active: entitled, in scope, and (users) enabled and not soft-deleted. */
  readonly provision: boolean;
  /** Why not, when `provision` is false. */
  readonly cause: DeprovisionCause | null;
  /** For humans: the skip/deprovision explanation. */
  readonly causeDetail: string | null;
  /**
   * Scoping could not be evaluated (a pattern ran out of steps): the object fails, neither provisioned nor
   * deprovisioned, as Entra fails an object whose regex match times out.
   */
  readonly scopeFailure: string | null;
  /** What the mapping sees (built again on first read after `release()`). */
  readonly view: SourceView;
  /**
   * The mapped values, evaluated on first read and then kept: a cycle reads them only for the objects it
   * works on (all of them in an initial cycle, the changed ones in an incremental one).
   */
  readonly mapped: MappedObject;
  /**
   * Drops the kept view and mapped values (a large cycle releases each batch once it is done, so memory
   * does not grow with the tenant). Reading them again rebuilds them, with the same result (but for
   * Guid() and Now(), which are evaluated again).
   */
  release(): void;
  /** The view when it is built and kept, without building it (null otherwise). */
  keptView(): SourceView | null;
  /** Hash of everything the mapping can see; unchanged hash = nothing to do in an incremental cycle. */
  readonly hash: string;
}

/** How often `evaluateSource` reports its progress, in source objects. */
export const EVALUATE_PROGRESS_EVERY = 10_000;

/**
 * `retainViews: false` keeps no view after the scope and hash are computed (a large cycle's memory); the
 * view is rebuilt from the tenant record when read. @default true
 * `onProgress` is called with the objects evaluated so far after every `EVALUATE_PROGRESS_EVERY` of them.
 */
export function evaluateSource(
  tenant: Tenant,
  job: CompiledJob,
  deps: { clock: Clock; random: Random },
  options: { retainViews?: boolean; onProgress?: (done: number) => void } = {},
): DesiredObject[] {
  const retain = options.retainViews ?? true;
  const onProgress = options.onProgress;
  const settings = job.job.settings;
  const entitlements = computeEntitlements(tenant, settings);
  const out: DesiredObject[] = [];
  const hashes = new Hashes(tenant.users.length + (job.groups.enabled ? tenant.groups.length : 0));
  const users: Evaluation = { mapping: job.users, deps, hashes };
  const groups: Evaluation = { mapping: job.groups, deps, hashes };

  // Scope and hash read a user's attributes one by one: the view is built when the mapping first reads it
  // (an incremental cycle then builds views only for the objects it works on).
  for (const user of tenant.users) {
    const ent = entitlements.users.get(user.id)!;
    let cause: DeprovisionCause | null = null;
    let causeDetail: string | null = null;
    // Scoping filters are evaluated only for entitled users (an unassigned user is NotEffectivelyEntitled
    // whatever they say). Scope sees IsSoftDeleted as False: it is what scope produces, not an input.
    const scope =
      !ent.entitled || job.users.scoping.length === 0
        ? IN_SCOPE
        : evaluateScopeWith(job.users.scoping, (key) => userViewAttribute(user, key, false, ent.roles));
    if (!ent.entitled) {
      cause = 'unassigned';
      causeDetail = ent.reason ?? 'not assigned';
    } else if (!scope.inScope) {
      cause = 'out-of-scope';
      causeDetail = scope.reason ?? 'out of scope';
    } else if (user.softDeleted) {
      cause = 'soft-deleted';
      causeDetail = 'the user is soft-deleted in Entra (recycle bin)';
    } else if (!user.accountEnabled) {
      cause = 'disabled';
      causeDetail = 'accountEnabled is false in Entra';
    }
    const softDeleted = cause !== null;
    const displayName = userViewAttribute(user, 'displayName', softDeleted, ent.roles);
    const state = new LazyDesiredObject(
      user,
      ent.roles,
      'User',
      out.length,
      typeof displayName === 'string' ? displayName : user.userPrincipalName,
      cause,
      causeDetail,
      scope.failure ?? null,
      hashedUserText(user, softDeleted, ent.roles, job.users.watched, cause),
      users,
    );
    if (retain) void state.view;
    out.push(state);
    if (onProgress && out.length % EVALUATE_PROGRESS_EVERY === 0) onProgress(out.length);
  }

  if (job.groups.enabled) {
    for (const group of tenant.groups) {
      const ent = entitlements.groups.get(group.id)!;
      const view = groupView(group, ent.roles);
      const scope = evaluateScope(job.groups.scoping, view.attributes);
      let cause: DeprovisionCause | null = null;
      let causeDetail: string | null = null;
      if (!ent.entitled) [cause, causeDetail] = ['unassigned', ent.reason ?? 'not assigned'];
      else if (!scope.inScope) [cause, causeDetail] = ['out-of-scope', scope.reason ?? 'out of scope'];
      const state = new LazyDesiredObject(
        group,
        ent.roles,
        'Group',
        out.length,
        group.displayName,
        cause,
        causeDetail,
        scope.failure ?? null,
        hashedText((key) => view.attributes[key], job.groups.watched, cause),
        groups,
      );
      if (retain) state.keepView(view);
      out.push(state);
      if (onProgress && out.length % EVALUATE_PROGRESS_EVERY === 0) onProgress(out.length);
    }
  }
  return out;
}

/** What the desired objects of one evaluation and object type share: their mapping, Now() and Guid()'s clock and random, and the hashes. */
interface Evaluation {
  mapping: CompiledJob['users'];
  deps: { clock: Clock; random: Random };
  hashes: Hashes;
}

/**
 * The watermark hashes of one evaluation, 20 bytes each by position: as base64 strings they took 48 bytes
 * an object. `get` gives the base64 text the store keeps (a new string on each read).
 */
class Hashes {
  readonly #bytes: Buffer;

  constructor(count: number) {
    this.#bytes = Buffer.alloc(20 * count);
  }

  /** Keeps the SHA-1 of `text` at `position`. */
  set(position: number, text: string): void {
    this.#bytes.write(hash('sha1', text, 'binary'), 20 * position, 20, 'latin1');
  }

  get(position: number): string {
    return this.#bytes.toString('base64', 20 * position, 20 * position + 20);
  }
}

const CAUSES: readonly (DeprovisionCause | null)[] = [null, 'unassigned', 'out-of-scope', 'disabled', 'soft-deleted'];
/**
 * `#facts`: the position times 16, plus the cause's index in CAUSES times 2, plus 1 for a group. A small
 * integer (V8's Smi, no allocation) up to 2^31 - 1: 134 million objects.
 */
const GROUP_BIT = 1;
const CAUSE_BITS = 0b1110;
const POSITION_FACTOR = 16;
const MAX_POSITION = Math.floor(0x7fffffff / POSITION_FACTOR);

/** The explanations of an object that is not provisioned, or whose scope failed (most objects have neither). */
interface Notes {
  causeDetail: string | null;
  scopeFailure: string | null;
}

/** What a desired object has built from its source, until `release()`. */
interface Built {
  view: SourceView;
  mapped: MappedObject | null;
}

/**
 * A DesiredObject whose view and mapped values are built on first read, kept, and dropped by `release()`.
 * A class of plain fields (accessors on the prototype, no closure per object), as small as it can be: a
 * cycle holds one per source object for its whole length, a million of them for a million users. The id
 * is the source's; what objects share (the mapping, the clock and random) is one `Evaluation`; the position,
 * object type and cause are one small integer; the rarely set explanations are one field; what is built
 * (held by the objects of one batch at a time) is one field. Seven fields: 80 bytes an object on 64-bit V8,
 * where ten took 104; an object whose view is built holds a `Built` record too (about 40 bytes more than
 * the two fields it replaces), which matters only where views are kept (a cycle of one batch, small).
 * `id`, `position` and the other facts are accessors: `{...d}` does not copy them (`toJSON` does).
 */
class LazyDesiredObject implements DesiredObject {
  readonly displayName: string;
  readonly #source: SourceUser | SourceGroup;
  readonly #roles: AppRole[];
  readonly #facts: number;
  readonly #notes: Notes | null;
  readonly #evaluation: Evaluation;
  #built: Built | null = null;

  constructor(
    source: SourceUser | SourceGroup,
    roles: AppRole[],
    objectType: ObjectType,
    position: number,
    displayName: string,
    cause: DeprovisionCause | null,
    causeDetail: string | null,
    scopeFailure: string | null,
    hashed: string,
    evaluation: Evaluation,
  ) {
    if (!Number.isInteger(position) || position < 0 || position > MAX_POSITION)
      throw new RangeError(`Expected \`position\` to be an integer from 0 to ${MAX_POSITION}, got \`${position}\``);
    this.displayName = displayName;
    this.#source = source;
    this.#roles = roles;
    this.#facts = position * POSITION_FACTOR + CAUSES.indexOf(cause) * 2 + (objectType === 'Group' ? GROUP_BIT : 0);
    this.#notes = causeDetail === null && scopeFailure === null ? null : { causeDetail, scopeFailure };
    this.#evaluation = evaluation;
    evaluation.hashes.set(position, hashed);
  }

  get id(): string {
    return this.#source.id;
  }

  get position(): number {
    return Math.floor(this.#facts / POSITION_FACTOR);
  }

  get hash(): string {
    return this.#evaluation.hashes.get(this.position);
  }

  get objectType(): ObjectType {
    return this.#facts & GROUP_BIT ? 'Group' : 'User';
  }

  get cause(): DeprovisionCause | null {
    return CAUSES[(this.#facts & CAUSE_BITS) >> 1]!;
  }

  get provision(): boolean {
    return (this.#facts & CAUSE_BITS) === 0;
  }

  get causeDetail(): string | null {
    return this.#notes?.causeDetail ?? null;
  }

  get scopeFailure(): string | null {
    return this.#notes?.scopeFailure ?? null;
  }

  get view(): SourceView {
    if (this.#built) return this.#built.view;
    const source = this.#source;
    // A user's IsSoftDeleted is true whenever it is not provisioned (evaluateSource).
    const view =
      this.#facts & GROUP_BIT
        ? groupView(source as SourceGroup, this.#roles)
        : userView(source as SourceUser, !this.provision, this.#roles);
    this.#built = { view, mapped: null };
    return view;
  }

  keptView(): SourceView | null {
    return this.#built?.view ?? null;
  }

  /** Keeps a view already built (evaluateSource's, for groups, as it makes the object: nothing is mapped yet). */
  keepView(view: SourceView): void {
    this.#built = { view, mapped: null };
  }

  get mapped(): MappedObject {
    const view = this.view;
    const built = this.#built!;
    return (built.mapped ??= mapObject(this.#evaluation.mapping, view, this.#evaluation.deps));
  }

  release(): void {
    this.#built = null;
  }

  toJSON(): Omit<DesiredObject, 'view' | 'mapped' | 'release' | 'keptView'> {
    const { objectType, id, position, displayName, provision, cause, causeDetail, scopeFailure, hash } = this;
    return { objectType, id, position, displayName, provision, cause, causeDetail, scopeFailure, hash };
  }
}

/** What a user's watermark hash is taken of (`hashedText` of its view's attributes, without building the view). */
function hashedUserText(
  user: SourceUser,
  softDeleted: boolean,
  roles: AppRole[],
  watched: readonly string[],
  cause: DeprovisionCause | null,
): string {
  let text = cause ?? 'active';
  for (const key of watched) text += hashPart(userViewAttribute(user, key, softDeleted, roles));
  return text;
}

/**
 * What the watermark hash (SHA-1, kept as base64) is taken of: the provisioning state and the values of the
 * watched attributes, in `watched` order (the key list is fixed by the mapping, whose own hash starts a new
 * initial cycle when it changes), joined with separators that cannot be confused.
 */
function hashedText(read: (key: string) => SourceValue | undefined, watched: readonly string[], cause: DeprovisionCause | null): string {
  let text = cause ?? 'active';
  for (const key of watched) text += hashPart(read(key));
  return text;
}

function hashPart(v: SourceValue | undefined): string {
  return v === null || v === undefined ? '\u0001' : Array.isArray(v) ? '\u0002' + v.join('\u0003') : '\u0004' + v;
}
