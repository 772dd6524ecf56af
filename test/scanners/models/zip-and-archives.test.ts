import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { scanModelBytes } from '../../../src/scanners/models/index.js';
import type { ModelFileReport } from '../../../src/scanners/models/index.js';
import { globalCallV0, zipArchive } from './model-test-helpers.js';

const payload = globalCallV0('posix', 'system', 'id');

function dangerousMembers(report: ModelFileReport): string[] {
  return report.issues.filter((i) => i.ruleId === 'models/pickle-dangerous-import').map((i) => i.member ?? '');
}

describe('tolerant zip reading', () => {
  it('finds a pickle member whatever its name and folder, ignoring CRCs', async () => {
    const report = await scanModelBytes(zipArchive([{ name: 'assets/logo.png', data: payload, crc: 0 }]));
    assert.deepEqual(dangerousMembers(report), ['assets/logo.png']);
  });

  it('reads members flagged as encrypted or patched when their bytes are plain', async () => {
    for (const flags of [0x01, 0x20, 0x40]) {
      const report = await scanModelBytes(zipArchive([{ name: 'model/data.pkl', data: payload, flags }]));
      assert.deepEqual(dangerousMembers(report), ['model/data.pkl'], `flags 0x${flags.toString(16)}`);
    }
  });

  it('reports a truly encrypted member as unscannable, not clean', async () => {
    const report = await scanModelBytes(zipArchive([{ name: 'data.pkl', data: Buffer.from('9c1f0a77e3b2d4c58a0b1e2f3a4b5c6d', 'hex'), flags: 0x01 }]));
    assert.equal(report.unscannable.length, 1);
    assert.match(report.unscannable[0]?.reason ?? '', /encrypted/);
  });

  it('sees a pickle whose first argument is longer than the sniffing window', async () => {
    const long = Buffer.concat([Buffer.from([0x80, 0x02, 0x42]), Buffer.from([0x00, 0x20, 0x00, 0x00]), Buffer.alloc(0x2000), payload]);
    const report = await scanModelBytes(zipArchive([{ name: 'data/0', data: long }]));
    assert.deepEqual(dangerousMembers(report), ['data/0']);
  });

  it('does not call tensor bytes that merely start like a pickle unscannable', async () => {
    // PROTO 2, then BINUNICODE with a length from random float bits: an unpickler fails here too.
    const tensor = Buffer.concat([Buffer.from([0x80, 0x02, 0x58, 0x13, 0x9a, 0x4f, 0x3e]), Buffer.alloc(4096, 0x3f)]);
    const report = await scanModelBytes(zipArchive([{ name: 'archive/data.pkl', data: Buffer.from([0x80, 0x02, 0x7d, 0x2e]) }, { name: 'archive/data/0', data: tensor }]));
    assert.deepEqual(report.unscannable, []);
    assert.deepEqual(report.issues, []);
  });

  it('scans members that only local headers know about, and says the directories disagree', async () => {
    const zip = zipArchive([
      { name: 'version', data: Buffer.from('3\n') },
      { name: 'hidden.pkl', data: payload, hidden: true },
      { name: 'data.pkl', data: Buffer.from([0x80, 0x02, 0x7d, 0x2e]), localName: 'data.bin' },
    ]);
    const report = await scanModelBytes(zip);
    assert.deepEqual(dangerousMembers(report), ['hidden.pkl']);
    const anomalies = report.issues.filter((i) => i.ruleId === 'models/archive-anomaly').map((i) => i.message).join('\n');
    assert.match(anomalies, /hidden\.pkl.*not in the central directory/);
    assert.match(anomalies, /"data\.pkl" in the central directory is "data\.bin" in its local header/);
  });

  it('still scans the members of an archive whose central directory is missing, and says so', async () => {
    const report = await scanModelBytes(zipArchive([{ name: 'a/data.pkl', data: payload, method: 8 }], { centralDirectory: false }));
    assert.deepEqual(dangerousMembers(report), ['a/data.pkl']);
    assert.match(report.unscannable.map((u) => u.reason).join(), /no end-of-central-directory/);
  });

  it('opens zips inside zips, deflated or stored, down to the depth limit', async () => {
    const inner = zipArchive([{ name: 'x.pkl', data: payload, method: 8 }]);
    const outer = zipArchive([{ name: 'inner.zip', data: inner, method: 8 }]);
    assert.deepEqual(dangerousMembers(await scanModelBytes(outer)), ['inner.zip!/x.pkl']);
    let nested = inner;
    for (let i = 0; i < 5; i += 1) nested = zipArchive([{ name: `level${i}.zip`, data: nested }]);
    const deep = await scanModelBytes(nested, { limits: { maxDepth: 3 } });
    assert.equal(dangerousMembers(deep).length, 0);
    assert.match(deep.unscannable.map((u) => u.reason).join(), /nested more than 3 levels/);
  });

  it('scans the zip hidden at the end of a file that starts as something else', async () => {
    const polyglot = Buffer.concat([Buffer.from([0x80, 0x02, 0x7d, 0x2e]), zipArchive([{ name: 'evil.pkl', data: payload }])]);
    const report = await scanModelBytes(polyglot);
    assert.ok(report.issues.some((i) => i.ruleId === 'models/polyglot-file'));
    assert.deepEqual(dangerousMembers(report), ['<embedded zip>!/evil.pkl']);
  });

  it('stops a decompression bomb at the expansion limit and reports it', async () => {
    // PROTO 2, BINBYTES of 64 MiB of zeros, STOP: deflates to a few dozen KiB.
    const header = Buffer.from([0x80, 0x02, 0x42, 0, 0, 0, 0]);
    header.writeUInt32LE(64 * 1024 * 1024, 3);
    const bomb = zipArchive([{ name: 'data.pkl', data: Buffer.concat([header, Buffer.alloc(64 * 1024 * 1024), Buffer.from('.')]), method: 8 }]);
    const report = await scanModelBytes(bomb, { limits: { maxExpansionRatio: 100 } });
    assert.match(report.unscannable.map((u) => u.reason).join(), /expansion ratio above 100:1/);
    assert.ok(report.bytesExpanded < 8 * 1024 * 1024, `stopped early (${report.bytesExpanded} bytes expanded)`);
  });
});
