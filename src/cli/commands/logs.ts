/** `provsim logs`: the stored provisioning log, filtered, as a table or JSON. */
import { existsSync } from 'node:fs';
import { JSONPath } from 'jsonpath-plus';
import { resolve } from 'node:path';
import { parseInstant } from '../../shared/clock.js';
import { UsageError } from '../../shared/errors.js';
import { StateStore } from '../../store/store.js';
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
  const store = new StateStore(file);
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
    const entries = store.logs({
      ...(cycleId ? { cycleId } : {}),
      ...(since ? { since } : {}),
      ...(options.status ? { status: options.status } : {}),
      ...(options.action ? { action: options.action } : {}),
      ...(options.user ? { user: options.user } : {}),
    });
    if (options.jsonpath !== undefined) deps.stdout.write(JSON.stringify(selectJsonPath(options.jsonpath, entries), null, 2) + '\n');
    else if (options.json) deps.stdout.write(JSON.stringify(entries, null, 2) + '\n');
    else if (options.csv) deps.stdout.write(renderLogCsv(entries));
    else deps.stdout.write(renderLogTable(entries) + '\n');
    return { exitCode: EXIT_CODES.ok, entries };
  } finally {
    store.close();
  }
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
