/**
 * The hint rules (src/scim/failure-hints.ts), table-driven over plain log entries read as the grouping reads
 * them: which rule each failure gets, that the hint says what to do, that every rule is exercised, and that
 * each rule's evidence exists where it says.
 */
import { describe, expect, it } from 'vitest';
import { failureSignature } from '../../src/cli/render/failure-groups.js';
import { catalogue } from '../../src/conformance/checks/index.js';
import type { LogEntry } from '../../src/model/records.js';
import { DEFAULTS } from '../../src/engine/defaults.js';
import { DEFAULT_RETRY_POLICY } from '../../src/engine/retry.js';
import { FAILURE_HINT_RULES, hintFor, RETRIED_SERVER_STATUSES, RETRIES_WITHIN_A_CYCLE } from '../../src/scim/failure-hints.js';
import { QUIRKS } from '../../src/scim/quirks.js';
import { WIRE_CHOICES } from '../../src/scim/wire-choices.js';
import { aFailedEntry, aScimError } from '../helpers/builders.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const hintOf = (e: LogEntry) => hintFor(failureSignature(e));

/** [what, entry, the rule expected, text the hint must contain] */
const CASES: Array<[string, LogEntry, string, RegExp]> = [
  [
    'capitalised op, quoted (the strict target)',
    aFailedEntry('ann', {
      body: aScimError(400, 'invalidSyntax', "Operation 1 of the PATCH body has op 'Replace'; use add, remove or replace"),
    }),
    'capitalised-ops',
    /capitalised PATCH ops.*\?aadOptscim062020.*case-insensitively/,
  ],
  [
    'capitalised op, unquoted after "op"',
    aFailedEntry('ann', { body: aScimError(400, null, 'Unsupported op: Add') }),
    'capitalised-ops',
    /\?aadOptscim062020/,
  ],
  [
    'capitalised op on the manager PATCH: the op is the cause, not the manager',
    aFailedEntry('ann', { part: 'manager', body: aScimError(400, 'invalidSyntax', `op "Add" on ${ENTERPRISE}:manager is not supported`) }),
    'capitalised-ops',
    /capitalised/,
  ],
  [
    'string boolean, quoted "False" (the strict target)',
    aFailedEntry('ann', {
      body: aScimError(400, 'invalidValue', `'active' in operation 1 of the PATCH body is the string "False" but the schema says boolean`),
    }),
    'string-booleans',
    /string booleans.*\?aadOptscim062020.*Accept "True"\/"False"/,
  ],
  [
    'string boolean, "boolean" in the message',
    aFailedEntry('ann', { body: aScimError(400, 'invalidValue', 'active must be boolean') }),
    'string-booleans',
    /tenant URL \(--target\)/,
  ],
  [
    'a POST refused over a boolean: Entra sends JSON booleans there',
    aFailedEntry('ann', { method: 'POST', body: aScimError(400, 'invalidValue', 'active must be boolean') }),
    'boolean-in-post',
    /likely another attribute.*extension URN/,
  ],
  [
    'Add on a missing filtered path, scimType noTarget',
    aFailedEntry('ann', {
      code: 'SchemaAttributeNotFound',
      body: aScimError(
        400,
        'noTarget',
        `Path 'emails[type eq "work"].value' in operation 1 of the PATCH body matches no element of 'emails' for 'add'`,
      ),
    }),
    'add-missing-filtered-path',
    /element does not exist yet.*Create the element from the filter/,
  ],
  [
    'Add on a missing filtered path, no scimType',
    aFailedEntry('ann', { body: aScimError(400, null, 'No element matches phoneNumbers[type eq "work"].value') }),
    'add-missing-filtered-path',
    /first work email, phone number or address/,
  ],
  [
    'member removal with a value array',
    aFailedEntry('Sales', {
      type: 'Group',
      part: 'members',
      body: aScimError(400, 'invalidValue', 'a remove operation on members must not carry a value'),
    }),
    'member-remove-value-array',
    /"op":"Remove","path":"members","value".*Remove exactly the listed members.*empties the group/,
  ],
  [
    "member add's null $ref",
    aFailedEntry('Sales', { type: 'Group', part: 'members', body: aScimError(400, 'invalidValue', 'members[0].$ref must be a string') }),
    'member-add-null-ref',
    /accept and ignore a null \$ref/,
  ],
  [
    'manager as a bare id (the strict target)',
    aFailedEntry('ann', {
      part: 'manager',
      body: aScimError(
        400,
        'invalidValue',
        `'${ENTERPRISE}:manager' in operation 1 of the PATCH body is the bare string "0b7e…" but manager is complex; send {"value": "<manager id>"}`,
      ),
    }),
    'manager-bare-id',
    /manager as a bare id.*both dialects.*Accept a string value/,
  ],
  [
    'the manager PATCH refused without a word about it',
    aFailedEntry('ann', { part: 'manager', body: aScimError(400, null, 'Bad Request') }),
    'manager-patch',
    /^likely the manager's shape/,
  ],
  [
    'an unknown custom extension, named with its attribute',
    aFailedEntry('ann', {
      method: 'POST',
      body: aScimError(400, 'invalidValue', 'Attribute urn:ietf:params:scim:schemas:extension:acme:2.0:User:badgeNumber is not supported'),
    }),
    'unknown-extension-schema',
    /extension schema urn:ietf:params:scim:schemas:extension:acme:2\.0:User that the mapping's rows target.*remove those rows/,
  ],
  [
    'the enterprise extension unknown',
    aFailedEntry('ann', { method: 'POST', body: aScimError(400, 'invalidSyntax', `Unknown schema ${ENTERPRISE}`) }),
    'unknown-extension-schema',
    /does not accept the enterprise User extension.*implement it/,
  ],
  [
    'a PATCH refused with a word about active only',
    aFailedEntry('ann', { body: aScimError(400, null, 'Invalid value for attribute active') }),
    'active-likely-string-boolean',
    /^likely the legacy dialect's string boolean.*\?aadOptscim062020/,
  ],
  [
    'a member PATCH refused without a word about members',
    aFailedEntry('Sales', { type: 'Group', part: 'members', body: aScimError(400, null, 'Bad Request') }),
    'members-patch',
    /^likely the shape of Entra's member PATCHes/,
  ],
  [
    'a create that conflicts (409 uniqueness)',
    aFailedEntry('ann', {
      method: 'POST',
      status: 409,
      code: 'EntryConflict',
      body: aScimError(409, 'uniqueness', "userName 'ann@x' already exists"),
    }),
    'uniqueness-on-create',
    /this userName already exists in the target.*created outside Entra.*Make the filter on the matching attribute find it.*or delete it/,
  ],
  [
    'a group create that conflicts, the attribute not named',
    aFailedEntry('Sales', { type: 'Group', method: 'POST', status: 409, code: 'EntryConflict', body: aScimError(409, null, 'Conflict') }),
    'uniqueness-on-create',
    /this displayName already exists.*GET \/Groups\?filter=/,
  ],
  [
    'a rename to a taken value',
    aFailedEntry('ann', { status: 409, code: 'EntryConflict', body: aScimError(409, 'uniqueness', 'userName is already taken') }),
    'uniqueness-on-update',
    /sets a userName that another object in the target already holds/,
  ],
  [
    'several target objects match',
    aFailedEntry('ann', { method: null, code: 'DuplicateTargetEntries', reason: '2 target objects have userName eq "ann@x"' }),
    'duplicate-target-entries',
    /make the matching attribute unique/,
  ],
  [
    'the linked object is gone (read before write)',
    aFailedEntry('ann', { method: null, code: 'InvalidAnchor', reason: 'the target no longer has User t-ann (404 on GET by id)' }),
    'deleted-behind-entra',
    /deleted in the app behind Entra's back.*provsim restart --scope full/,
  ],
  [
    'a 404 to a PATCH of a linked object',
    aFailedEntry('ann', { status: 404, code: 'InvalidAnchor', body: aScimError(404, null, 'User t-ann not found') }),
    'deleted-behind-entra',
    /404 on its id/,
  ],
  [
    'the matching query refused',
    aFailedEntry('ann', {
      method: 'GET',
      url: 'http://127.0.0.1/scim/v2/Users?filter=userName+eq+%22ann%40x%22',
      body: aScimError(400, 'invalidFilter', 'filter not supported'),
    }),
    'matching-filter-refused',
    /matching query \(GET \/Users\?filter=.*support eq filters/,
  ],
  [
    'a member PATCH too large',
    aFailedEntry('Sales', { type: 'Group', part: 'members', status: 413, code: 'WebExceptionProtocolError', body: 'Payload Too Large' }),
    'payload-too-large',
    /up to 100 members in one PATCH.*raise the server's request body limit/,
  ],
  [
    'a user POST too large',
    aFailedEntry('ann', { method: 'POST', status: 413, code: 'WebExceptionProtocolError' }),
    'payload-too-large',
    /^the request body is larger/,
  ],
  ['throttled', aFailedEntry('ann', { status: 429, code: 'TooManyRequests' }), 'throttled', /Retry-After.*--rps or --concurrency/],
  ['credentials refused mid-cycle', aFailedEntry('ann', { status: 401, code: 'Unauthorized' }), 'credentials-refused', /PROVSIM_TOKEN/],
  [
    'a method not implemented',
    aFailedEntry('ann', { status: 501, code: 'NotImplemented' }),
    'not-implemented',
    /does not implement PATCH \/Users\/\{id\}/,
  ],
  [
    'a 500 to a POST',
    aFailedEntry('ann', { method: 'POST', status: 500, code: 'InternalServerError' }),
    'server-error',
    /does not resend a POST.*escrowed.*linked, not duplicated/,
  ],
  [
    'a 503 to a PATCH',
    aFailedEntry('ann', { status: 503, code: 'InternalServerError' }),
    'server-error',
    /retried up to 3 times within the cycle, then the object was escrowed/,
  ],
  [
    'a 507 to a PATCH (not retried)',
    aFailedEntry('ann', { status: 507, code: 'InternalServerError' }),
    'server-error',
    /failed \(507\): the object was escrowed/,
  ],
  [
    'a POST that timed out',
    aFailedEntry('ann', { method: 'POST', status: null, code: 'Timeout', network: 'ECONNABORTED' }),
    'timeout',
    /did not answer within --timeout.*POST was not resent.*raise --timeout/,
  ],
  [
    'a PATCH that timed out',
    aFailedEntry('ann', { status: null, code: 'WebExceptionProtocolError', network: 'UND_ERR_HEADERS_TIMEOUT' }),
    'timeout',
    /request was retried within the cycle/,
  ],
  [
    'connection refused',
    aFailedEntry('ann', { status: null, code: 'WebExceptionProtocolError', network: 'ECONNREFUSED' }),
    'no-connection',
    /could not connect \(ECONNREFUSED\): is the server running/,
  ],
  [
    'connection reset',
    aFailedEntry('ann', { status: null, code: 'WebExceptionProtocolError', network: 'ECONNRESET' }),
    'no-connection',
    /closed the connection without answering.*crash/,
  ],
];

describe('hint rules', () => {
  it.each(CASES)('%s → %s', (_, entry, rule, text) => {
    const hint = hintOf(entry);
    expect(hint?.rule).toBe(rule);
    expect(hint?.text).toMatch(text);
  });

  it.each<[string, LogEntry]>([
    ['a 400 nothing recognises', aFailedEntry('ann', { body: aScimError(400, 'invalidValue', 'userName is required') })],
    ['a lowercase op named in a refusal', aFailedEntry('ann', { body: aScimError(400, 'invalidSyntax', "op 'add' is invalid here") })],
    ['a POST refused without a body', aFailedEntry('ann', { method: 'POST' })],
    ['a mapping failure', aFailedEntry('ann', { method: null, code: 'ExpressionEvaluationFailed', reason: 'mapping to title failed' })],
    ['a user PATCH mentioning members', aFailedEntry('ann', { body: aScimError(400, null, 'cannot remove members here') })],
  ])('no hint for %s (the group still stands, without one)', (_, entry) => {
    expect(hintOf(entry)).toBeNull();
  });

  it('every rule is exercised by the table', () => {
    const exercised = new Set(CASES.map(([, , rule]) => rule));
    expect(FAILURE_HINT_RULES.map((r) => r.id).filter((id) => !exercised.has(id))).toEqual([]);
  });

  it('rule ids are unique and kebab-case', () => {
    const ids = FAILURE_HINT_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it('a rule that recognises its cause from circumstances says "likely" in its hint', () => {
    for (const [, entry] of CASES) {
      const hint = hintOf(entry)!;
      if (hint.certainty === 'likely') expect(hint.text).toMatch(/\blikely\b/);
    }
    expect(FAILURE_HINT_RULES.filter((r) => r.certainty === 'likely').length).toBeGreaterThan(0);
  });

  it("each rule's evidence exists: its quirks in quirks.ts, its wire choices in wire-choices.ts, its conformance check in the suite", () => {
    const quirks = new Set<string>(QUIRKS.map((q) => q.name));
    const wireChoices = new Set(WIRE_CHOICES.map((w) => w.id));
    const checks = catalogue('legacy').map((c) => c.id);
    for (const rule of FAILURE_HINT_RULES) {
      expect(rule.basis.length, rule.id).toBeGreaterThan(0);
      for (const b of rule.basis) {
        if ('quirk' in b) expect(quirks.has(b.quirk), `${rule.id}: quirk ${b.quirk}`).toBe(true);
        if ('wireChoice' in b) expect(wireChoices.has(b.wireChoice), `${rule.id}: wire choice ${b.wireChoice}`).toBe(true);
      }
      if (rule.reproduce) {
        const prefix = rule.reproduce;
        expect(
          checks.some((id) => id === prefix || id.startsWith(`${prefix}.`) || id.startsWith(`${prefix}-`)),
          `${rule.id}: --only ${prefix}`,
        ).toBe(true);
      }
    }
  });

  it("the figures the hints quote are the engine's defaults (scim/ cannot import them)", () => {
    expect(RETRIED_SERVER_STATUSES).toEqual(DEFAULT_RETRY_POLICY.statusCodes.filter((s) => s >= 500));
    expect(RETRIES_WITHIN_A_CYCLE).toBe(DEFAULT_RETRY_POLICY.limit);
    const throttled = hintOf(aFailedEntry('ann', { status: 429, code: 'TooManyRequests' }))!.text;
    expect(throttled).toContain(`--max-retry-after (${DEFAULT_RETRY_POLICY.maxRetryAfterMs / 1000} s)`);
    const timeout = hintOf(aFailedEntry('ann', { status: null, code: 'Timeout', network: 'ETIMEDOUT' }))!.text;
    expect(timeout).toContain(`--timeout (${DEFAULTS.timeoutMs / 1000} s by default)`);
    const tooLarge = hintOf(aFailedEntry('Sales', { type: 'Group', part: 'members', status: 413 }))!.text;
    expect(tooLarge).toContain(`--members-per-patch, ${DEFAULTS.membersPerPatch} by default`);
  });

  it('the first matching rule wins, and a custom table can be passed', () => {
    const s = failureSignature(aFailedEntry('ann', { body: aScimError(400, null, 'anything') }));
    const rules = [
      { id: 'first', recognises: '', certainty: 'sure' as const, matches: () => true, hint: () => 'one', basis: [{ reference: 'x' }] },
      { id: 'second', recognises: '', certainty: 'sure' as const, matches: () => true, hint: () => 'two', basis: [{ reference: 'x' }] },
    ];
    expect(hintFor(s, rules)).toEqual({ rule: 'first', text: 'one', certainty: 'sure', basis: [{ reference: 'x' }], reproduce: null });
  });
});
