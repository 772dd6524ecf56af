/**
 * Elliptic-curve keys for model signatures. Like the reference tool we accept only the curves of
 * Sigstore's key catalogue, each paired with its hash: P-256/SHA-256, P-384/SHA-384,
 * P-521/SHA-512. Signatures are DER-encoded ECDSA (node:crypto's default and the reference's).
 *
 * Key files may start with a human-readable dump (e.g. certtool output) before the PEM block; only
 * the text from the first "-----BEGIN" on is parsed.
 */
import { createHash, createPrivateKey, createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { WardenError, describeError } from '../../domain/index.js';

export type CurveName = 'P-256' | 'P-384' | 'P-521';

export interface CurveInfo {
  readonly curve: CurveName;
  /** node:crypto digest name used with this curve. */
  readonly hash: 'sha256' | 'sha384' | 'sha512';
  /** Sigstore PublicKeyDetails name, as found in older bundles' keyDetails. */
  readonly keyDetails: string;
}

const CURVES: Readonly<Record<string, CurveInfo>> = {
  prime256v1: { curve: 'P-256', hash: 'sha256', keyDetails: 'PKIX_ECDSA_P256_SHA_256' },
  secp384r1: { curve: 'P-384', hash: 'sha384', keyDetails: 'PKIX_ECDSA_P384_SHA_384' },
  secp521r1: { curve: 'P-521', hash: 'sha512', keyDetails: 'PKIX_ECDSA_P521_SHA_512' },
};

/** Returns the text from the first PEM armour line on, or null when there is none. */
export function pemFrom(text: string): string | null {
  const at = text.indexOf('-----BEGIN');
  return at < 0 ? null : text.slice(at);
}

/** The curve of an EC key, or a WardenError when the key is not EC or on an unsupported curve. */
export function curveOf(key: KeyObject, what: string): CurveInfo {
  if (key.asymmetricKeyType !== 'ec') {
    throw new WardenError('INPUT_INVALID', `${what} is a ${key.asymmetricKeyType ?? 'unknown'} key; only ECDSA P-256, P-384 and P-521 are supported`);
  }
  const named = key.asymmetricKeyDetails?.namedCurve ?? '';
  const info = CURVES[named];
  if (info === undefined) {
    throw new WardenError('INPUT_INVALID', `${what} is on curve ${named || 'unknown'}; only P-256, P-384 and P-521 are supported`);
  }
  return info;
}

/** Loads a PEM private key (PKCS#8 or SEC1). Encrypted keys need `passphrase`. */
export function loadPrivateKey(text: string, source: string, passphrase?: string): { key: KeyObject; curve: CurveInfo } {
  const pem = pemFrom(text);
  if (pem === null) throw new WardenError('INPUT_INVALID', `${source} holds no PEM block`, { details: { path: source } });
  let key: KeyObject;
  try {
    key = createPrivateKey(passphrase === undefined ? { key: pem, format: 'pem' } : { key: pem, format: 'pem', passphrase });
  } catch (error) {
    throw new WardenError('INPUT_INVALID', `${source} is not a usable private key: ${describeError(error)}`, {
      cause: error,
      details: { path: source },
    });
  }
  return { key, curve: curveOf(key, source) };
}

/** Loads a public key from PEM (SPKI, possibly preceded by text) or DER SPKI bytes. */
export function loadPublicKey(bytes: Buffer, source: string): { key: KeyObject; curve: CurveInfo } {
  const pem = pemFrom(bytes.toString('latin1'));
  let key: KeyObject;
  try {
    key = pem !== null ? createPublicKey({ key: pem, format: 'pem' }) : createPublicKey({ key: bytes, format: 'der', type: 'spki' });
  } catch (error) {
    throw new WardenError('INPUT_INVALID', `${source} is not a usable public key: ${describeError(error)}`, {
      cause: error,
      details: { path: source },
    });
  }
  if (key.type !== 'public') key = createPublicKey(key);
  return { key, curve: curveOf(key, source) };
}

/**
 * The key hint of model_signing v1.1+ bundles: hex SHA-256 of the public key's SubjectPublicKeyInfo
 * PEM text (64-column base64, trailing newline), which is what OpenSSL and node:crypto both emit.
 */
export function publicKeyHint(key: KeyObject): string {
  const pem = key.export({ type: 'spki', format: 'pem' });
  return createHash('sha256').update(pem).digest('hex');
}

/** True when both keys are the same public key. */
export function samePublicKey(a: KeyObject, b: KeyObject): boolean {
  const spki = (key: KeyObject): Buffer =>
    (key.type === 'public' ? key : createPublicKey(key)).export({ type: 'spki', format: 'der' });
  const da = spki(a);
  const db = spki(b);
  return da.equals(db);
}
