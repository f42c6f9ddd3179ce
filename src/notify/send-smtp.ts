/**
 * sendSmtp: a notification sent through an SMTP server with nodemailer's SMTP transport. The message is the
 * one `renderEml` builds, sent as it is, so what arrives is byte for byte what `writeEml` writes.
 *
 * - Bounded: connecting, the server's greeting and every wait on the socket each time out after `timeoutMs`
 *   (10 s by default), so a dead or silent server fails the send instead of hanging the cycle that sends it.
 *   The timers are the SMTP client's own and run on real time, like the SCIM client's `--timeout`; an
 *   injected simulated clock dates the message but cannot time the socket.
 * - TLS: smtps:// is TLS from the first byte; smtp:// upgrades with STARTTLS when the server offers it. A
 *   password is never sent in the clear to another machine: with a user in an smtp:// URL to a non-loopback
 *   host, STARTTLS is required. On loopback, smtp:// stays plain (local mail catchers often offer STARTTLS
 *   with a certificate nothing trusts, and the traffic never leaves the machine).
 * - Errors name the server (`smtp://host:port`), what failed, the server's answer when there was one, and
 *   what to check; the password appears in none of them, in any encoding.
 */
import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import { NotificationError } from './notification-error.js';
import type { Notification } from './notification.js';
import { redactSecrets } from './redact-secrets.js';
import { messageIdOf, recipients, renderEml, sender, senderAddress, type EmlOptions } from './render-eml.js';
import { parseSmtpUrl, type SmtpServer } from './smtp-url.js';

export const DEFAULT_SMTP_TIMEOUT_MS = 10_000;

export interface SmtpOptions extends Omit<EmlOptions, 'to'> {
  /** The bound on connecting, on the greeting and on each wait for the server. @default DEFAULT_SMTP_TIMEOUT_MS */
  timeoutMs?: number;
}

/** What the server accepted. */
export interface SmtpReceipt {
  /** `smtp://host:port`. */
  server: string;
  messageId: string;
  accepted: string[];
  rejected: string[];
  /** The server's last answer, e.g. `250 OK: queued`. */
  response: string;
}

export async function sendSmtp(
  smtpUrl: string,
  to: string | readonly string[],
  notification: Notification,
  options: SmtpOptions,
): Promise<SmtpReceipt> {
  const server = parseSmtpUrl(smtpUrl);
  const rcpt = recipients(to);
  if (rcpt.length === 0)
    throw new NotificationError(`no recipient for the notification through ${server.display}; give at least one address`);
  const from = sender(options.from);
  const timeoutMs = options.timeoutMs ?? DEFAULT_SMTP_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0)
    throw new NotificationError(`the SMTP timeout must be a positive number of milliseconds, got ${timeoutMs}`);
  const raw = await renderEml(notification, { ...options, to: rcpt, from });

  const transport = nodemailer.createTransport(transportOptions(server, timeoutMs));
  try {
    const info = await transport.sendMail({ envelope: { from: senderAddress(from), to: rcpt }, raw });
    return {
      server: server.display,
      // nodemailer makes up an id for a raw message; the one in the message is ours.
      messageId: messageIdOf(notification),
      accepted: info.accepted.map(addressText),
      rejected: info.rejected.map(addressText),
      response: info.response,
    };
  } catch (error) {
    throw smtpFailure(server, error, timeoutMs);
  } finally {
    transport.close();
  }
}

/** nodemailer's SMTP transport options for this server: the TLS policy and the bounds above. Pure. */
export function transportOptions(server: SmtpServer, timeoutMs: number): SMTPTransport.Options {
  return {
    host: server.host,
    port: server.port,
    secure: server.secure,
    ...(server.auth ? { auth: { user: server.auth.user, pass: server.auth.pass } } : {}),
    requireTLS: !server.secure && server.auth !== null && !server.loopback,
    ignoreTLS: !server.secure && server.loopback,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    dnsTimeout: timeoutMs,
    disableFileAccess: true,
    disableUrlAccess: true,
    logger: false,
  };
}

/** The SMTP client's error in words, with the password removed from everything taken from it. */
function smtpFailure(server: SmtpServer, error: unknown, timeoutMs: number): NotificationError {
  const e = (error ?? {}) as { code?: unknown; response?: unknown; message?: unknown; command?: unknown };
  const secrets = server.auth ? [server.auth.pass, `\u0000${server.auth.user}\u0000${server.auth.pass}`] : [];
  const clean = (text: string): string => redactSecrets(text, secrets);
  const code = typeof e.code === 'string' ? e.code : null;
  const response = typeof e.response === 'string' ? clean(e.response.trim()) : null;
  const message = clean(typeof e.message === 'string' ? e.message : String(error))
    .replace(/\s+/g, ' ')
    .trim();
  const answered = response ? `; the server answered ${JSON.stringify(response)}` : '';
  const where = `could not send the notification through ${server.display}`;
  const tlsHint = 'smtps:// is TLS from the first byte (usually port 465), smtp:// is plain with STARTTLS (usually 587 or 25)';
  if (code === 'ETIMEDOUT') {
    // nodemailer marks the connect and greeting phase as command CONN.
    const phase = e.command === 'CONN' ? ' to the connection or the greeting' : typeof e.command === 'string' ? ` to ${e.command}` : '';
    return new NotificationError(
      `${where}: no answer${phase} within ${timeoutMs} ms (${message}); is an SMTP server listening there? ${tlsHint}`,
      code,
    );
  }
  if (code === 'EDNS')
    return new NotificationError(`${where}: the host name could not be resolved (${message}); check the host in the SMTP URL`, code);
  if (code === 'EAUTH')
    return new NotificationError(
      `${where}: the server refused the login${answered}; check the user and password in the SMTP URL (URL-encoded)`,
      code,
    );
  if (code === 'ENOAUTH')
    return new NotificationError(`${where}: the server requires a login; give smtp[s]://user:password@host:port`, code);
  if (code === 'EENVELOPE')
    return new NotificationError(`${where}: the server refused the sender or a recipient${answered}; check the addresses`, code);
  if (/ECONNREFUSED/.test(message))
    return new NotificationError(`${where}: connection refused (${message}); is the SMTP server running and listening on that port?`, code);
  if (code === 'ETLS' || /SSL|TLS|certificate|CERT_|wrong version number/i.test(message))
    return new NotificationError(`${where}: TLS failed (${message}); ${tlsHint}`, code);
  const said = response && !message.includes(response) ? answered : '';
  const during = typeof e.command === 'string' ? ` (during ${e.command})` : '';
  return new NotificationError(`${where}: ${message}${said}${during}`, code);
}

function addressText(a: string | { address: string }): string {
  return typeof a === 'string' ? a : a.address;
}
