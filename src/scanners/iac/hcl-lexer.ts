/**
 * Tokens of HCL2 native syntax (Terraform `.tf`), with line and column. The lexer is written for
 * hostile input: it is linear in the input, never recurses without a depth bound, and reports
 * malformed input as an `HclSyntaxError` with a line rather than looping or crashing.
 *
 * Template strings keep their source text: `"${var.x}-bucket"` becomes the string
 * `${var.x}-bucket` marked dynamic, because Warden never evaluates expressions.
 */

export type HclTokenType = 'ident' | 'number' | 'string' | 'heredoc' | 'punct' | 'newline' | 'eof';

export interface HclToken {
  readonly type: HclTokenType;
  /** Identifier, punctuation, number text, or the string's (unescaped) content. */
  readonly text: string;
  readonly line: number;
  readonly col: number;
  /** Offsets into the source, for raw expression text. */
  readonly start: number;
  readonly end: number;
  /** Template string or heredoc with `${…}` / `%{…}` interpolation. */
  readonly dynamic?: boolean;
}

export class HclSyntaxError extends Error {
  readonly line: number;
  constructor(message: string, line: number) {
    super(`${message} at line ${line}`);
    this.name = 'HclSyntaxError';
    this.line = line;
  }
}

const PUNCT3 = ['...'];
const PUNCT2 = ['==', '!=', '<=', '>=', '&&', '||', '=>', '::'];
const PUNCT1 = '{}[]()=,:.?!+-*/%<>~';
const MAX_INTERPOLATION_DEPTH = 32;
/** About five characters per token in real Terraform: 2M tokens covers a 5 MB file and bounds memory. */
export const MAX_HCL_TOKENS = 2_000_000;

function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c > 127;
}

function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57) || c === 45;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function tokenizeHcl(source: string, deadline = Number.POSITIVE_INFINITY): HclToken[] {
  const tokens: HclToken[] = [];
  const n = source.length;
  let i = 0;
  let line = 1;
  let lineStart = 0;

  const push = (type: HclTokenType, text: string, start: number, startLine: number, startCol: number, dynamic = false): void => {
    const token: HclToken = dynamic
      ? { type, text, line: startLine, col: startCol, start, end: i, dynamic }
      : { type, text, line: startLine, col: startCol, start, end: i };
    tokens.push(token);
  };

  let steps = 0;
  while (i < n) {
    steps += 1;
    if ((steps & 0xffff) === 0 && Date.now() > deadline) throw new HclSyntaxError('parse time limit exceeded', line);
    if (tokens.length > MAX_HCL_TOKENS) throw new HclSyntaxError(`more than ${MAX_HCL_TOKENS} tokens`, line);
    const c = source.charCodeAt(i);
    const col = i - lineStart + 1;
    // Whitespace other than newline.
    if (c === 32 || c === 9 || c === 13 || c === 0xfeff) {
      i += 1;
      continue;
    }
    if (c === 10) {
      i += 1;
      push('newline', '\n', i - 1, line, col);
      line += 1;
      lineStart = i;
      continue;
    }
    // Comments: `#`, `//` to end of line; `/* … */` across lines.
    if (c === 35 || (c === 47 && source.charCodeAt(i + 1) === 47)) {
      while (i < n && source.charCodeAt(i) !== 10) i += 1;
      continue;
    }
    if (c === 47 && source.charCodeAt(i + 1) === 42) {
      const close = source.indexOf('*/', i + 2);
      if (close < 0) throw new HclSyntaxError('unterminated block comment', line);
      for (let k = i; k < close; k += 1) {
        if (source.charCodeAt(k) === 10) {
          line += 1;
          lineStart = k + 1;
        }
      }
      i = close + 2;
      continue;
    }
    const start = i;
    const startLine = line;
    if (isIdentStart(c)) {
      i += 1;
      while (i < n && isIdentPart(source.charCodeAt(i))) i += 1;
      push('ident', source.slice(start, i), start, startLine, col);
      continue;
    }
    if (isDigit(c)) {
      i += 1;
      while (i < n && (isDigit(source.charCodeAt(i)) || source[i] === '.' || source[i] === 'e' || source[i] === 'E')) {
        // A dot only continues the number when a digit follows (`1.5`, not `foo[0].bar`).
        if (source[i] === '.' && !isDigit(source.charCodeAt(i + 1))) break;
        if ((source[i] === 'e' || source[i] === 'E') && (source[i + 1] === '+' || source[i + 1] === '-')) i += 1;
        i += 1;
      }
      push('number', source.slice(start, i), start, startLine, col);
      continue;
    }
    if (c === 34) {
      const result = scanQuoted(source, i + 1, startLine, 0);
      i = result.end;
      push('string', result.text, start, startLine, col, result.dynamic);
      continue;
    }
    if (c === 60 && source.charCodeAt(i + 1) === 60 && /[-A-Za-z_]/.test(source[i + 2] ?? '')) {
      const heredoc = scanHeredoc(source, i, startLine);
      if (heredoc !== undefined) {
        i = heredoc.end;
        push('heredoc', heredoc.text, start, startLine, col, heredoc.dynamic);
        line += heredoc.lines;
        lineStart = source.lastIndexOf('\n', i - 1) + 1;
        continue;
      }
    }
    const three = source.slice(i, i + 3);
    if (PUNCT3.includes(three)) {
      i += 3;
      push('punct', three, start, startLine, col);
      continue;
    }
    const two = source.slice(i, i + 2);
    if (PUNCT2.includes(two)) {
      i += 2;
      push('punct', two, start, startLine, col);
      continue;
    }
    if (PUNCT1.includes(source[i] as string)) {
      i += 1;
      push('punct', source[i - 1] as string, start, startLine, col);
      continue;
    }
    throw new HclSyntaxError(`unexpected character ${JSON.stringify(source[i])}`, line);
  }
  push('eof', '', i, line, i - lineStart + 1);
  return tokens;
}

interface Scanned {
  readonly text: string;
  readonly end: number;
  readonly dynamic: boolean;
}

/**
 * Scans a quoted template from just after the opening quote. Interpolations may hold nested
 * strings and braces (`"${lookup(m, "k", "}")}"`), so they are scanned recursively, bounded.
 */
function scanQuoted(source: string, from: number, line: number, depth: number): Scanned {
  if (depth > MAX_INTERPOLATION_DEPTH) throw new HclSyntaxError('interpolation nested too deeply', line);
  let out = '';
  let dynamic = false;
  let i = from;
  const n = source.length;
  while (i < n) {
    const ch = source[i] as string;
    if (ch === '"') return { text: out, end: i + 1, dynamic };
    if (ch === '\n') throw new HclSyntaxError('unterminated string', line);
    if (ch === '\\') {
      const next = source[i + 1] ?? '';
      const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\' };
      if (next in simple) {
        out += simple[next];
        i += 2;
        continue;
      }
      if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(source.slice(i + 2, i + 6))) {
        out += String.fromCharCode(Number.parseInt(source.slice(i + 2, i + 6), 16));
        i += 6;
        continue;
      }
      out += ch;
      i += 1;
      continue;
    }
    if ((ch === '$' || ch === '%') && source[i + 1] === '{') {
      // `$${` and `%%{` are escapes for a literal `${` / `%{`.
      if (source[i - 1] === ch && out.endsWith(ch)) {
        out += '{';
        i += 2;
        continue;
      }
      const end = scanInterpolation(source, i + 2, line, depth + 1);
      out += source.slice(i, end);
      dynamic = true;
      i = end;
      continue;
    }
    out += ch;
    i += 1;
  }
  throw new HclSyntaxError('unterminated string', line);
}

/** Returns the offset just after the `}` closing an interpolation that starts at `from`. */
function scanInterpolation(source: string, from: number, line: number, depth: number): number {
  let braces = 1;
  let i = from;
  const n = source.length;
  while (i < n) {
    const ch = source[i];
    if (ch === '"') {
      i = scanQuoted(source, i + 1, line, depth).end;
      continue;
    }
    if (ch === '{') braces += 1;
    else if (ch === '}') {
      braces -= 1;
      if (braces === 0) return i + 1;
    }
    i += 1;
  }
  throw new HclSyntaxError('unterminated interpolation', line);
}

interface ScannedHeredoc extends Scanned {
  readonly lines: number;
}

/** `<<EOF` / `<<-EOF` up to a line holding only the marker; `<<-` strips common indentation. */
function scanHeredoc(source: string, from: number, line: number): ScannedHeredoc | undefined {
  const header = /^<<(-?)([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n/.exec(source.slice(from, from + 256));
  if (header === null) return undefined;
  const indent = header[1] === '-';
  const marker = header[2] as string;
  let i = from + header[0].length;
  const body: string[] = [];
  let lines = 1;
  while (i <= source.length) {
    let eol = source.indexOf('\n', i);
    if (eol < 0) eol = source.length;
    const raw = source.slice(i, eol).replace(/\r$/, '');
    if (raw.trim() === marker) {
      const text = indent ? stripIndent(body) : body.join('\n');
      return { text, end: eol, dynamic: /(^|[^$])\$\{|(^|[^%])%\{/.test(text), lines };
    }
    body.push(raw);
    lines += 1;
    if (eol >= source.length) break;
    i = eol + 1;
  }
  throw new HclSyntaxError(`unterminated heredoc ${marker}`, line);
}

function stripIndent(lines: readonly string[]): string {
  let min = Number.POSITIVE_INFINITY;
  for (const l of lines) {
    if (l.trim() === '') continue;
    const lead = /^[ \t]*/.exec(l)?.[0].length ?? 0;
    min = Math.min(min, lead);
  }
  if (!Number.isFinite(min)) min = 0;
  return lines.map((l) => l.slice(min)).join('\n');
}
