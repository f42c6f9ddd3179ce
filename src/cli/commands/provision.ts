/**
 * `provsim provision`: provision on demand (spec §5.7). One user — or one group with at most 5 members —
 * through the real engine, with the portal's steps: import, scope, match, action. The object is read live
 * from the target even when linked; the run is stored as an `on-demand` cycle in the provisioning log.
 */
import { didYouMean } from '../../shared/diagnostics.js';
import { UsageError } from '../../shared/errors.js';
import type { Observation } from '../../engine/observation.js';
import type { CycleResult } from '../../engine/cycle-result.js';
import { explainScope, type ScopeExplanation } from '../../scoping/explain-scope.js';
import type { Tenant } from '../../model/directory.js';
import type { LogEntry } from '../../model/records.js';
import { cycleExitCode } from '../exit-codes.js';
import { fixtureChangedNote } from '../render/fixture-changed.js';
import { renderJobFailure } from '../render/job-failure.js';
import type { CliDeps, CommandResult } from '../io.js';
import { openSession, type SessionOptions } from '../session.js';

export interface ProvisionOptions extends Omit<
  SessionOptions,
  'concurrency' | 'rps' | 'membersPerPatch' | 'batchSize' | 'escrowSchedule' | 'intervalMs' | 'readOnly'
> {
  /** A user's UPN or object id. */
  user?: string;
  /** A group's displayName or object id. */
  group?: string;
  json?: boolean;
  /** Print each request on stderr. */
  verbose?: boolean;
  /** Print nothing unless the object could not be provisioned. */
  quiet?: boolean;
}

/** Entra's on-demand limit for a group. */
export const ON_DEMAND_GROUP_MEMBERS = 5;

export interface OnDemandStep {
  step: 'Test connection' | 'Import' | 'Determine if in scope' | 'Match' | 'Perform action';
  status: 'success' | 'skipped' | 'failure';
  details: Record<string, unknown>;
}

export interface OnDemandReport {
  object: { type: 'User' | 'Group'; id: string; displayName: string };
  steps: OnDemandStep[];
  /** The provisioning-log entries written (the object, then any members). */
  log: LogEntry[];
}

export async function provisionCommand(
  options: ProvisionOptions,
  deps: CliDeps,
): Promise<CommandResult & { reports: OnDemandReport[]; cycle: CycleResult }> {
  if ((options.user === undefined) === (options.group === undefined))
    throw new UsageError('give exactly one of --user <UPN or id> and --group <name or id>');
  const session = await openSession(
    { ...options, concurrency: 1, echoRequests: options.verbose ?? false, keepRequests: options.json ?? false },
    deps,
  );
  try {
    const { tenant, job } = session.provisioner.inputs;
    const ids = pickObjects(tenant, options);
    // spec §1.14: the aadOptscim062020 flag "doesn't work with on-demand provisioning": Entra sends the
    // legacy shapes on demand. An explicit --dialect still wins.
    const flagIgnored = session.provisioner.dialect === 'aadOptscim062020' && options.dialect === undefined;
    if (flagIgnored && !options.json && !options.quiet)
      session.err(
        "note: Entra's provision on demand ignores ?aadOptscim062020 and sends the legacy shapes; pass --dialect aadOptscim062020 to override",
      );
    session.startCycleClock();
    const cycle = await session.provisioner.provision(ids.all, {
      ...(flagIgnored ? { dialect: 'legacy' as const } : {}),
      ...(deps.signal ? { signal: deps.signal } : {}),
    });
    if (cycle.fixtureChanged !== undefined) session.err(fixtureChangedNote(cycle.fixtureChanged, false));
    const reports = ids.all.map((id) => report(id, tenant, cycle, job.job.users.scoping, job.job.groups.scoping));
    if (options.json)
      session.out(
        JSON.stringify(
          {
            jobFailure: cycle.jobFailure,
            reports,
            requests: session.requests.list(),
          },
          null,
          2,
        ),
      );
    else if (!options.quiet || cycleExitCode(cycle) !== 0) {
      if (ids.note) session.err(ids.note);
      if (cycle.jobFailure) {
        session.out(`✗ Test connection: ${cycle.jobFailure.reason}: ${cycle.jobFailure.message}`);
        session.out(renderJobFailure(cycle.jobFailure, { tokenSent: session.tokenSent }));
      }
      for (const r of reports) session.out(renderReport(r));
    }
    return { exitCode: cycleExitCode(cycle), reports, cycle };
  } finally {
    await session.close();
  }
}

function userDisplayName(user: Tenant['users'][number]): string {
  const name = user.attributes['displayName'];
  return typeof name === 'string' ? name : user.userPrincipalName;
}

/** Above this many users, `--user` names no near UPN when it finds none (each would be read back from the files). */
const SUGGEST_UPNS_UP_TO = 100_000;

function pickObjects(tenant: Tenant, options: ProvisionOptions): { all: string[]; note?: string } {
  if (options.user !== undefined) {
    const key = options.user.toLowerCase();
    // By id first: a large tenant's users read their UPN back from their files (line-user.ts).
    const user =
      tenant.users.find((u) => u.id.toLowerCase() === key) ??
      (key.includes('@') ? tenant.users.find((u) => u.userPrincipalName.toLowerCase() === key) : undefined);
    if (!user) {
      // Suggested from a tenant small enough to keep its users' UPNs in memory (one read back is a parse).
      const hint =
        tenant.users.length <= SUGGEST_UPNS_UP_TO
          ? didYouMean(
              options.user,
              tenant.users.map((u) => u.userPrincipalName),
            )
          : null;
      throw new UsageError(
        `no user ${JSON.stringify(options.user)} in the fixtures (by UPN or object id)${hint ? `; did you mean ${hint}?` : ''}`,
      );
    }
    return { all: [user.id] };
  }
  const key = options.group!.toLowerCase();
  const group = tenant.groups.find((g) => g.id.toLowerCase() === key || g.displayName.toLowerCase() === key);
  if (!group) {
    const hint = didYouMean(
      options.group!,
      tenant.groups.map((g) => g.displayName),
    );
    throw new UsageError(
      `no group ${JSON.stringify(options.group)} in the fixtures (by displayName or object id)${hint ? `; did you mean ${hint}?` : ''}`,
    );
  }
  const members = group.memberIds.filter((id) => tenant.users.some((u) => u.id === id));
  const taken = members.slice(0, ON_DEMAND_GROUP_MEMBERS);
  const note =
    members.length > ON_DEMAND_GROUP_MEMBERS
      ? `note: provision on demand takes a group with at most ${ON_DEMAND_GROUP_MEMBERS} members; provisioning the first ${ON_DEMAND_GROUP_MEMBERS} of ${members.length}`
      : undefined;
  return { all: [...taken, group.id], ...(note ? { note } : {}) };
}

function report(
  id: string,
  tenant: Tenant,
  cycle: CycleResult,
  userScoping: Parameters<typeof explainScope>[0],
  groupScoping: Parameters<typeof explainScope>[0],
): OnDemandReport {
  const source = cycle.sources?.find((s) => s.id === id);
  const steps: OnDemandStep[] = [];
  const log = cycle.log.filter((e) => e.sourceIdentity.id === id);
  // The object as the fixtures name it: a cycle that failed at the probe evaluated nothing.
  const user = tenant.users.find((u) => u.id === id);
  const object = source
    ? { type: source.objectType, id, displayName: source.displayName }
    : {
        type: user ? ('User' as const) : ('Group' as const),
        id,
        // A user read back from a file that changed is named by its UPN: its attributes cannot be read.
        displayName: user
          ? cycle.fixtureChanged === undefined
            ? userDisplayName(user)
            : user.userPrincipalName
          : (tenant.groups.find((g) => g.id === id)?.displayName ?? id),
      };
  if (!source || (cycle.jobFailure && !cycle.plan)) {
    steps.push({
      step: 'Test connection',
      status: 'failure',
      details: cycle.jobFailure
        ? { reason: cycle.jobFailure.reason, message: cycle.jobFailure.message }
        : cycle.fixtureChanged !== undefined
          ? { reason: 'FixtureChanged', message: `the cycle stopped before this object was evaluated: ${cycle.fixtureChanged} changed` }
          : { reason: 'Unknown', message: 'the cycle stopped before this object was evaluated' },
    });
    return { object, steps, log };
  }
  steps.push({ step: 'Import', status: 'success', details: { ...source.view.attributes } });

  const scope: ScopeExplanation = explainScope(source.objectType === 'User' ? userScoping : groupScoping, source.view.attributes);
  const entitled = source.cause !== 'unassigned';
  steps.push({
    step: 'Determine if in scope',
    status: source.provision ? 'success' : 'skipped',
    details: {
      Assigned: entitled ? 'True' : 'False',
      Roles: source.view.appRoleAssignments.map((r) => r.displayName),
      ScopingFilter: scope.groups.length === 0 ? 'none' : scope,
      IsActive: source.cause === 'disabled' || source.cause === 'soft-deleted' ? 'False' : 'True',
      IsSoftDeleted: source.view.attributes['IsSoftDeleted'] ?? (source.provision ? 'False' : 'True'),
      ScopeEvaluationResult: source.provision ? 'InScope' : `NotInScope: ${source.causeDetail ?? ''}`,
    },
  });

  const observation: Observation | undefined = cycle.observations?.get(id);
  steps.push({ step: 'Match', ...matchStep(observation) });

  const entry = log[0];
  steps.push({
    step: 'Perform action',
    status: !entry ? 'skipped' : entry.status === 'Failure' ? 'failure' : entry.status === 'Skipped' ? 'skipped' : 'success',
    details: entry
      ? {
          action: entry.provisioningAction,
          status: entry.status,
          ...(entry.errorCode ? { errorCode: entry.errorCode, errorReason: entry.errorReason, request: entry.errorDetails } : {}),
          modifiedProperties: entry.modifiedProperties,
          steps: entry.provisioningSteps.map((s) => `${s.name}: ${s.description}`),
        }
      : { action: 'Other', reason: 'nothing to do' },
  });
  return { object, steps, log };
}

function matchStep(o: Observation | undefined): Pick<OnDemandStep, 'status' | 'details'> {
  switch (o?.kind) {
    case undefined:
      return { status: 'skipped', details: { reason: 'not matched: the object is not in scope and not linked' } };
    case 'matched':
      return { status: 'success', details: { query: `${o.attribute} eq "${o.value}"`, result: `matched target ${o.targetId}` } };
    case 'not-found':
      return {
        status: 'success',
        details: {
          queries: o.queried.map((q) => `${q.attribute} eq "${q.value}" → 0 results`),
          result: 'no match: the object will be created',
        },
      };
    case 'read':
      return { status: 'success', details: { result: `linked to target ${o.targetId} (read by id)` } };
    case 'anchor-missing':
      return { status: 'failure', details: { result: `linked target ${o.targetId} no longer exists (InvalidAnchor)` } };
    case 'duplicate':
      return {
        status: 'failure',
        details: { query: `${o.attribute} eq "${o.value}"`, result: `${o.count} matches (DuplicateTargetEntries)` },
      };
    case 'no-match-value':
      return { status: 'failure', details: { result: 'no matching attribute has a value (ImportSkipped)' } };
    case 'failed':
      return { status: 'failure', details: { errorCode: o.failure.code, message: o.failure.message } };
  }
}

const MARK: Record<OnDemandStep['status'], string> = { success: '✓', skipped: '–', failure: '✗' };

export function renderReport(r: OnDemandReport): string {
  const lines = [`Provision on demand: ${r.object.type} '${r.object.displayName}' (${r.object.id})`];
  r.steps.forEach((s, i) => {
    lines.push(`${i + 1}. ${MARK[s.status]} ${s.step}`);
    if (s.step === 'Import') {
      for (const [k, v] of Object.entries(s.details))
        if (v !== null && !(Array.isArray(v) && v.length === 0)) lines.push(`     ${k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`);
    } else if (s.step === 'Determine if in scope') {
      const d = s.details;
      lines.push(
        `     Assigned: ${String(d['Assigned'])}${(d['Roles'] as string[]).length ? ` (roles: ${(d['Roles'] as string[]).join(', ')})` : ''}`,
      );
      if (d['ScopingFilter'] === 'none') lines.push('     Scoping filter: none');
      else {
        (d['ScopingFilter'] as ScopeExplanation).groups.forEach((g, gi) => {
          lines.push(`     Scoping filter group ${gi + 1}: ${g.passed ? 'passed' : 'failed'}`);
          for (const c of g.clauses)
            lines.push(
              `       ${c.passed ? '✓' : '✗'} ${c.attribute} ${c.operator}${c.value === null ? '' : ` "${c.value}"`} (value: ${c.actual === null ? 'empty' : JSON.stringify(c.actual)})`,
            );
        });
      }
      lines.push(
        `     IsActive: ${String(d['IsActive'])}, IsSoftDeleted: ${String(d['IsSoftDeleted'])} → ${String(d['ScopeEvaluationResult'])}`,
      );
    } else if (s.step === 'Perform action') {
      const d = s.details;
      lines.push(
        `     ${String(d['action'])}: ${String(d['status'] ?? d['reason'])}${d['errorCode'] ? ` ${String(d['errorCode'])}: ${String(d['errorReason'])}` : ''}`,
      );
      for (const p of (d['modifiedProperties'] as
        Array<{ displayName: string; oldValue: string | null; newValue: string | null }> | undefined) ?? []) {
        lines.push(`       ${p.displayName}: ${p.oldValue ?? '∅'} → ${p.newValue ?? '∅'}`);
      }
      for (const step of (d['steps'] as string[] | undefined) ?? []) if (!step.startsWith('EntryImport')) lines.push(`       ${step}`);
    } else {
      for (const [k, v] of Object.entries(s.details)) lines.push(`     ${k}: ${Array.isArray(v) ? v.join('; ') : String(v)}`);
    }
  });
  return lines.join('\n');
}
