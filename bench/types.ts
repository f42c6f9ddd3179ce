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
  /**
   * Further figures of the same run (reported as `<id> <name>` rows): with a target of their own, which the
   * benchmark must also meet, or informational (a unit and no target: shown as `info`, never failing).
   */
  also?: Record<string, { value: number; target: Target } | { value: number; unit: string; target?: undefined }>;
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
  /**
   * A long benchmark (minutes a run): left out of the default suite, run only when named (`--only ID`), and
   * then `--runs` may go below 3 (down to 1). @default false
   */
  onlyWhenNamed?: boolean;
  run(): Promise<Measurement>;
}
