/**
 * Human views of a cycle's result (the plan's are in plan.ts). Rendering is kept apart from computing: these
 * functions take the same result objects the JSON view takes, and return text.
 */
import { groupFailures, renderFailureGroups } from './failure-groups.js';
import { renderJobFailure } from './job-failure.js';
import { plainStyle, type Style } from './style.js';
import type { CycleResult } from '../../engine/cycle-result.js';
import type { LogEntry } from '../../model/records.js';
import type { DesiredObject } from '../../engine/desired.js';

// The plan's views moved to plan.ts; re-exported for modules that import them from here.
export { planSummary, renderChange, renderPlan } from './plan.js';

export function renderCounts(counts: Record<string, number>): string {
  const rows = Object.entries(counts).sort(([a], [b]) => a.localeCompare(b));
  if (rows.length === 0) return '  (no objects processed)';
  const lines = ['  Action        Status    Count'];
  for (const [key, n] of rows) {
    const [action, status] = key.split('/');
    lines.push(`  ${action!.padEnd(13)} ${status!.padEnd(9)} ${String(n).padStart(5)}`);
  }
  return lines.join('\n');
}

export function renderFailure(e: LogEntry): string {
  const d = e.errorDetails;
  // A target failure's reason already names method, URL, status and body; print the wire line only when it does not.
  const wire =
    d && !(e.errorReason ?? '').includes(d.url)
      ? `\n      ${d.method} ${d.url} → ${d.status ?? 'no response'}${d.body ? ` ${typeof d.body === 'string' ? d.body : JSON.stringify(d.body)}` : ''}`
      : '';
  return `  ✗ ${e.provisioningAction} ${e.sourceIdentity.type} '${e.sourceIdentity.displayName}' (${e.sourceIdentity.id}): ${e.errorCode}: ${e.errorReason ?? ''}${wire}`;
}

/**
 * The cycle's summary: status, requests, job failure, quarantine, escrows, counts, and its failures grouped
 * by cause with a hint (render/failure-groups.ts); `verbose` lists every failed object as well.
 */
export function renderCycle(
  result: CycleResult,
  requests: { total: number; byMethod: Record<string, number> },
  context: { tokenSent: boolean; secrets?: readonly string[]; verbose?: boolean },
  style: Style = plainStyle,
): string {
  const seconds = ((Date.parse(result.finishedAt) - Date.parse(result.startedAt)) / 1000).toFixed(1);
  const methods = Object.entries(requests.byMethod)
    .map(([m, n]) => `${m} ${n}`)
    .join(', ');
  const lines = [
    `${result.kind} cycle ${result.cycleId.slice(0, 8)}: ${result.status} in ${seconds}s, ${requests.total} requests${methods ? ` (${methods})` : ''}`,
  ];
  if (result.jobFailure) {
    lines.push(renderJobFailure(result.jobFailure, context));
    lines.push(`  job: ${result.jobFailure.reason}: ${result.jobFailure.message}`);
  }
  if (result.status === 'interrupted')
    lines.push('  stopped before the end: what was sent is saved; the next cycle carries on from there (provsim sync)');
  if (result.quarantine)
    lines.push(
      `  quarantine: ${result.quarantine.reason} since ${result.quarantine.seriesBegan} (${result.quarantine.seriesCount} cycle(s)); Entra's next attempt ${result.quarantine.nextAttempt}`,
    );
  if (result.escrows.pending > 0 || result.escrows.givenUp.length > 0) {
    lines.push(
      `  escrows: ${renderEscrows(result.escrows)}${result.escrows.givenUp.length ? `; given up after 28 days: ${result.escrows.givenUp.length}` : ''} (provsim status)`,
    );
  }
  lines.push(renderCounts(result.counts));
  const failures = result.log.filter((e) => e.status === 'Failure');
  if (failures.length > 0) {
    if (context.verbose) {
      lines.push(`failed objects (${failures.length}):`);
      for (const f of failures) lines.push(renderFailure(f));
    }
    lines.push(renderFailureGroups(groupFailures(failures), style, { token: context.secrets?.[0] ?? null }));
  }
  return lines.join('\n');
}

/**
 * What the fixtures alone say, for a dry run that could not read the target: how many objects are in scope
 * (each would be matched, then created, updated or left alone) and why the others are not provisioned.
 */
export function renderSourceSummary(desired: readonly DesiredObject[]): string {
  const count = (type: 'User' | 'Group', test: (d: DesiredObject) => boolean): number =>
    desired.filter((d) => d.objectType === type && test(d)).length;
  const users = count('User', () => true);
  const groups = count('Group', () => true);
  const reasons: Array<[string, (d: DesiredObject) => boolean]> = [
    ['not assigned (NotEffectivelyEntitled)', (d) => d.cause === 'unassigned'],
    ['out of the scoping filter (ScopeFilterNotSatisfied)', (d) => d.cause === 'out-of-scope'],
    ['disabled or soft-deleted in Entra (NotActive)', (d) => d.cause === 'disabled' || d.cause === 'soft-deleted'],
  ];
  const skipped = reasons
    .map(([what, test]) => [what, desired.filter(test).length] as const)
    .filter(([, n]) => n > 0)
    .map(([what, n]) => `${n} ${what}`);
  return [
    'From the fixtures alone (the target could not be read, so nothing could be matched or planned):',
    `  ${users} user(s) and ${groups} group(s); in scope: ${count('User', (d) => d.provision)} user(s) and ${count('Group', (d) => d.provision)} group(s), each to be looked up by its matching attribute, then created, updated or left as it is`,
    ...(skipped.length > 0 ? [`  not provisioned: ${skipped.join(', ')} (a linked one would be disabled, or a group deleted)`] : []),
  ].join('\n');
}

/** Escrowed objects, when the first is retried, and how to retry them now (an initial cycle works on every object). */
export function renderEscrows(escrows: CycleResult['escrows']): string {
  if (escrows.pending === 0) return 'none waiting';
  const when = escrows.nextRetryAt === null || escrows.nextRetryAt === '' ? 'in the next cycle' : `from ${escrows.nextRetryAt}`;
  // Clearing the escrows (restart --scope escrows) forgets the failures: it does not retry them.
  return `${escrows.pending} object(s) waiting for a retry, ${when}; to retry them now, run an initial cycle (provsim sync --full)`;
}

/** One line per changed object, for watch-style output and the demo. */
export function renderEntry(e: LogEntry): string {
  const shown = e.modifiedProperties.length > 4 ? e.modifiedProperties.slice(0, 3) : e.modifiedProperties;
  const more = e.modifiedProperties.length - shown.length;
  const props =
    shown.map((p) => `${p.displayName}: ${p.oldValue ?? '∅'} → ${p.newValue ?? '∅'}`).join(', ') + (more > 0 ? `, … +${more} more` : '');
  return `  ${e.provisioningAction.padEnd(12)} ${e.status.padEnd(8)} ${e.sourceIdentity.type.padEnd(5)} ${e.sourceIdentity.displayName}${props ? `  {${props}}` : ''}${e.errorCode ? `  ${failedPart(e)}${e.errorCode}` : ''}`;
}

/** When the object itself was written but a reference (manager, members) failed, say which part failed. */
function failedPart(e: LogEntry): string {
  const exported = e.provisioningSteps.some((s) => s.provisioningStepType === 'export' && s.status === 'success');
  const reference = e.provisioningSteps.find((s) => s.provisioningStepType === 'referenceResolution' && s.status === 'failure');
  if (!exported || !reference) return '';
  return `(${reference.description.split(':')[0]} failed) `;
}
