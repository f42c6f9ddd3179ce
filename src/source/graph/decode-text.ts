/**
 * The bytes of a saved Graph response as text. Graph answers in UTF-8, but the file may have passed through a
 * tool that re-encodes: Windows PowerShell 5.1's `>` and `Out-File` write UTF-16 LE with a byte order mark, and
 * several editors add a UTF-8 BOM. A BOM decides the encoding (and is dropped); without one, UTF-8.
 */
export function decodeText(bytes: Uint8Array): string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) return buffer.toString('utf8', 3);
  if (buffer[0] === 0xff && buffer[1] === 0xfe) return buffer.toString('utf16le', 2);
  if (buffer[0] === 0xfe && buffer[1] === 0xff) {
    // Node has no UTF-16 BE decoder: swap each pair of bytes into LE (a dangling odd byte is not a character).
    const swapped = Buffer.from(buffer.subarray(2, buffer.length - (buffer.length % 2)));
    swapped.swap16();
    return swapped.toString('utf16le');
  }
  return buffer.toString('utf8');
}
