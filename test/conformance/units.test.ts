/** The pure parts: the catalogue and --only, severities per dialect, and the writers on hostile text. */
import { describe, expect, it } from 'vitest';
import { catalogue, selectChecks } from '../../src/conformance/checks/index.js';
import { renderHtmlReport } from '../../src/conformance/report-html.js';
import { renderJunitReport } from '../../src/conformance/report-junit.js';
import { summarise } from '../../src/conformance/run.js';
import type { CheckResult, ConformanceReport } from '../../src/conformance/types.js';
import { UsageError } from '../../src/shared/errors.js';
import { xmlElements, xmlProblems } from './helpers.js';

const ids = catalogue('legacy').map((c) => c.id);

describe('the catalogue and --only', () => {
  it('ids are unique and dotted by part', () => {
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^(lifecycle|quirk|protocol)\.[a-z-]+(\.[a-zA-Z0-9-]+)?$/);
  });

  it('quirk probes are mandatory in the run\'s dialect (and when both dialects send them), optional in the other', () => {
    const severity = (dialect: 'legacy' | 'aadOptscim062020', id: string) => catalogue(dialect).find((c) => c.id === id)!.severity;
    expect(severity('legacy', 'quirk.string-booleans.legacy')).toBe('mandatory');
    expect(severity('legacy', 'quirk.string-booleans.aadOptscim062020')).toBe('optional');
    expect(severity('aadOptscim062020', 'quirk.string-booleans.legacy')).toBe('optional');
    expect(severity('aadOptscim062020', 'quirk.string-booleans.aadOptscim062020')).toBe('mandatory');
    expect(severity('aadOptscim062020', 'quirk.add-missing-filtered-path')).toBe('mandatory');
    expect(severity('legacy', 'quirk.random-guid-probe')).toBe('mandatory');
    // Unconfirmed or mapping-dependent shapes never fail a run.
    expect(severity('aadOptscim062020', 'quirk.pathless-add.aadOptscim062020')).toBe('optional');
    expect(severity('legacy', 'quirk.roles-json-string.legacy')).toBe('optional');
    // As in Microsoft's Logic App: deletes are optional.
    expect(severity('legacy', 'lifecycle.user.hard-delete')).toBe('optional');
    expect(severity('legacy', 'lifecycle.user.disable')).toBe('mandatory');
  });

  it('selects by id, by dotted prefix, comma-separated; unknown ids are usage errors with a hint', () => {
    expect(selectChecks(undefined, ids)).toBeNull();
    expect(selectChecks([], ids)).toBeNull();
    expect([...selectChecks(['quirk.member-remove'], ids)!]).toEqual(['quirk.member-remove.legacy', 'quirk.member-remove.aadOptscim062020']);
    expect([...selectChecks(['protocol.paging,lifecycle.user.create'], ids)!].sort()).toEqual(['lifecycle.user.create', 'protocol.paging']);
    expect(selectChecks(['lifecycle'], ids)!.size).toBe(16);
    // A prefix must end at a dot: "quirk.member" is not "quirk.member-remove".
    expect(() => selectChecks(['quirk.member'], ids)).toThrow(UsageError);
    expect(() => selectChecks(['lifecycle.user.creat'], ids)).toThrow(/did you mean lifecycle\.user\.create\?/);
  });
});

describe('the writers on hostile text', () => {
  const hostile = 'bad <script>alert("x")</script> & \u0001\u0007 control, \'quotes\' ]]> \uFFFE';
  const check = (status: CheckResult['status'], id: string): CheckResult => ({
    id,
    title: hostile,
    part: 'protocol',
    severity: 'mandatory',
    status,
    message: hostile,
    evidence: [{ method: 'GET', url: 'http://127.0.0.1/x?a=1&b=<2>', status: 500, startedAt: '2026-01-01T00:00:00.000Z', durationMs: 1, requestHeaders: {}, responseBody: hostile }],
    durationMs: 1,
  });
  const checks = [check('failed', 'protocol.a'), check('skipped', 'protocol.b'), check('passed', 'protocol.c')];
  const report: ConformanceReport = {
    formatVersion: 1,
    tool: 'provsim conformance',
    target: 'http://127.0.0.1/scim?x=<1>&y',
    dialect: 'legacy',
    runId: 'abc',
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:01.000Z',
    ok: false,
    interrupted: false,
    aborted: null,
    only: null,
    summary: summarise(checks),
    checks,
    quirkMatrix: [],
    gaps: [{ id: 'gap.x', title: hostile, reason: hostile }],
    cleanup: { deleted: [], leftovers: [{ resource: 'Users', id: null, name: hostile, reason: hostile }], evidence: [] },
  };

  it('JUnit stays well-formed, and the attribute values read back as sent (minus what XML cannot hold)', () => {
    const xml = renderJunitReport(report);
    expect(xmlProblems(xml)).toEqual([]);
    const failure = xmlElements(xml, 'failure')[0]!;
    expect(failure['message']).toBe(hostile.replace(/[\u0001\u0007\uFFFE]/g, '\uFFFD'));
    expect(xmlElements(xml, 'skipped')).toHaveLength(1);
    expect(xmlElements(xml, 'testcase')).toHaveLength(3);
  });

  it('the checker this relies on does reject broken XML', () => {
    expect(xmlProblems('<a><b></a></b>')).not.toEqual([]);
    expect(xmlProblems('<a x="1" x="2"/>')).not.toEqual([]);
    expect(xmlProblems('<a>&nbsp;</a>')).not.toEqual([]);
    expect(xmlProblems('<a b="<"/>')).not.toEqual([]);
    expect(xmlProblems('<a/><b/>')).not.toEqual([]);
    expect(xmlProblems('<a>\u0001</a>')).not.toEqual([]);
    expect(xmlProblems('<?xml version="1.0"?>\n<a b="1"><c/>text &amp; more</a>\n')).toEqual([]);
  });

  it('HTML escapes everything from the target', () => {
    const html = renderHtmlReport(report);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('http://127.0.0.1/x?a=1&amp;b=&lt;2&gt;');
    expect(html).toContain('delete by hand');
  });
});
