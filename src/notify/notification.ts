/**
 * The failure notification Entra e-mails to a provisioning job's *Notification Email*, as a plain value: what
 * happened, the subject and text body, the facts they were written from, and the evidence for sending it.
 * Built by `decideNotification` (pure); rendered by `renderEml`; sent by `writeEml` or `sendSmtp`.
 */
import type { CycleKind, CycleStatus } from '../model/records.js';

/**
 * What changed in the job's state. Entra documents two mails: one when the job is placed in quarantine, and an
 * updated one when the quarantine reason changes (see evidence.ts). A job that stays in quarantine for the same
 * reason gets no further mail.
 */
export type NotificationKind = 'quarantine-entered' | 'quarantine-reason-changed';

/**
 * Why the job is in quarantine, from the quarantine reason: a cycle that failed as a whole (credentials, the
 * connection probe), an escrow threshold, or the accidental-deletion threshold (`TooManyDeletes`).
 */
export type NotificationTrigger = 'cycle-failed' | 'escrow-threshold' | 'deletion-threshold';

/** One statement about Entra's behaviour that this notification relies on, and how sure it is. */
export interface EvidenceNote {
  /** What provsim does, in one sentence. */
  claim: string;
  /** `documented`: Microsoft's docs say so (`source`); `UNCONFIRMED`: the docs are silent and this is provsim's likeliest choice. */
  status: 'documented' | 'UNCONFIRMED';
  /** The page (URL, its source file in MicrosoftDocs/entra-docs, its ms.date, and when it was read); null when UNCONFIRMED. */
  source: string | null;
}

/** A failed request as the notification shows it: its URL without credentials or secret query values, never headers. */
export interface NotifiedRequest {
  method: string;
  url: string;
  /** Null when no response arrived. */
  status: number | null;
  /** Why no response arrived (`ECONNREFUSED`, `ETIMEDOUT`, …), else null. */
  network: string | null;
  /** The SCIM error's `detail`, or the start of a body that was not a SCIM error. */
  detail: string | null;
}

/** What the notification is written from. Every string is already free of the secrets the caller named. */
export interface NotificationFacts {
  /** The enterprise app's name (the fixture tenant's `app.name`), when the caller gave it. */
  app: string | null;
  /** The SCIM base URL (Entra's Tenant URL) without credentials, fragment or secret query values. */
  target: string;
  cycle: { id: string; kind: CycleKind; status: CycleStatus; startedAt: string; finishedAt: string };
  /** Entra's quarantine reason (`EncounteredQuarantineException`, `TooManyDeletes`, …). */
  reason: string;
  /** The reason in one line. */
  reasonExplained: string;
  /** The reason before this cycle, for `quarantine-reason-changed`; null when entering, or when it is not known. */
  previousReason: string | null;
  /** Why the job failed in this cycle (the engine's message). */
  error: string;
  /** The request that failed the job, when one did. */
  request: NotifiedRequest | null;
  quarantine: { seriesBegan: string; currentBegan: string; seriesCount: number; nextAttempt: string };
  /** Escrowed objects after the cycle and when the first is retried (ISO time; `''` is the next cycle). */
  escrows: { pending: number; nextRetryAt: string | null };
  /** The commands to run next, each with what it is for. */
  todo: Array<{ command: string; why: string }>;
}

export interface Notification {
  kind: NotificationKind;
  trigger: NotificationTrigger;
  /** One line, no control characters. */
  subject: string;
  /** The plain-text body, lines separated by `\n`. */
  text: string;
  facts: NotificationFacts;
  /** Why this mail is sent, from whom, and what of it is provsim's own wording. */
  evidence: readonly EvidenceNote[];
}
