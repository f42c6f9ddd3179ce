/**
 * One provisioning-log entry per object per cycle (spec §5.13), built from the plan's outcomes. Pure.
 * An object's reference changes (manager, members) are folded into its entry, so a user whose only change
 * was its manager shows as one Update. The source identity carries the object's UPN and mail nickname
 * (Graph's `sourceIdentity.details`) when the caller says how to find them, so the log can be searched the
 * way a person remembers a user (`provsim logs --user`).
 */
import type { SourceGroup, SourceUser, SourceValue, Tenant } from '../model/directory.js';
import type { ModifiedProperty, LogAction, LogEntry, LogStatus, ProvisioningStep, SourceIdentityDetails } from '../model/records.js';
import type { DesiredObject } from './desired.js';
import { tenantPlaces } from './tenant-places.js';
import type { ChangeOutcome } from './outcome.js';
import type { Change, ObjectRef } from './plan.js';
import { FixtureChangedError } from '../shared/errors.js';
import type { DesiredLookup } from './desired-index.js';

const PRIMARY_ACTION: Record<string, LogAction> = {
  create: 'Create',
  update: 'Update',
  disable: 'Disable',
  delete: 'Delete',
  'staged-delete': 'StagedDelete',
  skip: 'Other',
  fail: 'Other',
};

const EXPORT_STEP: Record<string, string> = {
  create: 'EntryExportAdd',
  update: 'EntryExportUpdate',
  disable: 'EntryExportUpdateSoftDelete',
  delete: 'EntryExportDelete',
};

/** The identifiers of a source object by its id; undefined for an object the source no longer has. */
export type IdentifySource = (sourceId: string) => SourceIdentityDetails | undefined;

/**
 * `identify` gives each entry's `sourceIdentity.details`; without it (or when it returns undefined) the
 * entry has none.
 */
export function buildLogEntries(
  cycleId: string,
  at: string,
  outcomes: readonly ChangeOutcome[],
  newId: () => string,
  identify?: IdentifySource,
): LogEntry[] {
  const byObject = new Map<string, ChangeOutcome[]>();
  for (const o of outcomes) {
    // A change the cycle never reached (Ctrl-C, or a job-level stop) is not an event of this cycle.
    if (o.failure?.code === 'Interrupted') continue;
    const key = o.change.object.sourceId;
    const list = byObject.get(key);
    if (list) list.push(o);
    else byObject.set(key, [o]);
  }
  const entries: LogEntry[] = [];
  for (const list of byObject.values()) entries.push(entryFor(cycleId, at, list, newId, identify));
  return entries;
}

/**
 * The tenant's identifiers by object id: a user's `userPrincipalName` and `mailNickname`, a group's
 * `mailNickname` (each only when it is a non-empty string). Objects are found through the desired objects'
 * positions (tenant-places.ts: no map of the tenant unless they do not lead to it); an object's details are
 * read when its entry asks (an incremental cycle logs a few objects of a tenant of a million). With
 * `desired`, an object's kept view answers first (the same values, without a read).
 */
export function sourceIdentifiers(tenant: Tenant, desired?: DesiredLookup<DesiredObject>): IdentifySource {
  const places = tenantPlaces(tenant, desired);
  return (sourceId) => {
    const o = places.objectOf(sourceId);
    if (!o) return undefined;
    // The object's view when the cycle holds one (a batch's objects): a large tenant's users would otherwise
    // be read back from their files once more.
    const kept = desired?.get(sourceId)?.keptView()?.attributes;
    const nickname = textOf((kept ?? attributesOf(o))?.['mailNickname']);
    if ('userPrincipalName' in o) {
      // The view's `originalUserPrincipalName` is the user's as written.
      const upn = textOf(kept?.['originalUserPrincipalName']) ?? readBack(() => o.userPrincipalName);
      if (upn !== null) return nickname === undefined ? { userPrincipalName: upn } : { userPrincipalName: upn, mailNickname: nickname };
    }
    return nickname === undefined ? undefined : { mailNickname: nickname };
  };
}

/**
 * An object's attributes, or null when its fixture file changed since the load (a large tenant's users are
 * read back from their files, their UPN too): the entry of a change already sent is written all the same,
 * identified by what could be read (by its id alone when a user's UPN could not).
 */
function attributesOf(o: SourceUser | SourceGroup): SourceUser['attributes'] | null {
  return readBack(() => o.attributes);
}

function readBack<T>(read: () => T): T | null {
  try {
    return read();
  } catch (e) {
    if (e instanceof FixtureChangedError) return null;
    throw e;
  }
}

function textOf(v: SourceValue | undefined): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function isReference(c: Change): boolean {
  return c.action === 'set-manager' || c.action === 'add-members' || c.action === 'remove-members';
}

function entryFor(cycleId: string, at: string, list: ChangeOutcome[], newId: () => string, identify: IdentifySource | undefined): LogEntry {
  const primary = list.find((o) => !isReference(o.change)) ?? null;
  const refs = list.filter((o) => isReference(o.change));
  const object: ObjectRef = (primary ?? list[0]!).change.object;
  let action: LogAction = primary ? PRIMARY_ACTION[primary.change.action]! : 'Update';
  let status: LogStatus = primary ? statusOf(primary) : 'Success';
  const modified: ModifiedProperty[] = [];
  const steps: ProvisioningStep[] = [];
  let failure = primary?.failure && primary.status === 'failure' ? primary.failure : null;
  let targetId: string | null =
    primary?.targetId ??
    ('targetId' in (primary?.change ?? {}) ? ((primary!.change as { targetId: string | null }).targetId ?? null) : null);

  steps.push({
    name: 'EntryImport',
    provisioningStepType: 'import',
    status: 'success',
    description: `Retrieved ${object.objectType} '${object.displayName}' from Entra ID`,
  });
  if (primary) {
    const c = primary.change;
    if ('modified' in c) modified.push(...c.modified);
    if (c.action === 'skip') {
      steps.push({
        name: 'EntrySynchronizationSkip',
        provisioningStepType: 'processing',
        status: 'skipped',
        description: c.reason,
        details: { SkipReason: c.skipReason },
      });
    } else if (c.action === 'fail') {
      steps.push({ name: 'EntrySynchronizationError', provisioningStepType: 'processing', status: 'failure', description: c.message });
    } else if (c.action === 'staged-delete') {
      steps.push({ name: 'EntryExportStaged', provisioningStepType: 'export', status: 'skipped', description: c.reason });
    } else {
      steps.push({
        name: c.action === 'create' ? 'EntrySynchronizationAdd' : 'EntrySynchronizationUpdate',
        provisioningStepType: 'processing',
        status: 'success',
        description: c.reason,
      });
      steps.push({
        name: EXPORT_STEP[c.action]!,
        provisioningStepType: 'export',
        status: primary.status === 'success' ? 'success' : 'failure',
        description:
          primary.status === 'success'
            ? `${object.objectType} '${object.displayName}' was ${c.action === 'create' ? 'created' : c.action === 'delete' ? 'deleted' : 'updated'} in the target`
            : (primary.failure?.message ?? 'failed'),
      });
    }
  }

  for (const r of refs) {
    const c = r.change;
    const name = c.action === 'set-manager' ? 'manager' : 'members';
    if (r.status === 'success') {
      if (action === 'Other') action = 'Update';
      if (status === 'Skipped') status = 'Success';
      targetId = targetId ?? r.targetId;
      if (c.action === 'set-manager') modified.push({ displayName: 'manager', oldValue: c.previous, newValue: c.managerDisplayName });
      else if (c.action === 'add-members' || c.action === 'remove-members') {
        const names = c.memberDisplayNames.filter((_, i) => !r.unresolved.includes(c.memberSourceIds[i]!)).join(', ');
        modified.push({
          displayName: 'members',
          oldValue: c.action === 'remove-members' ? names : null,
          newValue: c.action === 'add-members' ? names : null,
        });
      }
    } else if (r.status === 'failure') {
      status = 'Failure';
      failure = failure ?? r.failure;
    }
    const left =
      r.unresolved.length > 0 && !(c.action === 'set-manager' && !c.managerProvisioned)
        ? `; left out, not provisioned: ${r.unresolved.join(', ')}`
        : '';
    steps.push({
      name: 'EntryReferenceResolution',
      provisioningStepType: 'referenceResolution',
      status: r.status === 'failure' ? 'failure' : r.unresolved.length > 0 || r.status === 'skipped' ? 'warning' : 'success',
      description: `${name}: ${c.reason}${left}${r.failure ? ` (${r.failure.message})` : ''}`,
    });
  }

  const duration = list.reduce((n, o) => n + o.durationMs, 0);
  const details = identify?.(object.sourceId);
  return {
    id: newId(),
    cycleId,
    changeId: newId(),
    activityDateTime: at,
    durationInMilliseconds: duration,
    provisioningAction: action,
    status,
    errorCode: failure?.code ?? null,
    errorReason: failure?.message ?? null,
    errorDetails: failure?.details ?? null,
    sourceIdentity: details
      ? { id: object.sourceId, type: object.objectType, displayName: object.displayName, details: { ...details } }
      : { id: object.sourceId, type: object.objectType, displayName: object.displayName },
    targetIdentity: { id: targetId, type: object.objectType, displayName: object.displayName },
    modifiedProperties: modified,
    provisioningSteps: steps,
  };
}

function statusOf(o: ChangeOutcome): LogStatus {
  if (o.status === 'failure') return 'Failure';
  if (o.status === 'skipped') return 'Skipped';
  return 'Success';
}

/** Counts by `Action/Status` (e.g. `Create/Success`), as the portal's provisioning log summary shows. */
export function countEntries(entries: readonly LogEntry[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of entries) {
    const k = `${e.provisioningAction}/${e.status}`;
    counts[k] = (counts[k] ?? 0) + 1;
  }
  return counts;
}
