/**
 * Durations as people write them for a cycle interval: `40m`, `30s`, `1h30m`, `500ms`, or ISO-8601 as in
 * Graph's synchronizationSchedule (`PT40M`, `PT1H`, `P1D`). At most MAX_DURATION_MS: a longer one is a typo
 * (`40000m` for `40m`…) rather than a schedule, and no flag of provsim means to wait longer.
 */
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** 366 days. */
export const MAX_DURATION_MS = 366 * 86_400_000;

/** Milliseconds, or null when unreadable or longer than MAX_DURATION_MS; `durationProblem` says which. */
export function parseDuration(text: string): number | null {
  const ms = readDuration(text);
  return ms === null || !(ms <= MAX_DURATION_MS) ? null : ms;
}

/**
 * Why `parseDuration` refuses the text (for a flag's error message), or null when it reads it. A command names
 * the flag: `--interval ${durationProblem(text)}`.
 */
export function durationProblem(text: string): string | null {
  const ms = readDuration(text);
  if (ms === null) return `${JSON.stringify(text)} is not a duration; write e.g. 40m, 30s, 1h30m, 500ms or PT40M`;
  if (!(ms <= MAX_DURATION_MS))
    return `${JSON.stringify(text)} is longer than ${MAX_DURATION_MS / 86_400_000} days, the longest duration provsim takes; write e.g. 30d or P30D`;
  return null;
}

function readDuration(text: string): number | null {
  const t = text.trim();
  const iso = /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i.exec(t);
  if (iso && t.length > 1 && !/T$/i.test(t)) {
    const [, d, h, m, s] = iso;
    return Math.round(
      Number(d ?? 0) * UNIT_MS['d']! + Number(h ?? 0) * UNIT_MS['h']! + Number(m ?? 0) * UNIT_MS['m']! + Number(s ?? 0) * UNIT_MS['s']!,
    );
  }
  const parts = [...t.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/gi)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== t) return null;
  return Math.round(parts.reduce((sum, p) => sum + Number(p[1]) * UNIT_MS[p[2]!.toLowerCase()]!, 0));
}
