/**
 * What `sync` and `provision` say on stderr when a fixture file changed under a tenant read back from its
 * files (`CycleResult.fixtureChanged`): the file, why it matters, what was kept, what to do.
 */
import { fixtureChangedText } from '../../shared/errors.js';

export function fixtureChangedNote(file: string, dryRun: boolean): string {
  return `provsim: ${fixtureChangedText(file)}. The cycle stopped before its next batch${dryRun ? '' : ' and what it did is in the state'}; run the command again: it reads the files as they are now`;
}
