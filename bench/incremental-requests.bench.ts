/**
 * Incremental cost, requests (the performance issue's benchmark 3, first figure): after 1 % of the users
 * and groups of a 10,000-user tenant changed, the incremental cycle's request count divided by the ideal:
 * per changed object one GET plus its writes, plus the probe (`expectedRequests`). Set-up and the changes:
 * `incremental-setup.ts`.
 */
import { details, expectedRequests, incrementalSetup, runIncremental } from './incremental-setup.js';
import type { Benchmark, Measurement } from './types.js';

export const benchmark: Benchmark = {
  id: 'incremental-requests',
  title: 'incremental cycle after 1 % changed: requests / (one GET + the writes per changed object, + probe)',
  target: { op: '<=', value: 1.2, unit: 'ratio' },
  async run(): Promise<Measurement> {
    const s = await incrementalSetup();
    const r = await runIncremental(s);
    return { value: r.counter.total / expectedRequests(s), unit: 'ratio', wallMs: r.wallMs, cpuMs: r.cpuMs, details: details(s, r) };
  },
};
