/**
 * One root cause, one failure: which failed checks are consequences of another failure of the same run.
 *
 * Contract:
 * - A failed check is a consequence only when one of its declared dependencies (CheckInfo.dependsOn)
 *   failed too AND that dependency's evidence test (dependencies.ts) shows the same cause: the same
 *   refused shape with the same answer, the same wrong read-back, the state or object the earlier check
 *   was to leave. A failure for any other reason stays independent, whatever it declares.
 * - `consequence.of` is always an independent failure (the root); chains are followed through `via`.
 * - A mandatory check is never a consequence of an optional root: an optional failure cannot excuse a
 *   mandatory one, so a run with a consequence of severity S always has an independent failure of
 *   severity ≥ S, and consequences never turn a failing run green.
 * Pure: results and facts in, results out.
 */
import { stoppedBy, type Dependency, type FailureFacts, type FailureView } from './checks/dependencies.js';
import type { CheckResult, Consequence } from './types.js';

export function attributeConsequences(
  checks: readonly CheckResult[],
  facts: ReadonlyMap<string, FailureFacts>,
  dependencies: (id: string) => readonly Dependency[],
): CheckResult[] {
  const byId = new Map(checks.map((c) => [c.id, c]));
  const memo = new Map<string, Consequence | null>();
  const inProgress = new Set<string>();

  const view = (id: string): FailureView | null => {
    const result = byId.get(id);
    const known = facts.get(id);
    return result?.status === 'failed' && known ? { result, facts: known } : null;
  };

  const find = (id: string): Consequence | null => {
    const failure = view(id);
    if (!failure) return null;
    const candidates = [...(failure.facts.stoppedBy ? [stoppedBy(failure.facts.stoppedBy)] : []), ...dependencies(id)];
    for (const dependency of candidates) {
      if (dependency.on === id) continue;
      const cause = view(dependency.on);
      if (!cause) continue;
      const reason = dependency.explains(failure, cause);
      if (reason === null) continue;
      const upstream = resolve(dependency.on);
      const root = upstream ? upstream.of : dependency.on;
      // A cycle of dependencies leads back here: a check is never its own root.
      if (root === id) continue;
      if (failure.result.severity === 'mandatory' && byId.get(root)?.severity !== 'mandatory') continue;
      return { of: root, via: upstream ? [dependency.on, ...upstream.via] : [], reason };
    }
    return null;
  };

  const resolve = (id: string): Consequence | null => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    // Declared dependencies are acyclic (a unit test holds them to it); if one were not, the check met again
    // while it is being resolved has no root yet (null), and `find` then refuses a root equal to itself.
    if (inProgress.has(id)) return null;
    inProgress.add(id);
    const consequence = find(id);
    inProgress.delete(id);
    memo.set(id, consequence);
    return consequence;
  };

  return checks.map((check) => {
    const consequence = check.status === 'failed' ? resolve(check.id) : null;
    return consequence ? { ...check, consequence } : check;
  });
}
