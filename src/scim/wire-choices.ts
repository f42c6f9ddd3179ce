/**
 * The default wire choices that are not switchable, each with its evidence: what provsim sends or does
 * where Entra's behaviour shows on the wire, and where provsim had to choose. The switchable ones are the
 * quirks (quirks.ts). `provsim quirks` and the README's Fidelity section list both, so a user can judge
 * what to trust; a test keeps the README's table equal to this list.
 */
import type { Evidence } from './evidence.js';

export interface WireChoice {
  /** Stable, kebab-case. */
  id: string;
  /** What provsim sends or does, in one line. */
  choice: string;
  evidence: Evidence;
}

export const WIRE_CHOICES: readonly WireChoice[] = [
  {
    id: 'connection-probe',
    choice: 'each cycle starts with `GET /Users?filter=<first matching attribute> eq "<random GUID>"`, expecting 200 and an empty list',
    evidence: {
      kind: 'capture',
      source: 'azd #94189 (a Rails log of the probe); the Test Connection doc',
      date: '2022-06-09',
      confidence: 'high',
      note: 'the probe uses the matching attribute (externalId when it matches); some reports also see a /Groups probe, which only `test-connection` sends',
    },
  },
  {
    id: 'filter-encoding',
    choice:
      'filters are form-encoded (`+` for spaces), values double-quoted; groups as `?excludedAttributes=members&filter=displayName+eq+"…"`',
    evidence: {
      kind: 'capture',
      source: 'azd #11784 (2018-07-16), Q&A 923479 (groups, same parameter order)',
      date: '2022-07-12',
      confidence: 'high',
      note: 'byte-for-byte matches in the evidence table',
    },
  },
  {
    id: 'filter-quote-escaping',
    choice: 'a `"` or `\\` inside a filter value is backslash-escaped, as in a JSON string',
    evidence: {
      kind: 'reasoning',
      source: 'known-issues.md says values with special characters cannot be used in filters; nothing shows the escaping',
      date: '—',
      confidence: 'low',
      note: 'RFC 7644 §3.4.2.2 defines the value as a JSON string',
    },
  },
  {
    id: 'no-user-agent',
    choice: 'requests carry no `User-Agent` and no `Accept` header',
    evidence: {
      kind: 'capture',
      source: 'kortix-ai/suna PR #7297 ("Entra omitted User-Agent", a 403 from a WAF)',
      date: '2026-09-16',
      confidence: 'medium',
      note: 'User-Agent proven missing; Accept is unproven (azd #94189 is inconclusive), so a server must not require either',
    },
  },
  {
    id: 'user-post-schemas',
    choice:
      'user POSTs list the core and the enterprise User schema URIs, whatever is mapped; a custom extension is nested under its URN and left out of `schemas`',
    evidence: {
      kind: 'capture',
      source: 'Q&A 1684621',
      date: '2024-05-21',
      confidence: 'high',
      note: 'the captured POST and customize-application-attributes.md agree',
    },
  },
  {
    id: 'booleans-in-post',
    choice: '`active` is a JSON boolean in POSTs in both dialects; legacy PATCHes send `"True"` / `"False"` strings',
    evidence: {
      kind: 'capture',
      source: 'Q&A 1684621 (POST); jelhub/scimgateway #47 and pond/scimitar #43 (PATCH); the compatibility article',
      date: '2024-05-21',
      confidence: 'high',
      note: 'the flag dialect sends JSON booleans in PATCHes too',
    },
  },
  {
    id: 'legacy-patch-ops',
    choice:
      'legacy PATCHes: capitalised ops, one op per changed attribute in mapping row order; `Add` where the target has no value, `Replace` where it differs, nothing where equal (case-insensitive unless caseExact)',
    evidence: {
      kind: 'capture',
      source: 'limosa-io/laravel-scim-server #34 (2022-12-21); Q&A 1684621 (2024-05-21); the compatibility article',
      date: '2024-05-21',
      confidence: 'high',
      note: 'a Microsoft moderator adds "in practice … the behavior is not always consistent" (Q&A 1373350)',
    },
  },
  {
    id: 'flag-merged-replace',
    choice: 'flag dialect: several simple attributes merge into one path-less `replace` with flat keys; a single change keeps its path',
    evidence: {
      kind: 'microsoft-doc',
      source: 'application-provisioning-config-problem-scim-compatibility.md; pingidentity/scim2 #224',
      date: '2020',
      confidence: 'medium',
      note: 'no capture of the flag dialect with several ops',
    },
  },
  {
    id: 'disable',
    choice:
      'unassigned, out of scope, disabled or soft-deleted: a PATCH of `active` (legacy `{"op":"Replace","path":"active","value":"False"}`, flag `false`); DELETE only for a hard delete',
    evidence: {
      kind: 'capture',
      source:
        'Q&A 5646806 ("a PATCH … with the active property set to False", never a DELETE); jelhub/scimgateway #47; the compatibility article',
      date: '2025-12-04',
      confidence: 'high',
      note: 'a user disabled by unassignment and then hard-deleted gets no DELETE (how-provisioning-works.md)',
    },
  },
  {
    id: 'member-add',
    choice:
      'members are added with `{"op":"Add","path":"members","value":[{"$ref":null,"value":"<id>"}]}`, up to `--members-per-patch` (100) per PATCH',
    evidence: {
      kind: 'microsoft-doc',
      source: 'use-scim-to-provision-users-and-groups.md sample; Q&A 1345734 (2023-08-14, keys hand-mangled, no `$ref`)',
      date: '2023-08-14',
      confidence: 'low-medium',
      note: "`$ref: null` is unsettled; the members-per-PATCH figure is not published (100 is provsim's)",
    },
  },
  {
    id: 'member-remove',
    choice:
      'members are removed with `{"op":"Remove","path":"members","value":[{"value":"<id>"}]}` (legacy) or `{"op":"remove","path":"members[value eq \\"<id>\\"]"}` (flag)',
    evidence: {
      kind: 'capture',
      source:
        'Captain-P-Goldfish/SCIM-SDK #167 (2021-06-07), thomaspoignant/scim-patch #959 (2025-08-07); flag: the compatibility article and MicrosoftDocs/entra-docs #949 (2024-06-19)',
      date: '2025-08-07',
      confidence: 'medium-high',
      note: 'one counter-trace of the flag dialect still uses the value array (apache/directory-scimple PR #447, 2023-12-12)',
    },
  },
  {
    id: 'member-add-remove-separate',
    choice: "a group's member additions and removals of one cycle go out as separate PATCHes (additions first)",
    evidence: {
      kind: 'reasoning',
      source:
        'the documented samples show each on its own; Microsoft staff: "groups can have hundreds of requests after an initial GET" (Q&A 1195656)',
      date: '2023-04-03',
      confidence: 'low',
      note: 'whether Entra ever combines an Add and a Remove in one PATCH is not published',
    },
  },
  {
    id: 'membership-diff-base',
    choice: 'the membership diff is against the members provsim added (groups are read without members)',
    evidence: {
      kind: 'capture',
      source: 'Q&A 471809 (group reads carry `?excludedAttributes=members`); the Group GET doc',
      date: '2021',
      confidence: 'medium',
      note: "Entra cannot see the target's members when it excludes them",
    },
  },
  {
    id: 'manager-remove',
    choice:
      'a manager removal is `{"op":"Replace","path":"urn:…:manager","value":""}` (legacy) or `{"op":"remove","path":"urn:…:manager"}` (flag); see quirk managerRemoveFilter',
    evidence: {
      kind: 'microsoft-doc',
      source: "Microsoft's Logic App test SCIM_Update_Manager_Test (legacy); the flag form is reasoning",
      date: 'current',
      confidence: 'low-medium',
      note: 'one trace shows `remove` on `manager[value eq "…"]` (scim-patch #453, 2023-08-02)',
    },
  },
  {
    id: 'manager-unprovisioned',
    choice: 'a manager or member that is not provisioned is left out, and not fixed later unless its object changes or a full cycle runs',
    evidence: {
      kind: 'microsoft-doc',
      source: 'known-issues.md ("Manager isn\'t provisioned")',
      date: 'current',
      confidence: 'high',
      note: '`provsim restart` gives the full cycle',
    },
  },
  {
    id: 'role-patch-op',
    choice: "a changed role is sent with `Replace` on `roles` (the shape of the docs' role PATCH)",
    evidence: {
      kind: 'microsoft-doc',
      source: 'customize-application-attributes.md shows `Add`; azd #50772 (2020-03-24) confirms the shape',
      date: '2020-03-24',
      confidence: 'low',
      note: '`Add` versus `Replace` is unsettled; no flag-dialect evidence',
    },
  },
  {
    id: 'delete-404-success',
    choice: 'a 404 to a DELETE counts as success (the object is gone either way)',
    evidence: {
      kind: 'reasoning',
      source: "spec §1.9: Entra's reaction is not published; the Validator expects servers to answer 404 for an unknown id",
      date: '—',
      confidence: 'low',
      note: 'with readBeforeWrite, a 404 on the read before the DELETE already sends no DELETE',
    },
  },
  {
    id: 'read-404-before-delete',
    choice: 'a 404 on the read before a DELETE: no DELETE is sent, the link is dropped, the entry is Skipped (TargetObjectMissing)',
    evidence: {
      kind: 'reasoning',
      source: "Entra's log for this case is not published",
      date: '—',
      confidence: 'low',
      note: 'a 404 on the read before an update is InvalidAnchor, as documented (howto-analyze-provisioning-logs.md)',
    },
  },
  {
    id: 'lost-post-not-resent',
    choice: 'a POST whose answer was lost is not resent: the next cycle matches by filter first and links the object',
    evidence: {
      kind: 'reasoning',
      source: "Q&A 1151866 (Entra re-sent the POST and got stuck on 409; Microsoft's answer hedges)",
      date: '2023-01-04',
      confidence: 'low',
      note: 'the safer choice for the servers provsim tests',
    },
  },
  {
    id: 'credentials-mid-cycle',
    choice: 'a 401 or 403 in the middle of a cycle stops the cycle as a job failure (EncounteredQuarantineException)',
    evidence: {
      kind: 'reasoning',
      source: 'application-provisioning-quarantine-status.md (bad credentials quarantine the job)',
      date: 'current',
      confidence: 'medium',
      note: 'whether Entra stops at once or after more failures is not published',
    },
  },
  {
    id: 'retry-after',
    choice: '429 `Retry-After` is honoured (seconds or HTTP date), capped by `--max-retry-after` (60 s)',
    evidence: {
      kind: 'microsoft-staff',
      source: 'a 2025 Microsoft Q&A answer (spec §5.10)',
      date: '2025',
      confidence: 'medium',
      note: "the cap is provsim's",
    },
  },
  {
    id: 'request-order',
    choice:
      'within a cycle: reads, then creates and updates, then references (manager, members), then deletes; in batches of 2,000 objects on large tenants',
    evidence: {
      kind: 'microsoft-doc',
      source: 'how-provisioning-works.md ("synchronizes the users and the groups, and then later … the membership")',
      date: 'current',
      confidence: 'low-medium',
      note: 'the interleaving within a cycle is not published',
    },
  },
];
