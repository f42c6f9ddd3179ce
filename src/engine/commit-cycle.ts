/**
 * commitCycle: writes a settled cycle's delta (engine/settle.ts) to the store in one transaction, and
 * decides nothing. A crash before it leaves the cycle `running` with its watermarks unmoved, so the next
 * cycle works on the same objects again (their links and log entries were recorded as they happened).
 */
import type { StateStore } from '../store/store.js';
import type { CycleDelta } from './settle.js';

export function commitCycle(store: StateStore, delta: CycleDelta): void {
  store.transaction(() => {
    for (const w of delta.watermarks.put) store.putWatermark(w.id, w.objectType, w.hash);
    for (const id of delta.watermarks.delete) store.deleteWatermark(id);
    for (const id of delta.escrows.clear) store.clearEscrow(id);
    for (const e of delta.escrows.put) store.putEscrow(e);
    store.finishCycle(delta.cycle.id, delta.cycle.status, delta.cycle.finishedAt, delta.cycle.counts);
    if (delta.job) {
      store.setJobHash(delta.job.hash);
      if (delta.job.clearInitial) store.setFlag('initial', false);
      if (delta.job.clearForceDeletes) store.setFlag('force-deletes', false);
    }
    if (delta.quarantine !== undefined) store.setQuarantine(delta.quarantine);
  });
}
