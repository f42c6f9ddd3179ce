/** What provsim remembers between cycles (the job's "connector data store", watermark, escrows and logs). */
/** The two kinds of object Entra provisions. */
export type ObjectType = 'User' | 'Group';

/**
 * The link between an Entra object and the target object Entra created or matched.
 * `status` records how the object was last left in the target: `disabled-out-of-scope` means the user was
 * disabled because it was unassigned or left scope — Entra stops managing such a user, so a later hard
 * delete sends no DELETE (spec §4.3).
 */
export interface Anchor {
  objectType: ObjectType;
  sourceId: string;
  targetId: string;
  displayName: string;
  status: 'active' | 'disabled' | 'disabled-out-of-scope';
  /** The target values as last read or written, by target path (normalised strings); the incremental diff base. */
  exported: Record<string, unknown>;
}

/** A failed object waiting for its retry (Entra's "escrow", spec §5.8). */
export interface Escrow {
  objectType: ObjectType;
  sourceId: string;
  firstFailureAt: string;
  lastFailureAt: string;
  attempts: number;
  errorCode: string;
  /** When the object is retried even if it does not change (it is also retried in any cycle where it does). */
  nextRetryAt: string;
}

/** The job's quarantine (spec §5.9; Graph synchronizationQuarantine). */
export interface Quarantine {
  /** EncounteredQuarantineException, EncounteredEscrowProportionThreshold, EncounteredBaseEscrowThreshold, EncounteredTotalEscrowThreshold, TooManyDeletes, … */
  reason: string;
  error: string;
  /** When this quarantine began (the reason may have changed since the series began). */
  currentBegan: string;
  seriesBegan: string;
  /** Consecutive cycles in quarantine. */
  seriesCount: number;
  /** When the next cycle should run (backing off towards once a day). */
  nextAttempt: string;
}

export type CycleKind = 'initial' | 'incremental' | 'on-demand';
/** `abandoned`: left `running` by a process that ended before the cycle did (killed, or its machine stopped). */
export type CycleStatus = 'running' | 'succeeded' | 'entry-level-errors' | 'failed' | 'interrupted' | 'abandoned';

export interface CycleRecord {
  id: string;
  kind: CycleKind;
  startedAt: string;
  finishedAt: string | null;
  status: CycleStatus;
  dryRun: boolean;
  jobHash: string;
  counts: Record<string, number>;
}

export type LogAction = 'Create' | 'Update' | 'Disable' | 'Delete' | 'StagedDelete' | 'Other';
export type LogStatus = 'Success' | 'Failure' | 'Skipped' | 'Warning';

export interface ModifiedProperty {
  displayName: string;
  oldValue: string | null;
  newValue: string | null;
}

export interface ProvisioningStep {
  name: string;
  provisioningStepType: 'import' | 'scoping' | 'matching' | 'processing' | 'referenceResolution' | 'export';
  status: 'success' | 'warning' | 'failure' | 'skipped';
  description: string;
  details?: Record<string, string>;
}

/**
 * The source object's identifiers a person searches the log by, as in the `details` bag of Graph's
 * `provisioningObjectSummary.sourceIdentity`. Each key is present only when the source object has a value:
 * users have a `userPrincipalName` and usually a `mailNickname`, groups at most a `mailNickname`, and an
 * object no longer in the source (a hard delete) has no details at all.
 */
export interface SourceIdentityDetails {
  userPrincipalName?: string;
  mailNickname?: string;
}

/** One entry per object per cycle, in the spirit of Graph's provisioningObjectSummary (spec §5.13). */
export interface LogEntry {
  id: string;
  cycleId: string;
  changeId: string;
  activityDateTime: string;
  durationInMilliseconds: number;
  provisioningAction: LogAction;
  status: LogStatus;
  errorCode: string | null;
  errorReason: string | null;
  /** The failing request, the target's response status and its SCIM error body, when the target failed. */
  errorDetails: { method: string; url: string; status: number | null; body: unknown } | null;
  sourceIdentity: { id: string; type: ObjectType; displayName: string; details?: SourceIdentityDetails };
  targetIdentity: { id: string | null; type: ObjectType; displayName: string };
  modifiedProperties: ModifiedProperty[];
  provisioningSteps: ProvisioningStep[];
}
