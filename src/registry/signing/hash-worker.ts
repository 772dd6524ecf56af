/**
 * Worker thread that hashes byte ranges of files with SHA-256. Runs in its own thread so that two
 * workers hash two files (or two shards) in parallel; each worker owns one fixed read buffer, so
 * memory stays bounded whatever the model size (we never read a whole file into memory).
 *
 * Threat assumption: between the walk and the read a file can be replaced (by a symbolic link, a
 * FIFO, a shorter file). We open with O_NOFOLLOW when links are not allowed, check the opened
 * descriptor is a regular file, and report a size change instead of hashing a different range.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import type { HashRequest, HashResponse, HashTask, HashOutcome } from './hash-protocol.js';

// 256 KiB reads keep the buffer in L2 while SHA-256 consumes it; larger reads measured no faster.
const DEFAULT_CHUNK = 256 * 1024;

// Local helper: importing the domain module would load zod into every worker for one function.
function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
let buffer = Buffer.allocUnsafe(DEFAULT_CHUNK);

function hashTask(task: HashTask): HashOutcome {
  const flags = constants.O_RDONLY | (task.followSymlinks ? 0 : constants.O_NOFOLLOW);
  let fd: number;
  try {
    fd = openSync(task.path, flags);
  } catch (error) {
    return { ok: false, reason: `cannot open: ${messageOf(error)}` };
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) return { ok: false, reason: 'is no longer a regular file' };
    const hash = createHash('sha256');
    let position = task.start;
    const end = task.end; // null: to end of file (whole-file mode)
    let total = 0;
    for (;;) {
      const want = end === null ? buffer.length : Math.min(buffer.length, end - position);
      if (want <= 0) break;
      const n = readSync(fd, buffer, 0, want, position);
      if (n === 0) break;
      // update() consumes the bytes synchronously, so reusing the buffer on the next read is safe.
      hash.update(buffer.subarray(0, n));
      position += n;
      total += n;
    }
    if (end !== null && position !== end) {
      return { ok: false, reason: `changed size while hashing (expected bytes up to ${end}, file ends at ${position})` };
    }
    return { ok: true, digestHex: hash.digest('hex'), bytes: total };
  } catch (error) {
    return { ok: false, reason: `read failed: ${messageOf(error)}` };
  } finally {
    closeSync(fd);
  }
}

const port = parentPort;
if (port === null) throw new Error('hash-worker must run as a worker thread');
port.on('message', (request: HashRequest) => {
  if (request.chunkSize !== undefined && request.chunkSize !== buffer.length) {
    buffer = Buffer.allocUnsafe(request.chunkSize);
  }
  const outcomes = request.tasks.map(hashTask);
  const response: HashResponse = { batch: request.batch, outcomes };
  port.postMessage(response);
});
