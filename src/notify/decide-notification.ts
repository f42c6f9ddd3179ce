/**
 * decideNotification: whether a finished cycle calls for Entra's failure e-mail, and the mail if so. PURE:
 * plain values in, a `Notification` or null out.
 *
 * Entra mails when the job is placed in quarantine and again when the quarantine reason changes, and at no
 * other time (evidence.ts). In provsim every job-level failure (bad credentials, a failed connection probe),
 * the accidental-deletion threshold and the escrow thresholds quarantine the job (engine/settle.ts), so those
 * are the triggers, and each reaches the recipient once per quarantine and reason:
 *
 * | the cycle                                                               | mail                          |
 * |-------------------------------------------------------------------------|-------------------------------|
 * | dry run, provision on demand                                            | none (UNCONFIRMED)            |
 * | left the job's quarantine as it was (interrupted, or no job failure)    | none                          |
 * | not quarantined after it (succeeded, object failures, recovered)        | none (UNCONFIRMED)            |
 * | quarantined the job, which was not before                               | `quarantine-entered`          |
 * | kept the job in quarantine for another reason than before               | `quarantine-reason-changed`   |
 * | kept the job in quarantine for the same reason                          | none (Entra's "one-time" mail)|
 *
 * The previous quarantine is the job's before the cycle (the state file's, or the previous cycle's
 * `result.quarantine` in a loop). When the caller cannot know it (`'unknown'`), it is inferred from what
 * settle leaves: a quarantine it imposes has `seriesCount` 1 in a new series, and a reason change restarts
 * `currentBegan` at the cycle's start. Trade-off: two cycles that start at the same instant (repeated runs at
 * the same `--at`) cannot be told apart, so a repeat may be taken for a reason change; the explicit previous
 * quarantine has no such blind spot.
 */
import type { CycleResult } from '../engine/cycle-result.js';
import type { Quarantine } from '../model/records.js';
import { NOTIFICATION_EVIDENCE } from './evidence.js';
import { nextSteps } from './next-steps.js';
import type { EvidenceNote, Notification, NotificationFacts, NotificationKind, NotificationTrigger } from './notification.js';
import { subjectOf, textOf } from './notification-text.js';
import { publicUrl } from './public-url.js';
import { explainReason, triggerOf } from './quarantine-reasons.js';
import { redactSecrets } from './redact-secrets.js';

/** What the decision reads of a cycle's result. */
export type NotifiableCycle = Pick<
  CycleResult,
  'cycleId' | 'kind' | 'status' | 'dryRun' | 'jobFailure' | 'quarantine' | 'escrows' | 'startedAt' | 'finishedAt'
>;

export interface NotificationInput {
  result: NotifiableCycle;
  /** The job's quarantine before the cycle; `'unknown'` infers it from the result (see above). */
  previousQuarantine: Quarantine | null | 'unknown';
  /** The SCIM base URL (Entra's Tenant URL); shown without credentials or secret query values. */
  target: string;
  /** The enterprise app's name (the fixture tenant's `app.name`). */
  app?: string;
  /** The state file, when it is not the default: the commands in the mail name it. */
  stateFile?: string;
  /** Text that must never appear in the mail (the bearer token): masked wherever the server echoed it. */
  secrets?: readonly string[];
}

export function decideNotification(input: NotificationInput): Notification | null {
  const { result } = input;
  if (result.dryRun || result.kind === 'on-demand') return null;
  const q = result.quarantine;
  const failure = result.jobFailure;
  // Settle imposes (or renews) the quarantine exactly when the cycle ends with a job failure and is not a
  // user's stop; otherwise `result.quarantine` is the one the cycle started with, and nothing changed.
  if (!q || !failure || failure.reason !== q.reason || result.status === 'interrupted' || result.status === 'running') return null;

  const change = quarantineChange(q, input.previousQuarantine, result.startedAt);
  if (!change) return null;

  const secrets = input.secrets ?? [];
  const clean = (text: string): string => redactSecrets(text, secrets);
  const target = clean(publicUrl(input.target));
  const trigger = triggerOf(q.reason);
  const request = failure.request;
  const facts: NotificationFacts = {
    app: input.app !== undefined ? clean(input.app) : null,
    target,
    cycle: { id: result.cycleId, kind: result.kind, status: result.status, startedAt: result.startedAt, finishedAt: result.finishedAt },
    reason: q.reason,
    reasonExplained: explainReason(q.reason),
    previousReason: change.previousReason,
    error: clean(failure.message),
    request: request
      ? {
          method: request.method,
          url: clean(publicUrl(request.url)),
          status: request.status,
          network: request.network,
          detail: request.detail === null ? null : clean(request.detail),
        }
      : null,
    quarantine: { seriesBegan: q.seriesBegan, currentBegan: q.currentBegan, seriesCount: q.seriesCount, nextAttempt: q.nextAttempt },
    escrows: { pending: result.escrows.pending, nextRetryAt: result.escrows.nextRetryAt },
    todo: nextSteps({ trigger, target, stateFile: input.stateFile ?? null }).map((t) => ({
      command: clean(t.command),
      why: t.why,
    })),
  };
  return {
    kind: change.kind,
    trigger,
    subject: subjectOf(change.kind, facts),
    text: textOf(change.kind, facts),
    facts,
    evidence: evidenceFor(change.kind, trigger),
  };
}

/** Whether the cycle put the job in quarantine or changed its reason, and the reason it had before. */
function quarantineChange(
  after: Quarantine,
  before: Quarantine | null | 'unknown',
  cycleStartedAt: string,
): { kind: NotificationKind; previousReason: string | null } | null {
  if (before === 'unknown') {
    if (after.seriesCount === 1) return { kind: 'quarantine-entered', previousReason: null };
    if (after.currentBegan === cycleStartedAt) return { kind: 'quarantine-reason-changed', previousReason: null };
    return null;
  }
  if (before === null) return { kind: 'quarantine-entered', previousReason: null };
  if (before.reason !== after.reason) return { kind: 'quarantine-reason-changed', previousReason: before.reason };
  return null;
}

function evidenceFor(kind: NotificationKind, trigger: NotificationTrigger): EvidenceNote[] {
  const e = NOTIFICATION_EVIDENCE;
  return [
    kind === 'quarantine-entered' ? e.entered : e.reasonChanged,
    ...(trigger === 'deletion-threshold' ? [e.deletionThreshold] : trigger === 'escrow-threshold' ? [e.escrowThreshold] : []),
    e.recipient,
    e.sender,
    e.wording,
    e.noOtherMail,
  ];
}
