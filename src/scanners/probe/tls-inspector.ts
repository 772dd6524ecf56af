/**
 * TLS facts about one target: which protocol versions it accepts (one handshake per version with
 * minVersion = maxVersion), and what its certificate says (validity dates, host name match, chain
 * trust). Handshakes go to the pinned address with the target's name as SNI; no application data
 * is sent.
 *
 * TLS 1.0 and 1.1 need `@SECLEVEL=0` on our side with OpenSSL 3 (Node 20): without it the client
 * refuses to offer them and we could not tell "server refuses" from "we did not ask". When the
 * local OpenSSL cannot offer a version at all, it is recorded as untested, never as refused.
 */
import { checkServerIdentity, connect, createSecureContext, rootCertificates } from 'node:tls';
import type { DetailedPeerCertificate, SecureContext, SecureVersion, TLSSocket } from 'node:tls';
import { describeError } from '../../domain/index.js';
import type { ProbeTarget } from './probe-target.js';
import type { ResolvedAddress } from './scope-policy.js';

export const TLS_VERSIONS: readonly SecureVersion[] = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];
export type VersionSupport = 'accepted' | 'refused' | 'untested';

export interface CertificateFacts {
  readonly subject: string;
  readonly issuer: string;
  readonly validFrom: Date;
  readonly validTo: Date;
  readonly fingerprint256: string;
  readonly selfSigned: boolean;
  /** OpenSSL's verdict on the chain against the trusted roots (undefined when trusted). */
  readonly chainError?: string;
  /** Set when the certificate does not name the target's host. */
  readonly hostnameError?: string;
}

export interface TlsFacts {
  readonly versions: Readonly<Record<SecureVersion, VersionSupport>>;
  readonly negotiated?: string;
  readonly certificate?: CertificateFacts;
  readonly error?: string;
}

export interface HandshakeResult {
  readonly ok: boolean;
  readonly protocol?: string;
  readonly certificate?: DetailedPeerCertificate;
  readonly authorized?: boolean;
  readonly authorizationError?: string;
  readonly error?: string;
  readonly errorCode?: string;
}

export interface HandshakeOptions {
  readonly target: ProbeTarget;
  readonly pinned: ResolvedAddress;
  readonly timeoutMs: number;
  readonly version?: SecureVersion;
  readonly extraCa?: readonly (string | Buffer)[];
  readonly signal?: AbortSignal;
}

/** Error codes by which our own OpenSSL says it cannot offer the version (not the server's answer). */
const LOCAL_INCAPABLE = new Set(['ERR_SSL_NO_PROTOCOLS_AVAILABLE', 'ERR_TLS_INVALID_PROTOCOL_VERSION', 'ERR_SSL_UNSUPPORTED_PROTOCOL_VERSION']);

const NO_EXTRA_CA: readonly (string | Buffer)[] = [];
const contexts = new WeakMap<readonly (string | Buffer)[], Map<string, SecureContext>>();

/**
 * One secure context per (extra CA list, version): building a context parses every trusted root,
 * which costs milliseconds and memory, so thousands of handshakes share a handful of contexts.
 */
function contextFor(extraCa: readonly (string | Buffer)[], version: SecureVersion | undefined): SecureContext {
  let byVersion = contexts.get(extraCa);
  if (byVersion === undefined) {
    byVersion = new Map();
    contexts.set(extraCa, byVersion);
  }
  const key = version ?? 'any';
  let context = byVersion.get(key);
  if (context === undefined) {
    const legacy = version === 'TLSv1' || version === 'TLSv1.1';
    context = createSecureContext({
      ca: [...rootCertificates, ...extraCa],
      minVersion: version ?? 'TLSv1',
      ...(version !== undefined && { maxVersion: version }),
      // OpenSSL 3 offers TLS 1.0/1.1 only at security level 0; the default context must be able to
      // reach legacy-only servers too, so it uses it as well.
      ...((legacy || version === undefined) && { ciphers: 'DEFAULT@SECLEVEL=0' }),
    });
    byVersion.set(key, context);
  }
  return context;
}

export function handshake(options: HandshakeOptions): Promise<HandshakeResult> {
  const { target, pinned, version } = options;
  return new Promise<HandshakeResult>((resolve) => {
    let settled = false;
    let socket: TLSSocket | undefined;
    const done = (result: HandshakeResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      socket?.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => done({ ok: false, error: `no handshake within ${options.timeoutMs} ms`, errorCode: 'ETIMEDOUT' }), options.timeoutMs);
    const onAbort = (): void => done({ ok: false, error: 'aborted', errorCode: 'ABORT_ERR' });
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      socket = connect({
        host: pinned.address,
        port: target.port,
        ...(!target.hostIsAddress && { servername: target.host }),
        rejectUnauthorized: false,
        // Host-name matching is judged separately (certificateFacts), so that authorizationError
        // speaks only of the chain.
        checkServerIdentity: () => undefined,
        secureContext: contextFor(options.extraCa ?? NO_EXTRA_CA, version),
      });
    } catch (error) {
      done({ ok: false, error: describeError(error), errorCode: (error as NodeJS.ErrnoException).code ?? 'ERR' });
      return;
    }
    socket.once('secureConnect', () => {
      const s = socket as TLSSocket;
      const authorizationError = s.authorizationError === null ? undefined : String(s.authorizationError);
      done({
        ok: true,
        protocol: s.getProtocol() ?? undefined,
        certificate: s.getPeerCertificate(true),
        authorized: s.authorized,
        ...(authorizationError !== undefined && { authorizationError }),
      });
    });
    socket.once('error', (error) => done({ ok: false, error: describeError(error), errorCode: (error as NodeJS.ErrnoException).code ?? 'ERR' }));
    socket.once('close', () => done({ ok: false, error: 'connection closed during the handshake', errorCode: 'ECONNRESET' }));
  });
}

function nameOf(part: Record<string, string | string[]> | undefined): string {
  if (part === undefined) return '';
  return Object.entries(part)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`)
    .join(', ');
}

/** Chain errors that are about expiry are reported by the date checks instead. */
const DATE_ERRORS = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);

export function certificateFacts(result: HandshakeResult, target: ProbeTarget): CertificateFacts | undefined {
  const cert = result.certificate;
  if (cert === undefined || cert.raw === undefined || Object.keys(cert).length === 0) return undefined;
  const subject = nameOf(cert.subject as unknown as Record<string, string | string[]>);
  const issuer = nameOf(cert.issuer as unknown as Record<string, string | string[]>);
  // Issued by itself: the issuer names the subject and no other certificate stands above it.
  const issuerCert = cert.issuerCertificate as DetailedPeerCertificate | undefined;
  const selfSigned = subject === issuer && (issuerCert === undefined || issuerCert.fingerprint256 === cert.fingerprint256);
  const chainError = result.authorizationError !== undefined && !DATE_ERRORS.has(result.authorizationError) ? result.authorizationError : undefined;
  const identity = checkServerIdentity(target.host, cert);
  return {
    subject,
    issuer,
    validFrom: new Date(cert.valid_from),
    validTo: new Date(cert.valid_to),
    fingerprint256: cert.fingerprint256,
    selfSigned,
    ...(chainError !== undefined && { chainError }),
    ...(identity !== undefined && { hostnameError: identity.message }),
  };
}

/** Runs the default handshake (certificate) and one per protocol version. */
export async function inspectTls(options: Omit<HandshakeOptions, 'version'>, first?: HandshakeResult): Promise<TlsFacts> {
  const main = first ?? (await handshake(options));
  const versions: Record<SecureVersion, VersionSupport> = { TLSv1: 'untested', 'TLSv1.1': 'untested', 'TLSv1.2': 'untested', 'TLSv1.3': 'untested' };
  for (const version of TLS_VERSIONS) {
    if (options.signal?.aborted === true) break;
    const r = await handshake({ ...options, version });
    if (r.ok) versions[version] = 'accepted';
    else if (r.errorCode !== undefined && LOCAL_INCAPABLE.has(r.errorCode)) versions[version] = 'untested';
    else if (r.errorCode === 'ETIMEDOUT' || r.errorCode === 'ECONNREFUSED' || r.errorCode === 'ABORT_ERR') versions[version] = 'untested';
    else versions[version] = 'refused';
  }
  const certificate = main.ok ? certificateFacts(main, options.target) : undefined;
  return {
    versions,
    ...(main.protocol !== undefined && { negotiated: main.protocol }),
    ...(certificate !== undefined && { certificate }),
    ...(!main.ok && main.error !== undefined && { error: main.error }),
  };
}
