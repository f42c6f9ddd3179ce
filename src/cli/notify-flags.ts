/**
 * The portal's "Notification Email" for `sync` and `watch`: `--notify-dir DIR` writes each notification as an
 * .eml file, `--notify-email ADDRESS` with `--smtp URL` (or PROVSIM_SMTP_URL) sends it. What is sent and when
 * is src/notify's decision. A notification that cannot be delivered is a warning: the cycle's exit code is
 * the cycle's. The SMTP URL may hold a password, so one with a password is taken from the environment only.
 */
import { resolve } from 'node:path';
import type { CycleResult } from '../engine/cycle-result.js';
import type { Quarantine } from '../model/records.js';
import { decideNotification, NotificationError, parseSmtpUrl, sendSmtp, writeEml } from '../notify/index.js';
import type { Clock } from '../shared/clock.js';
import { UsageError } from '../shared/errors.js';
import type { CliDeps } from './io.js';

export interface NotifyFlags {
  notifyDir?: string;
  notifyEmail?: string;
  smtp?: string;
}

export interface Notifier {
  /** After a committed cycle: decides, then writes and/or sends; returns what to print (one line each). */
  afterCycle(cycle: CycleResult, previousQuarantine: Quarantine | null, context: NotifyContext): Promise<string[]>;
}

export interface NotifyContext {
  target: string;
  app: string;
  /** Masked wherever they appear in the notification (the token). */
  secrets: readonly string[];
  clock: Clock;
}

/** Checks the flags before anything is sent; null when no notification is asked for. */
export function notifierFrom(flags: NotifyFlags, deps: Pick<CliDeps, 'env' | 'cwd'>): Notifier | null {
  const fromEnv = deps.env['PROVSIM_SMTP_URL'];
  if (flags.smtp !== undefined) {
    const server = parseSmtpOrUsage(flags.smtp, '--smtp');
    if (server.hasPassword)
      throw new UsageError('--smtp holds a password, which would stay in shell history and process listings; set PROVSIM_SMTP_URL instead');
  }
  const smtp = flags.smtp ?? (flags.notifyEmail !== undefined ? fromEnv : undefined);
  if (smtp !== undefined && flags.smtp === undefined) parseSmtpOrUsage(smtp, 'PROVSIM_SMTP_URL');
  if (smtp !== undefined && flags.notifyEmail === undefined)
    throw new UsageError('--smtp needs --notify-email ADDRESS: the address the notification goes to');
  if (flags.notifyEmail !== undefined && !/^[^\s@<>]+@[^\s@<>]+$/.test(flags.notifyEmail))
    throw new UsageError(`--notify-email ${JSON.stringify(flags.notifyEmail)} is not an e-mail address, e.g. ops@example.com`);
  if (flags.notifyEmail !== undefined && smtp === undefined && flags.notifyDir === undefined)
    throw new UsageError(
      '--notify-email needs a way to deliver: --smtp URL (or PROVSIM_SMTP_URL), or --notify-dir DIR to write .eml files',
    );
  if (flags.notifyDir === undefined && smtp === undefined) return null;
  const dir = flags.notifyDir === undefined ? null : resolve(deps.cwd, flags.notifyDir);
  const to = flags.notifyEmail;
  return {
    async afterCycle(cycle, previousQuarantine, context) {
      if (cycle.dryRun) return [];
      const notification = decideNotification({
        result: cycle,
        previousQuarantine,
        target: context.target,
        app: context.app,
        secrets: context.secrets,
      });
      if (!notification) return [];
      const lines: string[] = [];
      try {
        if (dir !== null) {
          const file = await writeEml(dir, notification, { clock: context.clock, ...(to ? { to } : {}) });
          lines.push(`  notification (${notification.kind}): written to ${file}`);
        }
        if (smtp !== undefined && to !== undefined) {
          await sendSmtp(smtp, to, notification, { clock: context.clock });
          lines.push(`  notification (${notification.kind}): sent to ${to}`);
        }
      } catch (error) {
        if (!(error instanceof NotificationError)) throw error;
        lines.push(`  warning: the notification could not be delivered: ${error.message}`);
      }
      return lines;
    },
  };
}

function parseSmtpOrUsage(url: string, source: string): { hasPassword: boolean } {
  try {
    return { hasPassword: Boolean(parseSmtpUrl(url).auth?.pass) };
  } catch (error) {
    if (error instanceof NotificationError) throw new UsageError(`${source}: ${error.message}`);
    throw error;
  }
}
