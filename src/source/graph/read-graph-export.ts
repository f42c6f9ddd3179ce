/**
 * A Microsoft Graph export from texts already in memory (tests, embedding): the pure counterpart of
 * `loadGraphExport`. Files are read in the export's order whatever the order given; names that are not part of an
 * export are reported like unknown files on disk.
 */
import { GraphExportReader } from './graph-export-reader.js';
import type { GraphExportResult } from './graph-export-reader.js';

export interface GraphExportFile {
  /** The file's name within the export directory (`users-2.json`). */
  name: string;
  text: string;
}

export function readGraphExport(dir: string, files: readonly GraphExportFile[]): GraphExportResult {
  const texts = new Map(files.map((f) => [f.name, f.text]));
  const reader = new GraphExportReader(dir, texts.keys());
  for (const name of reader.files) reader.add(name, texts.get(name)!);
  return reader.finish();
}
