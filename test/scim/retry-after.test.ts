/** Retry-After read strictly (RFC 9110 §10.2.3, §5.6.7): src/scim/retry-after.ts. */
import { describe, expect, it } from 'vitest';
import { parseHttpDate, parseRetryAfter } from '../../src/scim/retry-after.js';

const NOW = new Date('2026-03-01T10:00:00Z');

describe('parseRetryAfter', () => {
  it('reads delay-seconds: a non-negative integer', () => {
    expect(parseRetryAfter('7', NOW)).toBe(7000);
    expect(parseRetryAfter('0', NOW)).toBe(0);
    expect(parseRetryAfter(' 120 ', NOW)).toBe(120_000);
    expect(parseRetryAfter('9'.repeat(400), NOW)).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('reads the three HTTP-date formats, in the future (the wait) or the past (none)', () => {
    expect(parseRetryAfter('Sun, 01 Mar 2026 10:00:12 GMT', NOW)).toBe(12_000);
    expect(parseRetryAfter('Sunday, 01-Mar-26 10:01:00 GMT', NOW)).toBe(60_000);
    expect(parseRetryAfter('Sun Mar  1 10:00:30 2026', NOW)).toBe(30_000);
    expect(parseRetryAfter('Sat, 28 Feb 2026 10:00:00 GMT', NOW)).toBe(0);
    // What the fault tests send: Date#toUTCString is an IMF-fixdate.
    expect(parseRetryAfter(new Date(NOW.getTime() + 5000).toUTCString(), NOW)).toBe(5000);
  });

  it.each([
    ['a negative number', '-5'],
    ['a fraction', '1.5'],
    ['a unit', '5s'],
    ['a signed number', '+5'],
    ['hex', '0x10'],
    ['a word', 'soon'],
    ['an ISO-8601 date Date.parse reads', '2026-03-01T10:00:12Z'],
    ['a date without weekday', '01 Mar 2026 10:00:12 GMT'],
    ['a lower-case zone (HTTP-date is case-sensitive)', 'Sun, 01 Mar 2026 10:00:12 gmt'],
    ['another zone', 'Sun, 01 Mar 2026 10:00:12 UTC'],
    ['a one-digit day in IMF-fixdate', 'Sun, 1 Mar 2026 10:00:12 GMT'],
    ['a day the month does not have', 'Tue, 31 Feb 2026 10:00:12 GMT'],
    ['hour 24', 'Sun, 01 Mar 2026 24:00:00 GMT'],
    ['an empty value', ''],
    ['two values', '5, 6'],
  ])('treats %s as absent', (_what, value) => {
    expect(parseRetryAfter(value, NOW)).toBeNull();
  });

  it('is null without a header', () => {
    expect(parseRetryAfter(undefined, NOW)).toBeNull();
    expect(parseRetryAfter(null, NOW)).toBeNull();
  });
});

describe('parseHttpDate', () => {
  it('reads an RFC 850 two-digit year as the most recent past year with those digits when it is over 50 years ahead', () => {
    expect(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT', NOW)).toBe(Date.parse('1994-11-06T08:49:37Z'));
    expect(parseHttpDate('Friday, 01-Mar-30 10:00:00 GMT', NOW)).toBe(Date.parse('2030-03-01T10:00:00Z'));
  });

  it('reads years below 100 as written, not as 19xx', () => {
    expect(new Date(parseHttpDate('Mon, 01 Jan 0050 00:00:00 GMT', NOW)!).getUTCFullYear()).toBe(50);
  });

  it('accepts a leap second', () => {
    expect(parseHttpDate('Wed, 31 Dec 2025 23:59:60 GMT', NOW)).toBe(Date.parse('2026-01-01T00:00:00Z'));
  });
});
