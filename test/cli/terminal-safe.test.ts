/** terminalSafe: control characters from servers are shown, not obeyed; colours and layout stay. */
import { describe, expect, it } from 'vitest';
import { terminalSafe } from '../../src/cli/terminal-safe.js';

describe('terminalSafe', () => {
  it.each([
    ['clear screen', 'a\x1b[2Jb', 'a\\x1b[2Jb'],
    ['window title (OSC … BEL)', '\x1b]0;owned\x07x', '\\x1b]0;owned\\x07x'],
    ['carriage return hiding a line', 'bad\rgood', 'bad\\x0dgood'],
    ['backspace, NUL, DEL and a C1 control', 'a\x08\x00\x7f\x9bb', 'a\\x08\\x00\\x7f\\x9bb'],
    ['cursor up', '\x1b[1A', '\\x1b[1A'],
  ])('%s', (_what, input, shown) => {
    expect(terminalSafe(input)).toBe(shown);
  });

  it('keeps newlines, tabs, CR LF (CSV), colours (SGR) and non-ASCII text as they are', () => {
    const text = '\x1b[32m+ User\x1b[39m\tJosé Müller → «Sales»\n  ✓ done\r\na,b\r\n';
    expect(terminalSafe(text)).toBe(text);
  });
});
