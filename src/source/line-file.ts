/**
 * A JSON Lines fixture file kept open after its load, so that its lines can be read back by byte range (a
 * large tenant's users keep their place in the file instead of their attributes; see `json/line-user.ts`).
 *
 * Contract: `text(offset, length)` returns the bytes the load read at that range, or throws
 * `FixtureChangedError`. The file is held open from the start of its load: a file replaced by a rename (how
 * many editors save, and how `fixtures generate` would rewrite it) keeps the loaded content readable; a file
 * written in place is detected by its size or modification time and refused, never read as another user.
 * The descriptor is closed when the tenant holding it is collected (a `watch` cycle loads a new tenant).
 *
 * Reads are synchronous (they run inside the pure stages' lazy reads) and go through one window of the file:
 * a read inside the window costs no system call; one outside reads a new window starting at that line, so a
 * pass in file order reads each byte once, and a pass out of order reads at most a window per line.
 */
import { closeSync, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { FixtureChangedError } from '../shared/errors.js';
import type { LineReader } from './json/line-user.js';

/** Bytes read ahead from a line outside the window (about 70 generated users). */
const WINDOW_BYTES = 64 * 2 ** 10;

const closer = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    // Already closed: nothing to release.
  }
});

export class LineFile implements LineReader {
  readonly #fd: number;
  readonly #size: number;
  readonly #mtimeMs: number;
  #buffer = Buffer.alloc(0);
  #windowStart = 0;
  #windowLength = 0;

  private constructor(
    readonly path: string,
    fd: number,
    stats: Stats,
  ) {
    this.#fd = fd;
    this.#size = stats.size;
    this.#mtimeMs = stats.mtimeMs;
    closer.register(this, fd);
  }

  /** Opens `path`; its load reads it through `fd`, so that what is read back is what was loaded. */
  static open(path: string): LineFile {
    const fd = openSync(path, 'r');
    try {
      return new LineFile(path, fd, fstatSync(fd));
    } catch (e) {
      closeSync(fd);
      throw e;
    }
  }

  /** The descriptor the load reads (from its start, in order). */
  get fd(): number {
    return this.#fd;
  }

  /** Whether the file still has the size and modification time it had when it was opened. */
  unchanged(): boolean {
    try {
      const stats = fstatSync(this.#fd);
      return stats.size === this.#size && stats.mtimeMs === this.#mtimeMs;
    } catch {
      return false;
    }
  }

  /** The UTF-8 text of bytes `[offset, offset + length)`, as the load read them. */
  text(offset: number, length: number): string {
    const from = offset - this.#windowStart;
    if (from < 0 || from + length > this.#windowLength) this.#read(offset, length);
    const start = offset - this.#windowStart;
    return this.#buffer.toString('utf8', start, start + length);
  }

  #read(offset: number, length: number): void {
    if (offset + length > this.#size || !this.unchanged()) throw new FixtureChangedError(this.path);
    const want = Math.min(Math.max(length, WINDOW_BYTES), this.#size - offset);
    if (this.#buffer.length < want) this.#buffer = Buffer.allocUnsafe(Math.max(want, WINDOW_BYTES));
    this.#windowLength = 0;
    let got = 0;
    while (got < want) {
      const n = readSync(this.#fd, this.#buffer, got, want - got, offset + got);
      if (n === 0) throw new FixtureChangedError(this.path);
      got += n;
    }
    this.#windowStart = offset;
    this.#windowLength = want;
  }
}
