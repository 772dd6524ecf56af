/**
 * A small JSON parser that remembers the line of every string, so that a secret found inside a
 * notebook cell can be reported at its line in the file on disk as well as its line in the cell.
 * (JSON.parse loses positions.) Strings cannot hold raw newlines in JSON, so a string's line is the
 * line it starts on. Bounded: nesting depth is capped, and the caller caps the input size.
 */

export type JsonNode =
  | { readonly t: 'object'; readonly entries: ReadonlyMap<string, JsonNode> }
  | { readonly t: 'array'; readonly items: readonly JsonNode[] }
  | { readonly t: 'string'; readonly value: string; readonly line: number }
  | { readonly t: 'other'; readonly value: number | boolean | null };

const MAX_DEPTH = 256;

export class JsonPositionError extends Error {}

export function parseJsonWithLines(text: string): JsonNode {
  let pos = 0;
  let line = 1;

  const fail = (what: string): never => {
    throw new JsonPositionError(`${what} at line ${line}`);
  };

  const skipWhitespace = (): void => {
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c === 10) line += 1;
      else if (c !== 32 && c !== 9 && c !== 13) return;
      pos += 1;
    }
  };

  const parseString = (): string => {
    // pos is at the opening quote.
    const start = pos;
    let i = pos + 1;
    let escaped = false;
    for (;;) {
      const quote = text.indexOf('"', i);
      if (quote < 0) fail('unterminated string');
      const backslash = text.indexOf('\\', i);
      if (backslash >= 0 && backslash < quote) {
        escaped = true;
        i = backslash + 2;
        continue;
      }
      i = quote;
      break;
    }
    pos = i + 1;
    const raw = text.slice(start, pos);
    if (!escaped) {
      const body = raw.slice(1, -1);
      // Raw control characters are invalid JSON; let JSON.parse reject them.
      if (!/[\u0000-\u001f]/.test(body)) return body;
    }
    const value: unknown = JSON.parse(raw);
    return value as string;
  };

  const parseValue = (depth: number): JsonNode => {
    if (depth > MAX_DEPTH) fail('nesting too deep');
    skipWhitespace();
    const c = text[pos];
    if (c === '"') {
      const at = line;
      return { t: 'string', value: parseString(), line: at };
    }
    if (c === '{') {
      pos += 1;
      const entries = new Map<string, JsonNode>();
      skipWhitespace();
      if (text[pos] === '}') {
        pos += 1;
        return { t: 'object', entries };
      }
      for (;;) {
        skipWhitespace();
        if (text[pos] !== '"') fail('expected a key');
        const key = parseString();
        skipWhitespace();
        if (text[pos] !== ':') fail('expected ":"');
        pos += 1;
        entries.set(key, parseValue(depth + 1));
        skipWhitespace();
        if (text[pos] === ',') {
          pos += 1;
          continue;
        }
        if (text[pos] === '}') {
          pos += 1;
          return { t: 'object', entries };
        }
        fail('expected "," or "}"');
      }
    }
    if (c === '[') {
      pos += 1;
      const items: JsonNode[] = [];
      skipWhitespace();
      if (text[pos] === ']') {
        pos += 1;
        return { t: 'array', items };
      }
      for (;;) {
        items.push(parseValue(depth + 1));
        skipWhitespace();
        if (text[pos] === ',') {
          pos += 1;
          continue;
        }
        if (text[pos] === ']') {
          pos += 1;
          return { t: 'array', items };
        }
        fail('expected "," or "]"');
      }
    }
    const literal = /^(?:-?(?:0|[1-9][0-9]{0,400})(?:\.[0-9]{1,400})?(?:[eE][+-]?[0-9]{1,6})?|true|false|null)/.exec(text.slice(pos, pos + 820));
    if (literal === null) fail('unexpected character');
    const token = (literal as RegExpExecArray)[0];
    pos += token.length;
    return { t: 'other', value: JSON.parse(token) as number | boolean | null };
  };

  if (text.charCodeAt(0) === 0xfeff) pos = 1;
  const root = parseValue(0);
  skipWhitespace();
  if (pos < text.length) fail('trailing characters');
  return root;
}

export function member(node: JsonNode | undefined, key: string): JsonNode | undefined {
  return node?.t === 'object' ? node.entries.get(key) : undefined;
}

/** A notebook text field: a string, or an array of strings (nbformat's "multiline string"). */
export interface TextPiece {
  readonly value: string;
  readonly line: number;
}

export function textPieces(node: JsonNode | undefined): TextPiece[] {
  if (node === undefined) return [];
  if (node.t === 'string') return [{ value: node.value, line: node.line }];
  if (node.t === 'array') {
    const pieces: TextPiece[] = [];
    for (const item of node.items) if (item.t === 'string') pieces.push({ value: item.value, line: item.line });
    return pieces;
  }
  return [];
}
