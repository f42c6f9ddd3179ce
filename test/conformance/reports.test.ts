/**
 * The reports and the command's surface: JUnit XML that CI systems can read (well-formed, skipped cases
 * for --only), the self-contained HTML page, the token in none of the outputs even when the server echoes
 * it, --only selection, and usage errors before anything is sent.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { conformanceCommand } from '../../src/cli/commands/conformance.js';
import { UsageError } from '../../src/shared/errors.js';
import { systemClock } from '../../src/shared/clock.js';
import { seededRandom } from '../../src/shared/random.js';
import { startTarget, type RunningTarget } from '../../src/scim-server/index.js';
import type { ConformanceReport } from '../../src/conformance/types.js';
import { failedIds, removeTempDirs, runCli, startProxy, tempDir, xmlElements, xmlProblems, type TestProxy } from './helpers.js';

const TOKEN = 'reports-secret-token-1b2c3d4e5f';
const env = { PROVSIM_TOKEN: TOKEN };

let target: RunningTarget | undefined;
let proxy: TestProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  await target?.close();
  proxy = undefined;
  target = undefined;
});
afterAll(removeTempDirs);

describe('reports', () => {
  it('JUnit: well-formed, one testsuite per part, failures with their exchanges, --only exclusions as skipped', async () => {
    target = await startTarget({ port: 0, profile: 'strict', token: TOKEN });
    const run = await runCli(target.url, { only: ['lifecycle.user.update', 'quirk.member-remove', 'protocol.paging'] }, env);
    expect(run.exitCode).toBe(1);
    expect(failedIds(run.report)).toEqual(['lifecycle.user.update', 'quirk.member-remove.legacy']);
    // The connection check always runs, selected or not.
    expect(run.report.checks.filter((c) => c.status === 'passed').map((c) => c.id)).toEqual([
      'protocol.connection',
      'quirk.member-remove.aadOptscim062020',
      'protocol.paging',
    ]);
    // Only the checks that ran were printed as they ran.
    expect(run.stdout.match(/^[✓✗] /gm)).toHaveLength(5);

    expect(xmlProblems(run.junit)).toEqual([]);
    const [suites] = xmlElements(run.junit, 'testsuites');
    expect(suites).toMatchObject({
      tests: String(run.report.summary.total),
      failures: '2',
      errors: '0',
      skipped: String(run.report.summary.total - 5),
    });
    const suite = xmlElements(run.junit, 'testsuite');
    expect(suite.map((s) => s['name'])).toEqual([
      'provsim conformance: lifecycle',
      'provsim conformance: quirk matrix',
      'provsim conformance: protocol',
    ]);
    expect(suite.reduce((n, s) => n + Number(s['tests']), 0)).toBe(run.report.summary.total);
    const cases = xmlElements(run.junit, 'testcase');
    expect(cases).toHaveLength(run.report.checks.length);
    expect(cases[0]).toMatchObject({
      classname: 'provsim.conformance.lifecycle',
      name: 'lifecycle.user.create: create a user (and the users it will need) [mandatory]',
    });
    const skipped = xmlElements(run.junit, 'skipped');
    expect(skipped).toHaveLength(run.report.summary.total - 5);
    expect(new Set(skipped.map((s) => s['message']))).toEqual(new Set(['not selected with --only']));
    const failures = xmlElements(run.junit, 'failure');
    expect(failures.map((f) => f['type'])).toEqual(['mandatory', 'mandatory']);
    expect(failures[1]!['message']).toMatch(
      /^accepted, wrong result: accepted, but with the wrong result: the other members did not survive/,
    );
    // The failure text carries the request that broke it, escaped.
    expect(run.junit).toContain('"path": "members"');
  });

  it('a consequence is listed under its cause: JUnit skips it with the cause named and counts the cause only; JSON and HTML carry the link', async () => {
    target = await startTarget({ port: 0, profile: 'strict', token: TOKEN });
    const run = await runCli(target.url, { dialect: 'legacy', only: ['lifecycle.user.disable', 'quirk.capitalised-ops'] }, env);
    expect(run.exitCode).toBe(1);
    expect(failedIds(run.report)).toEqual(['lifecycle.user.disable', 'quirk.capitalised-ops.legacy']);
    expect(run.report.summary).toMatchObject({ failed: 2, mandatoryFailed: 1, optionalFailed: 0, consequences: 1 });

    expect(xmlProblems(run.junit)).toEqual([]);
    expect(xmlElements(run.junit, 'testsuites')[0]).toMatchObject({ failures: '1', skipped: String(run.report.summary.skipped + 1) });
    const failures = xmlElements(run.junit, 'failure');
    expect(failures).toHaveLength(1);
    expect(failures[0]!['message']).toMatch(/^rejected: rejected: PATCH /);
    expect(run.junit).toMatch(/Consequences of this failure \(1, reported as skipped\):\n- lifecycle\.user\.disable \[mandatory\]: PATCH /);
    const disable = run.junit.slice(run.junit.indexOf('name="lifecycle.user.disable:'));
    expect(xmlElements(disable, 'skipped')[0]!['message']).toMatch(
      /^failed as a consequence of quirk\.capitalised-ops\.legacy \(counted there\): PATCH \/scim\/v2\/Users\/[0-9a-f-]+ with a capitalised op/,
    );

    const json = JSON.parse(run.json) as ConformanceReport;
    expect(json.checks.find((c) => c.id === 'lifecycle.user.disable')!.consequence).toMatchObject({
      of: 'quirk.capitalised-ops.legacy',
      via: [],
    });
    expect(json.summary.consequences).toBe(1);

    expect(run.html).toContain('<h2>Failures (1 root cause, 1 consequence)</h2>');
    const cause = run.html.slice(run.html.indexOf('id="failure-quirk.capitalised-ops.legacy"'));
    // The cause's own exchanges are folded in <details> too; its consequences are the <details> after them.
    const under = cause.slice(cause.indexOf('<details class="consequences">'), cause.indexOf('</div>\n</details>\n</div>'));
    expect(under).toMatch(
      /^<details class="consequences"><summary>1 consequence of this failure \(not counted again\)<\/summary>\s*<div class="consequence" id="consequence-lifecycle\.user\.disable">/,
    );
    // The overview and the consequence's row in its part's table lead to it, and it names its root with a link.
    expect(run.html).toContain('href="#consequence-lifecycle.user.disable"');
    const row = run.html.slice(run.html.indexOf('<tr id="check-lifecycle.user.disable"'));
    expect(row.slice(0, row.indexOf('</tr>'))).toContain('consequence of <a href="#failure-quirk.capitalised-ops.legacy">');
    expect(run.html).not.toContain('id="failure-lifecycle.user.disable"');
    expect(run.stdout).toMatch(
      /✗ quirk\.capitalised-ops\.legacy \(mandatory\): [^\n]+\n\s+↳ consequence: lifecycle\.user\.disable \(mandatory\)/,
    );
  });

  it('HTML: one self-contained page with the verdict, the summary, the quirk matrix and each failure with its request and response', async () => {
    target = await startTarget({ port: 0, profile: 'strict', token: TOKEN });
    const run = await runCli(target.url, { only: ['quirk', 'protocol.get-unknown-id'] }, env);
    const html = run.html;
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<div id="verdict" class="verdict fail">FAILED</div>');
    expect(html).toContain('<section id="summary">');
    expect(html).toContain('<section id="quirk-matrix">');
    for (const row of run.report.quirkMatrix) expect(html).toContain(`<td><b>${row.quirk}</b>`);
    for (const check of run.report.checks) expect(html).toContain(check.id);
    expect(run.report.summary.consequences).toBe(0);
    expect(html).toContain(`<h2>Failures (${run.report.summary.failed} root causes)</h2>`);
    const failure = html.slice(html.indexOf('id="failure-quirk.capitalised-ops.legacy"'));
    expect(failure).toMatch(/<code>PATCH http:\/\/127\.0\.0\.1:\d+\/scim\/v2\/Users\/[0-9a-f-]+ → 400<\/code>/);
    expect(failure).toContain('&quot;op&quot;: &quot;Replace&quot;');
    expect(failure).toContain('rejectCapitalisedOps');
    // Nothing to fetch: no scripts, stylesheets, images, fonts, frames or embeds.
    expect(html).not.toMatch(/<script|<link|<img|<iframe|<object|<embed|<base|@import|url\(|\bsrc\s*=|\bsrcset\s*=/i);
    // This assertion forbade every href until the report linked its citations, as the issue asked: links are
    // now allowed, but only as <a href> to an anchor of the page (which exists) or to the public sources of
    // cited sections (Microsoft Learn, the RFCs), never a resource to load.
    const hrefs = [...html.matchAll(/\bhref\s*=\s*"([^"]*)"/gi)].map((m) => m[1]!);
    expect(hrefs.length).toBe(html.match(/<a (class="[^"]*" )?href="/g)?.length ?? 0);
    for (const href of hrefs) {
      expect(href).toMatch(/^(#[^\s#]+|https:\/\/(learn\.microsoft\.com|www\.rfc-editor\.org|datatracker\.ietf\.org)\/\S*)$/);
      if (href.startsWith('#')) expect(html, href).toContain(`id="${href.slice(1)}"`);
    }
    expect(hrefs).toContain('https://www.rfc-editor.org/rfc/rfc7643#section-4.3');
    // Tags balance (a cheap check that escaping kept server text out of the markup).
    for (const tag of ['section', 'table', 'thead', 'tbody', 'tr', 'div', 'pre', 'ul', 'li', 'details', 'summary', 'a', 'code']) {
      expect(html.match(new RegExp(`<${tag}[\\s>]`, 'g'))?.length ?? 0, tag).toBe(html.match(new RegExp(`</${tag}>`, 'g'))?.length ?? 0);
    }
  });

  it('HTML for people: verdict and every check first, failures and quirk matrix rows linked both ways, evidence folded, no backticks, citations linked', async () => {
    target = await startTarget({ port: 0, profile: 'strict', token: TOKEN });
    const run = await runCli(target.url, { only: ['quirk', 'protocol.delete-twice', 'protocol.get-unknown-id'] }, env);
    const html = run.html;
    // The verdict, the counts and the overview come before everything else.
    const at = (id: string): number => html.indexOf(`id="${id}"`);
    expect(at('verdict')).toBeGreaterThan(0);
    expect(at('verdict')).toBeLessThan(at('summary'));
    expect(at('summary')).toBeLessThan(at('overview'));
    expect(at('overview')).toBeLessThan(at('failures'));
    expect(at('failures')).toBeLessThan(at('quirk-matrix'));
    const summary = html.slice(at('summary'), at('overview'));
    const { summary: s } = run.report;
    const mandatory = run.report.checks.filter((c) => c.severity === 'mandatory');
    expect(summary).toContain(
      `<tr><th scope="row">Passed</th><td>${mandatory.filter((c) => c.status === 'passed').length}</td><td>${s.passed - mandatory.filter((c) => c.status === 'passed').length}</td><td>${s.passed}</td></tr>`,
    );
    expect(summary).toContain(`<tr><th scope="row">Failed</th><td>${s.mandatoryFailed}</td><td>${s.optionalFailed}</td>`);
    expect(summary).toContain(`<tr><th scope="row">Skipped</th><td>`);
    // Every check is in the overview, linked to its detail: a failure to its section, others to their row.
    const overview = html.slice(at('overview'), at('failures'));
    for (const check of run.report.checks) {
      const anchor = check.status === 'failed' ? `failure-${check.id}` : `check-${check.id}`;
      expect(overview, check.id).toContain(`href="#${anchor}"`);
      expect(html, check.id).toContain(`id="${anchor}"`);
    }
    // A failed quirk probe links to its matrix row, and the row links back to the failure.
    const probes = run.report.checks.filter((c) => c.quirk !== undefined && c.status === 'failed');
    expect(probes.length).toBeGreaterThan(2);
    for (const probe of probes) {
      const detail = html.slice(at(`failure-${probe.id}`));
      expect(detail.slice(0, detail.indexOf('\n</div>')), probe.id).toContain(`href="#quirk-row-${probe.quirk}"`);
      const row = html.slice(at(`quirk-row-${probe.quirk}`));
      expect(row.slice(0, row.indexOf('</tr>')), probe.id).toContain(`href="#failure-${probe.id}"`);
    }
    // Every request and response body is folded in a native <details> (no script): each <pre> is inside one.
    const exchanges = [...html.matchAll(/<details class="exchange"><summary><code>[^<]+<\/code><\/summary>([\s\S]*?)<\/details>/g)];
    expect(exchanges.length).toBeGreaterThan(5);
    expect(exchanges.reduce((n, m) => n + (m[1]!.match(/<pre>/g)?.length ?? 0), 0)).toBe(html.match(/<pre>/g)?.length);
    // No Markdown backtick outside the recorded bodies: the texts' `code` is <code>.
    const text = html.replace(/<pre>[\s\S]*?<\/pre>/g, '').replace(/<style>[\s\S]*?<\/style>/, '');
    expect(text).not.toContain('`');
    expect(html).toContain('<code>provsim provision</code>');
    expect(html).toContain('<code>provsim quirks</code>');
    // Citations link to their public sources; one without a public source stays text.
    expect(html).toMatch(
      /<a href="https:\/\/learn\.microsoft\.com\/entra\/identity\/app-provisioning\/[^"]+" title="[^"]+">spec §1\.8<\/a>, <a href="[^"]+" title="[^"]+">§1\.14<\/a>/,
    );
    expect(html).toContain('<a href="https://www.rfc-editor.org/rfc/rfc7644#section-3.6" title="RFC 7644, section 3.6">RFC 7644 §3.6</a>');
    expect(html).not.toMatch(/>§6\.2<\/a>/);
  });

  it('the token is in no output, even when the server echoes it back in headers and error bodies', async () => {
    target = await startTarget({ port: 0, profile: 'strict', token: TOKEN });
    proxy = await startProxy(target.url, { echoAuthorization: true });
    const run = await runCli(
      proxy.url,
      { tokenFile: 'token.txt', only: ['quirk.string-booleans', 'protocol.get-unknown-id'] },
      {},
      { cwd: writeTokenFile() },
    );
    expect(run.report.checks.find((c) => c.id === 'quirk.string-booleans.legacy')?.status).toBe('failed');
    for (const [name, text] of Object.entries({
      stdout: run.stdout,
      stderr: run.stderr,
      junit: run.junit,
      json: run.json,
      html: run.html,
      report: JSON.stringify(run.report),
    })) {
      expect(text.includes(TOKEN), name).toBe(false);
    }
    // The echo happened, and was redacted (so this test can fail).
    expect(run.json).toContain('"x-echo-authorization": "Bearer [REDACTED]"');
    expect(run.stdout).toContain('(you sent Bearer [REDACTED])');
  });

  it('bad credentials: one failure (the connection check), nothing else runs, nothing is created, every check says why, exit 1', async () => {
    target = await startTarget({ port: 0, profile: 'tolerant', token: TOKEN });
    const run = await runCli(target.url, {}, { PROVSIM_TOKEN: 'not-the-token' });
    expect(run.exitCode).toBe(1);
    expect(run.report.aborted).toMatch(/refused the credentials \(401\)/);
    expect(failedIds(run.report)).toEqual(['protocol.connection']);
    expect(run.report.checks[0]).toMatchObject({ id: 'protocol.connection', status: 'failed', severity: 'mandatory' });
    expect(run.report.checks[0]!.message).toMatch(/^the target refused the credentials/);
    expect(new Set(run.report.checks.slice(1).map((c) => c.status))).toEqual(new Set(['skipped']));
    expect(run.report.checks[1]!.message).toMatch(/^not run: the target refused the credentials/);
    expect(target.requests().map((r) => r.method)).toEqual(['GET']);
    expect(run.stdout).toContain('Conformance NOT RUN');
    expect(run.html).toContain('NOT RUN');
    expect(xmlProblems(run.junit)).toEqual([]);
    // JUnit says the run errored (the target could not be checked), not that 40-odd checks were skipped.
    expect(xmlElements(run.junit, 'failure')).toEqual([]);
    expect(xmlElements(run.junit, 'skipped')).toEqual([]);
    const errors = xmlElements(run.junit, 'error');
    expect(errors).toHaveLength(run.report.checks.length);
    const connection = errors.filter((e) => e['type'] === 'connection');
    expect(connection).toEqual([{ type: 'connection', message: expect.stringMatching(/^the target refused the credentials/) }]);
    expect(errors.filter((e) => e['type'] === 'not-run')).toHaveLength(run.report.checks.length - 1);
    expect(xmlElements(run.junit, 'testsuites')[0]).toMatchObject({
      failures: '0',
      errors: String(run.report.checks.length),
      skipped: '0',
    });
  });

  it('JUnit agrees with the exit code: an optional finding of a passing run is system-out, not a failure', async () => {
    target = await startTarget({ port: 0, profile: 'tolerant', token: TOKEN });
    const run = await runCli(target.url, { dialect: 'legacy', only: ['quirk.roles-json-string'] }, env);
    expect(run.exitCode).toBe(0);
    expect(failedIds(run.report)).toEqual(['quirk.roles-json-string.legacy']);
    expect(run.report.checks.find((c) => c.id === 'quirk.roles-json-string.legacy')).toMatchObject({
      severity: 'optional',
      status: 'failed',
    });
    expect(xmlProblems(run.junit)).toEqual([]);
    expect(xmlElements(run.junit, 'failure')).toEqual([]);
    expect(xmlElements(run.junit, 'testsuites')[0]).toMatchObject({ failures: '0', errors: '0' });
    const finding = run.junit.slice(run.junit.indexOf('name="quirk.roles-json-string.legacy:'));
    expect(finding.slice(0, finding.indexOf('</testcase>'))).toMatch(/<system-out>optional finding: /);
  });
});

describe('usage', () => {
  const deps = (cwd = '.') => ({
    stdout: { write: () => true },
    stderr: { write: () => true },
    env,
    clock: systemClock,
    random: seededRandom(1),
    isTTY: false,
    cwd,
  });

  it('--only with an unknown id, a bad dialect, a bad URL or a report path that is a directory: a usage error (exit 2), nothing sent', async () => {
    target = await startTarget({ port: 0, profile: 'tolerant', token: TOKEN });
    await expect(conformanceCommand({ target: target.url, only: ['quirk.member-removal'] }, deps())).rejects.toThrow(
      /--only quirk\.member-removal names no check; did you mean quirk\.member-remove/,
    );
    await expect(conformanceCommand({ target: target.url, only: ['nothing'] }, deps())).rejects.toBeInstanceOf(UsageError);
    await expect(conformanceCommand({ target: target.url, dialect: 'scim2' }, deps())).rejects.toThrow(
      /--dialect scim2 is not one of legacy, aadOptscim062020/,
    );
    await expect(conformanceCommand({ target: 'ftp://127.0.0.1/scim' }, deps())).rejects.toBeInstanceOf(UsageError);
    await expect(conformanceCommand({ target: 'http://scim.example.com/scim' }, deps())).rejects.toThrow(/plain http/);
    const dir = writeTokenFile();
    mkdirSync(join(dir, 'existing-dir'));
    await expect(conformanceCommand({ target: target.url, html: 'existing-dir' }, deps(dir))).rejects.toThrow(/--html .* is a directory/);
    expect(target.requests()).toEqual([]);
  });

  it('--only a later lifecycle step runs the cycles before it but verifies only that step', async () => {
    target = await startTarget({ port: 0, profile: 'tolerant', token: TOKEN });
    const run = await runCli(target.url, { only: ['lifecycle.group.rename'] }, env);
    expect(run.exitCode).toBe(0);
    expect(run.report.checks.filter((c) => c.status !== 'skipped').map((c) => [c.id, c.status])).toEqual([
      ['protocol.connection', 'passed'],
      ['lifecycle.group.rename', 'passed'],
    ]);
    // Steps after the selected one did not run: no engine DELETE came before cleanup's.
    const urls = target.requests().map((r) => `${r.method} ${decodeURIComponent(r.url.replace(/\+/g, ' '))}`);
    const renamePatch = urls.findIndex((u) => u.startsWith('PATCH') && u.includes('/Groups/'));
    expect(renamePatch).toBeGreaterThan(0);
    expect(urls.filter((u) => u.startsWith('DELETE')).length).toBe(run.report.cleanup.deleted.length);
    expect(target.snapshot()).toEqual({ users: [], groups: [] });
  });
});

function writeTokenFile(): string {
  const dir = tempDir();
  writeFileSync(join(dir, 'token.txt'), `${TOKEN}\n`);
  return dir;
}
