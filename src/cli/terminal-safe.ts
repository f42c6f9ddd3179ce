/**
 * Text from a server (error bodies, attribute values) reaches the terminal through provsim's output: control
 * characters in it could move the cursor, clear the screen, retitle the window or hide lines (`\r`). Every
 * line the CLI writes passes through `terminalSafe`, which shows such characters as visible escapes
 * (`\x1b`, `\x0d`, `\x07`…). Kept as they are: newline, tab, CR LF (CSV's line end), and SGR sequences (`ESC [ … m`: colours, which
 * provsim's own output uses and which can at worst recolour text). JSON output is unaffected in substance:
 * JSON.stringify already escapes control characters.
 */
const SGR = /^\x1b\[[0-9;]*m/;

export function terminalSafe(text: string): string {
  // Fast path: most output has no control character at all.
  if (!/[\x00-\x08\x0b-\x1f\x7f-\x9f]/.test(text)) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x1b) {
      const sgr = SGR.exec(text.slice(i, i + 32));
      if (sgr) {
        out += sgr[0];
        i += sgr[0].length - 1;
        continue;
      }
    }
    const crlf = c === 0x0d && text.charCodeAt(i + 1) === 0x0a;
    if (c === 0x0a || c === 0x09 || crlf || (c >= 0x20 && c < 0x7f) || c > 0x9f) out += text[i];
    else out += `\\x${c.toString(16).padStart(2, '0')}`;
  }
  return out;
}
