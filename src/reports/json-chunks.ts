/**
 * `JSON.stringify(value, null, 2) + '\n'`, produced in pieces. A large organisation's assessment
 * (50,000 assets, half a million control results) serialises to more text than one JavaScript
 * string may hold (V8's limit is about 512 MiB), and even below that limit one giant string doubles
 * the peak memory of a run. Long arrays are therefore emitted element by element, in batches of
 * about 64 KiB, and the caller writes them out as they come.
 *
 * The output is byte-for-byte what JSON.stringify with an indent of two would give (a test holds
 * it to that), so the documented report shapes do not depend on how they were written.
 */

/** Arrays at least this long are streamed element by element. */
const STREAM_ARRAY_MIN = 64;
/** Objects and short arrays are descended into this deep, looking for long arrays. */
const MAX_DESCENT = 4;
const BATCH_CHARS = 1 << 16;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return (proto === Object.prototype || proto === null) && typeof (value as { toJSON?: unknown }).toJSON !== 'function';
}

function leaf(value: unknown, indent: string, inArray: boolean): string {
  const text = JSON.stringify(value, null, 2) as string | undefined;
  if (text === undefined) return inArray ? 'null' : '';
  return indent === '' ? text : text.replaceAll('\n', `\n${indent}`);
}

/** Whether JSON.stringify would keep this property of an object. */
function kept(value: unknown): boolean {
  return value !== undefined && typeof value !== 'function' && typeof value !== 'symbol';
}

function* chunksOf(value: unknown, indent: string, depth: number, inArray: boolean): Generator<string> {
  const inner = `${indent}  `;
  if (Array.isArray(value) && value.length > 0 && (value.length >= STREAM_ARRAY_MIN || depth < MAX_DESCENT)) {
    if (value.length >= STREAM_ARRAY_MIN) {
      let batch = '[\n';
      for (let i = 0; i < value.length; i += 1) {
        batch += `${inner}${leaf(value[i], inner, true)}${i < value.length - 1 ? ',\n' : '\n'}`;
        if (batch.length >= BATCH_CHARS) {
          yield batch;
          batch = '';
        }
      }
      yield `${batch}${indent}]`;
      return;
    }
    yield '[\n';
    for (let i = 0; i < value.length; i += 1) {
      yield inner;
      yield* chunksOf(value[i], inner, depth + 1, true);
      yield i < value.length - 1 ? ',\n' : '\n';
    }
    yield `${indent}]`;
    return;
  }
  if (depth < MAX_DESCENT && isPlainObject(value)) {
    const entries = Object.entries(value).filter(([, v]) => kept(v));
    if (entries.length === 0) {
      yield '{}';
      return;
    }
    yield '{\n';
    for (let i = 0; i < entries.length; i += 1) {
      const [key, v] = entries[i] as [string, unknown];
      yield `${inner}${JSON.stringify(key)}: `;
      yield* chunksOf(v, inner, depth + 1, false);
      yield i < entries.length - 1 ? ',\n' : '\n';
    }
    yield `${indent}}`;
    return;
  }
  yield leaf(value, indent, inArray);
}

/** The pretty-printed JSON document of `value`, newline-terminated, as a sequence of pieces. */
export function* jsonChunks(value: unknown): Generator<string> {
  yield* chunksOf(value, '', 0, false);
  yield '\n';
}
