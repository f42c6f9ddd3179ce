/**
 * `npm run bench [-- --only ID] [-- --runs N]`: runs every `bench/*.bench.ts` (in file-name order), one after
 * another, each at least 3 times, and reports the median of each figure. Prints a table (each row judged by
 * its own figure's median), the machine (cores, Node version), then the figures that missed their target and
 * the benchmarks that failed to run (or that every figure met its target); writes `bench/results.json`.
 * Exit code: 0 when every figure with a target meets it, 1 when one misses it or a benchmark throws, 2 for
 * bad arguments.
 *
 * Each benchmark runs in a child process of its own (this file with `--child ID`), so one benchmark's
 * memoised data and heap do not slow the next one's GC. In it, one uncounted warm-up run first (JIT,
 * memoised setup), unless the benchmark opts out. Between runs the child asks V8 for a full GC when it
 * can, so one run's garbage is not collected on the next run's clock.
 *
 * A benchmark marked `onlyWhenNamed` (a run takes many minutes) is left out of the suite and runs only with
 * `--only ID`; `--runs` may then go below 3, down to 1.
 */
import { fork } from 'node:child_process';
import { readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median, meets } from './stats.js';
import type { Benchmark, Measurement } from './types.js';
import { exposeGc } from '../src/shared/heap-guard.js';

const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));
const MIN_RUNS = 3;

interface Result {
  id: string;
  title: string;
  target: Benchmark['target'];
  unit: string;
  median: number | null;
  cpuMsMedian: number | null;
  wallMsMedian: number | null;
  pass: boolean;
  runs: Measurement[];
  /** Whether the median of the benchmark's own figure meets its target (`pass` also needs every further figure's). */
  medianPass: boolean;
  /** The medians of the benchmark's further figures; `target` null: informational (always passes). */
  also?: Array<{ name: string; target: Benchmark['target'] | null; unit: string; median: number; pass: boolean }>;
  error?: string;
}

function parseArgs(argv: readonly string[]): { only: string | null; runs: number; child: string | null } {
  let only: string | null = null;
  let child: string | null = null;
  let runs = MIN_RUNS;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = argv[i + 1];
    if (arg === '--only' && value !== undefined) [only, i] = [value, i + 1];
    else if (arg === '--child' && value !== undefined) [child, i] = [value, i + 1];
    else if (arg === '--runs' && value !== undefined) {
      // At least 1 here; at least MIN_RUNS unless only onlyWhenNamed benchmarks run (checked in main).
      if (!/^\d+$/.test(value) || Number(value) < 1)
        throw new UsageError(`--runs takes a whole number of at least ${MIN_RUNS}, got ${JSON.stringify(value)}`);
      [runs, i] = [Number(value), i + 1];
    } else
      throw new UsageError(
        `unexpected argument ${JSON.stringify(arg)}; usage: npm run bench [-- --only ID] [-- --runs N (>= ${MIN_RUNS})]`,
      );
  }
  return { only, runs, child };
}

class UsageError extends Error {}

async function discover(): Promise<Benchmark[]> {
  const files = (await readdir(BENCH_DIR)).filter((f) => f.endsWith('.bench.ts')).sort();
  const out: Benchmark[] = [];
  for (const file of files) {
    const mod = (await import(pathToFileURL(join(BENCH_DIR, file)).href)) as { benchmark?: Benchmark };
    const b = mod.benchmark;
    if (!b || typeof b.id !== 'string' || typeof b.run !== 'function')
      throw new Error(`bench/${file} does not export \`benchmark: Benchmark\``);
    if (out.some((o) => o.id === b.id)) throw new Error(`bench/${file}: id ${b.id} is already used`);
    out.push(b);
  }
  return out;
}

/** A full GC if V8 lets us expose it at runtime; otherwise nothing (the figures are then a little noisier). */
const collectGarbage: () => void = exposeGc() ?? ((): void => {});

async function measure(b: Benchmark, runs: number): Promise<Result> {
  const measurements: Measurement[] = [];
  try {
    // One warm-up run, not counted: the first run pays for JIT compilation and for memoised setup
    // (generating the tenant), which is not what the figure is about.
    if (b.warmUp ?? true) {
      collectGarbage();
      const warm = await b.run();
      process.stdout.write(`  ${b.id} warm-up: ${format(warm.value)} ${warm.unit} (not counted)\n`);
    }
    for (let i = 0; i < runs; i++) {
      collectGarbage();
      const m = await b.run();
      if (m.unit !== b.target.unit) throw new Error(`run() reported ${m.unit}, the target is in ${b.target.unit}`);
      measurements.push(m);
      process.stdout.write(
        `  ${b.id} run ${i + 1}/${runs}: ${format(m.value)} ${m.unit} (wall ${m.wallMs.toFixed(0)} ms, cpu ${m.cpuMs.toFixed(0)} ms)\n`,
      );
    }
  } catch (e) {
    return {
      id: b.id,
      title: b.title,
      target: b.target,
      unit: b.target.unit,
      median: null,
      cpuMsMedian: null,
      wallMsMedian: null,
      medianPass: false,
      pass: false,
      runs: measurements,
      error: e instanceof Error ? (e.stack ?? e.message) : String(e),
    };
  }
  const value = median(measurements.map((m) => m.value));
  const also = Object.keys(measurements[0]?.also ?? {}).map((name) => {
    const first = measurements[0]!.also![name]!;
    const target = first.target ?? null;
    const unit = 'unit' in first ? first.unit : first.target.unit;
    const v = median(measurements.map((m) => m.also?.[name]?.value ?? Number.NaN));
    return { name, target, unit, median: v, pass: target === null || meets(v, target) };
  });
  return {
    also,
    id: b.id,
    title: b.title,
    target: b.target,
    unit: b.target.unit,
    median: value,
    cpuMsMedian: median(measurements.map((m) => m.cpuMs)),
    wallMsMedian: median(measurements.map((m) => m.wallMs)),
    medianPass: meets(value, b.target),
    pass: meets(value, b.target) && also.every((a) => a.pass),
    runs: measurements,
  };
}

function format(n: number): string {
  return n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toPrecision(3);
}

function table(rows: readonly string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  const line = (r: readonly string[]): string =>
    r
      .map((cell, c) => cell.padEnd(widths[c]!))
      .join('  ')
      .trimEnd();
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

/** Runs one benchmark in a child process (`--child ID`) and returns its result. */
function measureInChild(b: Benchmark, runs: number): Promise<Result> {
  return new Promise((resolve) => {
    const child = fork(fileURLToPath(import.meta.url), ['--child', b.id, '--runs', String(runs)], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let result: Result | undefined;
    child.once('message', (m: unknown) => (result = m as Result));
    const failed = (why: string): Result => ({
      id: b.id,
      title: b.title,
      target: b.target,
      unit: b.target.unit,
      median: null,
      cpuMsMedian: null,
      wallMsMedian: null,
      medianPass: false,
      pass: false,
      runs: [],
      error: why,
    });
    child.once('error', (e) => resolve(failed(e.message)));
    child.once('exit', (code, signal) => resolve(result ?? failed(`the benchmark's process exited (${signal ?? code}) without a result`)));
  });
}

async function main(): Promise<number> {
  const { only, runs, child } = parseArgs(process.argv.slice(2));
  if (child !== null) {
    const b = (await discover()).find((x) => x.id === child);
    if (!b) throw new UsageError(`no benchmark ${JSON.stringify(child)}`);
    const result = await measure(b, runs);
    // Exit once the result is sent: a memoised stub or a pooled socket must not keep this process alive.
    process.send?.(result, () => process.exit(0));
    return 0;
  }
  const all = await discover();
  const selected = only === null ? all.filter((b) => !b.onlyWhenNamed) : all.filter((b) => b.id === only);
  if (selected.length === 0)
    throw new UsageError(
      `no benchmark ${JSON.stringify(only)}; known: ${all.map((b) => b.id + (b.onlyWhenNamed ? ' (only when named)' : '')).join(', ')}`,
    );
  if (runs < MIN_RUNS && !selected.every((b) => b.onlyWhenNamed))
    throw new UsageError(`--runs takes a whole number of at least ${MIN_RUNS} (fewer only with --only of a long benchmark), got ${runs}`);
  const skipped = only === null ? all.filter((b) => b.onlyWhenNamed) : [];
  if (skipped.length > 0) process.stdout.write(`not run unless named with --only (long): ${skipped.map((b) => b.id).join(', ')}\n`);

  const machine = {
    cores: os.availableParallelism(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpu: os.cpus()[0]?.model ?? 'unknown',
  };
  process.stdout.write(`${machine.cores} cores (${machine.cpu}), Node ${machine.node}, ${machine.platform}; ${runs} runs each\n`);

  const results: Result[] = [];
  for (const b of selected) results.push(await measureInChild(b, runs));

  const rows = [['id', 'title', 'median', 'unit', 'target', 'result', 'runs', 'cpu ms (median)']];
  for (const r of results) {
    rows.push([
      r.id,
      r.title,
      r.median === null ? '-' : format(r.median),
      r.unit,
      `${r.target.op} ${format(r.target.value)}`,
      // Each row judges its own figure; the exit code and the summary under the table judge every figure.
      r.error ? 'ERROR' : r.medianPass ? 'pass' : 'FAIL',
      String(r.runs.length),
      r.cpuMsMedian === null ? '-' : r.cpuMsMedian.toFixed(0),
    ]);
    for (const a of r.also ?? [])
      rows.push([
        `${r.id} ${a.name}`,
        `the same runs: ${a.name}`,
        format(a.median),
        a.unit,
        a.target ? `${a.target.op} ${format(a.target.value)}` : '-',
        a.target === null ? 'info' : a.pass ? 'pass' : 'FAIL',
        String(r.runs.length),
        '',
      ]);
  }
  console.log(`\n${table(rows)}\n\ncores: ${machine.cores} (os.availableParallelism), node: ${machine.node}`);
  const missed = results.flatMap((r) =>
    r.error ? [] : [...(r.medianPass ? [] : [r.id]), ...(r.also ?? []).filter((a) => !a.pass).map((a) => `${r.id} ${a.name}`)],
  );
  const errors = results.filter((r) => r.error).map((r) => r.id);
  if (missed.length > 0) console.log(`missed their target: ${missed.join(', ')}`);
  if (errors.length > 0) console.log(`failed to run: ${errors.join(', ')}`);
  if (missed.length === 0 && errors.length === 0) console.log('every figure met its target');
  for (const r of results) if (r.error) console.error(`\n${r.id} failed:\n${r.error}`);

  await writeFile(
    join(BENCH_DIR, 'results.json'),
    `${JSON.stringify({ date: new Date().toISOString(), machine, runsPerBenchmark: runs, results }, null, 2)}\n`,
  );
  return results.every((r) => r.pass) ? 0 : 1;
}

main().then(
  (code) => (process.exitCode = code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exitCode = e instanceof UsageError ? 2 : 1;
  },
);
