/**
 * A request whose answer, or an id the server gave earlier, provsim cannot use: a body that is not the
 * SCIM shape asked for, a resource without a usable id, a body over the size provsim reads. Entra logs these
 * as `SystemForCrossDomainIdentityManagementServiceIncompatible`.
 *
 * Contract: the same request gets the same answer, so it is an object failure, never retried as a transient
 * one (engine/retry.ts tells it by its class). `status` is the answer's status, or
 * null when nothing was sent (an unusable id is refused before the request) or no status was read.
 */
import { ScimRequestError, type ScimErrorBody } from '../shared/errors.js';

export const SERVICE_INCOMPATIBLE = 'SystemForCrossDomainIdentityManagementServiceIncompatible';

export class ServiceIncompatibleError extends ScimRequestError {
  constructor(fields: {
    method: string;
    url: string;
    status: number | null;
    scimError?: ScimErrorBody | null;
    bodyText?: string | null;
    reason: string;
  }) {
    super({ ...fields, entraCode: SERVICE_INCOMPATIBLE });
  }
}
