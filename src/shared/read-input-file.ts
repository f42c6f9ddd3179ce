/**
 * Reads an input file (fixtures, a mapping) whole, refusing what cannot be one: a FIFO or a device such as
 * `/dev/zero` (which would block or never end), a directory, or a file larger than `limitBytes` (which would
 * exhaust memory or exceed what one JavaScript string can hold). The reason is a sentence for a diagnostic.
 */
import { readFile, stat } from 'node:fs/promises';

export type InputFileResult = { ok: true; bytes: Buffer } | { ok: false; reason: string };

export async function readInputFile(file: string, limitBytes: number): Promise<InputFileResult> {
  let info;
  try {
    info = await stat(file);
  } catch (e) {
    return { ok: false, reason: readError(e) };
  }
  if (info.isDirectory()) return { ok: false, reason: 'it is a directory' };
  if (!info.isFile())
    return {
      ok: false,
      reason: `it is not a regular file (${info.isFIFO() ? 'a named pipe' : info.isCharacterDevice() || info.isBlockDevice() ? 'a device' : 'a socket or special file'}), which provsim does not read`,
    };
  if (info.size > limitBytes)
    return { ok: false, reason: `it is ${mebibytes(info.size)}, more than the ${mebibytes(limitBytes)} provsim reads from one file` };
  try {
    return { ok: true, bytes: await readFile(file) };
  } catch (e) {
    return { ok: false, reason: readError(e) };
  }
}

function mebibytes(n: number): string {
  return `${(n / 2 ** 20).toFixed(n < 2 ** 20 ? 2 : 0)} MiB`;
}

function readError(e: unknown): string {
  const code = (e as { code?: unknown }).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'ENOTDIR') return 'not a directory';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  return e instanceof Error ? e.message : String(e);
}
