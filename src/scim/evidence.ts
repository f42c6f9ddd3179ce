/**
 * Where a wire shape comes from. Every default request shape and every quirk names its evidence, so a user
 * can judge what to trust (`provsim quirks`, the README's Fidelity section). Kinds, by weight: a request
 * captured from a real server log (public issue, Microsoft Q&A thread); a statement by Microsoft staff;
 * Microsoft's docs; a third party's description of traffic they saw; reasoning where nothing is published.
 */
export type EvidenceKind = 'capture' | 'microsoft-staff' | 'microsoft-doc' | 'third-party' | 'reasoning';

export const EVIDENCE_KINDS: readonly EvidenceKind[] = ['capture', 'microsoft-staff', 'microsoft-doc', 'third-party', 'reasoning'];

/** How sure provsim is that Entra behaves this way today, as the evidence table judges it. */
export type Confidence = 'high' | 'medium-high' | 'medium' | 'low-medium' | 'low';

export const CONFIDENCES: readonly Confidence[] = ['high', 'medium-high', 'medium', 'low-medium', 'low'];

export interface Evidence {
  /** The strongest kind of evidence behind the choice. */
  kind: EvidenceKind;
  /**
   * Where it is, short forms as in the evidence table: `Q&A n` = learn.microsoft.com/answers/questions/n,
   * `azd #n` = MicrosoftDocs/azure-docs issue n, `owner/repo #n` = a GitHub issue or pull request.
   */
  source: string;
  /** When the evidence was published: YYYY, YYYY-MM or YYYY-MM-DD; `current` for a doc page as it reads today; `—` for reasoning. */
  date: string;
  confidence: Confidence;
  /** One line: what the evidence shows, and what speaks against it. */
  note: string;
}
