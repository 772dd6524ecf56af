/**
 * Verifying a model's signature against the keys the workspace trusts. Each trusted key is tried
 * in turn; the outcome tells apart the cases a person must act on differently: not signed, signed
 * by a key nobody trusts, signed by a trusted key but the files changed since, or an unreadable
 * bundle. Only `verified` lets a model through the gate.
 */
import { readFile, stat } from 'node:fs/promises';
import { WardenError, describeError, isWardenError } from '../domain/index.js';
import type { SignatureCheck } from '../domain/index.js';
import type { TrustedKeyFiles } from '../workspace/index.js';
import { parseBundle, printable, verifyModel } from './signing/index.js';
import type { SignerIdentity, VerifyModelResult } from './signing/index.js';

/** A bundle holds a manifest and a few certificates; anything near this size is not one. */
const MAX_SIGNATURE_BYTES = 64 * 1024 * 1024;

export interface TrustOutcome {
  readonly check: SignatureCheck;
  /** The verification result when a trusted, unexpired key verified the model. */
  readonly verified?: VerifyModelResult;
}

export function describeSigner(signer: SignerIdentity): string {
  if (signer.kind === 'public-key') return `key sha256:${signer.keyHint.slice(0, 16)}… (ECDSA ${signer.curve})`;
  return `certificate ${signer.subject} (ECDSA ${signer.curve})`;
}

/** Reads a signature bundle (bounded) for hashing and copying. */
export async function readSignatureBytes(path: string): Promise<Buffer> {
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new WardenError('INPUT_INVALID', `signature ${path} is not a regular file`);
    size = info.size;
  } catch (error) {
    if (isWardenError(error)) throw error;
    throw new WardenError('INPUT_NOT_FOUND', `signature ${path} cannot be read: ${describeError(error)}`, { cause: error });
  }
  if (size > MAX_SIGNATURE_BYTES) throw new WardenError('INPUT_INVALID', `signature ${path} is larger than ${MAX_SIGNATURE_BYTES} bytes`);
  return readFile(path);
}

function isManifestMismatch(error: WardenError): boolean {
  return Array.isArray(error.details['changed']) || Array.isArray(error.details['missing']) || Array.isArray(error.details['added']);
}

/**
 * Verifies `modelPath` with the bundle at `signaturePath` against each trusted key. Keys past
 * their `expires_on` are tried last and only to explain a refusal: they never verify a model.
 */
export async function verifyWithTrustedKeys(
  modelPath: string,
  signaturePath: string,
  keys: readonly TrustedKeyFiles[],
  today: string,
  workers?: number,
): Promise<TrustOutcome> {
  if (keys.length === 0) {
    return { check: { status: 'no-trusted-keys', detail: 'the workspace trusts no model-signing key: declare one under model_signing.trusted_keys in warden.yaml' } };
  }
  try {
    parseBundle((await readSignatureBytes(signaturePath)).toString('utf8'));
  } catch (error) {
    return { check: { status: 'unreadable', detail: `the signature bundle cannot be used: ${describeError(error)}` } };
  }
  const active = keys.filter((k) => k.expiresOn === undefined || k.expiresOn >= today);
  const expired = keys.filter((k) => !active.includes(k));
  const failures: string[] = [];
  for (const key of active) {
    try {
      const verified = await verifyModel({
        modelPath,
        signaturePath,
        ...(key.publicKeyPath !== undefined ? { publicKeyPath: key.publicKeyPath } : { certificateChainPaths: key.certificateChainPaths ?? [] }),
        ...(workers !== undefined && { workers }),
      });
      return { check: { status: 'verified', keyId: key.id, detail: `verified with trusted key ${key.id}: signed by ${describeSigner(verified.signer)}` }, verified };
    } catch (error) {
      if (!isWardenError(error)) throw error;
      if (isManifestMismatch(error)) {
        // The signature is good and the key trusted: the files are what changed.
        return { check: { status: 'mismatch', keyId: key.id, detail: `signed with trusted key ${key.id}, but the ${printable(error.message)}` } };
      }
      failures.push(`${key.id}: ${error.message}`);
    }
  }
  for (const key of expired) {
    try {
      await verifyModel({
        modelPath,
        signaturePath,
        ...(key.publicKeyPath !== undefined ? { publicKeyPath: key.publicKeyPath } : { certificateChainPaths: key.certificateChainPaths ?? [] }),
        ...(workers !== undefined && { workers }),
      });
      return { check: { status: 'untrusted', keyId: key.id, detail: `signed with key ${key.id}, which expired on ${key.expiresOn ?? '?'}; re-sign with a current trusted key` } };
    } catch (error) {
      if (!isWardenError(error)) throw error;
      // An expired key that does not verify either adds nothing to the explanation.
    }
  }
  return {
    check: {
      status: 'untrusted',
      detail: `the signature does not verify with any trusted key (${failures.join('; ')})`,
    },
  };
}
