/**
 * Observe: the target reads of a cycle (I/O), before planning. Unlinked objects are matched by filter on
 * each matching attribute in precedence order (the first query that finds something stops, spec §1.3);
 * linked objects that select-work marked `read` are read by id (groups with `excludedAttributes=members`),
 * including those gone from Entra, whose DELETE is preceded by this read. Reads go through the same queue
 * and retry policy as writes. Returns one Observation per work item that needed one.
 */
import { resourceTypeOf } from '../scim/types.js';
import { ScimRequestError } from '../shared/errors.js';
import type { RequestFailure, Observation } from './observation.js';
import type { EngineContext } from './context.js';
import { forEachQueued } from './queue.js';
import type { WorkItem } from './select-work.js';

export async function observe(work: readonly WorkItem[], ctx: EngineContext): Promise<Map<string, Observation>> {
  const out = new Map<string, Observation>();
  const step = async (item: WorkItem): Promise<void> => {
    if (ctx.signal?.aborted) return;
    out.set(item.sourceId, await observeOne(item, ctx));
  };
  const reads = work.filter((w) => (w.observe === 'read' && w.anchor) || (w.observe === 'match' && w.source));
  await forEachQueued(ctx.queue, reads, step);
  return out;
}

async function observeOne(item: WorkItem, ctx: EngineContext): Promise<Observation> {
  try {
    if (item.observe === 'read') {
      const anchor = item.anchor!;
      const found = await ctx.send('GET', () => ctx.client.get(resourceTypeOf(anchor.objectType), anchor.targetId));
      return found ? { kind: 'read', targetId: anchor.targetId, resource: found } : { kind: 'anchor-missing', targetId: anchor.targetId };
    }
    const source = item.source!;
    const resource = resourceTypeOf(source.objectType);
    const mapping = source.objectType === 'User' ? ctx.job.users : ctx.job.groups;
    const queried: Array<{ attribute: string; value: string }> = [];
    const values = source.mapped.values;
    for (const m of mapping.matching) {
      let value: string | null = null;
      for (const v of values)
        if (v.attribute === m) {
          if (typeof v.value === 'string') value = v.value;
          break;
        }
      if (value === null) continue;
      queried.push({ attribute: m.mapping.target, value });
      const matches = await ctx.send('GET', () => ctx.client.filter(resource, m.mapping.target, value));
      if (matches.length > 1) return { kind: 'duplicate', attribute: m.mapping.target, value, count: matches.length };
      if (matches.length === 1)
        return { kind: 'matched', targetId: matches[0]!.id!, resource: matches[0]!, attribute: m.mapping.target, value };
    }
    return queried.length === 0 ? { kind: 'no-match-value' } : { kind: 'not-found', queried };
  } catch (error) {
    return { kind: 'failed', failure: requestFailure(error) };
  }
}

export function requestFailure(error: unknown): RequestFailure {
  if (error instanceof ScimRequestError) {
    return {
      code: error.entraCode,
      message: error.message,
      details: { method: error.method, url: error.url, status: error.status, body: error.scimError ?? error.bodyText },
    };
  }
  return { code: 'InternalError', message: error instanceof Error ? error.message : String(error), details: null };
}
