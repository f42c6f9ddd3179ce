/**
 * Dependencies between checks: what a check needs to have worked before it can show anything, and the
 * evidence test that says whether a failure of that check explains this check's failure. A dependency
 * never explains a failure on its declaration alone: each test below compares the two failures' evidence
 * (the same refused shape with the same answer, the same wrong read-back, the state or object the earlier
 * check was to leave) and answers null when the evidence does not show the same cause. consequences.ts
 * applies them. Pure.
 */
import type { CheckResult, Evidence } from '../types.js';
import { prop } from './kit.js';
import type { RequestShape } from './request-shapes.js';

/** What the runner records about one failed check, for the tests below. */
export interface FailureFacts {
  /** The check's own requests the target refused (status ≥ 400) that made it fail; empty when none did. */
  refused: Evidence[];
  /** The check's own writes the target accepted (2xx). */
  accepted: Evidence[];
  /** What read back wrong, as a name shared by checks that see the same wrong result (FailureDetail.symptom). */
  symptom: string | null;
  /** The scenario object it needed and did not find. */
  missing: string | null;
  /** The check whose end state was not there when this one started. */
  precondition: string | null;
  /** The check whose failure stopped this one from running. */
  stoppedBy: string | null;
}

export interface FailureView {
  result: CheckResult;
  facts: FailureFacts;
}

export interface Dependency {
  /** The check whose failure may explain this one's. */
  on: string;
  /** One sentence naming the shared cause when the evidence shows it; null when it does not. */
  explains(failure: FailureView, cause: FailureView): string | null;
}

/** Picks out what a request is, for matching and messages; null: not this kind of request. */
export type RequestSelector = (e: Evidence) => string | null;

/** A PATCH whose body carries `shape`. */
export function patchWith(shape: RequestShape): RequestSelector {
  return (e) => {
    if (e.method !== 'PATCH') return null;
    const found = shape.find(e.requestBody);
    return found === null ? null : `${shape.name} (${found})`;
  };
}

/** A POST creating a resource of `resource`. */
export function postTo(resource: 'Users' | 'Groups'): RequestSelector {
  return (e) =>
    e.method === 'POST' && pathOf(e.url).replace(/\/+$/, '').endsWith(`/${resource}`) ? `the POST /${resource} of its setup` : null;
}

/**
 * `failure` was stopped by refused requests, and each of them is of the kind `select` picks out and got
 * the answer (status and scimType) that `cause` got for a request of that kind.
 */
export function sameRefusal(on: string, select: RequestSelector): Dependency {
  return {
    on,
    explains: (failure, cause) => {
      if (failure.facts.precondition !== null || failure.facts.refused.length === 0) return null;
      const causeRefusals = cause.facts.refused.filter((e) => select(e) !== null);
      if (causeRefusals.length === 0) return null;
      for (const e of failure.facts.refused) {
        if (select(e) === null || !causeRefusals.some((c) => sameAnswer(c, e))) return null;
      }
      const first = failure.facts.refused[0]!;
      return `${first.method} ${pathOf(first.url)} with ${select(first)} was refused with ${evidenceAnswer(first)}, as ${on} was for the same kind of request`;
    },
  };
}

/**
 * `failure` read back wrong after the target accepted a request of the kind `select` picks out, and the
 * wrong result has the same name (symptom) as `cause`'s wrong result after such a request.
 */
export function sameWrongResult(on: string, select: RequestSelector): Dependency {
  return {
    on,
    explains: (failure, cause) => {
      const symptom = failure.facts.symptom;
      if (failure.facts.precondition !== null || failure.facts.refused.length > 0 || symptom === null || symptom !== cause.facts.symptom)
        return null;
      // The cause was accepted and read back wrong too (a quirk probe's wrong-result, or a step whose request was not refused).
      if (
        cause.result.verdict === 'rejected' ||
        cause.result.verdict === 'inconclusive' ||
        cause.facts.refused.length > 0 ||
        cause.facts.precondition !== null
      )
        return null;
      if (!cause.facts.accepted.some((e) => select(e) !== null)) return null;
      const sent = failure.facts.accepted.find((e) => select(e) !== null);
      if (!sent) return null;
      return `the target accepted ${sent.method} ${pathOf(sent.url)} with ${select(sent)} (${sent.status}) and then read back wrong (${symptom}), as in ${on}`;
    },
  };
}

/**
 * `failure` did not find, before its cycle, the end state that `on` was to leave, and `on` failed. If the
 * target also refused requests of `failure`'s own, each must have got the answer (status and scimType) one
 * of `on`'s refused requests got: a missing prior state does not explain, say, a 500 to the next request,
 * which is a cause of its own.
 */
export function leftState(on: string): Dependency {
  return {
    on,
    explains: (failure, cause) =>
      failure.facts.precondition === on && refusalsShared(failure, cause)
        ? `it starts from the state ${on} was to leave, which was not there (${on} failed)`
        : null,
  };
}

/** `failure` needed the scenario object `object`, which is not in the target, and `on` (which creates it) failed; its own refusals as in leftState. */
export function createdObject(on: string, object: string): Dependency {
  return {
    on,
    explains: (failure, cause) =>
      failure.facts.missing === object && refusalsShared(failure, cause)
        ? `it needs the ${object === 'group' ? 'group' : `user "${object}"`} that ${on} was to create, which is not in the target`
        : null,
  };
}

/** Every request of `failure`'s that the target refused got an answer one of `cause`'s refused requests got. */
function refusalsShared(failure: FailureView, cause: FailureView): boolean {
  return failure.facts.refused.every((e) => cause.facts.refused.some((c) => sameAnswer(c, e)));
}

/** `failure` could not run because `on` stopped the run of the steps after it. */
export function stoppedBy(on: string): Dependency {
  return {
    on,
    explains: (failure) => (failure.facts.stoppedBy === on ? `it could not run: the engine stopped in the cycle of ${on}` : null),
  };
}

export function scimTypeOf(e: Evidence): string | null {
  const type = prop(e.responseBody, 'scimType');
  return typeof type === 'string' && type !== '' ? type : null;
}

function sameAnswer(a: Evidence, b: Evidence): boolean {
  return a.status === b.status && scimTypeOf(a) === scimTypeOf(b);
}

function evidenceAnswer(e: Evidence): string {
  const type = scimTypeOf(e);
  return `${e.status ?? 'no response'}${type ? ` (scimType ${type})` : ''}`;
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}
