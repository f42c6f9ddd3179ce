import { describe, expect, it } from 'vitest';
import { NotificationError } from '../../src/notify/notification-error.js';
import { parseSmtpUrl } from '../../src/notify/smtp-url.js';

describe('parseSmtpUrl', () => {
  it('smtp:// is plain with STARTTLS, port 587 by default; smtps:// is TLS, port 465 by default', () => {
    expect(parseSmtpUrl('smtp://mail.example.com')).toEqual({
      secure: false,
      host: 'mail.example.com',
      port: 587,
      auth: null,
      loopback: false,
      display: 'smtp://mail.example.com:587',
    });
    expect(parseSmtpUrl('smtps://mail.example.com')).toMatchObject({ secure: true, port: 465, display: 'smtps://mail.example.com:465' });
    expect(parseSmtpUrl('smtp://127.0.0.1:2525/')).toMatchObject({ host: '127.0.0.1', port: 2525, loopback: true });
    expect(parseSmtpUrl('smtp://[::1]:25')).toMatchObject({ host: '::1', loopback: true, display: 'smtp://[::1]:25' });
  });

  it('decodes the user and password, and shows neither', () => {
    const s = parseSmtpUrl('smtps://ops%40example.com:p%40ss%3Aw%2Frd@mail.example.com:465');
    expect(s.auth).toEqual({ user: 'ops@example.com', pass: 'p@ss:w/rd' });
    expect(s.display).toBe('smtps://mail.example.com:465');
  });

  it.each([
    ['http://user:hunter2@mail.example.com', 'must start with smtp:// (STARTTLS) or smtps:// (TLS); got http:'],
    ['smtp://user:hunter2@mail.example.com/inbox', 'has a path, query or fragment'],
    ['smtp://user:hunter2@mail.example.com?tls=off', 'has a path, query or fragment'],
    ['smtp://:hunter2@mail.example.com', 'has a password but no user'],
    ['smtp://user:hunter2@exa mple.com', 'is not a URL (not shown: it may hold a password)'],
  ])('refuses %s, saying why, without the password', (url, why) => {
    let thrown: unknown;
    try {
      parseSmtpUrl(url);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(NotificationError);
    expect((thrown as Error).message).toContain(why);
    expect((thrown as Error).message).not.toContain('hunter2');
  });
});
