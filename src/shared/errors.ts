/**
 * Run-time failures (HTTP, network, bugs) are Error subclasses with context fields and `cause`.
 * Problems a user can fix in their files are Diagnostics (see diagnostics.ts), wrapped in InputError only
 * to carry them to `cli/main.ts`, the one place that maps errors to exit codes.
 */
import type { Diagnostic } from './diagnostics.js';

export class ProvsimError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bad command-line usage (exit 2). */
export class UsageError extends ProvsimError {}

/** A state file that is not provsim's, or from an incompatible version (exit 2); nothing was changed in it. */
export class StateFileError extends UsageError {}

/** Bad input files (exit 2); the diagnostics say where. */
export class InputError extends ProvsimError {
  constructor(
    readonly diagnostics: Diagnostic[],
    message = 'the input has errors',
  ) {
    super(message);
  }
}

/**
 * A fixture file changed while a tenant read from it was still in use (a large JSON Lines tenant reads its
 * users' attributes back from the files as the cycle goes: `source/json/line-user.ts`). A cycle stops before
 * the batch that found it sends anything and commits what was done as an interrupted cycle, whose result
 * names the file (`CycleResult.fixtureChanged`); found before any batch, it is raised (exit 1).
 */
export class FixtureChangedError extends ProvsimError {
  constructor(readonly file: string) {
    super(`${fixtureChangedText(file)}. The command stopped; run the command again: it reads the files as they are now`);
  }
}

/** Why a cycle stopped when `file` changed under it; each command says what comes next. */
export function fixtureChangedText(file: string): string {
  return `${file} changed while provsim was still reading it: a tenant this large is read back from its JSON Lines files as the cycle goes, so they must not be written in place until the cycle ends`;
}

/** A bug: "please report". */
export class InternalError extends ProvsimError {}

/** The SCIM error body a server returned (RFC 7644 §3.12), as far as it could be read. */
export interface ScimErrorBody {
  status?: string;
  scimType?: string;
  detail?: string;
  [key: string]: unknown;
}

/**
 * A SCIM request that failed. Carries what a person needs to debug it: method, URL, status, the SCIM
 * error body (or the start of a non-SCIM body), and Entra's error code for the provisioning log.
 * Never carries request headers: the bearer token must not leak through errors.
 */
export class ScimRequestError extends ProvsimError {
  readonly method: string;
  readonly url: string;
  /** HTTP status, or null when no response arrived (timeout, reset, refused). */
  readonly status: number | null;
  readonly scimError: ScimErrorBody | null;
  /** The response body when it was not a SCIM error (truncated), for messages. */
  readonly bodyText: string | null;
  /** Entra's provisioning-log error code (`EntryConflict`, `TooManyRequests`, `Timeout`, …). */
  readonly entraCode: string;
  /** Parsed Retry-After, in ms, when the server sent one. */
  readonly retryAfterMs: number | null;
  /** Why no response arrived, as Node names it (`ECONNREFUSED`, `ENOTFOUND`, `ETIMEDOUT`, a TLS code…); null when one did. */
  readonly network: string | null;

  constructor(fields: {
    method: string;
    url: string;
    status: number | null;
    scimError?: ScimErrorBody | null;
    bodyText?: string | null;
    entraCode: string;
    retryAfterMs?: number | null;
    network?: string | null;
    reason?: string;
  }) {
    const body = fields.scimError ? JSON.stringify(fields.scimError) : fields.bodyText ? JSON.stringify(fields.bodyText) : null;
    const detail = [fields.reason, body ? `response body: ${body}` : null].filter(Boolean).join('; ') || 'no response body';
    super(`${fields.method} ${fields.url} → ${fields.status ?? 'no response'} ${fields.entraCode}: ${detail}`);
    this.method = fields.method;
    this.url = fields.url;
    this.status = fields.status;
    this.scimError = fields.scimError ?? null;
    this.bodyText = fields.bodyText ?? null;
    this.entraCode = fields.entraCode;
    this.retryAfterMs = fields.retryAfterMs ?? null;
    this.network = fields.network ?? null;
  }
}

/** The whole job cannot proceed (bad credentials, a probe that fails): Entra would quarantine it. */
export class JobFailure extends ProvsimError {
  constructor(
    message: string,
    /** Entra's quarantine reason, e.g. `EncounteredQuarantineException`. */
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
