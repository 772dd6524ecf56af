/**
 * ANSI styling for the table format, and the decision whether to use it.
 * Every styling function is the identity when colour is off, so the renderers never branch on it.
 */
import type { AnswerVerdict, ControlStatus, Severity } from '../domain/index.js';

/**
 * Whether to colour output written to `stream`, following the conventions users already set:
 * - `FORCE_COLOR` set to anything but `0`/`false` forces colour on, even into a pipe (as Node does,
 *   it takes precedence over `NO_COLOR`); `FORCE_COLOR=0` forces it off;
 * - otherwise `NO_COLOR` with any non-empty value turns colour off (https://no-color.org);
 * - otherwise colour only on a TTY whose `TERM` is not `dumb`.
 */
export function shouldUseColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  const force = env['FORCE_COLOR'];
  if (force !== undefined) return !['0', 'false'].includes(force.trim().toLowerCase());
  const noColor = env['NO_COLOR'];
  if (noColor !== undefined && noColor !== '') return false;
  if (stream.isTTY !== true) return false;
  return env['TERM'] !== 'dumb';
}

type Paint = (text: string) => string;

export interface Style {
  readonly bold: Paint;
  readonly dim: Paint;
  readonly red: Paint;
  readonly green: Paint;
  readonly yellow: Paint;
  readonly cyan: Paint;
  readonly severity: (severity: Severity, text: string) => string;
  readonly verdict: (verdict: AnswerVerdict, text: string) => string;
  readonly status: (status: ControlStatus, text: string) => string;
}

function sgr(open: string, close: string, enabled: boolean): Paint {
  return enabled ? (text) => `\u001b[${open}m${text}\u001b[${close}m` : (text) => text;
}

export function createStyle(color: boolean): Style {
  const bold = sgr('1', '22', color);
  const dim = sgr('2', '22', color);
  const red = sgr('31', '39', color);
  const green = sgr('32', '39', color);
  const yellow = sgr('33', '39', color);
  const cyan = sgr('36', '39', color);
  const magenta = sgr('35', '39', color);
  const severityPaint: Readonly<Record<Severity, Paint>> = {
    critical: (t) => bold(magenta(t)),
    high: red,
    medium: yellow,
    low: cyan,
    info: dim,
  };
  const verdictPaint: Readonly<Record<AnswerVerdict, Paint>> = { good: green, weak: yellow, bad: red, unknown: dim };
  const statusPaint: Readonly<Record<ControlStatus, Paint>> = {
    pass: green,
    fail: red,
    partial: yellow,
    'needs-attestation': cyan,
    'needs-evidence': cyan,
    'not-applicable': dim,
  };
  return {
    bold,
    dim,
    red,
    green,
    yellow,
    cyan,
    severity: (severity, text) => severityPaint[severity](text),
    verdict: (verdict, text) => verdictPaint[verdict](text),
    status: (status, text) => statusPaint[status](text),
  };
}

/** A text progress bar of `width` cells for a 0–100 value. */
export function textBar(percent: number, width: number): string {
  const clamped = Math.max(0, Math.min(100, Number.isFinite(percent) ? percent : 0));
  const filled = Math.round((clamped / 100) * width);
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}

const SGR = /\u001b\[[0-9;]*m/y;

/**
 * Cuts a line with our own SGR colour codes to `width` visible columns, ending in an ellipsis
 * and a colour reset when it was cut. Data was sanitised before, so the only escape sequences
 * left are the ones createStyle added.
 */
export function clipLine(line: string, width: number): string {
  let visible = 0;
  for (const _ of line.replace(/\u001b\[[0-9;]*m/g, '')) visible += 1;
  if (visible <= width) return line;
  let out = '';
  let count = 0;
  let i = 0;
  let coloured = false;
  while (i < line.length && count < width - 1) {
    SGR.lastIndex = i;
    const match = SGR.exec(line);
    if (match !== null) {
      out += match[0];
      coloured = true;
      i += match[0].length;
      continue;
    }
    const ch = String.fromCodePoint(line.codePointAt(i) ?? 0);
    out += ch;
    i += ch.length;
    count += 1;
  }
  return `${out}…${coloured ? '\u001b[0m' : ''}`;
}
