import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { decideNotification } from '../../src/notify/decide-notification.js';
import { NotificationError } from '../../src/notify/notification-error.js';
import { DEFAULT_FROM, renderEml } from '../../src/notify/render-eml.js';
import { ManualClock } from '../../src/shared/clock.js';
import { aQuarantiningCycle, credentialsRefused, TARGET } from './cycles.js';

const notification = decideNotification({
  result: aQuarantiningCycle('2026-03-04T05:00:00.000Z', credentialsRefused, null),
  previousQuarantine: null,
  target: TARGET,
  app: 'Zürich Payroll',
})!;
const clock = new ManualClock('2026-03-04T05:06:07.000Z');

/** The header block of a raw message, unfolded, as `name: value` lines. */
function headerLines(raw: string): string[] {
  return raw
    .split('\r\n\r\n', 1)[0]!
    .replace(/\r\n[ \t]+/g, ' ')
    .split('\r\n');
}

describe('renderEml', () => {
  it('is an RFC 5322 message: the headers, CRLF line ends, and the body as quoted-printable UTF-8', async () => {
    const raw = (await renderEml(notification, { clock, to: 'ops@example.com' })).toString('utf8');
    const headers = headerLines(raw);
    expect(headers).toContain('From: provsim <provsim@localhost>');
    expect(headers).toContain('To: ops@example.com');
    expect(headers).toContain('Date: Wed, 04 Mar 2026 05:06:07 +0000');
    expect(headers).toContain('Message-ID: <c0ffee00-0000-4000-8000-000000000001.quarantine-entered@provsim.invalid>');
    expect(headers).toContain('MIME-Version: 1.0');
    expect(headers).toContain('Content-Type: text/plain; charset=utf-8');
    expect(headers).toContain('Content-Transfer-Encoding: quoted-printable');
    // The subject holds "ü": it travels as RFC 2047 encoded words, the header itself stays ASCII.
    const subject = headers.find((h) => h.startsWith('Subject: '))!;
    expect(subject).toMatch(/^Subject: =\?UTF-8\?Q\?/);
    expect(raw.split('\r\n\r\n', 1)[0]).toMatch(/^[\x20-\x7e\r\n\t]*$/);
    expect(raw.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('parses back to the same subject, addresses, date, id and text', async () => {
    const raw = await renderEml(notification, {
      clock,
      to: ['ops@example.com', 'hr-it@example.com'],
      from: 'Provisioning <noreply@example.com>',
    });
    const mail = await simpleParser(raw);
    expect(mail.subject).toBe(notification.subject);
    expect(mail.from?.value).toEqual([{ address: 'noreply@example.com', name: 'Provisioning' }]);
    const to = Array.isArray(mail.to) ? mail.to : [mail.to];
    expect(to.flatMap((a) => a?.value.map((v) => v.address))).toEqual(['ops@example.com', 'hr-it@example.com']);
    expect(mail.date?.toISOString()).toBe('2026-03-04T05:06:07.000Z');
    expect(mail.messageId).toBe('<c0ffee00-0000-4000-8000-000000000001.quarantine-entered@provsim.invalid>');
    expect(mail.text?.trimEnd()).toBe(notification.text);
    expect(mail.html).toBe(false);
    expect(mail.attachments).toEqual([]);
  });

  it('dates the message by the injected clock, and gives the same bytes for the same inputs', async () => {
    const later = new ManualClock('2027-01-02T03:04:05.000Z');
    const mail = await simpleParser(await renderEml(notification, { clock: later }));
    expect(mail.date?.toISOString()).toBe('2027-01-02T03:04:05.000Z');
    const a = await renderEml(notification, { clock, to: 'ops@example.com' });
    const b = await renderEml(notification, { clock, to: 'ops@example.com' });
    expect(a.equals(b)).toBe(true);
  });

  it('without a recipient, addresses the undisclosed-recipients group and sends from provsim', async () => {
    const raw = (await renderEml(notification, { clock })).toString('utf8');
    expect(headerLines(raw)).toContain('To: "undisclosed-recipients":;');
    expect(headerLines(raw)).toContain(`From: ${DEFAULT_FROM}`);
  });

  it('refuses a recipient or sender that is not an address, naming it, before building anything', async () => {
    await expect(renderEml(notification, { clock, to: 'ops@example.com\r\nBcc: x@evil.example' })).rejects.toThrow(NotificationError);
    await expect(renderEml(notification, { clock, to: 'ops' })).rejects.toThrow(
      'the notification recipient "ops" is not an e-mail address; give addresses like ops@example.com',
    );
    await expect(renderEml(notification, { clock, from: 'provsim' })).rejects.toThrow(
      'the notification sender "provsim" is not an e-mail address',
    );
  });
});
