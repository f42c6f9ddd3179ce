/** The quirk matrix, derived from the quirk checks' results: one row per quirk, one column per dialect. Pure. */
import type { QuirkDefinition } from './checks/quirks.js';
import type { CheckResult, QuirkMatrixRow } from './types.js';

export function quirkMatrix(quirks: readonly QuirkDefinition[], results: readonly CheckResult[]): QuirkMatrixRow[] {
  const byId = new Map(results.map((r) => [r.id, r]));
  return quirks.map((q) => {
    const cells: QuirkMatrixRow['cells'] = { legacy: null, aadOptscim062020: null };
    for (const probe of q.probes) {
      const result = byId.get(probe.id);
      if (!result) continue;
      const cell = {
        checkId: result.id,
        status: result.status,
        verdict: result.verdict ?? null,
        severity: result.severity,
        consequenceOf: result.consequence?.of ?? null,
      };
      // A shape both dialects send fills both columns with the same probe.
      if (probe.dialect === 'both' || probe.dialect === 'legacy') cells.legacy = cell;
      if (probe.dialect === 'both' || probe.dialect === 'aadOptscim062020') cells.aadOptscim062020 = cell;
    }
    return { quirk: q.quirk, title: q.title, cells };
  });
}
