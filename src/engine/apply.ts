/**
 * Apply executes a plan and never decides (spec §5.1 step order): objects (creates, updates, disables) →
 * references (manager, members; resolved to target ids now, since their objects may have been created in
 * this cycle) → deletes. Each link made or dropped is recorded as it happens and committed in batches
 * (crash safety: store/write-behind.ts). Returns one outcome per change; partial success is a normal result.
 * What the cycle makes of the outcomes (watermarks, escrows, the log) is settled after it (engine/settle.ts).
 */
import { managerOperation, memberAddOperation, memberRemoveOperations } from '../scim/dialect.js';
import { attributePathOrNull } from '../scim/attribute-path.js';
import { resourceTypeOf } from '../scim/types.js';
import type { Anchor } from '../model/records.js';
import { WriteBehind } from '../store/write-behind.js';
import type { EngineContext } from './context.js';
import { requestFailure } from './observe.js';
import type { ChangeOutcome } from './outcome.js';
import { InternalError } from '../shared/errors.js';
import type { Change, ManagerChange, MembersChange, Plan } from './plan.js';

/**
 * `anchors`: the links of the plan's objects (apply owns the map and updates it with every link it makes or
 * drops; a link not in it is read from the store when a reference needs it). `ids`: target ids by source id,
 * to resolve references; apply keeps it current, and a cycle passes one map to all its batches.
 */
export async function apply(
  plan: Plan,
  ctx: EngineContext,
  anchors: Map<string, Anchor>,
  ids: Map<string, string>,
): Promise<ChangeOutcome[]> {
  // Successes are recorded as they happen and committed in batches (see store/write-behind.ts).
  const writes = new WriteBehind(ctx.store);
  const outcomes: ChangeOutcome[] = [];

  const run = async <C extends Change>(
    changes: readonly C[],
    one: (c: C) => Promise<Omit<ChangeOutcome, 'change' | 'durationMs'>>,
  ): Promise<void> => {
    await Promise.all(
      changes.map((change) =>
        ctx.queue.add(async () => {
          if (ctx.signal?.aborted) {
            outcomes.push({
              change,
              status: 'skipped',
              targetId: null,
              failure: { code: 'Interrupted', message: 'the cycle was interrupted before this change was sent', details: null },
              unresolved: [],
              durationMs: 0,
            });
            return;
          }
          ctx.hooks.onChangeStart?.(change);
          const started = ctx.clock.now().getTime();
          let result: Omit<ChangeOutcome, 'change' | 'durationMs'>;
          try {
            result = await one(change);
          } catch (error) {
            result = { status: 'failure', targetId: null, failure: requestFailure(error), unresolved: [] };
          }
          const outcome: ChangeOutcome = { change, ...result, durationMs: ctx.clock.now().getTime() - started };
          outcomes.push(outcome);
          ctx.hooks.onChangeDone?.(outcome);
        }),
      ),
    );
  };

  const saveLink = (a: Anchor): void => {
    anchors.set(a.sourceId, a);
    writes.push((store) => store.putLink(a), `link ${a.sourceId}`);
    ids.set(a.sourceId, a.targetId);
  };

  const ok = (targetId: string | null): Omit<ChangeOutcome, 'change' | 'durationMs'> => ({
    status: 'success',
    targetId,
    failure: null,
    unresolved: [],
  });

  // Phase 1: users and groups.
  await run(plan.objects, async (c) => {
    switch (c.action) {
      case 'create': {
        const change = c;
        const created = await ctx.send('POST', () => ctx.client.create(resourceTypeOf(change.object.objectType), change.body));
        saveLink({
          objectType: change.object.objectType,
          sourceId: change.object.sourceId,
          targetId: created.id!,
          displayName: change.object.displayName,
          status: 'active',
          exported: change.exported,
        });
        return ok(created.id!);
      }
      case 'update':
      case 'disable': {
        const change = c;
        await ctx.send('PATCH', () => ctx.client.patch(resourceTypeOf(change.object.objectType), change.targetId, change.operations));
        saveLink({
          objectType: change.object.objectType,
          sourceId: change.object.sourceId,
          targetId: change.targetId,
          displayName: change.object.displayName,
          status: change.anchorStatus,
          exported: change.exported,
        });
        return ok(change.targetId);
      }
      case 'skip': {
        const change = c;
        if (change.link)
          saveLink({
            objectType: change.object.objectType,
            sourceId: change.object.sourceId,
            targetId: change.link.targetId,
            displayName: change.object.displayName,
            status: change.link.anchorStatus,
            exported: change.link.exported,
          });
        if (change.forget) {
          anchors.delete(change.object.sourceId);
          ids.delete(change.object.sourceId);
          writes.push((store) => store.deleteLink(change.object.sourceId));
        }
        return { ...ok(change.targetId), status: 'skipped' };
      }
      case 'fail':
        return {
          status: 'failure',
          targetId: c.targetId,
          failure: { code: c.errorCode, message: c.message, details: c.details ?? null },
          unresolved: [],
        };
      default:
        throw new InternalError(`apply: unexpected ${(c as Change).action} in the objects phase`);
    }
  });

  // Not committed here: a reference below that sets a manager rewrites the link just queued for that user,
  // and the write-behind then writes the link once.

  // Phase 2: references.
  await run(plan.references, async (c) => (c.action === 'set-manager' ? applyManager(c) : applyMembers(c)));

  async function applyManager(change: ManagerChange): Promise<Omit<ChangeOutcome, 'change' | 'durationMs'>> {
    const userTargetId = ids.get(change.object.sourceId);
    if (!userTargetId)
      return {
        status: 'skipped',
        targetId: null,
        failure: { code: 'ReferenceSourceMissing', message: 'the user itself was not provisioned in this cycle', details: null },
        unresolved: [],
      };
    if (!change.managerProvisioned)
      return { status: 'skipped', targetId: userTargetId, failure: null, unresolved: [change.managerSourceId ?? ''] };
    let managerTargetId = '';
    if (change.managerSourceId !== null) {
      const resolved = ids.get(change.managerSourceId);
      if (!resolved) return { status: 'skipped', targetId: userTargetId, failure: null, unresolved: [change.managerSourceId] };
      managerTargetId = resolved;
    }
    const path = attributePathOrNull(change.path)!;
    await ctx.send('PATCH', () =>
      ctx.client.patch('Users', userTargetId, [
        managerOperation(ctx.dialect, path, change.op, managerTargetId, ctx.quirks, change.previous),
      ]),
    );
    const anchor = anchors.get(change.object.sourceId) ?? ctx.store.link(change.object.sourceId);
    if (anchor) {
      const exported = { ...anchor.exported };
      if (managerTargetId === '') delete exported[change.path];
      else exported[change.path] = managerTargetId;
      saveLink({ ...anchor, exported });
    }
    return ok(userTargetId);
  }

  async function applyMembers(change: MembersChange): Promise<Omit<ChangeOutcome, 'change' | 'durationMs'>> {
    const groupTargetId = ids.get(change.object.sourceId);
    if (!groupTargetId)
      return {
        status: 'skipped',
        targetId: null,
        failure: { code: 'ReferenceSourceMissing', message: 'the group itself was not provisioned in this cycle', details: null },
        unresolved: [],
      };
    const resolved: Array<[string, string]> = [];
    const unresolved: string[] = [];
    for (const id of change.memberSourceIds) {
      const t = ids.get(id);
      if (t) resolved.push([id, t]);
      else unresolved.push(id);
    }
    for (let i = 0; i < resolved.length; i += ctx.membersPerPatch) {
      const chunk = resolved.slice(i, i + ctx.membersPerPatch);
      const targetIds = chunk.map(([, t]) => t);
      const operations =
        change.action === 'add-members' ? [memberAddOperation(ctx.dialect, targetIds)] : memberRemoveOperations(ctx.dialect, targetIds);
      await ctx.send('PATCH', () => ctx.client.patch('Groups', groupTargetId, operations));
      const sourceIds = chunk.map(([s]) => s);
      const group = change.object.sourceId;
      const added = change.action === 'add-members' ? sourceIds : [];
      const removed = change.action === 'remove-members' ? sourceIds : [];
      writes.push((store) => store.recordMembership(group, added, removed));
    }
    return { ...ok(groupTargetId), unresolved };
  }

  writes.flush();

  // Phase 3: deletes.
  await run(plan.deletes, async (c) => {
    if (c.action === 'delete') {
      const change = c;
      await ctx.send('DELETE', () => ctx.client.delete(resourceTypeOf(change.object.objectType), change.targetId));
      anchors.delete(change.object.sourceId);
      ids.delete(change.object.sourceId);
      writes.push((store) => store.deleteLink(change.object.sourceId));
      writes.push((store) => store.deleteWatermark(change.object.sourceId));
      return ok(change.targetId);
    }
    if (c.action === 'skip') {
      const change = c;
      if (change.forget) {
        anchors.delete(change.object.sourceId);
        ids.delete(change.object.sourceId);
        writes.push((store) => store.deleteLink(change.object.sourceId));
        writes.push((store) => store.deleteWatermark(change.object.sourceId));
      }
      return { status: 'skipped', targetId: change.targetId, failure: null, unresolved: [] };
    }
    // Staged deletes send nothing: accidental-deletion prevention holds them.
    return { status: 'skipped', targetId: c.action === 'staged-delete' ? c.targetId : null, failure: null, unresolved: [] };
  });

  writes.flush();
  return outcomes;
}
