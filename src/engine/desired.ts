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
  objectType: ObjectType;
  id: string;
  displayName: string;
  /** In the target and active: entitled, in scope, and (users) enabled and not soft-deleted. */
  provision: boolean;
  /** Why not, when `provision` is false. */
  cause: DeprovisionCause | null;
  /** For humans: the skip/deprovision explanation. */
  causeDetail: string | null;
  /**
   * Scoping could not be evaluated (a pattern ran out of steps): the object fails, neither provisioned nor
   * deprovisioned, as Entra fails an object whose regex match times out.
   */
  scopeFailure: string | null;
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
  hash: string;
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
      {
        objectType: 'User',
        id: user.id,
        displayName: typeof displayName === 'string' ? displayName : user.userPrincipalName,
        provision: cause === null,
        cause,
        causeDetail,
        scopeFailure: scope.failure ?? null,
        hash: hashUser(user, softDeleted, ent.roles, job.users.watched, cause),
      },
      { user, roles: ent.roles, softDeleted },
      job.users,
      deps,
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
        {
          objectType: 'Group',
          id: group.id,
          displayName: group.displayName,
          provision: cause === null,
          cause,
          causeDetail,
          scopeFailure: scope.failure ?? null,
          hash: hashValues((key) => view.attributes[key], job.groups.watched, cause),
        },
        { group, roles: ent.roles },
        job.groups,
        deps,
      );
      if (retain) state.keepView(view);
      out.push(state);
      if (onProgress && out.length % EVALUATE_PROGRESS_EVERY === 0) onProgress(out.length);
    }
  }
  return out;
}

type SourceFacts = Omit<DesiredObject, 'view' | 'mapped' | 'release' | 'keptView'>;

/** What a view is built from: a user (with its IsSoftDeleted) or a group, and its roles. */
type ViewSource =
  | { user: SourceUser; roles: AppRole[]; softDeleted: boolean; group?: undefined }
  | { group: SourceGroup; roles: AppRole[]; user?: undefined };

/**
 * A DesiredObject whose view and mapped values are built on first read, kept, and dropped by `release()`.
 * A class holding plain data (accessors on the prototype, no closure per object): a 100k-user tenant holds
 * 110k of these.
 */
class LazyDesiredObject implements DesiredObject {
  readonly objectType: SourceFacts['objectType'];
  readonly id: string;
  readonly displayName: string;
  readonly provision: boolean;
  readonly cause: DeprovisionCause | null;
  readonly causeDetail: string | null;
  readonly scopeFailure: string | null;
  readonly hash: string;
  #view: SourceView | null = null;
  #mapped: MappedObject | null = null;

  constructor(
    facts: SourceFacts,
    private readonly from: ViewSource,
    private readonly mapping: CompiledJob['users'],
    private readonly deps: { clock: Clock; random: Random },
  ) {
    this.objectType = facts.objectType;
    this.id = facts.id;
    this.displayName = facts.displayName;
    this.provision = facts.provision;
    this.cause = facts.cause;
    this.causeDetail = facts.causeDetail;
    this.scopeFailure = facts.scopeFailure;
    this.hash = facts.hash;
  }

  get view(): SourceView {
    if (this.#view) return this.#view;
    const f = this.from;
    return (this.#view = f.user ? userView(f.user, f.softDeleted, f.roles) : groupView(f.group, f.roles));
  }

  keptView(): SourceView | null {
    return this.#view;
  }

  /** Keeps a view already built (evaluateSource's, for groups). */
  keepView(view: SourceView): void {
    this.#view = view;
  }

  get mapped(): MappedObject {
    return (this.#mapped ??= mapObject(this.mapping, this.view, this.deps));
  }

  release(): void {
    this.#view = null;
    this.#mapped = null;
  }
}

/** The watermark hash of a user (`hashValues` over its view's attributes, without building the view). */
function hashUser(
  user: SourceUser,
  softDeleted: boolean,
  roles: AppRole[],
  watched: readonly string[],
  cause: DeprovisionCause | null,
): string {
  let text = cause ?? 'active';
  for (const key of watched) text += hashPart(userViewAttribute(user, key, softDeleted, roles));
  return hash('sha1', text, 'base64');
}

/**
 * The watermark hash: the provisioning state and the values of the watched attributes, in `watched` order
 * (the key list is fixed by the mapping, whose own hash starts a new initial cycle when it changes), joined
 * with separators that cannot be confused and hashed once.
 */
function hashValues(read: (key: string) => SourceValue | undefined, watched: readonly string[], cause: DeprovisionCause | null): string {
  let text = cause ?? 'active';
  for (const key of watched) text += hashPart(read(key));
  return hash('sha1', text, 'base64');
}

function hashPart(v: SourceValue | undefined): string {
  return v === null || v === undefined ? '\u0001' : Array.isArray(v) ? '\u0002' + v.join('\u0003') : '\u0004' + v;
}
