/**
 * Read-only HTTP(S) requests to one target, with every limit enforced here rather than trusted to
 * callers: only GET, HEAD and OPTIONS exist (a write cannot be expressed, and a method outside the
 * three is refused at run time too); at most `maxRequests` requests; every response body is cut at
 * `maxBodyBytes`; every request has a deadline; redirects are never followed (a 3xx is reported as
 * what it is); no credentials or cookies are ever sent.
 *
 * Threat assumptions: the server is hostile. It may answer slowly (the deadline covers the whole
 * exchange, headers and body), answer forever (the body cap ends the read), redirect us to another
 * host (we do not follow), or change its DNS between lookups (we connect to the pinned address
 * that the scope check approved, with the original name only in the Host header and SNI).
 */
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { WardenError, describeError } from '../../domain/index.js';
import { hostPort } from './probe-target.js';
import type { ProbeTarget } from './probe-target.js';
import type { ResolvedAddress } from './scope-policy.js';

export type SafeMethod = 'GET' | 'HEAD' | 'OPTIONS';
const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface SessionLimits {
  readonly timeoutMs: number;
  readonly maxRequests: number;
  readonly maxBodyBytes: number;
  /** Sockets kept open to the target (bounds the burst's parallelism too). */
  readonly maxSockets: number;
}

export interface ProbeResponse {
  readonly method: SafeMethod;
  readonly path: string;
  /** 0 when no HTTP answer came (see `error`). */
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
  /** True when the body was cut at the cap. */
  readonly truncated: boolean;
  readonly error?: string;
  /** True when the request was not sent because the target's budget was spent. */
  readonly skipped?: boolean;
}

export const USER_AGENT = 'warden-probe/1 (read-only security check; GET/HEAD/OPTIONS only)';

function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

export interface SessionStats {
  requests: number;
  bytesReceived: number;
  /** Requests not sent because the budget was spent or the probe was aborted. */
  skipped: number;
}

export class HttpSession {
  readonly target: ProbeTarget;
  readonly scheme: 'http' | 'https';
  readonly pinned: ResolvedAddress;
  readonly limits: SessionLimits;
  readonly stats: SessionStats = { requests: 0, bytesReceived: 0, skipped: 0 };
  /** Every response, in order: the evidence for rate-limit and header checks. */
  readonly responses: ProbeResponse[] = [];
  readonly #agent: HttpAgent | HttpsAgent;
  readonly #signal: AbortSignal | undefined;
  readonly #memo = new Map<string, Promise<ProbeResponse>>();

  constructor(target: ProbeTarget, scheme: 'http' | 'https', pinned: ResolvedAddress, limits: SessionLimits, signal?: AbortSignal) {
    this.target = target;
    this.scheme = scheme;
    this.pinned = pinned;
    this.limits = limits;
    this.#signal = signal;
    const agentOptions = { keepAlive: true, maxSockets: limits.maxSockets, maxFreeSockets: limits.maxSockets };
    // The TLS inspector judges certificates and protocol versions; here we only need to talk to the
    // service, so legacy protocols and unverified certificates are accepted for the read itself.
    this.#agent =
      scheme === 'https'
        ? new HttpsAgent({ ...agentOptions, rejectUnauthorized: false, minVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' })
        : new HttpAgent(agentOptions);
  }

  get remaining(): number {
    return this.limits.maxRequests - this.stats.requests;
  }

  /** GET with the answer shared by every caller asking for the same path. */
  get(path: string): Promise<ProbeResponse> {
    let pending = this.#memo.get(path);
    if (pending === undefined) {
      pending = this.request('GET', path);
      this.#memo.set(path, pending);
    }
    return pending;
  }

  /** One request, never a second one for the same call; budget-checked before anything is sent. */
  request(method: SafeMethod, path: string): Promise<ProbeResponse> {
    if (!SAFE_METHODS.has(method)) {
      // Unreachable through the types; kept because sending a write would break the probe's promise.
      throw new WardenError('INTERNAL', `The probe refused to send ${String(method)}: only GET, HEAD and OPTIONS are allowed.`);
    }
    if (!path.startsWith('/')) throw new WardenError('INTERNAL', `Probe path "${path}" must start with "/".`);
    const skipped = (why: string): ProbeResponse => {
      this.stats.skipped += 1;
      return { method, path, status: 0, headers: {}, body: Buffer.alloc(0), truncated: false, error: why, skipped: true };
    };
    if (this.#signal?.aborted === true) return Promise.resolve(skipped('aborted'));
    if (this.stats.requests >= this.limits.maxRequests) return Promise.resolve(skipped(`request budget of ${this.limits.maxRequests} spent`));
    this.stats.requests += 1;
    return this.#send(method, path).then((response) => {
      this.responses.push(response);
      return response;
    });
  }

  #send(method: SafeMethod, path: string): Promise<ProbeResponse> {
    const t = this.target;
    const servername = t.hostIsAddress ? undefined : t.host;
    const options = {
      host: this.pinned.address,
      family: this.pinned.family,
      port: t.port,
      method,
      path,
      agent: this.#agent,
      headers: {
        host: t.port === (this.scheme === 'https' ? 443 : 80) ? (t.host.includes(':') ? `[${t.host}]` : t.host) : hostPort(t),
        'user-agent': USER_AGENT,
        accept: 'application/json, text/plain;q=0.9, */*;q=0.5',
      },
      ...(servername !== undefined && { servername }),
    };
    return new Promise<ProbeResponse>((resolve) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let truncated = false;
      let settled = false;
      let timedOut = false;
      let response: IncomingMessage | undefined;
      const finish = (reported?: string): void => {
        if (settled) return;
        settled = true;
        // A body cut by the deadline is as incomplete as one cut by the cap.
        const error = reported ?? (timedOut ? `the body did not arrive within ${this.limits.timeoutMs} ms` : undefined);
        if (timedOut) truncated = true;
        clearTimeout(timer);
        this.#signal?.removeEventListener('abort', onAbort);
        this.stats.bytesReceived += size;
        resolve({
          method,
          path,
          status: response?.statusCode ?? 0,
          headers: response === undefined ? {} : flattenHeaders(response.headers),
          body: Buffer.concat(chunks, size),
          truncated,
          ...(error !== undefined && { error }),
        });
      };
      const req = (this.scheme === 'https' ? httpsRequest : httpRequest)(options, (res) => {
        response = res;
        res.on('data', (chunk: Buffer) => {
          const room = this.limits.maxBodyBytes - size;
          if (chunk.length > room) {
            if (room > 0) chunks.push(chunk.subarray(0, room));
            size += Math.max(0, room);
            truncated = true;
            // Stop reading: the socket is not reused, the rest of the body is never buffered.
            res.destroy();
            finish();
            return;
          }
          chunks.push(chunk);
          size += chunk.length;
        });
        res.on('end', () => finish());
        res.on('error', (error) => finish(response === undefined ? describeError(error) : undefined));
        res.on('close', () => finish());
      });
      const timer = setTimeout(() => {
        timedOut = true;
        req.destroy(new Error(`no complete answer within ${this.limits.timeoutMs} ms`));
      }, this.limits.timeoutMs);
      const onAbort = (): void => {
        req.destroy(new Error('aborted'));
      };
      this.#signal?.addEventListener('abort', onAbort, { once: true });
      req.on('error', (error) => {
        const code = (error as NodeJS.ErrnoException).code;
        finish(code !== undefined && !describeError(error).includes(code) ? `${code}: ${describeError(error)}` : describeError(error));
      });
      req.end();
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}

/** Body as text (UTF-8, replacement characters for bad bytes). */
export function textOf(response: ProbeResponse): string {
  return response.body.toString('utf8');
}

/** Body as JSON, or undefined when it is not JSON (or was cut at the cap). */
export function jsonOf(response: ProbeResponse): unknown {
  if (response.truncated || response.body.length === 0) return undefined;
  try {
    return JSON.parse(response.body.toString('utf8')) as unknown;
  } catch (error) {
    // Not JSON: the caller treats it as "not this service's shape".
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function stringField(value: unknown, key: string): string | undefined {
  if (!isRecord(value)) return undefined;
  const v = value[key];
  return typeof v === 'string' ? v : undefined;
}

/** 401, 403 — or a redirect to a login page — means credentials were asked for. */
export function asksForCredentials(response: ProbeResponse): boolean {
  if (response.status === 401 || response.status === 403 || response.status === 407) return true;
  if (response.status >= 300 && response.status < 400) {
    const location = (response.headers['location'] ?? '').toLowerCase();
    return /login|signin|sign_in|auth|oauth|dex|sso|saml|openid/.test(location);
  }
  return false;
}
