/**
 * Promoting a version: gather the gate's evidence on a private copy of the files, ask the gate,
 * and either place the copy in the stage's artifact folder or throw it away — recording the
 * decision either way, with who, when, for which clients and every reason.
 *
 * Order matters: the registered files are copied (hashing on the way) into `.incoming`, and the
 * signature, digests and scan are all checked on that copy. What is checked is what is placed,
 * so a change to the development folder during the promotion cannot slip into production.
 */
import { createHash } from 'node:crypto';
import { lstat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { WardenError, describeError, modelRef } from '../domain/index.js';
import type { ModelScanRecord, ModelStage, ModelVersionRecord, PromotionRecord, SignatureCheck } from '../domain/index.js';
import { accessAdmits, modelAccessList, modelAssetNamed } from '../workspace/index.js';
import {
  artifactDir,
  artifactModelPath,
  artifactSignaturePath,
  createIncoming,
  currentModelPath,
  discardIncoming,
  lockVersion,
  placeArtifact,
} from './artifact-store.js';
import { evaluateDeploymentGate } from './deployment-gate.js';
import type { GateDecision, IntegrityEvidence } from './deployment-gate.js';
import { copyRegisteredFiles } from './model-files.js';
import { modelLineage } from './model-lineage.js';
import { scanModelFiles } from './model-scan.js';
import { clock, knownClient, knownPerson, todayOf, trustedKeys } from './registry-context.js';
import type { RegistryContext } from './registry-context.js';
import { readSignatureBytes, verifyWithTrustedKeys } from './signature-trust.js';

export interface PromoteModelInput {
  readonly name: string;
  readonly version: string;
  readonly toStage: Exclude<ModelStage, 'development'>;
  readonly by: string;
  /** Clients the deployment serves; default: the model asset's `clients`. */
  readonly forClients?: readonly string[];
}

export interface PromotionOutcome {
  readonly decision: GateDecision;
  readonly record: PromotionRecord;
  readonly scan: ModelScanRecord;
}

/** Whether `name` lies under one of the (model-relative) ignore paths. */
function ignoredBy(name: string, ignorePaths: readonly string[]): boolean {
  return ignorePaths.some((p) => p === '.' || name === p || name.startsWith(`${p}/`));
}

export async function promoteModelVersion(ctx: RegistryContext, input: PromoteModelInput): Promise<PromotionOutcome> {
  knownPerson(ctx, input.by, '--by');
  const forClients = [...new Set(input.forClients ?? [])].map((c) => knownClient(ctx, c, '--for'));
  const version = await ctx.models.get(input.name, input.version);
  const ws = ctx.loaded.workspace;
  const asset = modelAssetNamed(ws, version.name);
  const now = clock(ctx);
  const today = todayOf(ctx);

  const targetClients = forClients.length > 0 ? forClients : [...(asset?.clients ?? [])];
  const targetClientsFrom = forClients.length > 0 ? '--for' : asset?.clients !== undefined ? `the clients of asset ${asset.id}` : 'no client declared';
  const dataClients = new Set(version.dataClients);
  if (asset !== undefined) for (const c of modelLineage(ws, asset.id).dataClients) dataClients.add(c);

  const unlock = await lockVersion(ctx.loaded.dir, version.name, version.version);
  try {
    // Read again under the lock: another promotion may have finished since.
    return await promoteLocked(ctx, input, await ctx.models.get(version.name, version.version), { asset, now, today, targetClients, targetClientsFrom, dataClients });
  } finally {
    await unlock();
  }
}

interface PromotionPlan {
  readonly asset: ReturnType<typeof modelAssetNamed>;
  readonly now: () => Date;
  readonly today: string;
  readonly targetClients: string[];
  readonly targetClientsFrom: string;
  readonly dataClients: ReadonlySet<string>;
}

async function promoteLocked(ctx: RegistryContext, input: PromoteModelInput, version: ModelVersionRecord, plan: PromotionPlan): Promise<PromotionOutcome> {
  const { asset, now, today, targetClients, targetClientsFrom, dataClients } = plan;
  const ws = ctx.loaded.workspace;
  // The files come from where the version lives now: its source folder, or its staged copy.
  const fromStaged = version.stage !== 'development';
  const sourceDir = fromStaged ? artifactDir(ctx.loaded.dir, version.stage as Exclude<ModelStage, 'development'>, version.name, version.version) : undefined;
  const sourceModel = currentModelPath(ctx.loaded.dir, version);
  const sourceSignature = sourceDir !== undefined ? artifactSignaturePath(sourceDir) : version.signature?.path;

  const incoming = await createIncoming(ctx.loaded.dir);
  try {
    const modelCopy = artifactModelPath(incoming, version);
    const copied = await copyRegisteredFiles(version.files, sourceModel, modelCopy);
    let signature: SignatureCheck = { status: 'unsigned', detail: 'the version was registered without a signature' };
    let signatureChanged: boolean | undefined;
    let uncovered: string[] = [];
    if (version.signature !== null && sourceSignature !== undefined) {
      const copiedSignature = artifactSignaturePath(incoming);
      try {
        const bytes = await readSignatureBytes(sourceSignature);
        signatureChanged = createHash('sha256').update(bytes).digest('hex') !== version.signature.sha256;
        await writeFile(copiedSignature, bytes, { mode: 0o644 });
        const outcome = await verifyWithTrustedKeys(modelCopy, copiedSignature, trustedKeys(ctx), today, ctx.workers);
        signature = outcome.check;
        const ignorePaths = outcome.verified?.ignorePaths ?? [];
        uncovered = version.files.map((f) => f.path).filter((p) => p !== '.' && ignoredBy(p, ignorePaths));
      } catch (error) {
        signature = { status: 'unreadable', detail: `the signature bundle ${sourceSignature} cannot be read: ${describeError(error)}` };
      }
    }
    const integrity: IntegrityEvidence = { ...copied, uncovered, ...(signatureChanged !== undefined && { signatureChanged }) };
    const scanned = await scanModelFiles({
      scanner: ctx.scanner,
      modelPath: modelCopy,
      root: version.singleFile ? dirname(modelCopy) : modelCopy,
      files: version.files.map((f) => f.path),
      trigger: 'promote',
      by: input.by,
      ...(asset !== undefined && { asset: asset.id }),
      now,
    });
    // The scan describes the files as they were promoted (or refused): keep it whatever the outcome.
    const scan = await ctx.models.recordScan(version.name, version.version, { ...scanned, targetPath: sourceModel });
    const decision = evaluateDeploymentGate({
      workspace: ws,
      version,
      asset,
      promoter: input.by,
      toStage: input.toStage,
      targetClients,
      targetClientsFrom,
      dataClients: [...dataClients].sort(),
      signature,
      integrity,
      scan: scanned,
      reviews: await ctx.models.reviews(version.name, version.version),
      exceptions: await ctx.models.exceptions(version.name, version.version),
      today,
    });
    const at = now().toISOString();
    const base = { fromStage: version.stage, toStage: input.toStage, by: input.by, at, targetClients, reasons: decision.reasons, checks: decision.checks };
    if (!decision.allowed) {
      await discardIncoming(incoming);
      const record = await ctx.models.recordPromotion(version.name, version.version, { ...base, decision: 'refused', artifactPath: null });
      return { decision, record, scan };
    }
    const target = artifactDir(ctx.loaded.dir, input.toStage, version.name, version.version);
    await placeArtifact(incoming, target, {
      name: version.name,
      version: version.version,
      stage: input.toStage,
      promotedBy: input.by,
      promotedAt: at,
      targetClients,
      manifestDigest: version.manifestDigest,
      files: version.files,
      signature: signature.keyId === undefined ? null : { keyId: signature.keyId },
    });
    try {
      const record = await ctx.models.recordPromotion(version.name, version.version, { ...base, decision: 'allowed', artifactPath: target });
      return { decision, record, scan };
    } catch (error) {
      // Unrecorded means unpromoted: take the copy back out of the stage.
      await discardIncoming(target);
      throw error;
    }
  } catch (error) {
    await discardIncoming(incoming);
    throw error;
  }
}

export interface ExportModelInput {
  readonly name: string;
  readonly version: string;
  readonly by: string;
  /** A folder that does not exist yet. */
  readonly destination: string;
}

export interface ExportOutcome {
  readonly allowed: boolean;
  readonly reasons: string[];
  readonly path: string | null;
}

/**
 * `warden model export`: copies a version out of the registry for someone allowed to export it,
 * from where it lives now, checking every byte against the registered digests on the way.
 */
export async function exportModelVersion(ctx: RegistryContext, input: ExportModelInput): Promise<ExportOutcome> {
  const person = knownPerson(ctx, input.by, '--by');
  const version = await ctx.models.get(input.name, input.version);
  if ((await lstat(input.destination).catch(() => null)) !== null) throw new WardenError('USAGE', `${input.destination} already exists; export into a new folder`);

  const asset = modelAssetNamed(ctx.loaded.workspace, version.name);
  const reasons: string[] = [];
  if (person.active === false) reasons.push(`${person.id} is no longer active in the workspace`);
  else if (asset === undefined) reasons.push(`${version.name} is not a model asset of the workspace, so nobody is allowed to export it`);
  else {
    const list = modelAccessList(asset, 'export');
    if (list.entries === undefined) reasons.push(`nobody may export ${asset.id}: neither controls.model_access.export nor controls.access is declared`);
    else if (!accessAdmits(list.entries, person)) reasons.push(`${person.id} may not export ${asset.id} (${list.source}: ${list.entries.join(', ')})`);
  }
  let path: string | null = null;
  if (reasons.length === 0) {
    const target = version.singleFile ? join(input.destination, basename(version.sourcePath)) : input.destination;
    const copied = await copyRegisteredFiles(version.files, currentModelPath(ctx.loaded.dir, version), target);
    const problems = [...copied.changed.map((p) => `${p} changed`), ...copied.missing.map((p) => `${p} missing`), ...copied.unreadable.map((u) => `${u.path}: ${u.reason}`)];
    if (problems.length > 0) {
      await discardIncoming(input.destination);
      reasons.push(`the files of ${modelRef(version.name, version.version)} no longer match their registered digests: ${problems.slice(0, 8).join('; ')}`);
    } else {
      path = target;
    }
  }
  await ctx.models.recordExport(version.name, version.version, {
    decision: reasons.length === 0 ? 'allowed' : 'refused',
    by: input.by,
    destination: input.destination,
    reasons,
    at: clock(ctx)().toISOString(),
  });
  return { allowed: reasons.length === 0, reasons, path };
}
