/**
 * The scale benchmark's cycle, in a process of its own (forked by `scale.bench.ts`), so that its peak RSS
 * is the engine's alone, not the benchmark runner's with other benchmarks' memoised tenants. Generates
 * the tenant, starts the stub, runs one initial cycle as the CLI would (batches, heap guard), and sends
 * the figures to the parent over IPC; run on its own (no IPC channel), it prints them as JSON, so other
 * sizes can be measured by hand:
 *
 *   node --import tsx bench/scale-child.ts USERS GROUPS MEMBERS CONCURRENCY
 */
import { cpuMsSince, defaultJob, openEngine, RequestCounter, rssSampler, tempState, tenantOf } from './engine-harness.js';
import { startStub } from './stub-server.js';

export interface ScaleFigures {
  wallMs: number;
  cpuMs: number;
  peakRssBytes: number;
  rssBeforeBytes: number;
  requests: number;
  byMethod: Record<string, number>;
}

const [users, groups, members, concurrency] = process.argv.slice(2).map(Number);
if (![users, groups, members, concurrency].every((n) => Number.isInteger(n) && n! >= 0))
  throw new Error('usage: scale-child.ts USERS GROUPS MEMBERS CONCURRENCY');

const rss = rssSampler(100);
const job = await defaultJob();
const tenant = tenantOf(users!, groups!, members!);
const stub = await startStub();
const { file, dispose } = tempState();
const counter = new RequestCounter();
const engine = await openEngine({ tenant, job, baseUrl: stub.baseUrl, state: file, concurrency: concurrency!, counter });
try {
  const rssBefore = process.memoryUsage().rss;
  const cpu = process.cpuUsage();
  const start = performance.now();
  await engine.cycle();
  const wallMs = performance.now() - start;
  const figures: ScaleFigures = {
    wallMs,
    cpuMs: cpuMsSince(cpu),
    peakRssBytes: rss.stop(),
    rssBeforeBytes: rssBefore,
    requests: counter.total,
    byMethod: counter.byMethod,
  };
  if (process.send) process.send(figures);
  else process.stdout.write(`${JSON.stringify(figures)}\n`);
} finally {
  await engine.close();
  dispose();
  await stub.stop();
}
