/**
 * The million-user benchmark (opt-in: `npm run bench -- --only scale-million`; a run takes many minutes). A
 * tenant of 1,000,000 users and 100,000 groups of 50 members (seed 2026), as JSON Lines fixture files, driven
 * as the CLI drives it, against the bench SCIM stub (`stub-server.ts`, a child process on 127.0.0.1).
 *
 * Set-up, untimed, once per benchmark process (in a temporary directory removed at exit): the "day 1"
 * fixtures (`writeTenantFixtures(…, { format: 'jsonl' })`: users-1…4.jsonl, groups.jsonl, assignments.json,
 * about 1 GB) and "day 2", the same files with every 100th user's `jobTitle` changed (1 %, 10,000 users;
 * `scale-million-fixtures.ts` streams the lines, rewriting the chosen ones).
 *
 * Each run: a fresh stub and a fresh state file, then three phases, each a fresh process
 * (`scale-million-child.ts`: one `provsim sync` each, so each phase's CPU and peak RSS are its own, on the
 * Node heap limit the CLI gets), all against that one stub:
 * 1. initial: `loadTenant` of day 1, then the initial cycle (batches of 2,000, the heap guard, C = 8).
 *    Figure: wall time of the load + the cycle, target ≤ 600 s; and peak RSS of that process up to the end
 *    of the cycle (the kernel's high-water mark; the 100 ms samples miss what happens while the engine
 *    computes without yielding), target ≤ 1024 MB.
 * 2. dry run on state (information): `sync --dry-run` of day 2 on the state the initial cycle left (read
 *    only: the state stays as it was), the dry run a user runs day to day: it reads only the changed
 *    objects. Figures: its cycle's CPU, and its load + cycle wall time.
 * 3. incremental: `loadTenant` of day 2, then the incremental cycle on the state the initial cycle left.
 *    Figure: wall time of the load + the cycle (what `provsim sync` on day 2 takes), target ≤ 60 s.
 * 4. dry run: `loadTenant` of day 2, then `sync --dry-run` as the CLI runs it (readOnly, a state file that
 *    does not exist: an empty state in memory; above 50,000 objects of work a dry run is planned in batches
 *    of 2,000, as the cycle would run) against the same stub, which holds the tenant by then. With an empty
 *    state, every object is matched by a filter GET (about 900,000 reads), and each batch is diffed into its
 *    plan (not rendered). Figure: the CPU time of the process
 *    (user + system, all threads, GC included) over the cycle (probe, evaluate, select, the reads, the diff), not
 *    the load, target ≤ 60 s; the reads' share is in `details` (`observeAndDiffCpuMs`, `diffWallMs`) and an
 *    informational figure leaves them out (an estimate: the diff's wall time stands for its CPU).
 * Informational figures: the loads' wall and CPU, the cycles alone, requests and requests/s, the other
 * phases' peak RSS; `details` has the memory at each step (and the live heap after a full GC with and without
 * the tenant), the requests by kind and the log counts (a dry run's: its plan's changes by action).
 *
 * A phase that fails (out of memory, a cycle that does not succeed) is reported with where it stopped: its
 * step, its last RSS and heap sample (every 5 s), its memory at its last step mark, and the error; the run
 * then throws (`ERROR`), its message listing what the other phases measured (a later phase still runs when
 * the one before it failed, since the stub holds what the initial cycle sent).
 *
 * No warm-up run. `PROVSIM_BENCH_SCALE=small` runs 1/100 of the size (10,000 users, 1,000 groups) against
 * 1/100 of the time targets (the RSS target stays), for a quick check.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildMessage, Mode, PhaseFigures } from './scale-million-child.js';
import { writeMillionFixtures, type MillionFixtures } from './scale-million-fixtures.js';
import { startStub } from './stub-server.js';
import type { Benchmark, Measurement } from './types.js';

const SMALL = process.env['PROVSIM_BENCH_SCALE'] === 'small';
const DIVISOR = SMALL ? 100 : 1;
const USERS = 1_000_000 / DIVISOR;
const GROUPS = 100_000 / DIVISOR;
const MEMBERS = 50;
const CONCURRENCY = 8;
const INITIAL_TARGET_S = 600 / DIVISOR;
const RSS_TARGET_MB = 1024;
const INCREMENTAL_TARGET_S = 60 / DIVISOR;
const DRY_RUN_TARGET_S = 60 / DIVISOR;
const MB = 1024 * 1024;
const CHILD = fileURLToPath(new URL('./scale-million-child.ts', import.meta.url));
/** Free space asked for before the set-up: two day directories (about 1 GB each) and a state file. */
const DISK_NEEDED_BYTES = (SMALL ? 0.1 : 5) * 1024 ** 3;

const n = (x: number): string => Math.round(x).toLocaleString('en-US');
const say = (text: string): void => void process.stdout.write(`  scale-million: ${text}\n`);

let fixtures: Promise<MillionFixtures> | undefined;

/** Temporary directories of this process (the fixtures, a run's state), removed at exit or on SIGINT/SIGTERM. */
const temporary = new Set<string>();
let removedAtExit = false;
function temporaryDir(prefix: string): string {
  if (!removedAtExit) {
    removedAtExit = true;
    process.once('exit', removeTemporary);
    for (const signal of ['SIGINT', 'SIGTERM'] as const)
      process.once(signal, () => {
        removeTemporary();
        process.exit(130);
      });
  }
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temporary.add(dir);
  return dir;
}
function removeTemporary(): void {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
  temporary.clear();
}

/** The day-1 and day-2 directories, written once per process into a temporary directory removed at exit. */
function setup(): Promise<MillionFixtures> {
  return (fixtures ??= (async () => {
    const root = temporaryDir('provsim-bench-million-');
    const { bavail, bsize } = statfsSync(root);
    if (bavail * bsize < DISK_NEEDED_BYTES)
      throw new Error(`${tmpdir()} has ${n((bavail * bsize) / MB)} MB free; the benchmark needs about ${n(DISK_NEEDED_BYTES / MB)} MB`);
    say(`writing the ${n(USERS)}-user tenant (day 1 and day 2) as JSON Lines into ${root} (not timed)…`);
    const f = await writeMillionFixtures({ users: USERS, groups: GROUPS, membersPerGroup: MEMBERS }, root);
    say(
      `fixtures written: day 1 in ${(f.writeMs / 1000).toFixed(0)} s (${n(f.bytes / MB)} MB of users), day 2 in ${(f.day2Ms / 1000).toFixed(0)} s`,
    );
    return f;
  })());
}

/** A phase that did not finish; the message says where it stopped. */
class PhaseFailed extends Error {}

/** Runs one phase in a fresh process; rejects with PhaseFailed (step, last RSS and heap) if it fails. */
function runPhase(mode: Mode, dir: string, state: string, baseUrl: string): Promise<PhaseFigures> {
  return new Promise((resolve, reject) => {
    const child = fork(CHILD, [mode, dir, state, baseUrl, String(CONCURRENCY)], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let figures: PhaseFigures | undefined;
    let last: Extract<ChildMessage, { type: 'sample' }> | undefined;
    let lastStep: Extract<ChildMessage, { type: 'step' }> | undefined;
    let error: Extract<ChildMessage, { type: 'error' }> | undefined;
    child.on('message', (m: ChildMessage) => {
      if (m.type === 'figures') figures = m.figures;
      else if (m.type === 'sample') last = m;
      else if (m.type === 'step') lastStep = m;
      else error = m;
    });
    child.once('error', (e) => reject(new PhaseFailed(`the ${mode} phase did not start: ${e.message}`)));
    child.once('exit', (code, signal) => {
      if (figures && code === 0) return resolve(figures);
      const where = last
        ? `at ${last.seconds} s, in ${last.step}: RSS ${n(last.rssMb)} MB, heap used ${n(last.heapUsedMb)} MB, peak RSS ${n(last.peakRssMb)} MB, ${n(last.requests)} requests sent`
        : 'none (it ran less than 5 s)';
      const step = lastStep ? `; memory at ${lastStep.step} (MB): ${JSON.stringify(lastStep.memory)}` : '';
      reject(
        new PhaseFailed(
          `the ${mode} phase exited (${signal ?? code}) without its figures; last sample ${where}${step}${error ? `\n${error.message}` : ''}`,
        ),
      );
    });
  });
}

export const benchmark: Benchmark = {
  id: 'scale-million',
  title: `${n(USERS)} users, ${n(GROUPS)} groups x ${MEMBERS} from JSON Lines${SMALL ? ' (1/100: PROVSIM_BENCH_SCALE=small)' : ''}: load + initial cycle wall time`,
  target: { op: '<=', value: INITIAL_TARGET_S, unit: 's' },
  warmUp: false,
  onlyWhenNamed: true,
  async run(): Promise<Measurement> {
    const f = await setup();
    const runDir = temporaryDir('provsim-bench-million-run-');
    const stub = await startStub();
    const done: string[] = [];
    /** The stub's CPU time in each phase, s: the other process on the same two cores. */
    const stubCpu: Record<string, number> = {};
    const phase = async (mode: Mode, dir: string, state: string, label: string = mode): Promise<PhaseFigures | PhaseFailed> => {
      const stubBefore = usageOf(stub.child.pid).stubCpuS;
      try {
        const p = await runPhase(mode, dir, state, stub.baseUrl);
        const stubAfter = usageOf(stub.child.pid).stubCpuS;
        if (stubBefore !== undefined && stubAfter !== undefined)
          stubCpu[`stubCpuS ${label}`] = Math.round((stubAfter - stubBefore) * 10) / 10;
        const line = `${label}: load ${(p.loadWallMs / 1000).toFixed(1)} s (cpu ${(p.loadCpuMs / 1000).toFixed(1)} s) + cycle ${(p.cycleWallMs / 1000).toFixed(1)} s (cpu ${(p.cycleCpuMs / 1000).toFixed(1)} s), peak RSS ${n(p.peakRssBytes / MB)} MB, ${n(p.requests)} requests`;
        done.push(line);
        say(line);
        return p;
      } catch (e) {
        const failed = e instanceof PhaseFailed ? e : new PhaseFailed(e instanceof Error ? e.message : String(e));
        say(`${label} FAILED: ${failed.message}`);
        return failed;
      }
    };
    try {
      const state = join(runDir, 'state.db');
      const initial = await phase('initial', f.day1, state);
      if (initial instanceof PhaseFailed) throw initial;
      // Each later phase runs even if the one before failed: the stub holds what the initial cycle sent.
      // The dry run a user runs day to day, on the state the initial cycle left (read-only: it stays as it was).
      const dryOnState = await phase('dry-run', f.day2, state, 'dry-run on state');
      const incremental = await phase('incremental', f.day2, state);
      // A state file that does not exist: `sync --dry-run` then starts from an empty state, in memory.
      const dry = await phase('dry-run', f.day2, join(runDir, 'dry-run-state.db'));
      const stubUsage = usageOf(stub.child.pid);
      if (incremental instanceof PhaseFailed || dry instanceof PhaseFailed || dryOnState instanceof PhaseFailed) {
        // The phases that finished keep their details (memory at each step, GC, requests) in the error.
        const finished = [
          ['initial', initial],
          ['incremental', incremental],
          ['dryRun', dry],
          ['dryRunOnState', dryOnState],
        ] as const;
        const kept = Object.assign(
          { ...stubUsage, ...stubCpu },
          ...finished.map(([prefix, p]) => (p instanceof PhaseFailed ? {} : phaseDetails(prefix, p))),
        ) as Record<string, number | string>;
        throw new Error(
          `${[dryOnState, incremental, dry]
            .filter((p) => p instanceof PhaseFailed)
            .map((p) => p.message)
            .join('\n')}\nmeasured in this run:\n  ${done.join('\n  ')}\ndetails of the phases that finished: ${JSON.stringify(kept)}`,
        );
      }

      const initialMs = initial.loadWallMs + initial.cycleWallMs;
      const s = (ms: number): number => Math.round(ms / 100) / 10;
      return {
        value: initialMs / 1000,
        unit: 's',
        wallMs: initialMs,
        cpuMs: initial.loadCpuMs + initial.cycleCpuMs,
        also: {
          'peak RSS': { value: Math.round(initial.peakRssBytes / MB), target: { op: '<=', value: RSS_TARGET_MB, unit: 'MB' } },
          incremental: {
            value: (incremental.loadWallMs + incremental.cycleWallMs) / 1000,
            target: { op: '<=', value: INCREMENTAL_TARGET_S, unit: 's' },
          },
          'dry-run CPU': { value: dry.cycleCpuMs / 1000, target: { op: '<=', value: DRY_RUN_TARGET_S, unit: 's' } },
          'load wall': { value: s(initial.loadWallMs), unit: 's' },
          'load CPU': { value: s(initial.loadCpuMs), unit: 's' },
          'initial cycle alone': { value: s(initial.cycleWallMs), unit: 's' },
          requests: { value: initial.requests, unit: 'requests' },
          'requests/s': { value: Math.round(initial.requests / (initial.cycleWallMs / 1000)), unit: 'rps' },
          'incremental cycle alone': { value: s(incremental.cycleWallMs), unit: 's' },
          'incremental peak RSS': { value: Math.round(incremental.peakRssBytes / MB), unit: 'MB' },
          'dry-run CPU without reads (est.)': {
            value: s(dry.cycleCpuMs - (dry.steps['observeAndDiffCpuMs'] ?? 0) + (dry.steps['diffWallMs'] ?? 0)),
            unit: 's',
          },
          'dry-run wall': { value: s(dry.cycleWallMs), unit: 's' },
          'dry-run peak RSS': { value: Math.round(dry.peakRssBytes / MB), unit: 'MB' },
          'dry-run on state CPU': { value: s(dryOnState.cycleCpuMs), unit: 's' },
          'dry-run on state, load + cycle': { value: s(dryOnState.loadWallMs + dryOnState.cycleWallMs), unit: 's' },
        },
        details: {
          size: SMALL ? '1/100' : 'full',
          users: initial.users,
          groups: initial.groups,
          membersPerGroup: MEMBERS,
          changedUsersDay2: f.changedUsers,
          fixtureUserBytesMb: Math.round(f.bytes / MB),
          ...stubUsage,
          ...stubCpu,
          ...phaseDetails('initial', initial),
          ...phaseDetails('incremental', incremental),
          ...phaseDetails('dryRun', dry),
          ...phaseDetails('dryRunOnState', dryOnState),
        },
      };
    } finally {
      await stub.stop();
      rmSync(runDir, { recursive: true, force: true });
      temporary.delete(runDir);
    }
  },
};

function phaseDetails(prefix: string, p: PhaseFigures): Record<string, number | string> {
  const out: Record<string, number | string> = {
    loadWallMs: Math.round(p.loadWallMs),
    loadCpuMs: Math.round(p.loadCpuMs),
    cycleWallMs: Math.round(p.cycleWallMs),
    cycleCpuMs: Math.round(p.cycleCpuMs),
    peakRssMb: Math.round(p.peakRssBytes / MB),
    heapAtPeakRssMb: p.heapAtPeakRssMb,
    peakHeapUsedMb: p.peakHeapUsedMb,
    requests: p.requests,
    batches: p.batches,
    kind: p.kind,
    counts: JSON.stringify(p.counts),
    ...p.steps,
  };
  for (const [k, v] of Object.entries(p.byKind)) out[`requests ${k}`] = v;
  // `memory afterLoad`: `rss 812 / heapUsed 640 / heapTotal 700 / external 20 / arrayBuffers 3` (MB).
  for (const [step, m] of Object.entries(p.memory))
    out[`memory ${step}`] = Object.entries(m)
      .map(([k, v]) => `${k} ${v}`)
      .join(' / ');
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [`${prefix} ${k}`, v]));
}

/** A process's highest RSS so far (VmHWM, MB) and its CPU time (user + system, s); Linux only, else `{}`. */
function usageOf(pid: number | undefined): { stubPeakRssMb?: number; stubCpuS?: number } {
  if (pid === undefined) return {};
  try {
    const kb = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    // /proc/PID/stat: the fields after the command's closing parenthesis; utime and stime are the 12th and 13th, in ticks of 1/100 s.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return {
      ...(kb === undefined ? {} : { stubPeakRssMb: Math.round(Number(kb) / 1024) }),
      ...(Number.isFinite(ticks) ? { stubCpuS: Math.round(ticks) / 100 } : {}),
    };
  } catch {
    return {};
  }
}
