/**
 * LZMA and LZMA2 decoding into memory, for 7z archives (whose headers are themselves usually LZMA
 * compressed). Written from the format as described in the LZMA SDK's specification
 * (lzma-specification.txt, public domain) and the xz file-format description of LZMA2 chunks.
 *
 * Threat assumptions: the output size is capped by the caller, every distance is checked against
 * what has been produced, every input read is bounds-checked, and the decode loop checks the
 * file's time budget, so a hostile stream can only fail, never hang or overrun.
 */
import { MalformedInputError, ScanLimitError } from './scan-limits.js';
import type { ScanBudget } from './scan-limits.js';

const NUM_STATES = 12;
const PROB_INIT = 1024;
const END_POS_MODEL_INDEX = 14;
const NUM_FULL_DISTANCES = 128;
const MATCH_MIN_LEN = 2;

class RangeDecoder {
  range = 0xffffffff;
  code = 0;
  pos: number;
  constructor(
    readonly input: Uint8Array,
    start: number,
    readonly end: number,
  ) {
    this.pos = start;
    if (this.#byte() !== 0) throw new MalformedInputError('LZMA stream does not start with a zero byte');
    for (let i = 0; i < 4; i += 1) this.code = ((this.code << 8) | this.#byte()) >>> 0;
    if (this.code === this.range) throw new MalformedInputError('LZMA range coder is corrupt');
  }

  #byte(): number {
    if (this.pos >= this.end) throw new MalformedInputError('LZMA data is truncated');
    return this.input[this.pos++] as number;
  }

  #normalize(): void {
    if (this.range < 0x1000000) {
      this.range = (this.range << 8) >>> 0;
      this.code = ((this.code << 8) | this.#byte()) >>> 0;
    }
  }

  bit(probs: Uint16Array, index: number): number {
    const p = probs[index] as number;
    const bound = (this.range >>> 11) * p;
    let bit: number;
    if (this.code < bound) {
      this.range = bound;
      probs[index] = p + ((2048 - p) >>> 5);
      bit = 0;
    } else {
      this.range = (this.range - bound) >>> 0;
      this.code = (this.code - bound) >>> 0;
      probs[index] = p - (p >>> 5);
      bit = 1;
    }
    this.#normalize();
    return bit;
  }

  direct(count: number): number {
    let result = 0;
    for (let i = 0; i < count; i += 1) {
      this.range = this.range >>> 1;
      let bit = 0;
      if (this.code >= this.range) {
        this.code = (this.code - this.range) >>> 0;
        bit = 1;
      }
      result = result * 2 + bit;
      this.#normalize();
    }
    return result;
  }

  tree(probs: Uint16Array, offset: number, bits: number): number {
    let m = 1;
    for (let i = 0; i < bits; i += 1) m = (m << 1) + this.bit(probs, offset + m);
    return m - (1 << bits);
  }

  reverseTree(probs: Uint16Array, offset: number, bits: number): number {
    let m = 1;
    let symbol = 0;
    for (let i = 0; i < bits; i += 1) {
      const bit = this.bit(probs, offset + m);
      m = (m << 1) + bit;
      symbol |= bit << i;
    }
    return symbol;
  }
}

class LengthDecoder {
  readonly choice = new Uint16Array(2).fill(PROB_INIT);
  readonly low = new Uint16Array(16 << 3).fill(PROB_INIT);
  readonly mid = new Uint16Array(16 << 3).fill(PROB_INIT);
  readonly high = new Uint16Array(256).fill(PROB_INIT);

  decode(rc: RangeDecoder, posState: number): number {
    if (rc.bit(this.choice, 0) === 0) return rc.tree(this.low, posState << 3, 3);
    if (rc.bit(this.choice, 1) === 0) return 8 + rc.tree(this.mid, posState << 3, 3);
    return 16 + rc.tree(this.high, 0, 8);
  }
}

/** Decoder state that LZMA2 carries from one chunk to the next. */
export class LzmaDecoder {
  lc = 3;
  lp = 0;
  pb = 2;
  #literal = new Uint16Array(0x300 << 3);
  #isMatch = new Uint16Array(NUM_STATES << 4);
  #isRep = new Uint16Array(NUM_STATES);
  #isRepG0 = new Uint16Array(NUM_STATES);
  #isRepG1 = new Uint16Array(NUM_STATES);
  #isRepG2 = new Uint16Array(NUM_STATES);
  #isRep0Long = new Uint16Array(NUM_STATES << 4);
  #posSlot = new Uint16Array(4 << 6);
  #posDecoders = new Uint16Array(1 + NUM_FULL_DISTANCES - END_POS_MODEL_INDEX);
  #align = new Uint16Array(16);
  #len = new LengthDecoder();
  #repLen = new LengthDecoder();
  #state = 0;
  #reps = [0, 0, 0, 0];
  /** Output position where the current dictionary starts (LZMA2 dictionary resets). */
  dictStart = 0;

  constructor(
    readonly out: Uint8Array,
    readonly budget: ScanBudget,
  ) {
    this.resetState();
  }

  setProperties(byte: number): void {
    if (byte >= 9 * 5 * 5) throw new MalformedInputError('LZMA properties byte is invalid');
    this.lc = byte % 9;
    this.lp = Math.floor(byte / 9) % 5;
    this.pb = Math.floor(byte / 45);
    if (this.lc + this.lp > 12) throw new MalformedInputError('LZMA literal parameters are out of range');
  }

  resetState(): void {
    this.#literal = new Uint16Array(0x300 << (this.lc + this.lp)).fill(PROB_INIT);
    for (const probs of [this.#isMatch, this.#isRep, this.#isRepG0, this.#isRepG1, this.#isRepG2, this.#isRep0Long, this.#posSlot, this.#posDecoders, this.#align]) {
      probs.fill(PROB_INIT);
    }
    this.#len = new LengthDecoder();
    this.#repLen = new LengthDecoder();
    this.#state = 0;
    this.#reps = [0, 0, 0, 0];
  }

  /**
   * Decodes from `input[start, end)` into `out` from `outPos` until `outLimit` bytes are out or an
   * end marker (when `allowEndMarker`). Returns the new output position.
   */
  decode(input: Uint8Array, start: number, end: number, outPos: number, outLimit: number, allowEndMarker: boolean): number {
    const rc = new RangeDecoder(input, start, end);
    const out = this.out;
    const pbMask = (1 << this.pb) - 1;
    const lpMask = (1 << this.lp) - 1;
    let pos = outPos;
    let [rep0, rep1, rep2, rep3] = this.#reps as [number, number, number, number];
    let state = this.#state;
    while (pos < outLimit) {
      if ((pos & 0xffff) === 0) this.budget.checkTime();
      const posState = pos & pbMask;
      if (rc.bit(this.#isMatch, (state << 4) + posState) === 0) {
        const prev = pos > this.dictStart ? (out[pos - 1] as number) : 0;
        const base = 0x300 * (((pos & lpMask) << this.lc) + (prev >>> (8 - this.lc)));
        let symbol = 1;
        if (state >= 7) {
          let matchByte = this.#byteAt(pos - rep0 - 1);
          while (symbol < 0x100) {
            const matchBit = (matchByte >>> 7) & 1;
            matchByte <<= 1;
            const bit = rc.bit(this.#literal, base + ((1 + matchBit) << 8) + symbol);
            symbol = (symbol << 1) | bit;
            if (matchBit !== bit) break;
          }
        }
        while (symbol < 0x100) symbol = (symbol << 1) | rc.bit(this.#literal, base + symbol);
        out[pos++] = symbol - 0x100;
        state = state < 4 ? 0 : state < 10 ? state - 3 : state - 6;
        continue;
      }
      let length: number;
      if (rc.bit(this.#isRep, state) === 1) {
        if (pos === this.dictStart) throw new MalformedInputError('LZMA repeat match before any output');
        if (rc.bit(this.#isRepG0, state) === 0) {
          if (rc.bit(this.#isRep0Long, (state << 4) + posState) === 0) {
            state = state < 7 ? 9 : 11;
            out[pos] = this.#byteAt(pos - rep0 - 1);
            pos += 1;
            continue;
          }
        } else {
          let distance: number;
          if (rc.bit(this.#isRepG1, state) === 0) {
            distance = rep1;
          } else {
            if (rc.bit(this.#isRepG2, state) === 0) {
              distance = rep2;
            } else {
              distance = rep3;
              rep3 = rep2;
            }
            rep2 = rep1;
          }
          rep1 = rep0;
          rep0 = distance;
        }
        length = this.#repLen.decode(rc, posState);
        state = state < 7 ? 8 : 11;
      } else {
        rep3 = rep2;
        rep2 = rep1;
        rep1 = rep0;
        length = this.#len.decode(rc, posState);
        state = state < 7 ? 7 : 10;
        rep0 = this.#distance(rc, length);
        if (rep0 === 0xffffffff) {
          if (!allowEndMarker) throw new MalformedInputError('unexpected LZMA end marker');
          break;
        }
      }
      length += MATCH_MIN_LEN;
      if (rep0 >= pos - this.dictStart) throw new MalformedInputError('LZMA match distance beyond the data decoded so far');
      const copy = Math.min(length, outLimit - pos);
      for (let i = 0; i < copy; i += 1) {
        out[pos] = out[pos - rep0 - 1] as number;
        pos += 1;
      }
    }
    this.#reps = [rep0, rep1, rep2, rep3];
    this.#state = state;
    return pos;
  }

  #byteAt(index: number): number {
    if (index < this.dictStart) throw new MalformedInputError('LZMA match distance beyond the data decoded so far');
    return this.out[index] as number;
  }

  #distance(rc: RangeDecoder, length: number): number {
    const lenState = Math.min(length, 3);
    const slot = rc.tree(this.#posSlot, lenState << 6, 6);
    if (slot < 4) return slot;
    const directBits = (slot >>> 1) - 1;
    let distance = (2 | (slot & 1)) * 2 ** directBits;
    if (slot < END_POS_MODEL_INDEX) {
      distance += rc.reverseTree(this.#posDecoders, distance - slot, directBits);
    } else {
      distance += rc.direct(directBits - 4) * 16;
      distance += rc.reverseTree(this.#align, 0, 4);
    }
    return distance;
  }
}

function allocate(size: number, cap: number): Uint8Array {
  if (size > cap) throw new ScanLimitError(`decompressed size ${size} is above the ${cap}-byte in-memory limit`);
  return new Uint8Array(size);
}

/** Decodes a 7z "LZMA" coder stream (5 property bytes given separately). */
export function decodeLzma(input: Uint8Array, props: Uint8Array, unpackSize: number, budget: ScanBudget, cap: number): Uint8Array {
  if (props.length < 5) throw new MalformedInputError('LZMA properties are too short');
  const out = allocate(unpackSize, cap);
  budget.chargeExpanded(unpackSize);
  const decoder = new LzmaDecoder(out, budget);
  decoder.setProperties(props[0] as number);
  decoder.resetState();
  const end = decoder.decode(input, 0, input.length, 0, unpackSize, true);
  return end === unpackSize ? out : out.subarray(0, end);
}

/** Decodes an LZMA2 stream (a sequence of chunks) of known unpacked size. */
export function decodeLzma2(input: Uint8Array, unpackSize: number, budget: ScanBudget, cap: number): Uint8Array {
  const out = allocate(unpackSize, cap);
  budget.chargeExpanded(unpackSize);
  const decoder = new LzmaDecoder(out, budget);
  let inPos = 0;
  let outPos = 0;
  let needProps = true;
  const byte = (): number => {
    if (inPos >= input.length) throw new MalformedInputError('LZMA2 data is truncated');
    return input[inPos++] as number;
  };
  for (;;) {
    budget.checkTime();
    const control = byte();
    if (control === 0x00) break;
    if (control === 0x01 || control === 0x02) {
      const size = ((byte() << 8) | byte()) + 1;
      if (control === 0x01) decoder.dictStart = outPos;
      if (outPos + size > unpackSize || inPos + size > input.length) throw new MalformedInputError('LZMA2 stored chunk overruns');
      out.set(input.subarray(inPos, inPos + size), outPos);
      inPos += size;
      outPos += size;
      continue;
    }
    if (control < 0x80) throw new MalformedInputError(`LZMA2 control byte 0x${control.toString(16)} is invalid`);
    const chunkUnpacked = ((control & 0x1f) << 16) + (byte() << 8) + byte() + 1;
    const chunkPacked = ((byte() << 8) | byte()) + 1;
    const reset = (control >>> 5) & 3;
    if (reset === 3) decoder.dictStart = outPos;
    if (reset >= 2) {
      decoder.setProperties(byte());
      needProps = false;
    } else if (needProps) {
      throw new MalformedInputError('LZMA2 chunk without properties');
    }
    if (reset >= 1) decoder.resetState();
    if (outPos + chunkUnpacked > unpackSize || inPos + chunkPacked > input.length) {
      throw new MalformedInputError('LZMA2 chunk overruns its stream');
    }
    const produced = decoder.decode(input, inPos, inPos + chunkPacked, outPos, outPos + chunkUnpacked, false);
    if (produced !== outPos + chunkUnpacked) throw new MalformedInputError('LZMA2 chunk decoded short');
    inPos += chunkPacked;
    outPos = produced;
  }
  return outPos === unpackSize ? out : out.subarray(0, outPos);
}
