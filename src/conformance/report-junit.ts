/**
 * The report as JUnit XML, in the common subset CI systems read (Jenkins, GitLab, GitHub test reporters,
 * Azure DevOps): `testsuites` > one `testsuite` per part > `testcase` with `failure`, `error`, `skipped` or
 * `system-out`. The counts agree with the exit code: `failures` > 0 exactly when a mandatory check failed.
 *
 * - classname `provsim.conformance.<part>`, name `<check id>: <title> [<severity>]`, time in seconds;
 * - a mandatory check that failed on its own is `<failure type="mandatory" message="…">` whose text is the
 *   message, the key exchanges (request and response bodies) and the failures that are its consequences;
 * - an optional check that failed is a finding, not a failure (it does not fail the run): the case passes
 *   and its `<system-out>` says what was found, with the same text;
 * - a failure that is a consequence of another (CheckResult.consequence) is `<skipped message="failed as
 *   a consequence of <root id> (counted there): …">` with its own message and exchanges in the text, so a
 *   CI page counts one failure per root cause. This never hides a failing run: the root is always a
 *   `<failure>` (or finding) of at least the same severity;
 * - when the target could not be checked at all (the connection check failed: no answer, bad credentials,
 *   a wrong base URL), the connection check and every check it kept from running are `<error>`s: the run
 *   errored, it did not pass 43 skipped checks;
 * - checks left out with `--only`, or not reached after Ctrl-C, are `<skipped message="…"/>`.
 * Pure: report in, XML text out.
 */
import { exchangeText, keyExchanges, VERDICT_WORDS } from './format.js';
import { CONNECTION_CHECK } from './checks/index.js';
import type { CheckPart, CheckResult, ConformanceReport } from './types.js';

const PART_NAMES: Record<CheckPart, string> = { lifecycle: 'lifecycle', quirks: 'quirk matrix', protocol: 'protocol' };

type CaseKind = 'passed' | 'failure' | 'finding' | 'consequence' | 'error' | 'skipped';

/** How a check shows in JUnit (see the header). */
function kindOf(check: CheckResult, report: ConformanceReport): CaseKind {
  if (check.status === 'passed') return 'passed';
  if (check.status === 'skipped') return report.aborted !== null && check.message.startsWith('not run:') ? 'error' : 'skipped';
  if (check.consequence) return 'consequence';
  if (report.aborted !== null && check.id === CONNECTION_CHECK.id) return 'error';
  return check.severity === 'mandatory' ? 'failure' : 'finding';
}

export function renderJunitReport(report: ConformanceReport): string {
  const parts: CheckPart[] = ['lifecycle', 'quirks', 'protocol'];
  const seconds = (ms: number): string => (ms / 1000).toFixed(3);
  const totalMs = Date.parse(report.finishedAt) - Date.parse(report.startedAt);
  const counts = (checks: readonly CheckResult[]) => {
    const kinds = checks.map((c) => kindOf(c, report));
    const n = (...k: CaseKind[]): number => kinds.filter((x) => k.includes(x)).length;
    return `tests="${checks.length}" failures="${n('failure')}" errors="${n('error')}" skipped="${n('skipped', 'consequence')}"`;
  };
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="provsim conformance" ${counts(report.checks)} time="${seconds(Number.isFinite(totalMs) ? totalMs : 0)}" timestamp="${attr(report.startedAt)}">`,
  ];
  for (const part of parts) {
    const checks = report.checks.filter((c) => c.part === part);
    const time = checks.reduce((sum, c) => sum + c.durationMs, 0);
    lines.push(
      `  <testsuite name="provsim conformance: ${PART_NAMES[part]}" ${counts(checks)} time="${seconds(time)}" timestamp="${attr(report.startedAt)}">`,
      '    <properties>',
      `      <property name="target" value="${attr(report.target)}"/>`,
      `      <property name="dialect" value="${attr(report.dialect)}"/>`,
      `      <property name="runId" value="${attr(report.runId)}"/>`,
      '    </properties>',
    );
    for (const check of checks) lines.push(...testcase(check, kindOf(check, report), report.checks, seconds));
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}

function testcase(check: CheckResult, kind: CaseKind, all: readonly CheckResult[], seconds: (ms: number) => string): string[] {
  const open = `    <testcase classname="provsim.conformance.${check.part}" name="${attr(`${check.id}: ${check.title} [${check.severity}]`)}" time="${seconds(check.durationMs)}"`;
  if (kind === 'passed') return [`${open}/>`];
  if (kind === 'skipped') return [`${open}>`, `      <skipped message="${attr(check.message)}"/>`, '    </testcase>'];
  if (kind === 'error' && check.status === 'skipped') {
    return [`${open}>`, `      <error type="not-run" message="${attr(check.message)}"/>`, '    </testcase>'];
  }
  const verdict = check.verdict ? `${VERDICT_WORDS[check.verdict]}: ` : '';
  const exchanges = keyExchanges(check).map((e) => exchangeText(e));
  if (kind === 'consequence') {
    const { of, via, reason } = check.consequence!;
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
    `${check.severity} check ${check.id} ${kind === 'finding' ? 'found a problem (optional: the run does not fail on it)' : 'failed'} (${check.source ?? 'provsim'})`,
    check.message,
    ...listed,
    ...exchanges,
  ].join('\n\n');
  if (kind === 'finding')
    return [
      `${open}>`,
      `      <system-out>${text(`optional finding: ${verdict}${check.message}\n\n${details}`)}</system-out>`,
      '    </testcase>',
    ];
  const element = kind === 'error' ? 'error' : 'failure';
  const type = kind === 'error' ? 'connection' : check.severity;
  return [
    `${open}>`,
    `      <${element} type="${type}" message="${attr(`${verdict}${check.message}`)}">${text(details)}</${element}>`,
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
