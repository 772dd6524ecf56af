/**
 * YAML (and JSON, which we read with the same parser so it keeps line numbers) into `IacNode`s.
 *
 * Threat assumptions: the text is attacker-controlled. Alias expansion ("billion laughs") is
 * bounded by a node budget and an alias budget, since we walk the AST ourselves instead of calling
 * `toJS` (whose `maxAliasCount` option would otherwise be the guard, and which we never call);
 * self-referencing aliases are bounded by depth. CloudFormation short-form intrinsics (`!Ref`, `!Sub`, `!GetAtt` …) are
 * registered as tags and become unknown expressions.
 */
import { LineCounter, isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments } from 'yaml';
import type { Document, Node as YamlNode, ParsedNode, Tags } from 'yaml';
import { MAX_EXPR_TEXT, scalar } from './iac-model.js';
import type { IacEntry, IacNode } from './iac-model.js';

export class YamlLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'YamlLimitError';
  }
}

export interface YamlDocument {
  /** Undefined for an empty document (`---` alone). */
  readonly node: IacNode | undefined;
  readonly line: number;
}

export interface YamlParseResult {
  readonly documents: readonly YamlDocument[];
  /** First syntax error per document, with its line; empty when the text parsed. */
  readonly errors: readonly string[];
}

export interface YamlParseOptions {
  /** Most IacNodes built for one file, counting every alias expansion. */
  readonly maxNodes?: number;
  /** Most alias dereferences in one file. */
  readonly maxAliases?: number;
  /** Mark strings holding `${…}` as dynamic (Terraform JSON syntax). */
  readonly templateStrings?: boolean;
}

const MAX_DEPTH = 256;

/** CloudFormation short-form intrinsic function tags (AWS CloudFormation User Guide, "Intrinsic function reference"). */
const CFN_INTRINSICS = [
  'And', 'Base64', 'Cidr', 'Condition', 'Equals', 'FindInMap', 'GetAtt', 'GetAZs', 'If', 'ImportValue', 'Join',
  'Not', 'Or', 'Ref', 'Select', 'Split', 'Sub', 'Transform', 'ToJsonString', 'Length',
] as const;

// Each tag is registered for scalars, sequences and maps and resolves to the node itself, so the
// AST keeps the tag and its argument; we turn it into an expression while converting.
const CFN_TAGS: Tags = CFN_INTRINSICS.flatMap((name) => [
  { tag: `!${name}`, resolve: (value: string) => value },
  { tag: `!${name}`, collection: 'seq' as const, resolve: (value: unknown) => value },
  { tag: `!${name}`, collection: 'map' as const, resolve: (value: unknown) => value },
]) as unknown as Tags;

export function parseYaml(text: string, options: YamlParseOptions = {}): YamlParseResult {
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, {
    lineCounter,
    // Building the tag table costs time per parse; only CloudFormation short forms need it.
    ...(text.includes('!') && { customTags: CFN_TAGS }),
    uniqueKeys: false,
    merge: false,
    prettyErrors: false,
  });
  const converter = new Converter(lineCounter, options);
  const documents: YamlDocument[] = [];
  const errors: string[] = [];
  for (const doc of parsed as Iterable<Document.Parsed>) {
    const error = doc.errors[0];
    if (error !== undefined) {
      const at = lineCounter.linePos(error.pos[0]).line;
      errors.push(`${firstLine(error.message)} (line ${at})`);
      continue;
    }
    const contents = doc.contents as ParsedNode | null;
    const line = contents?.range === undefined ? 1 : lineCounter.linePos(contents.range[0]).line;
    const node = contents === null ? undefined : converter.convert(contents, doc, 0);
    // An empty document (a trailing `---`) parses as a null scalar: it holds nothing.
    documents.push({ node: node?.kind === 'scalar' && node.value === null ? undefined : node, line });
  }
  return { documents, errors };
}

function firstLine(message: string): string {
  const cut = message.indexOf('\n');
  return cut < 0 ? message : message.slice(0, cut);
}

class Converter {
  readonly #lines: LineCounter;
  readonly #templateStrings: boolean;
  #nodesLeft: number;
  #aliasesLeft: number;

  constructor(lines: LineCounter, options: YamlParseOptions) {
    this.#lines = lines;
    this.#templateStrings = options.templateStrings === true;
    this.#nodesLeft = options.maxNodes ?? 2_000_000;
    this.#aliasesLeft = options.maxAliases ?? 10_000;
  }

  #lineOf(node: YamlNode | null | undefined, fallback: number): number {
    const start = node?.range?.[0];
    return start === undefined ? fallback : this.#lines.linePos(start).line;
  }

  convert(node: unknown, doc: Document.Parsed, depth: number, fallbackLine = 1): IacNode {
    if (depth > MAX_DEPTH) throw new YamlLimitError(`YAML nested deeper than ${MAX_DEPTH} levels (or a self-referencing alias)`);
    this.#nodesLeft -= 1;
    if (this.#nodesLeft < 0) throw new YamlLimitError('YAML expands to too many nodes (alias expansion bomb?)');
    if (isAlias(node)) {
      this.#aliasesLeft -= 1;
      if (this.#aliasesLeft < 0) throw new YamlLimitError('too many YAML alias references');
      const target = node.resolve(doc);
      if (target === undefined) return scalar(null, this.#lineOf(node, fallbackLine));
      return this.convert(target, doc, depth + 1, this.#lineOf(node, fallbackLine));
    }
    const yamlNode = node as YamlNode;
    const line = this.#lineOf(yamlNode, fallbackLine);
    const tag = typeof (yamlNode as { tag?: unknown }).tag === 'string' ? (yamlNode as { tag: string }).tag : undefined;
    const intrinsic = tag !== undefined && tag.startsWith('!') && !tag.startsWith('!!') ? tag.slice(1) : undefined;
    let out: IacNode;
    if (isScalar(node)) {
      out = this.#scalar(node.value, line);
    } else if (isSeq(node)) {
      out = { kind: 'list', line, items: node.items.map((item) => this.convert(item, doc, depth + 1, line)) };
    } else if (isMap(node)) {
      out = { kind: 'map', line, entries: this.#entries(node.items, doc, depth, line) };
    } else {
      out = scalar(null, line);
    }
    if (intrinsic === undefined) return out;
    const fn = intrinsic === 'Ref' || intrinsic === 'Condition' ? intrinsic : `Fn::${intrinsic}`;
    const text = `!${intrinsic} ${out.kind === 'scalar' ? String(out.value) : '...'}`;
    return { kind: 'expr', line, fn, args: [out], text: text.slice(0, MAX_EXPR_TEXT) };
  }

  #scalar(value: unknown, line: number): IacNode {
    if (value === null || value === undefined) return scalar(null, line);
    if (typeof value === 'string') {
      const dynamic = this.#templateStrings && value.includes('${');
      return scalar(value, line, dynamic);
    }
    if (typeof value === 'number' || typeof value === 'boolean') return scalar(value, line);
    if (typeof value === 'bigint') return scalar(Number(value), line);
    return scalar(String(value), line);
  }

  /**
   * Map entries. Merge keys (`<<: *defaults`, common in compose files) are expanded by hand:
   * merged entries go first so explicit keys, which come later, win in `field()`.
   */
  #entries(items: readonly unknown[], doc: Document.Parsed, depth: number, line: number): IacEntry[] {
    const merged: IacEntry[] = [];
    const explicit: IacEntry[] = [];
    for (const pair of items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key as YamlNode | null;
      const keyLine = this.#lineOf(keyNode, line);
      const key = isScalar(keyNode) ? String(keyNode.value) : undefined;
      if (key === undefined) continue;
      const value = this.convert(pair.value, doc, depth + 1, keyLine);
      if (key === '<<') {
        const sources = value.kind === 'list' ? value.items : [value];
        for (const source of sources) if (source.kind === 'map') merged.push(...source.entries);
        continue;
      }
      explicit.push({ key, line: keyLine, value });
    }
    return merged.length === 0 ? explicit : [...merged, ...explicit];
  }
}
