/**
 * Apply executes a plan and never decides (spec §5.1 step order): objects (creates, updates, disables) →
 * references (manager, members; resolved to target ids now, since their objects may have been created in
 * this cycle) → deletes. Each link made or dropped is recorded as it happens and committed in batches
 * (crash safety: store/write-behind.ts). Returns one outcome per change; partial success is a normal result.
 * What the cycle makes of the outcomes (watermarks, escrows, the log) is settled after it (engine/settle.ts).
 */
import type { Anchor } from '../model/records.js';
import { WriteBehind } from '../store/write-behind.js';
import type { EngineContext } from './context.js';
import { requestFailure } from './observe.js';
import { forEachQueued } from './queue.js';
import type { ChangeOutcome } from './outcome.js';
import { InternalError } from '../shared/errors.js';
import type { Change, ManagerChange, MembersChange, Plan } from './plan.js';
import { createRequest, deleteRequest, managerRequests, memberRequests, updateRequest, type RequestOptions } from './plan-requests.js';
import type { TargetIdMap } from './linked-targets.js';

/**
 * `anchors`: the links of the plan's objects (apply owns the map and updates it with every link it makes or
 * drops; a link not in it is read from the store when a reference needs it). `ids`: target ids by source id,
 * to resolve references; apply keeps it current, and a cycle passes one map to all its batches.
 */
export async function apply(plan: Plan, ctx: EngineContext, anchors: Map<string, Anchor>, ids: TargetIdMap): Promise<ChangeOutcome[]> {
  // Successes are recorded as they happen and committed in batches (see store/write-behind.ts).
  const writes = new WriteBehind(ctx.store);
  const outcomes: ChangeOutcome[] = [];

  const run = async <C extends Change>(
    changes: readonly C[],
    one: (c: C) => Promise<Omit<ChangeOutcome, 'change' | 'durationMs'>>,
  ): Promise<void> => {
    const step = async (change: C): Promise<void> => {
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
        result = ctx.signal?.aborted
          ? // Stopped while in flight (SIGTERM aborts requests): not a failure of the object; whether the
            // server acted on it is checked in the next cycle, which reads before it writes.
            {
              status: 'skipped',
              targetId: null,
              failure: { code: 'Interrupted', message: 'the cycle was stopped while this change was in flight', details: null },
              unresolved: [],
            }
          : { status: 'failure', targetId: null, failure: requestFailure(error), unresolved: [] };
      }
      // The fields in the order of a spread of `result` (every result has these four, in this order).
      const outcome: ChangeOutcome = {
        change,
        status: result.status,
        targetId: result.targetId,
        failure: result.failure,
        unresolved: result.unresolved,
        durationMs: ctx.clock.now().getTime() - started,
      };
      outcomes.push(outcome);
      ctx.hooks.onChangeDone?.(outcome);
    };
    await forEachQueued(ctx.queue, changes, step);
  };

  const saveLink = (a: Anchor): void => {
    anchors.set(a.sourceId, a);
    writes.push((store) => store.putLink(a), `link ${a.sourceId}`);
    ids.set(a.sourceId, a.targetId);
  };

  // The requests themselves are built by plan-requests.ts, which the dry run prints from too.
  const requestOptions: RequestOptions = {
    dialect: ctx.dialect,
    quirks: ctx.quirks,
    membersPerPatch: ctx.membersPerPatch,
    targetIdOf: (sourceId) => ids.get(sourceId) ?? null,
  };

  const ok = (targetId: string | null): Omit<ChangeOutcome, 'change' | 'durationMs'> => ({
    status: 'success',
    targetId,
    failure: null,
    unresolved: [],
  });

  /**
   * Claims a target object for a source object matched or created in this cycle; a failure when another
   * source object of the same type already has it (the server's answer, not Entra's data, is wrong).
   */
  const claim = (change: Change, targetId: string, how: 'matched' | 'created'): Omit<ChangeOutcome, 'change' | 'durationMs'> | null => {
    const other = ctx.claimedTargets?.claim(change.object.objectType, targetId, change.object.sourceId) ?? null;
    if (other === null) return null;
    return {
      status: 'failure',
      targetId: null,
      failure: {
        code: 'TargetObjectAlreadyLinked',
        message: `the server ${how === 'matched' ? 'answered the matching query' : 'answered the POST'} with ${change.object.objectType} ${JSON.stringify(targetId)}, which ${other} was already linked to in this cycle; not linked. Two objects cannot share one target object: check that the server applies filters (provsim test-connection) and gives every new object its own id`,
        details: null,
      },
      unresolved: [],
    };
  };

  // Phase 1: users and groups.
  await run(plan.objects, async (c) => {
    switch (c.action) {
      case 'create': {
        const change = c;
        const post = createRequest(change);
        const created = await ctx.send('POST', () => ctx.client.create(post.resource, post.body));
        const taken = claim(change, created.id!, 'created');
        if (taken) return taken;
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
        // Matched in this cycle (not linked before): claimed before anything is sent.
        const taken = change.link ? claim(change, change.targetId, 'matched') : null;
        if (taken) return taken;
        const patch = updateRequest(change);
        await ctx.send('PATCH', () => ctx.client.patch(patch.resource, patch.targetId, patch.operations));
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
        const taken = change.link ? claim(change, change.link.targetId, 'matched') : null;
        if (taken) return taken;
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
    const planned = managerRequests(change, requestOptions);
    if (planned.kind === 'none') {
      if (planned.why === 'source-missing')
        return {
          status: 'skipped',
          targetId: null,
          failure: { code: 'ReferenceSourceMissing', message: 'the user itself was not provisioned in this cycle', details: null },
          unresolved: [],
        };
      return { status: 'skipped', targetId: planned.targetId, failure: null, unresolved: planned.unresolved };
    }
    const userTargetId = planned.targetId!;
    const managerTargetId = change.managerSourceId === null ? '' : ids.get(change.managerSourceId)!;
    for (const request of planned.requests) {
      if (request.method !== 'PATCH') throw new InternalError(`apply: a manager change planned a ${request.method}`);
      await ctx.send('PATCH', () => ctx.client.patch(request.resource, request.targetId, request.operations));
    }
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
    const planned = memberRequests(change, requestOptions);
    if (planned.kind === 'none')
      return {
        status: 'skipped',
        targetId: null,
        failure: { code: 'ReferenceSourceMissing', message: 'the group itself was not provisioned in this cycle', details: null },
        unresolved: [],
      };
    for (const request of planned.requests) {
      if (request.method !== 'PATCH') throw new InternalError(`apply: a membership change planned a ${request.method}`);
      await ctx.send('PATCH', () => ctx.client.patch(request.resource, request.targetId, request.operations));
      const sourceIds = request.memberSourceIds ?? [];
      const group = change.object.sourceId;
      const added = change.action === 'add-members' ? sourceIds : [];
      const removed = change.action === 'remove-members' ? sourceIds : [];
      writes.push((store) => store.recordMembership(group, added, removed));
    }
    return { ...ok(planned.targetId), unresolved: planned.unresolved };
  }

  writes.flush();

  // Phase 3: deletes.
  await run(plan.deletes, async (c) => {
    if (c.action === 'delete') {
      const change = c;
      const del = deleteRequest(change);
      await ctx.send('DELETE', () => ctx.client.delete(del.resource, del.targetId));
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
