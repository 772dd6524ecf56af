// Format readers on inputs written in the test, so each case shows the bytes that trigger it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { scanModelBytes } from '../../../src/scanners/models/index.js';
import { globalCallV0, zipArchive } from './model-test-helpers.js';

function safetensors(header: Record<string, unknown>, data: Buffer): Buffer {
  const json = Buffer.from(JSON.stringify(header));
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(json.length));
  return Buffer.concat([length, json, data]);
}

function ggufWithTemplate(template: string): Buffer {
  const str = (s: string): Buffer => {
    const b = Buffer.from(s);
    const n = Buffer.alloc(8);
    n.writeBigUInt64LE(BigInt(b.length));
    return Buffer.concat([n, b]);
  };
  const u32 = (n: number): Buffer => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n);
    return b;
  };
  const counts = Buffer.alloc(16);
  counts.writeBigUInt64LE(0n, 0);
  counts.writeBigUInt64LE(1n, 8);
  return Buffer.concat([Buffer.from('GGUF'), u32(3), counts, str('tokenizer.chat_template'), u32(8), str(template)]);
}

describe('safetensors', () => {
  const f32 = (n: number): Buffer => Buffer.alloc(4 * n);
  it('accepts a header whose offsets tile the data exactly', async () => {
    const report = await scanModelBytes(safetensors({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [1], data_offsets: [8, 12] } }, f32(3)));
    assert.deepEqual(report.formats, ['safetensors']);
    assert.deepEqual(report.issues, []);
  });

  it('reports offsets past the end, gaps and dtype/shape mismatches', async () => {
    const report = await scanModelBytes(safetensors({ a: { dtype: 'F32', shape: [4], data_offsets: [4, 20] } }, f32(2)));
    const message = report.issues.map((i) => i.message).join();
    assert.match(message, /before tensor "a" belong to no tensor/);
    assert.match(message, /end at byte 20 of the data, which has only 8/);
  });

  it('treats an absurd header length as unscannable', async () => {
    const bytes = Buffer.alloc(16);
    bytes.writeBigUInt64LE(200_000_000n);
    bytes[8] = 0x7b;
    const report = await scanModelBytes(bytes);
    assert.equal(report.recognised, false, 'a header longer than the file is not safetensors at all');
  });
});

describe('GGUF chat templates', () => {
  it('flags templates that reach Python internals', async () => {
    const report = await scanModelBytes(ggufWithTemplate("{{ cycler.__init__.__globals__.os.popen('id').read() }}"));
    const finding = report.issues.find((i) => i.ruleId === 'models/gguf-template-injection');
    assert.equal(finding?.severity, 'high');
    assert.match(finding?.message ?? '', /__globals__/);
  });

  it('leaves an ordinary template alone and notices indirect attribute building', async () => {
    assert.deepEqual((await scanModelBytes(ggufWithTemplate("{% for m in messages %}{{ m['role'] }}: {{ m['content'] }}\n{% endfor %}"))).issues, []);
    const hidden = await scanModelBytes(ggufWithTemplate("{{ messages|attr('_' ~ '_class_' ~ '_') }}"));
    assert.equal(hidden.issues[0]?.severity, 'medium');
  });
});

describe('Keras configs', () => {
  it('flags Lambda layers and dangerous module references in config.json', async () => {
    const config = {
      module: 'keras', class_name: 'Functional', config: {
        layers: [
          { module: 'keras.layers', class_name: 'Lambda', config: { name: 'l', function: { class_name: '__lambda__', config: { code: 'YWJj' } } } },
          { module: 'subprocess', class_name: 'Popen', config: {} },
          { module: 'mycompany.layers', class_name: 'Fancy', config: {} },
        ],
      },
    };
    const report = await scanModelBytes(zipArchive([{ name: 'config.json', data: Buffer.from(JSON.stringify(config)), method: 8 }]));
    const rules = report.issues.map((i) => `${i.ruleId}:${i.severity}:${i.properties?.['import']}`).sort();
    assert.deepEqual(rules, [
      'models/keras-custom-object:medium:mycompany.layers.Fancy',
      'models/keras-dangerous-import:critical:subprocess.Popen',
      'models/keras-lambda-layer:high:keras.layers.Lambda',
    ]);
  });

  it('finds the model_config JSON inside an HDF5 file without an HDF5 parser', async () => {
    const config = JSON.stringify({ class_name: 'Sequential', config: { layers: [{ class_name: 'Lambda', config: { name: 'evil', function: ['YWJj', null, null] } }] } });
    const superblock = Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);
    const h5 = Buffer.concat([superblock, Buffer.alloc(200), Buffer.from('model_config\0\0\0\0'), Buffer.alloc(40), Buffer.from(config), Buffer.alloc(300)]);
    const report = await scanModelBytes(h5);
    assert.deepEqual(report.formats, ['hdf5', 'keras-h5']);
    assert.equal(report.issues[0]?.ruleId, 'models/keras-lambda-layer');
    assert.match(report.issues[0]?.message ?? '', /"evil"/);
  });
});

describe('compressed and odd containers', () => {
  it('reads pickles inside gzip streams and reports compressors it cannot open', async () => {
    const { gzipSync } = await import('node:zlib');
    const report = await scanModelBytes(gzipSync(globalCallV0('nt', 'system', 'dir')));
    assert.equal(report.issues[0]?.properties?.['import'], 'nt.system');
    assert.equal(report.issues[0]?.member, '<gzip>');
    const xz = await scanModelBytes(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00, 0x04]));
    assert.match(xz.unscannable[0]?.reason ?? '', /compressed with xz/);
  });

  it('reads tar members, as in the oldest torch.save format', async () => {
    const header = Buffer.alloc(512);
    header.write('pickle', 0);
    const data = globalCallV0('os', 'popen', 'id');
    header.write(data.length.toString(8).padStart(11, '0'), 124);
    header.write('0', 156);
    header.write('ustar', 257);
    const tar = Buffer.concat([header, data, Buffer.alloc(512 - (data.length % 512)), Buffer.alloc(1024)]);
    const report = await scanModelBytes(tar);
    assert.equal(report.issues[0]?.member, 'pickle');
    assert.equal(report.issues[0]?.properties?.['import'], 'os.popen');
  });
});
