/**
 * What to do about a failed request, from what the wire showed: a table of rules, each matching on the
 * failure's method, status, scimType, detail text or Entra error code, with a hint and where the knowledge
 * comes from (a quirk in quirks.ts or a wire choice in wire-choices.ts, which hold the evidence, or a spec
 * section). Pure.
 *
 * Rules are tried in order and the first match wins, so a specific rule comes before a broader one (the
 * capitalised op of a manager PATCH is the cause, not the manager: a server that rejects the op never reads
 * the value). A rule that recognises the cause only from circumstances (a 400 on a PATCH mentioning `active`)
 * is `likely`, and its text says so. A failure no rule recognises gets no hint: a vague hint is worse than
 * none.
 */
import type { ObjectType } from '../model/records.js';
import type { QuirkName } from './quirks.js';
import { DEFAULT_TIMEOUT_MS } from './types.js';

/** One failure as the hint rules see it: the failing request and the server's answer, nothing per object. */
export interface FailureSignature {
  /** The failing request's method (upper case); null when no request failed (a matching or mapping failure). */
  method: string | null;
  /** The request's path from the resource on, ids replaced: `/Users`, `/Users/{id}`, `/Groups?filter=…`; null without a request. */
  path: string | null;
  objectType: ObjectType;
  /** What the failing request wrote: the object's own attributes, or one of its references. */
  part: 'object' | 'manager' | 'members';
  /** The response status; null when no response arrived (or no request failed). */
  status: number | null;
  /** Entra's provisioning-log error code (`UnprocessableEntity`, `EntryConflict`, `InvalidAnchor`, …). */
  errorCode: string | null;
  /** The SCIM error's `scimType`, as the server spelled it. */
  scimType: string | null;
  /** The server's SCIM `detail`, else its body text; without a response, the client's reason; '' when none. */
  detail: string;
  /** Why no response arrived, as Node names it (`ECONNREFUSED`, `ETIMEDOUT`, …); null when one did. */
  network: string | null;
}

/**
 * Where a rule's knowledge comes from: a quirk (quirks.ts) or a wire choice (wire-choices.ts, by id), both
 * listed with their evidence by `provsim quirks`, or a reference such as a spec section.
 */
export type HintBasis = { quirk: QuirkName } | { wireChoice: string } | { reference: string };

export type HintCertainty = 'sure' | 'likely';

export interface FailureHintRule {
  /** Stable, kebab-case. */
  id: string;
  /** What the rule recognises, in a few words. */
  recognises: string;
  /** `likely`: recognised from circumstances only; the hint's text says "likely". */
  certainty: HintCertainty;
  matches(s: FailureSignature): boolean;
  /** What was wrong and what to do, for a failure the rule matches. */
  hint(s: FailureSignature): string;
  basis: readonly HintBasis[];
  /** A `provsim conformance --only` check id that reproduces the cause on its own, when there is one. */
  reproduce?: string;
}

export interface FailureHint {
  /** The rule's id. */
  rule: string;
  text: string;
  certainty: HintCertainty;
  basis: readonly HintBasis[];
  reproduce: string | null;
}

const ENTERPRISE_USER = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const FLAG = '?aadOptscim062020';

const is400 = (s: FailureSignature): boolean => s.status === 400;
const isPatch400 = (s: FailureSignature): boolean => s.method === 'PATCH' && is400(s);
const scimType = (s: FailureSignature): string => (s.scimType ?? '').toLowerCase();

/** A capitalised op name in quotes (`'Add'`, `"Replace"`) or right after "op"/"operation" (`op: Replace`). */
const CAPITALISED_OP = /(['"`])(Add|Replace|Remove)\1|\bop(?:eration)?(?:\s+name)?\s*(?:[:=]|is|of)?\s*(Add|Replace|Remove)\b/;
/** The legacy dialect's string booleans, as Entra capitalises them. */
const QUOTED_BOOLEAN = /(['"])(True|False)\1/;
const BOOLEAN_WORD = /\bboolean\b/i;
const MENTIONS_SCHEMA = /\b(schemas?|extensions?|unknown|unsupported|not supported|unrecogni[sz]ed|invalid|not allowed|not found)\b/i;
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ECONNABORTED', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** The attribute a uniqueness error names, spelled as SCIM spells it. */
function uniqueAttribute(s: FailureSignature): string {
  const m = /\b(userName|displayName|externalId|emails?|employeeNumber)\b/i.exec(s.detail);
  if (m) {
    const lower = m[1]!.toLowerCase();
    return { username: 'userName', displayname: 'displayName', externalid: 'externalId', employeenumber: 'employeeNumber' }[lower] ?? lower;
  }
  return s.objectType === 'User' ? 'userName' : 'displayName';
}

/** Extension schema URNs the detail names (an attribute after the resource name is cut off); core and message URNs left out. */
function extensionUrns(detail: string): string[] {
  const urns = new Set<string>();
  for (const m of detail.matchAll(/urn:[A-Za-z0-9._:-]+/g)) {
    let urn = m[0].replace(/[.:]+$/, '');
    if (/^urn:ietf:params:scim:(schemas:core:|api:)/i.test(urn)) continue;
    const parts = urn.split(':');
    const resource = parts.findIndex((p) => p === 'User' || p === 'Group');
    if (resource >= 0) urn = parts.slice(0, resource + 1).join(':');
    urns.add(urn);
  }
  return [...urns];
}

/**
 * The 5xx statuses the engine retries within a cycle, and how often: DEFAULT_RETRY_POLICY in engine/retry.ts,
 * which scim/ cannot import (test/cli/failure-hints.test.ts keeps the two equal).
 */
export const RETRIED_SERVER_STATUSES: readonly number[] = [500, 502, 503, 504];
export const RETRIES_WITHIN_A_CYCLE = 3;

export const FAILURE_HINT_RULES: readonly FailureHintRule[] = [
  {
    id: 'capitalised-ops',
    recognises: 'a PATCH refused for its capitalised op name ("Add", "Replace", "Remove")',
    certainty: 'sure',
    matches: (s) => isPatch400(s) && CAPITALISED_OP.test(s.detail),
    hint: () =>
      `your server rejects the legacy dialect's capitalised PATCH ops ("Add", "Replace", "Remove"); Entra sends them in every PATCH unless the tenant URL has ${FLAG}. ` +
      `Compare op names case-insensitively, or add ${FLAG} to the tenant URL (--target) for lowercase ops`,
    basis: [{ wireChoice: 'legacy-patch-ops' }],
    reproduce: 'quirk.capitalised-ops',
  },
  {
    id: 'string-booleans',
    recognises: 'a PATCH refused for a boolean sent as the string "True"/"False"',
    certainty: 'sure',
    matches: (s) => isPatch400(s) && (QUOTED_BOOLEAN.test(s.detail) || BOOLEAN_WORD.test(s.detail)),
    hint: () =>
      `your server rejects the legacy dialect's string booleans ("value": "False" to disable, "True" to enable); Entra sends them in PATCHes unless the tenant URL has ${FLAG}. ` +
      `Accept "True"/"False" for boolean attributes, or add ${FLAG} to the tenant URL (--target) for JSON booleans`,
    basis: [{ wireChoice: 'booleans-in-post' }, { wireChoice: 'disable' }],
    reproduce: 'quirk.string-booleans',
  },
  {
    id: 'boolean-in-post',
    recognises: 'a POST refused over a boolean',
    certainty: 'likely',
    matches: (s) => is400(s) && s.method === 'POST' && (QUOTED_BOOLEAN.test(s.detail) || BOOLEAN_WORD.test(s.detail)),
    hint: () =>
      'Entra sends `active` as a JSON boolean in POSTs in both dialects, so this is likely another attribute: one outside the core schemas (under an extension URN) ' +
      'goes out as the string its mapping row produces ("True"/"False"). Accept a string there, or map that attribute to a string in the server',
    basis: [{ wireChoice: 'booleans-in-post' }],
  },
  {
    id: 'add-missing-filtered-path',
    recognises: 'a PATCH on a filtered path (emails[type eq "work"].value) whose element does not exist yet',
    certainty: 'sure',
    matches: (s) =>
      isPatch400(s) && (/\[\s*type\s+eq\b/i.test(s.detail) || (scimType(s) === 'notarget' && !/\b(members|manager)\b/i.test(s.detail))),
    hint: () =>
      'your server rejects Add on a filtered path whose element does not exist yet (emails[type eq "work"].value on a user without a work email); ' +
      'Entra sends that for the first work email, phone number or address, in both dialects. Create the element from the filter (type "work") with the value',
    basis: [{ wireChoice: 'legacy-patch-ops' }, { reference: 'RFC 7644 §3.5.2.1' }],
    reproduce: 'quirk.add-missing-filtered-path',
  },
  {
    id: 'member-remove-value-array',
    recognises: 'a group PATCH refused for removing members with a value array',
    certainty: 'sure',
    matches: (s) =>
      isPatch400(s) && s.objectType === 'Group' && /\bremove\b/i.test(s.detail) && (s.part === 'members' || /\bmembers\b/i.test(s.detail)),
    hint: () =>
      `your server rejects the legacy member removal {"op":"Remove","path":"members","value":[{"value":"<id>"}]}; Entra sends it unless the tenant URL has ${FLAG} ` +
      '(then path members[value eq "<id>"]). Remove exactly the listed members: a server that removes all of them instead answers 200 and empties the group silently',
    basis: [{ wireChoice: 'member-remove' }],
    reproduce: 'quirk.member-remove',
  },
  {
    id: 'member-add-null-ref',
    recognises: 'a group PATCH refused over the "$ref": null of a member add',
    certainty: 'sure',
    matches: (s) => isPatch400(s) && s.objectType === 'Group' && /\$ref\b/i.test(s.detail),
    hint: () =>
      'Entra\'s member adds carry "$ref": null beside each member\'s value ({"op":"Add","path":"members","value":[{"$ref":null,"value":"<id>"}]}); accept and ignore a null $ref',
    basis: [{ wireChoice: 'member-add' }],
  },
  {
    id: 'manager-bare-id',
    recognises: 'a manager PATCH refused for its value, a bare id',
    certainty: 'sure',
    matches: (s) => isPatch400(s) && s.objectType === 'User' && /\bmanager\b/i.test(s.detail),
    hint: () =>
      'your server rejects the manager as a bare id; Entra sends {"op":"Add","path":"urn:…:enterprise:2.0:User:manager","value":"<manager id>"} in both dialects, ' +
      'and "value": "" to remove it. Accept a string value as the manager\'s id (store it as {"value": id}) and "" as a removal',
    basis: [{ quirk: 'managerBareId' }, { wireChoice: 'manager-remove' }],
    reproduce: 'quirk.manager-bare-id',
  },
  {
    id: 'manager-patch',
    recognises: 'a manager PATCH refused without saying why',
    certainty: 'likely',
    matches: (s) => isPatch400(s) && s.part === 'manager',
    hint: () =>
      'likely the manager\'s shape: Entra sends {"op":"Add","path":"urn:…:enterprise:2.0:User:manager","value":"<manager id>"}, a bare id in both dialects, ' +
      'and "value": "" to remove it. Accept a string value as the manager\'s id and "" as a removal',
    basis: [{ quirk: 'managerBareId' }, { wireChoice: 'manager-remove' }],
    reproduce: 'quirk.manager-bare-id',
  },
  {
    id: 'unknown-extension-schema',
    recognises: 'a request refused over an extension schema URN the server does not know',
    certainty: 'sure',
    matches: (s) => is400(s) && extensionUrns(s.detail).length > 0 && MENTIONS_SCHEMA.test(s.detail),
    hint: (s) => {
      const urn = extensionUrns(s.detail)[0]!;
      if (urn === ENTERPRISE_USER)
        return (
          `your server does not accept the enterprise User extension (${ENTERPRISE_USER}), which Entra lists in every user POST's schemas and uses for ` +
          'department, employeeNumber, manager and the like: implement it, or take its rows out of the mapping'
        );
      return (
        `your server does not know the extension schema ${urn} that the mapping's rows target; Entra nests those attributes under the URN and leaves it out of \`schemas\`. ` +
        'Add the schema to the server (accepting it missing from `schemas`), or remove those rows from the mapping'
      );
    },
    basis: [{ wireChoice: 'user-post-schemas' }],
  },
  {
    id: 'active-likely-string-boolean',
    recognises: 'a PATCH refused with a message about `active`',
    certainty: 'likely',
    matches: (s) => isPatch400(s) && s.objectType === 'User' && /\bactive\b/i.test(s.detail),
    hint: () =>
      `likely the legacy dialect's string boolean: Entra disables with {"op":"Replace","path":"active","value":"False"} unless the tenant URL has ${FLAG}. ` +
      `Accept "True"/"False" for active, or add ${FLAG} to the tenant URL (--target) for JSON booleans`,
    basis: [{ wireChoice: 'disable' }, { wireChoice: 'booleans-in-post' }],
    reproduce: 'quirk.string-booleans',
  },
  {
    id: 'members-patch',
    recognises: 'a member PATCH refused without saying why',
    certainty: 'likely',
    matches: (s) => isPatch400(s) && s.part === 'members',
    hint: () =>
      'likely the shape of Entra\'s member PATCHes: additions {"op":"Add","path":"members","value":[{"$ref":null,"value":"<id>"}]} (up to 100 members), ' +
      `removals {"op":"Remove","path":"members","value":[{"value":"<id>"}]} unless the tenant URL has ${FLAG}. Accept both`,
    basis: [{ wireChoice: 'member-add' }, { wireChoice: 'member-remove' }],
    reproduce: 'quirk.member-remove',
  },
  {
    id: 'uniqueness-on-create',
    recognises: 'a create refused with 409 (or scimType uniqueness)',
    certainty: 'sure',
    matches: (s) => s.method === 'POST' && (s.status === 409 || scimType(s) === 'uniqueness'),
    hint: (s) =>
      `an object with this ${uniqueAttribute(s)} already exists in the target, but Entra's matching query ` +
      `(GET /${s.objectType === 'User' ? 'Users' : 'Groups'}?filter=<matching attribute> eq "…") did not find it, so Entra tried to create it: ` +
      'it was likely created outside Entra, or the filter does not work. Make the filter on the matching attribute find it ' +
      '(the exact value; userName case-insensitively) so Entra links it, or delete it from the target',
    basis: [{ wireChoice: 'filter-encoding' }, { reference: 'RFC 7644 §3.12' }],
    reproduce: 'protocol.filter',
  },
  {
    id: 'uniqueness-on-update',
    recognises: 'an update refused with 409 (or scimType uniqueness)',
    certainty: 'sure',
    matches: (s) => s.status === 409 || scimType(s) === 'uniqueness',
    hint: (s) =>
      `the update sets a ${uniqueAttribute(s)} that another object in the target already holds (a rename to a taken value): ` +
      'rename or delete that other object in the target, or change the source',
    basis: [{ reference: 'RFC 7644 §3.12' }],
  },
  {
    id: 'duplicate-target-entries',
    recognises: 'more than one target object answered the matching query',
    certainty: 'sure',
    matches: (s) => s.errorCode === 'DuplicateTargetEntries',
    hint: () =>
      "more than one object in the target answered Entra's matching query, so Entra links none of them: make the matching attribute unique in the target " +
      '(delete or rename the duplicates), and check that the server does not ignore the filter (one that does returns every object)',
    basis: [{ wireChoice: 'filter-encoding' }],
  },
  {
    id: 'deleted-behind-entra',
    recognises: 'a 404 on an object provsim linked earlier (InvalidAnchor)',
    certainty: 'sure',
    matches: (s) =>
      s.errorCode === 'InvalidAnchor' ||
      (s.status === 404 && (s.method === 'PATCH' || s.method === 'DELETE' || s.method === 'GET') && (s.path ?? '').includes('{id}')),
    hint: () =>
      "the object provsim created or matched earlier is gone from the target (404 on its id): it was deleted in the app behind Entra's back, and Entra does not recreate it on its own. " +
      'If that was on purpose, run provsim restart --scope full so the next cycle matches or creates it again; if not, find what deletes objects in the app',
    basis: [{ quirk: 'readBeforeWrite' }, { wireChoice: 'read-404-before-delete' }],
  },
  {
    id: 'matching-filter-refused',
    recognises: "a 400 to Entra's matching query",
    certainty: 'sure',
    matches: (s) => s.method === 'GET' && is400(s) && (scimType(s) === 'invalidfilter' || (s.path ?? '').includes('?filter=')),
    hint: (s) =>
      `your server rejects Entra's matching query (GET /${s.objectType === 'User' ? 'Users' : 'Groups'}?filter=<attribute> eq "<value>", form-encoded with + for spaces, the value double-quoted): ` +
      'support eq filters on the matching attributes (userName for users, displayName for groups)',
    basis: [{ wireChoice: 'filter-encoding' }],
    reproduce: 'protocol.filter',
  },
  {
    id: 'payload-too-large',
    recognises: 'a 413',
    certainty: 'sure',
    matches: (s) => s.status === 413,
    hint: (s) =>
      s.objectType === 'Group' && s.method === 'PATCH'
        ? "the member PATCH is larger than your server accepts: Entra adds up to 100 members in one PATCH (provsim: --members-per-patch, 100 by default) and its batch size cannot be configured; raise the server's request body limit"
        : "the request body is larger than your server accepts: raise the server's request body limit",
    basis: [{ wireChoice: 'member-add' }],
  },
  {
    id: 'throttled',
    recognises: 'a 429',
    certainty: 'sure',
    matches: (s) => s.status === 429,
    hint: () =>
      `your server throttled the requests: provsim waits for a Retry-After of up to --max-retry-after (60 s) and retries up to ${RETRIES_WITHIN_A_CYCLE} times, then leaves the object to a later cycle (escrowed). ` +
      "Send a short Retry-After, raise the server's limit, or lower --rps or --concurrency",
    basis: [{ wireChoice: 'retry-after' }],
  },
  {
    id: 'credentials-refused',
    recognises: 'a 401 or 403 during the cycle',
    certainty: 'sure',
    matches: (s) => s.status === 401 || s.status === 403,
    hint: () =>
      'the server refused the credentials during the cycle, which stops the cycle and quarantines the job: check that PROVSIM_TOKEN (or --token-file) holds the token the server expects, and that it has not expired',
    basis: [{ wireChoice: 'credentials-mid-cycle' }],
  },
  {
    id: 'not-implemented',
    recognises: 'a 501',
    certainty: 'sure',
    matches: (s) => s.status === 501,
    hint: (s) =>
      `your server does not implement ${s.method ?? 'this request'} ${s.path ?? ''}`.trimEnd() +
      ': Entra needs GET with eq filters, POST, PATCH (never PUT) and DELETE on /Users and /Groups',
    basis: [{ wireChoice: 'legacy-patch-ops' }],
  },
  {
    id: 'server-error',
    recognises: 'a 5xx',
    certainty: 'sure',
    matches: (s) => s.status !== null && s.status >= 500,
    hint: (s) => {
      if (s.method === 'POST')
        return (
          `your server failed (${s.status}) while creating: provsim does not resend a POST the server may have acted on; the object is escrowed, and the next cycle first looks it up ` +
          "by its matching attribute, so a created object is linked, not duplicated. The server's log has the cause"
        );
      const retried = RETRIED_SERVER_STATUSES.includes(s.status!)
        ? `the request was retried up to ${RETRIES_WITHIN_A_CYCLE} times within the cycle, then the object was escrowed`
        : 'the object was escrowed';
      return `your server failed (${s.status}): ${retried} for a later cycle (provsim status shows when). The server's log has the cause`;
    },
    basis: [{ wireChoice: 'lost-post-not-resent' }, { reference: "provsim's retry ladder (README: Design)" }],
  },
  {
    id: 'timeout',
    recognises: 'no answer within the timeout',
    certainty: 'sure',
    matches: (s) => s.status === null && s.method !== null && (s.errorCode === 'Timeout' || TIMEOUT_CODES.has(s.network ?? '')),
    hint: (s) =>
      s.method === 'POST'
        ? `your server did not answer within --timeout (${DEFAULT_TIMEOUT_MS / 1000} s by default): the POST was not resent (the server may have created the object), and the next cycle looks the object up ` +
          'by its matching attribute first. Make the endpoint answer sooner, or raise --timeout'
        : `your server did not answer within --timeout (${DEFAULT_TIMEOUT_MS / 1000} s by default): the request was retried within the cycle, then the object was escrowed for a later cycle. ` +
          'Make the endpoint answer sooner, or raise --timeout',
    basis: [{ wireChoice: 'lost-post-not-resent' }, { reference: "provsim's retry ladder (README: Design)" }],
  },
  {
    id: 'no-connection',
    recognises: 'no response at all (refused, reset, unreachable)',
    certainty: 'sure',
    matches: (s) => s.status === null && s.method !== null && s.errorCode !== 'SystemForCrossDomainIdentityManagementServiceIncompatible',
    hint: (s) => {
      const code = s.network ?? 'no response';
      if (code === 'ECONNREFUSED')
        return 'could not connect (ECONNREFUSED): is the server running, and listening at the host and port of --target?';
      if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET')
        return `the server closed the connection without answering (${code}): check its log for a crash on this request`;
      if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `the host of --target could not be resolved (${code}): check its name`;
      return `no response (${code}): check that the server is up and reachable at --target, and its log for this request`;
    },
    basis: [{ reference: "provsim's retry ladder (README: Design)" }],
  },
];

/** The hint of the first rule that matches, or null when none does. */
export function hintFor(s: FailureSignature, rules: readonly FailureHintRule[] = FAILURE_HINT_RULES): FailureHint | null {
  const rule = rules.find((r) => r.matches(s));
  if (!rule) return null;
  return { rule: rule.id, text: rule.hint(s), certainty: rule.certainty, basis: rule.basis, reproduce: rule.reproduce ?? null };
}
