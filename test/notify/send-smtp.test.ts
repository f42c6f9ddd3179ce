/**
 * sendSmtp against real servers on 127.0.0.1 that the tests start: smtp-server for a server that answers,
 * a bare TCP listener for one that never does. No mock of the transport.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { decideNotification } from '../../src/notify/decide-notification.js';
import { NotificationError } from '../../src/notify/notification-error.js';
import { renderEml } from '../../src/notify/render-eml.js';
import { sendSmtp, transportOptions } from '../../src/notify/send-smtp.js';
import { parseSmtpUrl } from '../../src/notify/smtp-url.js';
import { ManualClock } from '../../src/shared/clock.js';
import { aQuarantiningCycle, credentialsRefused, TARGET } from './cycles.js';

const notification = decideNotification({
  result: aQuarantiningCycle('2026-03-04T05:00:00.000Z', credentialsRefused, null),
  previousQuarantine: null,
  target: TARGET,
  app: 'Zürich Payroll',
})!;
const clock = new ManualClock('2026-03-04T05:06:07.000Z');
const PASSWORD = 'p@ss:w/rd-9f1e';

interface Received {
  from: string | false;
  to: string[];
  user: string | undefined;
  message: Buffer;
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** An SMTP server on 127.0.0.1 that keeps what it receives. Its STARTTLS (with smtp-server's stale certificate) stays on. */
async function smtpServer(options: SMTPServerOptions = {}): Promise<{ port: number; received: Received[] }> {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    logger: false,
    ...options,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom && session.envelope.mailFrom.address,
          to: session.envelope.rcptTo.map((r) => r.address),
          user: session.user as string | undefined,
          message: Buffer.concat(chunks),
        });
        callback(null);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { port: (server.server.address() as AddressInfo).port, received };
}

/** A TCP listener on 127.0.0.1 that accepts connections and never says a word. */
async function silentServer(): Promise<number> {
  const sockets: Socket[] = [];
  const server: Server = createServer((s) => void sockets.push(s));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return (server.address() as AddressInfo).port;
}

async function failureOf(promise: Promise<unknown>): Promise<NotificationError> {
  const outcome = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(outcome).toBeInstanceOf(NotificationError);
  return outcome as NotificationError;
}

describe('sendSmtp', () => {
  it('delivers the rendered message: the envelope from and to, and the same bytes as the .eml', async () => {
    const { port, received } = await smtpServer();
    const receipt = await sendSmtp(`smtp://127.0.0.1:${port}`, ['ops@example.com', 'hr-it@example.com'], notification, {
      clock,
      from: 'Provisioning <noreply@example.com>',
    });
    expect(receipt).toMatchObject({
      server: `smtp://127.0.0.1:${port}`,
      accepted: ['ops@example.com', 'hr-it@example.com'],
      rejected: [],
      messageId: '<c0ffee00-0000-4000-8000-000000000001.quarantine-entered@provsim.invalid>',
    });
    expect(receipt.response).toMatch(/^250 /);
    expect(received).toHaveLength(1);
    const [got] = received;
    expect(got!.from).toBe('noreply@example.com');
    expect(got!.to).toEqual(['ops@example.com', 'hr-it@example.com']);
    const eml = await renderEml(notification, {
      clock,
      to: ['ops@example.com', 'hr-it@example.com'],
      from: 'Provisioning <noreply@example.com>',
    });
    expect(got!.message.toString('utf8').replace(/\r\n$/, '')).toBe(eml.toString('utf8').replace(/\r\n$/, ''));
    const mail = await simpleParser(got!.message);
    expect(mail.subject).toBe(notification.subject);
    expect(mail.text?.trimEnd()).toBe(notification.text);
  });

  it('logs in with the URL-encoded user and password', async () => {
    const { port, received } = await smtpServer({
      authMethods: ['PLAIN', 'LOGIN'],
      allowInsecureAuth: true,
      onAuth(auth, _session, callback) {
        if (auth.username === 'ops@example.com' && auth.password === PASSWORD) callback(null, { user: auth.username });
        else callback(new Error('Invalid username or password'));
      },
    });
    const url = `smtp://${encodeURIComponent('ops@example.com')}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${port}`;
    await sendSmtp(url, 'ops@example.com', notification, { clock });
    expect(received.map((r) => r.user)).toEqual(['ops@example.com']);
  });

  it('a refused login names the server and its answer, and never the password in any encoding', async () => {
    const { port } = await smtpServer({
      authMethods: ['PLAIN'],
      allowInsecureAuth: true,
      onAuth(_auth, _session, callback) {
        callback(Object.assign(new Error('Authentication credentials invalid'), { responseCode: 535 }));
      },
    });
    const url = `smtp://ops:${encodeURIComponent(PASSWORD)}@127.0.0.1:${port}`;
    const error = await failureOf(sendSmtp(url, 'ops@example.com', notification, { clock }));
    expect(error.code).toBe('EAUTH');
    expect(error.message).toContain(`could not send the notification through smtp://127.0.0.1:${port}: the server refused the login`);
    expect(error.message).toContain('535 Authentication credentials invalid');
    const serialized = JSON.stringify({ ...error, message: error.message, stack: error.stack });
    for (const form of [PASSWORD, encodeURIComponent(PASSWORD), Buffer.from(`\u0000ops\u0000${PASSWORD}`).toString('base64')])
      expect(serialized).not.toContain(form);
  });

  it('a recipient the server refuses fails the send with its answer', async () => {
    const { port } = await smtpServer({
      onRcptTo(address, _session, callback) {
        callback(Object.assign(new Error(`No such user ${address.address}`), { responseCode: 550 }));
      },
    });
    const error = await failureOf(sendSmtp(`smtp://127.0.0.1:${port}`, 'nobody@example.com', notification, { clock }));
    expect(error.code).toBe('EENVELOPE');
    expect(error.message).toContain('the server refused the sender or a recipient');
    expect(error.message).toContain('550 No such user nobody@example.com');
  });

  it('a server that never answers fails the send within its bound, naming host:port', async () => {
    const port = await silentServer();
    const error = await failureOf(sendSmtp(`smtp://127.0.0.1:${port}`, 'ops@example.com', notification, { clock, timeoutMs: 200 }));
    expect(error.code).toBe('ETIMEDOUT');
    expect(error.message).toContain(
      `could not send the notification through smtp://127.0.0.1:${port}: no answer to the connection or the greeting within 200 ms`,
    );
    expect(error.message).toContain('is an SMTP server listening there?');
  });

  it('a port nothing listens on: connection refused', async () => {
    const port = await silentServer();
    await cleanups.pop()!(); // closed again: the port is free
    const error = await failureOf(sendSmtp(`smtp://127.0.0.1:${port}`, 'ops@example.com', notification, { clock }));
    expect(error.message).toContain(`could not send the notification through smtp://127.0.0.1:${port}: connection refused`);
  });

  it('smtps:// speaks TLS from the first byte: a plain server fails the handshake, and the error says which is which', async () => {
    const { port } = await smtpServer({ disabledCommands: ['STARTTLS'] });
    const error = await failureOf(sendSmtp(`smtps://127.0.0.1:${port}`, 'ops@example.com', notification, { clock, timeoutMs: 2000 }));
    expect(error.message).toContain(`could not send the notification through smtps://127.0.0.1:${port}: TLS failed`);
    expect(error.message).toContain('smtps:// is TLS from the first byte');
  });

  it('refuses bad input before connecting: no recipient, a bad timeout', async () => {
    await expect(sendSmtp('smtp://127.0.0.1:1', [], notification, { clock })).rejects.toThrow(
      'no recipient for the notification through smtp://127.0.0.1:1; give at least one address',
    );
    await expect(sendSmtp('smtp://127.0.0.1:1', 'ops@example.com', notification, { clock, timeoutMs: 0 })).rejects.toThrow(
      'the SMTP timeout must be a positive number of milliseconds, got 0',
    );
  });
});

describe('transportOptions: the TLS policy and the bounds', () => {
  const options = (url: string) => transportOptions(parseSmtpUrl(url), 1234);

  it('never sends a password in the clear to another machine: a login over smtp:// requires STARTTLS', () => {
    expect(options('smtp://ops:pw@mail.example.com')).toMatchObject({ secure: false, requireTLS: true, ignoreTLS: false });
    // Without a login, STARTTLS is used when offered (nodemailer's default), not required.
    expect(options('smtp://mail.example.com')).toMatchObject({ secure: false, requireTLS: false, ignoreTLS: false });
    expect(options('smtps://ops:pw@mail.example.com')).toMatchObject({ secure: true, requireTLS: false, ignoreTLS: false });
  });

  it('stays plain on loopback (the delivery test above runs against a server offering STARTTLS with a stale certificate)', () => {
    expect(options('smtp://ops:pw@127.0.0.1:2525')).toMatchObject({ requireTLS: false, ignoreTLS: true });
    expect(options('smtps://127.0.0.1:2465')).toMatchObject({ secure: true, ignoreTLS: false });
  });

  it('bounds the connection, the greeting, every socket wait and the DNS lookup', () => {
    expect(options('smtp://mail.example.com')).toMatchObject({
      connectionTimeout: 1234,
      greetingTimeout: 1234,
      socketTimeout: 1234,
      dnsTimeout: 1234,
    });
  });
});
