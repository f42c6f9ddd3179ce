/**
 * The report as one self-contained HTML page a person opens in a browser: inline CSS, no scripts, no
 * external assets (no fonts, images, stylesheets or links to fetch), so it can be mailed or attached to a
 * CI run as is. Sections: verdict and summary, the quirk matrix, each root-cause failure with its requests
 * and responses and, under it, the failures that are its consequences (in a native <details>, no script),
 * every check, the known gaps and the cleanup. Passed checks' exchanges stay in the JSON report.
 * Pure: report in, HTML text out; every value from the target is escaped.
 */
import { bodyText, exchangeLine, failuresByCause, keyExchanges, statusMark, VERDICT_WORDS, type CauseGroup } from './format.js';
import { summarise } from './summary.js';
import type { CheckPart, CheckResult, ConformanceReport, Evidence, QuirkMatrixRow } from './types.js';

const PART_TITLES: Record<CheckPart, string> = {
  lifecycle: 'Lifecycle through the engine',
  quirks: 'Quirk matrix probes',
  protocol: 'Protocol checks',
};

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:1200px;padding:24px;color:#1b1f24;background:#fff}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:32px 0 8px;border-bottom:1px solid #d0d7de;padding-bottom:4px}h3{font-size:15px;margin:20px 0 6px}
table{border-collapse:collapse;width:100%;margin:8px 0}th,td{border:1px solid #d0d7de;padding:5px 8px;text-align:left;vertical-align:top}th{background:#f6f8fa}
code,pre{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}pre{background:#f6f8fa;border:1px solid #d0d7de;padding:8px;overflow:auto;max-height:360px;white-space:pre-wrap;word-break:break-word;margin:4px 0}
.verdict{display:inline-block;padding:6px 14px;border-radius:6px;font-weight:600;font-size:16px;margin:8px 0}
.pass{background:#dafbe1;color:#116329}.fail{background:#ffebe9;color:#a40e26}.warn{background:#fff8c5;color:#7d4e00}.skip{background:#f6f8fa;color:#57606a}
.badge{display:inline-block;padding:0 6px;border-radius:10px;font-size:12px;border:1px solid #d0d7de}.mandatory{border-color:#a40e26;color:#a40e26}.optional{color:#57606a}
.failure{border:1px solid #ffcecb;border-left:4px solid #cf222e;padding:8px 12px;margin:12px 0;border-radius:4px}
.exchange{margin:8px 0 12px}.line{font-weight:600}.muted{color:#57606a}
.consequences{margin:12px 0 4px 16px;padding-left:12px;border-left:3px solid #d0d7de}.consequence{margin:8px 0}
`;

export function renderHtmlReport(report: ConformanceReport): string {
  const groups = failuresByCause(report.checks);
  const consequenceCount = groups.reduce((n, g) => n + g.consequences.length, 0);
  const body = [
    header(report),
    summary(report),
    section(
      'quirk-matrix',
      'Quirk matrix',
      matrix(report.quirkMatrix),
      'Each Entra quirk sent on its own (legacy ops lowercased except in the capitalised-ops row), then read back with GET. "Not sent": that dialect does not send this shape.',
    ),
    section(
      'failures',
      `Failures (${groups.length} root cause${groups.length === 1 ? '' : 's'}${consequenceCount > 0 ? `, ${consequenceCount} consequence${consequenceCount === 1 ? '' : 's'}` : ''})`,
      groups.length === 0 ? '<p>None.</p>' : groups.map(failure).join('\n'),
      consequenceCount > 0
        ? 'A consequence is a failure that an earlier failure already explains (the same refused request shape and answer, or the state or object the earlier check was to leave); it is listed under its root cause and not counted again.'
        : undefined,
    ),
    ...(['lifecycle', 'quirks', 'protocol'] as const).map((part) =>
      section(`part-${part}`, PART_TITLES[part], checksTable(report.checks.filter((c) => c.part === part))),
    ),
    section(
      'gaps',
      'Not checked (known gaps)',
      `<ul>${report.gaps.map((g) => `<li><b>${esc(g.title)}</b>: ${esc(g.reason)}</li>`).join('')}</ul>`,
    ),
    section('cleanup', 'Cleanup', cleanupHtml(report)),
  ].join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>provsim conformance: ${esc(report.ok ? 'passed' : 'failed')} — ${esc(report.target)}</title>
<style>${STYLE}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

function header(report: ConformanceReport): string {
  const [cls, word] =
    report.aborted !== null
      ? ['fail', 'NOT RUN']
      : report.interrupted
        ? ['warn', 'INTERRUPTED']
        : report.ok
          ? ['pass', 'PASSED']
          : ['fail', 'FAILED'];
  const s = report.summary;
  const detail =
    report.aborted ??
    (report.interrupted
      ? 'stopped before every check ran; objects created so far were cleaned up'
      : report.ok
        ? 'every mandatory check passed'
        : `${s.mandatoryFailed} mandatory check(s) failed${s.consequences > 0 ? `, and ${s.consequences} more failure(s) are consequences of the failures` : ''}`);
  const rows: Array<[string, string]> = [
    ['Target', report.target],
    ['Dialect', report.dialect],
    ['Run id', `${report.runId} (in every name this run created)`],
    ['Started', report.startedAt],
    ['Finished', report.finishedAt],
    ...(report.only ? ([['--only', report.only.join(' ')]] as Array<[string, string]>) : []),
  ];
  return `<header>
<h1>provsim conformance report</h1>
<div id="verdict" class="verdict ${cls}">${word}</div> <span>${esc(detail)}</span>
<table id="run">${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</table>
</header>`;
}

function summary(report: ConformanceReport): string {
  const s = report.summary;
  const perPart = (['lifecycle', 'quirks', 'protocol'] as const).map((part) => {
    const p = summarise(report.checks.filter((c) => c.part === part));
    return `<tr><td>${esc(PART_TITLES[part])}</td><td>${p.passed}</td><td>${p.mandatoryFailed}</td><td>${p.optionalFailed}</td><td>${p.consequences}</td><td>${p.skipped}</td></tr>`;
  });
  return section(
    'summary',
    'Summary',
    `<table><tr><th>Part</th><th>Passed</th><th>Failed (mandatory)</th><th>Failed (optional)</th><th>Consequences of other failures</th><th>Skipped</th></tr>${perPart.join('')}` +
      `<tr><th>All ${s.total} checks</th><th>${s.passed}</th><th>${s.mandatoryFailed}</th><th>${s.optionalFailed}</th><th>${s.consequences}</th><th>${s.skipped}</th></tr></table>`,
  );
}

function matrix(rows: readonly QuirkMatrixRow[]): string {
  const cell = (c: QuirkMatrixRow['cells']['legacy']): string => {
    if (c === null) return '<td class="skip">not sent</td>';
    if (c.status === 'skipped') return `<td class="skip">skipped <code>${esc(c.checkId)}</code></td>`;
    const cls = c.verdict === 'accepted' ? 'pass' : c.severity === 'optional' ? 'warn' : 'fail';
    const consequence = c.consequenceOf ? `<br><span class="muted">consequence of <code>${esc(c.consequenceOf)}</code></span>` : '';
    return `<td class="${cls}">${esc(c.verdict ? VERDICT_WORDS[c.verdict] : c.status)} <span class="badge ${c.severity}">${c.severity}</span><br><code>${esc(c.checkId)}</code>${consequence}</td>`;
  };
  return `<table id="quirk-matrix-table"><tr><th>Quirk</th><th>legacy (Entra's default)</th><th>aadOptscim062020</th></tr>${rows
    .map(
      (r) =>
        `<tr><td><b>${esc(r.quirk)}</b><br><span class="muted">${esc(r.title)}</span></td>${cell(r.cells.legacy)}${cell(r.cells.aadOptscim062020)}</tr>`,
    )
    .join('')}</table>`;
}

function failure({ cause: check, consequences }: CauseGroup): string {
  const verdict = check.verdict ? ` — ${esc(VERDICT_WORDS[check.verdict])}` : '';
  const under =
    consequences.length === 0
      ? ''
      : `<details class="consequences"><summary>${consequences.length} consequence${consequences.length === 1 ? '' : 's'} of this failure (not counted again)</summary>
${consequences.map(consequence).join('\n')}
</details>`;
  return `<div class="failure" id="failure-${esc(check.id)}">
<h3><code>${esc(check.id)}</code> ${esc(check.title)} <span class="badge ${check.severity}">${check.severity}</span>${verdict}</h3>
<p>${esc(check.message)}</p>
${check.source ? `<p class="muted">Expected behaviour: ${esc(check.source)}</p>` : ''}
${keyExchanges(check).map(exchange).join('\n')}
${under}
</div>`;
}

function consequence(check: CheckResult): string {
  const { via, reason } = check.consequence!;
  return `<div class="consequence" id="consequence-${esc(check.id)}">
<p><code>${esc(check.id)}</code> ${esc(check.title)} <span class="badge ${check.severity}">${check.severity}</span>${via.length > 0 ? ` <span class="muted">via ${esc(via.join(' → '))}</span>` : ''}</p>
<p>Why it is a consequence: ${esc(reason)}</p>
<p class="muted">${esc(check.message)}</p>
</div>`;
}

function exchange(e: Evidence): string {
  const type = e.responseHeaders ? Object.entries(e.responseHeaders).find(([k]) => k.toLowerCase() === 'content-type')?.[1] : undefined;
  return `<div class="exchange"><div class="line"><code>${esc(exchangeLine(e))}</code></div>
${e.requestBody !== undefined ? `<div class="muted">Request body</div><pre>${esc(bodyText(e.requestBody))}</pre>` : ''}
${e.responseBody !== undefined ? `<div class="muted">Response${type ? ` (${esc(type)})` : ''}</div><pre>${esc(bodyText(e.responseBody))}</pre>` : ''}</div>`;
}

function checksTable(checks: readonly CheckResult[]): string {
  const rows = checks.map(
    (c) =>
      `<tr class="${c.status === 'passed' ? '' : c.status === 'skipped' ? 'skip' : c.severity === 'mandatory' ? 'fail' : 'warn'}"><td>${statusMark(c)} ${c.status}${c.consequence ? `<br><span class="muted">consequence of <code>${esc(c.consequence.of)}</code></span>` : ''}</td><td><code>${esc(c.id)}</code></td><td><span class="badge ${c.severity}">${c.severity}</span></td><td>${esc(c.title)}</td><td>${esc(c.message)}</td></tr>`,
  );
  return `<table><tr><th>Status</th><th>Check</th><th>Severity</th><th>What</th><th>Result</th></tr>${rows.join('')}</table>`;
}

function cleanupHtml(report: ConformanceReport): string {
  const { deleted, leftovers } = report.cleanup;
  const left =
    leftovers.length === 0
      ? '<p class="pass">Nothing of this run is left in the target.</p>'
      : `<p class="fail">Left in the target; delete by hand:</p><ul>${leftovers.map((l) => `<li>${esc(l.resource)} ${esc(l.name ?? '')} ${esc(l.id ?? '')}: ${esc(l.reason)}</li>`).join('')}</ul>`;
  return `<p>Deleted ${deleted.length} object(s) this run created.</p>${left}`;
}

function section(id: string, title: string, content: string, intro?: string): string {
  return `<section id="${esc(id)}">\n<h2>${esc(title)}</h2>\n${intro ? `<p class="muted">${esc(intro)}</p>\n` : ''}${content}\n</section>`;
}

function esc(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
