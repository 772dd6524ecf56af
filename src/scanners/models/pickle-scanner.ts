/**
 * Turns a pickle stream's analysis into issues: each import classified by the policy, unresolved
 * imports and mutations of imported objects reported as such, and a stream that could not be read
 * to its end reported as unscannable (after everything seen before the error, which an unpickler
 * would already have executed).
 */
import type { PickleStreamAnalysis } from './pickle-analyzer.js';
import { classifyImport } from './import-policy.js';
import { RULE } from './model-rules.js';
import type { FileScanContext } from './scan-context.js';
import { BufferByteSource } from './byte-source.js';
import { SourceStream, StreamCursor } from './byte-stream.js';
import { PickleReader } from './pickle-disassembler.js';
import { MalformedInputError } from './scan-limits.js';

/** Bytes a protocol 0/1 pickle may start with (the opcodes a pickler emits first). */
const PROTOCOL0_STARTS = new Set('(cilt]}).NIJKLMSVXUTFGd'.split('').map((c) => c.charCodeAt(0)));

/**
 * Content sniffing: does `head` start like a pickle? Protocol 2+ announce themselves (PROTO);
 * for older protocols we disassemble the window and want a STOP, or a window full of valid opcodes.
 */
export function mightStartPickle(head: Uint8Array): boolean {
  const first = head[0];
  if (first === undefined) return false;
  if (first === 0x80) return (head[1] ?? 0xff) <= 5;
  return PROTOCOL0_STARTS.has(first);
}

export async function looksLikePickle(head: Buffer): Promise<boolean> {
  if (!mightStartPickle(head)) return false;
  const first = head[0];
  const reader = new PickleReader(new StreamCursor(new SourceStream(new BufferByteSource(head))), { maxLine: head.length });
  let ops = 0;
  let failing = 0;
  try {
    for (;;) {
      failing = reader.cursor.offset;
      const op = await reader.next();
      ops += 1;
      if (op.name === 'STOP') return ops >= 2 || first === 0x80;
    }
  } catch (error) {
    if (!(error instanceof MalformedInputError)) throw error;
    // PROTO then valid opcodes is a pickle even if raw bytes follow (joblib writes array data
    // between opcodes). Otherwise the window (or the file) must have ended inside valid opcodes:
    // a pickle larger than the window, or truncated. A long string argument can push the first
    // opcodes' end past the window; that must not make a pickle invisible.
    const cut = /truncated|longer than/.test(error.message);
    if (first === 0x80) return ops >= 3 || (cut && ops >= 1);
    const failingOp = head[failing];
    const stringOp = failingOp === 0x56 || (failingOp === 0x53 && (head[failing + 1] === 0x27 || head[failing + 1] === 0x22));
    return cut && (ops >= 2 || stringOp);
  }
}

export function reportAnalysis(ctx: FileScanContext, analysis: PickleStreamAnalysis, member: string | undefined, format: string): void {
  const base = { format, ...(analysis.legacyTorch && { container: 'pytorch-legacy' }) };
  for (const record of analysis.imports) {
    const path = `${record.module}.${record.name}`;
    const verdict = classifyImport(record.rawModule, record.name);
    if (verdict.kind === 'allowed') continue;
    const written = record.rawModule !== record.module ? ` (written as ${record.rawModule}.${record.name})` : '';
    const called = record.calls > 0 ? ' and calls it' : '';
    const properties = {
      ...base,
      import: path,
      module: record.module,
      name: record.name,
      opcode: record.opcode,
      offset: record.offset,
      pickle: record.pickle,
      called: record.calls > 0,
    };
    const where = `${record.opcode} at offset ${record.offset}${analysis.pickles > 1 ? ` of pickle #${record.pickle + 1}` : ''}`;
    if (verdict.kind === 'dangerous') {
      ctx.issue({
        ruleId: RULE.pickleDangerous,
        severity: 'critical',
        message: `Pickle imports ${path}${written}${called}, which ${verdict.reason} (${where}); loading this file runs it.`,
        ...(member !== undefined && { member }),
        key: path,
        ...(record.evidence !== undefined && { evidence: record.evidence }),
        properties: { ...properties, category: verdict.category, matched: verdict.matched },
      });
    } else if (verdict.traversal) {
      ctx.issue({
        ruleId: RULE.pickleTraversal,
        severity: 'high',
        message: `Pickle imports ${path}${written}${called} by walking attributes of ${record.module} (${where}), the shape of a code-execution gadget.`,
        ...(member !== undefined && { member }),
        key: path,
        ...(record.evidence !== undefined && { evidence: record.evidence }),
        properties,
      });
    } else {
      ctx.issue({
        ruleId: RULE.pickleSuspicious,
        severity: 'medium',
        message: `Pickle imports ${path}${written}${called}, which is not a known framework rebuilder (${where}); loading runs its code.`,
        ...(member !== undefined && { member }),
        key: path,
        ...(record.evidence !== undefined && { evidence: record.evidence }),
        properties,
      });
    }
  }
  for (const issue of analysis.issues) {
    const unresolved = issue.kind === 'unresolved-import';
    ctx.issue({
      ruleId: unresolved ? RULE.pickleUnresolved : RULE.pickleMutation,
      severity: 'high',
      message: unresolved
        ? `Pickle import cannot be resolved without running the file: ${issue.detail} (${issue.opcode} at offset ${issue.offset}); treated as dangerous.`
        : `Pickle mutates an imported object: ${issue.detail} (${issue.opcode} at offset ${issue.offset}).`,
      ...(member !== undefined && { member }),
      key: `${issue.kind}:${issue.target}:${issue.offset}`,
      properties: { ...base, import: issue.target, opcode: issue.opcode, offset: issue.offset, pickle: issue.pickle },
    });
  }
  if (analysis.error !== undefined) {
    if (analysis.errorAfterComplete === true && analysis.errorIsLimit !== true) {
      ctx.issue({
        ruleId: RULE.pickleTrailing,
        severity: 'low',
        message: `After ${analysis.pickles} complete pickle(s) the data continues with bytes that are not a pickle: ${analysis.error}.`,
        ...(member !== undefined && { member }),
        key: 'trailing',
        properties: { ...base, offset: analysis.endOffset },
      });
    } else {
      ctx.fail(member, `pickle could not be read to its end: ${analysis.error}`);
    }
  }
}
