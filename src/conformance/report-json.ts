/**
 * The report as JSON: the ConformanceReport data as it is (types.ts, `formatVersion` 1), with every
 * recorded exchange, for tools and for diffing two runs. Pure.
 */
import type { ConformanceReport } from './types.js';

export function renderJsonReport(report: ConformanceReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
