/**
 * The fixture directories of the `scale-million` benchmark: "day 1", a generated JSON Lines tenant
 * (`writeTenantFixtures(…, { format: 'jsonl' })`), and "day 2", the same tenant after 1 % of its users (every
 * 100th user, counted across the `users*.jsonl` files in reading order) got a new `jobTitle` (the default
 * mapping's `title`). Day 2 is made by streaming day 1's users files a chunk at a time: the chosen lines are
 * parsed and written back with `JSON.stringify` (keys in their order, compact), every other byte is copied;
 * groups and assignments are copied as they are. No file is ever held whole (a million users make four files of
 * about 220 MB each).
 *
 *   node --import tsx bench/scale-million-fixtures.ts USERS GROUPS OUT_DIR   (writes OUT_DIR/day1, OUT_DIR/day2)
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { copyFile, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeTenantFixtures } from '../src/source/generate/generate-tenant.js';
import { jsonLinesFiles } from '../src/source/load-json-lines-tenant.js';

export const SEED = 2026;
/** Every this-many-th user (0, 100, 200…) changes on day 2: 1 %. */
export const CHANGE_EVERY = 100;

export interface MillionFixtures {
  day1: string;
  day2: string;
  /** Users whose line was rewritten for day 2. */
  changedUsers: number;
  writeMs: number;
  day2Ms: number;
  /** Bytes of the day-1 directory's files. */
  bytes: number;
}

export async function writeMillionFixtures(
  size: { users: number; groups: number; membersPerGroup: number },
  outDir: string,
): Promise<MillionFixtures> {
  const day1 = join(outDir, 'day1');
  const day2 = join(outDir, 'day2');
  let start = performance.now();
  await writeTenantFixtures({ ...size, seed: SEED }, day1, { format: 'jsonl' });
  const writeMs = performance.now() - start;
  start = performance.now();
  const { changedUsers, bytes } = await writeDay2(day1, day2);
  return { day1, day2, changedUsers, writeMs, day2Ms: performance.now() - start, bytes };
}

/** Copies `from` to `to`, rewriting every CHANGE_EVERY-th user's line with a new jobTitle. */
export async function writeDay2(from: string, to: string): Promise<{ changedUsers: number; bytes: number }> {
  await mkdir(to, { recursive: true });
  const names = await readdir(from);
  const { users } = jsonLinesFiles(names);
  let index = 0;
  let changedUsers = 0;
  let bytes = 0;
  for (const name of names) {
    if (users.includes(name)) continue;
    await copyFile(join(from, name), join(to, name));
  }
  for (const name of users) {
    const out = createWriteStream(join(to, name));
    const write = async (b: Buffer): Promise<void> => {
      if (!out.write(b)) await once(out, 'drain');
    };
    let rest: Buffer = Buffer.alloc(0);
    for await (const chunk of createReadStream(join(from, name), { highWaterMark: 4 * 2 ** 20 }) as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      const buf = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
      let copyFrom = 0;
      let lineStart = 0;
      for (let nl = buf.indexOf(0x0a); nl !== -1; nl = buf.indexOf(0x0a, lineStart)) {
        if (nl > lineStart && index++ % CHANGE_EVERY === 0) {
          // The unchanged lines before this one, then this one rewritten.
          if (lineStart > copyFrom) await write(buf.subarray(copyFrom, lineStart));
          await write(Buffer.from(`${changeLine(buf.toString('utf8', lineStart, nl))}\n`, 'utf8'));
          changedUsers++;
          copyFrom = nl + 1;
        }
        lineStart = nl + 1;
      }
      if (lineStart > copyFrom) await write(buf.subarray(copyFrom, lineStart));
      // Copied: the chunk's buffer is reused by the stream.
      rest = Buffer.from(buf.subarray(lineStart));
    }
    if (rest.length > 0) {
      // A last line without a line break.
      const change = index++ % CHANGE_EVERY === 0;
      await write(change ? Buffer.from(changeLine(rest.toString('utf8')), 'utf8') : rest);
      if (change) changedUsers++;
    }
    out.end();
    await once(out, 'finish');
  }
  return { changedUsers, bytes };
}

/** One user's line with its jobTitle changed (added, at the end, if it had none); other keys keep their order. */
function changeLine(line: string): string {
  const user = JSON.parse(line) as Record<string, unknown>;
  user['jobTitle'] = typeof user['jobTitle'] === 'string' ? `${user['jobTitle']} (day 2)` : 'Reorganised (day 2)';
  return JSON.stringify(user);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [users, groups, outDir] = [Number(process.argv[2]), Number(process.argv[3]), process.argv[4]];
  if (!Number.isInteger(users) || !Number.isInteger(groups) || !outDir)
    throw new Error('usage: scale-million-fixtures.ts USERS GROUPS OUT_DIR');
  const f = await writeMillionFixtures({ users, groups, membersPerGroup: 50 }, outDir);
  console.log(JSON.stringify(f));
}
