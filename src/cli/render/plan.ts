/**
 * The plan as a person reads it, `terraform plan` style: the summary line, then one block per object —
 * a create with its attributes as the POST sends them, an update or disable with each attribute old → new,
 * a manager change and membership changes by display name, deletes and held-back deletes with their reason,
 * failures with their code — skipped objects grouped by reason (each one with its reason when verbose), and
 * a closing `Plan: …` line. Verbose with `wire` also prints under each change the requests apply would send
 * (method, URL, JSON body), built by engine/plan-requests.ts, the builder apply itself sends from.
 *
 * Values are shown as the wire carries them (JSON: `"True"` is a string, `true` a boolean). A value of a
 * mapping row marked `Redact()` is shown as `[Redact]`, in the attribute lines and in the request bodies
 * alike, as the provisioning log shows it. That, and `<id of … once created>` where the target assigns an id
 * only when apply creates the object, are the only differences between what a dry run prints and what is sent.
 */
import { REDACTED } from '../../engine/attribute-changes.js';
import { DEFAULTS } from '../../engine/defaults.js';
import { isWrite, PLAN_FORMAT_VERSION, type Change, type MembersChange, type ObjectRef, type Plan } from '../../engine/plan.js';
import {
  plannedTargetIds,
  requestBody,
  requestPath,
  requestsFor,
  type ChangeRequests,
  type RequestOptions,
} from '../../engine/plan-requests.js';
import { defaultQuirks } from '../../scim/quirks.js';
import { plainStyle, type Style } from './style.js';

/** What printing the requests needs besides the plan. */
export interface PlanWire {
  /** The tenant URL without its query: the base of every request (`Provisioner.target`). */
  baseUrl: string;
  quirks: RequestOptions['quirks'];
  membersPerPatch: number;
  /**
   * The target id of an object linked before this plan (its link in the state, or what an earlier batch of
   * a dry run linked), or null (none, or forgotten by an earlier batch).
   */
  linkedTargetId(sourceId: string): string | null;
  /**
   * A dry run planned in batches: an object an earlier batch creates (its id is a stand-in, as for the
   * objects this plan creates), or null.
   */
  createdEarlier?(sourceId: string): ObjectRef | null;
}

export interface PlanRenderOptions {
  /** Each skipped object with its reason, every member, and (with `wire`) each change's requests. */
  verbose?: boolean;
  /** @default plainStyle */
  style?: Style;
  /** Without it, references name their objects' target ids only when the plan itself knows them. */
  wire?: PlanWire;
}

/** Members listed per direction when not verbose. */
const MEMBERS_SHOWN = 50;
/** Names listed per skip reason when not verbose. */
const SKIP_NAMES_SHOWN = 3;
const EXTENSION_PREFIX = 'urn:ietf:params:scim:schemas:extension:';

/** Short glosses of Entra's skip reasons, for the grouped skip lines. */
const SKIP_GLOSSES: Readonly<Record<string, string>> = {
  RedundantExport: 'unchanged',
  NotEffectivelyEntitled: 'not assigned',
  ScopeFilterNotSatisfied: 'out of the scoping filter',
  NotActive: 'disabled or soft-deleted, never provisioned',
  SkipOutOfScopeDeletions: 'left as it is: skipOutOfScopeDeletions',
  NotManaged: 'no longer managed',
  TargetObjectMissing: 'already gone from the target',
  ImportSkipped: 'no matching value',
  CreateActionDisabled: 'Create action off',
  UpdateActionDisabled: 'Update action off',
  DeleteActionDisabled: 'Delete action off',
  NoSoftDeleteMapping: 'nothing mapped from IsSoftDeleted',
};

export function planSummary(plan: Plan): string {
  const count = (a: string): number => [...plan.objects, ...plan.references, ...plan.deletes].filter((c) => c.action === a).length;
  const parts = [
    `${count('create')} to create`,
    `${count('update')} to update`,
    `${count('disable')} to disable`,
    `${count('delete')} to delete`,
    `${plan.references.filter(isWrite).length} reference updates`,
    `${count('skip')} unchanged or skipped`,
  ];
  if (count('fail') > 0) parts.push(`${count('fail')} failing`);
  if (count('staged-delete') > 0) parts.push(`${count('staged-delete')} held back (accidental-deletion threshold)`);
  return `plan (${plan.kind} cycle, ${plan.dialect} dialect): ${parts.join(', ')}`;
}

/**
 * The whole plan: summary, one block per object, skips grouped by reason (one by one when verbose), the
 * closing line. With `batch` (a dry run planned in batches), the summary names the batch and the closing
 * line counts that batch.
 */
export function renderPlan(plan: Plan, options: PlanRenderOptions = {}, batch?: { index: number; count: number }): string {
  const view = viewOf(plan, options);
  const changes = [...plan.objects, ...plan.references, ...plan.deletes];
  const blocks: string[][] = [];
  for (let i = 0; i < changes.length; i++) {
    const c = changes[i]!;
    if (c.action === 'skip' && !view.verbose) continue;
    if (isMembers(c)) {
      // One block per group: its additions and removals are planned next to each other.
      const group: MembersChange[] = [c];
      for (let next = changes[i + 1]; next && isMembers(next) && next.object.sourceId === c.object.sourceId; next = changes[i + 1]) {
        group.push(next);
        i++;
      }
      blocks.push(membersBlock(group, view));
    } else blocks.push(changeBlock(c, view));
  }
  if (!view.verbose) for (const line of skipLines(plan, view.style)) blocks.push([line]);

  const lines = [`${batch ? `batch ${batch.index}/${batch.count}: ` : ''}${planSummary(plan)}`];
  let previous: string[] | null = null;
  for (const block of blocks) {
    // A blank line around every block with lines under its header; one-line entries stay together.
    lines.push(...(previous === null || previous.length > 1 || block.length > 1 ? [''] : []), ...block);
    previous = block;
  }
  lines.push('', closingLine(plan, view.style));
  return lines.join('\n');
}

/** One change's block (a membership change alone; `renderPlan` merges a group's additions and removals). */
export function renderChange(change: Change, options: PlanRenderOptions = {}, plan?: Plan): string {
  const view = viewOf(plan ?? planOf(change), options);
  return (isMembers(change) ? membersBlock([change], view) : changeBlock(change, view)).join('\n');
}

// --- the blocks ------------------------------------------------------------------------------------------

interface View {
  style: Style;
  verbose: boolean;
  wire: PlanWire | null;
  requestOptions: RequestOptions;
  /** Stand-ins for target ids the target assigns when apply creates the object. */
  placeholders: Set<string>;
  /** Display names of the objects whose target ids the plan names (a previous manager's name). */
  nameByTargetId: Map<string, string>;
  secrets: Set<string>;
}

function viewOf(plan: Plan, options: PlanRenderOptions): View {
  const placeholders = new Set<string>();
  const pending = (o: ObjectRef): string => {
    const text = `<id of ${o.objectType} '${o.displayName}' once created>`;
    placeholders.add(text);
    return text;
  };
  const wire = options.wire ?? null;
  const linked = (id: string): string | null => {
    const created = wire?.createdEarlier?.(id) ?? null;
    return created ? pending(created) : (wire?.linkedTargetId(id) ?? null);
  };
  const targetIdOf = plannedTargetIds(plan, linked, pending);
  const nameByTargetId = new Map<string, string>();
  const secrets = new Set<string>();
  for (const c of [...plan.objects, ...plan.references, ...plan.deletes]) {
    const id = 'targetId' in c ? c.targetId : null;
    if (id) nameByTargetId.set(id.toLowerCase(), c.object.displayName);
    if (c.action === 'create' || c.action === 'update' || c.action === 'disable')
      for (const m of c.modified) if (m.newValue === REDACTED) collectStrings(c.exported[m.displayName], secrets);
  }
  return {
    style: options.style ?? plainStyle,
    verbose: options.verbose ?? false,
    wire,
    requestOptions: {
      dialect: plan.dialect,
      quirks: wire?.quirks ?? defaultQuirks(plan.dialect),
      membersPerPatch: wire?.membersPerPatch ?? DEFAULTS.membersPerPatch,
      targetIdOf,
    },
    placeholders,
    nameByTargetId,
    secrets,
  };
}

function changeBlock(c: Exclude<Change, MembersChange>, view: View): string[] {
  const s = view.style;
  const head = (symbol: string, color: (t: string) => string, what: string, targetId: string | null): string =>
    `  ${color(symbol)} ${s.bold(nameOf(c.object))}${idPart(targetId, view)} ${color(`(${what})`)}`;
  switch (c.action) {
    case 'create':
      return [
        head('+', s.add, 'create', null),
        ...aligned(flattenResource(mask(c.body, view.secrets) as Record<string, unknown>), (v) => JSON.stringify(v)),
        ...requestLines(c, view),
      ];
    case 'update':
    case 'disable':
      return [
        head('~', s.change, c.action === 'update' ? 'update' : `disable: ${c.reason.replace(/: disable$/, '')}`, c.targetId),
        ...(c.modified.length > 0
          ? aligned(
              c.modified.map((m) => [m.displayName, m] as const),
              (m) => `${s.dim(shown(m.oldValue))} → ${s.change(shown(m.newValue))}`,
            )
          : c.operations.map((o) => `      ${JSON.stringify(mask(o, view.secrets))}`)),
        ...requestLines(c, view),
      ];
    case 'delete':
      return [head('-', s.remove, `delete: ${c.reason}`, c.targetId), ...requestLines(c, view)];
    case 'staged-delete':
      return [head('!', s.change, `${c.held.action} held back: ${c.reason.replace(/^held back: /, '')}`, c.targetId)];
    case 'skip': {
      // Some reasons already lead with the skip reason's name.
      const reason = c.reason.startsWith(`${c.skipReason}: `) ? c.reason.slice(c.skipReason.length + 2) : c.reason;
      return [s.dim(`  = ${nameOf(c.object)}${idPart(c.targetId, view)} (skip: ${c.skipReason}: ${reason})`)];
    }
    case 'fail': {
      const lines = [head('✗', s.remove, `fail: ${c.errorCode}: ${c.message}`, c.targetId)];
      const d = c.details;
      if (view.verbose && d) lines.push(s.dim(`      ${d.method} ${d.url} → ${d.status ?? 'no response'}`));
      return lines;
    }
    case 'set-manager': {
      const userId = view.requestOptions.targetIdOf(c.object.sourceId);
      if (!c.managerProvisioned) return [head('!', s.change, `manager left out: ${c.reason}`, userId)];
      const before = c.previous === null ? null : (view.nameByTargetId.get(c.previous.toLowerCase()) ?? `(target id ${c.previous})`);
      const after = c.managerSourceId === null ? '(none)' : `'${c.managerDisplayName ?? c.managerSourceId}'`;
      const value = before === null ? s.change(after) : `${s.dim(before.startsWith('(') ? before : `'${before}'`)} → ${s.change(after)}`;
      return [head('~', s.change, 'manager', userId), `      ${abbreviate(c.path)}: ${value}`, ...requestLines(c, view)];
    }
  }
}

function membersBlock(changes: readonly MembersChange[], view: View): string[] {
  const s = view.style;
  const first = changes[0]!;
  const groupId = view.requestOptions.targetIdOf(first.object.sourceId);
  const lines = [`  ${s.change('~')} ${s.bold(nameOf(first.object))}${idPart(groupId, view)} ${s.change('(members)')}`];
  for (const c of changes) {
    const [symbol, color] = c.action === 'add-members' ? (['+', s.add] as const) : (['-', s.remove] as const);
    const limit = view.verbose ? c.memberSourceIds.length : MEMBERS_SHOWN;
    c.memberSourceIds.slice(0, limit).forEach((id, i) => {
      // Only the links (the state's, and an earlier batch's) can say that a member has no target id.
      const unresolved = view.wire !== null && view.requestOptions.targetIdOf(id) === null;
      const name = c.memberDisplayNames[i] ?? id;
      lines.push(`      ${color(`${symbol} member '${name}'`)}${unresolved ? s.dim(' (no target id: left out)') : ''}`);
    });
    if (c.memberSourceIds.length > limit)
      lines.push(s.dim(`      ${symbol} … ${c.memberSourceIds.length - limit} more (-v lists every member)`));
  }
  for (const c of changes) lines.push(...requestLines(c, view));
  return lines;
}

/** Verbose with `wire`: each request of the change, as apply would send it. */
function requestLines(change: Change, view: View): string[] {
  if (!view.verbose || !view.wire) return [];
  const s = view.style;
  const planned: ChangeRequests = requestsFor(change, view.requestOptions);
  if (planned.kind === 'none') return planned.why === 'no-request' ? [] : [s.dim(`      (nothing sent: ${NOTHING_SENT[planned.why]})`)];
  if (planned.requests.length === 0) return [s.dim('      (nothing sent: no member has a target id)')];
  const base = view.wire.baseUrl.replace(/\/+$/, '');
  const encode = (id: string): string => (view.placeholders.has(id) ? id : encodeURIComponent(id));
  const lines: string[] = [];
  for (const r of planned.requests) {
    lines.push(`      → ${s.bold(r.method)} ${base}${requestPath(r, encode)}`);
    const body = requestBody(r);
    if (body !== undefined) lines.push(`        ${JSON.stringify(mask(body, view.secrets))}`);
  }
  return lines;
}

const NOTHING_SENT: Record<Exclude<Extract<ChangeRequests, { kind: 'none' }>['why'], 'no-request'>, string> = {
  'source-missing': 'the object itself has no target id in this cycle',
  'manager-not-provisioned': 'the manager is not provisioned',
  'manager-unresolved': 'the manager has no target id in this cycle',
};

function skipLines(plan: Plan, s: Style): string[] {
  const byReason = new Map<string, string[]>();
  for (const c of [...plan.objects, ...plan.deletes]) {
    if (c.action !== 'skip') continue;
    const names = byReason.get(c.skipReason) ?? [];
    names.push(c.object.displayName);
    byReason.set(c.skipReason, names);
  }
  return [...byReason].map(([reason, names]) => {
    const gloss = SKIP_GLOSSES[reason];
    const listed = names.slice(0, SKIP_NAMES_SHOWN).join(', ') + (names.length > SKIP_NAMES_SHOWN ? ', …' : '');
    return s.dim(`  = ${names.length} skipped: ${reason}${gloss ? ` (${gloss})` : ''}: ${listed}`);
  });
}

/** What a plan's closing line counts. */
export interface PlanTally {
  create: number;
  update: number;
  disable: number;
  delete: number;
  /** Reference changes that send a request. */
  references: number;
  fail: number;
  held: number;
}

export function tallyPlan(plan: Plan, into: PlanTally = emptyTally()): PlanTally {
  for (const c of [...plan.objects, ...plan.references, ...plan.deletes]) {
    if (c.action === 'create' || c.action === 'update' || c.action === 'disable' || c.action === 'delete' || c.action === 'fail')
      into[c.action]++;
    else if (c.action === 'staged-delete') into.held++;
  }
  into.references += plan.references.filter(isWrite).length;
  return into;
}

export const emptyTally = (): PlanTally => ({ create: 0, update: 0, disable: 0, delete: 0, references: 0, fail: 0, held: 0 });

function closingLine(plan: Plan, s: Style): string {
  return tallyLine(tallyPlan(plan), s, 'Plan');
}

/**
 * The closing line of a dry run planned in batches, after the last plan it printed: the changes of the
 * `done` batches of `count` (each batch's own closing line counts only that batch).
 */
export function renderPlanTotals(tally: PlanTally, done: number, count: number, s: Style = plainStyle): string {
  return tallyLine(
    tally,
    s,
    done === count ? `Plan, all ${count} batches` : `Plan so far, ${done} of ${count} batches (the dry run stopped)`,
  );
}

function tallyLine(t: PlanTally, s: Style, label: string): string {
  if ([t.create, t.update, t.disable, t.delete, t.references, t.fail, t.held].every((n) => n === 0))
    return s.bold(
      `${label === 'Plan' ? 'No changes' : `${label}: no changes`}: the target already matches; a sync would send nothing but reads.`,
    );
  const extra = [
    ...(t.references > 0 ? [`${t.references} reference updates`] : []),
    ...(t.fail > 0 ? [`${t.fail} failing`] : []),
    ...(t.held > 0 ? [`${t.held} held back`] : []),
  ];
  return s.bold(
    `${label}: ${t.create} to create, ${t.update} to update, ${t.disable} to disable, ${t.delete} to delete${extra.map((e) => `, ${e}`).join('')}.`,
  );
}

// --- values ----------------------------------------------------------------------------------------------

/**
 * A resource as flat SCIM paths, in its key order: `name.givenName`, `emails[type eq "work"].value`,
 * `<extension URN>:department`. `schemas` and `meta` are the envelope, not attributes, and are left out.
 * A multi-valued attribute whose elements each have a distinct `type` is shown element by element; any
 * other array as one JSON value.
 */
export function flattenResource(resource: Readonly<Record<string, unknown>>): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  const walk = (path: string, value: unknown): void => {
    if (isRecord(value) && Object.keys(value).length > 0) {
      for (const [k, v] of Object.entries(value)) walk(`${path}.${k}`, v);
    } else if (Array.isArray(value) && value.length > 0 && typedElements(value)) {
      for (const e of value)
        for (const [k, v] of Object.entries(e)) if (k !== 'type') walk(`${path}[type eq ${JSON.stringify(e['type'])}].${k}`, v);
    } else out.push([path, value]);
  };
  for (const [key, value] of Object.entries(resource)) {
    if (key === 'schemas' || key === 'meta') continue;
    if (key.toLowerCase().startsWith('urn:') && isRecord(value)) for (const [k, v] of Object.entries(value)) walk(`${key}:${k}`, v);
    else walk(key, value);
  }
  return out;
}

function typedElements(list: readonly unknown[]): list is Array<Record<string, unknown>> {
  const types = list.map((e) => (isRecord(e) && typeof e['type'] === 'string' ? e['type'] : null));
  return types.every((t) => t !== null) && new Set(types).size === types.length;
}

/**
 * `path: value` lines, values aligned. Extension paths are long: they do not widen the column, and the
 * standard extension prefix is shortened to `urn:…:`.
 */
function aligned<T>(rows: ReadonlyArray<readonly [string, T]>, format: (value: T) => string): string[] {
  const shortened = rows.map(([path, value]) => [abbreviate(path), value] as const);
  const width = Math.max(0, ...shortened.filter(([p]) => !p.startsWith('urn:')).map(([p]) => p.length + 1));
  return shortened.map(([path, value]) => `      ${path}:${' '.repeat(path.startsWith('urn:') ? 1 : width - path.length)}${format(value)}`);
}

function abbreviate(path: string): string {
  return path.toLowerCase().startsWith(EXTENSION_PREFIX) ? `urn:…:${path.slice(EXTENSION_PREFIX.length)}` : path;
}

function shown(value: string | null): string {
  return value === null ? '(none)' : JSON.stringify(value);
}

function idPart(targetId: string | null, view: View): string {
  if (targetId === null) return '';
  return view.style.dim(view.placeholders.has(targetId) ? ' [target id known after apply]' : ` [target id ${targetId}]`);
}

function nameOf(o: ObjectRef): string {
  return `${o.objectType} '${o.displayName}'`;
}

function isMembers(c: Change): c is MembersChange {
  return c.action === 'add-members' || c.action === 'remove-members';
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** `value` with every string that is a redacted row's value replaced by `[Redact]`. */
function mask(value: unknown, secrets: ReadonlySet<string>): unknown {
  if (secrets.size === 0) return value;
  if (typeof value === 'string') return secrets.has(value) ? REDACTED : value;
  if (Array.isArray(value)) return value.map((v) => mask(v, secrets));
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mask(v, secrets)]));
  return value;
}

/** A redacted row's exported value: a string, or role entries whose `value`s are the secret part. */
function collectStrings(value: unknown, into: Set<string>): void {
  if (typeof value === 'string') {
    if (value !== '') into.add(value);
  } else if (Array.isArray(value)) for (const v of value) collectStrings(isRecord(v) ? v['value'] : v, into);
}

/** A plan of one change, for rendering a change on its own. */
function planOf(change: Change): Plan {
  const isReference = change.action === 'set-manager' || isMembers(change);
  const isDeprovision = change.action === 'delete' || change.action === 'staged-delete';
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    cycleId: '',
    kind: 'incremental',
    dialect: 'legacy',
    objects: isReference || isDeprovision ? [] : [change as Plan['objects'][number]],
    references: isReference ? [change] : [],
    deletes: isDeprovision ? [change] : [],
    deletionThresholdExceeded: false,
  };
}
