/**
 * The report for a terminal: a line per check as it finishes, then the matrix, the failures grouped by
 * root cause (each consequence under the failure that explains it), and the verdict. Pure.
 */
import { VERDICT_WORDS, failuresByCause, statusMark } from './format.js';
import type { CheckResult, ConformanceReport, QuirkMatrixRow } from './types.js';

/** One line (two for a failure) for a finished check. */
export function checkLine(check: CheckResult): string {
  const head = `${statusMark(check)} ${check.id.padEnd(44)} ${check.severity.padEnd(9)} ${check.title}`;
  return check.status === 'failed' ? `${head}\n    ${check.message}` : head;
}

export function renderTextSummary(report: ConformanceReport, files: string[] = []): string {
  const lines: string[] = ['', 'Quirk matrix                        legacy                    aadOptscim062020'];
  for (const row of report.quirkMatrix)
    lines.push(`  ${row.quirk.padEnd(34)}${cellText(row.cells.legacy).padEnd(26)}${cellText(row.cells.aadOptscim062020)}`);
  const s = report.summary;
  const groups = failuresByCause(report.checks);
  if (groups.length > 0) {
    lines.push(
      '',
      `Failures by root cause (${groups.length}${s.consequences > 0 ? `; ${s.consequences} more failure(s) are consequences, listed under their cause` : ''}):`,
    );
    for (const { cause, consequences } of groups) {
      lines.push(`  ✗ ${cause.id} (${cause.severity}): ${cause.message}`);
      for (const c of consequences)
        lines.push(
          `      ↳ consequence: ${c.id} (${c.severity}) ${c.title}${c.consequence!.via.length > 0 ? ` [via ${c.consequence!.via.join(' → ')}]` : ''}`,
        );
    }
  }
  lines.push(
    '',
    `${s.total} checks: ${s.passed} passed, ${s.failed} failed (${s.mandatoryFailed} mandatory, ${s.optionalFailed} optional${s.consequences > 0 ? `, ${s.consequences} consequence(s) of those` : ''}), ${s.skipped} skipped.`,
  );
  const { deleted, leftovers } = report.cleanup;
  lines.push(
    `Cleanup: deleted ${deleted.length} object(s) of run ${report.runId}${leftovers.length > 0 ? `; ${leftovers.length} left, delete by hand: ${leftovers.map((l) => `${l.resource} ${l.name ?? l.id ?? ''} (${l.reason})`).join('; ')}` : '; nothing left'}.`,
  );
  for (const file of files) lines.push(`Report written: ${file}`);
  if (report.aborted !== null) lines.push(`Conformance NOT RUN: ${report.aborted}.`);
  else if (report.interrupted) lines.push('Conformance INTERRUPTED: checks not reached are skipped.');
  else
    lines.push(
      report.ok
        ? 'Conformance PASSED: every mandatory check passed.'
        : `Conformance FAILED: ${s.mandatoryFailed} mandatory check(s) failed${s.consequences > 0 ? ` (not counting ${s.consequences} consequence(s))` : ''}.`,
    );
  return lines.join('\n');
}

function cellText(cell: QuirkMatrixRow['cells']['legacy']): string {
  if (cell === null) return 'not sent';
  if (cell.status === 'skipped') return 'skipped';
  return `${statusMark(cell)} ${cell.verdict ? VERDICT_WORDS[cell.verdict] : cell.status}${cell.consequenceOf ? ' (consequence)' : ''}`;
}
