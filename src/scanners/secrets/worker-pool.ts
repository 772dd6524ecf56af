/**
 * Spreads file scanning over worker threads. The main thread only walks the tree and hands out
 * batches; each worker keeps two batches queued so it never waits for the next one.
 */
import { Worker } from 'node:worker_threads';
import type { FileReport } from './file-scanner.js';

export interface WorkerInit {
  readonly allowPatternSources: readonly string[];
  readonly pii: boolean;
}

export interface WorkerRequest {
  readonly id: number;
  readonly files: readonly (readonly [string, string])[];
}

export interface WorkerResponse {
  readonly id: number;
  readonly reports: readonly FileReport[];
}

const BATCH_FILES = 32;
const IN_FLIGHT_PER_WORKER = 2;

export async function scanWithWorkers(
  files: readonly (readonly [string, string])[],
  workers: number,
  init: WorkerInit,
  onReports: (reports: readonly FileReport[]) => void,
  signal?: AbortSignal,
): Promise<{ aborted: readonly (readonly [string, string])[] }> {
  const batches: (readonly (readonly [string, string])[])[] = [];
  for (let i = 0; i < files.length; i += BATCH_FILES) batches.push(files.slice(i, i + BATCH_FILES));
  const count = Math.max(1, Math.min(workers, batches.length));
  const url = new URL('./scan-worker.js', import.meta.url);
  const pool = Array.from({ length: count }, () => new Worker(url, { workerData: init }));
  let next = 0;
  const aborted: (readonly [string, string])[] = [];
  try {
    await Promise.all(
      pool.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            let inFlight = 0;
            const pending = new Map<number, readonly (readonly [string, string])[]>();
            const send = (): void => {
              while (inFlight < IN_FLIGHT_PER_WORKER && next < batches.length && signal?.aborted !== true) {
                const id = next;
                const batch = batches[next] as readonly (readonly [string, string])[];
                next += 1;
                inFlight += 1;
                pending.set(id, batch);
                const request: WorkerRequest = { id, files: batch };
                worker.postMessage(request);
              }
              if (inFlight === 0) resolve();
            };
            worker.on('message', (response: WorkerResponse) => {
              inFlight -= 1;
              pending.delete(response.id);
              onReports(response.reports);
              send();
            });
            worker.on('error', (error) => reject(error));
            worker.on('exit', (code) => {
              if (inFlight > 0) reject(new Error(`a secrets worker exited with code ${code} while scanning`));
            });
            send();
          }),
      ),
    );
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  if (signal?.aborted === true) for (let i = next; i < batches.length; i += 1) aborted.push(...(batches[i] as readonly (readonly [string, string])[]));
  return { aborted };
}
