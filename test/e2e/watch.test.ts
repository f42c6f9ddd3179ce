/** `provsim watch` on loopback, with simulated time for the intervals. */
import { cpSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { watchCommand } from '../../src/cli/commands/watch.js';
import { ManualClock, type Clock } from '../../src/shared/clock.js';
import { parseDuration } from '../../src/shared/duration.js';
import { CONTOSO, CONTOSO_DAY2, DEFAULT_MAPPING, Harness } from '../helpers/harness.js';

let h: Harness;
afterEach(async () => {
  await h?.stop();
});

/** Stands still: `sleep` only ends when aborted (a file change or Ctrl-C), so only events start cycles. */
class FrozenClock implements Clock {
  now = (): Date => new Date('2026-06-01T09:00:00Z');
  sleep(_ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((_resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  }
}

describe('durations', () => {
  it.each([
    ['40m', 2_400_000],
    ['30s', 30_000],
    ['1h30m', 5_400_000],
    ['PT40M', 2_400_000],
    ['PT1H30M', 5_400_000],
    ['P1D', 86_400_000],
    ['500ms', 500],
  ])('%s', (text, ms) => expect(parseDuration(text)).toBe(ms));
  it.each(['', '40', 'forty minutes', 'PT', '5x'])('rejects %j', (text) => expect(parseDuration(text)).toBeNull());
});

describe('provsim watch', () => {
  it('an initial cycle, then incremental ones every interval on the simulated clock, one line each', async () => {
    const clock = new ManualClock('2026-06-01T09:00:00Z');
    h = await new Harness({}, clock).start();
    const result = await watchCommand(
      { fixtures: CONTOSO, mapping: DEFAULT_MAPPING, target: h.target.url, state: h.state, interval: '30s', maxCycles: 3 },
      h.deps(),
    );
    expect(result.cycles.map((c) => c.kind)).toEqual(['initial', 'incremental', 'incremental']);
    expect(clock.sleeps).toEqual([30_000, 30_000]);
    expect(result.cycles.map((c) => c.startedAt)).toEqual([
      '2026-06-01T09:00:00.000Z',
      '2026-06-01T09:00:30.000Z',
      '2026-06-01T09:01:00.000Z',
    ]);
    const lines = h.out.stdout.split('\n').filter((l) => l.startsWith('['));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(
      /^\[2026-06-01 09:00:00\] initial cycle [0-9a-f]{8}: succeeded — Create\/Success 25, Other\/Skipped 6 \(\d+ requests\)$/,
    );
    expect(lines[1]).toMatch(/incremental cycle .*: succeeded — nothing to do \(1 requests\)$/);
    expect(h.out.stdout).toMatch(/Create\s+Success\s+User\s+José Müller/);
    // A watch runs for days: the cycles it returns keep their verdicts and counts, not their source objects,
    // plans or log entries (a one-batch cycle's result holds every desired object of the tenant).
    expect(result.cycles.map((c) => c.counts)).toEqual([{ 'Create/Success': 25, 'Other/Skipped': 6 }, {}, {}]);
    for (const c of result.cycles)
      expect([c.sources, c.observations, c.plan, c.outcomes, c.log]).toEqual([undefined, undefined, null, [], []]);
  });

  it('--json: one document per cycle, each listing only its own requests', async () => {
    const clock = new ManualClock('2026-06-01T09:00:00Z');
    h = await new Harness({}, clock).start();
    const result = await watchCommand(
      { fixtures: CONTOSO, mapping: DEFAULT_MAPPING, target: h.target.url, state: h.state, interval: '30s', maxCycles: 3, json: true },
      h.deps(),
    );
    expect(result.cycles.map((c) => c.kind)).toEqual(['initial', 'incremental', 'incremental']);
    const docs = h.out.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { requests: Array<{ method: string; url: string; status: number }> });
    expect(docs).toHaveLength(3);
    const first = docs[0]!.requests;
    expect(first.filter((r) => r.method === 'POST')).toHaveLength(25);
    const probe = { method: 'GET', url: expect.stringMatching(/\/Users\?filter=userName\+eq\+/), status: 200 };
    expect(first[0]).toEqual(probe);
    // Nothing changed after the first cycle: each later one sends its probe (Entra's connection test) alone,
    // and lists only that.
    for (const doc of docs.slice(1)) expect(doc.requests).toEqual([probe]);
  });

  it('a quarantined job backs off (40 min, 80 min, …) and says so', async () => {
    const clock = new ManualClock('2026-06-01T09:00:00Z');
    h = await new Harness({ PROVSIM_TOKEN: 'bad-token-xyz' }, clock).start('tolerant', 'good-token-abc');
    const result = await watchCommand(
      { fixtures: CONTOSO, mapping: DEFAULT_MAPPING, target: h.target.url, state: h.state, interval: '40m', maxCycles: 3 },
      h.deps(),
    );
    expect(result.exitCode).toBe(1);
    expect(clock.sleeps).toEqual([40 * 60_000, 80 * 60_000]);
    expect(result.cycles.map((c) => c.quarantine?.seriesCount)).toEqual([1, 2, 3]);
    expect(h.out.stdout).toContain('quarantine: EncounteredQuarantineException (2 cycle(s)); next cycle in 80 min');
    expect(h.out.stdout).not.toContain('bad-token-xyz');
  });

  it('--on-change: an edit starts a cycle; a broken edit is reported and waited out', async () => {
    h = await new Harness({}, new FrozenClock()).start();
    const dir = join(h.dir, 'tenant');
    cpSync(CONTOSO, dir, { recursive: true });
    const running = watchCommand(
      {
        fixtures: dir,
        mapping: DEFAULT_MAPPING,
        target: h.target.url,
        state: h.state,
        interval: '40m',
        onChange: true,
        maxCycles: 2,
        debounceMs: 100,
      },
      h.deps(),
    );
    const waitFor = async (pred: () => boolean): Promise<void> => {
      for (let i = 0; i < 300 && !pred(); i++) await new Promise((r) => setTimeout(r, 20));
      expect(pred()).toBe(true);
    };
    await waitFor(() => h.out.stdout.includes('initial cycle'));
    // A broken edit: diagnostics, no cycle.
    writeFileSync(join(dir, 'users.yaml'), readFileSync(join(dir, 'users.yaml'), 'utf8').replace('  surname: Chen', '  surName: Chen'));
    await waitFor(() => h.out.stderr.includes('FIXTURE_UNKNOWN_KEY'));
    expect(h.out.stderr).toContain('waiting for the next change');
    // The day-2 snapshot: the second cycle applies it.
    for (const f of ['users.yaml', 'groups.yaml', 'assignments.yaml'])
      writeFileSync(join(dir, f), readFileSync(join(CONTOSO_DAY2, f), 'utf8'));
    const result = await running;
    expect(result.cycles.map((c) => c.kind)).toEqual(['initial', 'incremental']);
    expect(h.userByName('fatima.elamrani@contoso.com')).toBeDefined();
    expect(h.userByName('hannah.schmidt@contoso.com')).toBeUndefined();
  });

  it('--on-change: a mapping saved by rename (editors, sed -i) is seen every time: a broken save is reported, the fix starts a cycle', async () => {
    h = await new Harness({}, new FrozenClock()).start();
    const mapping = join(h.dir, 'mapping.yaml');
    const original = readFileSync(DEFAULT_MAPPING, 'utf8');
    writeFileSync(mapping, original);
    const running = watchCommand(
      { fixtures: CONTOSO, mapping, target: h.target.url, state: h.state, interval: '40m', onChange: true, maxCycles: 3, debounceMs: 100 },
      h.deps(),
    );
    const waitFor = async (pred: () => boolean): Promise<void> => {
      for (let i = 0; i < 300 && !pred(); i++) await new Promise((r) => setTimeout(r, 20));
      expect(pred()).toBe(true);
    };
    /** Writes a new file and renames it over the mapping, as editors and `sed -i` save. */
    const saveByRename = (text: string): void => {
      const tmp = join(h.dir, '.mapping.yaml.swp');
      writeFileSync(tmp, text);
      renameSync(tmp, mapping);
    };
    await waitFor(() => h.out.stdout.includes('initial cycle'));
    // 1st save: a broken expression. Reported, no cycle.
    saveByRename(original.replace('Join(" ", [givenName], [surname])', 'Jion(" ", [givenName], [surname])'));
    await waitFor(() => h.out.stderr.includes('EXPR_UNKNOWN_FUNCTION'));
    // 2nd save, by rename again: fixed, with a changed row, so a new initial cycle runs (a mapping change).
    saveByRename(original.replace('Join(" ", [givenName], [surname])', 'Join(", ", [surname], [givenName])'));
    await waitFor(() => (h.out.stdout.match(/initial cycle/g) ?? []).length === 2);
    // 3rd save, by rename: back to the original; seen too.
    saveByRename(original);
    const result = await running;
    expect(result.cycles.map((c) => c.kind)).toEqual(['initial', 'initial', 'initial']);
    expect(h.out.stderr.match(/change detected, starting a cycle/g)).toHaveLength(2);
    expect(h.userByName('laura.chen@contoso.com')?.['name']).toMatchObject({ formatted: 'Laura Chen' });
  });

  it('Ctrl-C ends it between cycles', async () => {
    h = await new Harness({}, new FrozenClock()).start();
    const controller = new AbortController();
    const running = watchCommand(
      { fixtures: CONTOSO, mapping: DEFAULT_MAPPING, target: h.target.url, state: h.state, interval: '40m' },
      h.deps({ signal: controller.signal }),
    );
    for (let i = 0; i < 300 && !h.out.stdout.includes('initial cycle'); i++) await new Promise((r) => setTimeout(r, 20));
    controller.abort();
    const result = await running;
    expect(result.cycles).toHaveLength(1);
    expect(result.exitCode).toBe(0);
  });
});
