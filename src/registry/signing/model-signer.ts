/**
 * Signing a model: list its files, hash them (streaming, worker threads), wrap the manifest in an
 * in-toto statement, sign it as a DSSE envelope and write a Sigstore bundle. The output is what
 * `model_signing sign key|certificate` (sigstore/model-transparency v1.1) writes, so the reference
 * tool verifies it and we verify theirs.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { createPublicKey } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { WardenError, describeError } from '../../domain/index.js';
import { parsePemCertificates } from './certificate-chain.js';
import { signEnvelope } from './dsse-envelope.js';
import { buildStatementPayload } from './in-toto-statement.js';
import { DEFAULT_SHARD_SIZE, computeManifest, subjectDigest } from './model-manifest.js';
import type { Serialization, SerializationMethod } from './model-manifest.js';
import { GIT_IGNORE_PATHS, compareResourcePaths, normaliseIgnorePath, walkModel } from './model-walk.js';
import { buildCertificateBundle, buildKeyBundle } from './sigstore-bundle.js';
import { loadPrivateKey, publicKeyHint, samePublicKey } from './signing-keys.js';
import type { CurveName } from './signing-keys.js';
import { modelRelative } from './signing-paths.js';

export interface SignModelOptions {
  readonly modelPath: string;
  /** PEM private key (EC P-256/P-384/P-521), possibly preceded by text. */
  readonly keyPath: string;
  readonly passphrase?: string;
  /** Where to write the bundle. Inside the model it is excluded from the manifest automatically. */
  readonly signaturePath: string;
  /** Sign with a certificate: the leaf for `keyPath`, plus the certificates that chain it up. */
  readonly signingCertificatePath?: string;
  readonly certificateChainPaths?: readonly string[];
  /** Model-relative paths to leave out of the manifest (recorded in the signature). */
  readonly ignorePaths?: readonly string[];
  /** Leave .git, .gitattributes, .github and .gitignore out (default true, as the reference does). */
  readonly ignoreGitPaths?: boolean;
  readonly method?: SerializationMethod;
  readonly shardSize?: number;
  readonly allowSymlinks?: boolean;
  readonly workers?: number;
  readonly chunkSize?: number;
}

export interface SignModelResult {
  readonly signaturePath: string;
  readonly modelName: string;
  readonly method: SerializationMethod;
  readonly fileCount: number;
  readonly resourceCount: number;
  readonly totalBytes: number;
  readonly subjectDigest: string;
  readonly curve: CurveName;
  readonly keyHint: string;
  readonly ignorePaths: readonly string[];
  readonly certificateSubject: string | null;
}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new WardenError('INPUT_NOT_FOUND', `${what} ${path} cannot be read: ${describeError(error)}`, {
      cause: error,
      details: { path },
    });
  }
}

/** Normalised, de-duplicated ignore list; throws USAGE for entries that point outside the model. */
export function collectIgnorePaths(userPaths: readonly string[], ignoreGit: boolean, signatureRelative: string | null): string[] {
  const set = new Set<string>();
  for (const raw of userPaths) {
    const normalised = normaliseIgnorePath(raw);
    if (normalised === null) throw new WardenError('USAGE', `ignore path ${raw} is not inside the model`);
    set.add(normalised);
  }
  if (ignoreGit) for (const git of GIT_IGNORE_PATHS) set.add(git);
  if (signatureRelative !== null) set.add(signatureRelative);
  return [...set].sort(compareResourcePaths);
}

export async function signModel(options: SignModelOptions): Promise<SignModelResult> {
  const { key, curve } = loadPrivateKey(await readText(options.keyPath, 'private key'), options.keyPath, options.passphrase);
  const method = options.method ?? 'files';
  const shardSize = options.shardSize ?? DEFAULT_SHARD_SIZE;
  if (!Number.isSafeInteger(shardSize) || shardSize <= 0) throw new WardenError('USAGE', `shard size ${shardSize} is not a positive integer`);

  let chain: Buffer[] | null = null;
  let certificateSubject: string | null = null;
  if (options.signingCertificatePath !== undefined) {
    const leaves = parsePemCertificates(await readText(options.signingCertificatePath, 'signing certificate'), options.signingCertificatePath);
    const leaf = leaves[0];
    if (leaf === undefined) throw new WardenError('INPUT_INVALID', `${options.signingCertificatePath} holds no certificate`);
    if (!samePublicKey(leaf.publicKey, createPublicKey(key))) {
      throw new WardenError('INPUT_INVALID', 'the signing certificate does not belong to the private key');
    }
    chain = [leaf.raw];
    for (const path of options.certificateChainPaths ?? []) {
      for (const certificate of parsePemCertificates(await readText(path, 'certificate chain'), path)) chain.push(certificate.raw);
    }
    certificateSubject = leaf.subject.replace(/\n/g, ', ');
  }

  const signatureRelative = await modelRelative(options.modelPath, options.signaturePath);
  const ignorePaths = collectIgnorePaths(options.ignorePaths ?? [], options.ignoreGitPaths ?? true, signatureRelative);
  const allowSymlinks = options.allowSymlinks ?? false;
  const listing = await walkModel(options.modelPath, { ignorePaths, allowSymlinks });
  if (listing.files.length === 0) {
    throw new WardenError('INPUT_INVALID', `model ${options.modelPath} has no files to sign after exclusions`);
  }
  const serialization: Serialization = {
    method,
    hashType: 'sha256',
    allowSymlinks,
    ...(method === 'shards' ? { shardSize } : {}),
    ignorePaths,
  };
  const manifest = await computeManifest(listing, serialization, { workers: options.workers, chunkSize: options.chunkSize });
  const payload = buildStatementPayload(listing.modelName, serialization, manifest.resources);
  const envelope = signEnvelope(payload, key, curve);
  const publicKey = createPublicKey(key);
  const hint = publicKeyHint(publicKey);
  const text = chain === null ? buildKeyBundle(envelope, hint) : buildCertificateBundle(envelope, chain);

  // Write beside the target and rename, so a reader never sees half a signature.
  const temporary = join(dirname(options.signaturePath), `.${basename(options.signaturePath)}.${process.pid}.tmp`);
  try {
    await writeFile(temporary, text, { mode: 0o644 });
    await rename(temporary, options.signaturePath);
  } catch (error) {
    throw new WardenError('INPUT_INVALID', `cannot write signature ${options.signaturePath}: ${describeError(error)}`, { cause: error });
  }
  return {
    signaturePath: options.signaturePath,
    modelName: listing.modelName,
    method,
    fileCount: manifest.fileCount,
    resourceCount: manifest.resources.length,
    totalBytes: manifest.totalBytes,
    subjectDigest: subjectDigest(manifest.resources),
    curve: curve.curve,
    keyHint: hint,
    ignorePaths,
    certificateSubject,
  };
}
