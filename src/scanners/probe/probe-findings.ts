/**
 * Turning what one target answered into findings of the shared shape. Every finding points at the
 * target's URL (location.path and location.url), names the asset when one declares the target,
 * and carries the request that proved it as evidence.
 */
import { atOrAbove } from '../../domain/index.js';
import type { Finding, Severity } from '../../domain/index.js';
import { createFinding } from '../index.js';
import { asksForCredentials } from './http-session.js';
import { matchCves } from './known-cves.js';
import type { KnownCveList } from './known-cves.js';
import { API_SECURITY, probeRule } from './probe-rules.js';
import { observation } from './service-types.js';
import type { TargetReport } from './target-prober.js';

export const PROBE_SOURCE = 'probe';
const DAY_MS = 86_400_000;
export const EXPIRY_WARNING_DAYS = 30;

interface Emit {
  readonly ruleId: string;
  readonly message: string;
  readonly severity?: Severity;
  readonly evidence?: string;
  readonly remediation?: string;
  readonly controls?: readonly string[];
  readonly key?: string;
  readonly properties?: Readonly<Record<string, string | number | boolean>>;
}

function capSeverity(wanted: Severity | undefined, ruleSeverity: Severity): Severity {
  if (wanted === undefined) return ruleSeverity;
  return atOrAbove(wanted, ruleSeverity) ? ruleSeverity : wanted;
}

export function findingsFor(report: TargetReport, cves: KnownCveList, now: Date, assetOverride?: string): Finding[] {
  const findings: Finding[] = [];
  const asset = assetOverride ?? report.decision.asset;
  const service = report.service;
  const serviceControls = service?.controls ?? [API_SECURITY];
  const emit = (e: Emit): void => {
    const rule = probeRule(e.ruleId);
    const controls = [...new Set([...(rule.controls ?? []), ...(e.controls ?? [])])];
    findings.push(
      createFinding({
        ruleId: e.ruleId,
        // CVE severities come from the advisory, not from the rule's default.
        severity: e.ruleId === 'probe/known-cve' ? (e.severity ?? rule.severity) : capSeverity(e.severity, rule.severity),
        message: e.message,
        location: { path: report.url, url: report.url },
        source: PROBE_SOURCE,
        ...(asset !== undefined && { asset }),
        ...(e.evidence !== undefined && { evidence: e.evidence.slice(0, 500) }),
        remediation: e.remediation ?? rule.remediation,
        controls,
        ...(e.key !== undefined && { key: e.key }),
        properties: {
          target: report.decision.target.input,
          address: report.decision.pinned.address,
          ...(service !== undefined && { service: service.id, product: service.product }),
          ...(service?.version !== undefined && { version: service.version }),
          ...e.properties,
        },
      }),
    );
  };

  if (service !== undefined) {
    const auth = service.unauthenticated === true ? 'no (data served without credentials)' : service.unauthenticated === false ? 'yes' : 'could not tell';
    emit({
      ruleId: 'probe/service-detected',
      message: `${service.product}${service.version !== undefined ? ` ${service.version}` : ''} at ${report.url}; credentials required: ${auth}.`,
      evidence: service.observed.join('; '),
      controls: service.controls,
      key: service.id,
    });
    for (const exposure of service.exposures) {
      emit({
        ruleId: exposure.ruleId,
        message: exposure.message,
        ...(exposure.severity !== undefined && { severity: exposure.severity }),
        ...(exposure.evidence !== undefined && { evidence: exposure.evidence }),
        controls: service.controls,
        key: exposure.endpoint,
        properties: { endpoint: exposure.endpoint },
      });
    }
    for (const match of matchCves(cves, service.cveKey, service.version, service.unauthenticated === true)) {
      const fixed = match.cve.affected.map((r) => r.fixed).filter((f): f is string => f !== undefined);
      emit({
        ruleId: 'probe/known-cve',
        severity: match.cve.severity,
        message: `${service.product}${service.version !== undefined ? ` ${service.version}` : ''} is affected by ${match.cve.id}: ${match.cve.title}.${match.cve.note !== undefined ? ` ${match.cve.note}` : ''}`,
        evidence: `${match.byVersion ? `reported version ${service.version ?? '?'}` : 'affects every version'}; CVE list as of ${cves.asOf}; ${match.cve.sources[0] ?? ''}`,
        remediation: fixed.length > 0 ? `Upgrade ${service.product} to ${fixed.join(' / ')} or later.` : probeRule('probe/known-cve').remediation,
        controls: service.controls,
        key: match.cve.id,
        properties: { cve: match.cve.id, cveListAsOf: cves.asOf, ...(fixed.length > 0 && { fixedIn: fixed.join(', ') }) },
      });
    }
  } else if (report.root !== undefined && report.root.status !== 0) {
    // Nothing recognised: judge authentication on the declared path (or the root).
    const probe = report.pathResponse ?? report.root;
    if (probe.status >= 200 && probe.status < 300) {
      emit({
        ruleId: 'probe/unauthenticated-endpoint',
        message: `${report.url} answered ${probe.status} to a request without credentials, and no known AI service was recognised.`,
        evidence: observation(probe),
        key: probe.path,
      });
    }
  }

  const tls = report.tls;
  if (report.scheme === 'http' && report.root !== undefined && report.root.status !== 0) {
    emit({ ruleId: 'probe/no-tls', message: `${report.url} is served over plain HTTP.`, evidence: observation(report.root), controls: serviceControls });
  }
  if (tls !== undefined) {
    const legacy = (['TLSv1', 'TLSv1.1'] as const).filter((v) => tls.versions[v] === 'accepted');
    if (legacy.length > 0) {
      emit({
        ruleId: 'probe/tls-legacy-protocol',
        message: `${report.url} accepts ${legacy.join(' and ')}.`,
        evidence: Object.entries(tls.versions).map(([v, s]) => `${v}: ${s}`).join(', '),
        key: legacy.join(','),
      });
    }
    if (tls.versions['TLSv1.3'] === 'refused' && Object.values(tls.versions).includes('accepted')) {
      emit({ ruleId: 'probe/tls-no-tls13', message: `${report.url} does not offer TLS 1.3.`, evidence: Object.entries(tls.versions).map(([v, s]) => `${v}: ${s}`).join(', ') });
    }
    const cert = tls.certificate;
    if (cert !== undefined) {
      const certEvidence = `subject ${cert.subject}; issuer ${cert.issuer}; valid ${cert.validFrom.toISOString()} – ${cert.validTo.toISOString()}; SHA-256 ${cert.fingerprint256}`;
      if (cert.validTo.getTime() < now.getTime()) {
        emit({ ruleId: 'probe/tls-certificate-expired', message: `The certificate of ${report.url} expired on ${cert.validTo.toISOString().slice(0, 10)}.`, evidence: certEvidence, key: 'expired' });
      } else if (cert.validFrom.getTime() > now.getTime()) {
        emit({ ruleId: 'probe/tls-certificate-expired', message: `The certificate of ${report.url} is not valid before ${cert.validFrom.toISOString().slice(0, 10)}.`, evidence: certEvidence, key: 'not-yet-valid' });
      } else if (cert.validTo.getTime() - now.getTime() < EXPIRY_WARNING_DAYS * DAY_MS) {
        const days = Math.floor((cert.validTo.getTime() - now.getTime()) / DAY_MS);
        emit({ ruleId: 'probe/tls-certificate-expiring', message: `The certificate of ${report.url} expires in ${days} day(s), on ${cert.validTo.toISOString().slice(0, 10)}.`, evidence: certEvidence });
      }
      if (cert.hostnameError !== undefined) {
        emit({ ruleId: 'probe/tls-hostname-mismatch', message: `The certificate of ${report.url} does not name ${report.decision.target.host}: ${cert.hostnameError}`, evidence: certEvidence });
      }
      if (cert.chainError !== undefined) {
        emit({
          ruleId: 'probe/tls-untrusted-certificate',
          message: `The certificate of ${report.url} is not trusted (${cert.chainError}${cert.selfSigned ? ', self-signed' : ''}).`,
          evidence: certEvidence,
          properties: { chainError: cert.chainError, selfSigned: cert.selfSigned },
        });
      }
    }
    const answered = report.responses.filter((r) => r.status !== 0);
    if (answered.length > 0 && !answered.some((r) => r.headers['strict-transport-security'] !== undefined)) {
      emit({ ruleId: 'probe/no-hsts', message: `${report.url} sends no Strict-Transport-Security header.`, evidence: observation(answered[0] as (typeof answered)[number]), controls: serviceControls });
    }
  }

  if (report.burstSent > 0 && report.rateLimitSignal === undefined) {
    const answeredBurst = report.responses.filter((r) => r.status !== 0).length;
    if (answeredBurst > 0) {
      const severity: Severity = service?.role === 'dev' ? 'low' : 'medium';
      const locked = report.root !== undefined && asksForCredentials(report.root);
      emit({
        ruleId: 'probe/no-rate-limit',
        severity,
        message: `${report.burstSent} back-to-back requests to ${report.url} got no 429 and no rate-limit header${locked ? ' (even before authentication)' : ''}.`,
        evidence: `${report.requests} requests in total; no ${['429', 'RateLimit', 'RateLimit-Policy', 'Retry-After', 'X-RateLimit-*'].join(' / ')} seen`,
        controls: serviceControls,
      });
    }
  }
  return findings;
}
