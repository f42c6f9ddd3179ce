/**
 * The report as one self-contained HTML page a person opens in a browser: inline CSS, no scripts, no
 * stylesheets, fonts, images or frames to fetch, so it can be mailed or attached to a CI run as is. The only
 * links are in-page anchors and the public sources of cited spec and RFC sections (spec-links.ts).
 *
 * Order: the verdict, the counts and every check at a glance (each linking to its detail) first; then each
 * root-cause failure with its requests and responses (each exchange folded in a native <details>, no
 * script) and, under it, the failures that are its consequences; the quirk matrix (a failing probe and its
 * matrix row link to each other); every check by part; the known gaps, the cleanup and the run's details.
 * Passed checks' exchanges stay in the JSON report.
 *
 * Layout: readable from a phone (~390 px) to a desktop; below 700 px the wide tables reflow into one card
 * per row, and long URLs, ids and bodies wrap, so the page itself never scrolls sideways.
 * Pure: report in, HTML text out; every value from the target is escaped (html-text.ts).
 */
import { bodyText, exchangeLine, failuresByCause, keyExchanges, statusMark, VERDICT_WORDS, type CauseGroup } from './format.js';
import { escapeHtml as esc, inlineHtml, inlinePreviewHtml } from './html-text.js';
import { summarise } from './summary.js';
import type { CheckPart, CheckResult, ConformanceReport, Evidence, QuirkMatrixRow } from './types.js';

const PARTS = ['lifecycle', 'quirks', 'protocol'] as const satisfies readonly CheckPart[];

const PART_TITLES: Record<CheckPart, string> = {
  lifecycle: 'Lifecycle through the engine',
  quirks: 'Quirk matrix probes',
  protocol: 'Protocol checks',
};

/** Messages longer than this are folded in the per-part tables (the failures section shows them whole). */
const TABLE_MESSAGE_PREVIEW = 180;

const STYLE = `
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:1200px;padding:24px;color:#1b1f24;background:#fff;overflow-wrap:anywhere}
h1{font-size:24px;line-height:1.25;margin:0 0 6px}h2{font-size:19px;margin:36px 0 8px;border-bottom:1px solid #d0d7de;padding-bottom:4px}h3{font-size:15px;margin:18px 0 6px}
p{margin:6px 0}a{color:#0550ae}:target{outline:2px solid #0969da;outline-offset:2px}
code,pre{font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}code{overflow-wrap:anywhere}
pre{background:#f6f8fa;border:1px solid #d0d7de;border-radius:4px;padding:8px;margin:4px 0 10px;max-height:420px;overflow:auto;white-space:pre-wrap;overflow-wrap:anywhere}
.scroll{max-width:100%;overflow-x:auto}
table{border-collapse:collapse;width:100%;margin:8px 0}th,td{border:1px solid #d0d7de;padding:6px 8px;text-align:left;vertical-align:top}th{background:#f6f8fa;overflow-wrap:break-word}
table.counts{width:auto;min-width:50%}table.counts th,table.counts td{overflow-wrap:normal}table.counts td{text-align:right;font-variant-numeric:tabular-nums}
code.id,.nowrap{white-space:nowrap}
table.checks th:nth-child(4){width:25%}table.checks th:nth-child(5){width:36%}
.verdict-line{display:flex;flex-wrap:wrap;align-items:center;gap:6px 12px;margin:8px 0}
.verdict{display:inline-block;padding:6px 14px;border-radius:6px;font-weight:600;font-size:17px}
.pass{background:#dafbe1;color:#116329}.fail{background:#ffebe9;color:#a40e26}.warn{background:#fff8c5;color:#7d4e00}.skip{background:#f6f8fa;color:#57606a}
.badge{display:inline-block;padding:0 6px;border-radius:10px;font-size:12px;font-weight:400;border:1px solid #d0d7de;white-space:nowrap}.mandatory{border-color:#a40e26;color:#a40e26}.optional{color:#57606a}
.muted{color:#57606a}.target{margin:0 0 4px}
.chips{list-style:none;margin:6px 0 14px;padding:0;display:flex;flex-wrap:wrap;gap:6px}
.chip{display:inline-block;max-width:100%;padding:1px 9px;border:1px solid #d0d7de;border-radius:12px;font-size:13px;color:inherit;text-decoration:none}
.chip:hover{text-decoration:underline}.chip.derived{border-style:dashed}.chip small{color:#57606a}
.failure{border:1px solid #ffcecb;border-left:4px solid #cf222e;padding:8px 12px;margin:14px 0;border-radius:4px}
.failure.minor{border-color:#f5e0a0;border-left-color:#bf8700}
.failure h3{margin-top:6px}
.exchange{margin:4px 0}details.exchange{border:1px solid #d0d7de;border-radius:4px;padding:3px 8px}
details>summary{cursor:pointer}details.exchange[open]>summary{margin-bottom:6px}
.consequences{margin:12px 0 4px 8px;padding-left:12px;border-left:3px solid #d0d7de}.consequence{margin:8px 0}
details.more[open]>summary .preview{display:none}
@media (max-width:700px){
body{padding:12px;font-size:14px}h2{margin-top:28px}
table.reflow,table.reflow tbody,table.reflow tr,table.reflow td{display:block;width:100%}
table.reflow thead{display:none}
table.reflow tr{border:1px solid #d0d7de;border-radius:4px;margin:0 0 8px}
table.reflow td{border:0;border-top:1px solid #eaeef2}table.reflow td:first-child{border-top:0}
table.reflow td[data-label]::before{content:attr(data-label) ": ";font-weight:600;color:#57606a}
table.checks.reflow td:nth-child(-n+3){display:inline-block;width:auto;border:0;padding-right:4px;vertical-align:baseline}table.checks.reflow td:nth-child(-n+3)::before{content:none}
code.id,.nowrap{white-space:normal}
.failure{padding:8px}.consequences{margin-left:0;padding-left:8px}
}
`;

/** Where each check's detail is: its failure, its place under its root cause, or its row in its part's table. */
type Anchors = ReadonlyMap<string, string>;

export function renderHtmlReport(report: ConformanceReport): string {
  const groups = failuresByCause(report.checks);
  const anchors = detailAnchors(report.checks, groups);
  const consequenceCount = groups.reduce((n, g) => n + g.consequences.length, 0);
  const body = [
    header(report),
    summary(report),
    overview(report.checks, anchors),
    section(
      'failures',
      `Failures (${groups.length} root cause${groups.length === 1 ? '' : 's'}${consequenceCount > 0 ? `, ${consequenceCount} consequence${consequenceCount === 1 ? '' : 's'}` : ''})`,
      groups.length === 0 ? '<p>None.</p>' : groups.map((g) => failure(g, anchors)).join('\n'),
      consequenceCount > 0
        ? 'A consequence is a failure that an earlier failure already explains (the same refused request shape and answer, or the state or object the earlier check was to leave); it is listed under its root cause and not counted again.'
        : undefined,
    ),
    section(
      'quirk-matrix',
      'Quirk matrix',
      matrix(report.quirkMatrix, anchors),
      'Each Entra quirk sent on its own (legacy ops lowercased except in the capitalised-ops row), then read back with GET. "Not sent": that dialect does not send this shape.',
    ),
    ...PARTS.map((part) =>
      section(
        `part-${part}`,
        PART_TITLES[part],
        checksTable(
          report.checks.filter((c) => c.part === part),
          anchors,
        ),
      ),
    ),
    section(
      'gaps',
      'Not checked (known gaps)',
      `<ul>${report.gaps.map((g) => `<li><b>${inlineHtml(g.title)}</b>: ${inlineHtml(g.reason)}</li>`).join('')}</ul>`,
    ),
    section('cleanup', 'Cleanup', cleanupHtml(report)),
    section('run', 'Run', runTable(report)),
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

function detailAnchors(checks: readonly CheckResult[], groups: readonly CauseGroup[]): Anchors {
  const anchors = new Map(checks.map((c) => [c.id, `check-${c.id}`]));
  for (const { cause, consequences } of groups) {
    anchors.set(cause.id, `failure-${cause.id}`);
    for (const c of consequences) anchors.set(c.id, `consequence-${c.id}`);
  }
  return anchors;
}

function link(anchors: Anchors, id: string, inner = `<code class="id">${esc(id)}</code>`): string {
  const anchor = anchors.get(id);
  return anchor ? `<a href="#${esc(anchor)}">${inner}</a>` : inner;
}

const matrixRowAnchor = (quirk: string): string => `quirk-row-${quirk}`;

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
  return `<header>
<h1>provsim conformance report</h1>
<p class="target muted">Target <code>${esc(report.target)}</code>, dialect <code>${esc(report.dialect)}</code></p>
<div class="verdict-line"><div id="verdict" class="verdict ${cls}">${word}</div> <span>${inlineHtml(detail)}</span></div>
</header>`;
}

/** Counts by severity; "failed" counts root causes only, consequences apart (as ConformanceSummary). */
function summary(report: ConformanceReport): string {
  const mandatory = summarise(report.checks.filter((c) => c.severity === 'mandatory'));
  const optional = summarise(report.checks.filter((c) => c.severity === 'optional'));
  const all = report.summary;
  const row = (label: string, pick: (s: typeof all, severity: 'mandatory' | 'optional' | 'all') => number): string =>
    `<tr><th scope="row">${label}</th><td>${pick(mandatory, 'mandatory')}</td><td>${pick(optional, 'optional')}</td><td>${pick(all, 'all')}</td></tr>`;
  const failed = (s: typeof all, severity: 'mandatory' | 'optional' | 'all'): number =>
    severity === 'mandatory' ? s.mandatoryFailed : severity === 'optional' ? s.optionalFailed : s.mandatoryFailed + s.optionalFailed;
  return section(
    'summary',
    'Summary',
    `<div class="scroll"><table class="counts"><thead><tr><th></th><th scope="col">Mandatory</th><th scope="col">Optional</th><th scope="col">All</th></tr></thead><tbody>` +
      row('Passed', (s) => s.passed) +
      row('Failed', failed) +
      row('Consequences of other failures', (s) => s.consequences) +
      row('Skipped', (s) => s.skipped) +
      row('Checks', (s) => s.total) +
      `</tbody></table></div>`,
    '"Failed" counts root causes; a consequence is a failure another failure explains, listed under it and not counted again. A mandatory failure fails the run; an optional one is a finding.',
  );
}

function overview(checks: readonly CheckResult[], anchors: Anchors): string {
  const chip = (c: CheckResult): string => {
    const cls = c.status === 'passed' ? 'pass' : c.status === 'skipped' ? 'skip' : c.severity === 'mandatory' ? 'fail' : 'warn';
    const hint = `${c.status}${c.consequence ? ` as a consequence of ${c.consequence.of}` : ''}, ${c.severity}`;
    return `<li><a class="chip ${cls}${c.consequence ? ' derived' : ''}" href="#${esc(anchors.get(c.id) ?? `check-${c.id}`)}" title="${esc(hint)}">${statusMark(c)} <code>${esc(c.id)}</code>${c.severity === 'optional' ? ' <small>optional</small>' : ''}</a></li>`;
  };
  const parts = PARTS.map((part) => {
    const inPart = checks.filter((c) => c.part === part);
    if (inPart.length === 0) return '';
    const s = summarise(inPart);
    const counts = [
      `${s.passed} passed`,
      `${s.failed} failed`,
      ...(s.consequences > 0 ? [`${s.consequences} of them consequences`] : []),
      `${s.skipped} skipped`,
    ];
    return `<h3>${esc(PART_TITLES[part])} <span class="muted">— ${counts.join(', ')}</span></h3>\n<ul class="chips">${inPart.map(chip).join('')}</ul>`;
  });
  return section(
    'overview',
    'Every check at a glance',
    parts.join('\n'),
    '✓ passed, ✗ failed (red: mandatory, amber: optional; a dashed border: a consequence of another failure), – skipped. Each links to its detail.',
  );
}

function matrix(rows: readonly QuirkMatrixRow[], anchors: Anchors): string {
  const cell = (label: string, c: QuirkMatrixRow['cells']['legacy']): string => {
    const labelled = `data-label="${esc(label)}"`;
    if (c === null) return `<td class="skip" ${labelled}>not sent</td>`;
    if (c.status === 'skipped') return `<td class="skip" ${labelled}>skipped ${link(anchors, c.checkId)}</td>`;
    const cls = c.verdict === 'accepted' ? 'pass' : c.severity === 'optional' ? 'warn' : 'fail';
    const consequence = c.consequenceOf ? `<br><span class="muted">consequence of ${link(anchors, c.consequenceOf)}</span>` : '';
    return `<td class="${cls}" ${labelled}>${esc(c.verdict ? VERDICT_WORDS[c.verdict] : c.status)} <span class="badge ${c.severity}">${c.severity}</span><br>${link(anchors, c.checkId)}${consequence}</td>`;
  };
  return `<div class="scroll"><table id="quirk-matrix-table" class="reflow"><thead><tr><th>Quirk</th><th>legacy (Entra's default)</th><th>aadOptscim062020</th></tr></thead><tbody>${rows
    .map(
      (r) =>
        `<tr id="${esc(matrixRowAnchor(r.quirk))}"><td><b>${esc(r.quirk)}</b><br><span class="muted">${inlineHtml(r.title)}</span></td>${cell('legacy', r.cells.legacy)}${cell('aadOptscim062020', r.cells.aadOptscim062020)}</tr>`,
    )
    .join('')}</tbody></table></div>`;
}

function matrixLink(check: CheckResult): string {
  if (check.quirk === undefined) return '';
  const column = check.dialect === 'both' ? 'both columns' : `the ${check.dialect ?? ''} column`;
  return `<p class="muted">In the quirk matrix: <a href="#${esc(matrixRowAnchor(check.quirk))}">row <code>${esc(check.quirk)}</code></a>, ${esc(column)}.</p>`;
}

function failure({ cause: check, consequences }: CauseGroup, anchors: Anchors): string {
  const verdict = check.verdict ? ` — ${esc(VERDICT_WORDS[check.verdict])}` : '';
  const exchanges = keyExchanges(check);
  const under =
    consequences.length === 0
      ? ''
      : `<details class="consequences"><summary>${consequences.length} consequence${consequences.length === 1 ? '' : 's'} of this failure (not counted again)</summary>
${consequences.map((c) => consequence(c, anchors)).join('\n')}
</details>`;
  return `<div class="failure${check.severity === 'optional' ? ' minor' : ''}" id="failure-${esc(check.id)}">
<h3><code class="id">${esc(check.id)}</code> ${inlineHtml(check.title)} <span class="badge ${check.severity}">${check.severity}</span>${verdict}</h3>
<p>${inlineHtml(check.message)}</p>
${check.source ? `<p class="muted">Expected behaviour: ${inlineHtml(check.source)}</p>` : ''}
${matrixLink(check)}
${exchanges.length > 0 ? `<p class="muted">Requests and responses (${exchanges.length}; open one for its bodies):</p>\n${exchanges.map(exchange).join('\n')}` : ''}
${under}
</div>`;
}

function consequence(check: CheckResult, anchors: Anchors): string {
  const { via, reason } = check.consequence!;
  const chain = via.length > 0 ? ` <span class="muted">via ${via.map((id) => link(anchors, id)).join(' → ')}</span>` : '';
  return `<div class="consequence" id="consequence-${esc(check.id)}">
<p><code class="id">${esc(check.id)}</code> ${inlineHtml(check.title)} <span class="badge ${check.severity}">${check.severity}</span>${chain}</p>
<p>Why it is a consequence: ${inlineHtml(reason)}</p>
<p class="muted">${inlineHtml(check.message)}</p>
${matrixLink(check)}
</div>`;
}

function exchange(e: Evidence): string {
  const line = `<code>${esc(exchangeLine(e))}</code>`;
  if (e.requestBody === undefined && e.responseBody === undefined) return `<div class="exchange">${line}</div>`;
  const type = e.responseHeaders ? Object.entries(e.responseHeaders).find(([k]) => k.toLowerCase() === 'content-type')?.[1] : undefined;
  return `<details class="exchange"><summary>${line}</summary>
${e.requestBody !== undefined ? `<div class="muted">Request body</div><pre>${esc(bodyText(e.requestBody))}</pre>` : ''}
${e.responseBody !== undefined ? `<div class="muted">Response${type ? ` (${esc(type)})` : ''}</div><pre>${esc(bodyText(e.responseBody))}</pre>` : ''}</details>`;
}

function checksTable(checks: readonly CheckResult[], anchors: Anchors): string {
  const rows = checks.map((c) => {
    const cls = c.status === 'passed' ? '' : c.status === 'skipped' ? 'skip' : c.severity === 'mandatory' ? 'fail' : 'warn';
    const detail = anchors.get(c.id) !== `check-${c.id}` ? ` ${link(anchors, c.id, 'details')}` : '';
    const consequenceOf = c.consequence ? `<br><span class="muted">consequence of ${link(anchors, c.consequence.of)}</span>` : '';
    return `<tr id="check-${esc(c.id)}"${cls ? ` class="${cls}"` : ''}><td data-label="Status"><span class="nowrap">${statusMark(c)} ${c.status}</span>${consequenceOf}</td><td data-label="Check"><code class="id">${esc(c.id)}</code>${detail}</td><td data-label="Severity"><span class="badge ${c.severity}">${c.severity}</span></td><td data-label="What">${inlineHtml(c.title)}${c.source ? `<br><small class="muted">${inlineHtml(c.source)}</small>` : ''}</td><td data-label="Result">${foldedMessage(c.message)}</td></tr>`;
  });
  return `<div class="scroll"><table class="checks reflow"><thead><tr><th>Status</th><th>Check</th><th>Severity</th><th>What</th><th>Result</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

function foldedMessage(message: string): string {
  const preview = inlinePreviewHtml(message, TABLE_MESSAGE_PREVIEW);
  return preview === undefined
    ? inlineHtml(message)
    : `<details class="more"><summary><span class="preview">${preview}</span></summary>${inlineHtml(message)}</details>`;
}

function cleanupHtml(report: ConformanceReport): string {
  const { deleted, leftovers } = report.cleanup;
  const left =
    leftovers.length === 0
      ? '<p class="pass">Nothing of this run is left in the target.</p>'
      : `<p class="fail">Left in the target; delete by hand:</p><ul>${leftovers.map((l) => `<li>${esc(l.resource)} ${esc(l.name ?? '')} ${esc(l.id ?? '')}: ${inlineHtml(l.reason)}</li>`).join('')}</ul>`;
  return `<p>Deleted ${deleted.length} object(s) this run created.</p>${left}`;
}

function runTable(report: ConformanceReport): string {
  const rows: Array<[string, string]> = [
    ['Target', report.target],
    ['Dialect', report.dialect],
    ['Run id', `${report.runId} (in every name this run created)`],
    ['Started', report.startedAt],
    ['Finished', report.finishedAt],
    ...(report.only ? ([['--only', report.only.join(' ')]] as Array<[string, string]>) : []),
  ];
  return `<table id="run">${rows.map(([k, v]) => `<tr><th scope="row">${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</table>`;
}

function section(id: string, title: string, content: string, intro?: string): string {
  return `<section id="${esc(id)}">\n<h2>${esc(title)}</h2>\n${intro ? `<p class="muted">${esc(intro)}</p>\n` : ''}${content}\n</section>`;
}
