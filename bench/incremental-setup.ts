/**
 * Shared by `incremental-requests` and `incremental-time` (the performance issue's benchmark 3): once per
 * process, an initial cycle of a generated tenant (10,000 users, 500 groups of 50) against a SCIM stub in a
 * child process, timed, and a snapshot of the state file it leaves. Then 1 % of the tenant's users (100),
 * chosen among the provisioned ones, get a new department, and 1 % of its groups (5), chosen among the
 * provisioned ones, one member more (every other one) or one fewer. Each run starts from a fresh copy of the
 * state snapshot and from the stub's own snapshot of its resources (the stub applies PATCHes, and provsim
 * diffs against what it reads), and runs the incremental cycle of the changed tenant, so every run meets
 * the same target.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CycleResult } from '../src/engine/reconcile.js';
import type { CompiledJob } from '../src/mapping/compile.js';
import { ManualClock } from '../src/shared/clock.js';
import { seededRandom } from '../src/shared/random.js';
import type { Tenant } from '../src/model/directory.js';
import { StateStore } from '../src/store/store.js';
import { cpuMsSince, defaultJob, openEngine, RequestCounter, tenantOf } from './engine-harness.js';
import { startStub, type Stub } from './stub-server.js';

export const USERS = 10_000;
export const GROUPS = 500;
const MEMBERS = 50;
export const CONCURRENCY = 8;
const CHANGED_SHARE = 0.01;

export interface Setup {
  stub: Stub;
  job: CompiledJob;
  changed: Tenant;
  snapshot: string;
  initialWallMs: number;
  initialRequests: number;
  changedUsers: number;
  changedGroups: number;
  /** One per changed group: one member added or removed. */
  membershipPatches: number;
}

let setup: Promise<Setup> | undefined;

export function incrementalSetup(): Promise<Setup> {
  return (setup ??= prepare());
}

async function prepare(): Promise<Setup> {
  const job = await defaultJob();
  const tenant = tenantOf(USERS, GROUPS, MEMBERS);
  const stub = await startStub();
  const dir = mkdtempSync(join(tmpdir(), 'provsim-bench-incremental-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const snapshot = join(dir, 'initial.db');
  const counter = new RequestCounter();
  const engine = await openEngine({ tenant, job, baseUrl: stub.baseUrl, state: join(dir, 'state.db'), concurrency: CONCURRENCY, counter });
  const start = performance.now();
  const result = await engine.cycle();
  const initialWallMs = performance.now() - start;
  await engine.close(); // checkpoints the WAL into state.db
  if (result.kind !== 'initial') throw new Error(`expected an initial cycle, got ${result.kind}`);
  await stub.snapshot();
  const store = new StateStore(join(dir, 'state.db'));
  const anchors = store.links(); // plain values: usable after close()
  store.close();
  copyFileSync(join(dir, 'state.db'), snapshot);

  // 1 % of the provisioned users and groups, spread evenly.
  const users = tenant.users.filter((u) => anchors.get(u.id)?.objectType === 'User');
  const groups = tenant.groups.filter((g) => anchors.has(g.id));
  // n objects out of the provisioned ones (changes to others send nothing), spread evenly.
  const pick = <T>(all: readonly T[], n: number): Set<T> =>
    new Set(Array.from({ length: n }, (_, i) => all[Math.floor((i * all.length) / n)]!));
  const changedUsers = pick(users, Math.round(tenant.users.length * CHANGED_SHARE));
  const changedGroups = pick(groups, Math.round(tenant.groups.length * CHANGED_SHARE));
  const provisionedUsers = users.map((u) => u.id);
  let g = 0;
  const changed: Tenant = {
    ...tenant,
    users: tenant.users.map((u) =>
      changedUsers.has(u)
        ? { ...u, attributes: { ...u.attributes, department: `${String(u.attributes['department'] ?? '')} (reorganised)` } }
        : u,
    ),
    groups: tenant.groups.map((group) => {
      if (!changedGroups.has(group)) return group;
      const members = new Set(group.memberIds);
      if (g++ % 2 === 0) {
        // Add a provisioned user who is not a member yet.
        const add = provisionedUsers.find((id, i) => i >= g * 37 && !members.has(id));
        if (!add) throw new Error(`no user to add to ${group.displayName}`);
        return { ...group, memberIds: [...group.memberIds, add] };
      }
      // Remove a provisioned member.
      const remove = group.memberIds.find((id) => anchors.has(id));
      if (!remove) throw new Error(`${group.displayName} has no provisioned member to remove`);
      return { ...group, memberIds: group.memberIds.filter((id) => id !== remove) };
    }),
  };
  return {
    stub,
    job,
    changed,
    snapshot,
    initialWallMs,
    initialRequests: counter.total,
    changedUsers: changedUsers.size,
    changedGroups: changedGroups.size,
    membershipPatches: changedGroups.size,
  };
}

export interface IncrementalRun {
  result: CycleResult;
  counter: RequestCounter;
  wallMs: number;
  cpuMs: number;
}

/** The incremental cycle of the changed tenant, from a fresh copy of the initial cycle's state. */
export async function runIncremental(s: Setup): Promise<IncrementalRun> {
  const dir = mkdtempSync(join(tmpdir(), 'provsim-bench-incremental-run-'));
  const file = join(dir, 'state.db');
  copyFileSync(s.snapshot, file);
  await s.stub.restore();
  const counter = new RequestCounter();
  // An hour after the initial cycle: the next scheduled cycle.
  const clock = new ManualClock('2026-05-01T09:00:00Z');
  const engine = await openEngine({
    tenant: s.changed,
    job: s.job,
    baseUrl: s.stub.baseUrl,
    state: file,
    concurrency: CONCURRENCY,
    counter,
    clock,
    random: seededRandom(8),
  });
  try {
    const cpu = process.cpuUsage();
    const start = performance.now();
    const result = await engine.cycle();
    const wallMs = performance.now() - start;
    const cpuMs = cpuMsSince(cpu);
    if (result.kind !== 'incremental') throw new Error(`expected an incremental cycle, got ${result.kind}`);
    return { result, counter, wallMs, cpuMs };
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The ideal incremental cycle: per changed object one GET (Entra reads each linked object before it writes
 * it) plus its writes (a user: its PATCH; a group whose only change is a member: its membership PATCH),
 * plus the probe.
 */
export function expectedRequests(s: Setup): number {
  return 2 * s.changedUsers + s.changedGroups + s.membershipPatches + 1;
}

export function details(s: Setup, r: IncrementalRun): Record<string, number | string> {
  return {
    changedUsers: s.changedUsers,
    changedGroups: s.changedGroups,
    membershipPatches: s.membershipPatches,
    allowanceBase: expectedRequests(s),
    requests: r.counter.total,
    ...Object.fromEntries([...r.counter.byKind].map(([k, v]) => [`requests ${k}`, v.count])),
    requestRatio: r.counter.total / expectedRequests(s),
    incrementalWallMs: Math.round(r.wallMs),
    initialWallMs: Math.round(s.initialWallMs),
    initialRequests: s.initialRequests,
    wallRatio: r.wallMs / s.initialWallMs,
    logEntries: r.result.log.length,
    counts: JSON.stringify(r.result.counts),
  };
}
