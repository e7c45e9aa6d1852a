/**
 * The one sanitizer for everything the casebook prints to a terminal. Text from outside (a
 * probe's response body, a mirror's checksum file, the fields of a compared results.json, a
 * cluster's messages) may carry terminal control sequences: ESC [ … (colours, cursor moves),
 * ESC ] 0; … BEL (the window title), a lone CR that overwrites a line. Every C0 control except
 * newline and tab, DEL, and the C1 controls (U+0080–U+009F; U+009B is a one-character CSI) are
 * shown as \xNN instead. Used by the CLI's out/err (run-cli.ts) and by the run's console writers
 * in the Playwright process (results reporter, progress lines, step lists).
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

export function terminalSafe(text: string): string {
  return text.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
