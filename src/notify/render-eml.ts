/**
 * renderEml: a notification as an RFC 5322 message, the bytes of an .eml file and of the SMTP DATA. Built by
 * nodemailer's MailComposer (headers folded and encoded, a non-ASCII subject as encoded words, the body as
 * quoted-printable UTF-8), so no MIME is written by hand here. Pure apart from the injected clock: the same
 * notification, addresses and time give the same bytes.
 *
 * - Lines end in CRLF, in the headers and the body.
 * - Date: the clock's now, when the mail is rendered.
 * - Message-ID: from the cycle's id and the kind, so the .eml and the mail sent for one notification are one
 *   message, and two notifications are never one (a cycle has at most one).
 * - From: provsim's own address by default. Entra's mail comes from azure-noreply@microsoft.com; provsim does
 *   not forge it (a simulator must not pose as Microsoft, and DMARC would reject it).
 */
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type Mail from 'nodemailer/lib/mailer/index.js';
import type { Clock } from '../shared/clock.js';
import { NotificationError } from './notification-error.js';
import type { Notification } from './notification.js';

export const DEFAULT_FROM = 'provsim <provsim@localhost>';
/** The To header of a message with no known recipient (RFC 5322 §3.4, an empty group). */
export const UNDISCLOSED_RECIPIENTS = 'undisclosed-recipients:;';

export interface EmlOptions {
  clock: Clock;
  /** The recipients (addresses like ops@example.com); none: `undisclosed-recipients:;`. */
  to?: string | readonly string[];
  /** The sender, `address` or `Name <address>`. @default DEFAULT_FROM */
  from?: string;
}

export async function renderEml(notification: Notification, options: EmlOptions): Promise<Buffer> {
  const to = recipients(options.to);
  const from = sender(options.from);
  // `newline` is MailComposer's own option (lib/mime-node), missing from @types/nodemailer.
  const mail: Mail.Options & { newline: 'windows' } = {
    from,
    to: to.length > 0 ? to : UNDISCLOSED_RECIPIENTS,
    subject: notification.subject,
    text: notification.text,
    date: options.clock.now(),
    messageId: messageIdOf(notification),
    textEncoding: 'quoted-printable',
    // RFC 5322 lines end in CRLF; the text's `\n` are converted (nodemailer keeps them as they are otherwise).
    newline: 'windows',
    // Nothing of the message comes from a file or a URL; forbid both so no content can make it read one.
    disableFileAccess: true,
    disableUrlAccess: true,
  };
  return new MailComposer(mail).compile().build();
}

export function messageIdOf(notification: Notification): string {
  return `<${notification.facts.cycle.id}.${notification.kind}@provsim.invalid>`;
}

/** An address as SMTP's envelope takes it: local@domain, no display name, nothing that could end a header. */
const ADDRESS = /^[^\s@<>()",;:\\[\]]+@[^\s@<>()",;:\\[\]]+$/;

/** The recipients, checked; throws NotificationError naming the one that is not an address. */
export function recipients(to: string | readonly string[] | undefined): string[] {
  const list = to === undefined ? [] : typeof to === 'string' ? [to] : [...to];
  for (const address of list)
    if (!ADDRESS.test(address))
      throw new NotificationError(
        `the notification recipient ${JSON.stringify(address)} is not an e-mail address; give addresses like ops@example.com, one per recipient`,
      );
  return list;
}

/** The sender, checked: an address, or `Name <address>`. */
export function sender(from: string | undefined): string {
  if (from === undefined) return DEFAULT_FROM;
  const address = /<([^<>]*)>\s*$/.exec(from)?.[1] ?? from;
  if (!ADDRESS.test(address) || /[\r\n]/.test(from))
    throw new NotificationError(
      `the notification sender ${JSON.stringify(from)} is not an e-mail address; give one like provsim@example.com or "provsim <provsim@example.com>"`,
    );
  return from;
}

/** The bare address of a checked sender, for the SMTP envelope. */
export function senderAddress(from: string): string {
  return /<([^<>]*)>\s*$/.exec(from)?.[1] ?? from;
}
