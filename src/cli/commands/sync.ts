/**
 * `provsim sync`: one provisioning cycle (initial or incremental) of a fixture tenant into a SCIM target.
 */
import { heapGuard } from '../../shared/heap-guard.js';
import { guardedHooks, withGuard } from '../guarded-hooks.js';
import { fixtureChangedNote } from '../render/fixture-changed.js';
import { memoryLowText } from '../../shared/memory-watchdog.js';
import { cycleStop } from '../cycle-stop.js';
import { isWrite, type ObjectRef, type Plan } from '../../engine/plan.js';
import type { CycleResult } from '../../engine/cycle-result.js';
import type { RequestCounts } from '../request-log.js';
import { openSession, type Session, type SessionOptions } from '../session.js';
import { cycleExitCode, EXIT_CODES } from '../exit-codes.js';
import type { CliDeps, CommandResult } from '../io.js';
import { renderCycle, renderEntry, renderSourceSummary } from '../render/human.js';
import {
  emptyTally,
  planSummary,
  renderPlan,
  renderPlanTotals,
  tallyPlan,
  type PlanRenderOptions,
  type PlanTally,
} from '../render/plan.js';
import { plannedLinks } from '../../engine/plan-requests.js';
import { DEFAULTS } from '../../engine/defaults.js';
import { styleFor, type Style } from '../render/style.js';
import { plainProgress, terminalProgress, type Progress } from '../render/progress.js';
import { notifierFrom, type NotifyFlags } from '../notify-flags.js';
import type { CyclePhase } from '../../engine/hooks.js';
import { renderJobFailure } from '../render/job-failure.js';
import { cycleJson, jsonPieces } from '../render/json.js';

export interface SyncOptions extends Omit<SessionOptions, 'intervalMs' | 'readOnly'> {
  /** Read the target and print the plan; write nothing to the target or the state. */
  dryRun?: boolean;
  json?: boolean;
  /** Let disables/deletes through the accidental-deletion threshold (Entra's ForceDeletes). */
  allowDeletes?: boolean;
  /** Start a new initial cycle (links are kept). */
  full?: boolean;
  /** Print one line per object that changed (a dry run: every skip, and each request as it would be sent). */
  verbose?: boolean;
  /** Print nothing unless the cycle fails; then its summary. */
  quiet?: boolean;
  /** The failure notification (cli/notify-flags.ts). */
  notify?: NotifyFlags;
}

export interface SyncResult extends CommandResult {
  cycle: CycleResult | null;
  /** How many requests the cycle sent, by method. */
  requests: RequestCounts;
}

export async function syncCommand(options: SyncOptions, deps: CliDeps): Promise<SyncResult> {
  // Every flag is checked before anything is loaded or sent.
  const notifier = notifierFrom(options.notify ?? {}, deps);
  const chatty = !options.json && !options.quiet;
  // A terminal gets a status line within the first second, then the bar; a pipe or a CI log gets lines.
  const progress =
    chatty && deps.isTTY && deps.terminal ? terminalProgress(deps.terminal) : chatty ? plainProgress(deps.stderr) : silentProgress;
  progress.status('loading the fixtures and the mapping…');
  const stopDrawing = (): void => progress.stop();
  deps.signal?.addEventListener('abort', stopDrawing, { once: true });
  let session: Session;
  // One guard for the load and the cycle: a large tenant passes its limit during the load.
  const guard = heapGuard();
  try {
    session = await openSession(
      { ...options, echoRequests: false, readOnly: options.dryRun ?? false, keepRequests: options.json ?? false },
      { ...deps, fixtureOptions: withGuard(deps.fixtureOptions, guard) },
    );
  } catch (error) {
    progress.stop();
    deps.signal?.removeEventListener('abort', stopDrawing);
    throw error;
  }
  const { out, requests } = session;
  const style = styleFor(deps.env, deps.stdoutIsTTY ?? false);
  const stop = cycleStop(deps);
  // The links of earlier batches matter wherever a plan is printed (members and managers are resolved by them).
  const planned = batchedPlans(!options.json && !options.quiet);
  const planView = (): PlanRenderOptions => dryRunView(session, options, style, planned);
  try {
    const quarantineBefore = session.provisioner.quarantine();
    session.startCycleClock();
    const cycle = await session.provisioner.sync({
      dryRun: options.dryRun ?? false,
      allowDeletes: options.allowDeletes ?? false,
      forceInitial: options.full ?? false,
      signal: stop.signal,
      hooks: guardedHooks(guard, {
        onPhase: (p) => progress.status(phaseText(p)),
        onEvaluated: (p) =>
          progress.status(`evaluating users and groups: ${count(p.done)} of ${count(p.total)} (assignments, scoping, mappings)…`),
        onPlan: (plan: Plan, batch?: { index: number; count: number }) => {
          if (options.dryRun) {
            progress.stop();
            if (batch) planned.add(plan, batch.count);
            if (!options.json && !options.quiet) out(renderPlan(plan, planView(), batch));
            return;
          }
          progress.line(`${batch ? `batch ${batch.index}/${batch.count}: ` : ''}${planSummary(plan)}`);
          progress.addWork([...plan.objects, ...plan.references, ...plan.deletes].filter(isWrite).length);
        },
        onChangeDone: (o) => {
          if (isWrite(o.change)) progress.tick();
        },
        onRetry: (e) =>
          progress.line(
            `  retry ${e.attempt} of ${e.method} after ${e.delayMs} ms: ${e.error.entraCode} (${e.error.status ?? 'no response'})`,
          ),
      }),
    });
    progress.stop();
    stop.dispose();
    // Stopped for memory: said on stderr, and a failure (exit 1), not an interruption (130); the cycle's
    // own output (its summary, --json) follows as for any cycle that stopped.
    const low = stop.memoryLow();
    if (low)
      session.err(
        `provsim: ${memoryLowText(low)}. ${options.dryRun ? dryRunMemoryNote(cycle.batched) : 'The requests in flight finished and what the cycle did is in the state: the next sync goes on from there'}`,
      );
    if (cycle.fixtureChanged !== undefined) session.err(fixtureChangedNote(cycle.fixtureChanged, options.dryRun ?? false));
    const exitCode = low ? EXIT_CODES.failed : cycleExitCode(cycle);
    const notes = options.dryRun
      ? []
      : ((await notifier?.afterCycle(cycle, quarantineBefore, {
          target: session.provisioner.target,
          app: session.provisioner.inputs.tenant.app.name,
          secrets: session.secrets,
          clock: session.clock(),
        })) ?? []);

    if (options.json) {
      const json = cycleJson(cycle, requests.list(), session.provisioner.target, session.secrets);
      // A dry run planned in batches has no one plan to show: the changes of its batches, counted.
      const totals = planned.done > 0 ? { planTotals: { batches: planned.batches, planned: planned.done, ...planned.tally } } : {};
      for (const piece of jsonPieces({ ...json, ...totals }, 'requests')) out(piece);
    } else if (options.quiet && exitCode === 0) {
      // Nothing to say.
    } else if (!options.dryRun) {
      if (options.verbose) for (const e of cycle.log) if (e.provisioningAction !== 'Other' || e.status === 'Failure') out(renderEntry(e));
      out(
        renderCycle(
          cycle,
          requests.counts(),
          { tokenSent: session.tokenSent, secrets: session.secrets, verbose: options.verbose ?? false },
          style,
        ),
      );
    } else {
      // A dry run prints its plan as it is made; one planned in batches closes with their totals.
      if (planned.done > 0) out(renderPlanTotals(planned.tally, planned.done, planned.batches, style));
      if (cycle.jobFailure) {
        // Stopped by a job-level failure: say why, and (when nothing was planned) what the fixtures alone show.
        const what =
          planned.done === 0
            ? 'nothing was planned'
            : options.quiet
              ? `${planned.done} of ${planned.batches} batches were planned`
              : 'only the batches above were planned';
        out(
          `dry run ${cycle.status}: ${what}, and nothing but reads was sent\n${renderJobFailure(cycle.jobFailure, { tokenSent: session.tokenSent })}`,
        );
        if (planned.done === 0 && !cycle.plan && cycle.sources) out(renderSourceSummary(cycle.sources));
      }
    }
    for (const line of notes) session.err(line);
    return { exitCode, cycle, requests: requests.counts() };
  } finally {
    progress.stop();
    stop.dispose();
    deps.signal?.removeEventListener('abort', stopDrawing);
    await session.close();
  }
}

const silentProgress: Progress = {
  status: () => undefined,
  line: () => undefined,
  addWork: () => undefined,
  tick: () => undefined,
  stop: () => undefined,
};

/** Why a dry run stopped for memory needed it, and what to do. */
function dryRunMemoryNote(batched: boolean): string {
  return batched
    ? 'The dry run, planned in batches, stopped before its last batch and wrote nothing; the batches printed so far are as the sync would send them'
    : `A dry run planned as one batch holds its whole plan (every read and every change) until it is printed: plan it in batches with --batch-size (e.g. --batch-size ${DEFAULTS.batchSize})`;
}

const count = (n: number): string => n.toLocaleString('en-US');

/** The status line of a step before the plan. */
function phaseText(p: CyclePhase): string {
  switch (p.phase) {
    case 'probe':
      return "probing the target (Entra's connection test)…";
    case 'evaluate':
      return `evaluating ${p.users} users and ${p.groups} groups (assignments, scoping, mappings)…`;
    case 'observe':
      return `${p.batch ? `batch ${p.batch.index}/${p.batch.count}: ` : ''}reading the target: matching ${p.objects} objects…`;
  }
}

/**
 * The dry run's plan view: requests under `-v`, built from the provisioner's target and quirks, the state's
 * links and, in a dry run planned in batches, what the earlier batches created or linked. Colour only when
 * both streams are terminals (CliDeps says so for stderr only; stdout is asked directly), or FORCE_COLOR.
 */
function dryRunView(session: Session, options: SyncOptions, style: Style, planned: BatchedPlans): PlanRenderOptions {
  const { provisioner } = session;
  return {
    verbose: options.verbose ?? false,
    style,
    wire: {
      baseUrl: provisioner.target,
      quirks: provisioner.quirks,
      membersPerPatch: provisioner.membersPerPatch,
      linkedTargetId: (sourceId) => {
        const earlier = planned.linked.get(sourceId);
        return earlier !== undefined ? earlier : (provisioner.link(sourceId)?.targetId ?? null);
      },
      createdEarlier: (sourceId) => planned.created.get(sourceId) ?? null,
    },
  };
}

/**
 * What a dry run planned in batches has printed so far: the changes of every batch, for the totals, and
 * (when its plans are printed) what each earlier batch left each object with: created (its id a stand-in),
 * linked to a target id, or forgotten (null), as apply would have. `batches` is the count the last plan
 * gave: a run stopped before its deferred references does not know of that batch yet.
 */
interface BatchedPlans {
  /** Batches of the dry run, and those planned so far. */
  batches: number;
  done: number;
  tally: PlanTally;
  created: Map<string, ObjectRef>;
  linked: Map<string, string | null>;
  add(plan: Plan, count: number): void;
}

function batchedPlans(keepLinks: boolean): BatchedPlans {
  const planned: BatchedPlans = {
    batches: 0,
    done: 0,
    tally: emptyTally(),
    created: new Map(),
    linked: new Map(),
    add(plan, count) {
      planned.batches = count;
      planned.done++;
      tallyPlan(plan, planned.tally);
      if (!keepLinks) return;
      for (const c of plan.objects) if (c.action === 'create') planned.created.set(c.object.sourceId, c.object);
      for (const [id, targetId] of plannedLinks(plan)) planned.linked.set(id, targetId);
    },
  };
  return planned;
}
