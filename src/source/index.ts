/** The fixture tenant loader's public surface. */
export { parseTenant } from './parse-tenant.js';
export type { ParseTenantOptions, TenantFiles, TextFile } from './parse-tenant.js';
export { loadTenant } from './load-tenant.js';
export type { LoadTenantOptions } from './load-tenant.js';
export { anonymizeTenant } from './anonymize/anonymize-tenant.js';
export type { AnonymizeOptions } from './anonymize/anonymize-tenant.js';
export { FIXTURE_CODES } from './fixture-codes.js';
export type { FixtureCode } from './fixture-codes.js';
export { loadGraphExport } from './load-graph-export.js';
export type { LoadGraphExportOptions } from './load-graph-export.js';
export { readGraphExport } from './graph/read-graph-export.js';
export type { GraphExportFile } from './graph/read-graph-export.js';
export type { GraphExportResult } from './graph/graph-export-reader.js';
export { isGraphExportListing } from './graph/export-listing.js';
export { GRAPH_CODES } from './graph/graph-codes.js';
export type { GraphCode } from './graph/graph-codes.js';
export { serializeTenantFixtures } from './graph/serialize-tenant.js';
export {
  EXTENSION_ATTRIBUTE_PATTERN,
  GROUP_FIXTURE_KEYS,
  USER_FIXTURE_KEYS,
  USER_MULTI_VALUED_ATTRIBUTES,
  USER_STRING_ATTRIBUTES,
  isExtensionAttribute,
} from './fixture-attributes.js';
export * from '../model/directory.js';
