/**
 * The state file, its -wal and -shm files and its lock file hold the exported attributes of every user (or
 * say who runs provsim): new ones are readable by their owner only.
 */
import { chmodSync } from 'node:fs';

/**
 * Mode 0600 for a file this process has just created. Best effort: on a file system without modes (FAT, some
 * network shares) chmod fails, and a mode would mean nothing there.
 */
export function restrictMode(file: string): void {
  try {
    chmodSync(file, 0o600);
  } catch {
    // See above.
  }
}
