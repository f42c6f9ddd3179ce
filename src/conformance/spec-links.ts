/**
 * Where a cited section can be read in public: the conformance texts cite the behaviour spec
 * (`spec §1.7`, `spec §1.8, §1.14`) and the SCIM RFCs (`RFC 7644 §3.5.2.2`). The spec is a private
 * synthesis; each of its sections names its sources, and this table maps every spec section cited under
 * src/conformance to the Microsoft Learn page (and heading anchor, where the page has one for it) that the
 * section itself cites. RFC citations link to the RFC section on www.rfc-editor.org. Pure.
 *
 * Contract: every spec section cited under src/conformance is a key of SPEC_SECTION_SOURCES
 * (test/conformance/spec-links.test.ts scans the sources). A key whose value is null has no public page the
 * spec cites on an allowed host: its citation stays plain text.
 */

export interface PublicSource {
  /** An https URL on learn.microsoft.com or www.rfc-editor.org. */
  url: string;
  /** What the link opens, for the link's tooltip. */
  title: string;
}

const LEARN = 'https://learn.microsoft.com/entra/identity/app-provisioning/';
const SCIM_TUTORIAL = `${LEARN}use-scim-to-provision-users-and-groups`;
const SCIM_TUTORIAL_TITLE = 'Microsoft Learn: Develop and plan provisioning for a SCIM endpoint in Microsoft Entra ID';
const COMPATIBILITY = `${LEARN}application-provisioning-config-problem-scim-compatibility#flags-to-alter-the-scim-behavior`;
const COMPATIBILITY_TITLE = 'Microsoft Learn: SCIM 2.0 protocol compliance of the Microsoft Entra provisioning service — flags';
const VALIDATOR = `${LEARN}scim-validator-tutorial`;
const VALIDATOR_TITLE = 'Microsoft Learn: Test your SCIM endpoint for compatibility with the Microsoft Entra provisioning service';

const tutorial = (anchor: string, heading: string): PublicSource => ({
  url: `${SCIM_TUTORIAL}#${anchor}`,
  title: `${SCIM_TUTORIAL_TITLE} — ${heading}`,
});

/**
 * Spec section → its public source. Anchors are the headings of the Learn pages (MicrosoftDocs/entra-docs,
 * docs/identity/app-provisioning/): the SCIM tutorial's own table of contents names them.
 */
export const SPEC_SECTION_SOURCES: Readonly<Record<string, PublicSource | null>> = {
  // §1.1 General conventions: the tutorial's requirements and general guidelines.
  '1.1': tutorial('understand-the-azure-ad-scim-implementation', 'Understand the Microsoft Entra SCIM implementation'),
  // §1.2 Test Connection: the tutorial's note under "Getting started" (random GUID, 200 and an empty ListResponse).
  '1.2': tutorial('getting-started', 'Getting started (Test Connection)'),
  '1.3': tutorial('get-user-by-query', 'Get User by query'),
  '1.4': tutorial('get-user', 'Get User'),
  '1.5': tutorial('create-user', 'Create User'),
  '1.6': tutorial('update-user-multi-valued-properties', 'Update User'),
  // §1.7 Manager and roles: the manager's wire shape comes from Microsoft's Logic App code on GitHub; the Learn
  // page the section cites documents the role shapes (a role as a JSON string inside "value").
  '1.7': {
    url: `${LEARN}customize-application-attributes#provisioning-a-role-to-a-scim-app`,
    title: 'Microsoft Learn: Customize user provisioning attribute mappings — Provisioning a role to a SCIM app',
  },
  // §1.8 Disable / re-enable: the compatibility article's table ("False" without the flag, false with it).
  '1.8': { url: COMPATIBILITY, title: COMPATIBILITY_TITLE },
  '1.9': tutorial('delete-user', 'Delete User'),
  '1.10': tutorial('group-operations', 'Group Operations'),
  '1.11': tutorial('schema-discovery', 'Schema discovery'),
  // §1.12 Listing / pagination: used by Account Discovery.
  '1.12': {
    url: `${LEARN}how-to-account-discovery`,
    title: 'Microsoft Learn: Account discovery (listing and paging target accounts)',
  },
  '1.14': { url: COMPATIBILITY, title: COMPATIBILITY_TITLE },
  '5.5': {
    url: `${LEARN}how-provisioning-works#deprovisioning`,
    title: 'Microsoft Learn: How application provisioning works — Deprovisioning',
  },
  '6': { url: VALIDATOR, title: VALIDATOR_TITLE },
  '6.1': { url: VALIDATOR, title: VALIDATOR_TITLE },
  // §6.2 Microsoft's gallery validation Logic App: its only source is AzureAD/SCIMReferenceCode on GitHub
  // (SCIM-Validation-Test-Overview.md), not a Learn page, so its citations stay text.
  '6.2': null,
};

/** The public source of a spec section; undefined when there is none (or the section is unknown). */
export function specSectionSource(section: string): PublicSource | undefined {
  return SPEC_SECTION_SOURCES[section] ?? undefined;
}

export function rfcSectionSource(rfc: string, section: string): PublicSource {
  return { url: `https://www.rfc-editor.org/rfc/rfc${rfc}#section-${section}`, title: `RFC ${rfc}, section ${section}` };
}

/** A piece of text: plain, or a citation with the public source it links to (absent: no known source). */
export interface CitationPiece {
  text: string;
  /** Set on a citation: `§N.M` (with its `spec` / `RFC NNNN` prefix on the first of a list). */
  cited?: { document: 'spec' | `RFC ${string}`; section: string };
  source?: PublicSource;
}

/**
 * `spec §1.8`, `RFC 7644 §3.5.2`, then any further sections of the same document: `, §1.14`, ` and §3.12`.
 * A bare `§N` without a prefix names no document and is left as text.
 */
const CITATION = /\b(spec|RFC ?(\d{4}))\s+(§\d+(?:\.\d+)*)((?:(?:,\s*|\s+and\s+|,\s*and\s+)§\d+(?:\.\d+)*)*)/g;
const FOLLOWING = /((?:,\s*|\s+and\s+|,\s*and\s+))(§(\d+(?:\.\d+)*))/g;

/** Splits text into plain pieces and citations; joining every piece's text gives the input back. */
export function citationPieces(text: string): CitationPiece[] {
  const pieces: CitationPiece[] = [];
  const plain = (t: string): void => {
    if (t !== '') pieces.push({ text: t });
  };
  let at = 0;
  for (const m of text.matchAll(CITATION)) {
    const whole = m[0];
    const rfc = m[2];
    const rest = m[4] ?? '';
    const start = m.index ?? 0;
    const cite = (piece: string, section: string): CitationPiece => {
      const source = rfc !== undefined ? rfcSectionSource(rfc, section) : specSectionSource(section);
      const cited = { document: rfc !== undefined ? (`RFC ${rfc}` as const) : ('spec' as const), section };
      return source ? { text: piece, cited, source } : { text: piece, cited };
    };
    plain(text.slice(at, start));
    pieces.push(cite(whole.slice(0, whole.length - rest.length), m[3]!.slice(1)));
    for (const f of rest.matchAll(FOLLOWING)) {
      plain(f[1]!);
      pieces.push(cite(f[2]!, f[3]!));
    }
    at = start + whole.length;
  }
  plain(text.slice(at));
  return pieces;
}
