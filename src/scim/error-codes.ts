/**
 * Entra's provisioning-log error codes for SCIM responses (spec §1.13, §5.13). Pure.
 */
import type { ScimErrorBody } from '../shared/errors.js';

export function entraCodeForStatus(status: number, scimError: ScimErrorBody | null, context: { linked: boolean; method: string }): string {
  if (status === 400 || status === 422) {
    const t = scimError?.scimType?.toLowerCase();
    if (t === 'invalidpath' || t === 'notarget') return 'SchemaAttributeNotFound';
    if (t === 'uniqueness') return 'EntryConflict';
    return 'UnprocessableEntity';
  }
  if (status === 401) return 'Unauthorized';
  if (status === 403) return 'InsufficientRights';
  if (status === 404) return context.linked ? 'InvalidAnchor' : 'NotFound';
  if (status === 405) return 'MethodNotAllowed';
  if (status === 409) return 'EntryConflict';
  if (status === 429) return 'TooManyRequests';
  if (status === 501) return 'NotImplemented';
  if (status >= 500) return 'InternalServerError';
  return 'WebExceptionProtocolError';
}
