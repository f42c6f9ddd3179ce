/**
 * Client efficiency (the performance issue's benchmark 1): the engine's request rate during an initial
 * cycle, divided by the rate a bare axios client reaches replaying the same requests at the same
 * concurrency, through the same adapter, in the same run. Target ≥ 0.8.
 *
 * Per run, against the SCIM stub (a child process, started once per process and warmed up by the
 * uncounted first run, so that no measurement pays for the stub's JIT compilation; a fresh stub per run
 * made the first measurement of every run 15–35 % slower), emptied (`/__reset`) before each measurement:
 *
 * 1. bare axios (not in the first run, which has no request sequence yet);
 * 2. the engine: an initial cycle of a generated tenant (10,000 users, 500 groups of 50) through `runCycle`
 *    with `createQueue({concurrency: C})` and `createHttpClient({maxSockets: C})`, C = 8 (the CLI's default),
 *    counting requests by the ScimClient's `onRequest` hook; timed over the whole cycle, so planning, the
 *    log and the state writes count against the engine, as they do in a real cycle;
 * 3. bare axios again, once the engine's state file is closed. Its figure is the mean of 1 and 3: measured
 *    just before and just after the engine, so a machine that gets busier or quieter during the run, and
 *    the JIT, weigh on both sides alike. Each of the three starts after a full garbage collection, so none
 *    collects another's garbage on its clock;
 * 4. autocannon (informational, no target: `vs autocannon`), 3 s with C connections, cycling through about
 *    400 of the cycle's requests, each kind in the cycle's proportion and spread evenly.
 *
 * Bare axios is `axios.create({ adapter })` with nothing else: the library's defaults (so it parses JSON
 * answers, as the engine does), no interceptors, no timeout and no response bound (axios's defaults: the
 * engine's whole-request deadline and 16 MiB cap are costs it must carry itself), no redaction, no queue,
 * no log; the adapter is provsim's undici adapter over the same dispatcher settings as createHttpClient
 * (`createUndiciAgent`: C connections, no pipelining). C workers each await one request at a time, in
 * turn taking the next request of the sequence: every request of the first run's cycle, in the order the
 * cycle finished them (the same URLs, methods, bodies and Content-Type; `Authorization: Bearer` the same
 * token). The engine's requests are deterministic in number and kind (a seeded tenant and random source,
 * a manual clock); only the ids the stub hands out follow the order its POSTs arrive in.
 *
 * Why the stub answers the replay as it answered the cycle: it is empty before each replay, as before the
 * cycle, and the cycle reads each object (filter GET) before it creates it, so every filter GET finds
 * nothing (a 200 with an empty ListResponse), every POST creates (201) and every PATCH finds its object
 * (204). A request addressed to an object the cycle created (a PATCH) goes to the id this replay's POST
 * of that object got: the worker takes it from that POST's answer, waiting for it if it is still in flight,
 * as the engine only patches what it has created. Ids inside PATCH bodies (a manager, group members) stay
 * the cycle's: the stub stores them without resolving them. Any answer other than a 2xx fails the run.
 *
 * autocannon runs after the second replay, on the objects it left, so its PATCHes address that replay's
 * ids; its filter GETs ask for a value that matches nothing, as the cycle's did.
 */
import autocannon from 'autocannon';
import axios, { type AxiosInstance } from 'axios';
import type { RequestEvent } from '../src/scim/client.js';
import { createUndiciAgent } from '../src/scim/http.js';
import { undiciAdapter } from '../src/scim/undici-adapter.js';
import {
  cpuMsSince,
  defaultJob,
  openEngine,
  RequestCounter,
  requestKind,
  tempState,
  tenantOf,
  type BenchEngine,
} from './engine-harness.js';
import { startStub, type Stub } from './stub-server.js';
import type { Benchmark, Measurement } from './types.js';
import { exposeGc } from '../src/shared/heap-guard.js';

const USERS = 10_000;
const GROUPS = 500;
const MEMBERS = 50;
const CONCURRENCY = 8;
/** The harness's token (openEngine). */
const TOKEN = 'bench-token';
const AUTOCANNON_SECONDS = 3;
/** Length of the request sequence autocannon cycles through. */
const SEQUENCE = 400;

/** One request of the cycle, as the replay sends it. */
interface Recorded {
  method: string;
  /** Path and query, from the origin on. */
  path: string;
  headers: Record<string, string>;
  body: unknown;
  /** A POST: the id the stub gave the object in the cycle. */
  created?: string;
  /** A request to `/Users/{id}` or `/Groups/{id}`: the path around the cycle's id. */
  target?: { before: string; id: string; after: string };
}

/** Every request of the first run's cycle, in the order the cycle finished them. */
let sequence: Recorded[] | undefined;
/** The stub, for every run of this process (it exits with the process). */
let stubbed: Promise<Stub> | undefined;

export const benchmark: Benchmark = {
  id: 'client-efficiency',
  title: `engine rps / bare axios rps, initial cycle 10k users, C=${CONCURRENCY}`,
  target: { op: '>=', value: 0.8, unit: 'ratio' },
  async run(): Promise<Measurement> {
    const job = await defaultJob();
    const tenant = tenantOf(USERS, GROUPS, MEMBERS);
    const stub = await (stubbed ??= startStub());
    const { file, dispose } = tempState();
    let engine: BenchEngine | undefined;
    try {
      await stub.reset();
      collectGarbage();
      const before = sequence ? await replay(sequence, stub.origin) : null;

      await stub.reset();
      const counter = sequence ? new RequestCounter() : new RecordingCounter(stub.origin);
      engine = await openEngine({ tenant, job, baseUrl: stub.baseUrl, state: file, concurrency: CONCURRENCY, counter });
      collectGarbage();
      const cpu = process.cpuUsage();
      const start = performance.now();
      await engine.cycle();
      const wallMs = performance.now() - start;
      const cpuMs = cpuMsSince(cpu);
      const engineRps = counter.total / (wallMs / 1000);
      if (counter instanceof RecordingCounter) sequence = counter.recorded;
      const replayed = sequence!;
      if (counter.total !== replayed.length)
        throw new Error(`the cycle sent ${counter.total} requests, the recorded sequence has ${replayed.length}`);

      // The engine's state file is closed (its checkpoint thread stopped) and its garbage collected before
      // bare axios runs again, so neither weighs on the replay.
      await engine.close();
      engine = undefined;
      await stub.reset();
      collectGarbage();
      const after = await replay(replayed, stub.origin);
      const bareRps = before ? (before.rps + after.rps) / 2 : after.rps;

      const requests = requestMix(replayed, after.ids);
      const result = await autocannon({
        url: stub.origin,
        connections: CONCURRENCY,
        pipelining: 1,
        duration: AUTOCANNON_SECONDS,
        requests,
      });
      if (result.errors > 0 || result.timeouts > 0 || result.non2xx > 0)
        throw new Error(`autocannon: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx answers`);
      const autocannonRps = result.requests.total / result.duration;

      return {
        value: engineRps / bareRps,
        unit: 'ratio',
        wallMs,
        cpuMs,
        also: { 'vs autocannon': { value: engineRps / autocannonRps, unit: 'ratio' } },
        details: {
          concurrency: CONCURRENCY,
          engineRps: Math.round(engineRps),
          bareAxiosRps: Math.round(bareRps),
          bareAxiosRpsBefore: before ? Math.round(before.rps) : '-',
          bareAxiosRpsAfter: Math.round(after.rps),
          bareAxiosWallMsAfter: Math.round(after.wallMs),
          bareAxiosCpuMsAfter: Math.round(after.cpuMs),
          autocannonRps: Math.round(autocannonRps),
          ratioVsAutocannon: engineRps / autocannonRps,
          engineRequests: counter.total,
          ...Object.fromEntries(kindCounts(replayed)),
          autocannonRequests: result.requests.total,
          autocannonSeconds: result.duration,
          autocannonLatencyP50Ms: result.latency.p50,
          autocannonSequence: requests.length,
        },
      };
    } finally {
      await engine?.close();
      dispose();
    }
  },
};

/** A full GC if V8 lets us expose it at run time (as run.ts does between runs); otherwise nothing. */
const collectGarbage: () => void = exposeGc() ?? ((): void => {});

/** A RequestCounter that also keeps every request of the cycle, as the replay sends it. */
class RecordingCounter extends RequestCounter {
  readonly recorded: Recorded[] = [];

  constructor(origin: string) {
    super();
    const count = this.onRequest;
    // The harness reads `onRequest` once, when it opens the engine: count, then keep.
    (this as { onRequest: (e: RequestEvent) => void }).onRequest = (e) => {
      count(e);
      this.recorded.push(recordedOf(e, origin));
    };
  }
}

const AUTHORIZATION = `Bearer ${TOKEN}`;
const WITHOUT_BODY: Record<string, string> = { Authorization: AUTHORIZATION };
const withBody = new Map<string, Record<string, string>>();

function recordedOf(e: RequestEvent, origin: string): Recorded {
  if (!e.url.startsWith(origin)) throw new Error(`a request of the cycle went to ${e.url}, not to the stub ${origin}`);
  const path = e.url.slice(origin.length);
  let headers = WITHOUT_BODY;
  if (e.body !== undefined) {
    const type = e.requestHeaders['Content-Type'] ?? 'application/scim+json';
    headers = withBody.get(type) ?? withBody.set(type, { Authorization: AUTHORIZATION, 'Content-Type': type }).get(type)!;
  }
  const r: Recorded = { method: e.method, path, headers, body: e.body };
  if (e.method === 'POST') r.created = idOf(e.responseBody ?? '');
  const m = /^(.*\/(?:Users|Groups)\/)([^/?]+)(.*)$/.exec(path);
  if (m) r.target = { before: m[1]!, id: m[2]!, after: m[3]! };
  return r;
}

/** The `id` of a created resource, from its JSON text or from the object axios parsed it into. */
function idOf(data: unknown): string {
  const body = (typeof data === 'string' ? JSON.parse(data) : data) as { id?: unknown } | null;
  if (typeof body?.id !== 'string') throw new Error(`a POST's answer has no id: ${JSON.stringify(data)?.slice(0, 200)}`);
  return body.id;
}

/**
 * The sequence through a bare axios client (see the header), C requests in flight. Returns its rate and
 * the ids its POSTs got, by the cycle's ids.
 */
async function replay(
  seq: readonly Recorded[],
  origin: string,
): Promise<{ rps: number; wallMs: number; cpuMs: number; ids: Map<string, string> }> {
  const agent = createUndiciAgent({ maxSockets: CONCURRENCY });
  const http: AxiosInstance = axios.create({ adapter: undiciAdapter(agent) });
  const ids = new Map<string, string>();
  const pending = new Map<string, Promise<string>>();
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < seq.length; i = next++) {
      const r = seq[i]!;
      let url = origin + r.path;
      if (r.target) {
        const id = ids.get(r.target.id) ?? (await pending.get(r.target.id)) ?? r.target.id;
        url = origin + r.target.before + id + r.target.after;
      }
      const request = http.request({ method: r.method, url, headers: r.headers, data: r.body });
      const created = r.created;
      if (created === undefined) {
        await request;
        continue;
      }
      const id = request.then((res) => {
        const got = idOf(res.data);
        ids.set(created, got);
        return got;
      });
      pending.set(created, id);
      await id;
    }
  };
  try {
    const cpu = process.cpuUsage();
    const start = performance.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const wallMs = performance.now() - start;
    return { rps: seq.length / (wallMs / 1000), wallMs, cpuMs: cpuMsSince(cpu), ids };
  } finally {
    await agent.destroy();
  }
}

function kindCounts(seq: readonly Recorded[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of seq) {
    const k = `requests ${requestKind({ method: r.method, url: r.path })}`;
    out.set(k, (out.get(k) ?? 0) + 1);
  }
  return out;
}

type AutocannonRequest = NonNullable<autocannon.Options['requests']>[number];

/**
 * About SEQUENCE requests of the cycle, each kind (`GET filter Users`, `POST Groups`…) in the cycle's
 * proportion (at least one of each), spread evenly; ids are the ones a replay's POSTs got (`ids`).
 */
function requestMix(seq: readonly Recorded[], ids: ReadonlyMap<string, string>): AutocannonRequest[] {
  const byKind = new Map<string, Recorded[]>();
  for (const r of seq) {
    const k = requestKind({ method: r.method, url: r.path });
    const list = byKind.get(k) ?? byKind.set(k, []).get(k)!;
    if (list.length < SEQUENCE) list.push(r);
  }
  const counts = kindCounts(seq);
  const slots: Array<{ at: number; request: AutocannonRequest }> = [];
  for (const [kind, samples] of byKind) {
    const count = counts.get(`requests ${kind}`)!;
    const n = Math.max(1, Math.round((count / seq.length) * SEQUENCE));
    for (let i = 0; i < n; i++) slots.push({ at: (i + 0.5) / n, request: toRequest(samples[i % samples.length]!, ids) });
  }
  return slots.sort((a, b) => a.at - b.at).map((s) => s.request);
}

function toRequest(r: Recorded, ids: ReadonlyMap<string, string>): AutocannonRequest {
  let path = r.target ? `${r.target.before}${ids.get(r.target.id) ?? r.target.id}${r.target.after}` : r.path;
  // A filter GET of the initial cycle found nothing: keep it that way although the object exists now.
  if (r.method === 'GET' && path.includes('filter=')) path = path.replace(/%22$/, '.none%22');
  const headers: Record<string, string> = { authorization: AUTHORIZATION, accept: 'application/json, text/plain, */*' };
  const method = r.method as AutocannonRequest['method'];
  if (r.body === undefined) return { method, path, headers };
  headers['content-type'] = r.headers['Content-Type']!;
  return { method, path, headers, body: JSON.stringify(r.body) };
}
