/**
 * What a fixture UPN must look like, and when two UPNs are the same one. Entra's UPNs have one @ and no
 * whitespace or control characters (a NUL or an escape code in one would reach the wire and the terminal);
 * two UPNs are the same when they differ only in case or in Unicode normalisation (`é` as one code point or
 * as `e` + a combining accent look identical, and Entra compares canonically equivalent strings as equal).
 */
export const UPN_FORMAT = /^[^@\s\x00-\x1f\x7f-\x9f]+@[^@\s\x00-\x1f\x7f-\x9f]+$/;

/** The key two UPNs share when they are the same: NFC, lower case (ASCII, the common case, skips NFC). */
export function upnKey(upn: string): string {
  return (/[^\x00-\x7f]/.test(upn) ? upn.normalize('NFC') : upn).toLowerCase();
}
