/**
 * Scale (the performance issue's benchmark 2): an initial cycle of 100,000 users and 10,000 groups of 50
 * members against the SCIM stub (child process, fresh for each run), C = 8: wall time (target under 3
 * minutes) and the peak RSS of this process, sampled every 100 ms during the cycle (target under 600 MB;
 * the generated tenant, which the CLI would hold as well, is part of it).
 *
 * The full size takes far longer than the suite's 10-minute budget allows (a warm-up and 3 runs), so it
 * runs only with `PROVSIM_BENCH_SCALE=full`. By default this benchmark runs a twentieth of it (5,000 users,
 * 500 groups of 50) with a twentieth of the time target (9 s, the same per-object rate); the RSS figure
 * of the reduced run says little about the full one.
 */
import { cpuMsSince, defaultJob, RequestCounter, rssSampler, runEngineCycle, tempStore, tenantOf } from './engine-harness.js';
import { startStub } from './stub-server.js';
import type { Benchmark, Measurement } from './types.js';

const FULL = process.env['PROVSIM_BENCH_SCALE'] === 'full';
const DIVISOR = FULL ? 1 : 20;
const USERS = 100_000 / DIVISOR;
const GROUPS = 10_000 / DIVISOR;
const MEMBERS = 50;
const CONCURRENCY = 8;
const TARGET_S = 180 / DIVISOR;
const RSS_TARGET_MB = 600;
const MB = 1024 * 1024;

export const benchmark: Benchmark = {
  id: 'scale',
  title: `initial cycle ${USERS.toLocaleString('en-US')} users, ${GROUPS.toLocaleString('en-US')} groups x ${MEMBERS}${FULL ? '' : ' (1/20; PROVSIM_BENCH_SCALE=full for 100k)'}: wall time`,
  target: { op: '<=', value: TARGET_S, unit: 's' },
  async run(): Promise<Measurement> {
    const job = await defaultJob();
    const tenant = tenantOf(USERS, GROUPS, MEMBERS);
    const stub = await startStub();
    const { store, dispose } = tempStore();
    try {
      const counter = new RequestCounter();
      const rssBefore = process.memoryUsage().rss;
      const rss = rssSampler(100);
      const cpu = process.cpuUsage();
      const start = performance.now();
      let peak: number;
      try {
        await runEngineCycle({ tenant, job, baseUrl: stub.baseUrl, store, concurrency: CONCURRENCY, counter });
      } finally {
        peak = rss.stop();
      }
      const wallMs = performance.now() - start;
      const cpuMs = cpuMsSince(cpu);
      return {
        value: wallMs / 1000,
        unit: 's',
        wallMs,
        cpuMs,
        details: {
          size: FULL ? 'full' : '1/20',
          users: USERS,
          groups: GROUPS,
          membersPerGroup: MEMBERS,
          peakRssMb: Math.round(peak / MB),
          rssBeforeMb: Math.round(rssBefore / MB),
          rssTargetMb: RSS_TARGET_MB,
          rssTargetMet: peak / MB < RSS_TARGET_MB ? 'yes' : 'no',
          requests: counter.total,
          requestsPerSecond: Math.round(counter.total / (wallMs / 1000)),
          ...Object.fromEntries(Object.entries(counter.byMethod).map(([m, n]) => [`requests ${m}`, n])),
        },
      };
    } finally {
      dispose();
      await stub.stop();
    }
  },
};
