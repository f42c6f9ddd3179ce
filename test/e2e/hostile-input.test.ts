/**
 * Hostile input through the real CLI (main() in-process, the embedded target on 127.0.0.1): catastrophic regular
 * expressions, values that grow without bound, and durations past Node's timer limit. Each finishes, with the
 * exit code and message it should have, and sends only what it should.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ManualClock, MAX_TIMER_MS, systemClock, type Clock } from '../../src/shared/clock.js';
import { CONTOSO, DEFAULT_MAPPING, Harness } from '../helpers/harness.js';

let h: Harness;
afterEach(async () => {
  vi.restoreAllMocks();
  await h?.stop();
});

const NEAR_MISS = 'a'.repeat(35) + '!';
const TITLE_ROW = '    - {target: title, source: jobTitle}';

/** Contoso with Laura Chen's title 35 × "a" and Marcus Webb's 35 × "a" and "!" (a near miss for (a+)+$). */
function hostileTenant(dir: string): string {
  const out = join(dir, 'tenant');
  cpSync(CONTOSO, out, { recursive: true });
  const users = readFileSync(join(out, 'users.yaml'), 'utf8')
    .replace('jobTitle: Chief Executive Officer', `jobTitle: ${'a'.repeat(35)}`)
    .replace('jobTitle: VP of Sales', `jobTitle: "${NEAR_MISS}"`);
  writeFileSync(join(out, 'users.yaml'), users);
  return out;
}

/** The default mapping with the title row replaced, and optionally a users scoping filter. */
function mapping(dir: string, titleRow: string, scoping?: string): string {
  let text = readFileSync(DEFAULT_MAPPING, 'utf8');
  const row = text.split('\n').find((l) => l.startsWith(TITLE_ROW));
  if (!row) throw new Error('the default mapping has no title row');
  // Function replacements: a pattern's `$'` must not be read as a replacement pattern.
  text = text.replace(row, () => titleRow);
  if (scoping)
    text = text.replace(
      'users:\n  actions: [create, update, delete]\n  scoping: []',
      () => `users:\n  actions: [create, update, delete]\n  scoping:\n${scoping}`,
    );
  const file = join(dir, 'mapping.yaml');
  writeFileSync(file, text);
  return file;
}

const posted = (h: Harness, userName: string): Record<string, unknown> | undefined =>
  h.writes().find((r) => r.method === 'POST' && (r.body as { userName?: string }).userName === userName)?.body as
    Record<string, unknown> | undefined;

describe('catastrophic regular expressions', () => {
  it('Replace with ^(a+)+$ on a 36-character near miss: the sync finishes, the values are right, mappings check warns', async () => {
    h = await new Harness().start();
    const tenant = hostileTenant(h.dir);
    const file = mapping(h.dir, `    - {target: title, expression: 'Replace([jobTitle], , "^(a+)+$", , "A", , )'}`);

    expect(await h.cli(['mappings', 'check', file])).toBe(0);
    const line = readFileSync(file, 'utf8')
      .split('\n')
      .findIndex((l) => l.includes('"^(a+)+$"'));
    const column = readFileSync(file, 'utf8').split('\n')[line]!.indexOf('"^(a+)+$"') + 1;
    expect(h.out.stderr).toContain(
      `mapping.yaml:${line + 1}:${column}: warning EXPR_REGEX_CATASTROPHIC: Replace: the pattern "^(a+)+$" repeats a repetition`,
    );

    const code = await h.cli(['sync', '--fixtures', tenant, '--mapping', file, '--target', h.target.url, '--state', h.state]);
    expect(code).toBe(0);
    expect(posted(h, 'laura.chen@contoso.com')).toMatchObject({ title: 'A' });
    expect(posted(h, 'marcus.webb@contoso.com')).toMatchObject({ title: NEAR_MISS });
  });

  it('the same shape with a lookahead (the step-limited engine): that user fails with the pattern named, nothing is sent for it, the rest is created', async () => {
    h = await new Harness().start();
    const tenant = hostileTenant(h.dir);
    const file = mapping(h.dir, `    - {target: title, expression: 'Replace([jobTitle], , "^(?=a)(a+)+$", , "A", , )'}`);
    const code = await h.cli(['sync', '--fixtures', tenant, '--mapping', file, '--target', h.target.url, '--state', h.state]);
    expect(code).toBe(1);
    const output = h.out.stdout + h.out.stderr;
    expect(output).toContain('EXPR_EVAL_REGEX_TIMEOUT');
    expect(output).toContain('Replace: the regexPattern "^(?=a)(a+)+$" needed more than');
    expect(output).toContain('Marcus Webb');
    expect(posted(h, 'marcus.webb@contoso.com')).toBeUndefined();
    expect(h.writes().some((r) => r.url.includes('marcus') || JSON.stringify(r.body).includes('marcus.webb'))).toBe(false);
    expect(posted(h, 'laura.chen@contoso.com')).toMatchObject({ title: 'A' });
    expect(posted(h, 'jose.muller@contoso.com')).toBeDefined();
  });

  it('a scoping NOT REGEX MATCH out of steps: the sync finishes, the clause and its attribute are named, nothing is sent for that user', async () => {
    h = await new Harness().start();
    const tenant = hostileTenant(h.dir);
    const file = mapping(h.dir, TITLE_ROW, "    - - {attribute: jobTitle, operator: NOT REGEX MATCH, value: '^(?=a)(a+)+$'}");
    // The object fails (Entra fails an object whose match times out): exit 1, never "out of scope", which
    // would disable a linked user.
    expect(await h.cli(['sync', '--fixtures', tenant, '--mapping', file, '--target', h.target.url, '--state', h.state])).toBe(1);
    expect(h.out.stdout).toContain('ScopingEvaluationFailed');
    h.out.stdout = '';
    expect(await h.cli(['logs', '--state', h.state, '--user', 'marcus', '--json'])).toBe(0);
    const entries = JSON.parse(h.out.stdout) as Array<{ provisioningSteps: Array<{ description: string }> }>;
    const steps = entries.flatMap((e) => e.provisioningSteps.map((s) => s.description));
    expect(
      steps.some((d) =>
        d.startsWith('the scoping clause on jobTitle could not be evaluated: NOT REGEX MATCH "^(?=a)(a+)+$" needed more than'),
      ),
    ).toBe(true);
    expect(posted(h, 'marcus.webb@contoso.com')).toBeUndefined();
    expect(posted(h, 'jose.muller@contoso.com')).toBeDefined();
  });
});

describe('values that grow without bound', () => {
  it('ten nested Replace calls fail the object with EXPR_EVAL_TOO_LONG instead of exhausting the heap', async () => {
    h = await new Harness().start();
    let expr = '[givenName]';
    for (let i = 0; i < 10; i++) expr = `Replace(${expr}, "a", , , "aaaaaaaaaa", , )`;
    const file = mapping(h.dir, `    - {target: title, expression: '${expr}'}`);
    const code = await h.cli(['sync', '--fixtures', CONTOSO, '--mapping', file, '--target', h.target.url, '--state', h.state]);
    expect(code).toBe(1);
    const output = h.out.stdout + h.out.stderr;
    expect(output).toContain('EXPR_EVAL_TOO_LONG');
    expect(output).toMatch(/Replace: the result would be [\d,]+ characters, more than the 1,048,576 provsim allows for a value/);
    // Laura has an "a" in her given name: she fails; José has none, so his title is his given name.
    expect(posted(h, 'laura.chen@contoso.com')).toBeUndefined();
    expect(posted(h, 'jose.muller@contoso.com')).toMatchObject({ title: 'José' });
  });
});

describe('durations past the 2³¹−1 ms timer limit', () => {
  it('watch --interval 30d sleeps 30 days: one cycle, then a wait in timers of at most 2³¹−1 ms, until Ctrl-C', async () => {
    const manual = new ManualClock('2026-06-01T09:00:00Z');
    // Simulated now, real sleeps: the interval runs on Node's timers, as with the system clock.
    const clock: Clock = { now: () => manual.now(), sleep: (ms, signal) => systemClock.sleep(ms, signal) };
    h = await new Harness({}, clock).start();
    const timers = vi.spyOn(globalThis, 'setTimeout');
    const controller = new AbortController();
    const running = h.cli(
      ['watch', '--fixtures', CONTOSO, '--mapping', DEFAULT_MAPPING, '--target', h.target.url, '--state', h.state, '--interval', '30d'],
      { signal: controller.signal },
    );
    const waitFor = async (pred: () => boolean): Promise<void> => {
      for (let i = 0; i < 300 && !pred(); i++) await new Promise((r) => setTimeout(r, 20));
    };
    await waitFor(() => h.out.stdout.includes('initial cycle'));
    await waitFor(() => timers.mock.calls.some((call) => call[1] === MAX_TIMER_MS));
    // A second cycle would have started by now if the 30-day timer had overflowed to 1 ms.
    await new Promise((r) => setTimeout(r, 200));
    const probes = h.target.requests().filter((r) => r.method === 'GET' && r.url.includes('filter=userName')).length;
    controller.abort();
    const code = await running;
    expect(code).toBe(0);
    expect(h.out.stderr).toContain('every 30d');
    expect(h.out.stdout.match(/ cycle [0-9a-f]{8}:/g)).toHaveLength(1);
    expect(Math.max(...timers.mock.calls.map((call) => Number(call[1] ?? 0)))).toBeLessThanOrEqual(MAX_TIMER_MS);
    expect(probes).toBeGreaterThan(0);
    expect(h.writes().filter((r) => r.method === 'POST')).toHaveLength(25);
  });

  it('watch --interval 400d is refused before anything is sent', async () => {
    h = await new Harness().start();
    const code = await h.cli([
      'watch',
      '--fixtures',
      CONTOSO,
      '--mapping',
      DEFAULT_MAPPING,
      '--target',
      h.target.url,
      '--state',
      h.state,
      '--interval',
      '400d',
    ]);
    expect(code).toBe(2);
    expect(h.out.stderr).toMatch(/--interval/);
    expect(h.target.requests()).toEqual([]);
  });
});
