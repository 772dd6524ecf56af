/**
 * Running the probe over a list of targets: parse, decide scope for every target before any
 * traffic is sent (one refusal stops the whole run with SCOPE_REFUSED, naming every refused
 * target and why), then probe the admitted targets with bounded concurrency.
 */
import { WardenError, sortFindings } from '../../domain/index.js';
import type { Finding, Unscannable } from '../../domain/index.js';
import { knownCves } from './known-cves.js';
import type { KnownCveList } from './known-cves.js';
import { findingsFor } from './probe-findings.js';
import { parseTarget } from './probe-target.js';
import type { ProbeTarget } from './probe-target.js';
import type { ScopeDecision, ScopePolicy } from './scope-policy.js';
import { DEFAULT_PROBE_SETTINGS, probeTarget } from './target-prober.js';
import type { ProbeSettings, TargetReport } from './target-prober.js';

export interface ProbeInput {
  readonly text: string;
  /** Asset the finding belongs to, when the caller knows it (the engine passes it). */
  readonly asset?: string;
}

export interface ProbeRunStats {
  targets: number;
  probed: number;
  requests: number;
  tlsHandshakes: number;
  bytesReceived: number;
}

export interface ProbeRunResult {
  readonly findings: Finding[];
  readonly unscannable: Unscannable[];
  /** Targets that answered and were examined. */
  readonly scanned: number;
  readonly reports: TargetReport[];
  readonly stats: ProbeRunStats;
}

export interface ProbeRunOptions extends Partial<ProbeSettings> {
  readonly onProgress?: (done: number, total: number, current: string) => void;
  /** The CVE list; the shipped one by default. */
  readonly cves?: KnownCveList;
}

async function pool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next;
      next += 1;
      out[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, () => worker()));
  return out;
}

/** Scope for every target, or SCOPE_REFUSED listing the refused ones. */
export async function decideScope(
  targets: readonly { target: ProbeTarget; asset?: string }[],
  policy: ScopePolicy,
  concurrency: number,
): Promise<{ admitted: { decision: ScopeDecision; asset?: string }[]; unresolved: Unscannable[] }> {
  const outcomes = await pool(targets, concurrency, async (t) => ({ t, outcome: await policy.check(t.target) }));
  const refused = outcomes.flatMap(({ outcome }) => (!outcome.ok && outcome.refused ? [outcome.reason] : []));
  if (refused.length > 0) {
    throw new WardenError('SCOPE_REFUSED', `Refused to probe, nothing was sent:\n  ${refused.join('\n  ')}`, { details: { refused } });
  }
  const admitted: { decision: ScopeDecision; asset?: string }[] = [];
  const unresolved: Unscannable[] = [];
  for (const { t, outcome } of outcomes) {
    if (outcome.ok) admitted.push({ decision: outcome.decision, ...(t.asset !== undefined && { asset: t.asset }) });
    else unresolved.push({ path: t.target.input, reason: outcome.reason });
  }
  return { admitted, unresolved };
}

export async function runProbe(inputs: readonly ProbeInput[], policy: ScopePolicy, options: ProbeRunOptions = {}): Promise<ProbeRunResult> {
  const settings: ProbeSettings = { ...DEFAULT_PROBE_SETTINGS, ...options };
  if (!Number.isInteger(settings.concurrency) || settings.concurrency < 1) throw new WardenError('USAGE', 'The probe concurrency must be a whole number of at least 1.');
  if (!(settings.timeoutMs > 0)) throw new WardenError('USAGE', 'The probe timeout must be positive.');
  const cves = options.cves ?? knownCves();

  // Parse everything first: a malformed target is the caller's error, before any traffic.
  const seen = new Set<string>();
  const targets: { target: ProbeTarget; asset?: string }[] = [];
  for (const input of inputs) {
    const target = parseTarget(input.text);
    const key = `${target.scheme} ${target.host} ${target.port} ${target.path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    targets.push({ target, ...(input.asset !== undefined && { asset: input.asset }) });
  }

  const { admitted, unresolved } = await decideScope(targets, policy, settings.concurrency);
  let done = 0;
  const reports = await pool(admitted, settings.concurrency, async ({ decision, asset }) => {
    const report = await probeTarget(decision, settings);
    done += 1;
    options.onProgress?.(done, admitted.length, decision.target.input);
    return { report, asset };
  });

  const now = settings.now();
  const findings: Finding[] = [];
  const unscannable: Unscannable[] = [...unresolved];
  const stats: ProbeRunStats = { targets: targets.length, probed: 0, requests: 0, tlsHandshakes: 0, bytesReceived: 0 };
  for (const { report, asset } of reports) {
    stats.requests += report.requests;
    stats.tlsHandshakes += report.handshakes;
    stats.bytesReceived += report.bytesReceived;
    if (report.unscannable !== undefined) unscannable.push({ path: report.url, reason: report.unscannable });
    else {
      stats.probed += 1;
      if (report.partial !== undefined) unscannable.push({ path: report.url, reason: `partly checked: ${report.partial}` });
    }
    findings.push(...findingsFor(report, cves, now, asset));
  }
  return { findings: sortFindings(findings), unscannable, scanned: stats.probed, reports: reports.map((r) => r.report), stats };
}
