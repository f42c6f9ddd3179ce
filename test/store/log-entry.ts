import type { LogEntry } from '../../src/model/records.js';

/** A provisioning-log entry for store tests: entry `n` of cycle c1, a create of user `s<n>`. */
export const logEntry = (n: number, over: Partial<LogEntry> = {}): LogEntry => ({
  id: `e${n}`,
  cycleId: 'c1',
  changeId: `ch${n}`,
  activityDateTime: new Date(Date.UTC(2026, 0, 1) + n * 1000).toISOString(),
  durationInMilliseconds: n,
  provisioningAction: 'Create',
  status: 'Success',
  errorCode: null,
  errorReason: null,
  errorDetails: null,
  sourceIdentity: { id: `s${n}`, type: 'User', displayName: `User ${n}` },
  targetIdentity: { id: `t${n}`, type: 'User', displayName: `User ${n}` },
  modifiedProperties: [{ displayName: 'userName', oldValue: null, newValue: `u${n}@x` }],
  provisioningSteps: [
    { name: 'EntryImport', provisioningStepType: 'import', status: 'success', description: `Retrieved User 'User ${n}'` },
  ],
  ...over,
});
