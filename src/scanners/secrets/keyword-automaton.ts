/**
 * The literal-keyword prefilter: one Aho-Corasick automaton over every rule's keywords, run once
 * over each byte of the input. Only the rules whose keyword occurs are then tried, and only on a
 * bounded window around the occurrence, so the regular expressions never see most of the input.
 *
 * Matching is ASCII case-insensitive (keywords are stored lower-case; A–Z fold to a–z). The
 * transition table is dense over byte classes (bytes that occur in no keyword share class 0) and
 * state numbers are pre-multiplied by the class count, so the inner loop is one table load per byte.
 * Output states are numbered last, so "is this a hit?" is a single comparison.
 */

export interface KeywordHit {
  /** Index of the keyword in the list given to the constructor. */
  readonly keyword: number;
  /** Offset of the keyword's first byte. */
  readonly start: number;
}

export class KeywordAutomaton {
  readonly keywords: readonly string[];
  readonly #classOf = new Uint8Array(256);
  readonly #delta: Int32Array;
  /** First pre-multiplied state id that is an output state. */
  readonly #outputLimit: number;
  /** For output state k (pre-multiplied id), the keywords ending there. */
  readonly #outputs: ReadonlyMap<number, readonly number[]>;
  readonly #lengths: Int32Array;

  constructor(keywords: readonly string[]) {
    if (keywords.length === 0) throw new Error('the keyword automaton needs at least one keyword');
    this.keywords = keywords;
    this.#lengths = Int32Array.from(keywords, (k) => k.length);
    const classIds = new Map<number, number>();
    let classCount = 1;
    for (const keyword of keywords) {
      if (keyword.length === 0 || keyword !== keyword.toLowerCase()) {
        throw new Error(`keyword "${keyword}" must be non-empty and lower-case`);
      }
      for (let i = 0; i < keyword.length; i += 1) {
        const c = keyword.charCodeAt(i);
        if (c > 127) throw new Error(`keyword "${keyword}" must be ASCII`);
        if (!classIds.has(c)) classIds.set(c, classCount++);
      }
    }
    for (let b = 0; b < 256; b += 1) {
      const folded = b >= 65 && b <= 90 ? b + 32 : b;
      this.#classOf[b] = classIds.get(folded) ?? 0;
    }

    // Trie.
    const goto: Int32Array[] = [new Int32Array(classCount).fill(-1)];
    const out: number[][] = [[]];
    keywords.forEach((keyword, index) => {
      let s = 0;
      for (let i = 0; i < keyword.length; i += 1) {
        const c = this.#classOf[keyword.charCodeAt(i)] as number;
        const row = goto[s] as Int32Array;
        if (row[c] === -1) {
          row[c] = goto.length;
          goto.push(new Int32Array(classCount).fill(-1));
          out.push([]);
        }
        s = row[c] as number;
      }
      (out[s] as number[]).push(index);
    });
    // Failure links, breadth first, folded into a complete transition function.
    const fail = new Int32Array(goto.length);
    const queue: number[] = [];
    const root = goto[0] as Int32Array;
    for (let c = 0; c < classCount; c += 1) {
      const t = root[c] as number;
      if (t === -1) root[c] = 0;
      else queue.push(t);
    }
    for (let head = 0; head < queue.length; head += 1) {
      const s = queue[head] as number;
      const f = fail[s] as number;
      (out[s] as number[]).push(...(out[f] as number[]));
      const row = goto[s] as Int32Array;
      const failRow = goto[f] as Int32Array;
      for (let c = 0; c < classCount; c += 1) {
        const t = row[c] as number;
        if (t === -1) row[c] = failRow[c] as number;
        else {
          fail[t] = failRow[c] as number;
          queue.push(t);
        }
      }
    }
    // Renumber: non-output states first, then output states.
    const order: number[] = [];
    for (let s = 0; s < goto.length; s += 1) if ((out[s] as number[]).length === 0) order.push(s);
    const firstOutput = order.length;
    for (let s = 0; s < goto.length; s += 1) if ((out[s] as number[]).length > 0) order.push(s);
    const newId = new Int32Array(goto.length);
    order.forEach((s, i) => {
      newId[s] = i;
    });
    const delta = new Int32Array(goto.length * classCount);
    const outputs = new Map<number, readonly number[]>();
    for (let s = 0; s < goto.length; s += 1) {
      const row = goto[s] as Int32Array;
      const base = (newId[s] as number) * classCount;
      for (let c = 0; c < classCount; c += 1) delta[base + c] = (newId[row[c] as number] as number) * classCount;
      if ((out[s] as number[]).length > 0) outputs.set(base, [...new Set(out[s] as number[])]);
    }
    this.#delta = delta;
    this.#outputLimit = firstOutput * classCount;
    this.#outputs = outputs;
  }

  /** The state to start a scan with. */
  get initialState(): number {
    return 0;
  }

  /**
   * Feeds `bytes[from..to)` through the automaton from `state`, calling `onHit` for every keyword
   * occurrence with the absolute offset of its first byte (`base` is the absolute offset of
   * `bytes[0]`). Returns the state to continue with on the next chunk, so keywords spanning two
   * chunks are still found.
   */
  scan(
    bytes: Uint8Array,
    from: number,
    to: number,
    state: number,
    base: number,
    onHit: (keyword: number, start: number) => void,
  ): number {
    const delta = this.#delta;
    const classOf = this.#classOf;
    const limit = this.#outputLimit;
    let s = state;
    for (let i = from; i < to; i += 1) {
      s = delta[s + (classOf[bytes[i] as number] as number)] as number;
      if (s >= limit) {
        const hits = this.#outputs.get(s) as readonly number[];
        for (const k of hits) onHit(k, base + i - (this.#lengths[k] as number) + 1);
      }
    }
    return s;
  }

  /** All hits in a whole buffer (convenience for tests and small inputs). */
  findAll(bytes: Uint8Array): KeywordHit[] {
    const hits: KeywordHit[] = [];
    this.scan(bytes, 0, bytes.length, 0, 0, (keyword, start) => hits.push({ keyword, start }));
    return hits;
  }
}
