/**
 * Suppression settings: the `scanners.secrets` block of warden.yaml (allow_paths globs and
 * allow_patterns regexes) and baseline files. Both come from the user, so both are validated, and a
 * bad value is reported naming the field rather than silently ignored (an ignored allowlist entry
 * would surface as noise; a mistyped one that matched everything would hide real leaks).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { WardenError, describeError } from '../../domain/index.js';
import type { Finding, Workspace } from '../../domain/index.js';

export interface SecretsConfig {
  readonly allowPaths: readonly RegExp[];
  readonly allowPatterns: readonly RegExp[];
  /** The raw regex sources, to hand to worker threads. */
  readonly allowPatternSources: readonly string[];
  readonly allowPathGlobs: readonly string[];
}

const KNOWN_KEYS = new Set(['allow_paths', 'allow_patterns']);
const MAX_PATTERN_LENGTH = 1000;

function stringList(value: unknown, field: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    throw new WardenError('WORKSPACE_INVALID', `warden.yaml: ${field} must be a list of strings.`, { details: { field } });
  }
  return value.map((item, i) => {
    if (typeof item !== 'string' || item.length === 0) {
      throw new WardenError('WORKSPACE_INVALID', `warden.yaml: ${field}[${i}] must be a non-empty string.`, {
        details: { field: `${field}[${i}]` },
      });
    }
    return item;
  });
}

/**
 * Translates a path glob to an anchored regex: `**` any folders, `*` within one path segment,
 * `?` one character, `{a,b}` alternatives. A glob without `/` matches the base name anywhere.
 */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  let i = 0;
  const anywhere = !glob.includes('/');
  let braces = 0;
  while (i < glob.length) {
    const c = glob[i] as string;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const slash = glob[i + 2] === '/';
        source += slash ? '(?:[^/]*/)*' : '.*';
        i += slash ? 3 : 2;
        continue;
      }
      source += '[^/]*';
    } else if (c === '?') source += '[^/]';
    else if (c === '{') {
      braces += 1;
      source += '(?:';
    } else if (c === '}' && braces > 0) {
      braces -= 1;
      source += ')';
    } else if (c === ',' && braces > 0) source += '|';
    else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    i += 1;
  }
  if (braces !== 0) throw new Error('unbalanced braces');
  const prefix = anywhere ? '(?:^|.*/)' : '^';
  return new RegExp(`${prefix}${source.replace(/^\//, '')}$`);
}

export function loadSecretsConfig(workspace: Workspace | undefined): SecretsConfig {
  const raw: unknown = workspace?.scanners?.['secrets'];
  if (raw === undefined) return { allowPaths: [], allowPatterns: [], allowPatternSources: [], allowPathGlobs: [] };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new WardenError('WORKSPACE_INVALID', 'warden.yaml: scanners.secrets must be a mapping.', { details: { field: 'scanners.secrets' } });
  }
  for (const key of Object.keys(raw)) {
    if (!KNOWN_KEYS.has(key)) {
      throw new WardenError('WORKSPACE_INVALID', `warden.yaml: unknown setting scanners.secrets.${key} (known: allow_paths, allow_patterns).`, {
        details: { field: `scanners.secrets.${key}` },
      });
    }
  }
  const record = raw as Record<string, unknown>;
  const globs = stringList(record['allow_paths'], 'scanners.secrets.allow_paths');
  const sources = stringList(record['allow_patterns'], 'scanners.secrets.allow_patterns');
  const allowPaths = globs.map((glob, i) => {
    try {
      return globToRegExp(glob);
    } catch (error) {
      throw new WardenError('WORKSPACE_INVALID', `warden.yaml: scanners.secrets.allow_paths[${i}] is not a valid glob: ${describeError(error)}.`, {
        cause: error,
        details: { field: `scanners.secrets.allow_paths[${i}]` },
      });
    }
  });
  const allowPatterns = sources.map((source, i) => {
    const field = `scanners.secrets.allow_patterns[${i}]`;
    if (source.length > MAX_PATTERN_LENGTH) {
      throw new WardenError('WORKSPACE_INVALID', `warden.yaml: ${field} is longer than ${MAX_PATTERN_LENGTH} characters.`, { details: { field } });
    }
    try {
      return new RegExp(source);
    } catch (error) {
      throw new WardenError('WORKSPACE_INVALID', `warden.yaml: ${field} is not a valid regular expression: ${describeError(error)}.`, {
        cause: error,
        details: { field },
      });
    }
  });
  return { allowPaths, allowPatterns, allowPatternSources: sources, allowPathGlobs: globs };
}

export function pathAllowed(config: SecretsConfig, relativePath: string): boolean {
  return config.allowPaths.some((re) => re.test(relativePath));
}

// Baselines: the fingerprints of accepted findings (never the secrets, which findings never hold).

export interface BaselineEntry {
  readonly fingerprint: string;
  readonly ruleId: string;
  readonly path: string;
}

export interface Baseline {
  readonly version: 1;
  readonly scanner: 'secrets';
  readonly generatedAt: string;
  readonly findings: readonly BaselineEntry[];
}

export async function readBaseline(file: string): Promise<Set<string>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new WardenError('INPUT_NOT_FOUND', `Cannot read the baseline ${file}: ${describeError(error)}`, { cause: error, details: { file } });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new WardenError('INPUT_INVALID', `The baseline ${file} is not valid JSON: ${describeError(error)}`, { cause: error, details: { file } });
  }
  const findings = (parsed as { findings?: unknown } | null)?.findings;
  if ((parsed as { version?: unknown } | null)?.version !== 1 || !Array.isArray(findings)) {
    throw new WardenError('INPUT_INVALID', `The baseline ${file} is not a Warden secrets baseline (version 1 with a findings list).`, { details: { file } });
  }
  const fingerprints = new Set<string>();
  findings.forEach((entry: unknown, i) => {
    const fp = (entry as { fingerprint?: unknown } | null)?.fingerprint;
    if (typeof fp !== 'string' || !/^[0-9a-f]{16,64}$/.test(fp)) {
      throw new WardenError('INPUT_INVALID', `The baseline ${file}: findings[${i}].fingerprint is missing or malformed.`, {
        details: { file, field: `findings[${i}].fingerprint` },
      });
    }
    fingerprints.add(fp);
  });
  return fingerprints;
}

export async function writeBaseline(file: string, findings: readonly Finding[]): Promise<void> {
  const baseline: Baseline = {
    version: 1,
    scanner: 'secrets',
    generatedAt: new Date().toISOString(),
    findings: [...new Map(findings.map((f) => [f.fingerprint, { fingerprint: f.fingerprint, ruleId: f.ruleId, path: f.location.path }])).values()]
      .sort((a, b) => a.path.localeCompare(b.path) || a.ruleId.localeCompare(b.ruleId) || a.fingerprint.localeCompare(b.fingerprint)),
  };
  try {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, `${JSON.stringify(baseline, null, 2)}\n`, 'utf8');
  } catch (error) {
    throw new WardenError('REPORT_FAILED', `Cannot write the baseline ${file}: ${describeError(error)}`, { cause: error, details: { file } });
  }
}
