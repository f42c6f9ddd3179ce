/**
 * The conformance report: plain JSON data, produced by the runner (run.ts) and rendered by the report
 * writers (report-*.ts). Nothing here holds a token: request headers are recorded with the Authorization
 * value redacted, and bodies pass through the token redaction before they are stored (evidence.ts).
 */
import type { DialectName } from '../scim/dialect.js';

/** As in Microsoft's validation suites (spec §6): a mandatory failure fails the run (exit 1). */
export type Severity = 'mandatory' | 'optional';

export type CheckPart = 'lifecycle' | 'quirks' | 'protocol';

export type CheckStatus = 'passed' | 'failed' | 'skipped';

/**
 * What a target did with one Entra quirk (quirk checks only):
 * - `accepted`: 2xx, and the follow-up GET shows what Entra meant;
 * - `rejected`: an error status (the object is escrowed by Entra and retried, failing every cycle);
 * - `wrong-result`: 2xx, but the follow-up GET shows something else (the silent failure);
 * - `inconclusive`: the probe could not be set up (e.g. the POST of its user failed), so nothing is known.
 */
export type QuirkVerdict = 'accepted' | 'rejected' | 'wrong-result' | 'inconclusive';

/** Which dialect sends a quirk probe's shape; `both` when the dialects send the same thing. */
export type QuirkDialect = DialectName | 'both';

/** One HTTP exchange, as a person debugging the target needs it. */
export interface Evidence {
  method: string;
  url: string;
  /** null when no response arrived. */
  status: number | null;
  startedAt: string;
  durationMs: number;
  /** Request headers as sent, Authorization redacted. */
  requestHeaders: Record<string, string>;
  requestBody?: unknown;
  responseHeaders?: Record<string, string>;
  /** The response body text, parsed when it is JSON; long texts are cut (see evidence.ts). */
  responseBody?: unknown;
  /** Why no response arrived. */
  error?: string;
}

export interface CheckResult {
  id: string;
  title: string;
  part: CheckPart;
  severity: Severity;
  status: CheckStatus;
  /** Passed: what was verified. Failed: what was expected and what the target did. Skipped: why. */
  message: string;
  /** Quirk checks: the quirk's name (the matrix row) and the dialect column(s). */
  quirk?: string;
  dialect?: QuirkDialect;
  verdict?: QuirkVerdict;
  /** Where Entra's behaviour is documented or observed (spec section). */
  source?: string;
  evidence: Evidence[];
  durationMs: number;
}

/** One row of the quirk matrix: a quirk, and per dialect the check that probed it (null: not sent). */
export interface QuirkMatrixRow {
  quirk: string;
  title: string;
  cells: Record<DialectName, { checkId: string; status: CheckStatus; verdict: QuirkVerdict | null; severity: Severity } | null>;
}

/** A part of Microsoft's suites provsim does not check, and why. */
export interface KnownGap {
  id: string;
  title: string;
  reason: string;
}

export interface CleanupReport {
  /** Objects of this run deleted at the end. */
  deleted: Array<{ resource: 'Users' | 'Groups'; id: string; name: string | null }>;
  /** Objects that could not be deleted (or found): delete them by hand. */
  leftovers: Array<{ resource: 'Users' | 'Groups'; id: string | null; name: string | null; reason: string }>;
  evidence: Evidence[];
}

export interface ConformanceSummary {
  total: number;
  passed: number;
  failed: number;
  skipped: number;
  mandatoryFailed: number;
  optionalFailed: number;
}

export interface ConformanceReport {
  formatVersion: 1;
  tool: 'provsim conformance';
  /** The SCIM base URL (no query string, no credentials). */
  target: string;
  /** The dialect the lifecycle ran in; quirk checks of this dialect (and shared ones) are the mandatory ones. */
  dialect: DialectName;
  /** The per-run suffix in every name this run created. */
  runId: string;
  startedAt: string;
  finishedAt: string;
  /** True when every mandatory check that ran passed and nothing stopped the run. */
  ok: boolean;
  /** Ctrl-C (or the caller's signal) stopped the run; checks not reached are skipped. */
  interrupted: boolean;
  /** The run could not start (bad credentials, no answer): every check is skipped with this reason. */
  aborted: string | null;
  /** The `--only` selection, when one was given. */
  only: string[] | null;
  summary: ConformanceSummary;
  checks: CheckResult[];
  quirkMatrix: QuirkMatrixRow[];
  gaps: KnownGap[];
  cleanup: CleanupReport;
}
