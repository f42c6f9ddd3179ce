import { describe, expect, it } from 'vitest';
import { columnsOf, decodeLogEntry, encodeLogEntry } from '../../src/store/log-codec.js';
import type { LogEntry } from '../../src/model/records.js';

const created: LogEntry = {
  id: 'e1',
  cycleId: 'c1',
  changeId: 'ch1',
  activityDateTime: '2026-11-27T16:13:32.606Z',
  durationInMilliseconds: 28,
  provisioningAction: 'Create',
  status: 'Success',
  errorCode: null,
  errorReason: null,
  errorDetails: null,
  sourceIdentity: { id: 's1', type: 'User', displayName: 'Laura Chen' },
  targetIdentity: { id: 't1', type: 'User', displayName: 'Laura Chen' },
  modifiedProperties: [
    { displayName: 'userName', oldValue: null, newValue: 'laura.chen@contoso.com' },
    { displayName: 'emails[type eq "work"].value', oldValue: 'old@contoso.com', newValue: null },
  ],
  provisioningSteps: [
    { name: 'EntryImport', provisioningStepType: 'import', status: 'success', description: "Retrieved User 'Laura Chen' from Entra ID" },
    { name: 'EntryExportAdd', provisioningStepType: 'export', status: 'success', description: 'created', details: { targetId: 't1' } },
  ],
};

const failed: LogEntry = {
  ...created,
  id: 'e2',
  provisioningAction: 'Update',
  status: 'Failure',
  errorCode: 'SystemForCrossDomainIdentityManagementServiceIncompatible',
  errorReason: 'PATCH answered 400',
  errorDetails: {
    method: 'PATCH',
    url: 'http://127.0.0.1:1/scim/v2/Users/t1',
    status: 400,
    body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '400', detail: 'no' },
  },
  targetIdentity: { id: null, type: 'User', displayName: 'Laura Chen' },
  modifiedProperties: [],
  provisioningSteps: [],
};

describe('log codec', () => {
  it.each([
    ['a create with properties and step details', created],
    ['a failure with its SCIM error body and no target id', failed],
  ])('round-trips %s exactly, keys in LogEntry order', (_, entry) => {
    const decoded = decodeLogEntry(columnsOf(entry), encodeLogEntry(entry));
    expect(decoded).toStrictEqual(entry);
    expect(JSON.stringify(decoded)).toBe(JSON.stringify(entry));
  });

  it('does not repeat the columns in the stored text, and keeps the target id matchable', () => {
    const text = encodeLogEntry(created);
    expect(text).not.toContain('"cycleId"');
    expect(text).not.toContain('"sourceIdentity"');
    expect(text).toContain('"targetIdentity":{"id":"t1"');
    expect(text.length).toBeLessThan(JSON.stringify(created).length * 0.8);
  });
});
