/**
 * Bounds on the work one model file may cause. Threat assumption: every byte of a scanned file is
 * chosen by an attacker who wants the scanner to hang, run out of memory, or give up quietly. So
 * every loop that an input can lengthen checks a budget, and running over a budget is reported as
 * "unscannable" with the reason, never as clean.
 */
import { WardenError } from '../../domain/index.js';

export interface ModelScanLimits {
  /** Wall-clock time for one file (all its members), in milliseconds. */
  readonly fileTimeMs: number;
  /** Bytes actually read from disk for one file. */
  readonly maxBytesRead: number;
  /** Bytes produced by decompression (deflate, LZMA, gzip) for one file. */
  readonly maxExpandedBytes: number;
  /** Largest member or stream we hold in memory at once (nested archives, JSON configs). */
  readonly maxInMemoryBytes: number;
  /** Decompressed/compressed ratio above which a stream is treated as a bomb (after 1 MiB). */
  readonly maxExpansionRatio: number;
  /** Archives inside archives. */
  readonly maxDepth: number;
  /** Members of one archive. */
  readonly maxMembers: number;
  /** Opcodes of one pickle. */
  readonly maxPickleOps: number;
  /** Entries of one pickle memo, and items on its stack. */
  readonly maxPickleMemo: number;
  /** Pickles followed one after another in one stream. */
  readonly maxPicklesPerStream: number;
  /** Bytes between known archive members that we search for hidden local headers. */
  readonly maxGapScanBytes: number;
}

export const DEFAULT_MODEL_SCAN_LIMITS: ModelScanLimits = {
  fileTimeMs: 60_000,
  maxBytesRead: 1024 * 1024 * 1024,
  maxExpandedBytes: 2 * 1024 * 1024 * 1024,
  maxInMemoryBytes: 256 * 1024 * 1024,
  maxExpansionRatio: 2000,
  maxDepth: 6,
  maxMembers: 100_000,
  maxPickleOps: 50_000_000,
  maxPickleMemo: 5_000_000,
  maxPicklesPerStream: 10_000,
  maxGapScanBytes: 64 * 1024 * 1024,
};

/** Thrown when a budget runs out; the caller turns it into an "unscannable" entry. */
export class ScanLimitError extends WardenError {
  constructor(message: string) {
    super('SCAN_LIMIT', message);
  }
}

/** Thrown when the bytes are not what their format requires (truncated, corrupt, unsupported). */
export class MalformedInputError extends WardenError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('INPUT_INVALID', message, options);
  }
}

/**
 * The running account for one file: bytes read and expanded, and the deadline. One instance is
 * shared by every reader and decoder working on the same top-level file.
 */
export class ScanBudget {
  readonly limits: ModelScanLimits;
  readonly deadline: number;
  bytesRead = 0;
  bytesExpanded = 0;
  #ticks = 0;
  readonly #signal: AbortSignal | undefined;

  constructor(limits: ModelScanLimits, signal?: AbortSignal) {
    this.limits = limits;
    this.deadline = Date.now() + limits.fileTimeMs;
    this.#signal = signal;
  }

  chargeRead(bytes: number): void {
    this.bytesRead += bytes;
    if (this.bytesRead > this.limits.maxBytesRead) {
      throw new ScanLimitError(`read limit of ${this.limits.maxBytesRead} bytes exceeded`);
    }
  }

  chargeExpanded(bytes: number): void {
    this.bytesExpanded += bytes;
    if (this.bytesExpanded > this.limits.maxExpandedBytes) {
      throw new ScanLimitError(`decompression limit of ${this.limits.maxExpandedBytes} bytes exceeded`);
    }
  }

  /** Cheap enough to call in hot loops: looks at the clock only every 1024 calls. */
  tick(): void {
    this.#ticks += 1;
    if ((this.#ticks & 1023) === 0) this.checkTime();
  }

  checkTime(): void {
    if (this.#signal?.aborted === true) throw new ScanLimitError('scan aborted');
    if (Date.now() > this.deadline) {
      throw new ScanLimitError(`time limit of ${this.limits.fileTimeMs} ms per file exceeded`);
    }
  }
}

export function isLimitError(error: unknown): error is ScanLimitError {
  return error instanceof ScanLimitError;
}
