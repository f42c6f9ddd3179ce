/**
 * Named quirks: request shapes and sequences where the evidence is thin, contradicts itself, or changed
 * provsim's default. Each has a default per dialect (the likeliest behaviour of Entra today, from the
 * evidence), its evidence (source, date, confidence), and can be switched on its own with
 * `--quirk name=on|off`. When evidence changes a default, the old shape stays available here: switching the
 * quirk back gives provsim's earlier behaviour. `provsim quirks` and the README's Fidelity section list
 * them; tests pin both settings.
 */
import { UsageError } from '../shared/errors.js';
import type { Evidence } from './evidence.js';
import type { DialectName } from './types.js';

export interface QuirkDefinition {
  name: QuirkName;
  /** What "on" does, in one line. */
  description: string;
  /** What "off" does: for a quirk whose default changed, provsim's earlier behaviour. */
  off: string;
  evidence: Evidence;
  defaults: Record<DialectName, boolean>;
}

export const QUIRK_NAMES = [
  'readBeforeWrite',
  'emptyRolesOnCreate',
  'adscimGroupSchema',
  'emptyMembersOnCreate',
  'captureKeyOrder',
  'primaryOnWorkElements',
  'charsetInContentType',
  'managerBareId',
  'managerRemoveFilter',
  'filteredOpsFirst',
  'pathlessAdd',
  'rolesAsJsonString',
] as const;
export type QuirkName = (typeof QUIRK_NAMES)[number];
export type Quirks = Readonly<Record<QuirkName, boolean>>;

const both = (on: boolean): Record<DialectName, boolean> => ({ legacy: on, aadOptscim062020: on });

export const QUIRKS: readonly QuirkDefinition[] = [
  {
    name: 'readBeforeWrite',
    description:
      'every linked object a cycle writes is first read by id (`GET /Users/{id}`, groups with `?excludedAttributes=members`), a DELETE too, and its PATCH is computed against what the target returned',
    off: 'incremental cycles PATCH and DELETE without reading, diffing against the values provsim last sent (provsim 0.1)',
    evidence: {
      kind: 'microsoft-staff',
      source:
        'Q&A 1195656 (Microsoft PM: "GET calls will always precede other actions"); logs in grokability/snipe-it #19095 (2026-05-28), azd #11784 (2018-07-16), Q&A 471809',
      date: '2023-04-03',
      confidence: 'medium-high',
      note: 'a staff statement and three independent server logs; it also explains Entra sending Add for a value the target did not echo (Q&A 1684621)',
    },
    defaults: both(true),
  },
  {
    name: 'emptyRolesOnCreate',
    description: 'user POSTs carry `"roles": []` when no role is mapped',
    off: 'no `roles` key unless a role is mapped',
    evidence: {
      kind: 'capture',
      source: 'Q&A 1684621 (a user POST with no roles key); the `"roles": []` is only in the documented sample',
      date: '2024-05-21',
      confidence: 'medium',
      note: 'the only capture of a default-style user POST has no roles key; the doc sample that has it also carries the group URI Microsoft lists as fixed in 2018',
    },
    defaults: both(false),
  },
  {
    name: 'adscimGroupSchema',
    description: 'group POSTs also list `http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group` in `schemas`',
    off: 'only the core Group schema URI',
    evidence: {
      kind: 'capture',
      source:
        'Q&A 637791 (a group POST with only the core URI); the compatibility article lists "Group creation requests contain an invalid schema URI" as fixed on 2018-12-18',
      date: '2021-11-18',
      confidence: 'medium',
      note: 'the ADSCIM URI appears only in the documented sample; jobs created before 2018-12-18 (customappsso) may still send it',
    },
    defaults: both(false),
  },
  {
    name: 'emptyMembersOnCreate',
    description: 'group POSTs carry `"members": []` when the group is created without members (members follow in PATCHes)',
    off: 'no `members` key (provsim 0.1)',
    evidence: {
      kind: 'capture',
      source: 'Q&A 637791',
      date: '2021-11-18',
      confidence: 'high',
      note: 'the only captured group POST has `"members":[]`; it also spares servers that treat a missing members attribute as null',
    },
    defaults: both(true),
  },
  {
    name: 'captureKeyOrder',
    description:
      'POST bodies in the captured key order: `schemas`, `externalId`, `userName` (groups: `displayName`), `active`, then the rest alphabetically (ordinal), nested objects alphabetically too',
    off: 'keys in mapping row order (provsim 0.1)',
    evidence: {
      kind: 'capture',
      source: 'Q&A 1684621 (user, 2024-05-21), Q&A 637791 (group, 2021-11-18) and the documented user POST agree',
      date: '2024-05-21',
      confidence: 'medium',
      note: 'looks like .NET DataContract serialisation; servers must not care, but a byte-level replay of Entra needs it',
    },
    defaults: both(true),
  },
  {
    name: 'primaryOnWorkElements',
    description: '`primary: true` on the `type eq "work"` element of phoneNumbers and addresses too (always on emails)',
    off: '`primary` on the work email only',
    evidence: {
      kind: 'third-party',
      source:
        'SimpleIdServer #733 (a server failed on `primary` in addresses from Entra, fixed in #738); the SCIM Validator sends it on all three',
      date: '2024-04-22',
      confidence: 'low-medium',
      note: 'documented for the work email only; one report for addresses, none for phone numbers',
    },
    defaults: both(true),
  },
  {
    name: 'charsetInContentType',
    description: 'requests with a body carry `Content-Type: application/scim+json; charset=utf-8`',
    off: '`Content-Type: application/scim+json` (provsim 0.1)',
    evidence: {
      kind: 'capture',
      source: 'azd #12728 ("the content type header that comes in with the request is actually: application/scim+json; charset=utf-8")',
      date: '2018-08-01',
      confidence: 'medium',
      note: 'one capture, no later one that contradicts it',
    },
    defaults: both(true),
  },
  {
    name: 'managerBareId',
    description: 'the manager PATCH value is the bare target id (`"value": "<id>"`)',
    off: 'the complex form `"value": {"value": "<id>"}` (provsim 0.1 in the flag dialect)',
    evidence: {
      kind: 'capture',
      source:
        'Captain-P-Goldfish/SCIM-SDK #686 (lowercase `add` with a bare string, "from Microsoft Entra"); Microsoft\'s Logic App test SCIM_Update_Manager_Test (legacy); apache/directory-scimple #1242 (2026-09-16)',
      date: '2024-07-09',
      confidence: 'low-medium',
      note: 'no trace shows `{"value": id}` from the engine, only from the SCIM Validator; bare in legacy is high confidence, in the flag dialect one capture',
    },
    defaults: both(true),
  },
  {
    name: 'managerRemoveFilter',
    description: 'a manager removal is `{"op":"remove","path":"urn:…:enterprise:2.0:User:manager[value eq \\"<old id>\\"]"}`',
    off: 'legacy: `{"op":"Replace","path":"urn:…:manager","value":""}`; flag: `{"op":"remove","path":"urn:…:manager"}`',
    evidence: {
      kind: 'third-party',
      source: 'thomaspoignant/scim-patch #453 (a trace "received from Azure AD" with path `manager[value eq "…"]`)',
      date: '2023-08-02',
      confidence: 'low',
      note: 'one trace, possibly hand-simplified or from a gallery schema; Microsoft\'s own test removes with `replace` and `""`; off until a second trace appears',
    },
    defaults: both(false),
  },
  {
    name: 'filteredOpsFirst',
    description: 'in the flag dialect, ops with their own path (filtered paths, roles) come before the merged path-less ops',
    off: 'the merged path-less ops first (provsim 0.1)',
    evidence: {
      kind: 'microsoft-doc',
      source:
        'application-provisioning-config-problem-scim-compatibility.md (the flag sample: `emails[type eq "work"].value` first, then the path-less `replace`)',
      date: '2020',
      confidence: 'medium',
      note: "Microsoft's only flag-dialect sample; no capture of the flag dialect with several ops",
    },
    defaults: both(true),
  },
  {
    name: 'pathlessAdd',
    description: 'in the flag dialect, several newly set simple attributes merge into one path-less `add` (like `replace`)',
    off: 'one `add` with a path per newly set attribute',
    evidence: {
      kind: 'third-party',
      source: 'thomaspoignant/scim-patch #207, grokability/snipe-it PR #19115 (2026-05-29), fleetdm/fleet #41996',
      date: '2026-05-29',
      confidence: 'low-medium',
      note: "third-party traces; some may come from gallery apps' SCIM clients",
    },
    defaults: { legacy: false, aadOptscim062020: true },
  },
  {
    name: 'rolesAsJsonString',
    description: 'a role PATCH sends each role as a JSON string inside `value` (`[{"value": "{\\"id\\":…}"}]`)',
    off: 'the role entry as an object, as in the POST',
    evidence: {
      kind: 'microsoft-doc',
      source: 'customize-application-attributes.md (default dialect); azd #50772 confirms the id/displayName shape',
      date: '2020-03-24',
      confidence: 'medium',
      note: 'documented for the default dialect; the flag "makes POST and PATCH formats consistent"',
    },
    defaults: { legacy: true, aadOptscim062020: false },
  },
];

export function defaultQuirks(dialect: DialectName): Quirks {
  return Object.fromEntries(QUIRKS.map((q) => [q.name, q.defaults[dialect]])) as Record<QuirkName, boolean>;
}

/** Parses `name=on|off` settings (from repeated `--quirk`) on top of the dialect's defaults. */
export function resolveQuirks(dialect: DialectName, settings: readonly string[] = []): Quirks {
  return { ...defaultQuirks(dialect), ...parseQuirkSettings(settings) };
}

/** Parses `name=on|off` settings (from repeated `--quirk`): only the quirks they name. */
export function parseQuirkSettings(settings: readonly string[] = []): Partial<Record<QuirkName, boolean>> {
  const quirks: Partial<Record<QuirkName, boolean>> = {};
  for (const setting of settings) {
    const m = /^([A-Za-z]+)=(on|off|true|false)$/.exec(setting.trim());
    if (!m) throw new UsageError(`--quirk ${JSON.stringify(setting)} must be name=on or name=off, e.g. --quirk managerBareId=off`);
    const name = m[1] as QuirkName;
    if (!(QUIRK_NAMES as readonly string[]).includes(name)) {
      const close = QUIRK_NAMES.find((q) => q.toLowerCase() === name.toLowerCase());
      throw new UsageError(
        `--quirk ${name} is not a quirk${close ? ` (did you mean ${close}?)` : ''}; known: ${QUIRK_NAMES.join(', ')} (see \`provsim quirks\`)`,
      );
    }
    quirks[name] = m[2] === 'on' || m[2] === 'true';
  }
  return quirks;
}
