/**
 * The one-day assessment: run the scanners the assets call for, evaluate every applicable
 * control for every asset and for the organisation, answer the five questions per asset, rank
 * the gaps and lay out the roadmap. The result is plain data, kept by the store and rendered by
 * the reports.
 */
import { randomUUID } from 'node:crypto';
import { relative } from 'node:path';
import { sizeProfileFor } from '../domain/index.js';
import type {
  AssessmentResult,
  Asset,
  AssetAssessment,
  BlastRadius,
  Client,
  Control,
  Finding,
  ModelRegistryEvidence,
  Person,
  ScannerRun,
} from '../domain/index.js';
import { loadCatalog } from '../catalog/index.js';
import type { Catalog } from '../catalog/index.js';
import { LineageGraph } from '../lineage/index.js';
import { createFinding } from '../scanners/index.js';
import type { ScannerRegistry } from '../scanners/index.js';
import type { LoadedWorkspace } from '../workspace/index.js';
import type { AssessmentContext, AssetEvidence } from './assessment-context.js';
import { blastRadiusOf } from './blast-radius.js';
import { linkEvidence } from './linked-evidence.js';
import { indexModelRegistry } from './checks/model-registry-evidence.js';
import { assertChecksExist, evaluateControl } from './control-evaluator.js';
import type { EvaluatedControl } from './control-evaluator.js';
import { answerQuestions } from './question-answers.js';
import { planScans, runScanPlan } from './scan-runner.js';
import type { ScanPlanItem } from './scan-runner.js';
import { buildRoadmap, gapSeverity, isGap, pillarScores, rankGaps, riskOf, summarise } from './scorecard.js';
import type { RankInput, ScoredGap } from './scorecard.js';

export interface AssessOptions {
  /** Scanners to run; without one, no scanner evidence is gathered. */
  readonly registry?: ScannerRegistry;
  /** Run scanners (default true when a registry is given). */
  readonly scan?: boolean;
  readonly now?: Date;
  readonly catalog?: Catalog;
  readonly signal?: AbortSignal;
  readonly onScanPlanned?: (total: number) => void;
  readonly onScanDone?: (item: ScanPlanItem, run: ScannerRun) => void;
  /**
   * Model registry records (read from the store by the caller): evidence for the model-integrity,
   * model-access and model-vulnerability controls. Without it, those judge declarations only.
   */
  readonly modelRegistry?: ModelRegistryEvidence;
}

export async function assess(loaded: LoadedWorkspace, options: AssessOptions = {}): Promise<AssessmentResult> {
  const catalog = options.catalog ?? loadCatalog();
  assertChecksExist(catalog.controls);
  const { workspace, dir } = loaded;
  const now = options.now ?? new Date();
  const scan = options.registry !== undefined && options.scan !== false;

  let scanRuns: ScannerRun[] = [];
  let scanFindings: Finding[] = [];
  let evidence = new Map<string, Map<string, AssetEvidence>>();
  // What the registered scanners would examine: with scans off, only those assets wait for evidence.
  const plan = options.registry === undefined ? [] : planScans(options.registry, workspace, dir);
  const plannedEvidence = new Map<string, Set<string>>();
  for (const item of plan) {
    const ids = plannedEvidence.get(item.scanner.evidenceKind) ?? new Set<string>();
    ids.add(item.asset.id);
    plannedEvidence.set(item.scanner.evidenceKind, ids);
  }
  if (scan && options.registry !== undefined) {
    options.onScanPlanned?.(plan.length);
    const out = await runScanPlan(plan, {
      workspace,
      workspaceDir: dir,
      ...(options.signal !== undefined && { signal: options.signal }),
      ...(options.onScanDone !== undefined && { onItemDone: options.onScanDone }),
    });
    scanRuns = out.runs;
    scanFindings = out.findings;
    evidence = out.evidence;
    // A repository's infrastructure code speaks for the buckets and servers it defines.
    linkEvidence(evidence, workspace.assets);
  }

  const graph = LineageGraph.fromWorkspace(workspace);
  const people = new Map<string, Person>(workspace.people.map((p) => [p.id, p]));
  const peopleByRole = new Map<string, Person[]>();
  for (const p of workspace.people) {
    for (const role of p.roles) {
      const list = peopleByRole.get(role);
      if (list === undefined) peopleByRole.set(role, [p]);
      else list.push(p);
    }
  }
  const ctx: AssessmentContext = {
    workspace,
    catalog,
    sizeProfile: sizeProfileFor(workspace.organisation.headcount),
    today: now.toISOString().slice(0, 10),
    people,
    peopleByRole,
    graph,
    reach: graph.dataReach(),
    assetLines: loaded.assetLines,
    evidence,
    evidenceProviders: new Set(options.registry?.list().map((s) => s.evidenceKind) ?? []),
    scanned: scan,
    plannedEvidence,
    scannerRuns: scanRuns,
    ...(options.modelRegistry !== undefined && { modelRegistry: indexModelRegistry(options.modelRegistry, workspace.assets) }),
  };

  const controlsById = new Map<string, Control>(catalog.controls.map((c) => [c.id, c]));
  const orgControls = catalog.controls.filter((c) => c.applies_to.length === 0);
  const byKind = new Map<string, Control[]>();
  for (const control of catalog.controls) {
    for (const kind of control.applies_to) {
      const list = byKind.get(kind);
      if (list === undefined) byKind.set(kind, [control]);
      else list.push(control);
    }
  }

  const results: EvaluatedControl[] = orgControls.map((c) => evaluateControl(ctx, c, undefined));
  // Only gaps are ranked; their risk is computed once and shared by the asset's total and the ranking.
  const scored: ScoredGap[] = [];
  for (const result of results) {
    if (isGap(result)) {
      const input: RankInput = { result, control: controlsById.get(result.controlId) as Control, internet: false };
      scored.push({ input, risk: riskOf(input) });
    }
  }
  const clientsById = new Map<string, Client>(workspace.clients.map((c) => [c.id, c]));
  const assetAssessments: AssetAssessment[] = [];

  for (const asset of workspace.assets) {
    const assetResults = (byKind.get(asset.kind) ?? []).map((c) => evaluateControl(ctx, c, asset));
    const radius = blastRadiusOf(ctx, asset, clientsById);
    const internet = asset.controls?.exposure === 'internet';
    let risk = 0;
    for (const result of assetResults) {
      results.push(result);
      if (!isGap(result)) continue;
      const input: RankInput = { result, control: controlsById.get(result.controlId) as Control, radius, internet };
      const r = riskOf(input);
      scored.push({ input, risk: r });
      risk += r;
    }
    assetAssessments.push(assessAsset(ctx, asset, assetResults, controlsById, radius, risk));
  }

  const workspaceFile = relative(dir, loaded.file) || 'warden.yaml';
  const controlFindings = scored.map(({ input }) =>
    controlFinding(input, workspaceFile, input.result.asset === undefined ? undefined : loaded.assetLines.get(input.result.asset)),
  );
  const gaps = rankGaps(scored);

  return {
    schemaVersion: 1,
    id: randomUUID(),
    createdAt: now.toISOString(),
    workspace: {
      name: workspace.organisation.name,
      dir,
      digest: loaded.digest,
      sizeProfile: ctx.sizeProfile,
      headcount: workspace.organisation.headcount,
    },
    summary: summarise(results, gaps, workspace.assets.length),
    pillars: pillarScores(results, controlsById),
    assets: assetAssessments.sort((a, b) => b.risk - a.risk || a.asset.localeCompare(b.asset)),
    controls: results,
    gaps,
    roadmap: buildRoadmap(catalog.controls, results, ctx.sizeProfile),
    scanners: scanRuns,
    findings: [...controlFindings, ...scanFindings],
  };
}

function assessAsset(
  ctx: AssessmentContext,
  asset: Asset,
  results: readonly EvaluatedControl[],
  controls: ReadonlyMap<string, Control>,
  radius: BlastRadius,
  risk: number,
): AssetAssessment {
  const reach = ctx.reach[ctx.graph.indexOf(asset.id)];
  const effective = radius.highestClassification;
  return {
    asset: asset.id,
    name: asset.name ?? asset.id,
    kind: asset.kind,
    owner: asset.owner,
    ...(asset.classification !== undefined && { classification: asset.classification }),
    ...(effective !== undefined && reach !== undefined && { effectiveClassification: effective }),
    answers: answerQuestions(ctx, asset, results, controls, radius),
    blastRadius: radius,
    risk,
  };
}

function controlFinding(input: RankInput, workspaceFile: string, line: number | undefined): Finding {
  const { result, control } = input;
  const where = result.asset === undefined ? 'organisation' : `asset ${result.asset}`;
  return createFinding({
    ruleId: `control/${control.id}`,
    severity: gapSeverity(result, control),
    message: `${control.title} (${where}): ${result.reason}`,
    location: { path: workspaceFile, ...(line !== undefined && { line }) },
    source: 'assessment',
    ...(result.asset !== undefined && { asset: result.asset }),
    evidence: result.evidence.map((e) => e.summary).slice(0, 3).join('; '),
    remediation: control.remediation,
    controls: [control.id],
    properties: { status: result.status, pillar: control.pillar },
    key: `${control.id}|${result.asset ?? ''}`,
  });
}
