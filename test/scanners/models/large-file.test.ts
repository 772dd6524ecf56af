// A 10 GB model whose risky part is a few kilobytes must cost a few kilobytes: sparse files made
// with ftruncate take no disk space, and stats.bytesRead shows what the scanner actually read.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { modelScanner, scanModelFile } from '../../../src/scanners/models/index.js';
import { globalCallV0, zipArchive } from './model-test-helpers.js';

const TEN_GB = 10 * 1024 ** 3;
const MB = 1024 * 1024;

/** A torch-style zip64 archive: data.pkl, then one stored 10 GB tensor member, then the directories. */
async function writeSparseTorchZip(path: string): Promise<void> {
  const pickle = globalCallV0('posix', 'system', 'id');
  const head = zipArchive([{ name: 'archive/data.pkl', data: pickle }], { centralDirectory: false });
  const tensorName = Buffer.from('archive/data/0');
  const zip64Extra = Buffer.alloc(20);
  zip64Extra.writeUInt16LE(1, 0);
  zip64Extra.writeUInt16LE(16, 2);
  zip64Extra.writeBigUInt64LE(BigInt(TEN_GB), 4);
  zip64Extra.writeBigUInt64LE(BigInt(TEN_GB), 12);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(45, 4);
  local.writeUInt32LE(0xffffffff, 18);
  local.writeUInt32LE(0xffffffff, 22);
  local.writeUInt16LE(tensorName.length, 26);
  local.writeUInt16LE(zip64Extra.length, 28);
  const tensorLocalOffset = head.length;
  const tensorDataOffset = tensorLocalOffset + 30 + tensorName.length + zip64Extra.length;
  const centralOffset = tensorDataOffset + TEN_GB;

  const central = (name: Buffer, offset: number, size: number, extra: Buffer): Buffer => {
    const record = Buffer.alloc(46);
    record.writeUInt32LE(0x02014b50, 0);
    record.writeUInt16LE(45, 4);
    record.writeUInt16LE(45, 6);
    record.writeUInt32LE(size >= 0xffffffff ? 0xffffffff : size, 20);
    record.writeUInt32LE(size >= 0xffffffff ? 0xffffffff : size, 24);
    record.writeUInt16LE(name.length, 28);
    record.writeUInt16LE(extra.length, 30);
    record.writeUInt32LE(offset, 42);
    return Buffer.concat([record, name, extra]);
  };
  const directory = Buffer.concat([
    central(Buffer.from('archive/data.pkl'), 0, pickle.length, Buffer.alloc(0)),
    central(tensorName, tensorLocalOffset, TEN_GB, zip64Extra),
  ]);
  const zip64End = Buffer.alloc(56);
  zip64End.writeUInt32LE(0x06064b50, 0);
  zip64End.writeBigUInt64LE(44n, 4);
  zip64End.writeBigUInt64LE(2n, 24);
  zip64End.writeBigUInt64LE(2n, 32);
  zip64End.writeBigUInt64LE(BigInt(directory.length), 40);
  zip64End.writeBigUInt64LE(BigInt(centralOffset), 48);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0);
  locator.writeBigUInt64LE(BigInt(centralOffset + directory.length), 8);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(0xffff, 8);
  end.writeUInt16LE(0xffff, 10);
  end.writeUInt32LE(0xffffffff, 12);
  end.writeUInt32LE(0xffffffff, 16);

  const handle = await open(path, 'w');
  try {
    await handle.write(Buffer.concat([head, local, tensorName, zip64Extra]), 0, undefined, 0);
    await handle.truncate(centralOffset);
    await handle.write(Buffer.concat([directory, zip64End, locator, end]), 0, undefined, centralOffset);
  } finally {
    await handle.close();
  }
}

/** A legacy torch file: magic, protocol, sys_info, the object (here a payload), keys; then 10 GB. */
async function writeSparseLegacyTorch(path: string): Promise<void> {
  const magic = Buffer.from([0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, 0x2e]);
  const pickles = Buffer.concat([magic, Buffer.from('\x80\x02M\xe9\x03.', 'latin1'), Buffer.from('\x80\x02}.', 'latin1'), globalCallV0('subprocess', 'getoutput', 'id'), Buffer.from('\x80\x02].', 'latin1')]);
  const handle = await open(path, 'w');
  try {
    await handle.write(pickles, 0, undefined, 0);
    await handle.truncate(TEN_GB);
  } finally {
    await handle.close();
  }
}

describe('large sparse files', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'warden-models-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('scans a 10 GB zip64 torch archive reading a few kilobytes', async () => {
    const path = join(dir, 'big.pt');
    await writeSparseTorchZip(path);
    const report = await scanModelFile(path);
    assert.equal(report.size > TEN_GB, true);
    assert.deepEqual(report.unscannable, []);
    const finding = report.issues.find((i) => i.ruleId === 'models/pickle-dangerous-import');
    assert.equal(finding?.properties?.['import'], 'posix.system');
    assert.equal(finding?.member, 'archive/data.pkl');
    assert.ok(report.bytesRead < 2 * MB, `read ${report.bytesRead} bytes`);
  });

  it('scans a 10 GB legacy torch file reading only its pickles', async () => {
    const path = join(dir, 'legacy.bin');
    await writeSparseLegacyTorch(path);
    const result = await modelScanner.scan({ root: dir, inputs: [path] }, { options: {} });
    assert.equal(result.findings.find((f) => f.ruleId === 'models/pickle-dangerous-import')?.properties?.['import'], 'subprocess.getoutput');
    assert.equal(result.stats?.['bytesOnDisk'], TEN_GB);
    assert.ok((result.stats?.['bytesRead'] ?? Infinity) < 2 * MB, `read ${result.stats?.['bytesRead']} bytes`);
  });
});
