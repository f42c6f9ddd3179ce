import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diffBatch } from '../src/engine/diff.js';
import type { Observation } from '../src/engine/observation.js';
import { selectWork } from '../src/engine/select-work.js';
import { NO_WATERMARKS } from '../src/engine/stored-watermarks.js';
import { DesiredIdSet } from '../src/engine/id-set.js';
import { evaluateSource } from '../src/engine/desired.js';
import { GROUP_SOURCE_ATTRIBUTES, USER_SOURCE_ATTRIBUTES, parseJob } from '../src/mapping-file/index.js';
import type { Job, ScopingGroup } from '../src/model/job.js';
import { compileJob, type CompiledJob } from '../src/mapping/compile.js';
import { defaultQuirks } from '../src/scim/quirks.js';
import { ManualClock } from '../src/shared/clock.js';
import { formatDiagnostic, hasErrors } from '../src/shared/diagnostics.js';
import { seededRandom } from '../src/shared/random.js';
import { writeTenantFixtures } from '../src/source/generate/generate-tenant.js';
import { loadTenant } from '../src/source/load-tenant.js';
import type { Benchmark, Measurement } from './types.js';

/**
 * Planning (the performance issue's benchmark 4, as issue 16 settled it): two figures from the same runs.
 *
 * - **import** (the figure): Entra's import step from the loaded tenant, as the engine plans an initial
 *   cycle of 100,000 users (and 100 groups of 50) with Entra's default mapping (mappings/customappsso.yaml)
 *   plus two scoping filter groups against an empty target (engine/plan-and-apply.ts):
 *   - evaluate: `evaluateSource` (entitlement, scope, IsSoftDeleted, watermark hash), no views kept;
 *   - select and diff: `selectWork` of an initial cycle with no state, then per batch of 2,000 `diffBatch`
 *     with every filter GET answered "not found" (what observe reports against an empty target; the GETs
 *     themselves are I/O and not planning), which reads every mapping row and builds every POST body; each
 *     batch released after its diff.
 *   Target: 2 s of CPU.
 * - **loading**: `loadTenant` of the same tenant as JSON Lines files (`users.jsonl`, `groups.jsonl`,
 *   `assignments.json`: the format for large tenants, streamed), read, parsed, validated and resolved.
 *   Target: 1.5 s of CPU. The same tenant as one `users.json` is timed too, for information.
 * The fixture files are written once per process, untimed. CPU is user + system of the process, all
 * threads, GC included.
 */

const USERS = 100_000;
const GROUPS = 100;
/** The engine's default batch size (`--batch-size`). */
const BATCH = 2000;
const MAPPING = 'mappings/customappsso.yaml';
const AT = { line: 1, column: 1 };

/** (department = Sales AND not a guest) OR (an engineer in Germany). */
export const SCOPING: ScopingGroup[] = [
  [
    { attribute: 'department', operator: 'EQUALS', value: 'Sales', position: AT },
    { attribute: 'userType', operator: 'NOT EQUALS', value: 'Guest', position: AT },
  ],
  [
    { attribute: 'jobTitle', operator: 'REGEX MATCH', value: '.*Engineer', position: AT },
    { attribute: 'country', operator: 'EQUALS', value: 'Germany', position: AT },
  ],
];

interface Prepared {
  /** The tenant as JSON Lines. */
  dir: string;
  /** The same tenant as JSON (`users.json`). */
  jsonDir: string;
  compiled: CompiledJob;
}

let prepared: Promise<Prepared> | undefined;

async function prepare(): Promise<Prepared> {
  const root = mkdtempSync(join(tmpdir(), 'provsim-bench-planning-'));
  process.once('exit', () => rmSync(root, { recursive: true, force: true }));
  const dir = join(root, 'jsonl');
  const jsonDir = join(root, 'json');
  const options = { users: USERS, groups: GROUPS, membersPerGroup: 50, seed: 2026 };
  await writeTenantFixtures(options, dir, { format: 'jsonl' });
  await writeTenantFixtures(options, jsonDir, { format: 'json' });
  const text = await readFile(new URL(`../${MAPPING}`, import.meta.url), 'utf8');
  const parsed = parseJob({ file: MAPPING, text });
  if (!parsed.job) throw new Error(`${MAPPING} does not load:\n${parsed.diagnostics.map(formatDiagnostic).join('\n')}`);
  const job: Job = { ...parsed.job, users: { ...parsed.job.users, scoping: SCOPING } };
  const { compiled, diagnostics } = compileJob(job, { users: USER_SOURCE_ATTRIBUTES, groups: GROUP_SOURCE_ATTRIBUTES });
  if (!compiled || hasErrors(diagnostics)) throw new Error(`${MAPPING} does not compile:\n${diagnostics.map(formatDiagnostic).join('\n')}`);
  return { dir, jsonDir, compiled };
}

const cpuMs = (c: NodeJS.CpuUsage): number => (c.user + c.system) / 1000;

export const benchmark: Benchmark = {
  id: 'planning',
  title: 'import (scope, map, hash, diff) of 100k loaded users, initial cycle against an empty target: CPU',
  target: { op: '<=', value: 2, unit: 's CPU' },
  async run(): Promise<Measurement> {
    const { dir, jsonDir, compiled } = await (prepared ??= prepare());
    const deps = { clock: new ManualClock(), random: seededRandom(1) };
    const quirks = defaultQuirks('aadOptscim062020');

    const loadCpu = process.cpuUsage();
    const loadStart = performance.now();
    const loaded = await loadTenant(dir);
    const loadMs = cpuMs(process.cpuUsage(loadCpu));
    const loadWallMs = performance.now() - loadStart;
    if (!loaded.tenant) throw new Error(`the generated tenant does not load:\n${loaded.diagnostics.map(formatDiagnostic).join('\n')}`);

    const cpu = process.cpuUsage();
    const start = performance.now();
    const states = evaluateSource(loaded.tenant, compiled, deps, { retainViews: false });
    const afterEvaluate = process.cpuUsage(cpu);
    const sources = new Map(states.map((s) => [s.id, s]));
    const work = selectWork('initial', states, new Map(), NO_WATERMARKS, new Map(), new Set(['User', 'Group']), {
      readBeforeWrite: quirks.readBeforeWrite,
      job: compiled,
    });
    // The cycle's sets of ids, as plan-and-apply keeps them.
    const existing = new DesiredIdSet(sources);
    const pending = new DesiredIdSet(
      sources,
      work.map((w) => w.sourceId),
    );
    let creates = 0;
    let postBodies = 0;
    for (let i = 0; i < work.length; i += BATCH) {
      const batch = work.slice(i, i + BATCH);
      for (const w of batch) pending.delete(w.sourceId);
      const observations = new Map<string, Observation>();
      for (const w of batch) if (w.observe === 'match') observations.set(w.sourceId, { kind: 'not-found', queried: [] });
      const { plan, exists } = diffBatch({
        cycleId: 'bench',
        kind: 'initial',
        work: batch,
        desired: sources,
        links: new Map(),
        targetIds: new Map(),
        memberships: new Map(),
        observations,
        job: compiled,
        dialect: 'aadOptscim062020',
        allowDeletes: false,
        quirks,
        existing,
        pending,
      });
      for (const id of exists) existing.add(id);
      for (const c of plan.objects) {
        if (c.action !== 'create') continue;
        creates++;
        postBodies += Object.keys(c.body).length;
      }
      for (const w of batch) w.source?.release();
    }
    const wallMs = performance.now() - start;
    const total = process.cpuUsage(cpu);

    // For information, after the timed stages so its garbage does not land in them.
    const jsonCpu = process.cpuUsage();
    const fromJson = await loadTenant(jsonDir);
    const jsonLoadMs = cpuMs(process.cpuUsage(jsonCpu));
    if (fromJson.tenant?.users.length !== USERS) throw new Error('the JSON tenant does not load');
    const floorMs = parseFloorMs(await readFile(join(dir, 'users.jsonl')));

    if (states.length !== USERS + GROUPS) throw new Error(`evaluateSource returned ${states.length} states for ${USERS + GROUPS} objects`);
    const users = states.filter((s) => s.objectType === 'User');
    const provisioned = states.filter((s) => s.provision).length;
    if (creates !== provisioned) throw new Error(`the diff planned ${creates} creates for ${provisioned} objects in scope`);
    return {
      value: cpuMs(total) / 1000,
      unit: 's CPU',
      wallMs,
      cpuMs: cpuMs(total),
      also: {
        'loading 100k users (JSON Lines)': { value: loadMs / 1000, target: { op: '<=', value: 1.5, unit: 's CPU' } },
        'loading 100k users (one users.json)': { value: jsonLoadMs / 1000, unit: 's CPU' },
        'loading floor: JSON.parse of the same lines, kept': { value: floorMs / 1000, unit: 's CPU' },
      },
      details: {
        users: USERS,
        groups: GROUPS,
        'loading CPU ms (JSON Lines)': Math.round(loadMs),
        'loading wall ms (JSON Lines)': Math.round(loadWallMs),
        'loading CPU ms (JSON)': Math.round(jsonLoadMs),
        'JSON.parse floor CPU ms': Math.round(floorMs),
        'evaluate CPU ms': Math.round(cpuMs(afterEvaluate)),
        'select + map + diff CPU ms': Math.round(cpuMs(total) - cpuMs(afterEvaluate)),
        usersPerCpuSecond: Math.round(USERS / (cpuMs(total) / 1000)),
        usersProvisioned: users.filter((s) => s.provision).length,
        usersOutOfScope: users.filter((s) => s.cause === 'out-of-scope').length,
        usersUnassigned: users.filter((s) => s.cause === 'unassigned').length,
        creates,
        postBodyTopLevelKeys: postBodies,
      },
    };
  },
};

/**
 * What V8 alone costs for the same `users.jsonl`: the file decoded as UTF-8, each line `JSON.parse`d, the
 * values kept (as a loaded tenant keeps its users), nothing checked or built. No loader can go below it; the distance to it is
 * the loader's own work. The file is read before the timer starts.
 */
function parseFloorMs(bytes: Buffer): number {
  const cpu = process.cpuUsage();
  const kept: unknown[] = [];
  const text = bytes.toString('utf8');
  for (let start = 0; start < text.length;) {
    let stop = text.indexOf('\n', start);
    if (stop === -1) stop = text.length;
    if (stop > start) kept.push(JSON.parse(text.slice(start, stop)));
    start = stop + 1;
  }
  const ms = cpuMs(process.cpuUsage(cpu));
  if (kept.length !== USERS) throw new Error(`the floor parsed ${kept.length} users, not ${USERS}`);
  return ms;
}
