/**
 * `provsim watch`: Entra's schedule on a developer's loop. An initial cycle, then incremental cycles on the
 * interval (Entra's 40 minutes by default; a quarantined job backs off as Entra's does). With `--on-change`,
 * an edit to the fixtures or the mapping starts a cycle within about a second (debounced); a mapping change
 * means a new initial cycle, as in Entra. A bad edit prints its diagnostics and waits for the next one.
 * Ctrl-C ends it between requests.
 */
import { DEFAULTS } from '../../engine/defaults.js';
import { heapGuard } from '../../shared/heap-guard.js';
import { guardedHooks, withGuard } from '../guarded-hooks.js';
import { watch as watchFiles, type FSWatcher } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { CycleResult } from '../../engine/cycle-result.js';
import { formatDiagnostic } from '../../shared/diagnostics.js';
import { durationProblem, parseDuration } from '../../shared/duration.js';
import { fixtureChangedText, InputError, UsageError } from '../../shared/errors.js';
import { EXIT_CODES, lastCycleExitCode } from '../exit-codes.js';
import { cycleStop } from '../cycle-stop.js';
import { memoryLowText } from '../../shared/memory-watchdog.js';
import type { CliDeps, CommandResult } from '../io.js';
import { loadInputs, type Inputs } from '../../engine/load-inputs.js';
import { renderEntry, renderEscrows } from '../render/human.js';
import { renderJobFailure } from '../render/job-failure.js';
import { notifierFrom, type NotifyFlags } from '../notify-flags.js';
import { groupFailures, renderFailureGroups } from '../render/failure-groups.js';
import { cycleJson } from '../render/json.js';
import { plainStyle } from '../render/style.js';
import { openSession, type Session, type SessionOptions } from '../session.js';

export interface WatchOptions extends Omit<SessionOptions, 'at' | 'intervalMs' | 'membersPerPatch' | 'batchSize' | 'readOnly'> {
  /** `40m`, `30s`, `PT40M`… @default '40m' */
  interval?: string;
  onChange?: boolean;
  /** Stop after this many cycles (tests, demos). */
  maxCycles?: number;
  /** Quiet period after a file event before the cycle starts. @default 300 */
  debounceMs?: number;
  /** Print each cycle as one line of JSON (JSON Lines) on stdout; notes go to stderr. */
  json?: boolean;
  /** Print each request on stderr. */
  verbose?: boolean;
  /** Print only cycles that failed (or left failures) and edits with errors. */
  quiet?: boolean;
  /** The failure notification (cli/notify-flags.ts). */
  notify?: NotifyFlags;
}

export async function watchCommand(options: WatchOptions, deps: CliDeps): Promise<CommandResult & { cycles: CycleResult[] }> {
  const text = options.interval ?? DEFAULTS.interval;
  const intervalMs = parseDuration(text);
  if (intervalMs === null) throw new UsageError(`--interval ${durationProblem(text)}`);
  if (intervalMs < 1000) throw new UsageError(`--interval ${JSON.stringify(text)} is shorter than 1s; e.g. 40m, 30s, PT40M`);
  if (options.maxCycles !== undefined && !(Number.isInteger(options.maxCycles) && options.maxCycles >= 1))
    throw new UsageError(`--max-cycles must be an integer ≥ 1`);
  const notifier = notifierFrom(options.notify ?? {}, deps);
  // One guard for the loads and the cycles (it acts once per process): a large tenant passes its limit during the first load.
  const guard = heapGuard();
  const fixtureOptions = withGuard(deps.fixtureOptions, guard);
  const session = await openSession(
    { ...options, intervalMs, echoRequests: options.verbose ?? false, keepRequests: options.json ?? false },
    { ...deps, fixtureOptions },
  );
  /** The last `KEPT_CYCLES` cycles, as `pastCycle` keeps them. */
  const cycles: CycleResult[] = [];
  let cyclesRun = 0;
  const watchers: FSWatcher[] = [];
  let changed: (() => void) | null = null;
  let pendingChange = false;
  let debounce: NodeJS.Timeout | null = null;
  // NOTE: the debounce runs on real time, not on deps.clock. File events arrive in real time, while
  // deps.clock may be simulated: a ManualClock's sleep ends at once (no quiet period) and a test's frozen
  // clock never ends one (no cycle). The intervals between cycles do run on the session's clock.
  const onFileEvent = (): void => {
    if (debounce) clearTimeout(debounce);
    debounce = setTimeout(() => {
      pendingChange = true;
      changed?.();
    }, options.debounceMs ?? 300);
  };
  if (options.onChange) {
    watchers.push(watchFiles(resolve(deps.cwd, options.fixtures), onFileEvent));
    // The mapping file's folder, not the file: editors and `sed -i` save by writing a new file and renaming
    // it over the old one, and a watch on the file itself stops at the first such save.
    const mapping = resolve(deps.cwd, options.mapping);
    watchers.push(
      watchFiles(dirname(mapping), (_event, name) => (name === null || name === basename(mapping) ? onFileEvent() : undefined)),
    );
  }
  if (!options.quiet)
    session.err(
      `provsim watch: ${session.tenantUrl.base}, every ${options.interval ?? DEFAULTS.interval}${options.onChange ? ', and on fixture or mapping changes' : ''}; Ctrl-C to stop`,
    );

  let reloaded: Inputs | null = null;
  let quarantineBefore = session.provisioner.quarantine();
  let memoryStopped = false;
  /**
   * One cycle, printed and notified. Returns what the wait needs: the full result is not kept past it (a
   * one-batch cycle's result holds every desired object of the tenant, and the wait may last 40 minutes).
   */
  const runAndReport = async (): Promise<{ requeueAfterMs: number; end: boolean }> => {
    // Each cycle's requests only: a watch runs for days.
    session.requests.reset();
    session.startCycleClock();
    const stop = cycleStop(deps);
    const cycle = await session.provisioner
      .sync({
        ...(reloaded ? { fixtures: reloaded.tenant, mapping: reloaded.job } : {}),
        hooks: guardedHooks(guard),
        signal: stop.signal,
      })
      .finally(() => stop.dispose());
    reloaded = null;
    cyclesRun++;
    if (cycles.length === KEPT_CYCLES) cycles.shift();
    cycles.push(pastCycle(cycle));
    const { requests } = session;
    if (options.json) session.out(JSON.stringify(cycleJson(cycle, requests.list(), session.provisioner.target, session.secrets)));
    else if (!options.quiet || lastCycleExitCode(cycle) !== 0) printCycle(session, cycle, requests.counts().total);
    const low = stop.memoryLow();
    if (low) {
      // The next cycle would need the same memory: the watch ends here.
      session.err(`provsim watch: ${memoryLowText(low)}. What the cycle did is in the state: the next run goes on from there`);
      memoryStopped = true;
      return { requeueAfterMs: 0, end: true };
    }
    if (cycle.fixtureChanged !== undefined) {
      // The files changed under the cycle: the next one reads them again, without waiting for the interval.
      session.err(
        `provsim watch: ${fixtureChangedText(cycle.fixtureChanged)}. The cycle stopped before its next batch and what it did is in the state; reading the files again`,
      );
      pendingChange = true;
    }
    const notes = await notifier?.afterCycle(cycle, quarantineBefore, {
      target: session.provisioner.target,
      app: session.provisioner.inputs.tenant.app.name,
      secrets: session.secrets,
      clock: session.clock(),
    });
    for (const line of notes ?? []) session.err(line);
    quarantineBefore = cycle.quarantine;
    return { requeueAfterMs: cycle.requeueAfterMs, end: options.maxCycles !== undefined && cyclesRun >= options.maxCycles };
  };

  try {
    while (!deps.signal?.aborted) {
      const { requeueAfterMs, end } = await runAndReport();
      if (end) break;

      // Wait for the interval (or the quarantine back-off), a file change, or Ctrl-C.
      for (;;) {
        if (deps.signal?.aborted) break;
        const wake = new AbortController();
        changed = () => wake.abort();
        if (pendingChange) wake.abort();
        const stop = () => wake.abort();
        deps.signal?.addEventListener('abort', stop, { once: true });
        const slept = await session
          .clock()
          .sleep(requeueAfterMs, wake.signal)
          .then(
            () => true,
            () => false,
          );
        deps.signal?.removeEventListener('abort', stop);
        changed = null;
        if (slept || deps.signal?.aborted) break;
        // A file changed: reload; a bad edit waits for the next one.
        pendingChange = false;
        try {
          reloaded = await loadInputs(resolve(deps.cwd, options.fixtures), resolve(deps.cwd, options.mapping), fixtureOptions);
          if (!options.quiet) session.err('provsim watch: change detected, starting a cycle');
          break;
        } catch (error) {
          if (!(error instanceof InputError)) throw error;
          for (const d of error.diagnostics) session.err(formatDiagnostic(d));
          session.err('provsim watch: the edit has errors; waiting for the next change (the last good input stays in use)');
        }
      }
    }
  } finally {
    if (debounce) clearTimeout(debounce);
    for (const w of watchers) w.close();
    await session.close();
  }
  const last = cycles[cycles.length - 1];
  return { exitCode: memoryStopped ? EXIT_CODES.failed : lastCycleExitCode(last), cycles };
}

/** The cycles a watch's result lists: the last ones (a watch with a short interval runs thousands). */
const KEPT_CYCLES = 100;

/**
 * A cycle as the watch keeps it in its result: its verdict, counts and what it left behind, without its plan,
 * outcomes, log entries or source objects. A one-batch cycle's result holds every desired object of the
 * tenant; a watch runs for days, and kept whole, each cycle's stayed in memory until the watch ended. The
 * log is in the state (`provsim logs`).
 */
export function pastCycle(cycle: CycleResult): CycleResult {
  const { sources: _sources, observations: _observations, ...kept } = cycle;
  return { ...kept, plan: null, outcomes: [], log: [] };
}

function printCycle(session: Session, cycle: CycleResult, requests: number): void {
  session.out(cycleLine(cycle, requests));
  if (cycle.jobFailure) session.out(renderJobFailure(cycle.jobFailure, { tokenSent: session.tokenSent }));
  for (const e of cycle.log) if (e.provisioningAction !== 'Other' || e.status === 'Failure') session.out(renderEntry(e));
  if (cycle.quarantine)
    session.out(
      `  quarantine: ${cycle.quarantine.reason} (${cycle.quarantine.seriesCount} cycle(s)); next cycle in ${Math.round(cycle.requeueAfterMs / 60_000)} min`,
    );
  if (cycle.escrows.pending > 0) session.out(`  escrows: ${renderEscrows(cycle.escrows)} (provsim status)`);
  const failures = groupFailures(cycle.log);
  if (failures.length > 0) session.out(renderFailureGroups(failures, plainStyle, { token: session.secrets[0] ?? null }));
}

function cycleLine(c: CycleResult, requests: number): string {
  const counts =
    Object.entries(c.counts)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ') || 'nothing to do';
  return `[${c.startedAt.replace('T', ' ').slice(0, 19)}] ${c.kind} cycle ${c.cycleId.slice(0, 8)}: ${c.status} — ${counts} (${requests} requests)${c.jobFailure ? ` — ${c.jobFailure.reason}` : ''}`;
}
