/**
 * Every check of the suite, in report order (the connection check, lifecycle, quirk matrix, protocol),
 * with its severity for a given run dialect and what it depends on; and the `--only` selection over their ids.
 */
import type { DialectName } from '../../scim/types.js';
import { didYouMean } from '../../shared/diagnostics.js';
import { UsageError } from '../../shared/errors.js';
import type { Severity } from '../types.js';
import { CONNECTION_CHECK } from './connection.js';
import { resolveSeverity, type CheckInfo } from './definition.js';
import type { Dependency } from './dependencies.js';
import { LIFECYCLE_STEPS } from './lifecycle.js';
import { PROTOCOL_CHECKS } from './protocol.js';
import { QUIRK_CHECKS } from './quirks.js';

export { CONNECTION_CHECK, testConnection } from './connection.js';
export type { Dependency, FailureFacts } from './dependencies.js';
export { KNOWN_GAPS } from './gaps.js';
export { engineFailures, expectEngineChange, LIFECYCLE_STEPS, type LifecycleContext, type LifecycleStep } from './lifecycle.js';
export { PROTOCOL_CHECKS } from './protocol.js';
export { QUIRKS, QUIRK_CHECKS, type QuirkDefinition } from './quirks.js';

export type CatalogueEntry = Omit<CheckInfo, 'dependsOn'> & { severity: Severity };

export function catalogue(dialect: DialectName): CatalogueEntry[] {
  const entry = (info: CheckInfo, severity: Severity): CatalogueEntry => ({
    id: info.id,
    title: info.title,
    part: info.part,
    source: info.source,
    ...(info.quirk !== undefined ? { quirk: info.quirk } : {}),
    ...(info.dialect !== undefined ? { dialect: info.dialect } : {}),
    severity,
  });
  return [
    entry(CONNECTION_CHECK, CONNECTION_CHECK.severity),
    ...LIFECYCLE_STEPS.map((s) => entry(s, s.severity)),
    ...[...QUIRK_CHECKS, ...PROTOCOL_CHECKS].map((c) => entry(c, resolveSeverity(c, dialect))),
  ];
}

/** What each check depends on in a run of `dialect` (consequences.ts); [] for a check without dependencies. */
export function dependenciesOf(dialect: DialectName): (id: string) => readonly Dependency[] {
  const all = new Map<string, readonly Dependency[]>(
    [CONNECTION_CHECK, ...LIFECYCLE_STEPS, ...QUIRK_CHECKS, ...PROTOCOL_CHECKS].map((c) => [c.id, c.dependsOn?.(dialect) ?? []]),
  );
  return (id) => all.get(id) ?? [];
}

/**
 * The ids `--only` selects: each argument is a check id or a dotted prefix of ids (`quirk`,
 * `lifecycle.group`, `quirk.member-remove`). Null means everything. Unknown arguments are a usage error,
 * raised before anything is sent.
 */
export function selectChecks(only: readonly string[] | undefined, ids: readonly string[]): Set<string> | null {
  if (!only || only.length === 0) return null;
  const selected = new Set<string>();
  for (const raw of only
    .flatMap((o) => o.split(','))
    .map((o) => o.trim())
    .filter((o) => o !== '')) {
    const matches = ids.filter((id) => id === raw || id.startsWith(`${raw}.`));
    if (matches.length === 0) {
      // Prefixes are valid arguments too, so they are candidates for the hint.
      const hint = didYouMean(raw, new Set(ids.flatMap((id) => id.split('.').map((_, i, parts) => parts.slice(0, i + 1).join('.')))));
      throw new UsageError(
        `--only ${raw} names no check${hint ? `; did you mean ${hint}?` : ''}. Ids look like lifecycle.user.create, quirk.member-remove.legacy or protocol.paging; a prefix such as "quirk" selects a whole part`,
      );
    }
    for (const id of matches) selected.add(id);
  }
  if (selected.size === 0) throw new UsageError('--only selects no check; give a check id or a prefix such as "lifecycle"');
  return selected;
}
