/**
 * A small pool of worker threads hashing file ranges. Work is handed out in batches (many small
 * files per message, one large file or shard per message) so that message overhead stays small
 * for models made of thousands of tiny files while big files still spread across workers.
 *
 * Memory: each worker holds one read buffer (`chunkSize`, 256 KiB by default) and the pool holds the
 * task list and one hex digest per task; nothing scales with file size.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { WardenError } from '../../domain/index.js';
import type { HashOutcome, HashRequest, HashResponse, HashTask } from './hash-protocol.js';
import { printable } from './model-walk.js';

export type { HashTask } from './hash-protocol.js';

export interface HashPoolOptions {
  /** Number of worker threads; defaults to the available parallelism (at least 1, at most 8). */
  readonly workers?: number;
  /** Read size per system call in bytes (default 256 KiB). */
  readonly chunkSize?: number;
}

export interface HashedRange {
  readonly digestHex: string;
  readonly bytes: number;
}

/** Bytes after which a batch is closed: a batch holds many small files or one big one. */
const BATCH_BYTES = 8 * 1024 * 1024;
const BATCH_TASKS = 256;
/** Upper bound on the per-worker read buffer, so memory stays bounded whatever the caller asks. */
const MAX_CHUNK = 64 * 1024 * 1024;

export function defaultWorkerCount(): number {
  return Math.max(1, Math.min(8, availableParallelism()));
}

interface Batch {
  readonly id: number;
  readonly first: number;
  readonly tasks: HashTask[];
}

function makeBatches(tasks: readonly HashTask[], sizes: readonly number[]): Batch[] {
  const batches: Batch[] = [];
  let current: Batch | null = null;
  let bytes = 0;
  tasks.forEach((task, index) => {
    const size = sizes[index] ?? 0;
    if (current === null || bytes + size > BATCH_BYTES || current.tasks.length >= BATCH_TASKS) {
      current = { id: batches.length, first: index, tasks: [] };
      batches.push(current);
      bytes = 0;
    }
    current.tasks.push(task);
    bytes += size;
  });
  return batches;
}

function workerUrl(): URL {
  return new URL('./hash-worker.js', import.meta.url);
}

/**
 * Hashes every task and returns results in task order. `sizes[i]` is the expected byte count of
 * task i (used only to balance batches). Throws WardenError INPUT_INVALID naming the first file
 * that could not be hashed.
 */
export async function hashRanges(
  tasks: readonly HashTask[],
  sizes: readonly number[],
  options: HashPoolOptions = {},
): Promise<HashedRange[]> {
  if (tasks.length === 0) return [];
  if (options.chunkSize !== undefined && (!Number.isSafeInteger(options.chunkSize) || options.chunkSize < 4096 || options.chunkSize > MAX_CHUNK)) {
    throw new WardenError('USAGE', `chunk size must be an integer between 4096 and ${MAX_CHUNK} bytes`);
  }
  const batches = makeBatches(tasks, sizes);
  // Largest batches first: a big file started last would leave the other workers idle at the end.
  const order = [...batches].sort((a, b) => batchBytes(b, sizes) - batchBytes(a, sizes));
  const workerCount = Math.max(1, Math.min(options.workers ?? defaultWorkerCount(), batches.length));
  const results: (HashedRange | undefined)[] = new Array<HashedRange | undefined>(tasks.length);
  const workers: Worker[] = [];

  try {
    await new Promise<void>((resolvePool, rejectPool) => {
      let next = 0;
      let done = 0;
      let failed = false;
      const fail = (error: unknown): void => {
        if (failed) return;
        failed = true;
        rejectPool(error);
      };
      const dispatch = (worker: Worker): void => {
        const batch = order[next];
        if (batch === undefined) return;
        next += 1;
        const request: HashRequest = { batch: batch.id, tasks: batch.tasks, chunkSize: options.chunkSize };
        worker.postMessage(request);
      };
      for (let i = 0; i < workerCount; i += 1) {
        const worker = new Worker(workerUrl());
        workers.push(worker);
        worker.on('message', (response: HashResponse) => {
          if (failed) return;
          const batch = batches[response.batch];
          if (batch === undefined) {
            fail(new WardenError('INTERNAL', `hash worker answered for unknown batch ${response.batch}`));
            return;
          }
          for (let k = 0; k < response.outcomes.length; k += 1) {
            const outcome = response.outcomes[k] as HashOutcome;
            const task = batch.tasks[k] as HashTask;
            if (!outcome.ok) {
              fail(
                new WardenError('INPUT_INVALID', `${printable(task.path)}: ${outcome.reason}`, {
                  details: { path: task.path, reason: outcome.reason },
                }),
              );
              return;
            }
            results[batch.first + k] = { digestHex: outcome.digestHex, bytes: outcome.bytes };
          }
          done += 1;
          if (done === batches.length) resolvePool();
          else dispatch(worker);
        });
        worker.on('error', (error) => fail(new WardenError('INTERNAL', `hash worker failed: ${error.message}`, { cause: error })));
        worker.on('exit', (code) => {
          if (done < batches.length && code !== 0) fail(new WardenError('INTERNAL', `hash worker exited with code ${code}`));
        });
        dispatch(worker);
      }
    });
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  return results.map((result, index) => {
    if (result === undefined) throw new WardenError('INTERNAL', `no digest computed for ${tasks[index]?.path ?? index}`);
    return result;
  });
}

function batchBytes(batch: Batch, sizes: readonly number[]): number {
  let total = 0;
  for (let i = 0; i < batch.tasks.length; i += 1) total += sizes[batch.first + i] ?? 0;
  return total;
}
