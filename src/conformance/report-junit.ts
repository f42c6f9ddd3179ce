/**
 * The report as JUnit XML, in the common subset CI systems read (Jenkins, GitLab, GitHub test reporters,
 * Azure DevOps): `testsuites` > one `testsuite` per part > `testcase` with `failure` or `skipped`.
 *
 * - classname `provsim.conformance.<part>`, name `<check id>: <title> [<severity>]`, time in seconds;
 * - an independent failure has `<failure type="mandatory|optional" message="…">` whose text is the
 *   message, the key exchanges (request and response bodies) and the failures that are its consequences;
 *   optional failures are failures too (a CI page should show them) — the exit code alone says whether
 *   the run passed;
 * - a failure that is a consequence of another (CheckResult.consequence) is `<skipped message="failed as
 *   a consequence of <root id> (counted there): …">` with its own message and exchanges in the text, so a
 *   CI page counts one failure per root cause. This never hides a failing run: the root is always a
 *   `<failure>` of at least the same severity;
 * - checks left out with `--only`, or not reached, are `<skipped message="…"/>`.
 * Pure: report in, XML text out.
 */
import { exchangeText, keyExchanges, VERDICT_WORDS } from './format.js';
import type { CheckPart, CheckResult, ConformanceReport } from './types.js';

const PART_NAMES: Record<CheckPart, string> = { lifecycle: 'lifecycle', quirks: 'quirk matrix', protocol: 'protocol' };

export function renderJunitReport(report: ConformanceReport): string {
  const parts: CheckPart[] = ['lifecycle', 'quirks', 'protocol'];
  const seconds = (ms: number): string => (ms / 1000).toFixed(3);
  const totalMs = Date.parse(report.finishedAt) - Date.parse(report.startedAt);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="provsim conformance" tests="${report.summary.total}" failures="${report.summary.failed - report.summary.consequences}" errors="0" skipped="${report.summary.skipped + report.summary.consequences}" time="${seconds(Number.isFinite(totalMs) ? totalMs : 0)}" timestamp="${attr(report.startedAt)}">`,
  ];
  for (const part of parts) {
    const checks = report.checks.filter((c) => c.part === part);
    const failures = checks.filter((c) => c.status === 'failed' && c.consequence === undefined).length;
    const skippedCount = checks.filter((c) => c.status === 'skipped' || c.consequence !== undefined).length;
    const time = checks.reduce((sum, c) => sum + c.durationMs, 0);
    lines.push(
      `  <testsuite name="provsim conformance: ${PART_NAMES[part]}" tests="${checks.length}" failures="${failures}" errors="0" skipped="${skippedCount}" time="${seconds(time)}" timestamp="${attr(report.startedAt)}">`,
      '    <properties>',
      `      <property name="target" value="${attr(report.target)}"/>`,
      `      <property name="dialect" value="${attr(report.dialect)}"/>`,
      `      <property name="runId" value="${attr(report.runId)}"/>`,
      '    </properties>',
    );
    for (const check of checks) lines.push(...testcase(check, report.checks, seconds));
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}

function testcase(check: CheckResult, all: readonly CheckResult[], seconds: (ms: number) => string): string[] {
  const open = `    <testcase classname="provsim.conformance.${check.part}" name="${attr(`${check.id}: ${check.title} [${check.severity}]`)}" time="${seconds(check.durationMs)}"`;
  if (check.status === 'passed') return [`${open}/>`];
  if (check.status === 'skipped') return [`${open}>`, `      <skipped message="${attr(check.message)}"/>`, '    </testcase>'];
  const verdict = check.verdict ? `${VERDICT_WORDS[check.verdict]}: ` : '';
  const exchanges = keyExchanges(check).map((e) => exchangeText(e));
  if (check.consequence) {
    const { of, via, reason } = check.consequence;
    const summary = `failed as a consequence of ${of} (counted there): ${reason}`;
    const details = [
      `${check.severity} check ${check.id} failed as a consequence of ${of}${via.length > 0 ? ` (via ${via.join(' → ')})` : ''}: ${reason}`,
      check.message,
      ...exchanges,
    ].join('\n\n');
    return [`${open}>`, `      <skipped message="${attr(summary)}">${text(details)}</skipped>`, '    </testcase>'];
  }
  const consequences = all.filter((c) => c.consequence?.of === check.id);
  const listed =
    consequences.length > 0
      ? [
          `Consequences of this failure (${consequences.length}, reported as skipped):\n${consequences.map((c) => `- ${c.id} [${c.severity}]: ${c.consequence!.reason}`).join('\n')}`,
        ]
      : [];
  const details = [
    `${check.severity} check ${check.id} failed (${check.source ?? 'provsim'})`,
    check.message,
    ...listed,
    ...exchanges,
  ].join('\n\n');
  return [
    `${open}>`,
    `      <failure type="${check.severity}" message="${attr(`${verdict}${check.message}`)}">${text(details)}</failure>`,
    '    </testcase>',
  ];
}

/** Characters XML 1.0 does not allow at all (most C0 controls, lone surrogates, U+FFFE/FFFF). */
const NOT_XML = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

function text(value: string): string {
  return value.replace(NOT_XML, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function attr(value: string): string {
  return text(value).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}
