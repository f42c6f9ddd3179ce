/**
 * Durations as people write them for a cycle interval: `40m`, `30s`, `1h30m`, `500ms`, or ISO-8601 as in
 * Graph's synchronizationSchedule (`PT40M`, `PT1H`, `P1D`). Returns milliseconds, or null when unreadable.
 */
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function parseDuration(text: string): number | null {
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
