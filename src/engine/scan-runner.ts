/**
 * Running the registered scanners that a workspace's assets call for. Each scanner decides from
 * an asset whether it has something to scan (`targetFor`), so a new scanner joins the assessment
 * by being registered, with no change here. A scanner that throws is recorded with its error and
 * its evidence stays "needed": a failed scan must never read as a clean one.
 */
import { describeError } from '../domain/index.js';
import type { Asset, Finding, ScanTarget, Scanner, ScannerRun, Workspace } from '../domain/index.js';
import type { ScannerRegistry } from '../scanners/index.js';
import type { AssetEvidence } from './assessment-context.js';

export interface ScanPlanItem {
  readonly scanner: Scanner;
  readonly asset: Asset;
  readonly target: ScanTarget;
}

export function planScans(registry: ScannerRegistry, workspace: Workspace, workspaceDir: string): ScanPlanItem[] {
  const plan: ScanPlanItem[] = [];
  for (const scanner of registry.list()) {
    for (const asset of workspace.assets) {
      const target = scanner.targetFor(asset, workspaceDir);
      if (target !== undefined) plan.push({ scanner, asset, target: { ...target, asset: asset.id } });
    }
  }
  return plan;
}

export interface ScanRunOutput {
  readonly runs: ScannerRun[];
  readonly findings: Finding[];
  /** evidenceKind → assetId → evidence */
  readonly evidence: Map<string, Map<string, AssetEvidence>>;
}

export interface ScanRunOptions {
  readonly workspace: Workspace;
  readonly workspaceDir: string;
  readonly concurrency?: number;
  readonly signal?: AbortSignal;
  readonly onItemDone?: (item: ScanPlanItem, run: ScannerRun) => void;
}

export async function runScanPlan(plan: readonly ScanPlanItem[], options: ScanRunOptions): Promise<ScanRunOutput> {
  const runs: ScannerRun[] = new Array<ScannerRun>(plan.length);
  const perItem: Finding[][] = plan.map(() => []);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < plan.length) {
      const index = next;
      next += 1;
      const item = plan[index] as ScanPlanItem;
      const started = Date.now();
      let run: ScannerRun;
      try {
        const result = await item.scanner.scan(item.target, {
          workspace: options.workspace,
          workspaceDir: options.workspaceDir,
          options: {},
          ...(options.signal !== undefined && { signal: options.signal }),
        });
        perItem[index] = result.findings.map((f) => (f.asset === item.asset.id ? f : { ...f, asset: item.asset.id }));
        run = {
          scanner: item.scanner.name,
          asset: item.asset.id,
          inputs: item.target.inputs,
          findings: result.findings.length,
          unscannable: result.unscannable,
          durationMs: Date.now() - started,
        };
      } catch (error) {
        run = {
          scanner: item.scanner.name,
          asset: item.asset.id,
          inputs: item.target.inputs,
          findings: 0,
          unscannable: [],
          error: describeError(error),
          durationMs: Date.now() - started,
        };
      }
      runs[index] = run;
      options.onItemDone?.(item, run);
    }
  };
  const concurrency = Math.max(1, Math.min(options.concurrency ?? 2, plan.length));
  await Promise.all(Array.from({ length: concurrency }, () => worker()));

  const evidence = new Map<string, Map<string, AssetEvidence>>();
  plan.forEach((item, i) => {
    const run = runs[i] as ScannerRun;
    const kind = item.scanner.evidenceKind;
    const byAsset = evidence.get(kind) ?? new Map<string, AssetEvidence>();
    evidence.set(kind, byAsset);
    const previous = byAsset.get(item.asset.id);
    byAsset.set(item.asset.id, {
      scanner: item.scanner.name,
      findings: [...(previous?.findings ?? []), ...(perItem[i] ?? [])],
      unscannable: (previous?.unscannable ?? 0) + run.unscannable.length,
      ...((run.error ?? previous?.error) !== undefined && { error: run.error ?? previous?.error }),
    });
  });
  return { runs, findings: perItem.flat(), evidence };
}
