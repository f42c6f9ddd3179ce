/**
 * Entra's connection probe (spec §1.2), the first request of every cycle: a filter GET for a random GUID on
 * the first user matching attribute, expecting 200 and an empty ListResponse. No answer, 401/403, a 404 or
 * a filter that returns resources are job-level failures (JobFailure with Entra's quarantine reason).
 */
import { JobFailure, ScimRequestError } from '../shared/errors.js';
import type { Random } from '../shared/random.js';
import type { EngineContext } from './context.js';

export async function probe(ctx: EngineContext, random: Random): Promise<void> {
  const attribute = ctx.job.users.matching[0]?.mapping.target ?? 'userName';
  try {
    const found = await ctx.send('GET', () => ctx.client.filter('Users', attribute, random.uuid()));
    if (found.length > 0)
      throw new JobFailure(
        `the connection probe (GET /Users?filter=${attribute} eq "<random GUID>") returned ${found.length} resource(s); a filter must only return matching resources`,
        'SystemForCrossDomainIdentityManagementServiceIncompatible',
      );
  } catch (error) {
    if (error instanceof JobFailure) throw error;
    if (error instanceof ScimRequestError) {
      const reason =
        error.status === 401 || error.status === 403 || error.status === null ? 'EncounteredQuarantineException' : error.entraCode;
      throw new JobFailure(`the connection probe failed: ${error.message}`, reason, { cause: error });
    }
    throw error;
  }
}
