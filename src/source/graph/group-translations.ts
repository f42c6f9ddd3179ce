/**
 * Graph v1.0 group properties → Entra's group source attributes (the fixture format's group keys). The names
 * are the same; members come from the `members-<group id>*.json` pages, not from the group object.
 */
import type { Translation } from './user-translations.js';

export const GROUP_TRANSLATIONS: readonly Translation[] = [
  { graph: 'id', entra: 'objectId', shape: 'id', note: 'must be a GUID', evidence: ['entra-scim-tutorial'] },
  { graph: 'displayName', entra: 'displayName', shape: 'upn', note: 'required', evidence: ['entra-scim-tutorial'] },
  { graph: 'mailNickname', entra: 'mailNickname', shape: 'string', evidence: ['entra-scim-api-schema'] },
  { graph: 'description', entra: 'description', shape: 'string', evidence: ['entra-scim-api-schema'] },
  { graph: 'mail', entra: 'mail', shape: 'string', evidence: ['graph-group'] },
  {
    graph: '/groups/{id}/members',
    entra: 'members',
    shape: 'reference',
    note: 'users and groups of the export; devices, service principals and contacts are reported and left out',
    evidence: ['entra-scim-tutorial', 'graph-group-members'],
  },
  {
    graph: 'extension_<appId>_<name>',
    entra: 'extension_<appId>_<name>',
    shape: 'extension',
    note: 'as for users',
    evidence: ['customize-attributes'],
  },
];
