/** What a cycle learned about the target for one object before planning. Produced by observe, read by diff. */
import type { ScimResource } from '../scim/types.js';

export interface RequestFailure {
  code: string;
  message: string;
  details: { method: string; url: string; status: number | null; body: unknown } | null;
}

export type Observation =
  /** A matching filter GET found exactly one object. */
  | { kind: 'matched'; targetId: string; resource: ScimResource; attribute: string; value: string }
  /** Every matching filter GET came back empty. */
  | { kind: 'not-found'; queried: Array<{ attribute: string; value: string }> }
  /** A linked object read by id. */
  | { kind: 'read'; targetId: string; resource: ScimResource }
  /** A linked object whose id the target no longer knows (404): Entra's InvalidAnchor. */
  | { kind: 'anchor-missing'; targetId: string }
  /** More than one target object matched. */
  | { kind: 'duplicate'; attribute: string; value: string; count: number }
  /** No matching attribute has a value (Entra: ImportSkipped). */
  | { kind: 'no-match-value' }
  | { kind: 'failed'; failure: RequestFailure };
