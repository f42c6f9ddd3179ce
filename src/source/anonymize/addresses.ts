/**
 * Pseudonyms for the address-like values of a tenant: UPNs, mails, mail nicknames, proxy addresses, and the
 * people they belong to. A mail local part is a function of the original local part (case and Unicode form
 * ignored, as Entra compares UPNs), a domain of the original domain: so a UPN and a mail that were equal stay
 * equal, a user's proxy addresses keep their shared local part, and distinct UPNs stay distinct. The persona
 * (given name, surname) behind a local part is the one its pseudonym is spelt from.
 *
 * Guests keep their shape: `alice_fabrikam.com#EXT#@contoso.onmicrosoft.com` becomes
 * `<local>_<domain>#EXT#@<tenant>.onmicrosoft.com`, where `<local>@<domain>` is what the guest's original mail
 * `alice@fabrikam.com` becomes. Other domains end in `.example` (RFC 2606: no mail can reach them): `contoso.com`
 * becomes `<word>.com.example`, with one word per original label, shared by `contoso.onmicrosoft.com`.
 */
import { asciiFold } from '../generate/ascii-fold.js';
import type { KeyedHash } from './keyed-hash.js';
import { PseudonymTable, candidateNumber } from './pseudonym-table.js';
import { PSEUDO_GIVEN_NAMES, PSEUDO_SURNAMES, PSEUDO_WORDS } from './words.js';

export interface Persona {
  givenName: string;
  surname: string;
}

/** Entra compares UPNs ignoring case and Unicode normalisation. */
const addressKey = (s: string): string => s.normalize('NFC').toLowerCase();

const FOLDED_GIVEN_NAMES: Readonly<Record<string, string>> = Object.fromEntries(PSEUDO_GIVEN_NAMES.map((n) => [n, asciiFold(n)]));
const FOLDED_SURNAMES: Readonly<Record<string, string>> = Object.fromEntries(PSEUDO_SURNAMES.map((n) => [n, asciiFold(n)]));

const EXT = /^(.*)_([^_]+)#EXT#$/i;
const ONMICROSOFT = /^(.+?)\.((?:mail\.)?onmicrosoft\.com)$/i;

export class AddressPseudonyms {
  private readonly locals: PseudonymTable;
  private readonly labels: PseudonymTable;
  private readonly personas = new Map<string, Persona>();
  private readonly domains = new Map<string, string>();

  /**
   * @param originalLocals every original local part (and guest alias) of the tenant: no pseudonym equals one.
   * @param originalLabels every original domain label: no pseudonym label equals one.
   */
  constructor(
    private readonly hash: KeyedHash,
    originalLocals: Iterable<string>,
    originalLabels: Iterable<string>,
  ) {
    this.locals = new PseudonymTable(addressKey, originalLocals);
    this.labels = new PseudonymTable(addressKey, originalLabels);
  }

  /** The persona of a plain local part (no `#EXT#`): its pseudonym is spelt `given.surname`, numbered when the unnumbered ones are taken. */
  persona(local: string): Persona {
    const key = addressKey(local);
    this.localPart(local);
    return this.personas.get(key)!;
  }

  /** A mail local part or mail nickname; a guest alias `<local>_<domain>#EXT#` keeps its shape. */
  localPart(local: string): string {
    const ext = EXT.exec(local);
    if (ext) return `${this.localPart(ext[1]!)}_${this.domain(ext[2]!)}#EXT#`;
    const key = addressKey(local);
    const pick = (attempt: number): { persona: Persona; number: string } => {
      const [g, n, r] = this.hash.ints('persona', key, attempt, [PSEUDO_GIVEN_NAMES.length, PSEUDO_SURNAMES.length, 100]);
      return { persona: { givenName: PSEUDO_GIVEN_NAMES[g!]!, surname: PSEUDO_SURNAMES[n!]! }, number: candidateNumber(attempt, r!) };
    };
    // The table calls the candidate function until a candidate is free (never for a value it already has):
    // the last persona tried is the winner.
    const chosen: { persona?: Persona } = {};
    const pseudonym = this.locals.get(local, (attempt) => {
      const { persona, number } = pick(attempt);
      chosen.persona = persona;
      return `${FOLDED_GIVEN_NAMES[persona.givenName]!}.${FOLDED_SURNAMES[persona.surname]!}${number}`;
    });
    if (chosen.persona) this.personas.set(key, chosen.persona);
    return pseudonym;
  }

  /** A domain: one pseudonym label per original label; `*.onmicrosoft.com` stays there, the rest ends in `.example`. */
  domain(domain: string): string {
    let pseudonym = this.domains.get(domain);
    if (pseudonym === undefined) this.domains.set(domain, (pseudonym = this.newDomain(domain)));
    return pseudonym;
  }

  private newDomain(domain: string): string {
    const tenant = ONMICROSOFT.exec(domain);
    if (tenant) return `${this.label(tenant[1]!)}.${tenant[2]!.toLowerCase()}`;
    const labels = domain.toLowerCase().split('.');
    if (labels.length === 1) return `${this.label(labels[0]!)}.example`;
    const tld = labels.pop()!;
    return [...labels.map((l) => this.label(l)), tld, 'example'].join('.');
  }

  /** `local@domain`, or null when `value` is not one. */
  address(value: string): string | null {
    const at = value.lastIndexOf('@');
    if (at <= 0 || at === value.length - 1) return null;
    return `${this.localPart(value.slice(0, at))}@${this.domain(value.slice(at + 1))}`;
  }

  private label(label: string): string {
    const key = addressKey(label);
    return this.labels.get(label, (attempt) => {
      const [w, r] = this.hash.ints('label', key, attempt, [PSEUDO_WORDS.length, 100]);
      return `${asciiFold(PSEUDO_WORDS[w!]!)}${candidateNumber(attempt, r!)}`;
    });
  }
}

/** The local parts and domain labels of an address-like value, for reserving them. */
export function addressParts(value: string): { locals: string[]; labels: string[] } {
  const at = value.lastIndexOf('@');
  const local = at === -1 ? value : value.slice(0, at);
  const domain = at === -1 ? '' : value.slice(at + 1);
  const locals = [local];
  const labels = domain === '' ? [] : domain.split('.');
  const ext = EXT.exec(local);
  if (ext) {
    locals.push(ext[1]!);
    labels.push(...ext[2]!.split('.'));
  }
  return { locals, labels };
}
