/**
 * The shape of a declared check. Check lists (lifecycle.ts, quirks.ts, protocol.ts) are arrays of these;
 * the runner decides what runs (`--only`), in what order, and turns outcomes into CheckResults.
 */
import type { DialectName } from '../../scim/types.js';
import type { CheckPart, QuirkDialect, Severity } from '../types.js';
import type { Dependency } from './dependencies.js';
import type { CheckContext, CheckOutcome } from './kit.js';
import type { RequestShape } from './request-shapes.js';

export interface CheckInfo {
  /** Stable, dotted: `<part>.<subject>[.<variant>]`; `--only` takes an id or any dotted prefix of one. */
  id: string;
  title: string;
  part: CheckPart;
  /** Where the expected behaviour comes from (spec section, RFC section, Microsoft suite test name, the real server bug). */
  source: string;
  quirk?: string;
  dialect?: QuirkDialect;
  /**
   * The checks whose failure can explain this one's in a run of `dialect`, each with its evidence test
   * (dependencies.ts), in the order they are tried. Ids of checks that did not run are ignored.
   */
  dependsOn?: (dialect: DialectName) => readonly Dependency[];
}

/** A check that sets up what it needs and verifies it by itself (quirk probes, protocol checks). */
export interface StandaloneCheck extends CheckInfo {
  /**
   * `when-sent` (quirk probes): mandatory when the run's dialect sends this shape (or both dialects do),
   * optional otherwise — a target only has to handle the dialect its Entra app is configured with.
   */
  severity: Severity | 'when-sent';
  /** Quirk probes: the feature of the request that carries the quirk (absent: nothing quirky is sent). */
  shape?: RequestShape;
  run(ctx: CheckContext): Promise<CheckOutcome>;
}

export function resolveSeverity(check: { severity: Severity | 'when-sent'; dialect?: QuirkDialect }, runDialect: DialectName): Severity {
  if (check.severity !== 'when-sent') return check.severity;
  return check.dialect === 'both' || check.dialect === runDialect ? 'mandatory' : 'optional';
}
