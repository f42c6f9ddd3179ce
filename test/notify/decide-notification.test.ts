import { describe, expect, it } from 'vitest';
import { decideNotification, type NotificationInput } from '../../src/notify/decide-notification.js';
import {
  aCycle,
  aQuarantiningCycle,
  credentialsRefused,
  escrowProportion,
  quarantineAfter,
  TARGET,
  TOKEN,
  tooManyDeletes,
} from './cycles.js';

const T1 = '2026-03-04T05:00:00.000Z';
const T2 = '2026-03-04T05:40:00.000Z';

const decide = (over: Partial<NotificationInput> & Pick<NotificationInput, 'result' | 'previousQuarantine'>) =>
  decideNotification({ target: TARGET, ...over });

describe('decideNotification: when Entra mails', () => {
  it('a cycle that fails at the probe puts a healthy job in quarantine: quarantine-entered, trigger cycle-failed', () => {
    const n = decide({ result: aQuarantiningCycle(T1, credentialsRefused, null), previousQuarantine: null });
    expect(n?.kind).toBe('quarantine-entered');
    expect(n?.trigger).toBe('cycle-failed');
    expect(n?.facts.reason).toBe('EncounteredQuarantineException');
    expect(n?.facts.previousReason).toBeNull();
  });

  it('the accidental-deletion threshold quarantines the job: trigger deletion-threshold', () => {
    const n = decide({ result: aQuarantiningCycle(T1, tooManyDeletes, null), previousQuarantine: null });
    expect([n?.kind, n?.trigger]).toEqual(['quarantine-entered', 'deletion-threshold']);
  });

  it.each(['EncounteredEscrowProportionThreshold', 'EncounteredBaseEscrowThreshold', 'EncounteredTotalEscrowThreshold'])(
    'an escrow threshold (%s) quarantines the job: trigger escrow-threshold',
    (reason) => {
      const failure = { ...escrowProportion, reason };
      const result = aQuarantiningCycle(T1, failure, null, { escrows: { pending: 5200, nextRetryAt: '', givenUp: [] } });
      const n = decide({ result, previousQuarantine: null });
      expect([n?.kind, n?.trigger]).toEqual(['quarantine-entered', 'escrow-threshold']);
    },
  );

  it('a quarantined job whose reason changes gets the updated mail, naming the old reason', () => {
    const before = quarantineAfter(null, tooManyDeletes, T1);
    const n = decide({ result: aQuarantiningCycle(T2, credentialsRefused, before), previousQuarantine: before });
    expect(n?.kind).toBe('quarantine-reason-changed');
    expect(n?.facts.previousReason).toBe('TooManyDeletes');
    expect(n?.text).toContain('before this cycle: TooManyDeletes');
  });

  it('a job that leaves quarantine and fails again later gets a new quarantine-entered mail', () => {
    // The series ended (a cycle succeeded, or a restart cleared it): the job starts the next cycle unquarantined.
    const n = decide({ result: aQuarantiningCycle(T2, credentialsRefused, null), previousQuarantine: null });
    expect(n?.kind).toBe('quarantine-entered');
  });
});

describe('decideNotification: when Entra stays silent', () => {
  it('a job that stays in quarantine for the same reason gets no second mail (Entra sends it once)', () => {
    const before = quarantineAfter(null, credentialsRefused, T1);
    expect(decide({ result: aQuarantiningCycle(T2, credentialsRefused, before), previousQuarantine: before })).toBeNull();
  });

  it('a cycle that succeeds, with or without object failures, sends nothing', () => {
    expect(decide({ result: aCycle(T1), previousQuarantine: null })).toBeNull();
    const withErrors = aCycle(T1, { status: 'entry-level-errors', escrows: { pending: 12, nextRetryAt: T2, givenUp: [] } });
    expect(decide({ result: withErrors, previousQuarantine: null })).toBeNull();
  });

  it('a quarantined job that recovers sends nothing', () => {
    const before = quarantineAfter(null, credentialsRefused, T1);
    expect(decide({ result: aCycle(T2), previousQuarantine: before })).toBeNull();
  });

  it('a dry run and provision on demand send nothing, even when the target refused them', () => {
    const failedDryRun = aCycle(T1, { dryRun: true, status: 'failed', jobFailure: credentialsRefused });
    expect(decide({ result: failedDryRun, previousQuarantine: null })).toBeNull();
    const onDemand = aQuarantiningCycle(T1, credentialsRefused, null, { kind: 'on-demand' });
    expect(decide({ result: onDemand, previousQuarantine: null })).toBeNull();
  });

  it('a cycle the user stopped leaves the quarantine as it was, even with deletions held back: nothing', () => {
    // Settle keeps the stored quarantine on a stop; the result still carries the TooManyDeletes it saw.
    const before = quarantineAfter(null, escrowProportion, T1);
    const stopped = aCycle(T2, { status: 'interrupted', jobFailure: tooManyDeletes, quarantine: before });
    expect(decide({ result: stopped, previousQuarantine: null })).toBeNull();
  });
});

describe('decideNotification: the previous quarantine inferred from the result', () => {
  it('a new series (seriesCount 1) is an entered quarantine', () => {
    const n = decide({ result: aQuarantiningCycle(T1, credentialsRefused, null), previousQuarantine: 'unknown' });
    expect(n?.kind).toBe('quarantine-entered');
  });

  it('a reason change restarts currentBegan at the cycle start: the updated mail, with the old reason unknown', () => {
    const before = quarantineAfter(null, tooManyDeletes, T1);
    const n = decide({ result: aQuarantiningCycle(T2, credentialsRefused, before), previousQuarantine: 'unknown' });
    expect(n?.kind).toBe('quarantine-reason-changed');
    expect(n?.facts.previousReason).toBeNull();
  });

  it('the same reason again keeps currentBegan: nothing', () => {
    const before = quarantineAfter(null, credentialsRefused, T1);
    expect(decide({ result: aQuarantiningCycle(T2, credentialsRefused, before), previousQuarantine: 'unknown' })).toBeNull();
  });
});

describe('decideNotification: what the mail says', () => {
  const result = aQuarantiningCycle(T1, credentialsRefused, null, { escrows: { pending: 3, nextRetryAt: T2, givenUp: [] } });
  const n = decide({ result, previousQuarantine: null, app: 'Zürich Payroll' })!;

  it('names the app and the target, what happened, the reason with its explanation, and the failed request', () => {
    expect(n.subject).toBe('[provsim] Provisioning to Zürich Payroll has been quarantined (EncounteredQuarantineException)');
    expect(n.text).toContain('Provisioning to Zürich Payroll (https://scim.example.com/scim/v2?aadOptscim062020) has been quarantined.');
    expect(n.text).toContain(`The incremental cycle ${result.cycleId}`);
    expect(n.text).toContain('failed: the job could not run');
    expect(n.text).toContain('Reason: EncounteredQuarantineException\n  the target could not be reached or refused the credentials');
    expect(n.text).toContain('Request: GET https://scim.example.com/scim/v2/Users?filter=userName%20eq%20%22x%22 -> 401');
    expect(n.text).toContain('The server said: "invalid token"');
  });

  it("says when Entra tries again: the quarantine's next attempt, and the escrows' first retry", () => {
    expect(n.facts.quarantine.nextAttempt).toBe('2026-03-04T05:40:00.000Z');
    expect(n.text).toContain('Next attempt: 2026-03-04T05:40:00.000Z. In quarantine since 2026-03-04T05:00:00.000Z (1 cycle(s) in a row)');
    expect(n.text).toContain(`Escrowed objects: 3; the first is retried at ${T2}.`);
  });

  it('lists what to run: status, the failures, the fix for the trigger, restart', () => {
    expect(n.facts.todo.map((t) => t.command)).toEqual([
      'provsim status',
      'provsim logs --status Failure',
      "provsim test-connection --target 'https://scim.example.com/scim/v2?aadOptscim062020'",
      'provsim restart',
    ]);
    for (const t of n.facts.todo) expect(n.text).toContain(t.command);
  });

  it('names a state file that is not the default in every state command', () => {
    const withState = decide({
      result: aQuarantiningCycle(T1, tooManyDeletes, null),
      previousQuarantine: null,
      stateFile: 'state/hr app.db',
    });
    expect(withState!.facts.todo.map((t) => t.command)).toEqual([
      "provsim status --state 'state/hr app.db'",
      "provsim logs --state 'state/hr app.db' --status Failure",
      "provsim logs --state 'state/hr app.db' --action StagedDelete",
      "provsim restart --state 'state/hr app.db' --scope force-deletes",
      "provsim restart --state 'state/hr app.db'",
    ]);
  });

  it('marks what Microsoft documents and what is provsim’s choice', () => {
    expect(n.evidence.map((e) => e.status)).toContain('UNCONFIRMED');
    const entered = n.evidence.find((e) => e.claim.includes('placed in quarantine'));
    expect(entered?.status).toBe('documented');
    expect(entered?.source).toContain('application-provisioning-quarantine-status.md');
    expect(n.evidence.find((e) => e.status === 'UNCONFIRMED' && e.claim.includes('subject'))?.source).toBeNull();
  });
});

describe('decideNotification: no secret reaches the mail', () => {
  it('drops credentials from the target and masks secret query values, keeping Entra’s flags', () => {
    const n = decide({
      result: aQuarantiningCycle(T1, credentialsRefused, null),
      previousQuarantine: null,
      target: 'https://admin:hunter2@fn.example.net/api/scim?code=s3cr3t-key&aadOptscim062020#frag',
    });
    expect(n!.facts.target).toBe('https://fn.example.net/api/scim?code=REDACTED&aadOptscim062020');
    expect(n!.text).not.toMatch(/hunter2|s3cr3t-key|admin@/);
  });

  it('masks the bearer token wherever the server echoed it (message, detail, URL)', () => {
    const echoed = {
      ...credentialsRefused,
      message: `the connection probe failed: 401 Bearer ${TOKEN} is not valid`,
      request: {
        ...credentialsRefused.request!,
        url: `https://scim.example.com/scim/v2/Users?access_token=${TOKEN}`,
        detail: `token ${TOKEN} expired`,
      },
    };
    const n = decide({ result: aQuarantiningCycle(T1, echoed, null), previousQuarantine: null, secrets: [TOKEN] });
    const everything = JSON.stringify(n);
    expect(everything).not.toContain(TOKEN);
    expect(n!.facts.error).toBe('the connection probe failed: 401 Bearer [REDACTED] is not valid');
    expect(n!.facts.request?.detail).toBe('token [REDACTED] expired');
  });

  it('keeps the subject on one line whatever the app name holds', () => {
    const n = decide({
      result: aQuarantiningCycle(T1, credentialsRefused, null),
      previousQuarantine: null,
      app: 'HR\r\nBcc: x@evil.example',
    });
    expect(n!.subject).not.toMatch(/[\r\n]/);
    expect(n!.subject).toContain('HR Bcc: x@evil.example');
  });
});
