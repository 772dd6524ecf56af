import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  BufferByteSource,
  DEFAULT_MODEL_SCAN_LIMITS,
  ScanBudget,
  SourceStream,
  analyzePickleStream,
  disassemblePickle,
} from '../../../src/scanners/models/index.js';
import type { PickleStreamAnalysis } from '../../../src/scanners/models/index.js';
import { globalCallV0, op, proto4, su } from './model-test-helpers.js';

async function analyze(bytes: Buffer, mode: 'one' | 'many' = 'many'): Promise<PickleStreamAnalysis> {
  const budget = new ScanBudget(DEFAULT_MODEL_SCAN_LIMITS);
  return analyzePickleStream(new SourceStream(new BufferByteSource(bytes)), { budget, mode });
}

const imports = (a: PickleStreamAnalysis): string[] => a.imports.map((r) => `${r.module}.${r.name}`);

describe('pickle disassembler', () => {
  it('decodes the arguments of every protocol', async () => {
    const ops = await disassemblePickle(
      Buffer.concat([
        op('I42\nL0xa9L\n'), // protocol 0 ints (LONG takes Python's base prefixes)
        op("S'o\\x73'\n"), // STRING with an escape
        op('Vsys\\u0074em\n'), // UNICODE with a raw-unicode escape
        op('cos\nsystem\n'),
        op('\x80\x05'),
        Buffer.from([0x8a, 0x02, 0xff, 0x00]), // LONG1 255
        Buffer.from([0x8e, 3, 0, 0, 0, 0, 0, 0, 0, 0x61, 0x62, 0x63]), // BINBYTES8 "abc"
        op('.'),
      ]),
    );
    assert.deepEqual(
      ops.map((o) => o.name),
      ['INT', 'LONG', 'STRING', 'UNICODE', 'GLOBAL', 'PROTO', 'LONG1', 'BINBYTES8', 'STOP'],
    );
    assert.equal(ops[0]?.int, 42n);
    assert.equal(ops[1]?.int, 0xa9n);
    assert.equal(ops[2]?.text, 'os');
    assert.equal(ops[3]?.text, 'system');
    assert.equal(ops[4]?.module, 'os');
    assert.equal(ops[4]?.qualname, 'system');
    assert.equal(ops[6]?.int, 255n);
    assert.equal(ops[7]?.bytes?.toString(), 'abc');
  });

  it('skips huge arguments without reading them and reports truncation with its offset', async () => {
    const huge = Buffer.from([0x80, 0x04, 0x8d, 0, 0, 0, 0, 0, 1, 0, 0]); // BINUNICODE8 of 2^40 bytes
    await assert.rejects(disassemblePickle(huge), /truncated inside an argument at offset 2/);
    await assert.rejects(disassemblePickle(op('\x80\x04\xff')), /invalid opcode 0xff at offset 2/);
    await assert.rejects(disassemblePickle(op('cos\n\xf8\n')), /not valid UTF-8/);
  });
});

describe('pickle analyzer', () => {
  it('resolves STACK_GLOBAL operands through PUT/GET, BINPUT/BINGET, MEMOIZE and STRING opcodes', async () => {
    const viaMemo = proto4(su('posix'), op('\x94'), op('0'), su('system'), op('\x94'), op('0'), op('h\x00h\x01\x93'), su('id'), op('\x85R'));
    assert.deepEqual(imports(await analyze(viaMemo)), ['posix.system']);
    const viaLongMemo = Buffer.concat([op('Vos\np7\n0Vsystem\nr'), Buffer.from([9, 0, 0, 0]), op('0g7\nj'), Buffer.from([9, 0, 0, 0]), op('\x93(Vx\ntR.')]);
    assert.deepEqual(imports(await analyze(viaLongMemo)), ['os.system']);
    const viaStrings = op("S'subprocess'\nU\x05Popen\x93N\x85R.");
    assert.deepEqual(imports(await analyze(viaStrings)), ['subprocess.Popen']);
  });

  it('maps Python 2 module names the way the unpickler does', async () => {
    const result = await analyze(globalCallV0('__builtin__', 'eval', '1'));
    assert.deepEqual(imports(result), ['builtins.eval']);
    assert.equal(result.imports[0]?.rawModule, '__builtin__');
    assert.equal(result.imports[0]?.calls, 1);
    assert.match(result.imports[0]?.evidence ?? '', /builtins\.eval\('1'\)/);
  });

  it('reports STACK_GLOBAL operands that are computed at load time as unresolved', async () => {
    const computed = proto4(su('builtins'), su('str'), op('\x93'), su('os'), op('\x85R'), su('system'), op('\x93'), su('id'), op('\x85R'));
    const result = await analyze(computed);
    assert.equal(result.issues.length, 1);
    assert.equal(result.issues[0]?.kind, 'unresolved-import');
    assert.match(result.issues[0]?.target ?? '', /result of builtins\.str.*\.system/);
  });

  it('reports extension-registry opcodes as unresolved', async () => {
    const result = await analyze(op('\x80\x02\x82\x07N\x85R.'));
    assert.equal(result.issues[0]?.kind, 'unresolved-import');
    assert.equal(result.issues[0]?.opcode, 'EXT1');
  });

  it('follows BUILD on an imported module and resolves later lookups to the substituted value', async () => {
    const swap = proto4(
      su('torch'), su('_utils'), op('\x93\x94'),
      op('}'), su('_rebuild_tensor'), su('eval'), op('sb0'),
      su('torch._utils'), su('_rebuild_tensor'), op('\x93\x940'),
      su('builtins'), op('h\x01\x93'), su('1'), op('\x85R'),
    );
    const result = await analyze(swap);
    assert.ok(imports(result).includes('builtins.eval'));
    const mutation = result.issues.find((i) => i.kind === 'global-mutation');
    assert.match(mutation?.detail ?? '', /torch\._utils\._rebuild_tensor/);
  });

  it('scans every pickle of a stream, and stops a legacy torch file after its five pickles', async () => {
    const two = Buffer.concat([proto4(op(']')), globalCallV0('os', 'system', 'id')]);
    const result = await analyze(two);
    assert.equal(result.pickles, 2);
    assert.deepEqual(imports(result), ['os.system']);
    const magic = Buffer.from([0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, 0x2e]);
    const legacy = Buffer.concat([magic, op('\x80\x02M\xe9\x03.'), op('\x80\x02}.'), op('\x80\x02}.'), op('\x80\x02].'), Buffer.alloc(64, 0xab)]);
    const parsed = await analyze(legacy);
    assert.equal(parsed.legacyTorch, true);
    assert.equal(parsed.pickles, 5);
    assert.equal(parsed.error, undefined, 'the raw storage bytes after the fifth pickle are not parsed');
  });

  it('keeps what it found before a malformed opcode and says where it stopped', async () => {
    const result = await analyze(Buffer.concat([op('cos\nsystem\n(Vid\ntR'), op('h\x09.')]));
    assert.deepEqual(imports(result), ['os.system']);
    assert.match(result.error ?? '', /memo key 9 was never stored/);
    assert.equal(result.errorAfterComplete, false);
  });

  it('skips joblib array bytes that sit between opcodes', async () => {
    const dtype = Buffer.concat([op('cnumpy\ndtype\n'), su('i8'), op('\x89\x88\x87R('), op('K\x03'), su('<'), op('NNNJ\xff\xff\xff\xffJ\xff\xff\xff\xffK\x00tb')]);
    const wrapper = Buffer.concat([
      su('joblib.numpy_pickle'), su('NumpyArrayWrapper'), op('\x93)\x81}('),
      su('shape'), op('K\x03\x85'), su('order'), su('C'), su('dtype'), dtype,
      su('numpy_array_alignment_bytes'), op('K\x10'), op('ub'),
    ]);
    // One pad-length byte (3), three pad bytes, then 3 × 8 bytes of int64 data that look like opcodes.
    const data = Buffer.concat([Buffer.from([3, 0xff, 0xff, 0xff]), Buffer.alloc(24, 0x63)]);
    const stream = Buffer.concat([op('\x80\x04'), wrapper, data, op('0'), globalCallV0('os', 'system', 'x')]);
    const result = await analyze(stream);
    assert.equal(result.joblibArrays, 1);
    assert.equal(result.error, undefined);
    assert.ok(imports(result).includes('os.system'), 'the opcodes after the array are still analysed');
  });
});
