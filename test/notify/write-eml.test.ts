import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decideNotification } from '../../src/notify/decide-notification.js';
import { NotificationError } from '../../src/notify/notification-error.js';
import { renderEml } from '../../src/notify/render-eml.js';
import { writeEml } from '../../src/notify/write-eml.js';
import { ManualClock } from '../../src/shared/clock.js';
import { aQuarantiningCycle, credentialsRefused, TARGET } from './cycles.js';

const notification = decideNotification({
  result: aQuarantiningCycle('2026-03-04T05:00:00.000Z', credentialsRefused, null),
  previousQuarantine: null,
  target: TARGET,
})!;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'provsim-notify-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeEml', () => {
  it('writes <time>-<kind>.eml, creating the directory, with the bytes renderEml builds', async () => {
    const clock = new ManualClock('2026-03-04T05:06:07.000Z');
    const out = join(dir, 'mail', 'quarantine');
    const path = await writeEml(out, notification, { clock, to: 'ops@example.com' });
    expect(basename(path)).toBe('20260304T050607.000Z-quarantine-entered.eml');
    const written = await readFile(path);
    expect(written.equals(await renderEml(notification, { clock, to: 'ops@example.com' }))).toBe(true);
    expect((await simpleParser(written)).subject).toBe(notification.subject);
  });

  it('never overwrites: a second notification at the same instant gets -2', async () => {
    const clock = new ManualClock('2026-03-04T05:06:07.000Z');
    const first = await writeEml(dir, notification, { clock });
    await writeFile(first, 'kept');
    const second = await writeEml(dir, notification, { clock });
    expect(basename(second)).toBe('20260304T050607.000Z-quarantine-entered-2.eml');
    expect(await readFile(first, 'utf8')).toBe('kept');
    expect(new Set(await readdir(dir))).toEqual(new Set([basename(first), basename(second)]));
  });

  it('says so when the directory is a file, or lies under one, and writes nothing', async () => {
    const file = join(dir, 'not-a-dir');
    await writeFile(file, 'x');
    const clock = new ManualClock();
    await expect(writeEml(file, notification, { clock })).rejects.toThrow(
      `the notification directory ${file} is a file; give a directory (it is created when missing)`,
    );
    const under = await writeEml(join(file, 'sub'), notification, { clock }).catch((e: unknown) => e);
    expect(under).toBeInstanceOf(NotificationError);
    expect(under).toMatchObject({
      code: 'ENOTDIR',
      message: `the notification directory ${join(file, 'sub')} cannot be created: a part of its path is a file; give a directory path`,
    });
    expect(await readdir(dir)).toEqual(['not-a-dir']);
  });
});
