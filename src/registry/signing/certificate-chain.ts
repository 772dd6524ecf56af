/**
 * X.509 chain checks for certificate-signed model bundles, with node:crypto's X509Certificate.
 *
 * Trust model: the certificates in the caller's chain file(s) are the trust anchors (every CA
 * certificate in them, root or intermediate: naming an intermediate means trusting it, as OpenSSL's
 * partial-chain mode does). The bundle's own certificates are untrusted: certificate 0 is the
 * signing leaf, the rest may serve as intermediates. A path is accepted when every link verifies
 * (issuer name and key identifier match via checkIssued, and the signature verifies with the
 * issuer's key), every issuer is a CA allowed to sign certificates, and the walk reaches an anchor
 * within 8 links.
 *
 * Validity time: key and certificate bundles carry no trusted signing time (no transparency-log
 * entry or RFC 3161 timestamp that we could verify offline). Like the reference verifier we
 * therefore check every certificate of the path at the leaf's notBefore, the earliest moment the
 * signature can have been made; whether the leaf has expired since is reported as a warning.
 *
 * The leaf must be usable for signing: KeyUsage digitalSignature, or ExtendedKeyUsage codeSigning.
 */
import { X509Certificate } from 'node:crypto';
import { WardenError, describeError } from '../../domain/index.js';

const CODE_SIGNING_OID = '1.3.6.1.5.5.7.3.3';
const MAX_PATH = 8;

export interface ChainResult {
  readonly leaf: X509Certificate;
  /** Leaf first, trust anchor last. */
  readonly path: readonly X509Certificate[];
  readonly checkedAt: Date;
  readonly warnings: readonly string[];
}

function chainError(message: string, details: Record<string, unknown> = {}): WardenError {
  return new WardenError('SIGNATURE_INVALID', `certificate chain does not verify: ${message}`, { details });
}

/** Every CERTIFICATE block of a PEM text (other text around the blocks is ignored). */
export function parsePemCertificates(text: string, source: string): X509Certificate[] {
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((block, index) => {
    try {
      return new X509Certificate(block);
    } catch (error) {
      throw new WardenError('INPUT_INVALID', `${source}: certificate ${index + 1} cannot be parsed: ${describeError(error)}`, {
        cause: error,
        details: { path: source },
      });
    }
  });
}

export function parseDerCertificate(der: Buffer, label: string): X509Certificate {
  try {
    return new X509Certificate(der);
  } catch (error) {
    throw new WardenError('SIGNATURE_INVALID', `${label} is not a valid X.509 certificate: ${describeError(error)}`, { cause: error });
  }
}

// --- minimal DER reading, just enough to find the KeyUsage extension (node exposes no accessor) ---

interface Tlv {
  readonly tag: number;
  readonly start: number; // first content byte
  readonly end: number; // one past the last content byte
}

function readTlv(der: Buffer, at: number, limit: number): Tlv | null {
  if (at + 2 > limit) return null;
  const tag = der[at] as number;
  let length = der[at + 1] as number;
  let offset = at + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4 || offset + count > limit) return null;
    length = 0;
    for (let i = 0; i < count; i += 1) length = length * 256 + (der[offset + i] as number);
    offset += count;
  }
  if (offset + length > limit) return null;
  return { tag, start: offset, end: offset + length };
}

function children(der: Buffer, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  let at = parent.start;
  while (at < parent.end) {
    const tlv = readTlv(der, at, parent.end);
    if (tlv === null) return out;
    out.push(tlv);
    at = tlv.end;
  }
  return out;
}

const KEY_USAGE_OID = Buffer.from([0x55, 0x1d, 0x0f]); // 2.5.29.15

/**
 * KeyUsage bits of a certificate (bit 0 = digitalSignature … bit 5 = keyCertSign), or null when
 * the certificate has no KeyUsage extension.
 */
export function keyUsageBits(certificate: X509Certificate): Set<number> | null {
  const der = certificate.raw;
  const top = readTlv(der, 0, der.length);
  if (top === null) return null;
  const tbs = children(der, top)[0];
  if (tbs === undefined) return null;
  const extensionsWrapper = children(der, tbs).find((t) => t.tag === 0xa3);
  if (extensionsWrapper === undefined) return null;
  const list = children(der, extensionsWrapper)[0];
  if (list === undefined) return null;
  for (const extension of children(der, list)) {
    const parts = children(der, extension);
    const oid = parts[0];
    if (oid === undefined || oid.tag !== 0x06 || !der.subarray(oid.start, oid.end).equals(KEY_USAGE_OID)) continue;
    const value = parts[parts.length - 1];
    if (value === undefined || value.tag !== 0x04) return new Set();
    const bitString = readTlv(der, value.start, value.end);
    if (bitString === null || bitString.tag !== 0x03 || bitString.end - bitString.start < 1) return new Set();
    const bits = new Set<number>();
    for (let i = bitString.start + 1; i < bitString.end; i += 1) {
      const byte = der[i] as number;
      for (let b = 0; b < 8; b += 1) if (byte & (0x80 >> b)) bits.add((i - bitString.start - 1) * 8 + b);
    }
    return bits;
  }
  return null;
}

const DIGITAL_SIGNATURE = 0;
const KEY_CERT_SIGN = 5;

function canSign(leaf: X509Certificate): boolean {
  const usage = keyUsageBits(leaf);
  if (usage?.has(DIGITAL_SIGNATURE) === true) return true;
  const extended = leaf.keyUsage as string[] | undefined;
  return Array.isArray(extended) && extended.includes(CODE_SIGNING_OID);
}

function canIssue(certificate: X509Certificate): boolean {
  if (!certificate.ca) return false;
  const usage = keyUsageBits(certificate);
  return usage === null || usage.has(KEY_CERT_SIGN);
}

function issuedBy(child: X509Certificate, issuer: X509Certificate): boolean {
  if (!child.checkIssued(issuer)) return false;
  try {
    return child.verify(issuer.publicKey);
  } catch {
    // An issuer key OpenSSL cannot use (unsupported algorithm) did not sign this certificate.
    return false;
  }
}

function validAt(certificate: X509Certificate, when: Date): boolean {
  const from = Date.parse(certificate.validFrom);
  const to = Date.parse(certificate.validTo);
  if (Number.isNaN(from) || Number.isNaN(to)) return false;
  return from <= when.getTime() && when.getTime() <= to;
}

function describe(certificate: X509Certificate): string {
  return certificate.subject.replace(/\n/g, ', ');
}

/** Verifies `bundleCertificates` (leaf first) up to one of `anchors`. Throws SIGNATURE_INVALID. */
export function verifyCertificateChain(
  bundleCertificates: readonly X509Certificate[],
  anchors: readonly X509Certificate[],
  now: Date = new Date(),
): ChainResult {
  const leaf = bundleCertificates[0];
  if (leaf === undefined) throw chainError('the bundle holds no signing certificate');
  const trusted = anchors.filter(canIssue);
  if (trusted.length === 0) throw chainError('the given chain file(s) hold no CA certificate to trust');
  if (!canSign(leaf)) {
    throw chainError(`signing certificate ${describe(leaf)} is not allowed to sign (needs KeyUsage digitalSignature or ExtendedKeyUsage codeSigning)`);
  }
  const intermediates = bundleCertificates.slice(1);
  const path: X509Certificate[] = [leaf];
  let current = leaf;
  for (;;) {
    const anchor = trusted.find((candidate) => issuedBy(current, candidate));
    if (anchor !== undefined) {
      path.push(anchor);
      break;
    }
    const next = intermediates.find(
      (candidate) => !path.some((p) => p.fingerprint256 === candidate.fingerprint256) && canIssue(candidate) && issuedBy(current, candidate),
    );
    if (next === undefined) {
      throw chainError(`no trusted issuer found for ${describe(current)} (issuer ${current.issuer.replace(/\n/g, ', ')})`, {
        certificate: describe(current),
      });
    }
    path.push(next);
    if (path.length > MAX_PATH) throw chainError(`path is longer than ${MAX_PATH} certificates`);
    current = next;
  }

  const checkedAt = new Date(Date.parse(leaf.validFrom));
  for (const certificate of path) {
    if (!validAt(certificate, checkedAt)) {
      throw chainError(`${describe(certificate)} was not valid at the signing certificate's notBefore (${leaf.validFrom})`, {
        certificate: describe(certificate),
      });
    }
  }
  const warnings: string[] = [];
  if (!validAt(leaf, now)) {
    warnings.push(
      `signing certificate ${describe(leaf)} is not valid now (valid ${leaf.validFrom} to ${leaf.validTo}); the bundle has no trusted timestamp proving when it signed`,
    );
  }
  return { leaf, path, checkedAt, warnings };
}
