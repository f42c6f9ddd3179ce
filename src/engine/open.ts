/**
 * openProvisioner: the one composition root. It loads the inputs, opens the state store, builds the SCIM
 * client, the request queue and the retry policy, and returns a Provisioner that runs cycles against one
 * target. The CLI, the conformance runner, the wire tests and the benchmarks all build the engine here.
 *
 * Every option is checked before anything is opened or sent (a bad one throws TypeError or UsageError);
 * the fixtures and the mapping are loaded before the store is opened (their problems throw one InputError
 * with every diagnostic). The token goes to the SCIM client, and to the cycle as the secret to mask in what
 * it stores (server text may echo it back); nowhere else.
 */
import { existsSync } from 'node:fs';
import type { Axios } from 'axios';
import type PQueue from 'p-queue';
import type { CompiledJob } from '../mapping/compile.js';
import type { Tenant } from '../model/directory.js';
import type { Anchor, LogEntry, Quarantine } from '../model/records.js';
import { contentTypeFor, ScimClient, type RequestEvent } from '../scim/client.js';
import { dialectFromUrl } from '../scim/dialect.js';
import { createHttpClient } from '../scim/http.js';
import { defaultQuirks, type QuirkName, type Quirks } from '../scim/quirks.js';
import { parseTenantUrl } from '../scim/tenant-url.js';
import type { DialectName } from '../scim/types.js';
import { systemClock, type Clock } from '../shared/clock.js';
import type { Diagnostic } from '../shared/diagnostics.js';
import { UsageError } from '../shared/errors.js';
import { systemRandom, type Random } from '../shared/random.js';
import type { LoadTenantOptions } from '../source/index.js';
import type { StateFileInUseError } from '../store/state-lock.js';
import { openStateStore, type LogQuery, type StateStore } from '../store/store.js';
import { resolveCycleOptions, type CycleOptions } from './cycle-options.js';
import type { CycleResult } from './cycle-result.js';
import { DEFAULTS } from './defaults.js';
import { ESCROW_SCHEDULES, type EscrowSchedule } from './escrow-schedule.js';
import type { EngineHooks } from './hooks.js';
import { loadInputs, type FixturesInput, type MappingInput } from './load-inputs.js';
import { createQueue } from './queue.js';
import { runCycle, type CycleDeps } from './reconcile.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry.js';

export interface ProvisionerConfig {
  /** The fixture tenant: a directory, or a tenant already loaded (`loadFixtures`, `parseTenant`). */
  fixtures: FixturesInput;
  /** The attribute mapping: a YAML file, or a mapping already loaded (`loadMapping`). */
  mapping: MappingInput;
  /** The tenant URL, as Entra takes it: the SCIM base URL; `?aadOptscim062020` selects that dialect. */
  target: string;
  /** Sent as `Authorization: Bearer <token>`; null sends none. */
  token: string | null;
  /** The state file (links, watermarks, escrows, the provisioning log). `':memory:'` keeps no file. @default ':memory:' */
  state?: string;
  /**
   * Only dry runs will follow: a state file that does not exist is not created (the cycles start from an
   * empty state in memory); one that exists is read and left as it was. @default false
   */
  readOnly?: boolean;
  /**
   * When another process (or store) has the state file open for writing: wait up to `timeoutMs`
   * (`Infinity`: until it is free) instead of failing at once with StateFileInUseError; `onWait` is told
   * once who is being waited for. Dry runs never wait.
   */
  waitForState?: { timeoutMs: number; onWait?: (busy: StateFileInUseError) => void };
  /** Plain http to a host that is not loopback (Entra only talks HTTPS). @default false */
  allowHttp?: boolean;
  /** @default the tenant URL's: `aadOptscim062020` with that flag, else `legacy` */
  dialect?: DialectName;
  /** Quirks switched on or off on top of the dialect's defaults (`provsim quirks` lists them). */
  quirks?: Partial<Record<QuirkName, boolean>>;
  /** Requests in flight at once. @default 8 */
  concurrency?: number;
  /** Requests started per second; 0 or absent: unlimited. */
  rps?: number;
  /** Whole-request timeout in ms. @default 30000 */
  timeoutMs?: number;
  /** The retry ladder within a cycle, over DEFAULT_RETRY_POLICY. */
  retry?: Partial<RetryPolicy>;
  /** Members per membership PATCH. @default 100 */
  membersPerPatch?: number;
  /** Objects per batch in a large cycle. @default 2000 */
  batchSize?: number;
  /**
   * A dry run with more work than this (objects) is planned in batches, each plan to `hooks.onPlan` as it is
   * made and `result.plan` null; up to it, one whole plan. @default 50000
   */
  wholePlanLimit?: number;
  /** When failed objects are retried. @default 'current' */
  escrowSchedule?: 'current' | '2022' | EscrowSchedule;
  /** The job's cycle interval (the quarantine back-off's base). @default 40 min */
  intervalMs?: number;
}

/** The seams: time, randomness, the HTTP client, and what sees every request. All optional. */
export interface ProvisionerDeps {
  /** @default the system clock */
  clock?: Clock;
  /** @default crypto-random UUIDs */
  random?: Random;
  /** The axios instance requests go through. @default createHttpClient({ timeoutMs, maxSockets: concurrency }) */
  http?: Axios;
  /** Called after every request, without its headers (counters, transcripts, evidence). */
  onRequest?: (event: RequestEvent) => void;
  /** Stops waiting for the state file (`waitForState`): openProvisioner then rejects with its reason. */
  signal?: AbortSignal;
  /**
   * Aborts the requests in flight (SIGTERM: stop now), where a cycle's `signal` lets them finish (Ctrl-C).
   * Abort the cycle's signal too: the cycle then settles and commits what was done, and the aborted
   * changes count as not reached (the next cycle checks the target first).
   */
  abortRequests?: AbortSignal;
  /**
   * Opens the state store (a benchmark times its calls through a subclass).
   * @internal
   */
  openStore?: (file: string) => StateStore;
  /** How a fixture directory is loaded (tests read small JSON Lines tenants back from their files). */
  fixtureOptions?: LoadTenantOptions;
}

/** One cycle's own options. */
export interface SyncOptions {
  /** Plan only: read the target, send no write, store nothing. @default false */
  dryRun?: boolean;
  /** Entra's ForceDeletes: let deletions through the accidental-deletion threshold. @default false */
  allowDeletes?: boolean;
  /** Start a new initial cycle although the mapping is unchanged (links are kept). @default false */
  forceInitial?: boolean;
  /** New inputs for this cycle and the next ones (the tenant on its next day, an edited mapping). */
  fixtures?: FixturesInput;
  mapping?: MappingInput;
  /** Progress: the plan, each change, each retry. */
  hooks?: EngineHooks;
  /** Stops the cycle: requests in flight finish, nothing new starts, what was done is committed. */
  signal?: AbortSignal;
}

/** Provision on demand: a few objects, read live, recorded as an `on-demand` cycle. */
export interface ProvisionOptions extends Pick<SyncOptions, 'hooks' | 'signal'> {
  /** Entra's provision on demand sends the legacy shapes whatever the tenant URL says. @default the provisioner's */
  dialect?: DialectName;
  quirks?: Partial<Record<QuirkName, boolean>>;
}

export interface Provisioner {
  /** The tenant URL without its query: the base of every request. */
  readonly target: string;
  readonly dialect: DialectName;
  readonly quirks: Quirks;
  /** Group members per membership PATCH, as apply chunks them (a dry run's request view needs it). */
  readonly membersPerPatch: number;
  /** The inputs the next cycle runs with. */
  readonly inputs: { readonly tenant: Tenant; readonly job: CompiledJob };
  /** Warnings of the inputs last loaded (errors throw). */
  readonly warnings: readonly Diagnostic[];
  /** One cycle: `initial` the first time (or after a mapping change), `incremental` after. */
  sync(options?: SyncOptions): Promise<CycleResult>;
  /** Provision on demand (spec §5.7): only these source object ids. */
  provision(sourceIds: Iterable<string>, options?: ProvisionOptions): Promise<CycleResult>;
  /** The link of a source object (its target id and how it was left), or null. */
  link(sourceId: string): Anchor | null;
  /** The job's quarantine as stored (null: not quarantined), e.g. to tell a cycle that enters one from one that stays. */
  quarantine(): Quarantine | null;
  /** Provisioning-log entries, oldest first. */
  logs(query?: LogQuery): LogEntry[];
  /** Closes the state store. The provisioner cannot run cycles after. */
  close(): Promise<void>;
}

export async function openProvisioner(config: ProvisionerConfig, deps: ProvisionerDeps = {}): Promise<Provisioner> {
  const url = parseTenantUrl(config.target, config.allowHttp ?? false, 'target');
  const dialect = config.dialect ?? dialectFromUrl(config.target);
  const quirksOf = (d: DialectName, over: ProvisionerConfig['quirks']): Quirks => ({ ...defaultQuirks(d), ...over });
  const quirks = quirksOf(dialect, config.quirks);
  const engine = {
    retry: { ...DEFAULT_RETRY_POLICY, ...config.retry },
    escrowSchedule:
      typeof config.escrowSchedule === 'string'
        ? scheduleNamed(config.escrowSchedule)
        : (config.escrowSchedule ?? ESCROW_SCHEDULES.current),
    ...(config.membersPerPatch !== undefined ? { membersPerPatch: config.membersPerPatch } : {}),
    ...(config.batchSize !== undefined ? { batchSize: config.batchSize } : {}),
    ...(config.wholePlanLimit !== undefined ? { wholePlanLimit: config.wholePlanLimit } : {}),
    ...(config.intervalMs !== undefined ? { intervalMs: config.intervalMs } : {}),
  } satisfies CycleOptions;
  // Checked now, before anything is loaded, opened or sent.
  const resolved = resolveCycleOptions({ ...engine, dialect, quirks });
  const concurrency = config.concurrency ?? DEFAULTS.concurrency;
  const queue: PQueue = createQueue({ concurrency, ...(config.rps ? { rps: config.rps } : {}) });
  if (config.waitForState !== undefined && !(config.waitForState.timeoutMs >= 0))
    throw new TypeError(
      `Expected \`waitForState.timeoutMs\` to be a number from 0 (Infinity: until the state file is free), got \`${String(config.waitForState.timeoutMs)}\``,
    );
  const timeoutMs = config.timeoutMs ?? DEFAULTS.timeoutMs;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1)
    throw new TypeError(`Expected \`timeoutMs\` to be an integer from 1, got \`${String(timeoutMs)}\``);
  if (typeof config.token !== 'string' && config.token !== null)
    throw new TypeError('Expected `token` to be a string, or null to send no Authorization header');

  const secrets: readonly string[] = config.token === null ? [] : [config.token];
  const clock = deps.clock ?? systemClock;
  const random = deps.random ?? systemRandom;
  const fixtureOptions = deps.fixtureOptions ?? {};
  let inputs = await loadInputs(config.fixtures, config.mapping, fixtureOptions);
  const named = config.state ?? ':memory:';
  const file = config.readOnly && named !== ':memory:' && !existsSync(named) ? ':memory:' : named;
  const store = deps.openStore
    ? deps.openStore(file)
    : await openStateStore(file, {
        readOnly: config.readOnly ?? false,
        clock,
        ...(config.waitForState ? { wait: config.waitForState } : {}),
        ...(deps.signal ? { signal: deps.signal } : {}),
      });
  const known = store.target();
  if (known !== null && known !== url.base) {
    store.close();
    throw new UsageError(
      `the state file ${config.state} belongs to ${known}, not ${url.base}; its links would be wrong there. Use another state file for this target`,
    );
  }
  const client = new ScimClient({
    baseUrl: url.base,
    http: deps.http ?? createHttpClient({ timeoutMs, maxSockets: concurrency }),
    token: config.token,
    clock,
    contentType: contentTypeFor(quirks),
    ...(deps.onRequest ? { onRequest: deps.onRequest } : {}),
    ...(deps.abortRequests ? { signal: deps.abortRequests } : {}),
  });
  let closed = false;

  const cycle = async (
    options: CycleOptions,
    run: { hooks?: EngineHooks; signal?: AbortSignal; fixtures?: FixturesInput; mapping?: MappingInput },
  ): Promise<CycleResult> => {
    if (closed) throw new UsageError('this provisioner is closed; open a new one with openProvisioner()');
    if (config.readOnly && !options.dryRun)
      throw new UsageError('this provisioner was opened readOnly: it runs dry runs only (sync({ dryRun: true }))');
    if (run.fixtures !== undefined || run.mapping !== undefined)
      inputs = await loadInputs(run.fixtures ?? inputs.tenant, run.mapping ?? inputs.job, fixtureOptions);
    // The state belongs to this target from its first cycle that may write (a dry run writes nothing).
    if (!options.dryRun && store.target() === null) store.setTarget(url.base);
    const deps: CycleDeps = {
      tenant: inputs.tenant,
      job: inputs.job,
      client,
      store,
      queue,
      clock,
      random,
      secrets,
      ...(run.hooks ? { hooks: run.hooks } : {}),
      ...(run.signal ? { signal: run.signal } : {}),
    };
    return runCycle(deps, options);
  };

  return {
    target: url.base,
    dialect,
    quirks,
    membersPerPatch: resolved.membersPerPatch,
    get inputs() {
      return { tenant: inputs.tenant, job: inputs.job };
    },
    get warnings() {
      return inputs.warnings;
    },
    sync: (options = {}) =>
      cycle(
        {
          ...engine,
          dialect,
          quirks,
          dryRun: options.dryRun ?? false,
          allowDeletes: options.allowDeletes ?? false,
          forceInitial: options.forceInitial ?? false,
        },
        options,
      ),
    provision: (sourceIds, options = {}) => {
      const d = options.dialect ?? dialect;
      return cycle(
        { ...engine, dialect: d, quirks: quirksOf(d, { ...config.quirks, ...options.quirks }), only: new Set(sourceIds) },
        options,
      );
    },
    link: (sourceId) => store.link(sourceId),
    quarantine: () => store.quarantine(),
    logs: (query) => store.logs(query),
    close: async () => {
      if (closed) return;
      closed = true;
      await queue.onIdle();
      store.close();
    },
  };
}

function scheduleNamed(name: string): EscrowSchedule {
  if (name === 'current' || name === '2022') return ESCROW_SCHEDULES[name];
  throw new TypeError(`Expected \`escrowSchedule\` to be 'current', '2022' or a schedule, got \`${name}\``);
}
