/**
 * Our policy for what a model file may import when it is loaded (pickle globals, Keras config
 * `module`/`class_name` pairs). Three outcomes:
 *
 * - allowed: what ML frameworks legitimately write into weights files (tensor and storage
 *   rebuilders, dtypes, numpy reconstruction, plain containers). Exact `module.name` matches only.
 * - dangerous (critical): anything that runs code, spawns processes, touches the network or the file
 *   system, reaches interpreter internals, or loads code or another pickle indirectly.
 * - suspicious (medium): everything else. Loading it runs that library's code with attacker-chosen
 *   arguments; a reviewer should know.
 *
 * Matching rules (decided deliberately):
 * - A deny entry covers the name itself and everything below it: `os` covers `os.system` and also
 *   `os.path.*`. A weights file has no reason to import from `os` at all, and submodules re-export
 *   their parents' internals (`posixpath.os` is the `os` module), so carving out `os.path` would
 *   only open a hole.
 * - Protocol 4 resolves dotted names by attribute traversal (`Profile.run`, or `os.system` looked up
 *   on `posixpath`). So the *name* part is also checked from every dot onwards (`posixpath` +
 *   `os.system` hits `os`), and a dotted name through a dunder (`__globals__`, `__builtins__` …) is
 *   dangerous whatever the module.
 * - The allowlist is checked first and is exact, so allowing `torch.serialization._get_layout` does
 *   not allow the rest of `torch.serialization`.
 * - Python 2 module names are mapped the way CPython's unpickler maps them (`fix_imports`), e.g.
 *   `__builtin__` → `builtins`, and the mapped name is what we classify.
 *
 * The deny list was assembled from the payloads of published scanner bypasses (picklescan and
 * modelscan advisories, the GHSA entries of picklescan's test data, fickling's and Hugging Face's
 * documented unsafe globals) and from reading what each stdlib module can do when called.
 */

export type DangerCategory =
  | 'code-execution'
  | 'process'
  | 'network'
  | 'filesystem'
  | 'indirect-import'
  | 'nested-deserialisation'
  | 'interpreter-internals';

export type ImportVerdict =
  | { readonly kind: 'allowed' }
  | { readonly kind: 'dangerous'; readonly category: DangerCategory; readonly matched: string; readonly reason: string }
  | { readonly kind: 'suspicious'; readonly traversal: boolean };

const CATEGORY_REASON: Readonly<Record<DangerCategory, string>> = {
  'code-execution': 'evaluates or executes code',
  process: 'starts processes or runs shell commands',
  network: 'opens network connections',
  filesystem: 'reads, writes or deletes files',
  'indirect-import': 'imports or looks up arbitrary names at load time',
  'nested-deserialisation': 'deserialises further data that can itself run code',
  'interpreter-internals': 'reaches interpreter internals or changes loaded modules',
};

const DENY: Readonly<Record<DangerCategory, readonly string[]>> = {
  'code-execution': [
    'builtins.eval', 'builtins.exec', 'builtins.compile', 'builtins.execfile', 'builtins.apply', 'builtins.breakpoint',
    'builtins.input', 'code', 'codeop', 'runpy', 'timeit', 'trace', 'profile', 'cProfile', 'pdb', 'bdb', 'doctest',
    'idlelib', 'lib2to3', 'pydoc', 'test', 'types.CodeType', 'types.FunctionType', 'types.LambdaType',
    'types.MethodType', 'types.ModuleType', 'types.new_class', 'marshal', 'cloudpickle', 'dill', 'jinja2',
    'numpy.testing', 'numpy.f2py', 'numpy.distutils', 'torch.fx.experimental.symbolic_shapes',
    'torch.fx.graph_module', 'torch._dynamo', 'torch._inductor', 'torch.jit', 'torch.utils.bottleneck',
    'torch.utils._config_module', 'torch.compile', 'torch._export', 'torch.export', 'tensorflow.py_function',
    'tensorflow.numpy_function', 'keras.layers.Lambda', 'tf_keras.layers.Lambda', 'pandas.eval', 'pandas.core.computation',
    'numexpr', 'sympy.parsing', 'sympy.sympify', 'IPython', 'ipykernel', 'functools.partial', 'functools.reduce',
    'operator', '_operator', 'ctypes', '_ctypes', 'cffi',
  ],
  process: [
    'os', 'posix', 'nt', 'posixpath', 'ntpath', 'pty', 'subprocess', '_posixsubprocess', 'commands', 'popen2',
    'multiprocessing', 'concurrent.futures.process', 'asyncio', 'platform', '_aix_support', '_osx_support',
    '_pyrepl', 'uuid._get_command_stdout', 'uuid._popen', 'uuid._find_mac', 'uuid._ifconfig_getnode',
    'uuid._ip_getnode', 'uuid._arp_getnode', 'uuid._lanscan_getnode', 'uuid._netstat_getnode', 'imaplib.IMAP4_stream',
    'ensurepip', 'pip', 'venv', 'setuptools', 'distutils', 'pkg_resources', 'webbrowser', 'antigravity', 'signal',
    '_winapi', 'msvcrt', 'winreg', '_signal', 'sys', 'torch.utils.collect_env', 'torch.utils.cpp_extension',
    'torch.multiprocessing', 'torch.distributed', 'torch.testing', 'torch._C._jit', 'tensorflow.python.platform',
    'sklearn.utils._show_versions', 'threading', '_thread', 'cgi', 'cgitb',
  ],
  network: [
    'socket', '_socket', 'ssl', '_ssl', 'select', 'selectors', 'socketserver', 'http', 'httplib', 'urllib',
    'urllib2', 'urllib3', 'requests', 'aiohttp', 'httpx', 'ftplib', 'smtplib', 'poplib', 'imaplib', 'nntplib',
    'telnetlib', 'xmlrpc', 'xmlrpclib', 'SimpleXMLRPCServer', 'BaseHTTPServer', 'SimpleHTTPServer', 'wsgiref',
    'smtpd', 'asynchat', 'asyncore', 'mailbox', 'paramiko', 'boto3', 'botocore', 'torch.hub', 'huggingface_hub',
    'keras.utils.get_file', 'tensorflow.keras.utils.get_file', 'keras.src.utils.file_utils',
  ],
  filesystem: [
    'builtins.open', 'builtins.file', 'io.open', 'io.open_code', 'io.FileIO', '_io.open', '_io.FileIO',
    'io.TextIOWrapper', 'io.BufferedReader', 'io.BufferedWriter', 'io.BufferedRandom', '_io.TextIOWrapper',
    '_io.BufferedReader', '_io.BufferedWriter', '_io.BufferedRandom', 'codecs.open', 'shutil', 'tempfile',
    'fileinput', 'glob', 'pathlib.Path.write_text', 'pathlib.Path.write_bytes', 'pathlib.Path.unlink', 'zipfile',
    'tarfile', 'gzip.open', 'bz2.open', 'lzma.open', 'linecache', 'mmap', 'sqlite3', 'dbm', 'shelve', 'logging.FileHandler',
    'logging.handlers', 'logging.config', 'numpy.save', 'numpy.savez', 'numpy.savez_compressed', 'numpy.savetxt',
    'numpy.fromfile', 'numpy.memmap', 'numpy.loadtxt', 'numpy.genfromtxt', 'numpy.lib.npyio', 'numpy.lib.format.open_memmap',
    'numpy.ctypeslib', 'torch.save', 'torch.from_file', 'pandas.read_csv', 'pandas.to_pickle', 'filecmp', 'os.path',
  ],
  'indirect-import': [
    'builtins.__import__', 'builtins.getattr', 'builtins.setattr', 'builtins.delattr', 'builtins.hasattr',
    'builtins.globals', 'builtins.locals', 'builtins.vars', 'builtins.dir', 'builtins.reload', 'builtins.__loader__',
    'builtins.__build_class__', 'importlib', 'imp', 'pkgutil', 'zipimport', 'site', 'sitecustomize', 'usercustomize',
    'inspect', 'gc', 'weakref.finalize', 'copyreg._extension_registry', 'copyreg.add_extension', 'pydoc.locate',
    'operator.attrgetter', 'operator.methodcaller', 'operator.itemgetter', 'torch.utils.data.datapipes',
    'torch.package', 'torch.ops', 'torch._ops', 'torch.library', 'torch.classes',
  ],
  'nested-deserialisation': [
    'pickle', '_pickle', 'cPickle', 'pickletools', 'copy_reg._extension_registry', 'shelve', 'joblib.load',
    'joblib.numpy_pickle.load', 'sklearn.externals.joblib.load', 'numpy.load', 'numpy.lib.format.read_array',
    'torch.load', 'torch.serialization', 'torch.storage._load_from_bytes', 'torch._weights_only_unpickler',
    'pandas.read_pickle', 'pandas.io.pickle', 'yaml.load', 'yaml.unsafe_load', 'yaml.full_load', 'yaml.load_all',
    'yaml.unsafe_load_all', 'yaml.Loader', 'yaml.UnsafeLoader', 'yaml.FullLoader', 'ruamel.yaml', 'jsonpickle',
    'keras.models.load_model', 'keras.saving', 'tensorflow.keras.models.load_model', 'tensorflow.saved_model.load',
    'xml.sax', 'xml.dom.minidom.parse', 'plistlib', 'onnx.load', 'safetensors.torch.load_file',
  ],
  'interpreter-internals': [
    'builtins.object.__getattribute__', 'builtins.type', 'builtins.super', 'builtins.memoryview', 'builtins.__builtins__',
    'builtins.__dict__', 'sys.modules', 'types.SimpleNamespace', 'types.BuiltinFunctionType', 'builtins.classmethod',
    'builtins.staticmethod', 'builtins.property', '__main__.__builtins__', 'ctypes.pythonapi', 'faulthandler',
    'tracemalloc', 'sysconfig', 'atexit', 'resource',
  ],
};

/** Exact names ML frameworks write into weights files. */
const ALLOW: ReadonlySet<string> = new Set([
  // PyTorch tensors, parameters and storages (torch.save of a state_dict).
  ...[
    '_rebuild_tensor', '_rebuild_tensor_v2', '_rebuild_tensor_v3', '_rebuild_parameter', '_rebuild_parameter_with_state',
    '_rebuild_sparse_tensor', '_rebuild_sparse_csr_tensor', '_rebuild_nested_tensor', '_rebuild_device_tensor_from_numpy',
    '_rebuild_device_tensor_from_cpu_tensor', '_rebuild_qtensor', '_rebuild_meta_tensor_no_storage',
    '_rebuild_wrapper_subclass', '_rebuild_xla_tensor', '_rebuild_mtia_tensor',
  ].map((n) => `torch._utils.${n}`),
  'torch._tensor._rebuild_from_type', 'torch._tensor._rebuild_from_type_v2', 'torch.nn.parameter.Parameter',
  'torch.nn.parameter.Buffer', 'torch.nn.parameter.UninitializedParameter', 'torch.Size', 'torch.device', 'torch.Tensor',
  'torch.serialization._get_layout', 'torch.storage.UntypedStorage', 'torch.storage.TypedStorage', 'torch.UntypedStorage',
  'torch.TypedStorage', 'torch.storage._TypedStorage',
  ...[
    'Double', 'Float', 'Half', 'Long', 'Int', 'Short', 'Char', 'Byte', 'Bool', 'BFloat16', 'ComplexDouble',
    'ComplexFloat', 'QUInt8', 'QInt8', 'QInt32', 'QUInt4x2', 'QUInt2x4', 'Untyped',
  ].map((n) => `torch.${n}Storage`),
  ...[
    'float', 'float32', 'float64', 'double', 'float16', 'half', 'bfloat16', 'complex32', 'complex64', 'complex128',
    'cfloat', 'cdouble', 'chalf', 'uint8', 'uint16', 'uint32', 'uint64', 'int8', 'int16', 'short', 'int32', 'int', 'int64',
    'long', 'bool', 'quint8', 'qint8', 'qint32', 'quint4x2', 'quint2x4', 'float8_e4m3fn', 'float8_e5m2',
    'float8_e4m3fnuz', 'float8_e5m2fnuz', 'float8_e8m0fnu', 'bits8', 'bits16', 'strided', 'sparse_coo', 'sparse_csr',
    'sparse_csc', 'sparse_bsr', 'sparse_bsc', '_mkldnn', 'jagged', 'contiguous_format', 'channels_last',
    'channels_last_3d', 'preserve_format', 'per_tensor_affine', 'per_channel_affine', 'per_tensor_symmetric',
    'per_channel_symmetric', 'per_channel_affine_float_qparams',
  ].map((n) => `torch.${n}`),
  // NumPy arrays, scalars and dtypes (pickle protocol 2–5 and np.save of object arrays).
  'numpy.core.multiarray._reconstruct', 'numpy._core.multiarray._reconstruct', 'numpy.core.multiarray.scalar',
  'numpy._core.multiarray.scalar', 'numpy.core.numeric._frombuffer', 'numpy._core.numeric._frombuffer', 'numpy.ndarray',
  'numpy.dtype', 'numpy.ma.core._mareconstruct', 'numpy.ma.core.MaskedArray', 'numpy.random._pickle.__randomstate_ctor',
  'numpy.random._pickle.__bit_generator_ctor', 'numpy.random._pickle.__generator_ctor', 'numpy.random.mtrand.RandomState',
  'numpy.random._mt19937.MT19937', 'numpy.random._pcg64.PCG64', 'numpy.random.bit_generator.SeedSequence',
  ...[
    'Float64', 'Float32', 'Float16', 'Int64', 'Int32', 'Int16', 'Int8', 'UInt64', 'UInt32', 'UInt16', 'UInt8', 'Bool',
    'Complex64', 'Complex128', 'Object', 'Str', 'Bytes', 'Void', 'LongDouble', 'DateTime64', 'TimeDelta64',
  ].map((n) => `numpy.dtypes.${n}DType`),
  // joblib's array wrapper (the array data follows the BUILD opcode in the stream).
  'joblib.numpy_pickle.NumpyArrayWrapper', 'sklearn.externals.joblib.numpy_pickle.NumpyArrayWrapper',
  // Plain containers and values.
  'collections.OrderedDict', 'collections.defaultdict', 'collections.Counter', 'collections.deque',
  'builtins.set', 'builtins.frozenset', 'builtins.dict', 'builtins.list', 'builtins.tuple', 'builtins.slice',
  'builtins.range', 'builtins.complex', 'builtins.bytearray', 'builtins.bytes', 'builtins.object', 'builtins.int',
  'builtins.float', 'builtins.bool', 'builtins.str', 'builtins.Ellipsis', 'builtins.NotImplemented',
  'copyreg._reconstructor', 'copyreg.__newobj__', 'copyreg.__newobj_ex__', '_codecs.encode', 'codecs.encode',
  'datetime.datetime', 'datetime.date', 'datetime.time', 'datetime.timedelta', 'datetime.timezone',
  'decimal.Decimal', 'fractions.Fraction', 'uuid.UUID', 'enum.Enum',
]);

/** CPython's `_compat_pickle.IMPORT_MAPPING` for the modules that matter here (fix_imports). */
const PY2_MODULES: Readonly<Record<string, string>> = {
  __builtin__: 'builtins',
  exceptions: 'builtins',
  copy_reg: 'copyreg',
  cPickle: 'pickle',
  httplib: 'http.client',
  urllib2: 'urllib.request',
  urlparse: 'urllib.parse',
  cStringIO: 'io',
  StringIO: 'io',
  thread: '_thread',
  SocketServer: 'socketserver',
  BaseHTTPServer: 'http.server',
  SimpleHTTPServer: 'http.server',
  CGIHTTPServer: 'http.server',
  xmlrpclib: 'xmlrpc.client',
  SimpleXMLRPCServer: 'xmlrpc.server',
  UserDict: 'collections',
  UserList: 'collections',
  Queue: 'queue',
  anydbm: 'dbm',
  dumbdbm: 'dbm.dumb',
  commands: 'subprocess',
};

/** Dunders that, reached through a dotted name, hand out interpreter internals. */
const DUNDER_COMPONENT = /^__[A-Za-z0-9_]+__$/;

const DENY_INDEX: ReadonlyMap<string, DangerCategory> = (() => {
  const index = new Map<string, DangerCategory>();
  for (const [category, entries] of Object.entries(DENY) as [DangerCategory, readonly string[]][]) {
    for (const entry of entries) if (!index.has(entry)) index.set(entry, category);
  }
  return index;
})();

/** The module name as CPython's unpickler would import it. */
export function normaliseModule(module: string): string {
  return PY2_MODULES[module] ?? module;
}

/** Finds the longest deny entry that is `path` or a dotted prefix of it. */
function denyMatch(path: string): { entry: string; category: DangerCategory } | undefined {
  let candidate = path;
  for (;;) {
    const category = DENY_INDEX.get(candidate);
    if (category !== undefined) return { entry: candidate, category };
    const dot = candidate.lastIndexOf('.');
    if (dot <= 0) return undefined;
    candidate = candidate.slice(0, dot);
  }
}

export function classifyImport(rawModule: string, name: string): ImportVerdict {
  const module = normaliseModule(rawModule);
  const full = `${module}.${name}`;
  if (ALLOW.has(full)) return { kind: 'allowed' };
  const direct = denyMatch(full);
  if (direct !== undefined) return dangerous(direct.entry, direct.category);

  const parts = name.split('.');
  if (parts.length > 1) {
    // Attribute traversal: the name walks from the module into other objects.
    if (parts.some((part) => DUNDER_COMPONENT.test(part))) {
      return dangerous(full, 'interpreter-internals');
    }
    // Every suffix of at least two parts: `os.system` looked up through `posixpath`, or deeper.
    for (let i = 0; i <= parts.length - 2; i += 1) {
      const hit = denyMatch(normaliseModule(parts[i] as string) + '.' + parts.slice(i + 1).join('.'));
      if (hit !== undefined) return dangerous(hit.entry, hit.category);
    }
    return { kind: 'suspicious', traversal: true };
  }
  if (DUNDER_COMPONENT.test(name) && module === 'builtins') return dangerous(full, 'interpreter-internals');
  return { kind: 'suspicious', traversal: false };
}

function dangerous(matched: string, category: DangerCategory): ImportVerdict {
  return { kind: 'dangerous', category, matched, reason: CATEGORY_REASON[category] };
}

export function categoryReason(category: DangerCategory): string {
  return CATEGORY_REASON[category];
}
