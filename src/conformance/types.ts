/**
 * The conformance report: plain JSON data, produced by the runner (run.ts) and rendered by the report
 * writers (report-*.ts). Nothing here holds a token: request headers are recorded with the Authorization
 * value redacted, and bodies pass through the token redaction before they are stored (evidence.ts).
 */
import type { DialectName } from '../scim/types.js';

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
  /**
   * Failed checks only: set when an earlier failure of this run already explains this one (the evidence
   * shows the same cause, see consequences.ts). Such a failure is listed under its root cause and not
   * counted as an independent failure; it never makes a run pass (its root is a failure of at least the
   * same severity). Absent: the failure counts on its own.
   */
  consequence?: Consequence;
  evidence: Evidence[];
  durationMs: number;
}

/** Why a failed check is a consequence of another failure. */
export interface Consequence {
  /** The root cause: an independent failure of this run (never itself a consequence). */
  of: string;
  /**
   * The declared dependencies the failure came through, nearest first, when its direct cause is not the
   * root: `lifecycle.manager.remove` → via [`lifecycle.manager.change`, `lifecycle.manager.set`] → of
   * `quirk.capitalised-ops.legacy`. Empty when the direct cause is the root.
   */
  via: string[];
  /** The evidence that ties this failure to its direct cause, in one sentence. */
  reason: string;
}

/** One row of the quirk matrix: a quirk, and per dialect the check that probed it (null: not sent). */
export interface QuirkMatrixRow {
  quirk: string;
  title: string;
  cells: Record<
    DialectName,
    { checkId: string; status: CheckStatus; verdict: QuirkVerdict | null; severity: Severity; consequenceOf: string | null } | null
  >;
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

/** `failed` = `mandatoryFailed` + `optionalFailed` + `consequences`. */
export interface ConformanceSummary {
  total: number;
  passed: number;
  /** Every failed check, consequences included. */
  failed: number;
  skipped: number;
  /** Independent (root-cause) failures of mandatory checks. */
  mandatoryFailed: number;
  /** Independent (root-cause) failures of optional checks. */
  optionalFailed: number;
  /** Failed checks explained by another failure (`CheckResult.consequence`), of either severity. */
  consequences: number;
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
  /** True when every mandatory check that ran passed (consequences included) and nothing stopped the run. */
  ok: boolean;
  /** Ctrl-C (or the caller's signal) stopped the run; checks not reached are skipped. */
  interrupted: boolean;
  /**
   * The run could not start (no answer, bad credentials, a base URL where every request gets 404): the
   * connection check (`protocol.connection`) fails with this reason and every other check is skipped.
   */
  aborted: string | null;
  /** The `--only` selection, when one was given. */
  only: string[] | null;
  summary: ConformanceSummary;
  checks: CheckResult[];
  quirkMatrix: QuirkMatrixRow[];
  gaps: KnownGap[];
  cleanup: CleanupReport;
}
