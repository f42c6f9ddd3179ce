/**
 * `provsim logs`: the stored provisioning log, filtered, as a table or JSON. A `--user` that matches nothing
 * still exits 0 with an empty result on stdout, and says why on stderr: which other filter left nothing,
 * or the closest names the log does have.
 */
import { existsSync } from 'node:fs';
import { JSONPath } from 'jsonpath-plus';
import { resolve } from 'node:path';
import { parseInstant } from '../../shared/clock.js';
import { UsageError } from '../../shared/errors.js';
import { foldText, type NearIdentity } from '../../store/log-search.js';
import { StateStore, type LogQuery } from '../../store/store.js';
import type { LogEntry } from '../../model/records.js';
import { EXIT_CODES } from '../exit-codes.js';
import type { CliDeps, CommandResult } from '../io.js';
import { DEFAULT_STATE_FILE } from '../session.js';

export interface LogsOptions {
  state?: string;
  /** A cycle id (or its first characters), or `last`. */
  cycle?: string;
  status?: string;
  action?: string;
  /** A part of the display name, UPN, mail nickname, source id or target id; case and accents are ignored. */
  user?: string;
  json?: boolean;
  /** ISO time: entries at or after it. */
  since?: string;
  /** Print CSV (one row per entry) instead of the table. */
  csv?: boolean;
  /** A JSONPath over the array of entries, e.g. `$[?(@.status=="Failure")].errorDetails`; prints the matches as JSON. */
  jsonpath?: string;
}

const STATUSES = ['Success', 'Failure', 'Skipped', 'Warning'];
const ACTIONS = ['Create', 'Update', 'Disable', 'Delete', 'StagedDelete', 'Other'];

export async function logsCommand(options: LogsOptions, deps: CliDeps): Promise<CommandResult & { entries: LogEntry[] }> {
  const file = resolve(deps.cwd, options.state ?? DEFAULT_STATE_FILE);
  if (!existsSync(file))
    throw new UsageError(`no state file at ${options.state ?? DEFAULT_STATE_FILE}; run provsim sync first, or pass --state`);
  if (options.status && !STATUSES.some((s) => s.toLowerCase() === options.status!.toLowerCase()))
    throw new UsageError(`--status ${options.status} is not one of ${STATUSES.join(', ')}`);
  if (options.action && !ACTIONS.some((s) => s.toLowerCase() === options.action!.toLowerCase()))
    throw new UsageError(`--action ${options.action} is not one of ${ACTIONS.join(', ')}`);
  if (options.user !== undefined && foldText(options.user) === '')
    throw new UsageError(
      `--user ${JSON.stringify(options.user)} has nothing to search for once case, accents and spaces are set aside; give a part of a display name, UPN or mail nickname, e.g. --user jose`,
    );
  // In place and read-only: readable while a sync or watch holds the state (and never waits for one).
  const store = new StateStore(file, { readOnly: true, snapshot: false });
  try {
    let cycleId: string | undefined;
    if (options.cycle) {
      const cycles = store.cycles();
      const found = options.cycle === 'last' ? cycles.filter((c) => !c.dryRun).at(-1) : cycles.find((c) => c.id.startsWith(options.cycle!));
      if (!found)
        throw new UsageError(
          `no cycle ${options.cycle} in ${options.state ?? DEFAULT_STATE_FILE}; known: ${cycles.map((c) => c.id.slice(0, 8)).join(', ') || 'none'}`,
        );
      cycleId = found.id;
    }
    let since: string | undefined;
    if (options.since !== undefined) {
      const at = parseInstant(options.since);
      if (!at) throw new UsageError(`--since ${JSON.stringify(options.since)} is not an ISO-8601 time; e.g. --since 2026-06-01T09:00:00Z`);
      since = at.toISOString();
    }
    const others: LogQuery = {
      ...(cycleId ? { cycleId } : {}),
      ...(since ? { since } : {}),
      ...(options.status ? { status: options.status } : {}),
      ...(options.action ? { action: options.action } : {}),
    };
    const entries = store.logs({ ...others, ...(options.user ? { user: options.user } : {}) });
    if (options.user && entries.length === 0) deps.stderr.write(noUserMatch(options, store) + '\n');
    if (options.jsonpath !== undefined) deps.stdout.write(JSON.stringify(selectJsonPath(options.jsonpath, entries), null, 2) + '\n');
    else if (options.json) deps.stdout.write(JSON.stringify(entries, null, 2) + '\n');
    else if (options.csv) deps.stdout.write(renderLogCsv(entries));
    else deps.stdout.write(renderLogTable(entries) + '\n');
    return { exitCode: EXIT_CODES.ok, entries };
  } finally {
    store.close();
  }
}

/**
 * Why `--user` found nothing: the other filters (when the user alone has entries), or the names closest to
 * the query by the same folding, or that the log has nothing close.
 */
function noUserMatch(options: LogsOptions, store: StateStore): string {
  const user = options.user!;
  const q = JSON.stringify(user);
  const filters = (['cycle', 'status', 'action', 'since'] as const).filter((k) => options[k] !== undefined).map((k) => `--${k}`);
  if (filters.length > 0) {
    const alone = store.logCount({ user });
    if (alone > 0)
      return `no log entry matches --user ${q} together with ${filters.join(', ')}; ${alone} ${alone === 1 ? 'entry matches' : 'entries match'} --user ${q} alone: drop or widen ${filters.length === 1 ? 'that filter' : 'those filters'}`;
  }
  const total = store.logCount();
  const searched = 'a part of the display name, UPN, mail nickname, source id or target id, ignoring case and accents';
  if (total === 0) return `no log entry matches --user ${q}: the log is empty; run provsim sync first`;
  const near = store.nearestLogIdentities(user, 3);
  if (near.length === 0)
    return `no log entry matches --user ${q} (searched: ${searched}), and no name in the log is close to it; run provsim logs without --user to see its ${total} ${total === 1 ? 'entry' : 'entries'}`;
  return `no log entry matches --user ${q} (searched: ${searched}); closest: ${near.map(describeNear).join('; ')}`;
}

/**
 * "José Müller (jose.muller@contoso.com)", "Sales Team (group sales-team)"; the mail nickname too when it
 * is what came closest and is not already shown: "José Müller (jose.muller@contoso.com, mail nickname jmuller)".
 */
function describeNear(n: NearIdentity): string {
  const i = n.identity;
  const alias = i.userPrincipalName ?? i.mailNickname;
  const parts = [[i.type === 'Group' ? 'group' : '', alias ?? ''].filter(Boolean).join(' ')];
  if (n.name !== i.displayName && n.name !== alias) parts.push(`mail nickname ${n.name}`);
  const inner = parts.filter(Boolean).join(', ');
  return inner ? `${i.displayName} (${inner})` : i.displayName;
}

/** Applies a JSONPath (jsonpath-plus, its safe evaluator) to the entries; a bad path is a usage error. */
export function selectJsonPath(path: string, entries: readonly LogEntry[]): unknown[] {
  try {
    return JSONPath({ path, json: entries as unknown as object[], wrap: true, eval: 'safe' }) as unknown[];
  } catch (error) {
    throw new UsageError(
      `--jsonpath ${JSON.stringify(path)} is not a JSONPath this tool can run: ${(error as Error).message}; e.g. '$[?(@.status=="Failure")].errorCode'`,
    );
  }
}

const CSV_COLUMNS = [
  'activityDateTime',
  'cycleId',
  'changeId',
  'action',
  'status',
  'sourceType',
  'sourceId',
  'displayName',
  'targetId',
  'errorCode',
  'errorReason',
  'modifiedProperties',
] as const;

function csvCell(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** RFC 4180 CSV, one row per entry (modified properties as `name: old → new; …`). */
export function renderLogCsv(entries: readonly LogEntry[]): string {
  const rows = entries.map((e) => [
    e.activityDateTime,
    e.cycleId,
    e.changeId,
    e.provisioningAction,
    e.status,
    e.sourceIdentity.type,
    e.sourceIdentity.id,
    e.sourceIdentity.displayName,
    e.targetIdentity.id ?? '',
    e.errorCode ?? '',
    e.errorReason ?? '',
    e.modifiedProperties.map((p) => `${p.displayName}: ${p.oldValue ?? ''} → ${p.newValue ?? ''}`).join('; '),
  ]);
  return [CSV_COLUMNS.join(','), ...rows.map((r) => r.map(csvCell).join(','))].join('\r\n') + '\r\n';
}

export function renderLogTable(entries: readonly LogEntry[]): string {
  if (entries.length === 0) return '(no log entries match)';
  const rows = entries.map((e) => [
    e.activityDateTime.replace('T', ' ').slice(0, 19),
    e.cycleId.slice(0, 8),
    e.provisioningAction,
    e.status,
    e.sourceIdentity.type,
    e.sourceIdentity.displayName,
    e.targetIdentity.id ?? '',
    e.errorCode ?? modifiedText(e),
  ]);
  const head = ['Time (UTC)', 'Cycle', 'Action', 'Status', 'Type', 'Name', 'Target id', 'Error / modified'];
  const widths = head.map((h, i) => Math.min(40, Math.max(h.length, ...rows.map((r) => r[i]!.length))));
  const fmt = (r: string[]): string => r.map((c, i) => (i === r.length - 1 ? c : c.slice(0, widths[i]).padEnd(widths[i]!))).join('  ');
  return [fmt(head), ...rows.map(fmt)].join('\n');
}

function modifiedText(e: LogEntry): string {
  const skip = e.provisioningSteps.find((st) => st.details?.['SkipReason'])?.details?.['SkipReason'];
  if (e.status === 'Skipped' && skip) return skip;
  return e.modifiedProperties.map((p) => `${p.displayName}=${p.newValue ?? '∅'}`).join(', ');
}
