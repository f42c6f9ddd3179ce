/**
 * A user of a large JSON Lines tenant that keeps its place in the file instead of its attributes: the id,
 * flags and manager stay in memory (every stage reads them, and references name users by id), the UPN and
 * the attributes are read back from the user's line when asked for. A million generated users held about
 * 1 GB of heap as plain `SourceUser`s, most of it their attribute values; as `LineUser`s about a fifth of
 * that. The UPN is read where the attributes are (a view, a hash, a log entry of an object its batch holds):
 * kept in memory, its string took about 50 bytes a user, 48 MB at a million users, to the cycle's end.
 *
 * Contract: to its readers a `LineUser` is a `SourceUser` with the same values the eager loader builds. The
 * UPN and attributes of the users read last are kept (`KEPT_PER_FILE` per file); others are read and
 * checked again from the file.
 * `userPrincipalName`, `attributes`, `location`, `accountEnabled` and `softDeleted` are accessors:
 * `{...user}` does not copy them (`toJSON` and `plainUser` do).
 */
import type { SourceLocation, SourceUser, SourceValue } from '../../model/directory.js';
import { FixtureChangedError } from '../../shared/errors.js';

/**
 * Users whose attributes stay parsed, per file. A stage reads a user's attributes one after another (scope,
 * hash, display name), and a batch reads them once into the user's view, which its stages share. Keeping
 * more keeps each parsed user alive long enough to be promoted to V8's old generation, where a million of
 * them are garbage for the full collections to go through.
 */
export const KEPT_PER_FILE = 64;

/**
 * A file's lines by byte range (`LineFile`, the I/O, lives with the load wrapper): the same text the load
 * read, or `FixtureChangedError`. The stages that read a `LineUser` stay free of I/O in their imports; the
 * reads come with the tenant, as the store and the client come with the cycle.
 */
export interface LineReader {
  readonly path: string;
  text(offset: number, length: number): string;
}

/** What a user's line gives back: what a `LineUser` does not keep. */
export interface ReadBack {
  readonly userPrincipalName: string;
  readonly attributes: Record<string, SourceValue>;
}

/** Reads a user's UPN and attributes from its line's text; null when the line is not that user (the file changed). */
export type ReadAttributes = (text: string, id: string) => ReadBack | null;

/** One file's lines and the users whose attributes are kept. */
export class LineUserSource {
  readonly kept: (LineUser | undefined)[];
  next = 0;

  constructor(
    readonly file: LineReader,
    readonly read: ReadAttributes,
    keep = KEPT_PER_FILE,
  ) {
    this.kept = new Array<LineUser | undefined>(Math.max(1, keep));
  }
}

/** `#facts`: the line times 4, plus 1 when the account is enabled and 2 when the user is soft-deleted. */
const ENABLED_BIT = 1;
const SOFT_DELETED_BIT = 2;
const LINE_FACTOR = 4;
const MAX_LINE = Math.floor(0x7fffffff / LINE_FACTOR);

/**
 * Seven fields (80 bytes on 64-bit V8; ten took 104): the flags share a small integer with the line.
 */
export class LineUser implements SourceUser {
  readonly id: string;
  managerId: string | null;
  readonly #source: LineUserSource;
  #facts: number;
  readonly #offset: number;
  readonly #length: number;
  #read: ReadBack | null;

  /** `user` as the eager loader read it from `line` (bytes `[offset, offset + length)` of the source's file). */
  constructor(user: SourceUser, source: LineUserSource, line: number, offset: number, length: number) {
    if (!Number.isInteger(line) || line < 1 || line > MAX_LINE)
      throw new RangeError(`Expected \`line\` to be an integer from 1 to ${MAX_LINE}, got \`${line}\``);
    this.id = user.id;
    this.managerId = user.managerId;
    this.#source = source;
    this.#facts = line * LINE_FACTOR + (user.accountEnabled ? ENABLED_BIT : 0) + (user.softDeleted ? SOFT_DELETED_BIT : 0);
    this.#offset = offset;
    this.#length = length;
    this.#read = null;
  }

  get accountEnabled(): boolean {
    return (this.#facts & ENABLED_BIT) !== 0;
  }

  /** Writable, as a `SourceUser`'s (a caller may disable an account in the tenant it passes). */
  set accountEnabled(value: boolean) {
    this.#facts = value ? this.#facts | ENABLED_BIT : this.#facts & ~ENABLED_BIT;
  }

  get softDeleted(): boolean {
    return (this.#facts & SOFT_DELETED_BIT) !== 0;
  }

  set softDeleted(value: boolean) {
    this.#facts = value ? this.#facts | SOFT_DELETED_BIT : this.#facts & ~SOFT_DELETED_BIT;
  }

  get userPrincipalName(): string {
    return this.#readBack().userPrincipalName;
  }

  get attributes(): Record<string, SourceValue> {
    return this.#readBack().attributes;
  }

  get location(): SourceLocation {
    return { file: this.#source.file.path, position: { line: Math.floor(this.#facts / LINE_FACTOR), column: 1 } };
  }

  toJSON(): SourceUser {
    return plainUser(this);
  }

  #readBack(): ReadBack {
    if (this.#read !== null) return this.#read;
    const source = this.#source;
    const read = source.read(source.file.text(this.#offset, this.#length), this.id);
    if (read === null) throw new FixtureChangedError(source.file.path);
    const evicted = source.kept[source.next];
    if (evicted !== undefined) evicted.#read = null;
    source.kept[source.next] = this;
    source.next = (source.next + 1) % source.kept.length;
    return (this.#read = read);
  }
}

/** A user as a plain object, its attributes and location included (for copies: `{...plainUser(u), …}`). */
export function plainUser(user: SourceUser): SourceUser {
  return {
    id: user.id,
    userPrincipalName: user.userPrincipalName,
    accountEnabled: user.accountEnabled,
    softDeleted: user.softDeleted,
    managerId: user.managerId,
    attributes: user.attributes,
    location: user.location,
  };
}
