/**
 * State cost (the performance issue's benchmark 5): the share of an initial cycle's wall time spent inside
 * StateStore methods (SQLite reads and writes of anchors, watermarks, memberships, escrows, the log and the
 * cycle record). The store is a subclass whose every method is timed (see TimedStateStore). The cycle: 10,000 users and 500 groups of
 * 50, C = 8, against the SCIM stub (child process, emptied before each run), state in a fresh temp file.
 */
import { StateStore } from '../src/store/store.js';
import { cpuMsSince, defaultJob, openEngine, RequestCounter, tempState, tenantOf, type BenchEngine } from './engine-harness.js';
import { startStub, type Stub } from './stub-server.js';
import type { Benchmark, Measurement } from './types.js';

const USERS = 10_000;
const GROUPS = 500;
const MEMBERS = 50;
const CONCURRENCY = 8;

/**
 * A StateStore that adds up the wall time of its method calls. A call made inside another timed call (a
 * method that uses another) is not counted again. `transaction(fn)` counts only its own cost (BEGIN,
 * COMMIT): the engine's code inside `fn` is not state work, and the store calls it makes are timed one by
 * one.
 */
class TimedStateStore extends StateStore {
  totalMs = 0;
  readonly byMethod = new Map<string, { calls: number; ms: number }>();
  depth = 0;

  reset(): void {
    this.totalMs = 0;
    this.byMethod.clear();
  }

  add(name: string, ms: number): void {
    this.totalMs += ms;
    const m = this.byMethod.get(name) ?? { calls: 0, ms: 0 };
    m.calls++;
    m.ms += ms;
    this.byMethod.set(name, m);
  }
}

for (const name of Object.getOwnPropertyNames(StateStore.prototype)) {
  const descriptor = Object.getOwnPropertyDescriptor(StateStore.prototype, name);
  if (name === 'constructor' || name === 'close' || typeof descriptor?.value !== 'function') continue;
  const original = descriptor.value as (this: StateStore, ...args: unknown[]) => unknown;
  const value =
    name === 'transaction'
      ? function (this: TimedStateStore, fn: () => unknown): unknown {
          // Calls the StateStore constructor makes (opening, marking abandoned cycles) come before this
          // subclass's fields exist, and before the cycle the benchmark times: not counted.
          if (this.byMethod === undefined || this.depth > 0) return original.call(this, fn);
          let inner = 0;
          const timedFn = (): unknown => {
            const s = performance.now();
            try {
              return fn();
            } finally {
              inner += performance.now() - s;
            }
          };
          const start = performance.now();
          try {
            return original.call(this, timedFn);
          } finally {
            this.add(name, performance.now() - start - inner);
          }
        }
      : function (this: TimedStateStore, ...args: unknown[]): unknown {
          if (this.byMethod === undefined || this.depth > 0) return original.apply(this, args);
          this.depth++;
          const start = performance.now();
          try {
            return original.apply(this, args);
          } finally {
            this.depth--;
            this.add(name, performance.now() - start);
          }
        };
  Object.defineProperty(TimedStateStore.prototype, name, { ...descriptor, value });
}

let stub: Promise<Stub> | undefined;

export const benchmark: Benchmark = {
  id: 'state-share',
  title: 'share of a 10k-user initial cycle spent in StateStore',
  target: { op: '<=', value: 10, unit: '%' },
  async run(): Promise<Measurement> {
    const job = await defaultJob();
    const tenant = tenantOf(USERS, GROUPS, MEMBERS);
    const s = await (stub ??= startStub());
    await s.reset();
    const { file, dispose } = tempState();
    let engine: BenchEngine | undefined;
    try {
      const counter = new RequestCounter();
      let timed: TimedStateStore | undefined;
      engine = await openEngine({
        tenant,
        job,
        baseUrl: s.baseUrl,
        state: file,
        concurrency: CONCURRENCY,
        counter,
        openStore: (f) => (timed = new TimedStateStore(f)),
      });
      const store = timed!;
      // Only the cycle's own store calls count (opening the file is not part of a cycle).
      store.reset();
      const cpu = process.cpuUsage();
      const start = performance.now();
      await engine.cycle();
      const wallMs = performance.now() - start;
      const cpuMs = cpuMsSince(cpu);
      const top = [...store.byMethod].sort((a, b) => b[1].ms - a[1].ms);
      return {
        value: (store.totalMs / wallMs) * 100,
        unit: '%',
        wallMs,
        cpuMs,
        details: {
          stateMs: Math.round(store.totalMs),
          requests: counter.total,
          ...Object.fromEntries(top.map(([name, m]) => [`${name} (calls, ms)`, `${m.calls}, ${m.ms.toFixed(1)}`])),
        },
      };
    } finally {
      await engine?.close();
      dispose();
    }
  },
};
