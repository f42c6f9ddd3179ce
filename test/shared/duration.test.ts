import { describe, expect, it } from 'vitest';
import { durationProblem, MAX_DURATION_MS, parseDuration } from '../../src/shared/duration.js';

describe('parseDuration bounds', () => {
  it('reads long intervals up to 366 days', () => {
    expect(parseDuration('30d')).toBe(30 * 86_400_000);
    expect(parseDuration('P366D')).toBe(MAX_DURATION_MS);
    expect(parseDuration('366d')).toBe(MAX_DURATION_MS);
  });

  it.each([
    ['367d', '367d'],
    ['P400D', 'P400D'],
    ['9000h', '9000h'],
    ['a 401-digit number of days', '1' + '0'.repeat(400) + 'd'],
  ])('refuses %s as longer than 366 days, and says so', (_label, text) => {
    expect(parseDuration(text)).toBeNull();
    expect(durationProblem(text)).toMatch(/is longer than 366 days, the longest duration provsim takes/);
  });

  it('says what is wrong with an unreadable duration, and nothing about a good one', () => {
    expect(durationProblem('forty minutes')).toMatch(/"forty minutes" is not a duration; write e\.g\. 40m/);
    expect(durationProblem('40m')).toBeNull();
  });
});
