/**
 * The conformance runner: options + deps in, report data out (rendering is report-*.ts; the CLI command
 * writes files and picks the exit code).
 *
 * Order: the connection check (Entra's Test Connection probe: no answer, bad credentials or a base URL
 * where everything is 404 fail it and stop the run before anything is created), the lifecycle through
 * the real engine, the quirk matrix, the protocol checks, and ALWAYS the cleanup, whatever happened
 * before. An interrupt (deps.signal) lets the request in flight finish, skips every check not yet
 * reached, and still cleans up. Checks run one at a time: their evidence is the slice of the exchange log
 * taken while they ran. When all have run, failures explained by an earlier failure are marked as its
 * consequences (consequences.ts), from what each failure recorded (FailureFacts).
 *
 * The token is handed to the clients and nowhere else; the report holds only redacted evidence.
 */
import { DEFAULTS } from '../engine/defaults.js';
import type { Axios } from 'axios';
import type { CycleResult } from '../engine/cycle-result.js';
import { openProvisioner, type Provisioner } from '../engine/open.js';
import type { CompiledJob } from '../mapping/compile.js';
import { ScimClient, type RequestEvent } from '../scim/client.js';
import { dialectFromUrl } from '../scim/dialect.js';
import { createHttpClient } from '../scim/http.js';
import type { QuirkName } from '../scim/quirks.js';
import { parseTenantUrl } from '../scim/tenant-url.js';
import type { DialectName } from '../scim/types.js';
import { systemClock, type Clock } from '../shared/clock.js';
import { ScimRequestError } from '../shared/errors.js';
import { systemRandom, type Random } from '../shared/random.js';
import {
  catalogue,
  CONNECTION_CHECK,
  dependenciesOf,
  engineFailures,
  expectEngineChange,
  KNOWN_GAPS,
  LIFECYCLE_STEPS,
  PROTOCOL_CHECKS,
  QUIRK_CHECKS,
  QUIRKS,
  selectChecks,
  testConnection,
  type CatalogueEntry,
  type FailureFacts,
  type LifecycleContext,
  type LifecycleStep,
} from './checks/index.js';
import { resolveSeverity } from './checks/definition.js';
import { CheckFailure, describeRequestError, type CheckContext, type CheckOutcome } from './checks/kit.js';
import { cleanup } from './cleanup.js';
import { attributeConsequences } from './consequences.js';
import { summarise } from './summary.js';
import { loadDefaultMapping } from './default-mapping.js';
import { EvidenceRecorder, redactDeep } from './evidence.js';
import { quirkMatrix } from './matrix.js';
import { RawClient } from './raw-client.js';
import { resourceOf, RunObjects } from './run-objects.js';
import { createScenario, INITIAL_STATE, type ScenarioUser } from './scenario.js';
import type { CheckResult, ConformanceReport, ConformanceSummary, Evidence } from './types.js';

export interface ConformanceOptions {
  /** The tenant URL, as Entra takes it: the SCIM base URL; `?aadOptscim062020` selects that dialect. */
  target: string;
  /** @default the tenant URL's: `aadOptscim062020` with that flag, else `legacy` */
  dialect?: DialectName;
  /** Plain http to a host that is not loopback (Entra only talks HTTPS). @default false */
  allowHttp?: boolean;
  /** Check ids or dotted prefixes; absent or empty = every check. */
  only?: readonly string[];
  /** The bearer token, or null to send no Authorization header. */
  token: string | null;
  /** Per-request timeout. @default 30000 */
  timeoutMs?: number;
  /** Quirks the lifecycle's engine runs with, on top of the dialect's defaults (`--quirk`). */
  quirks?: Partial<Record<QuirkName, boolean>>;
}

export interface ConformanceDeps {
  /** @default the system clock */
  clock?: Clock;
  /** @default crypto-random ids */
  random?: Random;
  /** The HTTP seam; created from the options when absent. */
  http?: Axios;
  /** Stops the run (Ctrl-C): the request in flight finishes, the rest is skipped, cleanup still runs. */
  signal?: AbortSignal;
  /** Called as each check finishes (progress output). */
  onCheck?: (result: CheckResult) => void;
  /**
   * Called after every request (a transcript, a verbose line), as the engine's hook is. Headers arrive with
   * Authorization redacted; bodies are as sent and received, so a server's echo of the token is the
   * listener's to redact.
   */
  onRequest?: (event: RequestEvent) => void;
  /** The engine's mapping; Entra's default mapping when absent. */
  job?: CompiledJob;
}

/**
 * Runs the conformance suite against a SCIM server: "will my server survive Entra?". Resolves when every
 * check has run (or was skipped) and the objects it created are cleaned up; `report.ok` is the verdict.
 */
export async function runConformance(input: ConformanceOptions, given: ConformanceDeps = {}): Promise<ConformanceReport> {
  // Before anything is sent: a bad URL or an unknown --only id is a usage error (exit 2).
  const url = parseTenantUrl(input.target, input.allowHttp ?? false, 'target');
  const options: ResolvedOptions = { ...input, baseUrl: url.base, dialect: input.dialect ?? dialectFromUrl(input.target) };
  const deps: ResolvedDeps = { ...given, clock: given.clock ?? systemClock, random: given.random ?? systemRandom };
  const entries = catalogue(options.dialect);
  const selected = selectChecks(
    options.only,
    entries.map((e) => e.id),
  );
  const { clock, random, signal } = deps;
  const startedAt = clock.now().toISOString();
  const runId = random.uuid().slice(0, 8);

  const recorder = new EvidenceRecorder(options.token);
  const objects = new RunObjects(runId, options.baseUrl);
  recorder.onEvidence(objects.observe);
  const http = deps.http ?? createHttpClient({ timeoutMs: options.timeoutMs ?? DEFAULTS.timeoutMs });
  const onRequest = (event: RequestEvent): void => {
    recorder.record(event);
    deps.onRequest?.(event);
  };
  const client = new ScimClient({ baseUrl: options.baseUrl, http, token: options.token, clock, onRequest });
  const raw = new RawClient({ baseUrl: options.baseUrl, http, token: options.token, clock, onRequest });
  const ctx: CheckContext = { client, raw, objects, random, dialect: options.dialect };

  const results = new Map<string, CheckResult>();
  const facts = new Map<string, FailureFacts>();
  // Messages quote server answers, which may echo the token: redacted like the evidence.
  const done = ({ result, failure }: Executed): void => {
    const clean = redactDeep(result, options.token);
    results.set(clean.id, clean);
    if (failure) facts.set(clean.id, failure);
    deps.onCheck?.(clean);
  };
  // The connection check always runs, so it is always reported, --only or not.
  const isSelected = (id: string): boolean => selected === null || selected.has(id) || id === CONNECTION_CHECK.id;
  const interrupted = (): boolean => signal?.aborted ?? false;

  let aborted: string | null = null;
  let cleanupReport: ConformanceReport['cleanup'] = { deleted: [], leftovers: [], evidence: [] };
  try {
    const connection = await execute(CONNECTION_CHECK, CONNECTION_CHECK.severity, recorder, clock, () =>
      testConnection(raw, options.baseUrl, random),
    );
    done(connection);
    if (connection.result.status === 'failed') aborted = connection.result.message;
    if (aborted === null) {
      const steps = LIFECYCLE_STEPS.filter((s) => isSelected(s.id));
      if (steps.length > 0 && !interrupted()) await runLifecycle({ ...ctx, options, deps, recorder, onRequest, isSelected, done, http });
      for (const check of [...QUIRK_CHECKS, ...PROTOCOL_CHECKS]) {
        if (interrupted()) break;
        if (!isSelected(check.id)) continue;
        done(await execute(check, resolveSeverity(check, options.dialect), recorder, clock, () => check.run(ctx)));
      }
    }
  } finally {
    cleanupReport = await cleanup(objects, client, raw, recorder);
  }

  const ran = entries.map(
    (entry) =>
      results.get(entry.id) ??
      skipped(
        entry,
        !isSelected(entry.id) ? 'not selected with --only' : aborted !== null ? `not run: ${aborted}` : 'not run: the run was interrupted',
      ),
  );
  const checks = redactDeep(attributeConsequences(ran, facts, dependenciesOf(options.dialect)), options.token);
  const summary = summarise(checks);
  return {
    formatVersion: 1,
    tool: 'provsim conformance',
    target: options.baseUrl,
    dialect: options.dialect,
    runId,
    startedAt,
    finishedAt: clock.now().toISOString(),
    // Every failed mandatory check, consequences included: a consequence never makes a run pass.
    ok: !checks.some((c) => c.status === 'failed' && c.severity === 'mandatory') && aborted === null && !interrupted(),
    interrupted: interrupted(),
    aborted,
    only: selected === null ? null : [...(options.only ?? [])],
    summary,
    checks,
    quirkMatrix: quirkMatrix(QUIRKS, checks),
    gaps: [...KNOWN_GAPS],
    cleanup: redactDeep(cleanupReport, options.token),
  };
}

type ResolvedOptions = ConformanceOptions & { baseUrl: string; dialect: DialectName };
type ResolvedDeps = ConformanceDeps & { clock: Clock; random: Random };

type Info = Omit<CatalogueEntry, 'severity'>;

/** A finished check, and for a failure what consequences.ts needs to know about it. */
interface Executed {
  result: CheckResult;
  failure: FailureFacts | null;
}

interface ExecuteContext {
  /** Exchanges before the body ran that belong to the check (a lifecycle step's cycle). */
  before?: Evidence[];
  onFailure?: () => string;
  startedMs?: number;
  /** The check's own refused and accepted requests, when they are not simply those of its body (lifecycle steps). */
  requests?: () => Pick<FailureFacts, 'refused' | 'accepted'>;
}

/** Runs one check body: a returned outcome passes, CheckFailure (or any error) fails. */
async function execute(
  info: Info,
  severity: CheckResult['severity'],
  recorder: EvidenceRecorder,
  clock: Clock,
  body: () => Promise<CheckOutcome>,
  context: ExecuteContext = {},
): Promise<Executed> {
  const mark = recorder.mark();
  // A lifecycle step's time includes its engine cycle.
  const started = context.startedMs ?? clock.now().getTime();
  const base = {
    id: info.id,
    title: info.title,
    part: info.part,
    severity,
    source: info.source,
    ...(info.quirk !== undefined ? { quirk: info.quirk } : {}),
    ...(info.dialect !== undefined ? { dialect: info.dialect } : {}),
  };
  const finish = (fields: Pick<CheckResult, 'status' | 'message'> & { verdict?: CheckResult['verdict'] }): CheckResult => ({
    ...base,
    ...fields,
    evidence: [...(context.before ?? []), ...recorder.since(mark)],
    durationMs: clock.now().getTime() - started,
  });
  try {
    const outcome = await body();
    return {
      result: finish({ status: 'passed', message: outcome.message, ...(outcome.verdict ? { verdict: outcome.verdict } : {}) }),
      failure: null,
    };
  } catch (error) {
    const extra = context.onFailure?.() ?? '';
    const message = error instanceof CheckFailure ? error.message : `the check stopped on an error: ${describeRequestError(error)}`;
    const verdict = error instanceof CheckFailure ? error.verdict : info.part === 'quirks' ? 'inconclusive' : undefined;
    const result = finish({ status: 'failed', message: `${message}${extra}`, ...(verdict ? { verdict } : {}) });
    const detail = error instanceof CheckFailure ? error.detail : {};
    const refusal = error instanceof ScimRequestError ? error : detail.refused;
    const own = context.requests?.() ?? {
      refused:
        refusal && refusal.status !== null
          ? result.evidence.filter((e) => e.method === refusal.method && e.url === refusal.url && e.status === refusal.status).slice(-1)
          : [],
      accepted: result.evidence.filter((e) => e.method !== 'GET' && isSuccess(e)),
    };
    return {
      result,
      failure: {
        ...own,
        symptom: detail.symptom ?? null,
        missing: detail.missing ?? null,
        precondition: detail.precondition ?? null,
        stoppedBy: detail.stoppedBy ?? null,
      },
    };
  }
}

function isSuccess(e: Evidence): boolean {
  return e.status !== null && e.status >= 200 && e.status < 300;
}

interface LifecycleRun extends CheckContext {
  options: ResolvedOptions;
  deps: ResolvedDeps;
  recorder: EvidenceRecorder;
  http: Axios;
  /** Every request's hook: the recorder's, then the caller's. */
  onRequest(event: RequestEvent): void;
  isSelected(id: string): boolean;
  done(executed: Executed): void;
}

/**
 * The engine syncs one tenant snapshot per step (up to the last selected step: later ones are not
 * needed); selected steps then verify with the verifier's own GETs. The engine is the library's own
 * provisioner (engine/open.ts), with its state in memory and Entra's default mapping.
 */
async function runLifecycle(run: LifecycleRun): Promise<void> {
  const { options, deps, recorder } = run;
  const { clock, random, signal } = deps;
  const lastIndex = LIFECYCLE_STEPS.reduce((last, s, i) => (run.isSelected(s.id) ? i : last), -1);
  const job = deps.job ?? (await loadDefaultMapping());
  const scenario = createScenario(run.objects, random);
  let state = INITIAL_STATE;
  const engine: Provisioner = await openProvisioner(
    {
      fixtures: scenario.tenant(state),
      mapping: job,
      target: options.baseUrl,
      token: options.token,
      state: ':memory:',
      allowHttp: options.allowHttp ?? false,
      dialect: options.dialect,
      ...(options.quirks ? { quirks: options.quirks } : {}),
      concurrency: 4,
    },
    { clock, random, http: run.http, onRequest: run.onRequest },
  );

  // Target ids as the verifier finds them by name; never taken from the engine's state.
  const ids = new Map<ScenarioUser | 'group', string>();
  const lookupErrors = new Map<ScenarioUser | 'group', string>();
  const lookup = async (key: ScenarioUser | 'group'): Promise<string | undefined> => {
    const cached = ids.get(key);
    if (cached) return cached;
    const names =
      key === 'group'
        ? state.group?.renamed
          ? [scenario.groupRenamed, scenario.groupName]
          : [scenario.groupName, scenario.groupRenamed]
        : [scenario.userNames[key]];
    for (const name of names) {
      try {
        const found = await run.client.filter(key === 'group' ? 'Groups' : 'Users', key === 'group' ? 'displayName' : 'userName', name);
        const id = found.length === 1 ? found[0]?.id : undefined;
        if (id) {
          ids.set(key, id);
          lookupErrors.delete(key);
          return id;
        }
      } catch (error) {
        // Not fatal here: the step that needs the id reports it.
        lookupErrors.set(key, describeRequestError(error));
      }
    }
    return undefined;
  };
  const ctx: LifecycleContext = {
    ...run,
    scenario,
    cycleEvidence: [],
    outcomes: [],
    targetId: async (key) => {
      const id = await lookup(key);
      const what =
        key === 'group'
          ? `group "${state.group?.renamed ? scenario.groupRenamed : scenario.groupName}"`
          : `user ${scenario.userNames[key]}`;
      const failed = lookupErrors.get(key);
      if (!id)
        throw new CheckFailure(
          failed
            ? `the ${what} could not be looked up by its name: ${failed}`
            : `the ${what} is not in the target (a filter by its name finds nothing)`,
          undefined,
          failed ? {} : { missing: key },
        );
      return id;
    },
  };

  let jobFailure: string | null = null;
  let fatal: { message: string; step: string } | null = null;
  try {
    for (const [index, step] of LIFECYCLE_STEPS.entries()) {
      if (index > lastIndex || signal?.aborted) break;
      const mark = recorder.mark();
      const startedMs = clock.now().getTime();
      if (fatal !== null) {
        const stopped = new CheckFailure(fatal.message, undefined, { stoppedBy: fatal.step });
        if (run.isSelected(step.id)) run.done(await execute(step, step.severity, recorder, clock, () => Promise.reject(stopped)));
        continue;
      }
      // Read before the cycle: the state the step starts from (what an earlier step was to leave).
      let notVerifiable: CheckFailure | null = null;
      if (step.precondition && run.isSelected(step.id)) {
        try {
          await step.precondition.check(ctx);
        } catch (error) {
          notVerifiable = preconditionFailure(error, step.precondition.after);
        }
      }
      if (step.change) {
        state = step.change(state);
        let cycle: CycleResult;
        try {
          cycle = await engine.sync({ fixtures: scenario.tenant(state), ...(signal ? { signal } : {}) });
        } catch (error) {
          // Not the target's doing (a cycle reports request failures in its result): later steps cannot run.
          fatal = {
            message: `not verified: the engine stopped in the cycle of ${step.id}: ${error instanceof Error ? error.message : String(error)}`,
            step: step.id,
          };
          const stopped = new CheckFailure(fatal.message);
          if (run.isSelected(step.id)) run.done(await execute(step, step.severity, recorder, clock, () => Promise.reject(stopped)));
          continue;
        }
        if (cycle.status === 'interrupted') break;
        jobFailure = cycle.jobFailure ? `the cycle failed: ${cycle.jobFailure.reason}: ${cycle.jobFailure.message}` : null;
        ctx.outcomes = cycle.outcomes;
        // Learn the ids of objects that exist now, while their names still find them (before a delete).
        for (const key of ['user', 'manager1', 'manager2', 'member', 'group'] as const) {
          if (key === 'group' ? state.group !== null : key !== 'user' || state.userPresent) await lookup(key);
        }
        ctx.cycleEvidence = recorder.since(mark);
      }
      if (!run.isSelected(step.id)) continue;
      const before = step.change ? recorder.since(mark) : ctx.cycleEvidence;
      const engineSaid = [...(jobFailure ? [jobFailure] : []), ...engineFailures(step, ctx)];
      const verify = async (): Promise<CheckOutcome> => {
        if (notVerifiable) throw notVerifiable;
        const outcome = await step.verify(ctx);
        expectEngineChange(step, ctx);
        return outcome;
      };
      run.done(
        await execute(step, step.severity, recorder, clock, verify, {
          before,
          startedMs,
          onFailure: () => (engineSaid.length > 0 ? `. The engine's requests in this step failed: ${engineSaid.join('; ')}` : ''),
          requests: () => stepRequests(step, ctx, before, ids.get(step.engine.object), options.baseUrl),
        }),
      );
    }
  } finally {
    await engine.close();
  }
}

/**
 * A precondition that did not hold: the step cannot show anything. A missing object stays "missing"; a
 * read that failed on an error is that error (it says nothing about what `after` left).
 */
function preconditionFailure(error: unknown, after: string): CheckFailure {
  if (!(error instanceof CheckFailure))
    return new CheckFailure(`not verifiable: reading the state this step starts from failed: ${describeRequestError(error)}`);
  if (error.detail.missing !== undefined) return error;
  return new CheckFailure(
    `not verifiable: ${error.message}. That is the state ${after} was to leave; without it this step cannot show that it works`,
    undefined,
    { precondition: after },
  );
}

/**
 * A lifecycle step's own requests: those the engine sent for the step's object in the cycle it verifies.
 * Refused ones count only when the step's own change was among them (a stale retry of an earlier step's
 * change that fails again does not explain this step's failure).
 */
function stepRequests(
  step: LifecycleStep,
  ctx: LifecycleContext,
  cycle: Evidence[],
  targetId: string | undefined,
  baseUrl: string,
): Pick<FailureFacts, 'refused' | 'accepted'> {
  const sourceId = ctx.scenario.ids[step.engine.object];
  const mine = ctx.outcomes.filter((o) => o.change.object.sourceId === sourceId);
  const ownRefused = mine.some((o) => o.change.action === step.engine.action && o.status === 'failure');
  const failedRequests = (own: boolean) =>
    mine.flatMap((o) =>
      o.status === 'failure' && o.failure?.details && (o.change.action === step.engine.action) === own ? [o.failure.details] : [],
    );
  const refusedFor = (details: ReturnType<typeof failedRequests>) =>
    cycle.filter(
      (e) => e.status !== null && e.status >= 400 && details.some((d) => d.method === e.method && d.url === e.url && d.status === e.status),
    );
  // The step's own change first: the reason quotes the first refusal.
  const refused = ownRefused ? [...new Set([...refusedFor(failedRequests(true)), ...refusedFor(failedRequests(false))])] : [];
  const accepted =
    targetId === undefined ? [] : cycle.filter((e) => e.method !== 'GET' && isSuccess(e) && resourceOf(e.url, baseUrl)?.id === targetId);
  return { refused, accepted };
}

function skipped(entry: CatalogueEntry, reason: string): CheckResult {
  return {
    id: entry.id,
    title: entry.title,
    part: entry.part,
    severity: entry.severity,
    status: 'skipped',
    message: reason,
    source: entry.source,
    ...(entry.quirk !== undefined ? { quirk: entry.quirk } : {}),
    ...(entry.dialect !== undefined ? { dialect: entry.dialect } : {}),
    evidence: [],
    durationMs: 0,
  };
}
