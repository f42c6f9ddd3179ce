/** Text pieces the report writers share: an exchange as a person reads it, verdict words. Pure. */
import type { CheckResult, Evidence, QuirkVerdict } from './types.js';

/** Bodies in text reports are cut here (JSON reports keep the recorded body). */
export const TEXT_BODY_LIMIT = 3_000;

export function bodyText(body: unknown, limit = TEXT_BODY_LIMIT): string {
  const text = typeof body === 'string' ? body : JSON.stringify(body, null, 2);
  return text.length > limit ? `${text.slice(0, limit)}… [${text.length - limit} more characters]` : text;
}

/** `PATCH http://…/Users/1 → 400` */
export function exchangeLine(e: Evidence): string {
  return `${e.method} ${e.url} → ${e.status ?? `no response${e.error ? ` (${e.error})` : ''}`}`;
}

/** One exchange, with request and response bodies, for JUnit failure texts and the HTML report. */
export function exchangeText(e: Evidence, limit = TEXT_BODY_LIMIT): string {
  const lines = [exchangeLine(e)];
  if (e.requestBody !== undefined) lines.push(`request body:\n${bodyText(e.requestBody, limit)}`);
  const type = e.responseHeaders ? Object.entries(e.responseHeaders).find(([k]) => k.toLowerCase() === 'content-type')?.[1] : undefined;
  if (type) lines.push(`response Content-Type: ${type}`);
  if (e.responseBody !== undefined) lines.push(`response body:\n${bodyText(e.responseBody, limit)}`);
  return lines.join('\n');
}

/**
 * The exchanges worth showing for a failure: every write and every error answer, plus the last few reads
 * (the verification). A lifecycle step's full evidence (the whole cycle) stays in the JSON report.
 */
export function keyExchanges(check: CheckResult, reads = 4): Evidence[] {
  const lastReads = new Set(check.evidence.filter((e) => e.method === 'GET').slice(-reads));
  return check.evidence.filter((e) => e.method !== 'GET' || e.status === null || e.status >= 400 || lastReads.has(e));
}

export const VERDICT_WORDS: Record<QuirkVerdict, string> = {
  accepted: 'accepted',
  rejected: 'rejected',
  'wrong-result': 'accepted, wrong result',
  inconclusive: 'inconclusive',
};

export function statusMark(check: Pick<CheckResult, 'status'>): string {
  return check.status === 'passed' ? '✓' : check.status === 'failed' ? '✗' : '–';
}

export interface CauseGroup {
  /** An independent failure. */
  cause: CheckResult;
  /** The failures whose root cause it is, in report order. */
  consequences: CheckResult[];
}

/**
 * The failed checks grouped by root cause, in report order of the causes. A consequence whose root is
 * not among the checks (never the case in a runner's report) is listed as a cause of its own.
 */
export function failuresByCause(checks: readonly CheckResult[]): CauseGroup[] {
  const failed = checks.filter((c) => c.status === 'failed');
  const roots = new Set(failed.filter((c) => c.consequence === undefined).map((c) => c.id));
  const groups = failed
    .filter((c) => c.consequence === undefined || !roots.has(c.consequence.of))
    .map((cause) => ({ cause, consequences: [] as CheckResult[] }));
  const byId = new Map(groups.map((g) => [g.cause.id, g]));
  for (const c of failed) if (c.consequence !== undefined && roots.has(c.consequence.of)) byId.get(c.consequence.of)!.consequences.push(c);
  return groups;
}
