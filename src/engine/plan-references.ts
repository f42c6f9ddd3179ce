/**
 * References: the manager of a user and the members of a group, planned by source id after every object of
 * the plan exists (or will), and resolved to target ids when applied, since their objects may be created in
 * the same cycle. Pure.
 */
import type { CompiledJob } from '../mapping/compile.js';
import type { Anchor } from '../model/records.js';
import type { CurrentValues } from './attribute-changes.js';
import type { IdSet } from './id-set.js';
import type { DesiredObject } from './desired.js';
import type { Observation } from './observation.js';
import type { ObjectRef, ReferenceChange } from './plan.js';
import type { DesiredLookup } from './desired-index.js';
import type { TargetIdMap } from './linked-targets.js';

/** What planning a reference reads: plain values, all read before the diff. */
export interface ReferenceInputs {
  /** Every desired object of the cycle, by source id (for names and provisioning state). */
  desired: DesiredLookup<DesiredObject>;
  /** Links of the objects in the work (names of objects gone from Entra). */
  links: ReadonlyMap<string, Anchor>;
  /** Target ids of every object linked so far in this cycle, by source id. */
  targetIds: Pick<TargetIdMap, 'get' | 'has'>;
  /** Members provsim has added to a group (source ids), by group source id, for the groups being planned. */
  memberships: ReadonlyMap<string, ReadonlySet<string>>;
  observations: ReadonlyMap<string, Observation>;
  job: CompiledJob;
}

/**
 * The reference changes of one object. `willExist`: the objects that can be referenced after the objects
 * phase (linked objects still in Entra, and objects matched or created in this cycle).
 */
export function planReferences(
  source: DesiredObject,
  current: CurrentValues | null,
  willExist: IdSet,
  input: ReferenceInputs,
): ReferenceChange[] {
  const out: ReferenceChange[] = [];
  const object: ObjectRef = { objectType: source.objectType, sourceId: source.id, displayName: source.displayName };
  const nameOf = (id: string): string => input.desired.get(id)?.displayName ?? input.links.get(id)?.displayName ?? id;

  if (source.objectType === 'User' && source.mapped.managerSourceId !== undefined) {
    const managerAttr = input.job.users.attributes.find((a) => a.reference === 'manager')!;
    const previous = current ? current.get(managerAttr.path) : null;
    const prev = typeof previous === 'string' ? previous : null;
    const managerId = source.mapped.managerSourceId;
    const base = { action: 'set-manager', id: `${source.id}/manager`, object, path: managerAttr.path.raw, previous: prev } as const;
    if (managerId === null) {
      if (prev !== null)
        out.push({
          ...base,
          op: 'replace',
          managerSourceId: null,
          managerDisplayName: null,
          managerProvisioned: true,
          reason: 'the manager was removed in Entra',
        });
    } else if (willExist.has(managerId)) {
      const known = knownTargetId(managerId, input);
      if (known === null || prev === null || known.toLowerCase() !== prev.toLowerCase()) {
        out.push({
          ...base,
          op: prev === null ? 'add' : 'replace',
          managerSourceId: managerId,
          managerDisplayName: nameOf(managerId),
          managerProvisioned: true,
          reason: prev === null ? 'set the manager' : 'the manager changed',
        });
      }
    } else {
      // Entra's known behaviour: a manager that is not provisioned is left out, and the log says so.
      out.push({
        ...base,
        op: prev === null ? 'add' : 'replace',
        managerSourceId: managerId,
        managerDisplayName: nameOf(managerId),
        managerProvisioned: false,
        reason: `the manager ${nameOf(managerId)} is not provisioned in the target`,
      });
    }
  }

  if (source.objectType === 'Group' && source.mapped.memberSourceIds !== undefined) {
    const desired = source.mapped.memberSourceIds.filter((id) => willExist.has(id) && id !== source.id);
    const stored = input.memberships.get(source.id) ?? new Set<string>();
    const add = desired.filter((id) => !stored.has(id));
    const desiredSet = new Set(desired);
    const remove = [...stored].filter((id) => !desiredSet.has(id) && input.targetIds.has(id));
    if (add.length > 0)
      out.push({
        action: 'add-members',
        id: `${source.id}/add-members`,
        object,
        memberSourceIds: add,
        memberDisplayNames: add.map(nameOf),
        reason: `${add.length} member(s) to add`,
      });
    if (remove.length > 0)
      out.push({
        action: 'remove-members',
        id: `${source.id}/remove-members`,
        object,
        memberSourceIds: remove,
        memberDisplayNames: remove.map(nameOf),
        reason: `${remove.length} member(s) to remove`,
      });
  }
  return out;
}

/** True when an object references one of `pending` (objects of later batches): its references wait for them. */
export function referencesPending(source: DesiredObject, pending: IdSet): boolean {
  if (source.objectType === 'User') {
    const m = source.mapped.managerSourceId;
    return typeof m === 'string' && pending.has(m);
  }
  return (source.mapped.memberSourceIds ?? []).some((id) => pending.has(id));
}

/**
 * The target id of an object this cycle can already name: linked before or by an earlier batch, or matched
 * in this cycle's reads. Null for an object created in this cycle (its id is known once the POST answers),
 * so a manager who is being created is always sent.
 */
function knownTargetId(sourceId: string, input: ReferenceInputs): string | null {
  const linked = input.targetIds.get(sourceId);
  if (linked !== undefined) return linked;
  const observed = input.observations.get(sourceId);
  return observed?.kind === 'matched' ? observed.targetId : null;
}
