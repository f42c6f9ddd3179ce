/**
 * The schema file's text → a JSON value, pure. `JSON.parse`, not the YAML parser the loaders use: an exported
 * schema is strict JSON, often hundreds of kilobytes, and JSON.parse is both exact and fast on it. Its error
 * messages carry an offset ("at position 13", and on newer V8 "(line 3 column 3)"), which becomes the
 * diagnostic's line and column; a message without one gives a diagnostic without a position.
 */
import { error } from '../shared/diagnostics.js';
import type { Diagnostic, Position } from '../shared/diagnostics.js';
import type { TextFile } from '../shared/yaml-file.js';
import { IMPORT_CODES as C } from './codes.js';

export function parseSchemaJson(input: TextFile): { json: unknown; diagnostics: Diagnostic[] } {
  const text = input.text.startsWith('\uFEFF') ? input.text.slice(1) : input.text;
  try {
    return { json: JSON.parse(text) as unknown, diagnostics: [] };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const position = errorPosition(message, text);
    const empty = text.trim() === '';
    return {
      json: undefined,
      diagnostics: [
        error(C.SCHEMA_SYNTAX, empty ? 'the schema file is empty' : `not valid JSON: ${reason(message)}`, {
          file: input.file,
          ...(position ? { position } : {}),
          hint: empty
            ? "export the schema as JSON: Graph GET /servicePrincipals/{id}/synchronization/jobs/{jobId}/schema, or the portal's schema editor"
            : /^\s*[{[]/.test(text)
              ? 'check quotes, commas and brackets here; the file must be the JSON of a synchronizationSchema'
              : 'a synchronizationSchema is a JSON object starting with `{`; is this the mapping YAML or another file?',
        }),
      ],
    };
  }
}

/**
 * JSON.parse's message without its location and without the source excerpt V8 adds to "Unexpected token"
 * (`Unexpected token '#', "# provsim\n"... is not valid JSON`), which may span lines.
 */
function reason(message: string): string {
  return message
    .replace(/ in JSON at position \d+.*$/s, '')
    .replace(/^(Unexpected token .+?), ".*" is not valid JSON$/s, '$1')
    .replace(/\s*[\r\n]+\s*/g, ' ');
}

/** The 1-based position a JSON.parse message points at, if it names one. */
export function errorPosition(message: string, text: string): Position | undefined {
  const lineColumn = /\(line (\d+) column (\d+)\)/.exec(message);
  if (lineColumn) return { line: Number(lineColumn[1]), column: Number(lineColumn[2]) };
  const offset = /at position (\d+)/.exec(message);
  if (offset) return positionOfOffset(text, Number(offset[1]));
  if (/Unexpected end of JSON input/.test(message)) return positionOfOffset(text, text.length);
  return undefined;
}

/** Line and column (1-based, UTF-16 code units) of a character offset. */
export function positionOfOffset(text: string, offset: number): Position {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
}
