/**
 * The public documents the Graph → Entra translations rest on (cited by key in `user-translations.ts` and
 * `group-translations.ts`, and in the README's table).
 */
export const EVIDENCE = {
  'entra-scim-tutorial': {
    title: 'Microsoft Entra: Tutorial - Develop and plan provisioning for a SCIM endpoint, "Microsoft Entra user" attribute table',
    url: 'https://learn.microsoft.com/entra/identity/app-provisioning/use-scim-to-provision-users-and-groups',
  },
  'entra-scim-api-schema': {
    title: 'Microsoft Entra: Microsoft Entra ID SCIM API schema (SCIM attribute ↔ Graph property)',
    url: 'https://learn.microsoft.com/entra/identity/app-provisioning/entra-id-scim-api-schema-documentation',
  },
  'aad-graph-differences': {
    title: 'Microsoft Graph: Property differences between Azure AD Graph and Microsoft Graph (user)',
    url: 'https://learn.microsoft.com/graph/migrate-azure-ad-graph-property-differences',
  },
  'customize-attributes': {
    title:
      'Microsoft Entra: Customize user provisioning attribute-mappings (source attributes are the Azure AD Graph user attributes and directory extensions; extension names are case-sensitive)',
    url: 'https://learn.microsoft.com/entra/identity/app-provisioning/customize-application-attributes',
  },
  'cross-tenant-attributes': {
    title: 'Microsoft Entra: Map custom attributes in cross-tenant synchronization (the "Source attribute" list of a user mapping)',
    url: 'https://learn.microsoft.com/entra/identity/multi-tenant-organizations/cross-tenant-synchronization-custom-attributes',
  },
  'graph-user': {
    title: 'Microsoft Graph v1.0: user resource type',
    url: 'https://learn.microsoft.com/graph/api/resources/user',
  },
  'graph-group': {
    title: 'Microsoft Graph v1.0: group resource type',
    url: 'https://learn.microsoft.com/graph/api/resources/group',
  },
  'graph-group-members': {
    title: 'Microsoft Graph v1.0: List group members (directoryObjects of mixed kinds, told apart by @odata.type)',
    url: 'https://learn.microsoft.com/graph/api/group-list-members',
  },
  'graph-app-role-assignment': {
    title: 'Microsoft Graph v1.0: appRoleAssignment resource type (principalType, appRoleId; the all-zero appRoleId is default access)',
    url: 'https://learn.microsoft.com/graph/api/resources/approleassignment',
  },
} as const;

export type EvidenceKey = keyof typeof EVIDENCE;
