/** `settings:` of a mapping file; every key optional, defaults as documented on JobSettings. */
import type { ParsedNode } from 'yaml';
import type { YamlReader } from '../shared/yaml-file.js';
import { MAPPING_CODES as C } from './mapping-codes.js';
import type { JobSettings } from '../model/job.js';

export const DEFAULT_JOB_SETTINGS: Readonly<JobSettings> = {
  scope: 'assigned',
  skipOutOfScopeDeletions: false,
  accidentalDeletionThreshold: null,
  provisionDefaultAccess: true,
};

const KEYS = ['scope', 'skipOutOfScopeDeletions', 'accidentalDeletionThreshold', 'provisionDefaultAccess'] as const;
const SCOPES = ['assigned', 'all'] as const;

export function readSettings(reader: YamlReader, node: ParsedNode | null): JobSettings {
  const settings: JobSettings = { ...DEFAULT_JOB_SETTINGS };
  if (node === null) return settings;
  const map = reader.map(node, 'settings', 'settings is a map: `{scope: assigned, …}`');
  if (map === null) return settings;
  const e = reader.entries(map, 'settings', KEYS);
  const value = (key: (typeof KEYS)[number]): ParsedNode | null => e.get(key)?.value ?? null;

  const scope = value('scope');
  if (scope !== null) settings.scope = reader.oneOf(scope, 'settings.scope', SCOPES, C.MAPPING_INVALID_VALUE) ?? settings.scope;
  for (const key of ['skipOutOfScopeDeletions', 'provisionDefaultAccess'] as const) {
    const n = value(key);
    if (n !== null) settings[key] = reader.boolean(n, `settings.${key}`) ?? settings[key];
  }
  const threshold = value('accidentalDeletionThreshold');
  if (threshold !== null)
    settings.accidentalDeletionThreshold = reader.integer(threshold, 'settings.accidentalDeletionThreshold', 1, C.MAPPING_INVALID_VALUE);
  return settings;
}
