/**
 * The stored form of a provisioning-log entry (schema v3 and later). An entry is written once per object per cycle,
 * which makes the log the largest thing a cycle writes; this form holds the same information in about half
 * the bytes, and half the time to serialize:
 * - the fields that have columns of their own (id, cycle, time, action, status, the source identity with
 *   its details: id, type, display name, UPN, mail nickname) are not repeated in the JSON;
 * - modified properties are `[displayName, oldValue, newValue]` triples and steps are
 *   `[name, type, status, description]` (plus `details` when a step has them) instead of keyed objects.
 * `targetIdentity` stays an object with `id` first: the v3 → v4 upgrade reads the target id from it with
 * `json_extract`, and so can any reader of an older file.
 *
 * Contract: `decodeLogEntry(columnsOf(e), encodeLogEntry(e))` deep-equals `e`, with the keys in
 * LogEntry's order (the `--json` output does not change with the storage), and the source identity's
 * details in SourceIdentityDetails' order; an empty details bag is not kept (it decodes to none). Rows
 * written before schema v4 have no UPN or mail nickname and decode to entries without details.
 */
import type { LogEntry, ModifiedProperty, ProvisioningStep } from '../model/records.js';

/** The log table's columns that hold part of an entry. */
export interface LogColumns {
  id: string;
  cycle_id: string;
  activity_at: string;
  action: string;
  status: string;
  source_id: string;
  display_name: string;
  object_type: string;
  /** The source identity's details (schema v4); null when absent. */
  upn: string | null;
  mail_nickname: string | null;
}

type StoredProperty = [displayName: string, oldValue: string | null, newValue: string | null];
type StoredStep = [
  name: string,
  type: ProvisioningStep['provisioningStepType'],
  status: ProvisioningStep['status'],
  description: string,
  details?: Record<string, string>,
];

interface StoredEntry {
  changeId: string;
  durationInMilliseconds: number;
  errorCode: LogEntry['errorCode'];
  errorReason: LogEntry['errorReason'];
  errorDetails: LogEntry['errorDetails'];
  targetIdentity: LogEntry['targetIdentity'];
  modifiedProperties: StoredProperty[];
  provisioningSteps: StoredStep[];
}

/**
 * The names an entry's fields and the fields of its parts go by, which the stored form implies rather than
 * spells out (by its columns, and by positions in its arrays), one per line. Every string of an entry
 * (each value, and each key of each plain object in it) is one of these, a column, or text of the encoded
 * JSON: so a text that occurs in none of the three occurs in no string of the entry (store.appendLog's mask
 * relies on it). Keep it in step with LogEntry and the codec.
 */
export const IMPLIED_NAMES = [
  // LogEntry
  'id',
  'cycleId',
  'changeId',
  'activityDateTime',
  'durationInMilliseconds',
  'provisioningAction',
  'status',
  'errorCode',
  'errorReason',
  'errorDetails',
  'sourceIdentity',
  'targetIdentity',
  'modifiedProperties',
  'provisioningSteps',
  // errorDetails, sourceIdentity, targetIdentity and its details
  'method',
  'url',
  'body',
  'type',
  'displayName',
  'details',
  'userPrincipalName',
  'mailNickname',
  // ModifiedProperty, ProvisioningStep
  'oldValue',
  'newValue',
  'name',
  'provisioningStepType',
  'description',
].join('\n');

export function encodeLogEntry(e: LogEntry): string {
  const properties: StoredProperty[] = new Array(e.modifiedProperties.length);
  for (let i = 0; i < properties.length; i++) {
    const p = e.modifiedProperties[i]!;
    properties[i] = [p.displayName, p.oldValue, p.newValue];
  }
  const steps: StoredStep[] = new Array(e.provisioningSteps.length);
  for (let i = 0; i < steps.length; i++) {
    const s = e.provisioningSteps[i]!;
    steps[i] =
      s.details === undefined
        ? [s.name, s.provisioningStepType, s.status, s.description]
        : [s.name, s.provisioningStepType, s.status, s.description, s.details];
  }
  const stored: StoredEntry = {
    changeId: e.changeId,
    durationInMilliseconds: e.durationInMilliseconds,
    errorCode: e.errorCode,
    errorReason: e.errorReason,
    errorDetails: e.errorDetails,
    targetIdentity: e.targetIdentity,
    modifiedProperties: properties,
    provisioningSteps: steps,
  };
  return JSON.stringify(stored);
}

export function decodeLogEntry(columns: LogColumns, entry: string): LogEntry {
  const s = JSON.parse(entry) as StoredEntry;
  return {
    id: columns.id,
    cycleId: columns.cycle_id,
    changeId: s.changeId,
    activityDateTime: columns.activity_at,
    durationInMilliseconds: s.durationInMilliseconds,
    provisioningAction: columns.action as LogEntry['provisioningAction'],
    status: columns.status as LogEntry['status'],
    errorCode: s.errorCode,
    errorReason: s.errorReason,
    errorDetails: s.errorDetails,
    sourceIdentity: sourceIdentityOf(columns),
    targetIdentity: s.targetIdentity,
    modifiedProperties: s.modifiedProperties.map(([displayName, oldValue, newValue]): ModifiedProperty => ({
      displayName,
      oldValue,
      newValue,
    })),
    provisioningSteps: s.provisioningSteps.map(([name, provisioningStepType, status, description, details]): ProvisioningStep =>
      details === undefined
        ? { name, provisioningStepType, status, description }
        : { name, provisioningStepType, status, description, details },
    ),
  };
}

function sourceIdentityOf(c: LogColumns): LogEntry['sourceIdentity'] {
  const identity: LogEntry['sourceIdentity'] = {
    id: c.source_id,
    type: c.object_type as LogEntry['sourceIdentity']['type'],
    displayName: c.display_name,
  };
  if (c.upn === null && c.mail_nickname === null) return identity;
  identity.details = {};
  if (c.upn !== null) identity.details.userPrincipalName = c.upn;
  if (c.mail_nickname !== null) identity.details.mailNickname = c.mail_nickname;
  return identity;
}

/** The columns of an entry, as `appendLog` writes them. */
export function columnsOf(e: LogEntry): LogColumns {
  return {
    id: e.id,
    cycle_id: e.cycleId,
    activity_at: e.activityDateTime,
    action: e.provisioningAction,
    status: e.status,
    source_id: e.sourceIdentity.id,
    display_name: e.sourceIdentity.displayName,
    object_type: e.sourceIdentity.type,
    upn: e.sourceIdentity.details?.userPrincipalName ?? null,
    mail_nickname: e.sourceIdentity.details?.mailNickname ?? null,
  };
}
