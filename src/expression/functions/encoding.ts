/**
 * Encodings: ConvertToBase64 (of the UTF-16LE bytes — .NET's "Unicode" encoding, as the doc's example
 * "Hello world!" → "SABlAGwAbABvACAAdwBvAHIAbABkACEA" shows) and ConvertToUTF8Hex (upper-case hex of the
 * UTF-8 bytes). Both propagate null.
 */
import { defineFunction, type FunctionDef } from '../function-def.js';
import { str } from '../runtime/coerce.js';

const toBase64 = defineFunction('ConvertToBase64', 'base64 of the UTF-16LE bytes', ['source'], ([source], call) => {
  const s = str(source ?? null, call, 'source');
  return s === null ? null : Buffer.from(s, 'utf16le').toString('base64');
});

const toUtf8Hex = defineFunction('ConvertToUTF8Hex', 'upper-case hex of the UTF-8 bytes', ['source'], ([source], call) => {
  const s = str(source ?? null, call, 'source');
  return s === null ? null : Buffer.from(s, 'utf8').toString('hex').toUpperCase();
});

export const ENCODING_FUNCTIONS: readonly FunctionDef[] = [toBase64, toUtf8Hex];
