/**
 * ONNX models (onnx/onnx.proto, field numbers from the published schema). What loading can do
 * beyond arithmetic:
 * - tensors stored as external data name a file; `onnx.load` reads it relative to the model folder,
 *   so an absolute path or one with `..` reads any file the loader can (CVE-2022-25882,
 *   CVE-2024-27318 were bypasses of the path checks);
 * - nodes in a non-standard operator domain need a custom operator library, i.e. native code.
 * Tensor payloads (raw_data) are skipped by length, never read.
 */
import type { ByteSource } from './byte-source.js';
import { RULE } from './model-rules.js';
import { PbReader } from './protobuf-reader.js';
import type { PbField } from './protobuf-reader.js';
import type { FileScanContext } from './scan-context.js';

const MODEL_FIELDS = new Set([1, 2, 3, 4, 5, 6, 7, 8, 14, 20, 21, 25, 26]);
const MAX_GRAPH_DEPTH = 32;

/** Content sniff: a ModelProto with an IR version and a graph. */
export async function looksLikeOnnx(source: ByteSource, ctx: FileScanContext): Promise<boolean> {
  const head = await source.read(0, 2);
  if (head[0] !== 0x08 || (head[1] ?? 0) === 0 || (head[1] ?? 0xff) > 30) return false;
  const reader = new PbReader(source, ctx.budget);
  let graph = false;
  let count = 0;
  try {
    for await (const field of reader.fields(0, source.size)) {
      count += 1;
      if (!MODEL_FIELDS.has(field.field) || count > 10_000) return false;
      if (field.field === 7 && field.wire === 2) graph = true;
    }
  } catch {
    // Not a well-formed protobuf from start to end: not an ONNX model.
    return false;
  }
  return graph;
}

export async function scanOnnx(ctx: FileScanContext, source: ByteSource, member: string | undefined): Promise<void> {
  ctx.formats.add('onnx');
  const reader = new PbReader(source, ctx.budget);
  const state: OnnxState = { ctx, reader, member, domains: new Map(), localDomains: new Set() };
  for await (const field of reader.fields(0, source.size)) {
    if (field.wire !== 2) continue;
    if (field.field === 7) await walkGraph(state, field, 0);
    else if (field.field === 8) await opsetImport(state, field);
    else if (field.field === 25) await walkFunction(state, field);
    else if (field.field === 20) {
      for await (const sub of reader.fields(field.offset, field.offset + field.length)) {
        if (sub.wire === 2 && (sub.field === 1 || sub.field === 3)) await walkGraph(state, sub, 1);
      }
    }
  }
  for (const [domain, where] of state.domains) {
    if (state.localDomains.has(domain)) continue;
    ctx.issue({
      ruleId: RULE.onnxCustomDomain,
      severity: 'medium',
      message: `ONNX model uses operators from the custom domain "${domain}" (${where}), which need a custom operator library to run.`,
      ...(member !== undefined && { member }),
      key: domain,
      properties: { format: 'onnx', domain },
    });
  }
}

interface OnnxState {
  readonly ctx: FileScanContext;
  readonly reader: PbReader;
  readonly member: string | undefined;
  readonly domains: Map<string, string>;
  readonly localDomains: Set<string>;
}

/** The ONNX and ONNX Runtime domains; `ai.onnx.contrib` is onnxruntime-extensions' custom-op library. */
export function isStandardOnnxDomain(domain: string): boolean {
  if (domain === '') return true;
  return domain !== 'ai.onnx.contrib' && /^(ai\.onnx|com\.microsoft)(\.|$)/.test(domain);
}

async function opsetImport(state: OnnxState, field: PbField): Promise<void> {
  for await (const sub of state.reader.fields(field.offset, field.offset + field.length)) {
    if (sub.field === 1 && sub.wire === 2) {
      const domain = await state.reader.string(sub, 1024);
      if (!isStandardOnnxDomain(domain) && !state.domains.has(domain)) state.domains.set(domain, 'opset import');
    }
  }
}

async function walkFunction(state: OnnxState, field: PbField): Promise<void> {
  for await (const sub of state.reader.fields(field.offset, field.offset + field.length)) {
    if (sub.wire !== 2) continue;
    if (sub.field === 10) state.localDomains.add(await state.reader.string(sub, 1024));
    else if (sub.field === 7) await walkNode(state, sub, 1);
  }
}

async function walkGraph(state: OnnxState, field: PbField, depth: number): Promise<void> {
  if (depth > MAX_GRAPH_DEPTH) throw new RangeError('ONNX subgraphs nest too deeply');
  for await (const sub of state.reader.fields(field.offset, field.offset + field.length)) {
    if (sub.wire !== 2) continue;
    if (sub.field === 1) await walkNode(state, sub, depth);
    else if (sub.field === 5) await checkTensor(state, sub);
    else if (sub.field === 15) await checkSparse(state, sub);
  }
}

async function walkNode(state: OnnxState, field: PbField, depth: number): Promise<void> {
  let name = '';
  let op = '';
  for await (const sub of state.reader.fields(field.offset, field.offset + field.length)) {
    if (sub.wire !== 2) continue;
    if (sub.field === 3) name = await state.reader.string(sub, 1024);
    else if (sub.field === 4) op = await state.reader.string(sub, 1024);
    else if (sub.field === 7) {
      const domain = await state.reader.string(sub, 1024);
      if (!isStandardOnnxDomain(domain) && !state.domains.has(domain)) state.domains.set(domain, `node ${name || op || '?'}${op ? ` (${op})` : ''}`);
    } else if (sub.field === 5) {
      await walkAttribute(state, sub, depth);
    }
  }
}

async function walkAttribute(state: OnnxState, field: PbField, depth: number): Promise<void> {
  for await (const sub of state.reader.fields(field.offset, field.offset + field.length)) {
    if (sub.wire !== 2) continue;
    if (sub.field === 5 || sub.field === 10) await checkTensor(state, sub);
    else if (sub.field === 6 || sub.field === 11) await walkGraph(state, sub, depth + 1);
    else if (sub.field === 22 || sub.field === 23) await checkSparse(state, sub);
  }
}

async function checkSparse(state: OnnxState, field: PbField): Promise<void> {
  for await (const sub of state.reader.fields(field.offset, field.offset + field.length)) {
    if (sub.wire === 2 && (sub.field === 1 || sub.field === 2)) await checkTensor(state, sub);
  }
}

async function checkTensor(state: OnnxState, field: PbField): Promise<void> {
  let name = '';
  const locations: string[] = [];
  for await (const sub of state.reader.fields(field.offset, field.offset + field.length)) {
    if (sub.wire !== 2) continue;
    if (sub.field === 8) name = await state.reader.string(sub, 1024);
    else if (sub.field === 13) {
      let key = '';
      let value = '';
      for await (const kv of state.reader.fields(sub.offset, sub.offset + sub.length)) {
        if (kv.wire !== 2) continue;
        if (kv.field === 1) key = await state.reader.string(kv, 1024);
        else if (kv.field === 2) value = await state.reader.string(kv, 64 * 1024);
      }
      if (key === 'location') locations.push(value);
    }
  }
  for (const location of locations) {
    if (!escapesModelFolder(location)) continue;
    state.ctx.issue({
      ruleId: RULE.onnxExternalPath,
      severity: 'high',
      message: `ONNX tensor "${name}" loads its data from "${location}", outside the model folder; loading the model reads that file.`,
      ...(state.member !== undefined && { member: state.member }),
      key: `${name}:${location}`,
      properties: { format: 'onnx', tensor: name, location },
    });
  }
}

/** Absolute paths, drive letters, URIs and any `..` segment leave the model folder. */
export function escapesModelFolder(location: string): boolean {
  if (location.startsWith('/') || location.startsWith('\\') || location.startsWith('~')) return true;
  if (/^[A-Za-z]:/.test(location) || /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(location)) return true;
  return location.split(/[\\/]/).some((segment) => segment === '..');
}
