/**
 * TensorFlow SavedModel `saved_model.pb` (tensorflow/core/protobuf/saved_model.proto,
 * meta_graph.proto, graph.proto, function.proto, node_def.proto, attr_value.proto). We walk every
 * NodeDef of every graph and function and look at the op name:
 * - PyFunc, PyFuncStateless, EagerPyFunc call Python functions of the loading process: critical;
 * - ops that read, write or list files outside the checkpoint machinery: high. The checkpoint
 *   ops every SavedModel contains (SaveV2, RestoreV2, MergeV2Checkpoints, ShardedFilename) and
 *   vocabulary-table initialisers (which read the model's own assets) are not reported.
 * Const tensors (the bulk of a frozen graph) are skipped by length, never read.
 */
import type { ByteSource } from './byte-source.js';
import { RULE } from './model-rules.js';
import { PbReader } from './protobuf-reader.js';
import type { PbField } from './protobuf-reader.js';
import type { FileScanContext } from './scan-context.js';

const PYTHON_OPS = new Set(['PyFunc', 'PyFuncStateless', 'EagerPyFunc']);
const FILE_OPS = new Set([
  'ReadFile', 'WriteFile', 'MatchingFiles', 'MatchingFilesDataset', 'ImmutableConst', 'CreateSummaryFileWriter',
  'CreateSummaryDbWriter', 'TFRecordDataset', 'TFRecordDatasetV2', 'FixedLengthRecordDataset',
  'FixedLengthRecordDatasetV2', 'TextLineDataset', 'CSVDataset', 'CSVDatasetV2', 'LoadDataset', 'SaveDataset',
  'SaveDatasetV2', 'DebugIdentityV2', 'DebugIdentityV3', 'ExperimentalSqlDataset', 'SqlDataset', 'LMDBDataset',
]);

/** Content sniff: top-level fields are only schema version (1) and meta graphs (2), with a graph inside. */
export async function looksLikeSavedModel(source: ByteSource, ctx: FileScanContext): Promise<boolean> {
  const head = await source.read(0, 1);
  if (head[0] !== 0x08 && head[0] !== 0x12) return false;
  const reader = new PbReader(source, ctx.budget);
  let metaGraphs = 0;
  try {
    for await (const field of reader.fields(0, source.size)) {
      if (field.field === 1 && field.wire === 0) continue;
      if (field.field !== 2 || field.wire !== 2) return false;
      metaGraphs += 1;
      let graph = false;
      for await (const sub of reader.fields(field.offset, field.offset + field.length)) {
        if (sub.field > 10) return false;
        if (sub.field === 2 && sub.wire === 2) graph = true;
      }
      if (!graph) return false;
    }
  } catch {
    // Not a well-formed protobuf: not a SavedModel.
    return false;
  }
  return metaGraphs > 0;
}

export async function scanSavedModel(ctx: FileScanContext, source: ByteSource, member: string | undefined): Promise<void> {
  ctx.formats.add('tf-savedmodel');
  const reader = new PbReader(source, ctx.budget);
  const found = new Map<string, { count: number; sample: string; detail?: string }>();
  const note = (op: string, node: string, detail?: string): void => {
    const entry = found.get(op);
    if (entry === undefined) found.set(op, { count: 1, sample: node, ...(detail !== undefined && { detail }) });
    else entry.count += 1;
  };
  const visitNode = async (field: PbField): Promise<void> => {
    let name = '';
    let op = '';
    const attrs: PbField[] = [];
    for await (const sub of reader.fields(field.offset, field.offset + field.length)) {
      if (sub.wire !== 2) continue;
      if (sub.field === 1) name = await reader.string(sub, 4096);
      else if (sub.field === 2) op = await reader.string(sub, 1024);
      else if (sub.field === 5) attrs.push(sub);
    }
    if (PYTHON_OPS.has(op) || FILE_OPS.has(op)) note(op, name);
    if (op === 'PrintV2') {
      const stream = await attrString(reader, attrs, 'output_stream');
      if (stream !== undefined && stream.startsWith('file://')) note('PrintV2', name, `writes to ${stream}`);
    }
  };
  const visitGraph = async (field: PbField): Promise<void> => {
    for await (const sub of reader.fields(field.offset, field.offset + field.length)) {
      if (sub.wire !== 2) continue;
      if (sub.field === 1) await visitNode(sub);
      else if (sub.field === 2) {
        for await (const fn of reader.fields(sub.offset, sub.offset + sub.length)) {
          if (fn.field !== 1 || fn.wire !== 2) continue;
          for await (const part of reader.fields(fn.offset, fn.offset + fn.length)) {
            if (part.field === 3 && part.wire === 2) await visitNode(part);
          }
        }
      }
    }
  };
  for await (const field of reader.fields(0, source.size)) {
    if (field.field !== 2 || field.wire !== 2) continue;
    for await (const sub of reader.fields(field.offset, field.offset + field.length)) {
      if (sub.field === 2 && sub.wire === 2) await visitGraph(sub);
    }
  }
  for (const [op, { count, sample, detail }] of found) {
    const python = PYTHON_OPS.has(op);
    ctx.issue({
      ruleId: python ? RULE.savedModelPython : RULE.savedModelFile,
      severity: python ? 'critical' : 'high',
      message: python
        ? `SavedModel graph contains ${count} ${op} op(s) (e.g. node "${sample}"), which call Python code in the loading process.`
        : `SavedModel graph contains ${count} ${op} op(s) (e.g. node "${sample}")${detail !== undefined ? ` that ${detail}` : ''}, which ${op === 'PrintV2' ? 'write' : 'read or write'} files.`,
      ...(member !== undefined && { member }),
      key: op,
      properties: { format: 'tf-savedmodel', op, count, node: sample },
    });
  }
}

async function attrString(reader: PbReader, attrs: PbField[], key: string): Promise<string | undefined> {
  for (const attr of attrs) {
    let name = '';
    let valueField: PbField | undefined;
    for await (const sub of reader.fields(attr.offset, attr.offset + attr.length)) {
      if (sub.field === 1 && sub.wire === 2) name = await reader.string(sub, 1024);
      else if (sub.field === 2 && sub.wire === 2) valueField = sub;
    }
    if (name !== key || valueField === undefined) continue;
    for await (const sub of reader.fields(valueField.offset, valueField.offset + valueField.length)) {
      if (sub.field === 2 && sub.wire === 2) return reader.string(sub, 4096);
    }
  }
  return undefined;
}
