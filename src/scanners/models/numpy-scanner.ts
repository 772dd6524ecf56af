/**
 * NumPy `.npy` (and, through the zip reader, `.npz` members). A numeric array runs no code; an
 * object array is a pickle written right after the header, which `np.load(allow_pickle=True)`
 * unpickles: exactly one pickle, which we analyse like any other.
 */
import { MAX_NPY_HEADER, parseNpyHeader } from './numpy-format.js';
import { reportAnalysis } from './pickle-scanner.js';
import { analyzePickleStream } from './pickle-analyzer.js';
import type { Blob, FileScanContext } from './scan-context.js';
import { MalformedInputError } from './scan-limits.js';

export async function scanNpy(ctx: FileScanContext, blob: Blob, member: string | undefined): Promise<void> {
  ctx.formats.add('npy');
  const header = parseNpyHeader(await blob.head(MAX_NPY_HEADER + 12));
  if (!header.hasObject) {
    if (header.dataBytes !== undefined && blob.size !== undefined && header.dataOffset + header.dataBytes > blob.size) {
      throw new MalformedInputError(`.npy data is truncated: ${header.dataBytes} bytes announced, ${blob.size - header.dataOffset} present`);
    }
    return;
  }
  ctx.formats.add('pickle');
  const stream = blob.stream();
  if ((await stream.skip(header.dataOffset)) !== header.dataOffset) throw new MalformedInputError('.npy object array has no data');
  const analysis = await analyzePickleStream(stream, { budget: ctx.budget, mode: 'one' });
  ctx.pickles += analysis.pickles;
  reportAnalysis(ctx, analysis, member, 'npy');
}
