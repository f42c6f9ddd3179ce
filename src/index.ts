/**
 * provsim's library API, listed explicitly: Entra-shaped SCIM traffic inside a SCIM server's own test suite.
 *
 * ```ts
 * import { startTarget, openProvisioner, runConformance } from 'provsim';
 * const target = await startTarget({ profile: 'tolerant', token });
 * const p = await openProvisioner({ fixtures, mapping, target: target.url, token, state: ':memory:' });
 * const cycle = await p.sync();
 * await p.close();
 * const report = await runConformance({ target: url, token, dialect });
 * ```
 *
 * Everything else in `src/` is internal and may change between versions.
 */

// The engine: one provisioning job against one SCIM target.
export { openProvisioner } from './engine/open.js';
export type { Provisioner, ProvisionerConfig, ProvisionerDeps, ProvisionOptions, SyncOptions } from './engine/open.js';
export type { CycleResult } from './engine/cycle-result.js';
export type { EngineHooks } from './engine/hooks.js';
export type { ChangeOutcome } from './engine/outcome.js';
export type { Observation, RequestFailure } from './engine/observation.js';
export type {
  Change,
  CreateChange,
  DeleteChange,
  DeprovisionChange,
  FailChange,
  ManagerChange,
  MembersChange,
  ObjectChange,
  ObjectRef,
  Plan,
  ReferenceChange,
  SkipChange,
  StagedDeleteChange,
  UpdateChange,
} from './engine/plan.js';
export type { RetryPolicy, RetryEvent } from './engine/retry.js';
export { DEFAULT_RETRY_POLICY } from './engine/retry.js';
export type { EscrowSchedule } from './engine/escrow-schedule.js';
export { ESCROW_SCHEDULES } from './engine/escrow-schedule.js';
export { DEFAULTS } from './engine/defaults.js';
export type { JobFailureInfo } from './engine/settle.js';

// Inputs: fixture tenants and mappings, from files or already loaded.
export { loadFixtures, loadMapping } from './engine/load-inputs.js';
export type { FixturesInput, MappingInput } from './engine/load-inputs.js';
export { parseTenant } from './source/index.js';
export type { TenantFiles, TextFile } from './source/index.js';
export { generateTenant } from './source/generate/generate-tenant.js';
export type { Tenant, SourceUser, SourceGroup, AppRole, SourceValue } from './model/directory.js';
export type { CompiledJob } from './mapping/compile.js';
export type { Anchor, CycleKind, CycleStatus, Escrow, LogEntry, ModifiedProperty, ProvisioningStep, Quarantine } from './model/records.js';
export type { LogQuery } from './store/store.js';

// The wire: dialects and quirks, with their evidence.
export { QUIRKS, QUIRK_NAMES, defaultQuirks } from './scim/quirks.js';
export type { QuirkDefinition, QuirkName, Quirks } from './scim/quirks.js';
export type { DialectName, ScimResource, PatchOperation } from './scim/types.js';
export type { RequestEvent } from './scim/client.js';

// The embedded SCIM target (SCIMMY on 127.0.0.1): tolerant and strict profiles.
export { startTarget } from './scim-server/index.js';
export type { RequestLogEntry, RunningTarget, StartTargetOptions, TargetOptions, TargetProfile, TargetRules } from './scim-server/index.js';

// Conformance: "will my server survive Entra?", and its reports.
export { runConformance, renderHtmlReport, renderJsonReport, renderJunitReport, renderTextSummary } from './conformance/index.js';
export type {
  CheckPart,
  CheckResult,
  CheckStatus,
  CleanupReport,
  ConformanceDeps,
  ConformanceOptions,
  ConformanceReport,
  ConformanceSummary,
  Consequence,
  Evidence,
  KnownGap,
  QuirkMatrixRow,
  QuirkVerdict,
  Severity,
} from './conformance/index.js';

// The fixture tenants and mappings the package ships.
export { bundled } from './shared/bundled.js';

// Seams for deterministic runs, diagnostics and errors.
export { ManualClock, systemClock } from './shared/clock.js';
export type { Clock } from './shared/clock.js';
export { seededRandom, systemRandom } from './shared/random.js';
export type { Random } from './shared/random.js';
export { formatDiagnostic } from './shared/diagnostics.js';
export type { Diagnostic } from './shared/diagnostics.js';
export { memoryLowText, watchMemory } from './shared/memory-watchdog.js';
export type { MemoryLow, MemoryWatchdogOptions } from './shared/memory-watchdog.js';
export { InputError, InternalError, JobFailure, ProvsimError, ScimRequestError, StateFileError, UsageError } from './shared/errors.js';
export { StateFileInUseError } from './store/state-lock.js';
export { StateFileIoError } from './store/sqlite-errors.js';
export { ServiceIncompatibleError } from './scim/service-incompatible.js';
