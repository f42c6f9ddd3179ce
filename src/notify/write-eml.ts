/**
 * writeEml: a notification as an .eml file in a directory, named `<time>-<kind>.eml` (the clock's time in
 * ISO-8601 basic form, e.g. `20260304T050607.000Z-quarantine-entered.eml`, so names sort by time and hold no
 * colon). The directory is created when missing. A file is never overwritten: a name already taken gets
 * `-2`, `-3`, … before `.eml`.
 */
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NotificationError } from './notification-error.js';
import type { Notification } from './notification.js';
import { renderEml, type EmlOptions } from './render-eml.js';

/** How many `-N` suffixes are tried before giving up (a directory that full is someone else's). */
const MAX_SUFFIX = 1000;

/** Writes the message; returns the path of the file written. */
export async function writeEml(dir: string, notification: Notification, options: EmlOptions): Promise<string> {
  const message = await renderEml(notification, options);
  await ensureDirectory(dir);
  const stem = `${basicTime(options.clock.now())}-${notification.kind}`;
  for (let n = 1; n <= MAX_SUFFIX; n++) {
    const path = join(dir, `${stem}${n === 1 ? '' : `-${n}`}.eml`);
    try {
      await writeFile(path, message, { flag: 'wx' });
      return path;
    } catch (error) {
      if (codeOf(error) === 'EEXIST') continue;
      throw new NotificationError(
        `could not write the notification ${path}: ${messageOf(error)}; check that the directory is writable`,
        codeOf(error),
      );
    }
  }
  throw new NotificationError(
    `could not write the notification into ${dir}: ${stem}.eml and ${MAX_SUFFIX - 1} numbered variants exist; move old notifications away`,
  );
}

async function ensureDirectory(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    return;
  } catch (error) {
    const code = codeOf(error);
    if (code !== 'EEXIST' && code !== 'ENOTDIR')
      throw new NotificationError(`could not create the notification directory ${dir}: ${messageOf(error)}`, code);
  }
  const isFile = await stat(dir).then(
    (s) => !s.isDirectory(),
    () => false,
  );
  throw new NotificationError(
    isFile
      ? `the notification directory ${dir} is a file; give a directory (it is created when missing)`
      : `the notification directory ${dir} cannot be created: a part of its path is a file; give a directory path`,
    'ENOTDIR',
  );
}

/** `2026-03-04T05:06:07.000Z` → `20260304T050607.000Z`. */
function basicTime(at: Date): string {
  return at.toISOString().replace(/[-:]/g, '');
}

function codeOf(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : null;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
