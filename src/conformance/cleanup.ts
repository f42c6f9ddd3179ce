/**
 * The end of every run, whatever happened before (a failed check, an exception, Ctrl-C): delete what the
 * run created, then search for its names, so an object whose POST response was lost is found too.
 *
 * Ids come from the server, so none is trusted: one that cannot be a URL path segment (scim/resource-id.ts)
 * is a leftover with its reason, and no request carries it.
 *
 * Trade-off: the name sweep costs one filter GET per name (a few dozen); it is what makes "the target is
 * left without this run's objects" hold on a persistent server even after a timeout. Cleanup does not
 * watch the interrupt signal: it is what an interrupt is waiting for (a second Ctrl-C ends the process).
 */
import type { ScimClient } from '../scim/client.js';
import { eqFilter, formEncode } from '../scim/filter.js';
import { describeValue, unusableIdReason } from '../scim/resource-id.js';
import type { ResourceType } from '../scim/types.js';
import { ScimRequestError } from '../shared/errors.js';
import type { EvidenceRecorder } from './evidence.js';
import type { RawClient } from './raw-client.js';
import type { RunObjects } from './run-objects.js';
import type { CleanupReport } from './types.js';

export async function cleanup(objects: RunObjects, client: ScimClient, raw: RawClient, recorder: EvidenceRecorder): Promise<CleanupReport> {
  const mark = recorder.mark();
  const report: Omit<CleanupReport, 'evidence'> = { deleted: [], leftovers: [] };
  const remove = async (resource: ResourceType, id: string, name: string | null): Promise<void> => {
    try {
      await client.delete(resource, id);
      report.deleted.push({ resource, id, name });
    } catch (error) {
      report.leftovers.push({ resource, id, name, reason: reasonOf(error) });
    }
  };

  for (const created of objects.remaining()) await remove(created.resource, created.id, created.name);

  // Groups before users, as above.
  const names = objects.names().sort((a, b) => (a.resource === b.resource ? 0 : a.resource === 'Groups' ? -1 : 1));
  for (const { resource, name } of names) {
    // Raw, not ScimClient.filter: a group listed with its members (excludedAttributes ignored) must still be found.
    const attribute = resource === 'Users' ? 'userName' : 'displayName';
    const response = await raw.get(`/${resource}?filter=${formEncode(eqFilter(attribute, name))}`);
    // A 404 for "nothing found" is a known non-compliance (spec §1.3), not a reason to worry here.
    if (response.status === 404) continue;
    const list = response.json as { Resources?: unknown } | undefined;
    if (response.status !== 200 || !list || typeof list !== 'object') {
      report.leftovers.push({
        resource,
        id: null,
        name,
        reason: `could not search for it by name (GET ${attribute} eq "${name}" → ${response.status ?? response.error ?? 'no response'})`,
      });
      continue;
    }
    const found = Array.isArray(list.Resources) ? list.Resources : [];
    for (const item of found) {
      if (!item || typeof item !== 'object') continue;
      const { id, [attribute]: itemName } = item as Record<string, unknown>;
      // Only what carries this run's name: a target that ignores the filter lists everything, and cleanup
      // must never delete an object it did not create.
      if (typeof itemName !== 'string' || itemName.toLowerCase() !== name.toLowerCase()) continue;
      // An id that cannot be put in a URL is reported, never sent (DELETE /Users/.. would reach the base URL).
      const unusable = unusableIdReason(id);
      if (unusable === null) await remove(resource, id as string, name);
      else if (!report.leftovers.some((l) => l.resource === resource && l.id === id))
        report.leftovers.push({
          resource,
          id: typeof id === 'string' ? id : null,
          name,
          reason: `found by name, but the server gave it the id ${describeValue(id)}, which cannot be used in a URL: ${unusable}; nothing was sent to delete it`,
        });
    }
  }
  return { ...report, evidence: recorder.since(mark) };
}

function reasonOf(error: unknown): string {
  if (error instanceof ScimRequestError) return error.message;
  return error instanceof Error ? error.message : String(error);
}
