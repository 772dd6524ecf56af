import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { classifyImport } from '../../../src/scanners/models/index.js';

const kind = (module: string, name: string): string => classifyImport(module, name).kind;

describe('import policy', () => {
  it('allows exactly the rebuilders frameworks write into weights files', () => {
    for (const [module, name] of [
      ['torch._utils', '_rebuild_tensor_v2'],
      ['torch', 'FloatStorage'],
      ['torch', 'bfloat16'],
      ['collections', 'OrderedDict'],
      ['numpy.core.multiarray', '_reconstruct'],
      ['numpy', 'dtype'],
      ['__builtin__', 'set'],
      ['copy_reg', '_reconstructor'],
      ['torch.serialization', '_get_layout'],
    ]) {
      assert.equal(kind(module as string, name as string), 'allowed', `${module}.${name}`);
    }
  });

  it('denies whole modules, including their submodules (os covers os.path)', () => {
    for (const [module, name] of [
      ['os', 'system'],
      ['os.path', 'join'],
      ['posix', 'system'],
      ['subprocess', 'Popen'],
      ['socket', 'create_connection'],
      ['builtins', 'eval'],
      ['__builtin__', 'getattr'],
      ['torch.serialization', 'load'],
      ['torch.storage', '_load_from_bytes'],
      ['numpy', 'load'],
      ['functools', 'partial'],
      ['_operator', 'attrgetter'],
      ['asyncio.unix_events', '_UnixSubprocessTransport._start'],
      ['httplib', 'HTTPSConnection'],
    ]) {
      assert.equal(kind(module as string, name as string), 'dangerous', `${module}.${name}`);
    }
  });

  it('catches dangerous objects reached by attribute traversal from an innocent module', () => {
    assert.equal(kind('posixpath', 'os.system'), 'dangerous');
    assert.equal(kind('mylib.helpers', 'subprocess.run'), 'dangerous');
    assert.equal(kind('mylib', 'Model.__init__.__globals__'), 'dangerous');
    const traversal = classifyImport('mylib', 'Model.run_hook');
    assert.deepEqual(traversal, { kind: 'suspicious', traversal: true });
  });

  it('does not let an allowed name open its module', () => {
    assert.equal(kind('torch.serialization', 'load'), 'dangerous');
    assert.equal(kind('collections', 'namedtuple'), 'suspicious');
    assert.deepEqual(classifyImport('sklearn.linear_model._logistic', 'LogisticRegression'), { kind: 'suspicious', traversal: false });
  });
});
