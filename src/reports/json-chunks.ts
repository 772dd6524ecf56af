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

/**
 * A list whose elements are made when they are written: a report's findings in their documented
 * shape are 264,000 fresh objects for a 50,000-asset assessment, and there is no need for all of
 * them to exist at once. Serialises like the array it stands for.
 */
export class LazyList<T> {
  readonly length: number;
  readonly #at: (index: number) => T;

  constructor(length: number, at: (index: number) => T) {
    this.length = length;
    this.#at = at;
  }

  slice(start: number, end: number): T[] {
    const out: T[] = [];
    for (let i = start; i < Math.min(end, this.length); i += 1) out.push(this.#at(i));
    return out;
  }

  toJSON(): T[] {
    return this.slice(0, this.length);
  }
}

/** Arrays at least this long are streamed element by element. */
const STREAM_ARRAY_MIN = 64;
/** Objects and short arrays are descended into this deep, looking for long arrays. */
const MAX_DESCENT = 4;
/** Elements serialised per JSON.stringify call when a long array is streamed. */
const BATCH_ITEMS = 64;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return (proto === Object.prototype || proto === null) && typeof (value as { toJSON?: unknown }).toJSON !== 'function';
}

/**
 * The elements of `items` as JSON.stringify(…, null, 2) would print them `depth` levels deep:
 * one call on the items wrapped in `depth - 1` arrays, whose bracket lines are then cut off.
 * Letting JSON.stringify indent (rather than re-indenting each element's text) halves the cost.
 */
function elementsText(items: readonly unknown[], depth: number): string {
  let wrapped: unknown = items;
  for (let i = 1; i < depth; i += 1) wrapped = [wrapped];
  const text = JSON.stringify(wrapped, null, 2);
  let from = 0;
  for (let i = 0; i < depth; i += 1) from = text.indexOf('\n', from) + 1;
  let to = text.length;
  for (let i = 0; i < depth; i += 1) to = text.lastIndexOf('\n', to - 1);
  return text.slice(from, to);
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

/** A long array (or lazy list), a batch of elements at a time. */
function* streamedArray(value: { readonly length: number; slice(start: number, end: number): unknown[] }, indent: string): Generator<string> {
  const depth = indent.length / 2 + 1;
  yield '[\n';
  for (let start = 0; start < value.length; start += BATCH_ITEMS) {
    const end = Math.min(value.length, start + BATCH_ITEMS);
    yield `${elementsText(value.slice(start, end), depth)}${end < value.length ? ',\n' : '\n'}`;
  }
  yield `${indent}]`;
}

function* chunksOf(value: unknown, indent: string, depth: number, inArray: boolean): Generator<string> {
  const inner = `${indent}  `;
  if (value instanceof LazyList) {
    if (value.length >= STREAM_ARRAY_MIN) {
      yield* streamedArray(value, indent);
      return;
    }
    value = value.toJSON();
  }
  if (Array.isArray(value) && value.length > 0 && (value.length >= STREAM_ARRAY_MIN || depth < MAX_DESCENT)) {
    if (value.length >= STREAM_ARRAY_MIN) {
      yield* streamedArray(value, indent);
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
