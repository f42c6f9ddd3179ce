/**
 * The target objects matched or created in one cycle, by object type and target id: a server that answers
 * two objects' queries with one object (a filter it ignores) or gives two POSTs one id must not get both
 * linked to it. A claim is kept as its source id alone, under the target id string the link keeps too: a
 * cycle of a million objects keeps a million claims to its end, which as a key string (`<type> <id>`) and a
 * record each took about 150 bytes a claim.
 */
import type { ObjectType } from '../model/records.js';

export class TargetClaims {
  readonly #users = new Map<string, string>();
  readonly #groups = new Map<string, string>();
  readonly #nameOf: (sourceId: string) => string | undefined;

  /** `nameOf`: a source object's display name, for the message of a claim refused. */
  constructor(nameOf: (sourceId: string) => string | undefined = () => undefined) {
    this.#nameOf = nameOf;
  }

  /**
   * Claims `targetId` for `sourceId`. Null when it is that object's (now, or already); else the display
   * name (or, without one, the id) of the other source object that holds it, which keeps it.
   */
  claim(objectType: ObjectType, targetId: string, sourceId: string): string | null {
    const claims = objectType === 'User' ? this.#users : this.#groups;
    const other = claims.get(targetId);
    if (other === undefined) claims.set(targetId, sourceId);
    else if (other !== sourceId) return this.#nameOf(other) ?? other;
    return null;
  }
}
