import SCIMMY from 'scimmy';
import type { JsonObject } from './types.js';

/** The `scimType` keywords of RFC 7644 §3.12. */
export type ScimType =
  | 'uniqueness'
  | 'tooMany'
  | 'invalidFilter'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive';

/** HTTP statuses the target answers errors with (a subset of SCIMMY's ErrorResponse list). */
export type ScimErrorStatus = 400 | 401 | 404 | 409 | 413 | 500 | 501;

/**
 * Throw one of these from anywhere in the target; the HTTP layer turns it into a SCIM error response.
 * It is SCIMMY's own error type, so errors thrown by SCIMMY (PatchOp, Filter, schema coercion) and ours
 * travel the same way.
 */
export function scimError(status: ScimErrorStatus, scimType: ScimType | null, detail: string): Error {
  return new SCIMMY.Types.Error(status, scimType as string, detail);
}

export interface ScimErrorBody extends JsonObject {
  schemas: string[];
  status: string;
  detail: string;
}

export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

/**
 * Map anything thrown while handling a request to `[status, body]`.
 * - SCIMMY / our SCIM errors keep their status and scimType.
 * - A TypeError is what SCIMMY's schema coercion throws for a value that does not fit the schema
 *   (SCIMMY's own Resource classes map it to 400 invalidValue; so do we).
 * - Anything else is a bug in the target: 500, with the message, so the test that hit it can say why.
 */
export function toErrorResponse(error: unknown): { status: number; body: ScimErrorBody } {
  let status = 500;
  let scimType: string | undefined;
  let detail = 'Internal error in the provsim SCIM target';
  if (error instanceof SCIMMY.Types.Error) {
    status = Number(error.status) || 500;
    scimType = error.scimType ?? undefined;
    detail = error.message;
  } else if (error instanceof TypeError) {
    status = 400;
    scimType = 'invalidValue';
    detail = error.message;
  } else if (error instanceof Error) {
    detail = `Internal error in the provsim SCIM target: ${error.message}`;
  }
  return { status, body: errorBody(status, scimType, detail) };
}

/**
 * Build the body through SCIMMY's ErrorResponse, which validates the status/scimType pairing of RFC 7644 §3.12;
 * a pairing it rejects (e.g. a scimType on a 404) is sent without the scimType rather than failing the response.
 */
export function errorBody(status: number, scimType: string | undefined, detail: string): ScimErrorBody {
  let message: { status: string; scimType?: string; detail?: string };
  try {
    message = new SCIMMY.Messages.ErrorResponse({ status, scimType, detail } as never) as unknown as typeof message;
  } catch {
    message = { status: String(status), detail };
  }
  const body: ScimErrorBody = { schemas: [ERROR_SCHEMA], status: String(message.status), detail: message.detail ?? detail };
  if (message.scimType) body['scimType'] = message.scimType;
  return body;
}
