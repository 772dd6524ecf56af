/**
 * Escaping for every output format.
 *
 * Threat assumption: every string that comes from the workspace or from a scanned file or probed
 * server (asset names, paths, messages, evidence, reasons) is attacker-controlled. A hostile file
 * name must not run script in the HTML report, break out of a Markdown table, ping people through
 * an @mention in a pull-request comment, or move the cursor / rewrite the screen of the terminal
 * that prints the table report.
 */

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/**
 * Escapes text for HTML element content and quoted attribute values alike. Control characters
 * (other than line breaks and tabs) and bidirectional overrides are made visible as `\xNN` /
 * `\u{NNNN}`, so a hostile path cannot hide or reorder what the reviewer reads.
 */
export function escapeHtml(value: string): string {
  return value.replace(UNSAFE_HTML, visibleEscape).replace(/[&<>"'`]/g, (ch) => HTML_ESCAPES[ch] ?? ch);
}

/**
 * Control characters that can change what a terminal shows: C0 (ESC starts ANSI sequences, CR
 * overwrites a line, BS erases), DEL, C1 (CSI 0x9b is a one-byte escape on some terminals) and
 * the Unicode bidirectional overrides that reorder text ("Trojan Source").
 */
const UNSAFE_TERMINAL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Makes an untrusted string safe to print on a terminal on one line: newlines and tabs become
 * spaces, other control characters are shown as visible `\xNN` / `\u{NNNN}` escapes so a reader
 * can see that something odd was there instead of having it silently removed.
 */
export function sanitizeTerminal(value: string): string {
  return value.replace(UNSAFE_TERMINAL, (ch) => (ch === '\n' || ch === '\r' || ch === '\t' ? ' ' : visibleEscape(ch)));
}

function visibleEscape(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
}

// The same set minus TAB, LF and CR, which HTML renders as white space.
const UNSAFE_HTML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Escapes untrusted text for GitHub-flavoured Markdown, inside or outside a table cell: every
 * character that starts markup (emphasis, code, links, images, headings, HTML, tables) is
 * backslash-escaped or entity-encoded, line breaks become spaces so a table row cannot be split,
 * and a zero-width space after `@` stops GitHub from turning `@someone` into a notification.
 */
export function escapeMarkdown(value: string): string {
  return (
    sanitizeTerminal(value)
      // Inline markup anywhere: escapes, code spans, emphasis, links/images, table pipes, strikethrough.
      .replace(/[\\`*_[\]|~]/g, (ch) => `\\${ch}`)
      // Entities first so the ones we add below are not double-escaped; raw HTML never survives.
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      // Block markup only matters at the start of the text (headings, lists, setext underlines).
      .replace(/^[#+\-=]/, (m) => `\\${m}`)
      .replace(/^(\d+)([.)])/, '$1\\$2')
      .replace(/@/g, '@\u200b')
  );
}

/** Number of terminal columns a string takes, counting code points (good enough for our text). */
export function displayWidth(value: string): number {
  let width = 0;
  for (const _ of value) width += 1;
  return width;
}

/** Cuts a string to at most `max` columns, ending in an ellipsis when it was cut. */
export function truncate(value: string, max: number): string {
  if (max <= 0) return '';
  if (displayWidth(value) <= max) return value;
  const chars = Array.from(value);
  return `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/** Cuts a string to at most `max` columns keeping its end (a path's file name and line). */
export function truncateStart(value: string, max: number): string {
  if (max <= 0) return '';
  if (displayWidth(value) <= max) return value;
  const chars = Array.from(value);
  return `…${chars.slice(chars.length - Math.max(0, max - 1)).join('')}`;
}

export function padEnd(value: string, width: number): string {
  const gap = width - displayWidth(value);
  return gap > 0 ? value + ' '.repeat(gap) : value;
}

export function padStart(value: string, width: number): string {
  const gap = width - displayWidth(value);
  return gap > 0 ? ' '.repeat(gap) + value : value;
}
