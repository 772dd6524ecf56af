/**
 * HDF5 `.h5` Keras models. Keras 2 writes the model architecture as a JSON string in the root
 * group's `model_config` attribute (and the compile settings in `training_config`), early in the
 * file, right after the superblock and before the weights. Rather than implement HDF5, we search a
 * bounded window at the start of the file for the attribute name and for JSON objects of Keras's
 * shape, and extract each JSON object with a bounded brace matcher (strings and escapes respected).
 * That finds fixed-length and compact attributes, which is how h5py stores these; a config moved
 * beyond the window is not found, which we state in the format notes (weights themselves carry no
 * code).
 */
import type { ByteSource } from './byte-source.js';
import { analyzeKerasConfig, looksLikeKerasConfig } from './keras-config.js';
import type { FileScanContext } from './scan-context.js';

export const HDF5_MAGIC = Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);
/** HDF5 looks for the superblock at 0, 512, 1024, 2048 … (a user block may precede it). */
export const HDF5_SUPERBLOCK_OFFSETS = [0, 512, 1024, 2048];

const WINDOW = 16 * 1024 * 1024;
const MAX_JSON = 16 * 1024 * 1024;
const STARTS = [Buffer.from('{"class_name"'), Buffer.from('{"module"'), Buffer.from('{"keras_version"')];

export async function scanHdf5(ctx: FileScanContext, source: ByteSource, member: string | undefined): Promise<void> {
  ctx.formats.add('hdf5');
  const length = Math.min(source.size, WINDOW);
  const window = await source.read(0, length);
  const seen = new Set<number>();
  let configs = 0;
  for (const start of STARTS) {
    let at = window.indexOf(start);
    while (at >= 0) {
      ctx.budget.checkTime();
      if (!seen.has(at)) {
        seen.add(at);
        const text = await extractJsonObject(source, at, MAX_JSON);
        if (text !== undefined) {
          const parsed = parseJson(text);
          if (parsed !== undefined && looksLikeKerasConfig(parsed)) {
            configs += 1;
            analyzeKerasConfig(ctx, parsed, member, 'keras-h5');
          }
        }
      }
      at = window.indexOf(start, at + 1);
    }
  }
  if (configs > 0) ctx.formats.add('keras-h5');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Not JSON after all (a byte pattern inside weights): nothing to analyse.
    return undefined;
  }
}

/**
 * The JSON object starting at `offset` (which holds `{`), read in chunks until its braces balance;
 * undefined when it does not close within `cap` bytes or the file.
 */
export async function extractJsonObject(source: ByteSource, offset: number, cap: number): Promise<string | undefined> {
  let depth = 0;
  let inString = false;
  let escaped = false;
  const parts: Buffer[] = [];
  let total = 0;
  for (let at = offset; at < source.size && total < cap; ) {
    const chunk = await source.read(at, Math.min(256 * 1024, cap - total));
    if (chunk.length === 0) break;
    for (let i = 0; i < chunk.length; i += 1) {
      const c = chunk[i] as number;
      if (inString) {
        if (escaped) escaped = false;
        else if (c === 0x5c) escaped = true;
        else if (c === 0x22) inString = false;
        else if (c === 0) return undefined;
        continue;
      }
      if (c === 0x22) inString = true;
      else if (c === 0x7b || c === 0x5b) depth += 1;
      else if (c === 0x7d || c === 0x5d) {
        depth -= 1;
        if (depth === 0) {
          parts.push(chunk.subarray(0, i + 1));
          return Buffer.concat(parts).toString('utf8');
        }
      } else if (c === 0) return undefined;
    }
    parts.push(chunk);
    total += chunk.length;
    at += chunk.length;
  }
  return undefined;
}
