/** `--escrow-schedule`, which the commands that run cycles (`sync`, `watch`) take. */
import { ESCROW_SCHEDULES, type EscrowSchedule } from '../engine/escrow-schedule.js';
import { UsageError } from '../shared/errors.js';

/** The schedule a flag value names: `current` (the default) or `2022`. */
export function chooseEscrowSchedule(name: string | undefined): EscrowSchedule {
  if (name === undefined) return ESCROW_SCHEDULES.current;
  if (name === 'current' || name === '2022') return ESCROW_SCHEDULES[name];
  throw new UsageError(`--escrow-schedule ${name} is not one of current, 2022`);
}
