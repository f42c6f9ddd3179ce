/**
 * Shared set-up for the benchmarks that drive whole cycles against the SCIM stub (`stub-server.ts`, in a
 * child process): the engine built by `openProvisioner` as the CLI builds it, Entra's default mapping,
 * generated tenants (memoised by size), a temporary state file, and a request counter fed by `onRequest`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CycleResult } from '../src/engine/cycle-result.js';
import { openProvisioner, type Provisioner, type ProvisionerConfig } from '../src/engine/open.js';
import { GROUP_SOURCE_ATTRIBUTES, USER_SOURCE_ATTRIBUTES, parseJob } from '../src/mapping-file/index.js';
import { compileJob, type CompiledJob } from '../src/mapping/compile.js';
import type { RequestEvent } from '../src/scim/client.js';
import { createHttpClient } from '../src/scim/http.js';
import { ManualClock } from '../src/shared/clock.js';
import { heapGuard } from '../src/shared/heap-guard.js';
import { guardedHooks } from '../src/cli/guarded-hooks.js';
import { formatDiagnostic, hasErrors } from '../src/shared/diagnostics.js';
import { seededRandom, type Random } from '../src/shared/random.js';
import { generateTenant } from '../src/source/generate/generate-tenant.js';
import type { Tenant } from '../src/model/directory.js';
import { StateStore } from '../src/store/store.js';

const MAPPING = 'mappings/customappsso.yaml';
export const SEED = 2026;

let compiled: Promise<CompiledJob> | undefined;

/** Entra's default mapping, parsed and compiled once per process. */
export function defaultJob(): Promise<CompiledJob> {
  return (compiled ??= (async () => {
    const text = await readFile(new URL(`../${MAPPING}`, import.meta.url), 'utf8');
    const parsed = parseJob({ file: MAPPING, text });
    if (!parsed.job) throw new Error(`${MAPPING} does not load:\n${parsed.diagnostics.map(formatDiagnostic).join('\n')}`);
    const result = compileJob(parsed.job, { users: USER_SOURCE_ATTRIBUTES, groups: GROUP_SOURCE_ATTRIBUTES });
    if (!result.compiled || hasErrors(result.diagnostics))
      throw new Error(`${MAPPING} does not compile:\n${result.diagnostics.map(formatDiagnostic).join('\n')}`);
    return result.compiled;
  })());
}

const tenants = new Map<string, Tenant>();

/** A generated tenant (seed 2026), memoised by size. Callers that change it must work on a copy. */
export function tenantOf(users: number, groups: number, membersPerGroup: number): Tenant {
  const key = `${users}/${groups}/${membersPerGroup}`;
  let t = tenants.get(key);
  if (!t) tenants.set(key, (t = generateTenant({ users, groups, membersPerGroup, seed: SEED })));
  return t;
}

/** Counts requests by method (and by method + resource), keeping the first `keep` events of each kind. */
export class RequestCounter {
  total = 0;
  readonly byMethod: Record<string, number> = {};
  readonly byKind = new Map<string, { count: number; samples: RequestEvent[] }>();
  failures = 0;

  constructor(readonly keep = 0) {}

  readonly onRequest = (e: RequestEvent): void => {
    this.total++;
    this.byMethod[e.method] = (this.byMethod[e.method] ?? 0) + 1;
    if (e.status === null || e.status >= 400) this.failures++;
    const kind = requestKind(e);
    let k = this.byKind.get(kind);
    if (!k) this.byKind.set(kind, (k = { count: 0, samples: [] }));
    k.count++;
    if (k.samples.length < this.keep) k.samples.push(e);
  };

  /** `GET 10500, POST 10500, …` */
  summary(): string {
    return Object.entries(this.byMethod)
      .map(([m, n]) => `${m} ${n}`)
      .join(', ');
  }
}

/** `GET filter Users`, `GET id Groups`, `POST Users`, `PATCH Groups`… */
export function requestKind(e: { method: string; url: string }): string {
  const resource = /\/(Users|Groups)\b/.exec(e.url)?.[1] ?? '?';
  if (e.method === 'GET') return `GET ${e.url.includes('filter=') ? 'filter' : 'id'} ${resource}`;
  return `${e.method} ${resource}`;
}

/** A state file in a fresh temporary directory; `dispose()` removes the directory. */
export function tempState(): { file: string; dispose(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'provsim-bench-'));
  return { file: join(dir, 'state.db'), dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface EngineSetup {
  tenant: Tenant;
  job: CompiledJob;
  baseUrl: string;
  /** The state file. */
  state: string;
  concurrency: number;
  counter: RequestCounter;
  clock?: ManualClock;
  random?: Random;
  /** Engine settings beyond the defaults (batch size, members per PATCH…). */
  config?: Pick<ProvisionerConfig, 'batchSize' | 'membersPerPatch' | 'dialect'>;
  /** Opens the state store (state-share times it through a subclass). */
  openStore?: (file: string) => StateStore;
}

export interface BenchEngine {
  provisioner: Provisioner;
  /** One cycle, with the heap guard as the CLI runs it (cli/guarded-hooks.ts). Throws unless it succeeded and every request got a 2xx. */
  cycle(): Promise<CycleResult>;
  close(): Promise<void>;
}

/**
 * The engine as the CLI builds it (openProvisioner: `createQueue({concurrency})`, `createHttpClient({maxSockets:
 * concurrency})`). Opening and closing the state file stay outside what a benchmark times around `cycle()`.
 */
export async function openEngine(s: EngineSetup): Promise<BenchEngine> {
  const clock = s.clock ?? new ManualClock('2026-05-01T08:00:00Z');
  const provisioner = await openProvisioner(
    {
      fixtures: s.tenant,
      mapping: s.job,
      target: s.baseUrl,
      token: 'bench-token',
      state: s.state,
      concurrency: s.concurrency,
      ...s.config,
    },
    { clock, random: s.random ?? seededRandom(7), onRequest: s.counter.onRequest, ...(s.openStore ? { openStore: s.openStore } : {}) },
  );
  // One guard for the engine's cycles, as `provsim watch` keeps one for its process's.
  const guard = heapGuard();
  return {
    provisioner,
    async cycle() {
      const result = await provisioner.sync({ hooks: guardedHooks(guard) });
      if (result.status !== 'succeeded')
        throw new Error(
          `the ${result.kind} cycle ended ${result.status}: ${JSON.stringify(result.counts)}${result.jobFailure ? ` (${result.jobFailure.message})` : ''}`,
        );
      if (s.counter.failures > 0) throw new Error(`${s.counter.failures} requests failed`);
      return result;
    },
    close: () => provisioner.close(),
  };
}

/** CPU time (user + system, ms) since `since`. */
export function cpuMsSince(since: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(since);
  return (user + system) / 1000;
}

/**
 * Samples `process.memoryUsage().rss` every `everyMs`; `stop()` returns the peak in bytes: the highest sample
 * or the kernel's high-water mark of the process (`maxRSS`), whichever is higher. The samples cannot run
 * while the engine computes without yielding (a large tenant's evaluation), the high-water mark sees those
 * peaks too; it counts from the process's start, so a process that measures this way does nothing heavier
 * before it starts the sampler.
 */
export function rssSampler(everyMs = 100): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    const rss = process.memoryUsage().rss;
    if (rss > peak) peak = rss;
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);
    },
  };
}
