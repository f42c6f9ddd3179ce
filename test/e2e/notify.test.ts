/**
 * The portal's "Notification Email" through the real CLI: a job that enters quarantine (the target refuses
 * the token) gets one notification, as an .eml file and over SMTP to a real smtp-server on 127.0.0.1; the
 * cycles that keep it there for the same reason get none; the token appears in neither.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/shared/clock.js';
import { Harness } from '../helpers/harness.js';

const RIGHT = 'right-token-3a9b';
const WRONG = 'wrong-token-77c1';
let h: Harness;
let smtp: SMTPServer | undefined;
afterEach(async () => {
  await h?.stop();
  await new Promise<void>((done) => (smtp ? smtp.close(() => done()) : done()));
  smtp = undefined;
});

/** The target wants RIGHT; the CLI sends WRONG: every cycle is a job failure. Simulated time: back-offs pass at once. */
async function refusedJob(): Promise<Harness> {
  return new Harness({ PROVSIM_TOKEN: WRONG }, new ManualClock('2026-05-01T08:00:00Z')).start('tolerant', RIGHT);
}

const watch = (h: Harness, ...extra: string[]) => ['watch', ...h.flags(), '--max-cycles', '3', ...extra];

async function smtpServer(): Promise<{ url: string; received: Array<{ to: string[]; message: Buffer }> }> {
  const received: Array<{ to: string[]; message: Buffer }> = [];
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), message: Buffer.concat(chunks) });
        callback(null);
      });
    },
  });
  await new Promise<void>((done) => smtp!.listen(0, '127.0.0.1', done));
  const { port } = smtp.server.address() as { port: number };
  return { url: `smtp://127.0.0.1:${port}`, received };
}

describe('the failure notification', () => {
  it('watch: one .eml when the job enters quarantine, none while it stays for the same reason; no token in it', async () => {
    h = await refusedJob();
    expect(await h.cli(watch(h, '--notify-dir', 'mail', '--notify-email', 'ops@example.com'))).toBe(1);
    const files = readdirSync(join(h.dir, 'mail'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/quarantine-entered\.eml$/);
    const mail = await simpleParser(readFileSync(join(h.dir, 'mail', files[0]!)));
    expect(mail.to).toMatchObject({ text: 'ops@example.com' });
    expect(mail.subject).toMatch(/quarantine/i);
    expect(mail.text).toContain('Contoso SCIM App');
    expect(mail.text).toContain('provsim status');
    const raw = readFileSync(join(h.dir, 'mail', files[0]!), 'utf8');
    expect(raw).not.toContain(WRONG);
    expect(raw).not.toContain(Buffer.from(WRONG).toString('base64'));
    expect(h.out.stderr).toMatch(/notification \(quarantine-entered\): written to .*quarantine-entered\.eml/);
  });

  it('sync --smtp: sent once to a real SMTP server; the next failing sync sends nothing; a good cycle nothing', async () => {
    h = await refusedJob();
    const server = await smtpServer();
    const sync = ['sync', ...h.flags(), '--notify-email', 'ops@example.com', '--smtp', server.url];
    expect(await h.cli(sync)).toBe(1);
    expect(server.received).toHaveLength(1);
    expect(server.received[0]!.to).toEqual(['ops@example.com']);
    const mail = await simpleParser(server.received[0]!.message);
    expect(mail.text).toContain(h.target.url);
    expect(server.received[0]!.message.toString()).not.toContain(WRONG);
    expect(h.out.stderr).toContain('notification (quarantine-entered): sent to ops@example.com');
    // Still quarantined, same reason: Entra's mail is one-time.
    expect(await h.cli(sync)).toBe(1);
    expect(server.received).toHaveLength(1);
    // The right token: the cycle succeeds, the job leaves quarantine, no mail.
    h.env['PROVSIM_TOKEN'] = RIGHT;
    expect(await h.cli(sync)).toBe(0);
    expect(server.received).toHaveLength(1);
  });

  it('an SMTP server that is not there: a warning, and the cycle keeps its own exit code', async () => {
    h = await refusedJob();
    expect(await h.cli(watch(h, '--max-cycles', '1', '--notify-email', 'ops@example.com', '--smtp', 'smtp://127.0.0.1:1'))).toBe(1);
    expect(h.out.stderr).toMatch(/warning: the notification could not be delivered: .*127\.0\.0\.1:1/);
    expect(`${h.out.stdout}${h.out.stderr}`).not.toMatch(/This is a bug|\n\s+at /);
  });

  it.each([
    [['--smtp', 'smtp://me:secret-pw@127.0.0.1:25', '--notify-email', 'a@b.c'], 'set PROVSIM_SMTP_URL instead'],
    [['--notify-email', 'ops@example.com'], '--notify-email needs a way to deliver'],
    [['--smtp', 'smtp://127.0.0.1:25'], '--smtp needs --notify-email'],
    [['--notify-email', 'not an address', '--notify-dir', 'm'], 'is not an e-mail address'],
    [['--smtp', 'http://127.0.0.1:25', '--notify-email', 'a@b.c'], 'must start with smtp://'],
  ])('usage: %j is refused before anything is sent (exit 2)', async (flags, message) => {
    h = await refusedJob();
    expect(await h.cli(watch(h, ...flags))).toBe(2);
    expect(h.out.stderr).toContain(message);
    expect(h.out.stderr).not.toContain('secret-pw');
    expect(h.target.requests()).toEqual([]);
  });
});
