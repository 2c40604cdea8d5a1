/**
 * Characters a terminal may act on rather than show: C0 controls but tab and newline (ESC starts
 * escape sequences that move the cursor, rewrite the screen or the window title, even set the
 * clipboard), DEL, the C1 controls (U+009B is a one-character CSI), and the bidirectional
 * overrides that make text read in another order than it is stored.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text from WM, a platform or the API as a terminal may show it: every unsafe character written
 * out as `\xNN` / `\uNNNN`, visible and inert. Tab and newline stay (JSON output is indented).
 */
export function neutralise(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff
      ? `\\x${code.toString(16).padStart(2, '0')}`
      : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** For one table cell or one line: line breaks and tabs become one space, the rest as neutralise. */
export function oneLine(text: string): string {
  return neutralise(text.replace(/\s*[\r\n]+\s*/g, ' ').replace(/\t/g, ' '));
}
