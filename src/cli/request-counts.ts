/** How many requests a cycle sent, in total and by method: the figure `sync` and `watch` print. */
import type { RequestEvent } from '../scim/client.js';

export interface RequestCounts {
  total: number;
  byMethod: Record<string, number>;
}

export function countRequests(requests: readonly RequestEvent[]): RequestCounts {
  const byMethod: Record<string, number> = {};
  for (const r of requests) byMethod[r.method] = (byMethod[r.method] ?? 0) + 1;
  return { total: requests.length, byMethod };
}
