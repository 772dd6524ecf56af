/**
 * Scanning a version's files with the model scanner (given by the caller, so the registry does
 * not pick scanners) and summarising the result for the registry. A scanner that throws yields a
 * recorded failure, which the gate treats as "not clean".
 */
import { join } from 'node:path';
import { countBySeverity, describeError, maxSeverity, sortFindings } from '../domain/index.js';
import type { ModelScanTrigger, Scanner } from '../domain/index.js';
import { DEFAULT_SKIP_DIRS } from '../scanners/index.js';
import type { NewModelScan } from '../store/index.js';

export interface ScanModelInput {
  readonly scanner: Scanner;
  /** The model folder or single file to scan. */
  readonly modelPath: string;
  /** Root that finding paths are relative to. */
  readonly root: string;
  readonly trigger: ModelScanTrigger;
  readonly by: string | null;
  readonly asset?: string;
  readonly now: () => Date;
  /**
   * The version's registered files (model-relative). A folder walk skips directories such as
   * `.git` or `__pycache__`; registered files inside them are deployed all the same, so they are
   * named to the scanner explicitly and never go unscanned.
   */
  readonly files?: readonly string[];
}

function hiddenFromWalk(modelPath: string, files: readonly string[]): string[] {
  return files
    .filter((f) => f !== '.' && f.split('/').slice(0, -1).some((part) => DEFAULT_SKIP_DIRS.has(part)))
    .map((f) => join(modelPath, ...f.split('/')));
}

export async function scanModelFiles(input: ScanModelInput): Promise<NewModelScan> {
  const scannedAt = input.now().toISOString();
  try {
    const result = await input.scanner.scan(
      { root: input.root, inputs: [input.modelPath, ...hiddenFromWalk(input.modelPath, input.files ?? [])], ...(input.asset !== undefined && { asset: input.asset }) },
      { options: {} },
    );
    const findings = sortFindings(result.findings);
    return {
      trigger: input.trigger,
      targetPath: input.modelPath,
      scannedAt,
      scannedBy: input.by,
      error: null,
      counts: countBySeverity(findings),
      highest: maxSeverity(findings) ?? null,
      unscannable: result.unscannable.length,
      findings: findings.map((f) => ({
        ruleId: f.ruleId,
        severity: f.severity,
        path: f.location.member === undefined ? f.location.path : `${f.location.path}!${f.location.member}`,
        message: f.message,
      })),
    };
  } catch (error) {
    return {
      trigger: input.trigger,
      targetPath: input.modelPath,
      scannedAt,
      scannedBy: input.by,
      error: describeError(error),
      counts: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
      highest: null,
      unscannable: 0,
      findings: [],
    };
  }
}
