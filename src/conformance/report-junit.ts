/**
 * The report as JUnit XML, in the common subset CI systems read (Jenkins, GitLab, GitHub test reporters,
 * Azure DevOps): `testsuites` > one `testsuite` per part > `testcase` with `failure` or `skipped`.
 *
 * - classname `provsim.conformance.<part>`, name `<check id>: <title> [<severity>]`, time in seconds;
 * - a failed check has `<failure type="mandatory|optional" message="…">` whose text is the message and the
 *   key exchanges (request and response bodies); optional failures are failures too (a CI page should show
 *   them) — the exit code alone says whether the run passed;
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
    `<testsuites name="provsim conformance" tests="${report.summary.total}" failures="${report.summary.failed}" errors="0" skipped="${report.summary.skipped}" time="${seconds(Number.isFinite(totalMs) ? totalMs : 0)}" timestamp="${attr(report.startedAt)}">`,
  ];
  for (const part of parts) {
    const checks = report.checks.filter((c) => c.part === part);
    const failures = checks.filter((c) => c.status === 'failed').length;
    const skippedCount = checks.filter((c) => c.status === 'skipped').length;
    const time = checks.reduce((sum, c) => sum + c.durationMs, 0);
    lines.push(
      `  <testsuite name="provsim conformance: ${PART_NAMES[part]}" tests="${checks.length}" failures="${failures}" errors="0" skipped="${skippedCount}" time="${seconds(time)}" timestamp="${attr(report.startedAt)}">`,
      '    <properties>',
      `      <property name="target" value="${attr(report.target)}"/>`,
      `      <property name="dialect" value="${attr(report.dialect)}"/>`,
      `      <property name="runId" value="${attr(report.runId)}"/>`,
      '    </properties>',
    );
    for (const check of checks) lines.push(...testcase(check, seconds));
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}

function testcase(check: CheckResult, seconds: (ms: number) => string): string[] {
  const open = `    <testcase classname="provsim.conformance.${check.part}" name="${attr(`${check.id}: ${check.title} [${check.severity}]`)}" time="${seconds(check.durationMs)}"`;
  if (check.status === 'passed') return [`${open}/>`];
  if (check.status === 'skipped') return [`${open}>`, `      <skipped message="${attr(check.message)}"/>`, '    </testcase>'];
  const verdict = check.verdict ? `${VERDICT_WORDS[check.verdict]}: ` : '';
  const details = [`${check.severity} check ${check.id} failed (${check.source ?? 'provsim'})`, check.message, ...keyExchanges(check).map((e) => exchangeText(e))].join('\n\n');
  return [`${open}>`, `      <failure type="${check.severity}" message="${attr(`${verdict}${check.message}`)}">${text(details)}</failure>`, '    </testcase>'];
}

/** Characters XML 1.0 does not allow at all (most C0 controls, lone surrogates, U+FFFE/FFFF). */
const NOT_XML = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

function text(value: string): string {
  return value.replace(NOT_XML, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function attr(value: string): string {
  return text(value).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}
