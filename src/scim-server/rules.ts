import type { TargetProfile } from './types.js';

/**
 * Strictness of the target, one switch per Entra legacy shape. Each switch `true` means "behave as RFC 7644
 * says and reject (or mis-handle, for rule 5) what Entra's default, non-`aadOptscim062020` mode sends";
 * `false` means "accept what Entra sends and do what Entra expects". Profiles are presets: `strict` turns
 * every rule on, `tolerant` every rule off; later code may build any mix.
 */
export interface TargetRules {
  /** `"op": "Replace"`/`"Add"`/`"Remove"` → 400 `invalidSyntax` (RFC 7644 §3.5.2 lists lowercase ops). */
  rejectCapitalisedOps: boolean;
  /** `"True"`/`"False"` strings where the schema says boolean (`active`, `roles[].primary`) → 400 `invalidValue`. */
  rejectStringBooleans: boolean;
  /**
   * `add`/`replace` on a value-filtered path (`emails[type eq "work"].value`) that matches no element → 400
   * `noTarget` (RFC 7644 §3.5.2.3). Off: the element is created from the filter's `eq` terms, `primary: true`.
   */
  noTargetOnMissingFilteredPath: boolean;
  /** Manager given as a bare id string (also `""`) → 400 `invalidValue`. Off: stored as `{value}`, `""` removes it. */
  rejectBareManager: boolean;
  /**
   * `{"op":"remove","path":"members","value":[…]}` removes ALL members, RFC 7644 read literally (the
   * "Entra wiped my group" result: a wrong outcome, not an error). Off: only the listed members go.
   */
  removeMembersIgnoresValue: boolean;
}

export type TargetRuleName = keyof TargetRules;

export const STRICT_RULES: Readonly<TargetRules> = Object.freeze({
  rejectCapitalisedOps: true,
  rejectStringBooleans: true,
  noTargetOnMissingFilteredPath: true,
  rejectBareManager: true,
  removeMembersIgnoresValue: true,
});

export const TOLERANT_RULES: Readonly<TargetRules> = Object.freeze({
  rejectCapitalisedOps: false,
  rejectStringBooleans: false,
  noTargetOnMissingFilteredPath: false,
  rejectBareManager: false,
  removeMembersIgnoresValue: false,
});

export const TARGET_RULE_NAMES: readonly TargetRuleName[] = Object.freeze(Object.keys(STRICT_RULES) as TargetRuleName[]);

export function rulesForProfile(profile: TargetProfile): Readonly<TargetRules> {
  switch (profile) {
    case 'strict':
      return STRICT_RULES;
    case 'tolerant':
      return TOLERANT_RULES;
  }
}
