/**
 * Accidental-deletion prevention (spec §5.11), applied to a plan after the diff: Entra's threshold counts a
 * cycle's disables and deletes together. Pure.
 */
import type { DeleteChange, Plan, StagedDeleteChange, UpdateChange } from './plan.js';

/**
 * Accidental-deletion prevention (spec §5.11): when a plan's disables and deletes together reach the
 * threshold, none is sent; each is held as a staged delete (Entra: StagedDelete entries, quarantine
 * TooManyDeletes) unless ForceDeletes lets them through.
 */
export function preventAccidentalDeletions(plan: Plan, threshold: number | null, allowDeletes: boolean): Plan {
  const disables = plan.objects.filter((c): c is UpdateChange => c.action === 'disable');
  const hardDeletes = plan.deletes.filter((c): c is DeleteChange => c.action === 'delete');
  const count = disables.length + hardDeletes.length;
  if (threshold === null || count < threshold || allowDeletes) return plan;
  const stage = (held: UpdateChange | DeleteChange): StagedDeleteChange => ({
    action: 'staged-delete',
    id: `${held.object.sourceId}/staged-delete`,
    object: held.object,
    targetId: held.targetId,
    held,
    reason: `held back: ${count} disables and deletes reach the accidental-deletion threshold of ${threshold} (rerun with --allow-deletes to let them through)`,
  });
  return {
    ...plan,
    objects: plan.objects.filter((c) => c.action !== 'disable'),
    deletes: [...disables.map(stage), ...plan.deletes.map((c) => (c.action === 'delete' ? stage(c) : c))],
    deletionThresholdExceeded: true,
  };
}
