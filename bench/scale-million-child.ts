/**
 * One phase of a `scale-million` run, in a fresh process of its own (forked by `scale-million.bench.ts`), as
 * one `provsim sync` would run it, so that its CPU time and peak RSS are the engine's alone:
 *
 *   initial      loadTenant(DIR), then the initial cycle into a new STATE file
 *   incremental  loadTenant(DIR) (day 2), then the incremental cycle on the STATE the initial one left
 *   dry-run      loadTenant(DIR), then a dry run (`sync --dry-run`: readOnly; a STATE that does not exist is
 *                an empty state kept in memory, an existing one is read as it is) against the same stub
 *
 * The engine is built as the CLI builds it (openProvisioner through engine-harness.ts: Entra's default
 * mapping, `createQueue({ concurrency })`, `createHttpClient({ maxSockets: concurrency })`, batches of 2,000,
 * the heap guard between batches, the memory watchdog that stops a cycle before the heap is full), on the
 * Node heap limit the CLI gets (no flag is added). The mapping is compiled before the clock starts
 * (milliseconds). Timed: the load (wall and CPU), then the cycle (wall and CPU, all threads). Peak RSS is the
 * kernel's high-water mark at the end of the cycle; RSS and heap are also sampled every 100 ms from before
 * the load to the end of the cycle (between the engine's yields: to say when memory grew), and recorded at the
 * phase boundaries, and after the cycle (untimed) with a full GC, with and without the tenant, to tell what
 * the memory is made of.
 *
 * Messages to the parent over IPC: `{ type: 'sample' }` every 5 s and `{ type: 'step' }` at each step (so a
 * crash can be placed: phase, RSS, heap), then `{ type: 'figures' }`. A line on stderr every minute.
 *
 *   node --import tsx bench/scale-million-child.ts MODE DIR STATE BASE_URL CONCURRENCY
 */
import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import type { CycleResult } from '../src/engine/cycle-result.js';
import type { EngineHooks } from '../src/engine/hooks.js';
import { openProvisioner } from '../src/engine/open.js';
import type { Plan } from '../src/engine/plan.js';
import type { Tenant } from '../src/model/directory.js';
import { ManualClock } from '../src/shared/clock.js';
import { formatDiagnostic, hasErrors } from '../src/shared/diagnostics.js';
import { exposeGc, heapGuard } from '../src/shared/heap-guard.js';
import { cycleStop } from '../src/cli/cycle-stop.js';
import { guardedHooks } from '../src/cli/guarded-hooks.js';
import { memoryLowText } from '../src/shared/memory-watchdog.js';
import { seededRandom } from '../src/shared/random.js';
import { loadTenant } from '../src/source/load-tenant.js';
import { defaultJob, openEngine, RequestCounter } from './engine-harness.js';

export type Mode = 'initial' | 'incremental' | 'dry-run';

/** MB, rounded: `process.memoryUsage()` at one moment, and the process's highest RSS so far. */
export interface Memory {
  rss: number;
  /** The kernel's high-water mark of RSS since the process started (`maxRSS`): peaks between two samples count. */
  maxRss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
}

export interface PhaseFigures {
  mode: Mode;
  users: number;
  groups: number;
  loadWallMs: number;
  loadCpuMs: number;
  cycleWallMs: number;
  cycleCpuMs: number;
  /** Peak RSS of the process up to the end of the cycle (the kernel's high-water mark), bytes. */
  peakRssBytes: number;
  /** heapUsed at the highest RSS sample (not always the peak, which may fall between samples), and the highest heapUsed sampled, MB. */
  heapAtPeakRssMb: number;
  peakHeapUsedMb: number;
  /** Memory at the steps: `beforeLoad`, `afterLoad`, `afterEvaluate`, `afterCycle`, then (untimed, after a full GC) `liveAfterCycle` and `liveWithoutTenant`. */
  memory: Record<string, Memory>;
  /**
   * Wall and CPU of the cycle's steps, ms: `probe`, `evaluate` (probe done → first read: evaluate + select),
   * a dry run's `observeAndDiff` (its batches: reads and diffs) and `diffWallMs` (the diffs alone); and this
   * thread's GC pauses: `loadGcMs`, `cycleGcMs`, `cycleGcMajorCount`, `cycleGcMajorMs` (full collections, the
   * heap guard's among them).
   */
  steps: Record<string, number>;
  requests: number;
  byKind: Record<string, number>;
  kind: string;
  status: string;
  batches: number;
  /** Log entries by `Action/Status` (a dry run: plan changes by action). */
  counts: Record<string, number>;
}

export type ChildMessage =
  | { type: 'sample'; step: string; seconds: number; rssMb: number; heapUsedMb: number; peakRssMb: number; requests: number }
  | { type: 'step'; step: string; memory: Memory }
  | { type: 'figures'; figures: PhaseFigures }
  | { type: 'error'; step: string; message: string };

const MB = 1024 * 1024;
const send = (m: ChildMessage): void => void process.send?.(m);
const mb = (n: number): number => Math.round(n / MB);
const memoryNow = (): Memory => {
  const m = process.memoryUsage();
  return {
    rss: mb(m.rss),
    maxRss: mb(highWaterRss()),
    heapUsed: mb(m.heapUsed),
    heapTotal: mb(m.heapTotal),
    external: mb(m.external),
    arrayBuffers: mb(m.arrayBuffers),
  };
};
/** The kernel's high-water mark of this process's RSS (bytes): it sees peaks that no sample of ours was awake for. */
const highWaterRss = (): number => process.resourceUsage().maxRSS * 1024;
const cpuMs = (since: NodeJS.CpuUsage): number => {
  const { user, system } = process.cpuUsage(since);
  return (user + system) / 1000;
};

/** A full GC, for the untimed memory breakdown only. */
const gc: () => void = exposeGc() ?? ((): void => {});

const [mode, dir, statePath, baseUrl, concurrencyArg] = process.argv.slice(2) as [Mode, string, string, string, string];
const concurrency = Number(concurrencyArg);
if (!['initial', 'incremental', 'dry-run'].includes(mode) || !dir || !statePath || !baseUrl || !Number.isInteger(concurrency))
  throw new Error('usage: scale-million-child.ts initial|incremental|dry-run DIR STATE BASE_URL CONCURRENCY');
// The benchmark went away (Ctrl-C, a crash): do not go on sending requests.
process.on('disconnect', () => process.exit(1));

const memory: Record<string, Memory> = {};
let step = 'start';
const counter = new RequestCounter();
const mark = (name: string): void => {
  step = name;
  const m = memoryNow();
  memory[name] = m;
  send({ type: 'step', step: name, memory: m });
};

// RSS and heap, every 100 ms, from before the load to the end of the cycle.
const started = performance.now();
let peakRss = process.memoryUsage().rss;
let heapAtPeak = process.memoryUsage().heapUsed;
let peakHeap = heapAtPeak;
let samples = 0;
const sampler = setInterval(() => {
  const { rss, heapUsed } = process.memoryUsage();
  if (rss > peakRss) [peakRss, heapAtPeak] = [rss, heapUsed];
  if (heapUsed > peakHeap) peakHeap = heapUsed;
  if (++samples % 50 !== 0) return;
  const seconds = Math.round((performance.now() - started) / 1000);
  send({ type: 'sample', step, seconds, rssMb: mb(rss), heapUsedMb: mb(heapUsed), peakRssMb: mb(peakRss), requests: counter.total });
  if (samples % 600 === 0)
    process.stderr.write(
      `    scale-million ${mode}: ${seconds} s, ${step}, RSS ${mb(rss).toLocaleString('en-US')} MB (heap ${mb(heapUsed).toLocaleString('en-US')} MB), ${counter.total.toLocaleString('en-US')} requests\n`,
    );
}, 100);

// Garbage collection on this thread (its pauses: time the engine did not run), from before the load on.
const gcTime = { ms: 0, major: 0, majorMs: 0 };
const countGc = (entries: readonly PerformanceEntry[]): void => {
  for (const e of entries) {
    gcTime.ms += e.duration;
    if (((e as { detail?: unknown }).detail as { kind?: number } | null)?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
      gcTime.major++;
      gcTime.majorMs += e.duration;
    }
  }
};
const gcObserver = new PerformanceObserver((list) => countGc(list.getEntries()));
gcObserver.observe({ entryTypes: ['gc'] });
const gcSoFar = (): typeof gcTime => {
  countGc(gcObserver.takeRecords());
  return { ...gcTime };
};

async function main(): Promise<PhaseFigures> {
  const job = await defaultJob();
  mark('beforeLoad');
  // The CLI's heap guard (cli/commands/sync.ts), for the load and the cycle alike.
  const guard = heapGuard();
  let cpu = process.cpuUsage();
  let start = performance.now();
  const loaded = await loadTenant(dir, { onStreamed: guard });
  const loadWallMs = performance.now() - start;
  const loadCpuMs = cpuMs(cpu);
  const gcAfterLoad = gcSoFar();
  if (!loaded.tenant || hasErrors(loaded.diagnostics))
    throw new Error(`the fixtures in ${dir} do not load:\n${loaded.diagnostics.slice(0, 10).map(formatDiagnostic).join('\n')}`);
  // Dropped after the cycle, to weigh it.
  let tenant: Tenant | null = loaded.tenant;
  loaded.tenant = null;
  const users = tenant.users.length;
  const groups = tenant.groups.length;
  mark('afterLoad');

  // The cycle's steps, through the engine's hooks.
  const steps: Record<string, number> = {};
  let stepCpu = process.cpuUsage();
  let stepStart = performance.now();
  const endStep = (name: string): void => {
    steps[`${name}WallMs`] = Math.round(performance.now() - stepStart);
    steps[`${name}CpuMs`] = Math.round(cpuMs(stepCpu));
    stepCpu = process.cpuUsage();
    stepStart = performance.now();
  };
  let batches = 0;
  let lastResponseAt = 0;
  const planCounts: Record<string, number> = {};
  let diffWallMs = 0;
  let lastPlanAt = 0;
  // The CLI's guard (cli/guarded-hooks.ts) around the step marks.
  const hooks: EngineHooks = guardedHooks(guard, {
    onPhase: (p) => {
      if (p.phase === 'evaluate') {
        endStep('probe');
        step = 'evaluate';
      } else if (p.phase === 'observe' && step === 'evaluate') {
        endStep('evaluate');
        mark('afterEvaluate');
        step = 'batches';
      }
    },
    onBatchDone: () => {
      batches++;
    },
    ...(mode === 'dry-run'
      ? {
          onPlan: (plan: Plan) => {
            // Each batch of the dry run reads, then diffs (synchronous, on this thread, so its wall time from
            // the batch's last response, or the previous plan, to here stands for its CPU).
            const now = performance.now();
            diffWallMs += now - Math.max(lastResponseAt, lastPlanAt);
            lastPlanAt = now;
            for (const [action, n] of Object.entries(countPlan(plan))) planCounts[action] = (planCounts[action] ?? 0) + n;
          },
        }
      : {}),
  });

  let result: CycleResult | null;
  let cycleWallMs: number;
  let cycleCpuMs: number;
  // The CLI's memory watchdog (cli/cycle-stop.ts): the cycle stops before the heap runs out, and the phase
  // fails with the CLI's message instead of dying with V8's.
  const stop = cycleStop({});
  const stoppedForMemory = (): Error | null => {
    const low = stop.memoryLow();
    return low ? new Error(`the ${mode} cycle was stopped: ${memoryLowText(low)}`) : null;
  };
  if (mode === 'dry-run') {
    // `provsim sync --dry-run`: readOnly; a state file that does not exist is an empty state in memory.
    let provisioner: Awaited<ReturnType<typeof openProvisioner>> | null = await openProvisioner(
      { fixtures: tenant, mapping: job, target: baseUrl, token: 'bench-token', state: statePath, readOnly: true, concurrency },
      {
        clock: new ManualClock('2026-05-01T10:00:00Z'),
        random: seededRandom(9),
        onRequest: (e) => {
          lastResponseAt = performance.now();
          counter.onRequest(e);
        },
      },
    );
    cpu = process.cpuUsage();
    start = performance.now();
    [stepCpu, stepStart] = [cpu, start];
    result = await provisioner.sync({ dryRun: true, hooks, signal: stop.signal });
    cycleWallMs = performance.now() - start;
    cycleCpuMs = cpuMs(cpu);
    endStep('observeAndDiff');
    steps['diffWallMs'] = Math.round(diffWallMs);
    stop.dispose();
    await provisioner.close();
    provisioner = null;
    const low = stoppedForMemory();
    if (low) throw low;
    if (result.status !== 'succeeded' || Object.keys(planCounts).length === 0)
      throw new Error(`the dry run ended ${result.status}${result.jobFailure ? ` (${result.jobFailure.message})` : ', without a plan'}`);
  } else {
    const incremental = mode === 'incremental';
    let engine: Awaited<ReturnType<typeof openEngine>> | null = await openEngine({
      tenant,
      job,
      baseUrl,
      state: statePath,
      concurrency,
      counter,
      // The next scheduled cycle is an hour after the initial one.
      clock: new ManualClock(incremental ? '2026-05-01T09:00:00Z' : '2026-05-01T08:00:00Z'),
      random: seededRandom(incremental ? 8 : 7),
    });
    cpu = process.cpuUsage();
    start = performance.now();
    [stepCpu, stepStart] = [cpu, start];
    // engine.cycle() with the hooks: the heap guard, as the CLI, and the step marks.
    result = await engine.provisioner.sync({ hooks, signal: stop.signal });
    cycleWallMs = performance.now() - start;
    cycleCpuMs = cpuMs(cpu);
    stop.dispose();
    const low = stoppedForMemory();
    if (low) throw low;
    if (result.status !== 'succeeded')
      throw new Error(
        `the ${result.kind} cycle ended ${result.status}: ${JSON.stringify(result.counts)}${result.jobFailure ? ` (${result.jobFailure.message})` : ''}`,
      );
    if (counter.failures > 0) throw new Error(`${counter.failures} requests failed`);
    if (result.kind !== mode) throw new Error(`expected an ${mode} cycle, got ${result.kind}`);
    await engine.close(); // checkpoints the WAL into the state file, for the next phase
    engine = null;
  }
  clearInterval(sampler);
  const gcAfterCycle = gcSoFar();
  gcObserver.disconnect();
  steps['loadGcMs'] = Math.round(gcAfterLoad.ms);
  steps['cycleGcMs'] = Math.round(gcAfterCycle.ms - gcAfterLoad.ms);
  steps['cycleGcMajorCount'] = gcAfterCycle.major - gcAfterLoad.major;
  steps['cycleGcMajorMs'] = Math.round(gcAfterCycle.majorMs - gcAfterLoad.majorMs);
  // The samples cannot run while the engine computes without yielding (the evaluation of a million
  // objects takes tens of seconds), so the kernel's high-water mark, read before the untimed breakdown,
  // is the figure; the samples still say when the memory grew.
  const peakRssBytes = Math.max(peakRss, process.memoryUsage().rss, highWaterRss());
  mark('afterCycle');

  const summary = {
    kind: result.kind,
    status: result.status,
    counts: mode === 'dry-run' ? planCounts : result.counts,
  };
  // What the memory is made of (untimed): the live heap after a full GC, then without the tenant.
  result = null;
  gc();
  mark('liveAfterCycle');
  tenant = null;
  gc();
  mark('liveWithoutTenant');

  const figures: PhaseFigures = {
    mode,
    users,
    groups,
    loadWallMs,
    loadCpuMs,
    cycleWallMs,
    cycleCpuMs,
    peakRssBytes,
    heapAtPeakRssMb: mb(heapAtPeak),
    peakHeapUsedMb: mb(peakHeap),
    memory,
    steps,
    requests: counter.total,
    byKind: Object.fromEntries([...counter.byKind].map(([k, v]) => [k, v.count])),
    batches,
    ...summary,
  };
  return figures;
}

main().then(
  (figures) => process.send?.({ type: 'figures', figures } satisfies ChildMessage, () => process.exit(0)),
  (e: unknown) => {
    clearInterval(sampler);
    const message = e instanceof Error ? (e.stack ?? e.message) : String(e);
    process.stderr.write(`scale-million ${mode} failed at ${step}: ${message}\n`);
    process.send?.({ type: 'error', step, message } satisfies ChildMessage, () => process.exit(1));
  },
);

/** Plan changes by action (`create`, `update`, `skip`, `set-manager`…). */
function countPlan(plan: Plan): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const c of [...plan.objects, ...plan.references, ...plan.deletes]) counts[c.action] = (counts[c.action] ?? 0) + 1;
  return counts;
}
