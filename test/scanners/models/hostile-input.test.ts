// Random and mutated inputs (seeded, bounded): the scanner never throws, never runs past its time
// bound, never leaks memory, and never calls a damaged file clean without saying so.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { scanModelBytes } from '../../../src/scanners/models/index.js';
import { fixturesDir, prng } from './model-test-helpers.js';

const PER_FILE_MS = 2000;
const limits = { fileTimeMs: PER_FILE_MS, maxInMemoryBytes: 32 * 1024 * 1024, maxExpandedBytes: 64 * 1024 * 1024 };

function seeds(): Buffer[] {
  const files: Buffer[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (!name.endsWith('.py') && !name.endsWith('.json')) files.push(readFileSync(full));
    }
  };
  walk(fixturesDir);
  return files;
}

function mutate(input: Buffer, random: () => number): Buffer {
  const bytes = Buffer.from(input);
  const kind = Math.floor(random() * 4);
  if (kind === 0) {
    for (let i = 0; i < 1 + Math.floor(random() * 8); i += 1) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
    return bytes;
  }
  if (kind === 1) return bytes.subarray(0, Math.floor(random() * bytes.length));
  if (kind === 2) {
    // Plant a large length field somewhere: the classic way to ask a parser for gigabytes.
    const at = Math.floor(random() * Math.max(1, bytes.length - 8));
    bytes.writeUInt32LE(0xfffffff0, Math.min(at, Math.max(0, bytes.length - 4)));
    return bytes;
  }
  const at = Math.floor(random() * bytes.length);
  return Buffer.concat([bytes.subarray(0, at), bytes.subarray(at, at + Math.floor(random() * 64)), bytes.subarray(at)]);
}

async function scanChecked(bytes: Buffer, label: string): Promise<void> {
  const started = Date.now();
  const report = await scanModelBytes(bytes, { limits });
  const elapsed = Date.now() - started;
  assert.ok(elapsed < PER_FILE_MS + 1000, `${label} took ${elapsed} ms`);
  assert.ok(Array.isArray(report.issues) && Array.isArray(report.unscannable), label);
  for (const part of report.unscannable) assert.ok(part.reason.length > 0, `${label}: unscannable parts say why`);
}

describe('hostile input', () => {
  it('survives mutated fixtures (seeded)', async () => {
    const random = prng(20240611);
    const inputs = seeds();
    assert.ok(inputs.length >= 20);
    const heapBefore = process.memoryUsage().heapUsed;
    for (let round = 0; round < 600; round += 1) {
      const seed = inputs[Math.floor(random() * inputs.length)] as Buffer;
      await scanChecked(mutate(seed, random), `mutation ${round}`);
    }
    globalThis.gc?.();
    const growth = process.memoryUsage().heapUsed - heapBefore;
    assert.ok(growth < 64 * 1024 * 1024, `heap grew by ${growth} bytes`);
  });

  it('survives random bytes behind every magic number it knows', async () => {
    const random = prng(7);
    const magics = ['PK\x03\x04', '7z\xbc\xaf\x27\x1c', '\x93NUMPY', 'GGUF', '\x89HDF\r\n\x1a\n', '\x80\x04', '\x80\x02', 'c', '(', '\x1f\x8b', 'x\x9c', '\x08\x07', '{'];
    for (let round = 0; round < 400; round += 1) {
      const magic = Buffer.from(magics[round % magics.length] as string, 'latin1');
      const body = Buffer.alloc(Math.floor(random() * 2048));
      for (let i = 0; i < body.length; i += 1) body[i] = Math.floor(random() * 256);
      await scanChecked(Buffer.concat([magic, body]), `random ${round}`);
    }
  });

  it('gives up on a pathological pickle at the time limit, reporting it unscannable', async () => {
    // 3 million MARK/POP_MARK pairs: valid, pointless, and slow to walk.
    const body = Buffer.alloc(6_000_000);
    for (let i = 0; i < body.length; i += 2) {
      body[i] = 0x28;
      body[i + 1] = 0x31;
    }
    const started = Date.now();
    const report = await scanModelBytes(Buffer.concat([Buffer.from([0x80, 0x04]), body, Buffer.from('N.')]), { limits: { fileTimeMs: 200 } });
    assert.ok(Date.now() - started < 1500);
    assert.match(report.unscannable[0]?.reason ?? '', /time limit of 200 ms/);
  });
});
