/** `provsim status`: the job as the portal's overview shows it: state, last cycles, quarantine, escrows, links. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../../shared/errors.js';
import { StateStore } from '../../store/store.js';
import type { CycleRecord, Escrow, Quarantine } from '../../model/records.js';
import { EXIT_CODES } from '../exit-codes.js';
import type { CliDeps, CommandResult } from '../io.js';
import { DEFAULT_STATE_FILE } from '../session.js';

export interface StatusOptions {
  state?: string;
  json?: boolean;
}

export interface JobStatus {
  target: string | null;
  /** Entra's job status code: NotRun, Active, Quarantine. */
  state: 'NotRun' | 'Active' | 'Quarantine';
  quarantine: Quarantine | null;
  lastCycles: CycleRecord[];
  linked: { users: number; groups: number; disabled: number };
  escrows: Escrow[];
  pendingRestart: { initial: boolean; forceDeletes: boolean };
}

export function readStatus(store: StateStore): JobStatus {
  const cycles = store.cycles().filter((c) => !c.dryRun);
  const quarantine = store.quarantine();
  return {
    target: store.target(),
    state: quarantine ? 'Quarantine' : cycles.length === 0 ? 'NotRun' : 'Active',
    quarantine,
    lastCycles: cycles.slice(-5),
    linked: store.linkCounts(),
    escrows: [...store.escrows().values()].sort((a, b) => a.nextRetryAt.localeCompare(b.nextRetryAt)),
    pendingRestart: { initial: store.flag('initial'), forceDeletes: store.flag('force-deletes') },
  };
}

export async function statusCommand(options: StatusOptions, deps: CliDeps): Promise<CommandResult & { status: JobStatus }> {
  const file = resolve(deps.cwd, options.state ?? DEFAULT_STATE_FILE);
  if (!existsSync(file))
    throw new UsageError(`no state file at ${options.state ?? DEFAULT_STATE_FILE}; run provsim sync first, or pass --state`);
  // In place and read-only: readable while a sync or watch holds the state (and never waits for one).
  const store = new StateStore(file, { readOnly: true, snapshot: false });
  try {
    const status = readStatus(store);
    deps.stdout.write((options.json ? JSON.stringify(status, null, 2) : renderStatus(status)) + '\n');
    return { exitCode: EXIT_CODES.ok, status };
  } finally {
    store.close();
  }
}

export function renderStatus(s: JobStatus): string {
  const lines = [`Job: ${s.state}${s.target ? ` (target ${s.target})` : ''}`];
  if (s.quarantine) {
    const q = s.quarantine;
    lines.push(
      `  Quarantine: ${q.reason} — ${q.error}`,
      `    since ${q.seriesBegan} (${q.seriesCount} cycle(s) in a row); next attempt ${q.nextAttempt}`,
      '    leaves quarantine when a cycle succeeds; provsim restart --scope quarantine clears it now',
    );
  }
  lines.push(`  Linked: ${s.linked.users} users, ${s.linked.groups} groups (${s.linked.disabled} disabled)`);
  if (s.pendingRestart.initial || s.pendingRestart.forceDeletes)
    lines.push(
      `  Next cycle: ${[s.pendingRestart.initial ? 'initial (restart)' : '', s.pendingRestart.forceDeletes ? 'deletes allowed (force-deletes)' : ''].filter(Boolean).join(', ')}`,
    );
  lines.push(`  Escrows: ${s.escrows.length}`);
  for (const e of s.escrows.slice(0, 20))
    lines.push(
      `    ${e.objectType} ${e.sourceId}: ${e.errorCode}, ${e.attempts} attempt(s) since ${e.firstFailureAt}; next retry ${e.nextRetryAt || 'next cycle'}`,
    );
  if (s.escrows.length > 20) lines.push(`    … and ${s.escrows.length - 20} more (--json)`);
  lines.push('  Last cycles:');
  if (s.lastCycles.length === 0) lines.push('    none');
  for (const c of s.lastCycles) {
    const counts = Object.entries(c.counts)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
    lines.push(`    ${c.startedAt}  ${c.id.slice(0, 8)}  ${c.kind.padEnd(11)} ${c.status.padEnd(18)} ${counts || '(nothing processed)'}`);
  }
  return lines.join('\n');
}
