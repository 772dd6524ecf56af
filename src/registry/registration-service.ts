/**
 * Registering a version: hash its files, check its signature against the trusted keys, record
 * its lineage, metrics and owner, and scan it. Registration records facts; it refuses only what
 * cannot be recorded truthfully (an unknown person, a name taken, unreadable files). Whether the
 * version may be deployed is the gate's question, asked at promotion.
 */
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { WardenError, modelRef } from '../domain/index.js';
import type { ModelMetrics, ModelScanRecord, ModelVersionRecord, SignatureCheck } from '../domain/index.js';
import { modelAssetNamed } from '../workspace/index.js';
import { hashModel } from './model-files.js';
import { checkModelName, checkModelVersion } from './model-inputs.js';
import { modelLineage } from './model-lineage.js';
import { scanModelFiles } from './model-scan.js';
import { currentModelPath } from './artifact-store.js';
import { activePerson, clock, knownPerson, todayOf, trustedKeys } from './registry-context.js';
import type { RegistryContext } from './registry-context.js';
import { readSignatureBytes, verifyWithTrustedKeys } from './signature-trust.js';
import { collectIgnorePaths, modelRelative } from './signing/index.js';

export interface RegisterModelInput {
  readonly name: string;
  readonly version: string;
  /** The model folder or single file (resolved against the working directory by the caller). */
  readonly modelPath: string;
  /** The signature bundle; default `<folder>/model.sig` or `<file>.sig` when that exists. */
  readonly signaturePath?: string;
  readonly metrics?: ModelMetrics;
  readonly by: string;
  /** Owner when the name matches no workspace model asset (an asset's owner always wins). */
  readonly owner?: string;
}

export interface RegisterModelResult {
  readonly version: ModelVersionRecord;
  readonly scan: ModelScanRecord;
}

async function defaultSignature(modelPath: string): Promise<string | undefined> {
  const info = await stat(modelPath).catch(() => null);
  if (info === null) return undefined;
  const candidate = info.isDirectory() ? resolve(modelPath, 'model.sig') : `${modelPath}.sig`;
  return (await stat(candidate).catch(() => null))?.isFile() === true ? candidate : undefined;
}

export async function registerModelVersion(ctx: RegistryContext, input: RegisterModelInput): Promise<RegisterModelResult> {
  const name = checkModelName(input.name);
  const version = checkModelVersion(input.version);
  activePerson(ctx, input.by, '--by', 'register models');
  const ws = ctx.loaded.workspace;
  const asset = modelAssetNamed(ws, name);
  if (input.owner !== undefined) knownPerson(ctx, input.owner, '--owner');
  const owner = asset?.owner ?? input.owner ?? input.by;
  // Fail on a taken name before hashing gigabytes; the insert checks again.
  if ((await ctx.models.find(name, version)) !== undefined) {
    throw new WardenError('MODEL_EXISTS', `${modelRef(name, version)} is already registered; register a new version instead`, { details: { name, version } });
  }

  const modelPath = resolve(input.modelPath);
  const info = await stat(modelPath).catch(() => null);
  if (info === null) throw new WardenError('INPUT_NOT_FOUND', `model path ${modelPath} does not exist`, { details: { path: modelPath } });
  const signaturePath = input.signaturePath === undefined ? await defaultSignature(modelPath) : resolve(input.signaturePath);

  let signature: { path: string; sha256: string } | null = null;
  let check: SignatureCheck = { status: 'unsigned', detail: 'no signature was given' };
  let ignorePaths: string[];
  if (signaturePath === undefined) {
    ignorePaths = collectIgnorePaths([], true, null);
  } else {
    signature = { path: signaturePath, sha256: createHash('sha256').update(await readSignatureBytes(signaturePath)).digest('hex') };
    const outcome = await verifyWithTrustedKeys(modelPath, signaturePath, trustedKeys(ctx), todayOf(ctx), ctx.workers);
    check = outcome.check;
    // With a verified signature the registered files are exactly the signed ones; otherwise the
    // signer's own ignore list is not trusted and only git metadata and the bundle are left out.
    ignorePaths = outcome.verified?.ignorePaths.slice() ?? collectIgnorePaths([], true, await modelRelative(modelPath, signaturePath));
  }

  const manifest = await hashModel(modelPath, ignorePaths, ctx.workers);
  const lineage = asset === undefined ? { trainingDatasets: [], dataClients: [] } : modelLineage(ws, asset.id);
  const now = clock(ctx);
  const record = await ctx.models.register({
    name,
    version,
    assetId: asset?.id ?? null,
    sourcePath: modelPath,
    singleFile: manifest.singleFile,
    files: manifest.files,
    fileCount: manifest.files.length,
    totalBytes: manifest.totalBytes,
    manifestDigest: manifest.manifestDigest,
    signature,
    signatureCheck: check,
    trainingDatasets: lineage.trainingDatasets,
    dataClients: lineage.dataClients,
    metrics: input.metrics ?? {},
    owner,
    registeredBy: input.by,
    registeredAt: now().toISOString(),
  });
  const root = manifest.singleFile ? dirname(modelPath) : modelPath;
  const scan = await scanModelFiles({ scanner: ctx.scanner, modelPath, root, files: record.files.map((f) => f.path), trigger: 'register', by: input.by, ...(asset !== undefined && { asset: asset.id }), now });
  return { version: record, scan: await ctx.models.recordScan(name, version, scan) };
}

/** `warden model scan NAME@VERSION`: scans the version's files where they now live and records it. */
export async function rescanModelVersion(ctx: RegistryContext, name: string, version: string, by: string | null): Promise<ModelScanRecord> {
  if (by !== null) knownPerson(ctx, by, '--by');
  const record = await ctx.models.get(name, version);
  const modelPath = currentModelPath(ctx.loaded.dir, record);
  const scan = await scanModelFiles({
    scanner: ctx.scanner,
    modelPath,
    root: record.singleFile ? dirname(modelPath) : modelPath,
    files: record.files.map((f) => f.path),
    trigger: 'scan',
    by,
    ...(record.assetId !== null && { asset: record.assetId }),
    now: clock(ctx),
  });
  return ctx.models.recordScan(name, version, scan);
}
