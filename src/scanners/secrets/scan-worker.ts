/**
 * Worker-thread entry: scans the batches of files the pool sends and posts the reports back.
 * Reports hold masked values and hashes only, so raw secrets never cross the thread boundary.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { describeError } from '../../domain/index.js';
import { scanFile } from './file-scanner.js';
import type { FileReport } from './file-scanner.js';
import { builtinEngine } from './secret-engine-instance.js';
import type { WorkerInit, WorkerRequest, WorkerResponse } from './worker-pool.js';

const init = workerData as WorkerInit;
const allow = init.allowPatternSources.map((source) => new RegExp(source));
const engine = builtinEngine();

function scanOne(path: string, relativePath: string): FileReport {
  try {
    return scanFile(engine, path, relativePath, { allow, pii: init.pii });
  } catch (error) {
    return { path, relativePath, bytes: 0, findings: [], pii: [], notebook: false, truncated: 0, unscannable: `scan failed: ${describeError(error)}` };
  }
}

parentPort?.on('message', (request: WorkerRequest) => {
  const reports = request.files.map(([path, relativePath]) => scanOne(path, relativePath));
  const response: WorkerResponse = { id: request.id, reports };
  parentPort?.postMessage(response);
});
