/**
 * `warden scan models PATH...`: every file under the given paths is examined by content. Files
 * whose content matches no model format are skipped silently unless they were named explicitly or
 * carry a model file extension — then they are reported as unscannable, because a `.pt` that we
 * cannot read is not a `.pt` we can call safe (the extension only decides whether to complain,
 * never how to parse).
 */
import { resolve } from 'node:path';
import { lstat, realpath } from 'node:fs/promises';
import { sortFindings } from '../../domain/index.js';
import type { Asset, Finding, ScanContext, ScanResult, ScanTarget, Scanner, Unscannable } from '../../domain/index.js';
import { createFinding, localPathOf, relativeTo, walkFiles } from '../index.js';
import { scanModelFile, reasonOf } from './model-file-scanner.js';
import type { ModelFileReport } from './model-file-scanner.js';
import { MODEL_CONTROLS, MODEL_RULES, RULE } from './model-rules.js';
import { DEFAULT_MODEL_SCAN_LIMITS } from './scan-limits.js';
import type { ModelScanLimits } from './scan-limits.js';

const SOURCE = 'models';
const CONCURRENCY = 4;
const MODEL_EXTENSIONS = /\.(pt|pth|bin|ckpt|pkl|pickle|joblib|jl|npy|npz|h5|hdf5|keras|pb|onnx|safetensors|gguf|ggml|mar|nemo|model|7z)$/i;
const REMEDIATION = new Map(MODEL_RULES.map((r) => [r.id, r.remediation]));

function optionNumber(value: unknown, fallback: number): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

function limitsFrom(options: ScanContext['options']): Partial<ModelScanLimits> {
  return {
    fileTimeMs: optionNumber(options['fileTimeout'], DEFAULT_MODEL_SCAN_LIMITS.fileTimeMs / 1000) * 1000,
    maxDepth: optionNumber(options['maxDepth'], DEFAULT_MODEL_SCAN_LIMITS.maxDepth),
    maxExpandedBytes: optionNumber(options['maxExpandedMb'], DEFAULT_MODEL_SCAN_LIMITS.maxExpandedBytes / 2 ** 20) * 2 ** 20,
  };
}

interface FileJob {
  readonly path: string;
  readonly relativePath: string;
  readonly explicit: boolean;
}

export const modelScanner: Scanner = {
  name: 'models',
  description:
    'Finds what model files would do when loaded (pickle imports, Lambda layers, Python ops, external data paths, template injection) without loading them.',
  evidenceKind: 'scan:models',
  rules: MODEL_RULES,
  defaultFailOn: 'high',
  options: [
    { flags: '--file-timeout <seconds>', description: 'time limit for one file, its members included', defaultValue: '60' },
    { flags: '--max-depth <n>', description: 'how many archives inside archives to open', defaultValue: '6' },
    { flags: '--max-expanded-mb <n>', description: 'decompressed bytes allowed per file', defaultValue: '2048' },
  ],

  targetFor(asset: Asset, workspaceDir: string): ScanTarget | undefined {
    if (asset.kind !== 'model' && asset.kind !== 'model-registry') return undefined;
    if (asset.location === undefined) return undefined;
    const path = localPathOf(asset.location, workspaceDir);
    if (path === undefined) return undefined;
    return { root: workspaceDir, inputs: [path], asset: asset.id };
  },

  async scan(target: ScanTarget, context: ScanContext): Promise<ScanResult> {
    const started = Date.now();
    const limits = limitsFrom(context.options);
    const findings: Finding[] = [];
    const unscannable: Unscannable[] = [];
    const stats = { files: 0, scanned: 0, skipped: 0, unscannable: 0, bytesRead: 0, bytesOnDisk: 0, bytesExpanded: 0, members: 0, pickles: 0 };
    const jobs: FileJob[] = [];
    for (const input of target.inputs) {
      let path = resolve(input);
      let isFile: boolean;
      try {
        // A path the user named is followed even if it is a symbolic link; links met while
        // walking a folder are not (see walkFiles).
        if ((await lstat(path)).isSymbolicLink()) path = await realpath(path);
        isFile = (await lstat(path)).isFile();
      } catch (error) {
        unscannable.push({ path: relativeTo(target.root, path), reason: `cannot read input: ${reasonOf(error)}` });
        continue;
      }
      for await (const file of walkFiles(target.root, path, context.signal !== undefined ? { signal: context.signal } : {})) {
        jobs.push({ path: file.path, relativePath: file.relativePath, explicit: isFile });
      }
    }
    let done = 0;
    const run = async (job: FileJob): Promise<void> => {
      let report: ModelFileReport;
      try {
        report = await scanModelFile(job.path, { limits, ...(context.signal !== undefined && { signal: context.signal }) });
      } catch (error) {
        stats.files += 1;
        stats.unscannable += 1;
        unscannable.push({ path: job.relativePath, reason: `cannot read file: ${reasonOf(error)}` });
        return;
      }
      stats.files += 1;
      stats.bytesRead += report.bytesRead;
      stats.bytesOnDisk += report.size;
      stats.bytesExpanded += report.bytesExpanded;
      stats.members += report.members;
      stats.pickles += report.pickles;
      const parts = [...report.unscannable];
      if (!report.recognised) {
        if (!job.explicit && !MODEL_EXTENSIONS.test(job.relativePath)) {
          stats.skipped += 1;
          return;
        }
        parts.push({ reason: 'the content matches no model format Warden reads (it may be corrupt, encrypted or of another format)' });
      }
      for (const issue of report.issues) {
        findings.push(
          createFinding({
            ruleId: issue.ruleId,
            severity: issue.severity,
            message: issue.message,
            location: { path: job.relativePath, ...(issue.member !== undefined && { member: issue.member }) },
            source: SOURCE,
            ...(target.asset !== undefined && { asset: target.asset }),
            ...(issue.evidence !== undefined && { evidence: issue.evidence }),
            ...(REMEDIATION.get(issue.ruleId) !== undefined && { remediation: REMEDIATION.get(issue.ruleId) }),
            controls: MODEL_CONTROLS,
            properties: { ...issue.properties, formats: report.formats.join(',') },
            key: issue.key,
          }),
        );
      }
      if (parts.length > 0) {
        stats.unscannable += 1;
        for (const part of parts) {
          unscannable.push({ path: job.relativePath, reason: part.member !== undefined ? `${part.member}: ${part.reason}` : part.reason });
          findings.push(
            createFinding({
              ruleId: RULE.unscannable,
              severity: 'medium',
              message: `Could not be fully scanned${part.member !== undefined ? ` (${part.member})` : ''}: ${part.reason}.`,
              location: { path: job.relativePath, ...(part.member !== undefined && { member: part.member }) },
              source: SOURCE,
              ...(target.asset !== undefined && { asset: target.asset }),
              ...(REMEDIATION.get(RULE.unscannable) !== undefined && { remediation: REMEDIATION.get(RULE.unscannable) }),
              controls: MODEL_CONTROLS,
              properties: { formats: report.formats.join(','), reason: part.reason },
              key: part.reason,
            }),
          );
        }
      } else {
        stats.scanned += 1;
      }
    };
    let next = 0;
    const workers = Array.from({ length: Math.min(CONCURRENCY, jobs.length) }, async () => {
      while (next < jobs.length) {
        if (context.signal?.aborted === true) return;
        const job = jobs[next] as FileJob;
        next += 1;
        await run(job);
        done += 1;
        context.onProgress?.({ done, total: jobs.length, current: job.relativePath });
      }
    });
    await Promise.all(workers);
    findings.sort((a, b) => (a.location.member ?? '').localeCompare(b.location.member ?? '') || a.message.localeCompare(b.message));
    unscannable.sort((a, b) => a.path.localeCompare(b.path) || a.reason.localeCompare(b.reason));
    return {
      scanner: SOURCE,
      findings: sortFindings(findings),
      scanned: stats.scanned,
      unscannable,
      stats,
      startedAt: new Date(started).toISOString(),
      durationMs: Date.now() - started,
    };
  },
};
