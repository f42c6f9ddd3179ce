/**
 * A cycle stopped by the memory watchdog (the heap nearly full), end to end over loopback against the
 * embedded target: requests in flight finish, nothing new starts, what was done is saved, exit 1 with a
 * message that says what to do; the next run converges as after Ctrl-C. The watchdog is the injected seam
 * (`CliDeps.watchMemory`); it fires after a chosen number of responses, as V8's heap would fill mid-cycle.
 */
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { syncCommand } from '../../src/cli/commands/sync.js';
import { watchCommand } from '../../src/cli/commands/watch.js';
import type { CliDeps } from '../../src/cli/io.js';
import { createHttpClient } from '../../src/scim/http.js';
import type { MemoryLow } from '../../src/shared/memory-watchdog.js';
import { CONTOSO, DEFAULT_MAPPING, Harness } from '../helpers/harness.js';

const GB = 2 ** 30;
const LOW: MemoryLow = { usedBytes: 3.6 * GB, limitBytes: 4 * GB };

let h: Harness;
let reference: Harness;
afterEach(async () => {
  await h?.stop();
  await reference?.stop();
});

/** An HTTP client and a watchdog that reports the heap full at the `after`-th response; `stopped` counts its stops. */
function fillingAfter(after: number): Pick<CliDeps, 'http' | 'watchMemory'> & { watches: { started: number; stopped: number } } {
  const watches = { started: 0, stopped: 0 };
  let onLow: ((low: MemoryLow) => void) | null = null;
  const http = createHttpClient();
  let responses = 0;
  http.interceptors.response.use((r) => {
    if (++responses === after) onLow?.(LOW);
    return r;
  });
  return {
    http,
    watches,
    watchMemory: (low) => {
      watches.started++;
      onLow = low;
      return {
        stop: () => {
          watches.stopped++;
          onLow = null;
        },
      };
    },
  };
}

describe('the memory watchdog stops a cycle', () => {
  it('sync: exit 1, the heap figures and the flag that gives Node more; the next run converges without duplicates', async () => {
    reference = await new Harness().start();
    await reference.sync(CONTOSO);

    h = await new Harness().start();
    const { watches, ...deps } = fillingAfter(10);
    const stopped = await syncCommand({ fixtures: CONTOSO, mapping: DEFAULT_MAPPING, target: h.target.url, state: h.state }, h.deps(deps));
    expect(stopped.exitCode).toBe(1);
    expect(stopped.cycle?.status).toBe('interrupted');
    expect(h.target.requests().length).toBeLessThanOrEqual(10 + 8);
    expect(h.out.stderr).toContain('3.6 GB in use of its 4.0 GB limit');
    expect(h.out.stderr).toContain('NODE_OPTIONS=--max-old-space-size=8192');
    expect(h.out.stderr).toContain('the next sync goes on from there');
    expect(watches).toEqual({ started: 1, stopped: 1 });
    // The cycle's summary still follows, as after Ctrl-C.
    expect(h.out.stdout).toContain('interrupted');

    const resumed = await h.sync(CONTOSO);
    expect(resumed.exitCode).toBe(0);
    expect(h.shape()).toEqual(reference.shape());
    const names = h.target.snapshot().users.map((u) => String(u['userName']).toLowerCase());
    expect(new Set(names).size).toBe(names.length);
  });

  it('--json: the cycle as JSON on stdout, the reason on stderr, exit 1', async () => {
    h = await new Harness().start();
    const { watches, ...deps } = fillingAfter(10);
    const stopped = await syncCommand(
      { fixtures: CONTOSO, mapping: DEFAULT_MAPPING, target: h.target.url, state: h.state, json: true },
      h.deps(deps),
    );
    expect(stopped.exitCode).toBe(1);
    expect(JSON.parse(h.out.stdout)).toMatchObject({ status: 'interrupted' });
    expect(h.out.stderr).toContain('the Node heap is nearly full');
    expect(watches.stopped).toBe(watches.started);
  });

  it('a dry run: exit 1, no plan printed, nothing written, and why a dry run needs the memory', async () => {
    h = await new Harness().start();
    const { watches, ...deps } = fillingAfter(3);
    const stopped = await syncCommand(
      { fixtures: CONTOSO, mapping: DEFAULT_MAPPING, target: h.target.url, state: h.state, dryRun: true },
      h.deps(deps),
    );
    expect(stopped.exitCode).toBe(1);
    expect(h.out.stderr).toContain('A dry run planned as one batch holds its whole plan');
    expect(h.out.stderr).toContain('plan it in batches with --batch-size (e.g. --batch-size 2000)');
    expect(h.out.stdout).not.toContain('Plan');
    expect(h.writes()).toEqual([]);
    expect(existsSync(h.state)).toBe(false);
    expect(watches.stopped).toBe(watches.started);
  });

  it('a dry run in batches: the batches planned so far are printed, then why it stopped; exit 1, nothing written', async () => {
    h = await new Harness().start();
    const { watches, ...deps } = fillingAfter(8);
    const stopped = await syncCommand(
      { fixtures: CONTOSO, mapping: DEFAULT_MAPPING, target: h.target.url, state: h.state, dryRun: true, batchSize: 2, wholePlanLimit: 0 },
      h.deps(deps),
    );
    expect(stopped.exitCode).toBe(1);
    expect(stopped.cycle?.status).toBe('interrupted');
    expect(h.out.stderr).toContain('The dry run, planned in batches, stopped before its last batch and wrote nothing');
    expect(h.out.stdout).toMatch(/^batch 1\/\d+: plan \(initial cycle/m);
    expect(h.out.stdout.trimEnd().split('\n').at(-1)).toMatch(
      /^Plan so far, [1-3] of 16 batches \(the dry run stopped\): \d+ to create, 0 to update, 0 to disable, 0 to delete/,
    );
    expect(h.writes()).toEqual([]);
    expect(existsSync(h.state)).toBe(false);
    expect(watches.stopped).toBe(watches.started);
  });

  it('watch: the cycle stops, the watch ends with exit 1 instead of starting another that would fill the heap again', async () => {
    h = await new Harness().start();
    const { watches, ...deps } = fillingAfter(10);
    const result = await watchCommand(
      { fixtures: CONTOSO, mapping: DEFAULT_MAPPING, target: h.target.url, state: h.state, interval: '30s', maxCycles: 3 },
      h.deps(deps),
    );
    expect(result.exitCode).toBe(1);
    expect(result.cycles.map((c) => c.status)).toEqual(['interrupted']);
    expect(h.out.stderr).toContain('provsim watch: the Node heap is nearly full');
    expect(watches).toEqual({ started: 1, stopped: 1 });
  });

  it('a cycle the watchdog leaves alone is not touched by it: exit 0, and the watch is stopped', async () => {
    h = await new Harness().start();
    const { watches, ...deps } = fillingAfter(Number.POSITIVE_INFINITY);
    const result = await syncCommand({ fixtures: CONTOSO, mapping: DEFAULT_MAPPING, target: h.target.url, state: h.state }, h.deps(deps));
    expect(result.exitCode).toBe(0);
    expect(h.out.stderr).not.toContain('heap');
    expect(watches).toEqual({ started: 1, stopped: 1 });
  });
});
