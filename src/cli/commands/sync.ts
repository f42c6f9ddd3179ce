/**
 * `provsim sync`: one provisioning cycle (initial or incremental) of a fixture tenant into a SCIM target.
 */
import { heapGuard } from '../../shared/heap-guard.js';
import { SingleBar } from 'cli-progress';
import { isWrite, type Plan } from '../../engine/plan.js';
import type { CycleResult } from '../../engine/cycle-result.js';
import type { RequestEvent } from '../../scim/client.js';
import { openSession, type Session, type SessionOptions } from '../session.js';
import { cycleExitCode } from '../exit-codes.js';
import type { CliDeps, CommandResult } from '../io.js';
import { countRequests } from '../request-counts.js';
import { DEFAULTS } from '../../engine/defaults.js';
import { renderCycle, renderEntry, renderSourceSummary } from '../render/human.js';
import { planSummary, renderPlan, type PlanRenderOptions } from '../render/plan.js';
import { styleFor } from '../render/style.js';
import { renderJobFailure } from '../render/job-failure.js';
import { cycleJson } from '../render/json.js';

export interface SyncOptions extends Omit<SessionOptions, 'intervalMs' | 'readOnly'> {
  /** Read the target and print the plan; write nothing to the target or the state. */
  dryRun?: boolean;
  json?: boolean;
  /** Let disables/deletes through the accidental-deletion threshold (Entra's ForceDeletes). */
  allowDeletes?: boolean;
  /** Start a new initial cycle (links are kept). */
  full?: boolean;
  /** Print one line per object that changed. */
  verbose?: boolean;
}

export interface SyncResult extends CommandResult {
  cycle: CycleResult | null;
  requests: RequestEvent[];
}

export async function syncCommand(options: SyncOptions, deps: CliDeps): Promise<SyncResult> {
  const session = await openSession({ ...options, readOnly: options.dryRun ?? false }, deps);
  const { out, err, requests } = session;
  try {
    let bar: SingleBar | null = null;
    session.startCycleClock();
    const cycle = await session.provisioner.sync({
      dryRun: options.dryRun ?? false,
      allowDeletes: options.allowDeletes ?? false,
      forceInitial: options.full ?? false,
      ...(deps.signal ? { signal: deps.signal } : {}),
      hooks: {
        onPlan: (plan: Plan, batch?: { index: number; count: number }) => {
          if (options.json) return;
          if (options.dryRun) out(renderPlan(plan, dryRunView(session, options, deps)));
          else if (!bar) err(`${batch ? `batch ${batch.index}/${batch.count}: ` : ''}${renderPlanHeadline(plan)}`);
          const writes = [...plan.objects, ...plan.references, ...plan.deletes].filter(isWrite).length;
          if (!options.dryRun && deps.isTTY && writes > 0) {
            // A batched cycle plans batch by batch: the bar's total grows with each batch.
            if (bar) (bar as SingleBar).setTotal((bar as SingleBar).getTotal() + writes);
            else {
              // cli-progress draws through `write` (readline's cursor moves too) and reads `isTTY` and
              // `columns`: any Writer will do; deps.stderr is process.stderr in the CLI.
              const stream = deps.stderr as NodeJS.WritableStream;
              bar = new SingleBar({
                format: '  {bar} {value}/{total} changes | {eta}s left',
                stream,
                hideCursor: true,
                clearOnComplete: true,
              });
              bar.start(writes, 0);
            }
          }
        },
        onBatchDone: heapGuard(),
        onChangeDone: (o) => {
          if (bar && isWrite(o.change)) bar.increment();
        },
        onRetry: (e) => {
          if (!options.json)
            err(`  retry ${e.attempt} of ${e.method} after ${e.delayMs} ms: ${e.error.entraCode} (${e.error.status ?? 'no response'})`);
        },
      },
    });
    (bar as SingleBar | null)?.stop();

    if (options.json) {
      out(JSON.stringify(cycleJson(cycle, requests, session.provisioner.target), null, 2));
    } else if (!options.dryRun) {
      if (options.verbose) for (const e of cycle.log) if (e.provisioningAction !== 'Other' || e.status === 'Failure') out(renderEntry(e));
      out(renderCycle(cycle, countRequests(requests), { tokenSent: session.tokenSent }));
    } else if (cycle.jobFailure) {
      // A dry run prints its plan as it is made; without one, say why, and what the fixtures alone show.
      out(
        `dry run ${cycle.status}: nothing was planned, and nothing but reads was sent\n${renderJobFailure(cycle.jobFailure, { tokenSent: session.tokenSent })}`,
      );
      if (!cycle.plan && cycle.sources) out(renderSourceSummary(cycle.sources));
    }
    return { exitCode: cycleExitCode(cycle), cycle, requests };
  } finally {
    await session.close();
  }
}

function renderPlanHeadline(plan: Plan): string {
  return planSummary(plan);
}

/**
 * The dry run's plan view: requests under `-v`, built from the provisioner's target and quirks and the
 * state's links. Colour only when both streams are terminals (CliDeps says so for stderr only; stdout is
 * asked directly), or FORCE_COLOR.
 */
function dryRunView(session: Session, options: SyncOptions, deps: CliDeps): PlanRenderOptions {
  const { provisioner } = session;
  const stdoutIsTTY = (deps.stdout as { isTTY?: unknown }).isTTY === true;
  return {
    verbose: options.verbose ?? false,
    style: styleFor(deps.env, deps.isTTY && stdoutIsTTY),
    wire: {
      baseUrl: provisioner.target,
      quirks: provisioner.quirks,
      membersPerPatch: options.membersPerPatch ?? DEFAULTS.membersPerPatch,
      linkedTargetId: (sourceId) => provisioner.link(sourceId)?.targetId ?? null,
    },
  };
}
