/**
 * appendLog's mask (store.ts): an entry is masked only when its stored text may hold the secret, and the
 * result is exactly what masking every entry first (redactSecretsDeep) and storing it gives: in the file
 * and in what appendLog returns.
 */
import { describe, expect, it } from 'vitest';
import type { LogEntry } from '../../src/model/records.js';
import { mayContainSecret, redactSecretsDeep } from '../../src/shared/redact-secret.js';
import { StateStore, type LogMask } from '../../src/store/store.js';
import { logEntry } from './log-entry.js';

const maskFor = (secret: string): LogMask => ({
  mayHold: (text) => mayContainSecret(text, [secret]),
  redact: (entry) => redactSecretsDeep(entry, [secret]),
});

function entries(secret: string): LogEntry[] {
  const base64 = Buffer.from(`Bearer ${secret}`).toString('base64');
  return [
    logEntry(1),
    logEntry(2, { errorCode: 'SystemForCrossDomainIdentityManagementBadRequest', errorReason: `the server said: token ${secret} refused` }),
    logEntry(3, {
      errorDetails: { method: 'POST', url: `http://127.0.0.1/Users?x=${encodeURIComponent(secret)}`, status: 400, body: { echo: base64 } },
    }),
    logEntry(4, {
      sourceIdentity: { id: 's4', type: 'User', displayName: `Name ${secret}`, details: { userPrincipalName: `${secret}@x` } },
    }),
    logEntry(5, { modifiedProperties: [{ displayName: 'title', oldValue: null, newValue: JSON.stringify({ t: secret }) }] }),
    logEntry(6, {
      provisioningSteps: [
        { name: 'EntryExportAdd', provisioningStepType: 'export', status: 'failure', description: 'x', details: { [secret]: 'key' } },
      ],
    }),
    logEntry(7),
  ];
}

describe('appendLog with a mask', () => {
  it.each([
    ['a token', 'tok-3fa9c1d2e8b7'],
    ['a token with characters encoders change', 'a"b\\c/d+e=f'],
    ['a token that is the name of a field the stored form implies', 'newValue'],
    ['a token that is a column value', 'Success'],
  ])('%s: stores and returns exactly the entries masked first', (_what, secret) => {
    const given = entries(secret);
    const masked = new StateStore(':memory:');
    const stored = masked.appendLog(given, maskFor(secret));
    const expected = given.map((e) => redactSecretsDeep(e, [secret]));
    expect(stored).toEqual(expected);
    const reference = new StateStore(':memory:');
    reference.appendLog(expected);
    expect(masked.logs()).toEqual(reference.logs());
    masked.close();
    reference.close();
  });

  it('leaves entries that cannot hold the secret as they are (the same objects)', () => {
    const given = entries('tok-3fa9c1d2e8b7');
    const stored = new StateStore(':memory:').appendLog(given, maskFor('tok-3fa9c1d2e8b7'));
    expect(stored[0]).toBe(given[0]);
    expect(stored[6]).toBe(given[6]);
    expect(stored[1]).not.toBe(given[1]);
    expect(stored[1]!.errorReason).toBe('the server said: token [REDACTED] refused');
    expect(JSON.stringify(stored)).not.toContain('tok-3fa9c1d2e8b7');
  });

  it('without a mask stores the entries as given', () => {
    const given = entries('tok-3fa9c1d2e8b7');
    const store = new StateStore(':memory:');
    expect(store.appendLog(given)).toEqual(given);
    expect(store.logs()).toEqual(given);
  });
});
