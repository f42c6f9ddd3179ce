/**
 * Entra's provisioning failure e-mail: decide (pure), render (.eml bytes), and send (a file, or SMTP).
 *
 * ```ts
 * const n = decideNotification({ result, previousQuarantine, target, app, secrets: [token] });
 * if (n) await writeEml('.provsim/mail', n, { clock, to: 'ops@example.com' });
 * if (n) await sendSmtp('smtp://127.0.0.1:1025', 'ops@example.com', n, { clock });
 * ```
 */
export { decideNotification } from './decide-notification.js';
export type { NotifiableCycle, NotificationInput } from './decide-notification.js';
export type {
  EvidenceNote,
  Notification,
  NotificationFacts,
  NotificationKind,
  NotificationTrigger,
  NotifiedRequest,
} from './notification.js';
export { NOTIFICATION_EVIDENCE } from './evidence.js';
export { renderEml, messageIdOf, DEFAULT_FROM, UNDISCLOSED_RECIPIENTS } from './render-eml.js';
export type { EmlOptions } from './render-eml.js';
export { writeEml } from './write-eml.js';
export { sendSmtp, DEFAULT_SMTP_TIMEOUT_MS } from './send-smtp.js';
export type { SmtpOptions, SmtpReceipt } from './send-smtp.js';
export { parseSmtpUrl } from './smtp-url.js';
export type { SmtpServer } from './smtp-url.js';
export { NotificationError } from './notification-error.js';
