/**
 * A small, bounded, tolerant parser for HCL2 native syntax: enough of Terraform to read resource,
 * data, variable, locals and module blocks with line numbers. Literals (strings, numbers, bools,
 * null, tuples, objects, heredocs) become values; everything else (references, operators,
 * conditionals, `for` expressions) is kept as raw text, and function calls keep their arguments so
 * `jsonencode({...})` policies can be read.
 *
 * Tolerance: a statement that does not parse is recorded as an error and the parser resumes at the
 * next top-level block (a keyword in column 1), so one odd construct does not hide a whole file.
 * Bounds: nesting depth, expression text length and a wall-clock deadline.
 */
import { HclSyntaxError, tokenizeHcl } from './hcl-lexer.js';
import type { HclToken } from './hcl-lexer.js';
import { MAX_EXPR_TEXT, scalar } from './iac-model.js';
import type { IacEntry, IacExpr, IacMap, IacNode } from './iac-model.js';

export interface HclBlock {
  readonly type: string;
  readonly labels: readonly string[];
  readonly line: number;
  readonly body: IacMap;
}

export interface HclParseError {
  readonly message: string;
  readonly line: number;
}

export interface HclFile {
  readonly blocks: readonly HclBlock[];
  /** Top-level attributes (rare in `.tf`, common in `.tfvars`). */
  readonly attributes: readonly IacEntry[];
  readonly errors: readonly HclParseError[];
}

const MAX_DEPTH = 100;
const TOP_LEVEL_KEYWORDS = new Set([
  'resource', 'data', 'variable', 'locals', 'module', 'output', 'provider', 'terraform', 'moved', 'import', 'check', 'removed',
]);

interface Body {
  readonly entries: IacEntry[];
  readonly blocks: HclBlock[];
}

export function parseHcl(source: string, options: { deadline?: number } = {}): HclFile {
  const deadline = options.deadline ?? Number.POSITIVE_INFINITY;
  return new HclParser(source, tokenizeHcl(source, deadline), deadline).parseFile();
}

class HclParser {
  readonly #src: string;
  readonly #tokens: readonly HclToken[];
  readonly #deadline: number;
  #pos = 0;
  #depth = 0;
  #steps = 0;

  constructor(src: string, tokens: readonly HclToken[], deadline: number) {
    this.#src = src;
    this.#tokens = tokens;
    this.#deadline = deadline;
  }

  parseFile(): HclFile {
    const blocks: HclBlock[] = [];
    const attributes: IacEntry[] = [];
    const errors: HclParseError[] = [];
    for (;;) {
      this.#skipNewlines();
      if (this.#peek().type === 'eof') break;
      const before = this.#pos;
      try {
        this.#statement({ entries: attributes, blocks });
      } catch (error) {
        if (!(error instanceof HclSyntaxError) || error.message.startsWith('parse time limit')) throw error;
        errors.push({ message: error.message, line: error.line });
        this.#recoverToTopLevel(before);
      }
    }
    return { blocks, attributes, errors };
  }

  // ---------------------------------------------------------------- token helpers

  #peek(k = 0): HclToken {
    return this.#tokens[Math.min(this.#pos + k, this.#tokens.length - 1)] as HclToken;
  }

  #next(): HclToken {
    const token = this.#peek();
    if (this.#pos < this.#tokens.length - 1) this.#pos += 1;
    this.#steps += 1;
    if ((this.#steps & 0xfff) === 0 && Date.now() > this.#deadline) {
      throw new HclSyntaxError('parse time limit exceeded', token.line);
    }
    return token;
  }

  #isPunct(text: string, k = 0): boolean {
    const token = this.#peek(k);
    return token.type === 'punct' && token.text === text;
  }

  #expectPunct(text: string): HclToken {
    const token = this.#next();
    if (token.type !== 'punct' || token.text !== text) {
      throw new HclSyntaxError(`expected "${text}" but found ${describe(token)}`, token.line);
    }
    return token;
  }

  #skipNewlines(): void {
    while (this.#peek().type === 'newline') this.#next();
  }

  #enter(line: number): void {
    this.#depth += 1;
    if (this.#depth > MAX_DEPTH) throw new HclSyntaxError('nesting too deep', line);
  }

  #leave(): void {
    this.#depth -= 1;
  }

  /** Skips to the next top-level keyword in column 1, so parsing resumes at a whole block. */
  #recoverToTopLevel(before: number): void {
    this.#depth = 0;
    if (this.#pos === before) this.#next();
    while (this.#peek().type !== 'eof') {
      const token = this.#peek();
      const prev = this.#tokens[this.#pos - 1];
      if (token.type === 'ident' && token.col === 1 && TOP_LEVEL_KEYWORDS.has(token.text) && prev?.type === 'newline') return;
      this.#next();
    }
  }

  #raw(start: number, end: number): string {
    const text = this.#src.slice(start, end);
    return text.length > MAX_EXPR_TEXT ? `${text.slice(0, MAX_EXPR_TEXT)}...` : text;
  }

  // ---------------------------------------------------------------- bodies

  #statement(into: Body): void {
    const head = this.#next();
    if (head.type !== 'ident' && head.type !== 'string') {
      throw new HclSyntaxError(`expected an attribute or block but found ${describe(head)}`, head.line);
    }
    if (this.#isPunct('=') || (this.#isPunct(':') && head.type === 'ident')) {
      this.#next();
      const value = this.#expr(true);
      this.#endOfStatement();
      into.entries.push({ key: head.text, line: head.line, value });
      return;
    }
    const labels: string[] = [];
    while (this.#peek().type === 'string' || this.#peek().type === 'ident') labels.push(this.#next().text);
    this.#expectPunct('{');
    this.#enter(head.line);
    const body = this.#body();
    this.#leave();
    this.#expectPunct('}');
    this.#endOfStatement();
    into.blocks.push({ type: head.text, labels, line: head.line, body: toMap(body, head.line) });
  }

  #endOfStatement(): void {
    const token = this.#peek();
    if (token.type === 'newline' || token.type === 'eof' || (token.type === 'punct' && token.text === '}')) return;
    throw new HclSyntaxError(`unexpected ${describe(token)} after statement`, token.line);
  }

  #body(): Body {
    const body: Body = { entries: [], blocks: [] };
    for (;;) {
      this.#skipNewlines();
      const token = this.#peek();
      if (token.type === 'eof') throw new HclSyntaxError('unterminated block', token.line);
      if (token.type === 'punct' && token.text === '}') return body;
      this.#statement(body);
    }
  }

  // ---------------------------------------------------------------- expressions

  /**
   * One expression. `newlineEnds` is true in bodies and objects, where a newline ends an
   * expression, and false inside tuples, calls and parentheses, where HCL ignores newlines.
   */
  #expr(newlineEnds: boolean): IacNode {
    const first = this.#peek();
    this.#enter(first.line);
    try {
      const operand = this.#operand();
      // Inside (), [] and call arguments newlines are insignificant: `f(<<EOF … EOF\n)`.
      if (!newlineEnds) this.#skipNewlines();
      if (operand !== undefined && this.#atTerminator(newlineEnds)) return operand;
      // Only a unary operator may start an expression that is not an operand.
      if (operand === undefined && (this.#atTerminator(newlineEnds) || !(first.type === 'punct' && (first.text === '!' || first.text === '-')))) {
        throw new HclSyntaxError(`expected an expression but found ${describe(first)}`, first.line);
      }
      // An operator, conditional or anything else we do not model: keep the source text.
      this.#consumeToTerminator(newlineEnds);
      const last = this.#tokens[this.#pos - 1] as HclToken;
      return { kind: 'expr', line: first.line, text: this.#raw(first.start, Math.max(last.end, first.start)) };
    } finally {
      this.#leave();
    }
  }

  #atTerminator(newlineEnds: boolean): boolean {
    const token = this.#peek();
    if (token.type === 'eof') return true;
    if (token.type === 'newline') return newlineEnds;
    return token.type === 'punct' && [',', ')', ']', '}'].includes(token.text);
  }

  #consumeToTerminator(newlineEnds: boolean): void {
    let depth = 0;
    for (;;) {
      const token = this.#peek();
      if (token.type === 'eof') {
        if (depth > 0) throw new HclSyntaxError('unterminated expression', token.line);
        return;
      }
      if (depth === 0 && this.#atTerminator(newlineEnds)) return;
      if (token.type === 'punct') {
        if (token.text === '(' || token.text === '[' || token.text === '{') depth += 1;
        else if (token.text === ')' || token.text === ']' || token.text === '}') depth -= 1;
      }
      this.#next();
    }
  }

  /** An operand, or undefined (nothing consumed) when the expression starts with an operator. */
  #operand(): IacNode | undefined {
    const token = this.#peek();
    let node: IacNode | undefined;
    if (token.type === 'number') {
      this.#next();
      node = scalar(Number(token.text), token.line);
    } else if (token.type === 'string' || token.type === 'heredoc') {
      this.#next();
      node = scalar(token.text, token.line, token.dynamic === true);
    } else if (token.type === 'punct' && token.text === '-' && this.#peek(1).type === 'number') {
      this.#next();
      const value = this.#next();
      node = scalar(-Number(value.text), token.line);
    } else if (token.type === 'ident') {
      node = this.#identOperand();
    } else if (token.type === 'punct' && token.text === '[') {
      node = this.#tuple();
    } else if (token.type === 'punct' && token.text === '{') {
      node = this.#object();
    } else if (token.type === 'punct' && token.text === '(') {
      this.#next();
      this.#skipNewlines();
      this.#expr(false);
      this.#skipNewlines();
      this.#expectPunct(')');
      node = { kind: 'expr', line: token.line, text: this.#raw(token.start, this.#lastEnd()) };
    } else {
      return undefined;
    }
    return this.#postfix(node, token);
  }

  /** Attribute access, indexing and splats after an operand turn it into a raw reference. */
  #postfix(node: IacNode, first: HclToken): IacNode {
    let extended = false;
    for (;;) {
      if (this.#isPunct('.') && (this.#peek(1).type === 'ident' || this.#peek(1).type === 'number' || this.#isPunct('*', 1))) {
        this.#next();
        this.#next();
        extended = true;
      } else if (this.#isPunct('[')) {
        this.#next();
        this.#skipNewlines();
        if (this.#isPunct('*')) this.#next();
        else this.#expr(false);
        this.#skipNewlines();
        this.#expectPunct(']');
        extended = true;
      } else {
        break;
      }
    }
    if (!extended) return node;
    return { kind: 'expr', line: first.line, text: this.#raw(first.start, this.#lastEnd()) };
  }

  #lastEnd(): number {
    return (this.#tokens[this.#pos - 1] as HclToken).end;
  }

  #identOperand(): IacNode {
    const token = this.#next();
    if (token.text === 'true' || token.text === 'false') return scalar(token.text === 'true', token.line);
    if (token.text === 'null') return scalar(null, token.line);
    // Provider-defined functions: provider::NAME::FUNCTION(...).
    let name = token.text;
    while (this.#isPunct('::') && this.#peek(1).type === 'ident') {
      this.#next();
      name += `::${this.#next().text}`;
    }
    if (this.#isPunct('(')) return this.#call(name, token);
    return { kind: 'expr', line: token.line, text: this.#raw(token.start, this.#lastEnd()) };
  }

  #call(name: string, first: HclToken): IacExpr {
    this.#expectPunct('(');
    const args: IacNode[] = [];
    for (;;) {
      this.#skipNewlines();
      if (this.#isPunct(')')) break;
      args.push(this.#expr(false));
      this.#skipNewlines();
      if (this.#isPunct('...')) this.#next();
      this.#skipNewlines();
      if (this.#isPunct(',')) {
        this.#next();
        continue;
      }
      if (this.#isPunct(')')) break;
      throw new HclSyntaxError(`expected "," or ")" in call to ${name}`, this.#peek().line);
    }
    this.#expectPunct(')');
    return { kind: 'expr', line: first.line, text: this.#raw(first.start, this.#lastEnd()), fn: name, args };
  }

  #balancedRaw(open: HclToken, close: string): IacExpr {
    let depth = 0;
    for (;;) {
      const token = this.#next();
      if (token.type === 'eof') throw new HclSyntaxError('unterminated expression', open.line);
      if (token.type !== 'punct') continue;
      if (token.text === '(' || token.text === '[' || token.text === '{') depth += 1;
      else if (token.text === ')' || token.text === ']' || token.text === '}') {
        depth -= 1;
        if (depth === 0) {
          if (token.text !== close) throw new HclSyntaxError(`mismatched "${token.text}"`, token.line);
          break;
        }
      }
    }
    return { kind: 'expr', line: open.line, text: this.#raw(open.start, this.#lastEnd()) };
  }

  #tuple(): IacNode {
    const open = this.#peek();
    let k = 1;
    while (this.#peek(k).type === 'newline') k += 1;
    if (this.#peek(k).type === 'ident' && this.#peek(k).text === 'for') return this.#balancedRaw(open, ']');
    this.#next();
    const items: IacNode[] = [];
    for (;;) {
      this.#skipNewlines();
      if (this.#isPunct(']')) break;
      items.push(this.#expr(false));
      this.#skipNewlines();
      if (this.#isPunct(',')) {
        this.#next();
        continue;
      }
      if (this.#isPunct(']')) break;
      throw new HclSyntaxError(`expected "," or "]" in list`, this.#peek().line);
    }
    this.#expectPunct(']');
    return { kind: 'list', line: open.line, items };
  }

  #object(): IacNode {
    const open = this.#peek();
    let k = 1;
    while (this.#peek(k).type === 'newline') k += 1;
    if (this.#peek(k).type === 'ident' && this.#peek(k).text === 'for') return this.#balancedRaw(open, '}');
    this.#next();
    const entries: IacEntry[] = [];
    for (;;) {
      this.#skipNewlines();
      if (this.#isPunct('}')) break;
      const keyToken = this.#peek();
      let key: string;
      if (keyToken.type === 'ident' || keyToken.type === 'string' || keyToken.type === 'number') {
        this.#next();
        key = keyToken.text;
        // Keys may be references (`var.name = …` is invalid, but `(var.name)` and `a.b` appear in the wild).
        while (this.#isPunct('.') && this.#peek(1).type === 'ident') {
          this.#next();
          key += `.${this.#next().text}`;
        }
      } else if (keyToken.type === 'punct' && keyToken.text === '(') {
        this.#next();
        this.#expr(false);
        this.#expectPunct(')');
        key = this.#raw(keyToken.start, this.#lastEnd());
      } else {
        throw new HclSyntaxError(`expected an object key but found ${describe(keyToken)}`, keyToken.line);
      }
      if (!this.#isPunct('=') && !this.#isPunct(':')) {
        throw new HclSyntaxError(`expected "=" or ":" after object key ${key}`, this.#peek().line);
      }
      this.#next();
      this.#skipNewlines();
      const value = this.#expr(true);
      entries.push({ key, line: keyToken.line, value });
      if (this.#isPunct(',')) this.#next();
      else if (!this.#isPunct('}') && this.#peek().type !== 'newline') {
        throw new HclSyntaxError(`expected "," or "}" in object`, this.#peek().line);
      }
    }
    this.#expectPunct('}');
    return { kind: 'map', line: open.line, entries };
  }
}

/**
 * A block body as a map: attributes are entries, nested blocks of one type are collected into a
 * list under that type (the shape `terraform show -json` uses), and `dynamic "x" { content {…} }`
 * counts as an `x` block whose values are unknown.
 */
function toMap(body: Body, line: number): IacMap {
  const entries: IacEntry[] = [...body.entries];
  const grouped = new Map<string, { line: number; items: IacNode[] }>();
  for (const block of body.blocks) {
    let type = block.type;
    let content: IacMap = block.body;
    if (type === 'dynamic' && block.labels.length > 0) {
      type = block.labels[0] as string;
      const inner = block.body.entries.find((e) => e.key === 'content');
      if (inner?.value.kind === 'list' && inner.value.items[0]?.kind === 'map') content = inner.value.items[0];
    }
    const group = grouped.get(type);
    if (group === undefined) grouped.set(type, { line: block.line, items: [content] });
    else group.items.push(content);
  }
  for (const [key, group] of grouped) {
    entries.push({ key, line: group.line, value: { kind: 'list', line: group.line, items: group.items } });
  }
  return { kind: 'map', line, entries };
}

function describe(token: HclToken): string {
  if (token.type === 'eof') return 'end of file';
  if (token.type === 'newline') return 'end of line';
  if (token.type === 'string') return 'a string';
  return `"${token.text}"`;
}
