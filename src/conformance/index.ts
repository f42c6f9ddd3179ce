/** The conformance suite's public surface: the runner, its report data and the report writers. */
export { runConformance, type ConformanceDeps, type ConformanceOptions } from './run.js';
export { summarise } from './summary.js';
export { catalogue, selectChecks, KNOWN_GAPS, type CatalogueEntry } from './checks/index.js';
export { renderHtmlReport } from './report-html.js';
export { renderJsonReport } from './report-json.js';
export { renderJunitReport } from './report-junit.js';
export { checkLine, renderTextSummary } from './report-text.js';
export type * from './types.js';
