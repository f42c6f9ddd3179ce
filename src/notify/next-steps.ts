/**
 * What to run after a quarantine notification: the job's state, the failures, the fix for this trigger, and
 * the restart. Commands name the state file when it is not the default, so they can be pasted as they are.
 * Pure.
 */
import type { NotificationFacts, NotificationTrigger } from './notification.js';

export interface NextStepsInput {
  trigger: NotificationTrigger;
  /** The public target URL (public-url.ts). */
  target: string;
  /** The state file the job runs with, when it is not the default. */
  stateFile: string | null;
}

export function nextSteps(input: NextStepsInput): NotificationFacts['todo'] {
  const state = input.stateFile ? ` --state ${shellWord(input.stateFile)}` : '';
  const steps: NotificationFacts['todo'] = [
    { command: `provsim status${state}`, why: 'the job: its quarantine, the next attempt, the escrows waiting' },
    { command: `provsim logs${state} --status Failure`, why: "each failure with its request and the server's answer" },
  ];
  if (input.trigger === 'deletion-threshold')
    steps.push(
      { command: `provsim logs${state} --action StagedDelete`, why: 'the disables and deletes that were held back' },
      { command: `provsim restart${state} --scope force-deletes`, why: 'if they are meant: let them through in the next cycle' },
    );
  else if (input.trigger === 'escrow-threshold')
    steps.push({
      command: `provsim restart${state} --scope escrows`,
      why: 'after fixing the most common failure: start counting escrows again',
    });
  else
    steps.push({
      command: `provsim test-connection --target ${shellWord(input.target)}`,
      why: "Entra's Test Connection: check the Tenant URL and the token (PROVSIM_TOKEN or --token-file)",
    });
  steps.push({
    command: `provsim restart${state}`,
    why: 'once fixed: clears quarantine, watermark and escrows (the next cycle is initial); otherwise the first cycle that succeeds leaves quarantine',
  });
  return steps;
}

/** A word a POSIX shell reads back as it is: quoted when it holds anything but safe characters. */
function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
