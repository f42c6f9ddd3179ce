/**
 * The SMTP server of `sendSmtp`, from a URL: `smtp://host[:port]` (plain, upgraded with STARTTLS when the
 * server offers it), `smtps://host[:port]` (TLS from the first byte), each with an optional URL-encoded
 * `user:password@`. Default ports as nodemailer's: 587 for smtp, 465 for smtps. Pure.
 *
 * The password never appears in an error or in `display`: a URL that does not parse is not echoed at all,
 * since it may hold one.
 */
import { NotificationError } from './notification-error.js';

export interface SmtpServer {
  /** TLS from the first byte (smtps). */
  secure: boolean;
  /** The host name, or an IP address without brackets. */
  host: string;
  port: number;
  auth: { user: string; pass: string } | null;
  /** The server is this machine (127.0.0.0/8, ::1, localhost). */
  loopback: boolean;
  /** `smtp://host:port` (never the user or password), for messages. */
  display: string;
}

const DEFAULT_PORTS = { 'smtp:': 587, 'smtps:': 465 } as const;

export function parseSmtpUrl(raw: string): SmtpServer {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new NotificationError(
      'the SMTP URL is not a URL (not shown: it may hold a password); give smtp://host:port or smtps://user:password@host:port, with the user and password URL-encoded',
    );
  }
  const shown = `${url.protocol}//${url.host}`;
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:')
    throw new NotificationError(`the SMTP URL ${shown} must start with smtp:// (STARTTLS) or smtps:// (TLS); got ${url.protocol}`);
  if (!url.hostname) throw new NotificationError(`the SMTP URL ${shown} has no host; give smtp://host:port`);
  if ((url.pathname && url.pathname !== '/') || url.search || url.hash)
    throw new NotificationError(
      `the SMTP URL ${shown} has a path, query or fragment, which sendSmtp does not use; give only smtp[s]://[user:password@]host[:port]`,
    );
  if (url.password && !url.username)
    throw new NotificationError(`the SMTP URL ${shown} has a password but no user; give smtp[s]://user:password@host:port`);
  const port = url.port ? Number(url.port) : DEFAULT_PORTS[url.protocol];
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return {
    secure: url.protocol === 'smtps:',
    host,
    port,
    auth: url.username ? { user: decode(url.username), pass: decode(url.password) } : null,
    loopback: host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host),
    display: `${url.protocol}//${url.hostname}:${port}`,
  };
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
