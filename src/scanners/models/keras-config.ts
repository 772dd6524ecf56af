/**
 * Keras model configs (config.json in `.keras` archives, the `model_config` attribute of HDF5 `.h5`
 * files): what loading the config would import or run.
 *
 * - `Lambda` layers carry marshalled Python bytecode (Keras 2: `function` is [code, defaults,
 *   closure]; Keras 3: `{"class_name": "__lambda__", "config": {"code": …}}`); it runs on load unless
 *   `safe_mode` blocks it (CVE-2024-3660 showed it did not always).
 * - Keras 3 objects name their class as `module` + `class_name`, and functions as `module` +
 *   `config` with class_name "function"; deserialising imports them (the CVE-2025-1550 family):
 *   we classify that import with the same policy as pickle imports.
 *
 * The walk is bounded in depth and node count; the config is attacker-controlled JSON.
 */
import { classifyImport } from './import-policy.js';
import { RULE } from './model-rules.js';
import type { FileScanContext } from './scan-context.js';

const MAX_DEPTH = 200;
const MAX_NODES = 2_000_000;
const FRAMEWORK_MODULES = /^(keras|tf_keras|tensorflow|tensorflow_addons|keras_nlp|keras_cv|keras_hub)(\.|$)/;

/** True when a parsed JSON document looks like a Keras model config (so unrelated JSON is ignored). */
export function looksLikeKerasConfig(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  return typeof record['class_name'] === 'string' && typeof record['config'] === 'object';
}

export function analyzeKerasConfig(ctx: FileScanContext, config: unknown, member: string | undefined, format: string): void {
  let nodes = 0;
  const visit = (value: unknown, depth: number, path: string): void => {
    nodes += 1;
    if (nodes > MAX_NODES || depth > MAX_DEPTH) throw new RangeError('Keras config is too large or too deeply nested to analyse');
    if (Array.isArray(value)) {
      value.forEach((item, i) => visit(item, depth + 1, `${path}[${i}]`));
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const record = value as Record<string, unknown>;
    const className = record['class_name'];
    const inner = record['config'];
    const layerName = inner !== null && typeof inner === 'object' && typeof (inner as Record<string, unknown>)['name'] === 'string'
      ? String((inner as Record<string, unknown>)['name'])
      : path;
    if (className === 'Lambda') {
      const fn = inner !== null && typeof inner === 'object' ? (inner as Record<string, unknown>)['function'] : undefined;
      const code = lambdaCode(fn);
      ctx.issue({
        ruleId: RULE.kerasLambda,
        severity: 'high',
        message: `Keras Lambda layer "${layerName}" carries serialised Python code that runs when the model is loaded without safe_mode.`,
        ...(member !== undefined && { member }),
        key: `lambda:${layerName}`,
        ...(code !== undefined && { evidence: code.slice(0, 120) }),
        properties: { format, layer: layerName, import: 'keras.layers.Lambda' },
      });
    }
    const module = record['module'];
    if (typeof module === 'string' && typeof className === 'string' && className !== 'Lambda') {
      const name = className === 'function' && typeof inner === 'string' ? inner : className;
      reportImport(ctx, module, name, layerName, member, format);
    }
    for (const [key, child] of Object.entries(record)) visit(child, depth + 1, `${path}.${key}`);
  };
  visit(config, 0, '$');
}

function reportImport(ctx: FileScanContext, module: string, name: string, where: string, member: string | undefined, format: string): void {
  const path = `${module}.${name}`;
  const verdict = classifyImport(module, name);
  if (verdict.kind === 'dangerous') {
    ctx.issue({
      ruleId: RULE.kerasDangerous,
      severity: 'critical',
      message: `Keras config (at ${where}) imports ${path}, which ${verdict.reason}; loading the model runs it.`,
      ...(member !== undefined && { member }),
      key: path,
      properties: { format, import: path, module, name, category: verdict.category },
    });
    return;
  }
  if (verdict.kind === 'allowed' || FRAMEWORK_MODULES.test(module) || module === 'builtins') return;
  ctx.issue({
    ruleId: RULE.kerasCustom,
    severity: 'medium',
    message: `Keras config (at ${where}) imports ${path} from outside Keras; loading the model imports and runs it.`,
    ...(member !== undefined && { member }),
    key: path,
    properties: { format, import: path, module, name },
  });
}

function lambdaCode(fn: unknown): string | undefined {
  if (typeof fn === 'string') return fn;
  if (Array.isArray(fn) && typeof fn[0] === 'string') return fn[0];
  if (fn !== null && typeof fn === 'object') {
    const config = (fn as Record<string, unknown>)['config'];
    if (config !== null && typeof config === 'object' && typeof (config as Record<string, unknown>)['code'] === 'string') {
      return String((config as Record<string, unknown>)['code']);
    }
  }
  return undefined;
}
