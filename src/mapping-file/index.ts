/** The mapping (job) loader's public surface. */
export { parseJob } from './parse-job.js';
export type { TextFile } from './parse-job.js';
export { loadJob } from './load-job.js';
export { MAPPING_CODES } from './mapping-codes.js';
export type { MappingCode } from './mapping-codes.js';
export { DEFAULT_JOB_SETTINGS } from './read-settings.js';
export { OBJECT_ACTIONS } from './read-object-mapping.js';
export {
  GROUP_SOURCE_ATTRIBUTES,
  REFERENCE_SOURCE_ATTRIBUTES,
  UNSCOPABLE_SOURCE_ATTRIBUTES,
  USER_SOURCE_ATTRIBUTES,
  isSourceAttribute,
  sourceAttributesOf,
} from './source-attributes.js';
export type { SourceObjectKind } from './source-attributes.js';
export * from '../model/job.js';
