/** The fixture tenant loader's public surface. */
export { parseTenant } from './parse-tenant.js';
export type { ParseTenantOptions, TenantFiles, TextFile } from './parse-tenant.js';
export { loadTenant } from './load-tenant.js';
export { FIXTURE_CODES } from './fixture-codes.js';
export type { FixtureCode } from './fixture-codes.js';
export {
  EXTENSION_ATTRIBUTE_PATTERN,
  GROUP_FIXTURE_KEYS,
  USER_FIXTURE_KEYS,
  USER_MULTI_VALUED_ATTRIBUTES,
  USER_STRING_ATTRIBUTES,
  isExtensionAttribute,
} from './fixture-attributes.js';
export * from '../model/directory.js';
