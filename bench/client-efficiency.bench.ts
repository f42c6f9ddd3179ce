/**
 * Client efficiency (the performance issue's benchmark 1): the engine's request rate during an initial
 * cycle, divided by the rate a raw load generator (autocannon) reaches on the same stub, with the same
 * request mix and concurrency, in the same run.
 *
 * Per run: a fresh SCIM stub in a child process; an initial cycle of a generated tenant (10,000 users, 500
 * groups of 50) through `runCycle` with `createQueue({concurrency: C})` and `createHttpClient({maxSockets:
 * C})`, C = 8 (the CLI's default), counting requests by the ScimClient's `onRequest` hook (timed: the whole
 * `runCycle`, so planning and state writes count against the engine, as they do in a real cycle). Then
 * autocannon for 3 s against the same stub with C connections, cycling through a sequence of the engine's
 * own requests (URLs and bodies taken from the cycle) in the cycle's proportions by kind. Filter GETs get
 * a value that matches nothing, as the initial cycle's did (the cycle has created those objects since).
 */
import autocannon from 'autocannon';
import type { RequestEvent } from '../src/scim/client.js';
import { cpuMsSince, defaultJob, openEngine, RequestCounter, tempState, tenantOf, type BenchEngine } from './engine-harness.js';
import { startStub } from './stub-server.js';
import type { Benchmark, Measurement } from './types.js';

const USERS = 10_000;
const GROUPS = 500;
const MEMBERS = 50;
const CONCURRENCY = 8;
const AUTOCANNON_SECONDS = 3;
/** Length of the request sequence autocannon cycles through. */
const SEQUENCE = 400;

export const benchmark: Benchmark = {
  id: 'client-efficiency',
  title: `engine rps / autocannon rps, initial cycle 10k users, C=${CONCURRENCY}`,
  target: { op: '>=', value: 0.5, unit: 'ratio' },
  async run(): Promise<Measurement> {
    const job = await defaultJob();
    const tenant = tenantOf(USERS, GROUPS, MEMBERS);
    const stub = await startStub();
    const { file, dispose } = tempState();
    let engine: BenchEngine | undefined;
    try {
      const counter = new RequestCounter(SEQUENCE);
      engine = await openEngine({ tenant, job, baseUrl: stub.baseUrl, state: file, concurrency: CONCURRENCY, counter });
      const cpu = process.cpuUsage();
      const start = performance.now();
      await engine.cycle();
      const wallMs = performance.now() - start;
      const cpuMs = cpuMsSince(cpu);
      const engineRps = counter.total / (wallMs / 1000);

      const requests = requestMix(counter, stub.origin);
      const result = await autocannon({
        url: stub.origin,
        connections: CONCURRENCY,
        pipelining: 1,
        duration: AUTOCANNON_SECONDS,
        requests,
      });
      if (result.errors > 0 || result.timeouts > 0 || result.non2xx > 0)
        throw new Error(`autocannon: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx answers`);
      const ceilingRps = result.requests.total / result.duration;

      return {
        value: engineRps / ceilingRps,
        unit: 'ratio',
        wallMs,
        cpuMs,
        details: {
          concurrency: CONCURRENCY,
          engineRps: Math.round(engineRps),
          autocannonRps: Math.round(ceilingRps),
          engineRequests: counter.total,
          ...Object.fromEntries([...counter.byKind].map(([k, v]) => [`requests ${k}`, v.count])),
          autocannonRequests: result.requests.total,
          autocannonSeconds: result.duration,
          autocannonLatencyP50Ms: result.latency.p50,
          autocannonSequence: requests.length,
        },
      };
    } finally {
      await engine?.close();
      dispose();
      await stub.stop();
    }
  },
};

type AutocannonRequest = NonNullable<autocannon.Options['requests']>[number];

/**
 * About SEQUENCE requests, each kind (`GET filter Users`, `POST Groups`…) in the cycle's proportion (at least
 * one of each), spread evenly through the sequence; each one a real request of the cycle.
 */
function requestMix(counter: RequestCounter, origin: string): AutocannonRequest[] {
  const slots: Array<{ at: number; request: AutocannonRequest }> = [];
  for (const { count, samples } of counter.byKind.values()) {
    const n = Math.max(1, Math.round((count / counter.total) * SEQUENCE));
    for (let i = 0; i < n; i++) {
      const e = samples[i % samples.length]!;
      slots.push({ at: (i + 0.5) / n, request: toRequest(e, origin) });
    }
  }
  return slots.sort((a, b) => a.at - b.at).map((s) => s.request);
}

function toRequest(e: RequestEvent, origin: string): AutocannonRequest {
  let path = e.url.slice(origin.length);
  // A filter GET of the initial cycle found nothing: keep it that way although the object exists now.
  if (e.method === 'GET' && path.includes('filter=')) path = path.replace(/%22$/, '.none%22');
  const headers: Record<string, string> = { authorization: 'Bearer bench-token', accept: 'application/json, text/plain, */*' };
  if (e.body === undefined) return { method: e.method as AutocannonRequest['method'], path, headers };
  headers['content-type'] = 'application/scim+json';
  return { method: e.method as AutocannonRequest['method'], path, headers, body: JSON.stringify(e.body) };
}
