/**
 * The pure parts: the catalogue and --only, severities per dialect, declared dependencies, the attribution
 * of consequences, and the writers on hostile text.
 */
import { describe, expect, it } from 'vitest';
import {
  createdObject,
  leftState,
  patchWith,
  postTo,
  sameRefusal,
  type Dependency,
  type FailureFacts,
} from '../../src/conformance/checks/dependencies.js';
import { catalogue, dependenciesOf, selectChecks } from '../../src/conformance/checks/index.js';
import { CAPITALISED_OP } from '../../src/conformance/checks/request-shapes.js';
import { attributeConsequences } from '../../src/conformance/consequences.js';
import { renderHtmlReport } from '../../src/conformance/report-html.js';
import { renderJunitReport } from '../../src/conformance/report-junit.js';
import { summarise } from '../../src/conformance/summary.js';
import type { CheckResult, ConformanceReport, Evidence } from '../../src/conformance/types.js';
import { UsageError } from '../../src/shared/errors.js';
import { xmlElements, xmlProblems } from './helpers.js';

const ids = catalogue('legacy').map((c) => c.id);

describe('the catalogue and --only', () => {
  it('ids are unique and dotted by part', () => {
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^(lifecycle|quirk|protocol)\.[a-z-]+(\.[a-zA-Z0-9-]+)?$/);
  });

  it("quirk probes are mandatory in the run's dialect (and when both dialects send them), optional in the other", () => {
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
    expect([...selectChecks(['quirk.member-remove'], ids)!]).toEqual([
      'quirk.member-remove.legacy',
      'quirk.member-remove.aadOptscim062020',
    ]);
    expect([...selectChecks(['protocol.paging,lifecycle.user.create'], ids)!].sort()).toEqual(['lifecycle.user.create', 'protocol.paging']);
    expect(selectChecks(['lifecycle'], ids)!.size).toBe(16);
    // A prefix must end at a dot: "quirk.member" is not "quirk.member-remove".
    expect(() => selectChecks(['quirk.member'], ids)).toThrow(UsageError);
    expect(() => selectChecks(['lifecycle.user.creat'], ids)).toThrow(/did you mean lifecycle\.user\.create\?/);
  });
});

describe('declared dependencies', () => {
  it('name checks of the catalogue and form no cycle, in either dialect', () => {
    for (const dialect of ['legacy', 'aadOptscim062020'] as const) {
      const known = new Set(catalogue(dialect).map((c) => c.id));
      const deps = dependenciesOf(dialect);
      for (const id of known) for (const d of deps(id)) expect(known.has(d.on), `${id} depends on ${d.on}`).toBe(true);
      const state = new Map<string, 'visiting' | 'done'>();
      const visit = (id: string, path: string[]): void => {
        if (state.get(id) === 'done') return;
        expect(state.get(id), `cycle: ${[...path, id].join(' → ')}`).not.toBe('visiting');
        state.set(id, 'visiting');
        for (const d of deps(id)) visit(d.on, [...path, id]);
        state.set(id, 'done');
      };
      for (const id of known) visit(id, []);
    }
  });

  it('a legacy lifecycle PATCH step depends on the legacy capitalised-ops probe; in the flag dialect it does not', () => {
    const on = (dialect: 'legacy' | 'aadOptscim062020', id: string) => dependenciesOf(dialect)(id).map((d) => d.on);
    expect(on('legacy', 'lifecycle.user.disable')).toEqual(
      expect.arrayContaining(['lifecycle.user.create', 'quirk.capitalised-ops.legacy', 'quirk.string-booleans.legacy']),
    );
    expect(on('aadOptscim062020', 'lifecycle.user.disable')).not.toContain('quirk.capitalised-ops.legacy');
    expect(on('legacy', 'lifecycle.manager.remove')).toEqual(expect.arrayContaining(['lifecycle.manager.change', 'quirk.manager-bare-id']));
    expect(on('legacy', 'protocol.paging')).toEqual(['protocol.create-user', 'protocol.filter-group']);
  });
});

describe('consequences', () => {
  const patch = (status: number, scimType: string | null, op: string): Evidence => ({
    method: 'PATCH',
    url: 'http://127.0.0.1/scim/v2/Users/1',
    status,
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 1,
    requestHeaders: {},
    requestBody: { Operations: [{ op, path: 'active', value: 'False' }] },
    responseBody: { status: String(status), ...(scimType ? { scimType } : {}) },
  });
  const result = (id: string, severity: 'mandatory' | 'optional', status: CheckResult['status'] = 'failed'): CheckResult => ({
    id,
    title: id,
    part: 'lifecycle',
    severity,
    status,
    message: `${id} failed`,
    evidence: [],
    durationMs: 0,
  });
  const facts = (refused: Evidence[], extra: Partial<FailureFacts> = {}): FailureFacts => ({
    refused,
    accepted: [],
    symptom: null,
    missing: null,
    precondition: null,
    stoppedBy: null,
    ...extra,
  });
  const deps = (table: Record<string, ReturnType<typeof sameRefusal>[]>) => (id: string) => table[id] ?? [];
  const capitalised = (on: string) => sameRefusal(on, patchWith(CAPITALISED_OP));

  it('the same refused shape with the same answer is a consequence; another answer, another shape or a passed cause keeps it independent', () => {
    const checks = [
      result('quirk.ops', 'mandatory'),
      result('step.same', 'mandatory'),
      result('step.other-answer', 'mandatory'),
      result('step.lowercase', 'mandatory'),
      result('step.mixed', 'mandatory'),
    ];
    const known = new Map([
      ['quirk.ops', facts([patch(400, 'invalidSyntax', 'Replace')])],
      ['step.same', facts([patch(400, 'invalidSyntax', 'Replace')])],
      ['step.other-answer', facts([patch(500, null, 'Replace')])],
      ['step.lowercase', facts([patch(400, 'invalidSyntax', 'replace')])],
      // One refusal explained, one not: the failure is not shown to be the same cause.
      ['step.mixed', facts([patch(400, 'invalidSyntax', 'Replace'), patch(400, 'invalidValue', 'Replace')])],
    ]);
    const table = {
      'step.same': [capitalised('quirk.ops')],
      'step.other-answer': [capitalised('quirk.ops')],
      'step.lowercase': [capitalised('quirk.ops')],
      'step.mixed': [capitalised('quirk.ops')],
    };
    const out = attributeConsequences(checks, known, deps(table));
    expect(Object.fromEntries(out.map((c) => [c.id, c.consequence?.of ?? null]))).toEqual({
      'quirk.ops': null,
      'step.same': 'quirk.ops',
      'step.other-answer': null,
      'step.lowercase': null,
      'step.mixed': null,
    });
    expect(out[1]!.consequence!.reason).toBe(
      'PATCH /scim/v2/Users/1 with a capitalised op ({"op":"Replace","path":"active","value":"False"}) was refused with 400 (scimType invalidSyntax), as quirk.ops was for the same kind of request',
    );

    const passedCause = attributeConsequences(
      [result('quirk.ops', 'mandatory', 'passed'), result('step.same', 'mandatory')],
      known,
      deps(table),
    );
    expect(passedCause[1]!.consequence).toBeUndefined();
  });

  it('chains resolve to the root with the path in via; an optional root never excuses a mandatory failure', () => {
    const refused = [patch(400, 'invalidSyntax', 'Replace')];
    const table = { b: [capitalised('a')], c: [capitalised('b')] };
    const known = new Map(['a', 'b', 'c'].map((id) => [id, facts(refused)]));
    const chained = attributeConsequences(
      [result('a', 'mandatory'), result('b', 'mandatory'), result('c', 'optional')],
      known,
      deps(table),
    );
    expect(chained.map((c) => c.consequence ?? null)).toEqual([
      null,
      expect.objectContaining({ of: 'a', via: [] }),
      expect.objectContaining({ of: 'a', via: ['b'] }),
    ]);

    const optionalRoot = attributeConsequences(
      [result('a', 'optional'), result('b', 'mandatory'), result('c', 'optional')],
      known,
      deps(table),
    );
    expect(optionalRoot.map((c) => c.consequence?.of ?? null)).toEqual([null, null, 'b']);
    const summary = summarise(optionalRoot);
    expect(summary).toEqual({ total: 3, passed: 0, failed: 3, skipped: 0, mandatoryFailed: 1, optionalFailed: 1, consequences: 1 });
    expect(summary.failed).toBe(summary.mandatoryFailed + summary.optionalFailed + summary.consequences);
  });

  it("a setup POST refused like protocol.create-user's is its consequence; a refused PATCH is not", () => {
    const post: Evidence = {
      ...patch(400, 'invalidValue', 'add'),
      method: 'POST',
      url: 'http://127.0.0.1/scim/v2/Users',
      requestBody: { userName: 'x' },
    };
    const table = { 'protocol.paging': [sameRefusal('protocol.create-user', postTo('Users'))] };
    const checks = [result('protocol.create-user', 'mandatory'), result('protocol.paging', 'mandatory')];
    expect(
      attributeConsequences(
        checks,
        new Map([
          ['protocol.create-user', facts([post])],
          ['protocol.paging', facts([post])],
        ]),
        deps(table),
      )[1]!.consequence?.of,
    ).toBe('protocol.create-user');
    expect(
      attributeConsequences(
        checks,
        new Map([
          ['protocol.create-user', facts([post])],
          ['protocol.paging', facts([patch(400, 'invalidValue', 'add')])],
        ]),
        deps(table),
      )[1]!.consequence,
    ).toBeUndefined();
  });
});

describe('consequences: a refusal of its own, and cycles', () => {
  const refusal: Evidence = {
    method: 'PATCH',
    url: 'http://127.0.0.1/scim/v2/Users/1',
    status: 500,
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 1,
    requestHeaders: {},
    requestBody: { Operations: [] },
    responseBody: { detail: 'manager change crashed' },
  };
  const result = (id: string): CheckResult => ({
    id,
    title: id,
    part: 'lifecycle',
    severity: 'mandatory',
    status: 'failed',
    message: `${id} failed`,
    evidence: [],
    durationMs: 0,
  });
  const facts = (extra: Partial<FailureFacts>): FailureFacts => ({
    refused: [],
    accepted: [],
    symptom: null,
    missing: null,
    precondition: null,
    stoppedBy: null,
    ...extra,
  });

  it('a missing prior state or object does not explain a request of its own the target refused', () => {
    const checks = [result('step.set'), result('step.change'), result('step.uses-object')];
    const known = new Map([
      ['step.set', facts({ symptom: 'manager-not-stored' })],
      ['step.change', facts({ precondition: 'step.set', refused: [refusal] })],
      ['step.uses-object', facts({ missing: 'member', refused: [refusal] })],
    ]);
    const table: Record<string, Dependency[]> = {
      'step.change': [leftState('step.set')],
      'step.uses-object': [createdObject('step.set', 'member')],
    };
    const out = attributeConsequences(checks, known, (id) => table[id] ?? []);
    expect(out.map((c) => c.consequence ?? null)).toEqual([null, null, null]);
    // Without the refusal, the same facts are consequences.
    const quiet = new Map([...known].map(([id, f]) => [id, { ...f, refused: [] }]));
    expect(attributeConsequences(checks, quiet, (id) => table[id] ?? []).map((c) => c.consequence?.of ?? null)).toEqual([
      null,
      'step.set',
      'step.set',
    ]);
  });

  it('a cycle of dependencies never makes a check its own root: one of them stays an independent failure', () => {
    const checks = [result('a'), result('b')];
    const known = new Map([
      ['a', facts({ precondition: 'b' })],
      ['b', facts({ precondition: 'a' })],
    ]);
    const table: Record<string, Dependency[]> = { a: [leftState('b')], b: [leftState('a')] };
    const out = attributeConsequences(checks, known, (id) => table[id] ?? []);
    for (const c of out) if (c.consequence) expect(c.consequence.of, c.id).not.toBe(c.id);
    expect(summarise(out).mandatoryFailed).toBeGreaterThanOrEqual(1);
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
    evidence: [
      {
        method: 'GET',
        url: 'http://127.0.0.1/x?a=1&b=<2>',
        status: 500,
        startedAt: '2026-01-01T00:00:00.000Z',
        durationMs: 1,
        requestHeaders: {},
        responseBody: hostile,
      },
    ],
    durationMs: 1,
  });
  const checks = [
    check('failed', 'protocol.a'),
    check('skipped', 'protocol.b'),
    check('passed', 'protocol.c'),
    { ...check('failed', 'protocol.d'), consequence: { of: 'protocol.a', via: [], reason: hostile } },
  ];
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
    // The consequence is a skipped case whose message names its cause, and the cause's text lists it.
    expect(xmlElements(xml, 'skipped').map((e) => e['message'])).toEqual([
      hostile.replace(/[\u0001\u0007\uFFFE]/g, '\uFFFD'),
      `failed as a consequence of protocol.a (counted there): ${hostile.replace(/[\u0001\u0007\uFFFE]/g, '\uFFFD')}`,
    ]);
    expect(xmlElements(xml, 'failure')).toHaveLength(1);
    expect(xml).toContain('Consequences of this failure (1, reported as skipped):\n- protocol.d [mandatory]: bad &lt;script&gt;');
    expect(xmlElements(xml, 'testcase')).toHaveLength(4);
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
    expect(html).toContain('<div class="consequence" id="consequence-protocol.d">');
  });
});
