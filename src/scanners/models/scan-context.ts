/**
 * What every format reader shares while one file is scanned: the budget, the issues found so far,
 * what could not be scanned, and a way to hand nested content (archive members) back to the
 * dispatcher. Also the "blob" abstraction: a piece of content that may be a plain range of the
 * file (random access for free) or the output of a decompressor (sequential; random access only
 * by holding it in memory under a cap).
 */
import type { Severity } from '../../domain/index.js';
import { BufferByteSource } from './byte-source.js';
import type { ByteSource } from './byte-source.js';
import { InflateStream, SourceStream, collectStream } from './byte-stream.js';
import type { ByteStream, CompressionKind } from './byte-stream.js';
import type { ModelRuleId } from './model-rules.js';
import type { ScanBudget } from './scan-limits.js';

export interface ModelIssue {
  readonly ruleId: ModelRuleId;
  readonly severity: Severity;
  readonly message: string;
  /** Path inside the file (archive member, "pickle #2"), when not the file itself. */
  readonly member?: string;
  /** What identifies the issue apart from where it is (for the fingerprint). */
  readonly key: string;
  readonly evidence?: string;
  readonly properties?: Readonly<Record<string, string | number | boolean>>;
}

export interface UnscannablePart {
  readonly member?: string;
  readonly reason: string;
}

export interface Blob {
  /** Decoded size when known. */
  readonly size: number | undefined;
  /** The first `n` bytes (fewer when the content is shorter). */
  head(n: number): Promise<Buffer>;
  /** A fresh sequential stream over the whole content. */
  stream(): ByteStream;
  /** Random access; decompressed content is held in memory, refused above the in-memory cap. */
  random(): Promise<ByteSource>;
  /** True when `random()` costs nothing (a range of the file or memory). */
  readonly seekable: boolean;
}

export type NestedScanner = (blob: Blob, member: string | undefined, depth: number) => Promise<boolean>;

export class FileScanContext {
  readonly issues: ModelIssue[] = [];
  readonly unscannable: UnscannablePart[] = [];
  readonly formats = new Set<string>();
  members = 0;
  pickles = 0;
  readonly #seen = new Set<string>();

  constructor(
    readonly budget: ScanBudget,
    readonly nested: NestedScanner,
  ) {}

  /** Records an issue once per (rule, member, key). */
  issue(issue: ModelIssue): void {
    const id = `${issue.ruleId}\u0000${issue.member ?? ''}\u0000${issue.key}`;
    if (this.#seen.has(id)) return;
    this.#seen.add(id);
    this.issues.push(issue);
  }

  fail(member: string | undefined, reason: string): void {
    this.unscannable.push({ ...(member !== undefined && { member }), reason });
  }
}

export function sourceBlob(source: ByteSource): Blob {
  return {
    size: source.size,
    seekable: true,
    head: (n) => source.read(0, n),
    stream: () => new SourceStream(source),
    random: async () => source,
  };
}

/** A compressed range of `source`, decompressed on demand with the file's budget. */
export function compressedBlob(
  source: ByteSource,
  start: number,
  end: number,
  kind: CompressionKind,
  budget: ScanBudget,
  declaredSize?: number,
): Blob {
  let memory: Promise<ByteSource> | undefined;
  // Detection asks for the head several times; decompress it once (the longest asked for so far).
  let head: { asked: number; bytes: Buffer } | undefined;
  const open = (): ByteStream => new InflateStream(new SourceStream(source, start, end), kind, budget, budget.limits.maxExpandedBytes);
  return {
    size: declaredSize,
    seekable: false,
    head: async (n) => {
      if (head !== undefined && (head.asked >= n || head.bytes.length < head.asked)) return head.bytes.subarray(0, n);
      const stream = open();
      try {
        const parts: Buffer[] = [];
        let total = 0;
        while (total < n) {
          const chunk = await stream.read(n - total);
          if (chunk.length === 0) break;
          parts.push(Buffer.from(chunk));
          total += chunk.length;
        }
        head = { asked: n, bytes: Buffer.concat(parts, total) };
        return head.bytes;
      } finally {
        stream.close?.();
      }
    },
    stream: open,
    random: () => {
      memory ??= collectStream(open(), budget.limits.maxInMemoryBytes).then((bytes) => new BufferByteSource(bytes));
      return memory;
    },
  };
}

export function memoryBlob(bytes: Uint8Array): Blob {
  return sourceBlob(new BufferByteSource(bytes));
}

/** "outer.zip!/inner/data.pkl"-style member paths for nested content. */
export function joinMember(parent: string | undefined, child: string): string {
  return parent === undefined ? child : `${parent}!/${child}`;
}
