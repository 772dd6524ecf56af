/**
 * Verifying a model against a model_signing bundle: authenticate the envelope first (cheap), then
 * parse the signed manifest, re-hash the model with the serialization it records and compare.
 * Every failure is a WardenError SIGNATURE_INVALID whose message says what failed: bad signature,
 * wrong key, chain not trusted, or which files changed, appeared or disappeared.
 *
 * Threat assumptions: the signature file and the model are attacker-controlled until proven
 * otherwise. The signature file is size-bounded before parsing; nothing in the payload is used
 * before the signature over it verifies; names in the payload are only compared, never opened.
 */
import { open } from 'node:fs/promises';
import type { KeyObject, X509Certificate } from 'node:crypto';
import { WardenError, describeError } from '../../domain/index.js';
import { parseDerCertificate, parsePemCertificates, verifyCertificateChain } from './certificate-chain.js';
import { IN_TOTO_PAYLOAD_TYPE, verifyEnvelope } from './dsse-envelope.js';
import { parseStatementPayload } from './in-toto-statement.js';
import type { ModelStatement } from './in-toto-statement.js';
import { computeManifest, diffManifests } from './model-manifest.js';
import type { ManifestDifference, SerializationMethod } from './model-manifest.js';
import { normaliseIgnorePath, printable, walkModel } from './model-walk.js';
import { collectIgnorePaths } from './model-signer.js';
import { MAX_BUNDLE_BYTES, parseBundle } from './sigstore-bundle.js';
import type { ParsedBundle } from './sigstore-bundle.js';
import { curveOf, loadPublicKey, publicKeyHint, samePublicKey } from './signing-keys.js';
import type { CurveInfo, CurveName } from './signing-keys.js';
import { modelRelative } from './signing-paths.js';

export interface VerifyModelOptions {
  readonly modelPath: string;
  readonly signaturePath: string;
  /** Verify with this public key (PEM or DER SPKI) … */
  readonly publicKeyPath?: string;
  /** … or with the certificate chain in the bundle, trusting the CA certificates in these PEM files. */
  readonly certificateChainPaths?: readonly string[];
  /** Extra model-relative paths to leave out (the signer's recorded ignore list is always applied). */
  readonly ignorePaths?: readonly string[];
  readonly ignoreGitPaths?: boolean;
  readonly workers?: number;
  readonly chunkSize?: number;
  /** Clock for the "certificate expired since" warning (tests). */
  readonly now?: Date;
}

export type SignerIdentity =
  | { readonly kind: 'public-key'; readonly curve: CurveName; readonly keyHint: string }
  | {
      readonly kind: 'certificate';
      readonly curve: CurveName;
      readonly subject: string;
      readonly issuer: string;
      readonly fingerprint256: string;
      /** Subjects from the leaf up to the trust anchor. */
      readonly path: readonly string[];
      /** Instant at which validity was checked (the leaf's notBefore: the bundle holds no trusted time). */
      readonly validityCheckedAt: string;
    };

export interface VerifyModelResult {
  readonly modelPath: string;
  readonly modelName: string;
  readonly method: SerializationMethod;
  readonly fileCount: number;
  readonly resourceCount: number;
  readonly totalBytes: number;
  readonly subjectDigest: string;
  readonly signer: SignerIdentity;
  readonly ignorePaths: readonly string[];
  readonly warnings: readonly string[];
}

function failure(message: string, details: Record<string, unknown> = {}): WardenError {
  return new WardenError('SIGNATURE_INVALID', message, { details });
}

async function readBounded(path: string, limit: number, what: string): Promise<Buffer> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw new WardenError('INPUT_NOT_FOUND', `${what} ${path} cannot be read: ${describeError(error)}`, { cause: error, details: { path } });
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new WardenError('INPUT_INVALID', `${what} ${path} is not a regular file`);
    if (info.size > limit) throw new WardenError('SCAN_LIMIT', `${what} ${path} is larger than ${limit} bytes`);
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

interface Authenticated {
  readonly signer: SignerIdentity;
  readonly warnings: string[];
}

async function authenticateWithKey(bundle: ParsedBundle, keyPath: string): Promise<Authenticated> {
  const { key, curve } = loadPublicKey(await readBounded(keyPath, 1024 * 1024, 'public key'), keyPath);
  const hint = publicKeyHint(key);
  const warnings: string[] = [];
  if (bundle.material.kind === 'public-key') {
    if (bundle.material.hint !== null && bundle.material.hint.toLowerCase() !== hint) {
      throw failure(`signature was made with a different key: the bundle names key ${bundle.material.hint}, the given key is ${hint}`, {
        bundleKeyHint: bundle.material.hint,
        keyHint: hint,
      });
    }
    if (bundle.material.hint === null && bundle.material.rawBytes !== null) {
      // v1.0.x bundles embed the signer's public key (base64 of its PEM). It is not trusted, but a
      // mismatch explains a failure better than "bad signature" would.
      const embedded = tryLoadPublicKey(bundle.material.rawBytes);
      if (embedded !== null && !samePublicKey(embedded, key)) {
        throw failure(`signature was made with a different key: the bundle embeds key ${publicKeyHint(embedded)}, the given key is ${hint}`, {
          bundleKeyHint: publicKeyHint(embedded),
          keyHint: hint,
        });
      }
    }
    if (bundle.material.hint === null) warnings.push('bundle uses the pre-v1.1 format without a key hint; checked the signature only');
  } else {
    warnings.push('bundle carries a certificate chain; verified against the given public key only, the chain was not checked');
  }
  checkSignature(bundle, key, curve, 'the given public key');
  return { signer: { kind: 'public-key', curve: curve.curve, keyHint: hint }, warnings };
}

async function authenticateWithChain(bundle: ParsedBundle, chainPaths: readonly string[], now: Date): Promise<Authenticated> {
  if (bundle.material.kind !== 'certificate-chain') {
    throw failure('bundle was signed with a bare key, not a certificate: verify it with --public-key');
  }
  const anchors: X509Certificate[] = [];
  for (const path of chainPaths) {
    const text = (await readBounded(path, 16 * 1024 * 1024, 'certificate chain')).toString('latin1');
    const found = parsePemCertificates(text, path);
    if (found.length === 0) throw new WardenError('INPUT_INVALID', `${path} holds no PEM certificate`, { details: { path } });
    anchors.push(...found);
  }
  const certificates = bundle.material.certificates.map((der, i) => parseDerCertificate(der, `bundle certificate ${i + 1}`));
  const chain = verifyCertificateChain(certificates, anchors, now);
  let curve: CurveInfo;
  try {
    curve = curveOf(chain.leaf.publicKey, 'the signing certificate key');
  } catch (error) {
    throw failure(describeError(error), {});
  }
  checkSignature(bundle, chain.leaf.publicKey, curve, 'the signing certificate key');
  const flat = (s: string): string => s.replace(/\n/g, ', ');
  return {
    signer: {
      kind: 'certificate',
      curve: curve.curve,
      subject: flat(chain.leaf.subject),
      issuer: flat(chain.leaf.issuer),
      fingerprint256: chain.leaf.fingerprint256,
      path: chain.path.map((c) => flat(c.subject)),
      validityCheckedAt: chain.checkedAt.toISOString(),
    },
    warnings: [...chain.warnings],
  };
}

function tryLoadPublicKey(bytes: Buffer): KeyObject | null {
  try {
    return loadPublicKey(bytes, 'embedded key').key;
  } catch {
    // An unreadable embedded key is ignored: it is a hint, the given key is what we verify with.
    return null;
  }
}

function checkSignature(bundle: ParsedBundle, key: KeyObject, curve: CurveInfo, what: string): void {
  if (bundle.envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE) {
    throw failure(`envelope payloadType is ${bundle.envelope.payloadType}, expected ${IN_TOTO_PAYLOAD_TYPE}`);
  }
  if (!verifyEnvelope(bundle.envelope, key, curve)) {
    throw failure(`bad signature: the DSSE signature does not verify with ${what} (payload altered or wrong key)`);
  }
}

function describeDifference(difference: ManifestDifference): string {
  const list = (names: readonly string[]): string => {
    const shown = names.slice(0, 10).map(printable).join(', ');
    return names.length <= 10 ? shown : `${shown} and ${names.length - 10} more`;
  };
  const parts: string[] = [];
  if (difference.changed.length > 0) parts.push(`changed: ${list(difference.changed)}`);
  if (difference.added.length > 0) parts.push(`added (not covered by the signature): ${list(difference.added)}`);
  if (difference.missing.length > 0) parts.push(`missing: ${list(difference.missing)}`);
  return `model does not match its signature; ${parts.join('; ')}`;
}

function checkModelShape(statement: ModelStatement, isSingleFile: boolean): void {
  const signedSingle = statement.resources.some((r) => r.name === '.' || r.name.startsWith('.:'));
  if (signedSingle && !isSingleFile) {
    throw failure('the signature covers a single-file model (resource "."); pass the model file itself, not its folder');
  }
  if (!signedSingle && isSingleFile && statement.resources.length > 0) {
    throw failure('the signature covers a model folder; pass the folder, not a single file');
  }
}

export async function verifyModel(options: VerifyModelOptions): Promise<VerifyModelResult> {
  const hasKey = options.publicKeyPath !== undefined;
  const hasChain = (options.certificateChainPaths?.length ?? 0) > 0;
  if (hasKey === hasChain) throw new WardenError('USAGE', 'give exactly one of a public key or certificate chain file(s)');

  const text = (await readBounded(options.signaturePath, MAX_BUNDLE_BYTES, 'signature')).toString('utf8');
  const bundle = parseBundle(text);
  const authenticated = hasKey
    ? await authenticateWithKey(bundle, options.publicKeyPath as string)
    : await authenticateWithChain(bundle, options.certificateChainPaths ?? [], options.now ?? new Date());
  const warnings = authenticated.warnings;
  if (bundle.tlogEntries > 0 || bundle.hasTimestamps) {
    warnings.push('bundle has transparency-log entries or timestamps; they were not verified');
  }

  const statement = parseStatementPayload(bundle.envelope.payload);
  const serialization = statement.serialization;
  const signed = (serialization.ignorePaths ?? []).map(normaliseIgnorePath).filter((p): p is string => p !== null);
  const signatureRelative = await modelRelative(options.modelPath, options.signaturePath);
  const ignorePaths = collectIgnorePaths([...signed, ...(options.ignorePaths ?? [])], options.ignoreGitPaths ?? true, signatureRelative);
  if (ignorePaths.includes('.')) throw failure('the ignore list excludes the whole model; nothing would be verified');

  const listing = await walkModel(options.modelPath, { ignorePaths, allowSymlinks: serialization.allowSymlinks });
  checkModelShape(statement, listing.isSingleFile);
  if (listing.files.length === 0 && statement.resources.length === 0) {
    throw failure('neither the model nor the signature lists any file; an empty model proves nothing');
  }
  const emptyShards = new Set(statement.resources.filter((r) => r.name.endsWith(':0:0')).map((r) => r.name));
  const actual = await computeManifest(listing, serialization, { workers: options.workers, chunkSize: options.chunkSize, emptyShards });
  const difference = diffManifests(statement.resources, actual.resources, serialization.method);
  if (difference.changed.length + difference.added.length + difference.missing.length > 0) {
    throw failure(describeDifference(difference), {
      changed: difference.changed,
      added: difference.added,
      missing: difference.missing,
    });
  }
  return {
    modelPath: options.modelPath,
    modelName: statement.modelName,
    method: serialization.method,
    fileCount: actual.fileCount,
    resourceCount: statement.resources.length,
    totalBytes: actual.totalBytes,
    subjectDigest: statement.subjectDigest,
    signer: authenticated.signer,
    ignorePaths,
    warnings,
  };
}
