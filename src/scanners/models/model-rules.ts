/**
 * The rules of the model scanner: ids are stable (baselines and SARIF refer to them).
 */
import type { RuleDescriptor, Severity } from '../../domain/index.js';

export const MODEL_CONTROLS: readonly string[] = ['WD-MODEL-03', 'WD-MODEL-04'];

export const RULE = {
  pickleDangerous: 'models/pickle-dangerous-import',
  pickleUnresolved: 'models/pickle-unresolved-import',
  pickleTraversal: 'models/pickle-attribute-traversal',
  pickleMutation: 'models/pickle-global-mutation',
  pickleSuspicious: 'models/pickle-suspicious-import',
  pickleTrailing: 'models/pickle-trailing-data',
  archiveAnomaly: 'models/archive-anomaly',
  polyglot: 'models/polyglot-file',
  kerasLambda: 'models/keras-lambda-layer',
  kerasDangerous: 'models/keras-dangerous-import',
  kerasCustom: 'models/keras-custom-object',
  savedModelPython: 'models/savedmodel-python-op',
  savedModelFile: 'models/savedmodel-file-op',
  onnxExternalPath: 'models/onnx-external-data-path',
  onnxCustomDomain: 'models/onnx-custom-domain',
  safetensorsInconsistent: 'models/safetensors-inconsistent',
  ggufTemplate: 'models/gguf-template-injection',
  ggufInconsistent: 'models/gguf-inconsistent',
  unscannable: 'models/unscannable',
} as const;

export type ModelRuleId = (typeof RULE)[keyof typeof RULE];

const REPLACE_WITH_SAFETENSORS =
  'Do not load this file. Obtain the weights as safetensors (or re-export them in a sandbox with weights_only loading) and quarantine the original.';

function rule(id: ModelRuleId, title: string, severity: Severity, description: string, remediation: string): RuleDescriptor {
  return { id, title, severity, description, remediation, controls: MODEL_CONTROLS };
}

export const MODEL_RULES: readonly RuleDescriptor[] = [
  rule(RULE.pickleDangerous, 'Pickle imports code that executes, spawns, connects or touches files', 'critical',
    'Loading the file imports and can call a function on the deny list (eval, os.system, subprocess, socket, pickle.loads …).', REPLACE_WITH_SAFETENSORS),
  rule(RULE.pickleUnresolved, 'Pickle import that cannot be resolved statically', 'high',
    'A STACK_GLOBAL operand is computed at load time, or an extension code names the object: the import cannot be known without running the file, so it is treated as dangerous.', REPLACE_WITH_SAFETENSORS),
  rule(RULE.pickleTraversal, 'Pickle import through attribute traversal', 'high',
    'The imported name walks attributes (Class.method, module.submodule.function): the usual shape of a gadget that reaches a dangerous function through an innocent-looking module.', REPLACE_WITH_SAFETENSORS),
  rule(RULE.pickleMutation, 'Pickle mutates an imported module or class', 'high',
    'BUILD, SETITEM or APPEND is applied to an imported module or class, changing it for every later user (e.g. replacing a tensor rebuilder with eval).', REPLACE_WITH_SAFETENSORS),
  rule(RULE.pickleSuspicious, 'Pickle imports a name outside the framework allowlist', 'medium',
    'Loading the file imports and may call code that is not a known tensor/array rebuilder. Not known to be dangerous, but it runs.',
    'Review the imported class; prefer formats without code (safetensors) or weights-only loading.'),
  rule(RULE.pickleTrailing, 'Bytes after the last pickle', 'low',
    'The stream continues after a complete pickle with bytes that are not a pickle. A single pickle.load ignores them; other readers may not.',
    'Find out what wrote the extra bytes; re-export the model cleanly.'),
  rule(RULE.archiveAnomaly, 'Archive structure that readers may disagree on', 'medium',
    'Central directory and local headers disagree (names, members, offsets), or members are hidden between others: the technique used to slip members past scanners.',
    'Rebuild the archive with a standard tool and rescan; treat the original as untrusted.'),
  rule(RULE.polyglot, 'File that is two formats at once', 'medium',
    'The file starts as one format and also holds a zip archive that zip readers will open.', 'Treat the file as untrusted; obtain a clean copy.'),
  rule(RULE.kerasLambda, 'Keras Lambda layer (serialised Python code)', 'high',
    'A Lambda layer carries marshalled Python bytecode that runs when the model is loaded without safe_mode.',
    'Replace Lambda layers with registered custom layers; load with safe_mode=True.'),
  rule(RULE.kerasDangerous, 'Keras config imports a dangerous function', 'critical',
    'A layer, initializer or function reference in the config names a module and function on the deny list.', REPLACE_WITH_SAFETENSORS),
  rule(RULE.kerasCustom, 'Keras config imports code outside Keras', 'medium',
    'The config refers to a module outside keras/tensorflow; loading imports it.', 'Review the custom module before loading.'),
  rule(RULE.savedModelPython, 'SavedModel graph runs Python', 'critical',
    'The graph holds PyFunc/EagerPyFunc ops, which call Python functions of the loading process.', 'Remove Python ops from the graph; treat the model as untrusted.'),
  rule(RULE.savedModelFile, 'SavedModel graph reads or writes files', 'high',
    'The graph holds ops that read, write or list files (ReadFile, WriteFile, MatchingFiles …), outside the checkpoint machinery.',
    'Review why inference needs file access; remove the ops.'),
  rule(RULE.onnxExternalPath, 'ONNX external data outside the model folder', 'high',
    'A tensor stores its data in an external file with an absolute path or a path that climbs out of the model folder: loading reads that file.',
    'Keep external data beside the model with relative paths; reject the file.'),
  rule(RULE.onnxCustomDomain, 'ONNX custom operator domain', 'medium',
    'Nodes use an operator domain outside the ONNX standard ones, which requires loading a custom operator library (native code).',
    'Review the custom operator library before running the model.'),
  rule(RULE.safetensorsInconsistent, 'safetensors header inconsistent with the file', 'medium',
    'Tensor offsets overlap, leave gaps, do not match dtype and shape, or point past the end of the file.',
    'Re-export the file; a reader trusting these offsets could be confused.'),
  rule(RULE.ggufTemplate, 'GGUF chat template reaches Python internals', 'high',
    'The chat template accesses dunder attributes (__class__, __globals__, __subclasses__ …): a Jinja2 server-side template injection when rendered outside a sandbox.',
    'Replace the chat template with a known-good one; render templates only in a sandboxed environment.'),
  rule(RULE.ggufInconsistent, 'GGUF structure inconsistent with the file', 'medium',
    'Tensor data offsets or sizes do not fit the file.', 'Re-export the file.'),
  rule(RULE.unscannable, 'Model file could not be fully scanned', 'medium',
    'The file (or a member) is truncated, corrupt, encrypted, of an unsupported encoding, or exceeded a scan limit, so it cannot be shown to be safe.',
    'Obtain an intact, unencrypted copy and rescan; do not load what cannot be scanned.'),
];

export const RULE_SEVERITY: Readonly<Record<string, Severity>> = Object.fromEntries(MODEL_RULES.map((r) => [r.id, r.severity]));
