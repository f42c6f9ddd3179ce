/**
 * Entra's quarantine reasons in one line each, and which trigger each belongs to. The codes are Graph's
 * `quarantineReason` values, plus the provisioning-log codes the connection probe reports (engine/probe.ts).
 * Pure.
 */
import type { NotificationTrigger } from './notification.js';

const EXPLAINED: ReadonlyMap<string, string> = new Map(
  Object.entries({
    EncounteredQuarantineException:
      'the target could not be reached or refused the credentials (no answer, 401 or 403), so Entra cannot run the job',
    EncounteredEscrowProportionThreshold: "from 5,000 escrowed objects on, more than 40 % of a cycle's objects failed",
    EncounteredBaseEscrowThreshold: 'more than 40,000 objects are escrowed (reference failures not counted)',
    EncounteredTotalEscrowThreshold: '60,000 or more objects are escrowed, reference failures included',
    TooManyDeletes: "the cycle's disables and deletes reached the accidental-deletion threshold, so none of them was sent",
    QuarantinedOnDemand: 'Microsoft put the job in quarantine by hand after detecting an issue with the application',
    IngestionInterrupted: 'the ingestion of source data was interrupted',
    SystemForCrossDomainIdentityManagementServiceIncompatible:
      'the connection probe got an answer that is not SCIM-compliant (a filter for a random value returned resources)',
    NotFound: 'the connection probe got 404; a filter that matches nothing must answer 200 with an empty list (or the Tenant URL is wrong)',
    InternalServerError: 'the connection probe got a 5xx answer from the target',
    Unknown: 'an unexpected error stopped the job',
  }),
);

/** The reason in one line; a code provsim does not know says so, so the error below it carries the detail. */
export function explainReason(reason: string): string {
  return EXPLAINED.get(reason) ?? `the connection probe or the cycle failed with ${reason} (see the error below)`;
}

export function triggerOf(reason: string): NotificationTrigger {
  if (/^Encountered\w*Escrow\w*Threshold$/.test(reason)) return 'escrow-threshold';
  if (reason === 'TooManyDeletes') return 'deletion-threshold';
  return 'cycle-failed';
}
