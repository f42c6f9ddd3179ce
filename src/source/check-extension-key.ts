import type { ParsedNode } from 'yaml';
import type { YamlReader } from '../shared/yaml-file.js';
import { isExtensionAttribute } from './fixture-attributes.js';
import { FIXTURE_CODES as C } from './fixture-codes.js';

/**
 * Accepts `extension_<appId>_<name>` keys for `YamlReader.entries`. A key that starts like an extension but
 * is malformed is reported here (more precisely than "unknown key") and also counts as handled.
 */
export function checkExtensionKey(reader: YamlReader, key: string, keyNode: ParsedNode, what: string): boolean {
  if (isExtensionAttribute(key)) return true;
  if (!key.toLowerCase().startsWith('extension_')) return false;
  reader.error(
    C.FIXTURE_BAD_EXTENSION_NAME,
    `\`${key}\` in ${what} is not a valid extension attribute name`,
    keyNode,
    'extension attributes are named extension_<appId>_<name>, the appId being the 32 hex digits of the app id without dashes',
  );
  return true;
}
