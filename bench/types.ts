/**
 * The benchmark contract. A benchmark is a module `bench/<name>.bench.ts` exporting `benchmark`; the runner
 * (`run.ts`) calls `run()` several times and compares the median `value` with `target`. Setup that should
 * not be timed (generating data, compiling) belongs outside the timed section of `run()`, and is best done
 * once per process (memoised), since `run()` is called repeatedly.
 */
export interface Target {
  /** `>=`: higher is better (throughput); `<=`: lower is better (latency, memory). */
  op: '>=' | '<=';
  value: number;
  unit: string;
}

export interface Measurement {
  /** The figure compared with the target, in the target's unit. */
  value: number;
  unit: string;
  /** Wall-clock time of the timed section. */
  wallMs: number;
  /** CPU time (user + system, all threads of the process, GC helpers included) during the timed section. */
  cpuMs: number;
  /** Further figures of the same run with targets of their own (reported as `<id> <name>` rows). */
  also?: Record<string, { value: number; target: Target }>;
  /** Anything else worth keeping in results.json (counts that show the run did what it claims, stage timings). */
  details?: Record<string, number | string>;
}

export interface Benchmark {
  /** Short, stable, kebab-case; what `--only` takes. */
  id: string;
  title: string;
  target: Target;
  /** One uncounted run first (JIT, memoised setup). @default true */
  warmUp?: boolean;
  run(): Promise<Measurement>;
}
