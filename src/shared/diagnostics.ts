/**
 * Diagnostics: problems a user can fix (bad YAML, unknown keys, expression syntax, dangling references).
 * They are collected and returned, never thrown. Only `cli/main.ts` turns them into an exit code (2).
 */

/** 1-based position in a file. `column` counts UTF-16 code units, as editors do for most text. */
export interface Position {
  line: number;
  column: number;
}

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  severity: Severity;
  /** Stable, documented code such as `FIXTURE_UNKNOWN_KEY` or `EXPR_UNKNOWN_FUNCTION`. Tests match on it. */
  code: string;
  /** What is wrong, in one sentence. */
  message: string;
  /** The file the problem is in, as the user named it (relative paths stay relative). */
  file?: string;
  /** Where in the file. Absent only when the whole file is concerned (missing file). */
  position?: Position;
  /** What to do about it: a did-you-mean, the accepted values, the fix. */
  hint?: string;
}

export function error(code: string, message: string, where: { file?: string; position?: Position; hint?: string } = {}): Diagnostic {
  return { severity: 'error', code, message, ...definedOnly(where) };
}

export function warning(code: string, message: string, where: { file?: string; position?: Position; hint?: string } = {}): Diagnostic {
  return { severity: 'warning', code, message, ...definedOnly(where) };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** `file:line:col: error CODE: message\n  hint: …` — the shape editors and CI annotators understand. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.file ? `${d.file}${d.position ? `:${d.position.line}:${d.position.column}` : ''}: ` : '';
  const hint = d.hint ? `\n  hint: ${d.hint}` : '';
  return `${where}${d.severity} ${d.code}: ${d.message}${hint}`;
}

/** Edit distance (Levenshtein), used for did-you-mean hints. */
export function editDistance(a: string, b: string): number {
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}

/**
 * The closest candidate to `name`, if it is close enough to be a plausible typo
 * (case-insensitive equality, or an edit distance of at most a third of the length, minimum 2).
 */
export function didYouMean(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const lower = name.toLowerCase();
  for (const c of candidates) {
    if (c.toLowerCase() === lower) return c;
    const d = editDistance(lower, c.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = c;
    }
  }
  const limit = Math.max(2, Math.floor(name.length / 3));
  return bestDistance <= limit ? best : undefined;
}
