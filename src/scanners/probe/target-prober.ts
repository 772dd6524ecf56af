/**
 * Probing one in-scope target: settle http/https, inspect TLS, fetch the root, identify and judge
 * the service, look at the declared path, send a short burst to see rate limiting. Everything is
 * bounded: the HttpSession enforces methods, request budget, body cap and per-request deadline;
 * a per-target deadline aborts whatever is still running.
 */
import { describeError } from '../../domain/index.js';
import { HttpSession, textOf } from './http-session.js';
import type { ProbeResponse, SessionLimits } from './http-session.js';
import type { ScopeDecision } from './scope-policy.js';
import { identifyService } from './service-detectors.js';
import type { DetectedService } from './service-types.js';
import { handshake, inspectTls } from './tls-inspector.js';
import type { HandshakeResult, TlsFacts } from './tls-inspector.js';
import { targetUrl } from './probe-target.js';

export interface ProbeSettings {
  /** Targets probed at once. */
  readonly concurrency: number;
  /** Deadline for one request or handshake. */
  readonly timeoutMs: number;
  /** Deadline for everything done to one target. */
  readonly targetDeadlineMs: number;
  readonly maxRequestsPerTarget: number;
  readonly maxBodyBytes: number;
  /** Requests in the rate-limit burst (taken from the same budget). */
  readonly burstSize: number;
  /** Sockets per target (also the burst's parallelism). */
  readonly maxSocketsPerTarget: number;
  /** Extra trusted roots (PEM) for the chain check, e.g. an internal CA. */
  readonly extraCa?: readonly (string | Buffer)[];
  readonly now: () => Date;
  readonly signal?: AbortSignal;
}

export const DEFAULT_PROBE_SETTINGS: ProbeSettings = {
  concurrency: 16,
  timeoutMs: 5000,
  targetDeadlineMs: 60_000,
  maxRequestsPerTarget: 30,
  maxBodyBytes: 256 * 1024,
  burstSize: 10,
  maxSocketsPerTarget: 4,
  now: () => new Date(),
};

/** Headers by which a server announces rate limits (IETF RateLimit draft and common X- forms). */
export const RATE_LIMIT_HEADERS: readonly string[] = [
  'ratelimit',
  'ratelimit-policy',
  'ratelimit-limit',
  'ratelimit-remaining',
  'ratelimit-reset',
  'retry-after',
  'x-ratelimit-limit',
  'x-ratelimit-remaining',
  'x-ratelimit-reset',
  'x-rate-limit-limit',
  'x-rate-limit-remaining',
  'x-rate-limit-reset',
];

export interface TargetReport {
  readonly decision: ScopeDecision;
  readonly scheme: 'http' | 'https';
  readonly url: string;
  readonly service?: DetectedService;
  readonly tls?: TlsFacts;
  readonly root?: ProbeResponse;
  /** The answer for the target's own path, when it is not `/`. */
  readonly pathResponse?: ProbeResponse;
  /** `429` or the rate-limit header seen; undefined when none was. */
  readonly rateLimitSignal?: string;
  readonly burstSent: number;
  /** Every response, for header checks (HSTS). */
  readonly responses: readonly ProbeResponse[];
  readonly requests: number;
  readonly bytesReceived: number;
  readonly handshakes: number;
  /** Set when nothing could be learnt (no answer at all). */
  readonly unscannable?: string;
  /** Set when the deadline or the budget cut the checks short. */
  readonly partial?: string;
}

function rateLimitSignal(responses: readonly ProbeResponse[]): string | undefined {
  for (const r of responses) {
    if (r.status === 429) return '429 Too Many Requests';
    const header = RATE_LIMIT_HEADERS.find((h) => r.headers[h] !== undefined);
    if (header !== undefined) return `${header} header`;
  }
  return undefined;
}

const HTTPS_ONLY_ANSWER = /plain HTTP request was sent to HTTPS port|HTTP request to an HTTPS server|speaking plain HTTP to an SSL-enabled server/i;

interface SettledScheme {
  readonly scheme: 'http' | 'https';
  /** The first handshake, when one completed (reused for the certificate). */
  readonly handshake?: HandshakeResult;
  /** The plain-HTTP session when HTTP won: its root answer is already memoised. */
  readonly session?: HttpSession;
  readonly handshakes: number;
  /** Requests already sent (the plain sniff), when the session is not reused. */
  readonly spent: number;
}

/**
 * http or https. A URL says which; for host:port a TLS handshake and a plain GET / race, so a plain
 * server that ignores a ClientHello (Tornado waits for a request line) does not cost a timeout,
 * and a TLS port that answers plain HTTP with a 400 ("plain HTTP request was sent to HTTPS port")
 * is still recognised as TLS.
 */
async function settleScheme(decision: ScopeDecision, tlsOptions: Parameters<typeof handshake>[0], limits: SessionLimits, signal: AbortSignal): Promise<SettledScheme> {
  const { target, pinned } = decision;
  if (target.scheme === 'http') return { scheme: 'http', handshakes: 0, spent: 0 };
  if (target.scheme === 'https') return { scheme: 'https', handshake: await handshake(tlsOptions), handshakes: 1, spent: 0 };
  const sniff = new AbortController();
  const onAbort = (): void => sniff.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  const plain = new HttpSession(target, 'http', pinned, limits, signal);
  const tlsAttempt = handshake({ ...tlsOptions, signal: sniff.signal });
  const plainAttempt = plain.get('/');
  const tlsWon = tlsAttempt.then((r) => (r.ok ? r : undefined));
  const httpWon = plainAttempt.then((r) => (r.status > 0 && !HTTPS_ONLY_ANSWER.test(textOf(r)) ? r : undefined));
  try {
    const first = await Promise.race([tlsWon.then((r) => (r === undefined ? undefined : 'tls')), httpWon.then((r) => (r === undefined ? undefined : 'http'))]);
    const winner = first ?? ((await tlsWon) !== undefined ? 'tls' : (await httpWon) !== undefined ? 'http' : undefined);
    if (winner === 'http') {
      sniff.abort();
      await tlsAttempt;
      // The plain session goes on: its root answer is memoised, its budget already counts it.
      return { scheme: 'http', session: plain, handshakes: 1, spent: 0 };
    }
    const hs = await tlsAttempt;
    // Ends the plain request if it is still waiting (its socket is destroyed).
    plain.close();
    await plainAttempt;
    const spent = plain.stats.requests;
    // Neither answered: default to https only when the handshake got that far, else http.
    return { scheme: winner === 'tls' || hs.ok ? 'https' : 'http', handshake: hs, handshakes: 1, spent };
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

export async function probeTarget(decision: ScopeDecision, settings: ProbeSettings): Promise<TargetReport> {
  const { target, pinned } = decision;
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), settings.targetDeadlineMs);
  const onParentAbort = (): void => deadline.abort();
  settings.signal?.addEventListener('abort', onParentAbort, { once: true });
  const signal = deadline.signal;
  let handshakes = 0;
  try {
    const tlsOptions = { target, pinned, timeoutMs: settings.timeoutMs, signal, ...(settings.extraCa !== undefined && { extraCa: settings.extraCa }) };
    const limits = { timeoutMs: settings.timeoutMs, maxRequests: settings.maxRequestsPerTarget, maxBodyBytes: settings.maxBodyBytes, maxSockets: settings.maxSocketsPerTarget };
    const settled = await settleScheme(decision, tlsOptions, limits, signal);
    const scheme = settled.scheme;
    handshakes += settled.handshakes;
    let tls: TlsFacts | undefined;
    if (scheme === 'https') {
      tls = await inspectTls(tlsOptions, settled.handshake);
      handshakes += 4;
    }
    // The plain-HTTP sniff of a host:port that turned out to speak TLS counts against the budget.
    const session = settled.session ?? new HttpSession(target, scheme, pinned, { ...limits, maxRequests: limits.maxRequests - settled.spent }, signal);
    const url = targetUrl(target, scheme);
    const base = { decision, scheme, url, ...(tls !== undefined && { tls }) };
    try {
      const root = await session.get('/');
      if (root.status === 0) {
        return {
          ...base,
          root,
          burstSent: 0,
          responses: session.responses,
          requests: session.stats.requests + settled.spent,
          bytesReceived: session.stats.bytesReceived,
          handshakes,
          unscannable: `no HTTP answer from ${url} (${root.error ?? 'unknown error'})`,
        };
      }
      const { service, exhausted } = await identifyService(session, root);
      const pathResponse = target.path !== '/' ? await session.get(target.path) : undefined;
      const burstPath = service?.burstPath ?? (target.path !== '/' ? target.path : '/');
      const burst = Math.max(0, Math.min(settings.burstSize, session.remaining));
      await Promise.all(Array.from({ length: burst }, () => session.request('GET', burstPath)));
      const signalSeen = rateLimitSignal(session.responses);
      let cut: string | undefined;
      if (settings.signal?.aborted === true) cut = 'aborted';
      else if (signal.aborted) cut = `the per-target deadline of ${settings.targetDeadlineMs} ms was reached`;
      else if (exhausted || session.stats.skipped > 0 || burst < settings.burstSize) {
        cut = `the request budget of ${settings.maxRequestsPerTarget} was spent before every check ran`;
      }
      return {
        ...base,
        root,
        ...(service !== undefined && { service }),
        ...(pathResponse !== undefined && { pathResponse }),
        ...(signalSeen !== undefined && { rateLimitSignal: signalSeen }),
        burstSent: burst,
        responses: session.responses,
        requests: session.stats.requests + settled.spent,
        bytesReceived: session.stats.bytesReceived,
        handshakes,
        ...(cut !== undefined && { partial: cut }),
      };
    } finally {
      session.close();
    }
  } catch (error) {
    return {
      decision,
      scheme: target.scheme === 'https' ? 'https' : 'http',
      url: targetUrl(target, target.scheme === 'https' ? 'https' : 'http'),
      burstSent: 0,
      responses: [],
      requests: 0,
      bytesReceived: 0,
      handshakes,
      unscannable: `probe failed: ${describeError(error)}`,
    };
  } finally {
    clearTimeout(timer);
    settings.signal?.removeEventListener('abort', onParentAbort);
  }
}
