/**
 * DSSE envelopes (https://github.com/secure-systems-lab/dsse, protocol v1). The signature covers the
 * pre-authentication encoding PAE(type, body) =
 *   "DSSEv1" SP len(type) SP type SP len(body) SP body
 * with lengths in bytes as ASCII decimals, so neither the type nor the body can be swapped or
 * re-framed without breaking the signature.
 *
 * Note: model_signing before v1.0 signed a mis-encoded PAE ("DSSEV1 … b'…'"); its verifier keeps a
 * fallback for it. Those signatures carry the v0.1 predicate that we do not accept anyway, so we
 * verify the standard PAE only.
 */
import { sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { CurveInfo } from './signing-keys.js';

export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

export interface DsseSignature {
  readonly sig: Buffer;
  readonly keyid: string;
}

export interface DsseEnvelope {
  readonly payload: Buffer;
  readonly payloadType: string;
  readonly signatures: readonly DsseSignature[];
}

export function pae(payloadType: string, payload: Buffer): Buffer {
  const header = `DSSEv1 ${Buffer.byteLength(payloadType, 'utf8')} ${payloadType} ${payload.length} `;
  return Buffer.concat([Buffer.from(header, 'utf8'), payload]);
}

export function signEnvelope(payload: Buffer, key: KeyObject, curve: CurveInfo): DsseEnvelope {
  const sig = sign(curve.hash, pae(IN_TOTO_PAYLOAD_TYPE, payload), { key, dsaEncoding: 'der' });
  // keyid "" is what the reference writes; the bundle's verification material identifies the key.
  return { payload, payloadType: IN_TOTO_PAYLOAD_TYPE, signatures: [{ sig, keyid: '' }] };
}

/** True when any signature of the envelope verifies with `key` (DSSE threshold of one). */
export function verifyEnvelope(envelope: DsseEnvelope, key: KeyObject, curve: CurveInfo): boolean {
  const message = pae(envelope.payloadType, envelope.payload);
  return envelope.signatures.some((signature) => {
    try {
      return verify(curve.hash, message, { key, dsaEncoding: 'der' }, signature.sig);
    } catch {
      // A signature OpenSSL cannot even decode is handled as what it is: not a valid signature.
      return false;
    }
  });
}
