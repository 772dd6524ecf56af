/**
 * Sigstore bundle v0.3 (JSON form of dev.sigstore.bundle.v1.Bundle) carrying a DSSE envelope, as
 * written by model_signing for key and certificate signing:
 *
 *   { "mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json",
 *     "verificationMaterial": { "publicKey": { "hint": "<sha256 of SPKI PEM>" }, "tlogEntries": [] }
 *                          or { "x509CertificateChain": { "certificates": [ { "rawBytes": b64 DER } ] }, … }
 *                          or { "certificate": { "rawBytes": b64 DER } },
 *     "dsseEnvelope": { "payload": b64, "payloadType": "application/vnd.in-toto+json",
 *                       "signatures": [ { "sig": b64, "keyid": "" } ] } }
 *
 * Bundles from v1.0.x carry `publicKey.rawBytes` (base64 of the PEM) and `keyDetails` instead of a
 * hint; both shapes are read. Transparency-log entries and timestamps are not verified (key and
 * certificate signing produce none; we do not contact Rekor), so they are reported, never trusted.
 */
import { WardenError } from '../../domain/index.js';
import type { DsseEnvelope } from './dsse-envelope.js';

export const BUNDLE_MEDIA_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json';
const ACCEPTED_MEDIA_TYPES = new Set([BUNDLE_MEDIA_TYPE, 'application/vnd.dev.sigstore.bundle+json;version=0.3']);

/** Largest signature file we read: a manifest of a million files is ~150 MB of JSON. */
export const MAX_BUNDLE_BYTES = 256 * 1024 * 1024;

export type VerificationMaterial =
  | { readonly kind: 'public-key'; readonly hint: string | null; readonly rawBytes: Buffer | null; readonly keyDetails: string | null }
  | { readonly kind: 'certificate-chain'; readonly certificates: readonly Buffer[] };

export interface ParsedBundle {
  readonly mediaType: string;
  readonly material: VerificationMaterial;
  readonly envelope: DsseEnvelope;
  /** Count of transparency-log entries present (not verified). */
  readonly tlogEntries: number;
  readonly hasTimestamps: boolean;
}

function b64(buffer: Buffer): string {
  return buffer.toString('base64');
}

function envelopeJson(envelope: DsseEnvelope): Record<string, unknown> {
  return {
    payload: b64(envelope.payload),
    payloadType: envelope.payloadType,
    signatures: envelope.signatures.map((s) => ({ sig: b64(s.sig), keyid: s.keyid })),
  };
}

export function buildKeyBundle(envelope: DsseEnvelope, hint: string): string {
  const bundle = {
    mediaType: BUNDLE_MEDIA_TYPE,
    verificationMaterial: { publicKey: { hint }, tlogEntries: [] },
    dsseEnvelope: envelopeJson(envelope),
  };
  return `${JSON.stringify(bundle, null, 2)}\n`;
}

/** `chain[0]` is the signing (leaf) certificate, followed by the certificates that chain it up. */
export function buildCertificateBundle(envelope: DsseEnvelope, chain: readonly Buffer[]): string {
  const bundle = {
    mediaType: BUNDLE_MEDIA_TYPE,
    verificationMaterial: {
      x509CertificateChain: { certificates: chain.map((der) => ({ rawBytes: b64(der) })) },
      tlogEntries: [],
    },
    dsseEnvelope: envelopeJson(envelope),
  };
  return `${JSON.stringify(bundle, null, 2)}\n`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function malformed(message: string): WardenError {
  return new WardenError('SIGNATURE_INVALID', `signature bundle is malformed: ${message}`);
}

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

function decodeBase64(value: unknown, field: string): Buffer {
  if (typeof value !== 'string' || !BASE64.test(value.replace(/\s+/g, ''))) throw malformed(`${field} is not base64`);
  return Buffer.from(value, 'base64');
}

function parseMaterial(value: unknown): VerificationMaterial {
  if (!isRecord(value)) throw malformed('verificationMaterial is missing');
  const publicKey = value['publicKey'];
  const chain = value['x509CertificateChain'];
  const single = value['certificate'];
  if (isRecord(chain)) {
    const certificates = chain['certificates'];
    if (!Array.isArray(certificates) || certificates.length === 0) throw malformed('x509CertificateChain has no certificates');
    return {
      kind: 'certificate-chain',
      certificates: certificates.map((c: unknown, i) => decodeBase64(isRecord(c) ? c['rawBytes'] : undefined, `certificates[${i}].rawBytes`)),
    };
  }
  if (isRecord(single)) {
    return { kind: 'certificate-chain', certificates: [decodeBase64(single['rawBytes'], 'certificate.rawBytes')] };
  }
  if (isRecord(publicKey)) {
    const hint = publicKey['hint'];
    const raw = publicKey['rawBytes'];
    const details = publicKey['keyDetails'];
    return {
      kind: 'public-key',
      hint: typeof hint === 'string' && hint !== '' ? hint : null,
      rawBytes: raw === undefined || raw === null ? null : decodeBase64(raw, 'publicKey.rawBytes'),
      keyDetails: typeof details === 'string' ? details : null,
    };
  }
  throw malformed('verificationMaterial has neither publicKey nor a certificate chain');
}

function parseEnvelope(value: unknown): DsseEnvelope {
  if (!isRecord(value)) throw malformed('dsseEnvelope is missing (message-signature bundles are not model signatures)');
  const payloadType = value['payloadType'];
  if (typeof payloadType !== 'string') throw malformed('dsseEnvelope.payloadType is missing');
  const payload = decodeBase64(value['payload'], 'dsseEnvelope.payload');
  const signatures = value['signatures'];
  if (!Array.isArray(signatures) || signatures.length === 0) throw malformed('dsseEnvelope has no signatures');
  return {
    payload,
    payloadType,
    signatures: signatures.map((s: unknown, i) => {
      if (!isRecord(s)) throw malformed(`signatures[${i}] is not an object`);
      const keyid = s['keyid'];
      return { sig: decodeBase64(s['sig'], `signatures[${i}].sig`), keyid: typeof keyid === 'string' ? keyid : '' };
    }),
  };
}

export function parseBundle(text: string): ParsedBundle {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new WardenError('SIGNATURE_INVALID', 'signature file is not JSON', { cause: error });
  }
  if (!isRecord(parsed)) throw malformed('top level is not an object');
  const mediaType = parsed['mediaType'];
  if (typeof mediaType !== 'string' || !ACCEPTED_MEDIA_TYPES.has(mediaType)) {
    throw new WardenError('SIGNATURE_INVALID', `unsupported bundle media type ${JSON.stringify(mediaType)}, expected ${BUNDLE_MEDIA_TYPE}`);
  }
  const materialValue = parsed['verificationMaterial'];
  const material = parseMaterial(materialValue);
  const tlog = isRecord(materialValue) ? materialValue['tlogEntries'] : undefined;
  const timestamps = isRecord(materialValue) ? materialValue['timestampVerificationData'] : undefined;
  return {
    mediaType,
    material,
    envelope: parseEnvelope(parsed['dsseEnvelope']),
    tlogEntries: Array.isArray(tlog) ? tlog.length : 0,
    hasTimestamps: isRecord(timestamps) && Object.keys(timestamps).length > 0,
  };
}
