/**
 * `probe`: live, read-only checks of the network endpoints a workspace declares (notebook servers,
 * inference endpoints, registries, dashboards). The scanner sends traffic, so in an assessment it
 * only takes part when the user opted in: `createProbeScanner({ enabled: true })` (what
 * `warden assess --probe` registers); otherwise `targetFor` returns nothing and no asset is probed.
 * `warden probe` and `warden scan probe` call scan() directly, which always enforces scope.
 *
 * Scope in scan(): the workspace in the context (its declared locations) plus `allowTarget`
 * options; see scope-policy.ts.
 */
import { readFile } from 'node:fs/promises';
import { WardenError } from '../../domain/index.js';
import type { Asset, ScanContext, ScanResult, ScanTarget, Scanner, Unscannable } from '../../domain/index.js';
import { PROBE_RULES } from './probe-rules.js';
import { runProbe } from './probe-runner.js';
import type { ProbeInput, ProbeRunOptions } from './probe-runner.js';
import { declaredTargetOf, isNetworkTargetText } from './probe-target.js';
import { ScopePolicy } from './scope-policy.js';
import type { HostResolver } from './scope-policy.js';
import { DEFAULT_PROBE_SETTINGS } from './target-prober.js';

export const PROBE_SCANNER_NAME = 'probe';
export const PROBE_EVIDENCE_KIND = 'probe';

type OptionValue = string | boolean | number | readonly string[] | undefined;

function listOption(value: OptionValue): string[] {
  if (value === undefined || typeof value === 'boolean') return [];
  const items = typeof value === 'string' || typeof value === 'number' ? [String(value)] : [...value];
  return items.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
}

function numberOption(value: OptionValue, name: string, min: number, max: number): number | undefined {
  if (value === undefined || value === false) return undefined;
  const n = typeof value === 'number' ? value : Number(String(value));
  if (!Number.isFinite(n) || n < min || n > max) throw new WardenError('USAGE', `--${name} must be a number from ${min} to ${max} (got "${String(value)}").`);
  return n;
}

export interface ParsedProbeOptions {
  readonly allowTargets: string[];
  readonly run: ProbeRunOptions;
}

/** Reads the probe's options as they arrive from the command line (camelCased, strings). */
export async function parseProbeOptions(options: Readonly<Record<string, OptionValue>>, signal?: AbortSignal): Promise<ParsedProbeOptions> {
  const concurrency = numberOption(options['concurrency'], 'concurrency', 1, 256);
  const timeoutSeconds = numberOption(options['timeout'], 'timeout', 0.1, 120);
  const caFiles = listOption(options['caFile']);
  const extraCa: Buffer[] = [];
  for (const file of caFiles) {
    try {
      extraCa.push(await readFile(file));
    } catch (error) {
      throw new WardenError('INPUT_NOT_FOUND', `--ca-file ${file}: cannot be read.`, { cause: error });
    }
  }
  return {
    allowTargets: listOption(options['allowTarget']),
    run: {
      ...(concurrency !== undefined && { concurrency: Math.floor(concurrency) }),
      ...(timeoutSeconds !== undefined && { timeoutMs: Math.round(timeoutSeconds * 1000) }),
      ...(extraCa.length > 0 && { extraCa }),
      ...(signal !== undefined && { signal }),
    },
  };
}

export interface ProbeScannerOptions {
  /** Opt-in for assessments: without it `targetFor` never returns a target. */
  readonly enabled: boolean;
  /** Name resolution (tests inject one); node:dns lookup by default. */
  readonly resolve?: HostResolver;
}

export function createProbeScanner(options: ProbeScannerOptions): Scanner {
  return {
    name: PROBE_SCANNER_NAME,
    description: 'live read-only checks of declared network endpoints: auth, TLS, rate limits, known CVEs (opt-in)',
    evidenceKind: PROBE_EVIDENCE_KIND,
    rules: PROBE_RULES,
    defaultFailOn: 'high',
    options: [
      { flags: '--allow-target <specs>', description: 'also probe HOST:PORT or CIDR targets not declared in warden.yaml (comma-separated)' },
      { flags: '--concurrency <n>', description: `targets probed at once (default ${DEFAULT_PROBE_SETTINGS.concurrency})` },
      { flags: '--timeout <seconds>', description: `deadline per request (default ${DEFAULT_PROBE_SETTINGS.timeoutMs / 1000})` },
      { flags: '--ca-file <files>', description: 'extra trusted CA certificates (PEM) for the chain check, comma-separated' },
    ],
    targetFor(asset: Asset, workspaceDir: string): ScanTarget | undefined {
      if (!options.enabled) return undefined;
      if (declaredTargetOf(asset) === undefined || asset.location === undefined) return undefined;
      return { root: workspaceDir, inputs: [asset.location.trim()], asset: asset.id };
    },
    async scan(target: ScanTarget, context: ScanContext): Promise<ScanResult> {
      const started = Date.now();
      const startedAt = new Date(started).toISOString();
      const parsed = await parseProbeOptions(context.options, context.signal);
      const policy = ScopePolicy.fromWorkspace(context.workspace, parsed.allowTargets, options.resolve);
      const inputs: ProbeInput[] = [];
      const unscannable: Unscannable[] = [];
      for (const input of target.inputs) {
        if (isNetworkTargetText(input.trim())) inputs.push({ text: input.trim(), ...(target.asset !== undefined && { asset: target.asset }) });
        else unscannable.push({ path: input, reason: 'not a URL or HOST:PORT: the probe checks network endpoints only' });
      }
      const result = await runProbe(inputs, policy, {
        ...parsed.run,
        ...(context.onProgress !== undefined && {
          onProgress: (done: number, total: number, current: string) => context.onProgress?.({ done, total, current }),
        }),
      });
      return {
        scanner: PROBE_SCANNER_NAME,
        findings: result.findings,
        scanned: result.scanned,
        unscannable: [...unscannable, ...result.unscannable],
        stats: { ...result.stats },
        startedAt,
        durationMs: Date.now() - started,
      };
    },
  };
}

/** The scanner as registered by default: usable by `warden probe`, silent in assessments. */
export const probeScanner: Scanner = createProbeScanner({ enabled: false });
