/**
 * Incremental cost, time (the performance issue's benchmark 3, second figure): after 1 % of the users and
 * groups of a 10,000-user tenant changed, the incremental cycle's wall time as a share of the initial
 * cycle's (the initial cycle is run and timed once per process, in the set-up; `incremental-setup.ts`).
 */
import { details, incrementalSetup, runIncremental } from './incremental-setup.js';
import type { Benchmark, Measurement } from './types.js';

export const benchmark: Benchmark = {
  id: 'incremental-time',
  title: 'incremental cycle after 1 % changed: wall time / initial cycle wall time',
  target: { op: '<=', value: 0.05, unit: 'ratio' },
  async run(): Promise<Measurement> {
    const s = await incrementalSetup();
    const r = await runIncremental(s);
    return { value: r.wallMs / s.initialWallMs, unit: 'ratio', wallMs: r.wallMs, cpuMs: r.cpuMs, details: details(s, r) };
  },
};
