/**
 * Reading `warden.yaml`. The file is the user's, so every problem is reported with the file,
 * line, column and field path, all at once (fixing one error per run is a poor experience), and
 * nothing is written when the file is invalid.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import jsYaml from 'js-yaml';
import { LineCounter, isMap, isNode, isPair, isScalar, parseDocument } from 'yaml';
import type { Document } from 'yaml';
import { WardenError, workspaceSchema } from '../domain/index.js';
import type { Workspace } from '../domain/index.js';
import { checkWorkspaceFiles } from './workspace-files.js';
import { crossCheckWorkspace } from './workspace-references.js';
import type { ReferenceProblem } from './workspace-references.js';

export const WORKSPACE_FILE_NAMES = ['warden.yaml', 'warden.yml'] as const;
/** A governance file is small; anything larger is a mistake or an attack on the parser. */
const MAX_WORKSPACE_BYTES = 256 * 1024 * 1024;

export interface LoadedWorkspace {
  readonly workspace: Workspace;
  /** Absolute folder holding the workspace file. */
  readonly dir: string;
  /** Absolute path of the workspace file. */
  readonly file: string;
  /** sha256 of the file's bytes: ties an assessment run to the exact declarations it used. */
  readonly digest: string;
  /** Line of each asset's declaration, so findings about an asset can point at it. */
  readonly assetLines: ReadonlyMap<string, number>;
}

export interface WorkspaceProblem {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** Field path such as `assets[3].controls.encryption.at_rest`, empty for the whole document. */
  readonly field: string;
  readonly message: string;
}

export function formatFieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

export function formatProblem(p: WorkspaceProblem): string {
  const field = p.field === '' ? '' : ` ${p.field}:`;
  return `${p.file}:${p.line}:${p.column}:${field} ${p.message}`;
}

export function workspaceInvalid(file: string, problems: readonly WorkspaceProblem[]): WardenError {
  const shown = problems.slice(0, 50).map(formatProblem);
  const more = problems.length > 50 ? [`… and ${problems.length - 50} more problems`] : [];
  return new WardenError(
    'WORKSPACE_INVALID',
    `${file} is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n  ${[...shown, ...more].join('\n  ')}`,
    { details: { file, problems } },
  );
}

/** Finds the workspace file in `dir` (a folder) or accepts a path to the file itself. */
export async function findWorkspaceFile(dirOrFile: string): Promise<string> {
  const target = resolve(dirOrFile);
  let info;
  try {
    info = await stat(target);
  } catch (error) {
    throw new WardenError('WORKSPACE_NOT_FOUND', `No workspace at ${target}: it does not exist.`, { cause: error });
  }
  if (info.isFile()) return target;
  for (const name of WORKSPACE_FILE_NAMES) {
    const candidate = join(target, name);
    try {
      if ((await stat(candidate)).isFile()) return candidate;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  throw new WardenError(
    'WORKSPACE_NOT_FOUND',
    `No warden.yaml in ${target}. Run 'warden init' there to create one, or pass the workspace folder.`,
  );
}

export async function loadWorkspace(dirOrFile: string): Promise<LoadedWorkspace> {
  const file = await findWorkspaceFile(dirOrFile);
  const info = await stat(file);
  if (info.size > MAX_WORKSPACE_BYTES) {
    throw new WardenError('WORKSPACE_INVALID', `${file} is ${info.size} bytes; a workspace file may be at most ${MAX_WORKSPACE_BYTES}.`);
  }
  const bytes = await readFile(file);
  const text = bytes.toString('utf8');
  const { workspace, assetLines } = parseWorkspaceDocument(text, file);
  const dir = dirname(file);
  const fileProblems = await checkWorkspaceFiles(workspace, dir);
  if (fileProblems.length > 0) throw workspaceInvalid(file, locateProblems(text, file, fileProblems));
  return { workspace, dir, file, digest: createHash('sha256').update(bytes).digest('hex'), assetLines };
}

/** Parses and validates workspace text; `file` is used only in messages. */
export function parseWorkspaceText(text: string, file: string): Workspace {
  return parseWorkspaceDocument(text, file).workspace;
}

/**
 * Two paths. The fast one parses with js-yaml (an order of magnitude faster than the
 * position-keeping parser on large workspaces) and validates; only when something is wrong, or the
 * document leans on aliases, is the text parsed again keeping every node's position, so that each
 * problem can name its line and column.
 */
function parseWorkspaceDocument(text: string, file: string): { workspace: Workspace; assetLines: Map<string, number> } {
  if (aliasCount(text) <= MAX_FAST_PATH_ALIASES) {
    let raw: unknown;
    let parsedOk = true;
    try {
      // CORE_SCHEMA: YAML 1.2 core types, so `2026-01-01` stays a string as in the precise parser.
      raw = jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA, filename: file });
    } catch (error) {
      // Syntax error: the precise parser below reports it with its position.
      if (!(error instanceof jsYaml.YAMLException)) throw error;
      parsedOk = false;
    }
    if (parsedOk && raw !== null && raw !== undefined) {
      const parsed = workspaceSchema.safeParse(raw);
      if (parsed.success && crossCheckWorkspace(parsed.data).length === 0) {
        return { workspace: parsed.data, assetLines: scanAssetLines(text) };
      }
    }
  }
  return parseWorkspacePrecisely(text, file);
}

/** Aliases make a small text describe a huge document; past this many, only the bounded parser runs. */
const MAX_FAST_PATH_ALIASES = 50;

function aliasCount(text: string): number {
  let n = 0;
  const re = /(^|[\s,[{:-])\*[^\s,\]}]+/g;
  while (re.exec(text) !== null) {
    n += 1;
    if (n > MAX_FAST_PATH_ALIASES) break;
  }
  return n;
}

/**
 * Line of each asset's `id:` under the top-level `assets:` key, found textually (the fast parser
 * keeps no positions). Used only to point findings at a line; an asset it misses just has none.
 */
function scanAssetLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  let inAssets = false;
  let lineNo = 0;
  for (const line of text.split('\n')) {
    lineNo += 1;
    if (/^\S/.test(line)) inAssets = /^assets\s*:/.test(line);
    if (!inAssets) continue;
    const m = /^\s*-\s*(?:\{\s*)?id\s*:\s*['"]?([a-z0-9][a-z0-9._-]*)/.exec(line);
    if (m && !lines.has(m[1] as string)) lines.set(m[1] as string, lineNo);
  }
  return lines;
}

function parseWorkspacePrecisely(text: string, file: string): { workspace: Workspace; assetLines: Map<string, number> } {
  const lineCounter = new LineCounter();
  // maxAliasCount bounds "billion laughs" expansion; uniqueKeys rejects duplicate keys, which in a
  // security file usually means a setting silently overridden further down.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const position = (offset: number): { line: number; column: number } => {
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };

  const syntax = [...doc.errors, ...doc.warnings.filter((w) => w.code === 'DUPLICATE_KEY')];
  if (syntax.length > 0) {
    throw workspaceInvalid(
      file,
      syntax.map((e) => ({ file, ...position(e.pos[0]), field: '', message: e.message.split('\n')[0] ?? e.message })),
    );
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw new WardenError('WORKSPACE_INVALID', `${file}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  if (raw === null || raw === undefined) {
    throw workspaceInvalid(file, [{ file, line: 1, column: 1, field: '', message: 'the file is empty; expected a mapping with version, organisation, clients, people and assets' }]);
  }

  const parsed = workspaceSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const path = [...issue.path];
      const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
      const offset = locate(doc, path, keys[0]);
      const field = formatFieldPath(keys.length === 1 ? [...path, keys[0] as string] : path);
      return { file, ...position(offset), field, message: describeIssue(issue.message, issue.code, keys) };
    });
    throw workspaceInvalid(file, problems);
  }

  const problems = crossCheckWorkspace(parsed.data).map((p) => ({
    file,
    ...position(locate(doc, p.path)),
    field: formatFieldPath(p.path),
    message: p.message,
  }));
  if (problems.length > 0) throw workspaceInvalid(file, problems);
  const assetLines = new Map<string, number>();
  parsed.data.assets.forEach((asset, i) => assetLines.set(asset.id, position(locate(doc, ['assets', i])).line));
  return { workspace: parsed.data, assetLines };
}

/** Positions for problems found after a successful parse (file checks). */
function locateProblems(text: string, file: string, problems: readonly ReferenceProblem[]): WorkspaceProblem[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  return problems.map((p) => {
    const pos = lineCounter.linePos(locate(doc, p.path));
    return { file, line: pos.line, column: pos.col, field: formatFieldPath(p.path), message: p.message };
  });
}

function describeIssue(message: string, code: string, keys: readonly string[]): string {
  if (code === 'unrecognized_keys') {
    return `unknown field${keys.length === 1 ? '' : 's'} ${keys.map((k) => `"${k}"`).join(', ')} (check the spelling; see 'warden schema')`;
  }
  return message.replace(/^Invalid input: /, '');
}

/**
 * Offset in the text of the node at `path`; when the path does not exist (a missing field), the
 * closest existing parent. With `key`, the offset of that key inside the mapping at `path`.
 */
function locate(doc: Document, path: readonly PropertyKey[], key?: string): number {
  let node: unknown = doc.contents;
  let best = isNode(node) && node.range ? node.range[0] : 0;
  for (const part of path) {
    if (!isNode(node)) break;
    const next: unknown = (node as { get?: (k: unknown, keepScalar: boolean) => unknown }).get?.(part, true);
    if (!isNode(next)) break;
    node = next;
    if (next.range) best = next.range[0];
  }
  if (key !== undefined && isMap(node)) {
    for (const item of node.items) {
      if (isPair(item) && isScalar(item.key) && item.key.value === key && item.key.range) return item.key.range[0];
    }
  }
  return best;
}
