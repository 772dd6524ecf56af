/**
 * What a person types about a model version: `NAME@VERSION`, metrics, dates. Each is checked
 * before anything is read or written, and every error names the argument and the rule.
 */
import { readFile, stat } from 'node:fs/promises';
import { MODEL_NAME_PATTERN, MODEL_VERSION_PATTERN, WardenError, describeError } from '../domain/index.js';
import type { ModelMetrics } from '../domain/index.js';

export interface ModelVersionRef {
  readonly name: string;
  readonly version: string;
}

export function checkModelName(name: string): string {
  if (!MODEL_NAME_PATTERN.test(name)) {
    throw new WardenError('USAGE', `model name "${name}" must be lower-case letters, digits, ".", "_" or "-" (at most 80), like a workspace asset id`);
  }
  return name;
}

export function checkModelVersion(version: string): string {
  if (!MODEL_VERSION_PATTERN.test(version)) {
    throw new WardenError('USAGE', `model version "${version}" must start with a letter or digit and use only letters, digits, ".", "_", "+" or "-" (at most 64)`);
  }
  return version;
}

/** Parses `NAME@VERSION`. */
export function parseModelVersionRef(text: string): ModelVersionRef {
  const at = text.indexOf('@');
  if (at <= 0 || at === text.length - 1) throw new WardenError('USAGE', `"${text}" is not NAME@VERSION (e.g. fraud-model@3)`);
  return { name: checkModelName(text.slice(0, at)), version: checkModelVersion(text.slice(at + 1)) };
}

const METRIC_KEY = /^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,63}$/;
const MAX_METRICS = 200;
const MAX_METRICS_FILE_BYTES = 1024 * 1024;
const MAX_METRIC_TEXT = 500;

function checkMetric(key: string, value: unknown, where: string): number | string | boolean {
  if (!METRIC_KEY.test(key)) throw new WardenError('INPUT_INVALID', `${where}: metric name "${key}" must be letters, digits, "_", ".", ":", "/" or "-" (at most 64)`);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new WardenError('INPUT_INVALID', `${where}: metric ${key} is not a finite number`);
    return value;
  }
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && value.length <= MAX_METRIC_TEXT) return value;
  throw new WardenError('INPUT_INVALID', `${where}: metric ${key} must be a number, a boolean or a text of at most ${MAX_METRIC_TEXT} characters`);
}

/** Reads `--metrics FILE.json`: one flat JSON object of scalar values. */
export async function readMetricsFile(path: string): Promise<Record<string, number | string | boolean>> {
  let text: string;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new WardenError('INPUT_INVALID', `metrics file ${path} is not a regular file`);
    if (info.size > MAX_METRICS_FILE_BYTES) throw new WardenError('INPUT_INVALID', `metrics file ${path} is larger than ${MAX_METRICS_FILE_BYTES} bytes`);
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof WardenError) throw error;
    throw new WardenError('INPUT_NOT_FOUND', `metrics file ${path} cannot be read: ${describeError(error)}`, { cause: error });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new WardenError('INPUT_INVALID', `metrics file ${path} is not JSON: ${describeError(error)}`, { cause: error });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new WardenError('INPUT_INVALID', `metrics file ${path} must hold one JSON object such as {"auc": 0.91, "f1": 0.84}`);
  }
  const out: Record<string, number | string | boolean> = {};
  for (const [key, v] of Object.entries(value)) out[key] = checkMetric(key, v, path);
  return out;
}

/** Reads `--metric key=value` arguments: numbers and true/false are typed, the rest is text. */
export function parseMetricArguments(args: readonly string[]): Record<string, number | string | boolean> {
  const out: Record<string, number | string | boolean> = {};
  for (const arg of args) {
    const eq = arg.indexOf('=');
    if (eq <= 0) throw new WardenError('USAGE', `--metric ${arg}: expected NAME=VALUE (e.g. auc=0.91)`);
    const key = arg.slice(0, eq);
    const raw = arg.slice(eq + 1);
    let value: number | string | boolean = raw;
    if (/^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(raw)) value = Number(raw);
    else if (raw === 'true' || raw === 'false') value = raw === 'true';
    out[key] = checkMetric(key, value, '--metric');
  }
  return out;
}

export function mergeMetrics(...sources: readonly Record<string, number | string | boolean>[]): ModelMetrics {
  const merged: Record<string, number | string | boolean> = {};
  for (const source of sources) Object.assign(merged, source);
  if (Object.keys(merged).length > MAX_METRICS) throw new WardenError('INPUT_INVALID', `at most ${MAX_METRICS} metrics may be recorded with a version`);
  return merged;
}

/** Checks a YYYY-MM-DD date that exists in the calendar. */
export function checkIsoDate(text: string, what: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const parsed = m === null ? NaN : Date.parse(`${text}T00:00:00Z`);
  if (m === null || Number.isNaN(parsed) || new Date(parsed).toISOString().slice(0, 10) !== text) {
    throw new WardenError('USAGE', `${what} must be a date written YYYY-MM-DD, not "${text}"`);
  }
  return text;
}
