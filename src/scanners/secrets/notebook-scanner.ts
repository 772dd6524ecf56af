/**
 * Jupyter notebooks: cell sources and every text output are scanned separately, so a finding says
 * which cell (and which output) holds it, the line inside that cell, and the line in the .ipynb file.
 * Secrets printed into outputs (environment dumps, tracebacks with connection strings) are a common
 * leak: outputs are scanned as config-like text and for personal data. Image payloads are skipped.
 */
import type { SecretEngine } from './detection-engine.js';
import type { RawFinding } from './detection-engine.js';
import { member, parseJsonWithLines, textPieces } from './json-positions.js';
import type { JsonNode, TextPiece } from './json-positions.js';
import { PiiStream } from './pii-scanner.js';
import type { PiiAggregate } from './pii-scanner.js';

export interface LocatedFinding extends RawFinding {
  /** Line in the file on disk (differs from `line` for notebook cells). */
  readonly fileLine: number;
  readonly member?: string;
  readonly notebook?: { readonly cell: number; readonly cellLine: number; readonly output?: number; readonly cellType: string };
}

export interface LocatedPii extends PiiAggregate {
  readonly fileLine: number;
  readonly member?: string;
  readonly notebook?: { readonly cell: number; readonly cellLine: number; readonly output?: number; readonly cellType: string };
}

export interface NotebookResult {
  readonly findings: LocatedFinding[];
  readonly pii: LocatedPii[];
  readonly truncated: number;
}

// ANSI escape sequences in tracebacks (colours, cursor moves): bounded parameter run.
const ANSI = /\u001b\[[0-9;?]{0,32}[A-Za-z]|\u001b\][^\u0007\u001b]{0,256}(?:\u0007|\u001b\\)/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/** Which output MIME types carry text worth scanning; images and binary payloads do not. */
function isTextMime(mime: string): boolean {
  if (mime.startsWith('image/') || mime.startsWith('audio/') || mime.startsWith('video/')) return false;
  if (mime === 'application/pdf' || mime.startsWith('application/vnd.jupyter.widget')) return false;
  return mime.startsWith('text/') || mime === 'application/json' || mime === 'application/javascript' || mime.endsWith('+json');
}

interface Block {
  readonly pieces: readonly TextPiece[];
  readonly member: string;
  readonly kind: 'code' | 'text' | 'notebook-output';
  readonly cell: number;
  readonly output?: number;
  readonly cellType: string;
  readonly pii: boolean;
}

function jsonPieces(node: JsonNode): TextPiece[] {
  // application/json outputs are objects: scan their string leaves.
  const out: TextPiece[] = [];
  const walk = (n: JsonNode, depth: number): void => {
    if (depth > 64) return;
    if (n.t === 'string') out.push({ value: `${n.value}\n`, line: n.line });
    else if (n.t === 'array') for (const item of n.items) walk(item, depth + 1);
    else if (n.t === 'object') for (const [key, value] of n.entries) {
      if (value.t === 'string') out.push({ value: `${key}: ${value.value}\n`, line: value.line });
      else walk(value, depth + 1);
    }
  };
  walk(node, 0);
  return out;
}

function collectBlocks(root: JsonNode, scanPii: boolean): Block[] {
  const blocks: Block[] = [];
  let cells = member(root, 'cells');
  const worksheets = member(root, 'worksheets'); // nbformat 3
  if (cells === undefined && worksheets?.t === 'array') cells = member(worksheets.items[0], 'cells');
  if (cells?.t !== 'array') return blocks;
  cells.items.forEach((cellNode, index) => {
    const cell = index + 1;
    const typeNode = member(cellNode, 'cell_type');
    const cellType = typeNode?.t === 'string' ? typeNode.value : 'code';
    const source = member(cellNode, 'source') ?? member(cellNode, 'input');
    blocks.push({
      pieces: textPieces(source),
      member: `cell ${cell}`,
      kind: cellType === 'code' ? 'code' : 'text',
      cell,
      cellType,
      pii: false,
    });
    const outputs = member(cellNode, 'outputs');
    if (outputs?.t !== 'array') return;
    outputs.items.forEach((outputNode, outIndex) => {
      const output = outIndex + 1;
      const pieces: TextPiece[] = [];
      pieces.push(...textPieces(member(outputNode, 'text')));
      const data = member(outputNode, 'data');
      if (data?.t === 'object') {
        for (const [mime, value] of data.entries) {
          if (!isTextMime(mime)) continue;
          if (value.t === 'object' || (value.t === 'array' && value.items.some((i) => i.t !== 'string'))) pieces.push(...jsonPieces(value));
          else pieces.push(...textPieces(value), { value: '\n', line: 0 });
        }
      }
      const evalue = member(outputNode, 'evalue');
      if (evalue?.t === 'string') pieces.push({ value: `${evalue.value}\n`, line: evalue.line });
      for (const piece of textPieces(member(outputNode, 'traceback'))) {
        pieces.push({ value: `${stripAnsi(piece.value)}\n`, line: piece.line });
      }
      if (pieces.length > 0) {
        blocks.push({ pieces, member: `cell ${cell} output ${output}`, kind: 'notebook-output', cell, output, cellType, pii: scanPii });
      }
    });
  });
  return blocks;
}

/** Maps a 1-based line inside the joined pieces to the file line of the piece holding it. */
function lineMapper(pieces: readonly TextPiece[]): (blockLine: number) => number {
  const starts: number[] = [];
  const fileLines: number[] = [];
  let line = 1;
  for (const piece of pieces) {
    starts.push(line);
    fileLines.push(piece.line);
    for (let i = piece.value.indexOf('\n'); i >= 0; i = piece.value.indexOf('\n', i + 1)) line += 1;
  }
  return (blockLine) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= blockLine) lo = mid;
      else hi = mid - 1;
    }
    // Synthetic separators have line 0: fall back to the previous real piece.
    for (let i = lo; i >= 0; i -= 1) if ((fileLines[i] as number) > 0) return fileLines[i] as number;
    return 1;
  };
}

export function scanNotebook(text: string, engine: SecretEngine, allow: readonly RegExp[], scanPii: boolean): NotebookResult {
  const root = parseJsonWithLines(text);
  const findings: LocatedFinding[] = [];
  const pii: LocatedPii[] = [];
  let truncated = 0;
  const blocks = collectBlocks(root, scanPii);
  for (const block of blocks) {
    if (block.pieces.length === 0) continue;
    const joined = block.pieces.map((p) => p.value).join('');
    const toFileLine = lineMapper(block.pieces);
    const notebook = (cellLine: number): LocatedFinding['notebook'] => ({
      cell: block.cell,
      cellLine,
      cellType: block.cellType,
      ...(block.output !== undefined && { output: block.output }),
    });
    const result = engine.scanText(joined, block.kind === 'notebook-output' ? 'notebook-output' : block.kind, allow);
    truncated += result.truncated;
    for (const f of result.findings) {
      findings.push({ ...f, fileLine: toFileLine(f.line), member: block.member, notebook: notebook(f.line) });
    }
    if (block.pii) {
      const stream = new PiiStream('printed');
      stream.pushText(joined);
      for (const p of stream.end()) pii.push({ ...p, fileLine: toFileLine(p.line), member: block.member, notebook: notebook(p.line) });
    }
  }
  // Notebook-level and cell metadata can also carry tokens (kernel or extension settings).
  const metadata = member(root, 'metadata');
  if (metadata !== undefined) {
    const pieces = jsonPieces(metadata);
    if (pieces.length > 0) {
      const toFileLine = lineMapper(pieces);
      const result = engine.scanText(pieces.map((p) => p.value).join(''), 'config', allow);
      truncated += result.truncated;
      for (const f of result.findings) findings.push({ ...f, fileLine: toFileLine(f.line), member: 'metadata' });
    }
  }
  return { findings, pii, truncated };
}
