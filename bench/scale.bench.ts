/**
 * Scale (the performance issue's benchmark 2): an initial cycle of 100,000 users and 10,000 groups of 50
 * members against the SCIM stub, C = 8, as the CLI runs it (batches of 2,000, the heap guard). Each run is
 * a fresh child process (`scale-child.ts`) that generates the tenant, starts its stub and runs the cycle:
 * - wall time of the cycle: target under 3 minutes;
 * - peak RSS of that process up to the end of the cycle (the kernel's high-water mark, and samples every
 *   100 ms from before the tenant is generated): target under 600 MB (the tenant, which the CLI would hold
 *   as well, is part of it).
 *
 * No warm-up run: a run takes about a minute and a half, long enough that JIT warm-up is noise, and the
 * suite's 10-minute budget has no room for a fourth. `PROVSIM_BENCH_SCALE=small` runs a twentieth of the
 * size (5,000 users, 500 groups) with a twentieth of the time target, for a quick check.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ScaleFigures } from './scale-child.js';
import type { Benchmark, Measurement } from './types.js';

const SMALL = process.env['PROVSIM_BENCH_SCALE'] === 'small';
const DIVISOR = SMALL ? 20 : 1;
const USERS = 100_000 / DIVISOR;
const GROUPS = 10_000 / DIVISOR;
const MEMBERS = 50;
const CONCURRENCY = 8;
const TARGET_S = 180 / DIVISOR;
const RSS_TARGET_MB = 600;
const MB = 1024 * 1024;
const CHILD = fileURLToPath(new URL('./scale-child.ts', import.meta.url));

export const benchmark: Benchmark = {
  id: 'scale',
  title: `initial cycle ${USERS.toLocaleString('en-US')} users, ${GROUPS.toLocaleString('en-US')} groups x ${MEMBERS}${SMALL ? ' (1/20: PROVSIM_BENCH_SCALE=small)' : ''}: wall time`,
  target: { op: '<=', value: TARGET_S, unit: 's' },
  warmUp: false,
  async run(): Promise<Measurement> {
    const f = await runChild();
    const peakMb = f.peakRssBytes / MB;
    return {
      value: f.wallMs / 1000,
      unit: 's',
      wallMs: f.wallMs,
      cpuMs: f.cpuMs,
      also: { 'peak RSS': { value: Math.round(peakMb), target: { op: '<=', value: RSS_TARGET_MB, unit: 'MB' } } },
      details: {
        size: SMALL ? '1/20' : 'full',
        users: USERS,
        groups: GROUPS,
        membersPerGroup: MEMBERS,
        peakRssMb: Math.round(peakMb),
        rssBeforeCycleMb: Math.round(f.rssBeforeBytes / MB),
        requests: f.requests,
        requestsPerSecond: Math.round(f.requests / (f.wallMs / 1000)),
        ...Object.fromEntries(Object.entries(f.byMethod).map(([m, n]) => [`requests ${m}`, n])),
      },
    };
  },
};

function runChild(): Promise<ScaleFigures> {
  return new Promise((resolve, reject) => {
    const child = fork(CHILD, [USERS, GROUPS, MEMBERS, CONCURRENCY].map(String), {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let figures: ScaleFigures | undefined;
    child.once('message', (m: unknown) => (figures = m as ScaleFigures));
    child.once('error', reject);
    child.once('exit', (code) =>
      figures && code === 0
        ? resolve(figures)
        : reject(new Error(`the scale run exited with ${code} ${figures ? '' : 'before reporting its figures'}`)),
    );
  });
}
