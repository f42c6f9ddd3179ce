/**
 * The connection check, first in every run: Entra's Test Connection probe (a filter for a random GUID).
 * It fails only when no other check could say anything: no answer, refused credentials, or a base URL
 * under which every request gets 404 (the user pointed --target at `http://host/` instead of
 * `http://host/scim/v2`). Then the run stops there, with this one failure, instead of running every
 * check into the same wall. Any other answer passes it: the checks that follow report what is wrong.
 */
import { eqFilter, formEncode } from '../../scim/filter.js';
import type { Random } from '../../shared/random.js';
import type { RawClient, RawResponse } from '../raw-client.js';
import type { Severity } from '../types.js';
import type { CheckInfo } from './definition.js';
import { CheckFailure, type CheckOutcome } from './kit.js';

export const CONNECTION_CHECK: CheckInfo & { severity: Severity } = {
  id: 'protocol.connection',
  title: 'the base URL answers as a SCIM endpoint (Test Connection)',
  part: 'protocol',
  severity: 'mandatory',
  source:
    'spec §1.2 (Test Connection: GET /Users?filter=userName eq "<random GUID>"); RFC 7644 §4 (GET /ServiceProviderConfig under the base URL)',
};

/** Where SCIM servers usually live (RFC 7644 §3.13 versions the base URL as /v2; most use /scim/v2). */
const USUAL_BASE_PATH = '/scim/v2';

export async function testConnection(raw: RawClient, baseUrl: string, random: Random): Promise<CheckOutcome> {
  const probe = `/Users?filter=${formEncode(eqFilter('userName', random.uuid()))}`;
  const response = await raw.get(probe);
  if (response.status === null)
    throw new CheckFailure(
      `the target did not answer GET ${baseUrl}${probe} (${response.error ?? 'no response'}); check the URL and that the server is up`,
    );
  if (response.status === 401 || response.status === 403)
    throw new CheckFailure(
      `the target refused the credentials (${response.status}); set PROVSIM_TOKEN or --token-file to the token the target expects`,
    );
  if (response.status !== 404) return { message: `GET /Users?filter=userName eq "<random GUID>" answered ${response.status}` };

  // A 404 to a filter alone is a known non-compliance (protocol.filter-non-existing reports it); a 404 to
  // the discovery document and the plain collection too means nothing SCIM lives here.
  const config = await raw.get('/ServiceProviderConfig');
  const users = await raw.get('/Users');
  if (config.status !== 404 || users.status !== 404) {
    return {
      message: `GET /Users?filter=… answered 404, but GET /ServiceProviderConfig answered ${statusOf(config)} and GET /Users ${statusOf(users)}: the base URL serves SCIM`,
    };
  }
  const tried = [`GET ${baseUrl}${probe} → 404`, `GET ${baseUrl}/ServiceProviderConfig → 404`, `GET ${baseUrl}/Users → 404`];
  // The same answers come from a SCIM server that answers 404 for every empty list and has no discovery
  // document (Entra never asks for one); its 404s then carry SCIM errors. Either way Entra cannot use it
  // (a 404 to a filter quarantines the job), so the run stops; the message names both causes.
  const scimError = [response, config, users].some(isScimError)
    ? ` If this is the SCIM endpoint, it answers 404 when a query finds no resource, and to an empty list: it must answer 200 with an empty ListResponse (Entra quarantines a job whose probe gets 404).`
    : '';
  throw new CheckFailure(
    `wrong base URL: every request under ${baseUrl} got 404 (${tried.join('; ')}), so ${baseUrl} is not where the SCIM endpoint is. ${await hint(raw, baseUrl)}${scimError}`,
  );
}

/**
 * What to try: the usual base path under the given URL and at the host's root (same origin only), naming
 * the first that answers discovery; when the URL already ends in it, the part before it.
 */
async function hint(raw: RawClient, baseUrl: string): Promise<string> {
  const url = new URL(baseUrl);
  if (url.pathname.replace(/\/+$/, '').endsWith(USUAL_BASE_PATH)) {
    return `The path already ends in ${USUAL_BASE_PATH}: check the part before it (a tenant or app prefix, e.g. /api/scim/v2 or /scim/v2/<tenant>) and that the server mounts its SCIM routes there.`;
  }
  const candidates = [...new Set([`${baseUrl}${USUAL_BASE_PATH}`, `${url.origin}${USUAL_BASE_PATH}`])];
  for (const candidate of candidates) {
    const response = await raw.getUrl(`${candidate}/ServiceProviderConfig`);
    if (response.status === 200)
      return `Check the base path of --target: SCIM servers usually live under ${USUAL_BASE_PATH}; GET ${candidate}/ServiceProviderConfig answers 200, so try --target ${candidate}.`;
  }
  return `Check the base path of --target: SCIM servers usually live under ${USUAL_BASE_PATH} (${candidates.map((c) => `${c}/ServiceProviderConfig`).join(' and ')} did not answer 200 either).`;
}

function isScimError(response: RawResponse): boolean {
  const schemas = (response.json as { schemas?: unknown } | undefined)?.schemas;
  return Array.isArray(schemas) && schemas.includes('urn:ietf:params:scim:api:messages:2.0:Error');
}

function statusOf(response: RawResponse): string {
  return response.status === null ? `no response (${response.error ?? ''})` : String(response.status);
}
