/**
 * The subject and plain-text body of a quarantine notification, written from its facts. Pure.
 *
 * UNCONFIRMED: Microsoft does not publish the mail's text (evidence.ts), so the wording is provsim's. It says
 * what a person needs to act: the app and target, what happened, the reason in one line, when Entra tries
 * again, and what to run.
 */
import type { NotificationFacts, NotificationKind } from './notification.js';

export function subjectOf(kind: NotificationKind, facts: NotificationFacts): string {
  const name = oneLine(facts.app ?? hostOf(facts.target));
  return kind === 'quarantine-entered'
    ? `[provsim] Provisioning to ${name} has been quarantined (${oneLine(facts.reason)})`
    : `[provsim] Provisioning to ${name} is in quarantine for a new reason (${oneLine(facts.reason)})`;
}

export function textOf(kind: NotificationKind, facts: NotificationFacts): string {
  const app = facts.app ? `${facts.app} (${facts.target})` : facts.target;
  const { cycle, quarantine: q, escrows, request } = facts;
  const lines = [
    kind === 'quarantine-entered'
      ? `Provisioning to ${app} has been quarantined.`
      : `Provisioning to ${app} is still in quarantine, now for a different reason.`,
    '',
    'What happened',
    `  The ${cycle.kind} cycle ${cycle.id} (${cycle.startedAt} to ${cycle.finishedAt}) ${STATUS_WORDS[cycle.status]}.`,
    `  ${facts.error}`,
  ];
  if (request) {
    const answer = request.status !== null ? `${request.status}` : `no response (${request.network ?? 'unknown network error'})`;
    lines.push(`  Request: ${request.method} ${request.url} -> ${answer}`);
    if (request.detail) lines.push(`  The server said: ${JSON.stringify(request.detail)}`);
  }
  lines.push('', `Reason: ${facts.reason}`, `  ${facts.reasonExplained}`);
  if (facts.previousReason) lines.push(`  (before this cycle: ${facts.previousReason})`);
  lines.push(
    '',
    'When Entra tries again',
    `  Next attempt: ${q.nextAttempt}. In quarantine since ${q.seriesBegan} (${q.seriesCount} cycle(s) in a row);`,
    '  cycles back off, doubling up to once a day, and the first cycle that succeeds leaves quarantine.',
    '  Entra disables a job that stays in quarantine for more than four weeks (provsim does not).',
  );
  if (escrows.pending > 0)
    lines.push(
      `  Escrowed objects: ${escrows.pending}; the first is retried ${escrows.nextRetryAt ? `at ${escrows.nextRetryAt}` : 'in the next cycle'}.`,
    );
  lines.push('', 'What to do', ...facts.todo.flatMap((t) => [`  ${t.command}`, `      ${t.why}`]));
  lines.push(
    '',
    '--',
    'Entra sends this mail once when a job is placed in quarantine, and again when the quarantine reason changes,',
    'to the job\'s Notification Email, from azure-noreply@microsoft.com ("Microsoft Azure"). Its subject and',
    "wording are not published; these are provsim's.",
  );
  return lines.join('\n');
}

const STATUS_WORDS: Readonly<Record<NotificationFacts['cycle']['status'], string>> = {
  running: 'is still running',
  succeeded: 'finished',
  'entry-level-errors': 'finished with errors',
  failed: 'failed: the job could not run',
  interrupted: 'was interrupted',
  abandoned: 'was abandoned: its process ended before it finished',
};

/** A header-safe line: control characters (CR, LF, TAB, …) become spaces, runs of spaces one. */
function oneLine(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
}

function hostOf(target: string): string {
  try {
    return new URL(target).host;
  } catch {
    return target;
  }
}
