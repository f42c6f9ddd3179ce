/**
 * A cycle's failures grouped by cause, each group with its count, a cause line, a few examples and a hint
 * (`23 users: PATCH /Users/{id} → 400 invalidValue "…"`, then what to do), instead of one line per object.
 *
 * The cause is the failing request's method and path shape, the object type, what the request wrote (the
 * object or its manager/members), the status, Entra's error code, the scimType and the server's detail with
 * per-object values normalised away (ids, GUIDs, emails, quoted values, numbers, URLs), so "userName 'a@x'
 * already exists" and "userName 'b@x' already exists" are one cause. Hints come from the rule table in
 * scim/failure-hints.ts.
 *
 * Server text is shown as the server sent it, so it may echo the bearer token: the renderer redacts the
 * token before it shortens anything (a cut could leave part of the token standing) and once more over the
 * whole text.
 */
import type { LogEntry, ObjectType } from '../../model/records.js';
import { hintFor, type FailureHint, type FailureSignature } from '../../scim/failure-hints.js';
import { redact } from '../token.js';
import type { Style } from './style.js';

export interface FailureGroup {
  /** The cause with per-object values normalised away; equal keys, one group. */
  key: string;
  objectType: ObjectType;
  /** Distinct objects in the group: an object that failed in several cycles (stored logs) counts once. */
  count: number;
  /** The group's entries, in the order given. */
  entries: LogEntry[];
  /** The cause as the group's first entry shows it. */
  signature: FailureSignature;
  /** Whether the server's text differs between the entries (beyond what normalisation removes): the line then quotes the first as an example. */
  detailVaries: boolean;
  /** `23 users: POST /Users → 400 invalidValue "active must be boolean"`, the server's text in full and not redacted (renderFailureGroups redacts). */
  causeLine: string;
  /** Up to 3 display names, distinct, in entry order. */
  examples: string[];
  hint: FailureHint | null;
}

export interface FailureGroupsContext {
  /** The bearer token, redacted from everything server text reaches; null when none was sent. */
  token: string | null;
}

export interface FailureGroupsOptions {
  /** Groups shown; the rest are counted in one line. @default 20 */
  maxGroups?: number;
  /** Characters of the server's text shown per group. @default 200 */
  maxDetail?: number;
}

const EXAMPLES = 3;
const LOGS_POINTER = 'provsim logs --status Failure';

/** Groups the entries whose status is Failure (others are ignored) by cause; the largest group first, ties in order of first appearance. */
export function groupFailures(entries: readonly LogEntry[]): FailureGroup[] {
  const byKey = new Map<string, { signature: FailureSignature; entries: LogEntry[]; details: Set<string>; objects: Set<string> }>();
  for (const entry of entries) {
    if (entry.status !== 'Failure') continue;
    const signature = failureSignature(entry);
    const key = causeKey(signature);
    let group = byKey.get(key);
    if (!group) byKey.set(key, (group = { signature, entries: [], details: new Set(), objects: new Set() }));
    group.entries.push(entry);
    group.details.add(signature.detail);
    group.objects.add(`${entry.sourceIdentity.type}/${entry.sourceIdentity.id}`);
  }
  const groups = [...byKey].map(([key, g]): FailureGroup => {
    const count = g.objects.size;
    const detailVaries = g.details.size > 1;
    return {
      key,
      objectType: g.signature.objectType,
      count,
      entries: g.entries,
      signature: g.signature,
      detailVaries,
      causeLine: causeLine(g.signature, count, detailVaries, g.signature.detail),
      examples: [...new Set(g.entries.map((e) => e.sourceIdentity.displayName))].slice(0, EXAMPLES),
      hint: hintFor(g.signature),
    };
  });
  // Array.prototype.sort is stable: equal counts keep their first-appearance order.
  return groups.sort((a, b) => b.count - a.count);
}

/** The failing request and the server's answer of one entry, as the hint rules and the grouping see them. */
export function failureSignature(entry: LogEntry): FailureSignature {
  const d = entry.errorDetails;
  const base = { objectType: entry.sourceIdentity.type, part: failedPart(entry), errorCode: entry.errorCode };
  if (!d) return { ...base, method: null, path: null, status: null, scimType: null, detail: entry.errorReason ?? '', network: null };
  if (d.status === null) {
    // The client's reason, after "→ no response <Code>: ", starts with Node's network code (ECONNREFUSED: …).
    const reason = /→ no response \S+: ([\s\S]*)$/.exec(entry.errorReason ?? '')?.[1] ?? entry.errorReason ?? '';
    const network = /^([A-Z][A-Z0-9_]+):/.exec(reason)?.[1] ?? null;
    return { ...base, method: d.method.toUpperCase(), path: requestPath(d.url), status: null, scimType: null, detail: reason, network };
  }
  // A success provsim could not use (an unusable id, a body over the cap): its own reason is the cause.
  if (d.status < 300 && entry.errorCode === 'SystemForCrossDomainIdentityManagementServiceIncompatible') {
    const reason = /→ \d+ \S+: ([\s\S]*?)(?:; response body: [\s\S]*)?$/.exec(entry.errorReason ?? '')?.[1] ?? entry.errorReason ?? '';
    return {
      ...base,
      method: d.method.toUpperCase(),
      path: requestPath(d.url),
      status: d.status,
      scimType: null,
      detail: reason,
      network: null,
    };
  }
  const { detail, scimType } = serverText(d.body);
  return { ...base, method: d.method.toUpperCase(), path: requestPath(d.url), status: d.status, scimType, detail, network: null };
}

/**
 * The server's text with the values that differ from object to object replaced by placeholders, in lower
 * case with spaces collapsed: the part of the grouping key that compares messages.
 */
export function normaliseDetail(text: string): string {
  return (
    text
      .replace(/\bhttps?:\/\/[^\s"'<>]+/gi, '<url>')
      .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<id>')
      .replace(/[^\s'"`<>()[\]{},;:]+@[^\s'"`<>()[\]{},;:]+/g, '<email>')
      .replace(/"(?:[^"\\\n]|\\.)*"/g, '"…"')
      // A single-quoted value opens after a space or punctuation and closes before one, so an apostrophe
      // inside it (O'Connor) neither opens nor closes it.
      .replace(/(?<=^|[\s([{:=,])'.*?'(?=$|[\s,.;:!?)\]}])/g, "'…'")
      .replace(/`[^`\n]*`/g, '`…`')
      .replace(/\b(?=[0-9a-f]*\d)[0-9a-f]{12,}\b/gi, '<id>')
      .replace(/\d+/g, '<n>')
      .replace(/\s+/g, ' ')
      .trim()
      .toLowerCase()
  );
}

/** The groups as text: the largest first, each with its cause line, examples, hint and the hint's evidence; '' for none. */
export function renderFailureGroups(
  groups: readonly FailureGroup[],
  style: Style,
  context: FailureGroupsContext,
  options: FailureGroupsOptions = {},
): string {
  if (groups.length === 0) return '';
  const maxGroups = options.maxGroups ?? 20;
  const maxDetail = options.maxDetail ?? 200;
  const objects = groups.reduce((n, g) => n + g.count, 0);
  const causes = groups.length === 1 ? '1 cause' : `${groups.length} causes`;
  const lines = [style.bold(`failures (${objects} object${objects === 1 ? '' : 's'}, ${causes}; every entry: ${LOGS_POINTER}):`)];
  // A hint already printed for a larger group is referred to, not repeated.
  const hinted = new Set<string>();
  for (const g of groups.slice(0, maxGroups)) {
    const detail = shorten(redact(g.signature.detail, context.token), maxDetail);
    const [head, rest] = splitCount(causeLine(g.signature, g.count, g.detailVaries, detail));
    lines.push(`  ${style.remove(`✗ ${head}`)}${rest}`);
    const more = g.count - g.examples.length;
    const code = g.signature.errorCode ? `${g.signature.errorCode}; ` : '';
    lines.push(`      ${style.dim(`${code}e.g. ${g.examples.join(', ')}${more > 0 ? ` and ${more} more` : ''}`)}`);
    // One real request of the group, as sent: the URL a developer can replay.
    const first = g.entries.find((e) => e.errorDetails)?.errorDetails;
    if (first)
      lines.push(`      ${style.dim(`first: ${first.method} ${redact(first.url, context.token)} → ${first.status ?? 'no response'}`)}`);
    if (g.hint && hinted.has(g.hint.text)) {
      lines.push(`      ${style.bold('hint:')} as above (${g.hint.rule})`);
    } else if (g.hint) {
      hinted.add(g.hint.text);
      lines.push(`      ${style.bold('hint:')} ${g.hint.text}`);
      lines.push(`      ${style.dim(evidenceLine(g.hint))}`);
    }
  }
  const hidden = groups.slice(maxGroups);
  if (hidden.length > 0) {
    const n = hidden.reduce((sum, g) => sum + g.count, 0);
    lines.push(`  … and ${hidden.length} more cause${hidden.length === 1 ? '' : 's'} (${n} object${n === 1 ? '' : 's'}): ${LOGS_POINTER}`);
  }
  return redact(lines.join('\n'), context.token);
}

function causeKey(s: FailureSignature): string {
  return JSON.stringify([
    s.objectType,
    s.method,
    s.path,
    s.part,
    s.status,
    s.errorCode,
    s.scimType?.toLowerCase() ?? null,
    normaliseDetail(s.detail),
  ]);
}

function causeLine(s: FailureSignature, count: number, detailVaries: boolean, detail: string): string {
  const who = `${count} ${s.objectType === 'User' ? 'user' : 'group'}${count === 1 ? '' : 's'}`;
  const quoted = detail ? `${detailVaries ? ', e.g.' : ''} "${detail}"` : '';
  if (s.method === null) return `${who}: ${s.errorCode ?? 'failed'}${quoted}`;
  const request = `${s.method} ${s.path ?? ''}${s.part === 'object' ? '' : ` (${s.part})`}`;
  const answer =
    s.status === null ? `no response${s.network ? ` (${s.network})` : ''}` : `${s.status}${s.scimType ? ` ${s.scimType}` : ''}`;
  return `${who}: ${request} → ${answer}${quoted}`;
}

/** "21 users" and the rest of a cause line, so the count can be coloured. */
function splitCount(line: string): [string, string] {
  const colon = line.indexOf(':');
  return [line.slice(0, colon), line.slice(colon)];
}

function evidenceLine(hint: FailureHint): string {
  // Quirks and wire choices are listed with their evidence by `provsim quirks`; a reference stands on its own.
  const listed = hint.basis.flatMap((b) => ('quirk' in b ? [`quirk ${b.quirk}`] : 'wireChoice' in b ? [b.wireChoice] : []));
  const references = hint.basis.flatMap((b) => ('reference' in b ? [b.reference] : []));
  const sources = [...(listed.length > 0 ? [`${listed.join(', ')} (provsim quirks)`] : []), ...references];
  const alone = hint.reproduce ? `; on its own: provsim conformance --only ${hint.reproduce}` : '';
  return `evidence: ${sources.join('; ')}${alone}`;
}

/**
 * What the failing request wrote. An entry's failure is its own request's when that failed, else the failed
 * reference's (log-entries.ts folds the manager and members PATCHes into the object's entry).
 */
function failedPart(entry: LogEntry): FailureSignature['part'] {
  const steps = entry.provisioningSteps;
  if (steps.some((s) => s.status === 'failure' && s.provisioningStepType !== 'referenceResolution')) return 'object';
  const reference = steps.find((s) => s.provisioningStepType === 'referenceResolution' && s.status === 'failure');
  const name = reference?.description.split(':')[0];
  return name === 'manager' || name === 'members' ? name : 'object';
}

/** `/Users`, `/Users/{id}`, `/Groups?filter=…`: the path from the resource on (the base URL is the same for every request). */
function requestPath(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  const segments = parsed.pathname.split('/').filter((s) => s !== '');
  const at = segments.findLastIndex((s) => s === 'Users' || s === 'Groups');
  const path = at < 0 ? parsed.pathname : `/${segments[at]}${segments.length > at + 1 ? '/{id}' : ''}`;
  return `${path}${parsed.searchParams.has('filter') ? '?filter=…' : ''}`;
}

/** The SCIM error's detail and scimType; a body that is not one as plain text (an HTML page's tags dropped). */
function serverText(body: unknown): { detail: string; scimType: string | null } {
  if (body === null || body === undefined) return { detail: '', scimType: null };
  if (typeof body === 'string') return { detail: plainText(body), scimType: null };
  if (typeof body !== 'object') return { detail: String(body), scimType: null };
  const fields = body as Record<string, unknown>;
  const scimType = typeof fields['scimType'] === 'string' ? fields['scimType'] : null;
  const detail = typeof fields['detail'] === 'string' ? fields['detail'] : JSON.stringify(body);
  return { detail, scimType };
}

function plainText(text: string): string {
  const stripped = /<\/?[a-z][^>]*>/i.test(text) ? text.replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]*>/g, ' ') : text;
  return stripped.replace(/\s+/g, ' ').trim();
}

function shorten(text: string, max: number): string {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text;
}
