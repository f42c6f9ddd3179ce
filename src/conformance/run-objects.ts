/**
 * The objects of one conformance run: the unique names it uses and the target ids it created.
 *
 * Every name carries the run id (a random suffix), so a rerun against a persistent server never collides
 * with an earlier run's leftovers, and cleanup can find this run's objects by name even when a POST's
 * response was lost. Ids are learnt from the evidence stream (any 201 to /Users or /Groups, the engine's
 * included) and forgotten again on a successful DELETE, so cleanup deletes exactly what is still there.
 */
import type { ResourceType } from '../scim/types.js';
import type { Evidence } from './types.js';

/** Reserved for documentation (RFC 2606): no mail can reach a real person. */
export const NAME_DOMAIN = 'example.com';

interface Created {
  resource: ResourceType;
  id: string;
  name: string | null;
}

export class RunObjects {
  readonly #names = new Map<string, ResourceType>();
  readonly #created = new Map<string, Created>();

  constructor(
    readonly runId: string,
    private readonly baseUrl: string,
  ) {}

  /** A userName unique to this run, e.g. `provsim-1a2b3c4d-lifecycle@example.com`. */
  userName(label: string): string {
    const name = `provsim-${this.runId}-${label}@${NAME_DOMAIN}`;
    this.#names.set(name, 'Users');
    return name;
  }

  /** A group displayName unique to this run, e.g. `provsim-1a2b3c4d lifecycle`. */
  groupName(label: string): string {
    const name = `provsim-${this.runId} ${label}`;
    this.#names.set(name, 'Groups');
    return name;
  }

  /** Feed every exchange here (EvidenceRecorder.onEvidence). */
  readonly observe = (e: Evidence): void => {
    const where = resourceOf(e.url, this.baseUrl);
    if (!where || e.status === null) return;
    if (e.method === 'POST' && e.status === 201 && where.id === null) {
      const body = e.responseBody as Record<string, unknown> | undefined;
      const id = body && typeof body === 'object' ? body['id'] : undefined;
      if (typeof id !== 'string') return;
      const request = e.requestBody as Record<string, unknown> | undefined;
      const name = request?.[where.resource === 'Users' ? 'userName' : 'displayName'];
      this.#created.set(id, { resource: where.resource, id, name: typeof name === 'string' ? name : null });
    } else if (e.method === 'DELETE' && where.id !== null && (e.status === 204 || e.status === 200 || e.status === 404)) {
      this.#created.delete(where.id);
    }
  };

  /** Created and not yet deleted, groups first (deleting them first spares member updates). */
  remaining(): Created[] {
    const all = [...this.#created.values()];
    return [...all.filter((c) => c.resource === 'Groups'), ...all.filter((c) => c.resource === 'Users')];
  }

  /** Every name this run used, with its resource type. */
  names(): Array<{ resource: ResourceType; name: string }> {
    return [...this.#names].map(([name, resource]) => ({ resource, name }));
  }
}

/** `/Users`, `/Users/{id}`, `/Groups`, `/Groups/{id}` right under the base URL; null for anything else. */
export function resourceOf(url: string, baseUrl: string): { resource: ResourceType; id: string | null } | null {
  if (!url.startsWith(baseUrl)) return null;
  const rest = url.slice(baseUrl.length).split('?')[0] ?? '';
  const m = /^\/(Users|Groups)(?:\/([^/]+))?\/?$/.exec(rest);
  if (!m) return null;
  return { resource: m[1] as ResourceType, id: m[2] === undefined ? null : decodeURIComponent(m[2]) };
}
