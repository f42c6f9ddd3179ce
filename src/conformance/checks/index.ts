/**
 * Every check of the suite, in report order (lifecycle, quirk matrix, protocol), with its severity for a
 * given run dialect; and the `--only` selection over their ids.
 */
import type { DialectName } from '../../scim/dialect.js';
import { didYouMean } from '../../shared/diagnostics.js';
import { UsageError } from '../../shared/errors.js';
import type { Severity } from '../types.js';
import { resolveSeverity, type CheckInfo } from './definition.js';
import { LIFECYCLE_STEPS } from './lifecycle.js';
import { PROTOCOL_CHECKS } from './protocol.js';
import { QUIRK_CHECKS } from './quirks.js';

export { KNOWN_GAPS } from './gaps.js';
export { engineFailures, expectEngineChange, LIFECYCLE_STEPS, type LifecycleContext, type LifecycleStep } from './lifecycle.js';
export { PROTOCOL_CHECKS } from './protocol.js';
export { QUIRKS, QUIRK_CHECKS, type QuirkDefinition } from './quirks.js';

export type CatalogueEntry = CheckInfo & { severity: Severity };

export function catalogue(dialect: DialectName): CatalogueEntry[] {
  return [
    ...LIFECYCLE_STEPS.map(({ verify: _verify, change: _change, engine: _engine, ...info }) => info),
    ...[...QUIRK_CHECKS, ...PROTOCOL_CHECKS].map(({ run: _run, ...info }) => ({ ...info, severity: resolveSeverity(info, dialect) })),
  ];
}

/**
 * The ids `--only` selects: each argument is a check id or a dotted prefix of ids (`quirk`,
 * `lifecycle.group`, `quirk.member-remove`). Null means everything. Unknown arguments are a usage error,
 * raised before anything is sent.
 */
export function selectChecks(only: readonly string[] | undefined, ids: readonly string[]): Set<string> | null {
  if (!only || only.length === 0) return null;
  const selected = new Set<string>();
  for (const raw of only.flatMap((o) => o.split(',')).map((o) => o.trim()).filter((o) => o !== '')) {
    const matches = ids.filter((id) => id === raw || id.startsWith(`${raw}.`));
    if (matches.length === 0) {
      // Prefixes are valid arguments too, so they are candidates for the hint.
      const hint = didYouMean(raw, new Set(ids.flatMap((id) => id.split('.').map((_, i, parts) => parts.slice(0, i + 1).join('.')))));
      throw new UsageError(`--only ${raw} names no check${hint ? `; did you mean ${hint}?` : ''}. Ids look like lifecycle.user.create, quirk.member-remove.legacy or protocol.paging; a prefix such as "quirk" selects a whole part`);
    }
    for (const id of matches) selected.add(id);
  }
  if (selected.size === 0) throw new UsageError('--only selects no check; give a check id or a prefix such as "lifecycle"');
  return selected;
}
